"""Which models carry a language back to the source language: pure and table-driven.

A route is a direct model where one is known, else a pivot through English.
``--model LANG=ID_OR_PATH[,ID_OR_PATH]`` (parsed in :mod:`backtrans.cli._params`) replaces a route; a model may carry a
target-language token after ``@`` (``Helsinki-NLP/opus-mt-fr-ms@>>ind<<``), which
multi-target OPUS-MT models need.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import NoRouteError
from ..text.languages import base_lang
from ..types import ModelRef, Route

PIVOT_LANG = "en"

#: Direct OPUS-MT models known to exist, (from, to) → model (and target token).
KNOWN_MODELS: dict[tuple[str, str], ModelRef] = {
    ("en", "id"): ModelRef("Helsinki-NLP/opus-mt-en-id"),
    ("id", "en"): ModelRef("Helsinki-NLP/opus-mt-id-en"),
    ("fr", "id"): ModelRef("Helsinki-NLP/opus-mt-fr-id"),
    ("id", "fr"): ModelRef("Helsinki-NLP/opus-mt-id-fr"),
    ("zh", "en"): ModelRef("Helsinki-NLP/opus-mt-zh-en"),
    ("en", "zh"): ModelRef("Helsinki-NLP/opus-mt-en-zh", ">>cmn_Hans<<"),
    ("ja", "en"): ModelRef("Helsinki-NLP/opus-mt-ja-en"),
    # not opus-mt-en-jap: its card names the target "jap" and scores it on a Bible test set only
    ("en", "ja"): ModelRef("Helsinki-NLP/opus-tatoeba-en-ja"),
    ("ar", "en"): ModelRef("Helsinki-NLP/opus-mt-ar-en"),
    ("en", "ar"): ModelRef("Helsinki-NLP/opus-mt-en-ar", ">>ara<<"),
    ("fr", "en"): ModelRef("Helsinki-NLP/opus-mt-fr-en"),
    ("en", "fr"): ModelRef("Helsinki-NLP/opus-mt-en-fr"),
    ("de", "en"): ModelRef("Helsinki-NLP/opus-mt-de-en"),
    ("en", "de"): ModelRef("Helsinki-NLP/opus-mt-en-de"),
    ("es", "en"): ModelRef("Helsinki-NLP/opus-mt-es-en"),
    ("en", "es"): ModelRef("Helsinki-NLP/opus-mt-en-es"),
    ("ko", "en"): ModelRef("Helsinki-NLP/opus-mt-ko-en"),
    ("ru", "en"): ModelRef("Helsinki-NLP/opus-mt-ru-en"),
    ("en", "ru"): ModelRef("Helsinki-NLP/opus-mt-en-ru"),
    ("vi", "en"): ModelRef("Helsinki-NLP/opus-mt-vi-en"),
    ("en", "vi"): ModelRef("Helsinki-NLP/opus-mt-en-vi"),
    ("nl", "en"): ModelRef("Helsinki-NLP/opus-mt-nl-en"),
    ("en", "nl"): ModelRef("Helsinki-NLP/opus-mt-en-nl"),
    ("it", "en"): ModelRef("Helsinki-NLP/opus-mt-it-en"),
    ("en", "it"): ModelRef("Helsinki-NLP/opus-mt-en-it"),
    ("th", "en"): ModelRef("Helsinki-NLP/opus-mt-th-en"),
    ("ms", "en"): ModelRef("Helsinki-NLP/opus-mt-ms-en"),
}

#: Alternatives worth knowing (shown by ``backtrans models``), never used unless asked for.
ALTERNATIVES: dict[tuple[str, str], tuple[tuple[ModelRef, ...], ...]] = {
    ("fr", "id"): ((ModelRef("Helsinki-NLP/opus-mt-fr-ms", ">>ind<<"),),),
    ("zh", "id"): ((ModelRef("Helsinki-NLP/opus-mt-zh-ms", ">>ind<<"),),),
    ("ja", "id"): ((ModelRef("Helsinki-NLP/opus-mt-ja-ms", ">>ind<<"),),),
    ("ar", "id"): ((ModelRef("Helsinki-NLP/opus-mt-tc-big-ar-en"), KNOWN_MODELS["en", "id"]),),
}


def parse_model_ref(spec: str) -> ModelRef:
    """``"NAME"`` or ``"NAME@>>tok<<"`` → :class:`ModelRef`."""
    spec = spec.strip()
    name, sep, token = spec.rpartition("@")
    if sep and token.startswith(">>") and token.endswith("<<") and name:
        return ModelRef(name.strip(), token)
    return ModelRef(spec)


def _direct(lang: str, target: str) -> ModelRef | None:
    return KNOWN_MODELS.get((base_lang(lang), base_lang(target)))


def _override(lang: str, target_lang: str, chain: tuple[str, ...]) -> Route:
    """A route given on the command line: one model is direct, two pivot through English."""
    steps = tuple(parse_model_ref(spec) for spec in chain)
    path = (
        (lang, *([PIVOT_LANG] * (len(steps) - 1)), target_lang)
        if len(steps) <= 2
        else (lang, *(f"step{i}" for i in range(1, len(steps))), target_lang)
    )
    return Route(lang, target_lang, steps, path, overridden=True)


def route_for(
    lang: str,
    target_lang: str,
    overrides: Mapping[str, tuple[str, ...]] | None = None,
) -> Route:
    """The route that carries ``lang`` back to ``target_lang``.

    Raises :class:`NoRouteError` listing the languages that have a route.
    """
    overrides = overrides or {}
    chain = overrides.get(lang) or overrides.get(base_lang(lang))
    if chain:
        return _override(lang, target_lang, chain)
    direct = _direct(lang, target_lang)
    if direct is not None:
        return Route(lang, target_lang, (direct,), (lang, target_lang))
    if base_lang(lang) != PIVOT_LANG and base_lang(target_lang) != PIVOT_LANG:
        first, second = _direct(lang, PIVOT_LANG), _direct(PIVOT_LANG, target_lang)
        if first is not None and second is not None:
            return Route(lang, target_lang, (first, second), (lang, PIVOT_LANG, target_lang))
    available = ", ".join(sorted(supported_languages(target_lang)))
    raise NoRouteError(
        f"no model route from {lang!r} back to {target_lang!r}; languages with a route: "
        f"{available or 'none'}; or pass --model {lang}=MODEL_ID_OR_FOLDER"
    )


def supported_languages(target_lang: str) -> set[str]:
    """Languages with a default route to ``target_lang``."""
    target = base_lang(target_lang)
    out = {src for (src, dst) in KNOWN_MODELS if dst == target}
    if (PIVOT_LANG, target) in KNOWN_MODELS:
        out |= {src for (src, dst) in KNOWN_MODELS if dst == PIVOT_LANG and src != target}
    return out


def routes_for(
    langs: Iterable[str], target_lang: str, overrides: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, Route]:
    """Routes for several languages (each one checked)."""
    return {lang: route_for(lang, target_lang, overrides) for lang in sorted(set(langs))}


def forward_route_for(lang: str, source_lang: str, overrides: Mapping[str, tuple[str, ...]] | None = None) -> Route:
    """The route that carries the source language *into* ``lang`` (``--calibrate``): direct or through English.

    ``overrides`` are ``--forward-model LANG=ID_OR_PATH[,ID_OR_PATH]``, keyed by the version language.
    """
    overrides = overrides or {}
    chain = overrides.get(lang) or overrides.get(base_lang(lang))
    if chain:
        return _override(source_lang, lang, chain)
    try:
        return route_for(source_lang, lang)
    except NoRouteError:
        raise NoRouteError(
            f"no model route from {source_lang!r} into {lang!r} for --calibrate; "
            f"pass --forward-model {lang}=MODEL_ID_OR_FOLDER"
        ) from None


def round_trip_route(forward: Route, backward: Route) -> Route:
    """The source's own round trip: ``forward`` into the version's language, then the version's ``backward`` route."""
    return Route(
        forward.lang,
        backward.target_lang,
        forward.steps + backward.steps,
        forward.path + backward.path[1:],
        overridden=forward.overridden or backward.overridden,
    )
