"""Numbers in text, as values, in every script the newsroom publishes in.

Normalises full-width digits (０-９), Arabic-Indic (٠-٩) and Persian (۰-۹)
digits, each language's thousands and decimal separators ("40.000" in
Indonesian is "40,000" in English and "40 000" in French), scale words
("1,2 triliun" = "1.2 trillion" = "1.2万亿" = "1.2 تريليون"), and cheap number
words of the source language ("tiga kali", "satu miliar"). Month numbers of
CJK dates ("10月") are not counted: the Latin-script source names the month.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .languages import base_lang

_DIGITS = str.maketrans(
    "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬，．",
    "012345678901234567890123456789.,,.",
)
_NUMBER = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*")

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
    "id": {"ribu": 1e3, "juta": 1e6, "miliar": 1e9, "milyar": 1e9, "triliun": 1e12},
    "ms": {"ribu": 1e3, "juta": 1e6, "bilion": 1e9, "trilion": 1e12},
    "en": {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9},
    "fr": {
        "mille": 1e3,
        "million": 1e6,
        "millions": 1e6,
        "milliard": 1e9,
        "milliards": 1e9,
        "billion": 1e12,
        "billions": 1e12,
    },
    "zh": {"千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "万亿": 1e12, "兆": 1e12},
    "ja": {"千": 1e3, "万": 1e4, "億": 1e8, "兆": 1e12},
    "ar": {
        "ألف": 1e3,
        "آلاف": 1e3,
        "الف": 1e3,
        "مليون": 1e6,
        "ملايين": 1e6,
        "مليار": 1e9,
        "مليارات": 1e9,
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
    },
    "fr": {
        "zéro": 0,
        "un": 1,
        "une": 1,
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
_TEENS_ID = re.compile(r"\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan) (belas|puluh|ratus|ribu)\b")


@dataclass(frozen=True)
class Number:
    """A number found in a text: its value (scale applied) and how it was written."""

    value: float
    text: str
    word: bool = False  #: written as a word ("tiga"), not digits


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
    rest = text[end : end + 12]
    stripped = rest.lstrip(" \u00a0")
    skip = len(rest) - len(stripped)
    for word in sorted(scales, key=len, reverse=True):
        if stripped.lower().startswith(word):
            after = stripped[len(word) : len(word) + 1]
            if base_lang(lang) in {"zh", "ja"} or not after.isalpha():
                return scales[word], end + skip + len(word)
    return 1.0, end


def extract_numbers(text: str, lang: str, words: bool = True) -> list[Number]:
    """Every number in ``text`` (values with their scale words applied)."""
    normalized = text.translate(_DIGITS)
    lang_base = base_lang(lang)
    found: list[Number] = []
    for match in _NUMBER.finditer(normalized):
        after = normalized[match.end() : match.end() + 1]
        if lang_base in {"zh", "ja", "ko"} and after == "月":
            continue  # the month of a CJK date
        value = _parse_digits(match.group().rstrip(".,"), lang)
        if value is None:
            continue
        scale, _ = _scale_after(normalized, match.end(), lang)
        found.append(Number(value * scale, match.group()))
    if words and lang_base in _WORDS:
        vocabulary = _WORDS[lang_base]
        lowered = normalized.lower()
        if lang_base == "id":
            for match in _TEENS_ID.finditer(lowered):
                unit = vocabulary[match.group(1)]
                value = {"belas": unit + 10, "puluh": unit * 10, "ratus": unit * 100, "ribu": unit * 1000}[
                    match.group(2)
                ]
                found.append(Number(value, match.group(), word=True))
        for match in re.finditer(r"[^\W\d_]+", lowered):
            token = match.group()
            if token in vocabulary:
                scale, _ = _scale_after(lowered, match.end(), lang)
                found.append(Number(vocabulary[token] * scale, token, word=True))
    return found


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@dataclass(frozen=True)
class NumberCheck:
    missing: tuple[str, ...]  #: digits of the source with no counterpart in the version
    unexpected: tuple[str, ...]  #: digits of the version with no counterpart in the source

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected


def _has_same(value: float, ordered: Sequence[float]) -> bool:
    """Whether a sorted list holds a value :func:`same_value` as ``value`` (a bisect, not a scan)."""
    if not math.isfinite(value):
        return any(same_value(value, other) for other in ordered)
    window = 2e-9 * max(1.0, abs(value))  # wider than isclose's tolerance, then checked exactly
    start = bisect.bisect_left(ordered, value - window)
    end = bisect.bisect_right(ordered, value + window)
    return any(same_value(value, other) for other in ordered[start:end])


def compare_numbers(source: str, source_lang: str, version: str, version_lang: str) -> NumberCheck:
    """Digits of each side must have a counterpart (digits or number words) on the other side."""
    src = extract_numbers(source, source_lang)
    ver = extract_numbers(version, version_lang)
    src_values = sorted(n.value for n in src)
    ver_values = sorted(v.value for v in ver)
    missing = tuple(n.text for n in src if not n.word and not _has_same(n.value, ver_values))
    unexpected = tuple(n.text for n in ver if not n.word and not _has_same(n.value, src_values))
    return NumberCheck(missing, unexpected)
