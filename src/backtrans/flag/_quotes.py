"""A quotation turned into the outlet's own claim (``quote_mismatch``).

Where a source sentence quotes a speaker (quotation marks and a speech verb:
"…," kata X / ujarnya / tambahnya), the version text aligned with it must keep either the quotation
marks (any script's: " “ ” « » 「 」 『 』) or an attribution (a speech verb in
its back-translation, or in the version itself where its language has a word
list). A version that drops both presents the speaker's words as its own.
Indirect speech ("X said that …") keeps the attribution and is not flagged.
"""

from __future__ import annotations

from ..text.languages import language_name
from ..types import Flag
from ._lexicon import QUOTE_MARKS, find_markers, knows
from .common import Add, ArticleContext


def _has_quote(text: str) -> bool:
    return any(c in QUOTE_MARKS for c in text)


def flag_quotes(ctx: ArticleContext, add: Add) -> None:
    """Per quoting source sentence ("…," ujarnya), the aligned version text must keep the marks or an attribution."""
    views, source, source_lang, join = ctx.views, ctx.source, ctx.source_lang, ctx.join
    quoting = {
        i for i, seg in enumerate(source) if _has_quote(seg.text) and find_markers(seg.text, source_lang, "speech")
    }
    if not quoting:
        return
    for view in views:
        for k, link in enumerate(view.links):
            if not link.back or not quoting.intersection(link.source):
                continue
            version = view.version_text(link, join)
            if not version or _has_quote(version):
                continue  # no segment map (nothing to look at), or the quotation marks are kept
            if find_markers(view.back_text(link, join), source_lang, "speech"):
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
                    tuple(source[i].id for i in link.source),
                    {"pair": k, "version": version},
                ),
                k,
            )
