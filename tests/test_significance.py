"""Paired tests: the same p-values and bootstrap scores as sacrebleu's PairedTest; units that both alignments respect."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest, estimate_ci

from backtrans.config import PAIRED_SEED, Settings, paired_settings
from backtrans.score import scoring, significance
from backtrans.score.scoring import METRICS, Scorer
from backtrans.score.significance import (
    Linked,
    bootstrap_scores,
    common_units,
    paired_differences,
    paired_units,
    randomization_scores,
    unit_stats,
    verdict,
)
from backtrans.score.verdicts import min_units

SENTENCES = [
    "Pemerintah Kota Semarang menyiapkan anggaran Rp1,2 triliun untuk menangani banjir rob.",
    "Program itu mencakup pembangunan tanggul laut sepanjang 8,5 kilometer dan 12 rumah pompa baru.",
    "Kami tidak bisa lagi menunggu.",
    "Setiap musim hujan, lebih dari 40.000 warga terdampak, kata Wali Kota Semarang kepada wartawan.",
    "Banjir rob tahun lalu merendam 23 kelurahan di empat kecamatan.",
    "Kerugian ekonomi ditaksir mencapai Rp350 miliar.",
    "Pembangunan tanggul akan dimulai pada Januari 2026 dan ditargetkan selesai dalam tiga tahun.",
    "Pendanaan berasal dari APBD kota, pemerintah pusat, dan pinjaman Bank Dunia.",
]
METRIC_NAMES = {"chrf": "chrF2++", "bleu": "BLEU", "ter": "TER"}


def perturbed(references: list[str], rate: float, seed: int) -> list[str]:
    """Each reference with some words dropped and one stray word: every hypothesis differs from the others."""
    rng = random.Random(seed)
    out = []
    for k, ref in enumerate(references):
        words = [w for w in ref.split() if rng.random() > rate]
        out.append(" ".join([*words, f"kata{seed}x{k}"]))
    return out


@pytest.fixture(scope="module")
def systems() -> tuple[list[str], list[str], list[str]]:
    references = SENTENCES * 6
    return references, perturbed(references, 0.18, 1), perturbed(references, 0.22, 2)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer("id", bootstrap=0)


def sacrebleu_results(kind: str, samples: int, a: list[str], b: list[str], refs: list[str]) -> dict:
    metrics = {"chrf": CHRF(word_order=2), "bleu": BLEU(), "ter": TER()}
    _, results = PairedTest([("a", a), ("b", b)], metrics, [refs], test_type=kind, n_samples=samples)()
    return {m: results[METRIC_NAMES[m]] for m in METRICS}


def test_paired_bootstrap_matches_sacrebleu(systems, scorer, monkeypatch) -> None:
    """Same draws, same p-values; means and intervals agree to 1e-3 (sacrebleu sums resamples in float32)."""
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)
    monkeypatch.setattr(significance, "BLOCK_CELLS", 1000)  # many blocks: the draws must not depend on them
    refs, a, b = systems
    expected = sacrebleu_results("bs", 1000, a, b, refs)
    stats_a, stats_b = scorer.stats(a, refs), scorer.stats(b, refs)
    resampled = bootstrap_scores(stats_a, stats_b, scorer, 1000, PAIRED_SEED)
    ours = {d.metric: d for d in paired_differences(stats_a, stats_b, scorer, paired_settings(1000, 0))}
    for metric in METRICS:
        base, system = expected[metric]
        assert ours[metric].a == pytest.approx(base.score, abs=1e-9)
        assert ours[metric].b == pytest.approx(system.score, abs=1e-9)
        assert ours[metric].p_bootstrap == system.p_value
        for got, want in ((resampled[metric][0], base), (resampled[metric][1], system)):
            mean, half_width = estimate_ci(got)
            assert mean == pytest.approx(want.mean, abs=1e-3)
            assert half_width == pytest.approx(want.ci, abs=1e-3)
    assert any(0.01 < ours[m].p_bootstrap < 0.9 for m in METRICS), "a test case where the p-value says something"


def test_approximate_randomization_matches_sacrebleu(systems, scorer, monkeypatch) -> None:
    """Same trials as sacrebleu: without ties the p-values are equal; ties are what we count and it does not."""
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)
    monkeypatch.setattr(significance, "BLOCK_CELLS", 3000)  # blocks of 64 rows (a multiple of 32)
    refs, a, b = systems
    expected = sacrebleu_results("ar", 2000, a, b, refs)
    stats_a, stats_b = scorer.stats(a, refs), scorer.stats(b, refs)
    trials = randomization_scores(stats_a, stats_b, scorer, 2000, PAIRED_SEED)
    ours = {d.metric: d for d in paired_differences(stats_a, stats_b, scorer, paired_settings(0, 2000))}
    for metric in METRICS:
        observed = abs(ours[metric].delta)
        spread = np.abs(trials[metric][0] - trials[metric][1])
        strictly = (int(np.sum(spread > observed + 1e-9)) + 1) / 2001
        assert strictly == pytest.approx(expected[metric][1].p_value, abs=1e-12), "sacrebleu's rule on our trials"
        ties = int(np.sum(np.abs(spread - observed) <= 1e-9))
        assert ours[metric].p_randomization == pytest.approx(strictly + ties / 2001, abs=1e-12)
    assert any(0.01 < ours[m].p_randomization < 0.9 for m in METRICS)


def test_the_interval_has_the_coverage_the_settings_record(systems, scorer) -> None:
    """PairedSettings.interval is the coverage of the difference's interval: 95% is sacrebleu's 1/40th from each end."""
    import dataclasses

    refs, a, b = systems
    stats_a, stats_b = scorer.stats(a, refs), scorer.stats(b, refs)
    resampled = bootstrap_scores(stats_a, stats_b, scorer, 1000, PAIRED_SEED)["chrf"]
    ordered = np.sort(resampled[1] - resampled[0])
    for coverage, low in ((0.95, 25), (0.9, 50), (0.5, 250)):
        tests = dataclasses.replace(paired_settings(1000, 0), interval=coverage)
        chrf = paired_differences(stats_a, stats_b, scorer, tests)[0]
        assert chrf.ci == (ordered[low], ordered[999 - low])
    assert scoring.interval(ordered) == (ordered[1000 // 40], ordered[999 - 1000 // 40])


def test_every_way_of_multiplying_gives_the_same_sums(systems, scorer, monkeypatch) -> None:
    """einsum or BLAS, float32 (while sums stay below 2**24) or float64: the resampled scores are identical."""
    refs, a, b = systems
    stats_a, stats_b = scorer.stats(a, refs), scorer.stats(b, refs)

    def run() -> tuple:
        return bootstrap_scores(stats_a, stats_b, scorer, 300, 1), randomization_scores(
            stats_a, stats_b, scorer, 320, 1
        )

    einsum32 = run()
    monkeypatch.setattr(significance, "SMALL_PRODUCT", 0)
    blas32 = run()
    monkeypatch.setattr(significance, "FLOAT32_EXACT", 0)
    blas64 = run()
    for other in (blas32, blas64):
        for x, y in zip(einsum32, other, strict=True):
            for metric in METRICS:
                assert np.array_equal(x[metric][0], y[metric][0]) and np.array_equal(x[metric][1], y[metric][1])


def test_ties_count_as_extreme(scorer: Scorer) -> None:
    """Identical systems: p = 1 and an empty interval; one changed segment is never significant (sacrebleu: 1/(N+1))."""
    refs = SENTENCES
    same = scorer.stats(refs[::-1], refs)
    identical = paired_differences(same, same, scorer, paired_settings(200, 500))
    assert all(d.delta == 0 and d.p_bootstrap == 1 and d.p_randomization == 1 for d in identical)
    assert all(d.ci == (0.0, 0.0) and d.verdict == "same" for d in identical)
    resampled = randomization_scores(same, same, scorer, 500, PAIRED_SEED)  # the drawn path gives the same answer
    assert all(np.all(x == y) for x, y in resampled.values())
    changed = list(refs[::-1])
    changed[3] = "sesuatu yang lain sama sekali"
    one = paired_differences(same, scorer.stats(changed, refs), scorer, paired_settings(0, 500))
    assert one[0].delta != 0 and all(d.p_randomization == 1 for d in one)
    sacre = sacrebleu_results("ar", 500, refs[::-1], changed, refs)
    assert sacre["chrf"][1].p_value == pytest.approx(1 / 501), "sacrebleu calls one changed segment significant"


def test_verdict_knows_each_metric_direction() -> None:
    assert verdict("chrf", -2.0, (0.01, 0.02), 0.05) == "worse"
    assert verdict("ter", -2.0, (0.01, 0.02), 0.05) == "better"
    assert verdict("bleu", 3.0, (0.01, 0.2), 0.05) == "same", "every test that ran must agree"
    assert verdict("bleu", 3.0, (None, 0.01), 0.05) == "better"
    assert verdict("bleu", 3.0, (None, None), 0.05) == "untested", "no test ran: say so, not 'same'"
    assert verdict("bleu", 0.0, (None, None), 0.05) == "same"
    assert verdict("chrf", -9.0, (0.001, 0.001), 0.05, units=5) == "too_few_units"
    assert verdict("chrf", -9.0, (0.001, 0.001), 0.05, units=6) == "worse"


def test_fewest_units_is_where_exact_randomization_can_first_reject() -> None:
    """p ≥ 2/2**n on n units (the identity and the full swap tie): 6 units at alpha 0.05, 7 at 0.02."""
    assert min_units(0.05) == 6 and min_units(0.02) == 7 and min_units(0.5) == 3
    for alpha in (0.05, 0.02, 0.01):
        n = min_units(alpha)
        assert 2 / 2**n < alpha <= 2 / 2 ** (n - 1)


def test_units_join_what_either_alignment_joins() -> None:
    """1-1 in one run, 2-1 in the other: the two segments form one unit; an added segment joins the unit before."""
    n, (first, second) = common_units(4, [[(0,), (1,), (2,), (3,)], [(), (0, 1), (2,), (), (3,)]])
    assert n == 3
    assert first == [0, 0, 1, 2]
    assert second == [0, 0, 1, 1, 2], "a leading addition goes with the first unit, a later one with the unit before"


@st.composite
def alignments(draw: st.DrawFn) -> tuple[int, list[list[tuple[int, ...]]]]:
    n = draw(st.integers(1, 12))
    out = []
    for _ in range(2):
        links: list[tuple[int, ...]] = []
        i = 0
        while i < n:
            if draw(st.booleans()) and draw(st.booleans()):
                links.append(())  # an added segment
            size = min(draw(st.integers(1, 3)), n - i)
            links.append(tuple(range(i, i + size)))
            i += size
        out.append(links)
    return n, out


@given(alignments())
@settings(max_examples=150, deadline=None)
def test_units_are_the_finest_partition_both_respect(case) -> None:
    """Every link lies in one unit, and a boundary exists wherever no link of either alignment crosses it."""
    n, links = case
    count, per_alignment = common_units(n, links)
    unit_of = {}
    for alignment, units in zip(links, per_alignment, strict=True):
        for source, unit in zip(alignment, units, strict=True):
            for i in source:
                assert unit_of.setdefault(i, unit) == unit
    assert sorted(set(unit_of.values())) == list(range(count))
    crossed = {i for alignment in links for source in alignment for i in source[:-1]}
    for i in range(n - 1):
        assert (unit_of[i] == unit_of[i + 1]) == (i in crossed)


def test_unit_statistics_keep_the_corpus_score(scorer: Scorer) -> None:
    """Summing links into units changes no corpus score: it is what corpus scores are made of."""
    refs = SENTENCES[:5]
    hyps = perturbed(refs, 0.3, 5)
    stats = scorer.stats(
        [hyps[0], hyps[1] + " " + hyps[2], hyps[3], "tambahan", hyps[4]],
        [*refs[:1], " ".join(refs[1:3]), refs[3], "", refs[4]],
    )
    linked = Linked(5, ((0,), (1, 2), (3,), (), (4,)), stats)
    other = Linked(
        5,
        ((0, 1), (2,), (3,), (4,)),
        scorer.stats(perturbed([" ".join(refs[:2]), *refs[2:]], 0.1, 6), [" ".join(refs[:2]), *refs[2:]]),
    )
    units_a, units_b = paired_units([(linked, other)])
    assert len(units_a) == len(units_b) == 3
    assert scorer.corpus_scores(units_a, intervals=False) == scorer.corpus_scores(stats, intervals=False)
    assert scorer.corpus_scores(units_b, intervals=False) == scorer.corpus_scores(other.stats, intervals=False)
    summed = unit_stats(stats, [0, 0, 1, 1, 2], 3)
    assert all(np.array_equal(getattr(summed, m).sum(axis=0), getattr(stats, m).sum(axis=0)) for m in METRICS)


def test_language_pairs_of_a_run(example_dir) -> None:
    """The run report tests every pair of languages; on one article the pair scores are the languages' own."""
    from backtrans.load.loading import load_inputs
    from backtrans.pipeline import evaluate

    report = evaluate(
        load_inputs([example_dir]).articles, Settings(bootstrap=0, paired_bs=300, paired_ar=1000), mode="score"
    )
    tests = report.language_tests
    assert tests is not None and tests.settings.seed == PAIRED_SEED and tests.settings.randomization == 1000
    assert [(p.a, p.b) for p in tests.pairs] == [
        ("ar", "en"), ("ar", "fr"), ("ar", "ja"), ("ar", "zh"), ("en", "fr"),
        ("en", "ja"), ("en", "zh"), ("fr", "ja"), ("fr", "zh"), ("ja", "zh"),
    ]  # fmt: skip
    corpus = {s.lang: s.scores.chrf for s in report.languages}
    for pair in tests.pairs:
        chrf = pair.differences[0]
        assert (chrf.metric, pair.units, pair.articles) == ("chrf", 15, 1)
        assert chrf.a == pytest.approx(corpus[pair.a]) and chrf.b == pytest.approx(corpus[pair.b])
    en_zh = next(p for p in tests.pairs if (p.a, p.b) == ("en", "zh")).differences[0]
    assert en_zh.verdict == "worse" and en_zh.ci is not None and en_zh.ci[1] < 0
    off = evaluate(load_inputs([example_dir]).articles, Settings(bootstrap=0, paired_bs=0, paired_ar=0), mode="score")
    assert off.language_tests is None


