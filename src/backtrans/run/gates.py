"""The CI gate (``--fail-under METRIC=VALUE``): which article × language results fall below it.

A gate fails closed: a version that was asked for but not scored (no
back-translation in ``score`` mode, a language given in ``--langs`` that an
article lacks) and a score that is missing or not a number count as failures,
unless ``allow_missing`` (``--allow-missing``) lets unscored versions pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import BacktransError
from ..types import ArticleResult, Report, Unscored

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
    value: float | None  #: None: no score (see ``reason``)
    minimum: float
    reason: str = ""

    def describe(self) -> str:
        if self.value is None:
            return f"{self.article} / {self.lang}: {self.metric} not scored ({self.reason}) < {self.minimum:g}"
        return f"{self.article} / {self.lang}: {self.metric} {self.value:.1f} < {self.minimum:g}"


def check_gates(report: Report, gates: Mapping[str, float], allow_missing: bool = False) -> list[GateFailure]:
    """Every article × language whose article-level score falls below a gate, or that has no score."""
    failures: list[GateFailure] = []
    for article in report.articles:
        failures += check_article_gates(article, gates)
    return failures + check_unscored_gates(report.unscored, gates, allow_missing)


def check_article_gates(article: ArticleResult, gates: Mapping[str, float]) -> list[GateFailure]:
    """The gates of one article's versions (a run that streams its articles checks them one by one)."""
    failures: list[GateFailure] = []
    for version in article.versions:
        for metric, minimum in gates.items():
            value = getattr(version.scores, metric, None) if version.scores is not None else None
            if value is None or not math.isfinite(value):
                failures.append(GateFailure(article.id, version.lang, metric, None, minimum, "no score"))
            elif value < minimum:
                failures.append(GateFailure(article.id, version.lang, metric, value, minimum))
    return failures


def check_unscored_gates(
    unscored: Sequence[Unscored], gates: Mapping[str, float], allow_missing: bool = False
) -> list[GateFailure]:
    """Versions asked for but not scored fail every gate, unless ``allow_missing``."""
    if allow_missing:
        return []
    return [
        GateFailure(missing.article, missing.lang, metric, None, minimum, missing.reason)
        for missing in unscored
        for metric, minimum in gates.items()
    ]
