"""Flags an editor can trust (issue 20): evidence read from the version itself, names matched the way each script
keeps them, substitutes, clauses, graded consensus and a confidence that ranks them. Our own text throughout."""

from __future__ import annotations

import json
from pathlib import Path

from backtrans import Settings, evaluate, load_inputs
from backtrans.config import Thresholds
from backtrans.flag._polarity import not_yet_done as polarity_done
from backtrans.types import Flag, Report

SOURCE = "\n\n".join(
    [
        "JAKARTA - Kepala Dinas Kesehatan Kota Bogor, Rahmat Hidayat, mengatakan 12 warga dirawat di rumah sakit "
        "setelah keracunan makanan pada Selasa (14/5/2024).",
        "Komisi Pemberantasan Korupsi (KPK) memeriksa tiga saksi dalam kasus pengadaan makanan tersebut. "
        "Penyidik menyita dokumen kontrak dari kantor pemasok.",
        '"Kami masih menunggu hasil laboratorium," kata Rahmat. Ia menambahkan, kondisi warga terus membaik.',
        "Pemerintah Kota Bogor berencana membangun dua puskesmas baru dan merekrut lima puluh tenaga kesehatan "
        "tahun depan.",
    ]
)
#: a faithful back-translation of a faithful version, sentence by sentence
FAITHFUL = "\n\n".join(
    [
        "JAKARTA - Kepala Dinas Kesehatan Kota Bogor, Rahmat Hidayat, mengatakan 12 warga dirawat di rumah sakit "
        "setelah keracunan makanan pada hari Selasa (14/5/2024).",
        "Komisi Pemberantasan Korupsi (KPK) memeriksa tiga saksi dalam kasus pengadaan makanan itu. "
        "Penyidik menyita dokumen kontrak dari kantor pemasok.",
        '"Kami masih menunggu hasil laboratorium," kata Rahmat. Dia menambahkan, kondisi warga terus membaik.',
        "Pemerintah Kota Bogor berencana membangun dua puskesmas baru dan merekrut lima puluh tenaga kesehatan "
        "tahun depan.",
    ]
)
EN = "\n\n".join(
    [
        "JAKARTA - The head of the Bogor City Health Office, Rahmat Hidayat, said 12 residents were hospitalised "
        "after food poisoning on Tuesday (14/5/2024).",
        "The Corruption Eradication Commission (KPK) questioned three witnesses in the food procurement case. "
        "Investigators seized contract documents from the supplier's office.",
        '"We are still waiting for the laboratory results," Rahmat said. He added that the residents keep improving.',
        "The Bogor city government plans to build two new health centres and recruit fifty health workers next year.",
    ]
)
FR = "\n\n".join(
    [
        "JAKARTA - Le chef du service de santé de la ville de Bogor, Rahmat Hidayat, a déclaré que 12 habitants ont "
        "été hospitalisés après une intoxication alimentaire mardi (14/5/2024).",
        "La Commission pour l'éradication de la corruption (KPK) a entendu trois témoins dans l'affaire des achats "
        "de repas. Les enquêteurs ont saisi des contrats au bureau du fournisseur.",
        "« Nous attendons encore les résultats du laboratoire », a dit Rahmat. Il a ajouté que l'état des habitants "
        "s'améliore.",
        "La ville de Bogor prévoit de construire deux nouveaux centres de santé et de recruter cinquante soignants "
        "l'an prochain.",
    ]
)
ZH = "\n\n".join(
    [
        "雅加达——茂物市卫生局局长拉赫马特·希达亚特说，2024年5月14日星期二，12名居民因食物中毒住院。",
        "肃贪委员会（KPK）就食品采购案询问了三名证人。调查人员从供应商办公室查获了合同文件。",
        "“我们仍在等待实验室结果，”拉赫马特说。他补充说，居民的情况正在好转。",
        "茂物市政府计划明年新建两座社区卫生中心，并招聘五十名卫生工作者。",
    ]
)
JA = "\n\n".join(
    [
        "ジャカルタ－ボゴール市保健局長のラフマト・ヒダヤット氏は、2024年5月14日（火）に食中毒で住民12人が入院したと述べた。",
        "汚職撲滅委員会（KPK）は食品調達事件で証人3人を聴取した。捜査官は供給業者の事務所から契約書類を押収した。",
        "「まだ検査結果を待っている」とラフマト氏は語った。住民の容体は回復に向かっているという。",
        "ボゴール市は来年、保健センター2カ所を新設し、医療従事者50人を採用する計画だ。",
    ]
)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def _with(text: str, paragraph: int, new: str) -> str:
    parts = _paragraphs(text)
    parts[paragraph] = new
    return "\n\n".join(parts)


