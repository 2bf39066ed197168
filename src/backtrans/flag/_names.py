"""Names of the source that a version lost or changed into another entity (``name_mismatch``).

Source-anchored: every name of a source paragraph (acronyms, capitalised names,
names repeated in the article) must be found in the version's back-translation
of that paragraph, or in the version text itself where it is written in Latin
letters. Matching survives what round trips do to names: case, accents and
apostrophes, transliteration wobble (Syarifuddin/Sharifuddin, Hasan/Hassan,
Mas'ud/Masudo) through a fuzzy ratio (rapidfuzz) and a consonant skeleton; an
acronym also counts as kept when the back-translation spells it out the way
the source defines it ("Komisi Pemberantasan Korupsi (KPK)"), the way the
table of common acronyms allows (:data:`backtrans.flag._lexicon.COMMON_ACRONYMS`), or
with words whose initials spell it. A dateline ("JAKARTA -") is not a name.

Other versions are a severity booster, not a requirement: a name this version
lost while most others kept it is high; lost where no other version can be
compared, medium; lost by every one of three or more versions, not flagged
(the name is something every translation renders as ordinary words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.languages import CJK_LANGS, base_lang, language_name, script_of
from ..types import TITLE_PARAGRAPH, Flag
from ._acronyms import (
    defined_spans,
    definitions,
    initials_found,
    long_form_found,
    redefined,
    table_rendering_found,
    written,
)
from ._dates import month_names, weekday_names
from ._lexicon import COMMON_ACRONYMS, GENERIC_INSTITUTION_WORDS, NOT_NAMES
from ._places import territory_found, territory_in
from ._words import TOKEN, Candidates, candidates_of, ordinary_word, skeleton, split_tokens, zipf_in
from .common import TEXT_CACHE, Add, ArticleContext, Source, VersionView, ids

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý .,'’/-]{2,40}?\s*(?:\([^)]{0,30}\)\s*)?[-–—]+\s+")
_CONNECTORS = frozenset(["bin", "binti", "al", "el", "van", "der", "de", "da", "von", "dos", "la", "le"])
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_SENTENCE_OPENERS = '.!?"“«(:–—-'


@dataclass(frozen=True)
class Name:
    """A name of the source: how it is written and the tokens that must be found."""

    surface: str
    keys: tuple[str, ...]  #: tokens to find (a run's rare tokens, or the acronym itself)
    acronym: bool = False
    #: only ordinary (if uncommon) words, e.g. "Direktur Penyidikan": versions may translate it, so it is
    #: flagged only where other versions keep it
    translatable: bool = False


def _is_acronym(token: str) -> bool:
    if token in COMMON_ACRONYMS or token.upper() in COMMON_ACRONYMS and token.isupper():
        return True
    return bool(_ACRONYM.match(token)) and sum(c.isupper() for c in token) >= 2 and not _ROMAN.match(token)


def source_names(
    text: str,
    acronyms_only: bool = False,
    known: frozenset[str] = frozenset(),
    key_zipf: float = 4.5,
    lang: str = "id",
) -> list[Name]:
    """Names of one source text: acronyms, and runs of capitalised words with at least one rare token.

    ``acronyms_only`` for headlines (every word is capitalised there), except tokens in ``known``
    (names the article's body has). A sentence-initial capitalised word counts when it is rare in
    the source language (``lang``: its word frequencies, and for Indonesian its dictionary) or ``known``.
    A month or weekday name of the language (CLDR) is no name: "Tuesday", "Juli".
    """
    calendar = month_names(lang).full | weekday_names(lang).full
    text = _DATELINE.sub(lambda m: " " * len(m.group()), text, count=1)
    text = re.sub(r"\bUS(?=\s?\$)", "  ", text)  # US$: a currency, not a name
    text = re.sub(r"(?<=\bdolar)(\s+)AS\b", r"\1  ", text, flags=re.IGNORECASE)  # dolar AS: a currency
    defined = defined_spans(text)
    names: list[Name] = []
    run: list[str] = []
    matches = list(TOKEN.finditer(text))

    def close() -> None:
        keys = tuple(
            t
            for t in run
            if t.lower() not in _CONNECTORS
            and (zipf_in(t, lang) < key_zipf or not ordinary_word(t, lang) or t in known)
        )
        if keys:
            translatable = all(ordinary_word(t, lang) and t not in known for t in keys)
            names.append(Name(" ".join(run), keys, translatable=translatable))
        run.clear()

    for k, match in enumerate(matches):
        token = match.group().strip("'’.-")
        before = text[: match.start()].rstrip()
        gap = text[matches[k - 1].end() : match.start()] if k else ""
        if run and (gap.strip() or "\n" in gap):
            close()
        if (
            any(c.isdigit() for c in token)
            or token in NOT_NAMES
            or token.casefold() in calendar
            or any(s <= match.start() < e for s, e in defined)
        ):
            close()  # amounts and codes (the number check's), titles and ranks, long forms of defined acronyms
            continue
        if _is_acronym(token):
            close()
            names.append(Name(token, (token,), acronym=True))
            continue
        capitalised = token[:1].isupper() and not token.isupper() or (len(token) > 1 and token in known)
        if not capitalised:
            if run and token.lower() in _CONNECTORS:
                run.append(token)
                continue
            close()
            continue
        initial = not before or before[-1] in _SENTENCE_OPENERS
        if acronyms_only and token not in known:
            close()
            continue
        if initial and not run and not (token in known or not ordinary_word(token, lang)):
            continue  # capitalised for grammar, not a name
        run.append(token)
    close()
    unique: dict[str, Name] = {}
    for name in names:
        unique.setdefault(name.surface, name)
    return list(unique.values())


def name_found(
    name: Name,
    back: str,
    version: str,
    latin: bool,
    defined: dict[str, tuple[str, ...]],
    fuzzy: float,
    source_text: str = "",
) -> bool:
    """Whether a source name is in a back-translation, or in the version itself.

    An acronym kept verbatim counts in any script ("印尼KPK表示", "KPKの"); other names are looked for
    in the version text only when it is written in Latin letters. A version in Latin letters keeps a name as
    it is spelled (Rahmat is not Rahman), so there the spelling must match; a name read back from another
    script (zh, ja, ar) is matched with transliteration's tolerance (fuzzy ratio, phonetic form, skeleton).
    """
    if name.acronym:
        if redefined(name.surface, back, defined, fuzzy, source_text):
            return False
        if written(name.surface, back, version):
            return True
    place = territory_in(name.surface)  # a country by another of its CLDR names: AS / Amerika Serikat / 美国
    if place and set(name.keys) <= set(place.split()) and territory_found(place, back, version):
        return True
    latin_text = version if latin else ""
    candidates = candidates_of(back, latin_text)
    if name.acronym:
        if table_rendering_found(name.surface, candidates, fuzzy):
            return True
        if name.surface in defined and long_form_found(defined[name.surface], candidates, fuzzy):
            return True
        return initials_found(name.surface, back) or initials_found(name.surface, latin_text)
    if latin:
        found = sum(candidates.exact_match(key) for key in name.keys)
        if found < len(name.keys) and _respelled(name, version or back, source_text) is not None:
            return False  # "Irwan Santoso" written "Irwan Susanto": another name, not a shorter form
    else:
        found = sum(candidates.token_match(key, fuzzy) for key in name.keys)
    return found * 2 >= len(name.keys)


@lru_cache(maxsize=TEXT_CACHE)
def _words_of(text: str) -> Candidates:
    return Candidates(split_tokens(text))


def _respelled(name: Name, text: str, source_text: str) -> tuple[str, str] | None:
    """A key of the name and the token of a version in Latin letters that writes it with letters changed,
    where the key itself is not written (a surname alone, a given name alone are short forms, not this)."""
    candidates = candidates_of(text)
    words = _words_of(text)  # tokens as written: no neighbours joined ("Hidayah a" is not "Hidayaha")
    source = candidates_of(source_text)
    for key in name.keys:
        if not candidates.exact_match(key) and (near := words.respelled(key, source)) is not None:
            return key, near
    return None


def _near_miss(
    name: Name,
    back: str,
    version: str,
    latin: bool,
    defined: dict[str, tuple[str, ...]],
    fuzzy: float,
    source_text: str = "",
) -> str | None:
    """A near form of a lost name: the route's noise more often than another name.

    From another script (zh, ja, ar), a transliteration that wobbled past the fuzzy match (Luwu/Ruwu) or, for
    an acronym, the head noun of its long form ("Komisi" for the Komisi Pemberantasan Korupsi, KPK). In a
    version in Latin letters, a spelling at least ``fuzzy`` alike (Sumatera/Sumatra, an exonym; but also
    Rahmat/Rahman, another person: the flag stays, less sure). A name of several tokens whose other tokens
    the version writes exactly and one respelled ("Irwan Santoso" as "Irwan Susanto"): a near form only where
    the respelling keeps the consonant skeleton, as spelling conventions do (Sumatera/Sumatra,
    Muhammad/Mohammad); with other consonants it is another name."""
    if latin and len(name.keys) > 1 and (respelled := _respelled(name, version or back, source_text)) is not None:
        key, token = respelled
        return token if skeleton(key) == skeleton(token) else None
    candidates = candidates_of(back, version if latin else "")
    if name.acronym:
        head = defined.get(name.surface, ())[:1]
        return head[0] if head and candidates.exact_match(head[0]) else None
    for key in name.keys:
        if candidates.exact_match(key) if latin else candidates.token_match(key, fuzzy):
            continue  # a kept token (the place in "Kepala Dinas Kesehatan Garut Asep …") is no near form of the lost
        near = candidates.alike(key, fuzzy) if latin else candidates.near(key)
        if near is not None:
            return near
    return None


def known_names(source: Source, lang: str = "id") -> frozenset[str]:
    """Capitalised words the body uses mid-sentence (so they are names wherever they stand)."""
    known: set[str] = set()
    for seg in source:
        if seg.paragraph == TITLE_PARAGRAPH:
            continue
        for name in source_names(seg.text, lang=lang):
            if not name.acronym and not name.translatable:
                known.update(name.keys)
    return frozenset(known)


def article_names(ctx: ArticleContext, known: frozenset[str]) -> dict[str, Name]:
    """Every distinctive name of the article's body (not the headline), by surface, in order of appearance."""
    article: dict[str, Name] = {}
    for seg in ctx.source:
        if seg.paragraph != TITLE_PARAGRAPH:
            for name in source_names(seg.text, False, known, ctx.thresholds.name_key_zipf, ctx.source_lang):
                if not name.translatable:
                    article.setdefault(name.surface, name)
    return article


#: a later mention replaced by "the agency", "the group" (an organisation) or "he", "they" (a person)
_ANAPHOR_THING = re.compile(
    r"\b(?:badan|lembaga|kelompok|organisasi|komisi|perusahaan|pengadilan|bank|otoritas|institusi|instansi|"
    r"kementerian|partai|jaringan|grup|geng|tim|bursa|pasangan|emiten|komite|dewan|kantor|dinas)"
    r"(?:\s+\w+){0,2}\s+(?:tersebut|itu|ini)\b|\bpihaknya\b",
    re.IGNORECASE,
)
_ANAPHOR_PERSON = re.compile(r"\b(?:dia|ia|beliau|mereka|keduanya|pihaknya)\b", re.IGNORECASE)


def paragraph_texts(ctx: ArticleContext, view: VersionView, p: int) -> tuple[str, str] | None:
    """The back-translation and the version text of everything aligned with source paragraph ``p``."""
    source, join = ctx.source, ctx.join
    links = [k for k, link in enumerate(view.links) if link.source and source[link.source[0]].paragraph == p]
    if not any(view.links[k].back for k in links):
        return None  # omitted as a whole: the omission flag says it
    back = join([view.back_text(view.links[k], join) for k in links])
    return back, join([view.version_text(view.links[k], join) for k in links])


def sentence_back(ctx: ArticleContext, view: VersionView, i: int) -> str:
    """The back-translation aligned with source segment ``i`` (empty where it was omitted)."""
    k = ctx.link_of(view.lang, i)
    return view.back_text(view.links[k], ctx.join) if k is not None else ""


def flag_names(ctx: ArticleContext, add: Add) -> None:
    """One flag per source paragraph × name × version that lost it."""
    views, source, source_lang, join, thresholds = ctx.views, ctx.source, ctx.source_lang, ctx.join, ctx.thresholds
    if base_lang(source_lang) in CJK_LANGS or not views:
        return
    source_text = join([s.text for s in source])
    defined = definitions(source_text)
    known = known_names(source, source_lang)
    fuzzy = thresholds.name_fuzzy
    article = article_names(ctx, known)  #: every name of the body, for what may stand in a lost name's place
    seen: dict[str, set[str]] = {view.lang: set() for view in views}  #: names each version kept so far
    for p in sorted({seg.paragraph for seg in source}):
        names: dict[str, tuple[Name, int]] = {}
        for i, seg in enumerate(source):
            if seg.paragraph == p:
                for name in source_names(seg.text, p == TITLE_PARAGRAPH, known, thresholds.name_key_zipf, source_lang):
                    names.setdefault(name.surface, (name, i))
        texts = {view.lang: t for view in views if (t := paragraph_texts(ctx, view, p)) is not None}
        found = {
            lang: {
                s: name_found(n, back, version, script_of(lang) == "latin", defined, fuzzy, source_text)
                for s, (n, _) in names.items()
            }
            for lang, (back, version) in texts.items()
        }
        for lang, kept in found.items():
            view = ctx.view(lang)
            latin = script_of(lang) == "latin"
            back, version = texts[lang]
            for surface, (name, i) in names.items():
                if kept[surface]:
                    continue
                others = [o for o in found if o != lang]
                keepers = sorted(o for o in others if found[o][surface])
                sentence = sentence_back(ctx, view, i)
                substitute = _substitute(name, names, article, sentence, version if latin else "", latin, ctx)
                if substitute is None and name.acronym:
                    substitute = redefined(surface, back, defined, fuzzy, source_text) or _new_body(
                        sentence, source_text, [texts[o][0] for o in others]
                    )
                anaphor = _ANAPHOR_THING if name.acronym else _ANAPHOR_PERSON
                if surface in seen[lang] and substitute is None and anaphor.search(sentence):
                    continue  # a later mention rendered as "the agency" or "he" in the same sentence
                majority = len(keepers) >= 2 and 2 * len(keepers) >= len(others)
                alone = bool(others) and len(keepers) == len(others)
                if (len(others) >= 3 and not keepers) or (name.translatable and not alone):
                    continue  # rendered in ordinary words by every translation, or (a common noun) by more than one
                if p == TITLE_PARAGRAPH and (not majority or name.surface in COMMON_ACRONYMS):
                    continue  # headlines are rewritten freely: only a distinctive name most other headlines keep
                near = None if substitute else _near_miss(name, back, version, latin, defined, fuzzy, source_text)
                k = ctx.link_of(lang, i)
                by = f" (kept by {', '.join(keepers)})" if keepers else ""
                respelled = _respelled(name, version or back, source_text) if latin and not name.acronym else None
                instead = f", which has «{substitute}» there instead" if substitute else ""
                if respelled and not substitute:
                    instead = f", which writes «{respelled[1]}» for «{respelled[0]}»"
                add(
                    lang,
                    Flag(
                        "name_mismatch",
                        "high" if majority or substitute else "medium",
                        f"«{name.surface}» is missing from the {language_name(lang)} version "
                        f"and its back-translation{instead}{by}",
                        ids(source, [i]),
                        {
                            "name": name.surface,
                            "kept_by": keepers,
                            "compared_with": len(others),
                            "version_visible": latin,
                            "substitute": substitute,
                            "near_miss": near,
                            "pair": k,
                            "paragraph": p,
                        },
                    ),
                    k,
                )
        for lang, kept in found.items():
            seen[lang].update(s for s, ok in kept.items() if ok)


#: a body's name: its kind ("Badan", "Komisi", "Kementerian" …), then capitalised words
_BODY = re.compile(r"\b(?:[A-Z][\w'’-]*\s+){0,2}(?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*)+")


def _new_body(back: str, source_text: str, other_backs: list[str]) -> str | None:
    """A body that stands in a sentence's back-translation although neither the source article nor any other
    version's back-translation of the paragraph names it: what an acronym was expanded into ("Badan SAR
    Nasional" where the source has BMKG)."""
    known = candidates_of(source_text, *other_backs)
    for match in _BODY.finditer(back):
        words = match.group().split()
        if not any(w.casefold() in GENERIC_INSTITUTION_WORDS for w in words):
            continue  # not a body's name (a person, a place)
        distinctive = [w for w in words if w.casefold() not in GENERIC_INSTITUTION_WORDS]
        if distinctive and not any(known.exact_match(w) for w in distinctive):
            return match.group()
    return None


def _substitute(
    lost: Name,
    here: dict[str, tuple[Name, int]],
    article: dict[str, Name],
    back: str,
    version: str,
    latin: bool,
    ctx: ArticleContext,
) -> str | None:
    """Another name of the article that stands in the lost name's sentence although the source sentence does
    not have it (a quotation given to another speaker, a body swapped for another of the same story)."""
    if not back and not version:
        return None
    fuzzy = ctx.thresholds.name_fuzzy
    present = {key.casefold() for name, _ in here.values() for key in name.keys}
    for surface, other in article.items():
        if surface in here or other.acronym != lost.acronym:
            continue  # an acronym stands for a body, a run of capitalised words for a person or a place
        if {key.casefold() for key in other.keys} & present:
            continue  # a fuller or shorter form of a name the sentence has ("Arief" and "Arief Permana")
        if name_found(other, back, version, latin, {}, fuzzy):
            return surface
    return None
