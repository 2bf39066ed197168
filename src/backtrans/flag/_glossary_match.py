"""The glossary on the texts: ``glossary_term``, and the glossary's word in the name and term rules.

A term is found in the source by its words' stems (Indonesian: Sastrawi, so ``banjir rob`` is found in
``membanjiri``'s paragraph only where ``banjir rob`` stands, and ``Kebanjiran rob`` counts), case-blind
except for acronyms (``BPBD`` stays upper case). A rendering is looked for in the **version itself**, so
the rule holds with any back-translation model: in Latin and other spaced scripts as whole words
(case-blind, any spacing or hyphen, a plural ``s``), in Chinese and Japanese anywhere (no word
boundaries; full-width letters folded), in Arabic with and without diacritics and after the clitics
``و ف ب ك ل`` (``وللبنك``), before a short suffix. A do-not-translate term must stand verbatim (case kept).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..text.languages import SCRIPT_ARABIC, SCRIPT_CJK, base_lang, language_name, script_of
from ..text.segment import Join
from ..types import Flag
from ._words import stem
from .common import Add, Source, VersionView, Views, clip, ids
from .glossary import Entry, Glossary

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_CLITICS = "وفبكل"
_ARABIC_SUFFIX = "(?:ة|ات|ين|ون|ان|ها|هم|هما|ه|ي|ك)?"
_SPACE = r"[\s\-‐‑]*"


def _key(token: str, source_lang: str) -> str:
    if len(token) > 1 and token.isupper():
        return "=" + token  # an acronym keeps its case
    if base_lang(source_lang) == "id" and token.isalpha():
        return stem(token)
    return token.casefold()


@lru_cache(maxsize=64)
def _index(glossary: Glossary, source_lang: str) -> dict[str, list[tuple[tuple[str, ...], Entry]]]:
    """First word's key → (every word's key, entry), longest terms first."""
    index: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    for entry in glossary.entries:
        keys = tuple(_key(t, source_lang) for t in _WORD.findall(entry.term))
        if keys:
            index.setdefault(keys[0], []).append((keys, entry))
    for found in index.values():
        found.sort(key=lambda item: -len(item[0]))
    return index


@lru_cache(maxsize=64)
def _by_word(glossary: Glossary, source_lang: str) -> dict[str, list[tuple[frozenset[str], Entry]]]:
    """Each word's key → the entries whose term holds it (with all their words' keys)."""
    index: dict[str, list[tuple[frozenset[str], Entry]]] = {}
    for found in _index(glossary, source_lang).values():
        for keys, entry in found:
            for key in set(keys):
                index.setdefault(key, []).append((frozenset(keys), entry))
    return index


def terms_in(glossary: Glossary, text: str, source_lang: str) -> list[Entry]:
    """The glossary's terms that stand in a source-language text, in the order they first stand there."""
    index = _index(glossary, source_lang)
    keys = [_key(t, source_lang) for t in _WORD.findall(text)]
    found: dict[str, Entry] = {}
    for start, first in enumerate(keys):
        for term_keys, entry in index.get(first, ()):
            if tuple(keys[start : start + len(term_keys)]) == term_keys:
                found.setdefault(entry.term, entry)
    return list(found.values())


def _fold(text: str, script: str, verbatim: bool) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    if script == SCRIPT_ARABIC:
        text = _ARABIC_MARKS.sub("", text)
    return text if verbatim else text.casefold()


@lru_cache(maxsize=1 << 14)
def _pattern(rendering: str, script: str, verbatim: bool) -> re.Pattern[str]:
    words = _fold(rendering, script, verbatim).split()
    body = _SPACE.join(re.escape(w) for w in words)
    if script == SCRIPT_CJK:
        return re.compile(body)
    if script == SCRIPT_ARABIC:
        variants = [body]
        if words and words[0].startswith("ال"):  # ل + ال → لل
            variants.append("لل" + _SPACE.join(re.escape(w) for w in [words[0][2:], *words[1:]]))
        clitics = f"(?:[{_ARABIC_CLITICS}]{{1,2}})?"
        return re.compile(f"(?<!\\w){clitics}(?:{'|'.join(variants)}){_ARABIC_SUFFIX}(?!\\w)")
    if not verbatim:  # inondation(s) côtière(s), pumping station(s)
        body = _SPACE.join(re.escape(w) + ("(?:s|es|x|'s)?" if w[-1:].isalpha() else "") for w in words)
    return re.compile(f"(?<!\\w){body}(?!\\w)")


