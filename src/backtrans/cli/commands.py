"""The ``backtrans`` command: parse arguments → Settings → library → reports.

Only this module turns exceptions into messages and exit codes:
0 ok, 1 runtime failure, 2 bad input or usage, 3 below a ``--fail-under``
gate, 130 interrupted. Messages are one line on stderr; ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from .._version import __version__
from ..config import DEFAULT_SEMANTIC_MODEL, Settings, Thresholds
from ..errors import InputError, NoRouteError
from ..files.fileio import one_line
from ..files.outdir import check_out
from ..flag.glossary import glossaries_in_meta, load_glossaries
from ..flag.verdict_summary import render_summary
from ..flag.verdict_summary import summarize as summarize_verdicts
from ..flag.verdicts import apply_verdicts, load_verdicts
from ..report import DEFAULT_FORMATS, write_outputs
from ..report.json import read_report, to_data
from ..run.engines.local import DEFAULT_CHUNK, run_local
from ..run.gates import GateFailed
from ..text.languages import base_lang
from ..translate.backends import auto_backend, resolve_device
from ..translate.backends.encoder import ENCODER_LAYOUT
from ..translate.backends.hub import availability
from ..translate.routing import ALTERNATIVES, forward_route_for, route_for
from ..types import ModelRef
from ._compare import compare
from ._demo import demo
from ._failures import describe
from ._options import (
    describe_costs,
    engine_options,
    forward_model_option,
    glossary_option,
    scale_options,
    verdicts_option,
    witness_options,
)
from ._params import (
    FORMAT_LIST,
    GATE,
    LANGS,
    MIN_CONFIDENCE,
    MODEL,
    SOURCE_LANG,
    THRESHOLD,
    SettingRange,
    collect,
    parse_gates,
    parse_model_overrides,
    parse_thresholds,
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

DEFAULT_LANGS = ("en", "fr", "zh", "ja", "ar")


def _warn(messages: Sequence[str], quiet: bool) -> None:
    if quiet:
        return
    for message in messages:
        click.echo(one_line(f"backtrans: warning: {message}"), err=True)


class _Progress:
    """A tqdm bar per model on stderr; silent when stderr is not a terminal or with --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, event: Any) -> None:
        if not self.enabled:
            return
        if event.phase == "start":
            self.bar = tqdm(total=event.total, desc=event.model, unit="seg", file=sys.stderr, leave=True)
        elif self.bar is not None:
            self.bar.update(event.done - self.bar.n)
            if event.phase == "end":
                self.bar.close()
                self.bar = None


_model_option = click.option(
    "--model",
    "models",
    type=MODEL,
    multiple=True,
    callback=collect(lambda items: parse_model_overrides(items) or None),
    help="Replace the route of a language (repeatable).",
)


def _common_input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder for the reports."),
        click.option(
            "--source-lang",
            type=SOURCE_LANG,
            default=None,
            help="Language of the source texts (default id; meta.json may say otherwise).",
        ),
        click.option("--langs", type=LANGS, default=None, help="Only these versions, e.g. en,fr (default: all found)."),
        _model_option,
        click.option(
            "--format",
            "formats",
            type=FORMAT_LIST,
            default=None,
            help="Reports to write, e.g. json,csv (default: all).",
        ),
        click.option(
            "--fail-under",
            "gates",
            type=GATE,
            multiple=True,
            callback=collect(parse_gates),
            help="CI gate: exit 3 when an article × language scores below (chrf or bleu; repeatable).",
        ),
        click.option(
            "--allow-missing",
            is_flag=True,
            help="Let versions that were not scored pass the --fail-under gate (default: they fail it).",
        ),
        click.option(
            "--threshold",
            "thresholds",
            type=THRESHOLD,
            multiple=True,
            callback=collect(lambda items: parse_thresholds(items) if items else None),
            help="Change a flag threshold (repeatable; see README).",
        ),
        click.option(
            "--min-confidence",
            type=MIN_CONFIDENCE,
            default=None,
            help="List only flags at least this sure (0-1) in the editor's views (default 0.7; the rest are notes).",
        ),
        click.option(
            "--bootstrap",
            type=SettingRange("bootstrap"),
            default=None,
            help="Bootstrap resamples for 95% intervals (default 1000; 0: none; at most 100000).",
        ),
        click.option(
            "--paired-bs",
            type=SettingRange("paired_bs"),
            default=None,
            help="Paired bootstrap resamples between languages (default 1000; 0: none).",
        ),
        click.option(
            "--paired-ar",
            type=SettingRange("paired_ar"),
            default=None,
            help="Approximate randomization trials between languages (default 10000; 0: none, and the bootstrap "
            "alone decides: liberal on small corpora).",
        ),
        glossary_option,
        verdicts_option,
        click.option("--quiet", "-q", is_flag=True, help="No progress bars, warnings or summary."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="backtrans")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Back-translate AI versions of news articles into the source language and show where they drifted.

    \b
    backtrans run ARTICLE_OR_CORPUS... --out DIR     translate back with MarianMT, then score
    backtrans score ARTICLE_OR_CORPUS... --out DIR   score existing <lang>.back.txt files
    backtrans report REPORT.json --out DIR           render the reports again from a saved report.json
    backtrans compare BASELINE CANDIDATE... --out DIR   paired tests: did the versions get better?
    backtrans models                                 routes and which models are available
    backtrans verdicts summary VERDICTS.json...      what editors confirmed and dismissed, per flag
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@_common_input_options
@engine_options
@witness_options
@scale_options
def run(**options: Any) -> None:
    """Back-translate every version with MarianMT and write the reports."""
    settings = _settings(options)
    _warn(_int8_without_effect(options, settings, "run"), options["quiet"])
    _evaluate(options, settings, "run")


