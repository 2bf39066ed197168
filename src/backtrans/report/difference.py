"""How a paired difference is shown: the shared view of :class:`~backtrans.types.Difference`.

Used by the run report (languages against each other: a second heatmap and a
table) and by the compare report (runs against each other). Everything is
computed here; templates and the Markdown renderers only lay it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..score.verdicts import LOWER_IS_BETTER, TOO_FEW_UNITS, UNTESTED
from ..text.languages import language_name
from ..types import Difference, LanguageTests, PairedSettings

METRIC_LABELS = {"chrf": "chrF++", "bleu": "BLEU", "ter": "TER"}
#: background of a difference: significantly better, significantly worse, not significant
VERDICT_COLOURS = {
    "better": "hsl(120, 55%, 80%)",
    "worse": "hsl(0, 70%, 84%)",
    "same": "#f1f1f3",
    TOO_FEW_UNITS: "#f1f1f3",
    UNTESTED: "#f1f1f3",
}
VERDICT_MARKS = {"better": "▲", "worse": "▼", "same": "", TOO_FEW_UNITS: "(too few units)", UNTESTED: "(not tested)"}
VERDICT_WORDS = {
    "better": "significantly better",
    "worse": "significantly worse",
    "same": "no significant difference",
    TOO_FEW_UNITS: "too few units to test",
    UNTESTED: "not tested",
}


@dataclass(frozen=True)
class DiffView:
    """One metric of B against A: both scores, the signed difference, its interval and p-values, as text."""

    metric: str
    label: str
    a: str
    b: str
    delta: str  #: signed, e.g. ``+1.2``
    sort: float  #: the difference, oriented so that lower is worse (TER negated), for sorting
    ci: str
    p_bootstrap: str
    p_randomization: str
    verdict: str
    mark: str
    colour: str
    title: str


@dataclass(frozen=True)
class SignificanceCell:
    text: str
    mark: str
    colour: str
    title: str


@dataclass(frozen=True)
class SignificanceRow:
    label: str
    cells: list[SignificanceCell]


@dataclass(frozen=True)
class PairRow:
    """One pair of languages of a run: B against A for every metric."""

    a: str
    b: str
    articles: int
    units: int
    differences: list[DiffView]


@dataclass(frozen=True)
class LanguageTestsView:
    """The run report's languages against each other: a matrix of chrF++ differences and one row per pair."""

    labels: list[str]
    rows: list[SignificanceRow]
    pairs: list[PairRow]
    settings: str


def signed(value: float, digits: int = 1) -> str:
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text.replace("-", "−")


def p_text(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def settings_text(settings: PairedSettings) -> str:
    tests = []
    if settings.bootstrap:
        tests.append(f"paired bootstrap ({settings.bootstrap} resamples)")
    if settings.randomization:
        tests.append(f"approximate randomization ({settings.randomization} trials)")
    rule = "in every test" if settings.randomization else "in the bootstrap alone (liberal on few units)"
    return f"{' and '.join(tests)}, seed {settings.seed}; significant: p < {settings.alpha:g} {rule}"


def article_settings_text(settings: PairedSettings, min_units: int) -> str:
    """How the article × language rows of a comparison are decided."""
    if not settings.randomization:
        return (
            "article × language rows show the paired bootstrap's interval and are not tested "
            "(--paired-ar 0; the bootstrap's p is far too small on one article's units)"
        )
    return (
        f"article × language rows: approximate randomization decides ({settings.randomization} trials, "
        f"every swap when there are fewer), p < {settings.alpha:g}; the interval is the paired bootstrap's; "
        f"fewer than {min_units} units are too few to test"
    )


def difference_view(d: Difference, name_a: str = "A", name_b: str = "B") -> DiffView:
    label = METRIC_LABELS.get(d.metric, d.metric)
    ci = "" if d.ci is None else f"{signed(d.ci[0])} … {signed(d.ci[1])}"
    direction = " (lower is better)" if d.metric in LOWER_IS_BETTER else ""
    title = (
        f"{label}{direction}: {name_b} {d.b:.2f} vs {name_a} {d.a:.2f}, difference {signed(d.delta, 2)}"
        + (f", 95% interval {ci}" if ci else "")
        + f"; p = {p_text(d.p_bootstrap)} (paired bootstrap), {p_text(d.p_randomization)} (approximate randomization)"
        + f"; {VERDICT_WORDS[d.verdict]}"
    )
    return DiffView(
        metric=d.metric,
        label=label,
        a=f"{d.a:.1f}",
        b=f"{d.b:.1f}",
        delta=signed(d.delta),
        sort=round(-d.delta if d.metric in LOWER_IS_BETTER else d.delta, 4),
        ci=ci,
        p_bootstrap=p_text(d.p_bootstrap),
        p_randomization=p_text(d.p_randomization),
        verdict=d.verdict,
        mark=VERDICT_MARKS[d.verdict],
        colour=VERDICT_COLOURS[d.verdict],
        title=title,
    )


def flipped(d: Difference) -> Difference:
    """A − B instead of B − A."""
    verdict = {"better": "worse", "worse": "better"}.get(d.verdict, d.verdict)
    ci = None if d.ci is None else (-d.ci[1], -d.ci[0])
    return Difference(d.metric, d.b, d.a, -d.delta, ci, d.p_bootstrap, d.p_randomization, verdict)


def _metric(differences: Sequence[Difference], metric: str) -> Difference | None:
    return next((d for d in differences if d.metric == metric), None)


def language_tests_view(tests: LanguageTests | None, metric: str = "chrf") -> LanguageTestsView | None:
    """Row language − column language on ``metric``, marked where the paired tests say it is significant."""
    if tests is None or not tests.pairs:
        return None
    labels = sorted({p.a for p in tests.pairs} | {p.b for p in tests.pairs})
    cells: dict[tuple[str, str], Difference] = {}
    for pair in tests.pairs:
        found = _metric(pair.differences, metric)
        if found is not None:
            cells[(pair.b, pair.a)] = found
            cells[(pair.a, pair.b)] = flipped(found)
    rows = []
    for row in labels:
        out = []
        for column in labels:
            d = cells.get((row, column))
            if d is None:
                out.append(SignificanceCell("", "", "#eeeeee", ""))
                continue
            view = difference_view(d, f"{column} back-translations", f"{row} back-translations")
            out.append(SignificanceCell(view.delta, view.mark, view.colour, view.title))
        rows.append(SignificanceRow(row, out))
    pairs = [
        PairRow(
            a=p.a,
            b=p.b,
            articles=p.articles,
            units=p.units,
            differences=[difference_view(d, language_name(p.a), language_name(p.b)) for d in p.differences],
        )
        for p in tests.pairs
    ]
    return LanguageTestsView(labels, rows, pairs, settings_text(tests.settings))
