"""A segment's back-translation depends on nothing but the segment: not its batch, the order, or a resume.

Tiny random-weight MarianMT models never end a sentence on their own, so every
output runs to its length budget: the hardest case for per-segment budgets
(issue 10, items 1 and 5).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.errors import InputError
from backtrans.translate import translator as translate
from backtrans.translate.backends._limits import ModelShape, bytes_per_row, check_beams

pytestmark = pytest.mark.slow
BACKENDS = ["transformers"] + (["ctranslate2"] if importlib.util.find_spec("ctranslate2") else [])


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def outputs(out: Path) -> dict[str, str]:
    """Every file of a run, report.json without its creation time and its costs (seconds, cache hits)."""
    files = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}
    report = json.loads(files["report.json"])
    report.pop("created")
    report.pop("costs", None)
    files["report.json"] = json.dumps(report, sort_keys=True)
    files.pop("report.html")  # holds the creation time
    return files


def translator_class(backend: str) -> type:
    if backend == "transformers":
        from backtrans.translate.backends._transformers_backend import TransformersTranslator

        return TransformersTranslator
    from backtrans.translate.backends._ctranslate2_backend import CTranslate2Translator

    return CTranslate2Translator


@pytest.mark.parametrize("backend", BACKENDS)
def test_report_is_identical_for_any_batch_size_and_after_an_interruption(
    backend: str, example_dir: Path, tiny_models: dict[str, Path], tmp_path: Path, capsys, monkeypatch
) -> None:
    """Batch sizes 1, 4 and 64, and a run interrupted after two batches then resumed: the same files."""
    base = [str(example_dir), "--model", f"en={tiny_models['en-id']}", "--backend", backend, "--quiet"]
    base += ["--model", f"fr={tiny_models['fr-ms']}@>>ind<<", "--bootstrap", "100"]
    # transformers runs a batch of one slowly: English only there (a direct route); fr adds a target token
    base += ["--langs", "en" if backend == "transformers" else "en,fr"]
    results = {}
    for batch in (64, 4, 1):
        out = tmp_path / f"b{batch}"
        code, err = run_cli(["run", *base, "--out", str(out), "--batch-size", str(batch), "--no-cache"], capsys)
        assert code == 0, err
        results[batch] = outputs(out)
    assert results[1] == results[4] == results[64]
    report = json.loads(results[64]["report.json"])
    assert sum(v["truncated_outputs"] for v in report["articles"][0]["versions"]) > 0  # budgets were reached
    assert any("stopped at the output length limit" in w for w in report["warnings"])

    cls = translator_class(backend)
    real = cls.generate
    calls = []

    def interrupted(self, texts, max_new_tokens):  # type: ignore[no-untyped-def]
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(len(texts))
        return real(self, texts, max_new_tokens)

    cache = tmp_path / "cache.sqlite3"
    monkeypatch.setattr(cls, "generate", interrupted)
    resumed = tmp_path / "resumed"
    args = ["run", *base, "--out", str(resumed), "--cache", str(cache)]
    assert run_cli([*args, "--batch-size", "4"], capsys)[0] == 130
    assert not resumed.exists()
    monkeypatch.setattr(cls, "generate", real)
    assert run_cli([*args, "--batch-size", "64"], capsys)[0] == 0
    assert outputs(resumed) == results[64]
    warm = tmp_path / "warm"  # everything from the cache: the same warnings, the same report
    assert run_cli(["run", *base, "--out", str(warm), "--cache", str(cache)], capsys)[0] == 0
    assert outputs(warm) == results[64]


def test_a_model_used_in_several_steps_warns_once(
    example_dir: Path, tiny_models: dict[str, Path], tmp_path, capsys
) -> None:
    """--model en=M,M,M: one warning about the outputs that stopped at the limit, not one per step."""
    model = tiny_models["en-id"]
    args = ["run", str(example_dir), "--langs", "en", "--model", f"en={model},{model},{model}"]
    code, err = run_cli([*args, "--out", str(tmp_path / "out"), "--backend", BACKENDS[-1], "--bootstrap", "0"], capsys)
    assert code == 0, err
    assert len([line for line in err.splitlines() if "stopped at the output length limit" in line]) == 1


def test_beams_beyond_what_memory_holds_are_refused(
    example_dir: Path, tiny_models, tmp_path, capsys, monkeypatch
) -> None:
    """With little free memory, --beams that cannot fit one segment is a clear error before any work."""
    monkeypatch.setattr(translate, "available_memory", lambda device: 4 * 2**20)
    args = ["run", str(example_dir), "--langs", "en", "--model", f"en={tiny_models['en-id']}", "--beams", "64"]
    code, err = run_cli([*args, "--out", str(tmp_path / "out"), "--backend", BACKENDS[-1]], capsys)
    assert code == 2, err
    assert "--beams 64: one segment of model" in err and "is free on cpu; use --beams" in err
    assert err.count("\n") == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_batches_shrink_to_fit_memory_without_changing_outputs(
    backend: str, example_dir: Path, tiny_models: dict[str, Path], tmp_path: Path, capsys, monkeypatch
) -> None:
    """When batch × beams would not fit, batches are cut smaller; every output stays the same."""
    base = ["run", str(example_dir), "--langs", "en", "--model", f"en={tiny_models['en-id']}", "--beams", "2"]
    base += ["--backend", backend, "--no-cache", "--bootstrap", "0", "--quiet"]
    assert run_cli([*base, "--out", str(tmp_path / "free")], capsys)[0] == 0
    shape = ModelShape(vocab=700, positions=256, d_model=16, decoder_layers=1)
    tight = bytes_per_row(shape, 256, 255) * 2 * 3 * 2  # room for about three segments of two beams
    monkeypatch.setattr(translate, "available_memory", lambda device: tight)
    cls = translator_class(backend)
    real = cls.generate
    sizes: list[int] = []

    def spy(self, texts, max_new_tokens):  # type: ignore[no-untyped-def]
        sizes.append(len(texts))
        return real(self, texts, max_new_tokens)

    monkeypatch.setattr(cls, "generate", spy)
    assert run_cli([*base, "--out", str(tmp_path / "tight")], capsys)[0] == 0
    assert sizes and max(sizes) < 15  # 15 English segments would otherwise be one batch
    assert outputs(tmp_path / "tight") == outputs(tmp_path / "free")


def test_beams_are_bounded_by_the_vocabulary() -> None:
    """Beam search cannot keep more hypotheses than there are tokens."""
    shape = ModelShape(vocab=50, positions=64, d_model=8, decoder_layers=1)
    with pytest.raises(InputError, match="has 50 tokens in its vocabulary .* use --beams 50 or less"):
        check_beams(shape, 51, "m", "cpu", None)
    check_beams(shape, 50, "m", "cpu", None)
    with pytest.raises(InputError, match="is free on cuda; use --beams 1 or less"):
        check_beams(shape, 2, "m", "cuda", bytes_per_row(shape, 64, 63) * 3)
    with pytest.raises(InputError, match="free some memory first"):
        check_beams(shape, 1, "m", "cpu", bytes_per_row(shape, 64, 63))
