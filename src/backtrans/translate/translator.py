"""Back-translate: run a :class:`~backtrans.translate.plan.Plan` through a backend and the cache.

Per step (one model): identical texts are translated once, cached ones not at
all; the rest are split where longer than the model accepts (never cut),
sorted by length, batched, and committed to the cache after every batch. A
model is loaded only when it has something to translate, and released after
its last step.

A text's result never depends on its batch, on the order of the work or on
what was cached before: each text gets its own output budget, a function of
its own length, and the backends honour it per text (see
:func:`backtrans.translate.backends.base.per_budget`). Whether a text stopped at its
budget is stored with it in the cache, so a warm rerun reports the same.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..config import DEFAULT_LENGTH_SLACK, Settings
from ..files.fileio import shown
from ..text.segment import join_segments
from ..types import ModelInfo, ModelRef
from .backends import Backend, ResolvedModel, Translator, get_backend, resolve_device
from .backends._limits import available_memory, batch_limit, check_beams, model_shape
from .backends.splitting import units_that_fit
from .cache import NullCache, TranslationCache, model_key
from .plan import Plan


@dataclass(frozen=True)
class ProgressEvent:
    """Progress of one model: ``done`` of ``total`` texts to translate (cached ones excluded)."""

    model: str
    done: int
    total: int
    phase: str  #: "start", "advance" or "end"


ProgressFn = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class ModelRun:
    """What one step did."""

    model: ModelInfo
    texts: int  #: unique texts this step needed
    cached: int  #: of them, found in the cache
    translated: int  #: of them, translated now
    split: int  #: translated texts that were longer than the model accepts and split
    hit_limit: int  #: of the unique texts (cached ones too), how many stopped at the output length limit
    loaded: bool
    seconds: float


#: (model name, :func:`limit_key`): one text of one step that stopped at the output length limit
LimitHit = tuple[str, str]


def limit_key(remaining: int, text: str) -> str:
    """Names one step's input text (the step: its model and the steps left after it) in a few bytes."""
    return f"{remaining}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:20]}"


@dataclass(frozen=True)
class Translations:
    outputs: tuple[str, ...]  #: back-translation of each job, in plan order
    hit_limit: tuple[bool, ...]  #: whether any step of the job stopped at the length limit
    runs: tuple[ModelRun, ...]
    #: per job, every step where it stopped at the length limit (the warning counts them per model, once per
    #: step and text, however many jobs and chunks share the text)
    limits: tuple[tuple[LimitHit, ...], ...] = ()

    @property
    def models(self) -> tuple[ModelInfo, ...]:
        return tuple(dict.fromkeys(run.model for run in self.runs))


def max_new_tokens(input_tokens: int, settings: Settings, cap: int) -> int:
    """Output budget of one text: ``ceil(ratio × n) + slack``, within the model's limit (the text's alone)."""
    return max(1, min(cap, math.ceil(settings.max_length_ratio * input_tokens) + DEFAULT_LENGTH_SLACK))


def _batches(
    units: Sequence[tuple[int, int, str, int]], batch_size: int, room: Callable[[int], int] | None
) -> list[list[tuple[int, int, str, int]]]:
    """Length-sorted units in batches of at most ``batch_size``, and of at most ``room(longest input)``
    where memory bounds a batch (the first unit of a batch is its longest)."""
    batches: list[list[tuple[int, int, str, int]]] = []
    for unit in units:
        if batches and len(batches[-1]) < min(batch_size, room(batches[-1][0][3]) if room else batch_size):
            batches[-1].append(unit)
        else:
            batches.append([unit])
    return batches


def translate_texts(
    translator: Translator,
    texts: Sequence[str],
    settings: Settings,
    output_lang: str,
    on_batch: Callable[[dict[str, tuple[str, bool]]], None],
    fit: Callable[[int, int], int] | None = None,
) -> int:
    """Translate ``texts`` (unique), calling ``on_batch`` with the texts each batch completed.

    ``fit(input tokens, budget)`` bounds the texts per batch (memory). Returns how many texts were split.
    """
    units, pieces_left, split = units_that_fit(texts, translator.count_tokens, translator.max_input_tokens)
    outputs: list[list[str]] = [[""] * n for n in pieces_left]
    hits = [False] * len(texts)

    def budget_of(tokens: int) -> int:
        return max_new_tokens(tokens, settings, translator.max_output_tokens)

    room = (lambda tokens: fit(tokens, budget_of(tokens))) if fit else None
    for batch in _batches(units, settings.batch_size, room):
        generated = translator.generate([u[2] for u in batch], [budget_of(u[3]) for u in batch])
        finished: dict[str, tuple[str, bool]] = {}
        for (i, k, _, _), gen in zip(batch, generated, strict=True):
            outputs[i][k] = gen.text
            hits[i] = hits[i] or gen.hit_limit
            pieces_left[i] -= 1
            if pieces_left[i] == 0:
                finished[texts[i]] = (join_segments(outputs[i], output_lang), hits[i])
        on_batch(finished)
    return split


