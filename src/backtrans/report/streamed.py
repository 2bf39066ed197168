"""Reports of a corpus too large to hold: rendered from the per-article store, one article at a time.

The pages are the same as :func:`backtrans.report.write_reports` writes, built from the same view
model, but the run's articles are never all in memory: a first pass over ``articles.jsonl`` collects
what the summary pages show (every article × language row of the index, the :data:`FLAGGED_LIMIT`
worst flags, a sample of pair scores per language for the strip charts) and writes ``segments.csv``
row by row; a second pass renders ``articles/<id>.html`` one article at a time.
"""

from __future__ import annotations

import dataclasses
import heapq
import os
import random
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from ..files.fileio import write_files
from ..flag import CODES
from ..types import ArticleResult, Report
from ._csv import render_csv
from ._view import (
    FLAG_LABELS,
    _article_view,
    _distribution,
    _flagged_rows,
    _index_rows,
    article_file,
    build_view,
    flag_rank,
    index_rank,
)
from .html import render_page
from .markdown import render_markdown
from .viewmodel import ArticlePage, Counts, FlaggedRow, FlagLabel, IndexRow, View

#: flags listed on report.html and report.md of a streamed corpus (all of them are in articles.jsonl)
FLAGGED_LIMIT = 5000
#: pair scores per language drawn in the strip chart
SAMPLE = 2000


class StreamedView:
    """What the summary pages show, collected article by article (:meth:`add`), then :meth:`view`."""

    def __init__(self, out: Path, formats: Iterable[str]) -> None:
        self.formats = tuple(formats)
        self.articles: list[ArticlePage] = []
        self.index: list[IndexRow] = []
        self.flagged: list[tuple[Any, FlaggedRow]] = []
        self.flag_total = self.high_total = self.versions = self.pairs = 0
        self.codes: set[str] = set()
        self.samples: dict[str, list[float]] = {}
        self.seen: dict[str, int] = {}
        self.random = random.Random(12345)
        self.csv: IO[str] | None = None
        if "csv" in self.formats:
            out.mkdir(parents=True, exist_ok=True)
            self.csv_path = out / "segments.csv"
            self.csv = self.csv_path.with_name(".segments.csv.tmp").open("w", encoding="utf-8", newline="")

    def add(self, index: int, article: ArticleResult, shell: Report) -> None:
        """One article of the run (``shell``: the run's report without articles, for the renderers)."""
        one = dataclasses.replace(shell, articles=(article,))
        if self.csv is not None:
            text = render_csv(one)
            self.csv.write(text if index == 0 else text.split("\n", 1)[1])
        title = next((s.text for s in article.source if s.paragraph == 0), article.id)
        self.articles.append(
            ArticlePage(article.id, index, title, None, article.source_lang, "", "", article_file(article), [], None)
        )
        self.index += _index_rows(one, corpus=True, first=index)
        for row in _flagged_rows(one, corpus=True, first=index):
            self.flag_total += 1
            self.high_total += row.severity == "high"
            self.codes.add(row.code)
            key = flag_rank(row)
            # a min-heap of the FLAGGED_LIMIT worst: the best-ranked row is popped first (later articles on ties)
            negated = (not key[0], -key[1], -key[2], -key[3], _Reverse((*key[4:], self.flag_total)))
            if len(self.flagged) < FLAGGED_LIMIT:
                heapq.heappush(self.flagged, (negated, row))
            else:
                heapq.heappushpop(self.flagged, (negated, row))
        for version in article.versions:
            self.versions += 1
            self.pairs += len(version.pairs)
            sample = self.samples.setdefault(version.lang, [])
            for pair in version.pairs:
                if pair.scores is None:
                    continue
                seen = self.seen[version.lang] = self.seen.get(version.lang, 0) + 1
                if len(sample) < SAMPLE:
                    sample.append(pair.scores.chrf)
                elif (k := self.random.randrange(seen)) < SAMPLE:
                    sample[k] = pair.scores.chrf

    def view(self, shell: Report) -> View:
        """The view model of the summary pages."""
        base = build_view(shell)
        ranked = sorted((row for _, row in self.flagged), key=flag_rank)
        flagged = [dataclasses.replace(row, rank=k) for k, row in enumerate(ranked, start=1)]
        self.index.sort(key=index_rank)
        warnings = list(base.warnings)
        if self.flag_total > len(flagged):
            warnings.append(
                f"the {len(flagged)} worst of {self.flag_total} flags are listed here; every flag is in articles.jsonl"
            )
        languages = [
            dataclasses.replace(row, distribution=_distribution(self.samples.get(row.lang, []), _chrf(row.chrf)))
            for row in base.languages
        ]
        return dataclasses.replace(
            base,
            corpus=True,
            counts=Counts(
                len(self.articles), self.versions, self.pairs, self.flag_total, self.high_total, base.counts.dismissed
            ),
            languages=languages,
            flag_codes=[FlagLabel(c, FLAG_LABELS[c]) for c in CODES if c in self.codes],
            flagged=flagged,
            index=self.index,
            articles=self.articles,
            warnings=warnings,
        )

    def finish(self, shell: Report, out: Path, articles: Iterable[tuple[int, ArticleResult]]) -> list[Path]:
        """Write report.md, report.html, index.html and (second pass over ``articles``) the article pages."""
        written = []
        if self.csv is not None:
            self.csv.flush()
            os.fsync(self.csv.fileno())
            self.csv.close()
            os.replace(self.csv.name, self.csv_path)
            written.append(self.csv_path)
        view = self.view(shell)
        files = {}
        if "md" in self.formats:
            files["report.md"] = render_markdown(shell, view)
        if "html" in self.formats:
            files["report.html"] = render_page("report.html.j2", v=view)
            files["index.html"] = render_page("index.html.j2", v=view)
        written += write_files(out, files)
        if "html" in self.formats:
            for index, article in articles:
                page = _article_view(index, article, corpus=True)
                written += write_files(out, {page.href: render_page("article.html.j2", v=view, a=page)})
        return written


class _Reverse:
    """Reverses the order of a tuple inside a heap key (ties: the later article is dropped first)."""

    def __init__(self, value: tuple[object, ...]) -> None:
        self.value = value

    def __lt__(self, other: _Reverse) -> bool:
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reverse) and self.value == other.value


def _chrf(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0
