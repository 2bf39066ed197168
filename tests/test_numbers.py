"""Numbers across scripts, separators, scale words and number words."""

from __future__ import annotations

import pytest

from backtrans.numbers import compare_numbers, extract_numbers


def values(text: str, lang: str) -> list[float]:
    return [n.value for n in extract_numbers(text, lang) if not n.word]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("lebih dari 40.000 warga, naik 2,5 persen", "id", [40000, 2.5]),
        ("Rp1,2 triliun dan Rp350 miliar", "id", [1.2e12, 3.5e11]),
        ("more than 40,000 residents, up 2.5%", "en", [40000, 2.5]),
        ("Rp1.2 trillion and Rp350 billion", "en", [1.2e12, 3.5e11]),
        ("plus de 40 000 habitants, 1 200 milliards de roupies, 8,5 km", "fr", [40000, 1.2e12, 8.5]),
        ("超过4万名居民，1.2万亿印尼盾，3500亿", "zh", [40000, 1.2e12, 3.5e11]),
        ("１２か所、3500億ルピア、1.2兆", "ja", [12, 3.5e11, 1.2e12]),
        ("أكثر من 40 ألف ساكن، ٥٢ عاما، ٢٫٥", "ar", [40000, 52, 2.5]),
        ("10月14日、2026年1月", "ja", [14, 2026]),
        ("pukul 10.00 WIB, 1.234,5 ton", "id", [10.0, 1234.5]),
    ],
)
def test_values_are_normalised(text: str, lang: str, expected: list[float]) -> None:
    """Separators, digit scripts, scale words and CJK month numbers."""
    assert values(text, lang) == pytest.approx(expected)


def test_source_number_words_are_known() -> None:
    """'tiga kali', 'dua puluh' and 'satu miliar' count as numbers of the source language."""
    words = {n.value for n in extract_numbers("tiga kali, dua puluh orang, satu miliar", "id") if n.word}
    assert {3, 20, 1e9} <= words


def test_compare_accepts_the_same_numbers_written_differently() -> None:
    """The example's Indonesian and Chinese paragraphs carry the same numbers."""
    source = "Setiap musim hujan, lebih dari 40.000 warga terdampak, kata Dewi, Selasa, 14 Oktober. Rumah tiga kali."
    version = "每逢雨季，都有超过4万名居民受灾，10月14日星期二说。房子3次。"
    assert compare_numbers(source, "id", version, "zh").ok


def test_compare_reports_a_changed_number_both_ways() -> None:
    """12 pumps became 21: 12 is missing, 21 is unexpected."""
    check = compare_numbers("dan 12 rumah pompa baru", "id", "and 21 new pumping stations", "en")
    assert check.missing == ("12",) and check.unexpected == ("21",)


def test_wrong_scale_is_a_mismatch() -> None:
    """1,2 triliun is not 1.2 billion."""
    assert not compare_numbers("Rp1,2 triliun", "id", "Rp1.2 billion", "en").ok