def _report(tmp_path: Path, texts: dict[str, str], back: dict[str, str], source: str = SOURCE) -> Report:
    path = tmp_path / "in.jsonl"
    record = {"id": "bogor", "source_lang": "id", "texts": {"id": source, **texts}, "back": back}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    settings = Settings(bootstrap=0, thresholds=Thresholds(min_confidence=0.0))
    return evaluate(load_inputs([path]).articles, settings, mode="score")


def _flags(report: Report, lang: str, code: str | None = None) -> list[Flag]:
    version = report.articles[0].version(lang)
    return [f for f in version.flags if code is None or f.code == code]


def _all_versions(**backs: str) -> dict[str, str]:
    return {lang: backs.get(lang, FAITHFUL) for lang in ("en", "fr", "zh", "ja")}


TEXTS = {"en": EN, "fr": FR, "zh": ZH, "ja": JA}


def test_faithful_versions_raise_nothing_an_editor_would_see(tmp_path: Path) -> None:
    report = _report(tmp_path, TEXTS, _all_versions())
    shown = [f for v in report.articles[0].versions for f in v.flags if f.confidence >= Thresholds().min_confidence]
    assert shown == []


def test_a_latin_version_keeps_a_name_as_spelled_so_another_spelling_is_another_person(tmp_path: Path) -> None:
    """Rahmat/Rahman passed the fuzzy match before: in a version written in Latin letters they are two people."""
    en = EN.replace("Rahmat Hidayat", "Rahman Hidayat").replace("Rahmat said", "Rahman said")
    back = FAITHFUL.replace("Rahmat Hidayat", "Rahman Hidayat").replace("kata Rahmat", "kata Rahman")
    report = _report(tmp_path, {**TEXTS, "en": en}, _all_versions(en=back))
    names = _flags(report, "en", "name_mismatch")
    assert {f.evidence["name"] for f in names} >= {"Rahmat"} or {f.evidence["name"] for f in names} >= {
        "Rahmat Hidayat"
    }
    assert all(f.evidence["version_visible"] is True for f in names)


def test_a_name_read_back_from_another_script_keeps_transliterations_tolerance(tmp_path: Path) -> None:
    """Lahmat Hidayat from the Japanese katakana is Rahmat Hidayat, not a lost name."""
    back = FAITHFUL.replace("Rahmat", "Lahmat")
    report = _report(tmp_path, TEXTS, _all_versions(ja=back))
    assert _flags(report, "ja", "name_mismatch") == []


def test_a_pronoun_excuses_a_lost_name_only_in_its_own_sentence(tmp_path: Path) -> None:
    """The speaker is gone from the quote's sentence; the "dia" of the next sentence does not bring him back."""
    back = _with(
        FAITHFUL,
        2,
        '"Kami masih menunggu hasil laboratorium," kata seorang pejabat. Dia menambahkan, kondisi warga terus membaik.',
    )
    report = _report(tmp_path, TEXTS, _all_versions(zh=back))
    lost = _flags(report, "zh", "name_mismatch")
    assert [f.segments for f in lost] == [("3.1",)]
    assert lost[0].evidence["kept_by"] == ["en", "fr", "ja"]


def test_an_acronym_expanded_into_a_body_nobody_named_is_a_sure_name_flag(tmp_path: Path) -> None:
    """KPK back as the narcotics agency: a body neither the source nor any other version names stands in its place."""
    back = FAITHFUL.replace("Komisi Pemberantasan Korupsi (KPK) memeriksa", "Badan Narkotika Nasional memeriksa")
    version = ZH.replace("肃贪委员会（KPK）", "国家禁毒局")  # the version itself lost the acronym
    report = _report(tmp_path, {**TEXTS, "zh": version}, _all_versions(zh=back))
    (flag,) = [f for f in _flags(report, "zh", "name_mismatch") if f.evidence["name"] == "KPK"]
    assert flag.evidence["substitute"] == "Badan Narkotika Nasional"
    assert flag.confidence >= Thresholds().min_confidence


