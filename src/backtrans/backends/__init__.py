"""Translation backends: the protocol every backend meets, and the registry that names them.

A backend *resolves* a :class:`~backtrans.types.ModelRef` (finds its files and
revision without loading anything heavy) and *loads* it into a
:class:`Translator`. Importing this package imports no ML library; each backend
imports its own only when it loads a model.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..errors import InputError, NoRouteError
from ..types import ModelRef

if TYPE_CHECKING:
    from ..config import Settings


@dataclass(frozen=True)
class ResolvedModel:
    """A model found on disk (or a fake): where its files are and which revision they are."""

    ref: ModelRef
    path: Path | None
    revision: str
    where: str  #: "folder", "hub-cache", "downloaded" or "fake"


@dataclass(frozen=True)
class Generated:
    """One translation: the text and whether it stopped at the output length limit."""

    text: str
    hit_limit: bool = False


@runtime_checkable
class Translator(Protocol):
    """A loaded model."""

    #: the most input tokens (end-of-sentence and target token included) the model accepts
    max_input_tokens: int
    #: the most tokens the decoder can produce
    max_output_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Input tokens of each text as the model will see it (target token and eos included)."""
        ...

    def generate(self, texts: Sequence[str], max_new_tokens: int) -> list[Generated]:
        """Translate one batch (each text already fits ``max_input_tokens``)."""
        ...


class Backend(Protocol):
    name: str

    def compute_type(self, settings: Settings) -> str:
        """The numeric type translations are computed in (part of every cache key)."""
        ...

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        """Find the model's files and revision; download only when allowed."""
        ...

    def load(self, model: ResolvedModel, settings: Settings) -> Translator:
        """Load a resolved model for translating."""
        ...


#: a tokenizer ``model_max_length`` at or above this means "no limit of its own"
NO_LIMIT = 100_000


def input_limit(positions: int, tokenizer_limit: int | None) -> int:
    """The most input tokens a model accepts: its positions, or fewer where its tokenizer says so."""
    if not tokenizer_limit or tokenizer_limit >= NO_LIMIT:
        return positions
    return min(positions, tokenizer_limit)


def check_target_token(ref: ModelRef, known: Sequence[str]) -> None:
    """A multi-target model must know the target token it is given (an unknown one would become <unk>)."""
    if ref.target_token and ref.target_token not in known:
        raise NoRouteError(
            f"model {ref.name} does not know the target token {ref.target_token}; "
            f"it knows: {', '.join(list(known)[:20]) or 'none (it is not a multi-target model)'}"
        )


def cuda_probably_available() -> bool:
    """An NVIDIA driver is present and CUDA is not hidden: decided without importing torch or ctranslate2.

    ``--device auto`` uses this so that the compute type (part of every cache
    key) is known before any model is loaded; a backend that then finds no
    usable CUDA device says so instead of silently computing on the CPU.
    """
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    return Path("/proc/driver/nvidia/version").exists() or shutil.which("nvidia-smi") is not None


def resolve_device(requested: str) -> str:
    """``auto`` → ``cuda`` or ``cpu``; explicit choices are kept."""
    if requested == "auto":
        return "cuda" if cuda_probably_available() else "cpu"
    return requested


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
    from .transformers_backend import TransformersBackend

    return TransformersBackend()


def _ctranslate2_backend() -> Backend:
    if importlib.util.find_spec("ctranslate2") is None:
        raise InputError("--backend ctranslate2 needs the ctranslate2 package: pip install 'backtrans[fast]'")
    from .ctranslate2_backend import CTranslate2Backend

    return CTranslate2Backend()


def _fake_backend() -> Backend:
    from .fake import FakeBackend

    return FakeBackend()


register_backend("transformers", _transformers_backend)
register_backend("ctranslate2", _ctranslate2_backend)
register_backend("fake", _fake_backend)
