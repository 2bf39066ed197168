"""The per-article store of a run: ``articles.jsonl``, written as articles finish, read back to resume and render.

Each line is one article: its :class:`~backtrans.types.ArticleResult` (as in report.json) and the
sufficient statistics the corpus summaries are built from, plus two keys that say whether it can be
reused: ``input`` (a hash of the article's texts) and ``run`` (a hash of every setting that changes a
number). A run writes into a **staging folder** next to ``--out`` (``.<out>.partial``):

* ``articles.journal.jsonl``: appended (and flushed) as each article finishes, in any order;
* at the end the journal is copied in input order into ``articles.jsonl``, the reports are rendered
  from it, and the staging folder replaces ``--out`` in one swap (:meth:`RunFolder.commit`), so a
  reader never sees a half-written run.

An interrupted run leaves the staging folder; the next run with the same ``--out`` reads its journal
and skips every article whose ``input`` and ``run`` keys (and, for ``run``, model revisions) still
match. A finished ``--out`` seeds the journal the same way, so a rerun redoes only what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from ._version import __version__
from .config import Settings
from .report.json import from_data, to_data
from .results import ScoredArticle
from .sacrebleu_adapter import version as sacrebleu_version
from .scoring import METRICS, PairStats
from .segment import SEGMENTER_NAME
from .types import Article, ArticleResult, ModelInfo

ARTICLES_FILE = "articles.jsonl"
JOURNAL_FILE = "articles.journal.jsonl"


def article_key(article: Article) -> str:
    """A hash of everything of an article that changes its result (not where it was read from)."""
    docs = [article.source, *article.versions]
    data = [article.id, article.source_lang, article.url] + [
        [d.lang, d.text, d.title, d.back, d.back_title] for d in docs
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def run_key(settings: Settings, mode: str) -> str:
    """A hash of every setting that changes a per-article result (model revisions are checked apart)."""
    record = {
        "tool": __version__,
        "mode": mode,
        "segmenter": SEGMENTER_NAME,
        "sacrebleu": sacrebleu_version(),
        "source_lang": settings.source_lang,
        "langs": settings.langs,
        "models": {k: list(v) for k, v in sorted(settings.models.items())},
        "generation": settings.generation_record() if mode == "run" or settings.calibrate else None,
        "backend": settings.backend if mode == "run" or settings.calibrate else None,
        "compute_type": settings.compute_type if mode == "run" or settings.calibrate else None,
        "thresholds": to_data(settings.thresholds),
        "bootstrap": settings.bootstrap,
        "semantic": settings.semantic_model if settings.semantic else None,
        "calibrate": {k: list(v) for k, v in sorted(settings.forward_models.items())} if settings.calibrate else None,
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


def _rows(rows: np.ndarray) -> list[Any]:
    """Statistics as JSON: whole numbers as integers (they are counts), exactly as computed."""
    if rows.size and np.all(rows == np.round(rows)):
        return [[int(v) for v in row] for row in rows]
    return [[float(v) for v in row] for row in rows]


@dataclass(frozen=True)
class Stored:
    """One article as the store holds it: its result and the statistics of its summaries."""

    result: ArticleResult
    stats: dict[str, PairStats]  #: per language, one row per link
    documents: dict[tuple[str, str], np.ndarray]  #: (hypothesis, reference) → whole-text chrF++ statistics
    floor_stats: dict[str, list[np.ndarray]] = field(default_factory=dict)  #: --calibrate: round-trip chrF++ rows
    models: tuple[ModelInfo, ...] = ()  #: the models of this article's routes

    @property
    def scored(self) -> ScoredArticle:
        return ScoredArticle(self.result, self.stats, self.documents)


def record_line(
    stored: Stored,
    input_key: str,
    run: str,
) -> str:
    """One line of ``articles.jsonl``."""
    record = {
        "id": stored.result.id,
        "input": input_key,
        "run": run,
        "models": to_data(stored.models),
        "result": to_data(stored.result),
        "stats": {lang: {m: _rows(getattr(s, m)) for m in METRICS} for lang, s in stored.stats.items()},
        "documents": [[hyp, ref, _rows(row[None, :])[0]] for (hyp, ref), row in stored.documents.items()],
        "floor_stats": {lang: _rows(np.asarray(rows)) for lang, rows in stored.floor_stats.items() if rows},
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _array(rows: Sequence[Sequence[float]], width: int) -> np.ndarray:
    return np.asarray(rows, dtype=float).reshape(len(rows), width) if rows else np.zeros((0, width))


def parse_line(line: str | bytes) -> Stored:
    """A :class:`Stored` article from one line of ``articles.jsonl``."""
    data = json.loads(line)
    widths = {"chrf": 24, "bleu": 10, "ter": 2}
    return Stored(
        result=from_data(ArticleResult, data["result"]),
        stats={lang: PairStats(*(_array(s[m], widths[m]) for m in METRICS)) for lang, s in data["stats"].items()},
        documents={(hyp, ref): np.asarray(row, dtype=float) for hyp, ref, row in data["documents"]},
        floor_stats={lang: list(np.asarray(rows, dtype=float)) for lang, rows in data.get("floor_stats", {}).items()},
        models=tuple(from_data(ModelInfo, m) for m in data.get("models", [])),
    )


@dataclass(frozen=True)
class Entry:
    """Where an article's latest line is in the journal, and the keys it was written under."""

    offset: int
    input: str
    run: str
    models: tuple[tuple[str, str], ...]


