"""Words the flag rules look for, per language, in one place.

Negators and hedges (``polarity_mismatch``, ``hedge_mismatch``), speech verbs
and quotation marks (``quote_mismatch``), acronyms that versions legitimately
spell out (``name_mismatch``), Indonesian synonyms that MT swaps freely and
function words (``changed_term``); the Indonesian tables a newsroom extends (acronyms,
titles, synonyms, function words) are data, in ``data/indonesian.toml``. The source language needs the fullest lists
(Indonesian and English at least); a version language's list is used as a
veto witness (a negation present in the version itself means the
back-translation lost it, not the version), so it errs on the side of more
words.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _table(name: str) -> dict[str, Any]:
    """A vocabulary file shipped in ``backtrans/data`` (a newsroom extends it there, not in code)."""
    return tomllib.loads(resources.files("backtrans").joinpath("flag", "data", name).read_text(encoding="utf-8"))


#: the Indonesian tables of the name and term checks (``data/indonesian.toml``)
_INDONESIAN = _table("indonesian.toml")


#: Words that negate a clause. Multi-word idioms that do not negate are in NOT_NEGATION.
#: Why no library: no maintained package lists negators per language (CLDR and wordfreq carry none).
NEGATORS: dict[str, frozenset[str]] = {
    # "gagal" (fail) negates what follows it as "tidak" does ("gagal memenuhi" = "tidak memenuhi")
    "id": _words(
        "tidak tak bukan belum jangan tanpa tiada takkan enggak nggak gak ndak bukanlah tidaklah belumlah gagal"
    ),
    "ms": _words("tidak tak bukan belum jangan tanpa tiada takkan"),
    "en": _words(
        "not no never without none nobody nothing neither nor cannot can't don't doesn't didn't isn't "
        "aren't wasn't weren't won't wouldn't hasn't haven't hadn't shouldn't couldn't fail fails failed unable"
    ),
    "fr": _words("ne n' pas jamais aucun aucune sans ni non rien personne guère nullement"),
    # CJK and Arabic: substrings (no spaces between words); see has_marker
    "zh": _words("不 没 没有 未 无 非 别 勿 否 毫无 并非 尚未 从未 无法 不会 不能"),
    "ja": _words("ない なく ず ません なかった 無 未 非 せず いない しない なし できない ていない 否定"),
    "ar": _words("لا لم لن ليس ليست ليسوا غير بدون دون عدم"),
}

#: Phrases that contain a negator but do not negate ("not only", "soon after").
#: Why no library: idioms that hold a negator without negating are listed by no package.
NOT_NEGATION: dict[str, tuple[str, ...]] = {
    "id": (
        "tidak hanya",
        "tak hanya",
        "bukan hanya",
        "bukan saja",
        "tidak saja",
        "tak lama",
        "tidak lama",
        "tidak sedikit",
        "tak sedikit",
        "tidak lain",
        "tak lain",
        "tak kurang",
        "tidak kurang dari",
        "tidak lebih dari",
        "tak lebih dari",
        "tanpa henti",
        "tak pelak",
        "tidak pelak",
        "belum lama",
    ),
    "en": ("not only", "no longer than", "nothing but", "no doubt", "not least", "no more than", "not more than"),
    "fr": ("non seulement", "sans doute", "non loin"),
    "zh": (
        "不仅",
        "不但",
        "不断",
        "不少",
        "不久",
        "不同",
        "不过",
        "无论",
        "不论",
        "非常",
        "未来",
        "不得不",
        "无人机",
        "非法",
        "没收",
        "别墅",
        "是否",
        "不到",
    ),
    "ja": ("少ない", "間もなく", "未来", "非常", "問題ない", "足りない", "危ない", "ないし"),
    "ar": (
        "لا يتجاوز",
        "لا تتجاوز",
        "لا سيما",
        "غير أن",
        "ما زال",
        "ما زالت",
        "لا يزال",
        "لا تزال",
        "مما",
        "عما",
        "كما",
        "بما",
        "فيما",
        "ربما",
        "إنما",
        "بينما",
        "طالما",
        "حينما",
        "عندما",
        "كلما",
        "لما",
    ),
}

#: Words that mark a claim as alleged, reported or uncertain (an editor must keep them).
#: Why no library: hedging and attribution vocabularies exist only as research lists, not packages.
HEDGES: dict[str, frozenset[str]] = {
    "id": _words(
        "diduga dugaan terduga menduga disebut-sebut disebut kabarnya dikabarkan konon menurut disinyalir "
        "ditengarai berpotensi kemungkinan mungkin diperkirakan diprediksi diklaim mengklaim dituding "
        "tudingan dituduh tuduhan tersangka diyakini tampaknya sepertinya dilaporkan "
        "dikatakan kabar isu diisukan rencananya perkiraan ditaksir dicurigai kecurigaan"
    ),
    "ms": _words("didakwa dakwaan dikatakan kononnya dilaporkan menurut mungkin dijangka"),
    "en": _words(
        "allegedly alleged allegation allegations suspected suspicion reportedly reported according "
        "claimed claims claim purportedly presumably possibly potentially probably likely may might could "
        "believed expected estimated apparently accused accusation indication indications rumoured "
        "rumored"
    ),
    "fr": _words(
        "présumé présumée présumés présumées prétendu prétendue soupçonné soupçonnée soupçonnés soupçons "
        "aurait auraient serait seraient selon d'après probablement possiblement potentiellement pourrait "
        "pourraient apparemment allégations allégué accusé accusée accusés estimé estimée prévu "
        "vraisemblablement supposé rapporté rapporte"
    ),
    "zh": _words("涉嫌 据称 据报道 据报 据悉 据 疑似 被指 可能 或将 或许 预计 估计 据传 传闻 据说 被控 指控 疑"),
    "ja": _words(
        "疑い 疑惑 容疑 とされる とされ とみられる と見られる 見込み 可能性 によると によれば という "
        "とのこと 伝えられ 予想 推定 恐れ おそれ 見通し とされて"
    ),
    "ar": _words(
        "يشتبه المشتبه مشتبه مزعوم المزعوم المزعومة يزعم يُزعم بحسب وفقا وفقاً حسب قد ربما يعتقد يُعتقد "
        "يقال يُقال المحتمل محتمل المتوقع متوقع تشير اتهام اتهامات المتهم ادعاءات يُشتبه شبهة الأنباء تفيد "
        "تردد يتردد أفادت تقارير"
    ),
}

#: Kinds of source-language hedges: an allegation must come back as a hedge of some kind; an attribution
#: ("menurut X") also survives as a speech verb ("X said"); the rest are uncertainty ("mungkin").
#: Why no library: a split of the hedges above that no package makes.
HEDGE_KINDS: dict[str, dict[str, frozenset[str]]] = {
    "id": {
        "allegation": _words(
            "diduga dugaan terduga menduga dituding tudingan dituduh tuduhan disinyalir ditengarai "
            "dicurigai kecurigaan diklaim mengklaim tersangka"
        ),
        "attribution": _words(
            "menurut kabarnya dikabarkan konon dilaporkan dikatakan kabar isu diisukan disebut disebut-sebut laporan"
        ),
        #: hedges that a version may not add to a plain statement of fact
        "added": _words("diduga dugaan terduga disebut-sebut dikabarkan kabarnya konon disinyalir ditengarai"),
    },
    "en": {
        "allegation": _words(
            "allegedly alleged allegation allegations suspected suspicion accused accusation claimed claims purportedly"
        ),
        "attribution": _words("according reportedly reported rumoured rumored"),
    },
}

#: Hedges of a version's language that only attribute ("according to"): they do not keep an allegation.
#: Why no library: a split of the hedges above that no package makes.
VERSION_ATTRIBUTION: dict[str, frozenset[str]] = {
    "en": _words("according reportedly reported"),
    "fr": _words("selon d'après rapporté rapporte"),
    "zh": _words("据 据报道 据报 据悉 据说 据传 传闻"),
    "ja": _words("によると によれば という とのこと 伝えられ"),
    "ar": _words("بحسب وفقا وفقاً حسب الأنباء تفيد تردد يتردد أفادت تقارير تشير"),
}

#: Kinds of modality, for ``hedge_mismatch`` (a source sentence's hedge is judged by its kind, not by any hedge
#: word): per language, per kind, the words that mark it ("_" joins the words of a phrase). Indonesian is read in the
#: source and in the back-translations; the other languages are read in the versions themselves.
#: - allegation: a claim someone alleges or suspects ("diduga", "menuding", "kasus suspek");
#: - attribution: a claim someone else reports ("menurut", "kabarnya");
#: - possibility: what may happen ("mungkin", "berpotensi");
#: - estimate: a figure or outcome forecast, not yet measured ("memperkirakan", "proyeksi");
#: - plan: an intention or a target, not yet decided or done ("berencana", "target"; the noun "rencana" names a plan
#:   more often than it hedges a claim, so it only keeps one);
#: - future: what is still to happen, a schedule included ("akan", "dijadwalkan", "pekan depan");
#: - past: what has happened ("telah", "pekan lalu"), read only to tell that a future came back as done.
#: Why no library: no package (CLDR, wordfreq, Sastrawi) groups modal and evidential words by kind; these are
#: dictionary entries (KBBI, the Oxford, Larousse, 现代汉语词典, 広辞苑, al-Maany senses) for each kind.
MODALITY: dict[str, dict[str, frozenset[str]]] = {
    "id": {
        "allegation": _words(
            "diduga dugaan terduga menduga dituding tudingan dituduh tuduhan menuding menuduh disinyalir "
            "ditengarai dicurigai kecurigaan diklaim mengklaim tersangka suspek"
        ),
        "attribution": _words(
            "menurut kabarnya dikabarkan konon dilaporkan dikatakan kabar isu diisukan disebut disebut-sebut "
            "melaporkan dikutip mengutip melansir dilansir memberitakan diberitakan"
        ),
        "possibility": _words("mungkin kemungkinan berpotensi potensi diyakini tampaknya sepertinya"),
        "estimate": _words(
            "diperkirakan memperkirakan perkiraan diprediksi memprediksi prediksi diproyeksikan memproyeksikan "
            "proyeksi estimasi diestimasi ditaksir taksiran"
        ),
        "plan": _words(
            "berencana rencananya direncanakan merencanakan menargetkan ditargetkan target sasaran berniat "
            "bermaksud hendak"
        ),
        "future": _words("akan bakal mendatang dijadwalkan pekan_depan minggu_depan bulan_depan tahun_depan"),
        "past": _words("telah sudah pekan_lalu minggu_lalu bulan_lalu tahun_lalu kemarin"),
    },
    "en": {
        "attribution": _words("according reportedly reported"),
        "estimate": _words(
            "expected expects expect estimated estimates estimate projected projects projection forecast forecasts "
            "predicted predicts should"
        ),
        "plan": _words(
            "plan plans planned planning intends intend intention aims aim target targets targeted scheduled "
            "set_to due_to expected expects hope hopes"
        ),
        "possibility": _words("risk risks possibility possible potential"),
        "future": _words("will won't shall upcoming next_week next_month next_year going_to coming"),
    },
    "fr": {
        "attribution": _words("selon d'après rapporté rapporte"),
        "estimate": _words(
            "prévoit prévu prévue prévus prévues estime estimé estimée estimation prévision prévisions devrait "
            "devraient"
        ),
        "plan": _words(
            "prévoit prévu prévue prévus prévues projette projet envisage compte entend objectif objectifs vise "
            "programmé programmée espère"
        ),
        "possibility": _words("risque risques possibilité possible potentiel potentielle"),
        "future": _words(
            "prochain prochaine prochains prochaines va vont bientôt sera seront aura auront fera feront ira iront"
        ),
    },
    "zh": {
        "attribution": _words("据 据报道 据报 据悉 据说 据传 传闻"),
        "estimate": _words("预计 估计 预期 预测 预估 料将 有望"),
        "plan": _words("计划 目标 预计 拟 打算 力争 争取 准备 将于 定于 安排 希望"),
        "possibility": _words("风险 可能性 潜在 不排除"),
        "future": _words("将 将会 将于 即将 下周 下个月 明年 下月 今后"),
    },
    "ja": {
        "attribution": _words("によると によれば という とのこと 伝えられ"),
        "estimate": _words("見込み 見込ん 予想 推定 見通し 予測 見られる みられる 試算"),
        "plan": _words("予定 計画 目標 目指 方針 意向 つもり 見込み 狙い"),
        "possibility": _words("リスク 可能性 恐れ おそれ 視野"),
        "future": _words("予定 来週 来月 来年 今後"),
    },
    "ar": {
        "attribution": _words("بحسب وفقا وفقاً حسب الأنباء تفيد تردد يتردد أفادت تقارير تشير"),
        "estimate": _words("المتوقع متوقع يتوقع تتوقع توقعات تقديرات يقدر تقدر التقديرات ترجح يرجح"),
        "plan": _words("تخطط يخطط خطة تعتزم يعتزم تنوي ينوي هدف هدفنا الهدف نهدف يهدف تهدف تسعى يسعى نسعى المقرر مقرر"),
        "possibility": _words("خطر مخاطر احتمال احتمالية إمكانية يستبعد تستبعد"),
        "future": _words("سوف سيتم ستقوم المقبل المقبلة القادم القادمة"),
    },
}

#: Indonesian words that keep a kind in a back-translation without marking it in a source: a risk or an option keeps
#: a possibility ("kemungkinan banjir" → "risiko banjir"), "mencurigakan" (suspicious) an allegation, a hope or an
#: aim a plan. Why no library: as MODALITY (dictionary senses of each word).
MODALITY_KEEPERS: dict[str, dict[str, frozenset[str]]] = {
    "id": {
        "allegation": _words("mencurigakan tuduh curiga"),
        "possibility": _words(
            "risiko peluang barangkali bisa dapat mempertimbangkan dipertimbangkan mengesampingkan opsi potensial"
        ),
        "estimate": _words("diharapkan"),
        "plan": _words(
            "rencana ingin berharap harapan diharapkan berupaya bertujuan tujuan agenda niat dijadwalkan jadwal "
            "terjadwal"
        ),
        "future": _words("terjadwal jadwal"),
    },
}

#: Verbs and phrases that attribute words to a speaker.
#: Why no library: no package lists reporting verbs per language (Indonesian -nya forms included).
SPEECH_VERBS: dict[str, frozenset[str]] = {
    # "jelas", "terang", "tegas", "tambah", "lanjut", "sambung" alone mean clear, bright, firm, more, further,
    # connect: only their -nya forms and verbs attribute words
    "id": _words(
        "kata katanya ujar ujarnya ungkap ungkapnya mengungkapkan jelasnya menjelaskan tambahnya "
        "menambahkan pungkas pungkasnya tutur tuturnya menuturkan terangnya menerangkan imbuh imbuhnya "
        "sebutnya menyebut menyebutkan tegasnya menegaskan mengatakan menyatakan berkata ucap ucapnya "
        "papar paparnya memaparkan lanjutnya akui mengaku mengakui menurut bilang sambungnya "
        "kilah kilahnya cetus cetusnya tandas tandasnya beber bebernya membeberkan tukas tukasnya "
        "menyampaikan disampaikan ungkapkan nyatakan katakan jelaskan menilai berpendapat percaya yakin "
        "memperkirakan"
    ),
    "en": _words(
        "said says say told tells added explained stated according noted asked stressed concluded remarked "
        "insisted argued announced declared confirmed revealed affirmed underlined"
    ),
    "fr": _words(
        "déclaré dit dit-il dit-elle ajouté expliqué selon affirmé souligné indiqué précisé conclu a-t-il "
        "a-t-elle déclare explique ajoute estime estimé poursuivi confié assuré"
    ),
    "zh": _words("说 表示 称 指出 强调 透露 介绍 说道 坦言 直言 补充 总结 告诉 宣布 认为 据"),
    "ja": _words(
        "述べ 語っ 話し 言っ 明らかにし 説明し 強調し によると 付け加え 語る 述べた 話した 指摘し 強調 "
        "説明 と語った と話した と述べ 発表"
    ),
    "ar": _words(
        "قال قالت أضاف أضافت أوضح أوضحت صرح صرحت أكد أكدت وفقا بحسب حسب ذكر ذكرت أشار أشارت تابع تابعت يقول تقول"
    ),
}

#: Marks that open or close a direct quotation, per script family (single quotes are apostrophes too often).
#: Why no library: Babel drops CLDR's quotation delimiters, and news copy mixes every script's marks.
QUOTE_MARKS = '"“”„«»「」『』＂'

#: Acronyms that versions legitimately spell out or translate, with the Indonesian forms a
#: back-translation may give instead (any one is enough). Acronyms a source defines itself
#: ("Komisi Pemberantasan Korupsi (KPK)") need no entry: their definition is accepted; countries
#: (AS, Amerika Serikat, United States) are CLDR's (:mod:`backtrans.flag._places`).
#: Why no library: see ``data/indonesian.toml`` (each table says there).
COMMON_ACRONYMS: dict[str, tuple[str, ...]] = {
    acronym: tuple(forms) for acronym, forms in _INDONESIAN["common_acronyms"].items()
}

#: Titles, ranks, offices, units and time zones: a version may translate them freely (a rank rendered by
#: its nearest foreign equivalent is not an entity changed), so the name check skips them.
NOT_NAMES = _words(_INDONESIAN["words"]["not_names"])

#: Words of institution names that say what kind of body it is, not which one (an acronym's long form is
#: recognised by its other words: "Badan Nasional Penanggulangan Terorisme" by Penanggulangan, Terorisme)
GENERIC_INSTITUTION_WORDS = _words(_INDONESIAN["words"]["generic_institution_words"])

#: Groups of Indonesian words that back-translations swap without changing the meaning.
SYNONYMS_ID: tuple[frozenset[str], ...] = tuple(_words(group) for group in _INDONESIAN["words"]["synonyms"])

#: Indonesian function words and very general words that carry no term of their own.
STOPWORDS_ID = _words(_INDONESIAN["words"]["stopwords"])

#: Converse pairs of Indonesian stems: the same relation the other way round (terima/beri, naik/turun, dari/kepada).
CONVERSES_ID: tuple[tuple[str, str], ...] = tuple(
    (pair.split()[0], pair.split()[1]) for pair in _INDONESIAN["words"]["converses"]
)

#: A person's legal status (tersangka, terdakwa, saksi): a key term wherever it stands.
LEGAL_STATUS_ID = _words(_INDONESIAN["words"]["legal_status"])


#: morphology a word list cannot enumerate: the French conditional ("constituerait") hedges a claim
#: and the prefix "non-" negates the word it is joined to ("non-pajak" = "bukan pajak")
#: (each alternative says where its word ends: the list's end of word is not applied to them)
_EXTRA = {("fr", "hedges"): r"|\w{3,}(?:erait|eraient|irait|iraient)(?![\w-])", ("id", "negators"): r"|non(?=-\w)"}


@cache
def _pattern(lang: str, which: str) -> re.Pattern[str] | None:
    words = {"negators": NEGATORS, "hedges": HEDGES, "speech": SPEECH_VERBS}[which].get(lang)
    return _compile(lang, words or frozenset(), _EXTRA.get((lang, which), ""))


def _compile(lang: str, words: frozenset[str], extra: str) -> re.Pattern[str] | None:
    """One pattern for a word list, written the way each script joins words."""
    if not words:
        return None
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    if lang in ("zh", "ja"):
        return re.compile(f"(?:{alternatives}{extra})")
    if lang == "ar":  # و ف ب ل ك are written together with the next word
        return re.compile(rf"(?<![\w])[وفبلك]?(?:{alternatives}{extra})(?![\w])")
    if lang in ("id", "ms"):  # menurutnya, katanya: -nya is written together with the word
        return re.compile(rf"(?<![\w'’-])(?:(?:{alternatives})(?:nya)?(?![\w-]){extra})", re.IGNORECASE)
    return re.compile(rf"(?<![\w'’-])(?:(?:{alternatives})(?![\w-]){extra})", re.IGNORECASE)


def _without_idioms(text: str, lang: str) -> str:
    lowered = text.casefold() if lang not in ("zh", "ja", "ar") else text
    for idiom in NOT_NEGATION.get(lang, ()):
        lowered = lowered.replace(idiom, " ")
    return lowered


#: texts whose markers are kept
MARKER_CACHE = 8192

_TITLE_CASE_RUN = re.compile(r"(?<=[a-z,] )(?:[A-Z][a-z]+ ){1,5}[A-Z][a-z]+")


def find_markers(text: str, lang: str, which: str) -> list[str]:
    """The negators (``which="negators"``), hedges or speech verbs of ``lang`` found in ``text``.

    Words inside a capitalised name ("Belanja Tidak Terduga") are not markers. A marker is returned in
    its dictionary form ("menurutnya" → "menurut", "وبحسب" → "بحسب").
    """
    return list(_markers(text, lang, which))


@lru_cache(maxsize=MARKER_CACHE)
def _markers(text: str, lang: str, which: str) -> tuple[str, ...]:
    """:func:`find_markers`, kept for the texts read last (each is read by several rules)."""
    pattern = _pattern(lang, which)
    if pattern is None:
        return ()
    prepared = _TITLE_CASE_RUN.sub(lambda m: " " * len(m.group()), text) if lang in ("id", "ms", "en") else text
    prepared = _without_idioms(prepared, lang) if which == "negators" else prepared
    if lang == "fr" and which == "negators":
        prepared = re.sub(r"\bn['’]", "ne ", prepared)
    out = []
    for m in pattern.finditer(prepared):
        word = m.group().casefold()
        if lang in ("id", "ms") and word.endswith("nya") and word[:-3] in _words_of(lang, which):
            word = word[:-3]
        elif lang == "ar" and word[:1] in "وفبلك" and word[1:] in _words_of(lang, which):
            word = word[1:]
        out.append(word)
    return tuple(out)


def _words_of(lang: str, which: str) -> frozenset[str]:
    return {"negators": NEGATORS, "hedges": HEDGES, "speech": SPEECH_VERBS}[which].get(lang, frozenset())


#: morphology a word list cannot enumerate: the French future ("organisera", "construiront") says what is to come
_MODALITY_EXTRA = {("fr", "future"): r"|\w{3,}(?:era|eront|ira|iront)(?![\w-])"}


@cache
def _modality_pattern(lang: str, kind: str) -> re.Pattern[str] | None:
    words = MODALITY.get(lang, {}).get(kind, frozenset()) | MODALITY_KEEPERS.get(lang, {}).get(kind, frozenset())
    return _compile(lang, frozenset(w.replace("_", " ") for w in words), _MODALITY_EXTRA.get((lang, kind), ""))


def modality_kinds(lang: str) -> frozenset[str]:
    """The kinds of modality that ``lang`` has words for (:data:`MODALITY`)."""
    return frozenset(MODALITY.get(lang, {}))


def find_modality(text: str, lang: str, kind: str, *, keepers: bool = False) -> list[str]:
    """The words of one kind of modality in ``text`` (with ``keepers``, also the words that only keep it).

    Words inside a capitalised name are not markers; a marker is returned in its dictionary form, as
    :func:`find_markers` does.
    """
    return list(_modality(text, lang, kind, keepers))


@lru_cache(maxsize=MARKER_CACHE)
def _modality(text: str, lang: str, kind: str, keepers: bool) -> tuple[str, ...]:
    pattern = _modality_pattern(lang, kind)
    if pattern is None:
        return ()
    own = {w.replace("_", " ") for w in MODALITY.get(lang, {}).get(kind, frozenset())}
    prepared = _TITLE_CASE_RUN.sub(lambda m: " " * len(m.group()), text) if lang in ("id", "ms", "en") else text
    out = []
    for m in pattern.finditer(prepared):
        word = m.group().casefold()
        if lang in ("id", "ms") and word.endswith("nya") and word not in own and word[:-3]:
            word = word[:-3]
        elif lang == "ar" and word[:1] in "وفبلك" and word not in own:
            word = word[1:]
        if keepers or word in own or (lang, kind) in _MODALITY_EXTRA:
            out.append(word)
    return tuple(out)


def knows(lang: str, which: str) -> bool:
    """Whether there is a word list of this kind for the language."""
    return _pattern(lang, which) is not None


@lru_cache(maxsize=1 << 16)
def synonym_groups_of(word: str) -> frozenset[int]:
    """Indices of the synonym groups an Indonesian word (or stem) belongs to."""
    return frozenset(i for i, group in enumerate(SYNONYMS_ID) if word in group)
