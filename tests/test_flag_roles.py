"""Who does what (flag/_roles.py): a name of the article put in a paragraph that does not have it (an intruder,
``name_mismatch``), and two names of one sentence that trade places (``role_swap``). Our own text throughout."""

from __future__ import annotations

import json
from pathlib import Path

from backtrans import Settings, evaluate, load_inputs
from backtrans.config import Thresholds
from backtrans.types import Flag, Report

SHOWN = Thresholds().min_confidence

# ---- an article about a verdict: who said what ------------------------------------------------------------

COURT = "\n\n".join(
    [
        "SURABAYA - Majelis hakim Pengadilan Negeri Surabaya menjatuhkan vonis empat tahun penjara kepada Direktur "
        "PT Bina Karya Lestari, Wahyu Setiadi, dalam perkara penipuan investasi, Kamis (6/6/2024).",
        "Jaksa penuntut umum, Dewi Anggraini, menyatakan pihaknya masih mempelajari salinan putusan tersebut.",
        "Penasihat hukum terdakwa, Fajar Nugroho, mengatakan kliennya keberatan dengan putusan majelis. "
        '"Kami akan mengajukan banding," ujarnya.',
        "Otoritas Jasa Keuangan (OJK) mencatat kerugian para nasabah mencapai Rp 45 miliar.",
        "Pengamat hukum pidana dari Universitas Airlangga (Unair), Budi Santoso, menilai vonis itu sudah sesuai. "
        "Namun, ia mengingatkan aset terdakwa harus segera disita untuk mengganti kerugian nasabah.",
        "Ia juga meminta pemerintah memperketat pengawasan terhadap perusahaan investasi.",
    ]
)
COURT_BACK = COURT.replace("Kamis (6/6/2024)", "pada hari Kamis (6/6/2024)").replace("ujarnya", "katanya")
COURT_EN = "\n\n".join(
    [
        "SURABAYA - The Surabaya District Court sentenced the director of PT Bina Karya Lestari, Wahyu Setiadi, to "
        "four years in prison in an investment fraud case on Thursday (6/6/2024).",
        "Public prosecutor Dewi Anggraini said her office was still studying the copy of the verdict.",
        "The defendant's lawyer, Fajar Nugroho, said his client objected to the panel's verdict. "
        '"We will appeal," he said.',
        "The Financial Services Authority (OJK) recorded customer losses of Rp 45 billion.",
        "Criminal law observer Budi Santoso of Airlangga University (Unair) considered the verdict appropriate. "
        "However, he warned that the defendant's assets must be seized quickly to compensate the customers.",
        "He also asked the government to tighten supervision of investment companies.",
    ]
)
COURT_FR = "\n\n".join(
    [
        "SURABAYA - Le tribunal de district de Surabaya a condamné le directeur de PT Bina Karya Lestari, Wahyu "
        "Setiadi, à quatre ans de prison pour escroquerie à l'investissement jeudi (6/6/2024).",
        "La procureure Dewi Anggraini a déclaré que son service étudiait encore la copie du jugement.",
        "L'avocat de l'accusé, Fajar Nugroho, a indiqué que son client contestait le jugement. "
        "« Nous ferons appel », a-t-il dit.",
        "L'Autorité des services financiers (OJK) a chiffré les pertes des clients à 45 milliards de roupies.",
        "Budi Santoso, spécialiste du droit pénal à l'université Airlangga (Unair), juge la peine adaptée. "
        "Il a toutefois averti que les biens de l'accusé devaient être saisis rapidement pour indemniser les clients.",
        "Il a également demandé au gouvernement de renforcer la surveillance des sociétés d'investissement.",
    ]
)
COURT_ZH = "\n\n".join(
    [
        "泗水电——泗水地方法院周四（2024年6月6日）以投资诈骗罪判处PT Bina Karya Lestari公司董事瓦尤·塞蒂亚迪四年徒刑。",
        "公诉人黛薇·安格莱尼表示，检方仍在研究判决书副本。",
        "被告律师法贾尔·努格罗霍说，其当事人对合议庭的判决有异议。他说：“我们将提起上诉。”",
        "金融服务管理局（OJK）统计，客户损失达450亿印尼盾。",
        "艾尔朗加大学（Unair）刑法观察人士布迪·桑托索认为判决适当。不过，他提醒应尽快查封被告资产以赔偿客户。",
        "他还要求政府加强对投资公司的监管。",
    ]
)
COURT_TEXTS = {"en": COURT_EN, "fr": COURT_FR, "zh": COURT_ZH}


def _with(text: str, paragraph: int, new: str) -> str:
    parts = text.split("\n\n")
    parts[paragraph] = new
    return "\n\n".join(parts)


