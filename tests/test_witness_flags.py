"""The witnesses judge the score flags: synthetic cases through the fake translation and encoder backends.

The fake translation backend returns, for each version sentence, the
back-translation a table gives; the source's own round trip (``--calibrate``)
goes through the forward models, which mark the text, so the last model of the
route can return the floor a second table gives. The fake encoder gives a
source sentence and its version the same meaning vector unless a test blends
another meaning in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backtrans.config import Settings, Thresholds
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.testing import FakeBackend, FakeEncoderBackend
from backtrans.types import ModelRef, Report, VersionResult

SOURCE = [
    "Pemerintah kota menyiapkan anggaran besar untuk menangani banjir di kawasan pesisir utara.",
    "Warga diminta tetap tenang karena petugas sudah berada di lokasi sejak pagi hari.",
    "Kepala dinas mengatakan pompa air tambahan akan dipasang di tiga titik rawan.",
    "Sekolah di kawasan itu diliburkan sampai air surut dan jalan kembali bisa dilalui.",
    "Bantuan makanan dan obat-obatan dibagikan kepada keluarga yang rumahnya terendam.",
    "Pemerintah provinsi berjanji membangun tanggul laut baru dalam dua tahun ke depan.",
]
ENGLISH = [
    "The city government is preparing a large budget to deal with floods on the north coast.",
    "Residents were asked to stay calm because officers have been on site since the morning.",
    "The head of the agency said extra water pumps will be installed at three vulnerable points.",
    "Schools in the area are closed until the water recedes and the roads can be used again.",
    "Food and medicine were handed out to families whose houses were flooded.",
    "The provincial government promised to build a new sea wall within the next two years.",
]
FRENCH = [
    "La municipalité prépare un budget important pour faire face aux inondations sur la côte nord.",
    "Les habitants ont été priés de rester calmes car les agents sont sur place depuis le matin.",
    "Le chef du service a déclaré que des pompes supplémentaires seront installées en trois points sensibles.",
    "Les écoles du secteur sont fermées jusqu'à ce que l'eau se retire et que les routes soient praticables.",
    "De la nourriture et des médicaments ont été distribués aux familles dont la maison a été inondée.",
    "Le gouvernement provincial a promis de construire une nouvelle digue dans les deux prochaines années.",
]
JAPANESE = [
    "市当局は北部沿岸の洪水に対応するため、多額の予算を準備している。",
    "職員が朝から現場にいるため、住民は落ち着くよう求められた。",
    "局長は、3カ所の危険地点に追加の排水ポンプを設置すると述べた。",
    "この地域の学校は、水が引いて道路が再び通れるようになるまで休校となる。",
    "家が浸水した家族に食料と医薬品が配られた。",
    "州政府は今後2年以内に新しい防潮堤を建設すると約束した。",
]
MANGLED = "Rumah sakit kota membeli kendaraan baru untuk pegawai."
PARTLY = "Warga diminta tenang karena polisi ada di sana sejak kemarin."
HALF = "Kepala dinas mengatakan pompa tambahan akan dipasang di beberapa titik."
FORWARD = ("opus-mt-id-en", "opus-mt-id-fr")


def round_trip_backend(back: dict[str, str], floors: dict[tuple[str, str], str]) -> FakeBackend:
    """Versions come back as ``back`` says (else as the source); round trips as ``floors[(lang, source)]`` says."""
    by_version = {v: s for texts in (ENGLISH, FRENCH, JAPANESE) for v, s in zip(texts, SOURCE, strict=True)}

    def translate(ref: ModelRef, text: str) -> str:
        name = ref.name.rsplit("/", 1)[-1]
        if name.endswith(FORWARD):  # the first step of a round trip: mark it and the language it goes to
            return f"⟨{name[-2:]}⟩{text}"
        if name == "opus-tatoeba-en-ja":
            return text.replace("⟨en⟩", "⟨ja⟩")
        if not name.endswith("-id"):
            return text  # a pivot step (ja → en) keeps the text
        if text.startswith("⟨"):
            lang, source = text[1:3], text[4:]
            return floors.get((lang, source), source)
        return back.get(text, by_version.get(text, text))

    return FakeBackend(function=translate)


def run(tmp_path: Path, texts: dict[str, list[str]], backend: FakeBackend, **settings: object) -> Report:
    record = {"id": "a1", "source_lang": "id", "texts": {"id": "\n\n".join(SOURCE)}}
    record["texts"].update({lang: "\n\n".join(sentences) for lang, sentences in texts.items()})
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    encoder = settings.pop("encoder", None)
    return evaluate(
        load_inputs([path]).articles,
        Settings(bootstrap=200, use_cache=False, **settings),  # type: ignore[arg-type]
        backend=backend,
        encoder=encoder,  # type: ignore[arg-type]
    )


def flags_on(version: VersionResult, code: str) -> list[tuple[str, ...]]:
    return [f.segments for f in version.flags if f.code == code]


def test_low_score_with_an_equally_low_floor_is_route_noise(tmp_path: Path) -> None:
    """Every route mangles sentence 3: without calibration it is flagged, with it it is not."""
    backend_args = ({ENGLISH[2]: MANGLED}, {("en", SOURCE[2]): MANGLED})
    raw = run(tmp_path, {"en": ENGLISH}, round_trip_backend(*backend_args)).articles[0].version("en")
    assert flags_on(raw, "low_consistency") == [("3.1",)]
    report = run(tmp_path, {"en": ENGLISH}, round_trip_backend(*backend_args), calibrate=True)
    version = report.articles[0].version("en")
    assert flags_on(version, "low_consistency") == []
    pair = version.pairs[2]
    assert pair.witness is not None and pair.witness.floor == pytest.approx(pair.scores.chrf)
    assert pair.witness.excess_drift == pytest.approx(0.0)
    assert version.pairs[0].witness.floor == pytest.approx(100.0)


def test_low_score_against_a_high_floor_is_flagged(tmp_path: Path) -> None:
    """chrF++ 55 is above the raw floor of 40, but the route itself loses nothing here: excess drift 45."""
    backend = round_trip_backend({ENGLISH[2]: HALF}, {})
    raw = run(tmp_path, {"en": ENGLISH}, backend).articles[0].version("en")
    assert raw.pairs[2].scores.chrf > 40 and flags_on(raw, "low_consistency") == []
    version = run(tmp_path, {"en": ENGLISH}, round_trip_backend({ENGLISH[2]: HALF}, {}), calibrate=True)
    version = version.articles[0].version("en")
    (flag,) = [f for f in version.flags if f.code == "low_consistency"]
    assert flag.segments == ("3.1",) and flag.evidence["floor"] == 100.0
    assert flag.evidence["excess_drift"] == pytest.approx(100.0 - version.pairs[2].scores.chrf, abs=0.01)
    assert "below the source's own round trip" in flag.message


def test_outlier_language_uses_the_excess_drift(tmp_path: Path) -> None:
    """Only the Japanese route mangles sentence 2 (the pivot through English): not the Japanese version's fault."""
    texts = {"en": ENGLISH, "fr": FRENCH, "ja": JAPANESE}
    backend_args = ({JAPANESE[1]: PARTLY}, {("ja", SOURCE[1]): PARTLY})
    # PARTLY is only partly mangled: the raw rule flags it once its garbling cut-off is lifted
    loose = Thresholds(outlier_max=100.0)
    raw = run(tmp_path, texts, round_trip_backend(*backend_args), thresholds=loose).articles[0].version("ja")
    assert flags_on(raw, "outlier_language") == [("2.1",)]
    report = run(tmp_path, texts, round_trip_backend(*backend_args), calibrate=True, thresholds=loose)
    assert all(flags_on(v, "outlier_language") == [] for v in report.articles[0].versions)
    ja = report.articles[0].version("ja")
    assert ja.witness is not None and ja.witness.floor is not None and ja.witness.floor.chrf < 100
    (summary,) = [s for s in report.languages if s.lang == "ja"]
    assert summary.witness.excess_drift == pytest.approx(summary.witness.floor.chrf - summary.scores.chrf)
    # and the same version mangled where its route is clean: an outlier beyond the route
    report = run(tmp_path, texts, round_trip_backend({JAPANESE[1]: PARTLY}, {}), calibrate=True, thresholds=loose)
    ja = report.articles[0].version("ja")
    (flag,) = [f for f in ja.flags if f.code == "outlier_language"]
    assert flag.segments == ("2.1",) and flag.evidence["others_median_drift"] == pytest.approx(0.0)


