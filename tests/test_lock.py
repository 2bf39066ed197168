"""One run per ``--out``: a second process on the same folder fails at once and names the holder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from backtrans.files.lock import OutLock, OutputBusyError, lock_path

SRC = str(Path(__file__).resolve().parent.parent / "src")

#: a process that takes the lock of argv[1] the way a run does (RunFolder.open), says so, and waits
HOLDER = """
import sys, time
from pathlib import Path
from backtrans.run._store import RunFolder
folder = RunFolder(Path(sys.argv[1]))
folder.open()
print("locked", flush=True)
time.sleep(600)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _holder(out: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True, env=_env())
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _score(example_dir: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backtrans", "score", str(example_dir), "--out", str(out), "--format", "json"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )


def test_a_second_run_on_the_same_out_fails_at_once_naming_the_holder(example_dir: Path, tmp_path: Path) -> None:
    """While one process holds --out, a real `backtrans score` on it exits 1 with one line naming the pid,
    changes nothing there, and runs normally once the holder is gone (even killed with SIGKILL)."""
    out = tmp_path / "out"
    first = _score(example_dir, out)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    holder = _holder(out)
    try:
        # the other spelling of the same folder is the same lock
        second = _score(example_dir, Path(os.path.relpath(out)))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert lines[0].startswith("backtrans: error: --out ")
    assert f"pid {holder.pid} on " in lines[0] and "in use by another backtrans run" in lines[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    third = _score(example_dir, out)  # the killed holder left its lock file, unlocked
    assert third.returncode == 0, third.stderr
    assert not lock_path(out).exists()  # released and removed at the end of the run
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_two_runs_started_together_one_wins_and_the_other_changes_nothing(example_dir: Path, tmp_path: Path) -> None:
    """Two `backtrans score` processes started at once on one --out: at most one writes it; every other
    exits 1 with the busy message; the folder holds one complete run."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "backtrans", "score", str(example_dir), "--out", str(out), "--format", "json"]
    procs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=_env()) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 1]), results  # both 0 only when one finished before the other began
    for code, err in results:
        if code == 1:
            assert "is in use by another backtrans run" in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in report["articles"]] == ["semarang-flood"]
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1


def test_the_lock_is_exclusive_within_a_process_too(tmp_path: Path) -> None:
    """A second lock of one folder from the same process is refused, and the lock file goes on release."""
    out = tmp_path / "out"
    with OutLock(out):
        record = json.loads(lock_path(out).read_text(encoding="utf-8"))
        assert record["pid"] == os.getpid()
        with pytest.raises(OutputBusyError, match="this process"):
            OutLock(tmp_path / "." / "out").acquire()
    assert not lock_path(out).exists()
    with OutLock(out):  # free again
        pass
