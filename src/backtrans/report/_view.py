"""The view model of the HTML and Markdown reports: plain data computed from a Report.

Everything a page shows is computed here (ranks, colours, diffs, chart
coordinates, links); the templates only lay it out, escaping every text.
Every shape is a frozen dataclass of :mod:`backtrans.report.viewmodel`, so a
template or renderer that reads a field that does not exist fails in a test
(Jinja runs with StrictUndefined, mypy checks the Markdown renderer). Field order is stable and nothing here
depends on the time of the run except ``created``, so the view model can be
compared with a golden file (:func:`view_data`).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..files.fileio import safe_name
from ..flag import CODES, SEVERITY_ORDER
from ..flag.verdicts import evidence_text, flag_key
from ..text.languages import CJK_LANGS, RTL_LANGS, base_lang, language_name
from ..types import ArticleResult, Flag, Matrix, Pair, Report, VersionResult
from ._witness_view import encoder_view, has_witnesses, pair_cells, version_cells, witness_settings
from .difference import language_tests_view
from .json import to_data
from .viewmodel import (
    FLAG_LABELS,
    ArticlePage,
    Counts,
    Distribution,
    FlagCount,
    FlaggedRow,
    FlagLabel,
    FlagView,
    HeatCell,
    Heatmap,
    HeatRow,
    IndexRow,
    LanguageRow,
    ModelView,
    PairView,
    Point,
    Run,
    Setting,
    SignatureView,
    VersionPage,
    View,
)

_WORD = re.compile(r"\S+")
_PUNCT = ".,;:!?\"'“”‘’«»()[]{}「」『』（）、，。！？؟،"


def text_dir(lang: str) -> str:
    return "rtl" if base_lang(lang) in RTL_LANGS else "ltr"


def own_dir(text: str, lang: str) -> str:
    """The direction of one text from its own letters: right to left when most of its strong letters are
    (a Latin paragraph left untranslated in an Arabic version reads left to right); the language's
    direction when it has none."""
    rtl = ltr = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    if not rtl and not ltr:
        return text_dir(lang)
    return "rtl" if rtl > ltr else "ltr"


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


def diff_tokens(
    back: str, source: str, lang: str, terms: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
) -> tuple[list[Run], list[Run]]:
    """Word-level diff (characters for CJK): which back-translation and source tokens have no counterpart.

    ``terms`` are (back-translation words, source words) a ``changed_term`` flag names: they get runs of their own.
    """
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

    def runs(tokens: list[str], same: list[bool], marked: frozenset[str]) -> list[Run]:
        out: list[list[Any]] = []  # [text, changed, term] while the runs grow
        for token, unchanged in zip(tokens, same, strict=True):
            term = key(token) in marked
            changed = not unchanged and bool(key(token))
            if out and out[-1][1] == changed and not term and not out[-1][2]:
                out[-1][0] += sep + token
            else:
                if out and sep:
                    out[-1][0] += sep
                out.append([token, changed, term])
        return [Run(text, changed, term) for text, changed, term in out]

    return runs(back_tokens, back_same, terms[0]), runs(source_tokens, source_same, terms[1])


def _heatmap(matrix: Matrix | None, source_lang: str) -> Heatmap | None:
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
                HeatCell(
                    value=value,
                    text="" if value is None else fmt(value),
                    colour=score_colour(value),
                    title="" if value is None else f"chrF++ {fmt(value, 2)}: {hyp} against {ref}",
                )
            )
        rows.append(HeatRow(labels[i], cells))
    return Heatmap(labels, rows)


def _distribution(values: Sequence[float], corpus: float) -> Distribution:
    width = 240
    points = [
        Point(round(10 + value * (width - 20) / 100, 1), 8 + (k % 5) * 4, fmt(value))
        for k, value in enumerate(sorted(values))
    ]
    return Distribution(width, points, round(10 + corpus * (width - 20) / 100, 1))


def _pair_anchor(article_index: int, lang: str, pair: int) -> str:
    return f"a{article_index}-{safe_name(lang)}-p{pair}"


def article_file(article: ArticleResult) -> str:
    return f"articles/{safe_name(article.id)}.html"


def _pair_view(article_index: int, version: VersionResult, k: int, pair: Pair, source_lang: str) -> PairView:
    changed = [f for f in version.flags if f.visible and f.code == "changed_term" and f.evidence.get("pair") == k]
    # the pair's badges: codes of this pair's flags that the editor's views list (every code stays in segments.csv)
    here = set(pair.source_ids)
    listed = {
        f.code for f in version.flags if f.visible and (f.evidence.get("pair") == k or here.intersection(f.segments))
    }
    codes = [c for c in pair.flags if c in listed]
    terms = (
        frozenset(str(f.evidence.get("back_word", "")).casefold() for f in changed),
        frozenset(str(f.evidence.get("source_word", "")).casefold() for f in changed),
    )
    back_runs, source_runs = diff_tokens(pair.back, pair.source, source_lang, terms)
    kind = version.alignment[k].kind if k < len(version.alignment) else ""
    scores = pair.scores
    return PairView(
        anchor=_pair_anchor(article_index, version.lang, k),
        index=k,
        kind=kind,
        source_ids=" ".join(pair.source_ids),
        version_ids=" ".join(pair.version_ids),
        source=source_runs,
        version=pair.version,
        dir=own_dir(pair.version, version.lang),
        back=back_runs,
        chrf=fmt(scores.chrf if scores else None),
        bleu=fmt(scores.bleu if scores else None),
        ter=fmt(scores.ter if scores else None),
        sort=sort_key(scores.chrf if scores else None),
        colour=score_colour(scores.chrf if scores else None),
        flags=[FlagLabel(c, FLAG_LABELS.get(c, c)) for c in codes],
        flag_codes=" ".join(codes),
        witness=pair_cells(pair.witness),
    )


def _flag_view(flag: Flag, article: str, lang: str) -> FlagView:
    return FlagView(
        flag.code,
        FLAG_LABELS.get(flag.code, flag.code),
        flag.severity,
        flag.message,
        " ".join(flag.segments),
        f"{flag.confidence:.2f}",
        flag_key(article, lang, flag),
        evidence_text(flag),
    )


def report_id(report: Report) -> str:
    """A short name of the run's report for the verdicts a browser keeps: the same on every page of it, when it
    is rendered again (with more verdicts) and for a resumed run; another for other settings or other scores."""
    signature = dataclasses.replace(report.signature, verdicts={})
    record = [report.tool_version, to_data(signature), to_data(report.languages), to_data(report.unscored)]
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def shown_flags(flags: Sequence[Flag]) -> list[Flag]:
    """The flags an editor's view lists (shown, not dismissed), worst first: severity, then confidence."""
    return sorted((f for f in flags if f.visible), key=lambda f: (SEVERITY_ORDER[f.severity], -f.confidence))


