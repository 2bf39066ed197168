"""The classes of errors real AI versions contain, each flagged on realistic (noisy) back-translations.

Most cases come from the development set (tests/data/dev/: articles written in the style of real
Indonesian news, versions with planted errors, back-translations as noisy as real MT); the rest are
small constructed cases for one behaviour each. Every false alarm the old rules raised has a case here.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from functools import cache
from pathlib import Path

import pytest

from backtrans.config import Settings, Thresholds
from backtrans.flag._acronyms import definitions
from backtrans.flag._names import Name, name_found, source_names
from backtrans.flag._terms import lower_words, replacement_word
from backtrans.flag._words import stem
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.report._view import build_view
from backtrans.types import ArticleResult, Flag, Report

DEV = Path(__file__).parent / "data" / "dev"


@cache
def dev_article(name: str) -> ArticleResult:
    return evaluate(load_inputs([DEV / "articles" / name]).articles, Settings(bootstrap=0), mode="score").articles[0]


def flags_in(article: ArticleResult, lang: str, paragraph: int, code: str | None = None) -> list[Flag]:
    return [
        f
        for f in article.version(lang).flags
        if any(int(s.split(".")[0]) == paragraph for s in f.segments) and (code is None or f.code == code)
    ]


def report_for(tmp_path: Path, record: dict) -> Report:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "source_lang": "id", **record}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return evaluate(load_inputs([path]).articles, Settings(bootstrap=0), mode="score")


# ---- a page in the wrong language ------------------------------------------------------------------


@pytest.mark.parametrize("langs", [("fr",), ("fr", "ja"), ("ar", "en", "fr", "ja", "zh")])
def test_an_english_page_saved_as_french_is_one_high_wrong_language_flag(
    tmp_path: Path, langs: tuple[str, ...]
) -> None:
    """English is always a candidate language, whatever the run's versions; the page gets that flag only."""
    folder = tmp_path / "article"
    shutil.copytree(DEV / "articles" / "b-garut-earthquake", folder)
    for suffix in (".txt", ".title.txt", ".back.txt", ".title.back.txt"):
        shutil.copy(folder / f"en{suffix}", folder / f"fr{suffix}")
    articles = load_inputs([folder]).articles
    report = evaluate(articles, Settings(bootstrap=0, langs=langs), mode="score")
    fr = report.articles[0].version("fr")
    assert [(f.code, f.severity, f.evidence["detected"]) for f in fr.flags] == [("wrong_language", "high", ["en"])]


def test_a_paragraph_left_in_indonesian_inside_a_japanese_quote_is_untranslated() -> None:
    """Latin-script source-language text inside a translated paragraph."""
    article = dev_article("d-galih-reza-juara-australian-open")
    assert flags_in(article, "ja", 6, "untranslated")


# ---- names -------------------------------------------------------------------------------------------


def test_a_group_replaced_by_another_entity_is_flagged() -> None:
    """JMBN became "the Islamic State group" in English; the other versions keep it: high."""
    article = dev_article("c-densus88-jaringan-jmbn")
    (flag,) = flags_in(article, "en", 1, "name_mismatch")
    assert flag.evidence["name"] == "JMBN" and flag.severity == "high"


def test_an_acronym_expanded_into_another_organisation_is_flagged() -> None:
    """BPK (the audit board) spelled out as "Indonesian Bankers Association (BPK)"."""
    article = dev_article("a-kejagung-bumn-pengering-gabah")
    assert any(f.evidence["name"] == "BPK" for f in flags_in(article, "en", 7, "name_mismatch"))


def test_an_acronym_kept_but_spelled_out_as_another_known_body_is_flagged() -> None:
    """BPKP (the finance supervisory agency) back as "Badan Pemeriksa Keuangan Tertinggi (BPKP)": the
    acronym survives, but what it is called now is BPK, the audit board, another institution."""
    article = dev_article("a-banding-eks-kadinkes-parepare")
    (flag,) = flags_in(article, "ar", 7, "name_mismatch")
    assert flag.evidence["name"] == "BPKP" and flag.severity == "high"