def test_language_tests_survive_report_json_and_older_files_still_load(example_dir, tmp_path) -> None:
    """report.json keeps the language pairs; a report.json written before them loads, and its pages omit them."""
    import json

    from backtrans.load.loading import load_inputs
    from backtrans.pipeline import evaluate
    from backtrans.report import write_reports
    from backtrans.report.json import read_report

    report = evaluate(load_inputs([example_dir]).articles, Settings(paired_bs=100, paired_ar=200), mode="score")
    write_reports(report, tmp_path, ("json",))
    assert read_report(tmp_path / "report.json") == report
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    del data["language_tests"]
    (tmp_path / "old.json").write_text(json.dumps(data), encoding="utf-8")
    older = read_report(tmp_path / "old.json")
    assert older.language_tests is None and older.languages == report.languages
    write_reports(older, tmp_path / "old", ("html", "md"))
    assert "Languages against each other" not in (tmp_path / "old" / "report.md").read_text(encoding="utf-8")
    assert "Languages against each other" not in (tmp_path / "old" / "report.html").read_text(encoding="utf-8")


def test_randomization_enumerates_every_swap_when_there_are_few(scorer: Scorer) -> None:
    """With 2**n ≤ trials each of the 2**n swaps is one trial, and p is their exact share (no +1)."""
    refs = SENTENCES[:5]
    a = scorer.stats(perturbed(refs, 0.1, 3), refs)
    b = scorer.stats(perturbed(refs, 0.5, 4), refs)
    trials = randomization_scores(a, b, scorer, 1000, PAIRED_SEED)
    assert all(len(x) == len(y) == 32 for x, y in trials.values())
    chrf_a, chrf_b = trials["chrf"]
    observed = abs(scorer.corpus_scores(b, intervals=False).chrf - scorer.corpus_scores(a, intervals=False).chrf)
    spread = np.abs(chrf_a - chrf_b)
    assert np.isclose(spread, observed).sum() >= 2, "the identity and the full swap tie the observed difference"
    assert set(np.round(chrf_a - chrf_b, 9)) == set(np.round(chrf_b - chrf_a, 9)), "swaps come in mirrored pairs"
    (chrf, *_) = paired_differences(a, b, scorer, paired_settings(0, 1000))
    assert chrf.p_randomization == pytest.approx(int(np.sum(spread >= observed - 1e-9)) / 32)
    assert chrf.p_randomization >= 2 / 32 and chrf.verdict == "too_few_units"
    drawn = randomization_scores(a, b, scorer, 31, PAIRED_SEED)  # fewer trials than swaps: drawn as sacrebleu does
    assert len(drawn["chrf"][0]) == 31
    assert significance.exact_randomization(16, 10**6) and not significance.exact_randomization(17, 10**9)


