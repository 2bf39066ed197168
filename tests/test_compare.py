"""backtrans compare: golden comparisons, pairing on units, exclusions, errors and the --fail-if-worse gate."""

from __future__ import annotations

import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from backtrans.cli.commands import main
from backtrans.compare._records import COMPARE_SCHEMA_VERSION
from backtrans.compare.comparison import compare_runs, gate_message, load_run, load_runs, worse_failures
from backtrans.compare.render import render_compare_html, render_compare_markdown
from backtrans.config import Settings, paired_settings
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.report import write_reports
from backtrans.testing.degrade import degrade_language

GOLDEN = Path(__file__).parent / "data" / "golden"
UPDATE = os.environ.get("BACKTRANS_UPDATE_GOLDEN") == "1"
FAST = paired_settings(300, 1000)

ARTICLES = {
    "a-banjir": (
        "Banjir merendam 23 kelurahan di Semarang. Warga mengungsi ke masjid.\n\nPemkot menyiapkan 12 pompa baru.",
        "Floods submerged 23 villages in Semarang. Residents fled to the mosque.\n\nThe city is preparing 12 new pumps.",
        "Banjir merendam 23 desa di Semarang. Warga mengungsi ke masjid.\n\nPemkot menyiapkan 12 pompa baru.",
    ),
    "b-kpk": (
        "KPK memeriksa 14 saksi kasus korupsi. Pemeriksaan berlangsung di Jakarta.\n\nTersangka ditahan 20 hari.",
        "The KPK examined 14 witnesses in the corruption case. The examination took place in Jakarta.\n\n"
        "The suspect was detained for 20 days.",
        "KPK memeriksa 14 saksi dalam kasus korupsi. Pemeriksaan berlangsung di Jakarta.\n\nTersangka ditahan 20 hari.",
    ),
    "c-pasar": (
        "Harga beras naik 15 persen bulan ini. Pedagang mengeluhkan pasokan.\n\nPemerintah akan menggelar operasi pasar.",
        "Rice prices rose 15 percent this month. Traders complained about supply.\n\n"
        "The government will hold a market operation.",
        "Harga beras naik 15 persen bulan ini. Pedagang mengeluhkan pasokan.\n\nPemerintah akan menggelar operasi pasar.",
    ),
}


def write_corpus(root: Path, articles: dict[str, tuple[str, str, str]] = ARTICLES) -> Path:
    for name, (source, english, back) in articles.items():
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "id.txt").write_text(source, encoding="utf-8")
        (folder / "en.txt").write_text(english, encoding="utf-8")
        (folder / "en.back.txt").write_text(back, encoding="utf-8")
    return root


def scored(inputs: Path, out: Path) -> Path:
    """A run folder with report.json (scored from existing back-translations)."""
    report = evaluate(load_inputs([inputs]).articles, Settings(bootstrap=0, paired_bs=0, paired_ar=0), mode="score")
    write_reports(report, out, ("json",))
    return out


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


@pytest.fixture(scope="module")
def example_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped example scored as it is (baseline) and with French degraded (candidate)."""
    from conftest import EXAMPLE

    root = tmp_path_factory.mktemp("example-runs")
    degraded = degrade_language(EXAMPLE, root / "input" / "semarang-flood", "fr")
    return scored(EXAMPLE, root / "baseline"), scored(degraded, root / "candidate")


def test_identical_runs_show_no_difference(example_dir: Path, tmp_path: Path) -> None:
    """Two runs of the same input: every difference is 0 with p = 1, every flag stayed, nothing left out."""
    runs = load_runs([scored(example_dir, tmp_path / "one"), scored(example_dir, tmp_path / "two")])
    (result,) = compare_runs(runs[0], runs[1:], FAST).candidates
    assert not result.excluded and not result.changes
    assert len(result.languages) == 5 and len(result.articles) == 5
    for row in (*result.languages, *result.articles):
        for d in row.differences:
            assert (d.delta, d.p_randomization, d.verdict) == (0.0, 1.0, "same")
    assert all(d.p_bootstrap == 1.0 for lang in result.languages for d in lang.differences)
    assert all(d.p_bootstrap is None for row in result.articles for d in row.differences), "randomization decides"
    assert {f.status for f in result.flags} == {"stayed"} and len(result.flags) == 4


def test_one_article_made_worse_comes_first_with_its_new_flag(tmp_path: Path) -> None:
    """A corpus where one article's English got worse: it ranks first, its number flag is new, the rest are equal."""
    corpus = write_corpus(tmp_path / "corpus")
    worse = tmp_path / "worse"
    shutil.copytree(corpus, worse)
    shutil.rmtree(worse / "b-kpk")
    degrade_language(corpus / "b-kpk", worse / "b-kpk", "en")
    runs = load_runs([scored(corpus, tmp_path / "base"), scored(worse, tmp_path / "cand")])
    (result,) = compare_runs(runs[0], runs[1:], FAST).candidates
    first, *rest = result.articles
    assert (first.rank, first.article, first.lang) == (1, "b-kpk", "en")
    assert first.differences[0].delta < 0 and first.new_flags == 1
    assert first.units == 3 and first.differences[0].verdict == "too_few_units", "3 units decide nothing"
    assert all(d.delta == 0 for row in rest for d in row.differences)
    new = [(f.article, f.lang, f.code) for f in result.flags if f.status == "new"]
    assert new == [("b-kpk", "en", "number_mismatch")]
    (english,) = result.languages
    assert english.articles == 3 and english.differences[0].delta < 0


