"""compare.json, compare.md and compare.html: the reports of ``backtrans compare``.

They share the run report's machinery: the generic conversion of :mod:`backtrans.files.serial`
for the JSON, the Markdown escaping of :mod:`backtrans.report.markdown`, and the
Jinja environment, inline CSS/JavaScript and Content-Security-Policy of
:mod:`backtrans.report.html` (compare.html extends the same layout).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..files.fileio import write_files
from ..files.outdir import OutputFolder
from ..files.serial import to_data
from ..report.html import render_page
from ..report.markdown import MAX_FLAGS, difference_cells, md
from ._records import Comparison
from .view import CompareView, FlagRow, build_compare_view

COMPARE_FORMATS = ("json", "md", "html")
#: article × language rows listed in compare.md (all of them are in compare.html and compare.json)
MAX_ARTICLE_ROWS = 100


def render_compare_json(comparison: Comparison) -> str:
    return json.dumps(to_data(comparison), ensure_ascii=False, indent=1) + "\n"


def render_compare_html(comparison: Comparison, view: CompareView | None = None) -> str:
    return render_page("compare.html.j2", v=view or build_compare_view(comparison))


def _flag_lines(title: str, rows: list[FlagRow]) -> list[str]:
    lines = ["", f"#### {title} ({len(rows)})", ""]
    if not rows:
        return [*lines, "none"]
    lines += ["| severity | flag | article | lang | segments | what |", "|---|---|---|---|---|---|"]
    for f in rows[:MAX_FLAGS]:
        cells = (f.severity, f.label, f.article, f.lang, f.segments, f.message)
        lines.append("| " + " | ".join(md(cell) for cell in cells) + " |")
    if len(rows) > MAX_FLAGS:
        lines += ["", f"… and {len(rows) - MAX_FLAGS} more in compare.html and compare.json."]
    return lines


def render_compare_markdown(comparison: Comparison, view: CompareView | None = None) -> str:
    view = view or build_compare_view(comparison)
    base = md(view.baseline.label)
    lines = [
        "# backtrans compare",
        "",
        f"Baseline **{base}** against " + ", ".join(f"**{md(c.label)}**" for c in view.candidates) + ". "
        f"Every difference is candidate − baseline on the same source segments; {md(view.settings)}. "
        "▲/▼: significantly better/worse (TER: lower is better).",
    ]
    for c in view.candidates:
        cand = md(c.label)
        lines += ["", f"## {base} → {cand}", "", md(c.summary), ""]
        if c.changes:
            lines += ["| setting | baseline → candidate |", "|---|---|"]
            lines += [f"| {md(s.name)} | {md(s.value)} |" for s in c.changes]
        else:
            lines.append("Same models, routes and settings in both runs.")
        if c.excluded:
            lines += ["", "Left out:", ""]
            lines += [f"- {md(e.article)}{' / ' + md(e.lang) if e.lang else ''}: {md(e.reason)}" for e in c.excluded]
        lines += [
            "",
            "### Per language",
            "",
            "| language | units | chrF++ baseline | chrF++ candidate | Δ | 95% interval | p bootstrap "
            "| p randomization | Δ BLEU | Δ TER |",
            "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
        ]
        for row in c.languages:
            lines.append(f"| {md(row.name)} ({md(row.lang)}) | {row.units} | {difference_cells(row.diffs)} |")
        lines += [
            "",
            "### Per article × language, worst first",
            "",
            f"The {md(view.article_settings)}.",
            "",
            "| # | article | lang | units | chrF++ baseline | chrF++ candidate | Δ | 95% interval | p randomization "
            "| Δ BLEU | Δ TER | new flags | resolved |",
            "|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        ]
        for article in c.articles[:MAX_ARTICLE_ROWS]:
            lines.append(
                f"| {article.rank} | {md(article.article)} | {md(article.lang)} | {article.units} "
                f"| {difference_cells(article.diffs, bootstrap=False)} "
                f"| {article.new_flags} | {article.resolved_flags} |"
            )
        if len(c.articles) > MAX_ARTICLE_ROWS:
            lines += ["", f"… and {len(c.articles) - MAX_ARTICLE_ROWS} more in compare.html and compare.json."]
        lines += ["", "### Flags (matched by article, language, code and source segments)"]
        lines += _flag_lines(f"New in {cand}", c.new)
        lines += _flag_lines(f"Resolved (in {base} only)", c.resolved)
        lines += ["", f"Stayed: {len(c.stayed)}."]
    return "\n".join(lines) + "\n"


def write_compare(
    comparison: Comparison,
    out: Path,
    formats: Iterable[str] = COMPARE_FORMATS,
    view: CompareView | None = None,
) -> list[Path]:
    """Write compare.json / compare.md / compare.html into ``out`` as a whole; returns the final paths.

    Whatever else ``out`` holds (a run's reports, say) is kept.

    ``view``: the comparison's view model where the caller has built it already.
    """
    formats = tuple(formats)
    files: dict[str, str] = {}
    if "json" in formats:
        files["compare.json"] = render_compare_json(comparison)
    if "md" in formats or "html" in formats:
        view = view or build_compare_view(comparison)
        if "md" in formats:
            files["compare.md"] = render_compare_markdown(comparison, view)
        if "html" in formats:
            files["compare.html"] = render_compare_html(comparison, view)
    with OutputFolder(out, keep_existing=True) as folder:
        written = write_files(folder.path, files)
        folder.files.extend(path.name for path in written)
    return [folder.final(path) for path in written]