def _same_distribution(n: int, replicates: int, seed: int, scorer: Scorer) -> list[tuple]:
    """Pairs of systems whose hypotheses are drawn independently from one and the same noise process."""
    rng = random.Random(seed)
    words = " ".join(SENTENCES).lower().replace(".", "").replace(",", "").split()

    def noisy(ref: str) -> str:
        return " ".join(w if rng.random() > 0.25 else rng.choice(words) for w in ref.split() if rng.random() > 0.1)

    out = []
    for _ in range(replicates):
        refs = [" ".join(rng.choice(words) for _ in range(rng.randint(8, 16))) for _ in range(n)]
        out.append((scorer.stats([noisy(r) for r in refs], refs), scorer.stats([noisy(r) for r in refs], refs)))
    return out


@pytest.mark.parametrize("n", [3, 8, 16])
def test_article_verdicts_keep_their_false_positive_rate(n: int, scorer: Scorer) -> None:
    """Two systems from one distribution: the article verdict is significant in about 5% of replicates at most.

    The paired bootstrap's own p (what article rows used to be decided by) calls far more of
    them significant on so few units; randomization decides the rows now (fixed seeds, 120
    replicates: a rate of 5% gives at most 12 such verdicts with probability 0.99).
    """
    tests = paired_settings(300, 10000)
    alarms = bootstrap_alarms = overruled = 0
    for a, b in _same_distribution(n, 120, seed=n, scorer=scorer):
        chrf = significance.article_differences(a, b, scorer, tests)[0]
        assert chrf.p_bootstrap is None and chrf.ci is not None, "the bootstrap gives the interval, not the verdict"
        alarms += chrf.verdict in ("better", "worse")
        assert chrf.verdict != "same" or chrf.p_randomization >= 0.05
        if n < min_units(tests.alpha):
            assert chrf.verdict in ("too_few_units", "same")
        both = paired_differences(a, b, scorer, paired_settings(300, 1000))[0]  # a language (and the gate) on them
        bootstrap_alarms += both.p_bootstrap < tests.alpha
        overruled += both.p_bootstrap < tests.alpha <= both.p_randomization
        assert both.verdict not in ("better", "worse") or both.p_randomization < tests.alpha
    assert alarms <= 12, f"{alarms}/120 significant"
    assert bootstrap_alarms > alarms, "the bootstrap alone is the liberal test this guards against"
    assert overruled > 0, "where both tests run, the randomization test must agree before a verdict"