def test_example_against_degraded_french_matches_golden_file(example_runs) -> None:
    """compare.md of the shipped example against a copy with French degraded, byte for byte."""
    runs = load_runs(list(example_runs))
    comparison = compare_runs(runs[0], runs[1:], FAST)
    text = render_compare_markdown(comparison)
    path = GOLDEN / "example.compare.md"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    (result,) = comparison.candidates
    french = next(row for row in result.languages if row.lang == "fr")
    assert french.differences[0].verdict == "worse"
    assert all(row.differences[0].verdict == "same" for row in result.languages if row.lang != "fr")


def test_one_to_one_pairs_give_sacrebleus_own_p_values(example_runs) -> None:
    """Where both alignments are the same, units are the pairs and sacrebleu's PairedTest gives the same numbers."""
    base, cand = (load_run(path) for path in example_runs)
    (result,) = compare_runs(base, [cand], paired_settings(1000, 0)).candidates
    pairs_a = base.report.articles[0].version("fr").pairs
    pairs_b = cand.report.articles[0].version("fr").pairs
    assert [p.source_ids for p in pairs_a] == [p.source_ids for p in pairs_b]
    french = next(row for row in result.languages if row.lang == "fr")
    assert french.units == len(pairs_a)
    metrics = {"chrF2++": CHRF(word_order=2), "BLEU": BLEU(), "TER": TER()}
    systems = [("base", [p.back for p in pairs_a]), ("cand", [p.back for p in pairs_b])]
    _, expected = PairedTest(systems, metrics, [[p.source for p in pairs_a]], test_type="bs", n_samples=1000)()
    for d, name in zip(french.differences, metrics, strict=True):
        assert d.a == pytest.approx(expected[name][0].score, abs=1e-9)
        assert d.b == pytest.approx(expected[name][1].score, abs=1e-9)
        assert d.p_bootstrap == expected[name][1].p_value


def test_different_alignments_are_paired_on_common_units(tmp_path: Path) -> None:
    """1-1 in the baseline, 2-1 in the candidate (two sentences rendered as one): they share one unit."""
    corpus = write_corpus(tmp_path / "corpus", {"a-banjir": ARTICLES["a-banjir"]})
    merged = write_corpus(tmp_path / "merged", {"a-banjir": ARTICLES["a-banjir"]})
    (merged / "a-banjir" / "en.back.txt").write_text(
        "Banjir merendam 23 desa di Semarang dan warga mengungsi ke masjid.\n\nPemkot menyiapkan 12 pompa baru.",
        encoding="utf-8",
    )
    base, cand = load_runs([scored(corpus, tmp_path / "base"), scored(merged, tmp_path / "cand")])
    kinds = [len(p.source_ids) for p in cand.report.articles[0].version("en").pairs]
    assert 2 in kinds, "the candidate aligns two source sentences with one"
    (result,) = compare_runs(base, [cand], FAST).candidates
    (english,) = result.languages
    assert english.units == len(base.report.articles[0].source) - 1
    chrf = english.differences[0]
    assert chrf.a == pytest.approx(base.report.languages[0].scores.chrf, abs=1e-9)
    assert chrf.b == pytest.approx(cand.report.languages[0].scores.chrf, abs=1e-9)


