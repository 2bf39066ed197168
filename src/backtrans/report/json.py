"""report.json: the full record of a run, and reading it back into a :class:`Report`.

The conversion is generic over our frozen dataclasses (field order kept, so
the file is stable and diffable); reading checks ``schema_version``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..errors import InputError
from ..types import ArticleResult, Matrix, Report

#: 1: every article inline; 2: adds ``articles_file``, the per-article store, where large runs keep them
SUPPORTED_SCHEMAS = (1, 2)


def to_data(value: Any) -> Any:
    """Dataclasses → dicts (field order), tuples → lists; floats keep full precision (re-renders are exact)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in _computed_fields(type(value)):
            out[name] = getattr(value, name)
        return out
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return value
    if isinstance(value, Path):
        return str(value)
    return value


def _computed_fields(cls: type) -> tuple[str, ...]:
    """Properties worth writing next to the fields (ids of segments, kinds of links)."""
    return tuple(name for name in ("id", "kind") if isinstance(getattr(cls, name, None), property))


@cache
def _type_hints(cls: type) -> dict[str, Any]:
    """A dataclass's resolved field types, once per class (resolving them is most of the cost of reading)."""
    return get_type_hints(cls)


def from_data(cls: Any, data: Any) -> Any:
    """The inverse of :func:`to_data` for our dataclasses, driven by their type hints."""
    origin = get_origin(cls)
    if cls is Any:
        return data
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(cls) if a is not type(None)]
        if data is None:
            return None
        if len(args) == 1:
            return from_data(args[0], data)
        for arg in args:
            try:
                return from_data(arg, data)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"cannot read {data!r} as {cls}")
    if isinstance(cls, type) and dataclasses.is_dataclass(cls):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {cls.__name__}")
        hints = _type_hints(cls)
        kwargs = {f.name: from_data(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
        return cls(**kwargs)
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError("expected a list")
        items = get_args(cls)
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(from_data(items[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(items, data, strict=True))
    if origin in (Mapping, dict, typing.Mapping) or cls in (dict, Mapping):
        if not isinstance(data, dict):
            raise TypeError("expected an object")
        kv = get_args(cls)
        value_type = kv[1] if len(kv) == 2 else Any
        return {k: from_data(value_type, v) for k, v in data.items()}
    if cls is float:
        if data is None:
            return math.nan
        if not isinstance(data, int | float):
            raise TypeError("expected a number")
        return float(data)
    if cls in (int, str, bool):
        if not isinstance(data, cls):
            raise TypeError(f"expected {cls.__name__}")
        return data
    return data


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


def _check_matrix(matrix: Matrix | None, where: str) -> None:
    if matrix is not None and (
        len(matrix.values) != len(matrix.labels) or any(len(row) != len(matrix.labels) for row in matrix.values)
    ):
        raise ValueError(f"{where}: the matrix is not {len(matrix.labels)} × {len(matrix.labels)}")


def check_report(report: Report) -> None:
    """What the renderers rely on beyond the types: one pair per link, indices within their lists,
    square matrices (ValueError names the first thing that is wrong)."""
    _check_matrix(report.matrix, "corpus")
    for article in report.articles:
        check_article(article)


def check_article(article: ArticleResult) -> None:
    """What the renderers rely on in one article (ValueError names the first thing that is wrong)."""
    _check_matrix(article.matrix, f"article {article.id!r}")
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
            len(version.origin) != len(version.back) or any(not 0 <= k < len(version.segments) for k in version.origin)
        ):
            raise ValueError(f"{where}: the origin of the back-translation does not match its segments")


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