def test_a_clause_dropped_inside_a_kept_sentence_is_an_omission(tmp_path: Path) -> None:
    back = _with(FAITHFUL, 3, "Pemerintah Kota Bogor berencana membangun dua puskesmas baru tahun depan.")
    report = _report(tmp_path, TEXTS, _all_versions(fr=back))
    (flag,) = [f for f in _flags(report, "fr", "omitted") if f.evidence.get("scope") == "clause"]
    assert flag.segments == ("4.1",)
    assert {"merekrut", "tenaga", "kesehatan"} <= set(flag.evidence["words"])
    assert flag.evidence["kept_by"] == ["en", "ja", "zh"]


def test_a_clause_added_inside_a_kept_sentence_is_an_addition(tmp_path: Path) -> None:
    back = _with(
        FAITHFUL,
        3,
        "Pemerintah Kota Bogor berencana membangun dua puskesmas baru dan merekrut lima puluh tenaga kesehatan "
        "tahun depan, sebuah janji kampanye wali kota yang sudah lama ditagih warga miskin pinggiran.",
    )
    report = _report(tmp_path, TEXTS, _all_versions(en=back))
    (flag,) = [f for f in _flags(report, "en", "added") if f.evidence.get("scope") == "clause"]
    assert flag.segments == ("4.1",)
    assert {"janji", "kampanye", "miskin"} <= set(flag.evidence["words"])


LONGER = (
    "Pemerintah Kota Bogor berencana membangun dua puskesmas baru dan merekrut lima puluh tenaga kesehatan "
    "serta bidan desa terlatih untuk kecamatan terpencil tahun depan."
)


def test_a_name_the_back_translation_lost_but_the_version_keeps_is_no_error(tmp_path: Path) -> None:
    """A back-translation supplied one paragraph per paragraph is read sentence by sentence against the version:
    KPK kept verbatim in the Chinese version, lost only by its back-translation, is the route's noise."""
    back = FAITHFUL.replace("Komisi Pemberantasan Korupsi (KPK) memeriksa", "Badan Narkotika Nasional memeriksa")
    report = _report(tmp_path, TEXTS, _all_versions(zh=back))
    assert report.articles[0].version("zh").origin is not None
    assert [f for f in _flags(report, "zh", "name_mismatch") if f.evidence["name"] == "KPK"] == []


def test_a_negation_lost_in_the_version_text_itself_is_sure(tmp_path: Path) -> None:
    """The English version was read with its own word list and has no negation either: no back-translation made
    the loss up. "gagal" (fail) keeps a negation in another version's back-translation."""
    source = SOURCE.replace("Penyidik menyita dokumen", "Penyidik belum menyita dokumen")
    faithful = FAITHFUL.replace("Penyidik menyita dokumen", "Penyidik belum menyita dokumen")
    texts = {
        "en": EN.replace("Investigators seized", "Investigators have already seized"),
        "fr": FR.replace("Les enquêteurs ont saisi", "Les enquêteurs ont échoué à saisir"),
        "zh": ZH.replace("调查人员从供应商办公室查获了", "调查人员尚未从供应商办公室查获"),
        "ja": JA.replace("押収した", "まだ押収していない"),
    }
    backs = {
        "en": FAITHFUL.replace("Penyidik menyita dokumen", "Penyidik sudah menyita dokumen"),
        "fr": FAITHFUL.replace("Penyidik menyita dokumen", "Penyidik gagal menyita dokumen"),
        "zh": faithful,
        "ja": faithful,
    }
    report = _report(tmp_path, texts, backs, source)
    (flag,) = _flags(report, "en", "polarity_mismatch")
    assert flag.evidence["version_visible"] is True and flag.confidence >= Thresholds().min_confidence
    assert _flags(report, "fr", "polarity_mismatch") == []


def _negation_lost_with_its_verb(
    tmp_path: Path, negated: str, versions: dict[str, tuple[str, str]], back: str
) -> Report:
    """The source's investigators "did not seize" (``negated``, e.g. "belum menyita"); en, fr and ja versions keep
    the negation in their own words (``versions``: the replacement of their "seized"), zh says "seized" and its
    back-translation is ``back`` (for "Penyidik menyita dokumen kontrak")."""
    source = SOURCE.replace("Penyidik menyita dokumen", f"Penyidik {negated} dokumen")
    faithful = FAITHFUL.replace("Penyidik menyita dokumen", f"Penyidik {negated} dokumen")
    texts = {lang: TEXTS[lang].replace(*versions[lang]) for lang in ("en", "fr", "ja")} | {"zh": ZH}
    lost = FAITHFUL.replace("Penyidik menyita dokumen kontrak", back)
    return _report(tmp_path, texts, {"en": faithful, "fr": faithful, "zh": lost, "ja": faithful}, source)