def test_articles_and_languages_in_one_run_only_are_named_and_left_out(tmp_path: Path) -> None:
    """Only-in-one-run articles and languages, and an article whose source changed, are listed with the reason."""
    base_input = write_corpus(tmp_path / "base-in", {k: ARTICLES[k] for k in ("a-banjir", "b-kpk", "c-pasar")})
    (base_input / "b-kpk" / "fr.txt").write_text("Le KPK a interrogé 14 témoins.", encoding="utf-8")
    (base_input / "b-kpk" / "fr.back.txt").write_text("KPK memeriksa 14 saksi.", encoding="utf-8")
    changed = dict(ARTICLES)
    source, english, back = ARTICLES["c-pasar"]
    changed["c-pasar"] = (source.replace("15 persen", "16 persen"), english, back)
    changed["d-baru"] = ARTICLES["a-banjir"]
    cand_input = write_corpus(tmp_path / "cand-in", {k: changed[k] for k in ("b-kpk", "c-pasar", "d-baru")})
    base, cand = load_runs([scored(base_input, tmp_path / "base"), scored(cand_input, tmp_path / "cand")])
    (result,) = compare_runs(base, [cand], FAST).candidates
    assert [(e.article, e.lang, e.reason) for e in result.excluded] == [
        ("a-banjir", "", "only in base"),
        ("b-kpk", "fr", "only in base"),
        ("c-pasar", "", "source text differs between the runs"),
        ("d-baru", "", "only in cand"),
    ]
    assert [(row.article, row.lang) for row in result.articles] == [("b-kpk", "en")]
    assert [(row.lang, row.articles) for row in result.languages] == [("en", 1)]


