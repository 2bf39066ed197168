"""The per-article store of a run: ``articles.jsonl``, written as articles finish, read back to resume and render.

Each line is one article: its :class:`~backtrans.types.ArticleResult` (as in report.json), the
sufficient statistics the corpus summaries are built from, and what the run's report says about it
elsewhere (warnings, unscored versions, length-limit hits, the models of its routes), plus two keys
that say whether it can be reused: ``input`` (a hash of the article's texts) and ``run`` (a hash of
every setting that changes a number). An article the run could score nothing of has a short line
(``"scored": false``) in the journal only.

A run keeps a **journal folder** next to ``--out`` (``.<out>.partial``) holding
``articles.journal.jsonl``, appended (and flushed) as each article finishes, in any order. At the end
the journal is copied in input order into ``articles.jsonl`` inside the run's
:class:`~backtrans.files.outdir.OutputFolder`, the reports are rendered from it, the output folder is swapped
into ``--out`` as a whole, and the journal folder goes (:meth:`RunFolder.finished`).

An interrupted or failed run leaves the journal folder; the next run with the same ``--out`` reads it
and skips every article whose ``input`` and ``run`` keys (and, for ``run``, model revisions) still
match. A finished ``--out`` seeds the journal the same way, so a rerun redoes only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from .._version import __version__
from ..config import Settings
from ..files.fileio import one_line, shown
from ..files.lock import OutLock
from ..files.outdir import output_problem
from ..files.serial import check_article, from_data, to_data
from ..score.sacrebleu_adapter import version as sacrebleu_version
from ..score.scoring import METRICS, PairStats
from ..text.segment import SEGMENTER_NAME
from ..types import Article, ArticleResult, ModelInfo, ModelRef, StageCost, Unscored
from ._accumulate import sum_costs
from ._results import ScoredArticle, Unscoreable, UsedModel

ARTICLES_FILE = "articles.jsonl"
JOURNAL_FILE = "articles.journal.jsonl"
#: a journal line that records what some work cost (not an article; never copied into articles.jsonl)
COSTS_KEY = "costs"


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
        "glossary": settings.glossary.hash if settings.glossary else None,
        "verdicts": settings.verdicts.hash if settings.verdicts else None,
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


def _rows(rows: np.ndarray) -> list[Any]:
    """Statistics as JSON: whole numbers as integers (they are counts), exactly as computed."""
    if rows.size and np.all(rows == np.round(rows)):
        return [[int(v) for v in row] for row in rows]
    return [[float(v) for v in row] for row in rows]


def _array(rows: Sequence[Sequence[float]], width: int) -> np.ndarray:
    return np.asarray(rows, dtype=float).reshape(len(rows), width) if rows else np.zeros((0, width))


_WIDTHS = {"chrf": 24, "bleu": 10, "ter": 2}


def entry_line(entry: ScoredArticle | Unscoreable, input_key: str, run: str) -> str:
    """One line of the journal (and, for a scored article, of ``articles.jsonl``)."""
    return _line(_record(entry, input_key, run))


def _line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _record(entry: ScoredArticle | Unscoreable, input_key: str, run: str) -> dict[str, Any]:
    record: dict[str, Any]
    if isinstance(entry, Unscoreable):
        record = {
            "id": entry.id,
            "input": input_key,
            "run": run,
            "scored": False,
            "warnings": entry.warnings,
            "unscored": to_data(entry.unscored),
        }
    else:
        record = {
            "id": entry.result.id,
            "input": input_key,
            "run": run,
            "models": [{"ref": to_data(m.ref), "remaining": m.remaining, **to_data(m.info)} for m in entry.models],
            "result": to_data(entry.result),
            "stats": {lang: {m: _rows(getattr(s, m)) for m in METRICS} for lang, s in entry.stats.items()},
            "documents": [[hyp, ref, _rows(row[None, :])[0]] for (hyp, ref), row in entry.documents.items()],
            "warnings": entry.warnings,
            "unscored": to_data(entry.unscored),
            "limits": [list(hit) for hit in entry.limits],
            "long_ter": entry.long_ter,
            "floor_stats": {lang: _rows(np.asarray(rows)) for lang, rows in entry.floor_stats.items() if rows},
            "round_trips": entry.round_trips,
            "no_floor": [list(item) for item in entry.no_floor],
        }
    return record


def parse_entry(line: str | bytes) -> ScoredArticle | Unscoreable:
    """An article of a run from one line of the journal or of ``articles.jsonl``."""
    data = json.loads(line)
    unscored = tuple(from_data(Unscored, u) for u in data.get("unscored", []))
    if data.get("scored") is False:
        return Unscoreable(data["id"], list(data.get("warnings", [])), unscored)
    models = []
    for m in data.get("models", []):
        info = from_data(ModelInfo, {k: v for k, v in m.items() if k not in ("ref", "remaining")})
        ref = from_data(ModelRef, m["ref"]) if "ref" in m else ModelRef(info.name)
        models.append(UsedModel(ref, int(m.get("remaining", 0)), info))
    return ScoredArticle(
        result=from_data(ArticleResult, data["result"]),
        stats={lang: PairStats(*(_array(s[m], _WIDTHS[m]) for m in METRICS)) for lang, s in data["stats"].items()},
        documents={(hyp, ref): np.asarray(row, dtype=float) for hyp, ref, row in data["documents"]},
        warnings=list(data.get("warnings", [])),
        unscored=unscored,
        limits=tuple((str(name), str(key)) for name, key in data.get("limits", [])),
        long_ter=int(data.get("long_ter", 0)),
        floor_stats={lang: list(np.asarray(rows, dtype=float)) for lang, rows in data.get("floor_stats", {}).items()},
        round_trips=dict(data.get("round_trips", {})),
        no_floor=tuple((str(lang), str(why)) for lang, why in data.get("no_floor", [])),
        models=tuple(models),
    )


def check_entry(entry: ScoredArticle) -> None:
    """What the end of a run relies on in a stored article (ValueError names the first thing wrong):
    its result as the renderers need it, and one row of statistics per aligned pair of each version."""
    check_article(entry.result)
    for version in entry.result.versions:
        stats = entry.stats.get(version.lang)
        if stats is None:
            raise ValueError(f"no statistics for {version.lang}")
        if any(len(getattr(stats, m)) != len(version.pairs) for m in METRICS):
            raise ValueError(f"{version.lang}: statistics for another number of pairs than {len(version.pairs)}")
    for row in entry.documents.values():
        if row.shape != (_WIDTHS["chrf"],):
            raise ValueError("a matrix cell's statistics have the wrong width")


@dataclass(frozen=True)
class Entry:
    """Where an article's latest line is in the journal, and the keys it was written under."""

    offset: int
    input: str
    run: str
    models: tuple[tuple[str, str], ...]
    scored: bool = True


