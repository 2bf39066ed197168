"""Align back-translation segments with source segments (both in the source language).

A monotone dynamic-programming alignment in the manner of Bleualign: candidate
links are scored by chrF++ between the joined back-translation and the joined
source segments, and the alignment maximises the total of link similarities,
each weighted by how many segments it covers. Links may be 1-1, 1-2, 2-1, 2-2,
1-0 (the version omitted a source segment) and 0-1 (it added one). A 1-0 or
0-1 link is worth a small fixed similarity, so a pair is split into an
omission and an addition only when it is less alike than that. A merge must
beat the 1-1 links it replaces by a margin, and each segment inside it must be
found in the other side: an omitted sentence cannot hide inside a 2-1 link,
nor an added one inside a 1-2.

Paragraphs are hard anchors when source and back-translation have the same
paragraphs (the usual case); otherwise the body is aligned as one text within
a diagonal band. The headline (paragraph 0) is aligned on its own when both
sides have one, and left out when the version has none.

The work is bounded: the band is at most :data:`MAX_BAND` segments wide, so
aligning grows linearly with length, and a back-translation whose length
differs from the source's by more than :data:`MAX_LENGTH_RATIO` times is not
aligned at all (every segment counts as omitted or added, and
:attr:`Alignment.refused` says why).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..types import TITLE_PARAGRAPH, Link, Segment

#: (source segments, back segments) a link may cover
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
#: similarity credited to a 1-0 or 0-1 link (per character it covers)
SKIP_SIMILARITY = 0.12
#: merges (2-1, 1-2, 2-2) must beat the 1-1 links they replace by this factor ...
MERGE_DISCOUNT = 0.9
#: ... and every segment inside a merge must be found in the other side at least this well
#: (chrF with the other side as hypothesis), so an omitted or added sentence is not hidden in a merge
MIN_COMPONENT = 0.3
#: half-width of the diagonal band for whole-text alignment (segments), at least ...
MIN_BAND = 6
#: ... and at most: the work of a block grows with its length × this, never with length squared
MAX_BAND = 32
#: rows of the alignment table whose candidates are scored in one batch (bounds memory)
ROWS_PER_BATCH = 16
#: texts whose lengths (characters) differ by more than this factor are not aligned ...
MAX_LENGTH_RATIO = 20.0
#: ... when the longer one has at least this many characters (short texts are cheap to align anyway)
RATIO_MIN_CHARS = 2000

Similarity = Callable[[Sequence[str], Sequence[str]], list[float]]


@dataclass(frozen=True)
class Alignment:
    links: tuple[Link, ...]
    anchored: bool  #: True when paragraphs were used as anchors
    refused: str | None = None  #: why the texts were not aligned (lengths too different), else None


def _band(n: int, m: int) -> int:
    return min(MAX_BAND, max(MIN_BAND, int(0.15 * max(n, m)) + abs(n - m)))


def _band_columns(i: int, n: int, m: int, width: int) -> range:
    """The j of row i with ``|i·m − j·n| ≤ width·max(n, m)`` (the diagonal band), in order."""
    reach = width * max(n, m)
    low = max(0, -((reach - i * m) // n))  # ceil((i·m − reach) / n)
    high = min(m, (i * m + reach) // n)
    return range(low, high + 1)


def _candidates(
    rows: range, source: Sequence[str], back: Sequence[str], join: Callable[[Sequence[str]], str], width: int
) -> tuple[dict[tuple[int, int, int, int], int], dict[tuple[int, int, int, int], list[int]], list[str], list[str]]:
    """Every candidate link of these rows that the DP may use, and the parts of merges, as pairs to score:
    ``candidates[(i, j, a, b)]`` and ``components[...]`` index into (hypotheses, references)."""
    n, m = len(source), len(back)
    candidates: dict[tuple[int, int, int, int], int] = {}
    components: dict[tuple[int, int, int, int], list[int]] = {}
    hyps: list[str] = []
    refs: list[str] = []

    def pair(hyp: str, ref: str) -> int:
        hyps.append(hyp)
        refs.append(ref)
        return len(hyps) - 1

    joined: dict[tuple[int, int, int], str] = {}  # (side, end, count) → the segments joined, once each

    def span(side: int, end: int, count: int) -> str:
        key = (side, end, count)
        if key not in joined:
            joined[key] = join((source, back)[side][end - count : end])
        return joined[key]

    for i in rows:
        for j in _band_columns(i, n, m, width):
            for a, b in MOVES:
                if a and b and i >= a and j >= b and abs((i - a) * m - (j - b) * n) <= width * max(n, m):
                    src_joined, back_joined = span(0, i, a), span(1, j, b)
                    candidates[(i, j, a, b)] = pair(back_joined, src_joined)
                    parts = []
                    if a == 2:
                        parts += [pair(back_joined, source[k]) for k in range(i - a, i)]
                    if b == 2:
                        parts += [pair(src_joined, back[k]) for k in range(j - b, j)]
                    components[(i, j, a, b)] = parts
    return candidates, components, hyps, refs


def align_block(
    source: Sequence[str],
    back: Sequence[str],
    similarity: Similarity,
    join: Callable[[Sequence[str]], str],
    band: int | None = None,
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Best monotone alignment of two sequences; returns (source idx, back idx, similarity) links."""
    n, m = len(source), len(back)
    if n == 0 or m == 0:
        return [((i,), (), 0.0) for i in range(n)] + [((), (j,), 0.0) for j in range(m)]
    width = band if band is not None else _band(n, m)
    src_len = [len(t) for t in source]
    back_len = [len(t) for t in back]
    neg = float("-inf")
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}  # only cells of the band are stored
    back_ptr: dict[tuple[int, int], tuple[int, int]] = {}
    chosen_sim: dict[tuple[int, int], float] = {}
    # rows are scored a few at a time: the candidates of those rows in one batch, so memory stays bounded
    for first in range(0, n + 1, ROWS_PER_BATCH):
        rows = range(first, min(n + 1, first + ROWS_PER_BATCH))
        candidates, components, hyps, refs = _candidates(rows, source, back, join, width)
        sims = similarity(hyps, refs) if hyps else []
        for i in rows:
            for j in _band_columns(i, n, m, width):
                if (i, j) == (0, 0):
                    continue
                for a, b in MOVES:
                    if i < a or j < b or best.get((i - a, j - b), neg) == neg:
                        continue
                    sim = 0.0
                    if a and b:
                        index = candidates.get((i, j, a, b))
                        if index is None:
                            continue
                        if any(sims[c] < MIN_COMPONENT for c in components[(i, j, a, b)]):
                            continue
                        sim = sims[index]
                        gain = sim * (sum(src_len[i - a : i]) + sum(back_len[j - b : j])) / 2
                        if a + b > 2:
                            gain *= MERGE_DISCOUNT
                    else:
                        gain = SKIP_SIMILARITY * (sum(src_len[i - a : i]) + sum(back_len[j - b : j])) / 2
                    total = best[(i - a, j - b)] + gain
                    if total > best.get((i, j), neg):
                        best[(i, j)] = total
                        back_ptr[(i, j)] = (a, b)
                        chosen_sim[(i, j)] = sim
    if best.get((n, m), neg) == neg:  # the band was too narrow (only a band under 1 can be): align without it
        return align_block(source, back, similarity, join, band=max(n, m))
    links: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = back_ptr[(i, j)]
        sim = chosen_sim[(i, j)]
        links.append((tuple(range(i - a, i)), tuple(range(j - b, j)), sim))
        i, j = i - a, j - b
    links.reverse()
    return links


