"""The back-translate stage: every selected version's segments with their back-translation.

``back_translate`` carries each version back to the source language with
MarianMT, through the plan (one load per model across the corpus) and the
translation cache; ``read_back_translations`` takes existing ones
(``<lang>.back.txt``) and loads no model. Both return :class:`Prepared` items
that the scoring stages take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from ..config import Settings
from ..errors import InputError, ModelUnavailableError, NoRouteError
from ..files.fileio import shown
from ..text.languages import base_lang
from ..text.segment import read_lines_as_segments, segment_document, segment_text, segment_title
from ..types import Article, Document, ModelInfo, Route, Segment, StageCost, Unscored
from .backends import Backend
from .cache import NullCache, TranslationCache
from .calibration import Calibration, RecordingCache, split_costs
from .plan import Job, build_plan
from .routing import route_for
from .translator import BackTranslator, LimitHit, ProgressFn, Translations


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
    #: ``--calibrate``: the source's own round trip through this route, one text per source segment
    round_trip: tuple[str, ...] | None = None
    #: the steps of this version's translations (and its round trips) that stopped at the length limit
    limits: tuple[LimitHit, ...] = ()


@dataclass(frozen=True)
class Translated:
    """What one run of a plan (the versions' jobs, then any calibration jobs) produced."""

    translations: Translations
    round_trips: dict[tuple[str, str], tuple[str, ...]]
    costs: tuple[StageCost, ...]


def run_jobs(
    jobs: Sequence[Job],
    calibration: Calibration | None,
    settings: Settings,
    *,
    backend: Backend | None = None,
    cache: TranslationCache | NullCache | None = None,
    progress: ProgressFn | None = None,
) -> Translated:
    """Translate the versions' jobs and the calibration's round trips in one plan (one load per model)."""
    every = [*jobs, *(calibration.jobs if calibration else ())]
    plan = build_plan(every)
    recording = RecordingCache(cache or NullCache())
    translator = BackTranslator(settings, backend=backend, cache=cast(TranslationCache, recording), progress=progress)
    if calibration is not None:
        resolve_forward(translator, calibration)
    translations = translator.run(plan)
    costs = split_costs(translator, every, len(jobs), recording, translations, plan.steps)
    if calibration is None:
        return Translated(translations, {}, costs[:1])
    return Translated(translations, calibration.round_trips(translations.outputs[len(jobs) :]), costs)


def resolve_forward(translator: BackTranslator, calibration: Calibration) -> None:
    """Resolve the calibration's forward models first: one that cannot be had is chosen with
    --forward-model, not --model (which chooses the models back into the source language)."""
    translator.backend.compute_type(translator.settings)  # an impossible compute type is found first
    for ref in calibration.forward_models:
        try:
            translator.resolve(ref)
        except ModelUnavailableError as exc:
            message = (
                str(exc)
                .replace("--model LANG=", "--forward-model LANG=")
                .replace("point --model at", "point --forward-model at")
            )
            raise ModelUnavailableError(message) from exc


def wanted(lang: str, langs: Sequence[str] | None) -> bool:
    """Whether a version in ``lang`` is selected by ``--langs`` (None: every language)."""
    return langs is None or lang in langs or base_lang(lang) in langs


def select_versions(articles: Sequence[Article], langs: Sequence[str] | None) -> list[tuple[Article, Document]]:
    """(article, version) pairs to evaluate, in article then language order."""
    pairs = [(article, doc) for article in articles for doc in article.versions if wanted(doc.lang, langs)]
    if not pairs:
        where = ", ".join(a.origin or a.id for a in articles[:3]) + (" …" if len(articles) > 3 else "")
        if langs:
            raise InputError(
                f"no article has a version in {', '.join(langs)} (read: {where}); check --langs and the input files"
            )
        raise InputError(
            f"{where}: only the source text, no version to check; add <lang>.txt files (e.g. en.txt) next to it"
        )
    return pairs


def unscored_versions(
    articles: Sequence[Article], langs: Sequence[str] | None, prepared: Sequence[Prepared], mode: str
) -> tuple[list[Unscored], list[str]]:
    """Versions asked for but not scored (no back-translation, a ``--langs`` language missing), and warnings.

    A missing back-translation was already warned about where it was found; a
    missing language is warned about here.
    """
    done = {(item.article.id, item.lang) for item in prepared}
    out: list[Unscored] = []
    warnings: list[str] = []
    for article in articles:
        if not article.versions:
            warnings.append(f"{article.origin or article.id}: only the source text, no version to check; skipped")
        for doc in article.versions:
            if wanted(doc.lang, langs) and (article.id, doc.lang) not in done:
                reason = f"no {doc.lang}.back.txt" if mode == "score" else "not back-translated"
                out.append(Unscored(article.id, doc.lang, reason))
        for lang in langs or ():
            if not any(wanted(doc.lang, (lang,)) for doc in article.versions):
                out.append(Unscored(article.id, lang, f"the article has no {lang} version"))
                warnings.append(f"{article.origin or article.id}: no {lang} version (asked for by --langs)")
    return out, warnings


def back_segments(version: tuple[Segment, ...], outputs: Sequence[str]) -> tuple[Segment, ...]:
    """A version's segments with their back-translated texts (one output per segment, in order)."""
    return tuple(Segment(s.paragraph, s.sentence, out) for s, out in zip(version, outputs, strict=True))


def back_translate(
    articles: Sequence[Article],
    settings: Settings,
    *,
    backend: Backend | None = None,
    cache: TranslationCache | NullCache | None = None,
    progress: ProgressFn | None = None,
    sources: Mapping[str, Sequence[Segment]] | None = None,
) -> tuple[list[Prepared], tuple[ModelInfo, ...], list[str], tuple[StageCost, ...], Calibration | None]:
    """Back-translate every selected version with MarianMT (through the plan and the cache); with
    ``settings.calibrate`` the source's own round trips go through the same plan (a language with
    no forward route is scored without a floor, with a warning)."""
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
    calibration = (
        Calibration.plan(((a, d.lang, routes[(d.lang, a.source_lang)]) for a, d in pairs), settings, sources)
        if settings.calibrate
        else None
    )
    done = run_jobs(jobs, calibration, settings, backend=backend, cache=cache, progress=progress)
    translations = done.translations
    trips = _round_trip_limits(calibration.jobs if calibration else (), translations.limits[len(jobs) :])
    prepared = []
    for article, doc, segments, start in spans:
        outputs = translations.outputs[start : start + len(segments)]
        truncated = sum(translations.hit_limit[start : start + len(segments)])
        limits = [hit for hits in translations.limits[start : start + len(segments)] for hit in hits]
        prepared.append(
            Prepared(
                article,
                doc.lang,
                routes[(doc.lang, article.source_lang)],
                segments,
                back_segments(segments, outputs),
                tuple(range(len(segments))),
                truncated,
                done.round_trips.get((article.id, doc.lang)),
                (*limits, *trips.get((article.id, doc.lang), ())),
            )
        )
    warnings = calibration.warnings() if calibration else []
    warnings += limit_warnings(hit for hits in translations.limits for hit in hits)
    return prepared, translations.models, warnings, done.costs, calibration


def _round_trip_limits(
    jobs: Sequence[Job], limits: Sequence[tuple[LimitHit, ...]]
) -> dict[tuple[str, str], list[LimitHit]]:
    """(article, language) → the length-limit hits of its round trips (``limits``: one entry per job)."""
    out: dict[tuple[str, str], list[LimitHit]] = {}
    for job, hits in zip(jobs, limits, strict=True):
        if hits:
            out.setdefault((job.article, job.lang), []).extend(hits)
    return out


def limit_warnings(hits: Iterable[LimitHit]) -> list[str]:
    """One warning per model: how many of its translations stopped at the output length limit (each step's
    text once, however many segments and chunks shared it; models in name order)."""
    per_model: dict[str, set[str]] = {}
    for name, key in hits:
        per_model.setdefault(name, set()).add(key)
    return [
        f"{shown(name)}: {len(keys)} translation(s) stopped at the output length limit "
        "(a looping or runaway output); look at their segments"
        for name, keys in sorted(per_model.items())
    ]


def calibrate_existing(
    prepared: Sequence[Prepared],
    settings: Settings,
    *,
    backend: Backend | None = None,
    cache: TranslationCache | NullCache | None = None,
    progress: ProgressFn | None = None,
    sources: Mapping[str, Sequence[Segment]] | None = None,
) -> tuple[list[Prepared], tuple[ModelInfo, ...], list[str], tuple[StageCost, ...], Calibration]:
    """``score --calibrate``: the source's round trips through each language's MarianMT route.

    The floor assumes the existing back-translations came from those routes
    (the default ones, or ``--model``); a language without a route back or
    forward is scored without a floor, with a warning.
    """
    versions: list[tuple[Article, str, Route]] = []
    skipped: list[tuple[str, str, str]] = []
    for item in prepared:
        try:
            versions.append((item.article, item.lang, route_for(item.lang, item.article.source_lang, settings.models)))
        except NoRouteError as exc:
            skipped.append((item.article.id, item.lang, str(exc)))
    calibration = Calibration.plan(versions, settings, sources)
    calibration = replace(calibration, skipped=(*skipped, *calibration.skipped))
    if not calibration.jobs:
        return list(prepared), (), calibration.warnings(), (), calibration
    done = run_jobs([], calibration, settings, backend=backend, cache=cache, progress=progress)
    trips = _round_trip_limits(calibration.jobs, done.translations.limits)
    out = [
        replace(
            item,
            round_trip=done.round_trips.get((item.article.id, item.lang)),
            limits=(*item.limits, *trips.get((item.article.id, item.lang), ())),
        )
        for item in prepared
    ]
    return out, done.translations.models, calibration.warnings(), done.costs[1:], calibration


def _back_file(doc: Document) -> str:
    """Where a supplied back-translation came from: ``en.back.txt``, or the JSONL line."""
    if doc.origin.endswith(".txt"):
        return Path(doc.origin).name[: -len(".txt")] + ".back.txt"
    return f"{doc.origin} (back)"


#: why ``score`` has nothing to score
NO_BACK_TRANSLATIONS = (
    "no back-translations found: `backtrans score` reads <lang>.back.txt next to each <lang>.txt; "
    "write them or use `backtrans run`"
)


def no_back_warning(doc: Document) -> str:
    """The warning about a version that ``score`` cannot score: it has no back-translation."""
    return f"{doc.origin}: no {doc.lang}.back.txt next to it; {doc.lang} was not scored"


def paragraph_origin(segments: Sequence[Segment], back: Sequence[Segment]) -> tuple[int, ...] | None:
    """Which version segment each back segment came from, where a back-translation was supplied by paragraph.

    A back-translation written one paragraph per paragraph of the version (not one line per segment) says which
    paragraph each of its sentences translates; where every paragraph has as many sentences on both sides, the
    k-th sentence of a paragraph comes from the version's k-th. None otherwise (a sentence merged or split
    somewhere): the pairs then show the version's whole paragraph, and no rule reads the version sentence by
    sentence through a guess.
    """
    mine: dict[int, list[int]] = {}
    theirs: dict[int, list[int]] = {}
    for i, seg in enumerate(segments):
        mine.setdefault(seg.paragraph, []).append(i)
    for j, seg in enumerate(back):
        theirs.setdefault(seg.paragraph, []).append(j)
    if mine.keys() != theirs.keys() or any(len(mine[p]) != len(theirs[p]) for p in mine):
        return None
    origin = [0] * len(back)
    for p, js in theirs.items():
        for i, j in zip(mine[p], js, strict=True):
            origin[j] = i
    return tuple(origin)


def read_back_translations(articles: Sequence[Article], settings: Settings) -> tuple[list[Prepared], list[str]]:
    """Use existing back-translations (``<lang>.back.txt``); no model is loaded."""
    pairs = select_versions(articles, settings.langs)
    prepared: list[Prepared] = []
    warnings: list[str] = []
    for article, doc in pairs:
        if doc.back is None:
            warnings.append(no_back_warning(doc))
            continue
        segments = segment_document(doc)
        back = read_lines_as_segments(doc.back, doc.back_title)
        origin: tuple[int, ...] | None
        if len(back) == len(segments):
            # one line per version segment: the format `backtrans run` writes
            back = back_segments(segments, [b.text for b in back])
            origin = tuple(range(len(segments)))
        else:
            back = segment_title(doc.back_title, article.source_lang) + segment_text(doc.back, article.source_lang)
            origin = paragraph_origin(segments, back)
        route = Route(doc.lang, article.source_lang, (), (doc.lang, article.source_lang), supplied=_back_file(doc))
        prepared.append(Prepared(article, doc.lang, route, segments, back, origin))
    if not prepared:
        raise InputError(NO_BACK_TRANSLATIONS)
    return prepared, warnings
