"""backtrans.score._ter gives the edit counts of sacrebleu's own TER, pair by pair (it is only faster)."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import TER
from sacrebleu.metrics.lib_ter import translation_edit_rate as sacrebleu_ter

from backtrans.score._ter import translation_edit_rate
from backtrans.score.sacrebleu_adapter import SacrebleuMetrics

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "semarang-flood"

# a small vocabulary: runs of equal words and shifted phrases are common, so every branch of the
# shift search (ties, the "within the sequence" rule, targets before the start) is exercised
words = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_equal_to_sacrebleu_on_small_vocabularies(hyp: list[str], ref: list[str]) -> None:
    assert translation_edit_rate(hyp, ref) == sacrebleu_ter(hyp, ref)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.sampled_from("abcdefghij"), min_size=26, max_size=40), st.integers(0, 10_000))
def test_equal_beyond_the_beam_and_with_skewed_lengths(ref: list[str], seed: int) -> None:
    """Pairs longer than the beam (25 words) and of very different lengths, where the beam widens."""
    rng = random.Random(seed)
    hyp = list(ref)
    rng.shuffle(hyp)  # many shifts, up to the 1,000-candidate limit
    for cut in (len(hyp), len(hyp) // 3, 2):
        assert translation_edit_rate(hyp[:cut], ref) == sacrebleu_ter(hyp[:cut], ref)
        assert translation_edit_rate(ref, hyp[:cut]) == sacrebleu_ter(ref, hyp[:cut])


def test_edge_cases() -> None:
    for hyp, ref in [([], []), ([], ["a"]), (["a"], []), (["a"], ["a"]), (["a", "b"], ["b", "a"])]:
        assert translation_edit_rate(hyp, ref) == sacrebleu_ter(hyp, ref)
    assert translation_edit_rate(["a", "b", "c"], ["c", "a", "b"]) == (1, 3)  # one shift


def test_equal_on_real_back_translations() -> None:
    """Every pair of sentences of the example (back-translations against the source and each other)."""
    tokenise = TER()._preprocess_segment
    lines = [
        tokenise(line).split()
        for path in sorted(EXAMPLE.glob("*.back.txt")) + [EXAMPLE / "id.txt"]
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    rng = random.Random(5)
    for hyp, ref in [(rng.choice(lines), rng.choice(lines)) for _ in range(300)]:
        assert translation_edit_rate(hyp, ref) == sacrebleu_ter(hyp, ref)


def test_adapter_statistics_equal_sacrebleu_corpus_statistics() -> None:
    metrics = SacrebleuMetrics("13a", asian_support=False)
    lines = [line for line in (EXAMPLE / "en.back.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
    refs = [line for line in (EXAMPLE / "id.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
    hyps = lines[: len(refs)] + [""] * max(0, len(refs) - len(lines))
    ours, long = metrics.ter_statistics(hyps, [refs])
    theirs = TER()._extract_corpus_statistics(hyps, [refs])
    assert long == 0
    assert [[float(v) for v in row] for row in ours] == [[float(v) for v in row] for row in theirs]
