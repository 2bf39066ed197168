"""Sentence embeddings for the semantic witness: cached, batched by length, split where too long.

Embeddings are stored in the translation cache's SQLite file, in a table of
their own, keyed like translations: the encoder's name, revision (hub commit
or a hash of a local folder's files), numeric type, and the text. A rerun
whose texts are all cached resolves the encoder's revision from the hub cache
or the folder's remembered hash and loads no model (no torch import either).
A text longer than the encoder accepts is split at sentence, clause or word
boundaries (never cut) and its vector is the token-weighted mean of its
pieces' vectors, normalised again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..config import Settings
from ..errors import CacheError
from ..translate.backends import ResolvedModel, resolve_device
from ..translate.backends.splitting import units_that_fit
from ..translate.cache import connect, entry_key, model_key, select_keys
from ..translate.translator import ProgressEvent, ProgressFn
from ..types import ModelInfo, ModelRef, StageCost

#: how a text longer than the encoder accepts becomes one vector (part of every key)
LONG_TEXTS = "split-weighted-mean-1"


class Encoder(Protocol):
    max_input_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class EncoderBackendLike(Protocol):
    name: str

    def compute_type(self, settings: Settings) -> str: ...

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel: ...

    def describe(self, model: ResolvedModel) -> str: ...

    def load(self, model: ResolvedModel, settings: Settings) -> Encoder: ...


class EmbeddingCache:
    """Stored unit vectors (float32) in the ``embeddings`` table of the cache file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._db = connect(
                self.path,
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " key TEXT PRIMARY KEY, model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,"
                " created REAL NOT NULL)",
            )
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise CacheError(f"cache {self.path} cannot be opened ({exc}); pass --cache PATH or --no-cache") from exc

    def get_many(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        keyed = {entry_key(model, t): t for t in texts}
        found = {}
        query = "SELECT key, dim, vector FROM embeddings WHERE key IN ({marks})"
        try:
            for key, dim, blob in select_keys(self._db, query, list(keyed)):
                vector = _stored_vector(dim, blob)
                if vector is not None:  # a row that does not read back as a unit vector is computed again
                    found[keyed[key]] = vector
        except sqlite3.Error as exc:
            raise CacheError(f"cache {self.path} cannot be read ({exc}); pass --no-cache") from exc
        return found

    def put_many(self, model: str, label: str, vectors: Mapping[str, np.ndarray]) -> None:
        now = time.time()
        rows = [
            (entry_key(model, t), label, int(v.shape[0]), v.astype(np.float32).tobytes(), now)
            for t, v in vectors.items()
        ]
        try:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?)", rows)
            self._db.commit()
        except sqlite3.Error as exc:
            raise CacheError(f"cache {self.path} cannot be written ({exc}); pass --no-cache") from exc

    def close(self) -> None:
        self._db.close()


def _stored_vector(dim: object, blob: object) -> np.ndarray | None:
    """A cached vector when its row holds one (``dim`` float32 values, finite, of unit length); else None."""
    if not isinstance(blob, bytes) or isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0:
        return None
    if len(blob) != 4 * dim:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    if not np.all(np.isfinite(vector)) or abs(float(np.linalg.norm(vector)) - 1.0) > 1e-3:
        return None
    return vector


