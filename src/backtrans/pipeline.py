"""``evaluate(articles, settings) → Report``: the stages composed, nothing more.

load → segment → plan → back-translate (or read existing back-translations) →
align → score → flag → assemble. Each step lives in its own module; heavy
libraries are imported by the stages that need them, only when they are needed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from ._version import __version__
from .align import align
from .backends import Backend
from .backtranslate import Prepared, back_translate, read_back_translations, unscored_versions
from .cache import open_cache
from .config import Settings
from .flagging import VersionView, flag_article
from .results import ScoredArticle, article_matrix, assemble_version, build_signature, summarize
from .sacrebleu_adapter import TER_MAX_WORDS
from .scoring import Scorer, score_version
from .segment import join_segments, segment_document
from .translate import ProgressFn
from .types import REPORT_SCHEMA_VERSION, Article, ArticleResult, ModelInfo, Report

MODES = ("run", "score")


def score_article(article: Article, items: Sequence[Prepared], scorer: Scorer, settings: Settings) -> ScoredArticle:
    """Align, score and flag every prepared version of one article; assemble its result and matrix."""
    lang = article.source_lang

    def join(texts: Sequence[str]) -> str:
        return join_segments(texts, lang)

    source = segment_document(article.source)
    views: list[VersionView] = []
    scored = {}
    warnings = []
    for item in items:
        alignment = align(source, item.back, scorer.similarity, join)
        if alignment.refused:
            warnings.append(f"{article.origin or article.id} / {item.lang}: {alignment.refused}")
        links = alignment.links
        scored[item.lang] = score_version(source, item.back, links, scorer, join)
        views.append(VersionView(item.lang, item.segments, item.back, item.origin, links, scored[item.lang].links))
    flags = flag_article(source, lang, views, settings.thresholds, join)
    by_lang = {item.lang: item for item in items}
    versions = [
        assemble_version(view, by_lang[view.lang], source, scored[view.lang], flags[view.lang], join) for view in views
    ]
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
) -> Report:
    """Evaluate articles: back-translate (``mode="run"``) or read back-translations (``"score"``), then score."""
    settings = settings or Settings()
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    all_warnings = list(warnings)
    models: tuple[ModelInfo, ...] = ()
    if mode == "run":
        cache = open_cache(settings.effective_cache_path, settings.use_cache)
        try:
            prepared, models, found = back_translate(
                articles, settings, backend=backend, cache=cache, progress=progress
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
    for article in articles:
        items = by_article.get(article.id)
        if not items:
            continue
        scorer = scorers.setdefault(article.source_lang, Scorer(article.source_lang, bootstrap=settings.bootstrap))
        scored.append(score_article(article, items, scorer, settings))
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
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        tool_version=__version__,
        created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        signature=build_signature(source_langs, settings, models, next(iter(scorers.values())), mode),
        articles=tuple(item.result for item in scored),
        languages=languages,
        matrix=matrix,
        warnings=tuple(dict.fromkeys(all_warnings)),
        unscored=tuple(unscored),
    )
