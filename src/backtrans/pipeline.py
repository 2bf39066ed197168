"""``evaluate(articles, settings) → Report``: the stages composed, nothing more.

load → segment → plan → back-translate (or read existing back-translations) →
align → score → flag → assemble. Each step lives in its own module; heavy
libraries are imported by the stages that need them, only when they are needed.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping, Sequence

from ._version import __version__
from .align import align
from .backends import Backend
from .backtranslate import Prepared, back_translate, calibrate_existing, read_back_translations, unscored_versions
from .cache import open_cache
from .calibration import Calibration
from .config import Settings
from .embedding import Embedder, EncoderBackendLike
from .flagging import VersionView, flag_article
from .results import ScoredArticle, article_matrix, assemble_version, build_signature, summarize
from .sacrebleu_adapter import TER_MAX_WORDS
from .scoring import Scorer, score_version
from .segment import join_segments, segment_document
from .significance import run_language_tests
from .translate import ProgressFn
from .types import REPORT_SCHEMA_VERSION, Article, ArticleResult, Link, ModelInfo, Report, Segment, StageCost
from .witnesses import Witnesses

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

    def join(texts: Sequence[str]) -> str:
        return join_segments(texts, article.source_lang)

    links = {}
    for item in items:
        alignment = align(source, item.back, scorer.similarity, join)
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
    flags = flag_article(source, lang, views, settings.thresholds, join)
    by_lang = {item.lang: item for item in items}
    versions = [
        assemble_version(view, by_lang[view.lang], source, scored[view.lang], flags[view.lang], join) for view in views
    ]
    if witnesses:
        versions = [witnesses.attach(article.id, version, source, scorer) for version in versions]
    matrix, documents = article_matrix(lang, source, versions, scorer, join)
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


def evaluate(
    articles: Sequence[Article],
    settings: Settings | None = None,
    *,
    mode: str = "run",
    backend: Backend | None = None,
    progress: ProgressFn | None = None,
    warnings: Sequence[str] = (),
    encoder: EncoderBackendLike | None = None,
) -> Report:
    """Evaluate articles: back-translate (``mode="run"``) or read back-translations (``"score"``), then score.

    ``settings.semantic`` adds the sentence-encoder witness (``encoder`` replaces the real encoder
    backend, for tests), ``settings.calibrate`` the source's own round trips (the noise floor).
    """
    settings = settings or Settings()
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    all_warnings = list(warnings)
    models: tuple[ModelInfo, ...] = ()
    costs: tuple[StageCost, ...] = ()
    calibration: Calibration | None = None
    embedder = Embedder(settings, backend=encoder, progress=progress) if settings.semantic else None  # fails fast
    sources = {article.id: segment_document(article.source) for article in articles}  # once per article
    if mode == "run" or settings.calibrate:
        cache = open_cache(settings.effective_cache_path, settings.use_cache)
        try:
            if mode == "run":
                prepared, models, found, costs, calibration = back_translate(
                    articles, settings, backend=backend, cache=cache, progress=progress, sources=sources
                )
            else:
                prepared, found = read_back_translations(articles, settings)
                all_warnings.extend(found)
                prepared, models, found, costs, calibration = calibrate_existing(
                    prepared, settings, backend=backend, cache=cache, progress=progress, sources=sources
                )
        finally:
            cache.close()
    else:
        prepared, found = read_back_translations(articles, settings)
    all_warnings.extend(found)
    unscored, found = unscored_versions(articles, settings.langs, prepared, mode)
    all_warnings.extend(found)
    scorers: dict[str, Scorer] = {}
    scored: list[ScoredArticle] = []
    by_article: dict[str, list[Prepared]] = {}
    for item in prepared:
        by_article.setdefault(item.article.id, []).append(item)
    links: dict[str, dict[str, tuple[Link, ...]]] = {}
    for article in articles:
        if by_article.get(article.id):
            scorer = scorers.setdefault(article.source_lang, Scorer(article.source_lang, bootstrap=settings.bootstrap))
            links[article.id] = align_article(
                article, by_article[article.id], scorer, sources[article.id], all_warnings
            )
    witnesses = None
    if settings.semantic or settings.calibrate:
        versions = [(a, item, links[a.id][item.lang]) for a in articles for item in by_article.get(a.id, [])]
        witnesses = Witnesses.compute(versions, settings, scorers, embedder, calibration, sources)
        costs += witnesses.costs
    for article in articles:
        items = by_article.get(article.id)
        if items:
            scorer = scorers[article.source_lang]
            scored.append(
                score_article(article, items, scorer, settings, links[article.id], witnesses, sources[article.id])
            )
    for done in scored:
        all_warnings.extend(done.warnings)
    long_ter = sum(scorer.long_ter_pairs for scorer in scorers.values())
    if long_ter:
        all_warnings.append(
            f"{long_ter} aligned pair(s) have more than {TER_MAX_WORDS} words on a side: their TER is the word edit "
            "distance without shifts (an upper bound), because TER's shift search grows faster than linearly"
        )
    languages, matrix = summarize(scored, scorers)
    source_langs = sorted({a.source_lang for a in articles})
    signature = build_signature(source_langs, settings, models, next(iter(scorers.values())), mode)
    if witnesses:
        languages = witnesses.summaries(languages, next(iter(scorers.values())))
        signature = dataclasses.replace(signature, encoder=witnesses.encoder, witnesses=witnesses.record)
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        tool_version=__version__,
        created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        signature=signature,
        articles=tuple(item.result for item in scored),
        languages=languages,
        matrix=matrix,
        warnings=tuple(dict.fromkeys(all_warnings)),
        language_tests=run_language_tests([(i.result, i.stats) for i in scored], scorers, settings.paired),
        costs=costs,
        unscored=tuple(unscored),
    )
