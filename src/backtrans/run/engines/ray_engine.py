"""The Ray engine (``--engine ray``): the same stages on Ray Data, on a laptop or a cluster.

read (the driver reads and checks every article, and skips what the journal holds) → explode into segment rows →
``map_batches`` through one actor pool per model, in the plan's order (every pivot step first, then
every step into the source language; each actor loads its model once and keeps it) → regroup the
rows per article (``groupby``) → score, flag and assemble each article in a task → the driver writes
each finished article to the journal as it arrives → the summaries and pages from what was written
(:func:`~._finish.finish_run`, shared with the local engine). Per article this runs the very functions
of the local engine (:func:`backtrans.run.stages.score_prepared`, the translator's cache-aware step), so
the results are the same for the same inputs and models. The driver holds the articles it sends (their
texts), not their results.

What plays the translation cache's part: the journal (an interrupted run skips every article it
wrote), and the SQLite cache itself where the actors can reach its file (always on a local Ray; on a
cluster only through a shared file system, which SQLite handles poorly: pass ``--no-cache`` there).
``--semantic`` and ``--calibrate`` run on the local engine only. ``score`` translates nothing, so it
starts no model actor. Before submitting, the driver checks that some node of the cluster has the GPUs
one actor asks for (Ray would otherwise wait for ever). An error inside Ray reaches the caller as the
backtrans error it wraps, or as its root cause without Ray's traceback (:func:`root_cause`).
"""

from __future__ import annotations

import builtins
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import errors
from ...config import Settings
from ...errors import BacktransError, InputError
from ...files.outdir import check_out
from ...files.serial import from_data, to_data
from ...load.loading import iter_inputs
from ...text.segment import segment_document
from ...translate.backends import get_backend
from ...translate.backtranslate import Prepared, back_segments, select_versions
from ...translate.cache import open_cache
from ...translate.plan import Job, build_plan
from ...translate.routing import route_for
from ...translate.translator import BackTranslator, limit_key
from ...types import Article, ModelInfo, ModelRef, Report, Route, StageCost
from .._accumulate import sum_costs
from .._store import RunFolder, article_key, entry_line, models_match, run_key
from ..assembly import Assembly
from ..gates import GateFailure
from ..stages import MODES, evaluate_chunk, score_prepared, unscoreable
from ._finish import MAX_WARNINGS, KeepLoaded, finish_run

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
        raise InputError("--engine ray needs Ray: pip install -e '.[ray]' in the backtrans clone") from None
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
        self.translator.check_model(self.ref)
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
        text, limits, costs = batch["text"].tolist(), batch["limits"].tolist(), batch["cost"].tolist()
        texts = [text[k] for k in mine]
        results, run = self.translator.run_step(self.ref, self.output_lang, list(dict.fromkeys(texts)), self.loaded)
        # what this step cost, on the first row it served (the journal sums it: costs survive the regrouping)
        step = [run.translated, run.cached, run.seconds, run.loaded]
        costs[mine[0]] = json.dumps([*json.loads(costs[mine[0]]), step])
        for k, source in zip(mine, texts, strict=True):
            out, limit = results[source]
            if limit:
                limits[k] = json.dumps([*json.loads(limits[k]), [run.model.name, limit_key(self.level, source)]])
            text[k], steps[k] = out, steps[k] + 1
        return batch.assign(text=text, step=steps, limits=limits, cost=costs)


def _at(route: str, step: int) -> tuple[str, str | None, int] | None:
    """The model of a segment row's next step and the steps left after it."""
    steps = json.loads(route)
    if step >= len(steps):
        return None
    name, token = steps[step]
    return name, token, len(steps) - 1 - step


def _explode(row: dict[str, Any], settings: Settings, mode: str) -> list[dict[str, Any]]:
    """One article row → the article row and, for ``run``, one row per version segment."""
    article = from_data(Article, json.loads(row["article"]))
    base = {"i": row["i"], "lang": "", "k": 0, "text": "", "route": "[]", "step": 0, "limits": "[]", "cost": "[]"}
    rows = [{**base, "kind": "article", "text": row["article"]}]
    if mode != "run":
        return rows
    for _, doc in _selected(article, settings):
        route = route_for(doc.lang, article.source_lang, settings.models)
        steps = json.dumps([[ref.name, ref.target_token] for ref in route.steps])
        for k, seg in enumerate(segment_document(doc)):
            rows.append({**base, "kind": "seg", "lang": doc.lang, "k": k, "text": seg.text, "route": steps})
    return rows


