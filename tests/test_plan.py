"""Planning and executing back-translation: one load per model, dedupe, order, cache, resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtrans.config import Settings
from backtrans.errors import TranslationError
from backtrans.testing import FakeBackend
from backtrans.translate.cache import TranslationCache
from backtrans.translate.plan import Job, build_plan
from backtrans.translate.routing import route_for
from backtrans.translate.translator import BackTranslator


def jobs_for(texts_by_lang: dict[str, list[str]], articles: int = 1) -> list[Job]:
    jobs = []
    for a in range(articles):
        for lang, texts in texts_by_lang.items():
            route = route_for(lang, "id")
            jobs.extend(Job(f"a{a}", lang, i, t, route) for i, t in enumerate(texts))
    return jobs


CORPUS = {
    "zh": ["雅加达——委员会仍在调查。", "“我们还在工作。”"],
    "ja": ["ジャカルタ - 委員会は調査中です。"],
    "en": ["JAKARTA - The commission is still investigating.", "Thank you."],
    "fr": ["Merci."],
}


def test_pivot_steps_come_first_and_each_model_has_one_step() -> None:
    """All X→en steps run before the shared en→id step, across the corpus."""
    plan = build_plan(jobs_for(CORPUS, articles=3))
    names = [s.model.name for s in plan.steps]
    assert names == [
        "Helsinki-NLP/opus-mt-ja-en",
        "Helsinki-NLP/opus-mt-zh-en",
        "Helsinki-NLP/opus-mt-en-id",
        "Helsinki-NLP/opus-mt-fr-id",
    ]
    en_id = plan.steps[2]
    assert en_id.output_lang == "id"
    # English versions and every pivoted job share the en→id step
    assert {plan.jobs[j].lang for j in en_id.jobs} == {"zh", "ja", "en"}


def test_each_model_loaded_once_and_identical_texts_translated_once() -> None:
    """Three identical articles: four models, four loads, each unique text translated once per step."""
    backend = FakeBackend(tag=True)
    plan = build_plan(jobs_for(CORPUS, articles=3))
    result = BackTranslator(Settings(use_cache=False), backend=backend).run(plan)
    assert sorted(backend.log.loads) == sorted(m.name for m in plan.models)
    assert len(backend.log.loads) == 4
    pairs = [(model, text) for model, batch in backend.log.batches for text in batch]
    assert len(pairs) == len(set(pairs))
    # per step: zh 2 + ja 1 unique inputs, en-id 2 English + 3 pivot outputs, fr 1
    assert len(pairs) == 2 + 1 + 5 + 1
    zh_first = plan.jobs.index(next(j for j in plan.jobs if j.lang == "zh"))
    assert (
        result.outputs[zh_first] == "[Helsinki-NLP/opus-mt-en-id] [Helsinki-NLP/opus-mt-zh-en] 雅加达——委员会仍在调查。"
    )


def test_batches_are_sorted_by_length_and_sized(tmp_path: Path) -> None:
    """Texts go to the model longest first, in batches of --batch-size."""
    texts = ["a", "a b c d e", "a b", "a b c"]
    backend = FakeBackend()
    plan = build_plan([Job("x", "fr", i, t, route_for("fr", "id")) for i, t in enumerate(texts)])
    BackTranslator(Settings(use_cache=False, batch_size=3), backend=backend).run(plan)
    assert [list(b) for _, b in backend.log.batches] == [["a b c d e", "a b c", "a b"], ["a"]]


def test_overlong_text_is_split_and_joined(tmp_path: Path) -> None:
    """A text longer than the model accepts is split into pieces that fit; outputs are joined."""
    backend = FakeBackend(max_input_tokens=4, function=lambda ref, t: t.upper())
    text = "satu dua tiga. empat lima enam, tujuh delapan"
    plan = build_plan([Job("x", "fr", 0, text, route_for("fr", "id"))])
    result = BackTranslator(Settings(use_cache=False), backend=backend).run(plan)
    sent = backend.log.translated
    assert len(sent) >= 3 and all(len(s.split()) + 1 <= 4 for s in sent)
    assert result.outputs[0] == "SATU DUA TIGA. EMPAT LIMA ENAM, TUJUH DELAPAN"
    assert result.runs[0].split == 1


def test_warm_cache_translates_and_loads_nothing(tmp_path: Path) -> None:
    """A second run over the same work is served from the cache: no load, no batch."""
    plan = build_plan(jobs_for(CORPUS))
    settings = Settings(cache_path=tmp_path / "c.sqlite3")
    first = FakeBackend(tag=True)
    out1 = BackTranslator(settings, backend=first, cache=TranslationCache(tmp_path / "c.sqlite3")).run(plan)
    second = FakeBackend(tag=True)
    out2 = BackTranslator(settings, backend=second, cache=TranslationCache(tmp_path / "c.sqlite3")).run(plan)
    assert out1.outputs == out2.outputs
    assert second.log.loads == [] and second.log.batches == []
    assert all(run.cached == run.texts and not run.loaded for run in out2.runs)


def test_generation_settings_are_part_of_the_key(tmp_path: Path) -> None:
    """Changing the beam size misses the cache."""
    plan = build_plan(jobs_for({"fr": ["Merci."]}))
    BackTranslator(Settings(), backend=FakeBackend(), cache=TranslationCache(tmp_path / "c")).run(plan)
    again = FakeBackend()
    BackTranslator(Settings(beams=4), backend=again, cache=TranslationCache(tmp_path / "c")).run(plan)
    assert again.log.translated == ["Merci."]


def test_failure_mid_run_keeps_finished_batches_and_rerun_resumes(tmp_path: Path) -> None:
    """Batches are committed one by one: after a crash a rerun translates only what is missing."""
    texts = [f"kalimat nomor {i}" for i in range(10)]
    plan = build_plan([Job("x", "fr", i, t, route_for("fr", "id")) for i, t in enumerate(texts)])
    settings = Settings(batch_size=3)
    crashing = FakeBackend(fail_after=2)
    with pytest.raises(TranslationError):
        BackTranslator(settings, backend=crashing, cache=TranslationCache(tmp_path / "c")).run(plan)
    assert len(crashing.log.translated) == 6
    assert TranslationCache(tmp_path / "c").count() == 6
    resumed = FakeBackend()
    result = BackTranslator(settings, backend=resumed, cache=TranslationCache(tmp_path / "c")).run(plan)
    assert len(resumed.log.translated) == 4
    assert set(resumed.log.translated).isdisjoint(crashing.log.translated)
    assert result.outputs == tuple(texts)
