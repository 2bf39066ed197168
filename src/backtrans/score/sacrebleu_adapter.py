"""The one place that touches sacrebleu's private API.

backtrans extracts sufficient statistics once per segment pair and builds every
score from them (segments, paragraphs, articles, corpus, bootstrap resamples,
matrices). sacrebleu computes such statistics internally but exposes them only
through private methods (``_extract_corpus_statistics``,
``_get_match_statistics``, ``_compute_score_from_stats``, …). Every such call
is here, behind :class:`SacrebleuMetrics`; ``tests/test_sacrebleu_adapter.py``
checks each one against sacrebleu's public scores and fails loudly when a new
sacrebleu changes them. The tested range is pinned in ``pyproject.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.helpers import extract_all_char_ngrams, extract_word_ngrams

from ._ter import translation_edit_rate

#: sacrebleu versions this adapter was tested with (pyproject pins the same range)
TESTED = ">=2.4,<2.7"

#: private names this module relies on, checked by :func:`check_api`
PRIVATE_API = {
    CHRF: ("_preprocess_segment", "_remove_punctuation", "_get_match_statistics", "_compute_score_from_stats"),
    BLEU: (
        "_extract_corpus_statistics",
        "_preprocess_segment",
        "_extract_reference_info",
        "_compute_segment_statistics",
        "_compute_score_from_stats",
    ),
    TER: ("_compute_score_from_stats", "_preprocess_segment"),
}
#: references whose BLEU n-grams are kept (per metric object)
REFERENCE_CACHE = 4096
#: TER's shift search grows faster than linearly with length (a 100-word pair of repetitive
#: words takes seconds); longer pairs get TER without shifts (see :meth:`SacrebleuMetrics.ter_statistics`)
TER_MAX_WORDS = 150
#: half-width of the band of the edit distance used without shifts
_TER_BAND = 25


def version() -> str:
    return str(sacrebleu.__version__)


def check_api() -> list[str]:
    """Names of the private sacrebleu methods this adapter needs that are missing (empty: all there)."""
    return [f"{cls.__name__}.{name}" for cls, names in PRIVATE_API.items() for name in names if not hasattr(cls, name)]


def bleu_tokenizer(lang: str) -> str:
    """sacrebleu's BLEU tokenizer for a base language code: zh, ja-mecab (char without MeCab), char, 13a."""
    if lang == "zh":
        return "zh"
    if lang == "ja":
        try:
            from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab

            TokenizerJaMecab()
            return "ja-mecab"
        except (ImportError, RuntimeError):
            return "char"
    if lang == "ko":
        return "char"
    return "13a"


@dataclass(frozen=True, slots=True)
class Grams:
    """One order of a text's n-grams: every distinct n-gram, those seen more than once, and the total."""

    keys: frozenset[str]
    repeated: dict[str, int]  #: n-gram → count, only where the count is above 1
    total: int


def prepare_grams(counter: Mapping[str, int]) -> Grams:
    return Grams(frozenset(counter), {k: c for k, c in counter.items() if c > 1}, sum(counter.values()))


def chrf_match_fast(hyp: Sequence[Grams], ref: Sequence[Grams]) -> list[int]:
    """The row :meth:`SacrebleuMetrics.chrf_match` gives, counted with set intersections in C.

    The matches of one order are sum(min(hyp[g], ref[g])) over shared n-grams: 1 for every shared
    n-gram, plus min − 1 where both sides have it more than once (most n-grams occur once, so the
    Python loop runs over few). Equal to sacrebleu's ``_get_match_statistics`` (tested).
    """
    row: list[int] = []
    for h, r in zip(hyp, ref, strict=True):
        matches = len(h.keys & r.keys)
        if h.repeated and r.repeated:
            hr, rr = h.repeated, r.repeated
            common = hr.keys() & rr.keys()
            matches += sum(map(min, map(hr.__getitem__, common), map(rr.__getitem__, common))) - len(common)
        row += (h.total if r.total else 0, r.total, matches)
    return row


def swap_row(row: Sequence[int], hyp: Sequence[Grams], ref: Sequence[Grams]) -> list[int]:
    """The :func:`chrf_match_fast` row of (hyp, ref) from the row of (ref, hyp): the matches of an order
    are the same both ways round (a sum of minima), only the totals trade places."""
    out: list[int] = []
    for order, (h, r) in enumerate(zip(hyp, ref, strict=True)):
        out += (h.total if r.total else 0, r.total, row[3 * order + 2])
    return out


