"""A run's report, assembled article by article: the same for :func:`~backtrans.pipeline.evaluate` and the engines.

Every article comes as a :class:`~backtrans.run._results.ScoredArticle` (or an
:class:`~backtrans.run._results.Unscoreable` one) that carries all the report needs of
it: its result and statistics (the corpus summaries, :class:`~backtrans.run._accumulate.CorpusSummary`),
its warnings and unscored versions, the translations that stopped at the length
limit, the models of its routes, the witnesses' floors. An article scored now and
one read back from a run's store give the same report, so a resumed or
distributed run writes what one uninterrupted run writes.

The report's warnings: what loading said, then each article's in input order,
then the run's (languages without a noise floor, the models whose outputs
stopped at the length limit, long TER pairs).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Sequence

from .._version import __version__
from ..config import Settings
from ..score.sacrebleu_adapter import TER_MAX_WORDS
from ..translate.backtranslate import limit_warnings
from ..translate.calibration import no_floor_warnings
from ..types import REPORT_SCHEMA_VERSION, ArticleResult, ModelInfo, Report, StageCost, Unscored
from ..witness.witnesses import Witnesses
from ._accumulate import EXACT_LINKS, CorpusSummary, sum_costs
from ._results import ScoredArticle, Unscoreable, UsedModel, build_signature, plan_order


class Assembly:
    """Feed the articles of a run in input order (:meth:`add`), then :meth:`report`.

    ``inline``: keep every article's result for report.json (a small run); ``exact_links``: see
    :class:`~backtrans.run._accumulate.CorpusSummary` (None: always exact); ``max_warnings``: warnings
    listed (None: all; the rest are counted).
    """

    def __init__(
        self,
        settings: Settings,
        mode: str,
        *,
        inline: bool,
        exact_links: int | None = EXACT_LINKS,
        max_warnings: int | None = None,
    ) -> None:
        self.settings, self.mode, self.inline = settings, mode, inline
        self.summary = CorpusSummary(settings, exact_links)
        self.max_warnings = max_warnings
        self.warnings: dict[str, None] = {}
        self.unlisted = 0
        self.unscored: list[Unscored] = []
        self.articles: list[ArticleResult] = []
        self.scored = 0
        self.limits: list[tuple[str, str]] = []
        self.long_ter = 0
        self.no_floor: list[tuple[str, str, str]] = []
        self.round_trips: dict[str, str] = {}
        self.models: dict[UsedModel, None] = {}
        self.costs: dict[str, StageCost] = {}
        self.witnesses: Witnesses | None = None
        self.dismissed = 0  #: flags the newsroom's verdicts dismissed

    def warn(self, message: str) -> None:
        if message in self.warnings:
            return
        if self.max_warnings is not None and len(self.warnings) >= self.max_warnings:
            self.unlisted += 1
            return
        self.warnings[message] = None

    def add_chunk(self, models: Sequence[ModelInfo], costs: Sequence[StageCost], witnesses: Witnesses | None) -> None:
        """What one chunk cost; its witnesses' encoder and record (the models are known per article)."""
        sum_costs(self.costs, costs)
        if witnesses is not None and self.witnesses is None:
            self.witnesses = Witnesses(self.settings, {}, witnesses.encoder, dict(witnesses.record))

    def add(self, entry: ScoredArticle | Unscoreable) -> None:
        """One article of the run, in input order."""
        for message in entry.warnings:
            self.warn(message)
        self.unscored.extend(entry.unscored)
        if isinstance(entry, Unscoreable):
            return
        self.scored += 1
        self.summary.add(entry)
        result = entry.result
        self.limits += entry.limits
        self.long_ter += entry.long_ter
        self.no_floor += [(result.id, lang, why) for lang, why in entry.no_floor]
        self.round_trips.update(entry.round_trips)
        self.models.update(dict.fromkeys(entry.models))
        self.dismissed += sum(f.dismissed for version in result.versions for f in version.flags)
        if self.witnesses is not None:
            for version in result.versions:
                self.witnesses.collect(version, entry.floor_stats.get(version.lang, []), result.id)
        if self.inline:
            self.articles.append(result)

    def run_warnings(self) -> list[str]:
        """The warnings about the run as a whole (after every article's)."""
        out = no_floor_warnings(self.no_floor) + limit_warnings(self.limits)
        if self.long_ter:
            out.append(
                f"{self.long_ter} aligned pair(s) have more than {TER_MAX_WORDS} words on a side: their TER is the "
                "word edit distance without shifts (an upper bound), because TER's shift search grows faster "
                "than linearly"
            )
        return out

    def report(self, articles_file: str | None = None) -> Report:
        """The run's report (``articles_file``: where the per-article results were written, if anywhere)."""
        for message in self.run_warnings():
            self.warn(message)
        warnings = list(self.warnings)
        if self.unlisted:
            warnings.append(
                f"{self.unlisted} more warning(s) are not listed here; each article's are in {articles_file}"
            )
        languages, matrix, tests = self.summary.finish()
        source_langs = sorted(self.summary.source_langs) or [self.settings.source_lang]
        scorer = self.summary.scorer(source_langs[0])
        models = plan_order(list(self.models))
        signature = build_signature(source_langs, self.settings, models, scorer, self.mode)
        signature = dataclasses.replace(
            signature, metrics={**signature.metrics, "corpus_resampling": self.summary.method}
        )
        if self.witnesses is not None:
            languages = self.witnesses.summaries(languages, scorer)
            record = dict(self.witnesses.record)
            if self.settings.calibrate:
                record["calibration"] = self._calibration_record()
            signature = dataclasses.replace(signature, encoder=self.witnesses.encoder, witnesses=record)
        if self.settings.verdicts is not None:
            verdicts = {**self.settings.verdicts.record(), "dismissed": self.dismissed}
            signature = dataclasses.replace(signature, verdicts=verdicts)
        return Report(
            schema_version=REPORT_SCHEMA_VERSION,
            tool_version=__version__,
            created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
            signature=signature,
            articles=tuple(self.articles),
            languages=languages,
            matrix=matrix,
            warnings=tuple(warnings),
            language_tests=tests,
            costs=tuple(self.costs.values()),
            unscored=tuple(self.unscored),
            articles_file=articles_file,
        )

    def shell(self) -> Report:
        """The run's report so far without its summaries (what a renderer of one article needs around it)."""
        source_langs = sorted(self.summary.source_langs) or [self.settings.source_lang]
        scorer = self.summary.scorer(source_langs[0])
        signature = build_signature(source_langs, self.settings, plan_order(list(self.models)), scorer, self.mode)
        return Report(
            schema_version=REPORT_SCHEMA_VERSION,
            tool_version=__version__,
            created=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
            signature=signature,
            articles=(),
            languages=(),
            matrix=None,
        )

    def _calibration_record(self) -> dict[str, object]:
        """As :meth:`backtrans.translate.calibration.Calibration.record` gives it for the whole run."""
        out: dict[str, object] = {"round_trips": dict(sorted(self.round_trips.items()))}
        missing = sorted({lang for _, lang, _ in self.no_floor} - set(self.round_trips))
        if missing:
            out["no_floor"] = missing
        return out
