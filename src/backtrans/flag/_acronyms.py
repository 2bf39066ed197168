"""Acronyms and their long forms: what a source defines ("Komisi Pemberantasan Korupsi (KPK)"), and
whether a back-translation keeps that body or spells the acronym out as another one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from ._lexicon import COMMON_ACRONYMS, GENERIC_INSTITUTION_WORDS
from ._words import INITIAL_SKIP, Candidates, candidates_of, ordinary_word, phrase_found, split_tokens

#: up to 8 capitalised words, none starting after a letter ("AAAA…" must not be tried at every letter;
#: "7-Day Reverse Repo Rate" starts at "Day")
_LONG_FORM = (
    r"(?:(?<![^\W\d_])[A-Z][\w'’-]*[\s,]+"
    r"(?:(?:dan|dari|di|untuk|&|of|for|and|the|on|de|du|des|la|le|et|pour|d')\s+)?){1,8}"
)


#: "Komisi Pemberantasan Korupsi (KPK)"
_DEFINED_AFTER = re.compile(rf"({_LONG_FORM})\(([A-Z][A-Za-z0-9]{{1,9}})\)")


#: "KPK (Komisi Pemberantasan Korupsi)": an upper-case acronym, then two or more capitalised words
_DEFINED_BEFORE = re.compile(rf"\b([A-Z][A-Z0-9]{{1,7}})\s*\(({_LONG_FORM}[A-Z][\w'’-]*)\)")


#: generic words of institution names that do not begin one ("… Keuangan dan Pembangunan", "… Daerah")
_NOT_A_HEAD = frozenset(
    [
        "nasional",
        "negara",
        "negeri",
        "republik",
        "indonesia",
        "umum",
        "daerah",
        "provinsi",
        "kabupaten",
        "kota",
        "tinggi",
        "agung",
        "besar",
        "pusat",
        "the",
        "of",
        "and",
    ]
)


def definitions(text: str) -> dict[str, tuple[str, ...]]:
    """Acronyms the source defines: ``"Komisi Pemberantasan Korupsi (KPK)"`` → ``{"KPK": (words…)}``."""
    out: dict[str, tuple[str, ...]] = {}
    for match in _DEFINED_AFTER.finditer(text):
        long_form = match.group(1)[_last_body(match.group(1)) :]
        words = tuple(w for w in split_tokens(long_form) if w.lower() not in INITIAL_SKIP)
        if words:  # "De (ZZ)" defines nothing
            out.setdefault(match.group(2), words[-8:])
    for match in _DEFINED_BEFORE.finditer(text):
        words = tuple(w for w in split_tokens(match.group(2)) if w.lower() not in INITIAL_SKIP)
        if len(words) >= 2:
            out.setdefault(match.group(1), words)
    return out


def defined_spans(text: str) -> list[tuple[int, int]]:
    """Where the long forms of defined acronyms stand (their acronym is checked instead)."""
    return [(m.start(1) + _last_body(m.group(1), office=False), m.end(1)) for m in _DEFINED_AFTER.finditer(text)] + [
        m.span(2) for m in _DEFINED_BEFORE.finditer(text)
    ]


#: "BNPT dan Badan Intelijen Negara (BIN)": a second body begins after "dan" or a comma with its kind
_NEXT_BODY = re.compile(r"(?:,\s*|\s+(?:dan|serta|and|&)\s+)(?=([A-Z]\w*))")


_OFFICE_TITLE = re.compile(
    r"(?:(?:Kepala|Ketua|Wakil|Direktur|Sekretaris|Pelaksana|Plt\.?|Deputi|Juru|Bicara|Anggota|Komisaris)"
    r"(?:\s+Utama)?\s+)+(?=[A-Z])"
)


def _last_body(long_form: str, office: bool = True) -> int:
    """Where the last body of a capitalised run begins (0 when it names one body): the long form of BIN
    in "BNPT dan Badan Intelijen Negara (BIN)" is "Badan Intelijen Negara", and BNPT stays a name of
    its own; "Badan Meteorologi, Klimatologi, dan Geofisika" is one body. An office before it is not
    part of it: "Kepala Pelaksana Badan Penanggulangan Bencana Daerah (BPBD)" (``office=False`` keeps it: the
    span of a long form, whose words are not names of their own either)."""
    title = _OFFICE_TITLE.match(long_form) if office else None
    start = title.end() if title else 0
    for match in _NEXT_BODY.finditer(long_form):
        if match.group(1).casefold() in GENERIC_INSTITUTION_WORDS and match.group(1).casefold() not in _NOT_A_HEAD:
            start = match.end()
    return start


def table_rendering_found(acronym: str, candidates: Candidates, fuzzy: float) -> bool:
    """One of the renderings the table of common acronyms allows for it, whole, among the candidates."""
    forms = [*COMMON_ACRONYMS.get(acronym, ()), *COMMON_ACRONYMS.get(acronym.upper(), ())]
    return any(phrase_found(split_tokens(form), candidates, fuzzy, share=1.0) for form in forms)


def _foreign(words: Sequence[str]) -> bool:
    """Most words of a long form are not Indonesian: the body's name left in another language."""
    return 2 * sum(not ordinary_word(w) for w in words) > len(words)


