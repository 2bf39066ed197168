"""The source's own round trip (``--calibrate``): the noise floor of each route, sentence by sentence.

For every version language, each source segment is translated into that
language with public OPUS-MT forward models (:func:`~backtrans.translate.routing.forward_route_for`:
direct where a model exists, through English where not) and back with the very
route the version takes. Its chrF++ against the source is what a perfect
version would still lose in the round trip. The round trips are ordinary jobs
of the run's plan, so they share its model loads, deduplication, cache and
progress bars; :class:`RecordingCache` remembers every translation the run
used, which makes the calibration's own share of the work countable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import NoRouteError
from ..text.segment import segment_document
from ..types import Article, ModelRef, Route, Segment, StageCost
from .plan import Job
from .routing import forward_route_for, round_trip_route
from .translator import BackTranslator, Translations


@dataclass(frozen=True)
class Span:
    """The round trips of one article's source through one version language's route."""

    article: str
    lang: str
    route: Route  #: source → version language → source
    start: int  #: index of its first job among the calibration jobs
    count: int


@dataclass(frozen=True)
class Calibration:
    """The calibration jobs of a run and where each article × language finds its round trips."""

    jobs: tuple[Job, ...]
    spans: tuple[Span, ...]
    #: (article, language, why) of every version that gets no round trip (no forward route): no floor
    skipped: tuple[tuple[str, str, str], ...] = ()
    #: the models of the forward routes (source → version language), which --forward-model chooses
    forward_models: tuple[ModelRef, ...] = ()

    @classmethod
    def plan(
        cls,
        versions: Iterable[tuple[Article, str, Route]],
        settings: Settings,
        sources: Mapping[str, Sequence[Segment]] | None = None,
    ) -> Calibration:
        """One job per source segment and version (article, language, the version's backward route).

        A version whose language has no forward route is skipped: it is scored
        without a floor (see :meth:`warnings`). ``sources``: each article's
        segmented source (article id → segments), segmented here where missing.
        """
        jobs: list[Job] = []
        spans: list[Span] = []
        skipped: list[tuple[str, str, str]] = []
        forward: dict[tuple[str, str], Route | NoRouteError] = {}
        for article, lang, backward in versions:
            key = (lang, article.source_lang)
            if key not in forward:
                try:
                    forward[key] = forward_route_for(lang, article.source_lang, settings.forward_models)
                except NoRouteError as exc:
                    forward[key] = exc
            found = forward[key]
            if isinstance(found, NoRouteError):
                skipped.append((article.id, lang, str(found)))
                continue
            route = round_trip_route(found, backward)
            source = sources[article.id] if sources and article.id in sources else segment_document(article.source)
            spans.append(Span(article.id, lang, route, len(jobs), len(source)))
            jobs.extend(Job(article.id, lang, i, seg.text, route) for i, seg in enumerate(source))
        models = dict.fromkeys(ref for route in forward.values() if isinstance(route, Route) for ref in route.steps)
        return cls(tuple(jobs), tuple(spans), tuple(skipped), tuple(models))

    def round_trips(self, outputs: Sequence[str]) -> dict[tuple[str, str], tuple[str, ...]]:
        """(article, language) → the source's round trip, one text per source segment."""
        return {(s.article, s.lang): tuple(outputs[s.start : s.start + s.count]) for s in self.spans}

    def forward_routes(self) -> dict[str, str]:
        """Version language → its calibration round trip, for the signature."""
        return {s.lang: s.route.describe() for s in sorted(self.spans, key=lambda s: s.lang)}

    def record(self) -> dict[str, Any]:
        """The signature's record of the calibration: each language's round trip, and the languages without one."""
        out: dict[str, Any] = {"round_trips": self.forward_routes()}
        missing = sorted({lang for _, lang, _ in self.skipped} - set(out["round_trips"]))
        if missing:
            out["no_floor"] = missing
        return out

    def warnings(self) -> list[str]:
        """One line per language scored without a floor: how many articles, and why."""
        return no_floor_warnings(self.skipped)


def no_floor_warnings(skipped: Iterable[tuple[str, str, str]]) -> list[str]:
    """``(article, language, why)`` → one warning per language and reason, naming the first articles."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for article, lang, why in skipped:
        grouped.setdefault((lang, why), []).append(article)
    return [
        f"{lang}: no noise floor (scored without --calibrate's floor) in {len(ids)} article(s) "
        f"({', '.join(ids[:3])}{', …' if len(ids) > 3 else ''}): {why}"
        for (lang, why), ids in grouped.items()
    ]


class RecordingCache:
    """The translation cache of one run, remembering every translation the run used.

    A text needed by two steps of the same model (``id → en`` starts the round
    trips of en, zh, ja and ar) is translated once even with ``--no-cache``,
    and afterwards each job's chain of translations can be walked.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.path = getattr(inner, "path", None)
        self.used: dict[tuple[str, str], Any] = {}
        self.new: set[tuple[str, str]] = set()

    def get_many(self, model: str, texts: Iterable[str]) -> dict[str, Any]:
        texts = list(texts)
        found = {t: self.used[(model, t)] for t in texts if (model, t) in self.used}
        fetched = self.inner.get_many(model, [t for t in texts if t not in found])
        for text, value in fetched.items():
            self.used[(model, text)] = value
        return {**found, **fetched}

    def put_many(self, model: str, label: str, outputs: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        self.inner.put_many(model, label, outputs, *args, **kwargs)
        for text, value in outputs.items():
            self.used[(model, text)] = value
            self.new.add((model, text))

    def count(self) -> int:
        return int(self.inner.count())

    def close(self) -> None:
        self.inner.close()


def _output(value: Any) -> str:
    return str(value[0] if isinstance(value, tuple) else value)


def split_costs(
    translator: BackTranslator,
    jobs: Sequence[Job],
    versions: int,
    cache: RecordingCache,
    translations: Translations,
    steps: Sequence[Any],
) -> tuple[StageCost, StageCost]:
    """The translation work of the versions (the first ``versions`` jobs) and what the calibration added.

    A translation both needed is the versions'. Seconds of a model are shared
    out by the number of new translations each side needed from it.
    """
    keys = {step.model: translator.key_for(step.model) for step in steps}

    def chain(job: Job) -> set[tuple[str, str]]:
        pairs, text = set(), job.text
        for model in job.route.steps:
            pair = (keys[model], text)
            if pair not in cache.used:
                break
            pairs.add(pair)
            text = _output(cache.used[pair])
        return pairs

    ours = set().union(*(chain(job) for job in jobs[:versions])) if versions else set()
    theirs = set().union(*(chain(job) for job in jobs[versions:])) - ours
    seconds: dict[str, float] = {}
    for step, run in zip(steps, translations.runs, strict=True):
        seconds[keys[step.model]] = seconds.get(keys[step.model], 0.0) + run.seconds
    new_by_key: dict[str, int] = {}
    their_new: dict[str, int] = {}
    for key, text in cache.new:
        new_by_key[key] = new_by_key.get(key, 0) + 1
        if (key, text) in theirs:
            their_new[key] = their_new.get(key, 0) + 1
    extra = sum(seconds.get(key, 0.0) * their_new.get(key, 0) / n for key, n in new_by_key.items())
    version_models = {model for job in jobs[:versions] for model in job.route.steps}
    loaded = [(step.model, run.loaded) for step, run in zip(steps, translations.runs, strict=True)]
    return (
        StageCost(
            "translation",
            versions,
            len(ours & cache.new),
            len(ours - cache.new),
            sum(seconds.values()) - extra,
            sum(1 for model, was in loaded if was and model in version_models),
        ),
        StageCost(
            "calibration",
            len(jobs) - versions,
            len(theirs & cache.new),
            len(theirs - cache.new),
            extra,
            sum(1 for model, was in loaded if was and model not in version_models),
        ),
    )
