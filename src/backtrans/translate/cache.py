"""SQLite translation cache, keyed by model, revision, backend, generation settings and text.

Writes are committed after every batch, so a run killed halfway loses at most
one batch and a rerun translates only what is missing. Each thread that uses a cache gets its own
connection (SQLite's objects stay in the thread that made them; Ray Data calls an actor from a thread
other than the one that built it).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import CacheError
from ..files.fileio import shown

SCHEMA_VERSION = 1
_CHUNK = 500


def model_key(**parts: Any) -> str:
    """The part of a cache key that names the model and every setting that changes its output."""
    return json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def connect(path: Path, *statements: str) -> sqlite3.Connection:
    """Open (or make) a cache file in WAL mode and run ``statements`` (its tables); sqlite3.Error or
    OSError on failure, for the caller to name. The connection is used by the thread that opened it
    only (:class:`PerThread`); ``check_same_thread`` is off so that ``close`` may end them all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    for statement in statements:
        db.execute(statement)
    return db


class PerThread:
    """One connection per thread to a cache file: made on a thread's first use with ``statements``."""

    def __init__(self, path: Path, *statements: str) -> None:
        self.path, self.statements = path, statements
        self.local = threading.local()
        self.lock = threading.Lock()
        self.opened: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = connect(self.path, *self.statements)
            with self.lock:
                self.opened.append(db)
        return db

    def close(self) -> None:
        with self.lock:
            opened, self.opened = self.opened, []
        for db in opened:
            db.close()
        self.local = threading.local()


def select_keys(db: sqlite3.Connection, query: str, keys: Sequence[str]) -> Iterator[Any]:
    """The rows of ``query`` (with ``{marks}`` for the placeholders) for keys, a few hundred at a time."""
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        yield from db.execute(query.format(marks=",".join("?" * len(chunk))), chunk)


def entry_key(model: str, text: str) -> str:
    # surrogatepass: a model path from the command line may hold bytes that are not UTF-8
    return hashlib.sha256(f"{model}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()


class TranslationCache:
    """Stored translations; ``get_many``/``put_many`` take a model key and texts."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connections = PerThread(
            self.path,
            "PRAGMA synchronous=NORMAL",
            "CREATE TABLE IF NOT EXISTS translations ("
            " key TEXT PRIMARY KEY, model TEXT NOT NULL, output TEXT NOT NULL,"
            " hit_limit INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL)",
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)",
        )
        try:
            row = self._db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise CacheError(
                    f"translation cache {self.path} has schema {row[0]}, this version needs "
                    f"{SCHEMA_VERSION}; pass another --cache PATH or delete the file"
                )
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise CacheError(
                f"translation cache {self.path} cannot be opened ({exc}); pass --cache PATH or --no-cache"
            ) from exc

    def get_many(self, model: str, texts: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """Cached ``text → (output, hit_limit)`` for those texts that are cached (and whose row holds a text
        and a 0/1 flag: any other row counts as missing, and is replaced when it is translated again)."""
        keyed = {entry_key(model, t): t for t in texts}
        found: dict[str, tuple[str, bool]] = {}
        query = "SELECT key, output, hit_limit FROM translations WHERE key IN ({marks})"
        try:
            for key, output, hit in select_keys(self._db, query, list(keyed)):
                # a row that is not text and 0/1 (edited, or written by something else) is translated again
                if isinstance(output, str) and type(hit) is int and hit in (0, 1):
                    found[keyed[key]] = (output, bool(hit))
        except sqlite3.Error as exc:
            raise CacheError(f"translation cache {self.path} cannot be read ({exc}); pass --no-cache") from exc
        return found

    def put_many(self, model: str, label: str, outputs: Mapping[str, tuple[str, bool]]) -> None:
        """Store translations and commit at once."""
        now = time.time()
        label = shown(label)
        rows = [(entry_key(model, t), label, out, int(hit), now) for t, (out, hit) in outputs.items()]
        try:
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)", rows)
            self._db.commit()
        except sqlite3.Error as exc:
            raise CacheError(f"translation cache {self.path} cannot be written ({exc}); pass --no-cache") from exc

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (opened on its first use)."""
        try:
            return self._connections.get()
        except (sqlite3.Error, OSError) as exc:
            raise CacheError(
                f"translation cache {self.path} cannot be opened ({exc}); pass --cache PATH or --no-cache"
            ) from exc

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        self._connections.close()


class NullCache:
    """``--no-cache``: remembers nothing."""

    path = None

    def get_many(self, model: str, texts: Iterable[str]) -> dict[str, tuple[str, bool]]:
        return {}

    def put_many(self, model: str, label: str, outputs: Mapping[str, tuple[str, bool]]) -> None:
        return None

    def count(self) -> int:
        return 0

    def close(self) -> None:
        return None


def open_cache(path: Path | None, enabled: bool) -> TranslationCache | NullCache:
    return TranslationCache(path) if enabled and path is not None else NullCache()
