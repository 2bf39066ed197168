#!/usr/bin/env python
"""Benchmark backtrans's translation engine against a naive loop, on the same sentences and model.

The model is built locally with the real OPUS-MT dimensions (d_model 512, 6+6
layers, 8 heads, FFN 2048, vocabulary 54,796) and random weights; outputs are
forced to a fixed length (``--out-tokens``) by forbidding end-of-sentence
before it, so every configuration does the same work. Each configuration runs
in its own process, which gives a clean peak RSS.

    python scripts/bench_translate.py                 # all configurations, prints a table and ratios
    python scripts/bench_translate.py --only naive    # one configuration

Configurations:
  naive         transformers pipeline("translation") (or, in transformers 5 where that task is
                gone, the same per-sentence tokenize → generate → decode), one sentence at a time
  backtrans     backtrans's engine (plan → length-sorted batches → generate), transformers fp32
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIGS = ("naive", "backtrans")
OPUS = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "max_positions": 512, "vocab_entries": 54_796}
WORDS = [
    "komisi",
    "pemberantasan",
    "korupsi",
    "masih",
    "memeriksa",
    "pihak",
    "yang",
    "terjerat",
    "operasi",
    "tangkap",
    "tangan",
    "terkait",
    "pengurusan",
    "perkara",
    "mahkamah",
    "agung",
    "pemeriksaan",
    "dilakukan",
    "gedung",
    "merah",
    "putih",
    "jakarta",
    "selatan",
    "kata",
    "ketua",
    "dalam",
    "keterangan",
    "tertulis",
    "kamis",
    "september",
    "warga",
    "diminta",
    "bersabar",
    "semua",
    "informasi",
    "akan",
    "disampaikan",
    "secara",
    "terbuka",
    "pemerintah",
    "kota",
    "menyiapkan",
    "anggaran",
    "banjir",
    "pesisir",
    "utara",
]


def build_model(folder: Path, out_tokens: int) -> Path:
    """Build (or reuse) the model; its generation config forbids ending before ``out_tokens``."""
    from transformers import GenerationConfig

    from backtrans.testing import SAMPLE_SENTENCES, build_tiny_marian

    if not (folder / "config.json").is_file():
        corpus = list(SAMPLE_SENTENCES) + [" ".join(WORDS[i : i + 12]) for i in range(0, len(WORDS), 6)]
        build_tiny_marian(folder, texts=corpus, init_std=0.02, seed=7, **OPUS)
    generation = GenerationConfig.from_pretrained(str(folder))
    generation.min_new_tokens = out_tokens
    generation.save_pretrained(str(folder))
    return folder


def make_sentences(folder: Path, count: int, in_tokens: int) -> list[str]:
    """``count`` different sentences of exactly ``in_tokens`` input tokens (eos included)."""
    import random

    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    rng = random.Random(1)
    out: list[str] = []
    while len(out) < count:
        words: list[str] = []
        while len(tokenizer(" ".join(words))["input_ids"]) < in_tokens:
            words.append(rng.choice(WORDS))
        sentence = " ".join(words)
        if len(tokenizer(sentence)["input_ids"]) == in_tokens and sentence not in out:
            out.append(sentence)
    return out


def run_naive(folder: Path, sentences: list[str], out_tokens: int) -> tuple[int, float, str]:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    try:
        from transformers import pipeline

        pipe = pipeline("translation", model=str(folder), device=-1)
        kind = "pipeline('translation')"

        def translate(s: str) -> None:
            pipe(s, max_new_tokens=out_tokens, min_new_tokens=out_tokens, num_beams=1)

    except (KeyError, ValueError):
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        model = AutoModelForSeq2SeqLM.from_pretrained(str(folder)).eval()
        kind = "per-sentence tokenize+generate+decode (transformers 5 has no translation pipeline)"

        def translate(s: str) -> None:
            with torch.no_grad():
                ids = model.generate(
                    **tokenizer([s], return_tensors="pt"),
                    max_new_tokens=out_tokens,
                    min_new_tokens=out_tokens,
                    num_beams=1,
                )
            tokenizer.batch_decode(ids, skip_special_tokens=True)

    translate(sentences[0])  # warm-up, as a pipeline user's first call would be
    start = time.perf_counter()
    for sentence in sentences:
        translate(sentence)
    return len(sentences), time.perf_counter() - start, kind


def run_backtrans(
    folder: Path, sentences: list[str], in_tokens: int, out_tokens: int, batch_size: int
) -> tuple[int, float, str]:

    from backtrans.config import DEFAULT_LENGTH_SLACK, Settings
    from backtrans.plan import Job, build_plan
    from backtrans.routing import route_for
    from backtrans.translate import BackTranslator

    # the same fixed output length as the naive loop: budget = ceil(ratio × in) + slack = out_tokens
    ratio = (out_tokens - DEFAULT_LENGTH_SLACK) / in_tokens
    settings = Settings(use_cache=False, batch_size=batch_size, max_length_ratio=ratio, models={"fr": (str(folder),)})
    route = route_for("fr", "id", settings.models)
    plan = build_plan([Job("bench", "fr", i, s, route) for i, s in enumerate(sentences)])
    start = time.perf_counter()
    result = BackTranslator(settings).run(plan)
    elapsed = time.perf_counter() - start
    assert result.runs[0].translated == len(sentences)
    assert result.runs[0].hit_limit == len(sentences), "every output must have exactly out_tokens tokens"
    return len(sentences), elapsed, f"transformers fp32, batch {batch_size}, model load included"


def child(args: argparse.Namespace) -> None:
    folder = Path(args.model_dir)
    sentences = make_sentences(folder, args.sentences, args.in_tokens)
    if args.config == "naive":
        n, seconds, kind = run_naive(folder, sentences[: args.naive], args.out_tokens)
    else:
        n, seconds, kind = run_backtrans(folder, sentences, args.in_tokens, args.out_tokens, args.batch_size)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"config": args.config, "sentences": n, "seconds": seconds, "kind": kind, "peak_rss_mb": peak_kb / 1024}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=200, help="sentences for backtrans (default 200)")
    parser.add_argument("--naive", type=int, default=50, help="of them, how many the naive loop runs (default 50)")
    parser.add_argument("--in-tokens", type=int, default=25)
    parser.add_argument("--out-tokens", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model-dir", default=None, help="where the benchmark model is built (reused if present)")
    parser.add_argument("--only", choices=CONFIGS, default=None)
    parser.add_argument("--config", choices=CONFIGS, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if args.config:
        child(args)
        return
    model_dir = Path(args.model_dir or Path(tempfile.gettempdir()) / "backtrans-bench-opus-dims")
    start = time.perf_counter()
    build_model(model_dir, args.out_tokens)
    print(
        f"model: {model_dir} (random weights, OPUS-MT dimensions; built/reused in {time.perf_counter() - start:.1f}s)"
    )
    print(
        f"sentences: {args.in_tokens} input tokens, {args.out_tokens} output tokens each, greedy, default torch threads"
    )
    results = {}
    for config in [args.only] if args.only else CONFIGS:
        cmd = [sys.executable, __file__, "--config", config, "--model-dir", str(model_dir)]
        for name in ("sentences", "naive", "in_tokens", "out_tokens", "batch_size"):
            cmd += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"configuration {config} failed")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results[config] = result
        rate = result["sentences"] / result["seconds"]
        print(
            f"{config:10s} {rate:7.2f} sentences/s  ({result['sentences']} in {result['seconds']:.1f}s, "
            f"peak RSS {result['peak_rss_mb']:.0f} MB)  {result['kind']}"
        )
    if "naive" in results and "backtrans" in results:
        naive = results["naive"]["sentences"] / results["naive"]["seconds"]
        ours = results["backtrans"]["sentences"] / results["backtrans"]["seconds"]
        print(f"ratio: {ours / naive:.1f}x (backtrans transformers fp32 vs naive loop)")


if __name__ == "__main__":
    main()
