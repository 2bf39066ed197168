"""``evaluate(articles, settings) → Report``: the stages composed, nothing more.

load → segment → plan → back-translate (or read existing back-translations) →
align → score → flag → assemble. Each step lives in its own subpackage; the
composition over some articles is :func:`backtrans.run.stages.evaluate_chunk`,
which the engines (:mod:`backtrans.run.engines`) run too; :func:`evaluate` assembles
one chunk into a :class:`~backtrans.types.Report`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .config import Settings
from .errors import InputError
from .run.assembly import Assembly
from .run.stages import MODES, evaluate_chunk
from .translate.backends import Backend
from .translate.translator import ProgressFn
from .types import Article, Report
from .witness.embedding import Embedder, EncoderBackendLike

__all__ = ["MODES", "evaluate"]


def evaluate(
    articles: Sequence[Article],
    settings: Settings | None = None,
    *,
    mode: str = "run",
    backend: Backend | None = None,
    progress: ProgressFn | None = None,
    warnings: Sequence[str] = (),
    encoder: EncoderBackendLike | None = None,
) -> Report:
    """Evaluate articles: back-translate (``mode="run"``) or read back-translations (``"score"``), then score.

    ``settings.semantic`` adds the sentence-encoder witness (``encoder`` replaces the real encoder
    backend, for tests), ``settings.calibrate`` the source's own round trips (the noise floor).
    ``warnings``: what loading the articles said (they open the report's warnings).
    """
    settings = settings or Settings()
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    embedder = Embedder(settings, backend=encoder, progress=progress) if settings.semantic else None  # fails fast
    chunk = evaluate_chunk(articles, settings, mode, backend=backend, embedder=embedder, progress=progress)
    assembly = Assembly(settings, mode, inline=True, exact_links=None)
    for message in warnings:
        assembly.warn(message)
    assembly.add_chunk(chunk.models, chunk.costs, chunk.witnesses)
    for entry in chunk.articles:
        assembly.add(entry)
    if not assembly.scored:
        raise InputError(chunk.empty or "no article had anything to score; check the inputs")
    return assembly.report()
