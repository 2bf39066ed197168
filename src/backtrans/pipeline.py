"""``evaluate(articles, settings) → Report``: the stages composed, nothing more.

load → segment → plan → back-translate (or read existing back-translations) →
align → score → flag. Heavy libraries are imported by the stages that need
them, only when they are needed.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import __version__
from .backends import Backend
from .cache import NullCache, TranslationCache, open_cache
from .config import Settings, base_lang
from .errors import InputError, NoRouteError
from .plan import Job, build_plan
from .routing import route_for
from .segment import SEGMENTER_NAME, read_lines_as_segments, segment_document, segment_text, segment_title
from .translate import BackTranslator, ProgressFn
from .types import (
    Article,
    ArticleResult,
    Document,
    LanguageSummary,
    Link,
    Matrix,
    ModelInfo,
    Pair,
    ParagraphScore,
    Report,
    Route,
    Scores,
    Segment,
    Signature,
    VersionResult,
)

if TYPE_CHECKING:
    from .scoring import PairStats, Scorer

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


@dataclass
class _Scored:
    """One scored article, and the statistics the corpus summaries are built from."""

    result: ArticleResult
    stats: dict[str, PairStats]  #: per language, all links (omissions and additions included)
    documents: dict[tuple[str, str], np.ndarray]  #: (hypothesis, reference) label → document chrF stats


def _paragraph_of_links(links: Sequence[Link], source: Sequence[Segment], back: Sequence[Segment]) -> list[int]:
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


def score_article(article: Article, items: Sequence[Prepared], scorer: Scorer, settings: Settings) -> _Scored:
    """Align, score and flag every prepared version of one article; build its matrix."""
    from .align import align
    from .flagging import VersionView, flag_article
    from .scoring import join_segments

    lang = article.source_lang

    def join(texts: Sequence[str]) -> str:
        return join_segments(texts, lang)

    def similarity(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
        return [float(v) / 100 for v in scorer.chrf_rows(scorer.chrf_stats(hyps, refs))]

    source = segment_document(article.source)
    views: list[VersionView] = []
    stats: dict[str, PairStats] = {}
    partial: dict[str, tuple[Prepared, tuple[Link, ...], Scores, list[ParagraphScore]]] = {}
    for item in items:
        links = align(source, item.back, similarity, join).links
        hyps = [join([item.back[j].text for j in link.back]) for link in links]
        refs = [join([source[i].text for i in link.source]) for link in links]
        pair_stats = scorer.stats(hyps, refs)
        per_link = scorer.segment_scores(pair_stats)
        link_scores = tuple(
            score if link.kind not in ("1-0", "0-1") else None for score, link in zip(per_link, links, strict=True)
        )
        paragraph_of = _paragraph_of_links(links, source, item.back)
        paragraphs = [
            ParagraphScore(
                p, scorer.chrf_from(pair_stats.chrf[[k for k, q in enumerate(paragraph_of) if q == p]].sum(axis=0))
            )
            for p in sorted(set(paragraph_of))
        ]
        stats[item.lang] = pair_stats
        partial[item.lang] = (item, links, scorer.corpus_scores(pair_stats), paragraphs)
        views.append(VersionView(item.lang, item.segments, item.back, item.origin, links, link_scores))
    flags = flag_article(source, lang, views, settings.thresholds, join)
    versions = []
    for view in views:
        item, links, scores, paragraphs = partial[view.lang]
        codes: dict[int, list[str]] = {}
        for flag, k in flags[view.lang]:
            if k is not None:
                codes.setdefault(k, []).append(flag.code)
        pairs = tuple(
            Pair(
                source_ids=tuple(source[i].id for i in link.source),
                version_ids=tuple(view.segments[i].id for i in view.version_indices(link)),
                source=join([source[i].text for i in link.source]),
                version=view.version_text(link, join),
                back=view.back_text(link, join),
                scores=view.scores[k],
                flags=tuple(dict.fromkeys(codes.get(k, []))),
            )
            for k, link in enumerate(links)
        )
        versions.append(
            VersionResult(
                lang=view.lang,
                route=item.route,
                segments=item.segments,
                back=item.back,
                origin=item.origin,
                scores=scores,
                paragraphs=tuple(paragraphs),
                alignment=links,
                pairs=pairs,
                flags=tuple(flag for flag, _ in flags[view.lang]),
                truncated_outputs=item.truncated,
            )
        )
    labels = [lang] + [v.lang for v in versions]
    documents = [join([s.text for s in source])] + [join([s.text for s in v.back]) for v in versions]
    cells = [(i, j) for i in range(len(labels)) for j in range(len(labels)) if i != j]
    doc_stats = scorer.chrf_stats([documents[i] for i, _ in cells], [documents[j] for _, j in cells])
    values: list[list[float | None]] = [[None] * len(labels) for _ in labels]
    document_stats: dict[tuple[str, str], np.ndarray] = {}
    for (i, j), row, value in zip(cells, doc_stats, scorer.chrf_rows(doc_stats), strict=True):
        values[i][j] = float(value)
        document_stats[(labels[i], labels[j])] = row
    result = ArticleResult(
        id=article.id,
        source_lang=lang,
        source=source,
        versions=tuple(versions),
        origin=article.origin,
        url=article.url,
        matrix=Matrix(tuple(labels), tuple(tuple(row) for row in values)),
    )
    return _Scored(result, stats, document_stats)


def summarize(
    scored: Sequence[_Scored], scorers: dict[str, Scorer]
) -> tuple[tuple[LanguageSummary, ...], Matrix | None]:
    """Corpus scores per language (with intervals) and the corpus matrix, from per-article statistics."""
    from .scoring import PairStats

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
    source_langs = {item.result.source_lang for item in scored}
    if len(source_langs) != 1:
        return tuple(summaries), None
    (source_lang,) = source_langs
    scorer = scorers[source_lang]
    labels = [source_lang] + sorted(by_lang)
    values: list[list[float | None]] = [[None] * len(labels) for _ in labels]
    for i, hyp in enumerate(labels):
        for j, ref in enumerate(labels):
            rows = [item.documents[(hyp, ref)] for item in scored if (hyp, ref) in item.documents]
            if i != j and rows:
                values[i][j] = scorer.chrf_from(np.sum(rows, axis=0))
    return tuple(summaries), Matrix(tuple(labels), tuple(tuple(row) for row in values))


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
    scored: list[_Scored] = []
    by_article: dict[str, list[Prepared]] = {}
    for item in prepared:
        by_article.setdefault(item.article.id, []).append(item)
    for article in articles:
        items = by_article.get(article.id)
        if not items:
            continue
        scorer = scorers.setdefault(article.source_lang, Scorer(article.source_lang, bootstrap=settings.bootstrap))
        scored.append(score_article(article, items, scorer, settings))
    languages, matrix = summarize(scored, scorers)
    source_langs = sorted({a.source_lang for a in articles})
    any_scorer = next(iter(scorers.values()))
    signature = Signature(
        source_lang=",".join(source_langs),
        models=models,
        generation=_generation_record(settings, models) if mode == "run" else {},
        segmenter=SEGMENTER_NAME,
        sacrebleu=_sacrebleu_version(),
        metrics={
            **any_scorer.signatures,
            **{f"bootstrap_{k}": str(v) for k, v in any_scorer.settings_record().items()},
        },
        thresholds=dataclasses.asdict(settings.thresholds),
        mode=mode,
    )
    return Report(
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        signature=signature,
        articles=tuple(item.result for item in scored),
        languages=languages,
        matrix=matrix,
        warnings=tuple(all_warnings),
    )


GATE_METRICS = ("chrf", "bleu")


@dataclass(frozen=True)
class GateFailure:
    article: str
    lang: str
    metric: str
    value: float
    minimum: float

    def describe(self) -> str:
        return f"{self.article} / {self.lang}: {self.metric} {self.value:.1f} < {self.minimum:g}"


def parse_gates(values: Sequence[str]) -> dict[str, float]:
    """``["chrf=45", "bleu=20"]`` → ``{"chrf": 45.0, "bleu": 20.0}``."""
    gates: dict[str, float] = {}
    for value in values:
        name, sep, number = value.partition("=")
        name = name.strip().lower().replace("chrf++", "chrf")
        if not sep or name not in GATE_METRICS:
            hint = " (TER is lower-is-better; gate on chrf or bleu)" if name == "ter" else ""
            raise InputError(f"--fail-under {value!r}: write METRIC=VALUE with METRIC chrf or bleu{hint}")
        try:
            gates[name] = float(number)
        except ValueError:
            raise InputError(f"--fail-under {value!r}: {number!r} is not a number") from None
    return gates


def check_gates(report: Report, gates: dict[str, float]) -> list[GateFailure]:
    """Every article × language whose article-level score falls below a gate."""
    failures = []
    for article in report.articles:
        for version in article.versions:
            if version.scores is None:
                continue
            for metric, minimum in gates.items():
                value = getattr(version.scores, metric)
                if value is not None and value < minimum:
                    failures.append(GateFailure(article.id, version.lang, metric, value, minimum))
    return failures


def _generation_record(settings: Settings, models: Sequence[ModelInfo]) -> dict[str, object]:
    """Generation settings, with the backend and compute type that actually ran."""
    record: dict[str, object] = dict(settings.generation_record())
    record["backend"] = models[0].backend if models else settings.backend
    record["compute_type"] = models[0].compute_type if models else (settings.compute_type or "default")
    record["device"] = models[0].device if models else settings.device
    return record


def _sacrebleu_version() -> str:
    import sacrebleu

    return str(sacrebleu.__version__)
