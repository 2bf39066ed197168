"""MarianMT through CTranslate2: int8 on CPU, int8_float16 on CUDA, several times faster than torch.

Each model (hub id or local folder) is converted once with CTranslate2's
TransformersConverter into a conversion cache keyed by model, revision and
quantization; a conversion is written to a temporary folder and renamed into
place with a completion marker, so a half-written or damaged one is detected
and rebuilt. At run time only ctranslate2 and sentencepiece are needed:
tokenization follows MarianTokenizer exactly (sentencepiece pieces, unknown
pieces as ``<unk>``, the target token first, ``</s>`` last), so outputs match
the transformers backend token for token in float32.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...config import Settings, state_dir
from ...errors import InputError, ModelUnavailableError
from ...files.fileio import read_json_object, safe_name
from ...types import ModelRef
from . import hub
from .base import (
    Generated,
    ResolvedModel,
    budgets_for,
    check_target_token,
    input_limit,
    no_cuda_message,
    per_budget,
    quiet_transformers,
    resolve_device,
)

MARKER = "backtrans-conversion.json"
COMPUTE_TYPES = (
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
_SPECIAL = {"</s>", "<unk>", "<pad>", "<s>"}


def conversion_root() -> Path:
    return state_dir() / "ctranslate2"


def default_compute_type(device: str) -> str:
    return "int8_float16" if device == "cuda" else "int8"


def thread_settings(device: str, cores: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads): on CPU two workers share the cores (measured fastest here)."""
    if device == "cuda":
        return 1, 4
    cores = cores or os.cpu_count() or 1
    if cores >= 2:
        return 2, max(1, cores // 2)
    return 1, 1


def _complete(folder: Path, expected: dict[str, str]) -> bool:
    """A finished conversion of the expected model: marker present and matching, weights not truncated."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    weights = folder / "model.bin"
    if any(marker.get(k) != v for k, v in expected.items()) or not weights.is_file():
        return False
    return weights.stat().st_size == marker.get("model_bin_bytes")


def convert(model: ResolvedModel, quantization: str, root: Path | None = None) -> tuple[Path, bool]:
    """The converted folder of a model (converted now if missing or damaged); True when converted now."""
    root = root or conversion_root()
    readable = safe_name(model.ref.name.strip("/").replace("/", "--"))
    folder = root / f"{readable}-{hub.model_fingerprint(model.ref.name + model.revision)}-{quantization}"
    expected = {"model": model.ref.name, "revision": model.revision, "quantization": quantization}
    if _complete(folder, expected):
        return folder, False
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=root))
    try:
        from ctranslate2.converters import TransformersConverter

        quiet_transformers()
        TransformersConverter(str(model.path)).convert(str(tmp / "model"), quantization=quantization, force=True)
        built = tmp / "model"
        (built / MARKER).write_text(
            json.dumps({**expected, "model_bin_bytes": (built / "model.bin").stat().st_size, "created": time.time()}),
            encoding="utf-8",
        )
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(built, folder)
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ModelUnavailableError(
            f"model {model.ref.name} could not be converted for CTranslate2 ({type(exc).__name__}: {exc}); "
            "use --backend transformers"
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder, True


class CTranslate2Translator:
    """A converted model, with a sentencepiece tokenizer that mirrors MarianTokenizer."""

    def __init__(self, model: ResolvedModel, settings: Settings, compute_type: str) -> None:
        import ctranslate2
        import sentencepiece as spm

        assert model.path is not None
        self.device = resolve_device(settings.device)
        if self.device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
            raise ModelUnavailableError(no_cuda_message(settings.device, "CTranslate2"))
        self.folder, self.converted = convert(model, compute_type)
        inter, intra = thread_settings(self.device)

        def open_translator() -> Any:
            options = {"device": self.device, "compute_type": compute_type, "inter_threads": inter}
            return ctranslate2.Translator(str(self.folder), intra_threads=intra, **options)

        try:
            self.translator = open_translator()
        except (RuntimeError, ValueError, IndexError, OSError) as exc:  # a damaged conversion: rebuild it once
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder, self.converted = convert(model, compute_type)
            try:
                self.translator = open_translator()
            except (RuntimeError, ValueError, IndexError, OSError) as again:
                raise ModelUnavailableError(
                    f"CTranslate2 cannot load {model.ref.name} ({again}); use --backend transformers"
                ) from exc
        self.inter_threads = inter
        path = model.path
        self.vocab: dict[str, int] = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        self.source = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
        positions = int(read_json_object(path / "config.json").get("max_position_embeddings", 512))
        self.max_input_tokens = input_limit(
            positions, read_json_object(path / "tokenizer_config.json").get("model_max_length")
        )
        self.max_output_tokens = positions - 1
        generation = read_json_object(path / "generation_config.json")
        inverse = {i: tok for tok, i in self.vocab.items()}
        self.suppress = [
            [inverse[ids[0]]]
            for ids in generation.get("bad_words_ids") or []
            if len(ids) == 1 and ids[0] in inverse and inverse[ids[0]] != "<pad>"
        ]
        self.min_length = int(generation.get("min_new_tokens") or 0)
        self.beams = settings.beams
        self.prefix: list[str] = []
        if model.ref.target_token:
            check_target_token(model.ref, [t for t in self.vocab if _is_code(t)])
            self.prefix = [model.ref.target_token]

    def pieces(self, text: str) -> list[str]:
        """Source pieces exactly as MarianTokenizer makes them (no punctuation normalisation)."""
        body = [p if p in self.vocab else "<unk>" for p in self.source.encode(text, out_type=str)]
        return [*self.prefix, *body, "</s>"]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(self.pieces(t)) for t in texts]

    def generate(self, texts: Sequence[str], max_new_tokens: int | Sequence[int]) -> list[Generated]:
        # transformers spends the last of max_new_tokens on a forced </s>: decode one token less for parity
        lengths = [max(1, b - 1) for b in budgets_for(texts, max_new_tokens, self.max_output_tokens)]
        if self.beams > 1 or self.min_length > min(lengths):  # results that depend on the limit: one call each
            return per_budget(texts, lengths, lambda group, length: self._generate(group, [length] * len(group)))
        return self._generate(texts, lengths)

    def _generate(self, texts: Sequence[str], lengths: Sequence[int]) -> list[Generated]:
        """One call with the largest length; greedy outputs cut at each text's own length are exactly
        what each text gives alone."""
        batch = [self.pieces(t) for t in texts]
        if max(len(b) for b in batch) > self.max_input_tokens:
            raise ValueError("generate() was given a text longer than the model accepts; split it first")
        length = max(lengths)
        results = self.translator.translate_batch(
            batch,
            beam_size=self.beams,
            max_batch_size=max(1, -(-len(batch) // self.inter_threads)),
            max_input_length=0,
            max_decoding_length=length,
            min_decoding_length=min(self.min_length, length),
            suppress_sequences=self.suppress or None,
            return_scores=False,
        )
        out = []
        for result, own in zip(results, lengths, strict=True):
            hypothesis = result.hypotheses[0]
            tokens = [t for t in hypothesis[:own] if t not in _SPECIAL and not _is_code(t)]
            text = self.target.decode_pieces(tokens)
            out.append(Generated(" ".join(text.split()), hit_limit=len(hypothesis) >= own))
        return out


def _is_code(token: str) -> bool:
    return token.startswith(">>") and token.endswith("<<")


class CTranslate2Backend:
    name = "ctranslate2"

    def compute_type(self, settings: Settings) -> str:
        requested = settings.compute_type
        if requested:
            if requested not in COMPUTE_TYPES:
                raise InputError(f"--compute-type {requested}: choose one of {', '.join(COMPUTE_TYPES)}")
            return requested
        return default_compute_type(resolve_device(settings.device))

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        return hub.resolve(ref, offline=settings.offline)

    def load(self, model: ResolvedModel, settings: Settings) -> CTranslate2Translator:
        return CTranslate2Translator(model, settings, self.compute_type(settings))
