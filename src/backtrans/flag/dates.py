"""Dates, times and weekdays in the scripts the newsroom publishes in, as values.

``Kamis (21/7)``, ``Thursday, July 21``, ``jeudi 21 juillet``, ``7月21日（木）``,
``21 يوليو`` and ``21 تموز`` are all the date (7, 21) with the weekday 4;
``pukul 10.30 WIB``, ``10:30 a.m.``, ``10h30`` and ``午前10時30分`` are all the
time 10:30. :mod:`backtrans.flag.numbers` reads these first, so that a day or an
hour is compared as part of its date or time and not as a bare number.
A month or weekday name counts only next to a number (``may``, ``march`` and
``minggu`` are also ordinary words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..text.languages import base_lang

_MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "id": (
        "januari",
        "februari",
        "maret",
        "april",
        "mei",
        "juni",
        "juli",
        "agustus",
        "september",
        "oktober",
        "november",
        "desember",
    ),
    "ms": (
        "januari",
        "februari",
        "mac",
        "april",
        "mei",
        "jun",
        "julai",
        "ogos",
        "september",
        "oktober",
        "november",
        "disember",
    ),
    "en": (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
}
_MONTH_EXTRA: dict[str, dict[str, int]] = {
    "id": {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "agu": 8,
        "agt": 8,
        "ags": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "nov": 11,
        "des": 12,
        "pebruari": 2,
        "nopember": 11,
    },
    "en": {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    },
    "fr": {
        "janv": 1,
        "févr": 2,
        "fevrier": 2,
        "avr": 4,
        "juil": 7,
        "aout": 8,
        "oct": 10,
        "nov": 11,
        "déc": 12,
        "decembre": 12,
    },
    "ar": {
        "إبريل": 4,
        "ابريل": 4,
        "اغسطس": 8,
        "أغسطس": 8,
        "كانون الثاني": 1,
        "شباط": 2,
        "آذار": 3,
        "نيسان": 4,
        "أيار": 5,
        "حزيران": 6,
        "تموز": 7,
        "آب": 8,
        "أيلول": 9,
        "تشرين الأول": 10,
        "تشرين الثاني": 11,
        "كانون الأول": 12,
    },
}
_WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"),
    "ms": ("isnin", "selasa", "rabu", "khamis", "jumaat", "sabtu", "ahad"),
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "zh": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    "ja": ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"),
}
_WEEKDAY_EXTRA: dict[str, dict[str, int]] = {
    "id": {"jum'at": 5, "jum’at": 5, "ahad": 7},
    "zh": {
        "星期天": 7,
        "周一": 1,
        "周二": 2,
        "周三": 3,
        "周四": 4,
        "周五": 5,
        "周六": 6,
        "周日": 7,
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
    "ar": {"الإثنين": 1, "الاربعاء": 3, "الاحد": 7},
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


def _names(lang: str, table: dict[str, tuple[str, ...]], extra: dict[str, dict[str, int]]) -> dict[str, int]:
    names = {name: i + 1 for i, name in enumerate(table.get(lang, ()))}
    names.update(extra.get(lang, {}))
    return names


@cache
def _patterns(lang: str) -> dict[str, re.Pattern[str]]:
    months = _names(lang, _MONTH_NAMES, _MONTH_EXTRA) or _names("en", _MONTH_NAMES, _MONTH_EXTRA)
    month_alt = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    weekdays = _names(lang, _WEEKDAY_NAMES, _WEEKDAY_EXTRA) or _names("en", _WEEKDAY_NAMES, _WEEKDAY_EXTRA)
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
    months = _names(lang, _MONTH_NAMES, _MONTH_EXTRA) or _names("en", _MONTH_NAMES, _MONTH_EXTRA)
    weekdays = _names(lang, _WEEKDAY_NAMES, _WEEKDAY_EXTRA) or _names("en", _WEEKDAY_NAMES, _WEEKDAY_EXTRA)

    def month_of(word: str) -> int:
        return months.get(word.lower()) or months.get(word) or 0

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
        full_name = word.lower() in _MONTH_NAMES.get(lang, _MONTH_NAMES["en"])
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
        number = weekdays.get(word.lower()) or weekdays.get(word) or 0
        if number:
            add("weekday", (number,), m.start(), m.end())
    found.sort(key=lambda d: d.start)
    return found
