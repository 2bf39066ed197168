"""segments.csv: one row per aligned pair, ready for pandas or a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``@``, a tab, or ``-`` not followed by a space) get a leading apostrophe:
article text is untrusted.
"""

from __future__ import annotations

import csv
import io

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
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and value[1:2] not in (" ", "")):
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
