"""Numbers in text, as values, in every script the newsroom publishes in.

Values, not digit strings, are compared: full-width (０-９), Arabic-Indic (٠-٩)
and Persian (۰-۹) digits; each language's thousands and decimal separators
("40.000" in Indonesian is "40,000" in English and "40 000" in French); scale
words and characters ("1,2 triliun" = "1.2 trillion" = "1.2万亿" = "1兆2000億" =
"1.2 تريليون"); the unit after a number (:mod:`backtrans.flag._units`); Chinese
and Japanese numerals with a counter ("五名"); number words of the source
language ("tiga kali") and Arabic ones with the article ("الاثني عشر");
products such as "1x24 jam".
Dates, times and weekdays are read first by :mod:`backtrans.flag._dates`, so a day
or an hour is compared as part of its date or time. Codes such as "COVID-19"
or "G20" are not numbers. Comparison counts: a number the source has twice
and the version once is missing once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.languages import base_lang
from ._dates import DateMention, find_dates
from ._units import Unit, unit_after

_DIGITS = str.maketrans(
    "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬，．％：",
    "012345678901234567890123456789.,,.%:",
)
#: a space joins digit groups only after a first group of 1–3 digits ("40 000", not "2024 100")
_SPACE_GROUP = r"(?:(?<=(?<!\d)\d)|(?<=(?<!\d)\d\d)|(?<=(?<!\d)\d\d\d))[ \u00a0\u202f](?=\d{3}(?!\d))"
_NUMBER = re.compile(rf"(?<!\d)(?<!\d[.,])\d+(?:(?:[.,](?=\d)|{_SPACE_GROUP})\d+)*")
#: digits after a letter and a hyphen, or glued to a Latin letter, are a code (COVID-19, كوفيد-19, G20, A320);
#: not after a currency or magnitude sign (Rp1,2, M5,8), an Indonesian ordinal (ke-14) or before a year (OP2023)
_CODE = re.compile(r"(?:[^\W\d_]-|[A-Za-z])$")
_CURRENCY_PREFIX = re.compile(r"(?:Rp|RP|IDR|USD|US\$|S\$|RM|EUR|(?<![A-Za-z])M)\.?\s?$")  # M5,8: a magnitude
_PRODUCT = re.compile(r"(?<![\d.,])(\d+)\s*[x×]\s*(\d+)(?![\d.,])")

#: (decimal separator, thousands separators) by language; unknown languages use English's
_SEPARATORS: dict[str, tuple[str, str]] = {
    "en": (".", ","),
    "zh": (".", ","),
    "ja": (".", ","),
    "ko": (".", ","),
    "th": (".", ","),
    "ar": (".", ","),
    "ms": (".", ","),
    "id": (",", ". \u00a0"),
    "de": (",", ". \u00a0"),
    "nl": (",", ". \u00a0"),
    "es": (",", ". \u00a0"),
    "it": (",", ". \u00a0"),
    "pt": (",", ". \u00a0"),
    "vi": (",", ". \u00a0"),
    "fr": (",", " \u00a0\u202f."),
    "ru": (",", " \u00a0\u202f"),
}

_SCALES: dict[str, dict[str, float]] = {
    "id": {"ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "milyar": 1e9, "triliun": 1e12, "t": 1e12},
    "ms": {"ribu": 1e3, "juta": 1e6, "bilion": 1e9, "trilion": 1e12},
    "en": {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6},
    "fr": {
        "mille": 1e3,
        "million": 1e6,
        "millions": 1e6,
        "milliard": 1e9,
        "milliards": 1e9,
        "billion": 1e12,
        "billions": 1e12,
    },
    "zh": {"千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "万亿": 1e12, "兆": 1e12},  # but 兆瓦 is MW
    "ja": {"千": 1e3, "万": 1e4, "億": 1e8, "兆": 1e12},
    "ar": {
        "ألف": 1e3,
        "آلاف": 1e3,
        "الف": 1e3,
        "ألفا": 1e3,
        "مليون": 1e6,
        "ملايين": 1e6,
        "مليار": 1e9,
        "مليارات": 1e9,
        "بليون": 1e9,
        "تريليون": 1e12,
    },
}

_WORDS: dict[str, dict[str, float]] = {
    "id": {
        "nol": 0,
        "satu": 1,
        "dua": 2,
        "tiga": 3,
        "empat": 4,
        "lima": 5,
        "enam": 6,
        "tujuh": 7,
        "delapan": 8,
        "sembilan": 9,
        "sepuluh": 10,
        "sebelas": 11,
        "seratus": 100,
        "seribu": 1000,
        "sejuta": 1e6,
        "semiliar": 1e9,
        "setengah": 0.5,
    },
    "en": {
        "zero": 0,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "twenty": 20,
        "hundred": 100,
        "dozen": 12,
        "half": 0.5,
    },
    # "un"/"une" are also the indefinite article: they never stand for a source "1"
    "fr": {
        "zéro": 0,
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "vingt": 20,
        "cent": 100,
        "douzaine": 12,
    },
    "ar": {
        "واحد": 1,
        "اثنان": 2,
        "اثنين": 2,
        "ثلاث": 3,
        "ثلاثة": 3,
        "أربع": 4,
        "أربعة": 4,
        "خمس": 5,
        "خمسة": 5,
        "ست": 6,
        "ستة": 6,
        "سبع": 7,
        "سبعة": 7,
        "ثماني": 8,
        "ثمانية": 8,
        "تسع": 9,
        "تسعة": 9,
        "عشر": 10,
        "عشرة": 10,
    },
}
_TENS_FR = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_UNITS_FR = {
    "et-un": 1,
    "un": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
}
_COMPOUND_FR = re.compile(
    r"\b(vingt|trente|quarante|cinquante|soixante)-(et-un|un|deux|trois|quatre|cinq|six|sept|huit|neuf)\b"
)
#: Indonesian ordinals and collectives: "ketiga" (third; the three), "keduanya" (both)
_ORDINAL_ID = re.compile(r"\bke(dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)(?:nya)?\b")
#: a Roman numeral after a capitalised word: "Komisi I", "Kodam IV", "Anggota VII"
_ROMAN = re.compile(r"\b[A-Z][a-z]+ (X{0,2}(?:IX|IV|V?I{0,3}))\b(?!['’.-])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
#: the Arabic definite article and the clitics before it, which a number word takes as an adjective: "مراكز
#: الاقتراع الاثني عشر" (the twelve polling stations), "الأشهر التسعة" (the nine months), "وبالثلاثة"
_ARTICLE_AR = r"(?:[وف]?(?:ال|بال|لل))?"
_TEENS_AR = re.compile(
    rf"(?<![^\W\d_]){_ARTICLE_AR}(واحد|أحد|إحدى|احدى|اثنا|اثني|اثنتا|اثنتي|ثلاثة|ثلاث|أربعة|أربع|خمسة|خمس|ستة|ست|سبعة|سبع|ثمانية|ثماني|تسعة|تسع)\s+(?:عشر|عشرة)(?![^\W\d_])"
)
_TEENS_ID = re.compile(r"\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan) (belas|puluh|ratus|ribu)\b")
#: "1株当たり", "1人あたり" (per share, per person): a rate, not a count
_PER_UNIT = re.compile(r"(?<!\d)1(?=(?:株|人|日|件|台|世帯|戸|個|キロ|トン)?(?:当たり|あたり))")
_CJK_NUMERAL_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}
#: Chinese/Japanese numerals count only before a counter (一些, 统一, 一直 are no numbers)
_CJK_NUMERAL = re.compile(
    r"(?<![一二三四五六七八九十百千万亿億〇零两兩第])([〇零一二两兩三四五六七八九十百千]+)"
    r"(?=名|人|个|個|次|起|家|所|座|辆|輛|艘|架|天|年|岁|歳|倍|项|項|条|條|位|户|戸|栋|棟|间|間|件|回|つ|カ所|か所|ヶ所|台|隻|機|例|周|週|小时|時間|分钟|公里|キロ)"
)


@dataclass(frozen=True)
class Number:
    """A quantity found in a text: its value and how it was written.

    ``kind`` is ``"number"`` (scale applied), or a date kind from :mod:`backtrans.flag._dates`
    (``"date"``, ``"day"``, ``"month"``, ``"time"``, ``"weekday"``) whose ``value`` packs the tuple.
    """

    value: float
    text: str
    word: bool = False  #: written as a word ("tiga", "五"), not digits
    kind: str = "number"
    unit: Unit | None = None  #: the unit written after it ("basis poin", "km", "%"), from :mod:`._units`

    @property
    def shown(self) -> str:
        """The number as a message quotes it: with its unit."""
        return f"{self.text} {self.unit.text}" if self.unit is not None else self.text


def _parse_digits(raw: str, lang: str) -> float | None:
    decimal, groups = _SEPARATORS.get(base_lang(lang), _SEPARATORS["en"])
    parts = re.split(r"([.,\s\u00a0\u202f])", raw)
    numbers, seps = parts[0::2], parts[1::2]
    if not seps:
        return float(raw)
    # thousands grouping is valid only with groups of exactly three digits after the first
    grouped = all(s in groups for s in seps) and all(len(n) == 3 for n in numbers[1:])
    if grouped:
        return float("".join(numbers))
    if len(seps) == 1:
        sep = seps[0]
        if sep == decimal or sep in ".,":
            return float(f"{numbers[0]}.{numbers[1]}")
    # grouping followed by one decimal separator: "1.234,5" (id) or "1,234.5" (en)
    if seps[-1] == decimal and all(s in groups for s in seps[:-1]) and all(len(n) == 3 for n in numbers[1:-1]):
        return float("".join(numbers[:-1]) + "." + numbers[-1])
    return None


def _scale_after(text: str, end: int, lang: str) -> tuple[float, int]:
    scales = _SCALES.get(base_lang(lang))
    if not scales:
        return 1.0, end
    rest = text[end : end + 14]
    stripped = rest.lstrip(" \u00a0")
    skip = len(rest) - len(stripped)
    for word in sorted(scales, key=len, reverse=True):
        if stripped.lower().startswith(word):
            after = stripped[len(word) : len(word) + 1]
            if after in ("瓦", "赫", "字"):
                continue  # 兆瓦 megawatt, 千瓦 kilowatt, 兆赫 megahertz, 千字: units, not scales
            if base_lang(lang) in {"zh", "ja"} or not after.isalpha():
                if len(word) == 1 and word.isascii() and (skip or not after or after.isalpha()):
                    continue  # a lone "T"/"t" counts only glued to the number ("Rp1,2T")
                return scales[word], end + skip + len(word)
    return 1.0, end


def _cjk_numeral(text: str) -> float | None:
    """二十五 → 25, 三千 → 3000, 两 → 2, 一二 → None (not a numeral)."""
    total, current = 0.0, None
    for ch in text:
        if ch in _CJK_NUMERAL_DIGITS:
            if current is not None:
                return None  # two digits in a row are not how numerals are written
            current = _CJK_NUMERAL_DIGITS[ch]
        else:
            total += (current if current is not None else 1) * _CJK_NUMERAL_UNITS[ch]
            current = None
    return total + (current or 0)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for k in range(start, end):
            chars[k] = " "
    return "".join(chars)


def _date_numbers(mentions: list[DateMention]) -> list[Number]:
    out = []
    for m in mentions:
        packed = float(sum(v * 100**i for i, v in enumerate(reversed(m.value))))
        out.append(Number(packed, m.text, kind=m.kind))
    return out


def extract_numbers(text: str, lang: str, words: bool = True) -> list[Number]:
    """Every quantity in ``text``: dates, times and weekdays first, then numbers (scale words applied)."""
    return list(_numbers_of(text, lang, words))


@lru_cache(maxsize=8192)
def _numbers_of(text: str, lang: str, words: bool) -> tuple[Number, ...]:
    """:func:`extract_numbers`, remembered per text (a source paragraph is compared with every version)."""
    return tuple(_extract_numbers(text, lang, words))


def _extract_numbers(text: str, lang: str, words: bool = True) -> list[Number]:
    normalized = text.translate(_DIGITS)
    lang_base = base_lang(lang)
    normalized = _PER_UNIT.sub(lambda m: " " * len(m.group()), normalized)
    mentions = find_dates(normalized, lang)
    found = _date_numbers(mentions)
    rest = _masked(normalized, [(m.start, m.end) for m in mentions])
    for match in _PRODUCT.finditer(rest):
        found.append(Number(float(int(match.group(1)) * int(match.group(2))), match.group()))
    rest = _masked(rest, [m.span() for m in _PRODUCT.finditer(rest)])
    position = 0
    for match in _NUMBER.finditer(rest):
        if match.start() < position:
            continue
        before = rest[max(0, match.start() - 5) : match.start()]
        year_like = re.fullmatch(r"(?:19|20)\d\d", match.group()) is not None and not before.endswith("-")
        if _CODE.search(before) and not (
            _CURRENCY_PREFIX.search(before) or before.lower().endswith("ke-") or year_like
        ):
            continue  # COVID-19, G20
        raw = match.group().rstrip(".,")
        value = _parse_digits(raw, lang)
        if value is None:
            continue
        scale, end = _scale_after(rest, match.end(), lang)
        value *= scale
        if lang_base in ("zh", "ja") and scale >= 1e4:
            # 1兆2000億, 3万1610: smaller parts follow the larger one
            while True:
                tail = re.match(r"\d+(?:\.\d+)?", rest[end:])
                if not tail:
                    break
                part_scale, part_end = _scale_after(rest, end + tail.end(), lang)
                if part_scale >= scale:
                    break
                value += float(tail.group()) * part_scale
                end = part_end
                if part_scale == 1.0:
                    break
        text = rest[match.start() : end].strip()
        measured, end = unit_after(rest, end, lang)
        position = end
        found.append(Number(value, text, unit=measured))
    if lang_base in ("zh", "ja"):
        for match in _CJK_NUMERAL.finditer(rest):
            numeral = _cjk_numeral(match.group(1))
            if numeral is not None:
                found.append(Number(numeral, match.group(1), word=True))
    if words:
        found.extend(Number(_roman(m.group(1)), m.group(1), word=True) for m in _ROMAN.finditer(rest) if m.group(1))
    if words and lang_base in _WORDS:
        vocabulary = _WORDS[lang_base]
        lowered = rest.lower()
        if lang_base == "id":
            for match in _TEENS_ID.finditer(lowered):
                unit = vocabulary[match.group(1)]
                value = {"belas": unit + 10, "puluh": unit * 10, "ratus": unit * 100, "ribu": unit * 1000}[
                    match.group(2)
                ]
                found.append(Number(value, match.group(), word=True))
            lowered = _TEENS_ID.sub(" ", lowered)  # "lima puluh" is 50, not also 5
        if lang_base == "ar":
            teens = {"أحد": 1, "إحدى": 1, "احدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
            for match in _TEENS_AR.finditer(lowered):
                unit = teens.get(match.group(1), vocabulary.get(match.group(1), 0))
                found.append(Number(unit + 10, match.group(), word=True))
            lowered = _TEENS_AR.sub(" ", lowered)
        if lang_base == "fr":
            for match in _COMPOUND_FR.finditer(lowered):
                found.append(Number(_TENS_FR[match.group(1)] + _UNITS_FR[match.group(2)], match.group(), word=True))
            lowered = _COMPOUND_FR.sub(" ", lowered)
        if lang_base == "id":
            for match in _ORDINAL_ID.finditer(lowered):
                unit = 10 if match.group(1) == "sepuluh" else vocabulary[match.group(1)]
                found.append(Number(unit, match.group(), word=True))
        for match in re.finditer(r"[^\W\d_]+", lowered):
            token = match.group()
            if lang_base == "ar" and token not in vocabulary:
                token = re.sub(f"^{_ARTICLE_AR}", "", token)
            if token in vocabulary:
                scale, _ = _scale_after(lowered, match.end(), lang)
                found.append(Number(vocabulary[token] * scale, match.group(), word=True))
    return found


def number_words(lang: str) -> frozenset[str]:
    """The cardinal number words of a language ("dua", "two", "deux")."""
    return frozenset(_WORDS.get(base_lang(lang), {}))


def _roman(text: str) -> int:
    total = 0
    for k, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        total += -value if k + 1 < len(text) and _ROMAN_VALUES[text[k + 1]] > value else value
    return total
