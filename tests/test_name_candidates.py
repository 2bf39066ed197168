"""The prepared candidates of a text answer "does any token match?" exactly as the token-by-token loop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backtrans.flag._words import Candidates, candidate_tokens, candidates_of, token_matches, word_matches

# names with transliteration wobble, acronyms, ordinary words and their derivations, short and
# accented tokens, tokens that fold to nothing
TOKENS = [
    "Syarifuddin",
    "Sharifuddin",
    "Hasan",
    "Hassan",
    "Mas'ud",
    "Masud",
    "KPK",
    "Ghufron",
    "Gufron",
    "Komisi",
    "Pemberantasan",
    "Korupsi",
    "penanganan",
    "penanggulangan",
    "pelantikan",
    "dilantik",
    "Idul",
    "Fitri",
    "Idulfitri",
    "Jamaah",
    "Ansharut",
    "Daulah",
    "ISIS",
    "Syafi'i",
    "Shafii",
    "Galih",
    "Gari",
    "Café",
    "cafe",
    "di",
    "AS",
    "—",
    "'",
    "Jawa-Tengah",
    "Semarang",
    "Semarangan",
    "x",
]
text = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join)
wanted = st.sampled_from(TOKENS) | st.text(alphabet="abdhikrsuyASK'", max_size=9)


@settings(max_examples=400, deadline=None)
@given(wanted=wanted, back=text, version=text, fuzzy=st.sampled_from([70.0, 80.0, 90.0]))
def test_prepared_candidates_answer_as_the_loop(wanted: str, back: str, version: str, fuzzy: float) -> None:
    tokens = candidate_tokens(back) + candidate_tokens(version)
    prepared = candidates_of(back, version)
    assert prepared.token_match(wanted, fuzzy) == any(token_matches(wanted, c, fuzzy) for c in tokens)
    assert prepared.word_match(wanted) == any(word_matches(wanted, c) for c in tokens)


def test_no_candidates_match_nothing() -> None:
    assert not Candidates([]).token_match("Hasan", 80.0)
    assert not Candidates(["—"]).word_match("Hasan")
