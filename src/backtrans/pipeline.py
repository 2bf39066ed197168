"""``evaluate(articles, settings) → Report``: the stages composed, nothing more.

load → segment → plan → back-translate (or read existing back-translations) →
align → score → flag. Heavy libraries are imported by the stages that need
them, only when they are needed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import __version__
from .backends import Backend
from .cache import NullCache, TranslationCache, open_cache
from .config import Settings, base_lang
from .errors import InputError, NoRouteError
from .plan import Job, build_plan
from .routing import route_for
from .segment import SEGMENTER_NAME, read_lines_as_segments, segment_document, segment_text, segment_title
from .translate import BackTranslator, ProgressFn

if TYPE_CHECKING:
    from .scoring import Scorer
from .types import (
    Article,
    ArticleResult,
    Document,
    ModelInfo,
    ParagraphScore,
    Report,
    Route,
    Scores,
    Segment,
    Signature,
    VersionResult,
)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Prepared:
    """One version ready to be scored: its segments and their back-translation."""

    article: Article
    lang: str
    route: Route
    segments: tuple[Segment, ...]
    back: tuple[Segment, ...]
    origin: tuple[int, ...] | None
    truncated: int = 0


def select_versions(articles: Sequence[Article], langs: Sequence[str] | None) -> list[tuple[Article, Document]]:
    """(article, version) pairs to evaluate, in article then language order."""
    pairs = [
        (article, doc)
        for article in articles
        for doc in article.versions
        if langs is None or doc.lang in langs or base_lang(doc.lang) in langs
    ]
    if not pairs:
        wanted = ", ".join(langs) if langs else "any language"
        raise InputError(f"no article has a version in {wanted}; check --langs and the input files")
    return pairs


def _back_segments(version: tuple[Segment, ...], outputs: Sequence[str]) -> tuple[Segment, ...]:
    return tuple(Segment(s.paragraph, s.sentence, out) for s, out in zip(version, outputs, strict=True))


def prepare_run(
    articles: Sequence[Article],
    settings: Settings,
    *,
    backend: Backend | None = None,
    cache: TranslationCache | NullCache | None = None,
    progress: ProgressFn | None = None,
) -> tuple[list[Prepared], tuple[ModelInfo, ...], list[str]]:
    """Back-translate every selected version with MarianMT (through the plan and the cache)."""
    pairs = select_versions(articles, settings.langs)
    routes: dict[tuple[str, str], Route] = {}
    for article, doc in pairs:
        key = (doc.lang, article.source_lang)
        if key not in routes:
            routes[key] = route_for(doc.lang, article.source_lang, settings.models)
    jobs: list[Job] = []
    spans: list[tuple[Article, Document, tuple[Segment, ...], int]] = []
    for article, doc in pairs:
        segments = segment_document(doc)
        spans.append((article, doc, segments, len(jobs)))
        route = routes[(doc.lang, article.source_lang)]
        jobs.extend(Job(article.id, doc.lang, i, seg.text, route) for i, seg in enumerate(segments))
    plan = build_plan(jobs)
    translator = BackTranslator(settings, backend=backend, cache=cache, progress=progress)
    translations = translator.run(plan)
    prepared = []
    for article, doc, segments, start in spans:
        outputs = translations.outputs[start : start + len(segments)]
        truncated = sum(translations.hit_limit[start : start + len(segments)])
        prepared.append(
            Prepared(
                article,
                doc.lang,
                routes[(doc.lang, article.source_lang)],
                segments,
                _back_segments(segments, outputs),
                tuple(range(len(segments))),
                truncated,
            )
        )
    warnings = []
    for run in translations.runs:
        if run.hit_limit:
            warnings.append(
                f"{run.model.name}: {run.hit_limit} translation(s) stopped at the output length limit "
                "(a looping or runaway output); look at their segments"
            )
    return prepared, translations.models, warnings


def prepare_score(articles: Sequence[Article], settings: Settings) -> tuple[list[Prepared], list[str]]:
    """Use existing back-translations (``<lang>.back.txt``); no model is loaded."""
    pairs = select_versions(articles, settings.langs)
    prepared: list[Prepared] = []
    warnings: list[str] = []
    for article, doc in pairs:
        if doc.back is None:
            warnings.append(f"{doc.origin}: no {doc.lang}.back.txt next to it; {doc.lang} was not scored")
            continue
        segments = segment_document(doc)
        back = read_lines_as_segments(doc.back, doc.back_title)
        origin: tuple[int, ...] | None
        if len(back) == len(segments):
            # one line per version segment: the format `backtrans run` writes
            back = _back_segments(segments, [b.text for b in back])
            origin = tuple(range(len(segments)))
        else:
            back = segment_title(doc.back_title, article.source_lang) + segment_text(doc.back, article.source_lang)
            origin = None
        try:
            route = route_for(doc.lang, article.source_lang, settings.models)
            route = Route(route.lang, route.target_lang, (), route.path)
        except NoRouteError:
            route = Route(doc.lang, article.source_lang, (), (doc.lang, article.source_lang))
        prepared.append(Prepared(article, doc.lang, route, segments, back, origin))
    if not prepared:
        raise InputError(
            "no back-translations found: `backtrans score` reads <lang>.back.txt next to each <lang>.txt; "
            "write them or use `backtrans run`"
        )
    return prepared, warnings


def _paragraph_texts(segments: Sequence[Segment], lang: str) -> dict[int, str]:
    from .scoring import join_segments

    grouped: dict[int, list[str]] = {}
    for seg in segments:
        grouped.setdefault(seg.paragraph, []).append(seg.text)
    return {p: join_segments(texts, lang) for p, texts in grouped.items()}


def score_article(article: Article, items: Sequence[Prepared], scorer: Scorer, settings: Settings) -> ArticleResult:
    """Score every prepared version of one article against its source."""
    from .scoring import join_segments

    lang = article.source_lang
    source = segment_document(article.source)
    source_paragraphs = _paragraph_texts(source, lang)
    versions = []
    for item in items:
        back_paragraphs = _paragraph_texts(item.back, lang)
        paragraphs: list[ParagraphScore] = []
        if sorted(back_paragraphs) == sorted(source_paragraphs):
            numbers = sorted(source_paragraphs)
            stats = scorer.chrf_stats([back_paragraphs[p] for p in numbers], [source_paragraphs[p] for p in numbers])
            paragraphs = [ParagraphScore(p, float(v)) for p, v in zip(numbers, scorer.chrf_rows(stats), strict=True)]
        whole = scorer.chrf_pair(
            join_segments([s.text for s in item.back], lang), join_segments([s.text for s in source], lang)
        )
        versions.append(
            VersionResult(
                lang=item.lang,
                route=item.route,
                segments=item.segments,
                back=item.back,
                origin=item.origin,
                scores=Scores(chrf=whole),
                paragraphs=tuple(paragraphs),
                truncated_outputs=item.truncated,
            )
        )
    return ArticleResult(
        id=article.id,
        source_lang=lang,
        source=source,
        versions=tuple(versions),
        origin=article.origin,
        url=article.url,
    )


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
    from .scoring import Scorer

    settings = settings or Settings()
    all_warnings = list(warnings)
    models: tuple[ModelInfo, ...] = ()
    if mode == "run":
        cache = open_cache(settings.effective_cache_path, settings.use_cache)
        try:
            prepared, models, found = prepare_run(articles, settings, backend=backend, cache=cache, progress=progress)
        finally:
            cache.close()
    elif mode == "score":
        prepared, found = prepare_score(articles, settings)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    all_warnings.extend(found)
    scorers: dict[str, Scorer] = {}
    results: list[ArticleResult] = []
    by_article: dict[str, list[Prepared]] = {}
    for item in prepared:
        by_article.setdefault(item.article.id, []).append(item)
    for article in articles:
        items = by_article.get(article.id)
        if not items:
            continue
        scorer = scorers.setdefault(article.source_lang, Scorer(article.source_lang))
        results.append(score_article(article, items, scorer, settings))
    source_langs = sorted({a.source_lang for a in articles})
    any_scorer = next(iter(scorers.values()))
    signature = Signature(
        source_lang=",".join(source_langs),
        models=models,
        generation={**settings.generation_record(), "backend": settings.backend} if mode == "run" else {},
        segmenter=SEGMENTER_NAME,
        sacrebleu=_sacrebleu_version(),
        metrics=any_scorer.signatures,
        thresholds={},
        mode=mode,
    )
    return Report(
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        signature=signature,
        articles=tuple(results),
        warnings=tuple(all_warnings),
    )


def _sacrebleu_version() -> str:
    import sacrebleu

    return str(sacrebleu.__version__)
