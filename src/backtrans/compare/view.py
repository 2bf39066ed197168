"""The view model of compare.html and compare.md: plain data computed from a :class:`Comparison`.

Like :mod:`backtrans.report._view` for the run report, with the shapes of :mod:`backtrans.report.viewmodel`
and the difference views of :mod:`backtrans.report.difference` (not the run report's builder): every shape
is a frozen dataclass, everything a page shows is computed here, and the templates only lay it out
(escaping every text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..flag import CODES, SEVERITY_ORDER
from ..report.difference import (
    METRIC_LABELS,
    VERDICT_WORDS,
    DiffView,
    article_settings_text,
    difference_view,
    settings_text,
    signed,
)
from ..report.viewmodel import FLAG_LABELS, FlagLabel, Setting
from ..text.languages import language_name
from ..types import Difference
from ._records import CandidateComparison, Comparison, FlagChange, RunInfo

#: metrics in the order the tables show them
SHOWN = ("chrf", "bleu", "ter")


@dataclass(frozen=True)
class Forest:
    """One difference with its interval on a shared axis around 0 (SVG coordinates)."""

    width: int
    zero: float
    x: float
    low: float | None
    high: float | None
    colour: str
    left: str  #: label of the axis's left end, e.g. ``−20``
    right: str


@dataclass(frozen=True)
class LanguageDiffRow:
    lang: str
    name: str
    articles: int
    units: int
    diffs: list[DiffView]  #: chrF++, BLEU, TER
    forest: Forest


@dataclass(frozen=True)
class ArticleDiffRow:
    rank: int
    article: str
    lang: str
    units: int
    diffs: list[DiffView]
    new_flags: int
    resolved_flags: int


@dataclass(frozen=True)
class FlagRow:
    status: str
    article: str
    lang: str
    code: str
    label: str
    severity: str
    segments: str
    message: str


@dataclass(frozen=True)
class ExcludedRow:
    article: str
    lang: str
    reason: str


@dataclass(frozen=True)
class RunView:
    label: str
    path: str
    created: str
    mode: str
    tool_version: str
    articles: int
    languages: str
    models: list[str]


@dataclass(frozen=True)
class LangOption:
    lang: str
    name: str


@dataclass(frozen=True)
class CandidateView:
    """The baseline against one candidate."""

    index: int
    label: str
    summary: str
    changes: list[Setting]  #: name, "baseline → candidate"
    excluded: list[ExcludedRow]
    languages: list[LanguageDiffRow]
    articles: list[ArticleDiffRow]
    new: list[FlagRow]
    resolved: list[FlagRow]
    stayed: list[FlagRow]


@dataclass(frozen=True)
class CompareView:
    """Everything compare.html and compare.md show."""

    tool_version: str
    created: str
    baseline: RunView
    runs: list[RunView]
    candidates: list[CandidateView]
    settings: str
    article_settings: str  #: how the article × language rows are decided
    metrics: list[Setting]
    sacrebleu: str
    languages: list[LangOption]
    flag_codes: list[FlagLabel]


def _run_view(run: RunInfo) -> RunView:
    return RunView(
        label=run.label,
        path=run.path,
        created=run.created,
        mode=run.mode,
        tool_version=run.tool_version,
        articles=run.articles,
        languages=", ".join(run.languages),
        models=list(run.models),
    )


def _ordered(differences: tuple[Difference, ...]) -> list[Difference]:
    return sorted(differences, key=lambda d: SHOWN.index(d.metric) if d.metric in SHOWN else len(SHOWN))


def _extent(comparison: Comparison) -> float:
    """Half the width of the forest axis: the largest chrF++ interval bound, rounded up to 5."""
    bounds = [1.0]
    for result in comparison.candidates:
        for language in result.languages:
            for d in language.differences:
                if d.metric == "chrf":
                    bounds += [abs(d.delta), *(abs(v) for v in d.ci or ())]
    return 5.0 * math.ceil(max(bounds) / 5.0)


def _forest(d: DiffView, raw: Difference, extent: float) -> Forest:
    width = 170

    def x(value: float) -> float:
        return round(10 + (value + extent) / (2 * extent) * (width - 20), 1)

    low, high = raw.ci if raw.ci is not None else (None, None)
    return Forest(
        width=width,
        zero=x(0.0),
        x=x(raw.delta),
        low=None if low is None else x(low),
        high=None if high is None else x(high),
        colour=d.colour,
        left=signed(-extent, 0),
        right=signed(extent, 0),
    )


def _flag_row(change: FlagChange) -> FlagRow:
    return FlagRow(
        status=change.status,
        article=change.article,
        lang=change.lang,
        code=change.code,
        label=FLAG_LABELS.get(change.code, change.code),
        severity=change.severity,
        segments=" ".join(change.segments),
        message=change.message,
    )


def _summary(result: CandidateComparison, new: int, resolved: int, stayed: int) -> str:
    """One sentence: which languages got significantly better or worse on chrF++, and the flags."""
    groups: dict[str, list[str]] = {verdict: [] for verdict in ("worse", "better", "same", *VERDICT_WORDS)}
    for language in result.languages:
        chrf = next(d for d in language.differences if d.metric == "chrf")
        shown = f"{language.lang} ({signed(chrf.delta)})" if chrf.verdict in ("better", "worse") else language.lang
        groups[chrf.verdict].append(shown)
    parts = [f"{VERDICT_WORDS[v]}: {', '.join(langs)}" for v, langs in groups.items() if langs]
    return f"chrF++ — {'; '.join(parts)}. Flags: {new} new, {resolved} resolved, {stayed} stayed."


def _candidate_view(index: int, baseline: str, result: CandidateComparison, extent: float) -> CandidateView:
    label = result.candidate.label
    languages = []
    for language in result.languages:
        ordered = _ordered(language.differences)
        diffs = [difference_view(d, baseline, label) for d in ordered]
        languages.append(
            LanguageDiffRow(
                lang=language.lang,
                name=language_name(language.lang),
                articles=language.articles,
                units=language.units,
                diffs=diffs,
                forest=_forest(diffs[0], ordered[0], extent),
            )
        )
    articles = [
        ArticleDiffRow(
            rank=row.rank,
            article=row.article,
            lang=row.lang,
            units=row.units,
            diffs=[difference_view(d, baseline, label) for d in _ordered(row.differences)],
            new_flags=row.new_flags,
            resolved_flags=row.resolved_flags,
        )
        for row in result.articles
    ]
    flags = sorted(result.flags, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.article, f.lang, f.code))
    by_status = {s: [_flag_row(f) for f in flags if f.status == s] for s in ("new", "resolved", "stayed")}
    return CandidateView(
        index=index,
        label=label,
        summary=_summary(result, *(len(by_status[s]) for s in ("new", "resolved", "stayed"))),
        changes=[Setting(c.name, f"{c.baseline} → {c.candidate}") for c in result.changes],
        excluded=[ExcludedRow(e.article, e.lang, e.reason) for e in result.excluded],
        languages=languages,
        articles=articles,
        new=by_status["new"],
        resolved=by_status["resolved"],
        stayed=by_status["stayed"],
    )


def build_compare_view(comparison: Comparison) -> CompareView:
    extent = _extent(comparison)
    baseline = comparison.baseline.label
    langs = sorted({language.lang for result in comparison.candidates for language in result.languages})
    codes = {f.code for result in comparison.candidates for f in result.flags}
    return CompareView(
        tool_version=comparison.tool_version,
        created=comparison.created,
        baseline=_run_view(comparison.baseline),
        runs=[_run_view(comparison.baseline), *(_run_view(r.candidate) for r in comparison.candidates)],
        candidates=[_candidate_view(i, baseline, r, extent) for i, r in enumerate(comparison.candidates)],
        settings=settings_text(comparison.tests),
        article_settings=article_settings_text(comparison.article_tests, comparison.min_units),
        metrics=[Setting(METRIC_LABELS.get(k, k), v) for k, v in comparison.metrics.items()],
        sacrebleu=comparison.sacrebleu,
        languages=[LangOption(lang, language_name(lang)) for lang in langs],
        flag_codes=[FlagLabel(c, FLAG_LABELS.get(c, c)) for c in (*CODES, *sorted(codes - set(CODES))) if c in codes],
    )
