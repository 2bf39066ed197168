"""The command line: exit codes, one-line messages, the main job, and import hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backtrans.cli.commands import main


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return int(info.value.code), captured.out, captured.err


def test_score_on_the_example_writes_report_json(example_dir: Path, tmp_path: Path, capsys) -> None:
    """The README's main job: score the bundled example from its back-translation files."""
    code, _, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == 2
    assert report["articles_file"] == "articles.jsonl"
    assert report["signature"]["mode"] == "score"
    assert report["signature"]["metrics"]["chrf"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:2")
    (article,) = report["articles"]
    assert [v["lang"] for v in article["versions"]] == ["ar", "en", "fr", "ja", "zh"]
    for version in article["versions"]:
        assert 0 < version["scores"]["chrf"] <= 100
        assert len(version["back"]) == len(version["segments"])


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["score", "nope-folder", "--out", "x"], 2, "nope-folder: no such file or folder"),
        (["score"], 2, "Missing argument"),
        (["run", "{example}", "--out", "{tmp}", "--beams", "0"], 2, "--beams must be from 1 to 128, not 0"),
        (["run", "{example}", "--out", "{tmp}", "--langs", "en,xx"], 2, "--langs: unknown language code 'xx'"),
        (["run", "{example}", "--out", "{tmp}", "--model", "fr"], 2, "--model 'fr': write LANG=ID_OR_PATH"),
        (["score", "{example}", "--out", "{tmp}", "--langs", "de"], 2, "no article has a version in de"),
        (
            ["run", "{example}", "--out", "{tmp}", "--langs", "fr", "--offline"],
            1,
            "Helsinki-NLP/opus-mt-fr-id is not in the local Hugging Face cache",
        ),
        (
            ["run", "{example}", "--out", "{tmp}", "--langs", "fr", "--model", "fr=/no/such/model"],
            1,
            "model folder /no/such/model does not exist",
        ),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_errors_are_one_line_with_exit_codes(args, code, expected, example_dir, tmp_path, capsys) -> None:
    """Bad input and usage exit 2, runtime failures 1; one line on stderr, no traceback."""
    args = [a.format(example=example_dir, tmp=tmp_path / "out") for a in args]
    got, out, err = run_cli(args, capsys)
    assert got == code, err
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path: Path, capsys) -> None:
    """--debug adds the traceback to the one-line message."""
    code, _, err = run_cli(["--debug", "score", str(tmp_path / "nope"), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and "Traceback" in err


def test_models_lists_routes_and_availability(tmp_path: Path, capsys) -> None:
    """`backtrans models` shows every step of every route and whether it is available."""
    code, out, _ = run_cli(["models", "--langs", "en,zh", "--model", f"en={tmp_path}"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["lang", "route", "model", "status"]
    assert f"incomplete folder {tmp_path}" in out
    assert "zh → en → id" in out and "Helsinki-NLP/opus-mt-zh-en" in out and "not cached" in out


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_and_help_load_no_ml_library() -> None:
    """`import backtrans` and `backtrans --help` import neither torch nor transformers."""
    heavy = {"torch", "transformers", "ctranslate2", "sentencepiece", "sentence_transformers", "safetensors"}
    # CLDR (babel) is loaded when a date, a place or a unit is first read
    assert not (heavy | {"babel"}) & _modules_after("import backtrans")
    help_modules = _modules_after(
        "from backtrans.cli.commands import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['run', '--help'])\nexcept SystemExit:\n    pass"
    )
    assert not heavy & help_modules
    result = subprocess.run([sys.executable, "-m", "backtrans", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "backtrans run" in result.stdout


def test_option_parsers_do_not_import_the_compare_stage() -> None:
    """cli_params holds only parsers: the --fail-if-worse metrics live next to --fail-under's in gates.py."""
    from backtrans.run.gates import GATE_METRICS, WORSE_GATE_METRICS

    assert "backtrans.compare.comparison" not in _modules_after("import backtrans.cli._params")
    assert set(GATE_METRICS) < set(WORSE_GATE_METRICS) == {"chrf", "bleu", "ter"}


def test_every_command_is_documented_in_the_readme() -> None:
    """A command missing from the README fails this test."""
    from backtrans.cli.commands import cli

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"backtrans {name}" in readme, f"`backtrans {name}` is not documented in README.md"


def test_fail_under_is_a_ci_gate(example_dir: Path, tmp_path: Path, capsys) -> None:
    """--fail-under exits 3 and lists every article × language below the gate; reports are still written."""
    code, _, err = run_cli(
        ["score", str(example_dir), "--out", str(tmp_path / "out"), "--fail-under", "chrf=70", "--bootstrap", "0"],
        capsys,
    )
    assert code == 3
    below = [line for line in err.splitlines() if "below gate" in line]
    assert [line.split(": ", 2)[2].split(" ")[0:3] for line in below] == [
        ["semarang-flood", "/", "ar:"],
        ["semarang-flood", "/", "fr:"],
        ["semarang-flood", "/", "ja:"],
        ["semarang-flood", "/", "zh:"],
    ]
    assert err.splitlines()[-1] == "backtrans: error: 4 article × language result(s) fell below --fail-under"
    assert (tmp_path / "out" / "report.json").is_file()
    assert (
        run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), "--fail-under", "chrf=50"], capsys)[0] == 0
    )
    code, _, err = run_cli(
        ["score", str(example_dir), "--out", str(tmp_path / "out"), "--fail-under", "ter=50"], capsys
    )
    assert code == 2 and "TER is lower-is-better" in err


def test_segments_csv_loads_in_pandas(example_dir: Path, tmp_path: Path, capsys) -> None:
    """segments.csv has one row per aligned pair, with scores and flags, and reads cleanly with pandas."""
    pandas = pytest.importorskip("pandas")
    assert run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), "--format", "csv"], capsys)[0] == 0
    assert not (tmp_path / "out" / "report.json").exists()
    frame = pandas.read_csv(tmp_path / "out" / "segments.csv", keep_default_na=False)
    assert list(frame.columns[:5]) == ["article", "lang", "route", "pair", "link"]
    assert set(frame["lang"]) == {"ar", "en", "fr", "ja", "zh"}
    omitted = frame[frame["flags"].str.contains("omitted")]
    assert list(omitted["lang"]) == ["fr"] and list(omitted["link"]) == ["1-0"] and omitted["chrf"].iloc[0] == ""
    assert frame[frame["link"] == "1-1"]["chrf"].astype(float).between(0, 100).all()


