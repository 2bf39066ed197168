"""Rules on scores: a pair far below its version's own level, a language far below the others on
a segment, and n-gram loops (a garbled, repeating output)."""

from __future__ import annotations

import operator
import re
import statistics
from collections.abc import Iterator, Sequence

from ..config import Thresholds
from ..text.languages import CJK_LANGS, base_lang
from ..types import Flag
from .common import Add, ArticleContext, VersionView, clip, ids, robust

_TOKEN = re.compile(r"[^\W_][\w'’-]*")


def flag_low_consistency(ctx: ArticleContext, view: VersionView, add: Add) -> None:
    """A pair far below this version's own typical level and below the floor.

    Where two or more other languages are not clearly better on the same
    source segment (``Thresholds.low_consistency_others_gap`` points), the
    segment is hard (a free headline, an idiom), not this version's error:
    no flag. Each other language is one witness, however many of its links
    cover the segment: the mean chrF++ of those links.
    """
    source, thresholds = ctx.source, ctx.thresholds
    scored = [(k, s.chrf) for k, s in enumerate(view.scores) if s is not None]
    if len(scored) < 4:
        return
    median, spread = robust([v for _, v in scored], thresholds.low_consistency_min_spread)
    for k, value in scored:
        z = (value - median) / spread
        if value >= thresholds.low_consistency_floor or z > -thresholds.low_consistency_z:
            continue
        others = ctx.others_chrf(view, view.links[k])
        if len(others) >= 2 and statistics.median(others) < value + thresholds.low_consistency_others_gap:
            continue
        add(
            view.lang,
            Flag(
                "low_consistency",
                "medium",
                f"chrF++ {value:.1f}, far below this version's median of {median:.1f}",
                ids(source, view.links[k].source),
                {"chrf": round(value, 2), "median": round(median, 2), "robust_z": round(z, 2), "pair": k},
            ),
            k,
        )


def flag_outliers(ctx: ArticleContext, add: Add) -> None:
    views, source, coverage, thresholds = ctx.views, ctx.source, ctx.coverage, ctx.thresholds
    if len(views) < 3:
        return
    flagged: set[tuple[str, int]] = set()
    for i in range(len(source)):
        scores: dict[str, tuple[float, int]] = {}
        for view in views:
            k = coverage[view.lang].get(i)
            score = view.scores[k] if k is not None else None
            if k is not None and score is not None:
                scores[view.lang] = (score.chrf, k)
        if len(scores) < 3:
            continue
        for lang, (value, k) in scores.items():
            others = [v for other, (v, _) in scores.items() if other != lang]
            agree = statistics.median(others)
            if (
                agree >= thresholds.outlier_agreement
                and value <= agree - thresholds.outlier_gap
                and value <= thresholds.outlier_max
            ):
                if (lang, k) in flagged:
                    continue
                flagged.add((lang, k))
                view = ctx.view(lang)
                add(
                    lang,
                    Flag(
                        "outlier_language",
                        "medium",
                        f"chrF++ {value:.1f} while the other languages agree with the source (median {agree:.1f})",
                        ids(source, view.links[k].source),
                        {"chrf": round(value, 2), "others_median": round(agree, 2), "pair": k},
                    ),
                    k,
                )


def _loop(tokens: Sequence[str], max_n: int, min_count: int) -> tuple[str, int] | None:
    """The longest run of one n-gram repeated back to back at least ``min_count`` times."""
    best: tuple[str, int] | None = None
    for n in range(1, max_n + 1):
        if min_count >= 2 and not _recurs(tokens, n):
            continue  # no n-gram follows itself at this order: nothing to scan (most text)
        for gram, count in _runs(tokens, n):
            if count >= min_count and (best is None or count * n > best[1] * len(best[0].split())):
                best = (" ".join(gram), count)
    return best


def _recurs(tokens: Sequence[str], n: int) -> bool:
    """Whether some token equals the one n further on (at C speed): without it no n-gram follows itself."""
    return any(map(operator.eq, tokens, tokens[n:]))


def _runs(tokens: Sequence[str], n: int) -> Iterator[tuple[Sequence[str], int]]:
    """Each n-gram where a scan stops, with how many times it follows itself back to back."""
    i = 0
    while i + n <= len(tokens):
        gram = tokens[i : i + n]
        count = 1
        while tokens[i + count * n : i + (count + 1) * n] == gram:
            count += 1
        yield gram, count
        i += max(1, (count - 1) * n) if count > 1 else 1


def find_repetition(text: str, lang: str, thresholds: Thresholds) -> tuple[str, int] | None:
    if base_lang(lang) in CJK_LANGS:
        chars = [c for c in text if c.isalnum()]
        return _loop(chars, thresholds.repetition_ngram * 2, thresholds.repetition_count + 1)
    words = [w.lower() for w in _TOKEN.findall(text)]
    return _loop(words, thresholds.repetition_ngram, thresholds.repetition_count)


def flag_repetition(ctx: ArticleContext, view: VersionView, add: Add) -> None:
    source, thresholds, join = ctx.source, ctx.thresholds, ctx.join
    for k, link in enumerate(view.links):
        for side, text, lang in (
            ("version", view.version_text(link, join), view.lang),
            ("back-translation", view.back_text(link, join), None),
        ):
            if not text:
                continue
            loop = find_repetition(text, lang or "xx", thresholds)
            if loop is None:
                continue
            gram, count = loop
            add(
                view.lang,
                Flag(
                    "repetition",
                    "medium",
                    f"the {side} repeats «{clip(gram, 40)}» {count} times in a row",
                    ids(source, link.source),
                    {"side": side, "ngram": gram, "count": count, "pair": k},
                ),
                k,
            )
            break
