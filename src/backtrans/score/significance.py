"""Paired significance tests of two systems scored against the same source segments.

Two runs of the same articles, or two languages of one run, are both scored
against the same source segments, so their difference can be tested on paired
units: **paired bootstrap resampling** (Koehn 2004, Moses'
``bootstrap-hypothesis-difference-significance.pl``) and **approximate
randomization** (Riezler & Maxwell 2005, multeval), as
``sacrebleu.significance`` implements them: the same random draws for the same
seed and number of samples, the same test statistics and the same p-value
formula, computed on sufficient statistics in vectorised blocks instead of one
score at a time. ``tests/test_significance.py`` checks the p-values and
bootstrap scores against sacrebleu's ``PairedTest``.

What sacrebleu does not offer is done here:

* **Pairing on units.** Two alignments may join source segments differently
  (1-1 in one, 2-1 in the other). A *unit* is the smallest group of source
  segments that no link of either alignment crosses; a system's statistics for
  a unit are the sums of its links' statistics there (a sentence the version
  added counts with the unit before it). Corpus scores are sums of statistics,
  so the score over all units equals the run's own corpus score.
* **The interval of the difference.** The paired bootstrap's resampled
  differences B − A give a 95% interval, read at the same order statistics as
  sacrebleu's ``estimate_ci`` (the 1/40th from each end; :func:`backtrans.score.scoring.interval`,
  which every interval of a report uses).
* **Exact randomization on few units.** With n units there are only 2**n ways
  to swap; when that is no more than the trials asked for, every one is
  enumerated once and p is exact.
* **Few units decide nothing.** The paired bootstrap is anti-conservative on
  few units (two systems drawn from one distribution get p < 0.05 in 43% of
  3-unit, 16% of 8-unit and 14% of 16-unit replicates; README, and
  ``tests/test_significance.py``), so an article × language is decided by
  approximate randomization alone (:func:`article_differences`); the bootstrap
  gives its interval. Below :func:`min_units` units even the exact
  randomization test cannot reach p < alpha (the identity and the full swap
  always tie the observed difference: p ≥ 2/2**n), and the verdict says so,
  at every level.

One deliberate departure: a resample or trial whose statistic *equals* the
observed one counts as at least as extreme (``>=``, Phipson & Smyth 2010),
where sacrebleu counts only larger ones (``>``). With ``>`` two identical
systems get p = 1/(N+1), "significant" (the problem reported for multeval in
jhclark/multeval#5), and so do two runs that differ in a single segment; with
``>=`` they get p = 1. Without ties the two rules give the same p.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from ..types import ArticleResult, Difference, LanguagePair, LanguageTests, PairedSettings
from .scoring import METRICS, PairStats, Scorer, interval
from .verdicts import article_settings, verdict

#: resamples × units held in memory at once (the draws are the same whatever the block size)
BLOCK_CELLS = 4_000_000
#: statistics this close to the observed one count as ties (scores run from 0 to 100)
TIE = 1e-9
#: integer sums below this are exact in float32
FLOAT32_EXACT = 2**24
#: products of fewer multiply-adds than this skip BLAS
SMALL_PRODUCT = 4_000_000
#: approximate randomization enumerates every swap of at most this many units (2**16 rows) when trials allow
EXACT_MAX_UNITS = 16


@dataclass(frozen=True)
class Linked:
    """One system on one article: the source segments each of its links covers, and the links' statistics."""

    n_source: int
    sources: tuple[tuple[int, ...], ...]
    stats: PairStats


# ---- units -----------------------------------------------------------------------------------


def common_units(n_source: int, alignments: Sequence[Sequence[tuple[int, ...]]]) -> tuple[int, list[list[int]]]:
    """The units that every alignment respects, and the unit of each link of each alignment.

    Source segments joined by a link of any alignment share a unit. A link with
    no source segment (an added sentence) goes with the unit of the link before
    it (at the start: the one after it).
    """
    parent = list(range(n_source))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for links in alignments:
        for source in links:
            for i in source[1:]:
                parent[root(i)] = root(source[0])
    numbers: dict[int, int] = {}
    unit_of = [numbers.setdefault(root(i), len(numbers)) for i in range(n_source)]
    per_alignment = []
    for links in alignments:
        units: list[int | None] = [unit_of[source[0]] if source else None for source in links]
        last = next((u for u in units if u is not None), 0)
        filled = []
        for unit in units:
            last = unit if unit is not None else last
            filled.append(last)
        per_alignment.append(filled)
    return len(numbers), per_alignment


