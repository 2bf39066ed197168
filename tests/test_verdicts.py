"""Editors' verdicts: the flag's stable key survives other models, --verdicts dismisses on run/score/report and
through compare, bad verdict files are refused, and `backtrans verdicts summary` measures the flags."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from backtrans.cli.commands import main
from backtrans.errors import InputError
from backtrans.flag.verdicts import flag_key, load_verdicts
from backtrans.testing.degrade import degrade_segment
from backtrans.types import Flag

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "examples" / "glossary.csv"
VERDICTS = ROOT / "examples" / "verdicts.json"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return int(info.value.code), captured.out, captured.err


def score(inputs: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, _, err = run_cli(["score", str(inputs), "--out", str(out), *extra], capsys)
    assert code == 0, err
    return dict(json.loads((out / "report.json").read_text(encoding="utf-8")))


def flags_of(report: dict[str, Any]) -> dict[tuple[str, str, tuple[str, ...]], dict[str, Any]]:
    return {
        (v["lang"], f["code"], tuple(f["segments"])): f
        for a in report["articles"]
        for v in a["versions"]
        for f in v["flags"]
    }


def other_model(example: Path, target: Path) -> Path:
    """The example as another back-translation model might have left it: every back-translation reworded (every
    other segment loses words and gains one; the Chinese one also loses BMKG)."""
    shutil.copytree(example, target)
    for back in sorted(target.glob("*.back.txt")):
        lines = back.read_text(encoding="utf-8").split("\n")
        out = [degrade_segment(line) if i % 2 else line for i, line in enumerate(lines)]
        if back.name == "zh.back.txt":
            out = [line.replace("(BMKG)", "").replace("BMKG", "badan cuaca") for line in out]
        back.write_text("\n".join(out), encoding="utf-8")
    return target


def test_the_key_holds_evidence_of_source_and_version_only() -> None:
    """A flag's key changes with its code, segments or source-side evidence, never with back-translated text,
    scores, confidence or who else kept the word."""
    base = Flag("changed_term", "medium", "m", ("3.1",), {"source_word": "Tanggul", "back_word": "bendungan"})
    same = [
        dataclasses.replace(base, evidence={"source_word": " tanggul ", "back_word": "waduk", "kept_by": ["en"]}),
        dataclasses.replace(base, message="another message", confidence=0.9, severity="high"),
    ]
    assert {flag_key("a", "fr", f) for f in same} == {flag_key("a", "fr", base)}
    other = [
        dataclasses.replace(base, evidence={"source_word": "banjir", "back_word": "bendungan"}),
        dataclasses.replace(base, segments=("3.2",)),
        dataclasses.replace(base, code="name_mismatch"),
    ]
    assert flag_key("b", "fr", base) != flag_key("a", "fr", base) != flag_key("a", "en", base)
    assert all(flag_key("a", "fr", f) != flag_key("a", "fr", base) for f in other)
    low = Flag("low_consistency", "medium", "m", ("2.1",), {"chrf": 12.5, "median": 55.0})
    assert flag_key("a", "ja", low) == flag_key("a", "ja", dataclasses.replace(low, evidence={"chrf": 20.1}))


def test_two_hedges_or_two_relations_of_one_sentence_are_two_keys() -> None:
    """A lost plan and a lost allegation of one sentence are judged apart, as are a converse and a name swap."""
    plan = Flag("hedge_mismatch", "medium", "m", ("2.1",), {"kind": "lost_hedge", "modality": "plan"})
    allegation = dataclasses.replace(plan, evidence={"kind": "lost_hedge", "modality": "allegation"})
    assert flag_key("a", "en", plan) != flag_key("a", "en", allegation)
    swap = Flag("role_swap", "high", "m", ("3.1",), {"names": ["Anindya Larasati", "Sayaka Morita"]})
    converse = dataclasses.replace(swap, evidence={"kind": "converse", "words": ["dari", "kepada"]})
    assert flag_key("a", "fr", swap) != flag_key("a", "fr", converse)


def test_keys_and_a_dismissal_survive_a_rerun_with_another_model(example_dir: Path, tmp_path: Path, capsys) -> None:
    """The example and the same versions back-translated 'by another model': every flag both runs raise has the
    same key, though their back-translated evidence differs; the example's verdict dismisses the flag in both."""
    one = score(example_dir, tmp_path / "one", capsys, "--glossary", str(GLOSSARY))
    moved = other_model(example_dir, tmp_path / "other" / "semarang-flood")
    two = score(moved, tmp_path / "two", capsys, "--glossary", str(GLOSSARY))
    first, second = flags_of(one), flags_of(two)
    common = set(first) & set(second)
    assert {("en", "number_mismatch", ("1.2",)), ("ar", "glossary_term", ("5.1",))} <= common
    assert {("fr", "glossary_term", ("3.1",)), ("ja", "added", ("4.2",))} <= common
    from backtrans.types import Flag as F

    def key(lang: str, data: dict[str, Any]) -> str:
        flag = F(data["code"], data["severity"], data["message"], tuple(data["segments"]), data["evidence"])
        return flag_key("semarang-flood", lang, flag)

    assert all(key(k[0], first[k]) == key(k[0], second[k]) for k in common)
    added = ("ja", "added", ("4.2",))  # its evidence holds the back-translated sentence, which differs
    assert first[added]["evidence"]["back_translation"] != second[added]["evidence"]["back_translation"]
    assert first[added]["evidence"]["version"] == second[added]["evidence"]["version"]
    again = score(moved, tmp_path / "three", capsys, "--glossary", str(GLOSSARY), "--verdicts", str(VERDICTS))
    dismissed = [k for k, f in flags_of(again).items() if f["dismissed"]]
    assert dismissed == [("fr", "glossary_term", ("3.1",))]