def _entry(head: Mapping[str, Any], offset: int) -> Entry:
    """Where a journal line is and the keys it was written under (from its parsed JSON)."""
    models = tuple((m["name"], m["revision"]) for m in head.get("models", []))
    return Entry(offset, head["input"], head["run"], models, head.get("scored") is not False)


class RunFolder:
    """The journal of one run on ``out``, in a folder next to it (``.<out>.partial``) that outlives a
    failed or interrupted run and goes when the run's reports are in place."""

    def __init__(self, out: Path, warn: Callable[[str], None] | None = None) -> None:
        self.out = Path(out)
        self.warn = warn  #: told about a saved article that does not read back (it is computed again)
        self.folder = self.out.parent / f".{self.out.name}.partial"
        self.journal_path = self.folder / JOURNAL_FILE
        self.entries: dict[str, Entry] = {}
        self._handle: IO[bytes] | None = None
        self._reader: IO[bytes] | None = None
        self._new = False  #: the journal folder was made by this run (not left by an interrupted one)
        self._appended = 0
        self._lock = OutLock(self.out)
        self._broken = False  #: a write of the journal failed (and was reported)
        #: what the work written to this journal cost, this run's and that of the runs it resumes
        self.costs: dict[str, StageCost] = {}

    # ---- the journal ---------------------------------------------------------------------------

    def open(self) -> None:
        """Resume an unfinished journal, or seed one from a finished ``out``, holding the lock of ``out``
        (:class:`~backtrans.files.lock.OutLock`) until :meth:`close`: a second run on it fails at once."""
        try:
            self._lock.acquire()
        except OSError as exc:
            raise output_problem(exc, Path(exc.filename or self._lock.path), self.out) from None
        try:
            self._new = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            finished = self.out / ARTICLES_FILE
            if not self.journal_path.exists() and finished.is_file():
                shutil.copyfile(finished, self.journal_path)
            self._index()
            self._handle = self.journal_path.open("ab")
        except OSError as exc:
            self._lock.release()
            raise output_problem(exc, Path(exc.filename or self.journal_path), self.out) from None
        except BaseException:
            self._lock.release()  # never left held by a run that did not start
            raise

    def _index(self) -> None:
        """Read the journal's keys (not its results); cut a last line that an interruption left half-written.

        A complete line that does not read back (edited, damaged) is passed over: its article is computed again,
        and the lines after it, articles already paid for, are kept."""
        self.entries = {}
        if not self.journal_path.exists():
            return
        good = 0
        with self.journal_path.open("rb") as handle:
            offset = 0
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # the half-written last line of an interrupted run: cut below
                try:
                    head = json.loads(line)
                    if COSTS_KEY in head:
                        sum_costs(self.costs, [from_data(StageCost, cost) for cost in head[COSTS_KEY]])
                    else:
                        self.entries[head["id"]] = _entry(head, offset)
                except (ValueError, KeyError, TypeError, RecursionError):
                    pass  # a damaged complete line: passed over, never the lines after it
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
        problem = self._unreadable(article_id)
        if problem is not None:  # an edited or damaged line: computed again, never a failure of the run
            del self.entries[article_id]
            if self.warn is not None:
                self.warn(
                    f"{shown(self.journal_path)}: the saved result of article {article_id!r} does not read back "
                    f"({problem}); it was computed again"
                )
            return None
        return entry

    def _unreadable(self, article_id: str) -> str | None:
        """Why an article's journal line cannot be used as it is (None: it can)."""
        try:
            entry = parse_entry(self.read(article_id))
            if isinstance(entry, ScoredArticle):
                check_entry(entry)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            return one_line(f"{type(exc).__name__}: {exc}")[:200]
        return None

    def append(self, entry: ScoredArticle | Unscoreable, input_key: str, run: str) -> None:
        """Write one finished article to the journal (flushed: an interruption keeps it)."""
        record = _record(entry, input_key, run)
        self._write(_line(record), record)

    def append_costs(self, costs: Sequence[StageCost]) -> None:
        """Record what some work cost (a chunk, a Ray pipeline), so a resumed run reports the whole cost."""
        if not costs:
            return
        record = {COSTS_KEY: [to_data(cost) for cost in costs]}
        assert self._handle is not None, "open() first"
        try:
            self._handle.write(_line(record).encode("utf-8"))
            self._handle.flush()
        except OSError as exc:
            raise self._failed(exc) from None
        self._appended += 1
        sum_costs(self.costs, costs)

    def append_line(self, line: str) -> None:
        """Write one journal line made elsewhere (:func:`entry_line`, e.g. by a Ray worker)."""
        self._write(line, json.loads(line))

    def _write(self, line: str, head: Mapping[str, Any]) -> None:
        assert self._handle is not None, "open() first"
        offset = self._handle.tell()
        try:
            self._handle.write(line.encode("utf-8"))
            self._handle.flush()
        except OSError as exc:
            raise self._failed(exc) from None
        self._appended += 1
        self.entries[head["id"]] = _entry(head, offset)

    def sync(self) -> None:
        """Make the journal durable (after each chunk)."""
        if self._handle is not None:
            try:
                self._handle.flush()
                os.fsync(self._handle.fileno())
            except OSError as exc:
                raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> Exception:
        """A write of the journal failed (a full disk, a file-size limit): the error names the journal; closing
        it later (which tries the same write again) says nothing more."""
        self._broken = True
        return output_problem(exc, self.journal_path, self.out)

    def read(self, article_id: str) -> str:
        """The journal line of an article."""
        if self._reader is None:
            self.sync()
            self._reader = self.journal_path.open("rb")
        self._reader.seek(self.entries[article_id].offset)
        return self._reader.readline().decode("utf-8")

    # ---- the end of a run ----------------------------------------------------------------------

    def write_articles(self, order: Sequence[str], target: Path) -> Iterator[ScoredArticle | Unscoreable]:
        """Every article of the run in input order; the scored ones are copied into ``target``
        (``articles.jsonl`` of the output folder) as they are read."""
        self.sync()
        with Path(target).open("wb") as out:
            for article_id in order:
                line = self.read(article_id)
                entry = parse_entry(line)
                if isinstance(entry, ScoredArticle):
                    out.write(line.encode("utf-8"))
                yield entry
            out.flush()
            os.fsync(out.fileno())

    def finished(self) -> None:
        """The run's reports are in ``out``: the journal goes (before the lock of ``out`` does)."""
        try:
            self._close_handles()
            shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            self._lock.release()

    def close(self) -> None:
        """Close the journal; one this run made and wrote nothing to goes (a run that failed before any
        work leaves nothing next to ``--out``). The lock of ``out`` goes last."""
        try:
            self._close_handles()
        finally:
            if self._new and not self._appended:
                shutil.rmtree(self.folder, ignore_errors=True)
            self._lock.release()

    def _close_handles(self) -> None:
        handles, self._handle, self._reader = (self._handle, self._reader), None, None
        for handle in handles:
            if handle is None:
                continue
            try:
                handle.close()
            except OSError as exc:
                if not self._broken:  # else the write that failed was reported, with the journal's path
                    raise self._failed(exc) from None


def iter_stored(path: Path) -> Iterator[ScoredArticle]:
    """Every article of an ``articles.jsonl`` file, one at a time."""
    with Path(path).open("rb") as handle:
        for line in handle:
            if line.strip():
                entry = parse_entry(line)
                if isinstance(entry, ScoredArticle):
                    yield entry


def models_match(entry: Entry, current: Mapping[str, str]) -> bool:
    """Whether the models an article was translated with have the revisions they have now."""
    return all(current.get(name, revision) == revision for name, revision in entry.models)
