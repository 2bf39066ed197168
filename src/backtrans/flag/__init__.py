"""Rules that turn evidence into :class:`~backtrans.types.Flag` objects an editor can act on.

Every rule works on one article with all its versions at once, because the
strongest signals compare languages: a segment where the other languages agree
with the source but this one does not (``outlier_language``), a name that the
other back-translations keep but this one lost (``name_mismatch``).

One module per family of rules: :mod:`.links` (the alignment: unrelated,
omitted, added, numbers, length), :mod:`.scores` (low consistency, outlier
language, repetition), :mod:`.names`, :mod:`.language` (wrong language,
untranslated). Thresholds come from :class:`~backtrans.config.Thresholds`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..config import Thresholds
from ..text.segment import Join
from ..types import Flag, Segment
from .common import CODES, SEVERITY_ORDER, VersionView, coverage
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

    wrong_pages = wrong_language_pages(views, source, source_lang, thresholds, join, add)
    compared = [
        view for view in views if view.lang not in wrong_pages and not flag_unrelated(view, source, thresholds, add)
    ]
    covered = coverage(compared)
    for view in compared:
        flag_links(view, source, source_lang, thresholds, join, add)
        flag_low_consistency(view, source, thresholds, covered, compared, add)
        flag_repetition(view, source, thresholds, join, add)
    flag_outliers(compared, source, covered, thresholds, add)
    flag_names(compared, source, source_lang, join, thresholds, add)
    flag_polarity(compared, source, source_lang, covered, join, add)
    flag_quotes(compared, source, source_lang, join, add)
    flag_terms(compared, source, source_lang, covered, join, thresholds, add)
    apply_witnesses(compared, source, thresholds, out)  # --calibrate / --semantic: judge the score flags again
    if glossary is not None:
        respect_glossary(glossary, compared, source, source_lang, join, out)
        flag_glossary(glossary, compared, source, source_lang, join, add)
    for lang in out:
        out[lang] = [(_shown(flag, thresholds), link) for flag, link in out[lang]]
        out[lang].sort(key=lambda item: (SEVERITY_ORDER[item[0].severity], item[1] if item[1] is not None else -1))
    return out


def _shown(flag: Flag, thresholds: Thresholds) -> Flag:
    """The flag with ``shown`` set: sure enough for the editor's views (the rest stay in the record as notes)."""
    shown = flag.confidence >= thresholds.min_confidence
    return flag if flag.shown == shown else dataclasses.replace(flag, shown=shown)