def _refusal(source: Sequence[Segment], back: Sequence[Segment]) -> str | None:
    """Why two texts are not worth aligning (their lengths differ by orders of magnitude), or None."""
    src_chars, back_chars = sum(len(s.text) for s in source), sum(len(s.text) for s in back)
    longer, shorter = max(src_chars, back_chars), min(src_chars, back_chars)
    if not shorter or longer < RATIO_MIN_CHARS or longer <= MAX_LENGTH_RATIO * shorter:
        return None  # (an empty side needs no search: everything is omitted or added anyway)
    return (
        f"the back-translation has {back_chars:,} characters and the source {src_chars:,} "
        f"({longer / shorter:.0f}× apart, more than {MAX_LENGTH_RATIO:g}×); not aligned: every segment counts "
        "as omitted or added; check that the files belong together"
    )


def _groups(segments: Sequence[Segment]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for index, seg in enumerate(segments):
        out.setdefault(seg.paragraph, []).append(index)
    return out


def align(
    source: Sequence[Segment],
    back: Sequence[Segment],
    similarity: Similarity,
    join: Callable[[Sequence[str]], str],
) -> Alignment:
    """Align back-translation segments to source segments; every segment ends up in exactly one link."""
    refused = _refusal(source, back)
    if refused:
        unmatched = [Link((i,), ()) for i in range(len(source))] + [Link((), (j,)) for j in range(len(back))]
        return Alignment(tuple(unmatched), False, refused)
    src_groups, back_groups = _groups(source), _groups(back)
    blocks: list[tuple[list[int], list[int]]] = []
    has_back_title = TITLE_PARAGRAPH in back_groups
    src_title = src_groups.pop(TITLE_PARAGRAPH, [])
    back_title = back_groups.pop(TITLE_PARAGRAPH, [])
    if src_title and has_back_title:
        blocks.append((src_title, back_title))
    elif back_title:
        blocks.append(([], back_title))
    anchored = sorted(src_groups) == sorted(back_groups)
    if anchored:
        blocks.extend((src_groups[p], back_groups[p]) for p in sorted(src_groups))
    else:
        blocks.append(
            (
                [i for p in sorted(src_groups) for i in src_groups[p]],
                [j for p in sorted(back_groups) for j in back_groups[p]],
            )
        )
    links: list[Link] = []
    for src_idx, back_idx in blocks:
        for s_local, b_local, sim in align_block(
            [source[i].text for i in src_idx], [back[j].text for j in back_idx], similarity, join
        ):
            links.append(
                Link(tuple(src_idx[k] for k in s_local), tuple(back_idx[k] for k in b_local), round(sim * 100, 4))
            )
    return Alignment(tuple(links), anchored)
