"""Command-line values: every parser of an option's text, as click parameter types, in one place.

Each parser raises :class:`~backtrans.errors.InputError` with a one-line
message that names the option and says what to write; the click types wrap
them so that click reports a bad value as a usage error (exit 2) with that
same message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from typing import Any

import click

from ..compare.render import COMPARE_FORMATS
from ..config import Settings, Thresholds, range_problem
from ..errors import InputError
from ..report import DEFAULT_FORMATS, FORMATS
from ..run.gates import GATE_METRICS, WORSE_GATE_METRICS
from ..text.languages import normalize_lang


class ParamError(click.BadParameter):
    """A bad option value whose message is complete (names the option, says what to do)."""

    def format_message(self) -> str:
        return self.message


# ---- parsers (library-level: InputError) ------------------------------------------------------


def parse_langs(value: str | None) -> tuple[str, ...] | None:
    """``"en,fr"`` → ``("en", "fr")``; None: every language; a value without any code is refused."""
    if value is None:
        return None
    if not any(part.strip() for part in value.split(",")):
        raise InputError(f"--langs {value!r}: no language code in it; write e.g. en,fr, or leave --langs out for all")
    out = []
    for part in value.split(","):
        if not part.strip():
            continue
        lang = normalize_lang(part)
        if lang is None:
            raise InputError(f"--langs: unknown language code {part.strip()!r}; use ISO 639-1 codes such as en,fr,zh")
        out.append(lang)
    return tuple(dict.fromkeys(out)) or None


def parse_source_lang(value: str | None) -> str | None:
    if value is None:
        return None
    lang = normalize_lang(value)
    if lang is None:
        raise InputError(f"--source-lang: unknown language code {value!r}; use an ISO 639-1 code such as id")
    return lang


def parse_model_override(value: str, option: str = "--model") -> tuple[str, tuple[str, ...]]:
    """``"ar=/models/ar-en,/models/en-id"`` → ``("ar", ("/models/ar-en", "/models/en-id"))``."""
    lang_part, sep, models = value.partition("=")
    lang = normalize_lang(lang_part)
    if not sep or lang is None:
        raise InputError(f"{option} {value!r}: write LANG=ID_OR_PATH[,ID_OR_PATH], e.g. fr=/models/opus-mt-fr-id")
    chain = tuple(m.strip() for m in models.split(",") if m.strip())
    if not chain:
        raise InputError(f"{option} {value!r}: no model after '='")
    return lang, chain


def parse_model_overrides(values: Iterable[str], option: str = "--model") -> dict[str, tuple[str, ...]]:
    """``["fr=/models/fr-id", "ar=Helsinki-NLP/opus-mt-ar-en,Helsinki-NLP/opus-mt-en-id"]`` → mapping."""
    overrides: dict[str, tuple[str, ...]] = {}
    for value in values:
        lang, chain = parse_model_override(value, option) if isinstance(value, str) else value
        if lang in overrides:
            raise InputError(f"{option}: {lang} is given twice; keep one")
        overrides[lang] = chain
    return overrides


def parse_threshold(value: str) -> tuple[str, Any]:
    """``"outlier_gap=30"`` → ``("outlier_gap", 30.0)``, typed like the :class:`Thresholds` field."""
    kinds = {f.name: type(getattr(Thresholds(), f.name)) for f in fields(Thresholds)}
    name, sep, number = value.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or name not in kinds:
        raise InputError(f"--threshold {value!r}: write NAME=VALUE with NAME one of {', '.join(kinds)}")
    try:
        return name, kinds[name](number.strip())
    except ValueError:
        kind = "whole number" if kinds[name] is int else "number"
        raise InputError(f"--threshold {value!r}: {number!r} is not a {kind}") from None


def parse_min_confidence(value: str) -> float:
    """``"0.6"`` → 0.6: the least confidence (0 to 1) of a flag that the editor's views list."""
    try:
        number = float(value.strip())
    except ValueError:
        raise InputError(f"--min-confidence {value!r} is not a number; give one from 0 to 1") from None
    if not 0.0 <= number <= 1.0:  # NaN fails too
        raise InputError(f"--min-confidence {value!r} is outside 0 to 1; give one from 0 to 1")
    return number


