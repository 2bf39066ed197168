"""Which language a paragraph is written in: lingua, restricted to the run's languages.

lingua ships its models inside the package (no download). Restricting it to
the languages of the run keeps it fast and small and stops Malay from
competing with Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from .languages import base_lang

#: below this many letters a text says too little about its language
MIN_LETTERS = 20
#: lingua's confidence needed before a language is believed
MIN_CONFIDENCE = 0.8


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


@lru_cache(maxsize=16)
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


def detect(texts: Sequence[str], langs: Iterable[str]) -> list[tuple[str, float] | None]:
    """For each text: (language code, confidence), or None when it is too short or unclear."""
    candidates = tuple(sorted({base_lang(lang) for lang in langs}))
    built = _detector(candidates)
    if built is None:
        return [None] * len(texts)
    detector, codes = built
    out: list[tuple[str, float] | None] = []
    for text in texts:
        if _letters(text) < MIN_LETTERS:
            out.append(None)
            continue
        values = detector.compute_language_confidence_values(text)
        if not values:
            out.append(None)
            continue
        top = values[0]
        out.append((codes[top.language], float(top.value)) if top.value >= MIN_CONFIDENCE else None)
    return out
