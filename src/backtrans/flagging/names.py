"""Names of the source that a version lost or changed into another entity (``name_mismatch``).

Source-anchored: every name of a source paragraph (acronyms, capitalised names,
names repeated in the article) must be found in the version's back-translation
of that paragraph, or in the version text itself where it is written in Latin
letters. Matching survives what round trips do to names: case, accents and
apostrophes, transliteration wobble (Syarifuddin/Sharifuddin, Hasan/Hassan,
Mas'ud/Masudo) through a fuzzy ratio (rapidfuzz) and a consonant skeleton; an
acronym also counts as kept when the back-translation spells it out the way
the source defines it ("Komisi Pemberantasan Korupsi (KPK)"), the way the
table of common acronyms allows (:data:`backtrans.lexicon.COMMON_ACRONYMS`), or
with words whose initials spell it. A dateline ("JAKARTA -") is not a name.

Other versions are a severity booster, not a requirement: a name this version
lost while most others kept it is high; lost where no other version can be
compared, medium; lost by every one of three or more versions, not flagged
(the name is something every translation renders as ordinary words).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from ..config import Thresholds
from ..languages import CJK_LANGS, base_lang, language_name, script_of
from ..lexicon import COMMON_ACRONYMS, GENERIC_INSTITUTION_WORDS, NOT_NAMES, STOPWORDS_ID
from ..segment import Join
from ..types import TITLE_PARAGRAPH, Flag
from .common import TEXT_CACHE, Add, Source, VersionView, Views, ids

_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý .,'’/-]{2,40}?\s*(?:\([^)]{0,30}\)\s*)?[-–—]+\s+")
_LONG_FORM = r"(?:[A-Z][\w'’-]*[\s,]+(?:(?:dan|dari|di|untuk|&)\s+)?){1,8}"
#: "Komisi Pemberantasan Korupsi (KPK)"
_DEFINED_AFTER = re.compile(rf"({_LONG_FORM})\(([A-Z][A-Za-z0-9]{{1,9}})\)")
#: "KPK (Komisi Pemberantasan Korupsi)": an upper-case acronym, then two or more capitalised words
_DEFINED_BEFORE = re.compile(rf"\b([A-Z][A-Z0-9]{{1,7}})\s*\(({_LONG_FORM}[A-Z][\w'’-]*)\)")
_CONNECTORS = frozenset(["bin", "binti", "al", "el", "van", "der", "de", "da", "von", "dos", "la", "le"])
_INITIAL_SKIP = frozenset(
    ["dan", "dari", "di", "untuk", "the", "of", "and", "for", "de", "la", "le", "du", "des", "et"]
)
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


#: words whose folds, stems and spellings are remembered (bounded: an archive's vocabulary is not)
WORD_CACHE = 1 << 16


@lru_cache(maxsize=WORD_CACHE)
def _zipf(word: str) -> float:
    return zipf_frequency(word.casefold(), "id")


@cache
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=WORD_CACHE)
def stem(word: str) -> str:
    """The Indonesian stem of a word (Sastrawi): pelantikan → lantik."""
    return str(_stemmer().stem(word.casefold()))


@cache
def _root_words() -> frozenset[str]:
    """Indonesian root words (Sastrawi's dictionary, about 30,000 words)."""
    from importlib import resources

    text = (resources.files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=WORD_CACHE)
def ordinary_word(token: str) -> bool:
    """A word of the Indonesian dictionary: a translation may render it in its own words.

    "Kalajengking", "Operasional", "Penyidikan" (sidik) are; "Hasanuddin", "Ghufron", "Reuters" are not.
    """
    word = token.casefold()
    roots = _root_words()
    return word in roots or word in STOPWORDS_ID or _zipf(word) >= 5.5 or stem(word) in roots


@lru_cache(maxsize=1 << 16)
def _fold(token: str) -> str:
    """Lower case, no accents, letters only: Mas'ud → masud."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


_SKELETON_PAIRS = (
    ("sy", "s"),
    ("sh", "s"),
    ("kh", "k"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("ch", "c"),
    ("dj", "j"),
    ("tj", "c"),
    ("oe", "u"),
    ("q", "k"),
    ("v", "b"),
    ("f", "p"),
    ("z", "j"),
    ("l", "r"),
    ("w", "u"),
    ("y", "i"),
    ("x", "ks"),
)


@lru_cache(maxsize=WORD_CACHE)
def skeleton(token: str) -> str:
    """A consonant skeleton that transliteration round trips keep: Syarifuddin, Sharifuddin → srpdn."""
    word = _fold(token)
    for a, b in _SKELETON_PAIRS:
        word = word.replace(a, b)
    word = word.replace("h", "")
    if not word:
        return ""
    rest = "".join(c for c in word[1:] if c not in "aeiou")
    out = word[0]
    for c in rest:
        if c != out[-1]:
            out += c
    return out


@lru_cache(maxsize=WORD_CACHE)
def _phonetic(token: str) -> str:
    """Spelling folded the way transliteration wobbles: Galih/Gari, Syafi'i/Shafii, Hasan/Hassan."""
    word = _fold(token)
    for a, b in _SKELETON_PAIRS:
        word = word.replace(a, b)
    word = word.replace("h", "")
    return re.sub(r"(.)\1+", r"\1", word)


def token_matches(wanted: str, candidate: str, fuzzy: float) -> bool:
    """A name's token found as one candidate token: the rule :meth:`Candidates.token_match` answers
    for all of a text's tokens at once."""
    a, b = _fold(wanted), _fold(candidate)
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= fuzzy:
        return True
    pa, pb = _phonetic(wanted), _phonetic(candidate)
    if len(pa) >= 3 and (pa == pb or min(len(pa), len(pb)) >= 4 and fuzz.ratio(pa, pb) >= fuzzy):
        return True
    skel_a = skeleton(wanted)
    return len(skel_a) >= 3 and skel_a == skeleton(candidate)


def _tokens(text: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(text)]


def _candidates(text: str) -> list[str]:
    """Tokens of a text, their hyphenated parts, and each pair of neighbours joined (Idul Fitri ↔ Idulfitri)."""
    tokens = _tokens(text)
    parts = [p for t in tokens if "-" in t for p in t.split("-") if p]
    return tokens + parts + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]


