"""The CI gate (``--fail-under METRIC=VALUE``): which article × language results fall below it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import BacktransError, InputError
from .types import Report

GATE_METRICS = ("chrf", "bleu")
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


def parse_gate(value: str) -> tuple[str, float]:
    """``"chrf=45"`` → ``("chrf", 45.0)``."""
    name, sep, number = value.partition("=")
    name = name.strip().lower().replace("chrf++", "chrf")
    if not sep or name not in GATE_METRICS:
        hint = " (TER is lower-is-better; gate on chrf or bleu)" if name == "ter" else ""
        raise InputError(f"--fail-under {value!r}: write METRIC=VALUE with METRIC chrf or bleu{hint}")
    try:
        return name, float(number)
    except ValueError:
        raise InputError(f"--fail-under {value!r}: {number!r} is not a number") from None


def parse_gates(values: Sequence[str]) -> dict[str, float]:
    """``["chrf=45", "bleu=20"]`` → ``{"chrf": 45.0, "bleu": 20.0}``."""
    return dict(parse_gate(value) for value in values)


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