def test_verdicts_dismiss_on_score_and_the_summaries_say_so(example_dir: Path, tmp_path: Path, capsys) -> None:
    """examples/verdicts.json dismisses the French glossary flag: kept in report.json (dismissed: true), gone from
    report.md and the per-language counts, counted in the signature, the Markdown and the stderr summary."""
    out = tmp_path / "out"
    args = ["score", str(example_dir), "--out", str(out), "--glossary", str(GLOSSARY), "--verdicts", str(VERDICTS)]
    code, _, err = run_cli(args, capsys)
    assert code == 0, err
    assert "backtrans: verdicts: 1 flag(s) dismissed as not an error (2 verdict(s) in verdicts.json)" in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    flags = flags_of(report)
    assert flags[("fr", "glossary_term", ("3.1",))]["dismissed"] is True
    assert flags[("en", "number_mismatch", ("1.2",))]["dismissed"] is False  # confirmed as an error: stays
    assert report["signature"]["verdicts"]["dismissed"] == 1 and report["signature"]["verdicts"]["verdicts"] == 2
    french = next(s for s in report["languages"] if s["lang"] == "fr")
    assert "glossary_term" not in french["flags"] and french["flags"]["omitted"] == 1
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "1 dismissed by the newsroom's verdicts" in markdown and "banjir rob" not in markdown


def test_report_applies_verdicts_to_a_saved_run_and_the_latest_verdict_holds(
    example_dir: Path, tmp_path: Path, capsys
) -> None:
    """`backtrans report --verdicts` dismisses in a saved run; a later 'error' on the same flag brings it back."""
    run = tmp_path / "run"
    score(example_dir, run, capsys, "--glossary", str(GLOSSARY))
    code, _, err = run_cli(
        ["report", str(run / "report.json"), "--out", str(tmp_path / "r1"), "--verdicts", str(VERDICTS)], capsys
    )
    assert code == 0, err
    assert "1 flag(s) dismissed" in err
    markdown = (tmp_path / "r1" / "report.md").read_text(encoding="utf-8")
    assert "banjir rob" not in markdown and "1 dismissed by the newsroom's verdicts" in markdown
    data = json.loads(VERDICTS.read_text(encoding="utf-8"))
    later = dict(next(v for v in data["verdicts"] if v["verdict"] == "not_error"))
    later.update(verdict="error", time="2026-12-14T08:00:00Z", note="the desk changed its mind")
    (tmp_path / "week2.json").write_text(json.dumps({**data, "verdicts": [later]}), encoding="utf-8")
    args = ["report", str(run / "report.json"), "--out", str(tmp_path / "r2"), "--verdicts", str(VERDICTS)]
    code, _, err = run_cli([*args, "--verdicts", str(tmp_path / "week2.json")], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "r2" / "report.json").read_text(encoding="utf-8"))
    assert not any(f["dismissed"] for f in flags_of(report).values())
    assert "banjir rob" in (tmp_path / "r2" / "report.md").read_text(encoding="utf-8")