def test_threshold_and_format_errors(example_dir: Path, tmp_path: Path, capsys) -> None:
    """Unknown thresholds and formats are usage errors that list what exists."""
    code, _, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), "--threshold", "nope=1"], capsys)
    assert code == 2 and "outlier_gap" in err
    code, _, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), "--format", "pdf"], capsys)
    assert code == 2 and "--format pdf: unknown" in err


def test_progress_bar_per_model_on_stderr(capsys) -> None:
    """The progress bar shows each model's segments done of total on stderr; disabled it prints nothing."""
    from backtrans.cli.commands import _Progress
    from backtrans.translate.translator import ProgressEvent

    bar = _Progress(enabled=True)
    for event in (
        ProgressEvent("opus-mt-zh-en", 0, 10, "start"),
        ProgressEvent("opus-mt-zh-en", 6, 10, "advance"),
        ProgressEvent("opus-mt-zh-en", 10, 10, "end"),
    ):
        bar(event)
    err = capsys.readouterr().err
    assert "opus-mt-zh-en" in err and "10/10" in err and "seg/s" in err
    quiet = _Progress(enabled=False)
    quiet(ProgressEvent("m", 0, 3, "start"))
    assert capsys.readouterr().err == ""


def test_unreachable_hub_fails_fast_with_advice(monkeypatch) -> None:
    """Online but without a network, an uncached hub model fails in seconds, not minutes."""
    import time

    from backtrans.errors import ModelUnavailableError
    from backtrans.translate.backends.hub import resolve
    from backtrans.types import ModelRef

    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # the discard port: nothing listens
    start = time.perf_counter()
    with pytest.raises(ModelUnavailableError, match="hub cannot be reached; run once with internet access"):
        resolve(ModelRef("Helsinki-NLP/opus-mt-xx-yy"), offline=False)
    assert time.perf_counter() - start < 10


def test_source_lang_that_an_article_overrides_is_warned_about(example_dir, tmp_path, capsys) -> None:
    """--source-lang en on an article whose meta.json (or JSONL record) says id: a warning names the file
    (it was overridden silently); without --source-lang nothing is said."""
    jsonl = tmp_path / "in.jsonl"
    record = {"id": "j1", "source_lang": "id", "texts": {"id": "Satu dua tiga.", "en": "One two three."}}
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    said = {}
    for given in ("en", None):
        args = ["score", str(example_dir), str(jsonl), "--out", str(tmp_path / "out"), "--langs", "en"]
        code, _, err = run_cli([*args, *(["--source-lang", given] if given else [])], capsys)
        assert code == 0, err
        said[given] = [line for line in err.splitlines() if "--source-lang" in line]
    assert said["en"] == [
        f"backtrans: warning: {example_dir}: source language 'id' from its meta.json is used, not --source-lang en; "
        "change one of them if that is wrong",
        f"backtrans: warning: {jsonl}:1: source language 'id' from its \"source_lang\" is used, not --source-lang "
        "en; change one of them if that is wrong",
    ]
    assert said[None] == []


