"""Indonesian words and name tokens for the name and term checks: stems and dictionary words
(Sastrawi, wordfreq), and the matching that survives what round trips do to names (case, accents,
apostrophes, transliteration wobble: Syarifuddin/Sharifuddin, Hasan/Hassan, Mas'ud/Masudo).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import cache, cached_property, lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from wordfreq import available_languages, zipf_frequency

from ..text.languages import base_lang
from ._lexicon import STOPWORDS_ID
from .common import TEXT_CACHE

TOKEN = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]")


INITIAL_SKIP = frozenset(["dan", "dari", "di", "untuk", "the", "of", "and", "for", "de", "la", "le", "du", "des", "et"])


#: words whose folds, stems and spellings are remembered (bounded: an archive's vocabulary is not)
WORD_CACHE = 1 << 16


@lru_cache(maxsize=WORD_CACHE)
def zipf_id(word: str) -> float:
    return zipf_frequency(word.casefold(), "id")


@lru_cache(maxsize=WORD_CACHE)
def zipf_in(word: str, lang: str) -> float:
    """A word's frequency (wordfreq's Zipf scale) in a language; 0 where wordfreq has no list for it."""
    lang = base_lang(lang)
    if lang == "id":
        return zipf_id(word)
    return zipf_frequency(word.casefold(), lang) if lang in _wordfreq_languages() else 0.0


@cache
def _wordfreq_languages() -> frozenset[str]:
    return frozenset(available_languages())


#: without a dictionary (Sastrawi's is Indonesian), a word of another language is ordinary when it is this common
ORDINARY_ZIPF = 5.0


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
def ordinary_word(token: str, lang: str = "id") -> bool:
    """A word of the language's dictionary: a translation may render it in its own words.

    "Kalajengking", "Operasional", "Penyidikan" (sidik) are; "Hasanuddin", "Ghufron", "Reuters" are not.
    Indonesian has a dictionary and a stemmer (Sastrawi); another language has only its word frequencies
    (wordfreq): "Policy" and "Minister" are ordinary English words, "Biden" and "Reuters" are not.
    """
    word = token.casefold()
    if base_lang(lang) != "id":
        return zipf_in(word, lang) >= ORDINARY_ZIPF
    roots = _root_words()
    return word in roots or word in STOPWORDS_ID or zipf_id(word) >= 5.5 or stem(word) in roots


@lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
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
    word = fold(token)
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


#: first sounds that transliteration through another script confuses (after the folds of _SKELETON_PAIRS)
_SAME_SOUND = (frozenset("bp"), frozenset("pb"), frozenset("dt"), frozenset("gk"), frozenset("jc"), frozenset("sc"))


@lru_cache(maxsize=WORD_CACHE)
def phonetic_form(token: str) -> str:
    """Spelling folded the way transliteration wobbles: Galih/Gari, Syafi'i/Shafii, Hasan/Hassan."""
    word = fold(token)
    for a, b in _SKELETON_PAIRS:
        word = word.replace(a, b)
    word = word.replace("h", "")
    return re.sub(r"(.)\1+", r"\1", word)


def token_matches(wanted: str, candidate: str, fuzzy: float) -> bool:
    """A name's token found as one candidate token: the rule :meth:`Candidates.token_match` answers
    for all of a text's tokens at once."""
    a, b = fold(wanted), fold(candidate)
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= fuzzy:
        return True
    pa, pb = phonetic_form(wanted), phonetic_form(candidate)
    if len(pa) >= 3 and (pa == pb or min(len(pa), len(pb)) >= 4 and fuzz.ratio(pa, pb) >= fuzzy):
        return True
    skel_a = skeleton(wanted)
    return len(skel_a) >= 3 and skel_a == skeleton(candidate)


def split_tokens(text: str) -> list[str]:
    return [m.group() for m in TOKEN.finditer(text)]


def candidate_tokens(text: str) -> list[str]:
    """Tokens of a text, their hyphenated parts, and each pair of neighbours joined (Idul Fitri ↔ Idulfitri)."""
    tokens = split_tokens(text)
    parts = [p for t in tokens if "-" in t for p in t.split("-") if p]
    return tokens + parts + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]


#: how alike two spellings of a name in Latin letters are when one is the other respelled (Santoso/Susanto: 71)
RESPELLED_RATIO = 70.0


