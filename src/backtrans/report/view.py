"""The view model of the HTML and Markdown reports: plain data computed from a Report.

Everything a page shows is computed here (ranks, colours, diffs, chart
coordinates, links); the templates only lay it out, escaping every text.
Keys are stable and nothing here depends on the time of the run except
``created``, so the view model can be compared with a golden file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from ..fileio import safe_name
from ..flagging import CODES, SEVERITY_ORDER
from ..languages import CJK_LANGS, RTL_LANGS, base_lang, language_name
from ..types import ArticleResult, Matrix, Pair, Report, VersionResult

FLAG_LABELS = {
    "omitted": "omitted",
    "added": "added",
    "number_mismatch": "number",
    "wrong_language": "wrong language",
    "untranslated": "untranslated",
    "name_mismatch": "name",
    "outlier_language": "outlier",
    "low_consistency": "low score",
    "repetition": "repetition",
    "length_ratio": "length",
}
_WORD = re.compile(r"\S+")
_PUNCT = ".,;:!?\"'“”‘’«»()[]{}「」『』（）、，。！？؟،"


def text_dir(lang: str) -> str:
    return "rtl" if base_lang(lang) in RTL_LANGS else "ltr"


def score_colour(value: float | None) -> str:
    """Red (0) → amber (50) → green (100), light enough for dark text."""
    if value is None:
        return "#eeeeee"
    v = max(0.0, min(100.0, value))
    return f"hsl({round(v * 1.2)}, 70%, {round(82 - v * 0.07)}%)"


def sort_key(value: float | None) -> float:
    """A stable sort value (rounded so that a re-render from report.json gives the same page)."""
    return -1.0 if value is None else round(value, 4)


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def diff_tokens(back: str, source: str, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Word-level diff (characters for CJK): which back-translation and source tokens have no counterpart."""
    if base_lang(lang) in CJK_LANGS:
        back_tokens, source_tokens = list(back), list(source)
        sep = ""
    else:
        back_tokens, source_tokens = _WORD.findall(back), _WORD.findall(source)
        sep = " "

    def key(token: str) -> str:
        return token.strip(_PUNCT).casefold()

    matcher = difflib.SequenceMatcher(
        a=[key(t) for t in source_tokens], b=[key(t) for t in back_tokens], autojunk=False
    )
    back_same = [False] * len(back_tokens)
    source_same = [False] * len(source_tokens)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            source_same[block.a + k] = True
            back_same[block.b + k] = True

    def runs(tokens: list[str], same: list[bool]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for token, unchanged in zip(tokens, same, strict=True):
            changed = not unchanged and bool(key(token))
            if out and out[-1]["changed"] == changed:
                out[-1]["text"] += sep + token
            else:
                if out and sep:
                    out[-1]["text"] += sep
                out.append({"text": token, "changed": changed})
        return out

    return runs(back_tokens, back_same), runs(source_tokens, source_same)


def _heatmap(matrix: Matrix | None, source_lang: str) -> dict[str, Any] | None:
    if matrix is None:
        return None
    labels = list(matrix.labels)
    rows = []
    for i, row in enumerate(matrix.values):
        cells = []
        for j, value in enumerate(row):
            hyp = f"{labels[i]} (source)" if labels[i] == source_lang and i == 0 else f"{labels[i]} back-translation"
            ref = f"{labels[j]} (source)" if labels[j] == source_lang and j == 0 else f"{labels[j]} back-translation"
            cells.append(
                {
                    "value": value,
                    "text": "" if value is None else fmt(value),
                    "colour": score_colour(value),
                    "title": "" if value is None else f"chrF++ {fmt(value, 2)}: {hyp} against {ref}",
                }
            )
        rows.append({"label": labels[i], "cells": cells})
    return {"labels": labels, "rows": rows}


def _distribution(values: Sequence[float], corpus: float) -> dict[str, Any]:
    """A strip chart of pair scores on a 0–100 axis (SVG coordinates)."""
    width = 240
    points = []
    for k, value in enumerate(sorted(values)):
        points.append({"x": round(10 + value * (width - 20) / 100, 1), "y": 8 + (k % 5) * 4, "value": fmt(value)})
    return {"width": width, "points": points, "mean_x": round(10 + corpus * (width - 20) / 100, 1)}


def _pair_anchor(article_index: int, lang: str, pair: int) -> str:
    return f"a{article_index}-{safe_name(lang)}-p{pair}"


def article_file(article: ArticleResult) -> str:
    return f"articles/{safe_name(article.id)}.html"


def _pair_view(article_index: int, version: VersionResult, k: int, pair: Pair, source_lang: str) -> dict[str, Any]:
    back_runs, source_runs = diff_tokens(pair.back, pair.source, source_lang)
    kind = version.alignment[k].kind if k < len(version.alignment) else ""
    scores = pair.scores
    return {
        "anchor": _pair_anchor(article_index, version.lang, k),
        "index": k,
        "kind": kind,
        "source_ids": " ".join(pair.source_ids),
        "version_ids": " ".join(pair.version_ids),
        "source": source_runs,
        "version": pair.version,
        "back": back_runs,
        "chrf": fmt(scores.chrf if scores else None),
        "bleu": fmt(scores.bleu if scores else None),
        "ter": fmt(scores.ter if scores else None),
        "sort": sort_key(scores.chrf if scores else None),
        "colour": score_colour(scores.chrf if scores else None),
        "flags": [{"code": c, "label": FLAG_LABELS.get(c, c)} for c in pair.flags],
        "flag_codes": " ".join(pair.flags),
    }


def _flag_view(flag: Any) -> dict[str, Any]:
    return {
        "code": flag.code,
        "label": FLAG_LABELS.get(flag.code, flag.code),
        "severity": flag.severity,
        "message": flag.message,
        "segments": " ".join(flag.segments),
    }


def _interval(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"{fmt(ci[0])}–{fmt(ci[1])}"


def _article_view(index: int, article: ArticleResult, corpus: bool) -> dict[str, Any]:
    title = next((s.text for s in article.source if s.paragraph == 0), article.id)
    versions = []
    for version in article.versions:
        scores = version.scores
        versions.append(
            {
                "lang": version.lang,
                "name": language_name(version.lang),
                "dir": text_dir(version.lang),
                "route": version.route.describe(),
                "chrf": fmt(scores.chrf if scores else None),
                "chrf_ci": ""
                if not scores or not scores.chrf_ci
                else f"{fmt(scores.chrf_ci[0])}–{fmt(scores.chrf_ci[1])}",
                "bleu": fmt(scores.bleu if scores else None),
                "ter": fmt(scores.ter if scores else None),
                "colour": score_colour(scores.chrf if scores else None),
                "flags": [_flag_view(f) for f in version.flags],
                "truncated": version.truncated_outputs,
                "pairs": [_pair_view(index, version, k, p, article.source_lang) for k, p in enumerate(version.pairs)],
            }
        )
    return {
        "id": article.id,
        "index": index,
        "title": title,
        "url": article.url if article.url and article.url.startswith(("https://", "http://")) else None,
        "source_lang": article.source_lang,
        "source_name": language_name(article.source_lang),
        "source_dir": text_dir(article.source_lang),
        "href": article_file(article) if corpus else f"#article-{index}",
        "versions": versions,
        "heatmap": _heatmap(article.matrix, article.source_lang),
    }


def build_view(report: Report) -> dict[str, Any]:
    """Everything the report pages show, as plain data."""
    corpus = len(report.articles) > 1
    signature = report.signature
    languages = []
    for summary in report.languages:
        pair_scores = [
            p.scores.chrf
            for article in report.articles
            for version in article.versions
            if version.lang == summary.lang
            for p in version.pairs
            if p.scores is not None
        ]
        ci = summary.scores.chrf_ci
        languages.append(
            {
                "lang": summary.lang,
                "name": language_name(summary.lang),
                "route": summary.route,
                "chrf": fmt(summary.scores.chrf),
                "chrf_ci": _interval(ci),
                "bleu": fmt(summary.scores.bleu),
                "ter": fmt(summary.scores.ter),
                "colour": score_colour(summary.scores.chrf),
                "articles": summary.articles,
                "segments": summary.segments,
                "flags": [{"code": c, "label": FLAG_LABELS.get(c, c), "count": n} for c, n in summary.flags.items()],
                "flag_total": sum(summary.flags.values()),
                "distribution": _distribution(pair_scores, summary.scores.chrf),
            }
        )
    flagged = []
    for a_index, article in enumerate(report.articles):
        href = article_file(article) if corpus else ""
        for version in article.versions:
            for flag in version.flags:
                pair = flag.evidence.get("pair")
                if isinstance(pair, int) and pair < len(version.pairs):
                    scores = version.pairs[pair].scores
                    anchor = _pair_anchor(a_index, version.lang, pair)
                else:
                    scores = None
                    anchor = f"article-{a_index}-{safe_name(version.lang)}"
                flagged.append(
                    {
                        **_flag_view(flag),
                        "article": article.id,
                        "lang": version.lang,
                        "dir": text_dir(version.lang),
                        "chrf": fmt(scores.chrf if scores else None),
                        "sort": sort_key(scores.chrf if scores else None),
                        "href": f"{href}#{anchor}",
                    }
                )
    flagged.sort(key=lambda f: (SEVERITY_ORDER[f["severity"]], f["sort"], f["article"], f["lang"], f["code"]))
    for rank, item in enumerate(flagged, start=1):
        item["rank"] = rank
    codes_present = [c for c in CODES if any(f["code"] == c for f in flagged)]
    index_rows: list[dict[str, Any]] = []
    for a_index, article in enumerate(report.articles):
        for version in article.versions:
            index_rows.append(
                {
                    "article": article.id,
                    "lang": version.lang,
                    "chrf": fmt(version.scores.chrf if version.scores else None),
                    "sort": sort_key(version.scores.chrf if version.scores else None),
                    "colour": score_colour(version.scores.chrf if version.scores else None),
                    "flags": len(version.flags),
                    "high": sum(f.severity == "high" for f in version.flags),
                    "href": (article_file(article) if corpus else "") + f"#article-{a_index}-{safe_name(version.lang)}",
                }
            )
    index_rows.sort(key=lambda r: (-r["high"], r["sort"], -r["flags"], r["article"], r["lang"]))
    return {
        "tool_version": report.tool_version,
        "created": report.created,
        "mode": signature.mode,
        "corpus": corpus,
        "source_lang": signature.source_lang,
        "source_name": language_name(signature.source_lang.split(",")[0]),
        "signature": {
            "models": [
                {"name": m.name, "revision": m.revision, "backend": m.backend, "compute_type": m.compute_type}
                for m in signature.models
            ],
            "generation": [{"name": k, "value": str(v)} for k, v in signature.generation.items()],
            "metrics": [{"name": k, "value": v} for k, v in signature.metrics.items()],
            "thresholds": [{"name": k, "value": str(v)} for k, v in signature.thresholds.items()],
            "segmenter": signature.segmenter,
            "sacrebleu": signature.sacrebleu,
        },
        "counts": {
            "articles": len(report.articles),
            "versions": sum(len(a.versions) for a in report.articles),
            "pairs": sum(len(v.pairs) for a in report.articles for v in a.versions),
            "flags": len(flagged),
            "high": sum(f["severity"] == "high" for f in flagged),
        },
        "languages": languages,
        "heatmap": _heatmap(report.matrix, signature.source_lang),
        "flag_codes": [{"code": c, "label": FLAG_LABELS[c]} for c in codes_present],
        "flagged": flagged,
        "index": index_rows,
        "articles": [_article_view(i, a, corpus) for i, a in enumerate(report.articles)],
        "warnings": list(report.warnings),
    }
