"""The semantic witness through the real path: tiny sentence encoders saved like sentence-transformers saves them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from backtrans.cli.commands import main
from backtrans.config import Settings
from backtrans.errors import ModelUnavailableError
from backtrans.testing import SAMPLE_SENTENCES, FakeEncoderBackend
from backtrans.translate.backends.encoder import ENCODER_LAYOUT, EncoderBackend, read_spec
from backtrans.translate.backends.splitting import split_to_fit
from backtrans.types import ModelRef
from backtrans.witness.embedding import Embedder, EmbeddingCache, NullEmbeddingCache

pytestmark = pytest.mark.slow


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def load(folder: Path, **settings: object):  # type: ignore[no-untyped-def]
    backend, config = EncoderBackend(), Settings(**settings)  # type: ignore[arg-type]
    return backend.load(backend.resolve(ModelRef(str(folder)), config), config)


def test_the_models_own_pooling_is_read_from_its_files(tiny_encoders) -> None:
    """LaBSE's layout: CLS → dense(tanh) → normalize; the multilingual MiniLM's: the mean of the tokens."""
    assert read_spec(tiny_encoders["labse"]).describe() == "cls → dense(tanh) → normalize"
    assert read_spec(tiny_encoders["minilm"]).describe() == "mean → normalize"
    assert read_spec(tiny_encoders["short"]).max_seq_length == 8
    for name in ("labse", "minilm"):
        encoder = load(tiny_encoders[name])
        vectors = encoder.encode(list(SAMPLE_SENTENCES))
        assert vectors.shape == (len(SAMPLE_SENTENCES), 32) and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        cosines = vectors @ vectors.T
        assert cosines[np.triu_indices(len(cosines), 1)].std() > 0.01  # vectors depend on the text
        again = load(tiny_encoders[name]).encode(list(reversed(SAMPLE_SENTENCES)))
        assert np.allclose(again[::-1], vectors, atol=1e-5)  # deterministic, batch order does not matter


def test_cls_pooling_matches_a_hand_computation(tiny_encoders) -> None:
    """The vector is normalize(tanh(W · h_CLS + b)) of the transformer's last hidden state."""
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    folder = tiny_encoders["labse"]
    text = SAMPLE_SENTENCES[0]
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModel.from_pretrained(str(folder)).eval()
    dense = load_file(str(folder / "2_Dense" / "model.safetensors"))
    with torch.inference_mode():
        cls = model(**tokenizer([text], return_tensors="pt")).last_hidden_state[:, 0]
        expected = torch.tanh(cls @ dense["linear.weight"].T + dense["linear.bias"])
        expected = torch.nn.functional.normalize(expected, dim=-1).numpy()
    assert np.allclose(load(folder).encode([text]), expected, atol=1e-5)


def test_an_overlong_text_is_split_not_cut(tiny_encoders, tmp_path) -> None:
    """An encoder that accepts 8 tokens still embeds a long sentence: the token-weighted mean of its pieces."""
    settings = Settings(semantic_model=str(tiny_encoders["short"]), cache_path=tmp_path / "c.sqlite3")
    embedder = Embedder(settings)
    long_text = SAMPLE_SENTENCES[1]
    encoder = load(tiny_encoders["short"])
    assert encoder.max_input_tokens == 8 and encoder.count_tokens([long_text])[0] > 8
    vectors, run = embedder.embed([long_text, "banjir"], NullEmbeddingCache())
    assert run.split == 1 and run.computed == 2
    pieces = split_to_fit(long_text, lambda piece: encoder.count_tokens([piece])[0], 8)
    assert len(pieces) > 1 and "".join(pieces).replace(" ", "") == long_text.replace(" ", "")
    weighted = sum(
        n * v.astype(np.float64) for n, v in zip(encoder.count_tokens(pieces), encoder.encode(pieces), strict=True)
    )
    assert np.allclose(vectors[long_text], weighted / np.linalg.norm(weighted), atol=1e-5)


def test_embeddings_are_cached_and_a_warm_pass_loads_no_model(tmp_path) -> None:
    """Keyed by model, revision, numeric type and text; the second pass reads everything from SQLite."""
    fake = FakeEncoderBackend()
    settings = Settings(cache_path=tmp_path / "c.sqlite3", batch_size=2)
    cache = EmbeddingCache(settings.effective_cache_path)
    first, run = Embedder(settings, backend=fake).embed(["a b", "c", "a b", "d e f"], cache)
    assert (run.texts, run.computed, run.cached, fake.loads) == (3, 3, 0, 1)
    assert [len(b) for b in fake.batches] == [2, 1]  # length-sorted batches of --batch-size
    second, run = Embedder(settings, backend=fake).embed(["d e f", "c", "a b"], cache)
    assert (run.computed, run.cached, fake.loads) == (0, 3, 1)
    assert all(np.array_equal(first[t], second[t]) for t in first)
    cache.close()


