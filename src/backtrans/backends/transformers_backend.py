"""MarianMT (OPUS-MT) through Hugging Face transformers on torch.

torch and transformers are imported only when a model is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ModelUnavailableError, NoRouteError
from ..types import ModelRef
from . import Generated, ResolvedModel, hub

if TYPE_CHECKING:
    from ..config import Settings


def _quiet_transformers() -> None:
    """No progress bars or advice on stderr from transformers and the hub client."""
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import transformers
    from huggingface_hub.utils import disable_progress_bars

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    disable_progress_bars()


def pick_device(requested: str) -> str:
    import torch

    if requested == "cuda":
        if not torch.cuda.is_available():
            raise ModelUnavailableError("--device cuda was asked for but torch sees no CUDA device; use --device cpu")
        return "cuda"
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return "cpu"


def supported_target_tokens(tokenizer: Any) -> list[str]:
    codes = getattr(tokenizer, "supported_language_codes", None)
    if codes is not None:
        return list(codes)
    vocab = tokenizer.get_vocab()
    return sorted(tok for tok in vocab if tok.startswith(">>") and tok.endswith("<<"))


class TransformersTranslator:
    """A loaded seq2seq model (MarianMT) with its tokenizer."""

    def __init__(self, model: ResolvedModel, settings: Settings) -> None:
        _quiet_transformers()
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
        self.model.to(self.device)
        self.beams = settings.beams
        config = self.model.config
        positions = int(getattr(config, "max_position_embeddings", 512) or 512)
        tokenizer_limit = int(getattr(self.tokenizer, "model_max_length", positions) or positions)
        if tokenizer_limit > 100_000:  # "no limit" sentinel of tokenizers without one
            tokenizer_limit = positions
        self.max_input_tokens = min(positions, tokenizer_limit)
        self.max_output_tokens = positions - 1  # the decoder start token takes one position
        self.prefix = ""
        if model.ref.target_token:
            known = supported_target_tokens(self.tokenizer)
            if model.ref.target_token not in known:
                raise NoRouteError(
                    f"model {model.ref.name} does not know the target token {model.ref.target_token}; "
                    f"it knows: {', '.join(known[:20]) or 'none (it is not a multi-target model)'}"
                )
            self.prefix = model.ref.target_token + " "
        self._eos = config.eos_token_id
        self._start = config.decoder_start_token_id
        self._pad = config.pad_token_id

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encoded = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True)["input_ids"]
        return [len(ids) for ids in encoded]

    def generate(self, texts: Sequence[str], max_new_tokens: int) -> list[Generated]:
        torch = self._torch
        batch = self.tokenizer([self.prefix + t for t in texts], return_tensors="pt", padding=True, truncation=False)
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            raise ValueError("generate() was given a text longer than the model accepts; split it first")
        batch = {k: v.to(self.device) for k, v in batch.items()}
        max_new_tokens = max(1, min(max_new_tokens, self.max_output_tokens))
        with torch.inference_mode():
            out = self.model.generate(
                **batch,
                max_new_tokens=max_new_tokens,
                max_length=None,
                num_beams=self.beams,
                do_sample=False,
                early_stopping=self.beams > 1,
            )
        rows = out[:, 1:] if out.shape[1] and bool((out[:, 0] == self._start).all()) else out
        texts_out = self.tokenizer.batch_decode(rows, skip_special_tokens=True)
        results = []
        for row, text in zip(rows.tolist(), texts_out, strict=True):
            length = len(row)
            for i, token in enumerate(row):
                if token == self._eos:
                    length = i + 1
                    break
            results.append(Generated(" ".join(text.split()), hit_limit=length >= max_new_tokens))
        return results


class TransformersBackend:
    name = "transformers"

    def compute_type(self, settings: Settings) -> str:
        return "float32"

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        return hub.resolve(ref, offline=settings.offline)

    def load(self, model: ResolvedModel, settings: Settings) -> TransformersTranslator:
        return TransformersTranslator(model, settings)