def merge_grams(parts: Sequence[Grams], extra: Sequence[str] = ()) -> Grams:
    """The n-grams of one order of several texts counted together, plus ``extra`` n-grams, from each
    text's own :class:`Grams`: only the n-grams shared between texts or repeated are counted in Python."""
    first, rest = parts[0], parts[1:]
    keys: frozenset[str] | set[str] = first.keys if len(rest) < 2 else set(first.keys)  # grown in place
    repeated = dict(first.repeated)
    for part in rest:
        for gram in keys & part.keys:
            repeated[gram] = repeated.get(gram, 1) + part.repeated.get(gram, 1)
        for gram, count in part.repeated.items():
            if gram not in keys:
                repeated[gram] = count
        if isinstance(keys, set):
            keys |= part.keys
        else:
            keys = keys | part.keys
    added: set[str] = set()
    for gram in extra:
        if gram in keys or gram in added:
            repeated[gram] = repeated.get(gram, 1) + 1
        else:
            added.add(gram)
    return Grams(frozenset(keys) | added, repeated, sum(part.total for part in parts) + len(extra))


def crossing(pieces: Sequence[Sequence[Any]], n: int) -> list[tuple[int, int]]:
    """(start, end) of every window of n items of the concatenated ``pieces`` that crosses from one
    piece into the next; each is counted once, in the piece where it starts."""
    out: list[tuple[int, int]] = []
    total = sum(len(piece) for piece in pieces)
    end = 0
    for piece in pieces[:-1]:
        start, end = end, end + len(piece)
        out.extend((p, p + n) for p in range(max(start, end - n + 1), min(end, total - n + 1)))
    return out


