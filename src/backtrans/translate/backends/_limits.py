"""What a model and the machine allow: beams, and how many segments one batch may hold.

Beam search keeps ``beams`` hypotheses per segment, each with its own
key/value cache and scores over the whole vocabulary, so memory grows with
batch × beams × output length. Before anything is translated, every model's
shape (read from its ``config.json``, no ML library needed) bounds ``--beams``:

* no more beams than the vocabulary has tokens;
* one segment of the longest length the model accepts, with all its beams,
  must fit in half of the memory free on the device (the rest is left to the
  model's weights and everything else).

Batches are then cut so that batch × beams fits the same budget; a segment's
result does not depend on its batch (see :mod:`backtrans.translate.translator`), so a
smaller batch changes the speed, never an output. The estimate assumes
float32 and is deliberately generous.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from ...files.fileio import read_json_object
from .base import ResolvedModel

#: bytes per number in the estimate (float32), and a factor for temporaries and the allocator
_BYTES = 4
_OVERHEAD = 2
#: share of the free memory one batch may take
SHARE = 0.5


@dataclass(frozen=True)
class ModelShape:
    """The dimensions of a seq2seq model that decide what beam search costs."""

    vocab: int
    positions: int
    d_model: int
    decoder_layers: int


def model_shape(model: ResolvedModel) -> ModelShape | None:
    """The shape from a model folder's ``config.json``; None when there is no folder (a fake) or no config."""
    if model.path is None:
        return None
    config = read_json_object(Path(model.path) / "config.json")
    try:
        return ModelShape(
            vocab=int(config.get("decoder_vocab_size") or config["vocab_size"]),
            positions=int(config.get("max_position_embeddings") or 512),
            d_model=int(config["d_model"]),
            decoder_layers=int(config.get("decoder_layers") or config.get("num_hidden_layers") or 6),
        )
    except (KeyError, TypeError, ValueError):
        return None


def bytes_per_row(shape: ModelShape, input_tokens: int, output_tokens: int) -> int:
    """Memory of one hypothesis: encoder states, cross- and self-attention caches, vocabulary scores."""
    numbers = (
        input_tokens * shape.d_model
        + 2 * shape.decoder_layers * (input_tokens + output_tokens) * shape.d_model
        + 3 * shape.vocab
    )
    return numbers * _BYTES * _OVERHEAD


def _cgroup_free() -> int | None:
    """Memory left under a cgroup (v2) limit: containers often have less than the machine."""
    with contextlib.suppress(OSError, ValueError):
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            used = int(Path("/sys/fs/cgroup/memory.current").read_text().strip())
            return max(0, int(limit) - used)
    return None


def _host_free() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    return None


def _cuda_free() -> int | None:
    """Free memory of the first visible GPU, from nvidia-smi (no ML library imported)."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return None
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0].strip()
    index = visible if visible.isdigit() else "0"
    with contextlib.suppress(OSError, ValueError, subprocess.SubprocessError):
        out = subprocess.run(
            [tool, "--query-gpu=memory.free", "--format=csv,noheader,nounits", "-i", index],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        return int(out.split()[0]) * 2**20
    return None


def available_memory(device: str) -> int | None:
    """Bytes free on ``device`` (``cpu`` or ``cuda``) now; None when it cannot be told."""
    if device == "cuda":
        return _cuda_free()
    free = [m for m in (_host_free(), _cgroup_free()) if m is not None]
    return min(free) if free else None


def _size(n: float) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def check_beams(shape: ModelShape, beams: int, name: str, device: str, free: int | None) -> None:
    """Refuse ``--beams`` that the model's vocabulary or the free memory cannot hold (InputError)."""
    if beams > shape.vocab:
        raise InputError(
            f"--beams {beams}: model {name} has {shape.vocab} tokens in its vocabulary and beam search cannot "
            f"keep more hypotheses than that; use --beams {shape.vocab} or less"
        )
    if free is None:
        return
    row = bytes_per_row(shape, shape.positions, shape.positions - 1)
    allowed = int(free * SHARE) // row
    if beams > allowed:
        fix = f"use --beams {allowed} or less" if allowed else "free some memory first"
        raise InputError(
            f"--beams {beams}: one segment of model {name} can need about {_size(row * beams)} for beam search "
            f"(up to {shape.positions - 1} output tokens, vocabulary {shape.vocab}); about {_size(free)} is free "
            f"on {device}; {fix}"
        )


def batch_limit(shape: ModelShape | None, beams: int, free: int | None) -> Callable[[int, int], int] | None:
    """``(input tokens, output budget) → the most segments one batch may hold``; None: no limit known."""
    if shape is None or free is None:
        return None
    budget = int(free * SHARE)

    def limit(input_tokens: int, output_tokens: int) -> int:
        return max(1, budget // (bytes_per_row(shape, input_tokens, output_tokens) * beams))

    return limit
