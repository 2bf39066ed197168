"""A negation or a hedge lost or added (``polarity_mismatch``, ``hedge_mismatch``).

Per aligned pair, the negators and hedges of the source language
(:mod:`backtrans.flag._lexicon`) are compared between the source and its
back-translation: "tidak ada korban jiwa" back as "ada korban jiwa" is a high
flag; "diduga menerima suap" back as "menerima suap" a medium one. Three
witnesses keep paraphrases from being flagged:

* the version text itself, where its language has a word list: a negation or
  hedge still in the version means the back-translation lost it, not the version;
  and a negation the version has lost too is read in the version (``version_visible``
  evidence: no back-translation model made the loss up);
* the negated word: a negation is lost when the word it negated survives
  without it ("tidak ada" → "ada"), not when the back-translation says the
  same with another word ("tidak mampu" → "miskin", "belum ditemukan" →
  "masih hilang"); an added negation must negate a word the source has;
* the other versions: a marker that most other versions also lose on the same
  source sentence is a paraphrase every translation makes, not this version's
  error; a lost negation whose negated word another version's back-translation
  also keeps behind the same new word ("tidak memenuhi" → "gagal memenuhi" in
  two versions) is carried by that word, and the flag says so (``near_miss``).
  Each other version is one witness, however many of its links cover the
  sentence: it reads the sentence the same way when one of them does.

An attribution ("menurut X", "kabarnya") is kept when the back-translation
attributes the claim some other way ("X mengatakan"); an allegation
("diduga") must come back as some hedge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.languages import language_name
from ..types import TITLE_PARAGRAPH, Flag
from ._lexicon import HEDGE_KINDS, STOPWORDS_ID, VERSION_ATTRIBUTION, find_markers, knows
from ._words import stem
from .common import STRUCTURAL, WORD, Add, ArticleContext, VersionView, ids

#: words between a negator and the word it negates ("tidak pernah datang", "belum juga ditemukan")
_AUXILIARIES = frozenset(
    [
        "pernah",
        "akan",
        "bisa",
        "dapat",
        "mau",
        "perlu",
        "boleh",
        "sempat",
        "segera",
        "lagi",
        "juga",
        "pula",
        "terlalu",
        "begitu",
        "terlalu",
        "sama",
        "sekali",
        "ada",
        "yang",
    ]
)


@dataclass(frozen=True)
class _Finding:
    kind: str  #: "lost_negation", "added_negation", "lost_hedge", "added_hedge"
    markers: tuple[str, ...]
    version: tuple[str, ...]
    carriers: tuple[str, ...] = ()  #: words the back-translation puts before the negated word instead of the negator
    #: the version text itself was read with its language's word list and agrees with the finding
    read_in_version: bool = False


def _negated_words(text: str, lang: str, depth: int = 2) -> set[str]:
    """Stems of the (up to ``depth``) content words that follow a negator: what is being negated."""
    words = [w.casefold() for w in WORD.findall(text)]
    negators = set(find_markers(text, lang, "negators"))
    out: set[str] = set()
    for k, word in enumerate(words):
        if word not in negators:
            continue
        taken = 0
        for nxt in words[k + 1 : k + 6]:
            if nxt == "ada" or (nxt not in _AUXILIARIES and nxt not in STOPWORDS_ID):
                out.add(stem(nxt))
                taken += nxt != "ada"
            if taken == depth:
                break
    return out


def _carriers(src: str, back: str, lang: str) -> tuple[str, ...]:
    """The content words the back-translation puts right before a word the source negated, where the source has
    no such word: what may carry the negation in another word ("tidak memenuhi" → "gagal memenuhi")."""
    negated = _negated_words(src, lang, depth=1)
    source_stems = _stems(src)
    words = [w.casefold() for w in WORD.findall(back)]
    return tuple(
        dict.fromkeys(
            before
            for before, word in zip(words, words[1:], strict=False)
            if stem(word) in negated
            and before not in _AUXILIARIES
            and before not in STOPWORDS_ID
            and stem(before) not in source_stems
        )
    )


def _unnegated_hedges(text: str, lang: str) -> list[str]:
    """Hedges that are not themselves negated ("tidak berpotensi tsunami" hedges nothing)."""
    negated = re.compile(r"\b(?:tidak|tak|bukan|belum|tanpa|not|no)\s+(\w[\w-]*)", re.IGNORECASE)
    under_negation = {m.group(1).casefold() for m in negated.finditer(text)}
    return [h for h in find_markers(text, lang, "hedges") if h not in under_negation]


def _stems(text: str) -> set[str]:
    return {stem(w) for w in WORD.findall(text)}


def _hedge_kept(source_hedges: Sequence[str], back: str, source_lang: str) -> bool:
    """Whether the back-translation keeps the hedging the source has (its kind, not its word)."""
    back_hedges = find_markers(back, source_lang, "hedges")
    kinds = HEDGE_KINDS.get(source_lang, {})
    allegation, attribution = kinds.get("allegation", frozenset()), kinds.get("attribution", frozenset())
    if any(h in allegation for h in source_hedges):
        return any(h not in attribution or h in allegation for h in back_hedges)
    if any(h in attribution for h in source_hedges):
        return bool(back_hedges) or bool(find_markers(back, source_lang, "speech"))
    back_stems = _stems(back)
    return bool(back_hedges) or any(stem(h) in back_stems for h in source_hedges)


def _version_markers(text: str, lang: str, which: str) -> list[str] | None:
    """The version's own markers, or None where there is no word list or no version text."""
    if not text or not knows(lang, which):
        return None
    return find_markers(text, lang, which)


