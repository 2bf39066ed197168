"""``backtrans demo [FOLDER] [--out DIR]``: try ``run`` offline with tiny models (cli/commands.py adds it).

Builds the tiny models once (:mod:`backtrans.testing.demo`) and runs the real ``run`` command on the
bundled example (or FOLDER) with them, offline; says before and after that their numbers mean nothing.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ..testing.demo import bundled_example, demo_folder, demo_models, model_overrides

MEANINGLESS = (
    "the demo's models are tiny and random: their translations are noise, so every score and flag of this "
    "run is meaningless; it only shows that run works end to end here, offline"
)


@click.command("demo")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out", "out", default=Path("out/demo"), show_default=True, type=click.Path(path_type=Path), help="Report folder."
)
@click.pass_context
def demo(ctx: click.Context, folder: Path | None, out: Path) -> None:
    """Try `run` without the hub: tiny MarianMT models (built once) on the bundled example, offline.

    The numbers are meaningless (the models are random); for real ones, run `backtrans run FOLDER --out DIR`
    once with internet access (it downloads the OPUS-MT models and caches them).
    """
    folder = folder or bundled_example()
    if folder is None:
        raise InputError("the bundled example is not installed here; name an article folder: backtrans demo FOLDER")
    where = demo_folder()
    if not where.is_dir():
        click.echo(f"backtrans: demo: building tiny models once into {where} ...", err=True)
    paths, _ = demo_models(where)
    click.echo(f"backtrans: demo: {MEANINGLESS}", err=True)
    args = [str(folder), "--out", str(out), "--offline", "--backend", "transformers", "--beams", "1"]
    for value in model_overrides(paths):
        args += ["--model", value]
    from .commands import run

    with run.make_context("run", args, parent=ctx) as sub:
        run.invoke(sub)
    click.echo(f"backtrans: demo: done; the reports in {out} show the layout only ({MEANINGLESS.split(':')[0]})",
               err=True)  # fmt: skip