def _edit(report_json: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(report_json.read_text(encoding="utf-8"))
    change(data)
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def _hostile_severity(data: dict) -> None:
    flagged = next(v for a in data["articles"] for v in a["versions"] if v["flags"])
    flagged["flags"][0]["severity"] = "<img src=x onerror=alert(1)>"


def _mixed_sources(data: dict) -> None:
    data["articles"].append({**data["articles"][0], "id": "malay", "source_lang": "ms"})


def _source_ms(data: dict) -> None:
    data["signature"]["source_lang"] = "ms"
    for article in data["articles"]:
        article["source_lang"] = "ms"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda base, tmp: _edit(base, tmp / "old.json", lambda d: d.update(schema_version=0)), "report schema 0"),
        (lambda base, tmp: (tmp / "bad.json").write_text("{not json") and tmp / "bad.json", "not a JSON report"),
        (
            lambda base, tmp: _edit(base, tmp / "damaged.json", lambda d: d["articles"][0].pop("source")),
            "the report is damaged",
        ),
        (
            lambda base, tmp: _edit(
                base, tmp / "ids.json", lambda d: d["articles"][0]["versions"][0]["pairs"][0].update(source_ids=["9.9"])
            ),
            "points at source segments 9.9 the article does not have",
        ),
        (lambda base, tmp: _edit(base, tmp / "ms.json", _source_ms), "source language ms differs from id"),
        (lambda base, tmp: _edit(base, tmp / "sev.json", _hostile_severity), "is not one of high, medium, low"),
        (lambda base, tmp: _edit(base, tmp / "mixed.json", _mixed_sources), "more than one source language (id, ms)"),
        (lambda base, tmp: tmp / "missing", "no such file or folder"),
        (lambda base, tmp: (tmp / "empty").mkdir() or tmp / "empty", "no report.json in this folder"),
        (
            lambda base, tmp: _edit(base, tmp / "other.json", lambda d: d["articles"][0].update(id="another")),
            "nothing to compare",
        ),
    ],
)
def test_bad_runs_are_one_line_and_exit_2(make, expected, example_runs, tmp_path: Path, capsys) -> None:
    """An older schema, a damaged file, another source language or nothing in common: one clear line, exit 2."""
    base = example_runs[0] / "report.json"
    code, err = run_cli(["compare", str(base), str(make(base, tmp_path)), "--out", str(tmp_path / "out")], capsys)
    assert code == 2, err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cli_end_to_end_with_the_fail_if_worse_gate(example_runs, tmp_path: Path, capsys) -> None:
    """The shipped example against degraded French through the CLI: reports, then the CI gate (exit 3)."""
    base, cand = (str(p) for p in example_runs)
    out = tmp_path / "out"
    code, err = run_cli(["compare", base, cand, "--out", str(out), "--paired-bs", "200", "--paired-ar", "2000"], capsys)
    assert code == 0, err
    assert "baseline → candidate: chrF++ — significantly worse: fr (−" in err
    assert sorted(p.name for p in out.iterdir()) == [
        ".backtrans-output.json",
        "compare.html",
        "compare.json",
        "compare.md",
    ]
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == COMPARE_SCHEMA_VERSION
    assert data["tests"] == {"bootstrap": 200, "randomization": 2000, "seed": 12345, "alpha": 0.05, "interval": 0.95}
    assert [c["candidate"]["label"] for c in data["candidates"]] == ["candidate"]
    code, err = run_cli(["compare", base, cand, "--out", str(out), "--fail-if-worse", "chrf=1", "-q"], capsys)
    assert code == 3
    assert err.splitlines() == [
        "backtrans: worse than the baseline: candidate / fr: chrf -11.89, significantly worse by more than 1",
        "backtrans: error: 1 language(s) significantly worse than the baseline (--fail-if-worse)",
    ]
    assert run_cli(["compare", base, cand, "--out", str(out), "--fail-if-worse", "chrf=20", "-q"], capsys)[0] == 0
    assert run_cli(["compare", cand, base, "--out", str(out), "--fail-if-worse", "chrf=0", "-q"], capsys)[0] == 0
    for bad, message in (
        (["--fail-if-worse", "comet=1"], "write METRIC=DELTA with METRIC chrf, bleu or ter"),
        (["--fail-if-worse", "chrf=-1"], "--fail-if-worse chrf must be from 0 to 100, not -1"),
        (["--fail-if-worse", "chrf=inf"], "must be a finite number from 0 to 100, not inf"),
        (["--fail-if-worse", "chrf=nan"], "must be a finite number from 0 to 100, not nan"),
        (["--fail-if-worse", "chrf=1e308"], "must be from 0 to 100, not 1e+308"),
        (["--fail-if-worse", "chrf=1", "--fail-if-worse", "chrf=2"], "--fail-if-worse chrf is given twice"),
        (["--paired-bs", "0", "--paired-ar", "0"], "leave no test"),
        (["--format", "csv"], "--format csv: unknown; choose from json, md, html"),
    ):
        code, err = run_cli(["compare", base, cand, "--out", str(out), *bad], capsys)
        assert code == 2 and message in err, err


def test_without_randomization_article_rows_say_they_are_untested(example_runs, tmp_path: Path, capsys) -> None:
    """--paired-ar 0: the bootstrap alone decides each language (said so); article rows are 'not tested'."""
    base, cand = (str(p) for p in example_runs)
    out = tmp_path / "out"
    code, err = run_cli(["compare", base, cand, "--out", str(out), "--paired-ar", "0", "-q"], capsys)
    assert code == 0, err
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    (result,) = data["candidates"]
    assert {row["differences"][0]["verdict"] for row in result["articles"]} == {"untested", "same"}
    assert data["article_tests"]["randomization"] == 0 and data["min_units"] == 6
    text = (out / "compare.md").read_text(encoding="utf-8")
    assert "significant: p &lt; 0.05 in the bootstrap alone (liberal on few units)" in text
    assert "rows show the paired bootstrap's interval and are not tested (--paired-ar 0" in text
    assert "| 1 | semarang-flood | fr | 15 | 68.2 | 56.3 | −11.9 (not tested) |" in text


def test_the_command_builds_the_view_once(example_runs, tmp_path: Path, capsys, monkeypatch) -> None:
    """compare.md, compare.html and the summary lines come from one view model."""
    from backtrans.cli import _compare as cli_compare
    from backtrans.compare import render as report_compare

    built = []
    real = report_compare.build_compare_view

    def counted(comparison):  # type: ignore[no-untyped-def]
        built.append(comparison)
        return real(comparison)

    monkeypatch.setattr(cli_compare, "build_compare_view", counted)
    monkeypatch.setattr(report_compare, "build_compare_view", counted)
    base, cand = (str(p) for p in example_runs)
    code, err = run_cli(
        ["compare", base, cand, "--out", str(tmp_path), "--paired-bs", "100", "--paired-ar", "200"], capsys
    )
    assert code == 0 and "baseline → candidate: chrF++" in err
    assert len(built) == 1


