"""No input makes the score path super-linear without saying so (issue 10, item 11)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrans.cli.commands import main
from backtrans.flag.acronyms import definitions
from backtrans.flag.names import source_names
from backtrans.flag.numbers import Number, extract_numbers
from backtrans.flag.quantities import compare_numbers, same_value
from backtrans.score import scoring
from backtrans.score.sacrebleu_adapter import TER_MAX_WORDS, banded_edits
from backtrans.score.scoring import Scorer, join_segments
from backtrans.text import align as align_module
from backtrans.text.align import MAX_BAND, align
from backtrans.types import Segment

SCORER = Scorer("id", bootstrap=0)
WORDS = [
    "banjir",
    "warga",
    "kota",
    "pemerintah",
    "anggaran",
    "rumah",
    "jalan",
    "hujan",
    "sungai",
    "air",
    "pesisir",
    "tanggul",
]


def sentence(i: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(8)).capitalize() + f" nomor {i}."


def counting_similarity(calls: list[int]):  # type: ignore[no-untyped-def]
    def similarity(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
        calls.append(len(hyps))
        return [float(v) / 100 for v in SCORER.chrf_rows(SCORER.chrf_stats(hyps, refs))]

    return similarity


def join(texts: Sequence[str]) -> str:
    return join_segments(texts, "id")


def test_alignment_work_grows_linearly_with_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice the segments (without paragraph anchors), about twice the candidate pairs, not four times.

    (A band of 8 instead of 32 reaches its bound at fewer segments, which keeps the test fast.)"""
    monkeypatch.setattr(align_module, "MAX_BAND", 8)
    work = {}
    for n in (100, 200):
        source = [Segment(1, i + 1, sentence(i)) for i in range(n)]
        back = [Segment(1 + i // 7, i + 1, sentence(i)) for i in range(n)]  # other paragraphs: no anchors
        calls: list[int] = []
        links = align(source, back, counting_similarity(calls), join).links
        assert [(link.source, link.back) for link in links] == [((i,), (i,)) for i in range(n)]
        work[n] = sum(calls)
        assert max(calls) <= align_module.ROWS_PER_BATCH * (2 * 8 + 1) * 12  # bounded batches
    assert 1.8 < work[200] / work[100] < 2.2
    assert MAX_BAND == 32


def test_lengths_orders_of_magnitude_apart_are_not_aligned(write_article, tmp_path: Path, capsys) -> None:
    """A 1 KB back-translation of a long source: every segment omitted or added, a warning, and fast."""
    source = " ".join(sentence(i) for i in range(400))
    folder = write_article("a", {"id.txt": source, "en.txt": "Short.", "en.back.txt": sentence(1)})
    calls: list[int] = []
    from backtrans.load.loading import load_inputs
    from backtrans.text.segment import segment_document

    article = load_inputs([folder]).articles[0]
    src = segment_document(article.source)
    result = align(src, [Segment(1, 1, sentence(1))], counting_similarity(calls), join)
    assert calls == [] and result.refused and "not aligned" in result.refused
    assert {link.kind for link in result.links} == {"1-0", "0-1"}
    with pytest.raises(SystemExit) as info:
        main(["score", str(folder), "--out", str(tmp_path / "out"), "--bootstrap", "0"])
    assert info.value.code == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert any("× apart, more than 20×); not aligned" in w for w in report["warnings"])
    (version,) = report["articles"][0]["versions"]
    assert any(flag["severity"] == "high" for flag in version["flags"])  # the version does not correspond
    capsys.readouterr()


def levenshtein(a: Sequence[str], b: Sequence[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from("abcde"), max_size=40),
    st.lists(st.sampled_from("abcde"), max_size=40),
    st.integers(min_value=1, max_value=30),
)
def test_banded_edit_distance_is_never_below_the_true_one(hyp: list[str], ref: list[str], band: int) -> None:
    """Without shifts and within a band, the distance is an upper bound, and exact with a wide band."""
    true = levenshtein(hyp, ref)
    assert banded_edits(hyp, ref, band) >= true
    assert banded_edits(hyp, ref, 100) == true


def test_long_pairs_get_ter_without_shifts_and_a_warning(write_article, tmp_path: Path, capsys) -> None:
    """A pair of repetitive 400-word segments would take minutes of TER shift search; it takes no time."""
    long_src = " ".join(WORDS[i % 3] for i in range(400)) + "."
    long_back = " ".join(WORDS[(i + 1) % 3] for i in range(400)) + "."
    folder = write_article("a", {"id.txt": long_src, "en.txt": "Long.", "en.back.txt": long_back})
    with pytest.raises(SystemExit) as info:
        main(["score", str(folder), "--out", str(tmp_path / "out"), "--bootstrap", "0"])
    assert info.value.code == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert any(f"more than {TER_MAX_WORDS} words on a side" in w for w in report["warnings"])
    (version,) = report["articles"][0]["versions"]
    assert 0 < version["pairs"][0]["scores"]["ter"] <= 100
    capsys.readouterr()


def test_bootstrap_in_chunks_gives_the_same_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resamples drawn a few at a time (bounded memory) are the same draws as all at once."""
    hyps = [sentence(i) for i in range(40)]
    refs = [sentence(i + (i % 3 == 0)) for i in range(40)]
    scorer = Scorer("id", bootstrap=500)
    whole = scorer.corpus_scores(scorer.stats(hyps, refs))
    monkeypatch.setattr(scoring, "BOOTSTRAP_CELLS", 7 * 40)
    assert scorer.corpus_scores(scorer.stats(hyps, refs)) == whole


def _scan_counterpart(n: Number, others: Sequence[Number], used: set[int]) -> int | None:
    """The reference: every other quantity looked at, in order (n × m), as numbers.py once did."""
    cross = []
    for k, o in enumerate(others):
        if k in used:
            continue
        if n.kind == o.kind and same_value(n.value, o.value):
            return k
        pair = {n.kind: n.value} | {o.kind: o.value}
        if set(pair) == {"date", "day"}:
            ok = int(pair["date"]) % 100 == pair["day"]
        elif set(pair) == {"date", "month"}:
            ok = int(pair["date"]) // 100 == pair["month"]
        elif set(pair) == {"time", "number"}:
            ok = int(pair["time"]) % 100 == 0 and same_value(int(pair["time"]) // 100, pair["number"])
        elif set(pair) == {"day", "number"}:
            ok = same_value(pair["day"], pair["number"])
        elif set(pair) == {"date", "number"}:
            ok = same_value(int(pair["date"]) % 100, pair["number"])
        else:
            ok = False
        if ok:
            cross.append(k)
    return cross[0] if cross else None


NUMBER_TEXT = st.lists(
    st.sampled_from(
        ["12", "12,5", "12.500", "1,2 triliun", "3", "tiga", "40.000", "40 000", "7", "0,0000000001", "20 Juli 2024"]
        + ["20", "pukul 14.00", "14", "Juli", "Senin", "2024", "tanggal 7", "1e400"]
    ),
    max_size=12,
).map(" dan ".join)


@settings(max_examples=150, deadline=None)
@given(NUMBER_TEXT, NUMBER_TEXT)
def test_indexed_pairing_equals_the_pairwise_scan(source: str, version: str) -> None:
    """The indexed pool that made pairing quantities near-linear pairs exactly as the n × m scan did."""
    src, ver = extract_numbers(source, "id"), extract_numbers(version, "id")
    used: set[int] = set()
    paired = []
    for n in src:
        k = _scan_counterpart(n, ver, used)
        if k is not None:
            used.add(k)
        paired.append(k)
    from backtrans.flag.quantities import _Pool

    pool = _Pool(ver)
    indexed = []
    for n in src:
        k = pool.counterpart(n)
        if k is not None:
            pool.taken.add(k)
        indexed.append(k)
    assert indexed == paired
    check = compare_numbers(source, "id", version, "id")
    assert set(check.missing) <= {n.text for n in src}


def test_pairing_many_quantities_is_near_linear() -> None:
    """10,000 numbers against the same numbers in reverse order: the scan took minutes, the pool milliseconds."""
    count = 10_000
    source = ", then ".join(f"{i}.{i % 7}" for i in range(count))
    version = ", then ".join(f"{i}.{i % 7}" for i in reversed(range(count)))
    check = compare_numbers(source, "en", version, "en")
    assert check.ok


def test_a_huge_capitalised_token_is_read_in_linear_time() -> None:
    """Long forms start only where a word starts: the pattern used to be tried at every letter of a long
    capitalised token (20,000 letters took seconds, 100,000 minutes); now it is milliseconds."""
    text = "A" * 100_000 + " lalu Komisi Pemberantasan Korupsi (KPK)"
    assert definitions(text) == {"KPK": ("Komisi", "Pemberantasan", "Korupsi")}
    assert "KPK" in {n.surface for n in source_names(text)}


def test_sentence_splitting_scans_each_character_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 23, C3: one line of N short sentences (abbreviations, initials, numbers among them) is split
    looking a word ahead of each full stop, not the rest of the line: the characters looked at past the
    sentence ends stay within a small multiple of the line's length and grow linearly with it."""
    from backtrans.text import segment

    work = {}
    for n in (2_000, 8_000):
        parts = ["Dr. Ani pergi ke Jl. Merdeka.", "G. Budi makan nasi.", "Harga naik 2.5 persen dll.", "Ya."]
        line = " ".join(f"{parts[i % len(parts)]} Nomor {i}." for i in range(n // 2))
        scanned: list[int] = []
        monkeypatch.setattr(segment, "scan_hook", scanned.append)
        sentences = segment.split_sentences(line, "id")
        assert len(sentences) >= n * 3 // 4
        assert "Dr. Ani pergi ke Jl. Merdeka." in sentences  # the abbreviations still hold
        # a window of LOOKAHEAD characters after each of ~3 full stops per 30 characters: about 7× the line
        assert sum(scanned) <= 8 * len(line), (n, sum(scanned), len(line))
        assert max(scanned) <= 2 * segment.LOOKAHEAD + 1
        work[n] = sum(scanned)
    assert 3.6 < work[8_000] / work[2_000] < 4.4  # linear (the rest of the line each time: 16×)


def test_one_long_paragraph_is_aligned_with_a_bounded_search_per_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 23, C3: inside one paragraph (anchored) the candidate pairs scored per segment are bounded by the
    band, so four times the sentences cost four times the pairs (a band of 8 reaches its bound sooner)."""
    monkeypatch.setattr(align_module, "MAX_BAND", 8)
    work = {}
    for n in (100, 400):
        source = [Segment(1, i + 1, sentence(i)) for i in range(n)]
        back = [Segment(1, i + 1, sentence(i)) for i in range(n)]
        calls: list[int] = []
        links = align(source, back, counting_similarity(calls), join).links
        assert [(link.source, link.back) for link in links] == [((i,), (i,)) for i in range(n)]
        work[n] = sum(calls)
        assert work[n] <= n * (2 * 8 + 1) * 12
    assert 3.6 < work[400] / work[100] < 4.4
