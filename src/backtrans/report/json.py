"""report.json: the full record of a run, and reading it back into a :class:`Report`.

The conversion is :mod:`backtrans.files.serial`'s, shared with the run's journal and compare.json;
reading checks ``schema_version``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files.serial import check_article, check_matrix, from_data, to_data
from ..types import ArticleResult, Report

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
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be a report backtrans wrote") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}); check the path") from None
    except ValueError as exc:  # not JSON, not UTF-8, NaN/Infinity, an integer of thousands of digits
        raise InputError(f"{path}: not a JSON report ({exc}); give the report.json that run or score wrote") from None
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(f"{path}: not a backtrans report (no schema_version)")
    if isinstance(data["schema_version"], bool) or not isinstance(data["schema_version"], int):
        raise InputError(
            f"{path}: schema_version {json.dumps(data['schema_version'])[:40]} is not a whole number; "
            "the report is damaged, rebuild it with `backtrans score`"
        )
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


def _not_json(name: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON: a report holding them is damaged."""
    raise ValueError(f"{name} is not a JSON number")


def check_report(report: Report) -> None:
    """What the renderers rely on beyond the types: one pair per link, indices within their lists,
    square matrices (ValueError names the first thing that is wrong)."""
    check_matrix(report.matrix, "corpus")
    for article in report.articles:
        check_article(article)


def stored_results(path: Path) -> Iterator[ArticleResult]:
    """The results of an ``articles.jsonl`` file (the ``result`` of each line), one at a time."""
    try:
        with path.open("rb") as handle:
            for lineno, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        result = from_data(ArticleResult, json.loads(line, parse_constant=_not_json)["result"])
                    except (TypeError, ValueError, KeyError, RecursionError) as exc:
                        raise InputError(f"{path}:{lineno}: damaged ({exc}); rerun to rebuild it") from None
                    yield result
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}); keep it next to report.json") from None
