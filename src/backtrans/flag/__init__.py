"""Rules that turn evidence into :class:`~backtrans.types.Flag` objects an editor can act on.

Every rule works on one article with all its versions at once, because the
strongest signals compare languages: a segment where the other languages agree
with the source but this one does not (``outlier_language``), a name that the
other back-translations keep but this one lost (``name_mismatch``).

Every rule takes the article's :class:`~backtrans.flag.common.ArticleContext`
(source, source language, the versions compared with their back-translations,
links and scores, thresholds, joiner) and ``add``, which records a flag with the
index of the pair it concerns: ``rule(ctx, add)``, or ``rule(ctx, view, add)``
for a rule that looks at one version at a time. One module per family of rules:

* :mod:`.language`: a page or paragraph in the wrong language (``wrong_language``)
  or left in the source language (``untranslated``);
* :mod:`.links`: the alignment itself: an unrelated back-translation (one
  article-level ``low_consistency``), ``omitted``, ``added`` and ``moved``
  sentences, a missing headline, ``number_mismatch``, ``length_ratio``;
* :mod:`.scores`: ``low_consistency`` (a pair far below its version's level),
  ``outlier_language`` (far below the other languages on a segment),
  ``repetition`` (n-gram loops);
* :mod:`.names`: ``name_mismatch`` (a name of the source lost or changed);
* :mod:`.polarity`: ``polarity_mismatch`` and ``hedge_mismatch`` (a negation
  or a hedge lost or added);
* :mod:`.quotes`: ``quote_mismatch`` (a quotation turned into the outlet's claim);
* :mod:`.terms`: ``changed_term`` (a key term mistranslated);
* :mod:`.clauses`: ``omitted`` and ``added`` inside a kept sentence (content words most other versions keep
  but this one lost, or that neither the source nor any other version has);
* :mod:`.witness`: runs last: the score flags judged again with ``--calibrate``
  and ``--semantic``, and ``meaning_drift``.

:mod:`.common` holds what they share (``VersionView``, ``ArticleContext``, the
codes, ``STRUCTURAL``, ``WORD``); :mod:`.lexicon` their word lists;
:mod:`.acronyms`, :mod:`.words`, :mod:`.langid`, :mod:`.numbers`, :mod:`.dates`
and :mod:`.quantities` the analyses they rely on. Thresholds come from
:class:`~backtrans.config.Thresholds`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..config import Thresholds
from ..text.segment import Join
from ..types import Flag, Segment
from .clauses import flag_clauses
from .common import CODES, SEVERITY_ORDER, ArticleContext, VersionView
from .confidence import assign as assign_confidence
from .glossary import Glossary
from .glossary_match import flag_glossary, respect_glossary
from .language import wrong_language_pages
from .links import flag_links, flag_unrelated
from .names import flag_names, source_names
from .polarity import flag_polarity
from .quotes import flag_quotes
from .scores import find_repetition, flag_low_consistency, flag_outliers, flag_repetition
from .terms import flag_terms
from .witness import apply_witnesses

__all__ = ["CODES", "SEVERITY_ORDER", "VersionView", "find_repetition", "flag_article", "source_names"]


def flag_article(
    source: Sequence[Segment],
    source_lang: str,
    views: Sequence[VersionView],
    thresholds: Thresholds,
    join: Join,
    glossary: Glossary | None = None,
) -> dict[str, list[tuple[Flag, int | None]]]:
    """Flags of every version of one article, each with the index of the pair (link) it concerns.

    ``glossary``: the newsroom's terms, checked on the versions themselves (``glossary_term``); a name or
    term rendered as the glossary accepts is no ``name_mismatch`` or ``changed_term``.

    A version whose page is in another language, or whose back-translation does not correspond to the
    source at all, gets that one flag and no other: it is out of the comparisons between versions too.
    """
    out: dict[str, list[tuple[Flag, int | None]]] = {view.lang: [] for view in views}

    def add(lang: str, flag: Flag, link: int | None) -> None:
        out[lang].append((flag, link))

    ctx = ArticleContext(tuple(source), source_lang, tuple(views), thresholds, join)
    wrong_pages = wrong_language_pages(ctx, add)
    ctx = ctx.narrowed([view for view in views if view.lang not in wrong_pages and not flag_unrelated(ctx, view, add)])
    for view in ctx.views:
        flag_links(ctx, view, add)
        flag_low_consistency(ctx, view, add)
        flag_repetition(ctx, view, add)
    flag_outliers(ctx, add)
    flag_names(ctx, add)
    flag_polarity(ctx, add)
    flag_quotes(ctx, add)
    flag_terms(ctx, add)
    flag_clauses(ctx, add)
    apply_witnesses(ctx, out)  # --calibrate / --semantic: judge the score flags again
    if glossary is not None:
        respect_glossary(glossary, ctx.views, ctx.source, ctx.source_lang, ctx.join, out)
        flag_glossary(glossary, ctx.views, ctx.source, ctx.source_lang, ctx.join, add)
    assign_confidence(out, ctx)
    for lang in out:
        out[lang] = [(_shown(flag, thresholds), link) for flag, link in out[lang]]
        out[lang].sort(key=lambda item: (SEVERITY_ORDER[item[0].severity], item[1] if item[1] is not None else -1))
    return out


def _shown(flag: Flag, thresholds: Thresholds) -> Flag:
    """The flag with ``shown`` set: sure enough for the editor's views (the rest stay in the record as notes)."""
    shown = flag.confidence >= thresholds.min_confidence
    return flag if flag.shown == shown else dataclasses.replace(flag, shown=shown)
