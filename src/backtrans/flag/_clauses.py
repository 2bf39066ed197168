"""Part of a kept sentence dropped, or something added inside it: graded agreement between the versions.

The alignment sees whole sentences: a sentence that lost a clause ("… except trucks carrying fuel and staple
goods") or gained one ("… cut off from the world for three days") is still one 1-1 link with a fair chrF++.
Every other version of the same sentence is a witness of what it says, so for each aligned sentence:

* **omitted** (a clause): a stretch of consecutive source content words that this back-translation lacks (by
  stem), holding several words that at least half of the other languages' back-translations of the same source
  sentence keep. Words that every version renders another way may sit inside the stretch (they say nothing either
  way); words this back-translation keeps end it, so words a paraphrase changed here and there are no stretch.
  The stretch must also be a share of the sentence's content;
* **added** (a clause): content words of this back-translation that neither the source sentence nor any other
  language's back-translation has: several of them in one stretch, or more of them making a share of the
  back-translation.

The longer the stretch, the less it looks like a paraphrase (the flag's ``partial`` evidence falls from 1 at
``MIN_WORDS`` words to 0 at twice that), and the other languages are the consensus: those that keep the lost
words, or (added) all of them, which lack every added word, when there are two at least.

Indonesian sources only (stems and function words are Indonesian). One other language at least must cover the
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
#: a word counts as kept by the others when at least this share of the other languages keep it
KEPT_SHARE = 0.5


def content_word(word: str) -> bool:
    """A content word of an Indonesian text (casefolded): 3 letters up, no function word, no digits."""
    return len(word) >= 3 and word not in STOPWORDS_ID and not any(c.isdigit() for c in word)


def _content(text: str) -> list[tuple[str, str]]:
    """(stem, word) of the content words of an Indonesian text in order (:func:`content_word`)."""
    words = (match.group().casefold() for match in WORD.finditer(text))
    return [(stem(word), word) for word in words if content_word(word)]


def _longest_run(
    words: list[tuple[str, str]], absent: set[str], witnessed: set[str], count_all: bool = False
) -> list[str]:
    """The stretch of consecutive content words absent from the back-translation (by stem) that holds the most
    words the other versions keep: a clause is one stretch of a sentence; words a paraphrase changed here and
    there are not. Words every version renders another way may sit inside the stretch, but only witnessed words
    count."""
    best: list[str] = []
    best_count = 0
    run: list[tuple[str, str]] = []
    for root, word in words + [("", "")]:
        if root and root in absent:
            run.append((root, word))
            continue
        count = len(run) if count_all else sum(r in witnessed for r, _ in run)
        if count > best_count:
            best, best_count = [w for _, w in run], count
        run = []
    return best


def _partial(words: int) -> float:
    """How much of a mere paraphrase a stretch of ``words`` words may be: 1 at the minimum, 0 from twice it."""
    return round(max(0.0, min(1.0, 1.0 - (words - MIN_WORDS) / MIN_WORDS)), 2)


def flag_clauses(ctx: ArticleContext, add: Add) -> None:
    if base_lang(ctx.source_lang) != "id" or len(ctx.views) < 2:
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
            if not others:
                continue
            src = _content(join([source[i].text for i in link.source]))
            mine = _content(view.back_text(link, join))
            if not src or not mine:
                continue
            mine_roots = {root for root, _ in mine}
            absent = {root for root, _ in src if root not in mine_roots}
            witnessed = {
                root for root in absent if sum(root in words for words in others.values()) >= KEPT_SHARE * len(others)
            }
            lost = _longest_run(src, absent, witnessed)
            kept = [w for w in lost if stem(w) in witnessed]
            if len(kept) >= MIN_WORDS and len(lost) >= MIN_SHARE * len(src):
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
                            "partial": _partial(len(kept)),
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
            stretch = _longest_run(mine, {root for root, _ in mine if root not in seen}, set(), count_all=True)
            if (len(new) >= MIN_WORDS + 1 and len(new) >= MIN_SHARE * len(mine)) or len(stretch) >= MIN_WORDS:
                add(
                    view.lang,
                    Flag(
                        "added",
                        "medium",
                        f"the {name} version seems to add to source sentence {', '.join(ids(source, link.source))} "
                        f"what neither the source nor the other versions say: «{clip(' '.join(new), 60)}»",
                        ids(source, link.source),
                        {
                            "scope": "clause",
                            "partial": _partial(max(len(stretch), len(new) - 1)),
                            "words": new,
                            # every other language's back-translation lacks each of these words (two witnesses at
                            # least: one other version is too little to say what the sentence says)
                            **({"kept_by": sorted(others), "compared_with": len(others)} if len(others) > 1 else {}),
                            "version_visible": False,
                            "pair": k,
                        },
                    ),
                    k,
                )