def test_a_body_named_before_another_defined_body_stays_a_name_of_its_own() -> None:
    """ "BNPT dan Badan Intelijen Negara (BIN)": BIN's long form does not swallow BNPT, so the Arabic
    version that turned BNPT into the narcotics agency is flagged for BNPT."""
    article = dev_article("c-densus88-jaringan-jmbn")
    lost = {f.evidence["name"] for f in flags_in(article, "ar", 10, "name_mismatch")}
    assert "BNPT" in lost and "BIN" not in lost  # (JMBN, back as "the group", is lost too)
    assert definitions("bekerja sama dengan BNPT dan Badan Intelijen Negara (BIN) untuk") == {
        "BIN": ("Badan", "Intelijen", "Negara")
    }
    assert definitions("Badan Meteorologi, Klimatologi, dan Geofisika (BMKG)") == {
        "BMKG": ("Badan", "Meteorologi", "Klimatologi", "Geofisika")
    }
    assert definitions("Kepala Pelaksana Badan Penanggulangan Bencana Daerah (BPBD) Kalsel") == {
        "BPBD": ("Badan", "Penanggulangan", "Bencana", "Daerah")
    }


@pytest.mark.parametrize(
    ("source", "back", "acronym"),
    [
        # a long form translated through English, not another body
        ("rasio Giro Wajib Minimum (GWM) rupiah", "rasio Persyaratan Cadangan Wajib (GWM) rupiah", "GWM"),
        (
            "Kepala Badan Siber dan Sandi Negara (BSSN) hadir",
            "kepala Badan Siber dan Kriptografi Nasional (BSSN)",
            "BSSN",
        ),
        # a place attached to the long form is not another body (Kalsel is in the acronym table)
        (
            "Badan Penanggulangan Bencana Daerah (BPBD) Kalimantan Selatan",
            "Badan Penanggulangan Bencana Daerah Kalimantan Selatan (BPBD)",
            "BPBD",
        ),
        # a rendering the acronym table allows, next to the acronym
        (
            "Hasil audit Badan Pemeriksa Keuangan (BPK) menemukan",
            "Audit Mahkamah Audit Indonesia (BPK) menemukan",
            "BPK",
        ),
        # one capitalised word before the acronym is a place, not a long form
        ("ditahan di Rumah Tahanan (Rutan) Salemba", "ditahan di pusat penahanan Salemba (Rutan)", "Rutan"),
        ("Bank Indonesia (BI) memutuskan", "Jakarta - Bank sentral Indonesia (BI) memutuskan", "BI"),
        # the table's national bodies, spelled out
        ("kata Aswin di Mabes Polri, Jakarta", "kata Aswin di Markas Besar Kepolisian Nasional, Jakarta", "Polri"),
        # the body's own name in another language, whose initials spell the acronym
        (
            "Dikutip dari laman resmi Federasi Bulu Tangkis Dunia (BWF), peringkat",
            "Dikutip dari situs resmi Badminton World Federation (BWF), peringkat",
            "BWF",
        ),
        # shortened under its own kind, beside another body of the same words ("Badan … Bencana")
        (
            "Badan Nasional Penanggulangan Bencana (BNPB) dan Badan Penanggulangan Bencana Daerah (BPBD) Cianjur",
            "Badan Nasional Penanggulangan Bencana (BNPB) dan Badan Penanggulangan Bencana (BPBD) Cianjur",
            "BPBD",
        ),
        # another kind's word for the same ministry, beside an office of another kind ("Dinas Kesehatan")
        (
            "Kementerian Kesehatan (Kemenkes) meminta Dinas Kesehatan (Dinkes) Sleman memeriksa",
            "Departemen Kesehatan (Kemenkes) meminta Dinas Kesehatan (Dinkes) Sleman memeriksa",
            "Kemenkes",
        ),
        # the body's own long form under its international acronym is the same body
        ("Bursa Efek Indonesia (BEI) menghentikan perdagangan", "Bursa Efek Indonesia (IDX) menghentikan", "BEI"),
    ],
)
def test_an_acronym_rendered_freely_or_as_the_table_allows_is_kept(source: str, back: str, acronym: str) -> None:
    (name,) = [n for n in source_names(source) if n.surface == acronym]
    assert name_found(name, back, "", False, definitions(source), Thresholds().name_fuzzy, source)


