"""--out changes as a whole: one run's files, never a mix, never lost (issue 10, items 6 and 7)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.errors import InputError, OutputError
from backtrans.files import outdir
from backtrans.files.outdir import MARKER, OutputFolder, check_out, recover


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def corpus(example_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name in ("one", "two"):
        shutil.copytree(example_dir, root / name)
        (root / name / "meta.json").write_text(json.dumps({"id": name}), encoding="utf-8")
    return root


def test_a_run_replaces_the_folder_as_a_whole(corpus: Path, example_dir: Path, tmp_path: Path, capsys) -> None:
    """A corpus run, then a single-article run into the same --out: no old index.html or article pages remain."""
    out = tmp_path / "out"
    assert run_cli(["score", str(corpus), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    assert (out / "index.html").is_file() and (out / "articles").is_dir()
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    names = set(listing(out))
    assert names == {"report.json", "articles.jsonl", "segments.csv", "report.md", "report.html", MARKER}
    manifest = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == names - {MARKER}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_a_failure_while_writing_leaves_the_previous_reports(
    example_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A full disk halfway through writing: exit 1, one line naming the file, the old reports byte for byte."""
    out = tmp_path / "out"
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    before = listing(out)
    real = outdir.write_atomic
    calls: list[Path] = []

    def fill_disk(path: Path, data: str | bytes) -> None:
        calls.append(path)
        if len(calls) == 1:  # the first report (report.json and articles.jsonl come after, or otherwise)
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    import backtrans.files.fileio as fileio_module

    monkeypatch.setattr(fileio_module, "write_atomic", fill_disk)
    code, err = run_cli(["score", str(example_dir), "--out", str(out), "--langs", "en", "--bootstrap", "0"], capsys)
    assert code == 1 and err.count("\n") == 1 and "internal error" not in err
    assert f"no space left on the disk while writing {out}/segments.csv" in err
    assert "the reports already in" in err and "are unchanged" in err
    assert listing(out) == before
    # what was computed stays in the journal next to --out; the rerun takes it and leaves nothing behind
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == [".out.partial"]
    monkeypatch.undo()
    assert run_cli(["score", str(example_dir), "--out", str(out), "--langs", "en", "--bootstrap", "0"], capsys)[0] == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_out_that_is_a_file_or_foreign_folder_is_refused_before_any_work(
    example_dir: Path, tmp_path: Path, capsys
) -> None:
    """--out is replaced as a whole, so a file, or a folder of someone else's files, is refused (exit 2)."""
    afile = tmp_path / "afile"
    afile.write_text("keep me", encoding="utf-8")
    code, err = run_cli(["score", str(example_dir), "--out", str(afile)], capsys)
    assert code == 2 and f"--out {afile} is a file, not a folder" in err
    home = tmp_path / "home-folder"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work", encoding="utf-8")
    code, err = run_cli(["score", str(example_dir), "--out", str(home)], capsys)
    assert code == 2 and "holds files backtrans did not write (e.g. thesis.tex)" in err
    assert (home / "thesis.tex").read_text(encoding="utf-8") == "years of work"


def test_a_folder_written_by_an_older_backtrans_is_accepted(example_dir: Path, tmp_path: Path, capsys) -> None:
    """Before the marker file existed, a report folder held only report files: it may be replaced."""
    out = tmp_path / "out"
    (out / "back" / "a").mkdir(parents=True)
    for name in ("report.json", "segments.csv", "report.md", "report.html", "index.html"):
        (out / name).write_text("old", encoding="utf-8")
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    assert not (out / "index.html").exists() and not (out / "back").exists()


