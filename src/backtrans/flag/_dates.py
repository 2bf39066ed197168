"""Dates, times and weekdays in the scripts the newsroom publishes in, as values.

``Kamis (21/7)``, ``Thursday, July 21``, ``jeudi 21 juillet``, ``7月21日（木）``,
``21 يوليو`` and ``21 تموز`` are all the date (7, 21) with the weekday 4;
``pukul 10.30 WIB``, ``10:30 a.m.``, ``10h30`` and ``午前10時30分`` are all the
time 10:30. :mod:`backtrans.flag._numbers` reads these first, so that a day or an
hour is compared as part of its date or time and not as a bare number.
A month or weekday name counts only next to a number (``may``, ``march`` and
``minggu`` are also ordinary words). The names are CLDR's (Babel), wide and
abbreviated, in every supported language; a short hand table holds the
spellings CLDR lacks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..text.languages import base_lang

#: The CLDR locales (through Babel) whose month and weekday names each language's texts use: Arabic news
#: writes the Gregorian months both the Egyptian way (يناير, CLDR ``ar``) and the Levantine way (كانون
#: الثاني, CLDR ``ar_SY``); English also abbreviates September as "Sept" (CLDR ``en_GB``).
_CLDR_LOCALES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "ms": ("ms",),
    "en": ("en", "en_GB"),
    "fr": ("fr",),
    "zh": ("zh",),
    "ja": ("ja",),
    "ar": ("ar", "ar_SY"),
}
#: Hand entries, only what CLDR does not hold: no maintained library lists older or colloquial spellings
#: (Indonesian "Pebruari", "Nopember", "Agt"/"Ags", "Jum'at" and "Ahad"; the Egyptian "إبريل" and the
#: hamza-written "الإثنين"), nor the colloquial Chinese weekdays (星期天, 周天, 礼拜一 …) and the Japanese
#: weekday without its final 日 (月曜 …), all common in news copy. Accentless (fevrier, aout) and alef-plain
#: (ابريل, الاحد) spellings are derived from the CLDR names, not listed.
_MONTH_EXTRA: dict[str, dict[str, int]] = {
    "id": {"agt": 8, "ags": 8, "sept": 9, "pebruari": 2, "nopember": 11},
    "ar": {"إبريل": 4},
}
_WEEKDAY_EXTRA: dict[str, dict[str, int]] = {
    "id": {"jum'at": 5, "jum’at": 5, "ahad": 7},
    "zh": {
        "星期天": 7,
        "周天": 7,
        "礼拜一": 1,
        "礼拜二": 2,
        "礼拜三": 3,
        "礼拜四": 4,
        "礼拜五": 5,
        "礼拜六": 6,
        "礼拜天": 7,
        "礼拜日": 7,
    },
    "ja": {"月曜": 1, "火曜": 2, "水曜": 3, "木曜": 4, "金曜": 5, "土曜": 6, "日曜": 7},
    "ar": {"الإثنين": 1},
}
#: a weekday written as one kanji in parentheses after a Japanese or Chinese date: 7月21日（木）
_CJK_WEEKDAY_KANJI = {
    "月": 1,
    "火": 2,
    "水": 3,
    "木": 4,
    "金": 5,
    "土": 6,
    "日": 7,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
}
_TIME_ZONES = r"(?:WIB|WITA|WIT|GMT|UTC)"


@dataclass(frozen=True)
class DateMention:
    """A date, a day of the month, a time or a weekday found in a text, and where it stands."""

    kind: str  #: "date" (month, day), "day" (day only), "month" (month with a year), "time" or "weekday"
    value: tuple[int, ...]  #: (month, day) / (day,) / (month,) / (hour, minute) / (weekday 1-7,)
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Names:
    """The month or weekday names of a language: every spelling (case-folded) with its number (month 1-12,
    weekday 1-7 from Monday), and which of them are full (CLDR "wide") names."""

    numbers: dict[str, int]
    full: frozenset[str]


def _written_in(name: str, lang: str) -> bool:
    """A CLDR name in the language's own script (Babel fills some gaps of a locale from another script)."""
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    if lang == "ar":
        return all("\u0600" <= c <= "\u06ff" for c in letters)
    if lang in ("zh", "ja"):  # 1月 is the CJK date pattern's; a lone kanji weekday only in parentheses (（木）)
        return len(name) >= 2 and not any(c.isdigit() or c.isascii() for c in name)
    return all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def _spellings(name: str, lang: str) -> set[str]:
    """A name as texts write it: case-folded, without an abbreviation's dot, and (derived, not listed)
    without accents (fevrier, aout) or with a plain alef for أ إ آ (ابريل, الاحد)."""
    word = name.casefold().rstrip(".")
    out = {word}
    if lang == "ar" and len(word) > 3:  # not آب (August) → اب (a father)
        out.add(re.sub("[أإآ]", "ا", word))
    elif lang not in ("zh", "ja"):
        out.add("".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)))
    return out