def _unique(option: str, items: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """Name → value, refusing a name given twice (a repeated value must not silently win)."""
    out: dict[str, Any] = {}
    for name, value in items:
        if name in out:
            raise InputError(f"{option} {name} is given twice ({out[name]:g} and {value:g}); keep one")
        out[name] = value
    return out


def parse_thresholds(values: Sequence[str], base: Thresholds | None = None) -> Thresholds:
    """``["outlier_gap=30", "length_ratio=2.5"]`` → :class:`Thresholds` with those values changed (and checked)."""
    changes = _unique("--threshold", [parse_threshold(v) if isinstance(v, str) else v for v in values])
    return replace(base or Thresholds(), **changes)


def parse_gate(value: str) -> tuple[str, float]:
    """``"chrf=45"`` → ``("chrf", 45.0)``; the value is a finite score from 0 to 100."""
    name, sep, number = value.partition("=")
    name = name.strip().lower().replace("chrf++", "chrf")
    if not sep or name not in GATE_METRICS:
        hint = " (TER is lower-is-better; gate on chrf or bleu)" if name == "ter" else ""
        raise InputError(f"--fail-under {value!r}: write METRIC=VALUE with METRIC chrf or bleu{hint}")
    try:
        minimum = float(number)
    except ValueError:
        raise InputError(f"--fail-under {value!r}: {number!r} is not a number") from None
    problem = range_problem(minimum, 0, 100, whole=False)
    if problem:
        raise InputError(f"--fail-under {name} {problem} (a gate must be able to fail)")
    return name, minimum


def parse_gates(values: Sequence[str]) -> dict[str, float]:
    """``["chrf=45", "bleu=20"]`` → ``{"chrf": 45.0, "bleu": 20.0}``; a metric given twice is refused."""
    return _unique("--fail-under", [parse_gate(v) if isinstance(v, str) else v for v in values])


def parse_formats(value: str | None, formats: tuple[str, ...] = FORMATS) -> tuple[str, ...]:
    """``"json,html"`` → ``("json", "html")``; None or empty: every format."""
    if not value:
        return DEFAULT_FORMATS if formats == FORMATS else formats
    wanted = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in wanted if f not in formats]
    if unknown:
        raise InputError(f"--format {', '.join(unknown)}: unknown; choose from {', '.join(formats)}")
    return wanted


def parse_compare_formats(value: str | None) -> tuple[str, ...]:
    """``"json,md"`` → ``("json", "md")`` for ``backtrans compare``; None or empty: every format."""
    return parse_formats(value, COMPARE_FORMATS)


def parse_worse_gate(value: str) -> tuple[str, float]:
    """``"chrf=1"`` → ``("chrf", 1.0)``: fail when a language is significantly worse by more than 1 point."""
    name, sep, number = value.partition("=")
    name = name.strip().lower().replace("chrf++", "chrf")
    usage = f"--fail-if-worse {value!r}: write METRIC=DELTA with METRIC chrf, bleu or ter and DELTA ≥ 0, e.g. chrf=1"
    if not sep or name not in WORSE_GATE_METRICS:
        raise InputError(usage)
    try:
        delta = float(number)
    except ValueError:
        raise InputError(usage) from None
    problem = range_problem(delta, 0, 100, whole=False)
    if problem:
        raise InputError(f"--fail-if-worse {name} {problem} (a gate must be able to fail)")
    return name, delta


def parse_worse_gates(values: Sequence[str]) -> dict[str, float]:
    """``["chrf=1", "ter=2"]`` → ``{"chrf": 1.0, "ter": 2.0}``; a metric given twice is refused."""
    return _unique("--fail-if-worse", [parse_worse_gate(v) if isinstance(v, str) else v for v in values])


# ---- click types ------------------------------------------------------------------------------


class Parsed(click.ParamType):
    """A click type around one of the parsers above."""

    def __init__(self, name: str, parse: Callable[[str], Any]) -> None:
        self.name = name
        self.parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # already converted (a default, or a value given through the library)
        try:
            return self.parse(value)
        except InputError as exc:
            raise ParamError(str(exc), ctx=ctx, param=param) from None


class SettingRange(click.ParamType):
    """A whole number in the range that a :class:`Settings` field declares (one place for every limit)."""

    name = "integer"

    def __init__(self, field_name: str) -> None:
        spec = next(f for f in fields(Settings) if f.name == field_name)
        self.low, self.high = spec.metadata["range"]
        self.option = spec.metadata.get("option", field_name)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number: Any = value
        if isinstance(value, str):
            try:
                number = int(value.strip())
            except ValueError:
                number = value
        problem = range_problem(number, self.low, self.high, whole=True)
        if problem:
            raise ParamError(f"{self.option} {problem}", ctx=ctx, param=param)
        return number


LANGS = Parsed("LANGS", parse_langs)
SOURCE_LANG = Parsed("LANG", parse_source_lang)
MODEL = Parsed("LANG=ID_OR_PATH[,ID_OR_PATH]", parse_model_override)
FORWARD_MODEL = Parsed("LANG=ID_OR_PATH[,ID_OR_PATH]", lambda value: parse_model_override(value, "--forward-model"))
THRESHOLD = Parsed("NAME=VALUE", parse_threshold)
MIN_CONFIDENCE = Parsed("0-1", parse_min_confidence)
GATE = Parsed("METRIC=VALUE", parse_gate)
FORMAT_LIST = Parsed("FORMATS", parse_formats)
COMPARE_FORMAT_LIST = Parsed("FORMATS", parse_compare_formats)
WORSE_GATE = Parsed("METRIC=DELTA", parse_worse_gate)


def collect(parse_all: Callable[[Sequence[Any]], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback that turns the items of a repeatable option into one value (checks across items)."""

    def callback(ctx: click.Context, param: click.Parameter, items: Sequence[Any]) -> Any:
        try:
            return parse_all(items)
        except InputError as exc:
            raise ParamError(str(exc), ctx=ctx, param=param) from None

    return callback
