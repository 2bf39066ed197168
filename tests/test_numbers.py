"""Numbers, dates and times compared as values across scripts, separators, scale words and number words."""

from __future__ import annotations

import pytest

from backtrans.flag._dates import cldr_forms, find_dates, month_names, weekday_names
from backtrans.flag._numbers import extract_numbers
from backtrans.flag._quantities import compare_numbers


def values(text: str, lang: str, kind: str = "number") -> list[float]:
    return [n.value for n in extract_numbers(text, lang) if not n.word and n.kind == kind]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("lebih dari 40.000 warga, naik 2,5 persen", "id", [40000, 2.5]),
        ("Rp1,2 triliun dan Rp350 miliar", "id", [1.2e12, 3.5e11]),
        ("more than 40,000 residents, up 2.5%", "en", [40000, 2.5]),
        ("Rp1.2 trillion and Rp350 billion", "en", [1.2e12, 3.5e11]),
        ("plus de 40 000 habitants, 1 200 milliards de roupies, 8,5 km", "fr", [40000, 1.2e12, 8.5]),
        ("超过4万名居民，1.2万亿印尼盾，3500亿", "zh", [40000, 1.2e12, 3.5e11]),
        ("１２か所、3500億ルピア、1.2兆、1兆2000億ルピア、3万1610ドル", "ja", [12, 3.5e11, 1.2e12, 1.2e12, 31610]),
        ("أكثر من 40 ألف ساكن، ٥٢ عاما، ٢٫٥", "ar", [40000, 52, 2.5]),
        ("Pada 2024 100 rumah terendam", "id", [2024, 100]),
        ("COVID-19 dan G20 pada 2020-2024, kuota 1x24 jam", "id", [24, 2020, 2024]),
        ("kapasitas 672兆瓦", "zh", [672]),
    ],
)
def test_values_are_normalised(text: str, lang: str, expected: list[float]) -> None:
    """Separators, digit scripts, scale words, composite CJK numbers; no joining of unrelated numbers; codes skipped."""
    assert values(text, lang) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kamis (21/7) pukul 10.30 WIB", "id"),
        ("Thursday, July 21, at 10:30 a.m.", "en"),
        ("jeudi 21 juillet à 10h30", "fr"),
        ("7月21日（木）午前10時30分", "ja"),
        ("7月21日星期四上午10点30分", "zh"),
        ("الخميس 21 يوليو الساعة 10:30", "ar"),
    ],
)
def test_the_same_date_time_and_weekday_in_six_languages(text: str, lang: str) -> None:
    """A date, a time and a weekday read as values in every script the newsroom publishes in."""
    found = {(d.kind, d.value) for d in find_dates(text.translate(str.maketrans("０１", "01")), lang)}
    assert {("date", (7, 21)), ("time", (10, 30)), ("weekday", (4,))} <= found
    assert compare_numbers("Kamis (21/7) pukul 10.30 WIB", "id", text, lang).ok


def test_source_number_words_are_known() -> None:
    """'tiga kali', 'dua puluh', 'satu miliar', 'ketiga', 'Komisi I' count as numbers of the source language."""
    words = {
        n.value for n in extract_numbers("tiga kali, dua puluh orang, satu miliar, ketiganya, Komisi I", "id") if n.word
    }
    assert {3, 20, 1e9, 1} <= words


def test_compare_accepts_the_same_numbers_written_differently() -> None:
    """The example's Indonesian and Chinese paragraphs carry the same numbers."""
    source = "Setiap musim hujan, lebih dari 40.000 warga terdampak, kata Dewi, Selasa, 14 Oktober. Rumah tiga kali."
    version = "每逢雨季，都有超过4万名居民受灾，10月14日星期二说。房子3次。"
    assert compare_numbers(source, "id", version, "zh").ok


@pytest.mark.parametrize(
    ("source", "version", "lang"),
    [
        ("US$2,15 miliar", "21.5亿美元", "zh"),
        ("Rp1,2 triliun", "1兆2000億ルピア", "ja"),
        ("Rp1,2 triliun", "1 200 milliards de roupies", "fr"),
        ("pukul 10.30 WIB", "at 10:30 a.m.", "en"),
        ("pada 20-21 Juli", "on July 20-21", "en"),
        ("Komisi I DPR", "国会第1委員会", "ja"),
        ("ketiga tersangka", "3人の容疑者", "ja"),
        ("Kasus COVID-19", "كوفيد-19", "ar"),
        ("tujuh penumpang tewas", "Sept passagers ont été tués", "fr"),
    ],
)
def test_same_values_in_other_forms_are_not_mismatches(source: str, version: str, lang: str) -> None:
    """Scale, currency, time, ranges, Roman numerals, ordinals, codes and number words: the same value."""
    assert compare_numbers(source, "id", version, lang).ok


def test_compare_reports_a_changed_number_both_ways() -> None:
    """12 pumps became 21: 12 is missing, 21 is unexpected."""
    check = compare_numbers("dan 12 rumah pompa baru", "id", "and 21 new pumping stations", "en")
    assert check.missing == ("12",) and check.unexpected == ("21",)


