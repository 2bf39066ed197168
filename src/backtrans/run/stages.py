"""The stages composed over some articles: back-translate (or read) → align → witnesses → score → flag.

:func:`evaluate_chunk` runs the stages over some articles and gives, per article, everything the
run's report needs of it (a :class:`Chunk` of :class:`~backtrans.run._results.ScoredArticle`);
:func:`score_prepared` is its second half, for versions already back-translated (the Ray engine's
tasks). :func:`backtrans.pipeline.evaluate` assembles one chunk
(:class:`~backtrans.run.assembly.Assembly`); the engines (:mod:`backtrans.run.engines`) run many
chunks through the same function and assemble what they wrote. Heavy libraries are imported by the
stages that need them, only when they are needed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..config import Settings
from ..errors import InputError
from ..flag import VersionView, flag_article
from ..flag.verdicts import dismiss_linked
from ..score.scoring import Scorer, score_version
from ..text.align import align
from ..text.segment import join_segments, segment_document
from ..translate.backends import Backend
from ..translate.backtranslate import (
    NO_BACK_TRANSLATIONS,
    Prepared,
    back_translate,
    calibrate_existing,
    no_back_warning,
    read_back_translations,
    select_versions,
    unscored_versions,
    wanted,
)
from ..translate.cache import open_cache
from ..translate.calibration import Calibration
from ..translate.translator import ProgressFn
from ..types import Article, ArticleResult, Link, ModelInfo, Route, Segment, StageCost, Unscored
from ..witness.embedding import Embedder
from ..witness.witnesses import Witnesses
from ._results import ScoredArticle, Unscoreable, article_matrix, assemble_version, used_models

MODES = ("run", "score")


def align_article(
    article: Article,
    items: Sequence[Prepared],
    scorer: Scorer,
    source: Sequence[Segment] | None = None,
    warnings: list[str] | None = None,
) -> dict[str, tuple[Link, ...]]:
    """The alignment of every prepared version of one article with its source (``source``: its segments).

    A version that was not aligned (lengths too different) has only unmatched links;
    why is appended to ``warnings``.
    """
    source = source if source is not None else segment_document(article.source)
    links = {}
    for item in items:
        alignment = align(source, item.back, scorer.similarity, scorer.join)  # the scorer's language: the source's
        if alignment.refused and warnings is not None:
            warnings.append(f"{article.origin or article.id} / {item.lang}: {alignment.refused}")
        links[item.lang] = alignment.links
    return links


def score_article(
    article: Article,
    items: Sequence[Prepared],
    scorer: Scorer,
    settings: Settings,
    links: Mapping[str, tuple[Link, ...]] | None = None,
    witnesses: Witnesses | None = None,
    source: Sequence[Segment] | None = None,
) -> ScoredArticle:
    """Align (unless ``links`` are given), score and flag every prepared version of one article; assemble it.

    ``source``: the article's segmented source, where the caller has it.
    """
    lang = article.source_lang

    def join(texts: Sequence[str]) -> str:
        return join_segments(texts, lang)

    source = tuple(source) if source is not None else segment_document(article.source)
    warnings: list[str] = []
    links = links if links is not None else align_article(article, items, scorer, source, warnings)
    views: list[VersionView] = []
    scored = {}
    for item in items:
        found = links[item.lang]
        scored[item.lang] = score_version(source, item.back, found, scorer, join)
        extra = witnesses.view_fields(article.id, item.lang) if witnesses else {}
        views.append(
            VersionView(item.lang, item.segments, item.back, item.origin, found, scored[item.lang].links, **extra)
        )
    flags = flag_article(source, lang, views, settings.thresholds, join, settings.glossary)
    if settings.verdicts is not None:  # the newsroom's "not an error" verdicts of earlier runs
        flags = {v: dismiss_linked(article.id, v, found, settings.verdicts) for v, found in flags.items()}
    by_lang = {item.lang: item for item in items}
    versions = [
        assemble_version(view, by_lang[view.lang], source, scored[view.lang], flags[view.lang], join) for view in views
    ]
    if witnesses:
        versions = [witnesses.attach(article.id, version, source, scorer) for version in versions]
    matrix, documents = article_matrix(lang, source, versions, scorer, scorer.join)
    result = ArticleResult(
        id=article.id,
        source_lang=lang,
        source=source,
        versions=tuple(versions),
        origin=article.origin,
        url=article.url,
        matrix=matrix,
    )
    return ScoredArticle(result, {lang: s.stats for lang, s in scored.items()}, documents, warnings)


@dataclass
class Chunk:
    """What the stages made of some articles: one entry per article, in input order, and the chunk's costs."""

    articles: list[ScoredArticle | Unscoreable]
    models: tuple[ModelInfo, ...] = ()
    costs: tuple[StageCost, ...] = ()
    witnesses: Witnesses | None = None  #: the encoder and the record of the witnesses (not their evidence)
    empty: str | None = None  #: why nothing of the chunk could be scored (the run's error if no chunk could)


