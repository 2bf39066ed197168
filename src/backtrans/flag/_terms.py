"""A key term mistranslated (``changed_term``): "gugatan" (a lawsuit) back as "serangan" (an attack).

chrF barely moves for a one-word change, so inside each aligned pair the
source's content words are looked for in the back-translation by stem
(Sastrawi): "pelantikan" and "dilantik" are the same term. A word that is
missing and replaced by a word of another stem is a candidate. Synonyms and
inflections are the risk in noisy back-translations, so a candidate must
also be:

* a content word: not a function word, not a name (the name check's), rarer than
  ``Thresholds.term_max_zipf`` in Indonesian (wordfreq);
* not a known synonym of the replacement (:data:`backtrans.flag._lexicon.SYNONYMS_ID`);
* kept by the other versions: at least ``Thresholds.term_consensus`` of the other languages (half, by default;
  one at least) have the word in their back-translations of the same source sentence, and none has the
  replacement, so it is this version that changed it, not every route that paraphrases it. Each other
  language is one witness, however many of its links cover the sentence: it keeps the word when one of them
  does. Where no other version covers the sentence, the word must be a rare (zipf below 4.0) term of the
  article (headline or lead, used in ``Thresholds.term_min_uses`` sentences, or a person's legal status).

How sure the flag is grows with the share of the other languages that keep the word (``kept_by`` of
``compared_with``) and when the word is a term of the article or a legal status (``salient``): both are
evidence for :mod:`._confidence`, no longer gates. What makes a sense error (a suspect made a witness, a levee
a dam) differ from a route's synonym is read from the word in its place, as evidence against the flag:

* ``near_miss``: the replacement stands for the same source word elsewhere in the article, in this version's
  back-translation or another's (a sentence whose source has the word and whose back-translation has the
  replacement): it is a route's habitual rendering of the word, not a change of this sentence;
* ``general_word``: the replacement is a verb where the source had a noun (the sentence was rebuilt around
  another word, and the difference lines a verb up with the term), or a far more common word than the one lost
  (:data:`GENERAL_ZIPF_GAP` or more above it in wordfreq: a general paraphrase such as «unit» for «detasemen»,
  or a frequent word lined up by accident such as «mencapai»); a sense error swaps a term for another of its
  kind;
* ``lone_witness``: a single other version covers the sentence: one route's choice between two synonyms is a
  coin toss, so its keeping the word says little.

and as evidence for it, ``substitute``: a person's legal status comes back as another one (a suspect made a
witness), the one swap no paraphrase makes.

The replacement is the word in the source word's place (lined up by stem) that no
other version's back-translation has. The evidence is the word pair; the side-by-side
view highlights both words.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from functools import lru_cache

from wordfreq import zipf_frequency

from ..config import Thresholds
from ..text.languages import base_lang, language_name
from ..types import TITLE_PARAGRAPH, Flag
from ._lexicon import LEGAL_STATUS_ID, NEGATORS, STOPWORDS_ID, find_markers, synonym_groups_of
from ._words import ordinary_word, stem
from .common import STRUCTURAL, TEXT_CACHE, WORD, Add, ArticleContext, Source, VersionView, ids


def lower_words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


#: verbs (me-, di-, ber-, memper-, diper- with a root inside) are paraphrased freely; the terms whose
#: mistranslation misleads a reader are nouns: gugatan, banding, tersangka, saham, pelantikan
_VERB = re.compile(r"^(?:memper|diper|mem|men|meng|meny|me|di|ber)")


def _verb(word: str) -> bool:
    return bool(_VERB.match(word)) and stem(word) != word and len(stem(word)) < len(word) - 1


#: scale words belong to the number check ("1,2 triliun" may come back as "1.200 miliar")
_SCALE_WORDS = frozenset(["ribu", "juta", "miliar", "milyar", "triliun", "persen"])


def _content_words(text: str, lang: str, max_zipf: float, capitalised: set[str]) -> list[str]:
    """Salient lower-case content words of a source text: no names, function words, scale words, or hedge
    and speech markers (the hedge rule's; a person's legal status such as "tersangka" excepted)."""
    return [w for w in _salient_words(text, lang, max_zipf) if w not in capitalised]


@lru_cache(maxsize=TEXT_CACHE)
def _salient_words(text: str, lang: str, max_zipf: float) -> tuple[str, ...]:
    """:func:`_content_words` before the article's names are taken out (a source text is read once for
    all its versions)."""
    # hedges are the hedge rule's, except a person's legal status (tersangka is both)
    markers = (set(find_markers(text, lang, "hedges")) - LEGAL_STATUS_ID) | set(find_markers(text, lang, "speech"))
    out = []
    for match in WORD.finditer(text):
        lower = match.group().casefold()
        if (
            len(lower) < 4
            or not ordinary_word(lower)
            or _verb(lower)
            or lower in STOPWORDS_ID
            or lower in _SCALE_WORDS
            or lower in NEGATORS.get(lang, frozenset())
            or lower in markers
            or "-" in lower
            or zipf_frequency(lower, lang) > max_zipf
        ):
            continue
        out.append(lower)
    return tuple(dict.fromkeys(out))


def _article_terms(source: Source, min_uses: int) -> set[str]:
    """Stems of the words an article is about: in its headline or lead, or used in ``min_uses`` sentences."""
    counts: dict[str, int] = {}
    lead: set[str] = set()
    for seg in source:
        stems = {stem(w) for w in lower_words(seg.text)}
        for s in stems:
            counts[s] = counts.get(s, 0) + 1
        if seg.paragraph <= 1:
            lead |= stems
    return lead | {s for s, n in counts.items() if n >= min_uses}


_POSSESSIVE = re.compile(r"(?:nya|ku|mu|lah|kah)$")


def same_term(a: str, b: str) -> bool:
    """The same term: inflections of one word ("dilantik", "pelantikan"), but a root is not its derivations
    ("banding", an appeal, is not "perbandingan", a comparison)."""
    if a == b or _POSSESSIVE.sub("", a) == _POSSESSIVE.sub("", b):
        return True
    root_a, root_b = stem(a), stem(b)
    if root_a != root_b:
        return False
    return (a != root_a) == (b != root_b)  # both derived, or both the bare root


def _has(word: str, back_words: Sequence[str], back_stems: set[str]) -> bool:
    if any(same_term(word, w) for w in back_words):
        return True
    groups = synonym_groups_of(stem(word)) | synonym_groups_of(word)
    return any(
        groups & (synonym_groups_of(s) | synonym_groups_of(w))
        for w, s in zip(back_words, map(stem, back_words), strict=True)
    )


def replacement_word(word: str, src_words: list[str], back_words: list[str], other_stems: set[str]) -> str | None:
    """The back-translation word that stands where the source word stood: another stem, not a function word,
    and one of a stem that no other version's back-translation has (``other_stems``): theirs is the route's
    paraphrase, not a change.

    Words are lined up by stem. A word lined up with one of its own stem is not replaced: a derivation
    ("banding", an appeal, back as "perbandingan", a comparison) is as often an inflection that changes
    nothing ("jaksa" → "kejaksaan", "banjir" → "membanjiri", "ketujuh" → "tujuh")."""
    matcher = difflib.SequenceMatcher(a=[stem(w) for w in src_words], b=[stem(w) for w in back_words], autojunk=False)
    position = src_words.index(word)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or not i1 <= position < i2:
            continue
        offset = min(position - i1, j2 - j1 - 1)  # the word at the same offset in the block first
        for candidate in [back_words[j1 + offset], *back_words[j1:j2]]:
            if (
                candidate not in STOPWORDS_ID
                and len(candidate) >= 3
                and not any(same_term(candidate, w) for w in src_words)
                and stem(candidate) not in other_stems
            ):
                return candidate
        return None
    return None


def flag_terms(ctx: ArticleContext, add: Add) -> None:
    views, source, source_lang, join, thresholds = ctx.views, ctx.source, ctx.source_lang, ctx.join, ctx.thresholds
    if base_lang(source_lang) != "id":
        return  # the stemmer, word list and synonyms are Indonesian
    lang = base_lang(source_lang)
    article_terms = _article_terms(source, thresholds.term_min_uses)
    capitalised = {
        m.group().casefold()
        for seg in source
        if seg.paragraph != 0
        for m in WORD.finditer(seg.text)
        if m.group()[:1].isupper() and seg.text[: m.start()].rstrip()[-1:] not in ("", *'.!?"“«(:–—-')
    }  # written capitalised in the middle of a sentence: a name
    back_words: dict[tuple[str, int], list[str]] = {
        (view.lang, k): lower_words(view.back_text(link, join))
        for view in views
        for k, link in enumerate(view.links)
        if link.kind not in STRUCTURAL
    }
    for view in views:
        for k, link in enumerate(view.links):
            if link.kind in STRUCTURAL or all(source[i].paragraph == TITLE_PARAGRAPH for i in link.source):
                continue  # headlines are rewritten freely: their words are the body's terms, checked there
            _flag_pair(ctx, view, k, lang, back_words, article_terms, capitalised, add)


def _evidence(
    word: str, keepers: int, others: int, zipf: float, article_terms: set[str], thresholds: Thresholds
) -> bool:
    """Enough evidence to raise the flag at all (its confidence then grows with the share of keepers): some
    other versions keep the word (at least ``term_consensus`` of them, half by default, one at least), or, with
    no other version of the sentence, a term of the article that is also rare (zipf below 4). A person's legal
    status (``tersangka``, a suspect; ``saksi``, a witness) is a term wherever it stands."""
    if not others:
        return zipf < 4.0 and (stem(word) in article_terms or word in LEGAL_STATUS_ID)
    return keepers >= max(1, math.ceil(thresholds.term_consensus * others))


#: a replacement this much more common (wordfreq zipf) than the word lost is a general word, not another term
GENERAL_ZIPF_GAP = 1.0


def general_word(word: str, replacement: str, lang: str) -> bool:
    """The replacement is a general word rather than another term: a verb where the source had a noun
    (the rule's words are nouns), or a word far more common than the one lost."""
    return _verb(replacement) or zipf_frequency(replacement, lang) >= zipf_frequency(word, lang) + GENERAL_ZIPF_GAP


def _habitual(
    ctx: ArticleContext,
    view: VersionView,
    k: int,
    word: str,
    replacement: str,
    back_words: dict[tuple[str, int], list[str]],
) -> bool:
    """The replacement stands for the word elsewhere in the article: a back-translation (this version's or
    another's) of another sentence whose source has the word has the replacement too (by stem)."""
    root = stem(replacement)
    for other in ctx.views:
        for j, link in enumerate(other.links):
            words = back_words.get((other.lang, j))
            if not words or (other.lang == view.lang and j == k):
                continue
            if root in {stem(w) for w in words} and any(
                same_term(word, w) for w in lower_words(ctx.join([ctx.source[i].text for i in link.source]))
            ):
                return True
    return False


def _flag_pair(
    ctx: ArticleContext,
    view: VersionView,
    k: int,
    lang: str,
    back_words: dict[tuple[str, int], list[str]],
    article_terms: set[str],
    capitalised: set[str],
    add: Add,
) -> None:
    source, join, thresholds = ctx.source, ctx.join, ctx.thresholds
    link = view.links[k]
    src = join([source[i].text for i in link.source])
    mine = back_words[(view.lang, k)]
    mine_stems = {stem(w) for w in mine}
    src_words = lower_words(src)
    others = {
        other: words
        for other, covering in ctx.others(view, link).items()
        if (words := [back_words[(other, o)] for o in covering if (other, o) in back_words])
    }  # per language: the words of its links that cover the sentence (one witness, not one per link)
    other_stems = {stem(w) for words in others.values() for ws in words for w in ws}
    best: tuple[tuple[bool, bool, float], str, str, list[str]] | None = None  #: a legal status, then the rarest term
    for word in _content_words(src, lang, thresholds.term_max_zipf, capitalised):
        if _has(word, mine, mine_stems):
            continue
        keepers = sorted(
            o for o, words in others.items() if any(ws and _has(word, ws, {stem(w) for w in ws}) for ws in words)
        )
        zipf = zipf_frequency(word, lang)
        if not _evidence(word, len(keepers), len(others), zipf, article_terms, thresholds):
            continue
        replacement = replacement_word(word, src_words, mine, other_stems)
        if replacement is None:
            continue
        rank = (word not in LEGAL_STATUS_ID, stem(word) not in article_terms, zipf)
        if best is None or rank < best[0]:
            best = (rank, word, replacement, keepers)
    if best is None:
        return
    _, word, replacement, keepers = best
    habitual = _habitual(ctx, view, k, word, replacement, back_words)
    by = f" (other versions keep it: {', '.join(keepers)})" if keepers else ""
    add(
        view.lang,
        Flag(
            "changed_term",
            "medium",
            f"«{word}» comes back as «{replacement}» from the {language_name(view.lang)} version{by}",
            ids(source, link.source),
            {
                "source_word": word,
                "back_word": replacement,
                "kept_by": keepers,
                "compared_with": len(others),
                "salient": stem(word) in article_terms or word in LEGAL_STATUS_ID,
                "pair": k,
                "near_miss": habitual,
                "general_word": general_word(word, replacement, lang),
                "lone_witness": len(others) == 1,
                "substitute": replacement in LEGAL_STATUS_ID and word in LEGAL_STATUS_ID,
            },
        ),
        k,
    )
