"""`backtrans run` end to end through both real backends, on tiny local MarianMT models."""

from __future__ import annotations

import importlib.util
import json

import pytest

from backtrans.cli.commands import main
from backtrans.config import Settings
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.translate.backends._transformers_backend import TransformersTranslator

pytestmark = pytest.mark.slow
HAS_CT2 = importlib.util.find_spec("ctranslate2") is not None


def translator_class(backend: str) -> type:
    if backend == "transformers":
        return TransformersTranslator
    from backtrans.translate.backends._ctranslate2_backend import CTranslate2Translator

    return CTranslate2Translator


REAL_GENERATE = {"transformers": TransformersTranslator.generate}
if HAS_CT2:
    REAL_GENERATE["ctranslate2"] = translator_class("ctranslate2").generate


@pytest.fixture(
    params=[
        "transformers",
        pytest.param(
            "ctranslate2",
            marks=pytest.mark.skipif(
                not HAS_CT2, reason="ctranslate2 is not installed (pip install 'backtrans[fast]')"
            ),
        ),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    """Each end-to-end test runs through both backends."""
    return str(request.param)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def count_generate(monkeypatch: pytest.MonkeyPatch, backend: str, fail_after: int | None = None) -> list[int]:
    """Count (and optionally break) calls of the backend's real generate()."""
    calls: list[int] = []
    real = REAL_GENERATE[backend]

    def counted(self, texts, max_new_tokens):  # type: ignore[no-untyped-def]
        if fail_after is not None and len(calls) >= fail_after:
            raise KeyboardInterrupt
        calls.append(len(texts))
        return real(self, texts, max_new_tokens)

    monkeypatch.setattr(translator_class(backend), "generate", counted)
    return calls


def test_run_writes_back_translations_and_report(
    example_dir, tiny_overrides, tmp_path, capsys, monkeypatch, backend
) -> None:
    """Every language of the example goes through its route (direct, pivot, multi-target)."""
    calls = count_generate(monkeypatch, backend)
    out = tmp_path / "out"
    args = ["run", str(example_dir), "--out", str(out), "--quiet", "--backend", backend]
    for value in tiny_overrides:
        args += ["--model", value]
    code, err = run_cli(args, capsys)
    assert code == 0, err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (article,) = report["articles"]
    for version in article["versions"]:
        back_file = out / "back" / "semarang-flood" / f"{version['lang']}.txt"
        lines = [ln for ln in back_file.read_text(encoding="utf-8").splitlines() if ln]
        body = [s for s in version["segments"] if s["paragraph"] > 0]
        assert len(lines) == len(body)
        assert (out / "back" / "semarang-flood" / f"{version['lang']}.title.txt").is_file()
        assert len(version["back"]) == len(version["segments"])
        assert version["route"]["path"][-1] == "id"
        links = version["alignment"]
        assert sorted(i for link in links for i in link["source"]) == list(range(len(article["source"])))
        assert sorted(j for link in links for j in link["back"]) == list(range(len(version["back"])))
        assert len(version["pairs"]) == len(links)
        assert version["scores"]["chrf_ci"][0] <= version["scores"]["chrf"] <= version["scores"]["chrf_ci"][1]
    assert (out / "segments.csv").is_file()
    assert report["matrix"]["labels"] == ["id", "ar", "en", "fr", "ja", "zh"]
    routes = {v["lang"]: v["route"] for v in article["versions"]}
    assert len(routes["zh"]["steps"]) == 2 and routes["zh"]["path"] == ["zh", "en", "id"]
    assert routes["fr"]["steps"][0]["target_token"] == ">>ind<<"
    models = report["signature"]["models"]
    assert len(models) == 5 and all(m["revision"].startswith("folder:") for m in models)
    assert report["signature"]["generation"]["beams"] == 1
    assert report["signature"]["generation"]["backend"] == backend
    assert {m["backend"] for m in models} == {backend}
    assert {m["compute_type"] for m in models} == {"float32" if backend == "transformers" else "int8"}
    assert sum(calls) > 0


def test_two_runs_are_identical_and_the_second_translates_nothing(
    example_dir, tiny_overrides, tmp_path, capsys, monkeypatch, backend
) -> None:
    """Determinism and the cache: same back-translations, zero model calls the second time."""
    calls = count_generate(monkeypatch, backend)
    cache = tmp_path / "cache.sqlite3"
    outputs = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        args = ["run", str(example_dir), "--out", str(out), "--cache", str(cache), "--quiet", "--backend", backend]
        for value in tiny_overrides:
            args += ["--model", value]
        before = len(calls)
        code, err = run_cli(args, capsys)
        assert code == 0, err
        outputs.append(
            {p.name: p.read_text(encoding="utf-8") for p in sorted((out / "back" / "semarang-flood").iterdir())}
        )
        if n == 1:
            assert len(calls) == before
    assert outputs[0] == outputs[1]
    no_cache = tmp_path / "nc"
    args = ["run", str(example_dir), "--out", str(no_cache), "--no-cache", "--quiet", "--backend", backend]
    for value in tiny_overrides:
        args += ["--model", value]
    assert run_cli(args, capsys)[0] == 0
    fresh = {p.name: p.read_text(encoding="utf-8") for p in sorted((no_cache / "back" / "semarang-flood").iterdir())}
    assert fresh == outputs[0]


def test_interrupted_run_resumes_from_the_cache(
    example_dir, tiny_models, tmp_path, capsys, monkeypatch, backend
) -> None:
    """Ctrl-C after two batches: exit 130; the rerun makes only the missing calls."""
    cache = tmp_path / "cache.sqlite3"
    args = [
        "run",
        str(example_dir),
        "--out",
        str(tmp_path / "o"),
        "--cache",
        str(cache),
        "--quiet",
        "--langs",
        "en",
        "--model",
        f"en={tiny_models['en-id']}",
        "--batch-size",
        "4",
        "--backend",
        backend,
    ]
    calls = count_generate(monkeypatch, backend, fail_after=2)
    code, err = run_cli(args, capsys)
    assert code == 130 and "rerun to resume" in err
    assert calls == [4, 4]
    resumed = count_generate(monkeypatch, backend)
    assert run_cli(args, capsys)[0] == 0
    assert sum(resumed) == 15 - 8  # 15 English segments, 8 already cached


def test_overlong_segment_is_split_not_cut(tiny_models, tmp_path, monkeypatch, backend) -> None:
    """A model that accepts 12 tokens still translates a long segment: in pieces, all of it."""
    settings = Settings(models={"fr": (str(tiny_models["short"]),)}, use_cache=False, backend=backend)
    words = [f"kata{i}" for i in range(30)]
    long_text = ", ".join(" ".join(words[i : i + 3]) for i in range(0, 30, 3)) + "."
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "id.txt").write_text("Satu.", encoding="utf-8")
    (folder / "fr.txt").write_text(long_text, encoding="utf-8")
    calls: list[str] = []

    def spy(self, texts, max_new_tokens):  # type: ignore[no-untyped-def]
        assert max(self.count_tokens(texts)) <= self.max_input_tokens == 12
        calls.extend(texts)
        return REAL_GENERATE[backend](self, texts, max_new_tokens)

    monkeypatch.setattr(translator_class(backend), "generate", spy)
    report = evaluate(load_inputs([folder]).articles, settings)
    assert len(calls) > 3
    in_text_order = sorted(calls, key=lambda piece: long_text.index(piece.split()[0]))
    assert "".join("".join(p.split()) for p in in_text_order) == "".join(long_text.split())
    (version,) = report.articles[0].versions
    assert len(version.back) == 1 and version.back[0].text


def test_multi_target_token_must_be_known(tiny_models, tmp_path, backend) -> None:
    """A target token the model does not know is refused before anything is translated."""
    from backtrans.errors import NoRouteError

    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "id.txt").write_text("Satu.", encoding="utf-8")
    (folder / "fr.txt").write_text("Un.", encoding="utf-8")
    settings = Settings(models={"fr": (f"{tiny_models['fr-ms']}@>>xyz<<",)}, use_cache=False, backend=backend)
    with pytest.raises(NoRouteError, match=r">>xyz<<.*it knows: >>ind<<, >>zsm_Latn<<"):
        evaluate(load_inputs([folder]).articles, settings)
