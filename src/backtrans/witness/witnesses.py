"""The witnesses besides chrF++: cross-lingual semantic similarity and the source's own round trip.

After alignment, for every aligned pair:

* **direct** = cosine(source, version): a multilingual sentence encoder compares
  the two texts across languages, with no round trip at all;
* **back** = cosine(source, back-translation);
* **floor** = chrF++ of the source's own round trip through this version's
  route (``--calibrate``), and **floor_back** its cosine with the source;
* **excess drift** = floor − the pair's chrF++ (and floor_back − back): what
  this version lost beyond what the route loses anyway.

Every text of the run is embedded in one pass (one model load, length-sorted
batches, the cache). Means per paragraph, version and language come with
bootstrap 95% intervals (the same seed and resample count as chrF++'s); floors
per version and language are chrF++ of summed statistics, like every score.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..config import Settings
from ..flag import VersionView
from ..flag.common import robust
from ..score.scoring import BOOTSTRAP_SEED, Scorer, interval, paragraph_of_links, resampled_sums
from ..text.segment import join_segments, segment_document
from ..translate.backtranslate import Prepared
from ..translate.calibration import Calibration
from ..types import (
    Article,
    Estimate,
    LanguageSummary,
    LanguageWitness,
    Link,
    ModelInfo,
    PairWitness,
    ParagraphWitness,
    Scores,
    Segment,
    StageCost,
    VersionResult,
    VersionWitness,
)
from .embedding import Embedder, open_embedding_cache


@dataclass
class Evidence:
    """The per-link witnesses of one version (None where a link has no such number)."""

    direct: list[float | None]
    back: list[float | None]
    floor_back: list[float | None]
    floor: list[float | None]  #: chrF++ of the round trip of the link's source segments
    floor_stats: list[np.ndarray | None]  #: their chrF++ statistics (summed for paragraph, version, language)
    round_trip: tuple[str, ...] = ()


def mean_estimate(values: Sequence[float], resamples: int, seed: int) -> Estimate | None:
    """The mean with a bootstrap 95% interval (none with fewer than two values or no resampling)."""
    if not values:
        return None
    array = np.asarray(values, dtype=float)
    mean = float(array.mean())
    if resamples < 2 or len(array) < 2:
        return Estimate(mean, None, len(array))
    (samples,) = resampled_sums((array,), resamples, seed)
    samples = samples / len(array)
    return Estimate(mean, interval(samples), len(array))


def chrf_estimate(scorer: Scorer, rows: Sequence[np.ndarray]) -> Scores | None:
    """chrF++ of summed statistics with a bootstrap 95% interval, as the scorer computes corpus scores."""
    if not rows:
        return None
    stats = np.vstack(rows)
    value = scorer.chrf_from(stats.sum(axis=0))
    if scorer.bootstrap < 2 or len(stats) < 2:
        return Scores(chrf=value)
    (sums,) = resampled_sums((stats,), scorer.bootstrap, scorer.seed)
    samples = scorer.chrf_rows(sums)
    return Scores(chrf=value, chrf_ci=interval(samples))


def _cosine(vectors: Mapping[str, np.ndarray], a: str, b: str) -> float | None:
    if not a or not b or a not in vectors or b not in vectors:
        return None
    return float(np.clip(np.dot(vectors[a], vectors[b]), -1.0, 1.0))


@dataclass
class Witnesses:
    """The witnesses of one run: per-link evidence, per-language references, and the accumulators of summaries."""

    settings: Settings
    evidence: dict[tuple[str, str], Evidence]
    encoder: ModelInfo | None = None
    record: dict[str, Any] = field(default_factory=dict)
    costs: tuple[StageCost, ...] = ()
    _direct: dict[str, list[tuple[str, list[float]]]] = field(default_factory=dict)
    _back: dict[str, list[tuple[str, list[float]]]] = field(default_factory=dict)
    _floor_back: dict[str, list[tuple[str, list[float]]]] = field(default_factory=dict)
    _floor_rows: dict[str, list[tuple[str, list[np.ndarray]]]] = field(default_factory=dict)
    _references: dict[str, tuple[float, float] | None] = field(default_factory=dict)

    @classmethod
    def compute(
        cls,
        versions: Sequence[tuple[Article, Prepared, Sequence[Link]]],
        settings: Settings,
        scorers: Mapping[str, Scorer],
        embedder: Embedder | None = None,
        calibration: Calibration | None = None,
        sources: Mapping[str, Sequence[Segment]] | None = None,
    ) -> Witnesses:
        """Every pair's similarities (one embedding pass over the run) and noise floors (``calibration``:
        the round trips the run planned, recorded in the signature; ``sources``: the articles' segments)."""
        texts: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
        round_trips: dict[tuple[str, str], tuple[str, ...]] = {}
        segmented: dict[str, Sequence[Segment]] = dict(sources or {})
        source_lang: dict[str, str] = {}
        for article, item, links in versions:
            lang = source_lang.setdefault(article.id, article.source_lang)
            if article.id not in segmented:
                segmented[article.id] = segment_document(article.source)
            source = segmented[article.id]
            trip: tuple[str, ...] = item.round_trip or ()
            view = VersionView(item.lang, item.segments, item.back, item.origin, tuple(links), ())

            def join(parts: Sequence[str], lang: str = lang) -> str:
                return join_segments(parts, lang)

            texts[(article.id, item.lang)] = [
                (
                    join([source[i].text for i in link.source]),
                    join_segments([item.segments[i].text for i in view.version_indices(link)], item.lang),
                    view.back_text(link, join),
                    join([trip[i] for i in link.source]) if trip else "",
                )
                for link in links
            ]
            if item.round_trip is not None:
                round_trips[(article.id, item.lang)] = item.round_trip
        vectors: dict[str, np.ndarray] = {}
        costs: tuple[StageCost, ...] = ()
        record: dict[str, Any] = {}
        if embedder is not None:
            cache = open_embedding_cache(settings)
            try:
                wanted = (t for rows in texts.values() for row in rows for t in row if t)
                vectors, run = embedder.embed(wanted, cache)
            finally:
                cache.close()
            costs = (run.cost(),)
            record["semantic"] = embedder.record()
        evidence = {}
        for (article_id, lang), rows in texts.items():
            scorer = scorers[source_lang[article_id]]
            known = round_trips.get((article_id, lang))
            stats = scorer.chrf_stats([r[3] for r in rows], [r[0] for r in rows]) if known is not None else None
            floors = [float(v) for v in scorer.chrf_rows(stats)] if stats is not None and len(stats) else []
            usable = [known is not None and bool(r[0]) for r in rows]
            evidence[(article_id, lang)] = Evidence(
                direct=[_cosine(vectors, r[0], r[1]) for r in rows],
                back=[_cosine(vectors, r[0], r[2]) for r in rows],
                floor_back=[_cosine(vectors, r[0], r[3]) for r in rows],
                floor=[float(floors[k]) if usable[k] else None for k in range(len(rows))],
                floor_stats=[stats[k] if stats is not None and usable[k] else None for k in range(len(rows))],
                round_trip=known or (),
            )
        if settings.calibrate:
            record["calibration"] = calibration.record() if calibration is not None else {"round_trips": {}}
        return cls(settings, evidence, embedder.info if embedder else None, record, costs)

    def reference(self, lang: str) -> tuple[float, float] | None:
        """Median and robust spread of the direct similarities of one language over the whole run."""
        if lang in self._references:
            return self._references[lang]
        values = [v for (_, other), ev in self.evidence.items() if other == lang for v in ev.direct if v is not None]
        spread = self.settings.thresholds.semantic_min_spread
        self._references[lang] = robust(values, spread) if len(values) >= 5 else None
        return self._references[lang]

    def view_fields(self, article_id: str, lang: str) -> dict[str, Any]:
        """The witness fields of a :class:`~backtrans.flag.VersionView`."""
        ev = self.evidence.get((article_id, lang))
        if ev is None:
            return {}
        return {"direct": tuple(ev.direct), "floor": tuple(ev.floor), "direct_reference": self.reference(lang)}

    def attach(
        self, article_id: str, version: VersionResult, source: Sequence[Segment], scorer: Scorer
    ) -> VersionResult:
        """The version with its pairs' witnesses and its own; remembers what the language summaries need."""
        ev = self.evidence.get((article_id, version.lang))
        if ev is None:
            return version
        pairs = []
        for k, pair in enumerate(version.pairs):
            chrf = pair.scores.chrf if pair.scores is not None else None
            back = ev.back[k] if chrf is not None else None
            pair_floor, pair_floor_back = ev.floor[k], ev.floor_back[k]
            found = PairWitness(
                direct=ev.direct[k] if chrf is not None else None,
                back=back,
                floor=pair_floor,
                floor_back=pair_floor_back,
                excess_drift=pair_floor - chrf if pair_floor is not None and chrf is not None else None,
                excess_back=pair_floor_back - back if pair_floor_back is not None and back is not None else None,
            )
            pairs.append(dataclasses.replace(pair, witness=found))
        found_all = [p.witness for p in pairs if p.witness is not None]
        direct = [w.direct for w in found_all if w.direct is not None]
        back_values = [w.back for w in found_all if w.back is not None]
        floor_back = [w.floor_back for w in found_all if w.floor_back is not None]
        rows = [s for s in ev.floor_stats if s is not None]
        floor = chrf_estimate(scorer, rows)
        witness = VersionWitness(
            direct=self._mean(direct),
            back=self._mean(back_values),
            floor=floor,
            excess_drift=floor.chrf - version.scores.chrf if floor and version.scores else None,
            floor_back=self._mean(floor_back),
            paragraphs=self._paragraphs(version, source, pairs, ev, scorer),
            round_trip=tuple(Segment(s.paragraph, s.sentence, t) for s, t in zip(source, ev.round_trip, strict=False)),
        )
        return dataclasses.replace(version, pairs=tuple(pairs), witness=witness)

    def floor_rows(self, article_id: str, lang: str) -> list[np.ndarray]:
        """The chrF++ statistics of one version's floors (what its language's floor is summed from)."""
        ev = self.evidence.get((article_id, lang))
        return [row for row in ev.floor_stats if row is not None] if ev is not None else []

    def collect(self, version: VersionResult, floor_rows: Sequence[np.ndarray], article_id: str = "") -> None:
        """Remember what the language summaries need of a version whose witnesses are attached
        (kept per article: the summaries resample them in the order of article ids, not of arrival)."""
        found = [p.witness for p in version.pairs if p.witness is not None]
        if not found and not floor_rows:
            return
        lang = version.lang
        self._direct.setdefault(lang, []).append((article_id, [w.direct for w in found if w.direct is not None]))
        self._back.setdefault(lang, []).append((article_id, [w.back for w in found if w.back is not None]))
        floor_back = [w.floor_back for w in found if w.floor_back is not None]
        self._floor_back.setdefault(lang, []).append((article_id, floor_back))
        rows = [np.asarray(row, dtype=float) for row in floor_rows]
        self._floor_rows.setdefault(lang, []).append((article_id, rows))

    def _mean(self, values: Sequence[float]) -> Estimate | None:
        return mean_estimate(values, self.settings.bootstrap, BOOTSTRAP_SEED)

    @staticmethod
    def _collected(kept: Mapping[str, list[tuple[str, list[Any]]]], lang: str) -> list[Any]:
        """A language's collected values, article by article in the order of their ids (stable within one)."""
        return [v for _, values in sorted(kept.get(lang, []), key=lambda item: item[0]) for v in values]

    def _paragraphs(
        self, version: VersionResult, source: Sequence[Segment], pairs: Sequence[Any], ev: Evidence, scorer: Scorer
    ) -> tuple[ParagraphWitness, ...]:
        paragraph_of = paragraph_of_links(version.alignment, source, version.back)
        out = []
        for p in sorted(set(paragraph_of)):
            ks = [k for k, q in enumerate(paragraph_of) if q == p]
            ws = [pairs[k].witness for k in ks if pairs[k].witness is not None]
            rows = [row for k in ks if (row := ev.floor_stats[k]) is not None]
            out.append(
                ParagraphWitness(
                    paragraph=p,
                    direct=self._mean([w.direct for w in ws if w.direct is not None]),
                    back=self._mean([w.back for w in ws if w.back is not None]),
                    floor=scorer.chrf_from(np.sum(rows, axis=0)) if rows else None,
                )
            )
        return tuple(out)

    def summaries(self, languages: Sequence[LanguageSummary], scorer: Scorer) -> tuple[LanguageSummary, ...]:
        """The language summaries with their witnesses: mean similarities, route noise, excess drift."""
        out = []
        for summary in languages:
            lang = summary.lang
            floor = chrf_estimate(scorer, self._collected(self._floor_rows, lang))
            witness = LanguageWitness(
                direct=self._mean(self._collected(self._direct, lang)),
                back=self._mean(self._collected(self._back, lang)),
                floor=floor,
                excess_drift=floor.chrf - summary.scores.chrf if floor else None,
                floor_back=self._mean(self._collected(self._floor_back, lang)),
            )
            out.append(dataclasses.replace(summary, witness=witness))
        return tuple(out)
