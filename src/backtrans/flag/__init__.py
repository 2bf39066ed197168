"""Flag: the rules that turn evidence into :class:`~backtrans.types.Flag` objects an editor can act on.

Takes one article's source and its versions compared (``VersionView``: segments, back-translation, links and
scores), thresholds and a newsroom glossary; gives each version's flags, each tied to a pair, with its
``confidence`` and ``shown``. The rest of the package may import the package face (``flag_article``,
``VersionView``, ``CODES``, ``SEVERITY_ORDER``), ``common`` (``robust``), ``glossary`` (``--glossary``),
``verdicts`` (``--verdicts``: a flag's stable key, dismissing) and ``verdict_summary``
(``backtrans verdicts summary``); every other module is private to the stage.

Every rule works on one article with all its versions at once, because the strongest signals compare
languages. Every rule takes the article's :class:`~backtrans.flag.common.ArticleContext` (source, source
language, the versions compared, thresholds, joiner, which links of the other languages cover a pair) and
``add``, which records a flag with the index of the pair it concerns: ``rule(ctx, add)``, or
``rule(ctx, view, add)`` for a rule that looks at one version at a time. A rule records its evidence in the
flag; :mod:`._confidence` turns that evidence into the flag's confidence (its numbers in
``data/confidence.toml``). One module per family of rules:

* :mod:`._language`: a page or paragraph in the wrong language (``wrong_language``) or left in the source
  language (``untranslated``);
* :mod:`._links`: the alignment itself: an unrelated back-translation (one article-level
  ``low_consistency``), ``omitted``, ``added`` and ``moved`` sentences, a missing headline,
  ``number_mismatch``, ``length_ratio``;
* :mod:`._scores`: ``low_consistency`` (a pair far below its version's level), ``outlier_language`` (far
  below the other languages on a segment), ``repetition`` (n-gram loops);
* :mod:`._names`: ``name_mismatch`` (a name of the source lost, or another name standing in its place);
* :mod:`._roles`: who does what: ``name_mismatch`` with ``kind = "intruder"`` (a name of another paragraph
  that one version alone puts in this one) and ``role_swap`` (two names of a sentence that trade places);
* :mod:`._polarity`: ``polarity_mismatch`` and ``hedge_mismatch`` (a negation or a hedge lost or added);
* :mod:`._quotes`: ``quote_mismatch`` (a quotation turned into the outlet's claim);
* :mod:`._terms`: ``changed_term`` (a term lost where other versions keep it, graded by their share);
* :mod:`._clauses`: ``omitted`` and ``added`` inside a kept sentence (a stretch of content words every other
  version keeps but this one lost, or words neither the source nor any other version has);
* :mod:`._glossary_match`: ``glossary_term`` (the newsroom's term not rendered as it accepts), and the
  glossary's renderings kept out of the name and term rules;
* :mod:`._witness`: runs last: the score flags judged again with ``--calibrate`` and ``--semantic``, and
  ``meaning_drift``.

:mod:`.common` holds what they share (``VersionView``, ``ArticleContext``, the codes, ``STRUCTURAL``,
``WORD``); :mod:`._lexicon` their word lists (``data/indonesian.toml`` the Indonesian tables);
:mod:`._acronyms`, :mod:`._words`, :mod:`._langid`, :mod:`._numbers`, :mod:`._dates` (CLDR month and
weekday names), :mod:`._places` (CLDR territory names) and :mod:`._quantities` the analyses they rely on.
Thresholds come from :class:`~backtrans.config.Thresholds`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..config import Thresholds
from ..text.segment import Join
from ..types import Flag, Segment
from ._clauses import flag_clauses
from ._confidence import assign as assign_confidence
from ._converses import flag_converses
from ._glossary_match import flag_glossary, respect_glossary
from ._language import wrong_language_pages
from ._links import flag_links, flag_unrelated
from ._names import flag_names, source_names
from ._polarity import flag_polarity
from ._quotes import flag_quotes
from ._roles import flag_intruders, flag_role_swaps
from ._scores import find_repetition, flag_low_consistency, flag_outliers, flag_repetition
from ._terms import flag_terms
from ._witness import apply_witnesses
from .common import CODES, SEVERITY_ORDER, ArticleContext, VersionView
from .glossary import Glossary

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
    flag_intruders(ctx, add)
    flag_role_swaps(ctx, add)
    flag_converses(ctx, add)
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