def test_article_rows_without_randomization_are_untested(scorer: Scorer) -> None:
    """--paired-ar 0: an article row keeps its bootstrap interval and says it was not tested (never the bootstrap's p)."""
    refs = SENTENCES
    a = scorer.stats(perturbed(refs, 0.05, 7), refs)
    b = scorer.stats(["x y z"] * len(refs), refs)
    chrf = significance.article_differences(a, b, scorer, paired_settings(300, 0))[0]
    assert chrf.verdict == "untested" and chrf.ci is not None and chrf.p_bootstrap is None
    decided = significance.article_differences(a, b, scorer, paired_settings(300, 50_000))[0]
    assert decided.verdict == "worse" and decided.p_randomization == pytest.approx(2 / 256)  # 8 units: exact


def _permuted_corpus() -> list:
    """Six articles in en and fr whose back-translations lose random words (so every interval is wide)."""
    from backtrans.types import Article, Document

    rng = random.Random(7)
    words = [
        "banjir",
        "warga",
        "kota",
        "pompa",
        "hujan",
        "sungai",
        "jalan",
        "rumah",
        "pasar",
        "harga",
        "beras",
        "desa",
        "camat",
        "polisi",
    ]
    articles = []
    for i in range(6):
        sentences = [" ".join(rng.choices(words, k=8)).capitalize() + "." for _ in range(5)]
        source = " ".join(sentences)
        docs = []
        for lang in ("en", "fr"):
            back = " ".join(
                " ".join(w for w in s.split() if rng.random() > (0.2 if lang == "en" else 0.35)) or "x"
                for s in sentences
            )
            docs.append(Document(lang, f"{lang} text {i}. " * 5, back=back))
        articles.append(Article(f"art-{i}", "id", Document("id", source), tuple(docs)))
    return articles


@settings(max_examples=4, deadline=None)
@given(st.permutations(range(6)))
def test_the_order_of_the_inputs_changes_no_interval_and_no_p_value(order: list[int]) -> None:
    """Issue 23, B2: the same articles in any order give the same corpus intervals, language tests and
    witness means (resampling follows the articles' ids, not their arrival)."""
    from backtrans.pipeline import evaluate
    from backtrans.report.json import to_data
    from backtrans.testing import FakeEncoderBackend

    articles = _permuted_corpus()
    config = Settings(bootstrap=200, paired_bs=200, paired_ar=300, semantic=True)

    def summary(items: list) -> tuple:
        report = evaluate(items, config, mode="score", encoder=FakeEncoderBackend())
        return to_data(report.languages), to_data(report.language_tests)

    expected = summary(articles)
    assert summary([articles[i] for i in order]) == expected
    languages, tests = expected
    assert languages[0]["scores"]["chrf_ci"][0] < languages[0]["scores"]["chrf_ci"][1]
    assert languages[0]["witness"]["direct"] is not None
    assert tests["pairs"][0]["differences"]