class Candidates:
    """The candidate tokens of a text (:func:`_candidates`), prepared so that "does any of them match?"
    is a few set lookups and one C-level fuzzy search instead of a loop over every token.
    ``any(token_matches(w, c, fuzzy) for c in tokens)`` is :meth:`token_match`, ``any(word_matches(w, c)
    for c in tokens)`` is :meth:`word_match` (tested). Each form is prepared when first asked for."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = [c for c in dict.fromkeys(tokens) if _fold(c)]  #: an empty fold matches nothing
        self.folded = frozenset(_fold(c) for c in self.tokens)

    @cached_property
    def long_folded(self) -> tuple[str, ...]:
        """Folds of 4 letters or more (the fuzzy match of token_matches)."""
        return tuple(f for f in self.folded if len(f) >= 4)

    @cached_property
    def longer_folded(self) -> tuple[str, ...]:
        """Folds of 6 letters or more (the fuzzy match of word_matches)."""
        return tuple(f for f in self.folded if len(f) >= 6)

    @cached_property
    def phonetic(self) -> frozenset[str]:
        return frozenset(_phonetic(c) for c in self.tokens)

    @cached_property
    def long_phonetic(self) -> tuple[str, ...]:
        return tuple(p for p in self.phonetic if len(p) >= 4)

    @cached_property
    def skeletons(self) -> frozenset[str]:
        return frozenset(skeleton(c) for c in self.tokens)

    def token_match(self, wanted: str, fuzzy: float) -> bool:
        """Whether :func:`token_matches` holds for ``wanted`` and any candidate."""
        a = _fold(wanted)
        if not a or not self.folded:
            return False
        if a in self.folded:
            return True
        if len(a) >= 4 and process.extractOne(a, self.long_folded, scorer=fuzz.ratio, score_cutoff=fuzzy) is not None:
            return True
        pa = _phonetic(wanted)
        if len(pa) >= 3 and (
            pa in self.phonetic
            or len(pa) >= 4
            and process.extractOne(pa, self.long_phonetic, scorer=fuzz.ratio, score_cutoff=fuzzy) is not None
        ):
            return True
        skel_a = skeleton(wanted)
        return len(skel_a) >= 3 and skel_a in self.skeletons

    def word_match(self, wanted: str) -> bool:
        """Whether :func:`word_matches` holds for ``wanted`` and any candidate."""
        a = _fold(wanted)
        if not a or not self.folded:
            return False
        if a in self.folded:
            return True
        if len(a) >= 6 and process.extractOne(a, self.longer_folded, scorer=fuzz.ratio, score_cutoff=92) is not None:
            return True
        root = stem(a)  # stems last, one candidate at a time: stemming a word the first time is slow
        return any(stem(f) == root for f in self.folded)


@lru_cache(maxsize=TEXT_CACHE)
def candidates_of(*texts: str) -> Candidates:
    """The :class:`Candidates` of some texts together (a paragraph's back-translation and version text are
    searched for every name of the source paragraph)."""
    return Candidates([c for text in texts for c in _candidates(text)])


def definitions(text: str) -> dict[str, tuple[str, ...]]:
    """Acronyms the source defines: ``"Komisi Pemberantasan Korupsi (KPK)"`` → ``{"KPK": (words…)}``."""
    out: dict[str, tuple[str, ...]] = {}
    for match in _DEFINED_AFTER.finditer(text):
        long_form = match.group(1)[_last_body(match.group(1)) :]
        words = tuple(w for w in _tokens(long_form) if w.lower() not in _INITIAL_SKIP)
        out.setdefault(match.group(2), words[-8:])
    for match in _DEFINED_BEFORE.finditer(text):
        words = tuple(w for w in _tokens(match.group(2)) if w.lower() not in _INITIAL_SKIP)
        if len(words) >= 2:
            out.setdefault(match.group(1), words)
    return out


def _defined_spans(text: str) -> list[tuple[int, int]]:
    """Where the long forms of defined acronyms stand (their acronym is checked instead)."""
    return [(m.start(1) + _last_body(m.group(1)), m.end(1)) for m in _DEFINED_AFTER.finditer(text)] + [
        m.span(2) for m in _DEFINED_BEFORE.finditer(text)
    ]


#: "BNPT dan Badan Intelijen Negara (BIN)": a second body begins after "dan" or a comma with its kind
_NEXT_BODY = re.compile(r"(?:,\s*|\s+(?:dan|serta|and|&)\s+)(?=([A-Z]\w*))")


_OFFICE_TITLE = re.compile(
    r"(?:(?:Kepala|Ketua|Wakil|Direktur|Sekretaris|Pelaksana|Plt\.?|Deputi|Juru|Bicara|Anggota|Komisaris)"
    r"(?:\s+Utama)?\s+)+(?=[A-Z])"
)


def _last_body(long_form: str) -> int:
    """Where the last body of a capitalised run begins (0 when it names one body): the long form of BIN
    in "BNPT dan Badan Intelijen Negara (BIN)" is "Badan Intelijen Negara", and BNPT stays a name of
    its own; "Badan Meteorologi, Klimatologi, dan Geofisika" is one body. An office before it is not
    part of it: "Kepala Pelaksana Badan Penanggulangan Bencana Daerah (BPBD)"."""
    title = _OFFICE_TITLE.match(long_form)
    start = title.end() if title else 0
    for match in _NEXT_BODY.finditer(long_form):
        if match.group(1).casefold() in GENERIC_INSTITUTION_WORDS and match.group(1).casefold() not in _NOT_A_HEAD:
            start = match.end()
    return start


def _is_acronym(token: str) -> bool:
    if token in COMMON_ACRONYMS or token.upper() in COMMON_ACRONYMS and token.isupper():
        return True
    return bool(_ACRONYM.match(token)) and sum(c.isupper() for c in token) >= 2 and not _ROMAN.match(token)


def source_names(
    text: str, acronyms_only: bool = False, known: frozenset[str] = frozenset(), key_zipf: float = 4.5
) -> list[Name]:
    """Names of one source text: acronyms, and runs of capitalised words with at least one rare token.

    ``acronyms_only`` for headlines (every word is capitalised there), except tokens in ``known``
    (names the article's body has). A sentence-initial capitalised word counts when it is rare in
    Indonesian or ``known``.
    """
    text = _DATELINE.sub(lambda m: " " * len(m.group()), text, count=1)
    text = re.sub(r"\bUS(?=\s?\$)", "  ", text)  # US$: a currency, not a name
    defined = _defined_spans(text)
    names: list[Name] = []
    run: list[str] = []
    matches = list(_TOKEN.finditer(text))

    def close() -> None:
        keys = tuple(
            t
            for t in run
            if t.lower() not in _CONNECTORS and (_zipf(t) < key_zipf or not ordinary_word(t) or t in known)
        )
        if keys:
            translatable = all(ordinary_word(t) and t not in known for t in keys)
            names.append(Name(" ".join(run), keys, translatable=translatable))
        run.clear()

    for k, match in enumerate(matches):
        token = match.group().strip("'’.-")
        before = text[: match.start()].rstrip()
        gap = text[matches[k - 1].end() : match.start()] if k else ""
        if run and (gap.strip() or "\n" in gap):
            close()
        if any(c.isdigit() for c in token) or token in NOT_NAMES or any(s <= match.start() < e for s, e in defined):
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
        if initial and not run and not (token in known or not ordinary_word(token)):
            continue  # capitalised for grammar, not a name
        run.append(token)
    close()
    unique: dict[str, Name] = {}
    for name in names:
        unique.setdefault(name.surface, name)
    return list(unique.values())


def word_matches(wanted: str, candidate: str) -> bool:
    """Ordinary words (of a long form, an expansion) match by spelling or stem, not by likeness:
    "penanganan" (handling) is not "penanggulangan" (countermeasure). The rule
    :meth:`Candidates.word_match` answers for all of a text's tokens at once."""
    a, b = _fold(wanted), _fold(candidate)
    if not a or not b:
        return False
    return a == b or stem(a) == stem(b) or (min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= 92)


def _phrase_found(words: Sequence[str], candidates: Candidates, fuzzy: float, share: float = 0.6) -> bool:
    keys = [w for w in words if w.lower() not in _INITIAL_SKIP]
    if not keys:
        return False
    if all(not ordinary_word(w) for w in keys):
        found = sum(candidates.token_match(w, fuzzy) for w in keys)
    else:
        found = sum(candidates.word_match(w) for w in keys)
    return found >= max(1, math.ceil(share * len(keys) - 1e-9))


def _distinctive(words: Sequence[str]) -> list[str]:
    return [w for w in words if w.casefold() not in GENERIC_INSTITUTION_WORDS and w.casefold() not in _INITIAL_SKIP]


def _long_form_found(words: Sequence[str], candidates: Candidates, fuzzy: float) -> bool:
    """An acronym's long form, judged by the words that say which body it is (half of them, at least one)."""
    distinctive = _distinctive(words)
    if not distinctive:
        return _phrase_found(words, candidates, fuzzy)
    return _phrase_found(distinctive, candidates, fuzzy, share=0.5)


def _redefined(acronym: str, back: str, defined: dict[str, tuple[str, ...]], fuzzy: float) -> bool:
    """The back-translation spells the source's defined acronym out as another entity.

    "Badan Pengawasan Keuangan dan Pembangunan (BPKP)" back as "Badan Pemeriksa Keuangan Tertinggi (BPKP)";
    "Otoritas Jasa Keuangan (OJK)" back as "Otoritas Pasar Keuangan (AMF)".
    """
    if acronym not in defined:
        return False
    wanted = defined[acronym]
    for other, words in definitions(back).items():
        spelled = candidates_of(" ".join(words))
        distinctive = _distinctive(wanted)
        if other == acronym and distinctive and not _phrase_found(distinctive, spelled, fuzzy, share=0.01):
            return True  # not one word of what the source calls it
        if other == acronym and _another_body(acronym, wanted, spelled, defined, fuzzy):
            return True  # what another body is called
        if other != acronym and other not in defined and _long_form_found(wanted, spelled, fuzzy):
            return True  # the body the source names, now under another acronym
    return False


@cache
def _official_long_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The table's acronyms with their official long form (its first entry, when that is a name of two
    words or more): ("BPK", ("Badan", "Pemeriksa", "Keuangan")), …"""
    out = []
    for acronym, forms in COMMON_ACRONYMS.items():
        words = tuple(w for w in _tokens(forms[0]) if w.lower() not in _INITIAL_SKIP) if forms else ()
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
        if other == acronym or words[0].casefold() not in GENERIC_INSTITUTION_WORDS:
            continue  # a body is named by its kind first ("Badan …", "Komisi …"); a place is not a body
        distinctive = _distinctive(words)
        if (
            distinctive
            and _phrase_found(distinctive, spelled, fuzzy, share=1.0)
            and not _phrase_found(distinctive, wanted_candidates, fuzzy, share=1.0)
        ):
            return True
    return False


def _initials_found(acronym: str, text: str) -> bool:
    """A run of capitalised words whose last words' initials spell the acronym exactly:
    BNPB ← "Badan Nasional Penanggulangan Bencana" (also after a title: "Kepala Badan …"), but
    KPK is not "Ketua Partai Komunis Korea"."""
    letters = acronym.upper()
    if len(letters) < 2:
        return False
    run: list[str] = []
    for token in [*_tokens(text), "."]:
        if token[:1].isupper():
            run.append(token)
            continue
        if run and token.lower() in _INITIAL_SKIP:
            continue  # "Badan Meteorologi, Klimatologi, dan Geofisika"
        initials = "".join(w[0].upper() for w in run)
        if any(initials[k:] == letters for k in range(len(initials))):
            return True
        run = []
    return False


def name_found(
    name: Name, back: str, version: str, latin: bool, defined: dict[str, tuple[str, ...]], fuzzy: float
) -> bool:
    """Whether a source name is in a back-translation, or in the version itself.

    An acronym kept verbatim counts in any script ("印尼KPK表示", "KPKの"); other names are looked for
    in the version text only when it is written in Latin letters.
    """
    if name.acronym:
        if _redefined(name.surface, back, defined, fuzzy):
            return False
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(name.surface)}(?![A-Za-z0-9])")
        if pattern.search(back) or pattern.search(version):
            return True
    latin_text = version if latin else ""
    candidates = candidates_of(back, latin_text)
    if name.acronym:
        expansions = [*COMMON_ACRONYMS.get(name.surface, ()), *COMMON_ACRONYMS.get(name.surface.upper(), ())]
        if any(_phrase_found(_tokens(e), candidates, fuzzy, share=1.0) for e in expansions):
            return True
        if name.surface in defined and _long_form_found(defined[name.surface], candidates, fuzzy):
            return True
        return _initials_found(name.surface, back) or _initials_found(name.surface, latin_text)
    found = sum(candidates.token_match(key, fuzzy) for key in name.keys)
    return found * 2 >= len(name.keys)


def _known_names(source: Source) -> frozenset[str]:
    """Capitalised words the body uses mid-sentence (so they are names wherever they stand)."""
    known: set[str] = set()
    for seg in source:
        if seg.paragraph == TITLE_PARAGRAPH:
            continue
        for name in source_names(seg.text):
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
    known = _known_names(source)
    seen: dict[str, set[str]] = {view.lang: set() for view in views}  #: names each version kept so far
    for p in sorted({seg.paragraph for seg in source}):
        names: dict[str, tuple[Name, int]] = {}
        for i, seg in enumerate(source):
            if seg.paragraph == p:
                for name in source_names(seg.text, p == TITLE_PARAGRAPH, known, thresholds.name_key_zipf):
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
