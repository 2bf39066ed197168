#!/usr/bin/env python
"""How long scoring takes for 10,000 aligned pairs on this machine.

Builds a synthetic corpus from the bundled example (its articles repeated under
new ids, with back-translations slightly perturbed per copy so nothing is
trivially identical) and times, side by side in one run:

  stats      sacrebleu sufficient statistics of 10,000 pairs (chrF++, BLEU, TER)
  scores     segment scores + corpus scores with 1,000-resample bootstrap intervals, from those statistics
  sacrebleu  sacrebleu's own corpus_score() of the three metrics on the same pairs (reference point)
  evaluate   the whole `backtrans score` library path: load → segment → align → score → flag → matrix,
             with the paired tests between languages (default 1000 bootstrap resamples, 10000 trials)
  engine     the same corpus through `backtrans score`'s local engine, in this process: the score path,
             the per-article journal, articles.jsonl, report.json and every page (what a user waits for)
  pairs      the part of `evaluate` spent in those paired tests (10 language pairs)
  compare    `backtrans compare` of that run against a second copy perturbed with another seed
             (statistics recomputed from the texts, paired tests per language and per article × language)

Each line gives wall-clock and CPU seconds of this process: on a shared machine CPU seconds vary less.

    python scripts/bench_scoring.py [--pairs 10000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "semarang-flood"


def perturb(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 12)):
        i = rng.randrange(len(words))
        words[i] = words[i][::-1] if rng.random() < 0.5 else words[i].upper()
    return " ".join(words)


def build_corpus(folder: Path, copies: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    files = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLE.iterdir() if p.suffix == ".txt"}
    for n in range(copies):
        target = folder / f"article-{n:05d}"
        target.mkdir(parents=True)
        for name, text in files.items():
            if name.endswith(".back.txt"):
                text = "\n".join(perturb(line, rng) if line else line for line in text.split("\n"))
            (target / name).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=10_000)
    args = parser.parse_args()

    from sacrebleu.metrics import BLEU, CHRF, TER

    from backtrans.compare.comparison import compare_runs, load_runs
    from backtrans.config import Settings, paired_settings
    from backtrans.load.loading import load_inputs
    from backtrans.pipeline import evaluate
    from backtrans.report import write_reports
    from backtrans.run import _accumulate as accumulate
    from backtrans.score.scoring import Scorer

    per_article = 0
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe"
        build_corpus(probe, 1)
        report = evaluate(load_inputs([probe]).articles, Settings(bootstrap=0), mode="score")
        per_article = sum(len(v.pairs) for v in report.articles[0].versions)
        copies = max(1, round(args.pairs / per_article))
        corpus = Path(tmp) / "corpus"
        build_corpus(corpus, copies)
        articles = load_inputs([corpus]).articles

        spent = [0.0, 0.0]
        language_tests = accumulate.run_language_tests

        def timed_language_tests(*args, **kwargs):  # type: ignore[no-untyped-def]
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return language_tests(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - wall
                spent[1] += time.process_time() - cpu

        accumulate.run_language_tests = timed_language_tests
        start, cpu = time.perf_counter(), time.process_time()
        report = evaluate(articles, Settings(), mode="score")
        evaluate_s, evaluate_cpu = time.perf_counter() - start, time.process_time() - cpu
        accumulate.run_language_tests = language_tests

        from backtrans.run.engines.local import run_local

        start, cpu = time.perf_counter(), time.process_time()
        run_local([corpus], Settings(), Path(tmp) / "engine", mode="score")
        engine_s, engine_cpu = time.perf_counter() - start, time.process_time() - cpu

        other = Path(tmp) / "other"
        build_corpus(other, copies, seed=4)
        candidate = evaluate(
            load_inputs([other]).articles, Settings(bootstrap=0, paired_bs=0, paired_ar=0), mode="score"
        )
        write_reports(report, Path(tmp) / "run-a", ("json",))
        write_reports(candidate, Path(tmp) / "run-b", ("json",))
        start, cpu = time.perf_counter(), time.process_time()
        runs = load_runs([Path(tmp) / "run-a", Path(tmp) / "run-b"])
        compare_runs(runs[0], runs[1:], paired_settings())
        compare_s, compare_cpu = time.perf_counter() - start, time.process_time() - cpu
        pairs = [p for a in report.articles for v in a.versions for p in v.pairs if p.scores is not None]
        hyps, refs = [p.back for p in pairs], [p.source for p in pairs]

        scorer = Scorer("id", bootstrap=1000)
        start = time.perf_counter()
        stats = scorer.stats(hyps, refs)
        stats_s = time.perf_counter() - start
        start = time.perf_counter()
        scorer.segment_scores(stats)
        scorer.corpus_scores(stats)
        scores_s = time.perf_counter() - start
        start = time.perf_counter()
        for metric in (CHRF(word_order=2), BLEU(), TER()):
            metric.corpus_score(hyps, [refs])
        sacre_s = time.perf_counter() - start

    print(f"corpus: {len(report.articles)} articles × 5 languages, {len(pairs)} aligned 1-1/merged pairs")
    print(f"stats      {stats_s:6.2f} s  sacrebleu statistics of {len(pairs)} pairs, three metrics")
    print(f"scores     {scores_s:6.2f} s  segment scores + corpus scores with 1000-resample intervals")
    print(f"sacrebleu  {sacre_s:6.2f} s  sacrebleu corpus_score() of the three metrics (no intervals)")
    print(
        f"evaluate   {evaluate_s:6.2f} s  (CPU {evaluate_cpu:.2f} s)  whole score path incl. alignment, flags, "
        "matrix, article intervals, paired tests between languages"
    )
    print(
        f"engine     {engine_s:6.2f} s  (CPU {engine_cpu:.2f} s)  `backtrans score` of the same corpus (local engine): "
        "the score path, the journal, articles.jsonl and every report and page"
    )
    print(f"pairs      {spent[0]:6.2f} s  (CPU {spent[1]:.2f} s)  of which: the paired tests of the 10 language pairs")
    print(
        f"compare    {compare_s:6.2f} s  (CPU {compare_cpu:.2f} s)  compare against a perturbed copy "
        "(read both report.json, recompute statistics, test)"
    )
    print(
        f"ratio: {(stats_s + scores_s) / sacre_s:.2f}x (our scoring incl. intervals vs sacrebleu corpus scores alone)"
    )


if __name__ == "__main__":
    main()
