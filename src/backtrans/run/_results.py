"""Assembling results: one version's pairs, an article's matrix, corpus summaries and the signature.

Everything here builds the frozen result types of :mod:`backtrans.types` from
what the align, score and flag steps produced. Corpus scores and the corpus
matrix are sums of the per-article sufficient statistics, so they equal what
sacrebleu reports for the whole corpus at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..config import Settings
from ..flag import VersionView
from ..score.sacrebleu_adapter import version as sacrebleu_version
from ..score.scoring import PairStats, Scorer, VersionScores
from ..text.segment import SEGMENTER_NAME, Join
from ..translate.backtranslate import Prepared
from ..translate.translator import LimitHit
from ..types import (
    ArticleResult,
    Flag,
    LanguageSummary,
    Link,
    Matrix,
    ModelInfo,
    ModelRef,
    Pair,
    Route,
    Segment,
    Signature,
    Unscored,
    VersionResult,
)


@dataclass(frozen=True)
class UsedModel:
    """A model an article's routes used, where it stands in a plan, and what the signature records of it."""

    ref: ModelRef
    remaining: int  #: the most steps left after it on a route of the article (orders models as the plan does)
    info: ModelInfo


@dataclass
class ScoredArticle:
    """One scored article, the statistics the corpus summaries are built from, and what the run's report
    says about it elsewhere (warnings, unscored versions, length-limit hits, …): everything a run needs
    of an article to assemble its report, so an article written earlier can stand in for one scored now."""

    result: ArticleResult
    stats: dict[str, PairStats]  #: per language, all links (omissions and additions included)
    documents: dict[tuple[str, str], np.ndarray]  #: (hypothesis, reference) label → document chrF stats
    warnings: list[str] = field(default_factory=list)  #: e.g. a version that was not aligned
    unscored: tuple[Unscored, ...] = ()  #: versions of the article asked for but not scored
    limits: tuple[LimitHit, ...] = ()  #: translation steps that stopped at the output length limit
    long_ter: int = 0  #: pairs whose TER was computed without shifts (too long)
    floor_stats: dict[str, list[np.ndarray]] = field(default_factory=dict)  #: --calibrate: chrF++ rows of floors
    round_trips: dict[str, str] = field(default_factory=dict)  #: --calibrate: language → its round trip
    no_floor: tuple[tuple[str, str], ...] = ()  #: --calibrate: (language, why) of versions without a floor
    models: tuple[UsedModel, ...] = ()


@dataclass
class Unscoreable:
    """An article the run could score nothing of (no wanted version, no back-translation): what the
    report says about it."""

    id: str
    warnings: list[str] = field(default_factory=list)
    unscored: tuple[Unscored, ...] = ()


def used_models(routes: Sequence[Route], infos: Sequence[ModelInfo]) -> tuple[UsedModel, ...]:
    """The models of some routes with their place in a plan (``infos``: what the run resolved them to)."""
    by_name = {info.name: info for info in infos}
    remaining: dict[ModelRef, int] = {}
    for route in routes:
        for k, ref in enumerate(route.steps):
            left = len(route.steps) - 1 - k
            remaining[ref] = max(left, remaining.get(ref, left))
    out = []
    for ref, left in remaining.items():
        info = by_name.get(ref.name if not ref.target_token else f"{ref.name}@{ref.target_token}")
        if info is not None:
            out.append(UsedModel(ref, left, info))
    return tuple(out)


def plan_order(models: Sequence[UsedModel]) -> tuple[ModelInfo, ...]:
    """The models of a run in the order its plan uses them (every pivot step first, then by name)."""
    best: dict[ModelRef, UsedModel] = {}
    for model in models:
        if model.ref not in best or model.remaining > best[model.ref].remaining:
            best[model.ref] = model
    ordered = sorted(best.values(), key=lambda m: (-m.remaining, m.ref.name, m.ref.target_token or ""))
    return tuple(dict.fromkeys(m.info for m in ordered))


def assemble_version(
    view: VersionView,
    item: Prepared,
    source: Sequence[Segment],
    scores: VersionScores,
    flags: Sequence[tuple[Flag, int | None]],
    join: Join,
) -> VersionResult:
    """The :class:`VersionResult` of one version: one :class:`Pair` per link, with its flag codes (a flag
    about a version paragraph, such as a paragraph in the wrong language, on every pair of that paragraph)."""
    codes: dict[int, list[str]] = {}
    for flag, k in flags:
        if k is not None:
            codes.setdefault(k, []).append(flag.code)
        elif flag.evidence.get("scope") == "paragraph" and isinstance(flag.evidence.get("paragraph"), int):
            paragraph = flag.evidence["paragraph"]
            for j, link in enumerate(view.links):
                if any(view.segments[i].paragraph == paragraph for i in view.version_indices(link)):
                    codes.setdefault(j, []).append(flag.code)
    shown = [_version_indices(view, link) for link in view.links]
    pairs = tuple(
        Pair(
            source_ids=tuple(source[i].id for i in link.source),
            version_ids=tuple(view.segments[i].id for i in shown[k]),
            source=join([source[i].text for i in link.source]),
            version=join([view.segments[i].text for i in shown[k]]),
            back=view.back_text(link, join),
            scores=view.scores[k],
            flags=tuple(dict.fromkeys(codes.get(k, []))),
        )
        for k, link in enumerate(view.links)
    )
    return VersionResult(
        lang=view.lang,
        route=item.route,
        segments=item.segments,
        back=item.back,
        origin=item.origin,
        scores=scores.article,
        paragraphs=scores.paragraphs,
        alignment=view.links,
        pairs=pairs,
        flags=tuple(flag for flag, _ in flags),
        truncated_outputs=item.truncated,
    )