def test_a_version_without_a_floor_does_not_switch_calibration_off_for_the_others(tmp_path: Path) -> None:
    """ko has no forward route, so no floor: en, fr and ja are still judged on their excess drift, ko on raw scores."""
    korean = [
        "시 정부는 북부 해안의 홍수에 대처하기 위해 많은 예산을 준비하고 있다.",
        "직원들이 아침부터 현장에 있기 때문에 주민들은 침착하라는 요청을 받았다.",
        "국장은 위험한 세 지점에 추가 배수 펌프를 설치할 것이라고 말했다.",
        "이 지역의 학교들은 물이 빠지고 도로가 다시 통행 가능해질 때까지 휴교한다.",
        "집이 물에 잠긴 가족들에게 음식과 의약품이 나누어졌다.",
        "주 정부는 앞으로 2년 안에 새로운 방조제를 건설하겠다고 약속했다.",
    ]
    texts = {"en": ENGLISH, "fr": FRENCH, "ja": JAPANESE, "ko": korean}
    back = {ENGLISH[2]: HALF, JAPANESE[1]: PARTLY, **dict(zip(korean, SOURCE, strict=True)), korean[2]: HALF}
    backend = round_trip_backend(back, {})
    report = run(tmp_path, texts, backend, calibrate=True, thresholds=Thresholds(outlier_max=100.0))
    en, ja, ko = (report.articles[0].version(lang) for lang in ("en", "ja", "ko"))
    assert ko.witness is not None and ko.witness.floor is None and en.witness.floor is not None
    (flag,) = [f for f in en.flags if f.code == "low_consistency"]  # chrF++ > 40: only the excess drift sees it
    assert flag.segments == ("3.1",) and flag.evidence["floor"] == 100.0
    (outlier,) = [f for f in ja.flags if f.code == "outlier_language"]
    assert outlier.segments == ("2.1",) and "others_median_drift" in outlier.evidence, "among the calibrated versions"
    assert ko.pairs[2].scores.chrf == pytest.approx(en.pairs[2].scores.chrf)
    assert flags_on(ko, "low_consistency") == [], "ko keeps the raw rule: chrF++ above 40 is not flagged"


