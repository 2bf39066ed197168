"""Countries and territories by their CLDR names (Babel), and the name check that uses them."""

from __future__ import annotations

import pytest

from backtrans.config import Thresholds
from backtrans.flag._acronyms import definitions
from backtrans.flag._names import name_found, source_names
from backtrans.flag._places import same_territory, territories_of, territory_found, territory_in


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Amerika Serikat", "AS"),
        ("AS", "États-Unis"),
        ("Amerika Serikat", "United States"),
        ("Vietnam", "Viet Nam"),
        ("Viêt Nam", "越南"),
        ("Tiongkok", "China"),
        ("Belanda", "Pays-Bas"),
        ("Korea Selatan", "韓国"),
        ("Inggris Raya", "UK"),
    ],
)
def test_two_names_of_one_territory(a: str, b: str) -> None:
    assert same_territory(a, b)


@pytest.mark.parametrize(("a", "b"), [("AS", "Australia"), ("Korea Selatan", "Korea Utara"), ("Austria", "Australia")])
def test_names_of_two_territories(a: str, b: str) -> None:
    assert not same_territory(a, b)


def test_only_a_territory_has_a_code() -> None:
    assert territories_of("Amerika Serikat") == {"US"}
    assert territories_of("as") == frozenset()  # a capitals short form is no English word
    assert territories_of("Joko Widodo") == frozenset()
    assert territories_of("EU") == frozenset()  # the European Union is a region, not "É.-U."


def test_a_territory_found_by_any_of_its_forms() -> None:
    assert territory_found("Amerika Serikat", "Presiden AS tiba di Jakarta")
    assert territory_found("AS", "the United States said on Monday")
    assert territory_found("Vietnam", "越南政府周一表示")
    assert territory_found("Vietnam", "le Viêt Nam a annoncé")
    assert territory_found("AS", "قالت الولايات المتحدة")
    assert not territory_found("AS", "as he said on Monday")
    assert not territory_found("Amerika Serikat", "Presiden Australia tiba di Jakarta")
    assert not territory_found("Joko Widodo", "Joko Widodo tiba")  # not a territory: the ordinary check's


def test_the_longest_territory_inside_a_name() -> None:
    assert territory_in("Luar Negeri Amerika Serikat") == "Amerika Serikat"
    assert territory_in("Kedutaan Besar Korea Selatan") == "Korea Selatan"
    assert territory_in("Ali Fikri") is None


_SOURCE = "Menteri Luar Negeri Amerika Serikat tiba di Hanoi untuk bertemu pejabat Vietnam."


@pytest.mark.parametrize(
    ("surface", "back", "version", "latin"),
    [
        ("Luar Negeri Amerika Serikat", "Menteri Luar Negeri AS tiba di Hanoi.", "", False),
        ("Luar Negeri Amerika Serikat", "Menteri tiba di Hanoi.", "The US Secretary of State arrived in Hanoi", True),
        ("Luar Negeri Amerika Serikat", "Menteri luar negeri tiba di Hanoi.", "美国国务卿抵达河内。", False),
        ("Vietnam", "Menteri bertemu pejabat Viet Nam.", "", False),
        ("Vietnam", "Menteri bertemu pejabat setempat.", "…rencontrer des responsables du Viêt Nam.", True),
    ],
)
def test_the_name_check_accepts_another_form_of_a_country(surface: str, back: str, version: str, latin: bool) -> None:
    """A country the back-translation or the version writes by another CLDR name is not a lost name."""
    (name,) = [n for n in source_names(_SOURCE) if n.surface == surface]
    assert name_found(name, back, version, latin, definitions(_SOURCE), Thresholds().name_fuzzy)


def test_a_country_replaced_by_another_is_still_lost() -> None:
    (name,) = [n for n in source_names(_SOURCE) if n.surface == "Vietnam"]
    back = "Menteri bertemu pejabat Thailand."
    assert not name_found(name, back, "", False, definitions(_SOURCE), Thresholds().name_fuzzy)
