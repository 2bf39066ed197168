"""Fuzzing the command line with hostile article folders, JSONL and option combinations (issue 10).

Each example builds inputs (control characters, lone surrogates, bidi
overrides, huge lines, deep JSON, odd file names and encodings), runs
``score`` (or ``run`` with a tiny model) in-process into an ``--out`` that
already holds a previous report, and checks the promises: exit code 0, 2 or 3,
no traceback, one line for an error, nothing written outside ``--out``, and
the previous report intact when the run fails. Bounded to a few seconds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backtrans.cli.commands import main

HOSTILE_CHARS = st.characters(codec=None, categories=None)  # everything, lone surrogates included
TEXT_CHARS = st.characters(codec="utf-8")  # everything a UTF-8 file can hold: controls, bidi, emoji, …
SPECIAL = st.sampled_from(
    ["\u202e", "\u2066", "\u200b", "\x00", "\x1b[31m", "\r", "\n\n", "\u2028", "\u0085", "\ufeff", "<script>", "=1+2"]
)
PLAIN = st.sampled_from(["Warga mengungsi.", "KPK memeriksa 12 saksi.", "Residents fled.", "一。", "قال.", "x"])
#: text a file can hold: never empty (a plain sentence first), with hostile characters in it
TEXT = st.lists(st.one_of(PLAIN, SPECIAL, st.text(TEXT_CHARS, max_size=20)), min_size=1, max_size=8).map(
    lambda parts: "Warga. " + "".join(parts)
)
#: anything at all, lone surrogates included
ANY_TEXT = st.lists(st.one_of(PLAIN, SPECIAL, st.text(HOSTILE_CHARS, max_size=20)), max_size=8).map("".join)
HUGE = st.sampled_from(["a" * 300_000, "kata " * 60_000, "。" * 50_000])
FILE_NAMES = st.sampled_from(
    ["id.txt", "en.txt", "fr.txt", "en.back.txt", "fr.back.txt", "en.title.txt", "id.title.txt", "en.title.back.txt",
     "zh-Hans.txt", "zh-Hans.back.txt", "xx.txt", "EN.TXT", "id.footer.txt", "notes.md", ".hidden", "a\nb.txt",
     "en.txt.txt", "meta.json"]
)  # fmt: skip
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "raw"])
DEEP = "[" * 20_000 + "]" * 20_000


def encode(text: str, encoding: str) -> bytes:
    if encoding == "raw":
        return text.encode("utf-8", "surrogatepass")  # lone surrogates as bytes: not UTF-8
    return text.encode(encoding, "replace" if encoding == "latin-1" else "surrogatepass")


@st.composite
def article_folder(draw: st.DrawFn) -> dict[bytes, bytes]:
    """File name (bytes, maybe not UTF-8) → content (bytes in some encoding): a valid article with hostile
    text, and now and then files that are wrong in every way."""
    files: dict[bytes, bytes] = {
        name.encode(): draw(st.one_of(TEXT, HUGE) if draw(st.integers(0, 14)) == 0 else TEXT).encode()
        for name in ("id.txt", "en.txt", "en.back.txt", *draw(st.sampled_from([(), ("fr.txt", "fr.back.txt")])))
    }
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        name = draw(st.one_of(FILE_NAMES.map(str.encode), st.sampled_from([b"\xff\xfe.txt", b"caf\xe9.txt"])))
        if name == b"meta.json":
            meta = draw(st.sampled_from(["{}", '{"id": "\\ud800"}', '{"x": ' + DEEP + "}", "[1]", '{"id": 5}', "{"]))
            files[name] = meta.encode()
            continue
        files[name] = encode(draw(ANY_TEXT), draw(ENCODINGS))
    return files


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    lines = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(draw(st.sampled_from(["{", "[]", '{"id": "a"}', '{"id": "a", "x": ' + DEEP + "}", ""])))
            continue
        texts = {"id": draw(TEXT), draw(st.sampled_from(["en", "fr", "en", "xx", "zh"])): draw(TEXT)}
        if kind == 1:
            texts = {"id": draw(ANY_TEXT), "en": draw(ANY_TEXT)}
        record = {"id": draw(st.sampled_from([f"a{i}", f"a{i}", "dup", "\u202eid\n", "x\ud800"])), "texts": texts}
        if draw(st.booleans()):
            record["back"] = {lang: draw(TEXT) for lang in texts}
        lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


GOOD_OPTIONS = st.sampled_from(
    [
        ["--langs", "en"], ["--langs", "en,fr,zh"], ["--source-lang", "id"], ["--fail-under", "chrf=50"],
        ["--fail-under", "chrf=1"], ["--allow-missing"], ["--threshold", "length_ratio=1"], ["--bootstrap", "17"],
        ["--threshold", "repetition_count=2"], ["--format", "md,csv"], ["--quiet"], ["--format", "html"],
    ]
)  # fmt: skip
BAD_OPTIONS = st.sampled_from(
    [
        ["--langs", ",,,"], ["--langs", "xx"], ["--fail-under", "bleu=nan"], ["--threshold", "outlier_gap=-1"],
        ["--bootstrap", "-1"], ["--format", "pdf"], ["--source-lang", "en"], ["--fail-under", "chrf=5", "--fail-under", "chrf=6"],
    ]
)  # fmt: skip
OPTIONS = st.lists(st.one_of(GOOD_OPTIONS, GOOD_OPTIONS, GOOD_OPTIONS, BAD_OPTIONS), max_size=3).map(
    lambda groups: [arg for group in groups for arg in group]
)


@pytest.fixture(scope="module")
def previous_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report folder from an earlier good run: a failing run must leave it exactly as it is."""
    out = tmp_path_factory.mktemp("previous") / "out"
    example = Path(__file__).resolve().parent.parent / "examples" / "semarang-flood"
    with pytest.raises(SystemExit) as info:
        main(["score", str(example), "--out", str(out), "--bootstrap", "0", "--quiet"])
    assert info.value.code == 0
    return out


def snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _, filenames in os.walk(os.fsencode(root)):
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                out[os.fsdecode(os.path.relpath(path, os.fsencode(root)))] = handle.read()
    return out


def check_run(root: Path, args: list[str], previous: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run the command with --out holding the previous report; check every promise."""
    out = root / "out"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(previous, out)
    before_out = snapshot(out)
    before_inputs = {k: v for k, v in snapshot(root).items() if not k.startswith("out/")}
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main([*args, "--out", str(out)])
    code = info.value.code
    err = capsys.readouterr().err
    event(f"exit {code}")
    assert code in (0, 2, 3), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert all(line.startswith("backtrans: ") for line in err.splitlines()), err
    if code == 2:
        assert err.count("\n") == 1, err
    after = snapshot(root)
    journal = {k for k in after if k.startswith(".out.partial/")}  # the journal of a run that stopped
    assert not journal or code != 0, journal
    outside = {k: v for k, v in after.items() if not k.startswith("out/") and k not in journal}
    assert outside == before_inputs  # nothing outside --out but the journal of what was computed
    assert not [p for p in os.listdir(os.fsencode(root)) if b".staging-" in p or b".old-" in p]
    if code == 2:
        assert snapshot(out) == before_out  # the previous report is intact
    elif (out / "report.json").exists():
        json.loads((out / "report.json").read_text(encoding="utf-8"))  # a whole, valid report


def materialise(root: Path, folders: list[dict[bytes, bytes]], jsonl: bytes | None) -> list[str]:
    inputs = []
    for k, files in enumerate(folders):
        folder = os.path.join(os.fsencode(root), b"corpus", f"art{k}".encode())
        os.makedirs(folder, exist_ok=True)
        for name, content in files.items():
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write(content)
    if folders:
        inputs.append(str(root / "corpus") if len(folders) > 1 else str(root / "corpus" / "art0"))
    if jsonl is not None:
        (root / "in.jsonl").write_bytes(jsonl)
        inputs.append(str(root / "in.jsonl"))
    return inputs


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    folders=st.lists(article_folder(), min_size=0, max_size=3),
    jsonl=st.one_of(st.none(), jsonl_file()),
    options=OPTIONS,
)
def test_score_never_fails_unsafely(folders, jsonl, options, previous_report: Path, capsys) -> None:
    """`backtrans score` on hostile inputs and option combinations keeps every promise."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = materialise(root, folders, jsonl) or [str(root / "missing")]
        check_run(root, ["score", *inputs, *options], previous_report, capsys)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None, reason="ctranslate2 is not installed")
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(folder=article_folder(), options=OPTIONS, model=st.sampled_from(["en-id", "short"]))
def test_run_with_a_tiny_model_never_fails_unsafely(
    folder, options, model: str, tiny_models: dict[str, Path], previous_report: Path, capsys
) -> None:
    """`backtrans run` with a tiny MarianMT model (a 12-token one splits everything) keeps every promise."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = materialise(root, [folder], None)
        cache = Path(tempfile.mkdtemp()) / "cache.sqlite3"  # outside root: the cache is expected to change
        models = [f"--model={lang}={tiny_models[model]}" for lang in ("en", "fr", "zh", "id")]
        args = ["run", *inputs, *models, "--backend", "ctranslate2", "--cache", str(cache), "--bootstrap", "0"]
        try:
            check_run(root, [*args, *options], previous_report, capsys)
        finally:
            shutil.rmtree(cache.parent, ignore_errors=True)
