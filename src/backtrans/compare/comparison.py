"""``backtrans compare``: did the new MT system, model or route make the versions better?

Reads two or more saved runs (report.json), keeps the articles whose source
both runs scored identically, recomputes every aligned pair's sacrebleu
statistics from the texts the reports hold, and tests candidate − baseline per
language and per article × language on units of source segments that both
alignments respect (:mod:`backtrans.score.significance`). Flags are matched by
article, language, code and source segments.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..errors import InputError
from ..report.json import read_report
from ..score.sacrebleu_adapter import version as sacrebleu_version
from ..score.scoring import PairStats, Scorer
from ..score.significance import Linked, article_differences, paired_differences, paired_units
from ..score.verdicts import LOWER_IS_BETTER, TOO_FEW_UNITS, UNTESTED, article_settings, min_units
from ..types import REPORT_SCHEMA_VERSION, ArticleResult, Difference, PairedSettings, Report, VersionResult
from ._records import (
    COMPARE_SCHEMA_VERSION,
    ArticleComparison,
    CandidateComparison,
    Change,
    Comparison,
    Excluded,
    FlagChange,
    LanguageComparison,
    RunInfo,
)

#: report.json schema versions that compare reads: the lead adjusts this when REPORT_SCHEMA_VERSION changes
COMPARE_READS_SCHEMAS: tuple[int, ...] = (1, REPORT_SCHEMA_VERSION)


@dataclass(frozen=True)
class Run:
    """A saved run to compare."""

    label: str
    path: Path
    report: Report


def load_run(path: Path, label: str | None = None) -> Run:
    """A run from its report.json or from the folder a run wrote (which holds report.json)."""
    path = Path(path)
    file = path / "report.json" if path.is_dir() else path
    if path.is_dir() and not file.is_file():
        raise InputError(f"{path}: no report.json in this folder; give a report.json or the --out folder of a run")
    if not file.exists():
        raise InputError(f"{path}: no such file or folder; give a report.json or the --out folder of a run")
    name = file.parent.name if file.name == "report.json" else file.stem
    return Run(label or name or str(file), file, read_report(file, schemas=COMPARE_READS_SCHEMAS))


def load_runs(paths: Sequence[Path]) -> list[Run]:
    """Runs with unique labels (a repeated folder name gets ``#2``, ``#3``, …)."""
    runs: list[Run] = []
    seen: Counter[str] = Counter()
    for path in paths:
        run = load_run(path)
        seen[run.label] += 1
        runs.append(run if seen[run.label] == 1 else dataclasses.replace(run, label=f"{run.label}#{seen[run.label]}"))
    return runs


def run_info(run: Run) -> RunInfo:
    report = run.report
    return RunInfo(
        label=run.label,
        path=str(run.path),
        tool_version=report.tool_version,
        created=report.created,
        mode=report.signature.mode,
        source_lang=report.signature.source_lang,
        articles=len(report.articles),
        languages=tuple(summary.lang for summary in report.languages),
        routes={summary.lang: summary.route for summary in report.languages},
        models=tuple(f"{m.name} @ {m.revision}" for m in report.signature.models),
    )


def run_changes(baseline: Run, candidate: Run) -> tuple[Change, ...]:
    """What differs between the runs' signatures and routes: the models, settings and routes being compared."""
    a, b = run_info(baseline), run_info(candidate)
    sig_a, sig_b = baseline.report.signature, candidate.report.signature
    values: list[tuple[str, object, object]] = [
        ("mode", a.mode, b.mode),
        ("models", ", ".join(a.models) or "none", ", ".join(b.models) or "none"),
        *((f"route {lang}", a.routes.get(lang, "–"), b.routes.get(lang, "–")) for lang in _union(a.routes, b.routes)),
        *_mapping_changes("", sig_a.generation, sig_b.generation),
        *_mapping_changes("threshold ", sig_a.thresholds, sig_b.thresholds),
        ("segmenter", sig_a.segmenter, sig_b.segmenter),
        ("sacrebleu", sig_a.sacrebleu, sig_b.sacrebleu),
        ("backtrans", a.tool_version, b.tool_version),
    ]
    return tuple(Change(name, str(x), str(y)) for name, x, y in values if str(x) != str(y))


def _union(a: Iterable[str], b: Iterable[str]) -> list[str]:
    return sorted(set(a) | set(b))


def _mapping_changes(prefix: str, a: Mapping[str, object], b: Mapping[str, object]) -> list[tuple[str, object, object]]:
    return [(prefix + key, a.get(key, "–"), b.get(key, "–")) for key in _union(a, b)]


# ---- statistics from the texts the reports hold --------------------------------------------


class _Statistics:
    """sacrebleu statistics of aligned pairs, computed once per distinct (back-translation, source) text pair."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.rows: dict[tuple[str, str], int] = {}
        self.stats: PairStats | None = None

    def need(self, version: VersionResult) -> None:
        for pair in version.pairs:
            self.rows.setdefault((pair.back, pair.source), len(self.rows))

    def compute(self) -> None:
        texts = list(self.rows)
        self.stats = self.scorer.stats([h for h, _ in texts], [r for _, r in texts])

    def linked(self, article: ArticleResult, version: VersionResult) -> Linked:
        assert self.stats is not None, "compute() first"
        position = {segment.id: i for i, segment in enumerate(article.source)}
        index = [self.rows[(pair.back, pair.source)] for pair in version.pairs]
        sources = tuple(tuple(position[s] for s in pair.source_ids) for pair in version.pairs)
        stats = PairStats(*(getattr(self.stats, m)[index] for m in ("chrf", "bleu", "ter")))
        return Linked(len(article.source), sources, stats)


def _comparable(a: ArticleResult, b: ArticleResult) -> str | None:
    """Why two runs' copies of an article cannot be compared (None: they can)."""
    if a.source_lang != b.source_lang:
        return f"source language differs ({a.source_lang} / {b.source_lang})"
    segments_a = [(s.id, s.text) for s in a.source]
    segments_b = [(s.id, s.text) for s in b.source]
    if segments_a == segments_b:
        return None
    if " ".join(t for _, t in segments_a).split() == " ".join(t for _, t in segments_b).split():
        return "source segmented differently (another segmenter version); rerun both with one version"
    return "source text differs between the runs"


def _check_pairs(run: Run, article: ArticleResult) -> None:
    """Every pair must point at source segments the article has (else the report.json was edited or damaged)."""
    known = {segment.id for segment in article.source}
    for version in article.versions:
        for pair in version.pairs:
            if not set(pair.source_ids) <= known:
                raise InputError(
                    f"{run.path}: article {article.id!r} / {version.lang}: a pair points at source segments "
                    f"{', '.join(pair.source_ids)} the article does not have; the report is damaged, rebuild it"
                )


def _matched(baseline: Run, candidate: Run) -> tuple[list[tuple[ArticleResult, ArticleResult, str]], list[Excluded]]:
    """Article × language pairs both runs can be compared on, and everything left out with the reason."""
    base = {a.id: a for a in baseline.report.articles}
    cand = {a.id: a for a in candidate.report.articles}
    matched, excluded = [], []
    for article_id in base.keys() - cand.keys():
        excluded.append(Excluded(article_id, "", f"only in {baseline.label}"))
    for article_id in cand.keys() - base.keys():
        excluded.append(Excluded(article_id, "", f"only in {candidate.label}"))
    for article_id in base.keys() & cand.keys():
        a, b = base[article_id], cand[article_id]
        reason = _comparable(a, b)
        if reason:
            excluded.append(Excluded(article_id, "", reason))
            continue
        _check_pairs(baseline, a)
        _check_pairs(candidate, b)
        langs_a, langs_b = {v.lang for v in a.versions}, {v.lang for v in b.versions}
        excluded += [Excluded(article_id, lang, f"only in {baseline.label}") for lang in langs_a - langs_b]
        excluded += [Excluded(article_id, lang, f"only in {candidate.label}") for lang in langs_b - langs_a]
        matched += [(a, b, lang) for lang in langs_a & langs_b]
    matched.sort(key=lambda m: (m[0].id, m[2]))
    excluded.sort(key=lambda e: (e.article, e.lang))
    return matched, excluded


# ---- flags ----------------------------------------------------------------------------------


def flag_changes(matched: Sequence[tuple[ArticleResult, ArticleResult, str]]) -> tuple[FlagChange, ...]:
    """Flags matched by article, language, code and source segments (as many times as they occur).

    Only the flags each run's editor's views list count (shown at that run's ``--min-confidence`` and not
    dismissed): a note below the threshold is neither new nor resolved."""
    out: dict[str, list[FlagChange]] = {"new": [], "resolved": [], "stayed": []}
    for a, b, lang in matched:
        left = [f for f in a.version(lang).flags if f.visible]
        for flag in (f for f in b.version(lang).flags if f.visible):
            twin = next((f for f in left if (f.code, f.segments) == (flag.code, flag.segments)), None)
            status = "new" if twin is None else "stayed"
            if twin is not None:
                left.remove(twin)
            out[status].append(FlagChange(status, a.id, lang, flag.code, flag.severity, flag.segments, flag.message))
        out["resolved"] += [FlagChange("resolved", a.id, lang, f.code, f.severity, f.segments, f.message) for f in left]
    return tuple(out["new"] + out["resolved"] + out["stayed"])


# ---- the comparison -------------------------------------------------------------------------


def compare_runs(baseline: Run, candidates: Sequence[Run], tests: PairedSettings) -> Comparison:
    """The baseline against each candidate: per language, per article × language, and flags."""
    source_lang = baseline.report.signature.source_lang
    for run in candidates:
        if run.report.signature.source_lang != source_lang:
            raise InputError(
                f"{run.path}: source language {run.report.signature.source_lang} differs from "
                f"{source_lang} in {baseline.path}; compare runs over the same originals"
            )
    for run in (baseline, *candidates):
        langs = sorted({a.source_lang for a in run.report.articles})
        if len(langs) > 1:
            # the paired tests score every unit with one metric setup (tokenizer, CJK support)
            raise InputError(
                f"{run.path}: its articles have more than one source language ({', '.join(langs)}); "
                "compare runs over originals in one language (run each language's articles separately)"
            )
    lang = next((a.source_lang for a in baseline.report.articles), source_lang)
    scorer = Scorer(lang, bootstrap=0)
    statistics = _Statistics(scorer)
    plans = [(run, *_matched(baseline, run)) for run in candidates]
    for _, matched, _ in plans:
        for a, b, version_lang in matched:
            statistics.need(a.version(version_lang))
            statistics.need(b.version(version_lang))
    statistics.compute()
    results = []
    for run, matched, excluded in plans:
        if not matched:
            raise InputError(
                f"nothing to compare between {baseline.path} and {run.path}: "
                "no article × language is in both runs with the same source text"
            )
        linked = [
            (a.id, v, statistics.linked(a, a.version(v)), statistics.linked(b, b.version(v))) for a, b, v in matched
        ]
        flags = flag_changes(matched)
        results.append(
            CandidateComparison(
                candidate=run_info(run),
                changes=run_changes(baseline, run),
                excluded=tuple(excluded),
                languages=_languages(linked, scorer, tests),
                articles=_articles(linked, flags, scorer, tests),
                flags=flags,
            )
        )
    return Comparison(
        schema_version=COMPARE_SCHEMA_VERSION,
        tool_version=__version__,
        created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        tests=tests,
        article_tests=article_settings(tests),
        min_units=min_units(tests.alpha),
        sacrebleu=sacrebleu_version(),
        metrics=scorer.signatures,
        baseline=run_info(baseline),
        candidates=tuple(results),
    )


LinkedPair = tuple[str, str, Linked, Linked]


def _languages(linked: Sequence[LinkedPair], scorer: Scorer, tests: PairedSettings) -> tuple[LanguageComparison, ...]:
    out = []
    for lang in sorted({item[1] for item in linked}):
        pairs = [(a, b) for _, item_lang, a, b in linked if item_lang == lang]
        stats_a, stats_b = paired_units(pairs)
        differences = paired_differences(stats_a, stats_b, scorer, tests)
        out.append(LanguageComparison(lang, len(pairs), len(stats_a), differences))
    return tuple(out)


def _articles(
    linked: Sequence[LinkedPair], flags: Sequence[FlagChange], scorer: Scorer, tests: PairedSettings
) -> tuple[ArticleComparison, ...]:
    """Every article × language, worst first: the lowest chrF++ difference, then the most new flags.

    Approximate randomization decides each row and the paired bootstrap gives its
    interval: on the dozen units of one article the bootstrap's p is far too small
    (:func:`~backtrans.score.significance.article_differences`).
    """
    counts = Counter((f.status, f.article, f.lang) for f in flags)
    rows = []
    for article, lang, a, b in linked:
        stats_a, stats_b = paired_units([(a, b)])
        differences = article_differences(stats_a, stats_b, scorer, tests)
        rows.append((article, lang, len(stats_a), differences, counts[("new", article, lang)]))
    rows.sort(key=lambda r: (round(_delta(r[3], "chrf"), 9), -r[4], r[0], r[1]))
    return tuple(
        ArticleComparison(rank, article, lang, units, differences, new, counts[("resolved", article, lang)])
        for rank, (article, lang, units, differences, new) in enumerate(rows, start=1)
    )


def _delta(differences: Sequence[Difference], metric: str) -> float:
    return next(d.delta for d in differences if d.metric == metric)


# ---- the CI gate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorseFailure:
    """A candidate × language that fails a ``--fail-if-worse`` gate: significantly worse, or not judged.

    ``reason`` empty: worse by ``delta``; otherwise why it could not be judged (left out of the
    comparison, too few units, no test), which fails the gate unless ``--allow-missing``.
    """

    candidate: str
    lang: str
    metric: str
    delta: float | None
    limit: float
    reason: str = ""
    article: str = ""

    @property
    def worse(self) -> bool:
        return not self.reason

    def describe(self) -> str:
        where = " / ".join(x for x in (self.candidate, self.article, self.lang) if x)
        if self.reason:
            tested = f"{self.metric} cannot be tested" if self.metric else "not compared"
            return f"{where}: {tested} ({self.reason}); the gate fails closed (--allow-missing lets it pass)"
        return f"{where}: {self.metric} {self.delta:+.2f}, significantly worse by more than {self.limit:g}"


def worse_failures(
    comparison: Comparison, gates: Mapping[str, float], allow_missing: bool = False
) -> list[WorseFailure]:
    """What fails the ``--fail-if-worse`` gates: languages significantly worse than the baseline by more
    than the gate's amount, and (it fails closed) unless ``allow_missing`` everything the gate could not
    judge: articles and languages left out of the comparison, a language tested on too few units or not
    tested, a difference that is not a number."""
    failures: list[WorseFailure] = []
    if not gates:
        return failures
    for result in comparison.candidates:
        label = result.candidate.label
        if not allow_missing:
            failures += [
                WorseFailure(label, item.lang, "", None, 0.0, f"left out: {item.reason}", item.article)
                for item in result.excluded
            ]
        for language in result.languages:
            for difference in language.differences:
                limit = gates.get(difference.metric)
                if limit is None:
                    continue
                if not math.isfinite(difference.delta):
                    why = "the difference is not a number"
                    failures.append(WorseFailure(label, language.lang, difference.metric, None, limit, why))
                    continue
                drop = difference.delta if difference.metric in LOWER_IS_BETTER else -difference.delta
                if difference.verdict in (TOO_FEW_UNITS, UNTESTED) and drop > limit:
                    if not allow_missing:  # worse by more than the gate allows, and no test can say it is noise
                        why = f"{difference.delta:+.2f} on too few units ({language.units})"
                        if difference.verdict == UNTESTED:
                            why = f"{difference.delta:+.2f}, no test ran"
                        failures.append(
                            WorseFailure(label, language.lang, difference.metric, difference.delta, limit, why)
                        )
                    continue
                if difference.verdict == "worse" and drop > limit:
                    failures.append(WorseFailure(label, language.lang, difference.metric, difference.delta, limit))
    return failures


def gate_message(failures: Sequence[WorseFailure]) -> str:
    """The one line a failed gate ends with: languages worse (each counted once), and what was not judged."""
    worse = len({(f.candidate, f.lang) for f in failures if f.worse})
    missing = len({(f.candidate, f.article, f.lang) for f in failures if not f.worse})
    parts = []
    if worse:
        parts.append(f"{worse} language(s) significantly worse than the baseline")
    if missing:
        parts.append(f"{missing} left out of the comparison or not tested")
    return ", ".join(parts) + " (--fail-if-worse)"