def unit_stats(stats: PairStats, link_units: Sequence[int], n_units: int) -> PairStats:
    """A system's statistics per unit: the sums of its links' statistics."""
    index = np.asarray(link_units, dtype=int)
    parts = []
    for metric in METRICS:
        rows = getattr(stats, metric)
        summed = np.zeros((n_units, rows.shape[1]))
        np.add.at(summed, index, rows)
        parts.append(summed)
    return PairStats(*parts)


def paired_units(pairs: Sequence[tuple[Linked, Linked]]) -> tuple[PairStats, PairStats]:
    """Both systems' statistics on common units, article after article (a unit never crosses articles)."""
    a_parts, b_parts = [], []
    for a, b in pairs:
        n_units, (a_units, b_units) = common_units(a.n_source, [a.sources, b.sources])
        a_parts.append(unit_stats(a.stats, a_units, n_units))
        b_parts.append(unit_stats(b.stats, b_units, n_units))
    return PairStats.concat(a_parts), PairStats.concat(b_parts)


# ---- the two tests ---------------------------------------------------------------------------


def _blocks(total: int, n: int, multiple: int = 1) -> Iterator[int]:
    """Sizes of the blocks of resamples: at most BLOCK_CELLS cells, a multiple of ``multiple`` rows."""
    rows = max(multiple, (BLOCK_CELLS // max(n, 1)) // multiple * multiple)
    for start in range(0, total, rows):
        yield min(rows, total - start)


Scores = dict[str, tuple[np.ndarray, np.ndarray]]


class _Stacked:
    """The statistics of every metric side by side, so that one matrix product serves all of them.

    Weights × statistics are integer sums; they are computed in float32 (twice
    as fast) when every partial sum stays below 2**24, where float32 is exact.
    """

    def __init__(self, parts: Sequence[np.ndarray], bound: float) -> None:
        self.widths = [part.shape[1] for part in parts]
        self.dtype: type[np.floating[Any]] = np.float32 if bound < FLOAT32_EXACT else np.float64
        self.matrix: np.ndarray = np.hstack(parts).astype(self.dtype)

    def times(self, weights: np.ndarray) -> list[np.ndarray]:
        left = weights.astype(self.dtype)
        if left.size * self.matrix.shape[1] < SMALL_PRODUCT:
            # OpenBLAS's threads cost more than they save on small products (1000×15 @ 15×72: 13 ms
            # against 0.5 ms with einsum on a busy 2-core machine); an article's resamples are small
            product = np.einsum("ij,jk->ik", left, self.matrix).astype(float)
        else:
            product = np.matmul(left, self.matrix).astype(float)
        return np.split(product, np.cumsum(self.widths)[:-1], axis=1)


def _scores(scorer: Scorer, rows: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Corpus scores of rows of summed statistics, one array per metric (rows in METRICS order)."""
    return [scorer.metric_rows(metric, part) for metric, part in zip(METRICS, rows, strict=True)]


def _join(blocks: Sequence[tuple[list[np.ndarray], list[np.ndarray]]]) -> Scores:
    return {
        metric: (np.concatenate([a[k] for a, _ in blocks]), np.concatenate([b[k] for _, b in blocks]))
        for k, metric in enumerate(METRICS)
    }


def bootstrap_scores(a: PairStats, b: PairStats, scorer: Scorer, samples: int, seed: int) -> Scores:
    """Scores of A and B on the same resamples of units: sacrebleu's draws, ``rng.choice(n, (samples, n))``."""
    n = len(a)
    rng = np.random.default_rng(seed)
    parts = [getattr(system, m) for system in (a, b) for m in METRICS]
    stacked = _Stacked(parts, n * max(float(np.abs(p).max(initial=0)) for p in parts))
    blocks = []
    for k in _blocks(samples, n):
        drawn = rng.choice(n, size=(k, n), replace=True)
        counts = np.bincount((drawn + n * np.arange(k)[:, None]).ravel(), minlength=k * n).reshape(k, n)
        summed = stacked.times(counts)
        blocks.append((_scores(scorer, summed[: len(METRICS)]), _scores(scorer, summed[len(METRICS) :])))
    return _join(blocks)


def exact_randomization(n: int, trials: int) -> bool:
    """Whether every one of the 2**n swaps is enumerated instead of drawing ``trials`` at random
    (at most :data:`EXACT_MAX_UNITS` units, so that the swaps fit in one block)."""
    return n <= EXACT_MAX_UNITS and 2**n <= trials


def _every_swap(n: int) -> np.ndarray:
    """The 2**n assignments of n units: row i swaps the units of i's set bits."""
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1) == 1


def randomization_scores(a: PairStats, b: PairStats, scorer: Scorer, trials: int, seed: int) -> Scores:
    """Scores of the two pseudo-systems of each trial: sacrebleu's draws, ``rng.integers(2, (trials, n), bool)``.

    In a trial, pseudo-system A takes A's unit where the draw is true and B's
    where it is false; pseudo-system B the opposite. Blocks are a multiple of 32
    rows so that the boolean draws come out exactly as in one call. When 2**n is
    no more than ``trials`` (:func:`exact_randomization`), the trials are the
    2**n swaps, each once.
    """
    n = len(a)
    rng = np.random.default_rng(seed)
    total_a = [getattr(a, m).sum(axis=0) for m in METRICS]
    total_b = [getattr(b, m).sum(axis=0) for m in METRICS]
    gaps = [getattr(a, m) - getattr(b, m) for m in METRICS]
    stacked = _Stacked(gaps, max(float(np.abs(g).sum(axis=0).max(initial=0)) for g in gaps))
    exact = exact_randomization(n, trials)
    blocks = []
    for k in [2**n] if exact else _blocks(trials, n, multiple=32):
        moved = stacked.times(_every_swap(n) if exact else rng.integers(2, size=(k, n), dtype=bool))
        pseudo_a = [tb + x for tb, x in zip(total_b, moved, strict=True)]
        pseudo_b = [ta - x for ta, x in zip(total_a, moved, strict=True)]
        blocks.append((_scores(scorer, pseudo_a), _scores(scorer, pseudo_b)))
    return _join(blocks)


def p_value(samples: np.ndarray, observed: float, exact: bool = False) -> float:
    """(resamples at least as extreme as the observed statistic + 1) / (resamples + 1); ties count.

    ``exact``: the samples are every assignment (the observed one among them), so p is their share.
    """
    extreme = int(np.sum(samples >= observed - TIE))
    return extreme / len(samples) if exact else (extreme + 1) / (len(samples) + 1)


def paired_differences(
    a: PairStats, b: PairStats, scorer: Scorer, settings: PairedSettings, *, bootstrap_decides: bool = True
) -> tuple[Difference, ...]:
    """B − A for every metric on the same units, with its bootstrap interval and both p-values.

    The verdict needs every test that ran; with ``bootstrap_decides=False``
    (an article × language, :func:`article_differences`) the bootstrap gives the
    interval only and reports no p-value.
    """
    n = len(a)
    with_bs = bool(settings.bootstrap and n)
    with_ar = bool(settings.randomization and n)
    totals = (_totals(a), _totals(b)) if n else (a, b)
    if all(np.array_equal(getattr(a, m), getattr(b, m)) for m in METRICS):
        return known_differences(*totals, scorer, settings, n, bootstrap_decides=bootstrap_decides)
    bs = bootstrap_scores(a, b, scorer, settings.bootstrap, settings.seed) if with_bs else None
    ar = randomization_scores(a, b, scorer, settings.randomization, settings.seed) if with_ar else None
    exact = exact_randomization(n, settings.randomization)
    return differences(*totals, bs, ar, scorer, settings, n, exact=exact, bootstrap_decides=bootstrap_decides)


def _totals(stats: PairStats) -> PairStats:
    return PairStats(*(getattr(stats, m).sum(axis=0, keepdims=True) for m in METRICS))


def known_differences(
    a: PairStats, b: PairStats, scorer: Scorer, settings: PairedSettings, n: int, *, bootstrap_decides: bool = True
) -> tuple[Difference, ...]:
    """Two systems with the same statistics on every one of ``n`` units: every resample and trial would
    give a difference of exactly 0, so the outcome is known without drawing (``a``, ``b``: summed statistics)."""
    score_a = scorer.corpus_scores(a, intervals=False)
    score_b = scorer.corpus_scores(b, intervals=False)
    with_bs = bool(settings.bootstrap and n)
    return tuple(
        Difference(
            metric=m,
            a=float(getattr(score_a, m)),
            b=float(getattr(score_b, m)),
            delta=0.0,
            ci=(0.0, 0.0) if with_bs else None,
            p_bootstrap=1.0 if with_bs and bootstrap_decides else None,
            p_randomization=1.0 if settings.randomization and n else None,
        )
        for m in METRICS
    )


def differences(
    a: PairStats,
    b: PairStats,
    bs: Scores | None,
    ar: Scores | None,
    scorer: Scorer,
    settings: PairedSettings,
    n: int,
    *,
    exact: bool = False,
    bootstrap_decides: bool = True,
) -> tuple[Difference, ...]:
    """B − A per metric on ``n`` units, from the summed statistics of each system (``a``, ``b``) and the
    scores of the resamples (``bs``) and trials (``ar``; ``exact``: every assignment once)."""
    score_a = scorer.corpus_scores(a, intervals=False)
    score_b = scorer.corpus_scores(b, intervals=False)
    out = []
    for metric in METRICS:
        value_a, value_b = float(getattr(score_a, metric)), float(getattr(score_b, metric))
        observed = abs(
            float(scorer.metric_rows(metric, getattr(b, metric).sum(axis=0))[0])
            - float(scorer.metric_rows(metric, getattr(a, metric).sum(axis=0))[0])
        )
        ci = p_bs = p_ar = None
        if bs is not None:
            resampled_a, resampled_b = bs[metric]
            spread = np.abs(resampled_b - resampled_a)
            p_bs = p_value(spread - spread.mean(), observed) if bootstrap_decides else None
            ci = interval(resampled_b - resampled_a, settings.interval)
        if ar is not None:
            pseudo_a, pseudo_b = ar[metric]
            p_ar = p_value(np.abs(pseudo_a - pseudo_b), observed, exact)
        delta = value_b - value_a
        out.append(
            Difference(
                metric=metric,
                a=value_a,
                b=value_b,
                delta=delta,
                ci=ci,
                p_bootstrap=p_bs,
                p_randomization=p_ar,
                verdict=verdict(metric, delta, (p_bs, p_ar), settings.alpha, n),
            )
        )
    return tuple(out)


def article_differences(a: PairStats, b: PairStats, scorer: Scorer, settings: PairedSettings) -> tuple[Difference, ...]:
    """One article × language: approximate randomization decides, the paired bootstrap gives the interval.

    An article has a dozen units, where the bootstrap's p is far too small
    (module docstring); without randomization (``--paired-ar 0``) the rows
    keep their interval and are ``untested``.
    """
    return paired_differences(a, b, scorer, article_settings(settings), bootstrap_decides=False)


# ---- languages of one run --------------------------------------------------------------------


def linked_versions(result: ArticleResult, stats: Mapping[str, PairStats]) -> dict[str, Linked]:
    """Each version of a scored article as :class:`Linked` (its alignment and its links' statistics)."""
    n = len(result.source)
    return {
        v.lang: Linked(n, tuple(link.source for link in v.alignment), stats[v.lang])
        for v in result.versions
        if v.lang in stats
    }


def language_tests(articles: Sequence[Mapping[str, Linked]], scorer: Scorer, settings: PairedSettings) -> LanguageTests:
    """Every pair of languages, tested on the articles that have both (B − A, A before B alphabetically)."""
    langs = sorted({lang for article in articles for lang in article})
    pairs = []
    for lang_a, lang_b in combinations(langs, 2):
        both = [(article[lang_a], article[lang_b]) for article in articles if lang_a in article and lang_b in article]
        if not both:
            continue
        stats_a, stats_b = paired_units(both)
        differences = paired_differences(stats_a, stats_b, scorer, settings)
        pairs.append(LanguagePair(lang_a, lang_b, len(both), len(stats_a), differences))
    return LanguageTests(settings, tuple(pairs))


def run_language_tests(
    scored: Sequence[tuple[ArticleResult, Mapping[str, PairStats]]],
    scorers: Mapping[str, Scorer],
    settings: PairedSettings | None,
) -> LanguageTests | None:
    """The language pairs of a run (None when the tests are off or the sources differ in language)."""
    if settings is None or len(scorers) != 1:
        return None
    (scorer,) = scorers.values()
    return language_tests([linked_versions(result, stats) for result, stats in scored], scorer, settings)
