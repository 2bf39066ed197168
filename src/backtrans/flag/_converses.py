"""A relation turned the other way round: the converse word where the source and the other versions keep the word.

"The defendant *received* bribes *from* the contractor" and "the defendant *paid* bribes *to* the contractor" share
every name and every noun; the chrF++ of such a back-translation stays high and no name moved, yet the roles are
reversed. Where a back-translation has the converse of a source word (``CONVERSES_ID``: terima/beri, naik/turun,
menang/kalah, dari/kepada …), around the same content word after it (the bribe, the contractor), and lacks the
source's word, while the other languages' back-translations of the same sentence keep the source's word and none of
them has the converse, the version most likely turned the relation around (``role_swap``, evidence ``kind =
"converse"``).

Graded agreement: two other languages at least, at least half of them keeping the source's word (the flag's
consensus); one other language with the converse is the route's ambiguity, and nothing is flagged. Indonesian
sources only (the pairs and the stems are Indonesian); read in the back-translation, so not version-visible.
"""

from __future__ import annotations

from ..text.languages import base_lang, language_name
from ..types import TITLE_PARAGRAPH, Flag
from ._clauses import content_word
from ._lexicon import CONVERSES_ID
from ._words import stem
from .common import STRUCTURAL, WORD, Add, ArticleContext, ids

#: the content word shared by the source's word and its converse follows it within this many words (its object,
#: the noun after a preposition): a subject before it may be the subject of another clause
WINDOW = 3
#: the other languages that keep the source's word: at least this many, and at least half of them
MIN_KEEPERS = 2

Tokens = list[tuple[str, str]]


def _tokens(text: str) -> Tokens:
    """(stem, word) of every word of an Indonesian text in order, function words included."""
    return [(stem(word), word) for word in (m.group().casefold() for m in WORD.finditer(text))]


def _neighbours(tokens: Tokens, root: str) -> set[str]:
    """Stems of the content words within ``WINDOW`` words after each occurrence of ``root``."""
    out: set[str] = set()
    for i, (r, _) in enumerate(tokens):
        if r == root:
            out.update(s for s, w in tokens[i + 1 : i + WINDOW + 1] if s != root and content_word(w))
    return out


def _first(tokens: Tokens, root: str) -> str:
    return next(w for r, w in tokens if r == root)


def _nearest(tokens: Tokens, root: str, anchors: set[str]) -> str:
    """The anchor word nearest after the first occurrence of ``root``."""
    at = next(i for i, (r, _) in enumerate(tokens) if r == root)
    return next((w for r, w in tokens[at + 1 :] if r in anchors), "")


def flag_converses(ctx: ArticleContext, add: Add) -> None:
    if base_lang(ctx.source_lang) != "id" or len(ctx.views) < 3:
        return
    source, join = ctx.source, ctx.join
    pairs = [*CONVERSES_ID, *((b, a) for a, b in CONVERSES_ID)]
    for view in ctx.views:
        for k, link in enumerate(view.links):
            if link.kind in STRUCTURAL or all(source[i].paragraph == TITLE_PARAGRAPH for i in link.source):
                continue
            src = _tokens(join([source[i].text for i in link.source]))
            mine = _tokens(view.back_text(link, join))
            src_roots, mine_roots = {r for r, _ in src}, {r for r, _ in mine}
            for word, converse in pairs:
                if word not in src_roots or converse in src_roots or word in mine_roots or converse not in mine_roots:
                    continue
                anchors = _neighbours(src, word) & _neighbours(mine, converse)
                if not anchors:
                    continue
                others = {
                    lang: _tokens(join([ctx.view(lang).back_text(ctx.view(lang).links[o], join) for o in links]))
                    for lang, links in ctx.others(view, link).items()
                }
                others = {lang: tokens for lang, tokens in others.items() if tokens}
                roots = {lang: {r for r, _ in tokens} for lang, tokens in others.items()}
                if any(converse in r for r in roots.values()):
                    continue  # another route says it so too: the sentence is ambiguous, not this version
                keepers = sorted(lang for lang, r in roots.items() if word in r)
                if len(keepers) < max(MIN_KEEPERS, len(others) / 2):
                    continue
                said, turned = _first(src, word), _first(mine, converse)
                anchor = _nearest(src, word, anchors)
                add(
                    view.lang,
                    Flag(
                        "role_swap",
                        "high",
                        f"the {language_name(view.lang)} version may turn the relation around in source sentence "
                        f"{', '.join(ids(source, link.source))}: «{said} … {anchor}» comes back as «{turned} … "
                        f"{anchor}» (other versions keep «{said}»: {', '.join(keepers)})",
                        ids(source, link.source),
                        {
                            "kind": "converse",
                            "words": [said, turned],
                            "anchor": anchor,
                            "kept_by": keepers,
                            "compared_with": len(others),
                            "version_visible": False,
                            "pair": k,
                        },
                    ),
                    k,
                )
                break
