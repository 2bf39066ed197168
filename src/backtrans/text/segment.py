"""Paragraphs and sentences for Latin, CJK and Arabic scripts.

A small rule-based segmenter. ``sentencex`` and ``pysbd`` were tried on our
languages and split wrongly where news text needs them not to: Indonesian after
"dll." and "Rp.", French after "M." (sentencex), Arabic after "د.". Rules, in
order:

* paragraphs are separated by blank lines; a single line break is a hard
  boundary too (so one-segment-per-line files read back exactly);
* ``. ! ? …`` (and Arabic ``؟``) end a sentence when followed by white space and
  a sentence start (not a lower-case letter), unless the word before the
  period is a known abbreviation of the language or a single letter (an
  initial such as "G." or the Arabic "د.");
* ``。！？`` end a sentence with or without a following space, except inside a
  quotation that an attribution continues (「…。」と言った, “…。”他说。).

The Arabic comma ``،`` and semicolon ``؛`` never end a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from wordfreq import zipf_frequency

from ..types import TITLE_PARAGRAPH, Document, Segment
from .languages import CJK_LANGS, base_lang

SEGMENTER_NAME = "backtrans-rules-1"
#: joins segments (or pieces) of one language into one string: :func:`join_segments` bound to a language
Join = Callable[[Sequence[str]], str]
#: a line that stands for an empty segment in one-segment-per-line files
EMPTY_MARK = "∅"


def _abbreviations(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abbreviations after which a period does not end a sentence (lower case, without the final period).
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "id": _abbreviations(
        "dll dsb dst dkk tsb yth rp no nomor jl jln dr drs dra drg prof ir h hj sdr bpk tn ny st kol "
        "brigjen irjen kombes akbp letjen mayjen jend pol kec kab prov kel hlm tgl thn vol s.h m.h "
        "m.si s.e s.t s.pd s.ag a.n u.p s.d a.md ph.d k.h m.m"
    ),
    "ms": _abbreviations("dll dsb dr prof tn pn en hj h no jln rm"),
    "en": _abbreviations(
        "mr mrs ms dr prof sr jr st gen gov sen rep lt col capt sgt maj cmdr adm inc ltd co corp vs "
        "etc e.g i.e no nos jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n a.m p.m "
        "approx dept est fig vol"
    ),
    "fr": _abbreviations(
        "m mm mme mmes mlle mlles dr pr me st ste av bd etc cf p n° no env janv févr avr juil sept "
        "oct nov déc art vol éd"
    ),
    "de": _abbreviations("dr prof hr fr nr str bzw usw z.b d.h ca"),
    "es": _abbreviations("sr sra srta dr dra prof etc ud uds"),
    "ar": _abbreviations("د أ م ص ج ه ق"),
}

_CLOSERS = "\"'”’»」』）)]】〕〉》›"
_OPENERS = "\"'“‘«「『（([【〔〈《‹¿¡"
_TERMINATOR = re.compile(r"[.!?…。！？．؟۔]+")
_JA_CONTINUATIONS = tuple("と、，,がをにっで")
_SPEECH_VERBS = ("说", "說", "表示", "称", "稱", "指出", "道", "言", "述べ", "語", "話", "强调", "強調")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n+")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def join_segments(texts: Sequence[str], lang: str) -> str:
    """Several segments (or translated pieces) as one string: no space between CJK ones."""
    sep = "" if base_lang(lang) in CJK_LANGS else " "
    return sep.join(t.strip() for t in texts if t.strip())


def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs of a text (blank lines separate paragraphs)."""
    text = normalize_newlines(text)
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


def _word_before(line: str, end: int) -> str:
    """The token that ends at ``end`` (exclusive), back to white space or an opening mark."""
    start = end
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in _OPENERS:
        start -= 1
    return line[start:end]


#: abbreviations written in lower case; any other abbreviation counts only capitalised ("No. 5", not "said no.")
_LOWER_CASE_OK = _abbreviations("dll dsb dst dkk tsb etc vs cf e.g i.e a.m p.m approx env hlm tgl thn vol usw bzw ca")
#: abbreviations that often end a sentence ("… dan lain-lain."): a sentence-like word after them starts a new one
_TERMINAL = _abbreviations("dll dsb dst dkk etc usw")


def _common_word(word: str, lang: str, zipf: float = 5.0) -> bool:
    """A frequent word of the language: after an abbreviation or an initial it starts a sentence, it is no name."""
    clean = word.strip(_OPENERS + _CLOSERS + ".,;:").casefold()
    return bool(clean) and zipf_frequency(clean, lang) >= zipf


def _is_abbreviation(word: str, lang: str, next_word: str = "") -> bool:
    """Whether ``word`` (with its period) is an abbreviation or an initial; ``next_word``: the word after it."""
    if not word:
        return False
    stripped = word.rstrip(".")
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) == 1 and len(stripped) <= 2 and not letters[0].islower():
        # an initial: "G. Washington", "د." (an uncased letter counts); "Vitamin C. Then" ends a sentence
        return not (letters[0].isupper() and next_word[:1].isupper() and _common_word(next_word, lang, zipf=6.0))
    abbreviations = _ABBREVIATIONS.get(lang, frozenset())
    lower = stripped.lower()
    if lower in abbreviations and (stripped[:1].isupper() or lower in _LOWER_CASE_OK):
        return not (lower in _TERMINAL and next_word[:1].isupper() and _common_word(next_word, lang))
    # dotted acronyms such as "U.S" or "S.H" are never a sentence end on their own
    return bool(re.fullmatch(r"(?:\w\.)+\w", stripped))


