"""Every setting has its range in one place; the CI gate fails closed (issue 10, items 4 and 8)."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.config import MAX_BEAMS, Settings, Thresholds
from backtrans.errors import InputError


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def test_every_threshold_declares_its_range() -> None:
    """A threshold without a range could take any value: each field carries one in its metadata."""
    for field in dataclasses.fields(Thresholds):
        low, high = field.metadata["range"]
        assert low <= field.default <= high, field.name


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Thresholds)])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -5, 1e9])
def test_thresholds_refuse_values_outside_their_range(field: str, bad: float) -> None:
    """NaN, infinities and out-of-range values are refused, naming the threshold."""
    with pytest.raises(InputError, match=f"--threshold {field} must be"):
        Thresholds(**{field: bad})


def test_a_threshold_added_later_is_checked_by_the_same_mechanism() -> None:
    """The check is generic: a subclass with a new ranged field is validated without new code."""
    from backtrans.config import ranged

    @dataclasses.dataclass(frozen=True)
    class More(Thresholds):
        new_share: float = ranged(0.5, 0, 1)

    assert More(new_share=1.0).new_share == 1.0
    with pytest.raises(InputError, match="--threshold new_share must be a finite number from 0 to 1, not nan"):
        More(new_share=math.nan)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--threshold", "length_ratio=-5"], "--threshold length_ratio must be from 1 to 1000, not -5"),
        (["--threshold", "outlier_gap=nan"], "--threshold outlier_gap must be a finite number from 0 to 100, not nan"),
        (["--threshold", "repetition_ngram=2.5"], "'2.5' is not a whole number"),
        (["--threshold", "outlier_gap=10", "--threshold", "outlier_gap=20"], "outlier_gap is given twice"),
        (["--bootstrap", "1e20"], "--bootstrap must be a whole number from 0 to 100000, not '1e20'"),
        (["--bootstrap", "100000000000"], "--bootstrap must be from 0 to 100000, not 100000000000"),
        (["--fail-under", "chrf=nan"], "--fail-under chrf must be a finite number from 0 to 100, not nan"),
        (["--fail-under", "chrf=inf"], "--fail-under chrf must be a finite number"),
        (["--fail-under", "bleu=-1"], "--fail-under bleu must be from 0 to 100, not -1"),
        (["--fail-under", "chrf=80", "--fail-under", "chrf=10"], "--fail-under chrf is given twice (80 and 10)"),
        (["--langs", ",,,"], "--langs ',,,': no language code in it"),
    ],
)
def test_bad_settings_are_usage_errors(
    args: list[str], expected: str, example_dir: Path, tmp_path: Path, capsys
) -> None:
    """Each is one line, exit 2, and the run does no work."""
    code, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), *args], capsys)
    assert code == 2, err
    assert expected in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--beams", "100000"], f"--beams must be from 1 to {MAX_BEAMS}, not 100000"),
        (["--batch-size", "0"], "--batch-size must be from 1 to 4096, not 0"),
        (["--batch-size", "ten"], "--batch-size must be a whole number from 1 to 4096, not 'ten'"),
    ],
)
def test_run_limits_are_usage_errors(args: list[str], expected: str, example_dir: Path, tmp_path: Path, capsys) -> None:
    """--beams and --batch-size have upper bounds too, checked before any model is looked at."""
    code, err = run_cli(["run", str(example_dir), "--out", str(tmp_path / "out"), *args], capsys)
    assert code == 2 and expected in err


def test_environment_values_are_checked_like_options() -> None:
    """BACKTRANS_BEAMS goes through the same range as --beams."""
    with pytest.raises(InputError, match="--beams must be from 1 to"):
        Settings.resolve(env={"BACKTRANS_BEAMS": "999999"})


# ---- the gate fails closed ------------------------------------------------------------------


@pytest.fixture
def without_fr_back(example_dir: Path, tmp_path: Path) -> Path:
    """The example with the French back-translation removed: fr cannot be scored."""
    folder = tmp_path / "article"
    shutil.copytree(example_dir, folder)
    (folder / "fr.back.txt").unlink()
    (folder / "fr.title.back.txt").unlink()
    return folder


def test_a_version_that_was_not_scored_fails_the_gate(without_fr_back: Path, tmp_path: Path, capsys) -> None:
    """score mode, no fr.back.txt: under --quiet the drifted language can no longer pass unseen."""
    out = tmp_path / "out"
    code, err = run_cli(["score", str(without_fr_back), "--out", str(out), "--fail-under", "chrf=1", "-q"], capsys)
    assert code == 3, err
    assert "below gate: semarang-flood / fr: chrf not scored (no fr.back.txt) < 1" in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["unscored"] == [{"article": "semarang-flood", "lang": "fr", "reason": "no fr.back.txt"}]
    assert err.splitlines()[-1].endswith("1 not scored (--allow-missing lets those pass)")
    code, err = run_cli(
        ["score", str(without_fr_back), "--out", str(out), "--fail-under", "chrf=1", "-q", "--allow-missing"], capsys
    )
    assert code == 0, err


def test_a_requested_language_an_article_lacks_fails_the_gate(example_dir: Path, tmp_path: Path, capsys) -> None:
    """--langs en,de: every article must have de; a missing one is a gate failure and a warning."""
    out = tmp_path / "out"
    code, err = run_cli(
        ["score", str(example_dir), "--out", str(out), "--langs", "en,de", "--fail-under", "chrf=1"], capsys
    )
    assert code == 3, err
    assert "semarang-flood / de: chrf not scored (the article has no de version)" in err
    assert "warning:" in err and "no de version (asked for by --langs)" in err


def test_a_score_that_is_not_a_number_fails_the_gate() -> None:
    """A version whose score is missing or NaN does not pass silently."""
    from backtrans.load.loading import load_inputs
    from backtrans.pipeline import evaluate
    from backtrans.run.gates import check_gates
    from backtrans.types import Scores

    report = evaluate(
        load_inputs([Path(__file__).parent.parent / "examples" / "semarang-flood"]).articles,
        Settings(bootstrap=0, langs=("en",)),
        mode="score",
    )
    article = report.articles[0]
    broken = dataclasses.replace(article.versions[0], scores=Scores(chrf=math.nan))
    report = dataclasses.replace(report, articles=(dataclasses.replace(article, versions=(broken,)),))
    (failure,) = check_gates(report, {"chrf": 10.0})
    assert failure.value is None and "not scored (no score)" in failure.describe()
    assert check_gates(report, {}) == []


def test_a_report_json_without_unscored_still_loads(example_dir: Path, tmp_path: Path, capsys) -> None:
    """report.json files written before `unscored` existed read back with an empty list."""
    from backtrans.report.json import read_report

    out = tmp_path / "out"
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    del data["unscored"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    assert read_report(older).unscored == ()


@pytest.mark.parametrize(
    ("requested", "driver", "expected"),
    [
        ("cuda", False, "--device cuda was asked for but no NVIDIA driver was found; pass --device cpu (or auto)"),
        ("cuda", True, "--device cuda was asked for but torch sees no CUDA device; pass --device cpu (or auto)"),
        ("auto", True, "--device auto found an NVIDIA driver but torch sees no CUDA device; pass --device cpu"),
    ],
)
def test_a_cuda_device_that_is_missing_says_what_was_asked_for(monkeypatch, requested, driver, expected) -> None:
    """--device cuda without a driver said "--device auto found an NVIDIA driver": the message says what was
    asked for (cuda, or auto that found a driver) and what is missing."""
    import torch

    from backtrans.errors import ModelUnavailableError
    from backtrans.translate.backends import _transformers_backend, base

    monkeypatch.setattr(base, "cuda_probably_available", lambda: driver)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ModelUnavailableError) as info:
        _transformers_backend.pick_device(requested)
    assert str(info.value) == expected
