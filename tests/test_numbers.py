"""Numbers, dates and times compared as values across scripts, separators, scale words and number words."""

from __future__ import annotations

import pytest

from backtrans.flag.dates import find_dates
from backtrans.flag.numbers import extract_numbers
from backtrans.flag.quantities import compare_numbers


def values(text: str, lang: str, kind: str = "number") -> list[float]:
    return [n.value for n in extract_numbers(text, lang) if not n.word and n.kind == kind]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("lebih dari 40.000 warga, naik 2,5 persen", "id", [40000, 2.5]),
        ("Rp1,2 triliun dan Rp350 miliar", "id", [1.2e12, 3.5e11]),
        ("more than 40,000 residents, up 2.5%", "en", [40000, 2.5]),
        ("Rp1.2 trillion and Rp350 billion", "en", [1.2e12, 3.5e11]),
        ("plus de 40 000 habitants, 1 200 milliards de roupies, 8,5 km", "fr", [40000, 1.2e12, 8.5]),
        ("超过4万名居民，1.2万亿印尼盾，3500亿", "zh", [40000, 1.2e12, 3.5e11]),
        ("１２か所、3500億ルピア、1.2兆、1兆2000億ルピア、3万1610ドル", "ja", [12, 3.5e11, 1.2e12, 1.2e12, 31610]),
        ("أكثر من 40 ألف ساكن، ٥٢ عاما، ٢٫٥", "ar", [40000, 52, 2.5]),
        ("Pada 2024 100 rumah terendam", "id", [2024, 100]),
        ("COVID-19 dan G20 pada 2020-2024, kuota 1x24 jam", "id", [24, 2020, 2024]),
        ("kapasitas 672兆瓦", "zh", [672]),
    ],
)
def test_values_are_normalised(text: str, lang: str, expected: list[float]) -> None:
    """Separators, digit scripts, scale words, composite CJK numbers; no joining of unrelated numbers; codes skipped."""
    assert values(text, lang) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kamis (21/7) pukul 10.30 WIB", "id"),
        ("Thursday, July 21, at 10:30 a.m.", "en"),
        ("jeudi 21 juillet à 10h30", "fr"),
        ("7月21日（木）午前10時30分", "ja"),
        ("7月21日星期四上午10点30分", "zh"),
        ("الخميس 21 يوليو الساعة 10:30", "ar"),
    ],
)
def test_the_same_date_time_and_weekday_in_six_languages(text: str, lang: str) -> None:
    """A date, a time and a weekday read as values in every script the newsroom publishes in."""
    found = {(d.kind, d.value) for d in find_dates(text.translate(str.maketrans("０１", "01")), lang)}
    assert {("date", (7, 21)), ("time", (10, 30)), ("weekday", (4,))} <= found
    assert compare_numbers("Kamis (21/7) pukul 10.30 WIB", "id", text, lang).ok


def test_source_number_words_are_known() -> None:
    """'tiga kali', 'dua puluh', 'satu miliar', 'ketiga', 'Komisi I' count as numbers of the source language."""
    words = {
        n.value for n in extract_numbers("tiga kali, dua puluh orang, satu miliar, ketiganya, Komisi I", "id") if n.word
    }
    assert {3, 20, 1e9, 1} <= words


def test_compare_accepts_the_same_numbers_written_differently() -> None:
    """The example's Indonesian and Chinese paragraphs carry the same numbers."""
    source = "Setiap musim hujan, lebih dari 40.000 warga terdampak, kata Dewi, Selasa, 14 Oktober. Rumah tiga kali."
    version = "每逢雨季，都有超过4万名居民受灾，10月14日星期二说。房子3次。"
    assert compare_numbers(source, "id", version, "zh").ok


@pytest.mark.parametrize(
    ("source", "version", "lang"),
    [
        ("US$2,15 miliar", "21.5亿美元", "zh"),
        ("Rp1,2 triliun", "1兆2000億ルピア", "ja"),
        ("Rp1,2 triliun", "1 200 milliards de roupies", "fr"),
        ("pukul 10.30 WIB", "at 10:30 a.m.", "en"),
        ("pada 20-21 Juli", "on July 20-21", "en"),
        ("Komisi I DPR", "国会第1委員会", "ja"),
        ("ketiga tersangka", "3人の容疑者", "ja"),
        ("Kasus COVID-19", "كوفيد-19", "ar"),
        ("tujuh penumpang tewas", "Sept passagers ont été tués", "fr"),
    ],
)
def test_same_values_in_other_forms_are_not_mismatches(source: str, version: str, lang: str) -> None:
    """Scale, currency, time, ranges, Roman numerals, ordinals, codes and number words: the same value."""
    assert compare_numbers(source, "id", version, lang).ok


def test_compare_reports_a_changed_number_both_ways() -> None:
    """12 pumps became 21: 12 is missing, 21 is unexpected."""
    check = compare_numbers("dan 12 rumah pompa baru", "id", "and 21 new pumping stations", "en")
    assert check.missing == ("12",) and check.unexpected == ("21",)


@pytest.mark.parametrize(
    ("source", "version", "lang"),
    [
        ("Rp1,2 triliun", "Rp1.2 billion", "en"),
        ("6,38 miliar", "63.8 billion", "en"),
        ("Rp47,8 miliar", "4.78亿", "zh"),
        ("pukul 10.30 WIB", "at 10:30 p.m.", "en"),
        ("Kamis (21/7)", "Friday, July 21", "en"),
        ("14 Mei", "4月14日", "ja"),
        ("tujuh penumpang tewas", "قتل سبعة عشر راكبا", "ar"),
    ],
)
def test_a_changed_value_is_a_mismatch(source: str, version: str, lang: str) -> None:
    """Wrong scale, a changed time, weekday or month, a number word with another value."""
    assert not compare_numbers(source, "id", version, lang).ok


def test_false_alarms_of_the_old_reader_are_gone() -> None:
    """Space-joined numbers, a time read as a decimal, French 'un', Korean months, Chinese numerals, repeats."""
    assert values("Pada 2024 100 rumah", "id") == [2024, 100]
    assert compare_numbers("pukul 10.30", "id", "à 10:30", "fr").ok
    assert not compare_numbers("1 rumah", "id", "une maison et 2 voitures", "fr").ok  # "une" is no source 1
    assert [d.kind for d in find_dates("10월 14일", "ko")] == ["date"]
    assert 5 in [n.value for n in extract_numbers("逮捕了五名嫌疑人", "zh")]
    # a number the source has twice and the version once is missing once
    assert compare_numbers("12 rumah dan 12 sekolah", "id", "12 houses and schools", "en").missing == ("12",)
