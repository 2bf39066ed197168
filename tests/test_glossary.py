"""The glossary: CSV and TBX read and refused, terms found by stem and renderings by script, the
``glossary_term`` flag on the bundled example, and what it does to the name and term rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backtrans.cli.commands import main
from backtrans.errors import InputError
from backtrans.flag._glossary_match import rendered, terms_in
from backtrans.flag.glossary import Entry, Glossary, glossaries_in_meta, load_glossaries

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_GLOSSARY = ROOT / "examples" / "glossary.csv"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code), capsys.readouterr().err


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="id">
 <text><body>
  <termEntry id="c1">
   <descrip type="definition">the disaster agency</descrip>
   <langSet xml:lang="id"><tig><term>Badan Nasional Penanggulangan Bencana</term></tig></langSet>
   <langSet xml:lang="en">
    <tig><term>National Disaster Management Agency</term></tig>
    <tig><term>National Disaster Agency</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
   </langSet>
   <langSet xml:lang="fr"><tig><term>Agence nationale de gestion des catastrophes</term></tig></langSet>
  </termEntry>
  <termEntry id="c2">
   <langSet xml:lang="id"><tig><term>KPK</term><termNote type="translatable">no</termNote></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""


def test_csv_columns_renderings_note_and_do_not_translate(tmp_path: Path) -> None:
    """A CSV row gives the term, each language's renderings split at |, the note and do_not_translate."""
    path = write(
        tmp_path,
        "g.csv",
        "term,en,zh-Hans,note,do_not_translate\n"
        'banjir rob,tidal flood | tidal flooding,潮汐洪水,"high tide, not rivers",\n'
        "\n"
        "KPK,,,,yes\n",
    )
    glossary = load_glossaries([path], "id")
    assert glossary is not None
    rob, kpk = glossary.entries
    assert rob.renderings == {"en": ("tidal flood", "tidal flooding"), "zh-Hans": ("潮汐洪水",)}
    assert rob.note == "high tide, not rivers" and not rob.keep and rob.origin.endswith("g.csv:2")
    assert rob.accepted("zh-Hans") == ("潮汐洪水",) and rob.accepted("fr") == ()
    assert kpk.keep and kpk.accepted("ar") == ("KPK",) and kpk.origin.endswith("g.csv:4")
    assert len(glossary.hash) == 64 and glossary.record()["entries"] == 2


