"""The flag rules' shared context: which other versions cover a pair, and each other version counted once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backtrans.config import Thresholds
from backtrans.flag._polarity import flag_polarity
from backtrans.flag._scores import flag_low_consistency
from backtrans.flag._terms import flag_terms
from backtrans.flag.common import Add, ArticleContext, VersionView
from backtrans.types import Flag, Link, Scores, Segment


def join(texts: Sequence[str]) -> str:
    return " ".join(texts)


def source_of(*texts: str) -> tuple[Segment, ...]:
    """One source segment per text, all in the lead paragraph (paragraph 1)."""
    return tuple(Segment(1, n, text) for n, text in enumerate(texts, 1))


def view_of(lang: str, pairs: Sequence[tuple[tuple[int, ...], str]], chrf: Sequence[float] = ()) -> VersionView:
    """A version from its links: (source indices, back-translation), one back-translation segment per link."""
    back = tuple(Segment(1, n, text) for n, (_, text) in enumerate(pairs, 1))
    links = tuple(Link(source, (j,)) for j, (source, _) in enumerate(pairs))
    scores = tuple(Scores(c) for c in chrf) if chrf else tuple(Scores(50.0) for _ in pairs)
    return VersionView(lang, (), back, None, links, scores)


def flags_of(
    rule: Callable[[ArticleContext, Add], None], ctx: ArticleContext
) -> dict[str, list[tuple[Flag, int | None]]]:
    out: dict[str, list[tuple[Flag, int | None]]] = {view.lang: [] for view in ctx.views}

    def add(lang: str, flag: Flag, link: int | None) -> None:
        out[lang].append((flag, link))

    rule(ctx, add)
    return out


def test_others_groups_the_covering_links_per_language() -> None:
    """A pair over source sentences 1 and 2: a version that splits them over two links is one entry with two
    links; the pair's own version is left out; a version that covers neither sentence is absent."""
    source = source_of("Satu.", "Dua.", "Tiga.")
    en = view_of("en", [((0,), "Satu."), ((1, 2), "Dua. Tiga.")])
    fr = view_of("fr", [((0,), "Satu."), ((1,), "Dua."), ((2,), "Tiga.")])
    de = view_of("de", [((0,), "Satu.")])
    ctx = ArticleContext(source, "id", (en, fr, de), Thresholds(), join)
    assert ctx.others(en, en.links[1]) == {"fr": (1, 2)}
    assert ctx.others(fr, fr.links[2]) == {"en": (1,)}
    assert ctx.coverage == {"en": {0: 0, 1: 1, 2: 1}, "fr": {0: 0, 1: 1, 2: 2}, "de": {0: 0}}
    assert ctx.link_of("fr", 2) == 2 and ctx.link_of("de", 2) is None
    assert ctx.narrowed([fr]).others(fr, fr.links[1]) == {}


def _low_pair_article(*others: VersionView) -> ArticleContext:
    """English merges source sentences 4 and 5 into one pair scoring 20, far below its other pairs (about 80)."""
    source = source_of("A.", "B.", "C.", "D.", "E.", "F.")
    en = view_of(
        "en", [((0,), "A."), ((1,), "B."), ((2,), "C."), ((3, 4), "D. E."), ((5,), "F.")], (80, 82, 78, 20, 81)
    )
    return ArticleContext(source, "id", (en, *others), Thresholds(), join)


def test_low_consistency_counts_a_split_version_once() -> None:
    """A French version that splits the pair's two source sentences over two low links is one other version,
    not two: one language alone does not make the sentence hard, so English's low pair is flagged."""
    fr = view_of("fr", [((i,), t) for i, t in enumerate("ABCDEF")], (80, 80, 80, 25, 30, 80))
    flags = flags_of(lambda ctx, add: flag_low_consistency(ctx, ctx.view("en"), add), _low_pair_article(fr))
    assert [(f.code, k) for f, k in flags["en"]] == [("low_consistency", 3)]
    # two languages low on the same sentences do make it hard: the French links' mean (27.5) and German's 26
    de = view_of(
        "de", [((0,), "A."), ((1,), "B."), ((2,), "C."), ((3, 4), "D. E."), ((5,), "F.")], (80,) * 3 + (26, 80)
    )
    flags = flags_of(lambda ctx, add: flag_low_consistency(ctx, ctx.view("en"), add), _low_pair_article(fr, de))
    assert flags["en"] == []