def test_compare_leaves_dismissed_flags_out_of_new_and_stayed(example_dir: Path, tmp_path: Path, capsys) -> None:
    """The French made worse gets a new number flag; dismissed by a verdict it is neither new nor stayed, and the
    example's dismissed glossary flag is not 'stayed' either."""
    from backtrans.testing.degrade import degrade_language

    worse = degrade_language(example_dir, tmp_path / "in" / "semarang-flood", "fr")
    base = tmp_path / "base"
    score(example_dir, base, capsys, "--glossary", str(GLOSSARY))
    cand_report = score(worse, tmp_path / "cand", capsys, "--glossary", str(GLOSSARY))
    (new_flag,) = [f for k, f in flags_of(cand_report).items() if k[0] == "fr" and k[1] == "number_mismatch"]
    flag = Flag(
        new_flag["code"], new_flag["severity"], new_flag["message"], tuple(new_flag["segments"]), new_flag["evidence"]
    )
    data = json.loads(VERDICTS.read_text(encoding="utf-8"))
    data["verdicts"].append(
        {
            "article": "semarang-flood",
            "lang": "fr",
            "code": "number_mismatch",
            "segments": list(flag.segments),
            "key": flag_key("semarang-flood", "fr", flag),
            "verdict": "not_error",
            "time": "2026-12-08T10:00:00Z",
        }
    )
    verdicts = tmp_path / "verdicts.json"
    verdicts.write_text(json.dumps(data), encoding="utf-8")

    def changes(*extra: str) -> set[tuple[str, str, str]]:
        out = tmp_path / f"cmp{len(extra)}"
        code, _, err = run_cli(
            [
                "compare",
                str(base),
                str(tmp_path / "cand"),
                "--out",
                str(out),
                "--paired-bs",
                "0",
                "--paired-ar",
                "100",
                *extra,
            ],
            capsys,
        )
        assert code == 0, err
        compared = json.loads((out / "compare.json").read_text(encoding="utf-8"))
        (candidate,) = compared["candidates"]
        return {(f["status"], f["lang"], f["code"]) for f in candidate["flags"]}

    before = changes()
    assert ("new", "fr", "number_mismatch") in before and ("stayed", "fr", "glossary_term") in before
    after = changes("--verdicts", str(verdicts))
    assert not {c for c in after if c[1:] in {("fr", "number_mismatch"), ("fr", "glossary_term")}}
    assert after == {c for c in before if c[1:] not in {("fr", "number_mismatch"), ("fr", "glossary_term")}}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "backtrans-verdicts",\n "verdicts": [,]}', "v.json:2: not JSON"),
        (b'{"verdicts": []}', "v.json: not a verdicts file"),
        (b"[1, 2]", "v.json: not a verdicts file"),
        (b'{"format": "backtrans-verdicts", "version": 7, "verdicts": []}', "v.json: verdicts version 7"),
        (
            b'{"format": "backtrans-verdicts", "verdicts": [{"article": "a", "lang": "fr", "code": "omitted", '
            b'"key": "k", "verdict": "maybe"}]}',
            "v.json: verdict 1: verdict 'maybe' is not one of error, not_error",
        ),
        (
            b'{"format": "backtrans-verdicts", "verdicts": [{"article": "a", "lang": "fr", "code": "omitted", '
            b'"verdict": "error"}]}',
            "v.json: verdict 1: 'key' is missing or not a string",
        ),
        (
            b'{"format": "backtrans-verdicts", "verdicts": [{"article": "a", "lang": "fr", "code": "omitted", '
            b'"key": "k", "verdict": "error", "segments": "3.1"}]}',
            "v.json: verdict 1: 'segments' must be a list",
        ),
        (b'{"format": "backtrans-verdicts",\n"verdicts": ["\xff"]}', "v.json:2: not UTF-8"),
        (b'{"format": "backtrans-verdicts", "verdicts": [], "n": ' + b"1" * 5000 + b"}", "v.json: not a verdicts file"),
    ],
)
def test_bad_verdict_files_are_refused_in_one_line(
    content: bytes, expected: str, example_dir, tmp_path, capsys
) -> None:
    """A verdicts file that is not one: exit 2, one line naming the file (and line or entry), nothing written."""
    bad = tmp_path / "v.json"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=None) as info:
        load_verdicts([bad])
    assert expected in str(info.value)
    code, _, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), "--verdicts", str(bad)], capsys)
    assert code == 2 and expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    code, _, err = run_cli(["verdicts", "summary", str(bad)], capsys)
    assert code == 2 and expected in err


