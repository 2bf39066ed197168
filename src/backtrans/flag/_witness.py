"""Score flags judged again by the witnesses besides chrF++ (``--calibrate``, ``--semantic``), and ``meaning_drift``.

A round-trip score mixes what the version got wrong with what the
back-translation model got wrong. Two witnesses separate them:

* **the noise floor** (``--calibrate``): chrF++ of the source's own round trip
  through the same route. ``low_consistency`` and ``outlier_language`` then
  judge the *excess drift* (floor − chrF++) instead of the raw score, so a
  segment that every route mangles is not flagged and one that only this
  version mangles is;
* **the direct similarity** (``--semantic``): the cosine of the source and the
  version themselves, across languages, with no round trip. A low-chrF++ pair
  whose direct similarity is as high as the version's good pairs is
  back-translation noise: its flag is dropped, or downgraded to ``low`` when it
  is only nearly as high; a pair whose direct similarity is far below the
  version's own (robust z) while chrF++ looks fine raises ``meaning_drift``: a
  reversed role, a claim turned around, a changed sense, which no word rule
  sees.

The rules run after every other rule of :func:`~backtrans.flag.flag_article`,
on the flags it produced; thresholds are in :class:`~backtrans.config.Thresholds`.
"""

from __future__ import annotations

import statistics

from ..config import Thresholds
from ..types import Flag
from .common import ArticleContext, VersionView, ids, robust

#: the flags that judge a pair by its chrF++ alone
SCORE_CODES = ("low_consistency", "outlier_language")

Items = list[tuple[Flag, "int | None"]]
#: per language, per link: (excess drift, chrF++, floor)
Drifts = dict[str, dict[int, tuple[float, float, float]]]


def _pair_level(flag: Flag, link: int | None) -> bool:
    return flag.code in SCORE_CODES and link is not None and flag.evidence.get("scope") != "article"


def apply_witnesses(ctx: ArticleContext, flags: dict[str, Items]) -> None:
    """Re-judge the score flags of every version with the witnesses it has; add ``meaning_drift``.

    The versions with a noise floor are judged on their excess drift (the
    outlier rule among themselves); a version without one (no forward route)
    keeps the raw rules' flags.
    """
    calibrated = [view for view in ctx.views if any(f is not None for f in view.floor)]
    if calibrated:
        recalibrate(ctx.narrowed(calibrated), flags)
    for view in ctx.views:
        if any(d is not None for d in view.direct):
            judge_by_meaning(ctx, view, flags[view.lang])


def recalibrate(ctx: ArticleContext, flags: dict[str, Items]) -> None:
    """``low_consistency`` and ``outlier_language`` on the excess drift (floor − chrF++) instead of chrF++."""
    views = ctx.views
    drifts: Drifts = {
        view.lang: {
            k: (floor - score.chrf, score.chrf, floor)
            for k, (score, floor) in enumerate(zip(view.scores, view.floor, strict=True))
            if score is not None and floor is not None
        }
        for view in views
    }
    for view in views:
        flags[view.lang][:] = [(f, k) for f, k in flags[view.lang] if not _pair_level(f, k)]
        _excess_low_consistency(ctx, view, drifts[view.lang], flags[view.lang])
    _excess_outliers(ctx, drifts, flags)


def _excess_low_consistency(
    ctx: ArticleContext, view: VersionView, drift: dict[int, tuple[float, float, float]], out: Items
) -> None:
    source, thresholds = ctx.source, ctx.thresholds
    if len(drift) < 4:
        return
    median, spread = robust([d for d, _, _ in drift.values()], thresholds.low_consistency_min_spread)
    for k, (d, chrf, floor) in sorted(drift.items()):
        z = (d - median) / spread
        if d < thresholds.excess_drift_min or z < thresholds.low_consistency_z:
            continue
        message = (
            f"chrF++ {chrf:.1f}, {d:.1f} points below the source's own round trip through this route ({floor:.1f}); "
            f"this version's typical excess drift is {median:.1f}"
        )
        evidence = {
            "chrf": round(chrf, 2),
            "floor": round(floor, 2),
            "excess_drift": round(d, 2),
            "median_drift": round(median, 2),
            "robust_z": round(z, 2),
            "pair": k,
        }
        out.append((Flag("low_consistency", "medium", message, ids(source, view.links[k].source), evidence), k))


