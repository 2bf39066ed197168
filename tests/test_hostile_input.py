"""Input a hostile but realistic user gives: each case is one clear line, or it works (issue 10, items 2, 3, 9, 10)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.errors import InputError, ModelUnavailableError
from backtrans.load.loading import load_inputs

SOURCE = "Warga mengungsi. Air naik.\n\nKPK memeriksa 12 saksi."
VERSION = "Residents fled. Water rose.\n\nKPK examined 12 witnesses."
BACK = "Warga mengungsi. Air naik.\n\nKPK memeriksa 12 saksi."


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def jsonl(tmp_path: Path, *records: dict[str, object], ensure_ascii: bool = False) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=ensure_ascii) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"])
def test_jsonl_lines_end_at_newline_only(tmp_path: Path, separator: str) -> None:
    """json.dumps(ensure_ascii=False) writes these raw inside strings; they are text, not line ends."""
    path = jsonl(tmp_path, {"id": "a", "texts": {"id": f"Satu{separator}dua.", "en": "One two."}})
    (article,) = load_inputs([path]).articles
    assert separator in article.source.text


def test_bad_jsonl_names_the_column_readably(tmp_path: Path) -> None:
    """The message says where the JSON breaks, without json's own half-sentence."""
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "texts": {"id": "unterminated}}\n', encoding="utf-8")
    with pytest.raises(
        InputError, match=r"in.jsonl:1: not valid JSON at column 29 \(Unterminated string starting at\)"
    ):
        load_inputs([path])


def test_lone_surrogate_is_refused_at_load_time_with_its_place(tmp_path: Path, capsys) -> None:
    """JSON's "\\ud800" is valid JSON but not text: refused before any work, naming line, field and position."""
    path = jsonl(tmp_path, {"id": "a", "texts": {"id": "Satu.\ud800", "en": "One."}}, ensure_ascii=True)
    out = tmp_path / "out"
    code, err = run_cli(["score", str(path), "--out", str(out)], capsys)
    assert code == 2
    assert "in.jsonl:1: texts.id holds a lone surrogate (U+D800) at character 5" in err
    assert "internal error" not in err and not out.exists()


@pytest.mark.parametrize("field", ["id", "url", "source_lang"])
def test_lone_surrogate_in_meta_json_is_refused(write_article, field: str) -> None:
    """meta.json strings are checked the same way."""
    meta = json.dumps({field: "x\udfff"})  # ensure_ascii keeps it as an escape in the file
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": VERSION, "meta.json": meta})
    with pytest.raises(InputError, match=f"meta.json: '{field}' holds a lone surrogate"):
        load_inputs([folder])


def test_names_that_are_not_utf8_are_shown_escaped_and_the_run_completes(tmp_path: Path, capsys) -> None:
    """A junk file and an article folder whose names are not UTF-8: the reports are written, names escaped."""
    corpus = tmp_path / "corpus"
    folder = Path(os.fsdecode(os.fsencode(corpus) + b"/caf\xe9"))
    folder.mkdir(parents=True)
    for name, text in (("id.txt", SOURCE), ("en.txt", VERSION), ("en.back.txt", BACK)):
        (folder / name).write_text(text, encoding="utf-8")
    (Path(os.fsdecode(os.fsencode(folder) + b"/\xff\xfe.txt"))).write_text("junk", encoding="utf-8")
    out = tmp_path / "out"
    code, err = run_cli(["score", str(corpus), "--out", str(out), "--bootstrap", "0"], capsys)
    assert code == 0, err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["articles"][0]["id"] == "caf\\xe9"
    assert any("\\xff\\xfe.txt: ignored" in w for w in report["warnings"])
    assert "\\xff\\xfe.txt: ignored" in err
    for path in out.rglob("*"):
        if path.is_file():
            path.read_text(encoding="utf-8")  # every report is valid UTF-8


@pytest.mark.parametrize("where", ["meta.json", "jsonl"])
def test_deeply_nested_json_is_one_line_naming_the_file(tmp_path: Path, write_article, where: str) -> None:
    """A RecursionError inside json becomes an InputError that names the file (and line)."""
    deep = "[" * 100_000 + "]" * 100_000
    if where == "jsonl":
        path = tmp_path / "in.jsonl"
        path.write_text('{"id": "a", "texts": {"id": "x", "en": "y"}, "z": ' + deep + "}\n", encoding="utf-8")
        expected = "in.jsonl:1: JSON nested too deeply"
    else:
        path = write_article("a", {"id.txt": SOURCE, "en.txt": VERSION, "meta.json": '{"x": ' + deep + "}"})
        expected = "meta.json: JSON nested too deeply"
    with pytest.raises(InputError, match=expected):
        load_inputs([path])


def test_empty_back_translation_names_the_back_file(write_article) -> None:
    """An empty en.back.txt is named as such, not as en.txt."""
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": VERSION, "en.back.txt": "  \n"})
    with pytest.raises(InputError, match=r"en\.back\.txt: the back-translation is empty"):
        load_inputs([folder])


def test_a_folder_named_like_a_text_file_is_named(write_article) -> None:
    """A directory called en.txt is not "no en.txt": the message says it is a folder."""
    folder = write_article("a", {"id.txt": SOURCE, "en.back.txt": BACK})
    (folder / "en.txt").mkdir()
    with pytest.raises(InputError, match=r"en\.txt: is a folder; an article's texts must be plain files"):
        load_inputs([folder])


def test_a_fifo_is_refused_instead_of_hanging(write_article) -> None:
    """Reading a named pipe would block forever."""
    folder = write_article("a", {"id.txt": SOURCE})
    os.mkfifo(folder / "en.txt")
    with pytest.raises(InputError, match="en.txt: is not a regular file"):
        load_inputs([folder])


def test_a_model_path_that_is_a_file_says_so(tmp_path: Path) -> None:
    """--model pointing at a file is not "does not exist"."""
    from backtrans.translate.backends.hub import resolve
    from backtrans.types import ModelRef

    weights = tmp_path / "model.bin"
    weights.write_bytes(b"x")
    with pytest.raises(ModelUnavailableError, match="model.bin is a file, not a folder"):
        resolve(ModelRef(str(weights)), offline=True)


def test_duplicate_jsonl_ids_give_jsonl_advice(tmp_path: Path) -> None:
    """Ids in a JSONL file are fixed in the JSONL, not in a meta.json."""
    path = jsonl(tmp_path, {"id": "a", "texts": {"id": "x", "en": "y"}}, {"id": "a", "texts": {"id": "x", "en": "y"}})
    with pytest.raises(InputError, match=r'give each JSONL line its own "id"'):
        load_inputs([path])


def test_an_article_with_only_its_source_is_named(write_article, tmp_path: Path, capsys) -> None:
    """Alone it is an error naming the folder; in a corpus it is skipped with a warning naming it."""
    lonely = write_article("lonely", {"id.txt": SOURCE})
    code, err = run_cli(["score", str(lonely), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and "lonely: only the source text, no version to check" in err
    corpus = tmp_path / "corpus"
    write_article("lonely", {"id.txt": SOURCE}, root=corpus)
    write_article("full", {"id.txt": SOURCE, "en.txt": VERSION, "en.back.txt": BACK}, root=corpus)
    code, err = run_cli(["score", str(corpus), "--out", str(tmp_path / "out2"), "--bootstrap", "0"], capsys)
    assert code == 0, err
    assert "lonely: only the source text, no version to check; skipped" in err


def test_an_oversized_text_file_is_refused(write_article, monkeypatch: pytest.MonkeyPatch) -> None:
    """A text file far larger than any article is refused before it is read into memory."""
    from backtrans.load import loading

    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 1000)
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": "x" * 2000})
    with pytest.raises(InputError, match=r"en\.txt: 2,000 bytes is more than an article file may hold \(1,000\)"):
        load_inputs([folder])


def test_report_json_with_its_pairs_removed_is_damaged_not_a_crash(example_dir: Path, tmp_path: Path, capsys) -> None:
    """`backtrans report` on an inconsistent report.json: exit 2 with what is wrong."""
    out = tmp_path / "out"
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    data["articles"][0]["versions"][0]["pairs"] = []
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data), encoding="utf-8")
    code, err = run_cli(["report", str(damaged), "--out", str(tmp_path / "again")], capsys)
    assert code == 2
    assert "the report is damaged (article 'semarang-flood' / ar: 0 pairs for" in err


