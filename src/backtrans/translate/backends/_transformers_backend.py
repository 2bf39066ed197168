"""MarianMT (OPUS-MT) through Hugging Face transformers on torch.

torch and transformers are imported only when a model is loaded.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from ...config import Settings
from ...errors import InputError, ModelUnavailableError
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

#: numeric types the transformers backend computes in
COMPUTE_TYPES = ("float32", "int8", "float16", "bfloat16")


def pick_device(requested: str) -> str:
    """The device to run on: ``auto`` is decided without torch (see resolve_device), then checked."""
    import torch

    device = resolve_device(requested)
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailableError(no_cuda_message(requested, "torch"))
    return device


def default_compute_type(device: str) -> str:
    return "float16" if device == "cuda" else "float32"


def check_compute_type(compute_type: str, device: str) -> str:
    if compute_type not in COMPUTE_TYPES:
        raise InputError(f"--compute-type {compute_type}: the transformers backend takes {', '.join(COMPUTE_TYPES)}")
    if compute_type == "int8" and device != "cpu":
        raise InputError("--int8 (dynamic quantization) runs on the CPU only; on CUDA use float16 or bfloat16")
    if compute_type == "float16" and device == "cpu":
        raise InputError("float16 needs --device cuda; on the CPU use float32 or --int8")
    return compute_type


def supported_target_tokens(tokenizer: Any) -> list[str]:
    codes = getattr(tokenizer, "supported_language_codes", None)
    if codes is not None:
        return list(codes)
    vocab = tokenizer.get_vocab()
    return sorted(tok for tok in vocab if tok.startswith(">>") and tok.endswith("<<"))


class TransformersTranslator:
    """A loaded seq2seq model (MarianMT) with its tokenizer."""

    def __init__(self, model: ResolvedModel, settings: Settings, compute_type: str = "float32") -> None:
        quiet_transformers()
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self._torch = torch
        self.ref = model.ref
        self.device = pick_device(settings.device)
        path = str(model.path)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelUnavailableError(
                f"model {model.ref.name} could not be loaded from {path} ({type(exc).__name__}: {exc}); "
                "check that the folder holds a complete MarianMT model and tokenizer"
            ) from exc
        self.model.eval()
        self.compute_type = compute_type
        if compute_type == "int8":
            with warnings.catch_warnings():  # torch deprecates its quantized tensor API, not this use of it
                warnings.simplefilter("ignore")
                self.model = torch.ao.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
        elif compute_type in ("float16", "bfloat16"):
            self.model.to(getattr(torch, compute_type))
        self.model.to(self.device)
        self.beams = settings.beams
        config = self.model.config
        positions = int(getattr(config, "max_position_embeddings", 512) or 512)
        self.max_input_tokens = input_limit(positions, getattr(self.tokenizer, "model_max_length", None))
        self.max_output_tokens = positions - 1  # the decoder start token takes one position
        self.prefix = ""
        if model.ref.target_token:
            check_target_token(model.ref, supported_target_tokens(self.tokenizer))
            self.prefix = model.ref.target_token + " "
        self._eos = config.eos_token_id
        self._start = config.decoder_start_token_id
        generation = getattr(self.model, "generation_config", None)
        self._forced_eos = getattr(generation, "forced_eos_token_id", None) is not None

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encoded = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True)["input_ids"]
        return [len(ids) for ids in encoded]

    def generate(self, texts: Sequence[str], max_new_tokens: int | Sequence[int]) -> list[Generated]:
        budgets = budgets_for(texts, max_new_tokens, self.max_output_tokens)
        if self.beams > 1:  # beam search depends on its length limit: one call per budget
            return per_budget(texts, budgets, lambda group, budget: self._generate(group, [budget] * len(group)))
        return self._generate(texts, budgets)

    def _generate(self, texts: Sequence[str], budgets: Sequence[int]) -> list[Generated]:
        """One generate() call with the largest budget; each output cut where its own budget ends it.

        Greedy search picks every token from what came before it only, so the cut
        output is exactly what the text gives alone with its own budget.
        """
        torch = self._torch
        batch = self.tokenizer([self.prefix + t for t in texts], return_tensors="pt", padding=True, truncation=False)
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            raise ValueError("generate() was given a text longer than the model accepts; split it first")
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode():
            out = self.model.generate(
                **batch,
                max_new_tokens=max(budgets),
                max_length=None,
                num_beams=self.beams,
                do_sample=False,
                early_stopping=self.beams > 1,
            )
        rows = out[:, 1:] if out.shape[1] and bool((out[:, 0] == self._start).all()) else out
        cut = [self._cut(row, budget) for row, budget in zip(rows.tolist(), budgets, strict=True)]
        texts_out = self.tokenizer.batch_decode([tokens for tokens, _ in cut], skip_special_tokens=True)
        return [Generated(" ".join(text.split()), hit_limit=hit) for text, (_, hit) in zip(texts_out, cut, strict=True)]

    def _cut(self, row: list[int], budget: int) -> tuple[list[int], bool]:
        """The tokens a text gets with ``budget`` new tokens, and whether it stopped at the budget."""
        for i, token in enumerate(row[:budget]):
            if token == self._eos:
                return row[: i + 1], i + 1 >= budget
        if len(row) < budget:
            return row, False
        # at the budget: the last token is the forced end of sentence, where the model has one
        return row[: budget - 1] if self._forced_eos else row[:budget], True


class TransformersBackend:
    name = "transformers"

    def compute_type(self, settings: Settings) -> str:
        device = resolve_device(settings.device)
        return check_compute_type(settings.compute_type or default_compute_type(device), device)

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        return hub.resolve(ref, offline=settings.offline)

    def load(self, model: ResolvedModel, settings: Settings) -> TransformersTranslator:
        return TransformersTranslator(model, settings, self.compute_type(settings))
