"""report.json: the full record of a run, and reading it back into a :class:`Report`.

The conversion is :mod:`backtrans.files.serial`'s, shared with the run's journal and compare.json;
reading checks ``schema_version``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..files.serial import from_data, to_data
from ..types import ArticleResult, Matrix, Report

#: 1: every article inline; 2: adds ``articles_file``, the per-article store, where large runs keep them
SUPPORTED_SCHEMAS = (1, 2)


def render_json(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=1) + "\n"


def read_report(path: Path, schemas: tuple[int, ...] = SUPPORTED_SCHEMAS, articles: bool = True) -> Report:
    """A :class:`Report` from a saved report.json of one of ``schemas`` (``backtrans report`` renders from it).

    A report whose articles are in its ``articles_file`` (schema 2, a large run) gets them from there
    (unless ``articles`` is False: the summaries only; :func:`stored_results` reads them one by one).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be a report backtrans wrote") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}); check the path") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a JSON report ({exc}); give the report.json that run or score wrote") from None
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(f"{path}: not a backtrans report (no schema_version)")
    if data["schema_version"] not in schemas:
        raise InputError(
            f"{path}: report schema {data['schema_version']} is not supported by this version "
            f"(reads {', '.join(map(str, schemas))}); rerun `backtrans score` to rebuild it"
        )
    try:
        report: Report = from_data(Report, data)
        stored = report.articles_file
        if stored is not None and (Path(stored).name != stored or stored.startswith(".")):
            raise ValueError(f"articles_file {stored!r} is not a file name next to report.json")
        if articles and stored and not report.articles:
            report = dataclasses.replace(report, articles=tuple(stored_results(path.parent / stored)))
        check_report(report)
    except (TypeError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: the report is damaged ({exc}); rebuild it with `backtrans score`") from None
    return report


def check_report(report: Report) -> None:
    """What the renderers rely on beyond the types: one pair per link, indices within their lists,
    square matrices (ValueError names the first thing that is wrong)."""

    def check_matrix(matrix: Matrix | None, where: str) -> None:
        if matrix is not None and (
            len(matrix.values) != len(matrix.labels) or any(len(row) != len(matrix.labels) for row in matrix.values)
        ):
            raise ValueError(f"{where}: the matrix is not {len(matrix.labels)} × {len(matrix.labels)}")

    check_matrix(report.matrix, "corpus")
    for article in report.articles:
        check_matrix(article.matrix, f"article {article.id!r}")
        for version in article.versions:
            where = f"article {article.id!r} / {version.lang}"
            if len(version.pairs) != len(version.alignment):
                raise ValueError(f"{where}: {len(version.pairs)} pairs for {len(version.alignment)} alignment links")
            for link in version.alignment:
                if any(not 0 <= i < len(article.source) for i in link.source) or any(
                    not 0 <= j < len(version.back) for j in link.back
                ):
                    raise ValueError(f"{where}: an alignment link points outside the segments")
            if version.origin is not None and (
                len(version.origin) != len(version.back)
                or any(not 0 <= k < len(version.segments) for k in version.origin)
            ):
                raise ValueError(f"{where}: the origin of the back-translation does not match its segments")


def stored_results(path: Path) -> Iterator[ArticleResult]:
    """The results of an ``articles.jsonl`` file (the ``result`` of each line), one at a time."""
    try:
        with path.open("rb") as handle:
            for lineno, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        result = from_data(ArticleResult, json.loads(line)["result"])
                    except (TypeError, ValueError, KeyError, RecursionError) as exc:
                        raise InputError(f"{path}:{lineno}: damaged ({exc}); rerun to rebuild it") from None
                    yield result
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}); keep it next to report.json") from None