class Candidates:
    """The candidate tokens of a text (:func:`candidate_tokens`), prepared so that "does any of them match?"
    is a few set lookups and one C-level fuzzy search instead of a loop over every token.
    ``any(token_matches(w, c, fuzzy) for c in tokens)`` is :meth:`token_match`, ``any(word_matches(w, c)
    for c in tokens)`` is :meth:`word_match` (tested). Each form is prepared when first asked for."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = [c for c in dict.fromkeys(tokens) if fold(c)]  #: an empty fold matches nothing
        self.folded = frozenset(fold(c) for c in self.tokens)

    @cached_property
    def long_folded(self) -> tuple[str, ...]:
        """Folds of 4 letters or more (the fuzzy match of token_matches)."""
        return tuple(f for f in self.folded if len(f) >= 4)

    @cached_property
    def longer_folded(self) -> tuple[str, ...]:
        """Folds of 6 letters or more (the fuzzy match of word_matches)."""
        return tuple(f for f in self.folded if len(f) >= 6)

    @cached_property
    def stems(self) -> frozenset[str]:
        """Indonesian stems of the folds (the stem match of word_matches)."""
        return frozenset(stem(f) for f in self.folded)

    @cached_property
    def phonetic(self) -> frozenset[str]:
        return frozenset(phonetic_form(c) for c in self.tokens)

    @cached_property
    def long_phonetic(self) -> tuple[str, ...]:
        return tuple(p for p in self.phonetic if len(p) >= 4)

    @cached_property
    def skeletons(self) -> frozenset[str]:
        return frozenset(skeleton(c) for c in self.tokens)

    def token_match(self, wanted: str, fuzzy: float) -> bool:
        """Whether :func:`token_matches` holds for ``wanted`` and any candidate."""
        a = fold(wanted)
        if not a or not self.folded:
            return False
        if a in self.folded:
            return True
        if self.alike(wanted, fuzzy) is not None:
            return True
        pa = phonetic_form(wanted)
        if len(pa) >= 3 and (
            pa in self.phonetic
            or len(pa) >= 4
            and process.extractOne(pa, self.long_phonetic, scorer=fuzz.ratio, score_cutoff=fuzzy) is not None
        ):
            return True
        skel_a = skeleton(wanted)
        return len(skel_a) >= 3 and skel_a in self.skeletons

    def exact_match(self, wanted: str) -> bool:
        """``wanted`` spelled as a candidate is (case, accents and apostrophes aside): what a version written in
        Latin letters does with a name (Rahmat is not Rahman, Susanto is not Susanti)."""
        a = fold(wanted)
        return bool(a) and a in self.folded

    def alike(self, wanted: str, fuzzy: float) -> str | None:
        """The candidate most like ``wanted`` in spelling (rapidfuzz ratio at least ``fuzzy``), or None:
        Sumatera/Sumatra, Rahmat/Rahman. In a version written in Latin letters that is another spelling or
        another name, not the route's noise alone."""
        a = fold(wanted)
        if len(a) < 4:
            return None
        best = process.extractOne(a, self.long_folded, scorer=fuzz.ratio, score_cutoff=fuzzy)
        return None if best is None else str(best[0])

    def respelled(self, wanted: str, exclude: Candidates | None = None) -> str | None:
        """A capitalised candidate that writes ``wanted`` with a few letters changed (first letter kept, ratio
        at least :data:`RESPELLED_RATIO`; Santoso/Susanto, Rahmat/Rahman), not a dictionary word of Indonesian
        and not a token of ``exclude`` (the source's own words and names): the most alike, or None. In a version
        written in Latin letters, which copies a name as it is spelled, that is the name changed, not a token
        dropped."""
        a = fold(wanted)
        if len(a) < 4:
            return None
        best: tuple[float, str] | None = None
        for token in self.tokens:
            c = fold(token)
            if not token[:1].isupper() or c == a or c[:1] != a[0]:
                continue
            score = fuzz.ratio(a, c)
            if (
                score >= RESPELLED_RATIO
                and (best is None or score > best[0])
                and not ordinary_word(c)
                and (exclude is None or c not in exclude.folded)
            ):
                best = (score, token)
        return best[1] if best else None

    def near(self, wanted: str) -> str | None:
        """The candidate that comes nearest to ``wanted`` as a transliteration would (same first sound, phonetic
        forms at least 60 % alike: Luwu/Ruwu, Luwu/Luo, Suso/Soso, Pratama/Bratama), or None. A near form is the
        route's wobble more often than another name."""
        pa = phonetic_form(wanted)
        if not pa:
            return None
        best: tuple[float, str] | None = None
        for token in self.tokens:
            pc = phonetic_form(token)
            if not pc or (pc[0] != pa[0] and {pc[0], pa[0]} not in _SAME_SOUND):
                continue
            score = fuzz.ratio(pa, pc)
            if score >= 60 and (best is None or score > best[0]):
                best = (score, token)
        return best[1] if best else None

    def word_match(self, wanted: str) -> bool:
        """Whether :func:`word_matches` holds for ``wanted`` and any candidate."""
        a = fold(wanted)
        if not a or not self.folded:
            return False
        if a in self.folded:
            return True
        if len(a) >= 6 and process.extractOne(a, self.longer_folded, scorer=fuzz.ratio, score_cutoff=92) is not None:
            return True
        return stem(a) in self.stems  # stems last: stemming a text's words the first time is slow


@lru_cache(maxsize=TEXT_CACHE)
def candidates_of(*texts: str) -> Candidates:
    """The :class:`Candidates` of some texts together (a paragraph's back-translation and version text are
    searched for every name of the source paragraph)."""
    return Candidates([c for text in texts for c in candidate_tokens(text)])


def word_matches(wanted: str, candidate: str) -> bool:
    """Ordinary words (of a long form, an expansion) match by spelling or stem, not by likeness:
    "penanganan" (handling) is not "penanggulangan" (countermeasure). The rule
    :meth:`Candidates.word_match` answers for all of a text's tokens at once."""
    a, b = fold(wanted), fold(candidate)
    if not a or not b:
        return False
    return a == b or stem(a) == stem(b) or (min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= 92)


def phrase_found(words: Sequence[str], candidates: Candidates, fuzzy: float, share: float = 0.6) -> bool:
    keys = [w for w in words if w.lower() not in INITIAL_SKIP]
    if not keys:
        return False
    if all(not ordinary_word(w) for w in keys):
        found = sum(candidates.token_match(w, fuzzy) for w in keys)
    else:
        found = sum(candidates.word_match(w) for w in keys)
    return found >= max(1, math.ceil(share * len(keys) - 1e-9))