def evaluate_chunk(
    articles: Sequence[Article],
    settings: Settings,
    mode: str,
    *,
    backend: Backend | None = None,
    embedder: Embedder | None = None,
    progress: ProgressFn | None = None,
) -> Chunk:
    """Back-translate (or read), align, witness, score and flag some articles, every model in one plan."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    try:
        pairs = select_versions(articles, settings.langs)
    except InputError as exc:  # no article has a wanted version
        return Chunk([unscoreable(a, settings, mode) for a in articles], empty=str(exc))
    if mode == "score" and all(doc.back is None for _, doc in pairs):
        return Chunk([unscoreable(a, settings, mode) for a in articles], empty=NO_BACK_TRANSLATIONS)
    sources = {article.id: segment_document(article.source) for article in articles}  # once per article
    models: tuple[ModelInfo, ...] = ()
    costs: tuple[StageCost, ...] = ()
    calibration: Calibration | None = None
    if mode == "run" or settings.calibrate:
        cache = open_cache(settings.effective_cache_path, settings.use_cache)
        try:
            if mode == "run":
                prepared, models, _, costs, calibration = back_translate(
                    articles, settings, backend=backend, cache=cache, progress=progress, sources=sources
                )
            else:
                prepared, _ = read_back_translations(articles, settings)
                prepared, models, _, costs, calibration = calibrate_existing(
                    prepared, settings, backend=backend, cache=cache, progress=progress, sources=sources
                )
        finally:
            cache.close()
    else:
        prepared, _ = read_back_translations(articles, settings)
    return score_prepared(
        articles,
        prepared,
        settings,
        mode,
        models=models,
        costs=costs,
        calibration=calibration,
        embedder=embedder,
        sources=sources,
    )


def score_prepared(
    articles: Sequence[Article],
    prepared: Sequence[Prepared],
    settings: Settings,
    mode: str,
    *,
    models: Sequence[ModelInfo] = (),
    costs: Sequence[StageCost] = (),
    calibration: Calibration | None = None,
    embedder: Embedder | None = None,
    sources: Mapping[str, Sequence[Segment]] | None = None,
) -> Chunk:
    """Align, witness, score and flag articles whose versions are back-translated (``prepared``);
    ``models``: what the run resolved the models of the routes to."""
    sources = sources if sources is not None else {a.id: segment_document(a.source) for a in articles}
    costs = tuple(costs)
    by_article: dict[str, list[Prepared]] = {}
    for item in prepared:
        by_article.setdefault(item.article.id, []).append(item)
    scorers: dict[str, Scorer] = {}
    links: dict[str, dict[str, tuple[Link, ...]]] = {}
    refused: dict[str, list[str]] = {}
    for article in articles:
        if by_article.get(article.id):
            scorer = scorers.setdefault(article.source_lang, Scorer(article.source_lang, bootstrap=settings.bootstrap))
            refused[article.id] = []
            links[article.id] = align_article(
                article, by_article[article.id], scorer, sources[article.id], refused[article.id]
            )
    witnesses = None
    if settings.semantic or settings.calibrate:
        versions = [(a, item, links[a.id][item.lang]) for a in articles for item in by_article.get(a.id, [])]
        witnesses = Witnesses.compute(versions, settings, scorers, embedder, calibration, sources)
        costs += witnesses.costs
    trips = _Trips(calibration)
    entries: list[ScoredArticle | Unscoreable] = []
    for article in articles:
        items = by_article.get(article.id)
        if not items:
            entries.append(unscoreable(article, settings, mode))
            continue
        scorer = scorers[article.source_lang]
        before = scorer.long_ter_pairs
        done = score_article(article, items, scorer, settings, links[article.id], witnesses, sources[article.id])
        unscored, said = _unscored(article, items, settings, mode)
        done.warnings[:0] = [*said, *refused[article.id]]
        done.unscored = unscored
        done.long_ter = scorer.long_ter_pairs - before
        done.limits = tuple(hit for item in items for hit in item.limits)
        if witnesses is not None:
            done.floor_stats = {item.lang: witnesses.floor_rows(article.id, item.lang) for item in items}
        done.round_trips, done.no_floor = trips.of(article.id)
        routes = [item.route for item in items] + trips.routes.get(article.id, [])
        done.models = used_models(routes, models)
        entries.append(done)
    if witnesses is not None:
        witnesses = dataclasses.replace(witnesses, evidence={}, costs=())
    return Chunk(entries, tuple(models), costs, witnesses)


class _Trips:
    """The calibration's round trips and skipped versions, per article."""

    def __init__(self, calibration: Calibration | None) -> None:
        self.described: dict[str, dict[str, str]] = {}
        self.routes: dict[str, list[Route]] = {}
        self.skipped: dict[str, list[tuple[str, str]]] = {}
        for span in calibration.spans if calibration else ():
            self.described.setdefault(span.article, {})[span.lang] = span.route.describe()
            self.routes.setdefault(span.article, []).append(span.route)
        for article_id, lang, why in calibration.skipped if calibration else ():
            self.skipped.setdefault(article_id, []).append((lang, why))

    def of(self, article_id: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
        return self.described.get(article_id, {}), tuple(self.skipped.get(article_id, ()))


def _unscored(
    article: Article, items: Sequence[Prepared], settings: Settings, mode: str
) -> tuple[tuple[Unscored, ...], list[str]]:
    """One article's versions asked for but not scored, and what the run says about them."""
    said = [
        no_back_warning(doc)
        for doc in article.versions
        if mode == "score" and doc.back is None and wanted(doc.lang, settings.langs)
    ]
    unscored, more = unscored_versions([article], settings.langs, items, mode)
    return tuple(unscored), said + more


def unscoreable(article: Article, settings: Settings, mode: str) -> Unscoreable:
    unscored, said = _unscored(article, (), settings, mode)
    return Unscoreable(article.id, said, unscored)