def _distinctive(words: Sequence[str]) -> list[str]:
    return [w for w in words if w.casefold() not in GENERIC_INSTITUTION_WORDS and w.casefold() not in INITIAL_SKIP]


def long_form_found(words: Sequence[str], candidates: Candidates, fuzzy: float) -> bool:
    """An acronym's long form, judged by the words that say which body it is (half of them, at least one)."""
    distinctive = _distinctive(words)
    if not distinctive:
        return phrase_found(words, candidates, fuzzy)
    return phrase_found(distinctive, candidates, fuzzy, share=0.5)


@lru_cache(maxsize=1024)
def _written_pattern(acronym: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(acronym)}(?![A-Za-z0-9])")


def written(acronym: str, *texts: str) -> bool:
    """Whether an acronym stands as written in any of the texts, in any script ("印尼KPK表示", "KPKの"), not as
    part of a longer Latin word or code."""
    pattern = _written_pattern(acronym)
    return any(pattern.search(text) for text in texts)


def redefined(
    acronym: str, back: str, defined: dict[str, tuple[str, ...]], fuzzy: float, source_text: str = ""
) -> str | None:
    """The long form of another entity that the back-translation spells the source's defined acronym out as
    (None when it does not).

    "Badan Pengawasan Keuangan dan Pembangunan (BPKP)" back as "Badan Pemeriksa Keuangan Tertinggi (BPKP)";
    "Otoritas Jasa Keuangan (OJK)" back as "Partai Komunis (OJK)". A long form made only of words the source
    itself has ("dewan lokal Kabupaten Grobogan (DPRD)": a place of the article) names no other entity, and
    the body's right long form under another acronym ("Bursa Efek Indonesia (IDX)") is the same body.
    """
    if acronym not in defined:
        return None
    wanted = defined[acronym]
    in_source = candidates_of(source_text) if source_text else None
    for other, words in definitions(back).items():
        if len(words) < 2:
            continue  # "pusat penahanan Salemba (Rutan)": one capitalised word is a place, not a long form
        if other != acronym:
            if _stands_in(other, words, wanted, fuzzy, source_text):
                return f"{' '.join(words)} ({other})"
            continue
        spelled = candidates_of(" ".join(words))
        if table_rendering_found(acronym, spelled, fuzzy) or (
            _foreign(words) and initials_found(acronym, " ".join(words))
        ):
            continue  # a rendering the table allows ("Mahkamah Audit Indonesia (BPK)"), or the body's own
            # name in another language, whose initials spell it ("Badminton World Federation (BWF)"); an
            # Indonesian expansion made up from the letters ("Komisi Pemilihan Kota (KPK)") is not
        if _another_defined_body(acronym, words, wanted, defined):
            return " ".join(words)  # "Komisi Pemilihan (Bawaslu)" where the article's KPU is "Komisi Pemilihan Umum"
        distinctive = _distinctive(words)
        if in_source is not None and distinctive and all(in_source.token_match(w, fuzzy) for w in distinctive):
            continue  # only words of the article itself: a place or a paraphrase, not another entity
        if _distinctive(wanted) and not phrase_found(_distinctive(wanted), spelled, fuzzy, share=0.01):
            return " ".join(words)  # not one word of what the source calls it
        if _another_body(acronym, wanted, spelled, defined, fuzzy):
            return " ".join(words)  # what another body is called
    return None


