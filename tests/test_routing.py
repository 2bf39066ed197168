"""Routes back to the source: the default table, pivots, overrides and target tokens."""

from __future__ import annotations

import pytest

from backtrans.cli._params import parse_model_overrides
from backtrans.errors import InputError, NoRouteError
from backtrans.translate.routing import parse_model_ref, route_for, routes_for
from backtrans.types import ModelRef


def test_default_routes_of_the_design_table() -> None:
    """en and fr go direct; zh, ja and ar pivot through English (README, "Default routes")."""
    routes = routes_for(["en", "fr", "zh", "ja", "ar"], "id")
    assert routes["en"].steps == (ModelRef("Helsinki-NLP/opus-mt-en-id"),)
    assert routes["fr"].steps == (ModelRef("Helsinki-NLP/opus-mt-fr-id"),)
    for lang in ("zh", "ja", "ar"):
        assert routes[lang].steps == (
            ModelRef(f"Helsinki-NLP/opus-mt-{lang}-en"),
            ModelRef("Helsinki-NLP/opus-mt-en-id"),
        )
        assert routes[lang].path == (lang, "en", "id")
        assert routes[lang].describe() == f"{lang} → en → id"


def test_script_subtag_uses_the_base_language() -> None:
    """zh-Hans routes like zh."""
    assert route_for("zh-Hans", "id").steps[0].name == "Helsinki-NLP/opus-mt-zh-en"


def test_other_source_language() -> None:
    """With an English source, an Indonesian version goes back through opus-mt-id-en."""
    assert route_for("id", "en").steps == (ModelRef("Helsinki-NLP/opus-mt-id-en"),)


def test_unknown_language_lists_what_exists() -> None:
    """A language without a route names the ones that have one and the --model escape hatch."""
    with pytest.raises(NoRouteError) as info:
        route_for("sw", "id")
    message = str(info.value)
    assert "'sw'" in message and "ar, de, en, es, fr" in message and "--model sw=" in message


def test_overrides_with_folders_pivots_and_target_tokens() -> None:
    """--model replaces a route; '@>>ind<<' gives a multi-target model its token."""
    overrides = parse_model_overrides(["fr=Helsinki-NLP/opus-mt-fr-ms@>>ind<<", "ar=/models/ar-en,/models/en-id"])
    fr = route_for("fr", "id", overrides)
    assert fr.overridden and fr.steps == (ModelRef("Helsinki-NLP/opus-mt-fr-ms", ">>ind<<"),)
    ar = route_for("ar", "id", overrides)
    assert [s.name for s in ar.steps] == ["/models/ar-en", "/models/en-id"]
    assert ar.path == ("ar", "en", "id")
    assert route_for("en", "id", overrides).overridden is False


@pytest.mark.parametrize("value", ["fr", "fr=", "=x", "xx=model", "fr=a,,"])
def test_bad_overrides(value: str) -> None:
    """Malformed --model values are input errors."""
    if value == "fr=a,,":
        assert parse_model_overrides([value]) == {"fr": ("a",)}
        return
    with pytest.raises(InputError, match="--model"):
        parse_model_overrides([value])


def test_parse_model_ref_keeps_at_signs_that_are_not_tokens() -> None:
    """Only a trailing '@>>x<<' is a target token."""
    assert parse_model_ref("/models/a@b") == ModelRef("/models/a@b")
    assert parse_model_ref("m@>>ind<<") == ModelRef("m", ">>ind<<")
