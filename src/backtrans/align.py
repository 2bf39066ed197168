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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .types import TITLE_PARAGRAPH, Link, Segment

#: (source segments, back segments) a link may cover
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
#: similarity credited to a 1-0 or 0-1 link (per character it covers)
SKIP_SIMILARITY = 0.12
#: merges (2-1, 1-2, 2-2) must beat the 1-1 links they replace by this factor ...
MERGE_DISCOUNT = 0.9
#: ... and every segment inside a merge must be found in the other side at least this well
#: (chrF with the other side as hypothesis), so an omitted or added sentence is not hidden in a merge
MIN_COMPONENT = 0.3
#: half-width of the diagonal band for whole-text alignment (segments), at least
MIN_BAND = 6

Similarity = Callable[[Sequence[str], Sequence[str]], list[float]]


@dataclass(frozen=True)
class Alignment:
    links: tuple[Link, ...]
    anchored: bool  #: True when paragraphs were used as anchors


def _band(n: int, m: int) -> int:
    return max(MIN_BAND, int(0.15 * max(n, m)) + abs(n - m))


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

    def in_band(i: int, j: int) -> bool:
        return abs(i * m - j * n) <= width * max(n, m)

    # every candidate link that the DP may use, and the parts of merges, scored in one batch
    candidates: dict[tuple[int, int, int, int], int] = {}
    components: dict[tuple[int, int, int, int], list[int]] = {}
    hyps: list[str] = []
    refs: list[str] = []

    def pair(hyp: str, ref: str) -> int:
        hyps.append(hyp)
        refs.append(ref)
        return len(hyps) - 1

    for i in range(n + 1):
        for j in range(m + 1):
            if not in_band(i, j):
                continue
            for a, b in MOVES:
                if a and b and i >= a and j >= b and in_band(i - a, j - b):
                    src_joined, back_joined = join(source[i - a : i]), join(back[j - b : j])
                    candidates[(i, j, a, b)] = pair(back_joined, src_joined)
                    parts = []
                    if a == 2:
                        parts += [pair(back_joined, source[k]) for k in range(i - a, i)]
                    if b == 2:
                        parts += [pair(src_joined, back[k]) for k in range(j - b, j)]
                    components[(i, j, a, b)] = parts
    sims = similarity(hyps, refs) if hyps else []
    src_len = [len(t) for t in source]
    back_len = [len(t) for t in back]
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back_ptr: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) == (0, 0) or not in_band(i, j):
                continue
            for a, b in MOVES:
                if i < a or j < b or best[i - a][j - b] == neg:
                    continue
                if a and b:
                    index = candidates.get((i, j, a, b))
                    if index is None:
                        continue
                    if any(sims[c] < MIN_COMPONENT for c in components[(i, j, a, b)]):
                        continue
                    gain = sims[index] * (sum(src_len[i - a : i]) + sum(back_len[j - b : j])) / 2
                    if a + b > 2:
                        gain *= MERGE_DISCOUNT
                else:
                    gain = SKIP_SIMILARITY * (sum(src_len[i - a : i]) + sum(back_len[j - b : j])) / 2
                total = best[i - a][j - b] + gain
                if total > best[i][j]:
                    best[i][j] = total
                    back_ptr[i][j] = (a, b)
    if best[n][m] == neg:  # the band was too narrow: align without it
        return align_block(source, back, similarity, join, band=max(n, m))
    links: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        move = back_ptr[i][j]
        assert move is not None
        a, b = move
        sim = sims[candidates[(i, j, a, b)]] if a and b else 0.0
        links.append((tuple(range(i - a, i)), tuple(range(j - b, j)), sim))
        i, j = i - a, j - b
    links.reverse()
    return links


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