def rendered(rendering: str, text: str, lang: str, verbatim: bool = False) -> bool:
    """Whether a version text in ``lang`` holds the rendering (see the module's description)."""
    script = script_of(lang)
    return bool(_pattern(rendering, script, verbatim).search(_fold(text, script, verbatim)))


def _paragraph_version(view: VersionView, source: Source, p: int, join: Join) -> str | None:
    """The version text aligned with source paragraph ``p`` (None: omitted as a whole, the omission flag's)."""
    if view.origin is None:  # a back-translation read without its origin: the whole version is the witness
        return join([s.text for s in view.segments])
    links = [link for link in view.links if link.source and source[link.source[0]].paragraph == p]
    if not any(link.back for link in links):
        return None
    return join([view.version_text(link, join) for link in links if link.back])


def _link_of(view: VersionView, index: int) -> int | None:
    return next((k for k, link in enumerate(view.links) if index in link.source), None)


def flag_glossary(glossary: Glossary, views: Views, source: Source, source_lang: str, join: Join, add: Add) -> None:
    """One ``glossary_term`` per source paragraph × term × version that renders it none of the accepted ways."""
    for p in sorted({seg.paragraph for seg in source}):
        hits: dict[str, tuple[Entry, int]] = {}
        for i, seg in enumerate(source):
            if seg.paragraph == p:
                for entry in terms_in(glossary, seg.text, source_lang):
                    hits.setdefault(entry.term, (entry, i))
        if not hits:
            continue
        for view in views:
            text = _paragraph_version(view, source, p, join)
            if text is None:
                continue
            for entry, i in hits.values():
                accepted = entry.accepted(view.lang)
                if not accepted or any(rendered(r, text, view.lang, entry.keep) for r in accepted):
                    continue
                k = _link_of(view, i)
                instead = view.version_text(view.links[k], join) if k is not None else ""
                add(view.lang, _flag(entry, accepted, view.lang, clip(instead or text, 160), ids(source, [i]), k), k)


def _flag(
    entry: Entry, accepted: Sequence[str], lang: str, instead: str, segments: tuple[str, ...], k: int | None
) -> Flag:
    how = "kept verbatim" if entry.keep else " or ".join(f"«{r}»" for r in accepted)
    message = (
        f"«{entry.term}» is not in the {language_name(lang)} version as written (glossary: do not translate)"
        if entry.keep
        else f"«{entry.term}» should be {how} in the {language_name(lang)} version (glossary)"
    )
    evidence = {
        "term": entry.term,
        "accepted": list(accepted),
        "version": instead,
        "do_not_translate": entry.keep,
        "note": entry.note,
        "pair": k,
    }
    # its confidence comes from the evidence model (confidence.py: a high prior, read on the version itself)
    return Flag("glossary_term", "medium", message, segments, evidence)


def respect_glossary(
    glossary: Glossary,
    views: Views,
    source: Source,
    source_lang: str,
    join: Join,
    out: dict[str, list[tuple[Flag, int | None]]],
) -> None:
    """Leave to the glossary each ``name_mismatch`` and ``changed_term`` whose word it knows: rendered as it
    accepts, the word is no mismatch; not rendered so, ``glossary_term`` says it (once, not twice)."""
    by_id = {seg.id: i for i, seg in enumerate(source)}
    for view in views:
        kept = []
        for flag, k in out.get(view.lang, []):
            word = flag.evidence.get("name") or flag.evidence.get("source_word")
            i = by_id.get(flag.segments[0]) if flag.segments else None
            if flag.code in ("name_mismatch", "changed_term") and isinstance(word, str) and i is not None:
                p = source[i].paragraph
                text = _paragraph_version(view, source, p, join) or ""
                paragraph = join([seg.text for seg in source if seg.paragraph == p])
                if _glossary_decides(glossary, word, text, paragraph, view.lang, source_lang):
                    continue
            kept.append((flag, k))
        out[view.lang] = kept


def _glossary_decides(glossary: Glossary, word: str, text: str, paragraph: str, lang: str, source_lang: str) -> bool:
    """A term of the glossary that is the word or holds it: rendered in ``text`` as accepted, or standing in the
    source ``paragraph`` (where ``glossary_term`` judges it)."""
    key = {_key(t, source_lang) for t in _WORD.findall(word)}
    if not key:
        return False
    standing = {entry.term for entry in terms_in(glossary, paragraph, source_lang)}
    for keys, entry in _by_word(glossary, source_lang).get(next(iter(key)), ()):
        accepted = entry.accepted(lang)
        if not accepted or not key <= keys:
            continue
        if entry.term in standing or any(rendered(r, text, lang, entry.keep) for r in accepted):
            return True
    return False