def _excess_outliers(ctx: ArticleContext, drifts: Drifts, flags: dict[str, Items]) -> None:
    views, source, thresholds = ctx.views, ctx.source, ctx.thresholds
    if len(views) < 3:
        return
    covered = ctx.coverage
    flagged: set[tuple[str, int]] = set()
    for i in range(len(source)):
        values = {
            view.lang: (drifts[view.lang][k], k)
            for view in views
            if (k := covered[view.lang].get(i)) is not None and k in drifts[view.lang]
        }
        if len(values) < 3:
            continue
        for lang, ((d, chrf, floor), k) in values.items():
            others = statistics.median(v[0][0] for other, v in values.items() if other != lang)
            if (lang, k) in flagged or d < thresholds.excess_drift_min or d - others < thresholds.outlier_gap:
                continue
            flagged.add((lang, k))
            message = (
                f"excess drift {d:.1f} (chrF++ {chrf:.1f} against a floor of {floor:.1f}) while the other languages "
                f"lose {others:.1f} beyond their own routes' round trips"
            )
            evidence = {
                "chrf": round(chrf, 2),
                "floor": round(floor, 2),
                "excess_drift": round(d, 2),
                "others_median_drift": round(others, 2),
                "pair": k,
            }
            segments = ids(source, ctx.view(lang).links[k].source)
            flags[lang].append((Flag("outlier_language", "medium", message, segments, evidence), k))


def judge_by_meaning(ctx: ArticleContext, view: VersionView, out: Items) -> None:
    """Drop or downgrade score flags the direct similarity explains as noise; raise ``meaning_drift``."""
    source, thresholds = ctx.source, ctx.thresholds
    direct = {
        k: d for k, d in enumerate(view.direct) if d is not None and k < len(view.scores) and view.scores[k] is not None
    }
    if not direct:
        return
    flagged = {k for f, k in out if _pair_level(f, k) and k in direct}
    good = [d for k, d in direct.items() if k not in flagged]
    reference = robust(good, thresholds.semantic_min_spread) if len(good) >= 3 else view.direct_reference
    if reference is not None and flagged:
        out[:] = [item for item in (_by_meaning(f, k, direct, reference, thresholds) for f, k in out) if item]
    own = list(direct.values())
    distribution = robust(own, thresholds.semantic_min_spread) if len(own) >= 5 else view.direct_reference
    if distribution is None:
        return
    median, spread = distribution
    still = {k for f, k in out if _pair_level(f, k)}
    for k, d in sorted(direct.items()):
        z = (d - median) / spread
        score = view.scores[k]
        if z > -thresholds.meaning_drift_z or k in still or score is None:
            continue
        message = (
            f"the version may say something else: its similarity to the source is {d:.2f}, far below this "
            f"version's typical {median:.2f}, although its back-translation scores chrF++ {score.chrf:.1f}"
        )
        evidence = {
            "direct_similarity": round(d, 4),
            "median": round(median, 4),
            "robust_z": round(z, 2),
            "chrf": round(score.chrf, 2),
            "pair": k,
        }
        out.append((Flag("meaning_drift", "medium", message, ids(source, view.links[k].source), evidence), k))


def _by_meaning(
    flag: Flag, k: int | None, direct: dict[int, float], reference: tuple[float, float], thresholds: Thresholds
) -> tuple[Flag, int | None] | None:
    """One score flag judged by the pair's direct similarity: kept (confirmed), downgraded or dropped."""
    if not _pair_level(flag, k) or k not in direct:
        return flag, k
    d, (good, spread) = direct[k], reference
    z = (d - good) / spread
    evidence = {
        **flag.evidence,
        "direct_similarity": round(d, 4),
        "good_median": round(good, 4),
        "direct_z": round(z, 2),
    }
    if z >= 0:
        return None  # the version means what the source means, as much as its good pairs do: the model's noise
    if z >= -thresholds.semantic_noise_z:
        message = (
            f"{flag.message}; but the version itself is about as close to the source as its good pairs "
            f"(similarity {d:.2f}, good pairs {good:.2f}): probably back-translation noise"
        )
        return Flag(flag.code, "low", message, flag.segments, {**evidence, "verdict": "back-translation noise"}), k
    message = f"{flag.message}; the semantic witness agrees (similarity {d:.2f}, good pairs {good:.2f})"
    return Flag(flag.code, flag.severity, message, flag.segments, {**evidence, "verdict": "confirmed"}), k