def cldr_forms(code: str, which: str) -> list[tuple[str, str]]:
    """The (context, width) pairs of a CLDR locale's month or weekday names that hold names of their own: wide
    and abbreviated, format and stand-alone. A stand-alone form that CLDR writes as an alias of the format
    form is left out: it holds the same names, and Babel resolves the alias against whichever locale it
    loaded last (read after ``ar``, ``ms`` stand-alone months come back as 一月)."""
    from babel import localedata

    data = localedata.load(code)[which]
    return [
        (context, width)
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        if context == "format" or isinstance(data.get(context, {}).get(width), dict)
    ]


@cache
def _cldr_names(lang: str, which: str) -> _Names:
    """Month (``which="months"``) or weekday (``"days"``) names of a language from CLDR through Babel, wide and
    abbreviated, format and stand-alone forms, with the hand entries CLDR lacks; English for a language
    without a table. Only the first locale's wide names are full names (a month on its own); the names of
    the others (Levantine آب, English "Sept") count next to a number."""
    from babel import Locale  # CLDR: loaded when a date is first read, not on ``import backtrans``

    if lang not in _CLDR_LOCALES:
        return _cldr_names("en", which)
    numbers: dict[str, int] = {}
    full: set[str] = set()
    for k, code in enumerate(_CLDR_LOCALES[lang]):
        table = getattr(Locale.parse(code), which)
        for context, width in cldr_forms(code, which):
            for key, name in table[context][width].items():
                if not _written_in(name, lang):
                    continue
                number = key if which == "months" else key + 1  # Babel's weekdays: 0 is Monday
                for spelling in _spellings(name, lang):
                    numbers.setdefault(spelling, number)
                    if width == "wide" and k == 0:  # Levantine آب alone is "father": only by a number
                        full.add(spelling)
    extra = (_MONTH_EXTRA if which == "months" else _WEEKDAY_EXTRA).get(lang, {})
    for name, number in extra.items():
        for spelling in _spellings(name, lang):
            numbers.setdefault(spelling, number)
    return _Names(numbers, frozenset(full))


def month_names(lang: str) -> _Names:
    """The month names :func:`find_dates` reads in a language."""
    return _cldr_names(base_lang(lang), "months")


def weekday_names(lang: str) -> _Names:
    """The weekday names :func:`find_dates` reads in a language."""
    return _cldr_names(base_lang(lang), "days")


@cache
def _patterns(lang: str) -> dict[str, re.Pattern[str]]:
    months = month_names(lang).numbers
    month_alt = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    weekdays = weekday_names(lang).numbers
    weekday_alt = "|".join(sorted((re.escape(w) for w in weekdays), key=len, reverse=True))
    # not inside a word or a longer number; Arabic glues و/ب/ل to the next word ("و23 أغسطس")
    b = r"(?<!\d)" if lang in ("zh", "ja", "ar") else r"(?<!\d)(?<![^\W\d_])"
    e = "" if lang in ("zh", "ja") else r"(?![^\W\d_])"
    return {
        # 21 Juli 2022 / 21 juillet / 1er juillet / 21 يوليو
        "day_month": re.compile(rf"{b}(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?({month_alt})\.?{e}", re.I),
        # July 21 / July 21st
        "month_day": re.compile(rf"{b}({month_alt})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)", re.I),
        # Juli 2022 (a month with a year, no day)
        "month_year": re.compile(rf"{b}({month_alt})\.?,?\s+((?:19|20)\d\d)(?!\d)", re.I),
        "month": re.compile(rf"{b}({month_alt}){e}", re.I),
        "weekday": re.compile(rf"{b}({weekday_alt}){e}", re.I),
    }


_SLASH_DATE = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/((?:19|20)?\d\d))?(?![\d/])")
_CJK_DATE = re.compile(r"(?:((?:19|20)\d\d)年)?(\d{1,2})月(?:(\d{1,2})[日号])?")
_CJK_DAY = re.compile(r"(?<![\d月])(\d{1,2})[日号](?![本元])")
_CJK_WEEKDAY = re.compile(r"[（(]([月火水木金土日一二三四五六])[）)]")
_KO_DATE = re.compile(r"(\d{1,2})월\s*(?:(\d{1,2})일)?")
_TIME_CLOCK = re.compile(
    rf"(?:(?:pukul|jam|at|à|vers|sekitar|الساعة)\s*)?(?<!\d)(\d{{1,2}})(?:[.:]|\s?h\s?)(\d{{2}})(?!\d)"
    rf"(?:\s*(a\.?m\.?|p\.?m\.?))?(?:\s*{_TIME_ZONES})?",
    re.I,
)
_TIME_AMPM = re.compile(r"(?<![\d.:])(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?![a-z])", re.I)
_TIME_CJK = re.compile(r"(午前|午後|上午|下午|晚上|早上|凌晨)?(\d{1,2})(?:時|时|点|點)(?:(\d{1,2})分|半)?")


def _clock(hour: int, minute: int, marker: str | None) -> tuple[int, int] | None:
    marker = (marker or "").lower().replace(".", "")
    if marker in ("pm", "午後", "下午", "晚上") and hour < 12:
        hour += 12
    elif marker in ("am", "午前", "上午", "早上", "凌晨") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return hour, minute