def test_polarity_counts_a_split_version_once() -> None:
    """English loses the negation of a pair over two source sentences. French splits the sentences over two
    links and loses it too; German keeps it. One of two other versions reads the sentence the same way: a
    paraphrase, no flag (counted per link, French's second link, with no negation, made it one of three)."""
    source = source_of("Pemerintah tidak menaikkan harga bahan bakar minyak.", "Keputusan itu diumumkan pada Senin.")
    lost = "Pemerintah menaikkan harga bahan bakar minyak."
    en = view_of("en", [((0, 1), f"{lost} Keputusan itu diumumkan pada Senin.")])
    fr = view_of("fr", [((0,), lost), ((1,), "Keputusan itu diumumkan pada Senin.")])
    de = view_of("de", [((0, 1), source[0].text + " " + source[1].text)])
    assert flags_of(flag_polarity, ArticleContext(source, "id", (en, fr, de), Thresholds(), join))["en"] == []
    # without German, French (the one other version) reads it the same way: still no flag; and German alone
    # keeps the negation: English is flagged
    assert flags_of(flag_polarity, ArticleContext(source, "id", (en, fr), Thresholds(), join))["en"] == []
    flagged = flags_of(flag_polarity, ArticleContext(source, "id", (en, de), Thresholds(), join))["en"]
    assert [(f.code, f.evidence["kind"]) for f, _ in flagged] == [("polarity_mismatch", "lost_negation")]


def test_terms_count_a_split_version_once() -> None:
    """Arabic's pair over two source sentences brings back «magnitudo» as «kekuatan». English keeps the word in
    one link; French splits the sentences over two links and keeps it in one: both other versions keep it,
    so the change is Arabic's (counted per link, French's second link made it two keepers of three)."""
    source = source_of(
        "Gempa bermagnitudo 5,8 mengguncang Garut pada Senin.",
        "Magnitudo awal gempa itu kemudian diperbarui oleh petugas.",
        "Warga diminta tetap tenang.",
    )
    kept, calm = "Magnitudo awal gempa itu kemudian diperbarui oleh petugas.", "Warga diminta tetap tenang."
    ar = view_of("ar", [((0,), source[0].text), ((1, 2), f"Kekuatan awal gempa itu kemudian diperbarui. {calm}")])
    en = view_of("en", [((0,), source[0].text), ((1, 2), f"{kept} {calm}")])
    fr = view_of("fr", [((0,), source[0].text), ((1,), kept), ((2,), calm)])
    flags = flags_of(flag_terms, ArticleContext(source, "id", (ar, en, fr), Thresholds(), join))
    assert [(f.evidence["source_word"], f.evidence["back_word"], f.evidence["kept_by"]) for f, _ in flags["ar"]] == [
        ("magnitudo", "kekuatan", ["en", "fr"])
    ]


def test_a_negation_carried_by_the_same_new_word_in_two_versions_is_a_near_miss() -> None:
    """ "tidak membayar" comes back as "enggan membayar" (reluctant to pay) from English and Chinese (French and
    German keep "tidak"): two versions through two languages put the same word where the negator stood, so the
    word carries the negation (near_miss). A version that drops the negation with nothing in its place stays a
    plain flag; "gagal" (fail) is itself a negator and keeps the negation outright."""
    source = source_of("Perusahaan yang tidak membayar pajak dapat dikenai denda.")
    failed = "Perusahaan yang enggan membayar pajak dapat dikenai denda."
    kept = "Perusahaan yang tidak membayar pajak bisa didenda."
    en, zh = view_of("en", [((0,), failed)]), view_of("zh", [((0,), failed)])
    fr, de = view_of("fr", [((0,), kept)]), view_of("de", [((0,), kept)])
    flagged = flags_of(flag_polarity, ArticleContext(source, "id", (en, zh, fr, de), Thresholds(), join))
    assert [f.evidence.get("near_miss") for f, _ in flagged["en"]] == [["enggan"]]
    gagal = view_of("en", [((0,), failed.replace("enggan", "gagal"))])
    assert flags_of(flag_polarity, ArticleContext(source, "id", (gagal, fr, de), Thresholds(), join))["en"] == []
    # one version alone with the new word: nothing corroborates it
    alone = flags_of(flag_polarity, ArticleContext(source, "id", (en, fr, de), Thresholds(), join))["en"]
    assert [f.evidence.get("near_miss") for f, _ in alone] == [None]
    # the negation dropped in two versions, nothing in its place: no near miss
    dropped = "Perusahaan yang membayar pajak dapat dikenai denda."
    en2, zh2 = view_of("en", [((0,), dropped)]), view_of("zh", [((0,), dropped)])
    both = flags_of(flag_polarity, ArticleContext(source, "id", (en2, zh2, fr, de), Thresholds(), join))["en"]
    assert [f.evidence.get("near_miss") for f, _ in both] == [None]
