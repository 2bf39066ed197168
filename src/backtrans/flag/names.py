"""Names of the source that a version lost or changed into another entity (``name_mismatch``).

Source-anchored: every name of a source paragraph (acronyms, capitalised names,
names repeated in the article) must be found in the version's back-translation
of that paragraph, or in the version text itself where it is written in Latin
letters. Matching survives what round trips do to names: case, accents and
apostrophes, transliteration wobble (Syarifuddin/Sharifuddin, Hasan/Hassan,
Mas'ud/Masudo) through a fuzzy ratio (rapidfuzz) and a consonant skeleton; an
acronym also counts as kept when the back-translation spells it out the way
the source defines it ("Komisi Pemberantasan Korupsi (KPK)"), the way the
table of common acronyms allows (:data:`backtrans.flag.lexicon.COMMON_ACRONYMS`), or
with words whose initials spell it. A dateline ("JAKARTA -") is not a name.

Other versions are a severity booster, not a requirement: a name this version
lost while most others kept it is high; lost where no other version can be
compared, medium; lost by every one of three or more versions, not flagged
(the name is something every translation renders as ordinary words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import Thresholds
from ..text.languages import CJK_LANGS, base_lang, language_name, script_of
from ..text.segment import Join
from ..types import TITLE_PARAGRAPH, Flag
from .acronyms import defined_spans, definitions, initials_found, long_form_found, redefined, table_rendering_found
from .common import Add, Source, VersionView, Views, ids
from .dates import month_names, weekday_names
from .lexicon import COMMON_ACRONYMS, NOT_NAMES
from .places import territory_found, territory_in
from .words import TOKEN, candidates_of, ordinary_word, zipf_in

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
    name: Name, back: str, version: str, latin: bool, defined: dict[str, tuple[str, ...]], fuzzy: float
) -> bool:
    """Whether a source name is in a back-translation, or in the version itself.

    An acronym kept verbatim counts in any script ("印尼KPK表示", "KPKの"); other names are looked for
    in the version text only when it is written in Latin letters.
    """
    if name.acronym:
        if redefined(name.surface, back, defined, fuzzy):
            return False
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(name.surface)}(?![A-Za-z0-9])")
        if pattern.search(back) or pattern.search(version):
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
    found = sum(candidates.token_match(key, fuzzy) for key in name.keys)
    return found * 2 >= len(name.keys)


def _known_names(source: Source, lang: str = "id") -> frozenset[str]:
    """Capitalised words the body uses mid-sentence (so they are names wherever they stand)."""
    known: set[str] = set()
    for seg in source:
        if seg.paragraph == TITLE_PARAGRAPH:
            continue
        for name in source_names(seg.text, lang=lang):
            if not name.acronym and not name.translatable:
                known.update(name.keys)
    return frozenset(known)


#: a later mention replaced by "the agency", "the group" (an organisation) or "he", "they" (a person)
_ANAPHOR_THING = re.compile(
    r"\b(?:badan|lembaga|kelompok|organisasi|komisi|perusahaan|pengadilan|bank|otoritas|institusi|instansi|"
    r"kementerian|partai|jaringan|grup|geng|tim|bursa|pasangan|emiten|komite|dewan|kantor|dinas)"
    r"(?:\s+\w+){0,2}\s+(?:tersebut|itu|ini)\b|\bpihaknya\b",
    re.IGNORECASE,
)
_ANAPHOR_PERSON = re.compile(r"\b(?:dia|ia|beliau|mereka|keduanya|pihaknya)\b", re.IGNORECASE)


def _paragraph_texts(view: VersionView, source: Source, p: int, join: Join) -> tuple[str, str] | None:
    """The back-translation and the version text of everything aligned with source paragraph ``p``."""
    links = [k for k, link in enumerate(view.links) if link.source and source[link.source[0]].paragraph == p]
    if not any(view.links[k].back for k in links):
        return None  # omitted as a whole: the omission flag says it
    back = join([view.back_text(view.links[k], join) for k in links])
    return back, join([view.version_text(view.links[k], join) for k in links])


def flag_names(views: Views, source: Source, source_lang: str, join: Join, thresholds: Thresholds, add: Add) -> None:
    """One flag per source paragraph × name × version that lost it."""
    if base_lang(source_lang) in CJK_LANGS or not views:
        return
    defined = definitions(join([s.text for s in source]))
    known = _known_names(source, source_lang)
    seen: dict[str, set[str]] = {view.lang: set() for view in views}  #: names each version kept so far
    for p in sorted({seg.paragraph for seg in source}):
        names: dict[str, tuple[Name, int]] = {}
        for i, seg in enumerate(source):
            if seg.paragraph == p:
                for name in source_names(seg.text, p == TITLE_PARAGRAPH, known, thresholds.name_key_zipf, source_lang):
                    names.setdefault(name.surface, (name, i))
        texts = {view.lang: t for view in views if (t := _paragraph_texts(view, source, p, join)) is not None}
        found = {
            lang: {
                s: name_found(n, back, version, script_of(lang) == "latin", defined, thresholds.name_fuzzy)
                for s, (n, _) in names.items()
            }
            for lang, (back, version) in texts.items()
        }
        for lang, kept in found.items():
            for surface, (name, i) in names.items():
                if kept[surface]:
                    continue
                anaphor = _ANAPHOR_THING if name.acronym else _ANAPHOR_PERSON
                if surface in seen[lang] and anaphor.search(texts[lang][0]):
                    continue  # a later mention rendered as "the agency" or "he"
                others = [o for o in found if o != lang]
                keepers = sorted(o for o in others if found[o][surface])
                majority = len(keepers) >= 2 and 2 * len(keepers) >= len(others)
                alone = bool(others) and len(keepers) == len(others)
                if (len(others) >= 3 and not keepers) or (name.translatable and not alone):
                    continue  # rendered in ordinary words by every translation, or (a common noun) by more than one
                if p == TITLE_PARAGRAPH and (not majority or name.surface in COMMON_ACRONYMS):
                    continue  # headlines are rewritten freely: only a distinctive name most other headlines keep
                k = _link_of(views, lang, i)
                by = f" (kept by {', '.join(keepers)})" if keepers else ""
                add(
                    lang,
                    Flag(
                        "name_mismatch",
                        "high" if majority else "medium",
                        f"«{name.surface}» is missing from the {language_name(lang)} version "
                        f"and its back-translation{by}",
                        ids(source, [i]),
                        {"name": name.surface, "kept_by": keepers, "pair": k, "paragraph": p},
                    ),
                    k,
                )
        for lang, kept in found.items():
            seen[lang].update(s for s, ok in kept.items() if ok)


def _link_of(views: Views, lang: str, source_index: int) -> int | None:
    view = next(v for v in views if v.lang == lang)
    return next((k for k, link in enumerate(view.links) if source_index in link.source), None)