def _report(tmp_path: Path, source: str, texts: dict[str, str], back: dict[str, str]) -> Report:
    path = tmp_path / "in.jsonl"
    record = {"id": "a1", "source_lang": "id", "texts": {"id": source, **texts}, "back": back}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    settings = Settings(bootstrap=0, thresholds=Thresholds(min_confidence=0.0))
    return evaluate(load_inputs([path]).articles, settings, mode="score")


def _intruders(report: Report, lang: str) -> list[Flag]:
    flags = report.articles[0].version(lang).flags
    return [f for f in flags if f.code == "name_mismatch" and f.evidence.get("kind") == "intruder"]


def _court_backs(**changed: str) -> dict[str, str]:
    return {lang: changed.get(lang, COURT_BACK) for lang in COURT_TEXTS}


def test_faithful_versions_have_no_intruder_and_no_role_swap(tmp_path: Path) -> None:
    report = _report(tmp_path, COURT, COURT_TEXTS, _court_backs())
    flags = [f for v in report.articles[0].versions for f in v.flags]
    assert not [f for f in flags if f.code == "role_swap" or f.evidence.get("kind") == "intruder"]


def test_a_quote_given_to_the_prosecutor_of_another_paragraph_is_an_intruder(tmp_path: Path) -> None:
    """The lawyer's appeal read back as the prosecutor's words (a transliteration wobble: Anggraeni)."""
    back = _with(
        COURT_BACK,
        2,
        "Penasihat hukum terdakwa, Fajar Nugroho, mengatakan kliennya keberatan dengan putusan majelis. "
        'Jaksa Dewi Anggraeni berkata: "Kami akan mengajukan banding."',
    )
    report = _report(tmp_path, COURT, COURT_TEXTS, _court_backs(zh=back))
    (flag,) = _intruders(report, "zh")
    assert flag.evidence["name"] == "Dewi Anggraini"
    assert flag.segments == ("3.2",)
    assert flag.evidence["kept_by"] == ["en", "fr"]
    assert flag.confidence >= SHOWN


def test_a_warning_given_to_a_body_named_elsewhere_is_read_in_the_latin_version(tmp_path: Path) -> None:
    """The observer's warning put in the mouth of the regulator: OJK stands in the English version itself."""
    en = _with(
        COURT_EN,
        4,
        "Criminal law observer Budi Santoso of Airlangga University (Unair) considered the verdict appropriate. "
        "However, the OJK warned that the defendant's assets must be seized quickly to compensate the customers.",
    )
    back = _with(
        COURT_BACK,
        4,
        "Pengamat hukum pidana Budi Santoso dari Universitas Airlangga (Unair) menilai vonis itu sudah sesuai. "
        "Namun, OJK mengingatkan aset terdakwa harus segera disita untuk mengganti kerugian nasabah.",
    )
    report = _report(tmp_path, COURT, {**COURT_TEXTS, "en": en}, _court_backs(en=back))
    (flag,) = _intruders(report, "en")
    assert flag.evidence["name"] == "OJK"
    assert flag.evidence["version_visible"] is True
    assert flag.confidence >= SHOWN


def test_a_pronoun_resolved_to_a_name_of_its_paragraph_or_of_the_one_before_is_no_intruder(tmp_path: Path) -> None:
    """ "ia" read back as the observer of the same paragraph, and in the next paragraph (which names nobody) as
    the observer of the paragraph before: both are what the source means."""
    back = _with(
        _with(
            COURT_BACK,
            4,
            "Pengamat hukum pidana dari Universitas Airlangga (Unair), Budi Santoso, menilai vonis itu sudah sesuai. "
            "Namun, Budi Santoso mengingatkan aset terdakwa harus segera disita untuk mengganti kerugian nasabah.",
        ),
        5,
        "Budi Santoso juga meminta pemerintah memperketat pengawasan terhadap perusahaan investasi.",
    )
    report = _report(tmp_path, COURT, COURT_TEXTS, _court_backs(zh=back))
    assert _intruders(report, "zh") == []


def test_a_name_other_versions_also_put_there_is_no_intruder(tmp_path: Path) -> None:
    """Two versions name the prosecutor in the lawyer's paragraph: not one version's slip."""
    back = _with(
        COURT_BACK,
        2,
        "Penasihat hukum terdakwa, Fajar Nugroho, menanggapi jaksa Dewi Anggraini dan mengatakan kliennya keberatan "
        'dengan putusan majelis. "Kami akan mengajukan banding," katanya.',
    )
    report = _report(tmp_path, COURT, COURT_TEXTS, _court_backs(zh=back, fr=back))
    assert _intruders(report, "zh") == [] and _intruders(report, "fr") == []