def test_cached_vectors_that_do_not_fit_are_embedded_again(tmp_path) -> None:
    """A cached vector of another dimension (another encoder under the same key), a NaN vector, a vector that
    is not of unit length and a row whose blob is text are computed again, never used (and never a crash)."""
    import sqlite3

    from backtrans.translate.cache import entry_key

    fake = FakeEncoderBackend()
    settings = Settings(cache_path=tmp_path / "c.sqlite3")
    cache = EmbeddingCache(settings.effective_cache_path)
    embedder = Embedder(settings, backend=fake)
    texts = ["a b", "c", "d e f", "g h", "i"]
    first, _ = embedder.embed(texts, cache)
    width = first["a b"].shape[0]
    three = np.asarray([1, 0, 0], dtype=np.float32).tobytes()
    bad = {
        "a b": (3, three),
        "c": (width, np.full(width, np.nan, dtype=np.float32).tobytes()),
        "d e f": (width, (2 * first["d e f"]).astype(np.float32).tobytes()),
        "g h": (width, "not a vector"),
    }

    def damage(rows: dict) -> None:
        db = sqlite3.connect(settings.effective_cache_path)
        for text, (dim, blob) in rows.items():
            key = entry_key(embedder.key, text)
            db.execute("UPDATE embeddings SET dim = ?, vector = ? WHERE key = ?", (dim, blob, key))
        db.commit()
        db.close()

    damage(bad)
    again, run = Embedder(settings, backend=fake).embed([*texts, "new"], cache)
    assert (run.cached, run.computed) == (1, 5)
    assert {v.shape for v in again.values()} == {(width,)}
    assert all(np.array_equal(first[t], again[t]) for t in texts)
    # a 3-wide vector with nothing missing: the widths differ, so every text is embedded again
    damage({"c": (3, three)})
    third, run = Embedder(settings, backend=fake).embed(texts, cache)
    assert (run.cached, run.computed) == (0, 5)
    assert all(np.array_equal(first[t], third[t]) for t in texts)
    # a 3-wide vector beside a missing text: the encoder's own width decides, the odd one is embedded again
    damage({"c": (3, three)})
    fourth, run = Embedder(settings, backend=fake).embed(["c", "new2"], cache)
    assert (run.cached, run.computed) == (0, 2)
    assert np.array_equal(first["c"], fourth["c"])


def test_a_missing_encoder_fails_fast_with_advice(tmp_path) -> None:
    """Offline, a hub id that is not cached fails in seconds and names the option; so does a broken folder."""
    start = time.perf_counter()
    with pytest.raises(ModelUnavailableError, match="offline; run once with internet.*--semantic-model"):
        Embedder(Settings(semantic_model="sentence-transformers/not-cached-here", offline=True))
    assert time.perf_counter() - start < 10
    with pytest.raises(ModelUnavailableError, match="lacks model.safetensors or pytorch_model.bin"):
        (tmp_path / "broken").mkdir()
        (tmp_path / "broken" / "config.json").write_text("{}")
        (tmp_path / "broken" / "vocab.txt").write_text("[UNK]\n")
        Embedder(Settings(semantic_model=str(tmp_path / "broken")))
    with pytest.raises(ModelUnavailableError, match="does not exist; check the path given to --semantic-model"):
        Embedder(Settings(semantic_model=str(tmp_path / "nowhere" / "x")))


def test_an_unsupported_module_is_refused(tiny_encoders, tmp_path) -> None:
    """A pipeline backtrans does not know is an error that names the module, not silently other vectors."""
    folder = tmp_path / "odd"
    shutil.copytree(tiny_encoders["minilm"], folder)
    modules = json.loads((folder / "modules.json").read_text())
    modules.append({"idx": 2, "name": "2", "path": "2_LSTM", "type": "sentence_transformers.models.LSTM"})
    (folder / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(ModelUnavailableError, match="module LSTM is not supported"):
        read_spec(folder)


def _copy(tiny_encoders, tmp_path, name):  # type: ignore[no-untyped-def]
    folder = tmp_path / name
    shutil.copytree(tiny_encoders["labse"], folder)
    return folder


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda f: (f / "modules.json").write_text('{"idx": 0}'),
            "modules.json: the module list is not a list of JSON",
        ),
        (lambda f: (f / "modules.json").write_text("[1, 2]"), "every module must be an object with a whole-number idx"),
        (lambda f: (f / "sentence_bert_config.json").write_text("[512]"), "config is not an object of JSON"),
        (lambda f: (f / "1_Pooling" / "config.json").write_text('"cls"'), "pooling config is not an object"),
        (
            lambda f: (f / "2_Dense" / "config.json").write_text('{"in_features": "32", "out_features": 32}'),
            "in_features must be a positive whole number",
        ),
    ],
)
def test_malformed_sentence_transformers_files_are_a_clear_error(tiny_encoders, tmp_path, damage, expected) -> None:
    """A module list or config of the wrong JSON type names its file and what to do (it was an AttributeError)."""
    folder = _copy(tiny_encoders, tmp_path, "odd")
    damage(folder)
    for attempt in (lambda: read_spec(folder), lambda: Embedder(Settings(semantic_model=str(folder)))):
        with pytest.raises(ModelUnavailableError, match=expected) as info:
            attempt()
        assert "\n" not in str(info.value) and "--semantic-model" in str(info.value)


