"""segments.csv: one row per aligned pair, ready for pandas or a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``@``, a tab, or ``-`` not followed by a space, also after zero-width characters)
get a leading apostrophe, and control characters are shown as symbols (``␛``):
article text is untrusted.
"""

from __future__ import annotations

import csv
import io

from ..files.fileio import INVISIBLE, visible_controls
from ..types import Report

COLUMNS = (
    "article",
    "lang",
    "route",
    "pair",
    "link",
    "source_ids",
    "version_ids",
    "source",
    "version",
    "back_translation",
    "chrf",
    "bleu",
    "ter",
    "flags",
    "direct_similarity",
    "back_similarity",
    "floor_chrf",
    "excess_drift",
)


def _safe(value: str) -> str:
    """A cell a spreadsheet shows as text: control characters visible, and a formula (also one behind
    invisible characters such as U+200B or U+FEFF, which spreadsheets may drop) behind an apostrophe."""
    value = visible_controls(value)
    start = value.lstrip(INVISIBLE)
    if start[:1] in ("=", "+", "@", "\t", "\r") or (start[:1] == "-" and start[1:2] not in (" ", "")):
        return "'" + value
    return value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for article in report.articles:
        for version in article.versions:
            for k, (pair, link) in enumerate(zip(version.pairs, version.alignment, strict=True)):
                scores, witness = pair.scores, pair.witness
                writer.writerow(
                    [
                        _safe(article.id),
                        version.lang,
                        version.route.describe(),
                        k,
                        link.kind,
                        " ".join(pair.source_ids),
                        " ".join(pair.version_ids),
                        _safe(pair.source),
                        _safe(pair.version),
                        _safe(pair.back),
                        _number(scores.chrf if scores else None),
                        _number(scores.bleu if scores else None),
                        _number(scores.ter if scores else None),
                        " ".join(pair.flags),
                        _number(witness.direct if witness else None),
                        _number(witness.back if witness else None),
                        _number(witness.floor if witness else None),
                        _number(witness.excess_drift if witness else None),
                    ]
                )
    return buffer.getvalue()
