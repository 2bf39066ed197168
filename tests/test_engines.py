"""Engines: the streaming local engine (chunks, bounded memory, resume) and the Ray engine (same results)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from backtrans import Settings, evaluate, load_inputs
from backtrans.cli.commands import main
from backtrans.load.loading import iter_inputs
from backtrans.report.json import read_report, render_json
from backtrans.run._accumulate import CorpusSummary
from backtrans.run._store import iter_stored
from backtrans.run.engines.local import run_local

HAS_RAY = importlib.util.find_spec("ray") is not None


def corpus(example_dir: Path, root: Path, copies: int) -> Path:
    """Copies of the example under new ids, each with one word changed so that no two are the same."""
    for n in range(copies):
        target = root / f"article-{n:02d}"
        shutil.copytree(example_dir, target)
        (target / "meta.json").unlink(missing_ok=True)  # the id is the folder's name
        for back in target.glob("*.back.txt"):
            back.write_text(back.read_text(encoding="utf-8").replace("banjir", f"banjir{n}", 1), encoding="utf-8")
    return root


def results(out: Path) -> list[dict]:
    return [json.loads(line)["result"] for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def without_run_details(data: dict) -> dict:
    for key in ("created", "costs", "articles_file"):
        data.pop(key, None)
    data["signature"]["metrics"].pop("corpus_resampling", None)
    return data


def test_local_engine_in_chunks_equals_evaluate(example_dir, tmp_path) -> None:
    """Chunks of 2 articles give the report evaluate() gives for the whole corpus at once."""
    root = corpus(example_dir, tmp_path / "corpus", 3)
    report, written, failures = run_local([root], Settings(), tmp_path / "out", mode="score", chunk_size=2)
    assert not failures and (tmp_path / "out" / "index.html") in written
    whole = json.loads(render_json(evaluate(load_inputs([root]).articles, Settings(), mode="score")))
    saved = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert saved["schema_version"] == 2 and saved["articles_file"] == "articles.jsonl"
    assert saved["signature"]["metrics"]["corpus_resampling"] == "segments (exact)"
    assert without_run_details(saved) == without_run_details(whole)
    assert [a["id"] for a in results(tmp_path / "out")] == ["article-00", "article-01", "article-02"]
    assert not list(tmp_path.glob(".out.partial"))


def test_resume_skips_written_articles_and_redoes_changed_ones(example_dir, tmp_path) -> None:
    """An interrupted run keeps what it wrote; the rerun scores only the rest and what changed."""
    root = corpus(example_dir, tmp_path / "corpus", 3)
    out = tmp_path / "out"
    done: list[str] = []

    def interrupt(article_id: str) -> None:
        done.append(article_id)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_local([root], Settings(), out, mode="score", chunk_size=1, on_article=interrupt)
    assert not out.exists() and (tmp_path / ".out.partial" / "articles.journal.jsonl").is_file()
    again: list[str] = []
    run_local([root], Settings(), out, mode="score", chunk_size=1, on_article=again.append)
    assert again == ["article-02"]
    fresh = tmp_path / "fresh"
    run_local([root], Settings(), fresh, mode="score")
    assert results(out) == results(fresh)
    # a changed article is redone; a changed threshold redoes everything
    (root / "article-01" / "en.back.txt").write_text("Sesuatu yang lain sama sekali.\n", encoding="utf-8")
    again.clear()
    run_local([root], Settings(), out, mode="score", on_article=again.append)
    assert again == ["article-01"]
    again.clear()
    run_local([root], Settings(bootstrap=10), out, mode="score", on_article=again.append)
    assert len(again) == 3


def test_a_resumed_run_reports_what_all_its_work_cost(example_dir, tmp_path) -> None:
    """Issue 23, H: costs are recorded in the journal, so a run interrupted after its first chunk and resumed
    reports the translation of every article (as an uninterrupted run does), not only the last chunk's."""
    root = corpus(example_dir, tmp_path / "corpus", 2)
    settings = Settings(backend="fake", use_cache=False)

    def interrupt(article_id: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_local([root], settings, tmp_path / "out", chunk_size=1, on_article=interrupt)
    resumed, _, _ = run_local([root], settings, tmp_path / "out", chunk_size=1)
    fresh, _, _ = run_local([root], settings, tmp_path / "fresh", chunk_size=1)
    (cost,) = resumed.costs
    assert cost.stage == "translation" and cost.items > 0 and cost.computed > 0
    assert [(c.stage, c.items, c.computed, c.cached) for c in resumed.costs] == [
        (c.stage, c.items, c.computed, c.cached) for c in fresh.costs
    ]
    saved = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert saved["costs"][0]["items"] == cost.items
    assert all("costs" not in json.loads(line) for line in (tmp_path / "out" / "articles.jsonl").open())


def test_streaming_summaries_are_flat_and_order_free(example_dir, tmp_path) -> None:
    """Past the exact limit, summaries stream: point scores stay exact, intervals do not depend on order."""
    root = corpus(example_dir, tmp_path / "corpus", 4)
    run_local([root], Settings(), tmp_path / "out", mode="score")
    stored = list(iter_stored(tmp_path / "out" / "articles.jsonl"))
    exact, forward, backward = (CorpusSummary(Settings(), exact_links=n) for n in (10**9, 0, 0))
    for item in stored:
        exact.add(item)
        forward.add(item)
    for item in reversed(stored):
        backward.add(item)
    (e_langs, e_matrix, _), (f_langs, f_matrix, f_tests), (b_langs, _, b_tests) = (
        s.finish() for s in (exact, forward, backward)
    )
    assert forward.method.startswith("articles") and exact.method.startswith("segments")
    assert f_langs == b_langs and f_tests == b_tests
    assert f_matrix == e_matrix
    for e, f in zip(e_langs, f_langs, strict=True):
        assert (e.lang, e.articles, e.segments, e.flags) == (f.lang, f.articles, f.segments, f.flags)
        assert f.scores.chrf == pytest.approx(e.scores.chrf) and f.scores.ter == pytest.approx(e.scores.ter)
        assert f.scores.chrf_ci[0] - 1e-9 <= f.scores.chrf <= f.scores.chrf_ci[1] + 1e-9


def test_large_corpus_pages_are_rendered_from_the_store(example_dir, tmp_path, monkeypatch) -> None:
    """Above the inline limit report.json points at articles.jsonl; report/compare read both."""
    monkeypatch.setattr("backtrans.run.engines._finish.INLINE_ARTICLES", 1)
    root = corpus(example_dir, tmp_path / "corpus", 2)
    run_local([root], Settings(), tmp_path / "out", mode="score")
    saved = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert saved["articles"] == [] and saved["articles_file"] == "articles.jsonl"
    pages = sorted(p.name for p in (tmp_path / "out" / "articles").iterdir())
    assert pages == ["article-00.html", "article-01.html"]
    rows = (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("article,") and sum(r.startswith("article,") for r in rows) == 1
    report = read_report(tmp_path / "out" / "report.json")
    assert [a.id for a in report.articles] == ["article-00", "article-01"]
    with pytest.raises(SystemExit) as info:
        main(["compare", str(tmp_path / "out"), str(tmp_path / "out"), "--out", str(tmp_path / "cmp"), "--quiet"])
    assert info.value.code == 0


def test_lazy_readers_name_the_article_and_line(tmp_path) -> None:
    """JSONL is read line by line and Parquet batch by batch; errors name the file and line or row."""
    good = {"id": "a", "texts": {"id": "Satu dua tiga.", "en": "One two three."}}
    lines = [json.dumps(good), "", json.dumps({"id": "b", "texts": {"id": "Teks."}}), "{not json"]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings: list[str] = []
    articles = iter_inputs([path], "id", warnings.append)
    assert next(articles).id == "a" and next(articles).id == "b"
    with pytest.raises(Exception, match=r"in.jsonl:4: not valid JSON"):
        next(articles)
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": ["p1", "p2"],
            "texts": pa.array(
                [[("id", "Satu dua."), ("en", "One two.")], [("en", "Only English.")]],
                type=pa.map_(pa.string(), pa.string()),
            ),
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    read = iter_inputs([tmp_path / "in.parquet"], "id", warnings.append)
    assert next(read).versions[0].text == "One two."
    with pytest.raises(Exception, match=r"in.parquet: row 2: no source text"):
        next(read)


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray of 2 CPUs and no GPU for the module's Ray tests (starting Ray takes seconds)."""
    import ray

    ray.init(num_cpus=2, num_gpus=0, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield ray
    finally:
        ray.shutdown()


def run_cli(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return int(info.value.code or 0), capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(not HAS_RAY, reason="Ray is not installed (pip install 'backtrans[ray]')")
def test_ray_engine_gives_the_local_engines_results(example_dir, tiny_overrides, tmp_path, capsys, local_ray) -> None:
    """`--engine ray` on a local Ray of 2 CPUs with tiny models: the same articles.jsonl and summaries, with
    the translation cache off and on (the cache's SQLite connection is used from Ray Data's worker threads:
    an internal error before)."""
    root = corpus(example_dir, tmp_path / "corpus", 2)
    cache = tmp_path / "cache.sqlite3"
    models = [a for v in tiny_overrides for a in ("--model", v)]
    outs = {}
    for name, engine, caching in (
        ("local", "local", "--no-cache"),
        ("ray", "ray", "--no-cache"),
        ("cached", "ray", ""),
    ):
        out = outs[name] = tmp_path / name
        args = ["run", str(root), "--out", str(out), "--quiet", "--backend", "transformers", "--engine", engine]
        args += (["--workers", "1"] if engine == "ray" else []) + models
        args += [caching] if caching else ["--cache", str(cache)]
        code, err = run_cli(capsys, *args)
        assert code == 0, err
    for name in ("ray", "cached"):
        assert results(outs[name]) == results(outs["local"])
        # every line whole: statistics, warnings, length-limit hits, models and the resume keys too
        assert (outs[name] / "articles.jsonl").read_bytes() == (outs["local"] / "articles.jsonl").read_bytes()
        local, distributed = (
            json.loads((outs[e] / "report.json").read_text(encoding="utf-8")) for e in ("local", name)
        )
        # what translating cost is reported on Ray too (issue 23, H): every version segment
        ((stage, items, computed, cached),) = [
            (c["stage"], c["items"], c["computed"], c["cached"]) for c in distributed["costs"]
        ]
        assert (stage, items) == ("translation", local["costs"][0]["items"])
        assert computed > 0 if name == "ray" else computed + cached == items
        # the same summaries and warnings (length-limit hits are counted per model and text on both)
        assert without_run_details(distributed) == without_run_details(local)
        assert sorted(p.name for p in (outs[name] / "back" / "article-00").iterdir()) == sorted(
            p.name for p in (outs["local"] / "back" / "article-00").iterdir()
        )
    # the Ray actors wrote every translation to the cache: a local run on it translates nothing
    warm = tmp_path / "warm"
    code, err = run_cli(capsys, "run", str(root), "--out", str(warm), "--quiet", "--backend", "transformers",
                        "--cache", str(cache), *models)  # fmt: skip
    assert code == 0, err
    costs = json.loads((warm / "report.json").read_text(encoding="utf-8"))["costs"]
    translation = [c for c in costs if c["stage"] == "translation"]
    assert translation and all(c["computed"] == 0 and c["cached"] > 0 for c in translation), costs
    assert results(warm) == results(outs["local"])
    # resumable: a second Ray run (cache on) finds every article written and starts no work
    code, err = run_cli(capsys, "run", str(root), "--out", str(outs["cached"]), "--quiet", "--backend",
                        "transformers", "--engine", "ray", "--cache", str(cache), *models)  # fmt: skip
    assert code == 0, err
    assert results(outs["cached"]) == results(outs["local"])


@pytest.mark.slow
@pytest.mark.skipif(not HAS_RAY, reason="Ray is not installed (pip install 'backtrans[ray]')")
def test_ray_score_mode_loads_no_model_and_a_missing_gpu_fails_at_once(
    example_dir, tiny_overrides, tmp_path, capsys, local_ray
) -> None:
    """`score --engine ray` translates nothing, so it needs no model (offline, with none cached, it ended
    in an internal error from a model actor); `--gpus-per-worker 1` on a Ray without GPU fails at once
    with one line (it waited for ever)."""
    code, err = run_cli(capsys, "score", str(example_dir), "--out", str(tmp_path / "local"), "--quiet")
    assert code == 0, err
    code, err = run_cli(capsys, "score", str(example_dir), "--out", str(tmp_path / "ray"), "--quiet", "--engine", "ray")
    assert code == 0, err
    assert (tmp_path / "ray" / "articles.jsonl").read_bytes() == (tmp_path / "local" / "articles.jsonl").read_bytes()
    models = [a for v in tiny_overrides for a in ("--model", v)]
    code, err = run_cli(capsys, "run", str(example_dir), "--out", str(tmp_path / "gpu"), "--engine", "ray",
                        "--gpus-per-worker", "1", "--backend", "transformers", "--no-cache", *models)  # fmt: skip
    assert code == 2
    assert err.strip().splitlines() == [
        "backtrans: error: --gpus-per-worker 1: the local Ray (this machine) has no GPU; lower --gpus-per-worker, "
        "drop it to run on CPUs, or pass --ray-address of a cluster with GPUs"
    ]
    assert not (tmp_path / "gpu" / "report.json").exists()


@pytest.mark.slow
@pytest.mark.skipif(not HAS_RAY, reason="Ray is not installed (pip install 'backtrans[ray]')")
def test_errors_that_cross_ray_come_down_to_their_root_cause(local_ray) -> None:
    """A backtrans error raised in a model actor's constructor (Ray keeps only its traceback, as text, in
    an ActorDiedError) and a bug in a task reach the command line as one line with the root cause, without
    Ray's traceback or terminal escape codes."""
    import ray.data
    from ray.data import ActorPoolStrategy

    from backtrans.cli._failures import describe
    from backtrans.errors import ModelUnavailableError
    from backtrans.run.engines.ray_engine import root_cause

    class Unavailable:
        def __init__(self) -> None:
            raise ModelUnavailableError("model xx-id is not cached; pass --model LANG=/path/to/folder")

        def __call__(self, batch):
            return batch

    def bug(batch):
        raise ValueError("shapes (32,) and (3,) not aligned")

    lines = []
    for fn, kwargs in ((Unavailable, {"compute": ActorPoolStrategy(size=1)}), (bug, {})):
        with pytest.raises(Exception) as info:
            ray.data.range(2).map_batches(fn, **kwargs).take_all()
        assert len(str(info.value).splitlines()) > 1  # Ray's own message holds the worker's traceback
        lines.append(describe(root_cause(info.value)).line())
    assert lines == [
        "backtrans: error: model xx-id is not cached; pass --model LANG=/path/to/folder",
        "backtrans: internal error: ValueError: shapes (32,) and (3,) not aligned "
        "(a bug in backtrans: rerun with --debug and report the traceback)",
    ]


def test_a_resumed_semantic_run_keeps_its_witnesses(example_dir, tmp_path) -> None:
    """A rerun that finds every article in the journal still reports the witnesses' summaries and encoder."""
    from backtrans.testing import FakeEncoderBackend

    settings = Settings(semantic=True, cache_path=tmp_path / "cache.sqlite3")
    out = tmp_path / "out"
    first, _, _ = run_local([example_dir], settings, out, mode="score", encoder=FakeEncoderBackend())
    again: list[str] = []
    second, _, _ = run_local(
        [example_dir], settings, out, mode="score", encoder=FakeEncoderBackend(), on_article=again.append
    )
    assert again == []  # nothing redone
    assert first.signature.encoder is not None and second.signature == first.signature
    assert second.languages == first.languages and any(s.witness is not None for s in second.languages)