@pytest.mark.parametrize(
    ("source", "version", "lang"),
    [
        ("Rp1,2 triliun", "Rp1.2 billion", "en"),
        ("6,38 miliar", "63.8 billion", "en"),
        ("Rp47,8 miliar", "4.78亿", "zh"),
        ("pukul 10.30 WIB", "at 10:30 p.m.", "en"),
        ("Kamis (21/7)", "Friday, July 21", "en"),
        ("14 Mei", "4月14日", "ja"),
        ("tujuh penumpang tewas", "قتل سبعة عشر راكبا", "ar"),
    ],
)
def test_a_changed_value_is_a_mismatch(source: str, version: str, lang: str) -> None:
    """Wrong scale, a changed time, weekday or month, a number word with another value."""
    assert not compare_numbers(source, "id", version, lang).ok


def test_false_alarms_of_the_old_reader_are_gone() -> None:
    """Space-joined numbers, a time read as a decimal, French 'un', Korean months, Chinese numerals, repeats."""
    assert values("Pada 2024 100 rumah", "id") == [2024, 100]
    assert compare_numbers("pukul 10.30", "id", "à 10:30", "fr").ok
    assert not compare_numbers("1 rumah", "id", "une maison et 2 voitures", "fr").ok  # "une" is no source 1
    assert [d.kind for d in find_dates("10월 14일", "ko")] == ["date"]
    assert 5 in [n.value for n in extract_numbers("逮捕了五名嫌疑人", "zh")]
    # a number the source has twice and the version once is missing once
    assert compare_numbers("12 rumah dan 12 sekolah", "id", "12 houses and schools", "en").missing == ("12",)


#: the CLDR locales each supported language's names come from (Levantine Arabic months from ar_SY)
_CLDR = {"id": ["id"], "ms": ["ms"], "en": ["en"], "fr": ["fr"], "zh": ["zh"], "ja": ["ja"], "ar": ["ar", "ar_SY"]}


def _other_script(name: str, lang: str) -> bool:
    if lang == "ar":
        return not all("\u0600" <= c <= "\u06ff" or c == " " for c in name)
    if lang in ("zh", "ja"):
        return any(c.isascii() for c in name)
    return not all(c.isascii() or c in "éèêëûùôîïçà" for c in name)


@pytest.mark.parametrize("lang", sorted(_CLDR))
def test_month_and_weekday_tables_agree_with_cldr(lang: str) -> None:
    """Every wide and abbreviated CLDR name (format and stand-alone) of the language's script is read with its
    own number, and every full name is a full name of the table."""
    from babel import Locale

    months, weekdays = month_names(lang), weekday_names(lang)
    checked = 0
    for code in _CLDR[lang]:
        locale = Locale.parse(code)
        for context, width in cldr_forms(code, "months"):
            for month, name in locale.months[context][width].items():
                if any(c.isdigit() for c in name) or _other_script(name, lang):
                    continue  # 1月: the CJK date pattern's
                assert months.numbers[name.casefold().rstrip(".")] == month, (code, name)
                if width == "wide" and code == _CLDR[lang][0]:
                    assert name.casefold() in months.full
                checked += 1
        for context, width in cldr_forms(code, "days"):
            for day, name in locale.days[context][width].items():
                if lang in ("zh", "ja") and len(name) < 2:
                    continue  # （木）: a lone kanji is a weekday only in parentheses
                assert weekdays.numbers[name.casefold().rstrip(".")] == day + 1, (code, name)
                checked += 1
    assert checked >= 7  # at least the seven weekdays (ja: months are 1月, short weekdays one kanji)


def test_a_stand_alone_alias_is_not_read_twice_or_wrong() -> None:
    """CLDR writes these locales' stand-alone names as aliases of the format names; Babel resolves such an alias
    against the locale it loaded last, so they are left out, and the tables do not depend on load order."""
    from babel import Locale

    Locale.parse("ar").months["stand-alone"]["wide"].get(1)  # what made ms read 一月 as January
    assert cldr_forms("ms", "months") == [("format", "wide"), ("format", "abbreviated")]
    assert "一月" not in month_names("ms").numbers and month_names("ms").numbers["julai"] == 7


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Kamis, 21 Juli 2022", "id", {("weekday", (4,)), ("date", (7, 21))}),
        ("Khamis, 21 Julai", "ms", {("weekday", (4,)), ("date", (7, 21))}),
        ("Thu, Sept 21", "en", {("weekday", (4,)), ("date", (9, 21))}),
        ("jeu. 21 févr.", "fr", {("weekday", (4,)), ("date", (2, 21))}),
        ("jeudi 21 fevrier", "fr", {("weekday", (4,)), ("date", (2, 21))}),
        ("الخميس 21 تموز", "ar", {("weekday", (4,)), ("date", (7, 21))}),
        ("الخميس 21 كانون الثاني", "ar", {("weekday", (4,)), ("date", (1, 21))}),
        ("الاحد 21 ابريل", "ar", {("weekday", (7,)), ("date", (4, 21))}),
        ("十一月发布，周四", "zh", {("month", (11,)), ("weekday", (4,))}),
    ],
)
def test_cldr_names_in_dates(text: str, lang: str, expected: set[tuple[str, tuple[int, ...]]]) -> None:
    assert {(d.kind, d.value) for d in find_dates(text, lang)} == expected