class BackTranslator:
    """Executes plans with one backend and one cache; resolves each model once."""

    def __init__(
        self,
        settings: Settings,
        *,
        backend: Backend | None = None,
        cache: TranslationCache | NullCache | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend or get_backend(settings.backend)
        self.cache = cache or NullCache()
        self.progress = progress
        self._resolved: dict[ModelRef, ResolvedModel] = {}
        self._fit: dict[ModelRef, Callable[[int, int], int] | None] = {}

    def resolve(self, ref: ModelRef) -> ResolvedModel:
        if ref not in self._resolved:
            self._resolved[ref] = self.backend.resolve(ref, self.settings)
        return self._resolved[ref]

    def model_info(self, ref: ModelRef) -> ModelInfo:
        resolved = self.resolve(ref)
        return ModelInfo(
            name=ref.name if not ref.target_token else f"{ref.name}@{ref.target_token}",
            revision=resolved.revision,
            backend=self.backend.name,
            compute_type=self.backend.compute_type(self.settings),
            device=resolve_device(self.settings.device),
        )

    def key_for(self, ref: ModelRef) -> str:
        info = self.model_info(ref)
        return model_key(
            model=ref.name,
            target_token=ref.target_token,
            revision=info.revision,
            backend=info.backend,
            compute_type=info.compute_type,
            generation=self.settings.generation_record(),
        )

    def check_limits(self, plan: Plan) -> None:
        """Refuse --beams that a model or the memory cannot hold, before any work; remember batch limits."""
        for model in plan.models:
            self.check_model(model)

    def check_model(self, model: ModelRef) -> None:
        """:meth:`check_limits` for one model (a worker that runs one model of a plan)."""
        device = resolve_device(self.settings.device)
        free = available_memory(device)
        shape = model_shape(self.resolve(model))
        if shape is not None:
            check_beams(shape, self.settings.beams, shown(self.model_info(model).name), device, free)
        self._fit[model] = batch_limit(shape, self.settings.beams, free)

    def run_step(
        self, model: ModelRef, output_lang: str, unique: list[str], loaded: dict[ModelRef, Translator]
    ) -> tuple[dict[str, tuple[str, bool]], ModelRun]:
        """One step of a plan over its unique input texts (a worker that runs one model of a plan)."""
        return self._run_step(model, output_lang, unique, loaded)

    def run(self, plan: Plan) -> Translations:
        self.backend.compute_type(self.settings)  # an impossible compute type is a usage error, found first
        for model in plan.models:  # a model that cannot be had fails the run before any work
            self.resolve(model)
        self.check_limits(plan)
        current = [job.text for job in plan.jobs]
        hit = [False] * len(plan.jobs)
        limits: list[tuple[LimitHit, ...]] = [()] * len(plan.jobs)
        last_use = {step.model: i for i, step in enumerate(plan.steps)}
        loaded: dict[ModelRef, Translator] = {}
        runs: list[ModelRun] = []
        for s, step in enumerate(plan.steps):
            unique = list(dict.fromkeys(current[j] for j in step.jobs))
            results, run = self._run_step(step.model, step.output_lang, unique, loaded)
            for j in step.jobs:
                out, limit_hit = results[current[j]]
                if limit_hit:
                    hit[j] = True
                    limits[j] += ((run.model.name, limit_key(step.remaining, current[j])),)
                current[j] = out
            if last_use[step.model] == s:
                loaded.pop(step.model, None)
            runs.append(run)
        return Translations(tuple(current), tuple(hit), tuple(runs), tuple(limits))

    def _run_step(
        self, model: ModelRef, output_lang: str, unique: list[str], loaded: dict[ModelRef, Translator]
    ) -> tuple[dict[str, tuple[str, bool]], ModelRun]:
        """Translate the unique texts of one step: the cache first, then the model for the rest."""
        began = time.perf_counter()
        key = self.key_for(model)
        label = self.model_info(model).name
        results = self.cache.get_many(key, unique)
        cached = len(results)
        missing = [t for t in unique if t not in results]
        split = 0
        was_loaded = False
        if missing:
            if model not in loaded:
                loaded[model] = self.backend.load(self.resolve(model), self.settings)
                was_loaded = True
            self._emit(label, 0, len(missing), "start")

            def store(finished: dict[str, tuple[str, bool]]) -> None:
                results.update(finished)
                self.cache.put_many(key, label, finished)
                self._emit(label, len(results) - cached, len(missing), "advance")

            split = translate_texts(loaded[model], missing, self.settings, output_lang, store, self._fit.get(model))
            self._emit(label, len(results) - cached, len(missing), "end")
        run = ModelRun(
            model=self.model_info(model),
            texts=len(unique),
            cached=cached,
            translated=len(missing),
            split=split,
            hit_limit=sum(results[text][1] for text in unique),
            loaded=was_loaded,
            seconds=time.perf_counter() - began,
        )
        return results, run

    def _emit(self, model: str, done: int, total: int, phase: str) -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(model, done, total, phase))