def test_tbx_basic_terms_deprecated_and_translatable(tmp_path: Path) -> None:
    """TBX-Basic: the source langSet gives the term, a deprecated rendering is not accepted, translatable=no keeps it."""
    glossary = load_glossaries([write(tmp_path, "g.tbx", TBX)], "id")
    assert glossary is not None
    agency, kpk = glossary.entries
    assert agency.term == "Badan Nasional Penanggulangan Bencana"
    assert agency.renderings == {
        "en": ("National Disaster Management Agency",),
        "fr": ("Agence nationale de gestion des catastrophes",),
    }
    assert agency.note == "the disaster agency"
    assert kpk.keep and kpk.accepted("en") == ("KPK",)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("g.csv", "term,en,xx\nbanjir,flood,\n", "g.csv:1: unknown column 'xx'"),
        ("g.csv", "term,en,id\nbanjir,flood,banjir\n", "g.csv:1: the column 'id' is the source language"),
        ("g.csv", "word,en\nbanjir,flood\n", "g.csv:1: the first column must be 'term'"),
        ("g.csv", "term,en\nbanjir,flood\n ,inundation\n", "g.csv:3: the term is empty"),
        ("g.csv", "term,en\nbanjir,\n", "g.csv:2: the term 'banjir' has no rendering"),
        (
            "g.csv",
            "term,en\nbanjir,flood\nrob,tide\nBanjir,inundation\n",
            "g.csv:4: the term 'Banjir' is also defined at",
        ),
        ("g.csv", "term,en,note,do_not_translate\nKPK,,,maybe\n", "g.csv:2: do_not_translate must be yes or no"),
        ("g.csv", b"term,en\nbanjir,flood\nrob,t\xe9de\n", "g.csv:3: not UTF-8 (byte 0xe9"),
        ("g.tbx", "<martif>\n<text><body>\n<termEntry></langSet>\n", "g.tbx:3: not well-formed XML"),
        (
            "g.tbx",
            '<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY a "aaaa">\n]>\n<martif>&a;</martif>\n',
            "g.tbx:3: entity declarations are refused",
        ),
        (
            "g.tbx",
            '<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n<martif>&x;</martif>',
            "g.tbx:3: entity declarations are refused",
        ),
        ("g.tbx", "<martif>&undeclared;</martif>", "g.tbx:1: not well-formed XML (undefined entity"),
        ("g.tbx", "<html><body/></html>", "g.tbx:1: <html> is not a TBX file"),
        ("g.tbx", "<martif>" + "<a>" * 20000 + "</a>" * 20000 + "</martif>", "g.tbx:1: elements nested more than 100"),
        (
            "g.tbx",
            '<martif><termEntry><langSet xml:lang="qq"><tig><term>a</term></tig></langSet></termEntry></martif>',
            "g.tbx:1: unknown language 'qq'",
        ),
        (
            "g.tbx",
            '<martif><termEntry>\n<langSet xml:lang="en"><tig><term>a</term></tig></langSet></termEntry></martif>',
            "g.tbx:1: the entry has no 'id' term",
        ),
    ],
)
def test_bad_glossaries_are_refused_naming_file_and_line(tmp_path: Path, name, content, expected) -> None:
    """Every kind of bad glossary is an InputError naming the file and the line."""
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        load_glossaries([path], "id")
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_a_term_twice_across_files_with_other_renderings_is_refused(tmp_path: Path) -> None:
    """The same term in two files: fine when they agree, refused (naming both places) when they do not."""
    a = write(tmp_path, "a.csv", "term,en\nbanjir rob,tidal flood\n")
    b = write(tmp_path, "b.csv", "term,en\nBanjir  Rob,tidal flood\n")
    c = write(tmp_path, "c.csv", "term,en\nbanjir rob,coastal flood\n")
    merged = load_glossaries([a, b], "id")
    assert merged is not None and len(merged.entries) == 1
    with pytest.raises(InputError, match=r"c\.csv:2: the term 'banjir rob' is also defined at .*a\.csv:2"):
        load_glossaries([a, c], "id")


def test_the_cli_refuses_a_bad_glossary_with_one_line_and_exit_2(example_dir: Path, tmp_path: Path, capsys) -> None:
    """Bad glossary input is bad input: exit 2, one line naming the file and line, no traceback."""
    bad = write(tmp_path, "g.csv", "term,en,klingon\nbanjir,flood,x\n")
    code, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out"), "--glossary", str(bad)], capsys)
    assert code == 2
    assert "g.csv:1: unknown column 'klingon'" in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def _glossary(*entries: Entry) -> Glossary:
    return Glossary(tuple(entries), (), "test")


def test_terms_are_found_by_stem_and_acronyms_by_case() -> None:
    """Indonesian inflection (kebanjiran rob ~ banjir rob) counts; an acronym only in upper case."""
    glossary = _glossary(Entry("banjir rob", {"en": ("tidal flood",)}), Entry("AS", {"en": ("US",)}, keep=False))
    assert [e.term for e in terms_in(glossary, "Warga Kebanjiran rob lagi.", "id")] == ["banjir rob"]
    assert terms_in(glossary, "Banjir sungai dan rob.", "id") == []
    assert [e.term for e in terms_in(glossary, "Presiden AS datang.", "id")] == ["AS"]
    assert terms_in(glossary, "seperti as roda", "id") == []