def test_unwritable_place_is_one_line_naming_the_path(example_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """Permission denied (simulated: the tests run as root) is exit 1 with the path and what to do."""
    real_access = os.access
    monkeypatch.setattr(outdir.os, "access", lambda path, mode: real_access(path, mode) and not mode & os.W_OK)
    code, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out")], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert f"cannot write in {tmp_path} (permission denied); give --out a folder in a place you can write" in err


def test_the_cache_inside_out_is_refused(example_dir: Path, tmp_path: Path, capsys) -> None:
    """The translation cache would be swapped away with the folder."""
    out = tmp_path / "out"
    code, err = run_cli(
        ["run", str(example_dir), "--out", str(out), "--cache", str(out / "cache.sqlite3"), "--backend", "auto"], capsys
    )
    assert code == 2 and "is inside --out" in err and "--cache PATH" in err


def test_report_rerendered_in_place_keeps_the_runs_other_files(example_dir: Path, tmp_path: Path, capsys) -> None:
    """`backtrans report OUT/report.json --out OUT --format html` replaces report.html and keeps the rest."""
    out = tmp_path / "out"
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    before = listing(out)
    (out / "report.html").write_text("stale", encoding="utf-8")
    assert run_cli(["report", str(out / "report.json"), "--out", str(out), "--format", "html"], capsys)[0] == 0
    after = listing(out)
    assert after["report.html"] == before["report.html"]
    assert {k: v for k, v in after.items() if k != MARKER} == {k: v for k, v in before.items() if k != MARKER}


@pytest.mark.parametrize("exchange", [True, False])
def test_commit_swaps_with_or_without_an_atomic_exchange(tmp_path: Path, monkeypatch, exchange: bool) -> None:
    """renameat2(RENAME_EXCHANGE) where the system has it, two renames elsewhere: the same result."""
    if not exchange:
        monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    for content in ("first", "second"):
        with OutputFolder(out) as folder:
            folder.write("report.json", content)
            folder.write(f"only-{content}.txt", content)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "only-second.txt", "report.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_exception_discards_the_staging_folder(tmp_path: Path) -> None:
    """Nothing of a failed run is visible, in --out or next to it."""
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        folder.write("report.json", "good")
    with pytest.raises(KeyboardInterrupt), OutputFolder(out) as folder:
        folder.write("report.json", "half")
        raise KeyboardInterrupt
    assert (out / "report.json").read_text(encoding="utf-8") == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_killed_runs_are_cleaned_up(tmp_path: Path) -> None:
    """A staging folder of a dead process is removed; a set-aside folder comes back when --out is missing."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    out = tmp_path / "out"
    (tmp_path / f".out.staging-{pid}-0a1b").mkdir()
    aside = tmp_path / f".out.old-{pid}-2c3d"
    aside.mkdir()
    (aside / "report.json").write_text("previous", encoding="utf-8")
    (tmp_path / f".out.staging-{os.getpid()}-4e5f").mkdir()  # a live process's: left alone
    recover(out)
    assert (out / "report.json").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".out.staging-{os.getpid()}-4e5f", "out"]


def test_writes_cannot_leave_the_folder(tmp_path: Path) -> None:
    """A relative name that climbs out of the folder is a bug, refused."""
    with pytest.raises(ValueError, match="outside"), OutputFolder(tmp_path / "out") as folder:
        folder.write("../escape.txt", "x")
    assert not (tmp_path / "escape.txt").exists()


def test_check_out_accepts_new_empty_and_own_folders(tmp_path: Path) -> None:
    check_out(tmp_path / "new" / "deeper")
    (tmp_path / "empty").mkdir()
    check_out(tmp_path / "empty")
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / MARKER).write_text(json.dumps({"files": ["anything.bin", "sub/page.html"]}), encoding="utf-8")
    (tmp_path / "own" / "anything.bin").write_text("x", encoding="utf-8")
    (tmp_path / "own" / "sub").mkdir()
    check_out(tmp_path / "own")
    (tmp_path / "own" / "notes.txt").write_text("added by hand", encoding="utf-8")  # not the run's: refused
    with pytest.raises(InputError, match=r"e\.g\. notes\.txt"):
        check_out(tmp_path / "own")
    with pytest.raises(InputError):
        check_out(tmp_path / "own" / MARKER)
    assert issubclass(OutputError, Exception)


def test_a_journal_that_cannot_grow_names_its_file(example_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """Issue 23, D: a file-size limit (EFBIG) or a full disk while the journal is flushed: one line that names
    the journal, not "File too large; check the path and the disk" without a path (closing it says no more)."""
    from backtrans.run._store import RunFolder

    class Full:
        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            self.inner = inner

        def write(self, data: bytes) -> int:
            return len(data)

        def flush(self) -> None:
            raise OSError(errno.EFBIG, "File too large")

        def close(self) -> None:
            self.inner.close()
            self.flush()

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.inner, name)

    real_open = RunFolder.open

    def open_full(self: RunFolder) -> None:
        real_open(self)
        self._handle = Full(self._handle)  # type: ignore[assignment]

    monkeypatch.setattr(RunFolder, "open", open_full)
    out = tmp_path / "out"
    code, err = run_cli(["score", str(example_dir), "--out", str(out)], capsys)
    assert code == 1
    assert err.count("\n") == 1 and "internal error" not in err
    assert ".out.partial/articles.journal.jsonl (File too large)" in err, err
    assert not out.exists() and not (tmp_path / ".out.lock").exists()


def test_a_damaged_journal_line_costs_only_its_own_article(tmp_path: Path) -> None:
    """A complete line that does not read back is passed over: the articles written after it stay in the journal
    (before, the journal was cut there and every later article was lost); only a half-written last line is cut."""
    from backtrans.run._store import RunFolder

    out = tmp_path / "out"
    folder = RunFolder(out)
    folder.folder.mkdir(parents=True)
    good = [json.dumps({"id": f"a{k}", "input": "i", "run": "r"}) for k in range(5)]
    lines = [good[0], json.dumps({"id": "b", "input": "i"}), "[" * 100_000 + "]" * 100_000, *good[1:]]
    folder.journal_path.write_text("\n".join(lines) + '\n{"id": "half', encoding="utf-8")
    folder.open()
    try:
        assert sorted(folder.entries) == [f"a{k}" for k in range(5)]
        kept = folder.journal_path.read_text(encoding="utf-8")
        assert kept.endswith(good[-1] + "\n") and '{"id": "half' not in kept
    finally:
        folder.close()


def test_a_journal_that_cannot_be_opened_leaves_no_lock_held(tmp_path: Path, monkeypatch) -> None:
    """Whatever stops a run while its journal is read, the lock on --out is released: the next run can start."""
    from backtrans.run import _store
    from backtrans.run._store import RunFolder

    out = tmp_path / "out"
    folder = RunFolder(out)
    folder.folder.mkdir(parents=True)
    folder.journal_path.write_text(json.dumps({"id": "a", "input": "i", "run": "r"}) + "\n", encoding="utf-8")

    def boom(head, offset):  # type: ignore[no-untyped-def]
        raise MemoryError("stand-in for anything unexpected")

    monkeypatch.setattr(_store, "_entry", boom)
    with pytest.raises(MemoryError):
        folder.open()
    monkeypatch.undo()
    again = RunFolder(out)
    again.open()  # not OutputBusyError: the first open released the lock
    again.close()
