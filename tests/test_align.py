"""Alignment of back-translations with the source: splits, merges, omissions, additions, merged paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backtrans.score.scoring import Scorer, join_segments
from backtrans.text.align import align
from backtrans.types import Segment

SCORER = Scorer("id", bootstrap=0)

S1 = "Pemerintah kota menyiapkan anggaran besar untuk menangani banjir di kawasan pesisir utara."
S2 = "Program itu mencakup pembangunan tanggul laut dan dua belas rumah pompa baru."
S3 = "Wali kota mengatakan setiap musim hujan puluhan ribu warga terdampak banjir."
S4 = "Badan cuaca memperingatkan bahwa permukaan tanah di pesisir terus turun setiap tahun."
EXTRA = "Seorang pejabat juga berjanji akan mengundurkan diri jika rencana itu gagal total."


def similarity(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
    return [float(v) / 100 for v in SCORER.chrf_rows(SCORER.chrf_stats(hyps, refs))]


def join(texts: Sequence[str]) -> str:
    return join_segments(texts, "id")


def segs(*paragraphs: Sequence[str]) -> list[Segment]:
    return [Segment(p, s, t) for p, texts in enumerate(paragraphs, start=1) for s, t in enumerate(texts, start=1)]


def links_of(source: list[Segment], back: list[Segment]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.source, link.back) for link in align(source, back, similarity, join).links]


def test_faithful_version_is_all_one_to_one() -> None:
    """Four sentences, four 1-1 links."""
    assert links_of(segs([S1, S2], [S3, S4]), segs([S1, S2], [S3, S4])) == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), (2,)),
        ((3,), (3,)),
    ]


def test_split_sentence_is_one_to_two() -> None:
    """The version split S1 into two sentences: a 1-2 link."""
    first, second = S1.split(" untuk ")
    back = segs([first + ".", "Untuk " + second, S2])
    assert links_of(segs([S1, S2]), back) == [((0,), (0, 1)), ((1,), (2,))]


def test_merged_sentences_are_two_to_one() -> None:
    """The version merged S1 and S2: a 2-1 link."""
    back = segs([S1[:-1] + ", dan " + S2[0].lower() + S2[1:], S3])
    assert links_of(segs([S1, S2, S3]), back) == [((0, 1), (0,)), ((2,), (1,))]


def test_dropped_sentence_is_one_to_zero() -> None:
    """The version dropped S2 (a short one between long ones): a 1-0 link, not a merge."""
    assert links_of(segs([S1, S2, S3]), segs([S1, S3])) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]


def test_added_sentence_is_zero_to_one() -> None:
    """The version added a sentence the source never said: a 0-1 link, not a merge."""
    assert links_of(segs([S1, S2]), segs([S1, S2, EXTRA])) == [((0,), (0,)), ((1,), (1,)), ((), (2,))]


def test_merged_paragraphs_are_aligned_as_one_text() -> None:
    """Paragraph counts differ: the body is aligned as a whole, still 1-1."""
    result = align(segs([S1, S2], [S3], [S4]), segs([S1, S2, S3], [S4]), similarity, join)
    assert not result.anchored
    assert [(link.source, link.back) for link in result.links] == [((i,), (i,)) for i in range(4)]


def test_headline_is_aligned_on_its_own_or_left_out() -> None:
    """Paragraph 0 (the headline) pairs with the version's headline; without one it is left out."""
    source = [Segment(0, 1, "Banjir Rob Semarang"), *segs([S1])]
    with_title = [Segment(0, 1, "Banjir Rob di Semarang"), *segs([S1])]
    assert links_of(source, with_title) == [((0,), (0,)), ((1,), (1,))]
    assert links_of(source, segs([S1])) == [((1,), (0,))]


POOL = [S1, S2, S3, S4, EXTRA, "Dia ditangkap di Jakarta.", "Warga diminta bersabar.", "KPK menyebut 600 keluarga."]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.lists(st.lists(st.sampled_from(POOL), min_size=1, max_size=4), min_size=1, max_size=3),
    back=st.lists(st.lists(st.sampled_from(POOL), min_size=1, max_size=4), min_size=1, max_size=3),
)
def test_every_segment_appears_once_in_order(source: list[list[str]], back: list[list[str]]) -> None:
    """Property: each source and back segment is in exactly one link, and links are monotone."""
    src, bck = segs(*source), segs(*back)
    links = align(src, bck, similarity, join).links
    src_seen = [i for link in links for i in link.source]
    back_seen = [j for link in links for j in link.back]
    assert sorted(src_seen) == list(range(len(src))) and src_seen == sorted(src_seen)
    assert sorted(back_seen) == list(range(len(bck))) and back_seen == sorted(back_seen)
    assert all(link.kind in {"1-1", "1-0", "0-1", "2-1", "1-2", "2-2"} for link in links)


@pytest.mark.parametrize("n", [30])
def test_long_unanchored_text_uses_a_band_and_stays_complete(n: int) -> None:
    """Whole-text alignment of a long article (merged paragraphs) still covers everything, 1-1."""
    texts = [f"{POOL[i % len(POOL)][:-1]} nomor {i}." for i in range(n)]
    source = [Segment(1 + i // 3, 1 + i % 3, t) for i, t in enumerate(texts)]
    back = [Segment(1 + i // 5, 1 + i % 5, t) for i, t in enumerate(texts)]
    links = align(source, back, similarity, join).links
    assert [(link.source, link.back) for link in links] == [((i,), (i,)) for i in range(n)]
