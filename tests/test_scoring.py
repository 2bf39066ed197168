"""Scores equal sacrebleu's own numbers (golden values from sacrebleu 2.6), and intervals are reproducible."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER

from backtrans.score.scoring import Scorer, resampled_sums

PAIRS = [
    (
        "Pemerintah kota menyiapkan anggaran Rp1,2 triliun.",
        "Pemerintah Kota Semarang menyiapkan anggaran Rp1,2 triliun.",
    ),
    ("", ""),
    ("Halo dunia.", ""),
    ("", "Halo dunia."),
    ("Sama persis.", "Sama persis."),
    ("Kafé di Médan ditutup — «ditutup» katanya.", "Kafe di Medan ditutup, katanya."),
]
#: (chrF++, sentence BLEU with effective order, TER) as sacrebleu 2.6 computes them
GOLDEN = [
    (73.54807803886764, 55.780028607687655, 14.285714285714285),
    (0.0, 0.0, 0.0),
    (0.0, 0.0, 100.0),
    (0.0, 0.0, 100.0),
    (100.0, 100.0, 0.0),
    (50.93121514118009, 13.134549472120788, 100.0),
]
GOLDEN_CORPUS = (63.38525877100095, 36.334511472825646, 62.5)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer("id", bootstrap=1000)


def test_segment_scores_match_golden_values(scorer: Scorer) -> None:
    """Empty, identical and non-ASCII segments score exactly as sacrebleu scores them."""
    scores = scorer.segment_scores(scorer.stats([h for h, _ in PAIRS], [r for _, r in PAIRS]))
    for got, (chrf, bleu, ter) in zip(scores, GOLDEN, strict=True):
        assert got.chrf == pytest.approx(chrf, abs=1e-9)
        assert got.bleu == pytest.approx(bleu, abs=1e-9)
        assert got.ter == pytest.approx(ter, abs=1e-9)


def test_corpus_scores_match_golden_values_and_intervals_are_reproducible(scorer: Scorer) -> None:
    """Corpus scores are sums of segment statistics; the bootstrap is seeded and brackets the score."""
    stats = scorer.stats([h for h, _ in PAIRS], [r for _, r in PAIRS])
    first = scorer.corpus_scores(stats)
    assert (first.chrf, first.bleu, first.ter) == pytest.approx(GOLDEN_CORPUS, abs=1e-9)
    assert first == scorer.corpus_scores(stats)
    for value, (low, high) in ((first.chrf, first.chrf_ci), (first.bleu, first.bleu_ci), (first.ter, first.ter_ci)):
        assert low <= value <= high


def test_bootstrap_matches_sacrebleu_spread(scorer: Scorer) -> None:
    """Our 95% interval has about the width of sacrebleu's own bootstrap (same resampling)."""
    hyps = [f"Warga ke-{i} diminta bersabar oleh pemerintah kota." for i in range(60)]
    refs = [f"Warga nomor {i} diminta untuk bersabar oleh pemkot." for i in range(60)]
    ours = scorer.corpus_scores(scorer.stats(hyps, refs))
    theirs = CHRF(word_order=2).corpus_score(hyps, [refs], n_bootstrap=1000)
    assert ours.chrf == pytest.approx(theirs.score, abs=1e-9)
    width = ours.chrf_ci[1] - ours.chrf_ci[0]
    assert width == pytest.approx(2 * theirs._ci, rel=0.35)


def test_every_interval_reads_the_same_order_statistics(scorer: Scorer) -> None:
    """A score's 95% interval and a paired difference's are one definition: sacrebleu's 1/40th from each end."""
    from backtrans.score import significance
    from backtrans.score.scoring import interval, resampled_sums

    hyps = [f"Warga ke-{i} diminta bersabar oleh pemerintah kota nomor {i % 7}." for i in range(40)]
    refs = [f"Warga nomor {i} diminta untuk bersabar oleh pemkot." for i in range(40)]
    stats = scorer.stats(hyps, refs)
    (sums,) = resampled_sums((stats.chrf,), scorer.bootstrap, scorer.seed)
    samples = np.sort(scorer.chrf_rows(sums))
    assert scorer.corpus_scores(stats).chrf_ci == (samples[25], samples[974])
    assert significance.interval is interval


def test_cjk_source_uses_its_tokenizer() -> None:
    """A Chinese source scores BLEU with sacrebleu's zh tokenizer."""
    zh = Scorer("zh", bootstrap=0)
    (score,) = zh.segment_scores(zh.stats(["三宝垄市政府准备了预算。"], ["三宝垄市政府已准备预算。"]))
    assert score.chrf == pytest.approx(41.001855287569576)
    assert score.bleu == pytest.approx(57.73502691896257)
    assert "tok:zh" in zh.signatures["bleu"]


