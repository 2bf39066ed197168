"""Frozen dataclasses of ``backtrans compare``: what compare.json holds (built by :mod:`.comparison`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..types import Difference, PairedSettings

#: Version of the compare.json layout (:class:`Comparison`). 2: article × language rows are decided by
#: approximate randomization (``article_tests``), have no bootstrap p, and may be ``too_few_units`` or ``untested``.
COMPARE_SCHEMA_VERSION = 2


@dataclass(frozen=True)
class RunInfo:
    """One run of a comparison: where it came from and what produced it."""

    label: str  #: a short name (its folder), unique within the comparison
    path: str
    tool_version: str
    created: str
    mode: str  #: ``run`` or ``score``
    source_lang: str
    articles: int
    languages: tuple[str, ...]
    routes: Mapping[str, str] = field(default_factory=dict)  #: language → route
    models: tuple[str, ...] = ()  #: ``name @ revision`` of every model used


@dataclass(frozen=True)
class Change:
    """A setting that differs between the baseline and a candidate (models, routes, generation, …)."""

    name: str
    baseline: str
    candidate: str


@dataclass(frozen=True)
class Excluded:
    """An article (``lang`` empty) or an article × language left out of the comparison, and why."""

    article: str
    lang: str
    reason: str


@dataclass(frozen=True)
class LanguageComparison:
    """One language over every article both runs have: candidate − baseline per metric, paired tests."""

    lang: str
    articles: int
    units: int  #: units of source segments resampled (see :mod:`backtrans.score.significance`)
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class ArticleComparison:
    """One article × language: candidate − baseline per metric, with the flags that came and went."""

    rank: int  #: 1 = got worst (lowest chrF++ difference)
    article: str
    lang: str
    units: int
    differences: tuple[Difference, ...]
    new_flags: int = 0
    resolved_flags: int = 0


@dataclass(frozen=True)
class FlagChange:
    """A flag matched by article, language, code and source segments: new, resolved or stayed."""

    status: str  #: ``new`` (only in the candidate), ``resolved`` (only in the baseline) or ``stayed``
    article: str
    lang: str
    code: str
    severity: str
    segments: tuple[str, ...]
    message: str  #: the candidate's message (the baseline's for a resolved flag)


@dataclass(frozen=True)
class CandidateComparison:
    """The baseline against one candidate run."""

    candidate: RunInfo
    changes: tuple[Change, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    languages: tuple[LanguageComparison, ...] = ()
    articles: tuple[ArticleComparison, ...] = ()  #: worst first
    flags: tuple[FlagChange, ...] = ()  #: new, then resolved, then stayed


@dataclass(frozen=True)
class Comparison:
    """The full record of ``backtrans compare``; every renderer works from this object."""

    schema_version: int
    tool_version: str
    created: str
    tests: PairedSettings  #: the tests of each language (and of the ``--fail-if-worse`` gate)
    #: the tests of each article × language: randomization decides (at most 1000 trials), the bootstrap's interval
    article_tests: PairedSettings
    #: fewer units than this are ``too_few_units``: no test can reach p < alpha on them
    min_units: int
    sacrebleu: str
    metrics: Mapping[str, str]  #: sacrebleu signatures of the recomputed scores
    baseline: RunInfo
    candidates: tuple[CandidateComparison, ...] = ()
