"""Every flag says how sure it is; the editor's views list only the sure ones, ranked; the record keeps all."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.config import Settings, Thresholds
from backtrans.flag.common import SEVERITY_ORDER
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.report._view import build_view
from backtrans.report.markdown import render_markdown
from backtrans.types import Flag


def _example_report(example_dir: Path, min_confidence: float) -> object:
    settings = Settings(bootstrap=0, thresholds=Thresholds(min_confidence=min_confidence))
    return evaluate(load_inputs([example_dir]).articles, settings, mode="score")


def _flags(report: object) -> list[Flag]:
    return [f for a in report.articles for v in a.versions for f in v.flags]  # type: ignore[attr-defined]


def test_every_flag_has_a_confidence_and_shown_follows_the_threshold(example_dir: Path) -> None:
    """shown is exactly confidence ≥ min_confidence, for a threshold between the flags' own confidences."""
    everything = _flags(_example_report(example_dir, 0.0))
    assert everything and all(0.0 <= f.confidence <= 1.0 and f.shown for f in everything)
    threshold = sorted({f.confidence for f in everything})[len({f.confidence for f in everything}) // 2]
    flags = _flags(_example_report(example_dir, threshold))
    assert [(f.code, f.segments) for f in flags] == [(f.code, f.segments) for f in everything]  # nothing dropped
    assert all(f.shown == (f.confidence >= threshold) for f in flags)


def test_the_views_list_only_shown_flags_in_confidence_order(example_dir: Path) -> None:
    report = _example_report(example_dir, 0.0)
    confidences = sorted({f.confidence for f in _flags(report)})
    threshold = confidences[len(confidences) // 2]
    report = _example_report(example_dir, threshold)
    view = build_view(report)  # type: ignore[arg-type]
    shown = [f for f in _flags(report) if f.shown]
    assert len(view.flagged) == len(shown) == view.counts.flags
    ranked = [(SEVERITY_ORDER[r.severity], -float(r.confidence)) for r in view.flagged]
    assert ranked == sorted(ranked)
    assert all(float(r.confidence) >= round(threshold, 2) - 0.005 for r in view.flagged)  # shown to 2 places
    per_language = {row.lang: row.flag_total for row in view.languages}
    for lang, total in per_language.items():
        assert total == sum(
            1 for a in report.articles for v in a.versions if v.lang == lang for f in v.flags if f.shown
        )  # type: ignore[attr-defined]
    markdown = render_markdown(report)  # type: ignore[arg-type]
    assert markdown.count("| semarang-flood |") == len(shown)


def test_a_dismissed_flag_leaves_the_views_but_not_the_record(example_dir: Path) -> None:
    report = _example_report(example_dir, 0.0)
    article = report.articles[0]  # type: ignore[attr-defined]
    version = next(v for v in article.versions if v.flags)
    dismissed = dataclasses.replace(version.flags[0], dismissed=True)
    changed = dataclasses.replace(version, flags=(dismissed, *version.flags[1:]))
    versions = tuple(changed if v is version else v for v in article.versions)
    report = dataclasses.replace(report, articles=(dataclasses.replace(article, versions=versions),))
    view = build_view(report)  # type: ignore[arg-type]
    assert len(view.flagged) == len(_flags(report)) - 1


def test_confidence_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="confidence"):
        Flag("omitted", "high", "x", confidence=1.5)
    with pytest.raises(ValueError, match="confidence"):
        Flag("omitted", "high", "x", confidence=float("nan"))


def test_min_confidence_option_reaches_report_json(example_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["score", str(example_dir), "--out", str(tmp_path / "out"), "--min-confidence", "1", "--quiet"])
    assert exit_info.value.code == 0
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["signature"]["thresholds"]["min_confidence"] == 1.0
    flags = [f for a in data["articles"] for v in a["versions"] for f in v["flags"]]
    assert flags and all(f["shown"] == (f["confidence"] >= 1.0) for f in flags)


@pytest.mark.parametrize("value", ["2", "-0.1", "nan", "sure"])
def test_min_confidence_out_of_range_is_a_usage_error(example_dir: Path, tmp_path: Path, capsys, value: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["score", str(example_dir), "--out", str(tmp_path / "out"), "--min-confidence", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--min-confidence" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
