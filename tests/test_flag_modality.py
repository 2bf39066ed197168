"""A hedge judged by its kind of modality (``hedge_mismatch``): a plan, a target, a future, an estimate, an
accusation or a possibility lost is flagged with its kind; the same kind said with other words is not. Our own
text throughout."""

from __future__ import annotations

import json
from pathlib import Path

from backtrans import Settings, evaluate, load_inputs
from backtrans.config import Thresholds
from backtrans.types import Flag

SOURCE = [
    "Pemerintah Provinsi Jawa Tengah berencana membangun tiga waduk baru di Kabupaten Blora tahun ini.",
    '"Target kami minimal dua medali emas di Asian Games," kata pelatih tim dayung, Budi Santoso.',
    "Dinas Kesehatan Kota Semarang akan menggelar vaksinasi massal di 15 puskesmas mulai pekan depan.",
    "Bank Indonesia memperkirakan inflasi akhir tahun berada di kisaran 2,8 hingga 3,2 persen.",
    "Kuasa hukum warga menuding ada penggelembungan harga dalam proyek jembatan Kali Garang dan berencana "
    "melapor ke kejaksaan.",
    "Hujan lebat berpotensi memicu tanah longsor di lereng Gunung Ungaran.",
]
#: the kind each paragraph's hedge is of
KINDS = ["plan", "plan", "future", "estimate", "allegation", "possibility"]
VERSIONS = {
    "en": [
        "The Central Java provincial government plans to build three new reservoirs in Blora Regency this year.",
        '"Our target is at least two gold medals at the Asian Games," said rowing coach Budi Santoso.',
        "The Semarang City Health Office will hold mass vaccinations at 15 community health centres starting "
        "next week.",
        "Bank Indonesia estimates year-end inflation at between 2.8 and 3.2 percent.",
        "Lawyers for the residents accused the Kali Garang bridge project of price mark-ups and plan to report "
        "it to prosecutors.",
        "Heavy rain could trigger landslides on the slopes of Mount Ungaran.",
    ],
    "fr": [
        "Le gouvernement de la province de Java central prévoit de construire trois nouveaux réservoirs dans le "
        "district de Blora cette année.",
        "« Notre objectif est d'au moins deux médailles d'or aux Jeux asiatiques », a déclaré l'entraîneur "
        "d'aviron Budi Santoso.",
        "Le service de santé de la ville de Semarang organisera des vaccinations de masse dans 15 centres de santé "
        "à partir de la semaine prochaine.",
        "Bank Indonesia prévoit une inflation de fin d'année comprise entre 2,8 et 3,2 %.",
        "Les avocats des habitants accusent le projet du pont de Kali Garang de surfacturation et prévoient de "
        "saisir le parquet.",
        "De fortes pluies pourraient provoquer des glissements de terrain sur les pentes du mont Ungaran.",
    ],
    "zh": [
        "中爪哇省政府计划今年在布洛拉县新建三座水库。",
        "“我们的目标是在亚运会上至少获得两枚金牌，”赛艇教练布迪·桑托索说。",
        "三宝垄市卫生局将从下周起在15个社区卫生中心开展大规模疫苗接种。",
        "印尼央行预计年底通胀率在2.8%至3.2%之间。",
        "居民的律师指控卡利加朗桥梁项目存在虚报价格的问题，并计划向检察院举报。",
        "暴雨可能在翁加兰山山坡引发山体滑坡。",
    ],
    "ja": [
        "中部ジャワ州政府は今年、ブローラ県に貯水池3カ所を新設する計画だ。",
        "「アジア大会での目標は少なくとも金メダル2個だ」とボート代表のブディ・サントソ監督は語った。",
        "スマラン市保健局は来週から15カ所の保健所で集団予防接種を実施する予定だ。",
        "インドネシア銀行は年末のインフレ率を2.8～3.2％と予想している。",
        "住民側の弁護士は、カリ・ガラン橋の事業で価格の水増しがあったと指摘し、検察に告発する計画だ。",
        "大雨により、ウンガラン山の斜面で土砂崩れが起きる恐れがある。",
    ],
}
#: a faithful back-translation of each faithful version
FAITHFUL = [
    "Pemerintah Provinsi Jawa Tengah berencana membangun tiga waduk baru di Kabupaten Blora tahun ini.",
    '"Target kami setidaknya dua medali emas di Asian Games," kata pelatih dayung Budi Santoso.',
    "Dinas Kesehatan Kota Semarang akan mengadakan vaksinasi massal di 15 puskesmas mulai minggu depan.",
    "Bank Indonesia memperkirakan inflasi akhir tahun di kisaran 2,8 hingga 3,2 persen.",
    "Pengacara warga menuduh proyek jembatan Kali Garang melakukan penggelembungan harga dan berencana "
    "melapor ke kejaksaan.",
    "Hujan lebat dapat memicu tanah longsor di lereng Gunung Ungaran.",
]
#: an English version that turns each hedge into fact, and its back-translation
LOST = [
    "The Central Java provincial government will build three new reservoirs in Blora Regency this year.",
    '"We will win at least two gold medals at the Asian Games," said rowing coach Budi Santoso.',
    "The Semarang City Health Office held mass vaccinations at 15 community health centres last week.",
    "Year-end inflation stood at between 2.8 and 3.2 percent, according to Bank Indonesia.",
    "Lawyers for the residents exposed price mark-ups in the Kali Garang bridge project and plan to report it "
    "to prosecutors.",
    "Heavy rain will trigger landslides on the slopes of Mount Ungaran.",
]
LOST_BACK = [
    "Pemerintah Provinsi Jawa Tengah akan membangun tiga waduk baru di Kabupaten Blora tahun ini.",
    '"Kami akan memenangkan setidaknya dua medali emas di Asian Games," kata pelatih dayung Budi Santoso.',
    "Dinas Kesehatan Kota Semarang pekan lalu menggelar vaksinasi massal di 15 puskesmas.",
    "Inflasi akhir tahun berada di kisaran 2,8 hingga 3,2 persen, menurut Bank Indonesia.",
    "Pengacara warga mengungkap penggelembungan harga dalam proyek jembatan Kali Garang dan berencana melapor "
    "ke kejaksaan.",
    "Hujan lebat akan memicu tanah longsor di lereng Gunung Ungaran.",
]
#: an English version that keeps each kind with other words, and its back-translation
KEPT = [
    "The Central Java provincial government intends to build three new reservoirs in Blora Regency this year.",
    '"We hope to win at least two gold medals at the Asian Games," said rowing coach Budi Santoso.',
    "The Semarang City Health Office is scheduled to hold mass vaccinations at 15 community health centres "
    "from next week.",
    "According to Bank Indonesia, year-end inflation will be between 2.8 and 3.2 percent.",
    "Lawyers for the residents alleged price mark-ups in the Kali Garang bridge project and intend to report "
    "it to prosecutors.",
    "Heavy rain poses a risk of landslides on the slopes of Mount Ungaran.",
]
KEPT_BACK = [
    "Pemerintah Provinsi Jawa Tengah bermaksud membangun tiga waduk baru di Kabupaten Blora tahun ini.",
    '"Kami berharap memenangkan setidaknya dua medali emas di Asian Games," kata pelatih dayung Budi Santoso.',
    "Dinas Kesehatan Kota Semarang dijadwalkan mengadakan vaksinasi massal di 15 puskesmas mulai minggu depan.",
    "Menurut Bank Indonesia, inflasi akhir tahun akan berada di kisaran 2,8 hingga 3,2 persen.",
    "Pengacara warga mengklaim adanya penggelembungan harga dalam proyek jembatan Kali Garang dan bermaksud "
    "melapor ke kejaksaan.",
    "Hujan lebat menimbulkan risiko tanah longsor di lereng Gunung Ungaran.",
]