# ---- an article about a final: who beat whom -------------------------------------------------------------

FINAL = "\n\n".join(
    [
        "MALANG - Tunggal putra tuan rumah, Bagus Wicaksono, harus puas menjadi runner-up Kejuaraan Tenis Meja Jawa "
        "Timur setelah kalah dari pemain Kediri, Rizky Pratama, dengan skor 9-11, 8-11, 11-13 pada Minggu (9/6/2024).",
        "Di nomor ganda putra, Dimas Ardiansyah dan Yoga Saputra membawa pulang medali emas untuk Malang.",
        "Pada semifinal tahun lalu, Rizky Pratama dikalahkan oleh Bagus Wicaksono dalam lima gim.",
        "Pengurus provinsi berencana mengirim para juara ke kejuaraan nasional di Jakarta pada Agustus.",
    ]
)
FINAL_BACK = FINAL.replace("pada Minggu", "pada hari Minggu")
FINAL_EN = "\n\n".join(
    [
        "MALANG - Home men's singles player Bagus Wicaksono had to settle for runner-up at the East Java Table Tennis "
        "Championship after losing to Kediri's Rizky Pratama 9-11, 8-11, 11-13 on Sunday (9/6/2024).",
        "In the men's doubles, Dimas Ardiansyah and Yoga Saputra brought home the gold medal for Malang.",
        "In last year's semi-final, Rizky Pratama was beaten by Bagus Wicaksono in five games.",
        "The provincial board plans to send the champions to the national championship in Jakarta in August.",
    ]
)
FINAL_FR = "\n\n".join(
    [
        "MALANG - En simple messieurs, le joueur local Bagus Wicaksono a dû se contenter de la place de finaliste du "
        "championnat de tennis de table de Java oriental après sa défaite face à Rizky Pratama, de Kediri, 9-11, "
        "8-11, 11-13 dimanche (9/6/2024).",
        "En double messieurs, Dimas Ardiansyah et Yoga Saputra ont rapporté la médaille d'or à Malang.",
        "En demi-finale l'an dernier, Rizky Pratama avait été battu par Bagus Wicaksono en cinq manches.",
        "La fédération provinciale prévoit d'envoyer les champions au championnat national à Jakarta en août.",
    ]
)
FINAL_JA = "\n\n".join(
    [
        "マラン－地元の男子シングルス、バグス・ウィチャクソノは、2024年6月9日（日）、ケディリのリズキ・プラタマに9-11、"
        "8-11、11-13で敗れ、東ジャワ卓球選手権で準優勝に終わった。",
        "男子ダブルスでは、ディマス・アルディアンシャとヨガ・サプトラがマランに金メダルをもたらした。",
        "昨年の準決勝では、リズキ・プラタマがバグス・ウィチャクソノに5ゲームで敗れた。",
        "州の連盟は8月にジャカルタで開かれる全国選手権に優勝者を派遣する計画だ。",
    ]
)
FINAL_TEXTS = {"en": FINAL_EN, "fr": FINAL_FR, "ja": FINAL_JA}


def _final_backs(**changed: str) -> dict[str, str]:
    return {lang: changed.get(lang, FINAL_BACK) for lang in FINAL_TEXTS}


def _swaps(report: Report, lang: str) -> list[Flag]:
    return [f for f in report.articles[0].version(lang).flags if f.code == "role_swap"]


def test_the_winner_and_the_loser_trading_places_in_the_version_is_a_role_swap(tmp_path: Path) -> None:
    fr = _with(
        FINAL_FR,
        0,
        "MALANG - En simple messieurs, Rizky Pratama, de Kediri, a dû se contenter de la place de finaliste du "
        "championnat de tennis de table de Java oriental après sa défaite face au joueur local Bagus Wicaksono, "
        "9-11, 8-11, 11-13 dimanche (9/6/2024).",
    )
    back = _with(
        FINAL_BACK,
        0,
        "MALANG - Di tunggal putra, Rizky Pratama dari Kediri harus puas menjadi finalis Kejuaraan Tenis Meja Jawa "
        "Timur setelah kalah dari pemain tuan rumah Bagus Wicaksono, 9-11, 8-11, 11-13 pada hari Minggu (9/6/2024).",
    )
    report = _report(tmp_path, FINAL, {**FINAL_TEXTS, "fr": fr}, _final_backs(fr=back))
    (flag,) = _swaps(report, "fr")
    assert flag.evidence["names"] == ["Bagus Wicaksono", "Rizky Pratama"]
    assert flag.evidence["kept_by"] == ["en", "ja"]
    assert flag.evidence["version_visible"] is True
    assert {"kalah", "puas"} <= set(flag.evidence["relation"])
    assert flag.segments == ("1.1",)
    assert flag.confidence >= SHOWN