@pytest.mark.parametrize(
    ("source", "back", "acronym"),
    [
        # an Indonesian expansion made up from the acronym's letters is another body, initials or not
        ("Komisi Pemberantasan Korupsi (KPK) menahan", "Komisi Pemilihan Kota (KPK) menahan", "KPK"),
        (
            "Badan Pengawasan Keuangan dan Pembangunan (BPKP) menghitung",
            "Badan Pemeriksa Keuangan Pusat (BPKP) menghitung",
            "BPKP",
        ),
        # spelled out in the words of another body the article defines, under that body's kind
        (
            "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah (LKPP) menyurati Komisi Pengawas Persaingan Usaha "
            "(KPPU) soal tender itu.",
            "Komisi Pengawas (LKPP) mengirim surat kepada Komisi Pengawas Persaingan Usaha (KPPU) soal tender itu.",
            "LKPP",
        ),
        # another acronym the article never writes, its long form of the same kind without the source's words:
        # the foreign regulator standing in the Indonesian one's place
        (
            "Badan Pengawas Obat dan Makanan (BPOM) menarik sirup itu dari peredaran.",
            "Badan Pengawas Obat (FDA) menarik sirup itu dari peredaran.",
            "BPOM",
        ),
    ],
)
def test_an_expansion_made_up_from_the_letters_is_another_body(source: str, back: str, acronym: str) -> None:
    (name,) = [n for n in source_names(source) if n.surface == acronym]
    assert not name_found(name, back, "", False, definitions(source), Thresholds().name_fuzzy, source)


def test_an_office_before_a_defined_long_form_is_no_name() -> None:
    """ "Juru Bicara" before "Komisi Pemberantasan Korupsi (KPK)" is a title: neither part of the long form
    nor a name to look for."""
    source = "kata Juru Bicara Komisi Pemberantasan Korupsi (KPK) Ali Fikri."
    assert [n.surface for n in source_names(source)] == ["KPK", "Ali Fikri"]
    assert definitions(source) == {"KPK": ("Komisi", "Pemberantasan", "Korupsi")}


def test_a_long_form_of_skipped_words_defines_nothing() -> None:
    """ "De (ZZ)" (a connector only) is no definition, and judging another acronym beside it does not fail."""
    source = "Badan Siber Nusantara (XY) bertemu De (ZZ) di Jakarta."
    assert definitions(source) == {"XY": ("Badan", "Siber", "Nusantara")}
    (name,) = [n for n in source_names(source) if n.surface == "XY"]
    assert name_found(name, "Badan Siber Nusantara (XY) bertemu", "", False, definitions(source), 80)


def test_the_dollar_is_a_currency_not_a_name() -> None:
    """ "per dolar AS" is the number's unit (the number check's), as "US$" is."""
    for text in ("Rp15.020 per dolar AS. Amerika Serikat", "Rp15.020 per dolar\u00a0AS. Amerika Serikat"):
        assert [n.surface for n in source_names(text)] == ["Amerika Serikat"]


def test_a_dropped_news_agency_is_a_name_flag() -> None:
    """ "Dikutip dari Reuters" dropped (zh) or swapped for AFP (fr)."""
    article = dev_article("c-menlu-kanada-ic-cepa")
    for lang in ("zh", "fr"):
        assert any(f.evidence["name"] == "Reuters" for f in flags_in(article, lang, 6, "name_mismatch"))


def test_transliteration_wobble_is_not_a_lost_name() -> None:
    """Syarifuddin/Sharifuddin, Hasan/Hassan, Mas'ud/Masudo, Galih/Gari, Nu'man/Numan survive the round trip."""
    for wanted, back in [
        ("Syarifuddin", "Sharifuddin"),
        ("Hasan", "Hassan"),
        ("Mas'ud", "Masudo"),
        ("Galih", "Gari"),
        ("Nu'man", "Numan"),
    ]:
        assert name_found(Name(wanted, (wanted,)), f"kata {back} kemarin", "", False, {}, 80.0), (wanted, back)
    assert not name_found(Name("Ghufron", ("Ghufron",)), "kata Ali Fikri kemarin", "", False, {}, 80.0)


def test_acronyms_kept_spelled_out_or_inside_cjk_text() -> None:
    """Kept verbatim in any script, spelled out as the source defines it, or as the common table allows."""
    kpk = Name("KPK", ("KPK",), acronym=True)
    defined = {"KPK": ("Komisi", "Pemberantasan", "Korupsi")}
    assert name_found(kpk, "komisi itu memeriksa", "印尼KPK表示", False, {}, 80.0)
    assert name_found(kpk, "komisi itu memeriksa", "KPKの調べによると", False, {}, 80.0)
    assert name_found(kpk, "Komisi Pemberantasan Korupsi memeriksa", "", False, defined, 80.0)
    assert not name_found(kpk, "Partai Komunis Korea memeriksa", "", False, defined, 80.0)
    assert name_found(Name("AS", ("AS",), acronym=True), "kunjungan ke Amerika Serikat", "", False, {}, 80.0)