def _hedges(tmp_path: Path, english: list[str], back: list[str]) -> dict[int, list[Flag]]:
    """The English version's hedge flags per source paragraph (0-based), the other versions faithful."""
    texts = {lang: "\n\n".join(paragraphs) for lang, paragraphs in VERSIONS.items()} | {"en": "\n\n".join(english)}
    backs = {lang: "\n\n".join(FAITHFUL) for lang in VERSIONS} | {"en": "\n\n".join(back)}
    record = {"id": "semarang", "source_lang": "id", "texts": {"id": "\n\n".join(SOURCE), **texts}, "back": backs}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = evaluate(load_inputs([path]).articles, Settings(bootstrap=0, thresholds=Thresholds(0.0)), mode="score")
    out: dict[int, list[Flag]] = {}
    for flag in report.articles[0].version("en").flags:
        if flag.code == "hedge_mismatch":
            for paragraph in {int(s.split(".")[0]) for s in flag.segments}:
                out.setdefault(paragraph - 1, []).append(flag)
    return out


def test_each_kind_of_modality_lost_is_flagged_with_its_kind(tmp_path: Path) -> None:
    """A plan read as decided, a target as a promise, next week's campaign as last week's, an estimate as the
    figure, an accusation as a finding (beside a plan that is kept) and a possibility as a certainty."""
    found = _hedges(tmp_path, LOST, LOST_BACK)
    for paragraph, kind in enumerate(KINDS):
        flags = found.get(paragraph, [])
        assert [f.evidence["modality"] for f in flags] == [kind], (paragraph, flags)
        assert flags[0].evidence["kept_by"] == ["fr", "ja", "zh"]
        assert flags[0].confidence >= Thresholds().min_confidence
    assert "reported as decided" in found[0][0].message and "«berencana»" in found[0][0].message
    assert "reported as done" in found[2][0].message


def test_each_kind_kept_in_other_words_is_not_flagged(tmp_path: Path) -> None:
    """ "bermaksud" keeps a plan, "berharap" a target, "dijadwalkan" a future, "akan" an estimate, "mengklaim" an
    accusation, "risiko" a possibility: no hedge flag, whatever the words."""
    assert _hedges(tmp_path, KEPT, KEPT_BACK) == {}