def _verdict(lang: str, code: str, key: str, verdict: str, time: str, evidence: str = "", article: str = "a") -> dict:
    return {
        "article": article,
        "lang": lang,
        "code": code,
        "segments": ["1.1"],
        "key": key,
        "verdict": verdict,
        "time": time,
        "evidence": evidence,
    }


def test_summary_counts_precision_per_code_and_language_and_the_evidence_dismissed_most(tmp_path: Path, capsys) -> None:
    """Two weeks of verdicts: each flag once with its latest verdict; precision per code and language; the names
    dismissed most come first as glossary candidates."""
    week1 = [
        _verdict("en", "name_mismatch", "k1", "not_error", "2026-12-01T09:00:00Z", "Gedung Bundar"),
        _verdict("fr", "name_mismatch", "k2", "not_error", "2026-12-01T09:01:00Z", "Gedung Bundar", "b"),
        _verdict("en", "number_mismatch", "k3", "error", "2026-12-01T09:02:00Z", "12"),
        _verdict("ja", "changed_term", "k4", "error", "2026-12-02T09:00:00Z", "tanggul"),
        _verdict("ja", "name_mismatch", "k5", "error", "2026-12-02T09:05:00Z", "KPK"),
    ]
    week2 = [
        _verdict("fr", "name_mismatch", "k6", "not_error", "2026-12-08T09:00:00Z", "gedung bundar", "c"),
        _verdict("ja", "changed_term", "k4", "not_error", "2026-12-08T10:00:00Z", "tanggul"),  # judged again
    ]
    files = []
    for n, items in enumerate((week1, week2), start=1):
        path = tmp_path / f"week{n}.json"
        path.write_text(json.dumps({"format": "backtrans-verdicts", "version": 1, "verdicts": items}), encoding="utf-8")
        files.append(str(path))
    code, out, err = run_cli(["verdicts", "summary", *files], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert (
        lines[0] == "6 flag(s) judged from 2026-12-01 to 2026-12-08: 2 confirmed as errors, 4 dismissed; precision 33%"
    )
    assert "name_mismatch            1          3        25%" in lines
    assert "number_mismatch          1          0       100%" in lines
    assert "changed_term             0          1         0%" in lines
    assert "fr                0          2         0%" in lines
    top = lines[lines.index("dismissed most often (candidates for the glossary):") + 1]
    assert top == "  3× name_mismatch: Gedung Bundar (en, fr; 3 article(s))"
    code, out, err = run_cli(["verdicts", "summary", *files, "--json", "--top", "1"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] == {"name": "all", "confirmed": 2, "dismissed": 4, "precision": 0.3333}
    assert [d["evidence"] for d in data["dismissed_most"]] == ["Gedung Bundar"]


def test_summary_of_the_example_verdicts(capsys) -> None:
    """The shipped examples/verdicts.json: one error confirmed, one flag dismissed, and its term listed."""
    code, out, err = run_cli(["verdicts", "summary", str(VERDICTS)], capsys)
    assert code == 0, err
    assert "1 confirmed as errors, 1 dismissed; precision 50%" in out
    assert "1× glossary_term: banjir rob (fr; 1 article(s))" in out
