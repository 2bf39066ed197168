"""The HTML report in a real headless Chromium: it renders, our script runs, hostile text does not."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backtrans.config import Settings
from backtrans.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.report import write_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
]


def chromium(page: Path, profile: Path, *args: str, query: str = "") -> str:
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri() + query],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[int, list[str]] = {}

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        element = (tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in ("br", "meta", "link", "input", "img"):
            self.stack.append(element)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        for element in self.stack:
            self.texts.setdefault(id(element), []).append(data)

    def text(self, element: tuple[str, dict[str, str]]) -> str:
        return "".join(self.texts.get(id(element), []))


def dom_of(html: str) -> Dom:
    dom = Dom()
    dom.feed(html)
    return dom


def test_example_report_renders_with_flags_heatmap_and_arabic(example_dir: Path, tmp_path: Path) -> None:
    """Flagged rows, the heatmap and right-to-left Arabic are in the rendered page; a screenshot is taken."""
    report = evaluate(load_inputs([example_dir]).articles, Settings(), mode="score")
    write_reports(report, tmp_path / "out", ("html",))
    page = tmp_path / "out" / "report.html"
    shot = tmp_path / "report.png"
    chromium(page, tmp_path / "p1", f"--screenshot={shot}", "--window-size=1300,2000")
    assert shot.stat().st_size > 20_000
    dom = dom_of(chromium(page, tmp_path / "p2", "--dump-dom"))
    html_tag = next(e for e in dom.elements if e[0] == "html")
    assert "js" in html_tag[1].get("class", ""), "our script ran (its CSP hash is right)"
    flag_rows = [e for e in dom.elements if e[0] == "tr" and "flag-row" in e[1].get("class", "")]
    assert len(flag_rows) == 5
    assert {e[1]["data-lang"] for e in flag_rows} == {"ar", "en", "fr", "ja"}
    heatmaps = [e for e in dom.elements if e[0] == "table" and "heatmap" in e[1].get("class", "")]
    assert len(heatmaps) == 1  # one article: its matrix is the run's
    arabic = [e for e in dom.elements if e[0] == "td" and e[1].get("dir") == "rtl" and e[1].get("lang") == "ar"]
    assert len(arabic) == 15 and "سيمارانغ" in dom.text(arabic[0])
    flagged_pairs = [e for e in dom.elements if e[0] == "tr" and "flagged" in e[1].get("class", "").split()]
    assert len(flagged_pairs) == 5


def test_hostile_text_does_not_run_in_the_browser(tmp_path: Path) -> None:
    """Payloads in every field stay text in the live DOM: no injected element, the title is ours."""
    from test_reports import PAYLOADS, hostile_article

    report = evaluate(load_inputs([hostile_article(tmp_path)]).articles, Settings(bootstrap=0), mode="score")
    write_reports(report, tmp_path / "out", ("html",))
    live = chromium(tmp_path / "out" / "report.html", tmp_path / "p", "--dump-dom")
    dom = dom_of(live)
    assert not any(tag in ("img", "textarea") for tag, _ in dom.elements)
    assert sum(tag == "script" for tag, _ in dom.elements) == 1
    title = next(e for e in dom.elements if e[0] == "title")
    assert dom.text(title) == "backtrans report"
    body = dom.text(next(e for e in dom.elements if e[0] == "body"))
    for payload in PAYLOADS:
        assert payload in body


def test_filters_hide_other_languages_and_flags(example_dir: Path, tmp_path: Path) -> None:
    """The language and flag filters (preset from the URL, as an editor's bookmark would) hide the rest."""
    report = evaluate(load_inputs([example_dir]).articles, Settings(bootstrap=0), mode="score")
    write_reports(report, tmp_path / "out", ("html",))
    dom = dom_of(
        chromium(tmp_path / "out" / "report.html", tmp_path / "p", "--dump-dom", query="?lang=fr&flag=omitted")
    )
    rows = [e for e in dom.elements if e[0] == "tr" and "flag-row" in e[1].get("class", "")]
    shown = [e for e in rows if "hidden" not in e[1].get("class", "").split()]
    assert [(e[1]["data-lang"], e[1]["data-flags"]) for e in shown] == [("fr", "omitted")]
    pairs = [e for e in dom.elements if e[0] == "tr" and e[1].get("id", "").startswith("a0-")]
    visible_pairs = [e for e in pairs if "hidden" not in e[1].get("class", "").split()]
    assert [e[1]["data-lang"] for e in visible_pairs] == ["fr"]
    assert "omitted" in visible_pairs[0][1]["data-flags"]
    sections = [e for e in dom.elements if e[0] == "div" and e[1].get("data-section") == "1"]
    assert [e[1]["data-lang"] for e in sections if "hidden" not in e[1].get("class", "")] == ["fr"]
