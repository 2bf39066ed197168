"""A quotation turned into the outlet's own claim (``quote_mismatch``).

Where a source paragraph quotes a speaker (quotation marks and a speech verb:
"…," kata X / ujarnya / tambahnya), the version must keep either the quotation
marks (any script's: " “ ” « » 「 」 『 』) or an attribution (a speech verb in
its back-translation, or in the version itself where its language has a word
list). A version that drops both presents the speaker's words as its own.
Indirect speech ("X said that …") keeps the attribution and is not flagged.
"""

from __future__ import annotations

from ..languages import language_name
from ..lexicon import QUOTE_MARKS, find_markers, knows
from ..segment import Join
from ..types import Flag
from .common import Add, Source, Views


def _has_quote(text: str) -> bool:
    return any(c in QUOTE_MARKS for c in text)


def flag_quotes(views: Views, source: Source, source_lang: str, join: Join, add: Add) -> None:
    for p in sorted({seg.paragraph for seg in source}):
        indices = [i for i, seg in enumerate(source) if seg.paragraph == p]
        src = join([source[i].text for i in indices])
        if not _has_quote(src) or not find_markers(src, source_lang, "speech"):
            continue
        quoted = tuple(
            source[i].id
            for i in indices
            if _has_quote(source[i].text) or find_markers(source[i].text, source_lang, "speech")
        )
        for view in views:
            links = [k for k, link in enumerate(view.links) if link.source and link.source[0] in indices and link.back]
            if not links:
                continue
            version = join([view.version_text(view.links[k], join) for k in links])
            back = join([view.back_text(view.links[k], join) for k in links])
            if not version or _has_quote(version):
                continue  # no segment map (nothing to look at), or the quotation marks are kept
            if find_markers(back, source_lang, "speech"):
                continue  # attributed (indirect speech)
            if knows(view.lang, "speech") and find_markers(version, view.lang, "speech"):
                continue
            add(
                view.lang,
                Flag(
                    "quote_mismatch",
                    "medium",
                    f"the {language_name(view.lang)} version drops the quotation marks and the attribution: "
                    "the speaker's words read as the outlet's own",
                    quoted,
                    {"paragraph": p, "pair": links[0]},
                ),
                links[0],
            )
