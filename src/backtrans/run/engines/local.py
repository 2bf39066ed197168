"""The local engine: a corpus of any size streamed through the stages in chunks, in bounded memory.

Articles are read lazily (:func:`backtrans.load.loading.iter_inputs`) and taken ``chunk_size`` at a time.
Per chunk the plan still groups the work per model, and every model, once loaded, stays loaded for
the rest of the run (:class:`~._finish.KeepLoaded`); the translation cache covers what an interrupted
run had translated. Each finished article goes to the journal at once; articles the journal already
holds for the same input, settings and model revisions are skipped. The summaries and the pages are
made at the end from what was written (:func:`~._finish.finish_run`).

With ``--semantic`` the witnesses' reference similarity of each language (the median the
``meaning_drift`` rule measures against) is taken over each chunk: over the whole run when it has at
most ``chunk_size`` articles, as :func:`backtrans.pipeline.evaluate` does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ...config import Settings
from ...errors import InputError
from ...files.outdir import check_out
from ...load.loading import iter_inputs
from ...translate.backends import Backend, get_backend
from ...translate.routing import route_for
from ...translate.translator import ProgressFn
from ...types import Article, Report
from ...witness.embedding import Embedder, EncoderBackendLike
from ...witness.witnesses import Witnesses
from .._results import ScoredArticle
from .._store import RunFolder, article_key, models_match, run_key
from ..assembly import Assembly
from ..gates import GateFailure
from ..stages import MODES, evaluate_chunk
from ._finish import MAX_WARNINGS, KeepLoaded, finish_run

#: articles per chunk (default of ``--chunk-size``)
DEFAULT_CHUNK = 256


def chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_local(
    inputs: Sequence[str | Path],
    settings: Settings,
    out: Path,
    *,
    mode: str = "run",
    formats: Sequence[str] = ("json", "csv", "md", "html"),
    gates: dict[str, float] | None = None,
    allow_missing: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    backend: Backend | None = None,
    encoder: EncoderBackendLike | None = None,
    progress: ProgressFn | None = None,
    on_article: Callable[[str], None] | None = None,
) -> tuple[Report, list[Path], list[GateFailure]]:
    """Evaluate a corpus chunk by chunk into ``out`` (resuming what an earlier run wrote there)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    translates = mode == "run" or settings.calibrate
    check_out(out, settings.effective_cache_path if translates and settings.use_cache else None)
    assembly = Assembly(settings, mode, inline=False, max_warnings=MAX_WARNINGS)
    engine = KeepLoaded(backend or get_backend(settings.backend)) if translates else None
    embedder = None
    if settings.semantic:
        embedder = Embedder(settings, backend=KeepLoaded(encoder) if encoder else None, progress=progress)
        if encoder is None:
            embedder.backend = KeepLoaded(embedder.backend)
    revisions = _Revisions(engine, settings) if mode == "run" else None
    folder = RunFolder(out, warn=assembly.warn)
    folder.open()
    run = run_key(settings, mode)
    order: list[str] = []
    empty: str | None = None
    try:
        for chunk in chunks(
            iter_inputs(inputs, settings.source_lang, assembly.warn, explicit=settings.source_lang_given), chunk_size
        ):
            todo, keys = [], []
            for article in chunk:
                order.append(article.id)
                key = article_key(article)
                entry = folder.reusable(article.id, key, run)
                if entry is not None and (revisions is None or models_match(entry, revisions.of(article))):
                    continue
                todo.append(article)
                keys.append(key)
            if not todo:
                continue
            done = evaluate_chunk(todo, settings, mode, backend=engine, embedder=embedder, progress=progress)
            empty = done.empty or empty
            assembly.add_chunk(done.models, (), done.witnesses)
            folder.append_costs(done.costs)  # the run's costs are the journal's (a resumed run's too)
            for article, key, finished in zip(todo, keys, done.articles, strict=True):
                folder.append(finished, key, run)
                if on_article is not None and isinstance(finished, ScoredArticle):
                    on_article(article.id)
            folder.sync()
        if not any(folder.entries[article_id].scored for article_id in order):
            raise InputError(empty or "no article had anything to score; check the inputs")
        if (settings.semantic or settings.calibrate) and assembly.witnesses is None:
            # every article came from the journal: the witnesses' encoder and record, without any work
            record = Witnesses.compute([], settings, {}, embedder)
            assembly.add_chunk((), (), dataclasses.replace(record, evidence={}, costs=()))
        return finish_run(folder, assembly, order, formats, gates or {}, allow_missing=allow_missing)
    finally:
        folder.close()


class _Revisions:
    """The revisions the models of an article's routes have now (to check the journal against)."""

    def __init__(self, engine: Any, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.known: dict[tuple[str, str], dict[str, str]] = {}

    def of(self, article: Article) -> dict[str, str]:
        out: dict[str, str] = {}
        for doc in article.versions:
            key = (doc.lang, article.source_lang)
            if key not in self.known:
                found = {}
                try:
                    for ref in route_for(doc.lang, article.source_lang, self.settings.models).steps:
                        name = ref.name if not ref.target_token else f"{ref.name}@{ref.target_token}"
                        found[name] = self.engine.resolve(ref, self.settings).revision
                except Exception:  # no route, or a model that cannot be had: the article is redone and fails there
                    found = {}
                self.known[key] = found
            out.update(self.known[key])
        return out