def _stands_in(other: str, words: Sequence[str], wanted: Sequence[str], fuzzy: float, source_text: str) -> bool:
    """Another acronym, which the article never writes, defined with a long form of the same kind as the source's
    but without all the words that say which body it is: "Otoritas Pasar Keuangan (AMF)" where the source has
    "Otoritas Jasa Keuangan (OJK)" is the French market regulator standing in its place. The body's own long form
    under its international acronym ("Bursa Efek Indonesia (IDX)" for BEI) is the same body."""
    if not source_text or written(other, source_text):
        return False
    distinctive = _distinctive(wanted)
    spelled = candidates_of(" ".join(words))
    if not distinctive or phrase_found(distinctive, spelled, fuzzy, share=1.0):
        return False  # every word that names the source's body: the same body
    same_kind = words[0].casefold() == wanted[0].casefold() and words[0].casefold() in GENERIC_INSTITUTION_WORDS
    return same_kind and phrase_found(distinctive, spelled, fuzzy, share=0.01)


@cache
def _official_long_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The table's acronyms with their official long form (its first entry, when that is a name of two
    words or more): ("BPK", ("Badan", "Pemeriksa", "Keuangan")), …"""
    out = []
    for acronym, forms in COMMON_ACRONYMS.items():
        words = tuple(w for w in split_tokens(forms[0]) if w.lower() not in INITIAL_SKIP) if forms else ()
        if len(words) >= 2 and words[0][:1].isupper():
            out.append((acronym, words))
    return tuple(out)


def _another_body(
    acronym: str, wanted: Sequence[str], spelled: Candidates, defined: dict[str, tuple[str, ...]], fuzzy: float
) -> bool:
    """The back-translation spells the acronym out as the long form of another body (one the table or the
    source itself defines) that the source's long form is not: BPKP, "Badan Pengawasan Keuangan dan
    Pembangunan", back as "Badan Pemeriksa Keuangan Tertinggi (BPKP)", which is BPK, the audit board."""
    wanted_candidates = candidates_of(" ".join(wanted))
    for other, words in (*_official_long_forms(), *defined.items()):
        if other == acronym or not words or words[0].casefold() not in GENERIC_INSTITUTION_WORDS:
            continue  # a body is named by its kind first ("Badan …", "Komisi …"); a place is not a body
        distinctive = _distinctive(words)
        if (
            distinctive
            and phrase_found(distinctive, spelled, fuzzy, share=1.0)
            and not phrase_found(distinctive, wanted_candidates, fuzzy, share=1.0)
        ):
            return True
    return False


def _head(words: Sequence[str]) -> str | None:
    """The kind of body a long form names, its first word ("Badan", "Komisi", "Kementerian"), or None."""
    head = words[0].casefold() if words else ""
    return head if head in GENERIC_INSTITUTION_WORDS and head not in _NOT_A_HEAD else None


def _another_defined_body(
    acronym: str, words: Sequence[str], wanted: Sequence[str], defined: dict[str, tuple[str, ...]]
) -> bool:
    """The back-translation spells the acronym out in words all taken from the long form of another body the
    article defines, headed by that body's kind, which the acronym's own long form does not have: Bawaslu,
    "Badan Pengawas Pemilihan Umum", back as "Komisi Pemilihan (Bawaslu)" in an article whose KPU is the
    "Komisi Pemilihan Umum". Words of the article alone name no other body ("dewan lokal Kabupaten Grobogan");
    words of another body under the acronym's own kind are a paraphrase of it ("Badan Pengawas Pemilu")."""
    head = _head(words)
    if head is None or candidates_of(" ".join(wanted)).word_match(words[0]):
        return False
    for other, long_form in defined.items():
        if other == acronym or _head(long_form) != head:
            continue
        spelled = candidates_of(" ".join(long_form))
        if all(spelled.word_match(w) for w in words if w.lower() not in INITIAL_SKIP):
            return True
    return False


def initials_found(acronym: str, text: str) -> bool:
    """A run of capitalised words whose last words' initials spell the acronym exactly:
    BNPB ← "Badan Nasional Penanggulangan Bencana" (also after a title: "Kepala Badan …"), but
    KPK is not "Ketua Partai Komunis Korea"."""
    letters = acronym.upper()
    if len(letters) < 2:
        return False
    run: list[str] = []
    for token in [*split_tokens(text), "."]:
        if token[:1].isupper():
            run.append(token)
            continue
        if run and token.lower() in INITIAL_SKIP:
            continue  # "Badan Meteorologi, Klimatologi, dan Geofisika"
        initials = "".join(w[0].upper() for w in run)
        if any(initials[k:] == letters for k in range(len(initials))):
            return True
        run = []
    return False