def _starts_sentence(rest: str) -> bool:
    """Whether the text after a Latin terminator (and its spaces) can start a sentence."""
    if not rest:
        return False
    first = rest[0]
    if first.isalpha():
        return not first.islower()
    return first.isdigit() or first in _OPENERS or first in "-–—•*#" or not first.isascii()


def _cjk_attribution_follows(rest: str) -> bool:
    """After 」 or ”: a short clause that attributes the quote continues the sentence."""
    if not rest:
        return False
    if rest.startswith(_JA_CONTINUATIONS):
        return True
    match = _TERMINATOR.search(rest)
    clause = rest[: match.start()] if match else rest
    # the clause ends with the speech verb ("…”他说。", "…”迪马斯在接受采访时说。"): a verb inside a word
    # ("…”他说明天…", 说明 = explain) does not attribute
    return len(clause) <= 40 and clause.rstrip("，,：: ").endswith(_SPEECH_VERBS)


#: characters after a sentence end that the rules look at: a word, or a short attributing clause (CJK)
LOOKAHEAD = 64
_NON_SPACE = re.compile(r"\S")
_NEXT_WORD = re.compile(rf"\S{{1,{LOOKAHEAD}}}")
#: told how many characters the splitter looked at past each sentence end (tests bound the work with it)
scan_hook: Callable[[int], None] | None = None


def _split_line(line: str, lang: str) -> Iterator[str]:
    """The sentences of one line, in one pass: after each candidate end the rules look ahead a word or a
    short clause (:data:`LOOKAHEAD` characters), never the rest of the line, so a line of N sentences costs
    O(N), not O(N²)."""
    lang = base_lang(lang)
    start = 0
    for match in _TERMINATOR.finditer(line):
        end = match.end()
        while end < len(line) and line[end] in _CLOSERS:
            end += 1
        closed = end > match.end()
        marks = match.group()
        after = end
        while after < len(line) and line[after] in " \t\u3000":
            after += 1
        text_after = _NON_SPACE.search(line, after)  # scans the white space after the mark only
        if scan_hook is not None:
            scan_hook((text_after.end() if text_after else len(line)) - after + min(LOOKAHEAD, len(line) - after))
        if text_after is None:
            continue
        rest = line[after : after + LOOKAHEAD]
        full_width = any(c in "。！？．" for c in marks)
        if full_width or (lang in CJK_LANGS and marks[-1] in "!?"):
            if closed and _cjk_attribution_follows(rest):
                continue
        else:
            if after == end:  # no space after the mark: "2.5", "KPK.go.id", "?!"
                continue
            if marks == "." and _is_abbreviation(
                _word_before(line, match.start()) + ".", lang, _next_word(line, after)
            ):
                continue
            if lang not in {"ar", "fa", "ur", "he"} and lang not in CJK_LANGS and not _starts_sentence(rest):
                continue
        sentence = line[start:end].strip()
        if sentence:
            yield sentence
        start = after
    tail = line[start:].strip()
    if tail:
        yield tail


def _next_word(line: str, at: int) -> str:
    """The word that follows position ``at`` (at most :data:`LOOKAHEAD` characters of it)."""
    found = _NEXT_WORD.search(line, at)
    if scan_hook is not None:
        scan_hook((found.end() if found else len(line)) - at)
    return found.group() if found else ""


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Sentences of one paragraph; every line break is a boundary."""
    out: list[str] = []
    for line in normalize_newlines(paragraph).split("\n"):
        line = " ".join(line.split()) if base_lang(lang) not in CJK_LANGS else line.strip()
        if line:
            out.extend(_split_line(line, lang))
    return out


def segment_text(text: str, lang: str, first_paragraph: int = 1) -> tuple[Segment, ...]:
    """Segments of a text, paragraphs numbered from ``first_paragraph``."""
    segments: list[Segment] = []
    for p, paragraph in enumerate(split_paragraphs(text), start=first_paragraph):
        for s, sentence in enumerate(split_sentences(paragraph, lang), start=1):
            segments.append(Segment(paragraph=p, sentence=s, text=sentence))
    return tuple(segments)


def segment_title(title: str | None, lang: str) -> tuple[Segment, ...]:
    """The headline as paragraph 0 (all its lines and sentences)."""
    if not title or not title.strip():
        return ()
    joined = " ".join(split_paragraphs(title))
    return tuple(
        Segment(paragraph=TITLE_PARAGRAPH, sentence=s, text=t)
        for s, t in enumerate(split_sentences(joined, lang), start=1)
    )


def segment_document(doc: Document) -> tuple[Segment, ...]:
    """Headline (paragraph 0, when there is one) then the body (paragraphs 1..)."""
    return segment_title(doc.title, doc.lang) + segment_text(doc.text, doc.lang)


def read_lines_as_segments(text: str, title: str | None = None) -> tuple[Segment, ...]:
    """A one-segment-per-line file (what ``run`` writes): each non-blank line is one segment (``∅``: empty)."""

    def lines_of(block: str) -> list[str]:
        return ["" if ln.strip() == EMPTY_MARK else ln.strip() for ln in block.split("\n") if ln.strip()]

    segments: list[Segment] = []
    if title and title.strip():
        segments.extend(Segment(TITLE_PARAGRAPH, s, t) for s, t in enumerate(lines_of(normalize_newlines(title)), 1))
    for p, paragraph in enumerate(split_paragraphs(text), start=1):
        segments.extend(Segment(p, s, t) for s, t in enumerate(lines_of(paragraph), start=1))
    return tuple(segments)
