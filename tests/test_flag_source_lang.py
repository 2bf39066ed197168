"""Rules written for Indonesian sources stay quiet, or fall back to their general reading, on a source in another
language: the role swap's words between two names and the hedge's kinds of modality are read with Indonesian
function words and lists. Our own text throughout."""

from __future__ import annotations

import json
from pathlib import Path

from backtrans import Settings, evaluate, load_inputs
from backtrans.config import Thresholds
from backtrans.types import Flag, Report


def _report(tmp_path: Path, source_lang: str, texts: dict[str, str], back: dict[str, str]) -> Report:
    path = tmp_path / "in.jsonl"
    record = {"id": "a1", "source_lang": source_lang, "texts": texts, "back": back}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    settings = Settings(bootstrap=0, thresholds=Thresholds(min_confidence=0.0))
    return evaluate(load_inputs([path]).articles, settings, mode="score")


def _codes(report: Report, lang: str, code: str) -> list[Flag]:
    return [f for f in report.articles[0].version(lang).flags if f.code == code]


SIGNING = (
    "Budi Santoso, the mayor of the city, and Andi Wijaya, the head of the port office, signed the water "
    "agreement on Monday.\n\nThe agreement covers the water supply of the harbour district."
)
SIGNING_VERSIONS = {
    "id": "Andi Wijaya, kepala kantor pelabuhan, dan Budi Santoso, wali kota, menandatangani perjanjian air itu "
    "pada Senin.\n\nPerjanjian itu mencakup pasokan air kawasan pelabuhan.",
    "fr": "Budi Santoso, maire de la ville, et Andi Wijaya, chef du bureau du port, ont signé l'accord sur l'eau "
    "lundi.\n\nL'accord couvre l'approvisionnement en eau du quartier du port.",
    "es": "Budi Santoso, alcalde de la ciudad, y Andi Wijaya, jefe de la oficina del puerto, firmaron el acuerdo "
    "del agua el lunes.\n\nEl acuerdo cubre el suministro de agua del distrito portuario.",
}


def test_a_list_of_two_people_reordered_in_an_english_source_article_is_no_role_swap(tmp_path: Path) -> None:
    """Two appositions in a list ("A, the mayor …, and B, the head …") put the other way round share "the" and
    "and" between the names, which an Indonesian function-word list does not know: no relation traded places."""
    reordered = (
        "Andi Wijaya, the head of the port office, and Budi Santoso, the mayor of the city, signed the water "
        "agreement on Monday.\n\nThe agreement covers the water supply of the harbour district."
    )
    report = _report(
        tmp_path,
        "en",
        {"en": SIGNING, **SIGNING_VERSIONS},
        {"id": reordered, "fr": SIGNING, "es": SIGNING},
    )
    assert _codes(report, "id", "role_swap") == []


STORM = (
    "Flights at the Kualanamu airport were cancelled due to the storm on Monday.\n\n"
    "The provincial government said its road projects in North Sumatra remain on schedule despite the rain.\n\n"
    "The airport operator allegedly ignored an earlier weather warning."
)
STORM_VERSIONS = {
    "id": "Penerbangan di bandara Kualanamu dibatalkan karena badai pada Senin.\n\nPemerintah provinsi mengatakan "
    "proyek jalan di Sumatra Utara tetap sesuai jadwal meski hujan.\n\nOperator bandara diduga mengabaikan "
    "peringatan cuaca sebelumnya.",
    "fr": "Les vols à l'aéroport de Kualanamu ont été annulés en raison de la tempête lundi.\n\nLe gouvernement "
    "provincial a déclaré que ses projets routiers à Sumatra du Nord restent dans les temps malgré la pluie.\n\n"
    "L'exploitant de l'aéroport aurait ignoré un avertissement météo antérieur.",
    "es": "Los vuelos en el aeropuerto de Kualanamu fueron cancelados debido a la tormenta el lunes.\n\nEl gobierno "
    "provincial dijo que sus proyectos viales en Sumatra del Norte siguen a tiempo pese a la lluvia.\n\n"
    "El operador del aeropuerto supuestamente ignoró una alerta meteorológica anterior.",
}


def test_nouns_of_the_version_lists_are_no_modality_of_an_english_source(tmp_path: Path) -> None:
    """ "due to the storm" is a cause, "road projects" are works: read as a plan and an estimate in an English
    source, a faithful "because of" and "road works" came back as lost hedges."""
    back = STORM.replace("due to", "because of").replace("road projects", "road works")
    report = _report(tmp_path, "en", {"en": STORM, **STORM_VERSIONS}, {"id": back, "fr": STORM, "es": STORM})
    assert _codes(report, "id", "hedge_mismatch") == []


def test_an_allegation_lost_from_an_english_source_is_still_flagged(tmp_path: Path) -> None:
    """The general reading stays for other sources: "allegedly" gone (the Indonesian version has no "diduga")."""
    versions = {**STORM_VERSIONS, "id": STORM_VERSIONS["id"].replace("diduga mengabaikan", "mengabaikan")}
    back = STORM.replace("allegedly ignored", "ignored")
    report = _report(tmp_path, "en", {"en": STORM, **versions}, {"id": back, "fr": STORM, "es": STORM})
    lost = _codes(report, "id", "hedge_mismatch")
    assert [f.evidence["markers"] for f in lost] == [["allegedly"]]
    assert _codes(report, "fr", "hedge_mismatch") == _codes(report, "es", "hedge_mismatch") == []