def _version_indices(view: VersionView, link: Link) -> tuple[int, ...]:
    """The version segments a pair shows: those its back-translation came from, or, for a supplied
    back-translation that splits sentences its own way (no line per version segment), every version
    segment of the same paragraphs, so that the editor sees the text to fix."""
    if view.origin is not None:
        return view.version_indices(link)
    paragraphs = {view.back[j].paragraph for j in link.back}
    return tuple(i for i, segment in enumerate(view.segments) if segment.paragraph in paragraphs)


def article_matrix(
    source_lang: str,
    source: Sequence[Segment],
    versions: Sequence[VersionResult],
    scorer: Scorer,
    join: Join,
) -> tuple[Matrix, dict[tuple[str, str], np.ndarray]]:
    """Whole-text chrF++ of every text against every other (source first), and the statistics of each cell."""
    labels = [source_lang] + [v.lang for v in versions]
    documents = [join([s.text for s in source])] + [join([s.text for s in v.back]) for v in versions]
    cells = [(i, j) for i in range(len(labels)) for j in range(len(labels)) if i != j]
    doc_stats = scorer.chrf_stats_both_ways(documents, [(i, j) for i, j in cells if i < j])
    values: list[list[float | None]] = [[None] * len(labels) for _ in labels]
    document_stats: dict[tuple[str, str], np.ndarray] = {}
    for (i, j), row, value in zip(cells, doc_stats, scorer.chrf_rows(doc_stats), strict=True):
        values[i][j] = float(value)
        document_stats[(labels[i], labels[j])] = row
    return Matrix(tuple(labels), tuple(tuple(row) for row in values)), document_stats


def summarize(
    scored: Sequence[ScoredArticle], scorers: Mapping[str, Scorer]
) -> tuple[tuple[LanguageSummary, ...], Matrix | None]:
    """Corpus scores per language (with intervals) and the corpus matrix, from per-article statistics."""
    by_lang: dict[str, list[tuple[PairStats, Scorer]]] = {}
    flags: dict[str, dict[str, int]] = {}
    articles: dict[str, int] = {}
    routes: dict[str, str] = {}
    for item in scored:
        scorer = scorers[item.result.source_lang]
        for version in item.result.versions:
            by_lang.setdefault(version.lang, []).append((item.stats[version.lang], scorer))
            articles[version.lang] = articles.get(version.lang, 0) + 1
            routes.setdefault(version.lang, version.route.describe())
            counts = flags.setdefault(version.lang, {})
            for flag in version.flags:
                if flag.visible:
                    counts[flag.code] = counts.get(flag.code, 0) + 1
    summaries = []
    for lang in sorted(by_lang):
        parts = by_lang[lang]
        merged = PairStats.concat([p for p, _ in parts])
        summaries.append(
            LanguageSummary(
                lang=lang,
                route=routes[lang],
                articles=articles[lang],
                segments=len(merged),
                scores=parts[0][1].corpus_scores(merged),
                flags=dict(sorted(flags[lang].items())),
            )
        )
    return tuple(summaries), corpus_matrix(scored, scorers, sorted(by_lang))


def corpus_matrix(
    scored: Sequence[ScoredArticle], scorers: Mapping[str, Scorer], langs: Sequence[str]
) -> Matrix | None:
    """The language × language matrix over the whole corpus (None when sources differ in language)."""
    source_langs = {item.result.source_lang for item in scored}
    if len(source_langs) != 1:
        return None
    (source_lang,) = source_langs
    scorer = scorers[source_lang]
    labels = [source_lang, *langs]
    values: list[list[float | None]] = [[None] * len(labels) for _ in labels]
    for i, hyp in enumerate(labels):
        for j, ref in enumerate(labels):
            rows = [item.documents[(hyp, ref)] for item in scored if (hyp, ref) in item.documents]
            if i != j and rows:
                values[i][j] = scorer.chrf_from(np.sum(rows, axis=0))
    return Matrix(tuple(labels), tuple(tuple(row) for row in values))


def build_signature(
    source_langs: Sequence[str], settings: Settings, models: Sequence[ModelInfo], scorer: Scorer, mode: str
) -> Signature:
    """Every setting that changes a number in the report."""
    return Signature(
        source_lang=",".join(source_langs),
        models=tuple(models),
        generation=generation_record(settings, models) if mode == "run" or models else {},
        segmenter=SEGMENTER_NAME,
        sacrebleu=sacrebleu_version(),
        metrics={
            **scorer.signatures,
            **{f"bootstrap_{k}": str(v) for k, v in scorer.settings_record().items()},
        },
        thresholds=dataclasses.asdict(settings.thresholds),
        mode=mode,
        glossary=settings.glossary.record() if settings.glossary else {},
    )


def generation_record(settings: Settings, models: Sequence[ModelInfo]) -> dict[str, object]:
    """Generation settings, with the backend and compute type that actually ran."""
    record: dict[str, object] = dict(settings.generation_record())
    record["backend"] = models[0].backend if models else settings.backend
    record["compute_type"] = models[0].compute_type if models else (settings.compute_type or "default")
    record["device"] = models[0].device if models else settings.device
    return record