def _score(group: Any, settings: Settings, mode: str, run: str, models: Sequence[ModelInfo]) -> Any:
    """All rows of one article → its journal line."""
    import pandas as pd

    rows = group.to_dict("records")
    head = next(r for r in rows if r["kind"] == "article")
    article = from_data(Article, json.loads(head["text"]))
    prepared: list[Prepared] = []
    if mode == "run":
        segs = sorted((r for r in rows if r["kind"] == "seg"), key=lambda r: (r["lang"], r["k"]))
        for _, doc in _selected(article, settings):
            route = route_for(doc.lang, article.source_lang, settings.models)
            mine = [r for r in segs if r["lang"] == doc.lang]
            segments = segment_document(doc)
            back = back_segments(segments, [r["text"] for r in mine])
            hits = [tuple(hit) for r in mine for hit in json.loads(r["limits"])]
            truncated = sum(bool(json.loads(r["limits"])) for r in mine)
            prepared.append(
                Prepared(
                    article, doc.lang, route, segments, back, tuple(range(len(segments))), truncated, None, tuple(hits)
                )
            )
        chunk = score_prepared([article], prepared, settings, mode, models=models)
    else:
        chunk = evaluate_chunk([article], settings, mode)
    (entry,) = chunk.articles
    steps = [step for r in rows for step in json.loads(r["cost"])]
    cost = [
        len([r for r in rows if r["kind"] == "seg"]),  # version segments, as the local engine counts them
        sum(int(step[0]) for step in steps),
        sum(int(step[1]) for step in steps),
        sum(float(step[2]) for step in steps),
        sum(bool(step[3]) for step in steps),
    ]
    line = entry_line(entry, article_key(article), run)
    return pd.DataFrame([{"i": head["i"], "line": line, "cost": json.dumps(cost if mode == "run" else [])}])


def _selected(article: Article, settings: Settings) -> list[Any]:
    try:
        return select_versions([article], settings.langs)
    except InputError:
        return []


def run_ray(
    inputs: Sequence[str | Path],
    settings: Settings,
    out: Path,
    *,
    mode: str = "run",
    formats: Sequence[str] = ("json", "csv", "md", "html"),
    gates: dict[str, float] | None = None,
    allow_missing: bool = False,
    options: RayOptions | None = None,
) -> tuple[Report, list[Path], list[GateFailure]]:
    """Evaluate a corpus on Ray Data into ``out`` (resuming what an earlier run wrote there)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if settings.semantic or settings.calibrate:
        raise InputError("--semantic and --calibrate run on the local engine only; drop --engine ray for them")
    options = options or RayOptions()
    check_out(out, settings.effective_cache_path if mode == "run" and settings.use_cache else None)
    assembly = Assembly(settings, mode, inline=False, max_warnings=MAX_WARNINGS)
    folder = RunFolder(out, warn=assembly.warn)
    folder.open()
    run = run_key(settings, mode)
    engine = KeepLoaded(get_backend(settings.backend)) if mode == "run" else None
    try:
        order, todo, routes = _survey(inputs, settings, mode, folder, run, engine, assembly)
        if todo:
            models = _models(routes, settings, engine) if engine is not None else ()
            ray = start_ray(options)
            if routes:
                check_resources(ray, options)
            total: dict[str, StageCost] = {}
            for line, cost in _execute(ray, todo, routes, settings, mode, run, models, options):
                folder.append_line(line)
                if cost:
                    items, translated, cached, seconds, loads = cost
                    sum_costs(total, [StageCost("translation", items, translated, cached, float(seconds), loads)])
            folder.append_costs(tuple(total.values()))
            folder.sync()
        if not any(folder.entries[article_id].scored for article_id in order):
            reason = "no back-translations found" if mode == "score" else "no article had anything to score"
            raise InputError(f"{reason}; check the inputs")
        return finish_run(folder, assembly, order, formats, gates or {}, allow_missing=allow_missing)
    finally:
        folder.close()


def _survey(
    inputs: Sequence[str | Path],
    settings: Settings,
    mode: str,
    folder: RunFolder,
    run: str,
    engine: Any,
    assembly: Assembly,
) -> tuple[list[str], list[tuple[int, str]], set[Route]]:
    """The driver reads and checks every article once (errors name the article or line before any work),
    decides which the journal already holds, writes at once those with nothing to translate, and finds
    the routes the rest need. Returns the ids in input order, the rest (index, article as JSON), routes."""
    order: list[str] = []
    todo: list[tuple[int, str]] = []
    routes: set[Route] = set()
    if engine is not None:
        translator = BackTranslator(settings, backend=engine)
    for i, article in enumerate(
        iter_inputs(inputs, settings.source_lang, assembly.warn, explicit=settings.source_lang_given)
    ):
        order.append(article.id)
        pairs = _selected(article, settings)
        article_routes = {route_for(doc.lang, article.source_lang, settings.models) for _, doc in pairs}
        key = article_key(article)
        entry = folder.reusable(article.id, key, run)
        if entry is not None and (engine is None or models_match(entry, _revisions(article_routes, settings, engine))):
            continue
        if not pairs or (mode == "score" and all(doc.back is None for _, doc in pairs)):
            folder.append(unscoreable(article, settings, mode), key, run)
            continue
        if engine is not None:
            for route in article_routes - routes:
                for ref in route.steps:
                    translator.check_model(ref)  # a model that cannot be had fails the run before any work
        todo.append((i, json.dumps(to_data(article), ensure_ascii=False)))
        if engine is not None:  # score mode translates nothing: no route, no model actor
            routes |= article_routes
    return order, todo, routes


def _revisions(routes: set[Route], settings: Settings, engine: Any) -> dict[str, str]:
    return {_name(ref): engine.resolve(ref, settings).revision for route in routes for ref in route.steps}


def _models(routes: set[Route], settings: Settings, engine: Any) -> tuple[ModelInfo, ...]:
    """The models of the run's routes, as the signature records them (resolved once, at the driver)."""
    plan = build_plan([Job("", route.lang, 0, "", route) for route in sorted(routes, key=lambda r: r.path)])
    translator = BackTranslator(settings, backend=engine)
    return tuple(translator.model_info(model) for model in plan.models)


