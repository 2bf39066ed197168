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

from collections.abc import Sequence

from ..config import Thresholds
from ..segment import Join
from ..types import Flag, Segment
from .common import CODES, SEVERITY_ORDER, VersionView, coverage
from .language import flag_languages
from .links import flag_links, flag_unrelated
from .names import flag_names, source_names
from .scores import find_repetition, flag_low_consistency, flag_outliers, flag_repetition
from .witness import apply_witnesses

__all__ = ["CODES", "SEVERITY_ORDER", "VersionView", "find_repetition", "flag_article", "source_names"]


def flag_article(
    source: Sequence[Segment],
    source_lang: str,
    views: Sequence[VersionView],
    thresholds: Thresholds,
    join: Join,
) -> dict[str, list[tuple[Flag, int | None]]]:
    """Flags of every version of one article, each with the index of the pair (link) it concerns."""
    out: dict[str, list[tuple[Flag, int | None]]] = {view.lang: [] for view in views}

    def add(lang: str, flag: Flag, link: int | None) -> None:
        out[lang].append((flag, link))

    covered = coverage(views)
    for view in views:
        if flag_unrelated(view, source, add):
            continue  # one flag says it all; the per-segment rules would only repeat it
        flag_links(view, source, source_lang, thresholds, join, add)
        flag_low_consistency(view, source, thresholds, covered, views, add)
        flag_repetition(view, source, thresholds, join, add)
    flag_outliers(views, source, covered, thresholds, add)
    flag_names(views, source, source_lang, covered, join, add)
    flag_languages(views, source, source_lang, thresholds, join, add)
    apply_witnesses(views, source, thresholds, out)  # --calibrate / --semantic: judge the score flags again
    for lang in out:
        out[lang].sort(key=lambda item: (SEVERITY_ORDER[item[0].severity], item[1] if item[1] is not None else -1))
    return out
