"""The CI gate (``--fail-under METRIC=VALUE``): which article × language results fall below it."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BacktransError
from .types import Report

GATE_METRICS = ("chrf", "bleu")
#: metrics a ``backtrans compare --fail-if-worse`` gate can name (TER too: rising is worse)
WORSE_GATE_METRICS = ("chrf", "bleu", "ter")
#: exit code of a run that fell below a gate (the reports are written first)
EXIT_GATE = 3


class GateFailed(BacktransError):
    """Some article × language scored below a --fail-under gate (the reports are written)."""

    exit_code = EXIT_GATE


@dataclass(frozen=True)
class GateFailure:
    article: str
    lang: str
    metric: str
    value: float
    minimum: float

    def describe(self) -> str:
        return f"{self.article} / {self.lang}: {self.metric} {self.value:.1f} < {self.minimum:g}"


def check_gates(report: Report, gates: dict[str, float]) -> list[GateFailure]:
    """Every article × language whose article-level score falls below a gate."""
    failures = []
    for article in report.articles:
        for version in article.versions:
            if version.scores is None:
                continue
            for metric, minimum in gates.items():
                value = getattr(version.scores, metric)
                if value is not None and value < minimum:
                    failures.append(GateFailure(article.id, version.lang, metric, value, minimum))
    return failures