def _is_time_context(text: str, start: int, end: int, lang: str) -> bool:
    """``10.30`` is a time only with a clock word before it or a time zone / am-pm after it."""
    before = text[max(0, start - 12) : start].lower()
    after = text[end : end + 8]
    return bool(
        re.search(r"(pukul|jam|at|à|vers|الساعة)\s*$", before)
        or re.match(rf"\s*(?:{_TIME_ZONES}|a\.?m|p\.?m|h\b)", after, re.I)
        or ":" in text[start:end]
        or "h" in text[start:end].lower()
    )


def find_dates(text: str, lang: str) -> list[DateMention]:
    """Every date, day, time and weekday of a text (digits already normalised to ASCII), by position."""
    lang = base_lang(lang)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, value: tuple[int, ...], start: int, end: int) -> None:
        if free(start, end):
            found.append(DateMention(kind, value, text[start:end], start, end))
            taken.append((start, end))

    if lang in ("zh", "ja"):
        for m in _TIME_CJK.finditer(text):
            clock = _clock(int(m.group(2)), int(m.group(3) or (30 if m.group(0).endswith("半") else 0)), m.group(1))
            if clock:
                add("time", clock, m.start(), m.end())
        for m in _CJK_DATE.finditer(text):
            month, day = int(m.group(2)), m.group(3)
            if 1 <= month <= 12:
                start = m.start(2) if m.group(1) else m.start()
                add("date" if day else "month", (month, int(day)) if day else (month,), start, m.end())
        for m in _CJK_DAY.finditer(text):
            if 1 <= int(m.group(1)) <= 31:
                add("day", (int(m.group(1)),), m.start(), m.end())
        for m in _CJK_WEEKDAY.finditer(text):
            add("weekday", (_CJK_WEEKDAY_KANJI[m.group(1)],), m.start(), m.end())
    if lang == "ko":
        for m in _KO_DATE.finditer(text):
            month, day = int(m.group(1)), m.group(2)
            if 1 <= month <= 12:
                add("date" if day else "month", (month, int(day)) if day else (month,), m.start(), m.end())
    for m in _TIME_CLOCK.finditer(text):
        if _is_time_context(text, m.start(1), m.end(2), lang):
            clock = _clock(int(m.group(1)), int(m.group(2)), m.group(3))
            if clock:
                add("time", clock, m.start(1), m.end())
    for m in _TIME_AMPM.finditer(text):
        clock = _clock(int(m.group(1)), 0, m.group(2))
        if clock:
            add("time", clock, m.start(), m.end())
    patterns = _patterns(lang)
    months = month_names(lang)
    weekdays = weekday_names(lang)

    def month_of(word: str) -> int:
        return months.numbers.get(word.casefold()) or 0

    for m in patterns["day_month"].finditer(text):
        day, month = int(m.group(1)), month_of(m.group(2))
        if month and 1 <= day <= 31:
            add("date", (month, day), m.start(), m.end())
    for m in patterns["month_day"].finditer(text):
        month, day = month_of(m.group(1)), int(m.group(2))
        if month and 1 <= day <= 31 and not (lang == "en" and m.group(1) == "may"):
            add("date", (month, day), m.start(), m.end())
    for m in patterns["month_year"].finditer(text):
        month = month_of(m.group(1))
        if month and not (lang == "en" and m.group(1) == "may"):
            add("month", (month,), m.start(), m.start() + len(m.group(1)))
    for m in patterns["month"].finditer(text):
        word = m.group(1)
        full_name = word.casefold() in months.full
        if lang in ("en", "ms", "id") and not word[:1].isupper() or not full_name:
            continue  # "may", "march", abbreviations: only a (capitalised) full name is a month on its own
        month = month_of(word)
        if month:
            add("month", (month,), m.start(), m.end())
    if lang not in ("zh", "ja"):
        for m in _SLASH_DATE.finditer(text):
            day, month = int(m.group(1)), int(m.group(2))
            if lang == "en" and month > 12 >= day:
                day, month = month, day  # 7/21 in American order
            if 1 <= month <= 12 and 1 <= day <= 31:
                add("date", (month, day), m.start(), m.start() + len(m.group(1)) + 1 + len(m.group(2)))
    for m in patterns["weekday"].finditer(text):
        word = m.group(1)
        if lang in ("id", "ms", "en") and not word[:1].isupper():
            continue  # "minggu" (a week), "may" …: a weekday is capitalised in these languages
        number = weekdays.numbers.get(word.casefold()) or 0
        abbreviated = word.casefold() not in weekdays.full and lang not in ("zh", "ja")
        if abbreviated and not re.match(r"\.?,?\s*\(?(?:[^\W\d_]+\.?\s+)?\d", text[m.end() :]):
            continue  # "Sen", "Sun", "mar.": a short weekday counts only before its date ("Thu, Sept 21")
        if number:
            add("weekday", (number,), m.start(), m.end())
    found.sort(key=lambda d: d.start)
    return found
