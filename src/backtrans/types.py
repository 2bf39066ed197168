"""Frozen dataclasses that every pipeline stage takes and returns.

Vocabulary (docs/architecture.md): the *source* is the original text; a *version* is a
translation of it; a *back-translation* is a version translated back into the
source language; a *route* is the chain of models that does that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Paragraph number of an article's headline; body paragraphs count from 1.
TITLE_PARAGRAPH = 0
#: Version of the report.json layout (:class:`Report`); readers check it. 2: ``articles_file`` (the
#: per-article store of a run; ``articles`` may then be empty) and ``corpus_resampling`` in the signature.
REPORT_SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Segment:
    """One sentence (or line) of a text, with where it stands."""

    paragraph: int  #: 0 for the headline, 1.. for body paragraphs
    sentence: int  #: 1-based position inside its paragraph
    text: str

    @property
    def id(self) -> str:
        """A short stable name such as ``"3.2"`` (paragraph 3, sentence 2); ``"0.1"`` is the headline."""
        return f"{self.paragraph}.{self.sentence}"


@dataclass(frozen=True)
class Document:
    """The raw text of one language of an article, as read from disk or JSONL."""

    lang: str
    text: str
    title: str | None = None
    back: str | None = None  #: an existing back-translation of ``text`` (``<lang>.back.txt``)
    back_title: str | None = None  #: an existing back-translation of ``title``
    origin: str = ""  #: where it was read from, for messages


@dataclass(frozen=True)
class Article:
    """A source document and its versions in other languages."""

    id: str
    source_lang: str
    source: Document
    versions: tuple[Document, ...]
    origin: str = ""
    url: str | None = None

    def version(self, lang: str) -> Document:
        for doc in self.versions:
            if doc.lang == lang:
                return doc
        raise KeyError(lang)


@dataclass(frozen=True)
class ModelRef:
    """One model of a route: a hub id or a local folder, and the target-language token it needs."""

    name: str
    target_token: str | None = None  #: e.g. ``">>ind<<"`` for a multi-target model


@dataclass(frozen=True)
class Route:
    """The chain of models that carries ``lang`` back to ``target_lang``."""

    lang: str
    target_lang: str
    steps: tuple[ModelRef, ...]
    path: tuple[str, ...]  #: languages along the way, e.g. ``("zh", "en", "id")``
    overridden: bool = False  #: True when it comes from ``--model``
    #: the file the back-translation was read from (``score`` mode), instead of a model chain
    supplied: str | None = None

    def describe(self) -> str:
        if self.supplied is not None:
            return f"supplied back-translation ({self.supplied})"
        return " → ".join(self.path)


@dataclass(frozen=True)
class ModelInfo:
    """What was actually used for one model: recorded in the signature."""

    name: str
    revision: str  #: hub commit hash, or ``folder:<hash>`` of a local folder's files
    backend: str = ""
    compute_type: str = ""
    device: str = ""


@dataclass(frozen=True)
class Link:
    """One alignment link: source segments ↔ back-translation segments (indices).

    ``1-1``, ``1-2``, ``2-1``, ``2-2``; ``1-0`` is a source segment the version
    omitted, ``0-1`` a segment the version added.
    """

    source: tuple[int, ...]
    back: tuple[int, ...]
    similarity: float = 0.0  #: chrF of the link as the aligner scored it

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.back)}"


@dataclass(frozen=True)
class Scores:
    """Consistency scores of one comparison; ``*_ci`` are bootstrap 95% intervals."""

    chrf: float
    bleu: float | None = None
    ter: float | None = None
    chrf_ci: tuple[float, float] | None = None
    bleu_ci: tuple[float, float] | None = None
    ter_ci: tuple[float, float] | None = None


#: the severities of a flag, worst first
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Flag:
    """Something an editor should look at, with the evidence for it."""

    code: str
    severity: str  #: ``"high"``, ``"medium"`` or ``"low"``
    message: str
    segments: tuple[str, ...] = ()  #: source segment ids (or version ids, see evidence)
    evidence: Mapping[str, Any] = field(default_factory=dict)
    #: how sure the rule is that an editor will find an error here (0–1), from its evidence
    confidence: float = 0.5
    #: at or above the run's ``min_confidence``: the editor's views (HTML, Markdown, summary) list it;
    #: the rest stay in report.json and segments.csv as notes
    shown: bool = True
    #: an editor's verdict ("not an error") on this flag carried over from an earlier run (``--verdicts``)
    dismissed: bool = False

    def __post_init__(self) -> None:
        # a report.json read back may carry anything here; reading it then fails as a damaged report
        if self.severity not in SEVERITIES:
            raise ValueError(f"flag {self.code!r}: severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")
        if not (isinstance(self.confidence, int | float) and 0.0 <= self.confidence <= 1.0):
            raise ValueError(f"flag {self.code!r}: confidence {self.confidence!r} is not a number from 0 to 1")

    @property
    def visible(self) -> bool:
        """Listed in the editor's views: shown (sure enough) and not dismissed by an editor."""
        return self.shown and not self.dismissed


