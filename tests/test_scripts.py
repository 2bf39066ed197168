"""The README's scripts: scripts/_venv.sh installs once per change of pyproject.toml (issue 23, item 12)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_venv_script_installs_once_per_change_of_pyproject(tmp_path: Path) -> None:
    """example.sh ("") and test.sh ("test,fast,ray") in turn reinstalled on every call; now the extras a
    call needs are added once, and only a change of pyproject.toml installs again."""
    root = tmp_path / "clone"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "_venv.sh", root / "scripts" / "_venv.sh")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "pip.log"
    python = venv / "bin" / "python"  # records what it is asked to install instead of installing
    python.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n', encoding="utf-8")
    python.chmod(0o755)

    def call(extras: str) -> None:
        script = f'source "{root}/scripts/_venv.sh" "{extras}"'
        done = subprocess.run(["bash", "-c", script], env={"BACKTRANS_VENV": str(venv), "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr

    for extras in ("", "test,fast,ray", "", "test,fast,ray", "test"):
        call(extras)
    installs = [line.rsplit(" ", 1)[-1] for line in log.read_text(encoding="utf-8").splitlines()]
    assert installs == [str(root), f"{root}[fast,ray,test]"]
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n", encoding="utf-8")
    call("")
    call("test,fast,ray")
    call("")
    installs = [line.rsplit(" ", 1)[-1] for line in log.read_text(encoding="utf-8").splitlines()]
    assert installs[2:] == [str(root), f"{root}[fast,ray,test]"]