def test_not_yet_come_back_as_already_is_a_lost_negation_whatever_the_verb(tmp_path: Path) -> None:
    """ "belum menyita" back as "telah mengamankan" from a Chinese version that says "seized": the negated verb
    changed too, but "telah" (already) is the dictionary's opposite of "belum" (not yet). "masih mencari" (still
    looking) is no such opposite."""
    versions = {
        "en": ("Investigators seized", "Investigators have not yet seized"),
        "fr": ("Les enquêteurs ont saisi", "Les enquêteurs n'ont pas encore saisi"),
        "ja": ("押収した", "まだ押収していない"),
    }
    report = _negation_lost_with_its_verb(
        # neither negated word comes back ("berkas" for "dokumen"): only "telah" says the negation is gone
        tmp_path,
        "belum menyita",
        versions,
        "Penyidik telah mengamankan berkas kontrak",
    )
    (flag,) = _flags(report, "zh", "polarity_mismatch")
    assert flag.evidence["markers"] == ["belum"] and flag.segments == ("2.2",)
    source_sentence = "Penyidik belum menyita dokumen kontrak."
    assert polarity_done(source_sentence, "Penyidik telah mengamankan dokumen kontrak.", "id")
    assert not polarity_done(source_sentence, "Penyidik masih mencari dokumen kontrak.", "id")
    assert not polarity_done("Penyidik sudah belum.", "Penyidik sudah.", "en")


def test_never_come_back_as_ever_is_a_lost_negation_whatever_the_verb(tmp_path: Path) -> None:
    """ "belum pernah menyita" back as "pernah mengamankan berkas": "pernah" (ever) survives without its
    negation, though neither the verb nor its object does."""
    versions = {
        "en": ("Investigators seized", "Investigators have never seized"),
        "fr": ("Les enquêteurs ont saisi", "Les enquêteurs n'ont jamais saisi"),
        "ja": ("押収した", "押収したことはない"),
    }
    report = _negation_lost_with_its_verb(
        tmp_path, "belum pernah menyita", versions, "Penyidik pernah mengamankan berkas kontrak"
    )
    (flag,) = _flags(report, "zh", "polarity_mismatch")
    assert flag.evidence["markers"] == ["belum"] and flag.segments == ("2.2",)


def test_a_hedge_lost_from_two_merged_sentences_points_at_the_one_that_had_it(tmp_path: Path) -> None:
    """The Chinese back-translation joins the source's two sentences (a 2-1 link) and drops "kabarnya" from the
    second: the flag names that sentence, not both."""
    source = SOURCE.replace("Penyidik menyita dokumen", "Penyidik kabarnya menyita dokumen")
    faithful = FAITHFUL.replace("Penyidik menyita dokumen", "Penyidik kabarnya menyita dokumen")
    merged = FAITHFUL.replace("makanan itu. Penyidik menyita", "makanan itu dan penyidik menyita")
    texts = {
        "en": EN.replace("Investigators seized", "Investigators reportedly seized"),
        "fr": FR.replace("Les enquêteurs ont saisi", "Les enquêteurs auraient saisi"),
        "zh": ZH,
        "ja": JA.replace("押収した", "押収したという"),
    }
    report = _report(tmp_path, texts, {"en": faithful, "fr": faithful, "ja": faithful, "zh": merged}, source)
    assert any(len(link.source) == 2 for link in report.articles[0].version("zh").alignment)
    (flag,) = _flags(report, "zh", "hedge_mismatch")
    assert flag.segments == ("2.2",) and flag.evidence["modality"] == "attribution"