def test_the_gate_counts_only_significant_drops_in_each_metric_direction(example_runs) -> None:
    """TER rising is worse; a drop that is not significant never fails the gate."""
    runs = load_runs(list(example_runs))
    comparison = compare_runs(runs[0], runs[1:], FAST)
    assert [(f.lang, f.metric) for f in worse_failures(comparison, {"ter": 5})] == [("fr", "ter")]
    assert worse_failures(comparison, {"ter": 15}) == []
    every = worse_failures(comparison, {"chrf": 0, "bleu": 0, "ter": 0})
    assert [(f.lang, f.metric) for f in every] == [("fr", "chrf"), ("fr", "bleu"), ("fr", "ter")]
    assert gate_message(every) == "1 language(s) significantly worse than the baseline (--fail-if-worse)"
    reverse = compare_runs(runs[1], runs[:1], FAST)
    assert worse_failures(reverse, {"chrf": 0, "bleu": 0, "ter": 0}) == [], "the baseline got better, not worse"


def test_the_gate_fails_closed_on_what_was_left_out(tmp_path: Path, capsys) -> None:
    """A language the candidate lost, an article whose source changed by one letter's case, and an article
    only one run has fail --fail-if-worse (each named on stderr), unless --allow-missing."""
    base_input = write_corpus(tmp_path / "base-in")
    (base_input / "b-kpk" / "fr.txt").write_text("Le KPK a interrogé 14 témoins.", encoding="utf-8")
    (base_input / "b-kpk" / "fr.back.txt").write_text("KPK memeriksa 14 saksi.", encoding="utf-8")
    changed = dict(ARTICLES)
    source, english, back = ARTICLES["c-pasar"]
    changed["c-pasar"] = (source.replace("Harga", "harga"), english, back)
    cand_input = write_corpus(tmp_path / "cand-in", changed)
    base, cand = scored(base_input, tmp_path / "base"), scored(cand_input, tmp_path / "cand")
    args = ["compare", str(base), str(cand), "--out", str(tmp_path / "out"), "-q", "--fail-if-worse", "chrf=1"]
    code, err = run_cli(args, capsys)
    assert code == 3
    assert err.splitlines() == [
        "backtrans: not judged by the gate: cand / b-kpk / fr: not compared (left out: only in base); "
        "the gate fails closed (--allow-missing lets it pass)",
        "backtrans: not judged by the gate: cand / c-pasar: not compared (left out: source text differs between "
        "the runs); the gate fails closed (--allow-missing lets it pass)",
        "backtrans: error: 2 left out of the comparison or not tested (--fail-if-worse)",
    ]
    assert (tmp_path / "out" / "compare.json").is_file(), "the reports are written first"
    code, err = run_cli([*args, "--allow-missing"], capsys)
    assert code == 0, err
    assert run_cli(args[:-2], capsys)[0] == 0, "without a gate nothing fails"


def test_the_gate_fails_on_a_drop_too_few_units_can_test(tmp_path: Path, capsys) -> None:
    """One article of 3 sentences whose back-translation became nonsense: chrF++ collapses, but 3 units
    cannot be tested ("too few units"); the gate fails unless --allow-missing."""
    short = {"a-banjir": ARTICLES["a-banjir"]}
    source, english, _ = ARTICLES["a-banjir"]
    worse = {"a-banjir": (source, english, "Xq zz vv. Qq ww.\n\nKk jj pp.")}
    base = scored(write_corpus(tmp_path / "base-in", short), tmp_path / "base")
    cand = scored(write_corpus(tmp_path / "cand-in", worse), tmp_path / "cand")
    runs = load_runs([base, cand])
    comparison = compare_runs(runs[0], runs[1:], FAST)
    (language,) = comparison.candidates[0].languages
    chrf = next(d for d in language.differences if d.metric == "chrf")
    assert chrf.verdict == "too_few_units" and chrf.delta < -50
    (failure,) = worse_failures(comparison, {"chrf": 1})
    assert (failure.lang, failure.metric, failure.worse) == ("en", "chrf", False)
    assert "too few units (3)" in failure.describe()
    assert worse_failures(comparison, {"chrf": 1}, allow_missing=True) == []
    args = ["compare", str(base), str(cand), "--out", str(tmp_path / "out"), "-q", "--fail-if-worse", "chrf=1"]
    code, err = run_cli(args, capsys)
    assert code == 3 and "cand / en: chrf cannot be tested (" in err
    assert run_cli([*args, "--allow-missing"], capsys)[0] == 0


