"""Multilingual sentence encoders (LaBSE, multilingual MiniLM) through plain transformers, with the model's own pooling.

A sentence-transformers folder says how it turns token states into one vector:
``modules.json`` lists its modules (Transformer → Pooling → Dense → Normalize),
``1_Pooling/config.json`` the pooling (LaBSE: the CLS token; MiniLM: the mean of
the tokens), ``2_Dense`` a projection with its activation (LaBSE: tanh), and
``sentence_bert_config.json`` the longest input. This module reads those files
and runs the same computation with torch and transformers, so the
sentence-transformers package (and its scikit-learn, scipy and Pillow) is not
needed. A folder without ``modules.json`` (a plain transformers export such as
``setu4993/LaBSE``) uses the model's pooler output where it has one, else the
mean of its tokens. Vectors are always L2-normalised, so a dot product is the
cosine.

Finding the files (hub id or local folder, the Hugging Face cache, offline
mode, a fast failure) is :mod:`backtrans.translate.backends.hub`'s, as for MarianMT.
Nothing here imports torch or transformers until a model is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...config import Settings
from ...errors import ModelUnavailableError
from ...types import ModelRef
from . import hub
from .base import ResolvedModel, input_limit, quiet_transformers, resolve_device

WEIGHTS = ("model.safetensors", "pytorch_model.bin")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "sentencepiece.bpe.model", "spiece.model")
#: the files of a sentence-transformers folder that decide its vectors
_ST_FILES = (
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
    "2_Dense/config.json",
    "2_Dense/model.safetensors",
    "2_Dense/pytorch_model.bin",
)
ENCODER_LAYOUT = hub.Layout(
    required=(("config.json",), TOKENIZER_FILES, WEIGHTS),
    download=(
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "vocab.txt",
        "sentencepiece.bpe.model",
        "spiece.model",
        "config_sentence_transformers.json",
        "model.safetensors",
        *_ST_FILES,
    ),
    hashed=("config.json", "tokenizer_config.json", *TOKENIZER_FILES, *WEIGHTS, *_ST_FILES),
    option="--semantic-model /path/to/folder",
    complete="point --semantic-model at a complete sentence-encoder folder (a sentence-transformers model)",
)
_POOLING_MODES = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len",
}
_ACTIVATIONS = ("Tanh", "Identity", "ReLU", "GELU", "Sigmoid")
_MODULE_KINDS = {"Transformer", "Pooling", "Dense", "Normalize"}


@dataclass(frozen=True)
class DenseSpec:
    path: Path
    activation: str
    in_features: int = 0
    out_features: int = 0
    bias: bool = True


@dataclass(frozen=True)
class EncoderSpec:
    """How one folder turns token states into a sentence vector (read from its files, without torch)."""

    pooling: tuple[str, ...]  #: "cls", "mean", "max", "mean_sqrt_len" (concatenated in this order), or "pooler"
    dense: tuple[DenseSpec, ...] = ()
    max_seq_length: int | None = None

    def describe(self) -> str:
        steps = ["+".join(self.pooling)] + [f"dense({d.activation.lower()})" for d in self.dense]
        return " → ".join([*steps, "normalize"])


def _read_json(path: Path, what: str, kind: type = dict) -> Any:
    """A JSON file of the folder, which must hold a ``kind`` (an object, or a list for modules.json)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(f"{path}: cannot read the {what} ({exc}); {ENCODER_LAYOUT.complete}") from None
    if not isinstance(value, kind):
        shape = "a list" if kind is list else "an object"
        raise ModelUnavailableError(f"{path}: the {what} is not {shape} of JSON; {ENCODER_LAYOUT.complete}")
    return value


def _whole(config: dict[str, Any], key: str, path: Path) -> int:
    value = config.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ModelUnavailableError(f"{path}: {key} must be a positive whole number; {ENCODER_LAYOUT.complete}")
    return value


def _first_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def read_spec(folder: Path) -> EncoderSpec:
    """The pooling pipeline of a sentence-encoder folder: ``modules.json`` and the configs it names."""
    limit = None
    if (folder / "sentence_bert_config.json").is_file():
        value = _read_json(folder / "sentence_bert_config.json", "sentence-transformers config").get("max_seq_length")
        limit = int(value) if isinstance(value, int) and value > 0 else None
    if not (folder / "modules.json").is_file():
        return EncoderSpec(("pooler",), (), limit)
    modules = _read_json(folder / "modules.json", "module list", list)
    if not all(isinstance(m, dict) and isinstance(m.get("idx", 0), int) for m in modules):
        raise ModelUnavailableError(
            f"{folder}/modules.json: every module must be an object with a whole-number idx; {ENCODER_LAYOUT.complete}"
        )
    pooling: tuple[str, ...] = ()
    dense: list[DenseSpec] = []
    for module in sorted(modules, key=lambda m: int(m.get("idx", 0))):
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        if kind not in _MODULE_KINDS:
            raise ModelUnavailableError(
                f"{folder}/modules.json: module {kind or '?'} is not supported (backtrans reads "
                f"{', '.join(sorted(_MODULE_KINDS))}); choose another --semantic-model"
            )
        where = folder / str(module.get("path", ""))
        if kind == "Pooling":
            config = _read_json(where / "config.json", "pooling config")
            pooling = tuple(mode for key, mode in _POOLING_MODES.items() if config.get(key))
            unknown = [k for k, v in config.items() if k.startswith("pooling_mode_") and v and k not in _POOLING_MODES]
            if unknown or not pooling:
                raise ModelUnavailableError(
                    f"{where}/config.json: pooling {', '.join(unknown) or 'none'} is not supported "
                    f"(backtrans pools by {', '.join(_POOLING_MODES.values())})"
                )
        elif kind == "Dense":
            config = _read_json(where / "config.json", "dense layer config")
            activation = str(config.get("activation_function", "torch.nn.modules.activation.Tanh")).rsplit(".", 1)[-1]
            if activation not in _ACTIVATIONS:
                raise ModelUnavailableError(
                    f"{where}/config.json: activation {activation} is not supported ({', '.join(_ACTIVATIONS)})"
                )
            size = (
                _whole(config, "in_features", where / "config.json"),
                _whole(config, "out_features", where / "config.json"),
            )
            dense.append(DenseSpec(where, activation, *size, bias=bool(config.get("bias", True))))
    return EncoderSpec(pooling or ("mean",), tuple(dense), limit)