def test_an_active_sentence_for_a_passive_one_and_a_list_reordered_are_no_role_swap(tmp_path: Path) -> None:
    """ "X dikalahkan oleh Y" rendered "Y beat X", and "A dan B" rendered "B and A": the order changes, who did
    what does not (the passive's words between the names change with it; a list has none)."""
    en = _with(
        _with(FINAL_EN, 1, "In the men's doubles, Yoga Saputra and Dimas Ardiansyah brought home the gold medal."),
        2,
        "In last year's semi-final, Bagus Wicaksono beat Rizky Pratama in five games.",
    )
    back = _with(
        _with(FINAL_BACK, 1, "Di ganda putra, Yoga Saputra dan Dimas Ardiansyah membawa pulang medali emas."),
        2,
        "Pada semifinal tahun lalu, Bagus Wicaksono mengalahkan Rizky Pratama dalam lima gim.",
    )
    report = _report(tmp_path, FINAL, {**FINAL_TEXTS, "en": en}, _final_backs(en=back))
    assert _swaps(report, "en") == []


def test_a_swap_only_in_the_back_translation_of_a_latin_version_is_not_the_versions(tmp_path: Path) -> None:
    """The English version keeps the source's order; only its back-translation turned the names round."""
    back = _with(
        FINAL_BACK,
        0,
        "MALANG - Pemain tunggal putra tuan rumah Rizky Pratama harus puas menjadi runner-up Kejuaraan Tenis Meja "
        "Jawa Timur setelah kalah dari Bagus Wicaksono dari Kediri 9-11, 8-11, 11-13 pada hari Minggu (9/6/2024).",
    )
    report = _report(tmp_path, FINAL, FINAL_TEXTS, _final_backs(en=back))
    assert _swaps(report, "en") == []


# ---- a relation turned the other way round: the converse word (flag/_converses.py) ---------------------------

BRIBE = "\n\n".join(
    [
        "MEDAN - Kejaksaan Negeri Medan menahan Kepala Dinas Perhubungan Kota Medan, Rudi Hartono, Senin (3/6/2024).",
        "Rudi diduga menerima suap dari pengusaha parkir senilai Rp 2 miliar selama dua tahun.",
        "Menurut jaksa, harga retribusi parkir naik dua kali lipat sejak kontrak itu diteken.",
    ]
)
BRIBE_BACK = BRIBE.replace("Senin (3/6/2024)", "pada hari Senin (3/6/2024)")
BRIBE_TEXTS = {
    "en": "\n\n".join(
        [
            "MEDAN - The Medan District Prosecutor's Office detained the head of the Medan transport agency, Rudi "
            "Hartono, on Monday (3/6/2024).",
            "Rudi allegedly received bribes of Rp 2 billion from a parking operator over two years.",
            "According to prosecutors, parking fees have doubled since the contract was signed.",
        ]
    ),
    "fr": "\n\n".join(
        [
            "MEDAN - Le parquet de Medan a placé en détention le chef du service des transports de Medan, Rudi "
            "Hartono, lundi (3/6/2024).",
            "Rudi aurait reçu des pots-de-vin d'un exploitant de parkings pour 2 milliards de roupies en deux ans.",
            "Selon le parquet, les redevances de stationnement ont doublé depuis la signature du contrat.",
        ]
    ),
    "ja": "\n\n".join(
        [
            "メダン－メダン地方検察庁は2024年6月3日（月）、メダン市運輸局長ルディ・ハルトノを拘束した。",
            "ルディは2年間にわたり駐車場業者から20億ルピアの賄賂を受け取った疑いがある。",
            "検察によると、契約締結以降、駐車料金は2倍に上がった。",
        ]
    ),
}


def _bribe_backs(**changed: str) -> dict[str, str]:
    return {lang: changed.get(lang, BRIBE_BACK) for lang in BRIBE_TEXTS}


def _converses(report: Report, lang: str) -> list[Flag]:
    return [f for f in _swaps(report, lang) if f.evidence.get("kind") == "converse"]