def test_a_clause_dropped_is_found_with_one_other_version_and_across_words_every_version_rewrites(
    tmp_path: Path,
) -> None:
    """Two versions only; inside the dropped stretch, "tenaga kesehatan" came back as "nakes" from the witness too."""
    witness = _with(FAITHFUL, 3, LONGER.replace("tenaga kesehatan", "nakes"))
    back = _with(FAITHFUL, 3, "Pemerintah Kota Bogor berencana membangun dua puskesmas baru tahun depan.")
    report = _report(tmp_path, {"en": EN, "fr": FR}, {"en": witness, "fr": back}, _with(SOURCE, 3, LONGER))
    (flag,) = [f for f in _flags(report, "fr", "omitted") if f.evidence.get("scope") == "clause"]
    assert flag.evidence["kept_by"] == ["en"] and flag.evidence["compared_with"] == 1
    assert {"merekrut", "tenaga", "kesehatan", "bidan", "terpencil"} <= set(flag.evidence["words"])
    assert [f for f in _flags(report, "en") if f.evidence.get("scope") == "clause"] == []


def test_a_clause_dropped_is_found_where_most_other_versions_keep_its_words_and_one_rewrites_them(
    tmp_path: Path,
) -> None:
    """Three witnesses, two keep the words of the dropped stretch and the third says them with other words ("para
    petugas medis dan juru rawat kelahiran" for the health workers and midwives): a majority keeps them."""
    longer = _with(FAITHFUL, 3, LONGER)
    rewritten = _with(
        FAITHFUL,
        3,
        "Pemerintah Kota Bogor berencana membangun dua puskesmas baru dan mempekerjakan 50 petugas medis serta juru "
        "rawat kelahiran yang cakap bagi wilayah yang jauh tahun depan.",
    )
    back = _with(FAITHFUL, 3, "Pemerintah Kota Bogor berencana membangun dua puskesmas baru tahun depan.")
    backs = {"en": longer, "zh": longer, "ja": rewritten, "fr": back}
    report = _report(tmp_path, TEXTS, backs, _with(SOURCE, 3, LONGER))
    (flag,) = [f for f in _flags(report, "fr", "omitted") if f.evidence.get("scope") == "clause"]
    assert flag.evidence["kept_by"] == ["en", "zh"] and flag.evidence["compared_with"] == 3
    assert {"merekrut", "tenaga", "kesehatan", "bidan", "terpencil"} <= set(flag.evidence["words"])


def test_a_longer_clause_that_every_other_version_keeps_is_surer(tmp_path: Path) -> None:
    short = _with(FAITHFUL, 3, "Pemerintah Kota Bogor berencana membangun dua puskesmas baru tahun depan.")
    runs = {
        "few": (SOURCE, FAITHFUL),
        "many": (_with(SOURCE, 3, LONGER), _with(FAITHFUL, 3, LONGER)),
    }
    found = {}
    for name, (source, faithful) in runs.items():
        backs = {lang: faithful for lang in ("en", "zh", "ja")} | {"fr": short}
        report = _report(tmp_path, TEXTS, backs, source)
        (flag,) = [f for f in _flags(report, "fr", "omitted") if f.evidence.get("scope") == "clause"]
        found[name] = (len(flag.evidence["words"]), flag.confidence)
    assert found["many"][0] > found["few"][0]
    assert found["many"][1] > found["few"][1]


def test_an_added_clause_is_witnessed_by_every_other_version_lacking_it(tmp_path: Path) -> None:
    back = _with(
        FAITHFUL,
        3,
        "Pemerintah Kota Bogor berencana membangun dua puskesmas baru, yang warganya terisolasi banjir bandang "
        "berminggu-minggu, dan merekrut lima puluh tenaga kesehatan tahun depan.",
    )
    report = _report(tmp_path, TEXTS, _all_versions(zh=back))
    (flag,) = [f for f in _flags(report, "zh", "added") if f.evidence.get("scope") == "clause"]
    assert {"terisolasi", "banjir", "bandang"} <= set(flag.evidence["words"])
    assert flag.evidence["kept_by"] == ["en", "fr", "ja"] and flag.evidence["compared_with"] == 3


