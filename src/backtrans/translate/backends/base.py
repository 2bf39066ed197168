"""What every backend shares: the protocols, the result types, length limits, target tokens, devices.

A backend *resolves* a :class:`~backtrans.types.ModelRef` (finds its files and
revision without loading anything heavy) and *loads* it into a
:class:`Translator`. Nothing here imports an ML library.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ...config import Settings
from ...errors import NoRouteError
from ...types import ModelRef


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

    def generate(self, texts: Sequence[str], max_new_tokens: int | Sequence[int]) -> list[Generated]:
        """Translate one batch (each text already fits ``max_input_tokens``).

        ``max_new_tokens`` is one budget for all texts or one per text; each text's
        output must be what it would be alone with its own budget (see :func:`per_budget`).
        """
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


def budgets_for(texts: Sequence[str], max_new_tokens: int | Sequence[int], cap: int) -> list[int]:
    """One budget per text, each within ``[1, cap]``."""
    budgets = [max_new_tokens] * len(texts) if isinstance(max_new_tokens, int) else list(max_new_tokens)
    if len(budgets) != len(texts):
        raise ValueError("one output budget per text")
    return [max(1, min(b, cap)) for b in budgets]


def per_budget(
    texts: Sequence[str], budgets: Sequence[int], run: Callable[[Sequence[str], int], list[Generated]]
) -> list[Generated]:
    """Run ``run(texts, budget)`` once per distinct budget and return the results in the texts' order.

    Beam search's result depends on its length limit, so texts with different
    budgets never share a call; greedy search can share one and cut each
    output at its own budget instead (the backends do that).
    """
    out: list[Generated | None] = [None] * len(texts)
    for budget in sorted(set(budgets), reverse=True):
        indices = [i for i, b in enumerate(budgets) if b == budget]
        for i, result in zip(indices, run([texts[i] for i in indices], budget), strict=True):
            out[i] = result
    return [r for r in out if r is not None]


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


def no_cuda_message(requested: str, library: str) -> str:
    """Why CUDA cannot be used, for a backend whose ``library`` sees no CUDA device: what was asked for
    (``--device cuda``, or ``auto`` that found a driver) and what is missing."""
    if requested == "cuda":
        found = "no NVIDIA driver was found" if not cuda_probably_available() else f"{library} sees no CUDA device"
        return f"--device cuda was asked for but {found}; pass --device cpu (or auto)"
    return f"--device auto found an NVIDIA driver but {library} sees no CUDA device; pass --device cpu"


def resolve_device(requested: str) -> str:
    """``auto`` → ``cuda`` or ``cpu``; explicit choices are kept."""
    if requested == "auto":
        return "cuda" if cuda_probably_available() else "cpu"
    return requested


def quiet_transformers() -> None:
    """No progress bars or advice on stderr from transformers and the hub client (imports transformers)."""
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import transformers
    from huggingface_hub.utils import disable_progress_bars

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    disable_progress_bars()