def test_low_chrf_with_a_high_direct_similarity_is_downgraded_or_dropped(tmp_path: Path) -> None:
    """The back-translation model mangled it, but the version itself means what the source means."""
    meanings = {text: f"m{i}" for texts in (SOURCE, ENGLISH) for i, text in enumerate(texts)}
    same = FakeEncoderBackend(meanings=meanings)
    backend = round_trip_backend({ENGLISH[2]: MANGLED}, {})
    version = run(tmp_path, {"en": ENGLISH}, backend, semantic=True, encoder=same).articles[0].version("en")
    assert flags_on(version, "low_consistency") == []  # as similar as the good pairs: dropped
    assert version.pairs[2].witness.direct == pytest.approx(1.0, abs=1e-6)
    nearly = FakeEncoderBackend(meanings=meanings, blend={ENGLISH[2]: ("other", 0.02)})
    version = run(tmp_path, {"en": ENGLISH}, backend, semantic=True, encoder=nearly).articles[0].version("en")
    (flag,) = [f for f in version.flags if f.code == "low_consistency"]
    assert flag.severity == "low" and flag.evidence["verdict"] == "back-translation noise"
    assert "probably back-translation noise" in flag.message
    far = FakeEncoderBackend(meanings=meanings, blend={ENGLISH[2]: ("other", 0.6)})
    version = run(tmp_path, {"en": ENGLISH}, backend, semantic=True, encoder=far).articles[0].version("en")
    (flag,) = [f for f in version.flags if f.code == "low_consistency"]
    assert flag.severity == "medium" and flag.evidence["verdict"] == "confirmed"


def test_high_chrf_with_a_low_direct_similarity_is_a_meaning_drift(tmp_path: Path) -> None:
    """The back-translation reads like the source, but the version itself says something else."""
    meanings = {text: f"m{i}" for texts in (SOURCE, ENGLISH) for i, text in enumerate(texts)}
    drifted = FakeEncoderBackend(meanings=meanings, blend={ENGLISH[4]: ("reversed", 0.7)})
    report = run(tmp_path, {"en": ENGLISH}, round_trip_backend({}, {}), semantic=True, encoder=drifted)
    version = report.articles[0].version("en")
    assert version.pairs[4].scores.chrf == pytest.approx(100.0)
    (flag,) = version.flags
    assert flag.code == "meaning_drift" and flag.severity == "medium" and flag.segments == ("5.1",)
    assert flag.evidence["direct_similarity"] < 0.6 and flag.evidence["robust_z"] <= -2.5
    assert version.pairs[4].flags == ("meaning_drift",)
    faithful = FakeEncoderBackend(meanings=meanings)
    report = run(tmp_path, {"en": ENGLISH}, round_trip_backend({}, {}), semantic=True, encoder=faithful)
    assert report.articles[0].version("en").flags == ()