def test_a_garbled_sentence_that_keeps_some_of_its_words_is_pointed_at(tmp_path: Path) -> None:
    """Word salad that keeps the subject, the numbers' neighbourhood and the year: several source words gone and
    words nobody else has in their place. No rule names it "garbled", but an editor is sent to the sentence, sure."""
    garbled = _with(
        FAITHFUL,
        3,
        "Pemerintah Kota Bogor berencana dua puskesmas angin tenaga melantai sebelum kabur panen bersama kesehatan "
        "tahun depan.",
    )
    report = _report(tmp_path, TEXTS, _all_versions(fr=garbled))
    shown = [f for f in _flags(report, "fr") if f.confidence >= Thresholds().min_confidence]
    assert shown and all(f.segments == ("4.1",) for f in shown)
    assert any(f.code == "added" and {"angin", "melantai", "panen"} <= set(f.evidence["words"]) for f in shown)


def test_a_paraphrase_of_a_few_words_is_no_clause(tmp_path: Path) -> None:
    back = _with(
        FAITHFUL, 3, "Pemkot Bogor akan membangun dua puskesmas baru dan merekrut lima puluh nakes tahun depan."
    )
    report = _report(tmp_path, TEXTS, _all_versions(en=back))
    assert [f for f in _flags(report, "en") if f.evidence.get("scope") == "clause"] == []


def test_a_term_lost_where_most_other_versions_keep_it_is_graded_by_their_share(tmp_path: Path) -> None:
    """A sense error outside the lead, kept by the other languages: flagged, surer the more of them keep it."""
    wrong = FAITHFUL.replace("menyita dokumen kontrak", "menyita dokumen perjanjian dagang")
    report = _report(tmp_path, TEXTS, _all_versions(fr=wrong))
    (all_keep,) = _flags(report, "fr", "changed_term")
    assert all_keep.evidence["source_word"] == "kontrak" and all_keep.evidence["kept_by"] == ["en", "ja", "zh"]
    also_wrong = FAITHFUL.replace("menyita dokumen kontrak", "menyita surat kesepakatan")  # ja lost it its own way
    report = _report(tmp_path, TEXTS, _all_versions(fr=wrong, ja=also_wrong))
    (two_keep,) = _flags(report, "fr", "changed_term")
    assert two_keep.evidence["kept_by"] == ["en", "zh"]
    assert two_keep.confidence < all_keep.confidence


def test_the_same_value_written_another_way_is_no_number_flag(tmp_path: Path) -> None:
    source = _with(SOURCE, 1, "KPK memeriksa kontrak senilai Rp 1,2 triliun dalam kasus tersebut.")
    faithful = _with(FAITHFUL, 1, "KPK memeriksa kontrak senilai Rp 1,2 triliun dalam kasus itu.")
    en = _with(EN, 1, "KPK examined contracts worth Rp1.2 trillion in the case.")
    fr = _with(FR, 1, "La KPK a examiné des contrats d'une valeur de 1 200 milliards de roupies dans cette affaire.")
    report = _report(tmp_path, {"en": en, "fr": fr}, {"en": faithful, "fr": faithful}, source=source)
    assert _flags(report, "en", "number_mismatch") == [] and _flags(report, "fr", "number_mismatch") == []


def test_a_number_changed_in_the_version_itself_outranks_a_term_read_only_in_back_translations(
    tmp_path: Path,
) -> None:
    en = EN.replace("12 residents", "21 residents")
    wrong = FAITHFUL.replace("menyita dokumen kontrak", "menyita dokumen perjanjian dagang")
    report = _report(tmp_path, {**TEXTS, "en": en}, _all_versions(fr=wrong))
    (number,) = _flags(report, "en", "number_mismatch")
    (term,) = _flags(report, "fr", "changed_term")
    assert number.confidence > term.confidence
    assert number.confidence >= Thresholds().min_confidence


def test_a_paragraph_full_of_names_is_read_in_the_language_around_them(tmp_path: Path) -> None:
    """An English paragraph of Indonesian names and places is English, not 'left untranslated'."""
    source = _with(
        SOURCE,
        0,
        "JAKARTA - Pasangan ganda putra Rendy Saputra/Galih Prakoso menjuarai Indonesia Masters di Istora Senayan, "
        "Jakarta, Minggu (26/1/2025).",
    )
    en = _with(
        EN,
        0,
        "JAKARTA - Indonesia's men's doubles pair Rendy Saputra/Galih Prakoso won the Indonesia Masters title at "
        "Istora Senayan, Jakarta, on Sunday (Jan. 26, 2025).",
    )
    back = _with(
        FAITHFUL,
        0,
        "JAKARTA - Pasangan ganda putra Indonesia Rendy Saputra/Galih Prakoso memenangi gelar Indonesia Masters di "
        "Istora Senayan, Jakarta, pada hari Minggu (26/1/2025).",
    )
    report = _report(tmp_path, {"en": en}, {"en": back}, source=source)
    assert [f for f in _flags(report, "en") if f.code in ("untranslated", "wrong_language")] == []