@pytest.mark.parametrize("weights", ["model.safetensors", "pytorch_model.bin"])
def test_corrupt_dense_weights_are_model_unavailable(tiny_encoders, tmp_path, weights) -> None:
    """Damaged 2_Dense weights (safetensors' SafetensorError, torch.load's UnpicklingError): one line, the folder, advice."""
    folder = _copy(tiny_encoders, tmp_path, "corrupt")
    (folder / "2_Dense" / "model.safetensors").unlink()
    (folder / "2_Dense" / weights).write_bytes(b"\x80\x02 not really weights" * 10)
    with pytest.raises(ModelUnavailableError, match=f"could not be loaded from {folder}") as info:
        load(folder)
    message = str(info.value)
    assert "\n" not in message and message.endswith(ENCODER_LAYOUT.complete)


def test_score_with_semantic_end_to_end(example_dir, tiny_encoders, tmp_path, capsys) -> None:
    """score --semantic: similarities per pair, version and language in every report; a warm rerun loads nothing."""
    cache = tmp_path / "cache.sqlite3"
    args = ["score", str(example_dir), "--cache", str(cache), "--semantic-model", str(tiny_encoders["labse"])]
    code, err = run_cli([*args, "--out", str(tmp_path / "a")], capsys)
    assert code == 0, err
    assert "embedding: 156 text(s), 156 embedded, 0 cached" in err
    report = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    assert report["signature"]["encoder"]["revision"].startswith("folder:")
    assert report["signature"]["witnesses"]["semantic"]["pooling"] == "cls → dense(tanh) → normalize"
    for summary in report["languages"]:
        direct = summary["witness"]["direct"]
        assert direct["ci"][0] <= direct["value"] <= direct["ci"][1] and summary["witness"]["floor"] is None
    for version in report["articles"][0]["versions"]:
        for pair in version["pairs"]:
            scored = pair["scores"] is not None
            assert (pair["witness"]["direct"] is not None) == scored and (pair["witness"]["back"] is not None) == scored
    csv = (tmp_path / "a" / "segments.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0].endswith("flags,direct_similarity,back_similarity,floor_chrf,excess_drift")
    markdown = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert "| direct sim. | back sim. |" in markdown and "route noise" not in markdown
    html = (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    assert "direct sim." in html and "sentence encoder" in html
    code = (
        "import json, sys\nfrom backtrans.cli.commands import main\n"
        f"try:\n    main({[*args, '--out', str(tmp_path / 'b'), '--quiet']!r})\n"
        "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "print(json.dumps(sorted(m for m in ('torch', 'transformers') if m in sys.modules)))\n"
    )
    env = {**os.environ, "BACKTRANS_HOME": str(tmp_path / "home")}
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert warm.returncode == 0, warm.stderr[-2000:]
    assert json.loads(warm.stdout.splitlines()[-1]) == []
    again = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert again["articles"] == report["articles"] and again["languages"] == report["languages"]


def test_minilm_layout_and_offline_switch_through_the_cli(example_dir, tiny_encoders, tmp_path, capsys) -> None:
    """--semantic-model takes the mean-pooling layout too; --semantic with an uncached hub id fails in seconds."""
    args = ["score", str(example_dir), "--out", str(tmp_path), "--langs", "fr", "--no-cache", "--quiet"]
    code, err = run_cli([*args, "--semantic-model", str(tiny_encoders["minilm"])], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["signature"]["witnesses"]["semantic"]["pooling"] == "mean → normalize"
    start = time.perf_counter()
    code, err = run_cli([*args, "--semantic-model", "someone/not-cached", "--offline"], capsys)
    assert code == 1 and "not in the local Hugging Face cache" in err and "--semantic-model" in err
    assert time.perf_counter() - start < 10