@dataclass(frozen=True)
class Estimate:
    """A mean over pairs with its bootstrap 95% interval (None with fewer than two pairs or no resampling)."""

    value: float
    ci: tuple[float, float] | None = None
    n: int = 0  #: pairs it is the mean of


@dataclass(frozen=True)
class PairWitness:
    """The evidence besides chrF++ for one pair (``--semantic``, ``--calibrate``); None where not computed.

    Similarities are cosines of sentence embeddings (−1…1, in practice 0…1);
    ``floor`` is chrF++ of the source's own round trip through this version's
    route (source language → version language → back), the noise floor.
    """

    direct: float | None = None  #: cosine(source, version): across languages, no round trip
    back: float | None = None  #: cosine(source, back-translation)
    floor: float | None = None  #: chrF++ of the source's own round trip against the source
    floor_back: float | None = None  #: cosine(source, its own round trip)
    excess_drift: float | None = None  #: floor − chrF++ of the pair: what this version lost beyond the route
    excess_back: float | None = None  #: floor_back − back: the same in similarity


@dataclass(frozen=True)
class ParagraphWitness:
    """The witnesses of one source paragraph of one version."""

    paragraph: int
    direct: Estimate | None = None
    back: Estimate | None = None
    floor: float | None = None  #: chrF++ of the source paragraph's own round trip


@dataclass(frozen=True)
class VersionWitness:
    """The witnesses of one version of one article (and the source's own round trip, for researchers)."""

    direct: Estimate | None = None
    back: Estimate | None = None
    floor: Scores | None = None  #: chrF++ (with interval) of the source's own round trip through this route
    excess_drift: float | None = None  #: floor − the version's chrF++
    floor_back: Estimate | None = None  #: mean cosine(source, its own round trip)
    paragraphs: tuple[ParagraphWitness, ...] = ()
    round_trip: tuple[Segment, ...] = ()  #: the source's own round trip, one per source segment


@dataclass(frozen=True)
class LanguageWitness:
    """Corpus-level witnesses of one language: mean similarities and the route's noise floor."""

    direct: Estimate | None = None
    back: Estimate | None = None
    floor: Scores | None = None  #: "route noise": chrF++ of the source's own round trips through this route
    excess_drift: float | None = None  #: floor − the language's chrF++
    floor_back: Estimate | None = None  #: mean cosine(source, its own round trip)


@dataclass(frozen=True)
class StageCost:
    """What one stage of a run cost: items handled, model work done now, work found in a cache."""

    stage: str  #: ``"translation"``, ``"calibration"`` or ``"embedding"``
    items: int  #: version segments, source round trips, or texts to embed
    computed: int  #: model outputs computed in this run (translations, embeddings)
    cached: int  #: model outputs found in the cache
    seconds: float
    loads: int = 0  #: models loaded


@dataclass(frozen=True)
class Pair:
    """One aligned pair: source text, version text, back-translation, scores, flags."""

    source_ids: tuple[str, ...]
    version_ids: tuple[str, ...]
    source: str
    version: str
    back: str
    scores: Scores | None  #: None for 1-0 and 0-1 links
    flags: tuple[str, ...] = ()  #: codes of the flags that point at this pair
    witness: PairWitness | None = None  #: ``--semantic`` / ``--calibrate`` evidence


@dataclass(frozen=True)
class ParagraphScore:
    """chrF++ of one source paragraph against the back-translation of its counterpart."""

    paragraph: int
    chrf: float


@dataclass(frozen=True)
class VersionResult:
    """Everything found about one version of one article."""

    lang: str
    route: Route
    segments: tuple[Segment, ...]  #: the version's own segments
    back: tuple[Segment, ...]  #: back-translation segments (source language)
    origin: tuple[int, ...] | None  #: ``origin[i]``: version segment that back segment i came from
    scores: Scores | None = None  #: whole article
    paragraphs: tuple[ParagraphScore, ...] = ()
    alignment: tuple[Link, ...] = ()
    pairs: tuple[Pair, ...] = ()
    flags: tuple[Flag, ...] = ()
    truncated_outputs: int = 0  #: back-translations that stopped at the output length limit
    witness: VersionWitness | None = None  #: ``--semantic`` / ``--calibrate`` evidence


@dataclass(frozen=True)
class Matrix:
    """Consistency (chrF++) of every text against every other, all in the source language.

    ``labels[0]`` is the source; ``values[i][j]`` scores row i (hypothesis)
    against column j (reference); None where a cell cannot be computed.
    """

    labels: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]


