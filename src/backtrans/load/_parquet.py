"""Parquet input (pyarrow, imported only when a Parquet file is read): rows as JSONL-like records.

A Parquet corpus has the columns of a JSONL line: ``id``, ``source_lang`` (optional), ``texts``
(a map or struct of language → text) and optionally ``titles``, ``back``, ``back_titles``, ``url``.
:func:`backtrans.load.loading.article_from_record` checks each record as it checks a JSONL line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files.fileio import one_line, shown

#: rows read at a time
BATCH_ROWS = 256
_TEXT_COLUMNS = ("texts", "titles", "back", "back_titles")


def parquet_module() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow; pip install -e '.[ray]' in the backtrans clone (or pip install pyarrow)"
        ) from None
    return pq


def open_parquet(path: Path) -> Any:
    """A ``pyarrow.parquet.ParquetFile``; a file that is not Parquet is an :class:`InputError`."""
    pq = parquet_module()
    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid (and OSError) for a file that is not Parquet
        raise InputError(f"{shown(path)}: not a Parquet file ({one_line(str(exc))}); check the path") from None


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A Parquet row as a JSONL record: map columns come as (key, value) pairs, struct columns with nulls."""
    fixed: dict[str, Any] = {}
    for key, value in row.items():
        if key in _TEXT_COLUMNS and isinstance(value, list):
            value = dict(value)
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        if value is not None:
            fixed[key] = value
    return fixed


def parquet_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, record) for every row, ``BATCH_ROWS`` rows at a time (``where``: ``FILE: row N``)."""
    row = 0
    for batch in open_parquet(path).iter_batches(batch_size=BATCH_ROWS):
        for values in batch.to_pylist():
            row += 1
            yield f"{shown(path)}: row {row}", record(values)
    if row == 0:
        raise InputError(f"{shown(path)}: no articles in this file")