def test_a_dateline_and_titles_are_not_names() -> None:
    """ "JAKARTA -" opens the article; ranks are translated freely."""
    names = [n.surface for n in source_names("JAKARTA - Kombes Pol Andika Saputra menangkap 14 orang.")]
    assert names == ["Andika Saputra"]


# ---- key terms -------------------------------------------------------------------------------------


def test_a_key_term_read_in_another_sense_is_flagged_with_the_word_pair() -> None:
    """ "pelantikan" (inauguration) back as "pelatihan" (training) while every other version keeps it."""
    article = dev_article("c-sulbar-gubernur-pelantikan")
    (flag,) = flags_in(article, "en", 1, "changed_term")
    assert (flag.evidence["source_word"], flag.evidence["back_word"]) == ("pelantikan", "pelatihan")


def test_the_side_by_side_view_highlights_both_words_of_a_changed_term() -> None:
    """(The flag is listed at any confidence here: the view marks the words of every flag it lists.)"""
    article = dev_article("c-sulbar-gubernur-pelantikan")
    report = evaluate(
        load_inputs([DEV / "articles" / "c-sulbar-gubernur-pelantikan"]).articles,
        Settings(bootstrap=0, thresholds=Thresholds(min_confidence=0.0)),
        mode="score",
    )
    view = build_view(report)
    (flag,) = flags_in(article, "en", 1, "changed_term")
    page = next(v for v in view.articles[0].versions if v.lang == "en")
    pair = page.pairs[flag.evidence["pair"]]
    assert [r.text.strip().casefold() for r in pair.back if r.term] == ["pelatihan"]
    assert [r.text.strip().casefold() for r in pair.source if r.term] == ["pelantikan"]


def test_a_changed_term_names_the_word_only_this_version_has() -> None:
    """ "mesin pengering gabah" (grain dryers) back as "penggilingan padi" (rice mills) from French; the
    other versions also write "padi", so the word that replaced the term is "penggilingan"."""
    article = dev_article("a-kejagung-bumn-pengering-gabah")
    (flag,) = flags_in(article, "fr", 5, "changed_term")
    assert (flag.evidence["source_word"], flag.evidence["back_word"]) == ("pengering", "penggilingan")


def test_a_suspect_turned_into_a_witness_is_a_changed_term() -> None:
    """A person's legal status is a key term wherever it stands, even used once outside the lead."""
    article = dev_article("c-densus88-jaringan-jmbn")
    (flag,) = flags_in(article, "zh", 3, "changed_term")
    assert (flag.evidence["source_word"], flag.evidence["back_word"]) == ("tersangka", "saksi")


def test_the_replacement_is_a_word_of_another_stem_that_only_this_version_has() -> None:
    """ "gugatan" (a lawsuit) back as "serangan" (an attack) is the replacement, unless another version's
    back-translation has "serangan" too (the route's paraphrase). A word of the same stem lined up with it
    is no replacement: "jaksa" → "kejaksaan", "banjir" → "membanjiri" change nothing (and so "banding",
    an appeal, back as "perbandingan", a comparison, is not caught this way). An honorific a pivot through
    English adds ("Tuan") is never the replacement."""
    src = lower_words("Mahkamah menolak gugatan pasangan itu")
    back = lower_words("Mahkamah menangkis serangan pasangan itu")
    assert replacement_word("gugatan", src, back, {stem("menolak"), stem("gugatan")}) == "serangan"
    assert replacement_word("gugatan", src, back, {stem("menangkis"), stem("serangan")}) is None
    src = lower_words("Jaksa penuntut umum mengajukan banding karena vonis itu ringan")
    back = lower_words("Jaksa telah mengajukan perbandingan karena putusan itu ringan")
    assert replacement_word("banding", src, back, set()) is None
    src = lower_words("Pengumuman hasil seleksi ditunda")
    back = lower_words("Tuan hasil seleksi ditunda")
    assert replacement_word("pengumuman", src, back, set()) is None