class RunFolder:
    """The staging folder of one run next to ``out``: the journal, the reports, then one swap into ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.staging = self.out.parent / f".{self.out.name}.partial"
        self.journal_path = self.staging / JOURNAL_FILE
        self.entries: dict[str, Entry] = {}
        self._handle: IO[bytes] | None = None
        self._reader: IO[bytes] | None = None

    # ---- the journal ---------------------------------------------------------------------------

    def open(self) -> None:
        """Prepare the staging folder: resume an unfinished one, or seed it from a finished ``out``."""
        self.staging.mkdir(parents=True, exist_ok=True)
        finished = self.out / ARTICLES_FILE
        if not self.journal_path.exists() and finished.is_file():
            shutil.copyfile(finished, self.journal_path)
        self._index()
        self._handle = self.journal_path.open("ab")

    def _index(self) -> None:
        """Read the journal's keys (not its results); cut a line that an interruption left half-written."""
        self.entries = {}
        if not self.journal_path.exists():
            return
        good = 0
        with self.journal_path.open("rb") as handle:
            offset = 0
            for line in handle:
                try:
                    if not line.endswith(b"\n"):
                        raise ValueError("unfinished line")
                    head = json.loads(line)
                    models = tuple((m["name"], m["revision"]) for m in head.get("models", []))
                    self.entries[head["id"]] = Entry(offset, head["input"], head["run"], models)
                except (ValueError, KeyError, TypeError):
                    break
                offset += len(line)
                good = offset
        if good < self.journal_path.stat().st_size:
            with self.journal_path.open("r+b") as handle:
                handle.truncate(good)

    def reusable(self, article_id: str, input_key: str, run: str) -> Entry | None:
        """The journal entry of an article when it was written for the same input and settings."""
        entry = self.entries.get(article_id)
        if entry is None or entry.input != input_key or entry.run != run:
            return None
        return entry

    def append(self, article_id: str, line: str, input_key: str, run: str, models: Sequence[ModelInfo]) -> None:
        """Write one finished article to the journal (flushed: an interruption keeps it)."""
        assert self._handle is not None, "open() first"
        offset = self._handle.tell()
        self._handle.write(line.encode("utf-8"))
        self._handle.flush()
        self.entries[article_id] = Entry(offset, input_key, run, tuple((m.name, m.revision) for m in models))

    def sync(self) -> None:
        """Make the journal durable (after each chunk)."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def read(self, article_id: str) -> str:
        """The journal line of an article."""
        if self._reader is None:
            self.sync()
            self._reader = self.journal_path.open("rb")
        self._reader.seek(self.entries[article_id].offset)
        return self._reader.readline().decode("utf-8")

    # ---- the end of a run ----------------------------------------------------------------------

    def write_articles(self, order: Sequence[str]) -> Iterator[str]:
        """Copy the journal into ``articles.jsonl`` in input order; yields each line as it is written."""
        self.sync()
        target = self.staging / ARTICLES_FILE
        tmp = target.with_name(f".{ARTICLES_FILE}.tmp")
        with tmp.open("wb") as out:
            for article_id in order:
                line = self.read(article_id)
                out.write(line.encode("utf-8"))
                yield line
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)

    def commit(self) -> None:
        """Swap the staging folder into ``out`` (the old ``out`` is removed); the journal goes."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.journal_path.unlink()
        old = self.out.parent / f".{self.out.name}.old"
        if old.exists():
            shutil.rmtree(old)
        if self.out.exists():
            os.replace(self.out, old)
        os.replace(self.staging, self.out)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def close(self) -> None:
        for handle in (self._handle, self._reader):
            if handle is not None:
                handle.close()
        self._handle = self._reader = None


def iter_stored(path: Path) -> Iterator[Stored]:
    """Every article of an ``articles.jsonl`` file, one at a time."""
    with Path(path).open("rb") as handle:
        for line in handle:
            if line.strip():
                yield parse_line(line)


def models_match(entry: Entry, current: Mapping[str, str]) -> bool:
    """Whether the models an article was translated with have the revisions they have now."""
    return all(current.get(name, revision) == revision for name, revision in entry.models)
