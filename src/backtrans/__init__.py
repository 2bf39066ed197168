"""backtrans: check machine-translated news by translating every version back into the source language.

The public API. Importing it loads no ML library: torch, transformers and
ctranslate2 are imported only when a model is loaded.
"""

from __future__ import annotations

from ._version import __version__
from .config import Settings, Thresholds
from .errors import (
    BacktransError,
    CacheError,
    InputError,
    ModelUnavailableError,
    NoRouteError,
    TranslationError,
)
from .load.loading import load_inputs
from .pipeline import evaluate
from .types import Article, ArticleResult, Flag, Report, Scores, Segment, VersionResult

__all__ = [
    "Article",
    "ArticleResult",
    "BacktransError",
    "CacheError",
    "Flag",
    "InputError",
    "ModelUnavailableError",
    "NoRouteError",
    "Report",
    "Scores",
    "Segment",
    "Settings",
    "Thresholds",
    "TranslationError",
    "VersionResult",
    "__version__",
    "evaluate",
    "load_inputs",
]