@dataclass(frozen=True)
class ArticleResult:
    id: str
    source_lang: str
    source: tuple[Segment, ...]
    versions: tuple[VersionResult, ...]
    origin: str = ""
    url: str | None = None
    matrix: Matrix | None = None

    def version(self, lang: str) -> VersionResult:
        for result in self.versions:
            if result.lang == lang:
                return result
        raise KeyError(lang)


@dataclass(frozen=True)
class LanguageSummary:
    """Corpus-level scores of one language over all articles."""

    lang: str
    route: str
    articles: int
    segments: int
    scores: Scores
    flags: Mapping[str, int] = field(default_factory=dict)
    witness: LanguageWitness | None = None  #: ``--semantic`` / ``--calibrate`` evidence


@dataclass(frozen=True)
class Signature:
    """Every setting that changes a number in the report."""

    source_lang: str
    models: tuple[ModelInfo, ...]
    generation: Mapping[str, Any]
    segmenter: str
    sacrebleu: str
    metrics: Mapping[str, str] = field(default_factory=dict)
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    mode: str = "run"  #: ``"run"`` (back-translated here) or ``"score"`` (existing back-translations)
    encoder: ModelInfo | None = None  #: the sentence encoder of ``--semantic``
    witnesses: Mapping[str, Any] = field(default_factory=dict)  #: how the witnesses were computed
    glossary: Mapping[str, Any] = field(default_factory=dict)  #: ``--glossary``: its files, entries and sha256
    #: ``--verdicts``: the files' sha256, the verdicts they hold and how many flags they dismissed
    verdicts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Unscored:
    """A version the run was asked for but could not score (the --fail-under gate counts it as a failure)."""

    article: str
    lang: str
    reason: str  #: e.g. "no en.back.txt", "the article has no fr version"


@dataclass(frozen=True)
class Report:
    """The full record of one run; every renderer works from this object."""

    schema_version: int
    tool_version: str
    created: str
    signature: Signature
    articles: tuple[ArticleResult, ...]
    languages: tuple[LanguageSummary, ...] = ()
    matrix: Matrix | None = None
    warnings: tuple[str, ...] = ()
    language_tests: LanguageTests | None = None  #: paired tests between languages (None: not computed)
    costs: tuple[StageCost, ...] = ()  #: what each stage of the run cost (translation, calibration, embedding)
    unscored: tuple[Unscored, ...] = ()  #: versions asked for but not scored (empty in older files)
    #: the run's per-article results (``articles.jsonl`` next to report.json), one article per line; None:
    #: every article is in ``articles`` (schema 1, and results of :func:`backtrans.pipeline.evaluate`)
    articles_file: str | None = None


@dataclass(frozen=True)
class PairedSettings:
    """How two systems scored on the same source segments are tested (recorded next to every result)."""

    bootstrap: int  #: paired bootstrap resamples (0: no bootstrap test and no interval)
    randomization: int  #: approximate randomization trials (0: no randomization test)
    seed: int  #: the seed of both tests (sacrebleu's default, 12345)
    alpha: float  #: a difference is significant when every test that ran gives p below this
    interval: float = 0.95  #: coverage of the bootstrap interval of a difference


#: every verdict a :class:`Difference` can have (:mod:`backtrans.score.verdicts`)
VERDICTS = ("better", "worse", "same", "too_few_units", "untested")


@dataclass(frozen=True)
class Difference:
    """One metric of system B against system A on the same source segments: B − A with its paired tests.

    ``verdict`` is from B's side and knows the metric's direction (TER: lower is
    better): ``"better"``, ``"worse"``, ``"same"`` when the difference is not
    significant, ``"too_few_units"`` when no test can decide on so few units, or
    ``"untested"`` when no test that decides ran (:mod:`backtrans.score.verdicts`).
    """

    metric: str
    a: float
    b: float
    delta: float  #: b − a
    ci: tuple[float, float] | None = None  #: paired bootstrap interval of ``delta``
    p_bootstrap: float | None = None
    p_randomization: float | None = None
    verdict: str = "same"

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:  # a damaged report.json: refused as it is read, not when it is shown
            raise ValueError(f"unknown verdict {self.verdict!r} (one of {', '.join(VERDICTS)})")


@dataclass(frozen=True)
class LanguagePair:
    """Two languages of one run tested on the source segments both versions cover (B − A)."""

    a: str
    b: str
    articles: int  #: articles that have both versions
    units: int  #: units of source segments resampled (see :mod:`backtrans.score.significance`)
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True)
class LanguageTests:
    """Every pair of languages of a run, with the settings of the paired tests."""

    settings: PairedSettings
    pairs: tuple[LanguagePair, ...] = ()