def test_a_bribe_received_from_someone_coming_back_as_paid_to_him_is_a_relation_turned_around(
    tmp_path: Path,
) -> None:
    back = _with(
        BRIBE_BACK, 1, "Rudi diduga memberikan suap kepada pengusaha parkir senilai Rp 2 miliar selama dua tahun."
    )
    report = _report(tmp_path, BRIBE, BRIBE_TEXTS, _bribe_backs(en=back))
    (flag,) = _converses(report, "en")
    assert flag.segments == ("2.1",)
    assert flag.evidence["kept_by"] == ["fr", "ja"]
    assert flag.evidence["anchor"] in {"suap", "pengusaha"}
    assert flag.confidence >= SHOWN
    assert _converses(report, "fr") == [] and _converses(report, "ja") == []


def test_a_price_that_fell_instead_of_rising_is_a_relation_turned_around(tmp_path: Path) -> None:
    back = _with(BRIBE_BACK, 2, "Menurut jaksa, harga retribusi parkir turun dua kali lipat sejak kontrak itu diteken.")
    report = _report(tmp_path, BRIBE, BRIBE_TEXTS, _bribe_backs(fr=back))
    (flag,) = _converses(report, "fr")
    assert flag.evidence["words"] == ["naik", "turun"]


def test_a_converse_that_another_route_has_too_or_a_faithful_paraphrase_is_not_flagged(tmp_path: Path) -> None:
    """Two routes with the converse: the sentence is ambiguous, not one version wrong; "meningkat" for "naik" is a
    paraphrase; a converse word whose object is not the source word's is another clause."""
    turned = _with(
        BRIBE_BACK, 1, "Rudi diduga memberikan suap kepada pengusaha parkir senilai Rp 2 miliar selama dua tahun."
    )
    rising = _with(
        BRIBE_BACK, 2, "Menurut jaksa, harga retribusi parkir meningkat dua kali lipat sejak kontrak diteken."
    )
    report = _report(tmp_path, BRIBE, BRIBE_TEXTS, _bribe_backs(en=turned, ja=turned, fr=rising))
    assert [f for lang in BRIBE_TEXTS for f in _converses(report, lang)] == []
    elsewhere = _with(
        BRIBE_BACK, 1, "Rudi memberi izin lalu diduga mendapat suap dari pengusaha parkir senilai Rp 2 miliar."
    )
    report = _report(tmp_path, BRIBE, BRIBE_TEXTS, _bribe_backs(ja=elsewhere))
    assert _converses(report, "ja") == []


def test_a_converse_two_routes_share_is_not_flagged_even_where_enough_others_keep_the_word(tmp_path: Path) -> None:
    """Two of four routes give the bribe the other way round and two keep it: enough keepers for a consensus,
    but a converse that another route reads too is the sentence's ambiguity, not one version's error."""
    zh = "\n\n".join(
        [
            "棉兰——棉兰地区检察院2024年6月3日（周一）拘留了棉兰市交通局局长鲁迪·哈托诺。",
            "鲁迪涉嫌在两年内从停车场经营者处收受20亿印尼盾贿赂。",
            "据检方称，自合同签订以来，停车费上涨了一倍。",
        ]
    )
    turned = _with(
        BRIBE_BACK, 1, "Rudi diduga memberikan suap kepada pengusaha parkir senilai Rp 2 miliar selama dua tahun."
    )
    texts = {**BRIBE_TEXTS, "zh": zh}
    backs = {"en": turned, "ja": turned, "fr": BRIBE_BACK, "zh": BRIBE_BACK}
    report = _report(tmp_path, BRIBE, texts, backs)
    assert [f for lang in texts for f in _converses(report, lang)] == []
    alone = _report(tmp_path, BRIBE, texts, {**backs, "ja": BRIBE_BACK})  # one route alone: flagged
    assert [f.evidence["kept_by"] for f in _converses(alone, "en")] == [["fr", "ja", "zh"]]


def test_the_sound_index_finds_what_a_ratio_against_every_token_finds() -> None:
    """The index of a text's tokens by sound (there for speed: every name × paragraph × version asks) answers as
    the plain reading does: the key transliterated against each token of the text."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from backtrans.flag._roles import _folded_tokens, _transliterated
    from backtrans.flag._words import fold, split_tokens

    words = st.sampled_from(
        ["Pratama", "Bratama", "Dimas", "Dinas", "Rudi", "Rudy", "Anggraini", "Anggraeni", "Tedi", "Dedi", "Jaya"]
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(words, max_size=8), words)
    def check(text_words: list[str], wanted: str) -> None:
        text = " ".join(text_words)
        key = fold(wanted)
        plain = any(_transliterated(key, fold(t)) for t in split_tokens(text))
        assert _folded_tokens(text).holds(key) == plain

    check()
    assert _folded_tokens("kata Bratama kemarin").holds("pratama")
    assert not _folded_tokens("kata Dinas kemarin").holds("dimas")