def test_signatures_record_the_settings(scorer: Scorer) -> None:
    """Each metric's sacrebleu signature names what changes its numbers."""
    assert scorer.signatures["chrf"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:")
    assert "tok:13a" in scorer.signatures["bleu"] and "eff:no" in scorer.signatures["bleu"]
    assert "eff:yes" in scorer.signatures["bleu_segment"]
    assert scorer.signatures["ter"].startswith("nrefs:1|case:lc|tok:tercom")


words = st.lists(
    st.sampled_from(["banjir", "rob", "kota", "12", "Semarang", "warga,", "pesisir.", "é", "ü", "市", "政府"]),
    max_size=12,
).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(words, words), min_size=1, max_size=8))
def test_vectorised_scores_equal_sacrebleu_on_any_input(pairs: list[tuple[str, str]]) -> None:
    """Property: per-segment and corpus scores equal sacrebleu's for arbitrary short texts."""
    scorer = Scorer("id", bootstrap=0)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    stats = scorer.stats(hyps, refs)
    chrf, bleu, ter = CHRF(word_order=2), BLEU(effective_order=True), TER()
    for got, h, r in zip(scorer.segment_scores(stats), hyps, refs, strict=True):
        assert got.chrf == pytest.approx(chrf.sentence_score(h, [r]).score, abs=1e-9)
        assert got.bleu == pytest.approx(bleu.sentence_score(h, [r]).score, abs=1e-9)
        assert got.ter == pytest.approx(ter.sentence_score(h, [r]).score, abs=1e-9)
    corpus = scorer.corpus_scores(stats, intervals=False)
    assert corpus.chrf == pytest.approx(CHRF(word_order=2).corpus_score(hyps, [refs]).score, abs=1e-9)
    assert corpus.bleu == pytest.approx(BLEU().corpus_score(hyps, [refs]).score, abs=1e-9)
    assert corpus.ter == pytest.approx(TER().corpus_score(hyps, [refs]).score, abs=1e-9)
    assert np.all(stats.chrf >= 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab cdé,.", max_size=40), min_size=1, max_size=5))
def test_matrix_statistics_counted_once_per_pair_equal_both_ways(texts: list[str]) -> None:
    """The whole-text matrix counts each pair once and trades the totals: the same rows as counting both ways."""
    scorer = Scorer("id", bootstrap=0)
    cells = [(i, j) for i in range(len(texts)) for j in range(len(texts)) if i != j]
    expected = scorer.chrf_stats([texts[i] for i, _ in cells], [texts[j] for _, j in cells])
    found = scorer.chrf_stats_both_ways(texts, [(i, j) for i, j in cells if i < j])
    assert found.shape == expected.shape and np.array_equal(found, expected)


def test_joined_texts_score_as_if_extracted_afresh() -> None:
    """The scorer counts a joined text's n-grams from its parts; the similarities are those of a scorer
    that never saw the parts, and a text joined without spaces (CJK) is extracted as it is."""
    parts = ["Banjir merendam Semarang.", "Warga mengungsi ke masjid.", "Air surut pagi ini."]
    for lang, sep in (("id", " "), ("ja", "")):
        scorer, fresh = Scorer(lang, bootstrap=0), Scorer(lang, bootstrap=0)
        joined = [scorer.join(parts[:2]), scorer.join(parts[1:]), scorer.join(parts)]
        assert joined == [sep.join(parts[:2]), sep.join(parts[1:]), sep.join(parts)]
        refs = [parts[0], parts[2], " ".join(reversed(parts))]
        assert scorer.similarity(joined, refs) == fresh.similarity(joined, refs)
        assert scorer.similarity(refs, joined) == fresh.similarity(refs, joined)  # both ways round


def test_bootstrap_draws_kept_for_reuse_are_the_draws_made_afresh() -> None:
    rng = np.random.default_rng(5)
    small, large = rng.integers(0, 9, size=(30, 4)).astype(float), rng.integers(0, 9, size=(150, 4)).astype(float)
    for stats in (small, large):  # large: 150 rows × 1000 resamples is more than is kept
        (first,) = resampled_sums((stats,), 1000, seed=7)
        (again,) = resampled_sums((stats,), 1000, seed=7)
        counts = np.random.default_rng(7).multinomial(len(stats), np.full(len(stats), 1 / len(stats)), size=1000)
        assert np.array_equal(first, again)
        assert np.array_equal(first, counts.astype(float) @ stats)