def test_the_versions_own_words_keep_each_kind(tmp_path: Path) -> None:
    """Where the back-translation loses the kind but the English version says it ("intends", "hope", "scheduled",
    "will", "alleged", "risk"), the back-translation lost it, not the version."""
    assert _hedges(tmp_path, KEPT, LOST_BACK) == {}


def test_a_bare_akan_does_not_keep_a_plan_but_a_future_is_not_lost_to_it(tmp_path: Path) -> None:
    """ "berencana" → "akan" loses the plan; "akan … pekan depan" → "akan … minggu depan" keeps the future."""
    found = _hedges(tmp_path, KEPT[:0] + LOST[:1] + KEPT[1:], LOST_BACK[:1] + KEPT_BACK[1:])
    assert list(found) == [0] and found[0][0].evidence["modality"] == "plan"


def _one_paragraph(tmp_path: Path, source: str, texts: dict[str, str], backs: dict[str, str]) -> dict[str, list[Flag]]:
    record = {"id": "agency", "source_lang": "id", "texts": {"id": source, **texts}, "back": backs}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = evaluate(load_inputs([path]).articles, Settings(bootstrap=0, thresholds=Thresholds(0.0)), mode="score")
    return {v.lang: [f for f in v.flags if f.code == "hedge_mismatch"] for v in report.articles[0].versions}


def test_a_news_agencys_report_stated_as_the_outlets_own_fact_is_a_lost_attribution(tmp_path: Path) -> None:
    """ "Kantor berita Antara melaporkan, …" (a report the outlet did not confirm) dropped by the Chinese version:
    the attribution is gone; the versions that keep "reported" / "据报道" are not flagged."""
    source = "Kantor berita Antara melaporkan, dua kapal nelayan tenggelam di perairan Selat Sunda pada Senin malam."
    kept = "Kantor berita Antara melaporkan bahwa dua kapal nelayan tenggelam di Selat Sunda pada Senin malam."
    texts = {
        "en": "The Antara news agency reported that two fishing boats sank in the Sunda Strait on Monday night.",
        "fr": "L'agence Antara a rapporté que deux bateaux de pêche ont coulé dans le détroit de la Sonde lundi soir.",
        "zh": "周一晚上，两艘渔船在巽他海峡沉没。",
    }
    backs = {"en": kept, "fr": kept, "zh": "Pada Senin malam, dua kapal nelayan tenggelam di Selat Sunda."}
    flags = _one_paragraph(tmp_path, source, texts, backs)
    assert flags["en"] == [] and flags["fr"] == []
    (flag,) = flags["zh"]
    assert flag.evidence["modality"] == "attribution" and flag.evidence["kept_by"] == ["en", "fr"]


def test_a_target_noun_in_the_version_does_not_keep_a_future_reported_as_done(tmp_path: Path) -> None:
    """The Chinese version says the campaign began last week ("已于上周启动") with its target ("目标"): a target
    names what was aimed at in a report of what was done as often, so the future is lost all the same."""
    source = "Dinas Kesehatan akan menggelar imunisasi massal mulai pekan depan dengan sasaran 50.000 anak."
    kept = "Dinas Kesehatan akan mengadakan imunisasi massal mulai minggu depan dengan target 50.000 anak."
    texts = {
        "en": "The health office will hold mass immunisation from next week, targeting 50,000 children.",
        "fr": "Le service de santé organisera une vaccination de masse dès la semaine prochaine pour 50 000 enfants.",
        "zh": "卫生局已于上周启动大规模免疫接种，目标是5万名儿童。",
    }
    done = "Dinas Kesehatan pekan lalu meluncurkan imunisasi massal, dengan target 50.000 anak."
    flags = _one_paragraph(tmp_path, source, texts, {"en": kept, "fr": kept, "zh": done})
    assert [f.evidence["modality"] for f in flags["zh"]] == ["future"]


def test_a_future_is_lost_only_where_nothing_is_left_to_come() -> None:
    """ "telah" for what was prepared beside a vaccination still to come keeps the future; "telah" alone for it
    reports as done what the source says will happen."""
    from backtrans.flag._polarity import _future_lost

    source = "Dinas Kesehatan akan menggelar vaksinasi massal mulai pekan depan."
    both = "Dinas Kesehatan telah menyiapkan vaksin dan akan menggelar vaksinasi massal mulai pekan depan."
    done = "Dinas Kesehatan telah menggelar vaksinasi massal."
    assert not _future_lost(source, both, "id")
    assert _future_lost(source, done, "id")
    assert not _future_lost(source, source, "id")


def test_a_negated_hedge_hedges_nothing() -> None:
    """ "tidak berpotensi tsunami" says there is no possibility: no modality of the sentence to lose."""
    from backtrans.flag._polarity import _source_modality

    assert _source_modality("Gempa itu tidak berpotensi tsunami.", "id") == {}
    assert _source_modality("Gempa itu berpotensi memicu tsunami.", "id") == {"possibility": ["berpotensi"]}
