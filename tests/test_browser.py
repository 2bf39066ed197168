"""The HTML report in a real headless Chromium: it renders, our script runs, hostile text does not."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backtrans.config import Settings
from backtrans.load.loading import load_inputs
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
    assert len(flag_rows) == 4
    assert {e[1]["data-lang"] for e in flag_rows} == {"ar", "en", "fr", "ja"}
    heatmaps = [e for e in dom.elements if e[0] == "table" and e[1].get("class", "").split() == ["heatmap"]]
    assert len(heatmaps) == 1  # one article: its matrix is the run's
    (significance,) = [e for e in dom.elements if e[0] == "table" and "significance" in e[1].get("class", "")]
    assert "en" in dom.text(significance) and "▼" in dom.text(significance), "languages against each other, marked"
    arabic = [e for e in dom.elements if e[0] == "td" and e[1].get("dir") == "rtl" and e[1].get("lang") == "ar"]
    assert len(arabic) == 15 and "سيمارانغ" in dom.text(arabic[0])
    flagged_pairs = [e for e in dom.elements if e[0] == "tr" and "flagged" in e[1].get("class", "").split()]
    assert len(flagged_pairs) == 4


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


def test_compare_page_keeps_hostile_text_of_both_runs_inert(tmp_path: Path) -> None:
    """compare.html of two runs full of payloads (ids, messages, run labels): no injected element, our script runs."""
    from backtrans.compare.comparison import compare_runs, load_runs
    from backtrans.compare.render import write_compare
    from backtrans.config import paired_settings
    from test_compare import hostile_runs

    base, cand = load_runs(list(hostile_runs(tmp_path)))
    write_compare(compare_runs(base, [cand], paired_settings(100, 200)), tmp_path / "out", ("html",))
    dom = dom_of(chromium(tmp_path / "out" / "compare.html", tmp_path / "p", "--dump-dom"))
    assert not any(tag in ("img", "textarea", "i") for tag, _ in dom.elements)
    assert sum(tag == "script" for tag, _ in dom.elements) == 1
    html_tag = next(e for e in dom.elements if e[0] == "html")
    assert "js" in html_tag[1].get("class", ""), "our script ran (its CSP hash is right)"
    assert dom.text(next(e for e in dom.elements if e[0] == "title")) == "compare · backtrans"
    body = dom.text(next(e for e in dom.elements if e[0] == "body"))
    for text in ('"><img src=x onerror=alert(1)>', "<b>cand<i>", '../x"><script>alert(2)</script>'):
        assert text in body


def test_compare_page_renders_and_filters_by_language(example_dir: Path, tmp_path: Path) -> None:
    """The example against degraded French: the forest plot is drawn, ?lang=fr leaves only French rows."""
    from backtrans.compare.comparison import compare_runs, load_runs
    from backtrans.compare.render import write_compare
    from backtrans.config import paired_settings
    from backtrans.testing.degrade import degrade_language
    from test_compare import scored

    worse = degrade_language(example_dir, tmp_path / "in" / "semarang-flood", "fr")
    base, cand = load_runs([scored(example_dir, tmp_path / "base"), scored(worse, tmp_path / "cand")])
    write_compare(compare_runs(base, [cand], paired_settings(200, 1000)), tmp_path / "out", ("html",))
    page = tmp_path / "out" / "compare.html"
    shot = tmp_path / "compare.png"
    chromium(page, tmp_path / "p1", f"--screenshot={shot}", "--window-size=1300,1200")
    assert shot.stat().st_size > 20_000
    dom = dom_of(chromium(page, tmp_path / "p2", "--dump-dom", query="?lang=fr"))
    assert sum(tag == "svg" and "forest" in a.get("class", "") for tag, a in dom.elements) == 5
    rows = [e for e in dom.elements if e[0] == "tr" and e[1].get("data-lang")]
    visible = {e[1]["data-lang"] for e in rows if "hidden" not in e[1].get("class", "").split()}
    assert visible == {"fr"} and len(rows) > len([e for e in rows if e[1]["data-lang"] == "fr"])
