#!/usr/bin/env python
"""Scale: local `score` on synthetic corpora of growing size (throughput, peak memory), and local vs Ray.

A synthetic corpus is made from the bundled example and the development set's articles (the texts the
project ships), every copy varied (words of the back-translations swapped with words from a fixed pool,
numbers changed), so that no two articles are the same and nothing is deduplicated away, while the
vocabulary stays that of the shipped texts. Each measurement runs in its own process, so peak RSS
(``ru_maxrss``) is that run's alone:

  score N     `backtrans score CORPUS --engine local` on N articles: articles/s, aligned pairs/s, peak RSS
  rss ratio   peak RSS of the largest run / the smallest (flat memory: at most 1.3)
  ray         the same `score` of the smallest corpus with `--engine ray --workers 2` on a local Ray of
              2 CPUs, against the local engine: the overhead of Ray (start, scheduling, serialisation)
  ray run N   `backtrans run` of N articles with tiny random-weight MarianMT models (built here through the
              real save/load path; transformers backend, no cache), local engine vs `--engine ray --workers 2`

    python scripts/bench_scale.py [--sizes 1000,10000] [--ray] [--ray-run 100]

One line per figure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "examples" / "semarang-flood", *sorted((ROOT / "tests" / "data" / "dev" / "articles").iterdir())]


def build_corpus(folder: Path, articles: int, seed: int = 7, sources: list[Path] | None = None) -> None:
    """``articles`` article folders, each a varied copy of one of the shipped articles."""
    rng = random.Random(seed)
    texts = [
        {p.name: p.read_text(encoding="utf-8") for p in src.iterdir() if p.suffix == ".txt"}
        for src in (sources or SOURCES)
    ]
    texts = [t for t in texts if any(name.endswith(".back.txt") for name in t)]
    pool = sorted({w for t in texts for name, text in t.items() if name.endswith("back.txt") for w in text.split()})
    for n in range(articles):
        files = texts[n % len(texts)]
        target = folder / f"a{n:06d}"
        target.mkdir(parents=True)
        for name, text in files.items():
            if name.endswith(".back.txt"):
                lines = []
                for line in text.split("\n"):
                    words = line.split(" ")
                    for _ in range(max(1, len(words) // 15) if line else 0):
                        words[rng.randrange(len(words))] = rng.choice(pool)
                    lines.append(" ".join(words))
                text = "\n".join(lines)
            elif name.startswith("id"):
                text = re.sub(r"\b\d\d\b", lambda m: str(rng.randrange(10, 99)), text, count=1)
            (target / name).write_text(text, encoding="utf-8")


def measure(args: list[str]) -> dict[str, float]:
    """One `backtrans` command in a child process: wall seconds and its peak RSS."""
    code = (
        "import resource, sys, time; from backtrans.cli.commands import main; t = time.perf_counter()\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    env_args = [sys.executable, "-c", code, *args]
    done = subprocess.run(env_args, capture_output=True, text=True, env=_env(), check=True)
    seconds, rss = done.stdout.split()[-2:]
    return {"seconds": float(seconds), "rss_mb": int(rss) / 1024}


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT / "src"))
    return env


def pairs_of(out: Path) -> int:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return sum(s["segments"] for s in report["languages"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--ray", action="store_true", help="also time the Ray engine on the smallest corpus")
    parser.add_argument("--ray-run", type=int, default=0, help="articles of a `run` with tiny models, local vs Ray")
    parser.add_argument(
        "--example-only", action="store_true", help="copies of the bundled example only (a faster corpus)"
    )
    parser.add_argument("--format", default="json,csv,html", help="the reports each run writes")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.ray_run:
        ray_run(args.ray_run)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            build_corpus(corpus, size, sources=SOURCES[:1] if args.example_only else None)
            out = Path(tmp) / f"out-{size}"
            found = measure(["score", str(corpus), "--out", str(out), "--quiet", "--format", args.format])
            pairs = pairs_of(out)
            rows[size] = found
            print(
                f"score {size:>6} articles: {found['seconds']:8.1f} s, {size / found['seconds']:6.1f} articles/s, "
                f"{pairs / found['seconds']:7.0f} pairs/s, peak RSS {found['rss_mb']:6.0f} MB",
                flush=True,
            )
            if size != sizes[0]:
                shutil.rmtree(corpus)
        if len(sizes) > 1:
            ratio = rows[sizes[-1]]["rss_mb"] / rows[sizes[0]]["rss_mb"]
            print(f"rss ratio {sizes[-1]} / {sizes[0]} articles: {ratio:.2f} (target ≤ 1.3)", flush=True)
        if args.ray:
            corpus = Path(tmp) / f"corpus-{sizes[0]}"
            out = Path(tmp) / "out-ray"
            found = measure(
                [
                    "score",
                    str(corpus),
                    "--out",
                    str(out),
                    "--quiet",
                    "--format",
                    "json,csv,html",
                    "--engine",
                    "ray",
                    "--workers",
                    "2",
                ]
            )
            local = rows[sizes[0]]["seconds"]
            print(
                f"ray   {sizes[0]:>6} articles: {found['seconds']:8.1f} s vs local {local:.1f} s: "
                f"{100 * (found['seconds'] / local - 1):+.0f} % (2 workers, local Ray, includes Ray's start)",
                flush=True,
            )


def ray_run(articles: int) -> None:
    """`backtrans run` with tiny models on ``articles`` articles: the local engine, then Ray with 2 workers."""
    from backtrans.testing import build_tiny_marian

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        n = 256
        en_id = build_tiny_marian(root / "en-id", seed=1, max_positions=n)
        models = [
            f"en={en_id}",
            f"fr={build_tiny_marian(root / 'fr-ms', seed=5, max_positions=n, target_tokens=('>>ind<<',))}@>>ind<<",
            *(
                f"{lang}={build_tiny_marian(root / f'{lang}-en', seed=k, max_positions=n, target_lang='en')},{en_id}"
                for k, lang in enumerate(("zh", "ja", "ar"), start=2)
            ),
        ]
        corpus = root / "corpus"
        build_corpus(corpus, articles)
        base = ["run", str(corpus), "--quiet", "--no-cache", "--backend", "transformers", "--format", "json"]
        base += [a for m in models for a in ("--model", m)]
        local = measure([*base, "--out", str(root / "local")])
        ray = measure([*base, "--out", str(root / "ray"), "--engine", "ray", "--workers", "2"])
        same = (root / "local" / "articles.jsonl").read_bytes() == (root / "ray" / "articles.jsonl").read_bytes()
        print(
            f"ray run {articles:>4} articles (tiny models): local {local['seconds']:.1f} s, ray {ray['seconds']:.1f} s: "
            f"{100 * (ray['seconds'] / local['seconds'] - 1):+.0f} % (2 workers, local Ray, includes Ray's start); "
            f"articles.jsonl identical: {same}",
            flush=True,
        )


if __name__ == "__main__":
    main()