def _findings(ctx: ArticleContext, view: VersionView, k: int) -> list[_Finding]:
    source, source_lang, join = ctx.source, ctx.source_lang, ctx.join
    link = view.links[k]
    src = join([source[i].text for i in link.source])
    back = view.back_text(link, join)
    version = view.version_text(link, join)
    if all(source[i].paragraph == TITLE_PARAGRAPH for i in link.source):
        # a headline capitalises every word: none of them is part of a name
        src, back, version = src.lower(), back.lower(), version.lower()
    out: list[_Finding] = []
    src_neg = find_markers(src, source_lang, "negators")
    back_neg = find_markers(back, source_lang, "negators")
    ver_neg = _version_markers(version, view.lang, "negators")
    if src_neg and not back_neg and not ver_neg and _negated_words(src, source_lang) & _stems(back):
        carriers = _carriers(src, back, source_lang)
        out.append(_Finding("lost_negation", tuple(src_neg), (), carriers, ver_neg is not None))
    elif not src_neg and back_neg and ver_neg and _negated_words(back, source_lang, depth=1) & _stems(src):
        out.append(_Finding("added_negation", tuple(back_neg), tuple(ver_neg), read_in_version=True))
    src_hedge = _unnegated_hedges(src, source_lang)
    ver_hedge = _version_markers(version, view.lang, "hedges")
    kinds = HEDGE_KINDS.get(source_lang, {})
    if ver_hedge and any(h in kinds.get("allegation", ()) for h in src_hedge):
        # an allegation is kept only by a hedge that is more than an attribution ("according to")
        ver_hedge = [h for h in ver_hedge if h not in VERSION_ATTRIBUTION.get(view.lang, frozenset())]
    elif src_hedge and all(h in kinds.get("attribution", ()) for h in src_hedge):
        # an attribution is kept by a speech verb too ("menurutnya" → "he said", "他认为")
        ver_hedge = (ver_hedge or []) + (_version_markers(version, view.lang, "speech") or [])
    if src_hedge and not ver_hedge and not _hedge_kept(src_hedge, back, source_lang):
        out.append(_Finding("lost_hedge", tuple(src_hedge), ()))
    added_ok = HEDGE_KINDS.get(source_lang, {}).get("added", frozenset())
    added = [h for h in find_markers(back, source_lang, "hedges") if h in added_ok]
    if not src_hedge and added and ver_hedge:
        out.append(_Finding("added_hedge", tuple(added), tuple(ver_hedge)))
    return out


_MESSAGES = {
    "lost_negation": ("polarity_mismatch", "high", "the negation «{m}» of the source is gone from the {name} version"),
    "added_negation": ("polarity_mismatch", "high", "the {name} version negates what the source affirms («{m}»)"),
    "lost_hedge": (
        "hedge_mismatch",
        "medium",
        "the hedge «{m}» is gone: the {name} version states as fact what the source reports or alleges",
    ),
    "added_hedge": (
        "hedge_mismatch",
        "medium",
        "the {name} version presents as an allegation («{m}») what the source states as fact",
    ),
}


def flag_polarity(ctx: ArticleContext, add: Add) -> None:
    """Negations and hedges of every version, judged against the other versions of the same sentences."""
    views, source = ctx.views, ctx.source
    findings = {
        (view.lang, k): {f.kind: f for f in _findings(ctx, view, k)}
        for view in views
        for k, link in enumerate(view.links)
        if link.kind not in STRUCTURAL
    }
    for view in views:
        name = language_name(view.lang)
        for k, link in enumerate(view.links):
            for kind, finding in findings.get((view.lang, k), {}).items():
                others = {
                    lang: found
                    for lang, covering in ctx.others(view, link).items()
                    if (found := [findings[(lang, o)] for o in covering if (lang, o) in findings])
                }  # per language: the findings of its links that cover the sentence (one witness, not one per link)
                agreeing = sum(any(kind in f for f in found) for found in others.values())
                if others and 2 * agreeing >= len(others):
                    continue  # most other versions read the sentence the same way: a paraphrase, not an error
                # another version, through another language, puts the same word where the negator stood ("gagal
                # memenuhi" for "tidak memenuhi"): a word that carries the negation, not a negation dropped
                shared = {
                    word
                    for found in others.values()
                    for f in found
                    if kind in f
                    for word in f[kind].carriers
                    if word in finding.carriers
                }
                code, severity, message = _MESSAGES[kind]
                add(
                    view.lang,
                    Flag(
                        code,
                        severity,
                        message.format(m=", ".join(dict.fromkeys(finding.markers)), name=name),
                        ids(source, link.source),
                        {
                            "markers": list(finding.markers),
                            "version": list(finding.version),
                            "kind": kind,
                            "pair": k,
                            **({"version_visible": True} if finding.read_in_version else {}),
                            **({"near_miss": sorted(shared)} if shared else {}),
                        },
                    ),
                    k,
                )
