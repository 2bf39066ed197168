"""The Ray engine (``--engine ray``): the same stages on Ray Data, on a laptop or a cluster.

read (the driver lists and checks the inputs; tasks read the articles) → explode into segment rows →
``map_batches`` through one actor pool per model, in the plan's order (every pivot step first, then
every step into the source language; each actor loads its model once and keeps it) → regroup the
rows per article (``groupby``) → score, flag and assemble each article in a task → the driver writes
each finished article to the journal as it arrives → the summaries and pages from what was written
(:func:`~.finish.finish_run`, shared with the local engine). Per article this runs the very functions
of the local engine (:func:`backtrans.pipeline.score_article`, the translator's cache-aware step), so
the results are the same for the same inputs and models.

What plays the translation cache's part: the journal (an interrupted run skips every article it
wrote), and the SQLite cache itself where the actors can reach its file (always on a local Ray; on a
cluster only through a shared file system, which SQLite handles poorly: pass ``--no-cache`` there).
``--semantic`` and ``--calibrate`` run on the local engine only.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..backends import get_backend, resolve_device
from ..backtranslate import Prepared, _back_segments, read_back_translations, select_versions
from ..cache import open_cache
from ..config import Settings
from ..errors import BacktransError, InputError
from ..gates import GateFailure
from ..loading import Source, iter_sources, read_sources
from ..pipeline import align_article, score_article
from ..plan import Job, build_plan
from ..report.json import from_data, to_data
from ..routing import route_for
from ..scoring import Scorer
from ..segment import segment_document
from ..store import RunFolder, Stored, article_key, models_match, record_line, run_key
from ..translate import BackTranslator
from ..types import Article, ModelInfo, ModelRef, Report, Route
from .finish import KeepLoaded, RunState, finish_run

#: actors per model when --workers is not given
DEFAULT_WORKERS = 2
#: rows per batch through a model's actors
ROWS_PER_BATCH = 256


@dataclass(frozen=True)
class RayOptions:
    address: str | None = None  #: a running cluster; None: a local Ray sized to this machine
    workers: int | None = None  #: actors per model
    gpus_per_worker: float | None = None  #: GPUs each model actor asks for


def start_ray(options: RayOptions) -> Any:
    """Connect to the cluster, or start a local Ray with this machine's CPUs (and GPUs, which Ray finds)."""
    try:
        import ray
    except ImportError:
        raise InputError("--engine ray needs Ray: pip install 'backtrans[ray]'") from None
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
        if options.address:
            kwargs["address"] = options.address
        else:
            kwargs["num_cpus"] = os.cpu_count() or 1
        try:
            ray.init(**kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise BacktransError(
                f"--ray-address {options.address}: cannot connect ({exc}); start the cluster"
            ) from None
    return ray


def _name(ref: ModelRef) -> str:
    return ref.name if not ref.target_token else f"{ref.name}@{ref.target_token}"


class _Translate:
    """A Ray actor that holds one model: translates the segment rows whose next step is its model."""

    def __init__(self, settings: Settings, ref: tuple[str, str | None], output_lang: str, level: int) -> None:
        self.settings = settings
        self.ref = ModelRef(ref[0], ref[1])
        self.output_lang = output_lang
        self.level = level
        self.translator = BackTranslator(
            settings,
            backend=get_backend(settings.backend),
            cache=open_cache(settings.effective_cache_path, settings.use_cache),
        )
        self.loaded: dict[ModelRef, Any] = {}

    def __call__(self, batch: Any) -> Any:
        kinds, routes, steps = batch["kind"].tolist(), batch["route"].tolist(), batch["step"].tolist()
        mine = [
            k
            for k, (kind, route, step) in enumerate(zip(kinds, routes, steps, strict=True))
            if kind == "seg" and _at(route, step) == (self.ref.name, self.ref.target_token, self.level)
        ]
        if not mine:
            return batch
        text, hit = batch["text"].tolist(), batch["hit"].tolist()
        texts = [text[k] for k in mine]
        results, _ = self.translator._run_step(self.ref, self.output_lang, list(dict.fromkeys(texts)), self.loaded)
        for k, source in zip(mine, texts, strict=True):
            out, limit = results[source]
            text[k], steps[k], hit[k] = out, steps[k] + 1, bool(hit[k]) or limit
        return batch.assign(text=text, step=steps, hit=hit)


def _at(route: str, step: int) -> tuple[str, str | None, int] | None:
    """The model of a segment row's next step and the steps left after it."""
    steps = json.loads(route)
    if step >= len(steps):
        return None
    name, token = steps[step]
    return name, token, len(steps) - 1 - step


def _explode(row: dict[str, Any], settings: Settings, mode: str) -> list[dict[str, Any]]:
    """One article row → the article row and, for ``run``, one row per version segment."""
    source = Source(**json.loads(row["source"]))
    ((article, _),) = read_sources([source], settings.source_lang)
    base = {"i": row["i"], "id": article.id, "lang": "", "k": 0, "text": "", "route": "[]", "step": 0, "hit": False}
    rows = [{**base, "kind": "article", "text": json.dumps(to_data(article), ensure_ascii=False)}]
    if mode != "run":
        return rows
    try:
        pairs = select_versions([article], settings.langs)
    except InputError:
        return rows
    for _, doc in pairs:
        route = route_for(doc.lang, article.source_lang, settings.models)
        steps = json.dumps([[ref.name, ref.target_token] for ref in route.steps])
        for k, seg in enumerate(segment_document(doc)):
            rows.append({**base, "kind": "seg", "lang": doc.lang, "k": k, "text": seg.text, "route": steps})
    return rows


def _score(group: Any, settings: Settings, mode: str, run: str, models: Sequence[ModelInfo]) -> Any:
    """All rows of one article → its journal line (empty when nothing of it was scored)."""
    import pandas as pd

    rows = group.to_dict("records")
    head = next(r for r in rows if r["kind"] == "article")
    article = from_data(Article, json.loads(head["text"]))
    line, used = "", "[]"
    if mode == "run":
        prepared = []
        segs = sorted((r for r in rows if r["kind"] == "seg"), key=lambda r: (r["lang"], r["k"]))
        for _, doc in _selected(article, settings):
            route = route_for(doc.lang, article.source_lang, settings.models)
            mine = [r for r in segs if r["lang"] == doc.lang]
            segments = segment_document(doc)
            back = _back_segments(segments, [r["text"] for r in mine])
            truncated = sum(bool(r["hit"]) for r in mine)
            prepared.append(Prepared(article, doc.lang, route, segments, back, tuple(range(len(segments))), truncated))
    else:
        try:
            prepared, _ = read_back_translations([article], settings)
        except InputError:
            prepared = []
    if prepared:
        scorer = Scorer(article.source_lang, bootstrap=settings.bootstrap)
        links = align_article(article, prepared, scorer)
        scored = score_article(article, prepared, scorer, settings, links)
        mine_models = tuple(m for m in models if any(_uses(p.route, m) for p in prepared))
        stored = Stored(scored.result, scored.stats, scored.documents, {}, mine_models)
        line = record_line(stored, article_key(article), run)
        used = json.dumps(to_data(mine_models))
    return pd.DataFrame([{"i": head["i"], "id": article.id, "line": line, "models": used}])


def _selected(article: Article, settings: Settings) -> list[Any]:
    try:
        return select_versions([article], settings.langs)
    except InputError:
        return []


def _uses(route: Route, model: ModelInfo) -> bool:
    return any(model.name == _name(ref) for ref in route.steps)


def run_ray(
    inputs: Sequence[str | Path],
    settings: Settings,
    out: Path,
    *,
    mode: str = "run",
    formats: Sequence[str] = ("json", "csv", "md", "html"),
    gates: dict[str, float] | None = None,
    options: RayOptions | None = None,
) -> tuple[Report, list[Path], list[GateFailure]]:
    """Evaluate a corpus on Ray Data into ``out`` (resuming what an earlier run wrote there)."""
    if settings.semantic or settings.calibrate:
        raise InputError("--semantic and --calibrate run on the local engine only; drop --engine ray for them")
    options = options or RayOptions()
    state = RunState(settings, mode)
    folder = RunFolder(out)
    folder.open()
    run = run_key(settings, mode)
    engine = KeepLoaded(get_backend(settings.backend)) if mode == "run" else None
    try:
        todo, reused, routes = _survey(inputs, settings, mode, folder, run, engine, state)
        models = _models(routes, settings, engine) if engine is not None else ()
        state.add(models, (), ())
        found: list[tuple[int, str]] = list(reused)
        if todo:
            ray = start_ray(options)
            for i, article_id, line, used in _execute(ray, todo, routes, settings, mode, run, models, options):
                if line:
                    folder.append(article_id, line, article_key_of(line), run, [from_data(ModelInfo, m) for m in used])
                    found.append((i, article_id))
            folder.sync()
        state.order = [article_id for _, article_id in sorted(found)]
        if not state.order:
            raise InputError(state.empty or "no article had anything to score; check the inputs")
        return finish_run(folder, state, formats, gates or {})
    finally:
        folder.close()


def article_key_of(line: str) -> str:
    return str(json.loads(line)["input"])


def _survey(
    inputs: Sequence[str | Path],
    settings: Settings,
    mode: str,
    folder: RunFolder,
    run: str,
    engine: Any,
    state: RunState,
) -> tuple[list[tuple[int, Source]], list[tuple[int, str]], set[Route]]:
    """The driver reads and checks every article once (errors name the article or line before any work),
    decides which the journal already holds, and finds the routes the rest need."""
    seen: dict[str, str] = {}
    todo: list[tuple[int, Source]] = []
    reused: list[tuple[int, str]] = []
    routes: set[Route] = set()
    for i, source in enumerate(iter_sources(inputs, state.warn)):
        ((article, warnings),) = read_sources([source], settings.source_lang)
        for message in warnings:
            state.warn(message)
        if article.id in seen:
            raise InputError(
                f"{article.origin}: article id {article.id!r} is also used by {seen[article.id]}; "
                "ids must be unique (set id in meta.json)"
            )
        seen[article.id] = article.origin
        pairs = _selected(article, settings)
        if not pairs:
            state.empty = f"no article has a version in {', '.join(settings.langs or ())}; check --langs"
            continue
        article_routes = {route_for(doc.lang, article.source_lang, settings.models) for _, doc in pairs}
        entry = folder.reusable(article.id, article_key(article), run)
        if entry is not None and (engine is None or models_match(entry, _revisions(article_routes, settings, engine))):
            reused.append((i, article.id))
            continue
        if mode == "score" and all(doc.back is None for _, doc in pairs):
            for _, doc in pairs:
                state.warn(f"{doc.origin}: no {doc.lang}.back.txt next to it; {doc.lang} was not scored")
            state.empty = "no back-translations found: `backtrans score` reads <lang>.back.txt next to each <lang>.txt"
            continue
        todo.append((i, source))
        routes |= article_routes
    return todo, reused, routes


def _revisions(routes: set[Route], settings: Settings, engine: Any) -> dict[str, str]:
    return {_name(ref): engine.resolve(ref, settings).revision for route in routes for ref in route.steps}


def _models(routes: set[Route], settings: Settings, engine: Any) -> tuple[ModelInfo, ...]:
    """The models of the run's routes, as the signature records them (resolved once, at the driver)."""
    plan = build_plan([Job("", route.lang, 0, "", route) for route in sorted(routes, key=lambda r: r.path)])
    return tuple(
        ModelInfo(
            name=_name(model),
            revision=engine.resolve(model, settings).revision,
            backend=engine.name,
            compute_type=engine.compute_type(settings),
            device=resolve_device(settings.device),
        )
        for model in plan.models
    )


def _execute(
    ray: Any,
    todo: list[tuple[int, Source]],
    routes: set[Route],
    settings: Settings,
    mode: str,
    run: str,
    models: Sequence[ModelInfo],
    options: RayOptions,
) -> Any:
    """The Ray Data pipeline; yields (index, id, journal line, models) per article as they finish."""
    import ray.data
    from ray.data import ActorPoolStrategy

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    workers = options.workers or DEFAULT_WORKERS
    rows = [{"i": i, "source": json.dumps(dataclasses.asdict(source))} for i, source in todo]
    ds = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), 4 * workers)))
    ds = ds.flat_map(lambda row: _explode(row, settings, mode), num_cpus=0.5)
    plan = build_plan([Job("", route.lang, 0, "", route) for route in sorted(routes, key=lambda r: r.path)])
    steps = [(step.model, step.output_lang, step.remaining) for step in plan.steps]
    cpus = float(ray.cluster_resources().get("CPU", 1))
    per_actor = max(0.01, min(1.0, cpus / (2 * max(1, len(steps)) * workers)))
    for model, output_lang, level in steps:
        ds = ds.map_batches(
            _Translate,
            fn_constructor_kwargs={
                "settings": settings,
                "ref": (model.name, model.target_token),
                "output_lang": output_lang,
                "level": level,
            },
            compute=ActorPoolStrategy(size=workers),
            batch_size=ROWS_PER_BATCH,
            batch_format="pandas",
            num_cpus=per_actor,
            num_gpus=options.gpus_per_worker or 0,
        )
    scored = ds.groupby("i", num_partitions=max(1, min(len(todo), 2 * workers))).map_groups(
        lambda group: _score(group, settings, mode, run, models), batch_format="pandas", num_cpus=0.5
    )
    try:
        for row in scored.iter_rows():
            yield int(row["i"]), str(row["id"]), str(row["line"]), json.loads(row["models"])
    except Exception as exc:
        cause = getattr(exc, "cause", None) or exc.__cause__
        if isinstance(cause, BacktransError):
            raise cause from None
        raise