@pytest.mark.parametrize(
    ("rendering", "text", "lang", "verbatim", "found"),
    [
        ("tidal flood", "Tidal  floods hit the coast", "en", False, True),
        ("sea wall", "a new sea-wall", "en", False, True),
        ("inondation côtière", "les inondations côtières", "fr", False, True),
        ("flood", "floodgates opened", "en", False, False),
        ("KPK", "the kpk said", "en", True, False),
        ("KPK", "the KPK said", "en", True, True),
        ("世界银行", "资金来自世界银行贷款", "zh", False, True),
        ("ＢＭＫＧ", "气象局（BMKG）警告", "zh", False, True),
        ("世界銀行", "世界銀行からの融資", "ja", False, True),
        ("البنك الدولي", "قرض من البنكِ الدوليّ", "ar", False, True),
        ("البنك الدولي", "وللبنك الدولي دور", "ar", False, True),
        ("فيضانات المد", "فيضانات المدينة", "ar", False, False),
    ],
)
def test_renderings_are_found_by_script(rendering, text, lang, verbatim, found) -> None:
    """Latin: whole words, case-blind, plurals; CJK: anywhere; Arabic: with or without diacritics, after clitics."""
    assert rendered(rendering, text, lang, verbatim) is found


def test_the_example_glossary_catches_the_planted_term(example_dir: Path, tmp_path: Path, capsys) -> None:
    """examples/glossary.csv: BMKG (do not translate) is gone from the Arabic version, where the name rule said
    it before; with the glossary the flag is glossary_term, read from the version itself, once."""
    out = tmp_path / "out"
    code, err = run_cli(["score", str(example_dir), "--out", str(out), "--glossary", str(EXAMPLE_GLOSSARY)], capsys)
    assert code == 0, err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    versions = {v["lang"]: v for v in report["articles"][0]["versions"]}
    glossary_flags = [(lang, f) for lang, v in versions.items() for f in v["flags"] if f["code"] == "glossary_term"]
    assert [(lang, f["segments"], f["evidence"]["term"]) for lang, f in glossary_flags] == [
        ("ar", ["5.1"], "BMKG"),
        ("fr", ["3.1"], "banjir rob"),
    ]
    ar_flag = glossary_flags[0][1]
    assert ar_flag["evidence"]["do_not_translate"] is True
    assert ar_flag["confidence"] >= 0.95 and ar_flag["shown"] is True  # it reads the version itself
    assert ar_flag["evidence"]["version"].startswith("وحذرت الوكالة الوطنية")  # what the version has instead
    assert not [f for f in versions["ar"]["flags"] if f["code"] == "name_mismatch"]
    signature = report["signature"]["glossary"]
    assert signature["files"] == ["glossary.csv"] and signature["entries"] == 3 and len(signature["sha256"]) == 64


