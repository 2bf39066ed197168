"""``backtrans compare BASELINE CANDIDATE... --out DIR``: the command (cli.py adds it to the group).

Thin, like the rest of the CLI: options → :func:`backtrans.compare.comparison.compare_runs`
→ compare.json / compare.md / compare.html, then the ``--fail-if-worse`` gate
(exit 3, after the reports are written). Errors are raised as typed exceptions
and turned into one line and an exit code by :func:`backtrans.cli.commands.main`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from ..compare.comparison import compare_runs, gate_message, load_runs, worse_failures
from ..compare.render import COMPARE_FORMATS, write_compare
from ..compare.view import build_compare_view
from ..config import DEFAULT_PAIRED_AR, DEFAULT_PAIRED_BS, paired_settings
from ..errors import InputError
from ..files.fileio import one_line
from ..files.outdir import check_out
from ..flag.verdicts import apply_verdicts, load_verdicts
from ..run.gates import GateFailed
from ._options import verdicts_option
from ._params import COMPARE_FORMAT_LIST, WORSE_GATE, SettingRange, collect, parse_worse_gates


@click.command("compare")
@click.argument("baseline", type=click.Path(path_type=Path))
@click.argument("candidates", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder for the reports.")
@click.option(
    "--paired-bs",
    type=SettingRange("paired_bs"),
    default=DEFAULT_PAIRED_BS,
    show_default=True,
    help="Paired bootstrap resamples (0: no bootstrap test or interval).",
)
@click.option(
    "--paired-ar",
    type=SettingRange("paired_ar"),
    default=DEFAULT_PAIRED_AR,
    show_default=True,
    help="Approximate randomization trials (at most 1000 per article × language). 0: no randomization test; "
    "then the bootstrap alone decides each language (liberal on small corpora) and article rows are not tested.",
)
@click.option(
    "--fail-if-worse",
    "gates",
    type=WORSE_GATE,
    multiple=True,
    callback=collect(parse_worse_gates),
    help="CI gate: exit 3 when a language is significantly worse (every test that ran) by more than DELTA points "
    "(repeatable). It fails closed: what was left out of the comparison or could not be tested fails it too.",
)
@click.option(
    "--allow-missing",
    is_flag=True,
    help="Let articles and languages left out of the comparison (or tested on too few units) pass --fail-if-worse.",
)
@click.option("--format", "formats", type=COMPARE_FORMAT_LIST, default=None, help="Reports to write (default: all).")
@verdicts_option
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
def compare(
    baseline: Path,
    candidates: tuple[Path, ...],
    out: Path,
    paired_bs: int,
    paired_ar: int,
    gates: dict[str, float],
    allow_missing: bool,
    formats: tuple[str, ...] | None,
    verdicts: tuple[Path, ...],
    quiet: bool,
) -> None:
    """Did the new MT system, model or route make the versions better? Paired tests of runs.

    BASELINE and each CANDIDATE are a report.json or the --out folder of a run.
    """
    tests = paired_settings(paired_bs, paired_ar)
    if tests is None:
        raise InputError("--paired-bs 0 and --paired-ar 0 leave no test; keep at least one above 0")
    check_out(out)
    judged = load_verdicts(verdicts)
    runs = load_runs([baseline, *candidates])
    if judged is not None:  # the newsroom's "not an error" verdicts hold in every run compared
        runs = [dataclasses.replace(run, report=apply_verdicts(run.report, judged)) for run in runs]
    comparison = compare_runs(runs[0], runs[1:], tests)
    view = build_compare_view(comparison)  # once: the pages and the summary lines below
    written = write_compare(comparison, out, formats or COMPARE_FORMATS, view)
    if not quiet:
        for candidate in view.candidates:
            click.echo(f"backtrans: {one_line(f'{runs[0].label} → {candidate.label}: {candidate.summary}')}", err=True)
        click.echo("backtrans: wrote " + ", ".join(str(p) for p in written), err=True)
    failures = worse_failures(comparison, gates, allow_missing)
    if failures:
        for failure in failures:
            kind = "worse than the baseline" if failure.worse else "not judged by the gate"
            click.echo(f"backtrans: {kind}: {one_line(failure.describe())}", err=True)
        raise GateFailed(gate_message(failures))