def test_an_abbreviated_weekday_counts_only_before_its_date() -> None:
    """A "Sen" (a cent), "Sun" (a newspaper): the short weekday names CLDR adds count only before a number."""
    assert find_dates("Harga naik satu Sen di pasar", "id") == []
    assert find_dates("The Sun reported it", "en") == []
    assert [d.value for d in find_dates("Sen (21/7)", "id")] == [(1,), (7, 21)]


def test_a_levantine_month_alone_is_no_month() -> None:
    """آب is August next to a number and a father (أب, اب) on its own."""
    assert find_dates("قال الآب إن اب الضحية وصل", "ar") == []
    assert [d.value for d in find_dates("وصل في 3 آب", "ar")] == [(8, 3)]


@pytest.mark.parametrize(
    ("source", "version", "lang"),
    [
        ("Tidak ada korban jiwa dalam kebakaran gudang itu.", "2 people died in the warehouse fire.", "en"),
        ("Tidak ada korban jiwa dalam kebakaran gudang itu.", "2 personnes sont mortes dans l'incendie.", "fr"),
        ("Dua orang tewas dalam kebakaran gudang itu.", "Nobody died in the warehouse fire.", "en"),
        ("Tiga orang tewas dalam kebakaran gudang itu.", "Two people died in the warehouse fire.", "en"),
    ],
)
def test_a_small_count_next_to_what_it_counts_is_compared(source: str, version: str, lang: str) -> None:
    """Counts from 0 to 10 written as digits or number words next to a noun are compared like any number."""
    assert not compare_numbers(source, "id", version, lang).ok


@pytest.mark.parametrize(
    ("source", "version", "lang"),
    [
        ("Pasangan ini memenangi pilkada.", "2人は選挙で勝利した。", "ja"),  # the pair made explicit
        ("Pelantikan itu berlangsung meriah.", "The inauguration, a 2-hour ceremony, was festive.", "en"),
        ("Keduanya tiba di Jakarta.", "The two arrived in Jakarta.", "en"),
        ("Dua orang tewas dalam kebakaran itu.", "Two people died in the fire.", "en"),
        ("Dua orang tewas dalam kebakaran itu.", "2 people died in the fire.", "en"),
        ("Ia menjadi yang kedua tiba.", "He was the second to arrive.", "en"),  # an ordinal is not a count
    ],
)
def test_small_counts_that_agree_or_are_made_explicit_pass(source: str, version: str, lang: str) -> None:
    assert compare_numbers(source, "id", version, lang).ok


@pytest.mark.parametrize(
    ("source", "version"),
    [
        ("Sebanyak 12 sekolah ditutup selama sembilan hari.", "أغلقت المدارس الاثنتا عشرة طوال الأيام التسعة."),
        ("Ada 11 korban.", "هناك إحدى عشرة ضحية."),
        ("Sebanyak 12 sekolah ditutup.", "أُغلقت المدارس الاثني عشر في المنطقة."),
        ("Tiga desa terendam selama sembilan hari.", "غمرت المياه القرى الثلاث خلال الأيام التسعة."),
        ("Sebanyak 15 rumah rusak.", "تضررت المنازل الخمسة عشر."),
    ],
)
def test_an_arabic_number_word_with_the_article_is_read(source: str, version: str) -> None:
    """An Arabic number word after its noun takes the article ("المدارس الاثني عشر", the twelve schools)."""
    assert compare_numbers(source, "id", version, "ar").ok


def test_an_arabic_number_word_with_the_article_that_changed_is_reported() -> None:
    check = compare_numbers("Sebanyak 12 sekolah ditutup.", "id", "أُغلقت المدارس الثلاث عشرة.", "ar")
    assert not check.ok


def test_an_arabic_number_word_after_the_article_is_read_with_its_value() -> None:
    """ "الأيام التسعة" (the nine days) reads nine; "السبعة" (the seven) for "sembilan" is a value changed, which a
    reader that does not strip the article would miss (a number word gone unread is no error)."""
    read = extract_numbers("غمرت المياه القرى الثلاث خلال الأيام التسعة.", "ar")
    assert [(n.value, n.text) for n in read] == [(3.0, "الثلاث"), (9.0, "التسعة")]
    assert [n.value for n in extract_numbers("وبالثلاثة", "ar")] == [3.0]
    assert compare_numbers("Sekolah ditutup selama sembilan hari.", "id", "أغلقت المدارس طوال الأيام التسعة.", "ar").ok
    assert not compare_numbers(
        "Sekolah ditutup selama sembilan hari.", "id", "أغلقت المدارس طوال الأيام السبعة.", "ar"
    ).ok