@pytest.mark.parametrize("where", ["meta.json", "jsonl"])
def test_an_integer_of_thousands_of_digits_is_input_error_naming_the_file(
    tmp_path: Path, write_article, where: str
) -> None:
    """Python refuses to convert integers over 4,300 digits: that ValueError is bad input, not a crash."""
    huge = "9" * 5000
    if where == "jsonl":
        path = tmp_path / "in.jsonl"
        path.write_text('{"id": "a", "texts": {"id": "x", "en": "y"}, "n": ' + huge + "}\n", encoding="utf-8")
        expected = r"in.jsonl:1: not valid JSON \(Exceeds the limit"
    else:
        path = write_article("a", {"id.txt": SOURCE, "en.txt": VERSION, "meta.json": '{"n": ' + huge + "}"})
        expected = r"meta.json: not valid JSON \(Exceeds the limit"
    with pytest.raises(InputError, match=expected):
        load_inputs([path])


def _scored_report(example_dir: Path, tmp_path: Path, capsys) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "out"
    assert run_cli(["score", str(example_dir), "--out", str(out), "--bootstrap", "0"], capsys)[0] == 0
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda text: text.replace('"schema_version": 2', '"schema_version": "2"'),
            'schema_version "2" is not a whole',
        ),
        (lambda text: text.replace('"schema_version": 2', '"schema_version": ' + "9" * 5000), "Exceeds the limit"),
        (lambda text: text.replace('"verdict": "same"', '"verdict": "<b>dunno</b>"', 1), "unknown verdict '<b>dunno"),
        (lambda text: text.replace('"chrf": ', '"chrf": Infinity, "x": ', 1), "Infinity is not a JSON number"),
        (lambda text: text.replace('"chrf": ', '"chrf": NaN, "x": ', 1), "NaN is not a JSON number"),
    ],
    ids=["schema-as-string", "huge-integer", "unknown-verdict", "infinity", "nan"],
)
def test_a_damaged_report_json_is_refused_by_report_and_compare(
    damage, expected: str, example_dir: Path, tmp_path: Path, capsys
) -> None:
    """Issue 23, C1/F/H2: each damage is exit 2 with one line naming the file, from `report` and `compare`."""
    data = _scored_report(example_dir, tmp_path, capsys)
    text = json.dumps(data, indent=1)
    damaged = tmp_path / "damaged.json"
    damaged.write_text(damage(text), encoding="utf-8")
    assert damaged.read_text(encoding="utf-8") != text
    for args in (
        ["report", str(damaged), "--out", str(tmp_path / "again")],
        ["compare", str(tmp_path / "out"), str(damaged), "--out", str(tmp_path / "cmp")],
    ):
        code, err = run_cli(args, capsys)
        assert code == 2, err
        assert err.count("\n") == 1 and "damaged.json" in err and expected in err, err
        assert "internal error" not in err


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: record.update(result={}),
        lambda record: record["stats"]["fr"].update(chrf=[[1, 2, 3]]),
        lambda record: record.pop("stats"),
        lambda record: record.update(documents=[["id", "en", [1, 2]]]),
    ],
    ids=["empty-result", "stats-row-width", "stats-removed", "matrix-cell-width"],
)
def test_an_edited_articles_jsonl_is_computed_again_and_said_so(
    damage, example_dir: Path, tmp_path: Path, capsys
) -> None:
    """Issue 23, C1: a finished --out whose articles.jsonl was edited: the rerun with the same settings
    computes the article again (a warning says so) and writes what a fresh run writes."""
    out = tmp_path / "out"
    args = ["score", str(example_dir), "--out", str(out), "--bootstrap", "0", "--format", "json"]
    assert run_cli(args, capsys)[0] == 0
    fresh = (out / "articles.jsonl").read_text(encoding="utf-8")
    record = json.loads(fresh)
    damage(record)
    (out / "articles.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, err = run_cli(args, capsys)
    assert code == 0, err
    assert "the saved result of article 'semarang-flood' does not read back" in err
    assert "it was computed again" in err and "internal error" not in err
    assert (out / "articles.jsonl").read_text(encoding="utf-8") == fresh
    code, err = run_cli(args, capsys)  # and once mended, the next rerun reuses it quietly
    assert code == 0 and "does not read back" not in err


@pytest.mark.parametrize("text", ["\u200b\u200b", "\ufeff \u200d\u2060", "\x1b\x00", "\u202e\u200b"])
def test_a_version_that_shows_nothing_is_refused_like_an_empty_one(write_article, tmp_path: Path, text: str) -> None:
    """Issue 23, G: a version made only of zero-width, bidi or control characters is empty, in a folder or
    in JSONL, not scored as if it said something."""
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": text})
    with pytest.raises(InputError, match=r"en.txt: the text holds only invisible characters .* is empty"):
        load_inputs([folder])
    path = jsonl(tmp_path, {"id": "a", "texts": {"id": SOURCE, "en": text}})
    with pytest.raises(InputError, match=r"in.jsonl:1 \(texts.en\): the text holds only invisible"):
        load_inputs([path])


def test_control_characters_are_shown_and_formulas_behind_invisible_prefixes_neutralised(
    write_article, tmp_path: Path, capsys
) -> None:
    """Issue 23, G: an ESC sequence in a version reaches no report raw (HTML, CSV and Markdown show ␛), and a
    CSV cell that starts with U+200B or U+FEFF before `=` gets the apostrophe a plain `=` gets."""
    version = "\x1b[31mResidents fled.\x1b[0m Water rose.\n\nKPK examined 12 witnesses."
    back = '\u200b=HYPERLINK("http://x") Warga mengungsi. Air naik.\n\n\ufeff=1+1 KPK memeriksa 12 saksi.'
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": version, "en.back.txt": back})
    out = tmp_path / "out"
    code, err = run_cli(["score", str(folder), "--out", str(out), "--bootstrap", "0"], capsys)
    assert code == 0, err
    for name in ("report.html", "segments.csv", "report.md", "report.json"):
        text = (out / name).read_text(encoding="utf-8")
        if name == "report.json":
            assert "\\u001b[31m" in text  # the data keeps the text as it was
            continue
        assert "\x1b" not in text, name
    assert "␛[31mResidents fled.␛[0m" in (out / "report.html").read_text(encoding="utf-8")
    import csv

    with (out / "segments.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert any(cell.startswith("'\u200b=HYPERLINK(") for cell in cells)
    assert any(cell.startswith("'\ufeff=1+1") for cell in cells)
    assert not any(cell.lstrip("\u200b\ufeff").startswith("=") for cell in cells)


def test_bidi_controls_in_a_file_name_are_escaped_in_messages(write_article, tmp_path: Path, capsys) -> None:
    """Issue 23, H: a right-to-left override in a file name is printed as \\u202e, so the warning that names the
    file does not display reversed; no bidi control reaches stderr raw."""
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": VERSION, "en.back.txt": BACK})
    (folder / "notes\u202etxt.exe").write_text("x", encoding="utf-8")
    code, err = run_cli(["score", str(folder), "--out", str(tmp_path / "out"), "--bootstrap", "0"], capsys)
    assert code == 0, err
    assert "notes\\u202etxt.exe" in err
    assert not any(c in err for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def test_an_article_id_with_a_line_break_and_bidi_controls_stays_on_its_gate_line(tmp_path: Path, capsys) -> None:
    """Found by the fuzz test: an id "\\u202eid\\n" printed raw split the --fail-under line in two (and reversed it)."""
    path = tmp_path / "in.jsonl"
    texts = {"id": "Warga. Warga mengungsi.", "en": "Warga. Warga mengungsi."}
    records = [{"id": "\u202eid\n", "texts": texts}, {"id": "a1", "texts": texts, "back": texts}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, err = run_cli(["score", str(path), "--out", str(tmp_path / "out"), "--fail-under", "chrf=50"], capsys)
    assert code == 3
    assert all(line.startswith("backtrans: ") for line in err.splitlines()), err
    (gate,) = [line for line in err.splitlines() if "below gate" in line]
    assert "\u202e" not in gate and "\\u202e" in gate
