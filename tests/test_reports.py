"""Reports: golden files, escaping of hostile text, corpus pages with safe names, atomic writes."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.config import Settings
from backtrans.files.fileio import safe_name, write_atomic
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.report import write_reports
from backtrans.report._view import build_view
from backtrans.report.markdown import render_markdown
from backtrans.report.viewmodel import view_data

GOLDEN = Path(__file__).parent / "data" / "golden"
UPDATE = os.environ.get("BACKTRANS_UPDATE_GOLDEN") == "1"

PAYLOADS = [
    "<script>document.title='PWNED'</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><b>bold</b>",
    "{{ 7*7 }} {% raw %}",
    "\u202eevil\u202c",
    "[link](javascript:alert(1)) | pipe",
]


def hostile_article(root: Path) -> Path:
    folder = root / "hostile"
    folder.mkdir(parents=True)
    joined = " ".join(PAYLOADS)
    files = {
        "meta.json": json.dumps({"id": '../x"><script>alert(2)</script>', "url": "javascript:alert(3)"}),
        "id.title.txt": "Judul " + PAYLOADS[0],
        "id.txt": f"Warga berkata {joined} kemarin.\n\nKPK memeriksa 12 saksi.",
        "en.txt": f"Residents said {joined} yesterday.\n\nKPK examined 21 witnesses.",
        "en.back.txt": f"Warga mengatakan {joined} kemarin.\n\nKPK memeriksa 21 saksi.",
        "ar.txt": f"قال السكان {joined} أمس.\n\nفحصت KPK 12 شاهدا.",
        "ar.back.txt": f"Warga berkata {joined} kemarin.\n\nKPK memeriksa 12 saksi.",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with BACKTRANS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example_report():
    from conftest import EXAMPLE

    return evaluate(load_inputs([EXAMPLE]).articles, Settings(), mode="score")


def test_markdown_matches_golden_file(example_report) -> None:
    """report.md of the example, byte for byte (no timestamps in it)."""
    golden("example.report.md", render_markdown(example_report))


def test_html_view_model_matches_golden_file(example_report) -> None:
    """The HTML view model of the example (everything the page shows), minus the run's date."""
    view = view_data(build_view(example_report))
    assert view.pop("created") == example_report.created
    golden("example.view.json", json.dumps(view, ensure_ascii=False, indent=1) + "\n")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    """Script, img, textarea, template syntax, RTL overrides and Markdown links are shown as text."""
    report = evaluate(load_inputs([hostile_article(tmp_path)]).articles, Settings(bootstrap=0), mode="score")
    out = tmp_path / "out"
    write_reports(report, out, ("html", "md", "csv", "json"))
    html = (out / "report.html").read_text(encoding="utf-8")
    page = parse(html)
    scripts = [t for t, _ in page.tags if t == "script"]
    assert len(scripts) == 1, "only our own script"
    assert not any(t in ("img", "textarea") for t, _ in page.tags)
    assert not any(a.get("href", "").startswith("javascript:") for _, a in page.tags if a)
    text = "".join(page.text)
    for payload in PAYLOADS:
        assert payload in text, f"payload not shown literally: {payload!r}"
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:], "template syntax was evaluated"
    assert "script-src 'sha256-" in html and "unsafe-inline'; img" not in html.split("script-src")[1][:60]
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<img" not in markdown and "](javascript" not in markdown
    assert "&lt;script&gt;" in markdown
    for name in os.listdir(out):
        assert ".." not in name and "<" not in name


def test_severity_is_escaped_in_report_md_and_an_unknown_one_is_refused_on_reading(tmp_path: Path) -> None:
    """report.md escapes a flag's severity like every other cell; a report.json with an unknown severity is damaged."""
    import dataclasses

    from backtrans.errors import InputError
    from backtrans.report.json import read_report

    report = evaluate(load_inputs([hostile_article(tmp_path)]).articles, Settings(bootstrap=0), mode="score")
    view = build_view(report)
    assert view.flagged, "the hostile article has flags"
    hostile = dataclasses.replace(view.flagged[0], severity=PAYLOADS[1])
    markdown = render_markdown(report, dataclasses.replace(view, flagged=[hostile, *view.flagged[1:]]))
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    write_reports(report, tmp_path / "out", ("json",))
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    next(v for a in data["articles"] for v in a["versions"] if v["flags"])["flags"][0]["severity"] = PAYLOADS[1]
    (tmp_path / "edited.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="the report is damaged .*severity .* is not one of high, medium, low"):
        read_report(tmp_path / "edited.json")


def test_corpus_writes_index_and_one_safe_page_per_article(tmp_path: Path, example_dir: Path) -> None:
    """A corpus gets index.html ranking article × language and pages named safely after ids."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile_article(corpus)
    (corpus / "example").symlink_to(example_dir, target_is_directory=True)
    report = evaluate(load_inputs([corpus]).articles, Settings(bootstrap=0), mode="score")
    out = tmp_path / "out"
    written = write_reports(report, out, ("html",))
    names = sorted(str(p.relative_to(out)) for p in written)
    hostile_page = f"articles/{safe_name(report.articles[1].id)}.html"
    assert names == sorted(["report.html", "index.html", "articles/semarang-flood.html", hostile_page])
    assert all((out / n).resolve().is_relative_to(out.resolve()) for n in names)
    index = (out / "index.html").read_text(encoding="utf-8")
    links = [a["href"] for t, a in parse(index).tags if t == "a" and a.get("href", "").startswith("articles/")]
    assert len(links) == 7  # 5 example languages + 2 hostile ones
    assert any(link.startswith(hostile_page) for link in links)
    view = build_view(report)
    keys = [(not row.page, -row.high, -row.confidence, row.sort) for row in view.index]
    assert keys == sorted(keys), "worst first: a page-level high flag, high-severity flags, confidence, chrF++"
    assert view.index[0].high >= 1


def test_a_page_in_the_wrong_language_ranks_first(tmp_path: Path, example_dir: Path) -> None:
    """A "French" page entirely in English (one high, page-level wrong_language flag; its back-translation
    scores well) outranks versions with more high flags, in index.html and in the ranked flags of
    report.html, also when the pages are streamed (a corpus too large to hold); it stood in the middle."""
    import dataclasses
    import shutil

    from backtrans.report.streamed import StreamedView

    corpus = tmp_path / "corpus"
    shutil.copytree(example_dir, corpus / "example")
    english = corpus / "english-fr"
    shutil.copytree(example_dir, english)
    (english / "meta.json").unlink()
    for suffix in ("txt", "back.txt", "title.txt", "title.back.txt"):
        shutil.copy(english / f"en.{suffix}", english / f"fr.{suffix}")
    numbers = corpus / "numbers"  # an English version with two changed numbers: two high flags
    shutil.copytree(example_dir, numbers)
    (numbers / "meta.json").unlink()
    for name in ("en.txt", "en.back.txt"):
        text = (numbers / name).read_text(encoding="utf-8")
        text = text.replace("40,000", "14,000").replace("40.000", "14.000").replace("23 ", "32 ")
        (numbers / name).write_text(text, encoding="utf-8")
    report = evaluate(load_inputs([corpus]).articles, Settings(bootstrap=0), mode="score")
    view = build_view(report)
    first = view.index[0]
    assert (first.article, first.lang, first.page, first.high) == ("english-fr", "fr", True, 1)
    assert max(row.high for row in view.index) > first.high  # another version has more high flags
    top = view.flagged[0]
    assert (top.article, top.lang, top.code, top.severity, top.page) == (
        "english-fr",
        "fr",
        "wrong_language",
        "high",
        True,
    )
    assert top.chrf != "–"  # a flag about no pair shows (and ranks by) the version's chrF++
    assert [r.page for r in view.flagged].count(True) == 1
    streamed = StreamedView(tmp_path / "streamed", ())
    shell = dataclasses.replace(report, articles=())
    for index, article in enumerate(report.articles):
        streamed.add(index, article, shell)
    again = streamed.view(shell)
    assert [(r.article, r.lang) for r in again.index] == [(r.article, r.lang) for r in view.index]
    assert [(r.article, r.lang, r.code, r.segments) for r in again.flagged] == [
        (r.article, r.lang, r.code, r.segments) for r in view.flagged
    ]


def test_safe_names_never_collide_or_escape() -> None:
    """Ids that differ stay different files; none can climb out of the folder."""
    ids = ["a/b", "a_b", "a-b", "../../etc/passwd", "..", "CON", "ščř", "x" * 200, "ok-id_1.2"]
    names = [safe_name(i) for i in ids]
    assert len(set(names)) == len(names)
    assert all("/" not in n and "\\" not in n and not n.startswith(".") and n for n in names)
    assert safe_name("ok-id_1.2") == "ok-id_1.2"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch) -> None:
    """A failure before the rename leaves the previous report and no temporary file."""
    target = tmp_path / "report.html"
    write_atomic(target, "old")

    def broken(src, dst):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.html"]


def test_report_command_rerenders_without_models(example_dir: Path, tmp_path: Path, capsys) -> None:
    """`backtrans report` turns a saved report.json into the same pages."""
    with pytest.raises(SystemExit) as info:
        main(["score", str(example_dir), "--out", str(tmp_path / "a"), "-q"])
    assert info.value.code == 0
    with pytest.raises(SystemExit) as info:
        main(["report", str(tmp_path / "a" / "report.json"), "--out", str(tmp_path / "b"), "--format", "html,md", "-q"])
    assert info.value.code == 0
    for name in ("report.html", "report.md"):
        assert (tmp_path / "a" / name).read_text(encoding="utf-8") == (tmp_path / "b" / name).read_text(
            encoding="utf-8"
        )
    assert not (tmp_path / "b" / "report.json").exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 99}', encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["report", str(bad), "--out", str(tmp_path / "c")])
    assert info.value.code == 2
    assert "report schema 99 is not supported" in capsys.readouterr().err
    # a run's folder is taken as compare takes it (it said "cannot be read (Is a directory)")
    with pytest.raises(SystemExit) as info:
        main(["report", str(tmp_path / "a"), "--out", str(tmp_path / "d"), "--format", "html", "-q"])
    assert info.value.code == 0
    assert (tmp_path / "d" / "report.html").read_bytes() == (tmp_path / "a" / "report.html").read_bytes()
    with pytest.raises(SystemExit) as info:
        main(["report", str(tmp_path / "b"), "--out", str(tmp_path / "e")])
    assert info.value.code == 2
    assert f"{tmp_path / 'b' / 'report.json'}: cannot be read (No such file or directory)" in capsys.readouterr().err


def test_templates_read_only_fields_the_view_model_has(example_report) -> None:
    """The typed view model: a template that reads a field no dataclass has fails here, not in a browser."""
    import dataclasses

    import jinja2

    from backtrans.report import html

    view = build_view(example_report)
    with pytest.raises(jinja2.UndefinedError):
        html._environment().from_string("{{ v.counts.flagz }}").render(v=view)
    corpus = dataclasses.replace(view, corpus=True)
    pages = html.render_html(example_report, corpus)
    assert {"report.html", "index.html", view.articles[0].href} == set(pages)


def test_a_paragraph_in_the_wrong_language_is_on_its_rows(tmp_path: Path, example_dir: Path) -> None:
    """A paragraph of the French version left in English: the paragraph-level wrong_language flag is on
    every pair of that paragraph, in segments.csv's flags cell and as a badge in the side-by-side view
    (those rows had an empty cell and no badge)."""
    import csv
    import shutil

    folder = tmp_path / "article"
    shutil.copytree(example_dir, folder)
    paragraphs = {name: (folder / name).read_text(encoding="utf-8").split("\n\n") for name in ("fr.txt", "fr.back.txt")}
    english = {name: (folder / name).read_text(encoding="utf-8").split("\n\n") for name in ("en.txt", "en.back.txt")}
    for fr, en in (("fr.txt", "en.txt"), ("fr.back.txt", "en.back.txt")):
        paragraphs[fr][3] = english[en][3]
        (folder / fr).write_text("\n\n".join(paragraphs[fr]), encoding="utf-8")
    report = evaluate(load_inputs([folder]).articles, Settings(bootstrap=0), mode="score")
    french = report.articles[0].version("fr")
    (flag,) = [f for f in french.flags if f.code == "wrong_language"]
    assert flag.evidence["scope"] == "paragraph" and flag.severity == "medium"
    flagged = {k for k, pair in enumerate(french.pairs) if "wrong_language" in pair.flags}
    in_paragraph = {
        k
        for k, pair in enumerate(french.pairs)
        if any(i.startswith(f"{flag.evidence['paragraph']}.") for i in pair.version_ids)
    }
    assert flagged == in_paragraph and flagged
    write_reports(report, tmp_path / "out", ("csv", "html"))
    with (tmp_path / "out" / "segments.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lang"] == "fr" and "wrong_language" in r["flags"].split()]
    assert len(rows) == len(flagged)
    page = build_view(report).articles[0].versions
    badges = [p for v in page if v.lang == "fr" for p in v.pairs if "wrong_language" in p.flag_codes.split()]
    assert len(badges) == len(flagged)


def test_each_paragraph_takes_its_own_direction(tmp_path: Path, example_dir: Path) -> None:
    """An Arabic version with a paragraph left in Indonesian: that row reads left to right (the Arabic
    column forced right to left on every row, so ".tersebut" showed its full stop first)."""
    import shutil

    folder = tmp_path / "article"
    shutil.copytree(example_dir, folder)
    paragraphs = (folder / "ar.txt").read_text(encoding="utf-8").split("\n\n")
    back = (folder / "ar.back.txt").read_text(encoding="utf-8").split("\n\n")
    paragraphs[3] = " ".join(back[3].splitlines())  # the paragraph's Indonesian, sentence for sentence
    (folder / "ar.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    report = evaluate(load_inputs([folder]).articles, Settings(bootstrap=0), mode="score")
    (arabic,) = [v for v in build_view(report).articles[0].versions if v.lang == "ar"]
    rows = [p for p in arabic.pairs if p.version_ids]
    assert len(rows) == len(arabic.pairs) - sum(p.kind == "omitted" for p in arabic.pairs)
    latin = [p for p in rows if p.version_ids.startswith("4.")]
    assert latin and all(p.dir == "ltr" for p in latin)
    assert all(p.dir == "rtl" for p in rows if p not in latin)
    write_reports(report, tmp_path / "out", ("html",))
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.count('dir="ltr" lang="ar"') == len(latin)


def test_a_back_translation_that_splits_sentences_its_own_way_still_shows_the_version(
    tmp_path: Path, example_dir: Path
) -> None:
    """score with an en.back.txt from another MT system, which merges two sentences and splits another:
    no line per version segment, so every pair had empty version_ids and a blank version column. Each
    pair now shows the version's text of its paragraph."""
    import csv
    import shutil

    folder = tmp_path / "article"
    shutil.copytree(example_dir, folder)
    paragraphs = [p.splitlines() for p in (folder / "en.back.txt").read_text(encoding="utf-8").split("\n\n")]
    paragraphs[1] = [" ".join(paragraphs[1])]  # two sentences merged into one line
    first, rest = paragraphs[2][0].split(", ", 1)
    paragraphs[2] = [first + ".", rest, *paragraphs[2][1:]]  # one sentence split in two
    paragraphs[3] = [" ".join(paragraphs[3])]  # and two more merged
    (folder / "en.back.txt").write_text("\n\n".join("\n".join(p) for p in paragraphs), encoding="utf-8")
    report = evaluate(load_inputs([folder]).articles, Settings(bootstrap=0), mode="score")
    english = report.articles[0].version("en")
    assert english.origin is None  # the lines do not line up with the version's segments
    version = {s.id: s for s in english.segments}
    shown = [p for p in english.pairs if p.back]
    assert shown and all(p.version_ids for p in shown)
    for pair in shown:
        paragraphs_shown = {version[i].paragraph for i in pair.version_ids}
        assert len(paragraphs_shown) == 1
        (paragraph,) = paragraphs_shown
        assert pair.version_ids == tuple(s.id for s in english.segments if s.paragraph == paragraph)
        assert all(version[i].text in pair.version for i in pair.version_ids)
    write_reports(report, tmp_path / "out", ("csv",))
    with (tmp_path / "out" / "segments.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lang"] == "en" and r["back_translation"]]
    assert rows and all(r["version"] and r["version_ids"] for r in rows)


def test_word_differences_are_marked_on_flagged_rows_unless_asked_for_everywhere(
    tmp_path: Path, example_dir: Path
) -> None:
    """Marking every differing word on every row (fair paraphrases too) hid the real errors: rows without a
    flag keep their marks quiet (unstyled) until the version's "every row" box is ticked; the link label
    (1-1, 1-0, …) explains itself on hover."""
    report = evaluate(load_inputs([example_dir]).articles, Settings(bootstrap=0), mode="score")
    write_reports(report, tmp_path / "out", ("html",))
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")

    class Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.row: str | None = None
            self.marks: list[tuple[bool, bool]] = []  # (row flagged, mark quiet)
            self.toggles = 0
            self.links: list[str] = []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            attrs = dict(attrs)
            if tag == "tr":
                self.row = attrs.get("class") or ""
            elif tag in ("mark", "del") and self.row is not None and "term" not in (attrs.get("class") or ""):
                self.marks.append(("flagged" in self.row.split(), "quiet" in (attrs.get("class") or "").split()))
            elif tag == "input" and attrs.get("type") == "checkbox":
                self.toggles += 1
            elif tag == "abbr" and "link" in (attrs.get("class") or ""):
                self.links.append(attrs.get("title") or "")

    rows = Rows()
    rows.feed(html)
    assert rows.toggles == len(report.articles[0].versions)
    assert any(flagged for flagged, _ in rows.marks) and any(not flagged for flagged, _ in rows.marks)
    assert all(quiet == (not flagged) for flagged, quiet in rows.marks)
    assert "link 1-1: 1 source sentence(s) matched with 1 sentence(s) of the back-translation" in rows.links
    assert any(title.endswith("(omitted by the version)") for title in rows.links)
    assert ".version:has(.diff-toggle input:checked) mark.quiet" in html
