"""What both engines share: keeping models loaded across chunks, and the end of a run.

The end of a run reads what the journal holds, in input order, once: it copies each scored article
into ``articles.jsonl``, feeds every article to the run's :class:`~backtrans.run.assembly.Assembly`
(summaries, warnings, unscored versions, models), writes back-translations, ``segments.csv`` and the
article pages as it goes (a corpus too large to hold: :class:`~backtrans.report.streamed.StreamedView`),
and checks the ``--fail-under`` gates; then it writes report.json and the summary pages. Everything
is staged in an :class:`~backtrans.files.outdir.OutputFolder` and swapped into ``--out`` as a whole; only
then does the journal go.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...config import Settings
from ...files.outdir import OutputFolder
from ...report import write_article_back, write_reports
from ...report.json import stored_results
from ...report.streamed import StreamedView
from ...types import Report
from .._results import ScoredArticle
from .._store import ARTICLES_FILE, RunFolder
from ..assembly import Assembly
from ..gates import GateFailure, check_article_gates, check_unscored_gates

#: runs of at most this many articles keep them in report.json too (the single answer of a small run)
INLINE_ARTICLES = 200
#: warnings listed in the report (the rest are counted; every article's are in articles.jsonl)
MAX_WARNINGS = 200


class KeepLoaded:
    """A backend (or sentence-encoder backend) whose models, once loaded, stay loaded for the whole run.

    The plan of each chunk loads its models through ``load``; this remembers them, so a model is
    loaded once per run however many chunks there are.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.loaded: dict[Any, Any] = {}
        self.resolved: dict[Any, Any] = {}

    def resolve(self, ref: Any, settings: Settings) -> Any:
        if ref not in self.resolved:
            self.resolved[ref] = self.inner.resolve(ref, settings)
        return self.resolved[ref]

    def load(self, model: Any, settings: Settings) -> Any:
        key = (getattr(model, "path", None), getattr(model, "revision", None), repr(getattr(model, "ref", model)))
        if key not in self.loaded:
            self.loaded[key] = self.inner.load(model, settings)
        return self.loaded[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def finish_run(
    folder: RunFolder,
    assembly: Assembly,
    order: Sequence[str],
    formats: Sequence[str],
    gates: dict[str, float],
    *,
    allow_missing: bool = False,
) -> tuple[Report, list[Path], list[GateFailure]]:
    """The run's files from what its journal holds (``order``: the article ids in input order)."""
    inline = sum(folder.entries[article_id].scored for article_id in order) <= INLINE_ARTICLES
    assembly.inline = inline
    assembly.costs = dict(folder.costs)  # what the journal's work cost: this run's and the runs it resumed
    back = assembly.mode == "run"
    failures: list[GateFailure] = []
    with OutputFolder(folder.out) as out:
        staging = out.path
        written: list[Path] = [staging / ARTICLES_FILE]
        streamed = None if inline else StreamedView(staging, formats)
        shell = assembly.shell()
        scored = 0
        for entry in folder.write_articles(order, staging / ARTICLES_FILE):
            assembly.add(entry)
            if not isinstance(entry, ScoredArticle):
                continue
            if back:
                written += write_article_back(entry.result, staging)
            failures += check_article_gates(entry.result, gates)
            if streamed is not None:
                streamed.add(scored, entry.result, shell)
            scored += 1
        report = assembly.report(ARTICLES_FILE)
        failures += check_unscored_gates(report.unscored, gates, allow_missing)
        files = [f for f in formats if f != "json"]
        if streamed is None:
            written += write_reports(report, staging, files)
        else:
            articles = enumerate(stored_results(staging / ARTICLES_FILE))
            written += streamed.finish(report, staging, articles)
        if "json" in formats:
            summary = report if inline else dataclasses.replace(report, articles=())
            written += write_reports(summary, staging, ["json"])
        out.files.extend(str(p.relative_to(staging)) for p in written)
    folder.finished()
    return report, [out.final(p) for p in written], failures
