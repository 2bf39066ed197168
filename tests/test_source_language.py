"""Rules that read word frequencies or stems follow the source language (an English source is not Indonesian)."""

from __future__ import annotations

import json
from pathlib import Path

from backtrans.config import Settings
from backtrans.flag._names import source_names
from backtrans.flag._words import ordinary_word, zipf_in
from backtrans.load.loading import load_inputs
from backtrans.pipeline import evaluate
from backtrans.types import Report

_SOURCE = (
    "Central Bank Holds Rates\n\n"
    "The central bank's Monetary Policy Board met on Tuesday in Jakarta, Governor Perry Warjiyo said. "
    "The new Policy takes effect in July, Reuters reported.\n\n"
    "Analysts at Mandiri Sekuritas expected the decision, the Minister added."
)
_VERSION = (
    "La banque centrale maintient ses taux\n\n"
    "Le conseil de politique monétaire de la banque centrale s'est réuni cette semaine à Jakarta, a déclaré "
    "le gouverneur Perry Warjiyo. La nouvelle politique entre en vigueur en juillet, a rapporté Reuters.\n\n"
    "Les analystes de Mandiri Sekuritas s'attendaient à la décision, a ajouté le ministre."
)
#: the French version back into English: the weekday dropped, "Policy" in lower case, one word replaced
_BACK = (
    "The central bank holds its rates\n\n"
    "The monetary policy council of the central bank met this week in Jakarta, said governor Perry Warjiyo. "
    "The new policy enters into force in July, reported Reuters.\n\n"
    "The analysts of Mandiri Sekuritas awaited the verdict, added the minister."
)


def _report(tmp_path: Path, source_lang: str) -> Report:
    path = tmp_path / "in.jsonl"
    record = {"id": "en1", "source_lang": source_lang, "texts": {source_lang: _SOURCE, "fr": _VERSION}}
    record["back"] = {"fr": _BACK}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return evaluate(load_inputs([path]).articles, Settings(bootstrap=0), mode="score")


def test_english_words_are_ordinary_by_english_frequencies() -> None:
    assert ordinary_word("Policy", "en") and ordinary_word("Minister", "en")
    assert not ordinary_word("Warjiyo", "en") and not ordinary_word("Reuters", "en")
    assert zipf_in("policy", "en") > zipf_in("policy", "id")
    assert zipf_in("policy", "xx") == 0.0  # no word list: every capitalised word may be a name


def test_an_english_source_has_no_weekday_or_common_word_names() -> None:
    names = {n.surface for n in source_names(_SOURCE.split("\n\n")[1], lang="en")}
    assert {"Jakarta", "Reuters"} <= names
    assert not names & {"Tuesday", "Policy", "July"}
    # read with Indonesian frequencies, the same text yields them (what the rule did for every language)
    assert {"Tuesday", "Policy"} <= {n.surface for n in source_names(_SOURCE.split("\n\n")[1], lang="id")}


def test_an_english_source_article_raises_no_false_name_or_term_flags(tmp_path: Path) -> None:
    """The name check reads English frequencies for an English source; the term check (Indonesian stems,
    synonyms and function words) is Indonesian-only and stays silent."""
    flags = _report(tmp_path, "en").articles[0].version("fr").flags
    names = [f.evidence.get("name") for f in flags if f.code == "name_mismatch"]
    assert "Tuesday" not in names and "Policy" not in names
    assert not [f for f in flags if f.code == "changed_term"]
