"""Renderers over one :class:`~backtrans.types.Report`, and writing them to a folder.

Takes a ``Report``; gives report.json, segments.csv, report.md and report.html (and a corpus's pages).
The rest of the package may import this package's face (``write_outputs``, ``write_reports``, ``FORMATS``),
``json`` (reading a saved report), ``streamed`` (the engines' pages of a large run) and, for compare's reports,
``difference``, ``viewmodel``, ``html`` and ``markdown``; ``_view``, ``_witness_view`` and ``_csv`` are private.

Every file is written atomically (a temporary file in the same folder, then a
rename), so a reader never sees half a report; :func:`write_outputs` writes a
whole run through :class:`~backtrans.files.outdir.OutputFolder`, so a reader of the
folder never sees two runs mixed either.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..files.fileio import safe_name, write_atomic, write_files
from ..files.outdir import OutputFolder
from ..text.segment import EMPTY_MARK
from ..types import ArticleResult, Report, Segment
from ._csv import render_csv
from ._view import build_view
from .html import render_html
from .json import render_json
from .markdown import render_markdown

FORMATS = ("json", "csv", "md", "html")
DEFAULT_FORMATS = FORMATS


def segments_as_lines(segments: Iterable[Segment]) -> str:
    """One segment per line, a blank line between paragraphs (the ``<lang>.back.txt`` format).

    An empty back-translation is written as ``∅`` so that lines keep matching segments.
    """
    lines: list[str] = []
    previous: int | None = None
    for seg in segments:
        if previous is not None and seg.paragraph != previous:
            lines.append("")
        lines.append(" ".join(seg.text.split()) or EMPTY_MARK)
        previous = seg.paragraph
    return "\n".join(lines) + "\n" if lines else ""


def write_back_translations(report: Report, out: Path) -> list[Path]:
    """``OUT/back/<article>/<lang>.txt`` (and ``<lang>.title.txt``), one segment per line."""
    return [path for article in report.articles for path in write_article_back(article, out)]


def write_article_back(article: ArticleResult, out: Path) -> list[Path]:
    """The back-translations of one article (see :func:`write_back_translations`)."""
    written = []
    folder = out / "back" / safe_name(article.id)
    for version in article.versions:
        title = [s for s in version.back if s.paragraph == 0]
        body = [s for s in version.back if s.paragraph != 0]
        path = folder / f"{version.lang}.txt"
        write_atomic(path, segments_as_lines(body))
        written.append(path)
        if title:
            title_path = folder / f"{version.lang}.title.txt"
            write_atomic(title_path, segments_as_lines(title))
            written.append(title_path)
    return written


def write_reports(report: Report, out: Path, formats: Iterable[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write the chosen formats into ``out``; returns the paths written."""
    out = Path(out)
    formats = tuple(formats)
    files: dict[str, str] = {}
    if "json" in formats:
        files["report.json"] = render_json(report)
    if "csv" in formats:
        files["segments.csv"] = render_csv(report)
    if "md" in formats or "html" in formats:
        view = build_view(report)
        if "md" in formats:
            files["report.md"] = render_markdown(report, view)
        if "html" in formats:
            files.update(render_html(report, view))
    return write_files(out, files)


def write_outputs(
    report: Report, out: Path, formats: Iterable[str] = DEFAULT_FORMATS, *, back: bool = False, keep: bool = False
) -> list[Path]:
    """Write a run's reports (and, with ``back``, its back-translations) so that ``out`` changes as a whole.

    Returns the final paths. ``keep`` starts from what ``out`` holds (re-rendering some reports of a run).
    """
    with OutputFolder(out, keep_existing=keep) as folder:
        written = write_back_translations(report, folder.path) if back else []
        written += write_reports(report, folder.path, formats)
        folder.files.extend(str(p.relative_to(folder.path)) for p in written)
    return [folder.final(p) for p in written]
