#!/usr/bin/env python
"""Benchmark the two witnesses: sentence-encoder throughput, and what --calibrate costs next to a plain run.

Encoders are built locally with the real dimensions and random weights and read
through backtrans's own loading path (``modules.json``, pooling, dense layer):

  labse    BERT-base: 12 layers, hidden 768, 12 heads, FFN 3072, vocabulary 501,153;
           CLS → dense(tanh) → normalize (sentence-transformers/LaBSE)
  minilm   12 layers, hidden 384, 12 heads, FFN 1536, vocabulary 250,037; mean pooling
           (sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2)

Each is timed one sentence at a time and in backtrans's length-sorted batches
(``--batch-size``) on the same sentences, the two ways alternating in four rounds. ``calibrate`` runs the bundled example
(5 languages) through copy-trained tiny MarianMT models, one per route step (the
same weights under ten names, so every model of the routes is a model of its
own, as in production), once plainly and once with --calibrate, without a cache,
and reports the translations and seconds each needed. Every configuration runs
in its own process (a clean peak RSS); ratios are measured side by side in one run.

    python scripts/bench_semantic.py
    python scripts/bench_semantic.py --only minilm --sentences 100
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_translate import WORDS  # the same Indonesian news vocabulary (scripts/ is on the path)

CONFIGS = ("labse", "minilm", "calibrate")
DIMENSIONS = {
    "labse": {"pooling": "cls", "hidden": 768, "layers": 12, "heads": 12, "intermediate": 3072, "vocab": 501_153},
    "minilm": {"pooling": "mean", "hidden": 384, "layers": 12, "heads": 12, "intermediate": 1536, "vocab": 250_037},
}
ROOT = Path(__file__).resolve().parent.parent


def sentences(count: int, words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "." for _ in range(count)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_encoder(name: str, args: argparse.Namespace, work: Path) -> dict[str, object]:
    from backtrans.config import Settings
    from backtrans.testing import build_tiny_encoder
    from backtrans.translate.backends.encoder import EncoderBackend
    from backtrans.types import ModelRef
    from backtrans.witness.embedding import embed_texts

    dims = DIMENSIONS[name]
    texts = sentences(args.sentences, args.words)
    folder = build_tiny_encoder(
        work / name,
        pooling=str(dims["pooling"]),
        texts=texts,
        hidden=int(dims["hidden"]),
        layers=int(dims["layers"]),
        heads=int(dims["heads"]),
        intermediate=int(dims["intermediate"]),
        max_positions=512,
        max_seq_length=256,
        vocab_entries=int(dims["vocab"]),
        init_std=0.02,
    )
    backend, settings = EncoderBackend(), Settings(device=args.device)
    encoder = backend.load(backend.resolve(ModelRef(str(folder)), settings), settings)
    tokens = encoder.count_tokens(texts)
    encoder.encode(texts[:4])  # warm-up
    # alternate the two ways in rounds, so that a busy machine slows both alike
    single_time = batched_time = 0.0
    rounds = 4
    for r in range(rounds):
        part = texts[r::rounds]
        began = time.perf_counter()
        for text in part[: max(1, args.single // rounds)]:
            encoder.encode([text])
        single_time += time.perf_counter() - began
        began = time.perf_counter()
        embed_texts(encoder, part, args.batch_size, lambda done: None)
        batched_time += time.perf_counter() - began
    one = rounds * max(1, args.single // rounds) / single_time
    batched = len(texts) / batched_time
    return {
        "config": name,
        "pooling": backend.describe(backend.resolve(ModelRef(str(folder)), settings)),
        "dimension": encoder.dimension,
        "mean_tokens": sum(tokens) / len(tokens),
        "one_at_a_time": one,
        "batched": batched,
        "rss_mb": peak_rss_mb(),
    }


def bench_calibrate(args: argparse.Namespace, work: Path) -> dict[str, object]:
    from backtrans.config import Settings
    from backtrans.load.loading import load_inputs
    from backtrans.pipeline import evaluate
    from backtrans.testing import SAMPLE_SENTENCES, build_tiny_marian

    example = ROOT / "examples" / "semarang-flood"
    texts = [p.read_text(encoding="utf-8") for p in sorted(example.glob("*.txt"))] + list(SAMPLE_SENTENCES)
    corpus = [line for text in texts for line in text.splitlines() if line.strip()]
    base = build_tiny_marian(work / "copy", texts=corpus, d_model=64, ffn=128, max_positions=256, copy_steps=300)
    names = ("en-id", "fr-id", "zh-en", "ja-en", "ar-en", "id-en", "id-fr", "en-zh", "en-ja", "en-ar")
    folders = {}
    for name in names:  # the same weights under ten names: every step of every route is a model of its own
        folder = work / name
        folder.mkdir()
        for file in base.iterdir():
            os.link(file, folder / file.name)
        folders[name] = str(folder)
    models = {
        "en": (folders["en-id"],),
        "fr": (folders["fr-id"],),
        "zh": (folders["zh-en"], folders["en-id"]),
        "ja": (folders["ja-en"], folders["en-id"]),
        "ar": (folders["ar-en"], folders["en-id"]),
    }
    forward = {
        "en": (folders["id-en"],),
        "fr": (folders["id-fr"],),
        "zh": (folders["id-en"], folders["en-zh"]),
        "ja": (folders["id-en"], folders["en-ja"]),
        "ar": (folders["id-en"], folders["en-ar"]),
    }
    articles = load_inputs([example]).articles
    out: dict[str, object] = {"config": "calibrate"}
    for label, calibrate in (("plain", False), ("calibrate", True)):
        settings = Settings(
            models=models,
            forward_models=forward,
            calibrate=calibrate,
            use_cache=False,
            bootstrap=0,
            backend="transformers",
            device=args.device,
        )
        began = time.perf_counter()
        report = evaluate(articles, settings)
        out[label] = {
            "seconds": time.perf_counter() - began,
            "costs": [
                {"stage": c.stage, "items": c.items, "computed": c.computed, "seconds": c.seconds, "loads": c.loads}
                for c in report.costs
            ],
        }
    out["rss_mb"] = peak_rss_mb()
    return out


def worker(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if args.worker == "calibrate":
            result = bench_calibrate(args, Path(tmp))
        else:
            result = bench_encoder(args.worker, args, Path(tmp))
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(CONFIGS), help="configurations to run (comma-separated)")
    parser.add_argument("--sentences", type=int, default=200, help="sentences to embed in batches")
    parser.add_argument("--single", type=int, default=50, help="of them, embedded one at a time")
    parser.add_argument("--words", type=int, default=18, help="words per sentence (~25 tokens)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": path}
    results = []
    for config in args.only.split(","):
        cmd = [sys.executable, __file__, "--worker", config, *sys.argv[1:]]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode != 0 or not lines:
            print(f"{config}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
            continue
        results.append(json.loads(lines[-1][7:]))
    print(f"\n{'configuration':<44} {'sent/s':>9} {'peak RSS':>9}")
    for r in results:
        if r["config"] == "calibrate":
            plain, calibrated = r["plain"], r["calibrate"]
            print(f"{'plain run (example, 5 languages, no cache)':<44} {'':>9} {'':>9}  {plain['seconds']:.1f} s")
            print(f"{'the same with --calibrate':<44} {'':>9} {r['rss_mb']:>6.0f} MB  {calibrated['seconds']:.1f} s")
            costs = {c["stage"]: c for c in calibrated["costs"]}
            t, c = costs["translation"], costs["calibration"]
            print(
                f"  in the --calibrate run, calibration took {c['seconds'] / t['seconds']:.2f}× the translation time "
                f"(shared out by new translations per model)"
            )
            print(
                f"  --calibrate: {calibrated['seconds'] / plain['seconds']:.2f}× the plain run's time; translations "
                f"{t['computed']} + {c['computed']} = {(t['computed'] + c['computed']) / t['computed']:.2f}× the plain "
                f"run's work; models loaded {t['loads']} + {c['loads']}; {c['items']} round trips"
            )
            continue
        print(f"{r['config'] + ' (' + r['pooling'] + '), one at a time':<44} {r['one_at_a_time']:>9.1f}")
        print(f"{r['config'] + ' batched (--batch-size)':<44} {r['batched']:>9.1f} {r['rss_mb']:>6.0f} MB")
        print(
            f"  {r['config']}: batched {r['batched'] / r['one_at_a_time']:.1f}× one at a time; {r['mean_tokens']:.1f} tokens/sentence"
        )
    print("\nRESULTS " + json.dumps(results))


if __name__ == "__main__":
    main()
