"""The one boundary: every input of issue 10 ends in one line and exit 1, 2 or 3; "internal error" only for bugs."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from backtrans.cli._failures import describe
from backtrans.cli.commands import main
from backtrans.errors import InputError

SOURCE = "Warga mengungsi. Air naik.\n\nKPK memeriksa 12 saksi."
VERSION = "Residents fled. Water rose.\n\nKPK examined 12 witnesses."


def article(root: Path, name: str = "a", **files: str | bytes) -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    base: dict[str, str | bytes] = {"id.txt": SOURCE, "en.txt": VERSION, "en.back.txt": SOURCE}
    for filename, content in {**base, **files}.items():
        path = Path(os.fsdecode(os.fsencode(folder) + b"/" + os.fsencode(filename)))
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def jsonl(root: Path, *lines: str) -> Path:
    path = root / "in.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def deep_article(root: Path) -> list[str]:
    return ["score", str(article(root, **{"meta.json": '{"x": ' + "[" * 50_000 + "]" * 50_000 + "}"}))]


def damaged_report(root: Path) -> list[str]:
    """A report.json with the pairs of one version removed (the run before it is part of the setup)."""
    with pytest.raises(SystemExit):
        main(["score", str(article(root)), "--out", str(root / "first"), "--bootstrap", "0", "-q"])
    data = json.loads((root / "first" / "report.json").read_text(encoding="utf-8"))
    data["articles"][0]["versions"][0]["pairs"] = []
    (root / "damaged.json").write_text(json.dumps(data), encoding="utf-8")
    return ["report", str(root / "damaged.json")]


def non_utf8_folder(root: Path) -> list[str]:
    corpus = root / "corpus"
    article(Path(os.fsdecode(os.fsencode(corpus))), os.fsdecode(b"caf\xe9"))
    return ["score", str(corpus)]


def model_file(root: Path) -> list[str]:
    (root / "model.bin").write_bytes(b"weights")
    return ["run", str(article(root)), "--model", f"en={root / 'model.bin'}", "--offline"]


def only_source(root: Path) -> list[str]:
    folder = root / "only"
    folder.mkdir()
    (folder / "id.txt").write_text(SOURCE, encoding="utf-8")
    return ["score", str(folder)]


def folder_named_en_txt(root: Path) -> list[str]:
    folder = article(root)
    (folder / "en.txt").unlink()
    (folder / "en.txt").mkdir()
    return ["score", str(folder)]


def without_back(root: Path) -> list[str]:
    """fr has no back-translation: under --quiet it must still fail the gate."""
    folder = article(root, **{"fr.txt": "Les habitants ont fui."})
    return ["score", str(folder), "--fail-under", "chrf=10", "--quiet"]


def absurd_ratio(root: Path) -> list[str]:
    long = " ".join(f"Kalimat panjang nomor {i} tentang banjir di kota." for i in range(400))
    return ["score", str(article(root, **{"id.txt": long}))]


#: (issue item, how to build the command line, expected exit code); every one gets --out and a fresh folder
CASES: list[tuple[str, Callable[[Path], list[str]], int]] = [
    ("1 beams", lambda r: ["run", str(article(r)), "--beams", "100000"], 2),
    ("2 surrogate", lambda r: ["score", str(jsonl(r, '{"id": "a", "texts": {"id": "\\ud800", "en": "x"}}'))], 2),
    ("2 junk name", lambda r: ["score", str(article(r, **{os.fsdecode(b"\xff\xfe.txt"): "junk"}))], 0),
    ("2 folder name", non_utf8_folder, 0),
    (
        "3 u2028",
        lambda r: ["score", str(jsonl(r, '{"id":"a","texts":{"id":"A\u2028B.","en":"x"},"back":{"en":"A"}}'))],
        0,
    ),
    ("3 bad json", lambda r: ["score", str(jsonl(r, '{"id": "a", "texts": {"id": "x}}'))], 2),
    ("4 nan gate", lambda r: ["score", str(article(r)), "--fail-under", "chrf=nan"], 2),
    ("4 repeated gate", lambda r: ["score", str(article(r)), "--fail-under", "chrf=80", "--fail-under", "chrf=10"], 2),
    ("4 unscored", without_back, 3),
    ("7 out is a file", lambda r: ["score", str(article(r)), "--out", str(article(r) / "id.txt")], 2),
    ("8 negative ratio", lambda r: ["score", str(article(r)), "--threshold", "length_ratio=-5"], 2),
    ("8 nan threshold", lambda r: ["score", str(article(r)), "--threshold", "outlier_gap=nan"], 2),
    ("8 huge bootstrap", lambda r: ["score", str(article(r)), "--bootstrap", "1e20"], 2),
    ("9 deep meta", deep_article, 2),
    ("9 deep jsonl", lambda r: ["score", str(jsonl(r, '{"id": "a", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"))], 2),
    ("9 damaged report", damaged_report, 2),
    ("10 empty back", lambda r: ["score", str(article(r, **{"en.back.txt": " "}))], 2),
    ("10 folder en.txt", folder_named_en_txt, 2),
    ("10 model is a file", model_file, 1),
    ("10 duplicate ids", lambda r: ["score", str(jsonl(r, *['{"id": "a", "texts": {"id": "x", "en": "y"}}'] * 2))], 2),
    ("10 empty langs", lambda r: ["score", str(article(r)), "--langs", ",,,"], 2),
    ("10 only source", only_source, 2),
    ("11 absurd ratio", absurd_ratio, 0),
]


@pytest.mark.parametrize(("build", "expected"), [(b, e) for _, b, e in CASES], ids=[c[0] for c in CASES])
def test_no_input_of_the_issue_reaches_internal_error(build, expected: int, tmp_path: Path, capsys) -> None:
    """Exit code as expected, no traceback, no "internal error"; an error is exactly one line."""
    args = build(tmp_path)
    capsys.readouterr()
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == expected, err
    assert "internal error" not in err and "Traceback" not in err
    assert all(line.startswith("backtrans: ") for line in err.splitlines())
    if expected in (1, 2):
        assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/data/x"), 1, "no space left on the disk (/data/x)"),
        (PermissionError(errno.EACCES, "Permission denied", "/etc/x"), 1, "Permission denied (/etc/x); check"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "a\nb"), 1, "No such file or directory (a\\nb)"),
        (MemoryError(), 1, "out of memory; use a smaller --batch-size or --beams"),
        (InputError("x.txt: bad"), 2, "x.txt: bad"),
    ],
)
def test_exceptions_that_are_not_bugs_are_plain_errors(error: BaseException, code: int, text: str) -> None:
    failure = describe(error)
    assert failure.code == code and not failure.internal and text in failure.line()
    assert failure.line().startswith("backtrans: error: ") and "\n" not in failure.line()


def test_a_real_bug_is_an_internal_error_with_what_to_do(
    example_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A bug still ends in one line (exit 1) that says so; --debug shows the traceback."""
    import backtrans.cli.commands as cli_module

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli_module, "run_local", broken)
    out = tmp_path / "out"
    for debug in ([], ["--debug"]):
        with pytest.raises(SystemExit) as info:
            main([*debug, "score", str(example_dir), "--out", str(out)])
        err = capsys.readouterr().err
        assert info.value.code == 1
        assert err.splitlines()[-1] == (
            "backtrans: internal error: ZeroDivisionError: division by zero "
            "(a bug in backtrans: rerun with --debug and report the traceback)"
        )
        assert ("Traceback" in err) == bool(debug)
    assert not out.exists()
    shutil.rmtree(tmp_path, ignore_errors=True)