def test_an_unrelated_back_translation_is_one_flag_the_editor_sees(tmp_path: Path) -> None:
    """A version left out of every comparison has one page-level flag; the confidence must not hide it."""
    unrelated = "\n\n".join(
        [
            "Harga cabai rawit di pasar tradisional naik tajam menjelang akhir pekan.",
            "Pedagang mengeluhkan pasokan dari petani yang berkurang karena hujan.",
            "Sebagian pembeli beralih ke cabai kering yang lebih murah.",
            "Dinas perdagangan berjanji menggelar operasi pasar pekan depan.",
        ]
    )
    report = _report(tmp_path, TEXTS, _all_versions(ja=unrelated))
    (flag,) = [f for f in _flags(report, "ja") if f.evidence.get("scope") == "article"]
    assert flag.code == "low_consistency" and flag.severity == "high"
    assert flag.confidence >= Thresholds().min_confidence


def test_a_title_case_line_in_another_language_is_still_read() -> None:
    """Leaving names out must not leave a headline in Title Case with nothing to read."""
    from backtrans.flag._langid import detect
    from backtrans.flag._language import _without_names

    line = "Police Arrest Three Suspects Over Flood Aid Graft In Semarang"
    assert _without_names(line, 20) == line
    assert detect([_without_names(line, 20)], {"id", "fr", "en"}, expected="fr", source_lang="id")[0][0] == "en"
    prose = (
        "JAKARTA - Indonesia's men's doubles pair Rendy Saputra/Galih Prakoso won the title after defeating the "
        "Malaysian pair in the final at Istora Senayan on Sunday."
    )
    assert "Rendy" not in _without_names(prose, 20)


def test_a_pair_shows_only_the_badges_of_its_own_listed_flags(example_dir: Path) -> None:
    """A note below the threshold on one pair does not borrow the badge of a listed flag of the same code."""
    import dataclasses

    from backtrans.report._view import build_view

    settings = Settings(bootstrap=0)
    report = evaluate(load_inputs([example_dir]).articles, settings, mode="score")
    article = report.articles[0]
    version = article.version("fr")
    (listed,) = [f for f in version.flags if f.code == "omitted"]
    k = listed.evidence["pair"]
    other = next(j for j, p in enumerate(version.pairs) if j != k and p.scores is not None)
    note = dataclasses.replace(
        listed,
        segments=version.pairs[other].source_ids,
        evidence={**listed.evidence, "pair": other},
        confidence=0.1,
        shown=False,
    )
    pairs = list(version.pairs)
    pairs[other] = dataclasses.replace(pairs[other], flags=(*pairs[other].flags, "omitted"))
    changed = dataclasses.replace(version, flags=(*version.flags, note), pairs=tuple(pairs))
    versions = tuple(changed if v is version else v for v in article.versions)
    report = dataclasses.replace(report, articles=(dataclasses.replace(article, versions=versions),))
    page = next(v for v in build_view(report).articles[0].versions if v.lang == "fr")
    assert "omitted" in page.pairs[k].flag_codes
    assert "omitted" not in page.pairs[other].flag_codes


def _term(report: Report, lang: str) -> Flag:
    (flag,) = _flags(report, lang, "changed_term")
    return flag


def test_a_witness_turned_into_a_suspect_is_a_substitute_an_editor_sees(tmp_path: Path) -> None:
    """A legal status back as another legal status is the one swap no paraphrase makes."""
    wrong = FAITHFUL.replace("memeriksa tiga saksi", "memeriksa tiga tersangka")
    flag = _term(_report(tmp_path, TEXTS, _all_versions(fr=wrong)), "fr")
    assert (flag.evidence["source_word"], flag.evidence["back_word"]) == ("saksi", "tersangka")
    assert flag.evidence["substitute"] is True and flag.confidence >= Thresholds().min_confidence


