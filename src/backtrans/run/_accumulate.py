"""Corpus summaries, the corpus matrix and the language tests, accumulated article by article.

Scores are sums of sufficient statistics, so the point values (chrF++, BLEU, TER of each language,
the matrix) are exact at any size. Intervals and paired tests resample, and that needs more than sums:

* **Exact** (the default while the run holds at most :data:`EXACT_LINKS` aligned links): every
  article's statistics are kept and the summaries are computed exactly as :func:`backtrans.pipeline.evaluate`
  does (resampling segments, sacrebleu's draws), so a small run gives the same report.json either way.
  The segments are resampled with the articles ordered by id, not by arrival: the order of the inputs
  changes no interval and no p-value.
* **Streaming** (beyond that): memory stays flat. The intervals resample **articles** with Poisson(1)
  weights (the streaming bootstrap of Hanley & MacGibbon 2006; Chamandy et al. 2012), and the language
  tests resample articles too (paired Poisson bootstrap; approximate randomization swapping whole
  articles). Each article's weights come from a seed made of the run's seed and the article id, so the
  result does not depend on the order or the chunking in which articles arrive (local or Ray), and
  weights × statistics are exact sums of whole numbers. Resampling articles rather than sentences also
  accounts for sentences of one article being alike. The signature records which was used
  (``corpus_resampling``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from itertools import combinations

import numpy as np

from ..config import Settings
from ..score.scoring import BOOTSTRAP_SEED, METRICS, PairStats, Scorer, interval
from ..score.significance import differences, known_differences, run_language_tests
from ..types import ArticleResult, LanguagePair, LanguageSummary, LanguageTests, Matrix, Scores, StageCost
from ._results import ScoredArticle, summarize

#: aligned links held for exact summaries; beyond, the summaries stream
EXACT_LINKS = 100_000
#: articles whose weights are multiplied in one matrix product
BLOCK = 256
SEGMENTS = "segments (exact)"
ARTICLES = "articles, Poisson weights (streaming)"


def _lite(result: ArticleResult) -> ArticleResult:
    """What the summaries need of an article: no texts of pairs, segments or back-translations."""
    versions = tuple(dataclasses.replace(v, segments=(), back=(), pairs=(), paragraphs=()) for v in result.versions)
    return dataclasses.replace(result, versions=versions)


def _article_seed(seed: int, article_id: str) -> np.random.Generator:
    digest = hashlib.sha256(article_id.encode("utf-8")).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])


def _totals(stats: PairStats) -> np.ndarray:
    return np.concatenate([getattr(stats, m).sum(axis=0) for m in METRICS])


def _split(rows: np.ndarray) -> PairStats:
    """Stacked chrF++ | BLEU | TER columns back into :class:`PairStats`."""
    return PairStats(rows[:, :24], rows[:, 24:34], rows[:, 34:36])


class _Resampled:
    """Σ weight × statistics for every resample, fed block by block."""

    def __init__(self, weights: int, width: int) -> None:
        self.sums = np.zeros((weights, width))
        self.pending_w: list[np.ndarray] = []
        self.pending_x: list[np.ndarray] = []

    def add(self, weights: np.ndarray, row: np.ndarray) -> None:
        self.pending_w.append(weights)
        self.pending_x.append(row)
        if len(self.pending_w) >= BLOCK:
            self.flush()

    def flush(self) -> np.ndarray:
        if self.pending_w:
            self.sums += np.stack(self.pending_w, axis=1).astype(float) @ np.stack(self.pending_x)
            self.pending_w, self.pending_x = [], []
        return self.sums


class CorpusSummary:
    """Feed every scored article (:meth:`add`), then :meth:`finish` for summaries, matrix and tests."""

    def __init__(self, settings: Settings, exact_links: int | None = EXACT_LINKS) -> None:
        self.settings = settings
        self.exact_links = exact_links
        self.held: list[ScoredArticle] = []
        self.links = 0
        self.streaming = False
        self.scorers: dict[str, Scorer] = {}
        self.source_langs: set[str] = set()
        # what streaming keeps: per language, sums and resampled sums; per cell of the matrix, sums
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, list[int]] = {}  #: lang → [articles, segments]
        self.routes: dict[str, str] = {}
        self.flags: dict[str, dict[str, int]] = {}
        self.boot: dict[str, _Resampled] = {}
        self.cells: dict[tuple[str, str], np.ndarray] = {}
        self.pairs: dict[tuple[str, str], dict[str, object]] = {}

    def scorer(self, lang: str) -> Scorer:
        return self.scorers.setdefault(lang, Scorer(lang, bootstrap=self.settings.bootstrap))

    def add(self, item: ScoredArticle) -> None:
        self.scorer(item.result.source_lang)
        self.source_langs.add(item.result.source_lang)
        if not self.streaming:
            self.held.append(ScoredArticle(_lite(item.result), item.stats, item.documents))
            self.links += sum(len(s) for s in item.stats.values())
            if self.exact_links is not None and self.links > self.exact_links:
                self.streaming = True
                for held in self.held:
                    self._stream(held)
                self.held = []
            return
        self._stream(ScoredArticle(_lite(item.result), item.stats, item.documents))

    # ---- streaming -----------------------------------------------------------------------------

    def _stream(self, item: ScoredArticle) -> None:
        rng = _article_seed(BOOTSTRAP_SEED, item.result.id)
        boot = rng.poisson(1.0, self.settings.bootstrap) if self.settings.bootstrap >= 2 else None
        totals: dict[str, np.ndarray] = {}
        for version in item.result.versions:
            lang = version.lang
            if lang not in item.stats:
                continue
            total = totals[lang] = _totals(item.stats[lang])
            self.sums[lang] = self.sums.get(lang, 0) + total
            counts = self.counts.setdefault(lang, [0, 0])
            counts[0] += 1
            counts[1] += len(item.stats[lang])
            self.routes.setdefault(lang, version.route.describe())
            flags = self.flags.setdefault(lang, {})
            for flag in version.flags:
                if flag.visible:
                    flags[flag.code] = flags.get(flag.code, 0) + 1
            if boot is not None:
                self.boot.setdefault(lang, _Resampled(len(boot), len(total))).add(boot, total)
        for cell, row in item.documents.items():
            self.cells[cell] = self.cells.get(cell, 0) + row
        paired = self.settings.paired
        if paired is None:
            return
        pair_rng = _article_seed(paired.seed, item.result.id)
        bs = pair_rng.poisson(1.0, paired.bootstrap) if paired.bootstrap else None
        ar = pair_rng.integers(2, size=paired.randomization, dtype=bool) if paired.randomization else None
        for a, b in combinations(sorted(totals), 2):
            state = self.pairs.setdefault((a, b), {"articles": 0, "units": 0, "a": 0, "b": 0, "same": True})
            state["articles"] = int(state["articles"]) + 1  # type: ignore[call-overload]
            state["units"] = int(state["units"]) + 1  # type: ignore[call-overload]
            state["a"] = state["a"] + totals[a]
            state["b"] = state["b"] + totals[b]
            state["same"] = bool(state["same"]) and np.array_equal(totals[a], totals[b])
            both = np.concatenate([totals[a], totals[b]])
            if bs is not None:
                state.setdefault("bs", _Resampled(len(bs), len(both))).add(bs, both)  # type: ignore[attr-defined]
            if ar is not None:
                gap = totals[a] - totals[b]
                state.setdefault("ar", _Resampled(len(ar), len(gap))).add(ar, gap)  # type: ignore[attr-defined]

    # ---- the end -------------------------------------------------------------------------------

    @property
    def method(self) -> str:
        return ARTICLES if self.streaming else SEGMENTS

    def finish(self) -> tuple[tuple[LanguageSummary, ...], Matrix | None, LanguageTests | None]:
        """Language summaries, the corpus matrix and the tests between languages."""
        if not self.streaming:
            # resampled segments are drawn by position: articles in an order of their own (their ids, which
            # are unique in a run), not the order they arrived in, so the same corpus gives the same numbers
            held = sorted(self.held, key=lambda item: item.result.id)
            languages, matrix = summarize(held, self.scorers)
            tests = run_language_tests([(i.result, i.stats) for i in held], self.scorers, self.settings.paired)
            return languages, matrix, tests
        return self._languages(), self._matrix(), self._tests()

    def _one_scorer(self) -> Scorer | None:
        return self.scorers[next(iter(self.source_langs))] if len(self.source_langs) == 1 else None

    def _languages(self) -> tuple[LanguageSummary, ...]:
        scorer = self.scorers[sorted(self.source_langs)[0]]
        out = []
        for lang in sorted(self.sums):
            point = scorer.corpus_scores(_split(self.sums[lang][None, :]), intervals=False)
            scores = point
            if lang in self.boot:
                resampled = _split(self.boot[lang].flush())
                scores = Scores(
                    chrf=point.chrf,
                    bleu=point.bleu,
                    ter=point.ter,
                    **{f"{m}_ci": interval(scorer.metric_rows(m, getattr(resampled, m))) for m in METRICS},
                )
            articles, segments = self.counts[lang]
            flags = dict(sorted(self.flags[lang].items()))
            out.append(LanguageSummary(lang, self.routes[lang], articles, segments, scores, flags))
        return tuple(out)

    def _matrix(self) -> Matrix | None:
        scorer = self._one_scorer()
        if scorer is None:
            return None
        labels = [next(iter(self.source_langs)), *sorted(self.sums)]
        values = [
            [scorer.chrf_from(self.cells[(h, r)]) if h != r and (h, r) in self.cells else None for r in labels]
            for h in labels
        ]
        return Matrix(tuple(labels), tuple(tuple(row) for row in values))

    def _tests(self) -> LanguageTests | None:
        paired, scorer = self.settings.paired, self._one_scorer()
        if paired is None or scorer is None:
            return None
        pairs = []
        for (a, b), state in sorted(self.pairs.items()):
            sum_a, sum_b = _split(np.asarray(state["a"])[None, :]), _split(np.asarray(state["b"])[None, :])
            n = int(state["articles"])  # type: ignore[call-overload]
            if state["same"]:
                found = known_differences(sum_a, sum_b, scorer, paired, n)
            else:
                bs = ar = None
                if "bs" in state:
                    both = state["bs"].flush()  # type: ignore[attr-defined]
                    half = both.shape[1] // 2
                    bs = _scores(scorer, _split(both[:, :half]), _split(both[:, half:]))
                if "ar" in state:
                    moved = _split(state["ar"].flush())  # type: ignore[attr-defined]
                    pseudo_a = _add(sum_b, moved, 1)
                    pseudo_b = _add(sum_a, moved, -1)
                    ar = _scores(scorer, pseudo_a, pseudo_b)
                found = differences(sum_a, sum_b, bs, ar, scorer, paired, n)
            pairs.append(LanguagePair(a, b, n, n, found))
        return LanguageTests(paired, tuple(pairs))


def _add(total: PairStats, moved: PairStats, sign: int) -> PairStats:
    return PairStats(*(getattr(total, m) + sign * getattr(moved, m) for m in METRICS))


def _scores(scorer: Scorer, a: PairStats, b: PairStats) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {m: (scorer.metric_rows(m, getattr(a, m)), scorer.metric_rows(m, getattr(b, m))) for m in METRICS}


def sum_costs(known: dict[str, StageCost], new: Sequence[StageCost]) -> None:
    """Add a chunk's stage costs to the run's (same stage: items, outputs, seconds and loads add up)."""
    for cost in new:
        old = known.get(cost.stage)
        known[cost.stage] = (
            cost
            if old is None
            else dataclasses.replace(
                old,
                items=old.items + cost.items,
                computed=old.computed + cost.computed,
                cached=old.cached + cost.cached,
                seconds=old.seconds + cost.seconds,
                loads=old.loads + cost.loads,
            )
        )
