"""Paragraphs and sentences in the six newsroom languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrans.text.segment import (
    read_lines_as_segments,
    segment_document,
    segment_text,
    split_paragraphs,
    split_sentences,
)
from backtrans.types import Document

CASES = {
    "id": (
        "JAKARTA - KPK memeriksa saksi, dll. pada Senin. Harga naik Rp. 5.000 atau 2,5 persen. "
        '"Kita masih kerja," kata Ketua KPK Firli Bahuri. Dr. Budi dan Abdul G. Mas\'ud hadir.',
        [
            "JAKARTA - KPK memeriksa saksi, dll. pada Senin.",
            "Harga naik Rp. 5.000 atau 2,5 persen.",
            '"Kita masih kerja," kata Ketua KPK Firli Bahuri.',
            "Dr. Budi dan Abdul G. Mas'ud hadir.",
        ],
    ),
    "en": (
        'Mr. Smith went to Washington. He said "Hello there." Then he left! U.S. officials agreed. "Really?" he asked.',
        [
            "Mr. Smith went to Washington.",
            'He said "Hello there."',
            "Then he left!",
            "U.S. officials agreed.",
            '"Really?" he asked.',
        ],
    ),
    "fr": (
        "M. Dupont est arrivé à 10 h. « La personne a été arrêtée à Jakarta », a déclaré Ali. Quoi ? Oui ! À bientôt.",
        [
            "M. Dupont est arrivé à 10 h.",
            "« La personne a été arrêtée à Jakarta », a déclaré Ali.",
            "Quoi ?",
            "Oui !",
            "À bientôt.",
        ],
    ),
    "zh": (
        "雅加达——肃贪委员会仍在调查。“我们还在工作。”他说。这是第三句！真的吗？价格为2.5亿。",
        ["雅加达——肃贪委员会仍在调查。", "“我们还在工作。”他说。", "这是第三句！", "真的吗？", "价格为2.5亿。"],
    ),
    "ja": (
        "ジャカルタ - 委員会は調査中です。「我々はまだ取り組んでいる。」とKPKの会長は述べた。本当ですか？はい！",
        [
            "ジャカルタ - 委員会は調査中です。",
            "「我々はまだ取り組んでいる。」とKPKの会長は述べた。",
            "本当ですか？",
            "はい！",
        ],
    ),
    "ar": (
        "جاكرتا - لا تزال اللجنة تدرس الأطراف، والتحقيق مستمر. هل هذا صحيح؟ قال د. علي: نعم! وانتهى الأمر.",
        [
            "جاكرتا - لا تزال اللجنة تدرس الأطراف، والتحقيق مستمر.",
            "هل هذا صحيح؟",
            "قال د. علي: نعم!",
            "وانتهى الأمر.",
        ],
    ),
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_sentences_in_six_languages(lang: str) -> None:
    """Sentence ends, abbreviations, initials, quotes and script punctuation per language."""
    text, expected = CASES[lang]
    assert split_sentences(text, lang) == expected


def test_arabic_comma_and_semicolon_do_not_end_sentences() -> None:
    """، and ؛ are clause marks, not sentence ends."""
    assert split_sentences("قال علي، وهو صياد؛ إن المياه تدخل.", "ar") == ["قال علي، وهو صياد؛ إن المياه تدخل."]


def test_paragraph_numbers_and_headline() -> None:
    """Body paragraphs count from 1 (blank lines separate them); the headline is paragraph 0."""
    doc = Document("id", "Satu. Dua.\n\n\n  \nTiga.\r\n\r\nEmpat.", title="Judul Berita")
    segments = segment_document(doc)
    assert [(s.id, s.text) for s in segments] == [
        ("0.1", "Judul Berita"),
        ("1.1", "Satu."),
        ("1.2", "Dua."),
        ("2.1", "Tiga."),
        ("3.1", "Empat."),
    ]


def test_line_breaks_are_hard_boundaries() -> None:
    """A single line break ends a segment (so one-segment-per-line files read back exactly)."""
    assert split_sentences("JAKARTA\nKomisi bekerja", "id") == ["JAKARTA", "Komisi bekerja"]


def test_read_lines_as_segments_keeps_each_line() -> None:
    """The back-translation format: every line is one segment, even with two sentences on it."""
    segments = read_lines_as_segments("Satu. Dua.\nTiga.\n\nEmpat.", title="Judul")
    assert [(s.id, s.text) for s in segments] == [
        ("0.1", "Judul"),
        ("1.1", "Satu. Dua."),
        ("1.2", "Tiga."),
        ("2.1", "Empat."),
    ]


_pieces = st.sampled_from(list("abcdefgKPK .,!?\"'«»。！？؟،「」“”0123456789") + ["dll.", "Rp.", " Dr. ", "\n", "\n\n"])
_words = st.lists(_pieces, max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=_words, lang=st.sampled_from(sorted(CASES)))
def test_segmentation_loses_no_text(text: str, lang: str) -> None:
    """Whatever the input, segments keep every non-space character, in order, and none is empty."""
    segments = segment_text(text, lang)
    assert all(s.text.strip() == s.text and s.text for s in segments)
    joined = "".join("".join(s.text.split()) for s in segments)
    assert joined == "".join(text.split())
    paragraphs = [s.paragraph for s in segments]
    assert paragraphs == sorted(paragraphs)
    assert len(set(paragraphs)) <= len(split_paragraphs(text))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("He said no. Then he left.", "en", ["He said no.", "Then he left."]),
        ("Rumah No. 5 itu besar. Kami datang.", "id", ["Rumah No. 5 itu besar.", "Kami datang."]),
        ("We sell apples, pears etc. The shop opens.", "en", ["We sell apples, pears etc.", "The shop opens."]),
        ("Ada beras, gula, dll. Kemudian harga naik.", "id", ["Ada beras, gula, dll.", "Kemudian harga naik."]),
        ("Take Vitamin C. Then rest.", "en", ["Take Vitamin C.", "Then rest."]),
        ("Komisaris G. Washington datang.", "en", ["Komisaris G. Washington datang."]),
        ("“我们会研究。”他说明天会宣布结果。", "zh", ["“我们会研究。”", "他说明天会宣布结果。"]),
        ("“我们会研究。”他在周四接受采访时说。", "zh", ["“我们会研究。”他在周四接受采访时说。"]),
    ],
)
def test_sentence_boundaries_that_were_wrong(text: str, lang: str, expected: list[str]) -> None:
    """Case-sensitive abbreviations, abbreviations and initials before a sentence, Chinese attributions."""
    assert split_sentences(text, lang) == expected
