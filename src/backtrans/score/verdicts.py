"""How a paired difference is decided: better, worse, same, too few units or untested.

:mod:`backtrans.score.significance` computes the tests; this module holds the rules
that turn their p-values into a verdict, and the tests of one article ×
language (approximate randomization decides, at most :data:`ARTICLE_TRIALS`
trials; the paired bootstrap only gives the interval).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..types import PairedSettings

#: metrics where a lower score is better
LOWER_IS_BETTER = frozenset({"ter"})
#: approximate randomization trials of one article × language (every swap is enumerated when there are fewer)
ARTICLE_TRIALS = 1000
#: verdicts besides better/worse/same: fewer units than any test can decide on; no test that decides ran
TOO_FEW_UNITS = "too_few_units"
UNTESTED = "untested"


def min_units(alpha: float) -> int:
    """The fewest units on which a paired test can call a difference significant at ``alpha``.

    On n units approximate randomization has 2**n assignments, and the observed
    one and its full swap always tie the observed difference, so p ≥ 2/2**n:
    below this many units no difference can reach p < alpha (6 units at 0.05),
    and the paired bootstrap, which can, is the test that must not be trusted there.
    """
    n = 1
    while 2 / 2**n >= alpha:
        n += 1
    return n


def verdict(metric: str, delta: float, p_values: Sequence[float | None], alpha: float, units: int | None = None) -> str:
    """``better``/``worse`` (B against A, in the metric's direction) when every test that ran is significant.

    ``same`` when B equals A or a test is not significant; ``untested`` when no
    test ran; ``too_few_units`` below :func:`min_units` ``units``.
    """
    ran = [p for p in p_values if p is not None]
    if delta == 0:
        return "same"
    if not ran:
        return UNTESTED
    if units is not None and units < min_units(alpha):
        return TOO_FEW_UNITS
    if any(p >= alpha for p in ran):
        return "same"
    return "better" if (delta < 0) == (metric in LOWER_IS_BETTER) else "worse"


def article_settings(settings: PairedSettings) -> PairedSettings:
    """The tests of one article × language: at most :data:`ARTICLE_TRIALS` randomization trials."""
    return replace(settings, randomization=min(settings.randomization, ARTICLE_TRIALS))