class NullEmbeddingCache:
    """``--no-cache``: remembers nothing."""

    def get_many(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        return {}

    def put_many(self, model: str, label: str, vectors: Mapping[str, np.ndarray]) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class EmbeddingRun:
    """What one embedding pass did."""

    texts: int
    cached: int
    computed: int
    split: int  #: texts longer than the encoder accepts, embedded in pieces
    loaded: bool
    seconds: float

    def cost(self) -> StageCost:
        return StageCost("embedding", self.texts, self.computed, self.cached, self.seconds, int(self.loaded))


def default_encoder_backend() -> EncoderBackendLike:
    from ..translate.backends.encoder import EncoderBackend  # light: it imports torch only when a model loads

    return EncoderBackend()


class Embedder:
    """Embeds texts with one sentence encoder, through the cache; loads the model only for missing texts."""

    def __init__(
        self,
        settings: Settings,
        *,
        backend: EncoderBackendLike | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend or default_encoder_backend()
        self.progress = progress
        self.ref = ModelRef(settings.semantic_model)
        self.resolved = self.backend.resolve(self.ref, settings)  # a missing model fails here, in seconds
        self.compute_type = self.backend.compute_type(settings)
        self.pooling = self.backend.describe(self.resolved)
        self.key = model_key(
            kind="sentence-embedding",
            model=self.ref.name,
            revision=self.resolved.revision,
            compute_type=self.compute_type,
            long_texts=LONG_TEXTS,
        )

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.ref.name,
            revision=self.resolved.revision,
            backend=self.backend.name,
            compute_type=self.compute_type,
            device=resolve_device(self.settings.device),
        )

    def record(self) -> dict[str, Any]:
        """How vectors were made: part of the report's signature."""
        return {"encoder": self.ref.name, "pooling": self.pooling, "long_texts": LONG_TEXTS, "similarity": "cosine"}

    def embed(
        self, texts: Iterable[str], cache: EmbeddingCache | NullEmbeddingCache
    ) -> tuple[dict[str, np.ndarray], EmbeddingRun]:
        """Unit vectors of the texts (each unique text once); the cache first, then the model."""
        began = time.perf_counter()
        unique = list(dict.fromkeys(t for t in texts))
        found = cache.get_many(self.key, unique)
        missing = [t for t in unique if t not in found]
        if not missing and len({v.shape for v in found.values()}) > 1:
            # vectors of different encoders under one key (a damaged cache), and no text to learn the encoder's
            # width from: embed every text again
            found, missing = {}, unique
        split = 0
        if missing:
            encoder = self.backend.load(self.resolved, self.settings)
            label = self.info.name
            self._emit(label, 0, len(missing), "start")

            def store(done: dict[str, np.ndarray]) -> None:
                found.update(done)
                cache.put_many(self.key, label, done)
                self._emit(label, len(found) - (len(unique) - len(missing)), len(missing), "advance")

            cached = [t for t in unique if t not in set(missing)]
            split = embed_texts(encoder, missing, self.settings.batch_size, store)
            width = found[missing[0]].shape
            stale = [t for t in cached if found[t].shape != width]
            if stale:  # cached by another encoder under the same key: computed again, with this one
                missing += stale
                split += embed_texts(encoder, stale, self.settings.batch_size, store)
            self._emit(label, len(missing), len(missing), "end")
        seconds = time.perf_counter() - began
        return found, EmbeddingRun(len(unique), len(unique) - len(missing), len(missing), split, bool(missing), seconds)

    def _emit(self, model: str, done: int, total: int, phase: str) -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(model, done, total, phase))


def embed_texts(encoder: Encoder, texts: Sequence[str], batch_size: int, store: Any) -> int:
    """Embed unique texts in length-sorted batches, calling ``store`` with the texts each batch completed.

    Returns how many texts were split because they were longer than the encoder accepts.
    """
    units, pieces_left, split = units_that_fit(texts, encoder.count_tokens, encoder.max_input_tokens)
    parts: list[list[tuple[int, np.ndarray]]] = [[] for _ in texts]
    for start in range(0, len(units), batch_size):
        batch = units[start : start + batch_size]
        vectors = encoder.encode([u[2] for u in batch])
        done: dict[str, np.ndarray] = {}
        for (i, _, _, tokens), vector in zip(batch, vectors, strict=True):
            parts[i].append((tokens, vector))
            if len(parts[i]) == pieces_left[i]:
                done[texts[i]] = _combine(parts[i])
        store(done)
    return split


def _combine(parts: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """One unit vector: a single piece's own, or the token-weighted mean of the pieces', normalised."""
    if len(parts) == 1:
        return np.asarray(parts[0][1], dtype=np.float32)
    total = np.sum([tokens * np.asarray(v, dtype=np.float64) for tokens, v in parts], axis=0)
    norm = float(np.linalg.norm(total))
    return (total / norm if norm > 0 else total).astype(np.float32)


def open_embedding_cache(settings: Settings) -> EmbeddingCache | NullEmbeddingCache:
    return EmbeddingCache(settings.effective_cache_path) if settings.use_cache else NullEmbeddingCache()
