"""Sentence encoders for tests: a tiny real one saved like sentence-transformers saves it, and a fake.

:func:`build_tiny_encoder` writes a BERT model with tiny dimensions and random
weights, a WordPiece vocabulary of the sample sentences, and the
sentence-transformers module files (``modules.json``, ``1_Pooling``,
``2_Dense``, ``sentence_bert_config.json``), so ``--semantic-model FOLDER``
loads it through the real path: LaBSE's layout (CLS → dense(tanh) →
normalize) by default, the multilingual MiniLM's (mean of tokens) with
``pooling="mean"``. :class:`FakeEncoderBackend` gives each text a fixed
vector from a table of meanings, for tests of the logic around embeddings.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..config import Settings
from ..translate.backends.base import ResolvedModel
from ..types import ModelRef
from ._marian import SAMPLE_SENTENCES

_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def _vocabulary(texts: Iterable[str]) -> list[str]:
    """Specials, every lower-cased word, and every character alone and as a continuation (no [UNK])."""
    words: dict[str, None] = {}
    chars: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(text.lower()):
            words.setdefault(word)
            for char in word:
                chars.setdefault(char)
    return [*_SPECIALS, *words, *(c for c in chars if c not in words), *(f"##{c}" for c in chars)]


def build_tiny_encoder(
    folder: str | Path,
    *,
    pooling: str = "cls",
    texts: Iterable[str] | None = None,
    hidden: int = 32,
    layers: int = 1,
    heads: int = 2,
    intermediate: int = 64,
    max_positions: int = 128,
    max_seq_length: int | None = None,
    seed: int = 0,
    init_std: float = 0.5,
    vocab_entries: int | None = None,
) -> Path:
    """Build and save a tiny sentence encoder in ``folder``; returns the folder.

    ``pooling="cls"`` adds a tanh dense layer and a Normalize module (LaBSE's
    layout); ``"mean"`` pools the mean of the tokens (the multilingual
    MiniLM's). ``max_seq_length`` (small values exercise splitting) goes into
    ``sentence_bert_config.json``. With BERT's own ``init_std`` (0.02) every
    text gets nearly the same vector; 0.5 makes vectors depend on the text.
    ``vocab_entries`` pads the vocabulary to a real model's size (LaBSE
    501,153, multilingual MiniLM 250,037), which sets its memory.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if pooling not in ("cls", "mean"):
        raise ValueError("pooling is 'cls' (LaBSE's layout) or 'mean' (multilingual MiniLM's)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocabulary(list(texts) if texts is not None else SAMPLE_SENTENCES)
    vocab += [f"[unused{i}]" for i in range(len(vocab), vocab_entries or 0)]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer_config = {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": max_positions}
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer_config), encoding="utf-8")
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=intermediate,
        max_position_embeddings=max_positions,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        initializer_range=init_std,
    )
    torch.manual_seed(seed)
    BertModel(config).eval().save_pretrained(folder)
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}]
    modules.append({"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"})
    (folder / "1_Pooling").mkdir(exist_ok=True)
    pool = {f"pooling_mode_{m}": False for m in ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")}
    pool["pooling_mode_cls_token" if pooling == "cls" else "pooling_mode_mean_tokens"] = True
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": hidden, **pool}))
    if pooling == "cls":
        dense = folder / "2_Dense"
        dense.mkdir(exist_ok=True)
        activation = "torch.nn.modules.activation.Tanh"
        spec = {"in_features": hidden, "out_features": hidden, "bias": True, "activation_function": activation}
        (dense / "config.json").write_text(json.dumps(spec))
        layer = torch.nn.Linear(hidden, hidden)
        weights = {f"linear.{k}": v.contiguous() for k, v in layer.state_dict().items()}
        save_file(weights, str(dense / "model.safetensors"))
        modules.append({"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
        modules.append({"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"})
    (folder / "modules.json").write_text(json.dumps(modules, indent=1))
    limit = max_seq_length or max_positions
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": limit, "do_lower_case": False}))
    return folder


def meaning_vector(meaning: str, dimension: int = 16) -> np.ndarray:
    """A fixed unit vector for a meaning (the same meaning, the same vector)."""
    seed = int.from_bytes(hashlib.sha256(meaning.encode("utf-8")).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(dimension)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


@dataclass
class FakeEncoder:
    backend: FakeEncoderBackend
    max_input_tokens: int = 512

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 2 for t in texts]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.backend.batches.append(tuple(texts))
        return np.stack([self.backend.vector(t) for t in texts])


@dataclass
class FakeEncoderBackend:
    """A deterministic stand-in for the encoder backend: texts with the same meaning get the same vector.

    ``meanings`` maps a text to a meaning key (texts not in it are their own
    meaning); ``blend`` mixes a second meaning into a text's vector
    (``text → (other meaning, weight)``) to set a similarity between 0 and 1.
    Every load and batch is recorded.
    """

    meanings: Mapping[str, str] = field(default_factory=dict)
    blend: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    dimension: int = 16
    name: str = "fake"
    loads: int = 0
    batches: list[tuple[str, ...]] = field(default_factory=list)

    def vector(self, text: str) -> np.ndarray:
        own = meaning_vector(self.meanings.get(text, text), self.dimension)
        if text not in self.blend:
            return own
        other, weight = self.blend[text]
        mixed = (1 - weight) * own + weight * meaning_vector(other, self.dimension)
        return (mixed / np.linalg.norm(mixed)).astype(np.float32)

    def compute_type(self, settings: Settings) -> str:
        return "exact"

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        return ResolvedModel(ref, None, "fake", "fake")

    def describe(self, model: ResolvedModel) -> str:
        return "fake meanings"

    def load(self, model: ResolvedModel, settings: Settings) -> FakeEncoder:
        self.loads += 1
        return FakeEncoder(self)
