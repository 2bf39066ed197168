"""Which language a paragraph is written in: script first, then lingua among many candidates.

A "French" page may be English, Spanish or the Indonesian source, so the
candidates are never only the run's languages: they are always the source
language, English, Malay and the widely published languages
(:data:`ALWAYS`), plus the run's. One detector over that set is built once
per process and cached (measured here: about 250 MB and 2–3 s to load the
models of 18 languages on first use, then well under a millisecond a
paragraph). Scripts decide first where they can: a paragraph of a Japanese
version with kana is Japanese, one of an Arabic version in Arabic letters is
Arabic; lingua decides among the languages that share a script. Malay
counts as Indonesian when the source is Indonesian (the two are too close to
tell apart in a paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from ..text.languages import base_lang

#: below this many letters a text says too little about its language
MIN_LETTERS = 20
#: lingua's confidence needed before a language is believed
MIN_CONFIDENCE = 0.8
#: always candidates, whatever the run's languages
ALWAYS = ("en", "ms", "id", "fr", "zh", "ja", "ar", "es", "pt", "de", "ru", "ko", "vi", "th", "hi", "tr", "it", "nl")

_KANA = (0x3040, 0x30FF)
_HAN = (0x4E00, 0x9FFF)
_HANGUL = (0xAC00, 0xD7AF)
_ARABIC = (0x0600, 0x06FF)
_RANGES = (_KANA, _HAN, _HANGUL, _ARABIC)
_RANGE_PATTERNS = tuple(re.compile(f"[{chr(low)}-{chr(high)}]") for low, high in _RANGES)
#: texts whose lingua confidences are remembered (a paragraph is judged by several rules; versions repeat)
CONFIDENCE_CACHE = 8192


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


@cache
def _detector(langs: tuple[str, ...]) -> tuple[Any, dict[Any, str]] | None:
    known: dict[Any, str] = {}
    for code in langs:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is None:
            continue
        try:
            known[Language.from_iso_code_639_1(iso)] = code
        except ValueError:
            continue
    if len(known) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*known).build(), known


def candidates(langs: Iterable[str]) -> tuple[str, ...]:
    """The languages a paragraph may be found to be in: the run's and :data:`ALWAYS`."""
    return tuple(sorted({base_lang(lang) for lang in langs} | set(ALWAYS)))


def _by_script(text: str, expected: str) -> str | None:
    """A decision from the script alone, where it is unambiguous."""
    letters = "".join(filter(str.isalpha, text))
    total = len(letters) or 1
    kana, han, hangul, arabic = (len(pattern.findall(letters)) / total for pattern in _RANGE_PATTERNS)
    if kana > 0.05:
        return "ja"
    if hangul > 0.3:
        return "ko"
    if arabic > 0.5:
        return expected if expected in ("ar", "fa", "ur") else "ar"
    if han > 0.5:
        return "ja" if expected == "ja" else "zh"
    return None


@lru_cache(maxsize=CONFIDENCE_CACHE)
def _confidences(text: str, langs: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """lingua's confidence values for a text among candidate languages (a pure function, cached)."""
    built = _detector(langs)
    assert built is not None
    detector, codes = built
    return tuple((codes[v.language], float(v.value)) for v in detector.compute_language_confidence_values(text))


def detect(
    texts: Sequence[str],
    langs: Iterable[str],
    expected: str | None = None,
    source_lang: str | None = None,
    *,
    min_letters: int = MIN_LETTERS,
    min_confidence: float = MIN_CONFIDENCE,
) -> list[tuple[str, float] | None]:
    """For each text: (language code, confidence), or None when it is too short or unclear.

    ``expected`` is the language the texts should be in (a version's), ``source_lang`` the source's: Malay
    is reported as the source language when that is Indonesian.
    """
    pool = candidates(langs)
    if _detector(pool) is None:
        return [None] * len(texts)
    expected_base = base_lang(expected) if expected else ""
    out: list[tuple[str, float] | None] = []
    for text in texts:
        if _letters(text) < min_letters:
            out.append(None)
            continue
        script = _by_script(text, expected_base)
        if script is not None:
            out.append((script, 1.0))
            continue
        merged: dict[str, float] = {}
        for code, value in _confidences(text, pool):
            if code == "ms" and source_lang and base_lang(source_lang) == "id":
                code = "id"  # lingua splits its confidence between the two
            merged[code] = merged.get(code, 0.0) + value
        best = max(merged.items(), key=lambda item: item[1], default=None)
        out.append(best if best is not None and best[1] >= min_confidence else None)
    return out