def test_synonyms_of_a_noisy_back_translation_are_not_changed_terms(tmp_path: Path) -> None:
    """Words MT swaps freely (warga/penduduk, pemeriksaan/penyelidikan, mengatakan/menyatakan)."""
    source = "Pemeriksaan warga berlangsung. Pemeriksaan warga selesai, kata polisi."
    back = "Penyelidikan penduduk berlangsung. Penyelidikan penduduk selesai, polisi menyatakan."
    report = report_for(
        tmp_path,
        {"texts": {"id": source, "en": "The examination went on. It ended, police said."}, "back": {"en": back}},
    )
    assert [f.code for f in report.articles[0].version("en").flags if f.code == "changed_term"] == []


# ---- quotations ----------------------------------------------------------------------------------


def test_a_quotation_turned_into_the_outlets_claim_is_flagged() -> None:
    """The economist's quote loses its marks and its attribution (en); the other paragraph sentence keeps one."""
    article = dev_article("b-bi-rate-hike-inflation")
    assert flags_in(article, "en", 8, "quote_mismatch")


def test_indirect_speech_keeps_the_attribution(tmp_path: Path) -> None:
    source = '"Kami masih bekerja untuk mengumpulkan bukti," kata Ketua KPK Firli Bahuri.'
    version = "KPK chairman Firli Bahuri said they were still working to collect evidence."
    back = "Ketua KPK Firli Bahuri mengatakan mereka masih bekerja untuk mengumpulkan bukti."
    report = report_for(tmp_path, {"texts": {"id": source, "en": version}, "back": {"en": back}})
    assert "quote_mismatch" not in [f.code for f in report.articles[0].version("en").flags]


# ---- dates --------------------------------------------------------------------------------------


def test_a_changed_month_is_a_number_mismatch() -> None:
    """ "14 Mei" became 4月14日 (April) in Japanese: the day survives, the month does not."""
    article = dev_article("a-kpk-ott-bupati-muara-sentosa")
    assert flags_in(article, "ja", 1, "number_mismatch")


# ---- negations and hedges ------------------------------------------------------------------------


def test_a_lost_negation_is_high() -> None:
    """ "tidak ada korban jiwa" (no fatalities) came back as fatalities in Arabic."""
    article = dev_article("b-garut-earthquake")
    assert any(f.severity == "high" for f in flags_in(article, "ar", 6, "polarity_mismatch"))


def test_a_dropped_allegation_is_a_hedge_flag() -> None:
    """ "diduga merencanakan serangan" (allegedly planned attacks) became fact in English."""
    article = dev_article("c-densus88-jaringan-jmbn")
    assert flags_in(article, "en", 4, "hedge_mismatch")


def test_negations_paraphrased_by_every_version_are_not_flagged() -> None:
    """ "keluarga tidak mampu" (poor families) back as "keluarga miskin" in every language."""
    article = dev_article("d-ppdb-kuota-zonasi-dipangkas")
    assert not any(flags_in(article, lang, 3, "polarity_mismatch") for lang in ("ar", "fr", "ja", "zh"))


def test_not_yet_became_already(tmp_path: Path) -> None:
    source = "Hingga kini belum ada laporan kematian akibat campak."
    version = "Deaths from measles have already been reported."
    back = "Kematian akibat campak sudah dilaporkan."
    report = report_for(tmp_path, {"texts": {"id": source, "en": version}, "back": {"en": back}})
    assert [f.code for f in report.articles[0].version("en").flags] == ["polarity_mismatch"]


# ---- alignment -----------------------------------------------------------------------------------


def test_a_moved_sentence_is_one_low_flag_not_an_omission_and_an_addition() -> None:
    """English moves a sentence of paragraph 2 into paragraph 1."""
    article = dev_article("d-galih-reza-juara-australian-open")
    en = article.version("en")
    moved = [f for f in en.flags if f.code == "moved"]
    assert [(f.severity, f.segments[0].split(".")[0]) for f in moved] == [("low", "2")]
    assert not [f for f in en.flags if f.code in ("omitted", "added")]


def test_a_missing_version_headline_is_said(tmp_path: Path) -> None:
    record = {
        "texts": {"id": "Warga diminta bersabar.", "en": "Residents are asked to be patient."},
        "titles": {"id": "KPK Masih Kumpulkan Bukti"},
        "back": {"en": "Warga diminta bersabar."},
    }
    (flag,) = report_for(tmp_path, record).articles[0].version("en").flags
    assert (flag.code, flag.severity, flag.segments, flag.evidence["scope"]) == ("omitted", "low", ("0.1",), "headline")


