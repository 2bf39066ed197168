"""Over-long segments are split into pieces that fit, never cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backtrans.text.segment import join_segments
from backtrans.translate.backends.splitting import split_to_fit


def words(text: str) -> int:
    return len(text.split()) + 1


def test_short_text_is_one_piece() -> None:
    """A text within the limit is left alone."""
    assert split_to_fit("satu dua tiga", words, 10) == ["satu dua tiga"]


def test_prefers_sentence_then_clause_boundaries() -> None:
    """Sentence ends first, then commas, then spaces."""
    text = "Satu dua tiga. Empat lima enam, tujuh delapan sembilan sepuluh."
    assert split_to_fit(text, words, 4) == [
        "Satu dua tiga.",
        "Empat lima enam,",
        "tujuh delapan sembilan",
        "sepuluh.",
    ]


def test_unspaced_script_is_split_by_characters() -> None:
    """CJK text without any boundary is halved until each piece fits."""
    pieces = split_to_fit("汚職撲滅委員会調査中", len, 3)
    assert "".join(pieces) == "汚職撲滅委員会調査中"
    assert all(len(p) <= 3 for p in pieces)


@settings(max_examples=150, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["kata", "panjang,", "sekali.", "。", "漢字", " ", "!", "x"]), min_size=1, max_size=80
    ).map("".join),
    limit=st.integers(min_value=2, max_value=12),
)
def test_pieces_fit_and_keep_every_character(text: str, limit: int) -> None:
    """Property: every piece fits the limit and the pieces hold the whole text, in order."""
    pieces = split_to_fit(text, len, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_join_pieces_by_output_language() -> None:
    """Latin outputs are joined with a space, CJK outputs without."""
    assert join_segments(["Satu.", " Dua. "], "id") == "Satu. Dua."
    assert join_segments(["一。", "二。"], "ja") == "一。二。"