def test_int8_that_changes_nothing_says_so(example_dir, tmp_path, capsys) -> None:
    """--int8 with the CTranslate2 backend on the CPU (int8 already; cached translations are reused) or in
    score mode (nothing translated) was accepted without a word; the transformers backend quantizes."""
    base = [str(example_dir), "--out", str(tmp_path / "out"), "--langs", "en", "--int8", "--device", "cpu"]
    missing = ["--model", f"en={tmp_path / 'no-model'}"]  # the run stops at the model, after the warning
    said = {}
    for name, args in (
        ("ct2", ["run", *base, *missing, "--backend", "ctranslate2"]),
        ("transformers", ["run", *base, *missing, "--backend", "transformers"]),
        ("score", ["score", *base]),
    ):
        _, _, err = run_cli(args, capsys)
        said[name] = [line for line in err.splitlines() if "--int8" in line]
    assert said == {
        "ct2": [
            "backtrans: warning: --int8 changes nothing with the CTranslate2 backend: it computes in int8 on the "
            "CPU already, so translations cached without --int8 are reused; --int8 quantizes --backend transformers"
        ],
        "transformers": [],
        "score": [
            "backtrans: warning: --int8 changes nothing here: score translates nothing (it is for run, or "
            "score --calibrate)"
        ],
    }


@pytest.mark.slow
def test_demo_runs_the_example_offline_through_marianmt_and_says_the_numbers_mean_nothing(
    tmp_path, capsys, monkeypatch
) -> None:
    """`backtrans demo`: tiny models built once into the state folder, the bundled example through the
    real `run` path (transformers backend, offline), and a clear word that the numbers are meaningless."""
    from backtrans.testing.demo import demo_folder

    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["demo"], capsys)
    assert code == 0, err
    assert f"backtrans: demo: building tiny models once into {demo_folder()}" in err
    assert "every score and flag of this run is meaningless" in err
    report = json.loads((tmp_path / "out" / "demo" / "report.json").read_text(encoding="utf-8"))
    assert sorted(v["lang"] for v in report["articles"][0]["versions"]) == ["ar", "en", "fr", "ja", "zh"]
    models = {m["name"] for m in report["signature"]["models"]}
    assert models == {str(demo_folder() / name) for name in ("en-id", "zh-en", "ja-en", "ar-en")} | {
        f"{demo_folder() / 'fr-ms'}@>>ind<<"
    }
    assert all(m["backend"] == "transformers" for m in report["signature"]["models"])
    translation = next(c for c in report["costs"] if c["stage"] == "translation")
    assert translation["computed"] > 0
    # the second time nothing is built again
    code, _, err = run_cli(["demo", "--out", str(tmp_path / "again")], capsys)
    assert code == 0, err
    assert "building" not in err and (tmp_path / "again" / "report.html").is_file()


def test_the_summary_line_lists_every_file_and_folder_written(example_dir, tmp_path, capsys) -> None:
    """The summary named only report.*: segments.csv, index.html and articles/ were missing, and with
    --format csv it said "wrote" and nothing."""
    import shutil

    corpus = tmp_path / "corpus"
    for name in ("a1", "a2"):
        shutil.copytree(example_dir, corpus / name)
        (corpus / name / "meta.json").unlink()
    out = tmp_path / "out"
    code, _, err = run_cli(["score", str(corpus), "--out", str(out), "--langs", "en,fr"], capsys)
    assert code == 0, err
    (line,) = [x for x in err.splitlines() if " wrote " in x]
    listed = line.split("; wrote ", 1)[1].split(", ")
    expected = {f"{out / name}" for name in ("articles.jsonl", "segments.csv", "report.md", "report.html")}
    expected |= {f"{out / 'index.html'}", f"{out / 'report.json'}", f"{out / 'articles'}/ (2 file(s))"}
    assert set(listed) == expected
    assert set(listed) >= {str(p) for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    code, _, err = run_cli(["score", str(corpus), "--out", str(tmp_path / "csv"), "--format", "csv"], capsys)
    assert code == 0, err
    assert f"wrote {tmp_path / 'csv' / 'articles.jsonl'}, {tmp_path / 'csv' / 'segments.csv'}" in err
