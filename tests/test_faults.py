"""Kill -9 at any point of `backtrans run`; the rerun's reports are byte-identical to an uninterrupted run's.

The killed process runs in a subprocess (a real SIGKILL: no cleanup code runs)
with the fake backend; the kill comes after N committed batches, after K report
files were written, or right after the output folder was swapped in. While
killed, ``--out`` holds either the previous run's files or the new run's, never
a mix (issue 10, fault test).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backtrans.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent

KILLER = r"""
import os, signal, sys
from backtrans import report
from backtrans.files import outdir
from backtrans.translate import cache
from backtrans.testing import register_fake_backend

register_fake_backend()
point, count = sys.argv[1], int(sys.argv[2])
seen = [0]

def kill_after(module, name):
    real = getattr(module, name)
    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        seen[0] += 1
        if seen[0] >= count:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(module, name, wrapped)

if point == "batch":
    kill_after(cache.TranslationCache, "put_many")
elif point == "write":
    kill_after(report, "write_atomic")
else:
    kill_after(outdir, "_exchange")
from backtrans.cli.commands import main
main(sys.argv[3:])
"""


def files(out: Path) -> dict[str, str]:
    """Every file of a report folder, without the creation time (report.json's `created` and where it is shown)
    and report.json's `costs` (seconds and cache hits differ between a fresh and a resumed run)."""
    texts = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}
    report = json.loads(texts["report.json"])
    report.pop("costs", None)
    texts["report.json"] = json.dumps(report, sort_keys=True)
    created = report["created"]
    return {name: text.replace(created, "<created>") for name, text in texts.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three copies of the example: 225 segments, many batches of 8."""
    root = tmp_path_factory.mktemp("fault-corpus")
    for name in ("a", "b", "c"):
        shutil.copytree(ROOT / "examples" / "semarang-flood", root / name)
        (root / name / "meta.json").write_text(json.dumps({"id": name}), encoding="utf-8")
    return root


def args_for(corpus: Path, out: Path, cache: Path, langs: str = "en,fr,zh,ja,ar") -> list[str]:
    return ["run", str(corpus), "--out", str(out), "--cache", str(cache), "--batch-size", "8", "--langs", langs] + [
        "--bootstrap",
        "50",
        "--quiet",
    ]


def run_fake(args: list[str]) -> int:
    """Run in this process with the fake backend (BACKTRANS_BACKEND=fake: --backend offers only real ones)."""
    old = os.environ.get("BACKTRANS_BACKEND")
    os.environ["BACKTRANS_BACKEND"] = "fake"
    try:
        with pytest.raises(SystemExit) as info:
            main(args)
    finally:
        os.environ.pop("BACKTRANS_BACKEND")
        if old is not None:
            os.environ["BACKTRANS_BACKEND"] = old
    return int(info.value.code)


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("uninterrupted")
    assert run_fake(args_for(corpus, root / "out", root / "cache.sqlite3")) == 0
    return files(root / "out")


@pytest.mark.parametrize(("point", "most"), [("batch", 15), ("write", 37), ("swap", 1)])  # of 16 batches and 38 files
@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_killed_run_resumes_to_identical_reports(
    point: str, most: int, data: st.DataObject, corpus: Path, uninterrupted, tmp_path_factory, capsys
) -> None:
    """SIGKILL at a random point, then rerun: the reports equal an uninterrupted run's, byte for byte."""
    count = data.draw(st.integers(1, most), label=f"kill after this many {point} events")
    root = tmp_path_factory.mktemp("killed")
    out, cache = root / "out", root / "cache.sqlite3"
    assert run_fake(args_for(corpus, out, root / "other-cache.sqlite3", langs="en")) == 0  # a previous report
    previous = files(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BACKTRANS_BACKEND": "fake"}
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, point, str(count), *args_for(corpus, out, cache)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    assert files(out) in (previous, uninterrupted)  # never a mix
    capsys.readouterr()
    assert run_fake(args_for(corpus, out, cache)) == 0, capsys.readouterr().err
    assert files(out) == uninterrupted
    assert sorted(p.name for p in root.iterdir()) == ["cache.sqlite3", "other-cache.sqlite3", "out"] + [
        name for name in ("cache.sqlite3-shm", "cache.sqlite3-wal") if (root / name).exists()
    ]