def default_compute_type(device: str) -> str:
    return "float16" if device == "cuda" else "float32"


class SentenceEncoder:
    """A loaded sentence encoder: counts tokens and turns a batch of texts into unit vectors."""

    def __init__(self, model: ResolvedModel, settings: Settings, compute_type: str) -> None:
        quiet_transformers()
        import torch
        from transformers import AutoModel, AutoTokenizer

        from ._transformers_backend import pick_device

        self._torch = torch
        assert model.path is not None
        path = model.path
        self.spec = read_spec(path)
        self.device = pick_device(settings.device)
        from pickle import UnpicklingError

        from safetensors import SafetensorError

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(path), local_files_only=True)
            self.dense = [self._load_dense(d) for d in self.spec.dense]
        except (OSError, ValueError, KeyError, RuntimeError, EOFError, UnpicklingError, SafetensorError) as exc:
            # corrupt weights (safetensors' SafetensorError, torch.load's UnpicklingError) included
            raise ModelUnavailableError(
                f"sentence encoder {model.ref.name} could not be loaded from {path} ({_first_line(exc)}); "
                + ENCODER_LAYOUT.complete
            ) from exc
        self.model.eval()
        dtype = getattr(torch, compute_type)
        for module in (self.model, *self.dense):
            module.to(device=self.device, dtype=dtype)
        config = self.model.config
        positions = int(getattr(config, "max_position_embeddings", 512) or 512)
        # XLM-R style position ids start after the padding index: two positions are not usable
        positions -= 2 if getattr(config, "model_type", "") in ("xlm-roberta", "roberta") else 0
        limit = input_limit(positions, getattr(self.tokenizer, "model_max_length", None))
        self.max_input_tokens = min(limit, self.spec.max_seq_length or limit)
        self.dimension = self.spec.dense[-1].out_features if self.dense else int(config.hidden_size)

    def _load_dense(self, spec: DenseSpec) -> Any:
        torch = self._torch
        layer = torch.nn.Linear(spec.in_features, spec.out_features, bias=spec.bias)
        if (spec.path / "model.safetensors").is_file():
            from safetensors.torch import load_file

            state = load_file(str(spec.path / "model.safetensors"))
        else:
            state = torch.load(spec.path / "pytorch_model.bin", map_location="cpu", weights_only=True)
        layer.load_state_dict({k.removeprefix("linear."): v for k, v in state.items()})
        layer.eval()
        activation = getattr(torch.nn, spec.activation)()
        return torch.nn.Sequential(layer, activation) if spec.activation != "Identity" else layer

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens of each text as the model sees it (special tokens included)."""
        return [len(ids) for ids in self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of one batch of texts (each already fits ``max_input_tokens``), float32."""
        torch = self._torch
        batch = self.tokenizer(list(texts), padding=True, truncation=False, return_tensors="pt")
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            raise ValueError("encode() was given a text longer than the model accepts; split it first")
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode():
            out = self.model(**batch)
            tokens = out.last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            parts = []
            for mode in self.spec.pooling:
                if mode == "pooler":
                    pooled = getattr(out, "pooler_output", None)
                    parts.append(pooled if pooled is not None else (tokens * mask).sum(1) / mask.sum(1).clamp(min=1))
                elif mode == "cls":
                    parts.append(tokens[:, 0])
                elif mode == "max":
                    parts.append(tokens.masked_fill(mask == 0, float("-inf")).max(1).values)
                else:
                    summed, lengths = (tokens * mask).sum(1), mask.sum(1).clamp(min=1)
                    parts.append(summed / (lengths if mode == "mean" else lengths.sqrt()))
            vectors = torch.cat(parts, dim=-1)
            for layer in self.dense:
                vectors = layer(vectors)
            vectors = torch.nn.functional.normalize(vectors.float(), dim=-1)
        return np.ascontiguousarray(vectors.cpu().numpy(), dtype=np.float32)


class EncoderBackend:
    """Finds and loads sentence encoders (the real path; tests may pass a fake with the same methods)."""

    name = "transformers"

    def compute_type(self, settings: Settings) -> str:
        return default_compute_type(resolve_device(settings.device))

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        return hub.resolve(ref, offline=settings.offline, layout=ENCODER_LAYOUT)

    def describe(self, model: ResolvedModel) -> str:
        """The pooling pipeline, for the signature (reads small JSON files only)."""
        return read_spec(model.path).describe() if model.path is not None else "?"

    def load(self, model: ResolvedModel, settings: Settings) -> SentenceEncoder:
        return SentenceEncoder(model, settings, self.compute_type(settings))
