"""Consistency scores with sacrebleu: chrF++ (primary), BLEU and TER.

Sufficient statistics are extracted once per segment pair and reused: segment
scores, paragraph, article and corpus scores (sums of statistics, exactly as
sacrebleu's corpus scores), bootstrap intervals and the matrix all come from
them. sacrebleu's own scoring functions turn statistics into numbers (through
:mod:`backtrans.score.sacrebleu_adapter`, the one module that touches its private
API), so every value equals what ``sacrebleu`` itself reports (tests check
golden values).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Generic, TypeVar

import numpy as np

from ..config import DEFAULT_BOOTSTRAP
from ..text.languages import CJK_LANGS, base_lang
from ..text.segment import join_segments
from ..types import Link, ParagraphScore, Scores, Segment
from .sacrebleu_adapter import Grams, SacrebleuMetrics, bleu_tokenizer, chrf_match_fast, swap_row

__all__ = ["METRICS", "PairStats", "Scorer", "VersionScores", "join_segments", "score_version"]

#: The fixed seed that makes bootstrap intervals reproducible.
BOOTSTRAP_SEED = 12345
#: resample × segment counts drawn at once (bounds the memory of intervals over a large corpus)
BOOTSTRAP_CELLS = 2_000_000
#: bootstrap draws kept for reuse (one per number of rows), each of at most DRAWS_CELLS cells: 26 MB at most
DRAWS_CACHE = 32
DRAWS_CELLS = 100_000
METRICS = ("chrf", "bleu", "ter")


@dataclass(frozen=True)
class PairStats:
    """Statistics of n hypothesis/reference pairs, one row per pair and metric."""

    chrf: np.ndarray
    bleu: np.ndarray
    ter: np.ndarray

    def __len__(self) -> int:
        return int(self.chrf.shape[0])

    @staticmethod
    def concat(parts: Sequence[PairStats]) -> PairStats:
        return PairStats(*(np.concatenate([getattr(p, m) for p in parts]) for m in METRICS))


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A mapping that keeps the ``size`` entries used last (the caches of n-grams and pairs: an
    article's source texts stay while the back-translations of its versions pass through)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class Scorer:
    """The metrics of one source language, with their signatures."""

    #: n-gram sets kept for reuse (the aligner scores each segment against many candidates)
    NGRAM_CACHE_SIZE = 4096
    #: chrF++ rows of (hypothesis, reference) pairs kept for reuse: the aligner scores every link it
    #: chooses among its candidates, and the scores of the links are counted again (an article's worth)
    PAIR_CACHE_SIZE = 8192

    def __init__(self, lang: str, bootstrap: int = DEFAULT_BOOTSTRAP, seed: int = BOOTSTRAP_SEED) -> None:
        self._ngram_cache: Lru[str, tuple[Grams, ...]] = Lru(self.NGRAM_CACHE_SIZE)
        self._pair_cache: Lru[tuple[str, str], list[int]] = Lru(self.PAIR_CACHE_SIZE)
        self._joins: Lru[str, tuple[str, ...]] = Lru(self.NGRAM_CACHE_SIZE)
        self.lang = lang
        self.bootstrap = bootstrap
        self.seed = seed
        self.metrics = SacrebleuMetrics(bleu_tokenizer(base_lang(lang)), asian_support=base_lang(lang) in CJK_LANGS)
        #: pairs whose TER was computed without shifts because they are long (reported as a warning)
        self.long_ter_pairs = 0

    @cached_property
    def signatures(self) -> dict[str, str]:
        return self.metrics.signatures()

    # ---- statistics -------------------------------------------------------------------------

    def stats(self, hypotheses: Sequence[str], references: Sequence[str]) -> PairStats:
        """Statistics of each (hypothesis, reference) pair."""
        if len(hypotheses) != len(references):
            raise ValueError("hypotheses and references differ in number")
        hyps, refs = list(hypotheses), [list(references)]
        if not hyps:
            return PairStats(
                self.chrf_stats([], []),
                np.zeros((0, 2 + 2 * self.metrics.bleu_max_order)),
                np.zeros((0, 2)),
            )
        ter, long = self.metrics.ter_statistics(hyps, refs)
        self.long_ter_pairs += long
        return PairStats(
            self.chrf_stats(hyps, refs[0]),
            np.asarray(self.metrics.bleu_statistics(hyps, refs), dtype=float),
            np.asarray(ter, dtype=float),
        )

    def join(self, texts: Sequence[str]) -> str:
        """Segments joined as the language joins them (:func:`join_segments`). The parts of the texts
        joined here are remembered, so their n-grams are counted from those of the parts (the aligner's
        merged candidates, the matrix's whole documents)."""
        joined = join_segments(texts, self.lang)
        parts = tuple(t.strip() for t in texts if t.strip())
        if len(parts) > 1 and base_lang(self.lang) not in CJK_LANGS:
            self._joins.put(joined, parts)
        return joined

    def _ngrams(self, text: str) -> tuple[Grams, ...]:
        """chrF++'s n-grams of a text (extracted once per text while it is in the cache)."""
        cached = self._ngram_cache.get(text)
        if cached is None:
            parts = self._joins.get(text)
            if parts is not None:
                cached = self.metrics.chrf_grams_joined(parts, [self._ngrams(part) for part in parts])
            if cached is None:
                cached = self.metrics.chrf_grams(text)
            self._ngram_cache.put(text, cached)
        return cached

    def chrf_stats(self, hypotheses: Sequence[str], references: Sequence[str]) -> np.ndarray:
        """chrF++ statistics of each pair (n-grams of repeated texts are extracted once)."""
        width = 3 * self.metrics.chrf_order
        if not hypotheses:
            return np.zeros((0, width))
        rows = [self._chrf_row(hyp, ref) for hyp, ref in zip(hypotheses, references, strict=True)]
        return np.asarray(rows, dtype=float)

    def _chrf_row(self, hyp: str, ref: str) -> list[int]:
        row = self._pair_cache.get((hyp, ref))
        if row is None:
            hyp_grams, ref_grams = self._ngrams(hyp), self._ngrams(ref)
            swapped = self._pair_cache.get((ref, hyp))  # the aligner asks both ways round (merges' parts)
            row = swap_row(swapped, hyp_grams, ref_grams) if swapped else chrf_match_fast(hyp_grams, ref_grams)
            self._pair_cache.put((hyp, ref), row)
        return row

    def chrf_stats_both_ways(self, texts: Sequence[str], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
        """chrF++ statistics of every (i, j) of ``pairs`` and of its swap (j, i), in the order of the
        cells ``(i, j)`` for ``i != j`` row by row, as :meth:`chrf_stats` gives them.

        The matches of an order are the same both ways (a sum of minima); only the totals trade places,
        so each unordered pair is counted once (the matrices of whole texts, where counting is dear).
        """
        grams = [self._ngrams(text) for text in texts]
        rows: dict[tuple[int, int], list[int]] = {}
        for i, j in pairs:
            rows[(i, j)] = chrf_match_fast(grams[i], grams[j])
            rows[(j, i)] = swap_row(rows[(i, j)], grams[j], grams[i])
        cells = [(i, j) for i in range(len(texts)) for j in range(len(texts)) if i != j]
        if not cells:
            return np.zeros((0, 3 * self.metrics.chrf_order))
        return np.asarray([rows[cell] for cell in cells], dtype=float)

    def similarity(self, hypotheses: Sequence[str], references: Sequence[str]) -> list[float]:
        """chrF++ of each pair on a 0–1 scale: what the aligner weighs candidate links by."""
        return [float(v) / 100 for v in self.chrf_rows(self.chrf_stats(hypotheses, references))]

    # ---- scores from statistics -------------------------------------------------------------

    def chrf_from(self, summed: np.ndarray) -> float:
        return self.metrics.chrf_score(_ints(summed))

    def chrf_rows(self, stats: np.ndarray) -> np.ndarray:
        """chrF++ of each row of statistics (vectorised, same formula as sacrebleu)."""
        return _chrf_vector(stats, self.metrics.chrf_order, self.metrics.chrf_beta)

    def segment_scores(self, stats: PairStats) -> list[Scores]:
        """Sentence-level scores: chrF++, BLEU with effective order, TER."""
        chrf = self.chrf_rows(stats.chrf)
        bleu = self.bleu_rows(stats.bleu, sentence=True)
        ter = _ter_vector(stats.ter)
        return [Scores(chrf=float(c), bleu=float(b), ter=float(t)) for c, b, t in zip(chrf, bleu, ter, strict=True)]

    def bleu_rows(self, stats: np.ndarray, sentence: bool = False) -> np.ndarray:
        """BLEU of each row of statistics (vectorised, same formula as sacrebleu)."""
        metric = self.metrics.bleu_metric(sentence)
        if metric.smooth_method != "exp":
            rows = np.atleast_2d(stats)
            return np.array([self.metrics.bleu_score(_ints(r), sentence) for r in rows])
        return _bleu_vector(stats, metric.max_ngram_order, metric.effective_order)

    def metric_rows(self, metric: str, rows: np.ndarray) -> np.ndarray:
        """Corpus-level scores of one metric for each row of summed statistics (resamples, trials)."""
        if metric == "chrf":
            return self.chrf_rows(rows)
        if metric == "bleu":
            return self.bleu_rows(rows)
        if metric == "ter":
            return _ter_vector(rows)
        raise ValueError(f"unknown metric {metric!r}")

    def corpus_scores(self, stats: PairStats, intervals: bool = True) -> Scores:
        """Corpus-level scores of summed statistics, with bootstrap 95% intervals."""
        if len(stats) == 0:
            return Scores(chrf=0.0, bleu=0.0, ter=0.0)
        chrf = self.chrf_from(stats.chrf.sum(axis=0))
        bleu = self.metrics.bleu_score(_ints(stats.bleu.sum(axis=0)))
        ter = float(_ter_vector(stats.ter.sum(axis=0, keepdims=True))[0])
        if not intervals or self.bootstrap < 2 or len(stats) < 2:
            return Scores(chrf=chrf, bleu=bleu, ter=ter)
        chrf_sums, ter_sums, bleu_sums = resampled_sums((stats.chrf, stats.ter, stats.bleu), self.bootstrap, self.seed)
        chrf_bs = self.chrf_rows(chrf_sums)
        ter_bs = _ter_vector(ter_sums)
        bleu_bs = self.bleu_rows(bleu_sums)
        return Scores(
            chrf=chrf,
            bleu=bleu,
            ter=ter,
            chrf_ci=interval(chrf_bs),
            bleu_ci=interval(bleu_bs),
            ter_ci=interval(ter_bs),
        )

    def settings_record(self) -> dict[str, Any]:
        return {"bootstrap": self.bootstrap, "seed": self.seed, "interval": 0.95}


@dataclass(frozen=True)
class VersionScores:
    """The score step's result for one version of one article."""

    stats: PairStats  #: one row per link (omissions and additions included: they count against the corpus score)
    links: tuple[Scores | None, ...]  #: per link; None for 1-0 and 0-1
    paragraphs: tuple[ParagraphScore, ...]
    article: Scores  #: the whole version, with bootstrap intervals


def paragraph_of_links(links: Sequence[Link], source: Sequence[Segment], back: Sequence[Segment]) -> list[int]:
    """The source paragraph each link belongs to (an added segment: the paragraph it follows)."""
    out: list[int] = []
    last = source[0].paragraph if source else 1
    for link in links:
        if link.source:
            last = source[link.source[0]].paragraph
        elif link.back and back[link.back[0]].paragraph == 0:
            last = 0
        out.append(last)
    return out


def score_version(
    source: Sequence[Segment],
    back: Sequence[Segment],
    links: Sequence[Link],
    scorer: Scorer,
    join: Callable[[Sequence[str]], str],
) -> VersionScores:
    """Scores of every aligned pair, of each source paragraph and of the whole version."""
    hyps = [join([back[j].text for j in link.back]) for link in links]
    refs = [join([source[i].text for i in link.source]) for link in links]
    stats = scorer.stats(hyps, refs)
    per_link = scorer.segment_scores(stats)
    link_scores = tuple(
        score if link.kind not in ("1-0", "0-1") else None for score, link in zip(per_link, links, strict=True)
    )
    paragraph_of = paragraph_of_links(links, source, back)
    paragraphs = tuple(
        ParagraphScore(p, scorer.chrf_from(stats.chrf[[k for k, q in enumerate(paragraph_of) if q == p]].sum(axis=0)))
        for p in sorted(set(paragraph_of))
    )
    return VersionScores(stats, link_scores, paragraphs, scorer.corpus_scores(stats))


def resampled_sums(
    matrices: Sequence[np.ndarray], resamples: int, seed: int = BOOTSTRAP_SEED
) -> tuple[np.ndarray, ...]:
    """Bootstrap sums of the rows of each matrix (all with the same rows): ``resamples`` × columns each.

    Each resample draws the n rows with replacement (how often each one is drawn:
    a multinomial row of counts); the same draws serve every matrix, so paired
    statistics stay paired. Counts are drawn in chunks of at most
    ``BOOTSTRAP_CELLS`` cells: the same draws as all at once, in bounded memory.
    """
    n = len(matrices[0])
    parts: list[list[np.ndarray]] = [[] for _ in matrices]
    for counts in _resample_counts(n, resamples, seed):
        for part, matrix in zip(parts, matrices, strict=True):
            part.append(counts @ matrix)
    return tuple(np.concatenate(part) for part in parts)


def _resample_counts(n: int, resamples: int, seed: int) -> Iterator[np.ndarray]:
    """The draws of :func:`resampled_sums` for n rows, chunk by chunk. They depend only on (n, resamples,
    seed), and every version of every article draws them again, so small draws are kept (at most
    :data:`DRAWS_CACHE` of them; most versions have a few dozen rows). Cached or not, the same numbers."""
    if n * resamples <= DRAWS_CELLS:
        yield _counts_once(n, resamples, seed)
        return
    rng = np.random.default_rng(seed)
    chunk = max(1, BOOTSTRAP_CELLS // max(n, 1))
    for start in range(0, resamples, chunk):
        yield rng.multinomial(n, np.full(n, 1.0 / n), size=min(chunk, resamples - start)).astype(float)


@lru_cache(maxsize=DRAWS_CACHE)
def _counts_once(n: int, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=resamples).astype(float)
    counts.flags.writeable = False  # shared by every caller
    return counts


def _ints(row: np.ndarray) -> list[Any]:
    """sacrebleu's formulas expect plain Python numbers (BLEU mutates its lists)."""
    return [int(v) if float(v).is_integer() else float(v) for v in row]


def interval(samples: np.ndarray, coverage: float = 0.95) -> tuple[float, float]:
    """The ``coverage`` interval of bootstrap samples at sacrebleu's order statistics (``estimate_ci``:
    95% reads the 1/40th from each end); every "95% interval" of a report, paired differences included."""
    ordered = np.sort(np.asarray(samples, dtype=float))
    low = int(len(ordered) * (1 - coverage) / 2 + 1e-9)
    return float(ordered[low]), float(ordered[len(ordered) - low - 1])


def _chrf_vector(stats: np.ndarray, order: int, beta: float) -> np.ndarray:
    """sacrebleu's CHRF._compute_f_score (eps_smoothing off) over rows of statistics."""
    stats = np.atleast_2d(np.asarray(stats, dtype=float))
    eps = 1e-16
    factor = beta**2
    n_hyp = stats[:, 0 : 3 * order : 3]
    n_ref = stats[:, 1 : 3 * order : 3]
    n_match = stats[:, 2 : 3 * order : 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(n_hyp > 0, n_match / np.where(n_hyp > 0, n_hyp, 1), eps)
        rec = np.where(n_ref > 0, n_match / np.where(n_ref > 0, n_ref, 1), eps)
    valid = (n_hyp > 0) & (n_ref > 0)
    effective = valid.sum(axis=1)
    avg_prec = np.where(effective > 0, (prec * valid).sum(axis=1) / np.maximum(effective, 1), 0.0)
    avg_rec = np.where(effective > 0, (rec * valid).sum(axis=1) / np.maximum(effective, 1), 0.0)
    denom = factor * avg_prec + avg_rec
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(avg_prec + avg_rec > 0, (1 + factor) * avg_prec * avg_rec / np.where(denom > 0, denom, 1), 0.0)
    return 100 * score


def _bleu_vector(stats: np.ndarray, max_order: int, effective_order: bool) -> np.ndarray:
    """sacrebleu's BLEU.compute_bleu with 'exp' smoothing over rows of statistics."""
    stats = np.atleast_2d(np.asarray(stats, dtype=float))
    sys_len, ref_len = stats[:, 0], stats[:, 1]
    correct = stats[:, 2 : 2 + max_order]
    total = stats[:, 2 + max_order : 2 + 2 * max_order]
    rows = stats.shape[0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bp = np.where(
            sys_len < ref_len, np.where(sys_len > 0, np.exp(1 - ref_len / np.where(sys_len > 0, sys_len, 1)), 0.0), 1.0
        )
        precisions = np.zeros((rows, max_order))
        smooth = np.ones(rows)
        alive = np.ones(rows, dtype=bool)
        eff = np.full(rows, max_order)
        for n in range(max_order):
            alive &= total[:, n] > 0
            if effective_order:
                eff = np.where(alive, n + 1, eff)
            zero = alive & (correct[:, n] == 0)
            smooth = np.where(zero, smooth * 2, smooth)
            safe_total = np.where(total[:, n] > 0, total[:, n], 1)
            value = np.where(correct[:, n] == 0, 100.0 / (smooth * safe_total), 100.0 * correct[:, n] / safe_total)
            precisions[:, n] = np.where(alive, value, 0.0)
        logs = np.where(precisions > 0, np.log(np.where(precisions > 0, precisions, 1)), -9999999999.0)
        used = np.arange(max_order)[None, :] < eff[:, None]
        score = bp * np.exp((logs * used).sum(axis=1) / eff)
    return np.where((correct > 0).any(axis=1), score, 0.0)


def _ter_vector(stats: np.ndarray) -> np.ndarray:
    """sacrebleu's TER._compute_score_from_stats over rows of (edits, reference length)."""
    stats = np.atleast_2d(np.asarray(stats, dtype=float))
    edits, ref_len = stats[:, 0], stats[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ref_len > 0, edits / np.where(ref_len > 0, ref_len, 1), np.where(edits > 0, 1.0, 0.0))
    return 100 * ratio
