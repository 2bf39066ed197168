"""--calibrate: forward routes, the source's round trips in the same plan as the versions, the noise floor."""

from __future__ import annotations

import json

import pytest

from backtrans.cli.commands import main
from backtrans.config import Settings
from backtrans.errors import NoRouteError
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.testing import FakeBackend
from backtrans.translate.routing import forward_route_for, round_trip_route, route_for


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return int(info.value.code), out.out, out.err


def test_forward_routes_are_direct_or_through_english() -> None:
    """id → en and id → fr are direct; zh, ja and ar pivot through English with the target token they need."""
    steps = {
        lang: [(s.name, s.target_token) for s in forward_route_for(lang, "id").steps]
        for lang in ["en", "fr", "zh", "ja", "ar"]
    }
    assert steps == {
        "en": [("Helsinki-NLP/opus-mt-id-en", None)],
        "fr": [("Helsinki-NLP/opus-mt-id-fr", None)],
        "zh": [("Helsinki-NLP/opus-mt-id-en", None), ("Helsinki-NLP/opus-mt-en-zh", ">>cmn_Hans<<")],
        "ja": [("Helsinki-NLP/opus-mt-id-en", None), ("Helsinki-NLP/opus-tatoeba-en-ja", None)],
        "ar": [("Helsinki-NLP/opus-mt-id-en", None), ("Helsinki-NLP/opus-mt-en-ar", ">>ara<<")],
    }
    trip = round_trip_route(forward_route_for("ja", "id"), route_for("ja", "id"))
    assert trip.describe() == "id → en → ja → en → id" and len(trip.steps) == 4
    custom = forward_route_for("fr", "id", {"fr": ("/m/id-en", "/m/en-fr")})
    assert custom.overridden and custom.path == ("id", "en", "fr")
    with pytest.raises(NoRouteError, match="--forward-model sw=MODEL"):
        forward_route_for("sw", "id")


def test_round_trips_share_the_plan_loads_and_cache_of_the_versions(example_dir) -> None:
    """One load per model for versions and round trips together; a source text goes through id → en once."""
    backend = FakeBackend(tag=True)
    settings = Settings(use_cache=False, calibrate=True, bootstrap=0, langs=("en", "zh", "ja"))
    report = evaluate(load_inputs([example_dir]).articles, settings, backend=backend)
    assert sorted(backend.log.loads) == sorted(set(backend.log.loads))  # each model loaded once
    into_english = [t for name, batch in backend.log.batches if name.endswith("opus-mt-id-en") for t in batch]
    source = report.articles[0].source
    assert sorted(into_english) == sorted({s.text for s in source})  # shared by en, zh and ja, even without a cache
    translation, calibration = report.costs
    assert (translation.stage, calibration.stage) == ("translation", "calibration")
    assert calibration.items == 3 * len(source) and translation.items == sum(
        len(v.segments) for v in report.articles[0].versions
    )
    assert translation.computed + calibration.computed == len(backend.log.translated)
    assert calibration.loads == 3  # id → en, en → zh, en → ja are needed by the round trips only
    en = report.articles[0].version("en")
    assert [s.text for s in en.witness.round_trip] == [
        f"[Helsinki-NLP/opus-mt-en-id] [Helsinki-NLP/opus-mt-id-en] {s.text}" for s in source
    ]
    for version in report.articles[0].versions:
        assert len(version.witness.round_trip) == len(source)
        assert all(p.witness.floor is not None for p in version.pairs if p.source_ids)
    models = {m.name for m in report.signature.models}
    assert {
        "Helsinki-NLP/opus-mt-id-en",
        "Helsinki-NLP/opus-tatoeba-en-ja",
        "Helsinki-NLP/opus-mt-en-zh@>>cmn_Hans<<",
    } <= models
    calibration_record = report.signature.witnesses["calibration"]["round_trips"]
    assert calibration_record["ja"] == "id → en → ja → en → id"