def test_a_verb_in_a_terms_place_is_a_rebuilt_sentence_not_another_term(tmp_path: Path) -> None:
    """«kontrak» lined up with «disetujui»: a general word, weaker than another noun («perjanjian») in its place."""
    noun = _term(
        _report(tmp_path, TEXTS, _all_versions(fr=FAITHFUL.replace("dokumen kontrak", "dokumen perjanjian"))), "fr"
    )
    verb = _term(
        _report(tmp_path, TEXTS, _all_versions(fr=FAITHFUL.replace("dokumen kontrak", "dokumen yang disetujui"))),
        "fr",
    )
    assert verb.evidence["back_word"] == "disetujui" and verb.evidence["general_word"] is True
    assert noun.evidence["general_word"] is False
    assert verb.confidence < noun.confidence
    assert verb.confidence < Thresholds().min_confidence


def test_a_routes_habitual_rendering_of_a_term_is_noise(tmp_path: Path) -> None:
    """The French route says «perjanjian» for «kontrak» in both sentences that have it: its habit, not an error."""
    source = _with(SOURCE, 3, "Pemerintah Kota Bogor akan meninjau kontrak semua pemasok makanan tahun depan.")
    faithful = _with(FAITHFUL, 3, "Pemerintah Kota Bogor akan meninjau kontrak semua pemasok makanan tahun depan.")
    texts = {
        "en": _with(EN, 3, "The Bogor city government will review the contracts of all food suppliers next year."),
        "fr": _with(FR, 3, "La ville de Bogor réexaminera l'an prochain les contrats de tous les fournisseurs."),
        "zh": _with(ZH, 3, "茂物市政府明年将审查所有食品供应商的合同。"),
        "ja": _with(JA, 3, "ボゴール市は来年、すべての食品供給業者との契約を見直す。"),
    }
    once = faithful.replace("dokumen kontrak", "dokumen perjanjian")
    habit = once.replace("meninjau kontrak", "meninjau perjanjian")
    one_off = _report(tmp_path, texts, {**_all_versions(), "fr": once}, source=source)
    habitual = _report(tmp_path, texts, {**_all_versions(), "fr": habit}, source=source)
    assert _term(one_off, "fr").evidence["near_miss"] is False
    flags = _flags(habitual, "fr", "changed_term")
    assert flags and all(f.evidence["near_miss"] is True for f in flags)
    assert max(f.confidence for f in flags) < _term(one_off, "fr").confidence


def test_a_single_other_version_keeping_a_term_is_a_weak_witness(tmp_path: Path) -> None:
    wrong = FAITHFUL.replace("dokumen kontrak", "dokumen perjanjian")
    many = _term(_report(tmp_path, TEXTS, _all_versions(fr=wrong)), "fr")
    lone = _term(_report(tmp_path, {"en": EN, "fr": FR}, {"en": FAITHFUL, "fr": wrong}), "fr")
    assert lone.evidence["lone_witness"] is True and many.evidence["lone_witness"] is False
    assert lone.confidence < many.confidence


def test_a_name_with_one_token_respelled_in_a_latin_version_is_another_name(tmp_path: Path) -> None:
    """ "Rahmat Hidayat" written "Rahmat Hidayanto" in French: half the tokens match, but the other half is a changed
    name, not a dropped one (other consonants: no spelling convention), so the flag is shown."""
    fr = FR.replace("Rahmat Hidayat", "Rahmat Hidayanto")
    back = FAITHFUL.replace("Rahmat Hidayat", "Rahmat Hidayanto")
    report = _report(tmp_path, {**TEXTS, "fr": fr}, _all_versions(fr=back))
    (flag,) = [f for f in _flags(report, "fr", "name_mismatch") if f.evidence["name"] == "Rahmat Hidayat"]
    assert flag.segments == ("1.1",) and flag.evidence["near_miss"] is None and "«Hidayanto»" in flag.message
    assert flag.confidence >= Thresholds().min_confidence


def test_a_latin_version_may_name_a_person_by_one_token_of_the_name(tmp_path: Path) -> None:
    """ "M. Hidayat" (the surname alone) or "Rahmat" alone is a short form, not a changed name."""
    for short in ("M. Hidayat", "Rahmat"):
        fr = FR.replace("Rahmat Hidayat", short)
        back = FAITHFUL.replace("Rahmat Hidayat", short.replace("M. ", "Tuan "))
        report = _report(tmp_path, {**TEXTS, "fr": fr}, _all_versions(fr=back))
        assert _flags(report, "fr", "name_mismatch") == [], short
