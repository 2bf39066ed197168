"""The Indonesian vocabulary is data (``backtrans/data/indonesian.toml``): it loads, and no entry is empty."""

from __future__ import annotations

import tomllib
from importlib import resources

from backtrans.flag import _lexicon as lexicon


def test_the_vocabulary_file_ships_with_the_package_and_loads() -> None:
    path = resources.files("backtrans").joinpath("flag", "data", "indonesian.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"common_acronyms", "words"}
    assert set(data["words"]) == {
        "not_names",
        "generic_institution_words",
        "stopwords",
        "legal_status",
        "synonyms",
        "converses",
    }
    assert all(len(pair.split()) == 2 for pair in data["words"]["converses"])  # one pair per string


def test_no_entry_is_empty() -> None:
    assert len(lexicon.COMMON_ACRONYMS) >= 20
    for acronym, forms in lexicon.COMMON_ACRONYMS.items():
        assert acronym.strip() == acronym and acronym, acronym
        assert forms and all(form.strip() for form in forms), acronym
    for words in (lexicon.NOT_NAMES, lexicon.GENERIC_INSTITUTION_WORDS, lexicon.STOPWORDS_ID):
        assert len(words) >= 20 and all(word.strip() for word in words)
    assert {"tersangka", "saksi"} <= lexicon.LEGAL_STATUS_ID
    assert all(len(group) >= 2 for group in lexicon.SYNONYMS_ID)  # a synonym group of one word swaps nothing
    # a converse pair is two different words that no synonym group joins (a synonym is no reversal)
    for a, b in lexicon.CONVERSES_ID:
        assert a != b and not any({a, b} <= group for group in lexicon.SYNONYMS_ID), (a, b)


def test_the_rules_see_the_tables() -> None:
    """What the name check accepts for a common acronym comes from the file."""
    assert "Komisi Pemberantasan Korupsi" in lexicon.COMMON_ACRONYMS["KPK"]
    assert "Kombes" in lexicon.NOT_NAMES and "yang" in lexicon.STOPWORDS_ID
    assert any({"wartawan", "jurnalis"} <= group for group in lexicon.SYNONYMS_ID)


def test_bing_bu_negates() -> None:
    """并不 ("not at all") is a negation: a version that says 他并不知道 keeps the source's "tidak tahu"."""
    assert lexicon.find_markers("他并不知道这件事。", "zh", "negators")
    assert not lexicon.find_markers("他不仅知道这件事。", "zh", "negators")  # 不仅 (not only) does not negate


def test_every_hand_list_says_why_no_library_covers_it() -> None:
    """A hand list stays only where no maintained library covers it, and says so at its top."""
    text = resources.files("backtrans").joinpath("flag", "data", "indonesian.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = [k for k, line in enumerate(lines) if line.startswith("[common_acronyms]") or " = " in line[:40]]
    starts = [k for k in starts if not lines[k][:1].isupper()]  # tables and lists, not acronym entries
    assert len(starts) >= 6
    for k in starts:
        above = "\n".join(lines[max(0, k - 4) : k + 3])
        assert "Why no library" in above, lines[k]


def test_renderings_of_one_article_are_gone() -> None:
    """Loose renderings a single development article produced are not accepted as an acronym's long form."""
    assert "penyergapan" not in lexicon.COMMON_ACRONYMS["OTT"]  # an ambush is not a sting operation
    assert "tahanan" not in lexicon.COMMON_ACRONYMS["Rutan"]  # a detainee is not a detention centre
    assert "statistik" not in lexicon.COMMON_ACRONYMS["BPS"]
    assert not any({"korban", "jiwa"} <= group for group in lexicon.SYNONYMS_ID)
    assert "AS" not in lexicon.COMMON_ACRONYMS  # a country: CLDR's names (backtrans.flag._places)


def test_negations_a_dictionary_lists_beyond_the_particles() -> None:
    """ "non-" negates the word it is joined to; "gagal" and "fail" negate what follows; "tidak lebih dari" (no
    more than) bounds a quantity and negates nothing, like "لا يتجاوز" (does not exceed)."""
    assert lexicon.find_markers("penerimaan negara non-pajak", "id", "negators") == ["non"]
    assert lexicon.find_markers("nonton film", "id", "negators") == []
    assert lexicon.find_markers("Operator yang gagal memenuhi kewajiban", "id", "negators") == ["gagal"]
    assert lexicon.find_markers("Operators that fail to meet it", "en", "negators") == ["fail"]
    assert lexicon.find_markers("selisihnya tidak lebih dari 3.100 suara", "id", "negators") == []
    assert lexicon.find_markers("a gap of no more than 3,100 votes", "en", "negators") == []
    assert lexicon.find_markers("ولا يتجاوز الفارق 3100 صوت", "ar", "negators") == []


def test_french_morphology_patterns_end_at_the_end_of_a_word() -> None:
    """The French future ("organisera") and conditional ("constituerait") are read by their endings, which must
    end the word: "inspiration" and "Federal" hold "ira" and "era" but say nothing of what is to come."""
    assert lexicon.find_modality("une inspiration pour la région", "fr", "future") == []
    assert lexicon.find_modality("la Federal Reserve relève ses taux", "fr", "future") == []
    assert lexicon.find_modality("la ville organisera un sommet", "fr", "future") == ["organisera"]
    assert lexicon.find_markers("la mesure constituerait une première", "fr", "hedges") == ["constituerait"]
    assert lexicon.find_markers("les constitueraitements", "fr", "hedges") == []
    assert lexicon.find_markers("pajak non-migas naik", "id", "negators") == ["non"]