@cli.command()
@_common_input_options
@engine_options
@witness_options
@scale_options
def score(**options: Any) -> None:
    """Score existing back-translations (<lang>.back.txt next to <lang>.txt).

    Loads no model, unless --semantic (a sentence encoder) or --calibrate (MarianMT round trips of the
    source) asks for one; the engine options apply to those.
    """
    settings = _settings(options)
    _warn(_int8_without_effect(options, settings, "score"), options["quiet"])
    _evaluate(options, settings, "score")


def _int8_without_effect(options: dict[str, Any], settings: Settings, mode: str) -> list[str]:
    """Why --int8 changes nothing in this run, if it does not (it was accepted without a word, and a run
    whose translations were cached simply reused them)."""
    if not options["int8"]:
        return []
    if mode == "score" and not settings.calibrate:
        return ["--int8 changes nothing here: score translates nothing (it is for run, or score --calibrate)"]
    backend = auto_backend() if settings.backend == "auto" else settings.backend
    if backend == "ctranslate2" and resolve_device(settings.device) == "cpu":
        return [
            "--int8 changes nothing with the CTranslate2 backend: it computes in int8 on the CPU already, so "
            "translations cached without --int8 are reused; --int8 quantizes --backend transformers"
        ]
    return []


def _thresholds(thresholds: Thresholds | None, min_confidence: float | None) -> Thresholds | None:
    """``--threshold`` values with ``--min-confidence`` (one name, given once)."""
    if min_confidence is None:
        return thresholds
    base = thresholds or Thresholds()
    if thresholds is not None and base.min_confidence != Thresholds().min_confidence:
        raise InputError("--min-confidence and --threshold min_confidence=… both set it; keep one")
    return dataclasses.replace(base, min_confidence=min_confidence)


def _settings(options: dict[str, Any]) -> Settings:
    """Settings from the options of `run` and `score` (environment and defaults fill the rest)."""
    int8, compute_type = options["int8"], options["compute_type"]
    if int8 and compute_type and compute_type != "int8":
        raise InputError(f"--int8 and --compute-type {compute_type} contradict each other; keep one")
    if options["forward_models"] and not options["calibrate"]:
        raise InputError("--forward-model sets a route of --calibrate; add --calibrate")
    settings = Settings.resolve(
        source_lang=options["source_lang"],
        source_lang_given=options["source_lang"] is not None or None,
        langs=options["langs"],
        models=options["models"],
        thresholds=_thresholds(options["thresholds"], options["min_confidence"]),
        bootstrap=options["bootstrap"],
        paired_bs=options["paired_bs"],
        paired_ar=options["paired_ar"],
        beams=options["beams"],
        batch_size=options["batch_size"],
        device=options["device"],
        cache_path=options["cache_path"],
        use_cache=False if options["no_cache"] else None,
        offline=options["offline"] or None,
        backend=options["backend"],
        compute_type="int8" if int8 else compute_type,
        semantic=options["semantic"] or bool(options["semantic_model"]) or None,
        semantic_model=options["semantic_model"],
        calibrate=options["calibrate"] or None,
        forward_models=options["forward_models"],
    )
    glossaries = [*options["glossaries"], *glossaries_in_meta(options["inputs"])]
    settings = dataclasses.replace(
        settings,
        glossary=load_glossaries(glossaries, settings.source_lang),
        verdicts=load_verdicts(options["verdicts"]),
    )
    if settings.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    return settings


