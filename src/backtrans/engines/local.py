"""The local engine: a corpus of any size streamed through the stages in chunks, in bounded memory.

Articles are read lazily (:func:`backtrans.loading.iter_inputs`) and taken ``chunk_size`` at a time.
Per chunk the plan still groups the work per model, and every model, once loaded, stays loaded for
the rest of the run (:class:`~.finish.KeepLoaded`); the translation cache covers what an interrupted
run had translated. Each finished article goes to the journal at once; articles the journal already
holds for the same input, settings and model revisions are skipped. The summaries and the pages are
made at the end from what was written (:func:`~.finish.finish_run`).

With ``--semantic`` the witnesses' reference similarity of each language (the median the
``meaning_drift`` rule measures against) is taken over each chunk: over the whole run when it has at
most ``chunk_size`` articles, as :func:`backtrans.pipeline.evaluate` does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..backends import Backend, get_backend
from ..backtranslate import Prepared, back_translate, calibrate_existing, read_back_translations, select_versions
from ..cache import open_cache
from ..config import Settings
from ..embedding import Embedder, EncoderBackendLike
from ..errors import InputError
from ..gates import GateFailure
from ..loading import iter_inputs
from ..pipeline import align_article, score_article
from ..routing import route_for
from ..scoring import Scorer
from ..store import RunFolder, Stored, article_key, models_match, record_line, run_key
from ..translate import ProgressFn
from ..types import Article, Link, ModelInfo, Report
from ..witnesses import Witnesses
from .finish import KeepLoaded, RunState, finish_run

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
    chunk_size: int = DEFAULT_CHUNK,
    backend: Backend | None = None,
    encoder: EncoderBackendLike | None = None,
    progress: ProgressFn | None = None,
    on_article: Callable[[str], None] | None = None,
) -> tuple[Report, list[Path], list[GateFailure]]:
    """Evaluate a corpus chunk by chunk into ``out`` (resuming what an earlier run wrote there)."""
    state = RunState(settings, mode)
    folder = RunFolder(out)
    folder.open()
    run = run_key(settings, mode)
    engine = KeepLoaded(backend or get_backend(settings.backend)) if mode == "run" or settings.calibrate else None
    embedder = (
        Embedder(settings, backend=KeepLoaded(encoder) if encoder else None, progress=progress)
        if settings.semantic
        else None
    )
    if embedder is not None and encoder is None:
        embedder.backend = KeepLoaded(embedder.backend)
    revisions = _Revisions(engine, settings) if mode == "run" else None
    try:
        articles = iter_inputs(inputs, settings.source_lang, state.warn)
        for chunk in chunks(articles, chunk_size):
            todo = []
            for article in chunk:
                entry = folder.reusable(article.id, article_key(article), run)
                if entry is not None and (revisions is None or models_match(entry, revisions.of(article))):
                    state.order.append(article.id)
                    state.reused += 1
                    continue
                todo.append(article)
            if todo:
                for stored in _chunk(todo, settings, mode, engine, embedder, state, progress):
                    folder.append(
                        stored.result.id, record_line(stored, article_key(stored.article), run), *_keys(stored, run)
                    )
                    state.order.append(stored.result.id)
                    if on_article is not None:
                        on_article(stored.result.id)
                folder.sync()
        if not state.order:
            raise InputError(state.empty or "no article had anything to score; check the inputs")
        return finish_run(folder, state, formats, gates or {})
    finally:
        folder.close()


def _keys(stored: _Done, run: str) -> tuple[str, str, Sequence[ModelInfo]]:
    return article_key(stored.article), run, stored.models


@dataclasses.dataclass(frozen=True)
class _Done(Stored):
    article: Article = None  # type: ignore[assignment]


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


def _chunk(
    articles: list[Article],
    settings: Settings,
    mode: str,
    engine: Any,
    embedder: Embedder | None,
    state: RunState,
    progress: ProgressFn | None,
) -> Iterator[_Done]:
    """Back-translate (or read), align, witness, score and flag one chunk; yields each finished article."""
    try:
        select_versions(articles, settings.langs)
    except InputError as exc:
        state.empty = str(exc)  # no version of this chunk is wanted; an error if no chunk has one
        return
    models: tuple[ModelInfo, ...] = ()
    if mode == "run" or settings.calibrate:
        cache = open_cache(settings.effective_cache_path, settings.use_cache)
        try:
            if mode == "run":
                prepared, models, found, costs = back_translate(
                    articles, settings, backend=engine, cache=cache, progress=progress
                )
            else:
                prepared, found = _read_back(articles, settings, state)
                state.add((), (), found)
                prepared, models, found, costs = calibrate_existing(
                    prepared, settings, backend=engine, cache=cache, progress=progress
                )
        finally:
            cache.close()
        state.add(models, costs, found)
    else:
        prepared, found = _read_back(articles, settings, state)
        state.add((), (), found)
    by_article: dict[str, list[Prepared]] = {}
    for item in prepared:
        by_article.setdefault(item.article.id, []).append(item)
    scorers: dict[str, Scorer] = {}
    links: dict[str, dict[str, tuple[Link, ...]]] = {}
    for article in articles:
        if by_article.get(article.id):
            scorer = scorers.setdefault(article.source_lang, Scorer(article.source_lang, bootstrap=settings.bootstrap))
            links[article.id] = align_article(article, by_article[article.id], scorer)
    witnesses = None
    if settings.semantic or settings.calibrate:
        versions = [(a, item, links[a.id][item.lang]) for a in articles for item in by_article.get(a.id, [])]
        witnesses = Witnesses.compute(versions, settings, scorers, embedder)
        state.add((), witnesses.costs, ())
        state.witnesses = dataclasses.replace(witnesses, evidence={}, costs=())
    for article in articles:
        items = by_article.get(article.id)
        if not items:
            continue
        scored = score_article(article, items, scorers[article.source_lang], settings, links[article.id], witnesses)
        floors = {}
        if witnesses is not None:
            for item in items:
                ev = witnesses.evidence.get((article.id, item.lang))
                if ev is not None:
                    floors[item.lang] = [row for row in ev.floor_stats if row is not None]
        used = tuple(m for m in models if any(_uses(item, m) for item in items))
        yield _Done(scored.result, scored.stats, scored.documents, floors, used, article)


def _uses(item: Prepared, model: ModelInfo) -> bool:
    return any(model.name in (ref.name, f"{ref.name}@{ref.target_token}") for ref in item.route.steps)


def _read_back(articles: list[Article], settings: Settings, state: RunState) -> tuple[list[Prepared], list[str]]:
    """Existing back-translations of a chunk; a chunk that has none is no error (others may)."""
    try:
        return read_back_translations(articles, settings)
    except InputError as exc:
        state.empty = str(exc)
        warnings = [
            f"{doc.origin}: no {doc.lang}.back.txt next to it; {doc.lang} was not scored"
            for _, doc in select_versions(articles, settings.langs)
        ]
        return [], warnings