def test_without_a_glossary_the_name_rule_flags_it(example_dir: Path, tmp_path: Path, capsys) -> None:
    """The same run without --glossary: the Arabic loss of BMKG is a name_mismatch, and nothing is glossary_term."""
    code, err = run_cli(["score", str(example_dir), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    flags = [(v["lang"], f["code"]) for v in report["articles"][0]["versions"] for f in v["flags"]]
    assert ("ar", "name_mismatch") in flags and not any(code == "glossary_term" for _, code in flags)
    assert report["signature"]["glossary"] == {}


def test_an_accepted_rendering_is_no_name_mismatch(write_article, tmp_path: Path, capsys) -> None:
    """A version that renders a name as the glossary accepts (its back-translation lost it) is not flagged."""
    source = "Kepala Basarnas Kusworo memimpin pencarian di Selat Sunda."
    folder = write_article(
        "a1",
        {
            "id.txt": source,
            "en.txt": "The head of the National Search and Rescue Agency, Kusworo, led the search in the Sunda Strait.",
            "en.back.txt": "Kepala badan pencarian nasional Kusworo memimpin pencarian di Selat Sunda.",
            "fr.txt": "Le chef de Basarnas, Kusworo, a dirigé les recherches dans le détroit de la Sonde.",
            "fr.back.txt": "Kepala Basarnas Kusworo memimpin pencarian di Selat Sunda.",
            "ja.txt": "Basarnasのクスウォロ長官はスンダ海峡で捜索を指揮した。",
            "ja.back.txt": "Kepala Basarnas Kusworo memimpin pencarian di Selat Sunda.",
        },
    )
    glossary = write(tmp_path, "g.csv", "term,en\nBasarnas,National Search and Rescue Agency|Basarnas\n")

    def flags(*extra: str) -> list[tuple[str, str]]:
        out = tmp_path / f"out{len(extra)}"
        code, err = run_cli(["score", str(folder), "--out", str(out), *extra], capsys)
        assert code == 0, err
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return [(v["lang"], f["code"]) for v in report["articles"][0]["versions"] for f in v["flags"]]

    assert ("en", "name_mismatch") in flags()
    assert flags("--glossary", str(glossary)) == []


def test_a_corpus_folder_meta_names_its_glossary(example_dir: Path, tmp_path: Path, capsys) -> None:
    """A corpus folder's meta.json "glossary" is used like --glossary (relative to the folder)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(example_dir, corpus / "semarang-flood")
    shutil.copy(EXAMPLE_GLOSSARY, corpus / "terms.csv")
    (corpus / "meta.json").write_text(json.dumps({"glossary": "terms.csv"}), encoding="utf-8")
    assert glossaries_in_meta([corpus]) == [corpus / "terms.csv"]
    code, err = run_cli(["score", str(corpus), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["signature"]["glossary"]["files"] == ["terms.csv"]
    (corpus / "meta.json").write_text(json.dumps({"glossary": 3}), encoding="utf-8")
    code, err = run_cli(["score", str(corpus), "--out", str(tmp_path / "out2")], capsys)
    assert code == 2 and "meta.json: 'glossary' must be a file name" in err


def test_a_glossary_changes_no_translation(example_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    """`run` with a glossary translates nothing anew: every translation comes from the cache the run without it
    filled, and the back-translations are the same."""
    monkeypatch.setenv("BACKTRANS_BACKEND", "fake")
    first, second = tmp_path / "first", tmp_path / "second"
    code, err = run_cli(["run", str(example_dir), "--out", str(first), "--langs", "en,fr"], capsys)
    assert code == 0, err
    args = ["run", str(example_dir), "--out", str(second), "--langs", "en,fr", "--glossary", str(EXAMPLE_GLOSSARY)]
    code, err = run_cli(args, capsys)
    assert code == 0, err
    report = json.loads((second / "report.json").read_text(encoding="utf-8"))
    (translation,) = [c for c in report["costs"] if c["stage"] == "translation"]
    assert translation["computed"] == 0 and translation["cached"] == translation["items"] > 0
    for lang in ("en", "fr"):
        back = f"back/semarang-flood/{lang}.txt"
        assert (first / back).read_text(encoding="utf-8") == (second / back).read_text(encoding="utf-8")


def test_a_term_the_glossary_knows_is_no_changed_term() -> None:
    """changed_term on a glossary term: dropped when the version renders it as accepted, and when it does not
    (glossary_term says so, once); a word the glossary does not know keeps its flag."""
    from backtrans.flag._glossary_match import respect_glossary
    from backtrans.flag.common import VersionView
    from backtrans.text.segment import join_segments
    from backtrans.types import Flag, Link, Segment

    def join(texts):  # type: ignore[no-untyped-def]
        return join_segments(texts, "id")

    source = [Segment(1, 1, "Warga membangun tanggul laut dan rumah pompa di pesisir.")]
    glossary = _glossary(Entry("tanggul laut", {"en": ("sea wall", "seawall")}))

    def judged(version: str, word: str) -> list[str]:
        view = VersionView(
            "en",
            (Segment(1, 1, version),),
            (Segment(1, 1, "Warga membangun bendungan laut dan stasiun pompa di pesisir."),),
            (0,),
            (Link((0,), (0,)),),
            (None,),
        )
        flag = Flag("changed_term", "medium", "m", ("1.1",), {"source_word": word, "back_word": "bendungan"})
        out = {"en": [(flag, 0)]}
        respect_glossary(glossary, [view], source, "id", join, out)
        return [f.code for f, _ in out["en"]]

    assert judged("Residents built a sea wall and pumping stations on the coast.", "tanggul") == []
    assert judged("Residents built a sea barrier and pumping stations on the coast.", "tanggul") == []
    assert judged("Residents built a sea wall and water stations on the coast.", "rumah") == ["changed_term"]
