"""backtrans: check machine-translated news by translating every version back into the source language.

The public API. Importing it loads no ML library: torch and transformers are
imported only when a model is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from .loading import load_inputs
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

if TYPE_CHECKING:
    from .pipeline import evaluate


def __getattr__(name: str) -> Any:
    if name == "evaluate":
        from .pipeline import evaluate

        return evaluate
    raise AttributeError(f"module 'backtrans' has no attribute {name!r}")
