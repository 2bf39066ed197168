"""What both engines share: a run's state, keeping models loaded across chunks, and the end of a run.

The end of a run reads what was written, in input order, once: it copies the journal into
``articles.jsonl``, feeds every article's statistics to the corpus summaries
(:class:`~backtrans.accumulate.CorpusSummary`), writes back-translations and ``segments.csv``, and
checks the ``--fail-under`` gates; then it writes report.json and the pages, and swaps the staging
folder into ``--out``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..accumulate import CorpusSummary, sum_costs
from ..config import Settings
from ..gates import GateFailure, check_gates
from ..report import write_article_back, write_reports
from ..report.json import render_json
from ..report.streamed import StreamedView
from ..results import build_signature
from ..store import ARTICLES_FILE, RunFolder, iter_stored, parse_line
from ..types import REPORT_SCHEMA_VERSION, ModelInfo, Report, StageCost
from ..witnesses import Witnesses

#: runs of at most this many articles keep them in report.json too (the single answer of a small run)
INLINE_ARTICLES = 200
#: warnings kept in the report (the rest are counted)
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


@dataclass
class RunState:
    """What a run gathers while its articles go through: order, models, costs, warnings."""

    settings: Settings
    mode: str
    order: list[str] = field(default_factory=list)  #: article ids in input order (written or reused)
    models: dict[ModelInfo, None] = field(default_factory=dict)
    costs: dict[str, StageCost] = field(default_factory=dict)
    warnings: dict[str, None] = field(default_factory=dict)
    witnesses: Witnesses | None = None  #: the encoder and record of the witnesses (from any chunk)
    reused: int = 0
    empty: str | None = None  #: why a chunk had nothing to score (the error when no chunk had anything)
    source_langs: set[str] = field(default_factory=set)

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings[message] = None

    def add(self, models: Sequence[ModelInfo], costs: Sequence[StageCost], warnings: Iterable[str]) -> None:
        for model in models:
            self.models[model] = None
        sum_costs(self.costs, costs)
        for message in warnings:
            self.warn(message)


def finish_run(
    folder: RunFolder, state: RunState, formats: Sequence[str], gates: dict[str, float]
) -> tuple[Report, list[Path], list[GateFailure]]:
    """Summaries, report.json and every page from what the run wrote; then the swap into ``--out``."""
    settings, staging = state.settings, folder.staging
    summary = CorpusSummary(settings)
    inline = len(state.order) <= INLINE_ARTICLES
    held = []
    written: list[Path] = []
    failures: list[GateFailure] = []
    witness_lists: dict[str, dict[str, list[Any]]] = {}
    streamed = None if inline else StreamedView(staging, formats)
    shell = _report(state, summary, (), ())
    for index, line in enumerate(folder.write_articles(state.order)):
        stored = parse_line(line)
        summary.add(stored.scored)
        state.source_langs.add(stored.result.source_lang)
        _collect_witnesses(witness_lists, stored.result, stored.floor_stats)
        if state.mode == "run":
            written += write_article_back(stored.result, staging)
        one = dataclasses.replace(shell, articles=(stored.result,))
        failures += check_gates(one, gates)
        if streamed is not None:
            streamed.add(index, stored.result, shell)
        else:
            held.append(stored.result)
    languages, matrix, tests = summary.finish()
    if state.witnesses is not None and summary.scorers:
        collected = dataclasses.replace(
            state.witnesses,
            _direct={k: v["direct"] for k, v in witness_lists.items()},
            _back={k: v["back"] for k, v in witness_lists.items()},
            _floor_back={k: v["floor_back"] for k, v in witness_lists.items()},
            _floor_rows={k: v["floor_rows"] for k, v in witness_lists.items()},
        )
        languages = collected.summaries(languages, next(iter(summary.scorers.values())))
    report = _report(state, summary, languages, tuple(held), matrix=matrix, tests=tests)
    files = [f for f in formats if f != "json"]
    if streamed is None:
        written += write_reports(report, staging, files)
    else:
        articles = ((i, s.result) for i, s in enumerate(iter_stored(staging / ARTICLES_FILE)))
        written += streamed.finish(report, staging, articles)
    if "json" in formats:
        written += write_reports(dataclasses.replace(report, articles=()) if not inline else report, staging, ["json"])
    folder.commit()
    out = folder.out
    return report, [out / p.relative_to(staging) for p in written], failures


def _report(
    state: RunState,
    summary: CorpusSummary,
    languages: Any,
    articles: tuple[Any, ...],
    matrix: Any = None,
    tests: Any = None,
) -> Report:
    settings = state.settings
    scorer = summary.scorer(sorted(state.source_langs)[0] if state.source_langs else settings.source_lang)
    signature = build_signature(
        sorted(state.source_langs) or [settings.source_lang], settings, tuple(state.models), scorer, state.mode
    )
    signature = dataclasses.replace(signature, metrics={**signature.metrics, "corpus_resampling": summary.method})
    if state.witnesses is not None:
        signature = dataclasses.replace(signature, encoder=state.witnesses.encoder, witnesses=state.witnesses.record)
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        tool_version=__version__,
        created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        signature=signature,
        articles=articles,
        languages=languages,
        matrix=matrix,
        warnings=tuple(state.warnings),
        language_tests=tests,
        costs=tuple(state.costs.values()),
        articles_file=ARTICLES_FILE,
    )


def _collect_witnesses(lists: dict[str, dict[str, list[Any]]], result: Any, floor_stats: dict[str, Any]) -> None:
    """What the language summaries of the witnesses are built from (as :meth:`Witnesses.attach` keeps it)."""
    for version in result.versions:
        found = [p.witness for p in version.pairs if p.witness is not None]
        if not found and version.lang not in floor_stats:
            continue
        into = lists.setdefault(version.lang, {"direct": [], "back": [], "floor_back": [], "floor_rows": []})
        into["direct"] += [w.direct for w in found if w.direct is not None]
        into["back"] += [w.back for w in found if w.back is not None]
        into["floor_back"] += [w.floor_back for w in found if w.floor_back is not None]
        into["floor_rows"] += [np.asarray(row) for row in floor_stats.get(version.lang, [])]


__all__ = ["INLINE_ARTICLES", "KeepLoaded", "RunState", "finish_run", "render_json"]
