"""report.md: the summary, the matrix and the flagged segments as GitHub-flavoured Markdown.

Article text is untrusted and GitHub renders inline HTML, so every text is
escaped: HTML special characters become entities and Markdown punctuation is
backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..files.fileio import visible_controls
from ..types import Report
from ._view import build_view
from .difference import DiffView, LanguageTestsView
from .viewmodel import View

#: characters that are Markdown syntax inside a table cell (HTML ones become entities first)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
#: flagged segments listed in full; the rest are counted
MAX_FLAGS = 200


def md(text: Any) -> str:
    """Escape untrusted text for a Markdown table cell or line."""
    value = visible_controls(" ".join(str(text).split()))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def render_markdown(report: Report, view: View | None = None) -> str:
    view = view or build_view(report)
    counts = view.counts
    how = "back-translated with MarianMT" if view.mode == "run" else "existing back-translations"
    lines = [
        "# backtrans report",
        "",
        f"{counts.articles} article(s), {counts.versions} version(s), {counts.pairs} aligned pairs, "
        f"{counts.flags} flags ({counts.high} high)"
        + (f", {counts.dismissed} dismissed by the newsroom's verdicts" if counts.dismissed else "")
        + f". Source language: {md(view.source_name)} "
        f"({md(view.source_lang)}); {how}.",
        "",
        "## Summary per language",
        "",
        "| language | route | chrF++ | 95% interval | BLEU | TER | "
        + ("direct sim. | back sim. | " if view.semantic else "")
        + ("route noise | excess drift | " if view.calibrated else "")
        + "flags |",
        "|---|---|---:|---|---:|---:|" + "---:|" * (2 * view.semantic + 2 * view.calibrated) + "---|",
    ]
    for lang in view.languages:
        flags = ", ".join(f"{md(f.label)} {f.count}" for f in lang.flags) or "none"
        cells = lang.witness
        extra = f"{cells.direct} | {cells.back} | " if view.semantic and cells else "– | – | " * view.semantic
        extra += f"{cells.floor} | {cells.excess} | " if view.calibrated and cells else "– | – | " * view.calibrated
        lines.append(
            f"| {md(lang.name)} ({md(lang.lang)}) | {md(lang.route)} | {lang.chrf} | {lang.chrf_ci} "
            f"| {lang.bleu} | {lang.ter} | {extra}{flags} |"
        )
    heatmap = view.heatmap
    if heatmap:
        lines += [
            "",
            "## Consistency matrix (chrF++, row = back-translation scored against column)",
            "",
            "| hyp \\\\ ref | " + " | ".join(md(label) for label in heatmap.labels) + " |",
            "|---|" + "---:|" * len(heatmap.labels),
        ]
        for row in heatmap.rows:
            lines.append(f"| **{md(row.label)}** | " + " | ".join(c.text or "–" for c in row.cells) + " |")
    lines += language_tests_lines(view.language_tests)
    lines += ["", "## Flagged segments, worst first", ""]
    if not view.flagged:
        lines.append("Nothing flagged.")
    else:
        lines += [
            "| # | severity | sure | flag | article | lang | segments | what | chrF++ |",
            "|---:|---|---:|---|---|---|---|---|---:|",
        ]
        for item in view.flagged[:MAX_FLAGS]:
            lines.append(
                f"| {item.rank} | {md(item.severity)} | {item.confidence} | {md(item.label)} | {md(item.article)} "
                f"| {md(item.lang)} | {md(item.segments)} | {md(item.message)} | {item.chrf} |"
            )
        if len(view.flagged) > MAX_FLAGS:
            lines.append("")
            lines.append(f"… and {len(view.flagged) - MAX_FLAGS} more in report.html and report.json.")
    return "\n".join(lines) + "\n"


def language_tests_lines(tests: LanguageTestsView | None) -> list[str]:
    """The languages-against-each-other section: one row per pair, chrF++ in full, BLEU and TER differences."""
    if tests is None:
        return []
    lines = [
        "",
        "## Languages against each other (paired tests on the same source segments)",
        "",
        f"B − A on the source segments both versions cover; {md(tests.settings)}. "
        "▲/▼: B significantly better/worse. A pivot route loses more in the round trip than a direct one.",
        "",
        "| B − A | units | chrF++ A | chrF++ B | B − A | 95% interval | p bootstrap | p randomization | BLEU | TER |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for pair in tests.pairs:
        lines.append(f"| {md(pair.b)} − {md(pair.a)} | {pair.units} | {difference_cells(pair.differences)} |")
    return lines


def marked(d: DiffView) -> str:
    """A difference with its significance mark: ``−2.1``, ``+12.2 ▲``."""
    return f"{d.delta} {d.mark}" if d.mark else d.delta


def difference_cells(diffs: Sequence[DiffView], bootstrap: bool = True) -> str:
    """Table cells of the first metric in full (A, B, B − A, interval, p-values), then the others' differences."""
    first, *others = diffs
    cells = [
        first.a,
        first.b,
        marked(first),
        first.ci,
        *([first.p_bootstrap] if bootstrap else []),
        first.p_randomization,
    ]
    return " | ".join([*cells, *(marked(d) for d in others)])