def test_score_calibrate_uses_the_default_routes(example_dir, tmp_path, capsys, monkeypatch) -> None:
    """score --calibrate: existing back-translations, floors from MarianMT round trips (here: the fake backend)."""
    monkeypatch.setenv("BACKTRANS_BACKEND", "fake")
    args = ["score", str(example_dir), "--out", str(tmp_path / "out"), "--calibrate", "--langs", "en,fr"]
    code, _, err = run_cli(args, capsys)
    assert code == 0, err
    assert "calibration: 30 round trip(s)" in err and "translation:" not in err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["signature"]["mode"] == "score" and report["signature"]["generation"]["backend"] == "fake"
    for summary in report["languages"]:
        floor = summary["witness"]["floor"]
        assert floor["chrf"] == pytest.approx(100.0)  # the fake round trip returns the source unchanged
        assert summary["witness"]["excess_drift"] == pytest.approx(floor["chrf"] - summary["scores"]["chrf"])
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| route noise | excess drift |" in markdown
    csv_header = (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert csv_header.endswith("floor_chrf,excess_drift")


def _with_languages(example_dir, root, langs):  # type: ignore[no-untyped-def]
    """The example with extra versions (their English text and back-translation stand in for them)."""
    import shutil

    folder = root / example_dir.name
    shutil.copytree(example_dir, folder)
    for lang in langs:
        for suffix in ("txt", "back.txt", "title.txt", "title.back.txt"):
            shutil.copy(folder / f"en.{suffix}", folder / f"{lang}.{suffix}")
    return folder


def test_score_calibrate_without_a_route_forward_or_at_all_warns_and_scores(
    example_dir, tmp_path, capsys, monkeypatch
) -> None:
    """ko has a route back but none forward, sw none at all: both scored without a floor, with a warning each."""
    monkeypatch.setenv("BACKTRANS_BACKEND", "fake")
    folder = _with_languages(example_dir, tmp_path / "in", ["ko", "sw"])
    args = ["score", str(folder), "--out", str(tmp_path / "out"), "--calibrate", "--langs", "en,ko,sw"]
    code, _, err = run_cli(args, capsys)
    assert code == 0, err
    assert "warning: ko: no noise floor (scored without --calibrate's floor) in 1 article(s) (semarang-flood): " in err
    assert "no model route from 'id' into 'ko' for --calibrate; pass --forward-model ko=" in err
    assert "warning: sw: no noise floor" in err and "no model route from 'sw' back to 'id'" in err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    floors = {s["lang"]: s["witness"]["floor"] for s in report["languages"]}
    assert floors["en"]["chrf"] == pytest.approx(100.0) and floors["ko"] is None and floors["sw"] is None
    assert report["signature"]["witnesses"]["calibration"] == {
        "round_trips": {"en": "id → en → id"},
        "no_floor": ["ko", "sw"],
    }


def test_run_calibrate_without_a_forward_route_warns_and_scores(example_dir, tmp_path) -> None:
    """run --calibrate: ko is back-translated and scored, its round trip is skipped, en keeps its floor."""
    folder = _with_languages(example_dir, tmp_path, ["ko"])
    settings = Settings(use_cache=False, calibrate=True, bootstrap=0, langs=("en", "ko"))
    report = evaluate(load_inputs([folder]).articles, settings, backend=FakeBackend())
    (warning,) = [w for w in report.warnings if "noise floor" in w]
    assert warning.startswith("ko: no noise floor") and "--forward-model ko=" in warning
    english, korean = report.articles[0].version("en"), report.articles[0].version("ko")
    assert english.witness.floor is not None and korean.scores is not None and korean.witness.floor is None
    assert not korean.witness.round_trip and all(p.witness.floor is None for p in korean.pairs)
    assert report.signature.witnesses["calibration"]["no_floor"] == ["ko"]
    _, calibration = report.costs
    assert calibration.items == len(report.articles[0].source), "round trips of en only"


def test_forward_model_needs_calibrate_and_a_good_value(example_dir, tmp_path, capsys) -> None:
    """--forward-model alone, or malformed, is a usage error that says what to write."""
    base = ["score", str(example_dir), "--out", str(tmp_path)]
    code, _, err = run_cli([*base, "--forward-model", "fr=/m/id-fr"], capsys)
    assert code == 2 and "add --calibrate" in err
    code, _, err = run_cli([*base, "--calibrate", "--forward-model", "fr"], capsys)
    assert code == 2 and "--forward-model 'fr': write LANG=ID_OR_PATH" in err


def test_models_shows_forward_routes_and_the_encoder(capsys) -> None:
    """`backtrans models` lists the way back, the way forward for --calibrate, and the sentence encoder."""
    code, out, _ = run_cli(["models", "--langs", "ja,fr", "--forward-model", "fr=/m/id-fr"], capsys)
    assert code == 0
    assert "forward id → en → ja" in out and "Helsinki-NLP/opus-tatoeba-en-ja" in out
    assert "forward id → fr" in out and "/m/id-fr" in out
    assert "sentence encoder" in out and "sentence-transformers/LaBSE" in out


@pytest.mark.slow
def test_run_calibrate_and_semantic_on_tiny_models(
    example_dir, tiny_models, tiny_encoders, tmp_path, capsys, monkeypatch
) -> None:
    """Real MarianMT round trips and a real encoder: floors and similarities; the rerun translates and embeds nothing."""
    from backtrans.translate.backends._transformers_backend import TransformersTranslator

    calls: list[int] = []
    real = TransformersTranslator.generate

    def counted(self, texts, max_new_tokens):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return real(self, texts, max_new_tokens)

    monkeypatch.setattr(TransformersTranslator, "generate", counted)
    forward = tiny_models["en-id"]  # any tiny model stands in for a forward one
    args = [
        "run",
        str(example_dir),
        "--langs",
        "en,zh",
        "--backend",
        "transformers",
        "--cache",
        str(tmp_path / "c.sqlite3"),
        "--model",
        f"en={tiny_models['en-id']}",
        "--model",
        f"zh={tiny_models['zh-en']},{tiny_models['en-id']}",
        "--calibrate",
        "--forward-model",
        f"en={forward}",
        "--forward-model",
        f"zh={forward},{tiny_models['ja-en']}",
        "--semantic-model",
        str(tiny_encoders["labse"]),
    ]
    code, _, err = run_cli([*args, "--out", str(tmp_path / "a")], capsys)
    assert code == 0, err
    assert "calibration: 30 round trip(s)" in err and "embedding:" in err
    first = len(calls)
    report = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    for version in report["articles"][0]["versions"]:
        assert len(version["witness"]["round_trip"]) == len(report["articles"][0]["source"])
        for pair in version["pairs"]:
            if pair["scores"] is not None:
                w = pair["witness"]
                assert 0 <= w["floor"] <= 100 and w["excess_drift"] == pytest.approx(
                    w["floor"] - pair["scores"]["chrf"]
                )
                assert -1 <= w["direct"] <= 1 and -1 <= w["floor_back"] <= 1
    code, _, err = run_cli([*args, "--out", str(tmp_path / "b")], capsys)
    assert code == 0 and len(calls) == first
    assert "0 translated" in err and "0 embedded" in err
    again = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert again["articles"] == report["articles"] and again["languages"] == report["languages"]


@pytest.mark.parametrize("mode", ["run", "score"])
def test_each_source_is_segmented_once(example_dir, monkeypatch, mode) -> None:
    """Calibration, alignment, the witnesses and scoring share one segmentation of each article's source."""
    from collections import Counter

    from backtrans.run import stages
    from backtrans.testing import FakeEncoderBackend
    from backtrans.text import segment
    from backtrans.translate import backtranslate, calibration
    from backtrans.witness import witnesses

    calls: Counter[int] = Counter()
    real = segment.segment_document

    def counted(doc):  # type: ignore[no-untyped-def]
        calls[id(doc)] += 1
        return real(doc)

    for module in (backtranslate, calibration, stages, witnesses):
        monkeypatch.setattr(module, "segment_document", counted)
    articles = load_inputs([example_dir]).articles
    settings = Settings(use_cache=False, calibrate=True, semantic=True, bootstrap=0, paired_bs=0, paired_ar=0)
    report = evaluate(articles, settings, mode=mode, backend=FakeBackend(), encoder=FakeEncoderBackend())
    assert report.articles[0].version("en").witness.floor is not None
    assert calls[id(articles[0].source)] == 1


def test_a_forward_model_that_cannot_be_had_points_at_forward_model(example_dir, tmp_path, capsys, monkeypatch) -> None:
    """score --calibrate offline without the id → en model: the fix is --forward-model (the message said
    --model, which chooses the models back into the source language)."""
    from backtrans.translate.backends import hub

    monkeypatch.setattr(hub, "cached_snapshot", lambda repo_id: None)  # nothing in the hub cache
    args = ["score", str(example_dir), "--out", str(tmp_path / "out"), "--calibrate", "--langs", "en"]
    code, _, err = run_cli([*args, "--backend", "transformers"], capsys)
    assert code == 1
    assert err.strip() == (
        "backtrans: error: model Helsinki-NLP/opus-mt-id-en is not in the local Hugging Face cache and the run "
        "is offline; run once with internet access to cache Helsinki-NLP/opus-mt-id-en, or download it elsewhere "
        "and pass --forward-model LANG=/path/to/folder"
    )
