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

A hedge is judged by its kind of modality (:data:`backtrans.flag._lexicon.MODALITY`), not by any hedge word:
an allegation ("diduga", "menuding", "kasus suspek") must come back as doubt of some kind, not as an attribution;
an attribution ("menurut X", "kabarnya") is kept when the back-translation attributes the claim some other way
("X mengatakan"); a possibility ("berpotensi") by a possibility, a risk or an estimate, not by "akan"; an estimate
("memperkirakan") by an estimate, a plan or a future, not by an attribution ("menurut Kementerian"); a plan or a
target ("berencana", "target kami") by a plan or an expectation, not by a bare "akan"; a future ("akan", "pekan
depan") is lost only where the back-translation says it is done ("telah", "pekan lalu") and no longer that it is to
come. The version's own words, where its language has a list for the kind, witness the same way, and the other
versions are compared on the same kind (a version that reads a plan as "akan" does not excuse one that drops an
accusation). The flag's evidence names the kind (``modality``). Kinds are read in Indonesian sources only; a
source in another language keeps the judgement by any hedge of its list (an allegation by more than an attribution).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text.languages import base_lang, language_name
from ..types import TITLE_PARAGRAPH, Flag
from ._lexicon import (
    HEDGE_KINDS,
    STOPWORDS_ID,
    VERSION_ATTRIBUTION,
    find_markers,
    find_modality,
    knows,
    modality_kinds,
)
from ._words import stem
from .common import STRUCTURAL, WORD, Add, ArticleContext, Source, VersionView, ids

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
    #: of a hedge: its kind of modality (allegation, attribution, possibility, estimate, plan, future; "": a source
    #: read without kinds, any hedge)
    modality: str = ""
    #: of a negation or an added hedge: the version's own words were read (its language has a list) and agree with
    #: the finding (evidence ``version_visible``); a lost hedge's consensus is its evidence instead
    version_read: bool = False
    carriers: tuple[str, ...] = ()  #: words the back-translation puts before the negated word instead of the negator


def _negated_words(text: str, lang: str, depth: int = 2) -> set[str]:
    """Stems of the (up to ``depth``) content words that follow a negator: what is being negated."""
    words = [w.casefold() for w in WORD.findall(text)]
    negators = set(find_markers(text, lang, "negators"))
    out: set[str] = set()
    for k, word in enumerate(words):
        if word not in negators:
            continue
        taken = 0
        if words[k + 1 : k + 2] == ["pernah"]:
            out.add("pernah")  # "belum pernah dihukum" back as "pernah diadili": never became ever, whatever verb
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


_NEGATED = re.compile(r"\b(?:tidak|tak|bukan|belum|tanpa|not|no)\s+(\w[\w-]*)", re.IGNORECASE)


def _under_negation(text: str) -> set[str]:
    """The words right after a negator: a hedge among them hedges nothing ("tidak berpotensi tsunami")."""
    return {m.group(1).casefold() for m in _NEGATED.finditer(text)}


def _unnegated_hedges(text: str, lang: str) -> list[str]:
    """Hedges that are not themselves negated."""
    under_negation = _under_negation(text)
    return [h for h in find_markers(text, lang, "hedges") if h not in under_negation]


def _stems(text: str) -> set[str]:
    return {stem(w) for w in WORD.findall(text)}


#: per kind of source modality, the kinds of the back-translation (Indonesian) that keep it: a plan is kept by a plan
#: or an expectation, not by a bare "akan"; an estimate also by a plan or a future; a future is judged apart
#: (:func:`_future_lost`)
_BACK_KEEPS: dict[str, tuple[str, ...]] = {
    "allegation": ("allegation", "possibility", "estimate"),
    "attribution": ("allegation", "attribution", "possibility", "estimate", "plan"),
    "possibility": ("possibility", "allegation", "estimate"),
    "estimate": ("estimate", "possibility", "allegation", "plan", "future"),
    "plan": ("plan", "estimate"),
}
#: per kind of source modality, the kinds of the version's own words that keep it ("doubt": any hedge of the
#: version's list that is more than an attribution; "hedge": any hedge; "speech": a speech verb)
_VERSION_KEEPS: dict[str, tuple[str, ...]] = {
    "allegation": ("doubt",),
    "attribution": ("hedge", "speech"),
    "possibility": ("doubt", "possibility"),
    "estimate": ("doubt", "estimate", "plan", "future"),
    "plan": ("plan", "estimate"),
    # as in the back-translation (:func:`_future_lost`), a plan's nouns ("目标", target) do not keep a future
    "future": ("future", "estimate"),
}
#: the order findings are reported in
_KINDS = ("allegation", "attribution", "possibility", "estimate", "plan", "future")


def _source_modality(text: str, lang: str) -> dict[str, list[str]]:
    """Per kind, the modality words of a source sentence that are not themselves negated."""
    under_negation = _under_negation(text)
    out: dict[str, list[str]] = {}
    for kind in _KINDS:
        words = [w for w in find_modality(text, lang, kind) if w not in under_negation]
        if words:
            out[kind] = words
    return out


def _back_keeps(kind: str, markers: Sequence[str], src: str, back: str, lang: str) -> bool:
    """Whether the back-translation keeps a kind of modality the source has (its kind, not its word)."""
    if kind == "future":
        return not _future_lost(src, back, lang)
    if any(find_modality(back, lang, other, keepers=True) for other in _BACK_KEEPS[kind]):
        return True
    if kind == "attribution":
        return bool(find_markers(back, lang, "speech"))
    if kind == "allegation":
        return False
    back_stems = _stems(back)
    return any(stem(h) in back_stems for h in markers)


def _more_past(src: str, back: str, lang: str) -> bool:
    """The back-translation says that something has happened ("telah", "pekan lalu") more often than the source."""
    return len(find_modality(back, lang, "past")) > len(find_modality(src, lang, "past"))


def _future_lost(src: str, back: str, lang: str) -> bool:
    """A future reported as done: the back-translation says "telah" or "pekan lalu" where the source did not, and
    no longer says that anything is still to come."""
    past = _more_past(src, back, lang)
    # not a plan: its nouns ("target") name what was aimed at as often in a report of what was done
    ahead = any(find_modality(back, lang, kind, keepers=True) for kind in ("future", "estimate"))
    return past and not ahead


def _version_keeps(kind: str, text: str, lang: str) -> list[str] | None:
    """The version's own words that keep a kind of modality, or None where its language has no list for it."""
    if not text:
        return None
    found: list[str] = []
    known = False
    for which in _VERSION_KEEPS[kind]:
        if which in ("hedge", "doubt", "speech"):
            if not knows(lang, "speech" if which == "speech" else "hedges"):
                continue
            known = True
            words = find_markers(text, lang, "speech" if which == "speech" else "hedges")
            if which == "doubt":
                words = [w for w in words if w not in VERSION_ATTRIBUTION.get(lang, frozenset())]
            found += words
        elif which in modality_kinds(lang):
            known = True
            found += find_modality(text, lang, which)
    return found if known else None


def _version_markers(text: str, lang: str, which: str) -> list[str] | None:
    """The version's own markers, or None where there is no word list or no version text."""
    if not text or not knows(lang, which):
        return None
    return find_markers(text, lang, which)


def not_yet_done(src: str, back: str, lang: str) -> bool:
    """ "belum" (not yet) come back as done ("telah", "sudah": its opposite in the dictionary), whatever verb follows:
    "belum pernah dihukum" → "sebelumnya telah diadili"."""
    if base_lang(lang) != "id" or "belum" not in find_markers(src, "id", "negators"):
        return False
    return _more_past(src, back, "id")


#: source languages whose hedges are judged by kind (:data:`MODALITY` is read in their sources and back-translations);
#: the other languages' lists are written to be read in a version, where a noun ("projects", "target", "due to")
#: is no modality of a source sentence: their sources keep the judgement by any hedge (:func:`_any_hedge_kept`)
_READ_BY_KIND = frozenset({"id"})


def _any_hedge_kept(source_hedges: Sequence[str], back: str, version: str, source_lang: str, lang: str) -> bool:
    """Whether a version keeps the hedging of a source read without kinds of modality: an allegation by a hedge
    that is more than an attribution, an attribution by a hedge or a speech verb, any other hedge by a hedge (in
    the version's own words where its language has a list, else in the back-translation)."""
    kinds = HEDGE_KINDS.get(source_lang, {})
    allegation, attribution = kinds.get("allegation", frozenset()), kinds.get("attribution", frozenset())
    ver_hedge = _version_markers(version, lang, "hedges")
    if ver_hedge and any(h in allegation for h in source_hedges):
        ver_hedge = [h for h in ver_hedge if h not in VERSION_ATTRIBUTION.get(lang, frozenset())]
    elif source_hedges and all(h in attribution for h in source_hedges):
        ver_hedge = (ver_hedge or []) + (_version_markers(version, lang, "speech") or [])
    if ver_hedge:
        return True
    back_hedges = find_markers(back, source_lang, "hedges")
    if any(h in allegation for h in source_hedges):
        return any(h not in attribution or h in allegation for h in back_hedges)
    if any(h in attribution for h in source_hedges):
        return bool(back_hedges) or bool(find_markers(back, source_lang, "speech"))
    back_stems = _stems(back)
    return bool(back_hedges) or any(stem(h) in back_stems for h in source_hedges)


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
    if (
        src_neg
        and not back_neg
        and not ver_neg
        and (_negated_words(src, source_lang) & _stems(back) or not_yet_done(src, back, source_lang))
    ):
        carriers = _carriers(src, back, source_lang)
        out.append(_Finding("lost_negation", tuple(src_neg), (), version_read=ver_neg is not None, carriers=carriers))
    elif not src_neg and back_neg and ver_neg and _negated_words(back, source_lang, depth=1) & _stems(src):
        out.append(_Finding("added_negation", tuple(back_neg), tuple(ver_neg), version_read=True))
    src_hedge = _unnegated_hedges(src, source_lang)
    ver_hedge = _version_markers(version, view.lang, "hedges")
    if base_lang(source_lang) in _READ_BY_KIND:
        for kind, markers in _source_modality(src, source_lang).items():
            if _back_keeps(kind, markers, src, back, source_lang):
                continue
            kept = _version_keeps(kind, version, view.lang)
            if not kept:
                out.append(_Finding("lost_hedge", tuple(markers), (), kind))
    elif src_hedge and not _any_hedge_kept(src_hedge, back, version, source_lang, view.lang):
        out.append(_Finding("lost_hedge", tuple(src_hedge), ()))
    added_ok = HEDGE_KINDS.get(source_lang, {}).get("added", frozenset())
    added = [h for h in find_markers(back, source_lang, "hedges") if h in added_ok]
    if not src_hedge and added and ver_hedge:
        out.append(_Finding("added_hedge", tuple(added), tuple(ver_hedge), version_read=True))
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
#: the message of a lost hedge, by its kind of modality
_LOST: dict[str, str] = {
    "allegation": "the allegation «{m}» is gone: the {name} version states as fact what the source alleges",
    "attribution": "the attribution «{m}» is gone: the {name} version states as fact what the source reports",
    "possibility": "the possibility «{m}» is gone: the {name} version states as certain what the source says may be",
    "estimate": "the estimate «{m}» is reported as fact by the {name} version",
    "plan": "the plan «{m}» is reported as decided or done by the {name} version",
    "future": "what the source says is still to come («{m}») is reported as done by the {name} version",
}


def _key(finding: _Finding) -> str:
    """What the other versions are compared on: the kind of finding and, for a hedge, its kind of modality."""
    return f"{finding.kind}:{finding.modality}" if finding.kind == "lost_hedge" else finding.kind


def _holding(source: Source, indices: Sequence[int], finding: _Finding, lang: str) -> list[int]:
    """The source sentences of a link that hold what was lost (its negator or hedge): a link of two sentences
    points the editor at the one that says it. All of them where the marker was added, or is in none alone."""
    if finding.kind not in ("lost_negation", "lost_hedge") or len(indices) < 2:
        return list(indices)
    which = "negators" if finding.kind == "lost_negation" else None
    holding = [
        i
        for i in indices
        if (
            set(find_markers(source[i].text, lang, "negators")) & set(finding.markers)
            if which
            else any(m in source[i].text.casefold() for m in finding.markers)
        )
    ]
    return holding or list(indices)


def flag_polarity(ctx: ArticleContext, add: Add) -> None:
    """Negations and hedges of every version, judged against the other versions of the same sentences."""
    views, source, source_lang = ctx.views, ctx.source, ctx.source_lang
    findings = {
        (view.lang, k): {_key(f): f for f in _findings(ctx, view, k)}
        for view in views
        for k, link in enumerate(view.links)
        if link.kind not in STRUCTURAL
    }
    for view in views:
        name = language_name(view.lang)
        for k, link in enumerate(view.links):
            for key, finding in findings.get((view.lang, k), {}).items():
                others = {
                    lang: found
                    for lang, covering in ctx.others(view, link).items()
                    if (found := [findings[(lang, o)] for o in covering if (lang, o) in findings])
                }  # per language: the findings of its links that cover the sentence (one witness, not one per link)
                agreeing = sum(any(key in f for f in found) for found in others.values())
                if others and 2 * agreeing >= len(others):
                    continue  # most other versions read the sentence the same way: a paraphrase, not an error
                code, severity, message = _MESSAGES[finding.kind]
                if finding.kind == "lost_hedge" and finding.modality:
                    message = _LOST[finding.modality]
                evidence: dict[str, Any] = {
                    "markers": list(finding.markers),
                    "version": list(finding.version),
                    "kind": finding.kind,
                    "pair": k,
                }
                if finding.kind == "lost_hedge":
                    # graded agreement: the other versions that keep this kind of modality on the sentence
                    evidence["modality"] = finding.modality
                    evidence["kept_by"] = sorted(
                        lang for lang, found in others.items() if not any(key in f for f in found)
                    )
                    evidence["compared_with"] = len(others)
                elif finding.version_read:
                    evidence["version_visible"] = True  # the version itself, read with its word list, agrees
                # another version, through another language, puts the same word where the negator stood ("enggan
                # membayar" for "tidak membayar"): a word that carries the negation, not a negation dropped
                shared = {
                    word
                    for found in others.values()
                    for f in found
                    if key in f
                    for word in f[key].carriers
                    if word in finding.carriers
                }
                if shared:
                    evidence["near_miss"] = sorted(shared)
                add(
                    view.lang,
                    Flag(
                        code,
                        severity,
                        message.format(m=", ".join(dict.fromkeys(finding.markers)), name=name),
                        ids(source, _holding(source, link.source, finding, source_lang)),
                        evidence,
                    ),
                    k,
                )
