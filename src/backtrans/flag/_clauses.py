"""Part of a kept sentence dropped, or something added inside it: graded agreement between the versions.

The alignment sees whole sentences: a sentence that lost a clause ("… except trucks carrying fuel and staple
goods") or gained one ("… cut off from the world for three days") is still one 1-1 link with a fair chrF++.
Every other version of the same sentence is a witness of what it says, so for each aligned sentence:

* **omitted** (a clause): a stretch of consecutive source content words that this back-translation lacks (by
  stem) while the other languages' back-translations of the same source sentence keep each of them; several of
  them, and a share of the sentence's content (words a paraphrase changed here and there are no stretch);
* **added** (a clause): content words of this back-translation that neither the source sentence nor any other
  language's back-translation has; several of them, and a share of the back-translation.

Indonesian sources only (stems and function words are Indonesian). Two other languages at least must cover the
sentence; other versions are counted per language. The words themselves are the evidence an editor reads.
"""

from __future__ import annotations

from ..text.languages import base_lang, language_name
from ..types import TITLE_PARAGRAPH, Flag
from ._lexicon import STOPWORDS_ID
from ._words import stem
from .common import STRUCTURAL, WORD, Add, ArticleContext, clip, ids

#: a clause: at least this many content words lost (or added) ...
MIN_WORDS = 4
#: ... making at least this share of the sentence's content words
MIN_SHARE = 0.35
#: a word counts as kept by the others when at least this share of the other languages keep it (all of them)
KEPT_SHARE = 1.0


def _content(text: str) -> list[tuple[str, str]]:
    """(stem, word) of the content words of an Indonesian text in order (no function words, no digits, 3 letters
    up)."""
    out: list[tuple[str, str]] = []
    for match in WORD.finditer(text):
        word = match.group().casefold()
        if len(word) < 3 or word in STOPWORDS_ID or any(c.isdigit() for c in word):
            continue
        out.append((stem(word), word))
    return out


def _longest_run(words: list[tuple[str, str]], missing: set[str]) -> list[str]:
    """The longest run of consecutive content words whose stems are all in ``missing``: a clause is one
    stretch of a sentence; words a paraphrase changed here and there are not."""
    best: list[str] = []
    run: list[str] = []
    for root, word in words:
        if root in missing:
            run.append(word)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best


def flag_clauses(ctx: ArticleContext, add: Add) -> None:
    if base_lang(ctx.source_lang) != "id" or len(ctx.views) < 3:
        return
    source, join = ctx.source, ctx.join
    backs = {
        (view.lang, k): {root for root, _ in _content(view.back_text(link, join))}
        for view in ctx.views
        for k, link in enumerate(view.links)
        if link.kind not in STRUCTURAL
    }
    for view in ctx.views:
        name = language_name(view.lang)
        for k, link in enumerate(view.links):
            if link.kind in STRUCTURAL or all(source[i].paragraph == TITLE_PARAGRAPH for i in link.source):
                continue
            others = {
                lang: set().union(*(backs[(lang, o)] for o in links if (lang, o) in backs))
                for lang, links in ctx.others(view, link).items()
            }
            others = {lang: words for lang, words in others.items() if words}
            if len(others) < 2:
                continue
            src = _content(join([source[i].text for i in link.source]))
            mine = _content(view.back_text(link, join))
            if not src or not mine:
                continue
            mine_roots = {root for root, _ in mine}
            missing = {
                root
                for root, _ in src
                if root not in mine_roots
                and sum(root in words for words in others.values()) >= KEPT_SHARE * len(others)
            }
            lost = _longest_run(src, missing)
            if len(lost) >= MIN_WORDS and len(lost) >= MIN_SHARE * len(src):
                keepers = sorted(lang for lang, words in others.items() if any(stem(w) in words for w in lost))
                add(
                    view.lang,
                    Flag(
                        "omitted",
                        "medium",
                        f"the {name} version seems to leave out part of source sentence "
                        f"{', '.join(ids(source, link.source))}: «{clip(' '.join(lost), 60)}» (other versions keep it)",
                        ids(source, link.source),
                        {
                            "scope": "clause",
                            "words": lost,
                            "kept_by": keepers,
                            "compared_with": len(others),
                            "version_visible": False,
                            "pair": k,
                        },
                    ),
                    k,
                )
            seen = {root for root, _ in src}.union(*others.values())
            new = list(dict.fromkeys(word for root, word in mine if root not in seen))
            if len(new) >= MIN_WORDS + 1 and len(new) >= MIN_SHARE * len(mine):
                add(
                    view.lang,
                    Flag(
                        "added",
                        "medium",
                        f"the {name} version seems to add to source sentence {', '.join(ids(source, link.source))} "
                        f"what neither the source nor the other versions say: «{clip(' '.join(new), 60)}»",
                        ids(source, link.source),
                        {"scope": "clause", "words": new, "version_visible": False, "pair": k},
                    ),
                    k,
                )