class SacrebleuMetrics:
    """chrF++ (``CHRF(word_order=2)``), BLEU (sentence and corpus) and TER, at the level of statistics."""

    def __init__(self, bleu_tokenize: str, asian_support: bool) -> None:
        self.chrf = CHRF(word_order=2)
        self.bleu_sentence = BLEU(effective_order=True, tokenize=bleu_tokenize)
        self.bleu_corpus = BLEU(tokenize=bleu_tokenize)
        self.ter = TER(asian_support=asian_support)
        self._bleu_reference = lru_cache(maxsize=REFERENCE_CACHE)(self._reference_info)
        for metric in (self.chrf, self.bleu_sentence, self.bleu_corpus, self.ter):
            metric.corpus_score(["x"], [["x"]])  # fixes nrefs so that signatures can be formatted

    # ---- chrF++ ----------------------------------------------------------------------------

    @property
    def chrf_order(self) -> int:
        """Number of n-gram orders (character + word): 8 for chrF++."""
        return int(self.chrf.char_order + self.chrf.word_order)

    @property
    def chrf_beta(self) -> float:
        return float(self.chrf.beta)

    def chrf_ngrams(self, text: str) -> list[Any]:
        """chrF++'s character and word n-gram counters of a text, exactly as sacrebleu extracts them."""
        chrf = self.chrf
        prepared = chrf._preprocess_segment(text)
        grams = extract_all_char_ngrams(prepared, chrf.char_order, chrf.whitespace)
        if chrf.word_order > 0:
            words = chrf._remove_punctuation(prepared)
            grams.extend(extract_word_ngrams(words, n) for n in range(1, chrf.word_order + 1))
        return grams

    def chrf_match(self, hyp_ngrams: Sequence[Any], ref_ngrams: Sequence[Any]) -> list[int]:
        """One row of chrF++ statistics: (hyp, ref, match) counts for every order (sacrebleu's own code)."""
        row: list[int] = []
        match = self.chrf._get_match_statistics
        for h, r in zip(hyp_ngrams, ref_ngrams, strict=True):
            row.extend(match(h, r))
        return row

    def chrf_grams(self, text: str) -> tuple[Grams, ...]:
        """The n-grams of :meth:`chrf_ngrams` in the form :func:`chrf_match_fast` counts fast."""
        return tuple(prepare_grams(counter) for counter in self.chrf_ngrams(text))

    def chrf_grams_joined(self, texts: Sequence[str], grams: Sequence[Sequence[Grams]]) -> tuple[Grams, ...] | None:
        """The n-grams of :meth:`chrf_grams` of ``" ".join(texts)`` from the n-grams of each text
        (``texts`` stripped and non-empty), or None where sacrebleu's settings do not allow it.

        Character n-grams are taken with white space removed and word n-grams per white-space word,
        so the joined text has the n-grams of its parts plus those that cross a boundary (equal to
        extracting them again, tested; a joined text costs a fraction of a fresh extraction).
        """
        chrf = self.chrf
        if chrf.lowercase or chrf.whitespace or any(t != t.strip() or not t for t in texts):
            return None
        chars = ["".join(t.split()) for t in texts]
        line = "".join(chars)
        out = [
            merge_grams([g[n - 1] for g in grams], [line[a:b] for a, b in crossing(chars, n)])
            for n in range(1, chrf.char_order + 1)
        ]
        if chrf.word_order > 0:
            words = [self._edge_tokens(t, chrf.word_order - 1) for t in texts]
            tokens = [w for part in words for w in part]
            out += [
                merge_grams(
                    [g[chrf.char_order + n - 1] for g in grams], [" ".join(tokens[a:b]) for a, b in crossing(words, n)]
                )
                for n in range(1, chrf.word_order + 1)
            ]
        return tuple(out)

    def _edge_tokens(self, text: str, width: int) -> list[str]:
        """chrF's word tokens of a text, or only the first and last ``width`` of them where it has more:
        all that a word n-gram across a join can hold (punctuation is split per white-space word)."""
        words = text.split()
        if len(words) <= 2 * width + 1:
            return list(self.chrf._remove_punctuation(text))
        head = self.chrf._remove_punctuation(" ".join(words[:width]))[:width]
        tail = self.chrf._remove_punctuation(" ".join(words[-width:]))[-width:] if width else []
        return [*head, *tail]

    def chrf_score(self, stats: list[Any]) -> float:
        return float(self.chrf._compute_score_from_stats(stats).score)

    # ---- BLEU ------------------------------------------------------------------------------

    def bleu_metric(self, sentence: bool) -> BLEU:
        return self.bleu_sentence if sentence else self.bleu_corpus

    @property
    def bleu_max_order(self) -> int:
        return int(self.bleu_corpus.max_ngram_order)

    def bleu_statistics(self, hypotheses: list[str], references: list[list[str]]) -> list[list[Any]]:
        """BLEU statistics of each pair: what ``_extract_corpus_statistics`` gives (tested), with each
        reference's n-grams kept for reuse (a source segment is the reference of every version)."""
        (refs,) = references
        metric = self.bleu_corpus
        return [
            metric._compute_segment_statistics(metric._preprocess_segment(hyp), self._bleu_reference(ref))
            for hyp, ref in zip(hypotheses, refs, strict=True)
        ]

    def _reference_info(self, ref: str) -> dict[str, Any]:
        metric = self.bleu_corpus
        return dict(metric._extract_reference_info([metric._preprocess_segment(ref)]))

    def bleu_score(self, stats: list[Any], sentence: bool = False) -> float:
        return float(self.bleu_metric(sentence)._compute_score_from_stats(stats).score)

    # ---- TER -------------------------------------------------------------------------------

    def ter_statistics(self, hypotheses: list[str], references: list[list[str]]) -> tuple[list[list[Any]], int]:
        """TER statistics of each pair, and how many pairs were too long for TER's shift search.

        Words as sacrebleu's TER tokenises them; the edits of :func:`backtrans.score._ter.translation_edit_rate`
        (sacrebleu's algorithm, equal counts, tested). A pair with more than :data:`TER_MAX_WORDS` words
        on a side gets the word edit distance within a band around the diagonal and no shifts: an upper
        bound of its TER, computed in linear time.
        """
        (refs,) = references
        words = [
            (self.ter._preprocess_segment(h).split(), self.ter._preprocess_segment(r).split())
            for h, r in zip(hypotheses, refs, strict=True)
        ]
        long = {i for i, (h, r) in enumerate(words) if h and r and max(len(h), len(r)) > TER_MAX_WORDS}
        stats: list[list[Any]] = [
            [banded_edits(h, r), len(r)] if i in long else list(translation_edit_rate(h, r))
            for i, (h, r) in enumerate(words)
        ]
        return stats, len(long)

    def ter_score(self, stats: list[Any]) -> float:
        return float(self.ter._compute_score_from_stats(stats).score)

    # ---- signatures ------------------------------------------------------------------------

    def signatures(self) -> dict[str, str]:
        return {
            "chrf": self.chrf.get_signature().format(),
            "bleu": self.bleu_corpus.get_signature().format(),
            "bleu_segment": self.bleu_sentence.get_signature().format(),
            "ter": self.ter.get_signature().format(),
        }


def banded_edits(hyp: Sequence[str], ref: Sequence[str], band: int = _TER_BAND) -> int:
    """Word edit distance (insertions, deletions, substitutions) over paths within ``band`` cells of the
    diagonal: linear in length, and never below the true distance."""
    n, m = len(hyp), len(ref)
    infinity = n + m + 1
    band = max(band, -(-m // max(n, 1)) + 1)  # consecutive rows' bands must overlap
    previous = {j: j for j in range(min(m, band) + 1)}
    for i in range(1, n + 1):
        centre = i * m // max(n, 1)
        low, high = max(0, centre - band), min(m, centre + band)
        current: dict[int, int] = {}
        for j in range(low, high + 1):
            if j == 0:
                current[j] = i
                continue
            current[j] = min(
                previous.get(j, infinity) + 1,
                current.get(j - 1, infinity) + 1,
                previous.get(j - 1, infinity) + (hyp[i - 1] != ref[j - 1]),
            )
        previous = current
    return previous[m]  # the last row's band is centred on m
