"""Our frozen dataclasses to JSON-ready data and back: one conversion for report.json, the journal, compare.json.

The conversion is generic over the dataclasses (field order kept, so files are stable and diffable;
floats keep full precision, NaN and infinities become ``null``); reading is driven by the type hints.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..types import ArticleResult, Matrix


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


def check_matrix(matrix: Matrix | None, where: str) -> None:
    """A matrix is square: as many rows and columns as labels (ValueError says where it is not)."""
    if matrix is not None and (
        len(matrix.values) != len(matrix.labels) or any(len(row) != len(matrix.labels) for row in matrix.values)
    ):
        raise ValueError(f"{where}: the matrix is not {len(matrix.labels)} × {len(matrix.labels)}")


def check_article(article: ArticleResult) -> None:
    """What the renderers rely on in one article (ValueError names the first thing that is wrong)."""
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
            len(version.origin) != len(version.back) or any(not 0 <= k < len(version.segments) for k in version.origin)
        ):
            raise ValueError(f"{where}: the origin of the back-translation does not match its segments")
