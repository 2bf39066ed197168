"""Units after numbers: the same quantity in another unit passes, the same digits in another unit are flagged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrans.flag._numbers import extract_numbers
from backtrans.flag._quantities import compare_numbers
from backtrans.flag._units import unit_after

RATE_CUT = "Bank sentral memangkas suku bunga kebijakannya sebesar 50 basis poin menjadi 6,25 persen pada Kamis."


@pytest.mark.parametrize(
    ("version", "lang"),
    [
        ("Bank sentral memangkas suku bunga sebesar 0,5 persen menjadi 6,25 persen pada Kamis.", "id"),
        ("The central bank cut its policy rate by 0.5 percentage point to 6.25% on Thursday.", "en"),
        ("The central bank cut its policy rate by 50 bps to 6.25 per cent on Thursday.", "en"),
        ("La banque centrale a abaissé son taux de 0,5 point de pourcentage, à 6,25 %, jeudi.", "fr"),
        ("La banque centrale a abaissé son taux de 50 points de base, à 6,25 %, jeudi.", "fr"),
        ("央行周四将政策利率下调0.5个百分点至6.25%。", "zh"),
        ("央行周四将政策利率下调50个基点至6.25%。", "zh"),
        ("中央銀行は木曜日、政策金利を0.5%ポイント引き下げ、6.25%とした。", "ja"),
        ("中央銀行は木曜日、政策金利を50ベーシスポイント引き下げ、6.25％とした。", "ja"),
        ("خفض البنك المركزي سعر الفائدة يوم الخميس بمقدار 50 نقطة أساس إلى 6.25 في المئة.", "ar"),
        ("خفض البنك المركزي سعر الفائدة يوم الخميس بمقدار 0.5 نقطة مئوية إلى 6.25٪.", "ar"),
    ],
)
def test_basis_points_said_in_percentage_points_pass(version: str, lang: str) -> None:
    """50 basis points are 0.5 percentage point in every language, with a decimal comma or point."""
    assert compare_numbers(RATE_CUT, "id", version, lang).ok


@pytest.mark.parametrize(
    ("version", "lang"),
    [
        ("Bank sentral memangkas suku bunga sebesar 50 persen menjadi 6,25 persen pada Kamis.", "id"),
        ("The central bank cut its policy rate by 50 percentage points to 6.25% on Thursday.", "en"),
        ("La banque centrale a abaissé son taux de 50 %, à 6,25 %, jeudi.", "fr"),
        ("央行周四将政策利率下调50个百分点至6.25%。", "zh"),
        ("خفض البنك المركزي سعر الفائدة يوم الخميس بمقدار 50 نقطة مئوية إلى 6.25 في المئة.", "ar"),
        ("The central bank cut its policy rate by 5 basis points to 6.25% on Thursday.", "en"),
    ],
)
def test_the_same_digits_in_another_unit_are_flagged(version: str, lang: str) -> None:
    """50 basis points said as 50 percent (or percentage points) is a rate cut a hundred times larger."""
    check = compare_numbers(RATE_CUT, "id", version, lang)
    assert not check.ok
    assert "50 basis poin" in check.missing


def test_the_message_names_both_units() -> None:
    check = compare_numbers(RATE_CUT, "id", "a cut of 50 percent to 6.25%", "en")
    assert check.missing == ("50 basis poin",) and check.unexpected == ("50 percent",)


@pytest.mark.parametrize(
    ("source", "version", "lang", "ok"),
    [
        ("Jalan tol sepanjang 1,5 km itu", "a toll road 1,500 meters long", "en", True),
        ("Jalan tol sepanjang 1,5 km itu", "a toll road 1.5 meters long", "en", False),
        ("Jalan tol sepanjang 1,5 km itu", "la route à péage de 1 500 mètres", "fr", True),
        ("Jalan tol sepanjang 1,5 km itu", "la route à péage de 1,5 mètre", "fr", False),
        ("Hujan turun selama 2 jam", "降雨持续了120分钟", "zh", True),
        ("Hujan turun selama 2 jam", "降雨持续了2分钟", "zh", False),
        ("Bantuan 3 ton beras", "3,000 kilograms of rice in aid", "en", True),
        ("Bantuan 3 ton beras", "3 kilograms of rice in aid", "en", False),
        ("Lahan seluas 2 hektare terbakar", "20 000 mètres carrés ont brûlé", "fr", True),
        ("Proyek itu berjalan 18 bulan", "the project ran for 1.5 years", "en", True),
    ],
)
def test_si_and_cldr_units_convert(source: str, version: str, lang: str, ok: bool) -> None:
    """The units CLDR names, converted by their definitions: km and m, hours and minutes, tonnes and kg."""
    assert compare_numbers(source, "id", version, lang).ok is ok


def test_a_number_without_a_unit_still_pairs_by_its_digits() -> None:
    """A version that leaves the unit out (or names one no table knows) is compared by digits, as before."""
    assert compare_numbers(RATE_CUT, "id", "下调50至6.25", "zh").ok
    assert compare_numbers("naik 25 basis poin", "id", "up 25 in the index", "en").ok


def test_a_one_letter_abbreviation_is_no_unit() -> None:
    """'m' is a metre, a minute and a month; the Indonesian 'T' is triliun: none is read as a unit."""
    assert unit_after("5 m", 1, "en") == (None, 1)
    assert [(n.value, n.unit) for n in extract_numbers("Rp1,2T untuk jalan", "id")] == [(1.2e12, None)]


_LANG_PERCENT = {"en": "percent", "fr": "pour cent", "ar": "في المئة", "ja": "パーセント", "id": "persen"}
_LANG_BP = {
    "en": "basis points",
    "fr": "points de base",
    "ar": "نقطة أساس",
    "ja": "ベーシスポイント",
    "id": "basis poin",
}
_DECIMAL = {"en": ".", "fr": ",", "ar": ".", "ja": ".", "id": ","}


@settings(max_examples=150, deadline=None)
@given(bp=st.integers(min_value=1, max_value=975), lang=st.sampled_from(sorted(_LANG_PERCENT)))
def test_property_basis_points_and_percent(bp: int, lang: str) -> None:
    """Any number of basis points equals a hundredth of it in percent, in any language and decimal mark; the
    same digits in percent differ (unless the value is 0)."""
    source = f"Suku bunga naik {bp} basis poin."
    percent = f"{bp / 100:.2f}".rstrip("0").rstrip(".").replace(".", _DECIMAL[lang])
    assert compare_numbers(source, "id", f"+{percent} {_LANG_PERCENT[lang]}", lang).ok
    assert compare_numbers(source, "id", f"+{bp} {_LANG_BP[lang]}", lang).ok
    assert not compare_numbers(source, "id", f"+{bp} {_LANG_PERCENT[lang]}", lang).ok


@settings(max_examples=100, deadline=None)
@given(km=st.integers(min_value=1, max_value=900), lang=st.sampled_from(["en", "fr", "ja", "zh"]))
def test_property_kilometres_and_metres(km: int, lang: str) -> None:
    """k km equal 1000·k m; k km do not equal k m."""
    metre = {"en": "meters", "fr": "mètres", "ja": "メートル", "zh": "米"}[lang]
    thousands = f"{km * 1000}"
    assert compare_numbers(f"Jarak {km} km.", "id", f"{thousands} {metre}", lang).ok
    assert not compare_numbers(f"Jarak {km} km.", "id", f"{km} {metre}", lang).ok