def _evaluate(common: dict[str, Any], settings: Settings, mode: str) -> None:
    """Run an engine over the inputs into --out (resuming), write every report; then the gates (exit 3)."""
    out, quiet = common["out"], common["quiet"]
    chosen = common["formats"] or DEFAULT_FORMATS
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    shared: dict[str, Any] = {
        "mode": mode,
        "formats": chosen,
        "gates": common["gates"],
        "allow_missing": common["allow_missing"],
    }
    if common["engine"] == "ray":
        from ..run.engines.ray_engine import RayOptions, run_ray

        ray_options = RayOptions(common["ray_address"], common["workers"], common["gpus_per_worker"])
        report, written, failures = run_ray(common["inputs"], settings, out, options=ray_options, **shared)
    else:
        if common["ray_address"] or common["workers"] or common["gpus_per_worker"] is not None:
            raise InputError("--ray-address, --workers and --gpus-per-worker need --engine ray")
        chunk_size = common["chunk_size"] or DEFAULT_CHUNK
        report, written, failures = run_local(
            common["inputs"], settings, out, chunk_size=chunk_size, progress=progress, **shared
        )
    _finish(report, written, quiet)
    if failures:
        for failure in failures:
            click.echo(f"backtrans: below gate: {one_line(failure.describe())}", err=True)
        missing = sum(failure.value is None and failure.reason != "no score" for failure in failures)
        below = f"{len(failures) - missing} article × language result(s) fell below --fail-under"
        raise GateFailed(below + (f", {missing} not scored (--allow-missing lets those pass)" if missing else ""))


