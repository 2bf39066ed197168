"""The shapes of the report view model: frozen dataclasses, one per thing a page shows.

:mod:`backtrans.report._view` computes them from a :class:`~backtrans.types.Report`;
the templates and the Markdown renderer only read them. A template that reads
a field none of these has fails under Jinja's StrictUndefined.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .difference import LanguageTestsView

#: the short label of each flag code, in the pages' filters and tables (the run report's and compare's)
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
    "polarity_mismatch": "negation",
    "hedge_mismatch": "hedge",
    "quote_mismatch": "quote",
    "changed_term": "term",
    "moved": "moved",
    "meaning_drift": "meaning",
    "glossary_term": "glossary",
    "role_swap": "roles",
}


@dataclass(frozen=True)
class Run:
    """A stretch of tokens of a diff: changed (marked) or not."""

    text: str
    changed: bool
    term: bool = False  #: a word a ``changed_term`` flag names (highlighted on both sides)


@dataclass(frozen=True)
class FlagLabel:
    code: str
    label: str


@dataclass(frozen=True)
class FlagCount(FlagLabel):
    count: int


@dataclass(frozen=True)
class FlagView:
    code: str
    label: str
    severity: str
    message: str
    segments: str
    confidence: str  #: how sure the rule is, formatted (0.00–1.00)
    key: str  #: the flag's stable key (editors' verdicts find it by this)
    evidence: str  #: the evidence the key holds, as read (a name, a term)


@dataclass(frozen=True)
class FlaggedRow(FlagView):
    """One flag in the ranked list of the report page: the flag, where it is, its rank."""

    article: str
    lang: str
    dir: str
    chrf: str  #: the pair's chrF++, or the version's for a flag about no single pair
    sort: float
    href: str
    rank: int
    page: bool = False  #: a high flag about the whole page: ranked above every other flag


@dataclass(frozen=True)
class WitnessCells:
    """The witnesses besides chrF++, formatted: similarities (0–1) and the noise floor (chrF++ points)."""

    direct: str  #: cosine(source, version)
    direct_ci: str
    back: str  #: cosine(source, back-translation)
    floor: str  #: chrF++ of the source's own round trip ("route noise")
    floor_ci: str
    excess: str  #: floor − chrF++: the drift beyond the route's own
    title: str  #: a one-line explanation for a tooltip


@dataclass(frozen=True)
class PairView:
    """One row of the side-by-side view: source | version | back-translation."""

    anchor: str
    index: int
    kind: str
    source_ids: str
    version_ids: str
    source: list[Run]
    version: str
    dir: str  #: the version text's direction, from its own letters (not its language's)
    back: list[Run]
    chrf: str
    bleu: str
    ter: str
    sort: float
    colour: str
    flags: list[FlagLabel]
    flag_codes: str
    witness: WitnessCells | None = None


@dataclass(frozen=True)
class VersionPage:
    """One version of one article: scores, flags and its pairs."""

    lang: str
    name: str
    dir: str
    route: str
    chrf: str
    chrf_ci: str
    bleu: str
    ter: str
    colour: str
    flags: list[FlagView]
    truncated: int
    pairs: list[PairView]
    witness: WitnessCells | None = None


@dataclass(frozen=True)
class HeatCell:
    value: float | None
    text: str
    colour: str
    title: str


@dataclass(frozen=True)
class HeatRow:
    label: str
    cells: list[HeatCell]


@dataclass(frozen=True)
class Heatmap:
    labels: list[str]
    rows: list[HeatRow]


@dataclass(frozen=True)
class ArticlePage:
    id: str
    index: int
    title: str
    url: str | None
    source_lang: str
    source_name: str
    source_dir: str
    href: str
    versions: list[VersionPage]
    heatmap: Heatmap | None


@dataclass(frozen=True)
class Point:
    x: float
    y: int
    value: str


@dataclass(frozen=True)
class Distribution:
    """A strip chart of pair scores on a 0–100 axis (SVG coordinates)."""

    width: int
    points: list[Point]
    mean_x: float


@dataclass(frozen=True)
class LanguageRow:
    """One language in the summary table."""

    lang: str
    name: str
    route: str
    chrf: str
    chrf_ci: str
    bleu: str
    ter: str
    colour: str
    articles: int
    segments: int
    flags: list[FlagCount]
    flag_total: int
    distribution: Distribution
    witness: WitnessCells | None = None


@dataclass(frozen=True)
class IndexRow:
    """One article × language in the corpus ranking."""

    article: str
    lang: str
    chrf: str
    sort: float
    colour: str
    flags: int
    high: int
    href: str
    page: bool = False  #: a high flag about the whole page (wrong language, untranslated): ranked first
    confidence: float = 0.0  #: the highest confidence of its most severe flags


@dataclass(frozen=True)
class ModelView:
    name: str
    revision: str
    backend: str
    compute_type: str


@dataclass(frozen=True)
class Setting:
    name: str
    value: str


@dataclass(frozen=True)
class SignatureView:
    models: list[ModelView]
    generation: list[Setting]
    metrics: list[Setting]
    thresholds: list[Setting]
    segmenter: str
    sacrebleu: str
    encoder: ModelView | None = None
    witnesses: list[Setting] = field(default_factory=list)


@dataclass(frozen=True)
class Counts:
    articles: int
    versions: int
    pairs: int
    flags: int
    high: int
    dismissed: int = 0  #: flags the newsroom's verdicts dismissed (``--verdicts``): left out of the lists


@dataclass(frozen=True)
class View:
    """Everything the report pages show."""

    tool_version: str
    created: str
    mode: str
    corpus: bool
    source_lang: str
    source_name: str
    signature: SignatureView
    counts: Counts
    languages: list[LanguageRow]
    heatmap: Heatmap | None
    flag_codes: list[FlagLabel]
    flagged: list[FlaggedRow]
    index: list[IndexRow]
    articles: list[ArticlePage]
    warnings: list[str]
    language_tests: LanguageTestsView | None = None  #: languages against each other (paired tests)
    semantic: bool = False  #: the run has similarities (``--semantic``)
    calibrated: bool = False  #: the run has noise floors (``--calibrate``)
    report_id: str = ""  #: the run's report, for the editors' verdicts kept in the browser


def view_data(view: View) -> dict[str, Any]:
    """The view model as plain JSON-ready data, fields in order (for golden files)."""
    return dataclasses.asdict(view)
