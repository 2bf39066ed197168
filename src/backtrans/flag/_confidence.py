"""How sure each flag is: a small evidence model, the same for every rule, documented and measured.

A rule says *what* it found and records its evidence; this module turns that evidence into one number an editor
can rank by. The model is logistic, ``confidence = 1 / (1 + exp(-z))`` with

    z = prior[code] + Σ weight[feature] × feature

over a handful of features that every flag either has or has not (the weights and priors are data,
``data/confidence.toml``, each with its reason; docs/validity.md says how they were set and what they give):

``version_visible``
    The evidence was read from the version text itself (digits, Latin-script names and acronyms, quotation marks,
    the script of a paragraph), not only from its back-translation: a back-translation model cannot have made it up.
``back_only``
    The evidence exists only in a back-translation that went through a pivot or a script change (zh, ja, ar …):
    the route itself rewrites names, terms and hedges, so the same finding is weaker there.
``consensus``
    Graded agreement of the other versions: the share of the other languages covering the same source segments
    that keep what this version lost (``kept_by`` of the rule), centred (0.5 → 0); absent where no rule counts it.
``corroborated``
    Another rule flags the same source segment of this version for another reason.
``relative_chrf``
    How far this pair's chrF++ lies below the median of the other languages on the same source segments, per
    10 points (clipped to ±3): a version that drifted here scores below the others, a noisy route scores low
    everywhere.
``salient``
    What was lost is a term of the article (in the headline or lead, or used again and again) or a person's
    legal status: an editor cares, and a paraphrase of it is less likely.
``partial``
    Part of a sentence (a clause), judged from its words alone: a paraphrase moves words too. A rule may grade it
    (its ``partial`` evidence, 0–1): a longer stretch of words is less likely a paraphrase.
``page``
    The whole version says it: a page in another language, a back-translation that matches half the source or
    less. Such a version is left out of every other rule, so this one flag must reach the editor.
``substitute``
    Something else stands where the source's item stood: another name of the article, another body, another
    value (the rule's ``substitute`` evidence).
``near_miss``
    The back-translation holds a near form of what the rule missed (a transliteration, a synonym the stemmer does
    not join), or what stands in its place renders the same source item elsewhere in the article (a route's
    habitual rendering of a term): likely noise of the route.
``general_word``
    What stands in the lost item's place is a general word, not another item of its kind: a verb where the source
    had a noun, or a word far more common than the one lost (the rule's ``general_word`` evidence): a paraphrase
    or a word lined up by accident, where a sense error swaps a term for another term.
``lone_witness``
    A single other version covers the segments, and the rule's evidence is a choice of words (the rule's
    ``lone_witness`` evidence): one route keeping a word that has synonyms is a coin toss, not a consensus.

Other versions are counted per language, not per alignment link.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

from ..text.languages import script_of
from ..types import Flag
from .common import ArticleContext, VersionView

Items = list[tuple[Flag, "int | None"]]

FEATURES = (
    "version_visible",
    "back_only",
    "consensus",
    "corroborated",
    "relative_chrf",
    "salient",
    "partial",
    "page",
    "substitute",
    "near_miss",
    "general_word",
    "lone_witness",
)
#: codes whose rule always reads its evidence in the version text itself (a rule may say so per flag instead)
READS_VERSION = frozenset({"number_mismatch", "quote_mismatch", "wrong_language", "untranslated", "glossary_term"})


@cache
def model() -> tuple[Mapping[str, float], Mapping[str, float]]:
    """The priors per code and the weights per feature (``data/confidence.toml``)."""
    text = resources.files("backtrans").joinpath("flag", "data", "confidence.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    priors = {code: float(entry["prior"]) for code, entry in data["prior"].items()}
    weights = {name: float(entry["weight"]) for name, entry in data["weight"].items()}
    missing = set(FEATURES) - set(weights)
    if missing:
        raise ValueError(f"confidence.toml: no weight for {', '.join(sorted(missing))}")
    return priors, weights


def features(flag: Flag, link: int | None, view: VersionView, ctx: ArticleContext, siblings: Items) -> dict:
    """The features of one flag (absent ones are 0)."""
    evidence = flag.evidence
    out: dict[str, float] = {}
    visible = evidence.get("version_visible", True if flag.code in READS_VERSION else None)
    if visible is True:
        out["version_visible"] = 1.0
    elif visible is False and script_of(view.lang) != "latin":
        out["back_only"] = 1.0
    kept_by = evidence.get("kept_by")
    compared = evidence.get("compared_with")
    if isinstance(kept_by, list | tuple) and isinstance(compared, int) and compared > 0:
        out["consensus"] = len(kept_by) / compared - 0.5
    segments = set(flag.segments)
    if segments and any(
        other.code != flag.code and segments.intersection(other.segments) for other, _ in siblings if other is not flag
    ):
        out["corroborated"] = 1.0
    if link is not None and link < len(view.links) and (own := view.scores[link]) is not None:
        rest = ctx.others_chrf(view, view.links[link])
        if rest:
            out["relative_chrf"] = max(-3.0, min(3.0, (statistics.median(rest) - own.chrf) / 10.0))
    if evidence.get("scope") == "clause":
        # a longer stretch of words that the other versions keep is less likely a paraphrase
        weight = evidence.get("partial", 1.0)
        out["partial"] = float(weight) if isinstance(weight, int | float) else 1.0
    if evidence.get("salient"):
        out["salient"] = 1.0
    if evidence.get("substitute"):
        out["substitute"] = 1.0
    for name in ("near_miss", "general_word", "lone_witness"):
        if evidence.get(name):
            out[name] = 1.0
    return out


def confidence_of(code: str, feats: Mapping[str, float]) -> float:
    priors, weights = model()
    z = priors.get(code, 0.0) + sum(weights[name] * value for name, value in feats.items())
    return round(1.0 / (1.0 + math.exp(-z)), 3)


def assign(out: dict[str, Items], ctx: ArticleContext) -> None:
    """Give every flag its confidence (in place in ``out``), from its evidence and the other versions."""
    for lang, items in out.items():
        view = next((v for v in ctx.views if v.lang == lang), None)
        scored: Items = []
        for flag, link in items:
            if view is None:  # a page in another language or an unrelated back-translation: what the whole page says
                feats: dict[str, float] = {"version_visible": 1.0} if flag.code in READS_VERSION else {}
                if flag.evidence.get("scope") == "article":
                    feats["page"] = 1.0
            else:
                feats = features(flag, link, view, ctx, items)
            scored.append((dataclasses.replace(flag, confidence=confidence_of(flag.code, feats)), link))
        out[lang] = scored