# ---- settings, score mode ---------------------------------------------------------------------------


def test_every_constant_that_decides_a_flag_is_in_the_signature() -> None:
    report = evaluate(
        load_inputs([DEV / "articles" / "b-garut-earthquake"]).articles, Settings(bootstrap=0), mode="score"
    )
    for name in (
        "min_chars",
        "moved_similarity",
        "outlier_max",
        "low_consistency_min_spread",
        "name_fuzzy",
        "term_max_zipf",
        "term_min_uses",
    ):
        assert name in report.signature.thresholds
    assert report.signature.thresholds == {k: getattr(Thresholds(), k) for k in report.signature.thresholds}


def test_score_mode_names_the_supplied_back_translation() -> None:
    article = dev_article("b-garut-earthquake")
    assert article.version("fr").route.describe() == "supplied back-translation (fr.back.txt)"


# ---- the development set as a whole -----------------------------------------------------------------


def test_the_development_set_is_well_formed_and_flagged_well() -> None:
    """Recall of major errors and false alarms on our own set stay where they were measured (it was tuned on,
    all of it: this guards against regressions, it says nothing of generalisation; see docs/validity.md)."""
    spec = importlib.util.spec_from_file_location(
        "eval_flags", Path(__file__).parent.parent / "scripts" / "eval_flags.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_flags"] = module  # its dataclasses look their module up while they are built
    spec.loader.exec_module(module)
    assert module.check(DEV) == 0
    data = module.load_set(DEV)
    report = module.run(data)
    everything = module.count(report, data, 0.0).headline()  # every flag, whatever its confidence
    shown = module.count(report, data, Thresholds().min_confidence).headline()  # what the editor sees
    assert everything["major"] >= 0.88
    assert shown["major"] >= 0.82 and shown["false"] <= 0.05 and shown["segments"] <= 0.11


def test_a_respelled_token_of_a_name_in_latin_letters_is_a_changed_name() -> None:
    """One token of a two-token name respelled: not found. A respelling that keeps the consonants (a spelling
    convention, Sutrisno/Soetrisno) is a near miss, one with other consonants (Kurniawan/Kurniadi) is not; a
    dictionary word or a name the source itself has is no respelling."""
    from backtrans.flag._names import _near_miss

    source = "Kepala desa Dedi Kurniawan hadir bersama Camat Kuningan."
    (dedi,) = [n for n in source_names(source) if n.surface == "Dedi Kurniawan"]
    for version, found in [
        ("Le chef du village Dedi Kurniadi était présent.", False),
        ("Le chef du village Kurniawan était présent.", True),
        ("Le chef du village Dedi, de Kuningan, était présent.", True),
    ]:
        assert name_found(dedi, version, version, True, {}, 80.0, source) is found, version
    assert _near_miss(dedi, "", "Dedi Kurniadi hadir", True, {}, 80.0, source) is None
    bambang = Name("Bambang Sutrisno", ("Bambang", "Sutrisno"))
    assert not name_found(bambang, "", "Bambang Soetrisno hadir", True, {}, 80.0, source)
    assert _near_miss(bambang, "", "Bambang Soetrisno hadir", True, {}, 80.0, source) == "Soetrisno"
    assert name_found(dedi, "", "Dedi kurniawa hadir", True, {}, 80.0, source)  # not capitalised: a typo, no name


def test_a_near_miss_is_a_near_form_of_a_lost_token_not_of_a_kept_one() -> None:
    """The head of an office named with its place became "an official" of that office: the place came back,
    the person did not, and the place is no near form of the person's name (no lower confidence for it)."""
    from backtrans.flag._names import _near_miss

    source = "Kepala Dinas Sosial Kabupaten Sleman Wahyudin Santika mengatakan bantuan sudah disalurkan."
    (name,) = [n for n in source_names(source) if "Santika" in n.keys]
    back = "Seorang pejabat dari dinas sosial Sleman mengatakan bantuan sudah disalurkan."
    assert not name_found(name, back, "", False, {}, 80.0, source)
    assert _near_miss(name, back, "", False, {}, 80.0, source) is None