def test_what_differs_between_the_runs_is_listed(example_runs, tmp_path: Path) -> None:
    """Models, routes and generation settings that differ are the first thing a comparison shows."""

    def new_vendor(data: dict) -> None:
        data["signature"]["models"] = [{"name": "Helsinki-NLP/opus-mt-fr-en", "revision": "abc123"}]
        data["signature"]["generation"] = {"beams": 4}
        next(s for s in data["languages"] if s["lang"] == "fr")["route"] = "fr → en → id"

    base = example_runs[0]
    cand = _edit(base / "report.json", tmp_path / "vendor.json", new_vendor)
    (result,) = compare_runs(load_run(base), [load_run(cand)], FAST).candidates
    assert [(c.name, c.baseline, c.candidate) for c in result.changes] == [
        ("models", "none", "Helsinki-NLP/opus-mt-fr-en @ abc123"),
        ("route fr", "supplied back-translation (fr.back.txt)", "fr → en → id"),
        ("beams", "–", "4"),
    ]


def test_repeated_folder_names_get_unique_labels(example_runs) -> None:
    base = example_runs[0]
    assert [run.label for run in load_runs([base, base / "report.json", base])] == [
        "baseline",
        "baseline#2",
        "baseline#3",
    ]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def hostile_runs(root: Path) -> tuple[Path, Path]:
    """Both runs of the hostile article (payloads in ids, texts and messages), the candidate with English degraded."""
    from test_reports import hostile_article

    article = hostile_article(root / "in")
    worse = degrade_language(article, root / "worse" / "hostile", "en")
    return scored(article, root / '"><img src=x onerror=alert(1)>'), scored(worse, root / "<b>cand<i>")


def test_flag_severity_is_escaped_in_compare_md(example_runs) -> None:
    """compare.md escapes every cell of the flag tables, the severity too (it comes from a report.json)."""
    import dataclasses

    from backtrans.compare._records import FlagChange

    runs = load_runs(list(example_runs))
    comparison = compare_runs(runs[0], runs[1:], FAST)
    (result,) = comparison.candidates
    hostile = FlagChange("new", "a", "fr", "omitted", '"><img src=x onerror=alert(1)>', ("1.1",), "m")
    edited = dataclasses.replace(comparison, candidates=(dataclasses.replace(result, flags=(hostile,)),))
    text = render_compare_markdown(edited)
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_hostile_text_is_escaped_in_compare_reports(tmp_path: Path) -> None:
    """Payloads from both runs (article id, flag messages, run labels) are text in compare.html and compare.md."""
    from test_reports import PAYLOADS

    base, cand = load_runs(list(hostile_runs(tmp_path)))
    comparison = compare_runs(base, [cand], FAST)
    statuses = {f.status for f in comparison.candidates[0].flags}
    assert "resolved" in statuses, "degrading swapped the version's 21 back to the source's 12"
    html = render_compare_html(comparison)
    page = _Tags()
    page.feed(html)
    assert page.tags.count("script") == 1 and "img" not in page.tags and "textarea" not in page.tags
    assert "script-src 'sha256-" in html
    text = "".join(page.text)
    assert '"><img src=x onerror=alert(1)>' in text and "<b>cand<i>" in text
    assert '../x"><script>alert(2)</script>' in text, "the hostile article id, shown as text"
    assert any(payload in text for payload in PAYLOADS), "flag messages quote the hostile text"
    markdown = render_compare_markdown(comparison)
    assert "<img" not in markdown and "<b>" not in markdown and "<script>" not in markdown
    assert "&lt;b&gt;cand&lt;i&gt;" in markdown
