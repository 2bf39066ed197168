"""What every flag rule shares: the view of a version, the article's context, the codes, and small helpers."""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..config import Thresholds
from ..text.segment import Join
from ..types import Flag, Link, Scores, Segment

CODES = (
    "omitted",
    "added",
    "number_mismatch",
    "wrong_language",
    "untranslated",
    "name_mismatch",
    "outlier_language",
    "low_consistency",
    "repetition",
    "length_ratio",
    "polarity_mismatch",
    "hedge_mismatch",
    "quote_mismatch",
    "changed_term",
    "moved",
    "meaning_drift",
    "glossary_term",
    "role_swap",
)
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
#: texts whose analyses a rule keeps (pure functions of the text: a source text is read once for all its
#: versions, a back-translation once for all the rules and names that look into it)
TEXT_CACHE = 4096

#: records a flag of a language, with the index of the pair (link) it concerns, or None
Add = Callable[[str, Flag, "int | None"], None]
#: for each language: source segment index → index of the link that covers it
Coverage = dict[str, dict[int, int]]
Views = Sequence["VersionView"]
Source = Sequence[Segment]

#: link kinds with nothing on one side (a source sentence omitted, a sentence added): no pair to compare
STRUCTURAL = ("1-0", "0-1")
#: a word: letters first (no digits, no underscore), then word characters and hyphens
WORD = re.compile(r"[^\W\d_][\w-]*")


@dataclass(frozen=True)
class VersionView:
    """What the rules need of one version: texts, alignment and link scores."""

    lang: str
    segments: tuple[Segment, ...]
    back: tuple[Segment, ...]
    origin: tuple[int, ...] | None
    links: tuple[Link, ...]
    scores: tuple[Scores | None, ...]  #: per link; None for 1-0 and 0-1
    #: ``--semantic``: cosine(source, version) per link (empty when off; None where a link has none)
    direct: tuple[float | None, ...] = ()
    #: ``--calibrate``: chrF++ of the source's own round trip through this route, per link
    floor: tuple[float | None, ...] = ()
    #: median and robust spread of this language's direct similarities over the whole run
    direct_reference: tuple[float, float] | None = None

    def version_indices(self, link: Link) -> tuple[int, ...]:
        if self.origin is None:
            return ()
        return tuple(dict.fromkeys(self.origin[b] for b in link.back))

    def version_text(self, link: Link, join: Join) -> str:
        return join([self.segments[i].text for i in self.version_indices(link)])

    def back_text(self, link: Link, join: Join) -> str:
        return join([self.back[j].text for j in link.back])


def robust(values: Sequence[float], min_spread: float) -> tuple[float, float]:
    """Median and robust spread (1.4826 × MAD, at least ``min_spread``) of the values (at least one)."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    return median, max(1.4826 * mad, min_spread)


def ids(source: Sequence[Segment], indices: Sequence[int]) -> tuple[str, ...]:
    return tuple(source[i].id for i in indices)


def clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def present(token: str, *texts: str) -> bool:
    pattern = re.compile(r"(?<!\w)" + re.escape(token) + r"(?!\w)", re.IGNORECASE)
    return any(pattern.search(t) for t in texts)


def coverage(views: Sequence[VersionView]) -> dict[str, dict[int, int]]:
    """For each language: source segment index → index of the link that covers it."""
    return {view.lang: {i: k for k, link in enumerate(view.links) for i in link.source} for view in views}


@dataclass(frozen=True)
class ArticleContext:
    """One article as every rule sees it: the source, the versions compared, the thresholds and the joiner.

    Every rule takes ``(ctx, add)`` (a per-version rule ``(ctx, view, add)``); what several rules derive from
    the versions (which link of a language covers a source segment, which other versions cover a pair) is
    computed here, once.
    """

    source: Source
    source_lang: str
    views: tuple[VersionView, ...]
    thresholds: Thresholds
    join: Join

    @cached_property
    def coverage(self) -> Coverage:
        """For each language: source segment index → index of the link that covers it."""
        return coverage(self.views)

    @cached_property
    def _by_lang(self) -> dict[str, VersionView]:
        by_lang: dict[str, VersionView] = {}
        for view in self.views:
            by_lang.setdefault(view.lang, view)
        return by_lang

    def view(self, lang: str) -> VersionView:
        """The version of a language."""
        return self._by_lang[lang]

    def link_of(self, lang: str, source_index: int) -> int | None:
        """The index of the first link of a language's version that holds a source segment, or None."""
        view = self.view(lang)
        return next((k for k, link in enumerate(view.links) if source_index in link.source), None)

    def others(self, view: VersionView, link: Link) -> dict[str, tuple[int, ...]]:
        """For each other language that covers some source segment of ``link``: its covering links (ascending).

        Grouped per language (a language whose version splits the pair's source over two links is one
        version, with two links), in the order of the versions.
        """
        out: dict[str, tuple[int, ...]] = {}
        for other in self.views:
            if other.lang == view.lang:
                continue
            covered = self.coverage[other.lang]
            links = sorted({covered[i] for i in link.source if i in covered})
            if links:
                out[other.lang] = tuple(links)
        return out

    def others_chrf(self, view: VersionView, link: Link) -> list[float]:
        """chrF++ of each other language on ``link``'s source segments: the mean of its covering links that have a
        score (one value per language, however many links cover the pair)."""
        out = []
        for lang, covering in self.others(view, link).items():
            other = self.view(lang)
            scores = [score.chrf for k in covering if (score := other.scores[k]) is not None]
            if scores:
                out.append(statistics.fmean(scores))
        return out

    def narrowed(self, views: Views) -> ArticleContext:
        """The same article over fewer versions (those left in the comparisons)."""
        return dataclasses.replace(self, views=tuple(views))
