"""Who does what: an actor put where the source has none of it, and two actors traded places.

Two rules on the article's names (:func:`backtrans.flag._names.source_names`), both graded by the other
versions of the same paragraph or sentence:

* :func:`flag_intruders` (``name_mismatch``, evidence ``kind = "intruder"``): a name of the article (a person,
  a body or its acronym) that the source names in another paragraph stands in a version of this paragraph,
  although the source paragraph does not have it and no other version's back-translation of the paragraph has
  it either: a quotation or a warning given to another speaker. Read in the version text itself where it is
  written in Latin letters, and for an acronym in any script (strong evidence); from the back-translation
  otherwise, where every token of the name must come back. A name of the paragraph before it is let pass
  where the source paragraph names no actor of its own: there a version may have resolved "ia" (he) to it.
* :func:`flag_role_swaps` (``role_swap``): two names of one source sentence come back in the reverse order
  while most other versions keep the source's order, and the words between them (what relates them: "kalah
  dari", "unggul ... atas", a share of the vote) are the words the other versions have between them in the
  source's order: the roles stayed where they were and the names traded places. Order changes that do not
  swap roles change those words too (a passive "dikalahkan oleh" for "mengalahkan", a clause moved), and a
  list ("A dan B") has no words of its own between the names, so neither is flagged. Indonesian sources only
  (the words between are read with Indonesian function words and stems).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ..text.languages import CJK_LANGS, base_lang, language_name, script_of
from ..types import TITLE_PARAGRAPH, Flag
from ._acronyms import definitions, written
from ._lexicon import STOPWORDS_ID
from ._names import Name, article_names, known_names, name_found, paragraph_texts, sentence_back, source_names
from ._words import TOKEN, WORD_CACHE, candidates_of, fold, phonetic_form, skeleton, split_tokens, stem
from .common import TEXT_CACHE, Add, ArticleContext, VersionView, ids


def _present(name: Name, back: str, version: str, latin: bool) -> bool:
    """Whether all of a name stands in a version: an acronym verbatim in the version or its back-translation;
    another name in the version text where it is in Latin letters (its spelling), else every word of it in the
    back-translation, common ones too (Dewi of Dewi Anggraini), with transliteration's tolerance, and a name of
    one word as spelled."""
    if name.acronym:
        return written(name.surface, version, back)
    if latin:
        candidates = candidates_of(version)
        return all(candidates.exact_match(key) for key in name.keys)
    tokens = _folded_tokens(back)
    words = [fold(w) for w in split_tokens(name.surface)]
    if len(words) == 1:  # one word alone (a first name, a place) is found in too many words by likeness
        return words[0] in tokens.folded
    return all(tokens.holds(word) for word in words)


@dataclass(frozen=True)
class _Folded:
    """The folded tokens of a text, indexed by their sound key (:func:`_sound_key`), so that "is the name token
    in the text after a round trip through another script?" is a set lookup and a few ratios, not a ratio per
    token of the text (a rule asks it for every name of the article in every paragraph of every version)."""

    folded: frozenset[str]
    by_sound: dict[str, tuple[str, ...]]

    def holds(self, key: str) -> bool:
        """Whether a token of the text is ``key`` transliterated (:func:`_transliterated`)."""
        return key in self.folded or any(_transliterated(key, t) for t in self.by_sound.get(_sound_key(key), ()))


@lru_cache(maxsize=TEXT_CACHE)
def _folded_tokens(text: str) -> _Folded:
    folded = [fold(t) for t in split_tokens(text)]
    by_sound: dict[str, list[str]] = {}
    for token in dict.fromkeys(folded):
        if len(token) >= 4 and (key := _sound_key(token)):
            by_sound.setdefault(key, []).append(token)
    return _Folded(frozenset(folded), {k: tuple(v) for k, v in by_sound.items()})


#: first sounds a transliteration through another script confuses (Pratama/Bratama, Dedi/Tedi)
_SAME_SOUND = {"b": "p", "d": "t", "g": "k", "j": "c", "v": "f", "z": "s"}


def _transliterated(key: str, token: str) -> bool:
    """The same name token (folded) after a round trip through another script: spelled alike, or alike as
    sounds (rapidfuzz ratio 80 or more: Rudy for Rudi), with the same consonant skeleton once the first sounds
    that scripts confuse are folded: Bratama for Pratama, but not Dinas for Dimas."""
    if key == token:
        return True
    if min(len(key), len(token)) < 4:
        return False
    a = _sound_key(key)  # the cheap test first: a ratio per pair is what made this slow
    if not a or a != _sound_key(token):
        return False
    return max(fuzz.ratio(key, token), fuzz.ratio(phonetic_form(key), phonetic_form(token))) >= 80


@lru_cache(maxsize=WORD_CACHE)
def _sound_key(token: str) -> str:
    """The consonant skeleton of a token with the first sounds that scripts confuse folded ("" for none)."""
    a = skeleton(token)
    return _SAME_SOUND.get(a[0], a[0]) + a[1:] if a else ""


def _version_text(ctx: ArticleContext, view: VersionView, links: list[int]) -> str:
    """The version text of some links; where the back-translation was read without its origin (another line
    count than the version's), the version's paragraphs of the same numbers, if both have the same paragraphs."""
    if view.origin is not None:
        return ctx.join([view.version_text(view.links[k], ctx.join) for k in links])
    paragraphs = {seg.paragraph for seg in view.segments}
    if paragraphs != {seg.paragraph for seg in view.back}:
        return ""
    wanted = {view.back[j].paragraph for k in links for j in view.links[k].back}
    return ctx.join([seg.text for seg in view.segments if seg.paragraph in wanted])


def _actors(names: list[Name]) -> bool:
    """Whether a paragraph names an actor of its own: a person or body that a pronoun there may stand for."""
    return any(not name.translatable for name in names)


def flag_intruders(ctx: ArticleContext, add: Add) -> None:
    """One flag per paragraph × version × name of another paragraph that only this version puts there."""
    views, source, source_lang = ctx.views, ctx.source, ctx.source_lang
    if base_lang(source_lang) in CJK_LANGS or len(views) < 3:
        return
    fuzzy = ctx.thresholds.name_fuzzy
    source_text = ctx.join([s.text for s in source])
    defined = definitions(source_text)
    known = known_names(source, source_lang)
    article = article_names(ctx, known)
    paragraphs = sorted({seg.paragraph for seg in source if seg.paragraph != TITLE_PARAGRAPH})
    text_of = {p: ctx.join([s.text for s in source if s.paragraph == p]) for p in paragraphs}
    for n, p in enumerate(paragraphs):
        own = source_names(text_of[p], False, known, ctx.thresholds.name_key_zipf, source_lang)
        own_tokens = _folded_tokens(text_of[p]).folded | {fold(k) for name in own for k in name.keys}
        previous = _folded_tokens(text_of[paragraphs[n - 1]]).folded if n else frozenset()
        texts = {view.lang: t for view in views if (t := _paragraph(ctx, view, p)) is not None}
        if len(texts) < 3:
            continue  # one version and one witness at the most: no consensus that the name is not there
        flagged: dict[str, list[set[str]]] = {lang: [] for lang in texts}
        for surface, name in sorted(article.items(), key=lambda item: -len(item[1].keys)):
            keys = {fold(k) for k in name.keys}
            if keys & own_tokens:
                continue  # the paragraph has it, or a fuller or shorter form of it
            if keys <= previous and not _actors(own):
                continue  # "ia" of this paragraph may stand for it
            # the cheap strict reading first: one version at most may write all of the name here
            present = [
                lang
                for lang, (back, version) in texts.items()
                if _present(name, back, version, script_of(lang) == "latin")
            ]
            if len(present) != 1:
                continue
            holders = [
                lang
                for lang, (back, version) in texts.items()
                if name_found(name, back, version, script_of(lang) == "latin", defined, fuzzy, source_text)
            ]
            if holders != present:
                continue  # another version has it in another form (a long form, a near spelling)
            lang = holders[0]
            latin = script_of(lang) == "latin"
            back, version = texts[lang]
            if any(keys <= earlier for earlier in flagged[lang]):
                continue  # a shorter form of a name flagged here ("Ghufron" of "Ahmad Ghufron Siregar")
            flagged[lang].append(keys)
            view = ctx.view(lang)
            k = _link_with(ctx, view, p, name, latin)
            others = sorted(o for o in texts if o != lang)
            segments = (
                view.links[k].source if k is not None else tuple(i for i, s in enumerate(source) if s.paragraph == p)
            )
            visible = latin or name.acronym and written(surface, version)
            add(
                lang,
                Flag(
                    "name_mismatch",
                    "high",
                    f"«{surface}», named elsewhere in the article, stands in the {language_name(lang)} version of "
                    f"this paragraph, which the source does not give it (no other version has it here: "
                    f"{', '.join(others)})",
                    ids(source, list(segments)),
                    {
                        "kind": "intruder",
                        "name": surface,
                        "kept_by": others,
                        "compared_with": len(others),
                        "version_visible": visible,
                        "substitute": surface,
                        "pair": k,
                        "paragraph": p,
                    },
                ),
                k,
            )


def _paragraph(ctx: ArticleContext, view: VersionView, p: int) -> tuple[str, str] | None:
    """The back-translation and the version text of source paragraph ``p`` (None: omitted as a whole)."""
    texts = paragraph_texts(ctx, view, p)
    if texts is None or texts[1] or view.origin is not None:
        return texts
    links = [k for k, link in enumerate(view.links) if link.source and ctx.source[link.source[0]].paragraph == p]
    return texts[0], _version_text(ctx, view, links)


def _link_with(ctx: ArticleContext, view: VersionView, p: int, name: Name, latin: bool) -> int | None:
    """The link of paragraph ``p`` whose version or back-translation has the name (the first, else None)."""
    for k, link in enumerate(view.links):
        here = bool(link.source) and ctx.source[link.source[0]].paragraph == p
        if here and _present(name, view.back_text(link, ctx.join), _version_text(ctx, view, [k]), latin):
            return k
    return None


@dataclass(frozen=True)
class _Placed:
    """Where two names stand in one text: the order, and the content words between them."""

    reversed: bool
    between: frozenset[str]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[-–]\d+)?")


def _cluster(name: Name, tokens: list[str], latin: bool) -> tuple[int, int] | None:
    """The one stretch of ``tokens`` (folded) that holds the name: (first, last) index, or None where the name
    is missing or stands twice (then its place is no evidence)."""
    keys = [fold(k) for k in name.keys]
    hits = [
        n
        for n, token in enumerate(tokens)
        if any(token == key or not latin and _transliterated(key, token) for key in keys)
    ]
    if not hits or hits[-1] - hits[0] > 2 * len(keys):
        return None
    return hits[0], hits[-1]


def _content(tokens: list[str], exclude: frozenset[str]) -> frozenset[str]:
    """The words that relate two names among ``tokens``: numbers as written, and stems of the words in lower
    case that are no function words (a capitalised word is a name or a title: "Menteri Dalam Negeri" between
    a name and its office moves with the apposition, it relates nothing)."""
    out = set()
    for token in tokens:
        if token[:1].isdigit():
            out.add(token.replace(",", "."))
        elif (
            token[:1].islower()
            and len(token) >= 3
            and (word := fold(token)) not in STOPWORDS_ID
            and word not in exclude
        ):
            out.add(stem(word))
    return frozenset(out)


_NUMBER_OR_TOKEN = re.compile(rf"{_NUMBER.pattern}|{TOKEN.pattern}")


@lru_cache(maxsize=TEXT_CACHE)
def _numbers_and_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The numbers and words of a text as written, and folded (numbers as written)."""
    tokens = tuple(m.group() for m in _NUMBER_OR_TOKEN.finditer(text))
    return tokens, tuple(t if t[:1].isdigit() else fold(t) for t in tokens)


@lru_cache(maxsize=TEXT_CACHE)
def _cluster_in(name: Name, text: str, latin: bool) -> tuple[int, int] | None:
    """:func:`_cluster` of a text, once per name and text (a sentence of many names pairs each with every other)."""
    return _cluster(name, list(_numbers_and_tokens(text)[1]), latin)


def _place(a: Name, b: Name, text: str, latin: bool, exclude: frozenset[str]) -> _Placed | None:
    """How two names stand in a text (``latin``: spelled as the source spells them), or None where either is
    missing, doubled or the two overlap."""
    tokens = list(_numbers_and_tokens(text)[0])
    first, second = _cluster_in(a, text, latin), _cluster_in(b, text, latin)
    if first is None or second is None or not (first[1] < second[0] or second[1] < first[0]):
        return None
    lo, hi = (first, second) if first[1] < second[0] else (second, first)
    return _Placed(second[1] < first[0], _content(tokens[lo[1] + 1 : hi[0]], exclude))


def _related(words: frozenset[str], others: frozenset[str]) -> bool:
    """The same relation between two names: at least two content words in common, and at least half of the
    shorter side's."""
    common = len(words & others)
    return common >= 2 and 2 * common >= min(len(words), len(others))


def flag_role_swaps(ctx: ArticleContext, add: Add) -> None:
    """One flag per source sentence × version where two of its names trade places and the others keep them.

    Indonesian sources only: the words between the names are told from function words with the Indonesian list
    and stemmer (an English "the … and" between two appositions would read as a relation the versions share)."""
    views, source, source_lang = ctx.views, ctx.source, ctx.source_lang
    if base_lang(source_lang) != "id" or len(views) < 3:
        return
    known = known_names(source, source_lang)
    for i, seg in enumerate(source):
        if seg.paragraph == TITLE_PARAGRAPH:
            continue
        names = [
            n
            for n in source_names(seg.text, False, known, ctx.thresholds.name_key_zipf, source_lang)
            if not n.translatable
        ]
        exclude = frozenset(fold(k) for n in names for k in n.keys)
        pairs = [
            (a, b)
            for x, a in enumerate(names)
            for b in names[x + 1 :]
            if not {fold(k) for k in a.keys} & {fold(k) for k in b.keys} and a.acronym == b.acronym
        ]
        if not pairs:
            continue
        backs = {view.lang: sentence_back(ctx, view, i) for view in views}
        best: dict[str, tuple[tuple[bool, int], Flag, int]] = {}
        for a, b in pairs:
            placed = {lang: p for lang, back in backs.items() if back and (p := _place(a, b, back, False, exclude))}
            for view in views:
                found = _swap(ctx, view, i, (a, b), placed, exclude)
                if found is not None and (view.lang not in best or best[view.lang][0] < found[0]):
                    best[view.lang] = found  # one flag per sentence and version: read in the version, most alike
        for lang, (_, flag, k) in best.items():
            add(lang, flag, k)


def _swap(
    ctx: ArticleContext,
    view: VersionView,
    i: int,
    names: tuple[Name, Name],
    placed: dict[str, _Placed],
    exclude: frozenset[str],
) -> tuple[tuple[bool, int], Flag, int] | None:
    """The flag of two names of source segment ``i`` that trade places in a version (with its rank: read in the
    version text, words in common), or None."""
    a, b = names
    here = placed.get(view.lang)
    k = ctx.link_of(view.lang, i)
    if here is None or not here.reversed or k is None:
        return None
    compared = sorted(o for o in placed if o != view.lang)
    keepers = [o for o in compared if not placed[o].reversed]
    if len(keepers) < 2 or 3 * len(keepers) < 2 * len(compared):
        return None  # the others disagree on the order too: how the languages put it
    related = [o for o in keepers if _related(here.between, placed[o].between)]
    if 2 * len(related) < len(keepers):
        return None  # other words between them: another construction (a passive, a clause moved, a list)
    visible = False
    if script_of(view.lang) == "latin":
        own = _place(a, b, _version_text(ctx, view, [k]), True, exclude)
        if own is not None and not own.reversed:
            return None  # the version keeps the order: its back-translation turned it
        visible = own is not None
    shared = sorted(here.between.intersection(*(placed[o].between for o in related)))
    flag = Flag(
        "role_swap",
        "high",
        f"«{a.surface}» and «{b.surface}» trade places in the {language_name(view.lang)} version: it puts "
        f"«{b.surface}» first, where the source and {', '.join(keepers)} put «{a.surface}» first, with the same "
        f"words between them ({', '.join(shared[:6])})",
        ids(ctx.source, [i]),
        {
            "names": [a.surface, b.surface],
            "relation": shared,
            "kept_by": keepers,
            "compared_with": len(compared),
            "version_visible": visible,
            "pair": k,
        },
    )
    return (visible, len(here.between & placed[related[0]].between)), flag, k
