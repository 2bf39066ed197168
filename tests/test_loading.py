"""Loading article folders, corpus folders and JSONL, and every way input can be wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backtrans.errors import InputError
from backtrans.load.loading import load_inputs

SOURCE = "JAKARTA - Ini paragraf pertama.\n\nIni paragraf kedua."


def test_article_folder_reads_source_versions_titles_and_meta(write_article, example_dir: Path) -> None:
    """The bundled example loads with its meta id, headline, versions and back-translations."""
    loaded = load_inputs([example_dir])
    (article,) = loaded.articles
    assert article.id == "semarang-flood"
    assert article.source_lang == "id"
    assert article.source.title.startswith("Pemkot Semarang")
    assert [v.lang for v in article.versions] == ["ar", "en", "fr", "ja", "zh"]
    assert all(v.back and v.back_title for v in article.versions)
    assert article.url == "https://example.org/news/semarang-flood"
    assert loaded.warnings == ()


def test_folder_name_is_the_id_without_meta(write_article) -> None:
    """Without meta.json the folder name is the article id."""
    folder = write_article("berita-1", {"id.txt": SOURCE, "en.txt": "One.\n\nTwo."})
    (article,) = load_inputs([folder]).articles
    assert article.id == "berita-1"
    assert article.version("en").text == "One.\n\nTwo."


def test_corpus_folder_loads_every_article_in_order(write_article, tmp_path: Path) -> None:
    """A folder of article folders is a corpus; folders without texts are skipped with a warning."""
    corpus = tmp_path / "corpus"
    write_article("b", {"id.txt": SOURCE, "fr.txt": "Un."}, root=corpus)
    write_article("a", {"id.txt": SOURCE, "en.txt": "One."}, root=corpus)
    (corpus / "empty").mkdir()
    loaded = load_inputs([corpus])
    assert [a.id for a in loaded.articles] == ["a", "b"]
    assert any("empty" in w and "ignored" in w for w in loaded.warnings)


def test_unknown_files_are_ignored_with_a_warning_naming_them(write_article) -> None:
    """Files that are not ours are named in a warning; footers are skipped silently."""
    folder = write_article("a", {"id.txt": SOURCE, "en.txt": "One.", "notes.md": "x", "en.footer.txt": "AI disclaimer"})
    loaded = load_inputs([folder])
    assert len(loaded.warnings) == 1 and "notes.md" in loaded.warnings[0]


def test_jsonl_articles(tmp_path: Path) -> None:
    """One JSON object per line, with optional titles, back-translations and url."""
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "x1", "source_lang": "id", "texts": {"id": SOURCE, "en": "One."}, "titles": {"id": "Judul"}},
        {"id": "x2", "texts": {"id": SOURCE, "ja": "一。"}, "back": {"ja": "Satu."}, "url": "https://e.org/2"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    articles = load_inputs([path]).articles
    assert [a.id for a in articles] == ["x1", "x2"]
    assert articles[0].source.title == "Judul"
    assert articles[1].version("ja").back == "Satu."
    assert articles[1].url == "https://e.org/2"


def test_utf8_bom_and_utf16_are_read(write_article) -> None:
    """A UTF-8 BOM is dropped; UTF-16 with a BOM is decoded."""
    folder = write_article("a", {"id.txt": b"\xef\xbb\xbf" + SOURCE.encode(), "fr.txt": "Un été.".encode("utf-16")})
    (article,) = load_inputs([folder]).articles
    assert article.source.text.startswith("JAKARTA")
    assert article.version("fr").text == "Un été."


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"en.txt": "One."}, "no source text in 'id'"),
        ({"id.txt": "  \n\n ", "en.txt": "One."}, "id.txt: the text is empty"),
        ({"id.txt": SOURCE, "xx.txt": "?"}, "xx.txt: unknown language code 'xx'"),
        ({"id.txt": SOURCE, "id-ID.txt": "Lagi."}, "'id-ID' is the source language"),
        ({"id.txt": SOURCE, "en.txt": "One.", "EN.txt": "Again."}, "'en' is given twice"),
        ({"id.txt": SOURCE, "en.title.txt": "Title"}, "no en.txt"),
        ({"id.txt": SOURCE, "meta.json": "{not json"}, "meta.json: not valid JSON"),
        ({"id.txt": SOURCE, "en.txt": "One.", "en.title.txt": " "}, "the headline is empty"),
    ],
)
def test_bad_article_folders_name_the_file_and_what_is_wrong(write_article, files, expected) -> None:
    """Each kind of bad folder gives an InputError whose one-line message says what and where."""
    folder = write_article("bad", files)
    with pytest.raises(InputError) as info:
        load_inputs([folder])
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_undecodable_bytes_name_the_file_and_byte_offset(write_article) -> None:
    """Invalid UTF-8 is reported with the file and the exact byte offset."""
    folder = write_article("a", {"id.txt": b"Baik sekali \xff\xfe rusak.", "en.txt": "One."})
    with pytest.raises(InputError, match=r"id\.txt: not valid UTF-8 at byte offset 12 \(0xff\)"):
        load_inputs([folder])


def test_duplicate_article_ids_across_inputs(write_article, tmp_path: Path) -> None:
    """Two articles with one id is an error naming both places."""
    one = write_article("a", {"id.txt": SOURCE, "en.txt": "One."}, root=tmp_path / "c1")
    two = write_article("a", {"id.txt": SOURCE, "en.txt": "One."}, root=tmp_path / "c2")
    with pytest.raises(InputError, match="article id 'a' is also used by"):
        load_inputs([one, two])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{bad", ":1: not valid JSON"),
        ('{"texts": {"id": "x"}}', ':1: "id" is missing'),
        ('{"id": "a"}', ':1: "texts" is missing'),
        ('{"id": "a", "texts": {"id": "x", "klingon": "y"}}', "unknown language code 'klingon'"),
        ('{"id": "a", "texts": {"id": "x", "en": 3}}', "'texts' must be an object"),
        ('{"id": "a", "texts": {"en": "x"}}', "no source text in 'id'"),
    ],
)
def test_bad_jsonl_lines_name_file_and_line(tmp_path: Path, line: str, expected: str) -> None:
    """JSONL errors point at file:line."""
    path = tmp_path / "in.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_inputs([path])
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_duplicate_ids_inside_one_jsonl(tmp_path: Path) -> None:
    """Ids must be unique inside a JSONL file too."""
    path = tmp_path / "in.jsonl"
    row = json.dumps({"id": "same", "texts": {"id": "x", "en": "y"}})
    path.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"in\.jsonl:2: article id 'same' is also used by .*in\.jsonl:1"):
        load_inputs([path])


def test_missing_path_and_single_text_file(tmp_path: Path) -> None:
    """A path that does not exist, or a lone .txt file, is refused clearly."""
    with pytest.raises(InputError, match="no such file or folder"):
        load_inputs([tmp_path / "nope"])
    lone = tmp_path / "id.txt"
    lone.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a single file"):
        load_inputs([lone])


def test_meta_source_lang_overrides_default(write_article) -> None:
    """meta.json may say the source is English; then id.txt is a version."""
    folder = write_article(
        "a", {"en.txt": "One.", "id.txt": "Satu.", "meta.json": '{"source_lang": "en", "id": "eng"}'}
    )
    (article,) = load_inputs([folder]).articles
    assert article.source_lang == "en" and article.id == "eng"
    assert [v.lang for v in article.versions] == ["id"]


def test_a_resume_with_another_spelling_of_the_input_gives_the_same_report(
    example_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23, E: a run over `corpus` (relative) resumed over `/…/corpus` (absolute) writes what a fresh run
    writes: every article's origin is spelled one way, whatever the history of --out."""
    import shutil

    from backtrans.cli.commands import main

    corpus = tmp_path / "corpus"

    def copy(name: str) -> None:
        shutil.copytree(example_dir, corpus / name)
        meta = json.loads((corpus / name / "meta.json").read_text("utf-8"))
        (corpus / name / "meta.json").write_text(json.dumps({**meta, "id": name}), "utf-8")

    copy("a-first")
    monkeypatch.chdir(tmp_path)

    def score(inputs: str, out: str) -> list[str]:
        with pytest.raises(SystemExit) as info:
            main(["score", inputs, "--out", out, "--bootstrap", "0", "--format", "json", "-q"])
        assert info.value.code == 0, capsys.readouterr().err
        return [a["origin"] for a in json.loads((tmp_path / out / "report.json").read_text("utf-8"))["articles"]]

    score("corpus", "out")  # relative, one article
    copy("b-second")
    resumed = score(str(corpus), "out")  # absolute: the first article comes from the journal
    fresh = score("./corpus/../corpus", "fresh")
    assert resumed == fresh == [str(corpus / "a-first"), str(corpus / "b-second")]
