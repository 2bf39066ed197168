#!/usr/bin/env python
"""Benchmark backtrans's translation engine and backends against a naive loop, same sentences, same model.

The model is built locally with the real OPUS-MT dimensions (d_model 512, 6+6
layers, 8 heads, FFN 2048, vocabulary 54,796) and random weights; every output
is forced to ``--out-tokens`` tokens (no end-of-sentence before that), so every
configuration does the same work. Each configuration runs in its own process,
which gives a clean peak RSS and, for the warm rerun, proves that nothing heavy
is imported.

    python scripts/bench_translate.py                    # everything, then a table and ratio lines
    python scripts/bench_translate.py --only naive,ct2-raw

Configurations:
  naive      transformers pipeline("translation") one sentence at a time (transformers 5 has no such
             pipeline: the same per-sentence tokenize → generate → decode it did); first --naive sentences
  bt-fp32    backtrans engine (plan → length-sorted batches → generate), transformers backend, float32
  bt-int8    the same with --int8 (dynamic int8 quantization of the Linear layers)
  ct2-raw    raw ctranslate2.Translator.translate_batch (int8, same threads and batch) on pre-made pieces
  bt-ct2     backtrans engine, ctranslate2 backend, int8 (cold: fills a fresh translation cache)
  warm       backtrans engine again on the same sentences: everything comes from that cache
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

CONFIGS = ("naive", "bt-fp32", "bt-int8", "ct2-raw", "bt-ct2", "warm")
OPUS = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "max_positions": 512, "vocab_entries": 54_796}
#: forward-pass cost of one 25-token sentence with 30 output tokens in this architecture (greedy)
GFLOP_PER_SENTENCE = 4.1
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

    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))

    def tokens(text: str) -> int:
        return len(processor.encode(text)) + 1

    rng = random.Random(1)
    out: list[str] = []
    while len(out) < count:
        words: list[str] = []
        while tokens(" ".join(words)) < in_tokens:
            words.append(rng.choice(WORDS))
        sentence = " ".join(words)
        if tokens(sentence) == in_tokens and sentence not in out:
            out.append(sentence)
    return out


def _settings(args: argparse.Namespace, backend: str, compute_type: str | None, cache: Path | None):  # type: ignore[no-untyped-def]
    from backtrans.config import DEFAULT_LENGTH_SLACK, Settings

    # the same fixed output length as the naive loop: budget = ceil(ratio × in) + slack = out_tokens
    ratio = (args.out_tokens - DEFAULT_LENGTH_SLACK) / args.in_tokens
    return Settings(
        backend=backend,
        compute_type=compute_type,
        use_cache=cache is not None,
        cache_path=cache,
        batch_size=args.batch_size,
        max_length_ratio=ratio,
        models={"fr": (str(args.model_dir),)},
        device="cpu",
    )


def run_engine(
    args: argparse.Namespace, sentences: list[str], backend: str, compute_type: str | None, cache: Path | None
) -> tuple[float, str]:
    from backtrans.translate.cache import open_cache
    from backtrans.translate.plan import Job, build_plan
    from backtrans.translate.routing import route_for
    from backtrans.translate.translator import BackTranslator

    settings = _settings(args, backend, compute_type, cache)
    plan = build_plan(
        [Job("bench", "fr", i, s, route_for("fr", "id", settings.models)) for i, s in enumerate(sentences)]
    )
    store = open_cache(cache, cache is not None)
    start = time.perf_counter()
    result = BackTranslator(settings, cache=store).run(plan)
    elapsed = time.perf_counter() - start
    store.close()
    run = result.runs[0]
    if run.translated:
        assert run.translated == len(sentences)
        assert run.hit_limit == len(sentences), "every output must have exactly out_tokens tokens"
    info = run.model
    detail = f"{info.backend} {info.compute_type}, batch {args.batch_size}, load included"
    if not run.translated:
        heavy = sorted(m for m in ("torch", "transformers", "ctranslate2") if m in sys.modules)
        detail = (
            f"all {run.cached} from the cache, model loaded: {run.loaded}, heavy modules imported: {heavy or 'none'}"
        )
    return elapsed, detail


def run_naive(args: argparse.Namespace, sentences: list[str]) -> tuple[float, str]:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    folder = str(args.model_dir)
    try:
        from transformers import pipeline

        pipe = pipeline("translation", model=folder, device=-1)
        kind = "pipeline('translation')"

        def translate(s: str) -> None:
            pipe(s, max_new_tokens=args.out_tokens, min_new_tokens=args.out_tokens, num_beams=1)

    except (KeyError, ValueError):
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
        kind = "per-sentence tokenize+generate+decode (transformers 5 has no translation pipeline)"

        def translate(s: str) -> None:
            with torch.no_grad():
                ids = model.generate(
                    **tokenizer([s], return_tensors="pt"),
                    max_new_tokens=args.out_tokens,
                    min_new_tokens=args.out_tokens,
                    num_beams=1,
                )
            tokenizer.batch_decode(ids, skip_special_tokens=True)

    translate(sentences[0])  # warm-up, as a pipeline user's first call would be
    start = time.perf_counter()
    for sentence in sentences:
        translate(sentence)
    return time.perf_counter() - start, kind


def run_ct2_raw(args: argparse.Namespace, sentences: list[str]) -> tuple[float, str]:
    """CTranslate2 used directly, as its documentation shows, with the settings backtrans chose."""
    import ctranslate2
    import sentencepiece as spm

    from backtrans.translate.backends._ctranslate2_backend import convert, thread_settings
    from backtrans.translate.backends.hub import resolve
    from backtrans.types import ModelRef

    folder, _ = convert(resolve(ModelRef(str(args.model_dir)), offline=True), "int8")
    inter, intra = thread_settings("cpu")
    start = time.perf_counter()
    translator = ctranslate2.Translator(
        str(folder), device="cpu", compute_type="int8", inter_threads=inter, intra_threads=intra
    )
    source = spm.SentencePieceProcessor(model_file=str(args.model_dir / "source.spm"))
    target = spm.SentencePieceProcessor(model_file=str(args.model_dir / "target.spm"))
    batch = [source.encode(s, out_type=str) + ["</s>"] for s in sentences]
    outputs = []
    for i in range(0, len(batch), args.batch_size):
        chunk = batch[i : i + args.batch_size]
        results = translator.translate_batch(
            chunk,
            beam_size=1,
            max_batch_size=-(-len(chunk) // inter),
            max_input_length=0,
            max_decoding_length=args.out_tokens - 1,
            min_decoding_length=args.out_tokens - 1,
        )
        outputs += [target.decode_pieces(r.hypotheses[0]) for r in results]
    elapsed = time.perf_counter() - start
    assert len(outputs) == len(sentences)
    return elapsed, f"int8, inter_threads={inter}, intra_threads={intra}, batch {args.batch_size}, load included"


def child(args: argparse.Namespace) -> None:
    args.model_dir = Path(args.model_dir)
    sentences = make_sentences(args.model_dir, args.sentences, args.in_tokens)
    cache = Path(args.cache) if args.cache else None
    if args.config == "naive":
        sentences = sentences[: args.naive]
        seconds, kind = run_naive(args, sentences)
    elif args.config == "bt-fp32":
        seconds, kind = run_engine(args, sentences, "transformers", "float32", None)
    elif args.config == "bt-int8":
        seconds, kind = run_engine(args, sentences, "transformers", "int8", None)
    elif args.config == "ct2-raw":
        seconds, kind = run_ct2_raw(args, sentences)
    else:  # bt-ct2 (cold, fills the cache) and warm (reads it)
        seconds, kind = run_engine(args, sentences, "ctranslate2", "int8", cache)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "config": args.config,
                "sentences": len(sentences),
                "seconds": seconds,
                "kind": kind,
                "peak_rss_mb": peak_kb / 1024,
            }
        )
    )


def matmul_gflops() -> float:
    """Sustained fp32 matrix-multiply rate of this machine (torch, all threads)."""
    import torch

    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    a @ b
    start = time.perf_counter()
    reps = 10
    for _ in range(reps):
        a @ b
    return 2 * 2048**3 * reps / (time.perf_counter() - start) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sentences", type=int, default=200, help="sentences for the batched configurations (default 200)"
    )
    parser.add_argument("--naive", type=int, default=50, help="of them, how many the naive loop runs (default 50)")
    parser.add_argument("--in-tokens", type=int, default=25)
    parser.add_argument("--out-tokens", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model-dir", default=None, help="where the benchmark model is built (reused if present)")
    parser.add_argument("--only", default=None, help=f"comma-separated subset of {','.join(CONFIGS)}")
    parser.add_argument("--config", choices=CONFIGS, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--cache", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if args.config:
        child(args)
        return
    chosen = [c.strip() for c in args.only.split(",")] if args.only else list(CONFIGS)
    if "warm" in chosen and "bt-ct2" not in chosen:
        chosen.insert(chosen.index("warm"), "bt-ct2")
    model_dir = Path(args.model_dir or Path(tempfile.gettempdir()) / "backtrans-bench-opus-dims")
    start = time.perf_counter()
    build_model(model_dir, args.out_tokens)
    print(
        f"model: {model_dir} (random weights, OPUS-MT dimensions; built/reused in {time.perf_counter() - start:.1f}s)"
    )
    print(
        f"sentences: {args.in_tokens} input tokens, {args.out_tokens} output tokens each, greedy, {os.cpu_count()} cores"
    )
    home = tempfile.mkdtemp(prefix="backtrans-bench-")
    env = {**os.environ, "BACKTRANS_HOME": home}
    if any(c in chosen for c in ("ct2-raw", "bt-ct2")):
        # convert once, in a process of its own: neither its time nor its memory belongs to any run
        # (and a parent's peak RSS would be inherited by every child through fork)
        start = time.perf_counter()
        code = (
            "import sys; from pathlib import Path; from backtrans.translate.backends._ctranslate2_backend import convert; "
            "from backtrans.translate.backends.hub import resolve; from backtrans.types import ModelRef; "
            "convert(resolve(ModelRef(sys.argv[1]), offline=True), 'int8')"
        )
        subprocess.run([sys.executable, "-c", code, str(model_dir)], check=True, env=env)
        print(f"ctranslate2 conversion (int8), done once before the runs: {time.perf_counter() - start:.1f}s")
    cache = Path(home) / "translations.sqlite3"
    results: dict[str, dict] = {}
    for config in chosen:
        cmd = [sys.executable, __file__, "--config", config, "--model-dir", str(model_dir), "--cache", str(cache)]
        for name in ("sentences", "naive", "in_tokens", "out_tokens", "batch_size"):
            cmd += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"configuration {config} failed")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["rate"] = result["sentences"] / result["seconds"]
        results[config] = result
        print(
            f"{config:8s} {result['rate']:9.2f} sentences/s  ({result['sentences']} in {result['seconds']:.2f}s, "
            f"peak RSS {result['peak_rss_mb']:.0f} MB)  {result['kind']}"
        )

    def ratio(a: str, b: str, label: str) -> None:
        if a in results and b in results:
            print(f"ratio: {results[a]['rate'] / results[b]['rate']:.1f}x {label}")

    ratio("bt-fp32", "naive", "(backtrans transformers fp32 vs naive loop)")
    ratio("bt-int8", "naive", "(backtrans transformers int8 vs naive loop)")
    ratio("bt-ct2", "naive", "(backtrans ctranslate2 int8 vs naive loop; target ≥ 30x)")
    if "bt-ct2" in results and "ct2-raw" in results:
        overhead = results["ct2-raw"]["rate"] / results["bt-ct2"]["rate"] - 1
        print(
            f"ratio: {results['bt-ct2']['rate'] / results['ct2-raw']['rate']:.2f}x (backtrans ctranslate2 vs raw CTranslate2; overhead {overhead:+.1%}, target ≤ +10%)"
        )
    ratio("warm", "bt-ct2", "(warm rerun from the cache vs the cold ctranslate2 run; target ≥ 50x)")
    batched = [c for c in ("bt-fp32", "bt-int8", "ct2-raw", "bt-ct2") if c in results]
    if batched:
        best = max(batched, key=lambda c: results[c]["rate"])
        peak = matmul_gflops()
        reached = results[best]["rate"] * GFLOP_PER_SENTENCE
        print(
            f"compute: fp32 matmul {peak:.0f} GFLOP/s here; best configuration ({best}) does "
            f"{reached:.0f} GFLOP/s of model work (~{GFLOP_PER_SENTENCE} GFLOP/sentence) = {reached / peak:.0%} of it"
        )


if __name__ == "__main__":
    main()