@cli.command()
@click.argument("report_json", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder for the reports.")
@click.option(
    "--format", "formats", type=FORMAT_LIST, default=None, help="Reports to write, e.g. html,md (default: all)."
)
@verdicts_option
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
def report(
    report_json: Path, out: Path, formats: tuple[str, ...] | None, verdicts: tuple[Path, ...], quiet: bool
) -> None:
    """Render the reports again from a saved report.json (or the run folder that holds it); loads no model."""
    chosen = formats or DEFAULT_FORMATS
    if report_json.is_dir():  # a run's folder, as compare takes it
        report_json = report_json / "report.json"
    check_out(out)
    judged = load_verdicts(verdicts)
    saved = read_report(report_json)
    if judged is not None:
        saved = apply_verdicts(saved, judged)
        if not quiet:
            click.echo(f"backtrans: {_dismissed_line(saved)}", err=True)
    inside = report_json.absolute().is_relative_to(out.absolute())
    written = write_outputs(saved, out, chosen, keep=inside)  # re-rendering in place keeps the run's other files
    if not quiet:
        click.echo(f"backtrans: wrote {written_summary(written)}", err=True)


@cli.command()
@click.option("--langs", type=LANGS, default=None, help="Languages to show (default en,fr,zh,ja,ar).")
@click.option("--source-lang", type=SOURCE_LANG, default=None, help="The language to translate back into (default id).")
@_model_option
@forward_model_option
@click.option(
    "--semantic-model", default=None, help=f"The sentence encoder to show (default {DEFAULT_SEMANTIC_MODEL})."
)
def models(
    langs: tuple[str, ...] | None,
    source_lang: str | None,
    models: dict[str, tuple[str, ...]] | None,
    forward_models: dict[str, tuple[str, ...]] | None,
    semantic_model: str | None,
) -> None:
    """Show each language's route back (and forward, for --calibrate), the sentence encoder, and what is cached."""
    settings = Settings.resolve(
        source_lang=source_lang, models=models, forward_models=forward_models, semantic_model=semantic_model
    )
    wanted = langs or DEFAULT_LANGS

    def status(step: Any, layout: Any = None) -> str:
        where, path = availability(step, layout) if layout else availability(step)
        return {
            "folder": f"local folder {path}",
            "hub-cache": f"cached ({path.name[:12] if path else ''})",
            "bad-folder": f"incomplete folder {path}",
            "missing": "not cached (needs internet once, or a local folder)",
        }[where]

    def name(step: Any) -> str:
        return step.name + (f"@{step.target_token}" if step.target_token else "")

    def add(lang: str, label: str, steps: Sequence[Any]) -> None:
        for i, step in enumerate(steps):
            rows.append((lang if i == 0 else "", label if i == 0 else "", name(step), status(step)))

    rows: list[tuple[str, str, str, str]] = []
    source = settings.source_lang
    for lang in wanted:
        route = route_for(lang, source, settings.models)
        add(lang, route.describe(), route.steps)
        for alternative in ALTERNATIVES.get((base_lang(lang), base_lang(source)), ()):
            add("", "alternative", alternative)
        try:
            forward = forward_route_for(lang, source, settings.forward_models)
            add("", f"forward {forward.describe()}", forward.steps)
        except NoRouteError:
            rows.append(("", "forward", "none known", f"pass --forward-model {lang}=MODEL"))
    encoder = ModelRef(settings.semantic_model)
    rows.append(("", "sentence encoder", encoder.name, status(encoder, ENCODER_LAYOUT)))
    widths = [max(len(r[c]) for r in rows + [("lang", "route", "model", "status")]) for c in range(4)]
    header = ("lang", "route", "model", "status")
    for row in (header, *rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


cli.add_command(compare)
cli.add_command(demo)


@cli.group()
def verdicts() -> None:
    """Editors' verdicts on flags (verdicts.json from the HTML report)."""


@verdicts.command("summary")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--top", type=click.IntRange(0, 10_000), default=10, show_default=True, help="Evidence rows to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def verdicts_summary(files: tuple[Path, ...], top: int, as_json: bool) -> None:
    """Per flag code and language: how many flags editors confirmed and dismissed (the flags' precision on the
    newsroom's own articles), and the evidence dismissed most (candidates for the glossary)."""
    judged = load_verdicts(files)
    assert judged is not None  # click requires at least one file
    summary = summarize_verdicts(judged, top)
    if as_json:
        click.echo(json.dumps(to_data(summary), ensure_ascii=False, indent=1))
        return
    for line in render_summary(summary).splitlines():
        click.echo(one_line(line))


def _finish(report: Any, written: Sequence[Path], quiet: bool) -> None:
    _warn(report.warnings, quiet)
    if quiet:
        return
    versions = sum(s.articles for s in report.languages)
    stored = [p for p in written if p.name == "report.json"]
    articles = len(report.articles)
    if not articles and stored and report.articles_file:
        with (stored[0].parent / report.articles_file).open("rb") as handle:
            articles = sum(1 for line in handle if line.strip())
    click.echo(f"backtrans: {articles} article(s), {versions} version(s); wrote {written_summary(written)}", err=True)
    if report.costs:
        click.echo(f"backtrans: cost: {describe_costs(report.costs)}", err=True)
    if report.signature.verdicts:
        click.echo(f"backtrans: {_dismissed_line(report)}", err=True)


def _dismissed_line(report: Any) -> str:
    record = report.signature.verdicts
    return (
        f"verdicts: {record.get('dismissed', 0)} flag(s) dismissed as not an error "
        f"({record.get('verdicts', 0)} verdict(s) in {', '.join(record.get('files', []))})"
    )


def written_summary(written: Sequence[Path]) -> str:
    """Every file a command wrote, as one list: the files of the report folder by name, each folder in
    it (back/, articles/) once with its number of files."""
    if not written:
        return "nothing"
    root = Path(os.path.commonpath([p.parent for p in written]))
    names: dict[str, int] = {}
    for path in written:
        top = root / path.relative_to(root).parts[0]
        key = str(top) if top == path else f"{top}{os.sep}"
        names[key] = names.get(key, 0) + 1
    return ", ".join(name if not name.endswith(os.sep) else f"{name} ({n} file(s))" for name, n in names.items())


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI and exit with 0, 1, 2, 3 (or 130 on Ctrl-C); see :mod:`backtrans.cli._failures`."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        with cli.make_context("backtrans", args) as ctx:
            cli.invoke(ctx)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "backtrans"
        click.echo(one_line(f"backtrans: error: {exc.format_message()} (see: {command} --help)"), err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        click.echo(one_line(f"backtrans: error: {exc.format_message()}"), err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.Abort):
        click.echo("backtrans: interrupted; finished batches are cached, rerun to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # the one boundary: every other exception becomes one line and an exit code
        failure = describe(exc)
        if debug:
            traceback.print_exc()
        click.echo(failure.line(), err=True)
        sys.exit(failure.code)
    sys.exit(EXIT_OK)
