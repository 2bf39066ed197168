"""Split a text that is longer than a model accepts into pieces that fit: never cut it.

Pieces are cut at the weakest boundary that works: sentence ends first, then
clause punctuation, then white space, then (for unspaced scripts) characters.
Adjacent pieces are packed together again as long as they fit, so a text is
split into as few pieces as possible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_LEVELS = (
    re.compile(r"(?<=[.!?…。！？؟])\s*"),
    re.compile(r"(?<=[,;:，、；：،؛])\s*"),
    re.compile(r"(?<=\s)"),
)


def _pieces_at(text: str, pattern: re.Pattern[str]) -> list[str]:
    parts = [p for p in pattern.split(text) if p]
    return parts if len(parts) > 1 else [text]


def _pack(parts: list[str], fits: Callable[[str], bool]) -> list[str]:
    packed: list[str] = []
    for part in parts:
        if packed and fits(packed[-1] + part):
            packed[-1] += part
        else:
            packed.append(part)
    return packed


def _by_characters(text: str, fits: Callable[[str], bool]) -> list[str]:
    if fits(text) or len(text) <= 1:
        return [text]
    middle = len(text) // 2
    return _by_characters(text[:middle], fits) + _by_characters(text[middle:], fits)


def split_to_fit(text: str, count: Callable[[str], int], limit: int, level: int = 0) -> list[str]:
    """Pieces of ``text``, each with ``count(piece) <= limit``, that join back to the text."""
    if limit < 1:
        raise ValueError("limit must be positive")

    def fits(piece: str) -> bool:
        return count(piece) <= limit

    if fits(text):
        return [text]
    for depth in range(level, len(_LEVELS)):
        parts = _pieces_at(text, _LEVELS[depth])
        if len(parts) > 1:
            out: list[str] = []
            for piece in _pack(parts, fits):
                out.extend(split_to_fit(piece, count, limit, depth + 1) if not fits(piece) else [piece])
            return [p.strip() for p in out if p.strip()]
    return _by_characters(text, fits)


#: one piece of work: (text index, piece index, piece, tokens)
Unit = tuple[int, int, str, int]


def units_that_fit(
    texts: Sequence[str], count_tokens: Callable[[Sequence[str]], list[int]], limit: int
) -> tuple[list[Unit], list[int], int]:
    """Every text as one unit, or as the pieces :func:`split_to_fit` cuts it into, sorted longest first.

    Returns the units, how many pieces each text has, and how many texts were split.
    """
    counts = count_tokens(texts) if texts else []
    units: list[Unit] = []
    pieces_per_text: list[int] = []
    split = 0
    for i, (text, n) in enumerate(zip(texts, counts, strict=True)):
        if n <= limit:
            units.append((i, 0, text, n))
            pieces_per_text.append(1)
            continue
        split += 1
        pieces = split_to_fit(text, lambda piece: count_tokens([piece])[0], limit)
        units.extend((i, k, p, c) for k, (p, c) in enumerate(zip(pieces, count_tokens(pieces), strict=True)))
        pieces_per_text.append(len(pieces))
    units.sort(key=lambda u: (-u[3], u[0], u[1]))
    return units, pieces_per_text, split