def _interval(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"{fmt(ci[0])}–{fmt(ci[1])}"


def _article_view(index: int, article: ArticleResult, corpus: bool) -> ArticlePage:
    title = next((s.text for s in article.source if s.paragraph == 0), article.id)
    versions = []
    for version in article.versions:
        scores = version.scores
        versions.append(
            VersionPage(
                lang=version.lang,
                name=language_name(version.lang),
                dir=text_dir(version.lang),
                route=version.route.describe(),
                chrf=fmt(scores.chrf if scores else None),
                chrf_ci=_interval(scores.chrf_ci if scores else None),
                bleu=fmt(scores.bleu if scores else None),
                ter=fmt(scores.ter if scores else None),
                colour=score_colour(scores.chrf if scores else None),
                flags=[_flag_view(f, article.id, version.lang) for f in shown_flags(version.flags)],
                truncated=version.truncated_outputs,
                pairs=[_pair_view(index, version, k, p, article.source_lang) for k, p in enumerate(version.pairs)],
                witness=version_cells(version.witness),
            )
        )
    return ArticlePage(
        id=article.id,
        index=index,
        title=title,
        url=article.url if article.url and article.url.startswith(("https://", "http://")) else None,
        source_lang=article.source_lang,
        source_name=language_name(article.source_lang),
        source_dir=text_dir(article.source_lang),
        href=article_file(article) if corpus else f"#article-{index}",
        versions=versions,
        heatmap=_heatmap(article.matrix, article.source_lang),
    )


def _language_rows(report: Report) -> list[LanguageRow]:
    rows = []
    for summary in report.languages:
        pair_scores = [
            p.scores.chrf
            for article in report.articles
            for version in article.versions
            if version.lang == summary.lang
            for p in version.pairs
            if p.scores is not None
        ]
        rows.append(
            LanguageRow(
                lang=summary.lang,
                name=language_name(summary.lang),
                route=summary.route,
                chrf=fmt(summary.scores.chrf),
                chrf_ci=_interval(summary.scores.chrf_ci),
                bleu=fmt(summary.scores.bleu),
                ter=fmt(summary.scores.ter),
                colour=score_colour(summary.scores.chrf),
                articles=summary.articles,
                segments=summary.segments,
                flags=[FlagCount(c, FLAG_LABELS.get(c, c), n) for c, n in summary.flags.items()],
                flag_total=sum(summary.flags.values()),
                distribution=_distribution(pair_scores, summary.scores.chrf),
                witness=version_cells(summary.witness),
            )
        )
    return rows


def page_level(flag: Flag) -> bool:
    """A high flag about the whole page (a version in the wrong language or left untranslated, a
    back-translation that matches nothing): whatever else a page has, the editor fixes this first."""
    return flag.severity == "high" and flag.evidence.get("scope") == "article"


def flag_rank(row: FlaggedRow) -> tuple[bool, int, float, float, str, str, str]:
    """The order of the ranked flags: page-level high flags first, then by severity, the flag's
    confidence, and the lowest chrF++ (the pair's, else the version's), then article, language, code."""
    return (
        not row.page,
        SEVERITY_ORDER[row.severity],
        -float(row.confidence),
        row.sort,
        row.article,
        row.lang,
        row.code,
    )


def index_rank(row: IndexRow) -> tuple[bool, int, float, float, int, str, str]:
    """The order of the index: a page-level high flag first, then the most high flags, the most confident
    of its worst flags, the lowest chrF++, the most flags, then article and language."""
    return (not row.page, -row.high, -row.confidence, row.sort, -row.flags, row.article, row.lang)


def _flagged_rows(report: Report, corpus: bool, first: int = 0) -> list[FlaggedRow]:
    """Every flag of the run, worst first (:func:`flag_rank`).

    ``first``: the index of the report's first article in the run (a run's articles rendered one at a time).
    """
    unranked = []
    for a_index, article in enumerate(report.articles, start=first):
        href = article_file(article) if corpus else ""
        for version in article.versions:
            for flag in shown_flags(version.flags):
                pair = flag.evidence.get("pair")
                if isinstance(pair, int) and pair < len(version.pairs):
                    scores = version.pairs[pair].scores
                    anchor = _pair_anchor(a_index, version.lang, pair)
                else:  # a flag about no single pair: the version's score (a whole page in the wrong language)
                    scores = version.scores
                    anchor = f"article-{a_index}-{safe_name(version.lang)}"
                chrf = scores.chrf if scores else None
                unranked.append(
                    FlaggedRow(
                        **dataclasses.asdict(_flag_view(flag, article.id, version.lang)),
                        article=article.id,
                        lang=version.lang,
                        dir=text_dir(version.lang),
                        chrf=fmt(chrf),
                        sort=sort_key(chrf),
                        href=f"{href}#{anchor}",
                        rank=0,
                        page=page_level(flag),
                    )
                )
    unranked.sort(key=flag_rank)
    return [dataclasses.replace(row, rank=rank) for rank, row in enumerate(unranked, start=1)]


def _index_rows(report: Report, corpus: bool, first: int = 0) -> list[IndexRow]:
    """Every article × language, worst first (:func:`index_rank`)."""
    rows = []
    for a_index, article in enumerate(report.articles, start=first):
        for version in article.versions:
            chrf = version.scores.chrf if version.scores else None
            rows.append(
                IndexRow(
                    article=article.id,
                    lang=version.lang,
                    chrf=fmt(chrf),
                    sort=sort_key(chrf),
                    colour=score_colour(chrf),
                    flags=len(shown := shown_flags(version.flags)),
                    high=sum(f.severity == "high" for f in shown),
                    href=(article_file(article) if corpus else "") + f"#article-{a_index}-{safe_name(version.lang)}",
                    page=any(page_level(f) for f in shown),
                    confidence=max((f.confidence for f in shown if f.severity == shown[0].severity), default=0.0),
                )
            )
    rows.sort(key=index_rank)
    return rows


def build_view(report: Report) -> View:
    """Everything the report pages show."""
    corpus = len(report.articles) > 1
    signature = report.signature
    flagged = _flagged_rows(report, corpus)
    codes_present = [c for c in CODES if any(f.code == c for f in flagged)]
    semantic, calibrated = has_witnesses(report)
    return View(
        tool_version=report.tool_version,
        created=report.created,
        mode=signature.mode,
        corpus=corpus,
        source_lang=signature.source_lang,
        source_name=language_name(signature.source_lang.split(",")[0]),
        signature=SignatureView(
            models=[ModelView(m.name, m.revision, m.backend, m.compute_type) for m in signature.models],
            generation=[Setting(k, str(v)) for k, v in signature.generation.items()],
            metrics=[Setting(k, v) for k, v in signature.metrics.items()],
            thresholds=[Setting(k, str(v)) for k, v in signature.thresholds.items()],
            segmenter=signature.segmenter,
            sacrebleu=signature.sacrebleu,
            encoder=encoder_view(signature.encoder),
            witnesses=witness_settings(signature.witnesses),
        ),
        counts=Counts(
            articles=len(report.articles),
            versions=sum(len(a.versions) for a in report.articles),
            pairs=sum(len(v.pairs) for a in report.articles for v in a.versions),
            flags=len(flagged),
            high=sum(f.severity == "high" for f in flagged),
            dismissed=int(signature.verdicts.get("dismissed", 0)),
        ),
        languages=_language_rows(report),
        heatmap=_heatmap(report.matrix, signature.source_lang),
        flag_codes=[FlagLabel(c, FLAG_LABELS[c]) for c in codes_present],
        flagged=flagged,
        index=_index_rows(report, corpus),
        articles=[_article_view(i, a, corpus) for i, a in enumerate(report.articles)],
        warnings=list(report.warnings),
        language_tests=language_tests_view(report.language_tests),
        semantic=semantic,
        calibrated=calibrated,
        report_id=report_id(report),
    )
