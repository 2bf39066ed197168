"""Option groups the evaluating commands share, and the cost line of the summary.

``engine_options``: how models run (`run`, and `score` with ``--semantic`` or
``--calibrate``); ``witness_options``: the witnesses besides chrF++.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from ..config import BACKENDS, DEFAULT_SEMANTIC_MODEL, DEVICES
from ..run.engines import ENGINES
from ..types import StageCost
from ._params import FORWARD_MODEL, SettingRange, collect, parse_model_overrides


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How models run: used by `run`, and by `score` with --semantic or --calibrate."""
    options = [
        click.option(
            "--beams", type=SettingRange("beams"), default=None, help="Beam size (default 1: greedy; at most 128)."
        ),
        click.option(
            "--batch-size",
            type=SettingRange("batch_size"),
            default=None,
            help="Segments per batch (default 64; at most 4096).",
        ),
        click.option("--device", type=click.Choice(DEVICES), default=None, help="Where models run (default auto)."),
        click.option(
            "--cache",
            "cache_path",
            type=click.Path(path_type=Path),
            default=None,
            help="Translation and embedding cache file (default: user cache dir; env BACKTRANS_CACHE).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option(
            "--offline", is_flag=True, default=None, help="Never contact the model hub (also HF_HUB_OFFLINE=1)."
        ),
        click.option(
            "--backend",
            type=click.Choice(BACKENDS),
            default=None,
            help="auto (default): ctranslate2 when installed, else transformers.",
        ),
        click.option("--compute-type", default=None, help="int8, float32, float16… (default: best for the backend)."),
        click.option("--int8", "int8", is_flag=True, help="transformers backend: dynamic int8 quantization (CPU)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


forward_model_option = click.option(
    "--forward-model",
    "forward_models",
    type=FORWARD_MODEL,
    multiple=True,
    callback=collect(lambda items: parse_model_overrides(items, "--forward-model") or None),
    help="Replace the route from the source into a language, for --calibrate (repeatable).",
)


glossary_option = click.option(
    "--glossary",
    "glossaries",
    type=click.Path(path_type=Path),
    multiple=True,
    help="The newsroom's glossary: CSV or TBX of terms and their accepted renderings (repeatable; see README).",
)
verdicts_option = click.option(
    "--verdicts",
    "verdicts",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Editors' verdicts (verdicts.json from the HTML report): flags marked 'not an error' are dismissed "
    "(repeatable).",
)


def scale_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How a corpus goes through the stages: streamed locally in chunks, or on a Ray cluster."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default="local",
            show_default=True,
            help="local: stream the corpus in chunks; ray: run the stages on Ray Data (pip install -e '.[ray]').",
        ),
        click.option(
            "--chunk-size", type=click.IntRange(1, 100_000), default=None, help="Articles per chunk (default 256)."
        ),
        click.option(
            "--ray-address",
            default=None,
            help="A running Ray cluster (ray://HOST:10001 or auto); default: a local Ray sized to this machine.",
        ),
        click.option(
            "--workers", type=click.IntRange(1, 4096), default=None, help="Ray: actors per model (default 2)."
        ),
        click.option(
            "--gpus-per-worker",
            type=click.FloatRange(min=0),
            default=None,
            help="Ray: GPUs per model actor (default 0).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def witness_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The witnesses besides chrF++: semantic similarity and the source's own round trip."""
    options = [
        click.option("--semantic", is_flag=True, help="Cross-lingual sentence-embedding similarity of every pair."),
        click.option(
            "--semantic-model",
            default=None,
            help=f"Sentence encoder: hub id or folder (default {DEFAULT_SEMANTIC_MODEL}; implies --semantic).",
        ),
        click.option("--calibrate", is_flag=True, help="Round-trip the source through each route: the noise floor."),
        forward_model_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def describe_costs(costs: Sequence[StageCost]) -> str:
    """One line: what translation, calibration and embedding each cost (calibration relative to translation)."""
    parts = []
    stages = {cost.stage: cost for cost in costs}
    for cost in costs:
        what = {"translation": "segment(s)", "calibration": "round trip(s)", "embedding": "text(s)"}[cost.stage]
        done = "embedded" if cost.stage == "embedding" else "translated"
        part = f"{cost.stage}: {cost.items} {what}, {cost.computed} {done}, {cost.cached} cached, {cost.seconds:.1f} s"
        translation = stages.get("translation")
        if cost.stage == "calibration" and translation and translation.computed and cost.computed:
            part += f" ({cost.seconds / translation.seconds:.2f}× the translation time)"
        parts.append(part)
    return "; ".join(parts)