def test_the_witness_rules_take_their_smallest_spreads_from_the_thresholds(tmp_path: Path) -> None:
    """low_consistency_min_spread holds under --calibrate too, semantic_min_spread for cosines; both are recorded."""
    wide = Thresholds(low_consistency_min_spread=30.0)  # excess drift ≈ 45 is then only 1.5 deviations out
    report = run(tmp_path, {"en": ENGLISH}, round_trip_backend({ENGLISH[2]: HALF}, {}), calibrate=True, thresholds=wide)
    assert flags_on(report.articles[0].version("en"), "low_consistency") == []
    assert report.signature.thresholds["low_consistency_min_spread"] == 30.0
    meanings = {text: f"m{i}" for texts in (SOURCE, ENGLISH) for i, text in enumerate(texts)}
    drifted = FakeEncoderBackend(meanings=meanings, blend={ENGLISH[4]: ("reversed", 0.7)})
    loose = Thresholds(semantic_min_spread=0.5)  # a cosine of ~0.5 against ~1.0 is then one deviation out
    report = run(
        tmp_path, {"en": ENGLISH}, round_trip_backend({}, {}), semantic=True, encoder=drifted, thresholds=loose
    )
    assert report.articles[0].version("en").flags == ()
    assert report.signature.thresholds["semantic_min_spread"] == 0.5


def test_semantic_numbers_per_pair_version_and_language(tmp_path: Path) -> None:
    """direct, back, their means with intervals, and the encoder in the signature; one load for the run."""
    meanings = {text: f"m{i}" for texts in (SOURCE, ENGLISH) for i, text in enumerate(texts)}
    encoder = FakeEncoderBackend(meanings=meanings, blend={ENGLISH[0]: ("x", 0.3)})
    report = run(tmp_path, {"en": ENGLISH, "fr": FRENCH}, round_trip_backend({}, {}), semantic=True, encoder=encoder)
    assert encoder.loads == 1
    assert sorted(len(b) for b in encoder.batches) == [len(set(SOURCE + ENGLISH + FRENCH))]  # each text once
    en = report.articles[0].version("en")
    pair = en.pairs[0]
    assert pair.witness.direct < 0.99 and pair.witness.back == pytest.approx(1.0, abs=1e-6)
    assert en.witness.direct.n == 6 and en.witness.direct.ci[0] <= en.witness.direct.value <= en.witness.direct.ci[1]
    assert [p.paragraph for p in en.witness.paragraphs] == [1, 2, 3, 4, 5, 6]
    (summary,) = [s for s in report.languages if s.lang == "en"]
    assert summary.witness.direct.value == pytest.approx(en.witness.direct.value)
    assert report.signature.encoder.name == Settings().semantic_model
    assert report.signature.witnesses["semantic"]["pooling"] == "fake meanings"
    assert [c.stage for c in report.costs] == ["translation", "embedding"]


def test_report_json_keeps_the_witnesses_and_older_files_still_load(tmp_path: Path) -> None:
    """Witness fields survive report.json exactly; a file written before they existed reads with them empty."""
    from backtrans.report.json import read_report, render_json

    meanings = {text: f"m{i}" for texts in (SOURCE, ENGLISH) for i, text in enumerate(texts)}
    report = run(
        tmp_path,
        {"en": ENGLISH},
        round_trip_backend({ENGLISH[2]: HALF}, {}),
        semantic=True,
        calibrate=True,
        encoder=FakeEncoderBackend(meanings=meanings),
    )
    path = tmp_path / "report.json"
    path.write_text(render_json(report), encoding="utf-8")
    assert read_report(path) == report
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("costs")
    data["signature"].pop("encoder")
    data["signature"].pop("witnesses")
    for summary in data["languages"]:
        summary.pop("witness")
    for version in data["articles"][0]["versions"]:
        version.pop("witness")
        for pair in version["pairs"]:
            pair.pop("witness")
    path.write_text(json.dumps(data), encoding="utf-8")
    old = read_report(path)
    assert old.costs == () and old.signature.encoder is None and old.languages[0].witness is None
    assert old.articles[0].versions[0].pairs[0].witness is None
