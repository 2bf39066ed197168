"""The sacrebleu adapter: every private call it makes still gives what sacrebleu's public API reports."""

from __future__ import annotations

import math

import pytest
import sacrebleu
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER

from backtrans.score.sacrebleu_adapter import SacrebleuMetrics, check_api, chrf_match_fast, swap_row

PAIRS = [
    (
        "Warga diminta bersabar karena pemeriksaan masih berlangsung.",
        "Masyarakat diminta bersabar, pemeriksaan berlangsung.",
    ),
    ("KPK memeriksa 12 saksi di Jakarta Selatan.", "KPK memeriksa 21 saksi di Jakarta."),
    ("", "Teks rujukan yang tidak kosong."),
    ("Sama persis.", "Sama persis."),
    ("数字は同じです。", "数字は同じですか。"),
]


def test_private_api_is_all_there() -> None:
    """Every private sacrebleu method the adapter needs exists (a new sacrebleu that drops one fails here)."""
    assert check_api() == [], f"sacrebleu {sacrebleu.__version__} lacks {check_api()}: update sacrebleu_adapter.py"


@pytest.mark.parametrize("hyp, ref", PAIRS)
def test_chrf_statistics_give_sacrebleu_sentence_score(hyp: str, ref: str) -> None:
    """n-grams + match statistics + score from statistics = CHRF(word_order=2).sentence_score."""
    metrics = SacrebleuMetrics("13a", asian_support=False)
    row = metrics.chrf_match(metrics.chrf_ngrams(hyp), metrics.chrf_ngrams(ref))
    assert len(row) == 3 * metrics.chrf_order == 24
    expected = CHRF(word_order=2).sentence_score(hyp, [ref]).score
    assert math.isclose(metrics.chrf_score(row), expected, abs_tol=1e-9)


def test_bleu_and_ter_corpus_statistics_give_sacrebleu_corpus_scores() -> None:
    """Summed BLEU and TER statistics score exactly as sacrebleu's corpus_score on the same pairs."""
    metrics = SacrebleuMetrics("13a", asian_support=False)
    hyps, refs = [h for h, _ in PAIRS], [[r for _, r in PAIRS]]
    bleu_rows = metrics.bleu_statistics(hyps, refs)
    ter_rows, long = metrics.ter_statistics(hyps, refs)
    assert long == 0
    assert len(bleu_rows) == len(ter_rows) == len(PAIRS)
    bleu_sum = [sum(col) for col in zip(*bleu_rows, strict=True)]
    ter_sum = [sum(col) for col in zip(*ter_rows, strict=True)]
    assert math.isclose(metrics.bleu_score(bleu_sum), BLEU().corpus_score(hyps, refs).score, abs_tol=1e-9)
    assert math.isclose(metrics.ter_score(ter_sum), TER().corpus_score(hyps, refs).score, abs_tol=1e-9)


@pytest.mark.parametrize("hyp, ref", PAIRS[:2])
def test_sentence_bleu_statistics_give_sacrebleu_sentence_score(hyp: str, ref: str) -> None:
    """One row of statistics scored with effective order = BLEU(effective_order=True).sentence_score."""
    metrics = SacrebleuMetrics("13a", asian_support=False)
    (row,) = metrics.bleu_statistics([hyp], [[ref]])
    expected = BLEU(effective_order=True).sentence_score(hyp, [ref]).score
    assert math.isclose(metrics.bleu_score(list(row), sentence=True), expected, abs_tol=1e-9)


def test_signatures_name_the_settings() -> None:
    """Signatures come from sacrebleu itself and record the settings that change a number."""
    signatures = SacrebleuMetrics("zh", asian_support=True).signatures()
    assert "nw:2" in signatures["chrf"] and "tok:zh" in signatures["bleu"] and "asian:yes" in signatures["ter"]
    assert f"version:{sacrebleu.__version__}" in signatures["chrf"]


_TEXT = st.text(alphabet=st.sampled_from(list("aab cdd.,!é漢字 \t")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(hyp=_TEXT, ref=_TEXT)
def test_fast_chrf_match_equals_sacrebleus_match_statistics(hyp: str, ref: str) -> None:
    """The set-intersection count gives exactly sacrebleu's rows, repeated n-grams and empty texts included."""
    metrics = SacrebleuMetrics("13a", asian_support=False)
    expected = metrics.chrf_match(metrics.chrf_ngrams(hyp), metrics.chrf_ngrams(ref))
    assert chrf_match_fast(metrics.chrf_grams(hyp), metrics.chrf_grams(ref)) == expected


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_TEXT.map(str.strip).filter(bool), min_size=1, max_size=5))
def test_ngrams_of_a_joined_text_are_composed_from_its_parts(parts: list[str]) -> None:
    """Short parts (shorter than an n-gram), repeated parts, punctuation at the joins: the n-grams counted
    from the parts are those extracted from the joined text."""
    metrics = SacrebleuMetrics("13a", asian_support=False)
    composed = metrics.chrf_grams_joined(parts, [metrics.chrf_grams(p) for p in parts])
    assert composed == metrics.chrf_grams(" ".join(parts))


def test_no_composition_where_the_parts_are_not_what_join_gives() -> None:
    metrics = SacrebleuMetrics("13a", asian_support=False)
    assert metrics.chrf_grams_joined([" a", "b"], [metrics.chrf_grams(" a"), metrics.chrf_grams("b")]) is None


@settings(max_examples=200, deadline=None)
@given(hyp=_TEXT, ref=_TEXT)
def test_a_row_read_the_other_way_round_is_the_row_of_the_swapped_pair(hyp: str, ref: str) -> None:
    metrics = SacrebleuMetrics("13a", asian_support=False)
    h, r = metrics.chrf_grams(hyp), metrics.chrf_grams(ref)
    assert swap_row(chrf_match_fast(r, h), h, r) == chrf_match_fast(h, r)


@pytest.mark.parametrize("tokenize, asian", [("13a", False), ("zh", True), ("char", True)])
def test_bleu_statistics_with_kept_references_are_sacrebleus(tokenize: str, asian: bool) -> None:
    """References seen before (every version is scored against the same source segments) give the rows
    of sacrebleu's own ``_extract_corpus_statistics``."""
    metrics = SacrebleuMetrics(tokenize, asian_support=asian)
    hyps = [h for h, _ in PAIRS] * 2 + [r for _, r in PAIRS]
    refs = [r for _, r in PAIRS] * 3
    expected = BLEU(tokenize=tokenize)._extract_corpus_statistics(hyps, [refs])
    assert metrics.bleu_statistics(hyps, [refs]) == expected
    assert metrics.bleu_statistics(hyps, [refs]) == expected  # again, every reference from the cache
