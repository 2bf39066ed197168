"""Translation backends: the registry that names them.

The protocol every backend meets and the types they share are in
:mod:`backtrans.translate.backends.base`. Importing this package imports no ML library;
each backend imports its own only when it loads a model. Tests register fakes
through :func:`register_backend` (see :mod:`backtrans.testing`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from ...errors import InputError
from .base import (
    Backend,
    Generated,
    ResolvedModel,
    Translator,
    check_target_token,
    cuda_probably_available,
    input_limit,
    resolve_device,
)

__all__ = [
    "Backend",
    "Generated",
    "ResolvedModel",
    "Translator",
    "auto_backend",
    "backend_names",
    "check_target_token",
    "cuda_probably_available",
    "get_backend",
    "input_limit",
    "register_backend",
    "resolve_device",
    "unregister_backend",
]


def auto_backend() -> str:
    """ctranslate2 when it is installed (``backtrans[fast]``), else transformers."""
    return "ctranslate2" if importlib.util.find_spec("ctranslate2") is not None else "transformers"


_REGISTRY: dict[str, Callable[[], Backend]] = {}


def register_backend(name: str, factory: Callable[[], Backend]) -> None:
    """Make a backend available under ``name`` (tests register fakes through this)."""
    _REGISTRY[name] = factory


def unregister_backend(name: str) -> None:
    _REGISTRY.pop(name, None)


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def get_backend(name: str) -> Backend:
    if name == "auto":
        name = auto_backend()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise InputError(f"unknown backend {name!r}; choose one of auto, {', '.join(backend_names())}") from None
    return factory()


def _transformers_backend() -> Backend:
    from ._transformers_backend import TransformersBackend

    return TransformersBackend()


def _ctranslate2_backend() -> Backend:
    if importlib.util.find_spec("ctranslate2") is None:
        raise InputError(
            "--backend ctranslate2 needs the ctranslate2 package: pip install -e '.[fast]' in the backtrans clone"
        )
    from ._ctranslate2_backend import CTranslate2Backend

    return CTranslate2Backend()


register_backend("transformers", _transformers_backend)
register_backend("ctranslate2", _ctranslate2_backend)