def _execute(
    ray_module: Any,
    todo: list[tuple[int, str]],
    routes: set[Route],
    settings: Settings,
    mode: str,
    run: str,
    models: Sequence[ModelInfo],
    options: RayOptions,
) -> Iterator[tuple[str, list[Any]]]:
    """The Ray Data pipeline; yields each article's journal line as it finishes, with what translating it cost
    (segments, translated, cached, seconds, model loads; empty in ``score`` mode).

    ``ray_module``: the ``ray`` that :func:`start_ray` connected (importing ``ray.data`` here loads its Data API).
    """
    from ray.data import ActorPoolStrategy, DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    workers = options.workers or DEFAULT_WORKERS
    rows = [{"i": i, "article": article} for i, article in todo]
    ds = ray_module.data.from_items(rows, override_num_blocks=max(1, min(len(rows), 4 * workers)))
    ds = ds.flat_map(lambda row: _explode(row, settings, mode), num_cpus=0.5)
    plan = build_plan([Job("", route.lang, 0, "", route) for route in sorted(routes, key=lambda r: r.path)])
    steps = [(step.model, step.output_lang, step.remaining) for step in plan.steps]
    cpus = float(ray_module.cluster_resources().get("CPU", 1))
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
            yield str(row["line"]), json.loads(row["cost"])
    except Exception as exc:
        raise root_cause(exc) from exc


def check_resources(ray: Any, options: RayOptions) -> None:
    """Fail at once when no node of the cluster has the GPUs one model actor asks for (Ray would wait)."""
    wanted = options.gpus_per_worker or 0
    if wanted <= 0:
        return
    nodes = [node.get("Resources", {}) for node in ray.nodes() if node.get("Alive", True)]
    most = max((float(resources.get("GPU", 0)) for resources in nodes), default=0.0)
    if most < wanted:
        where = f"the Ray cluster at {options.address}" if options.address else "the local Ray (this machine)"
        has = f"no node with more than {most:g} GPU(s)" if most else "no GPU"
        raise InputError(
            f"--gpus-per-worker {wanted:g}: {where} has {has}; lower --gpus-per-worker, drop it to run on CPUs, "
            "or pass --ray-address of a cluster with GPUs"
        )


#: terminal colour and cursor codes (Ray colours the worker's name in its messages)
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
#: "module.ExceptionType: message", the line of a traceback that names an exception
_EXCEPTION_LINE = re.compile(r"^(?P<module>(?:[A-Za-z_]\w*\.)*)(?P<name>[A-Z]\w*(?:Error|Exception)): (?P<message>.*)$")


def _is_ray(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] == "ray"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """exc and what it wraps (Ray's ``cause`` attribute, ``__cause__``), outermost first, each once."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for inner in (getattr(current, "cause", None), current.__cause__):
            if isinstance(inner, BaseException):
                todo.append(inner)


def root_cause(exc: BaseException) -> BaseException:
    """What an exception that crossed Ray comes down to: the backtrans error it wraps (a model actor that
    could not load its model), else the innermost exception of the worker's own code, else (Ray kept only
    the worker's traceback as text, as for an actor that died in its constructor) the first exception its
    traceback names, rebuilt. Ray's own terminal escape codes and tracebacks never reach the message."""
    chain = list(_chain(exc))
    for inner in chain:
        if isinstance(inner, BacktransError):
            return inner
    own = [inner for inner in chain if not _is_ray(inner)]
    if own:
        return own[-1]
    found = _from_traceback(_ESCAPES.sub("", str(exc)))
    if found is not None:
        return found
    first = next((line.strip() for line in _ESCAPES.sub("", str(exc)).splitlines() if line.strip()), "")
    return RuntimeError(f"{type(exc).__name__} in Ray: {first}")


def _from_traceback(text: str) -> BaseException | None:
    """The root exception a traceback's text names (the first "Type: message" line; Python prints the
    cause before what it caused), as a backtrans error or builtin exception of that name where there is one."""
    for line in text.splitlines():
        match = _EXCEPTION_LINE.match(line.strip())
        if match is None or match["module"].startswith("ray."):
            continue
        name, message = match["name"], match["message"]
        kind = getattr(errors, name, None) if match["module"] in ("", "backtrans.errors.") else None
        if isinstance(kind, type) and issubclass(kind, BacktransError):
            return kind(message)
        builtin = getattr(builtins, name, None) if not match["module"] else None
        if isinstance(builtin, type) and issubclass(builtin, Exception):
            try:
                return builtin(message)
            except TypeError:
                pass
        return RuntimeError(f"{match['module']}{name}: {message}")
    return None
