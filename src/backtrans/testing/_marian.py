"""Helpers for tests (ours and users'): tiny MarianMT models built locally, no network.

:func:`build_tiny_marian` trains a small sentencepiece vocabulary, builds a
MarianMT model with tiny dimensions and random weights, and saves model and
tokenizer so that ``from_pretrained(folder)`` loads them through the real code
path. With ``copy_steps`` the model is also trained for a few hundred steps to
copy its input, so that its "translations" really follow what it is given.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: Sentences in the six languages of the newsroom; the default training text of tiny vocabularies.
SAMPLE_SENTENCES: tuple[str, ...] = (
    "JAKARTA - Komisi Pemberantasan Korupsi masih memeriksa pihak yang terjerat operasi tangkap tangan.",
    "Pemerintah kota menyiapkan anggaran Rp1,2 triliun untuk menangani banjir di kawasan pesisir.",
    "Warga diminta bersabar karena pemeriksaan masih berlangsung selama 1x24 jam.",
    "Kerugian ekonomi ditaksir mencapai Rp350 miliar, kata Kepala BPBD kepada wartawan.",
    "The commission is still questioning the people caught in the sting operation.",
    "More than 40,000 residents are affected every rainy season, the mayor said on Tuesday.",
    "La commission examine toujours les personnes arrêtées lors de l'opération.",
    "Plus de 40 000 habitants sont touchés à chaque saison des pluies, a déclaré la maire.",
    "肃贪委员会仍在调查在突击行动中被捕的人员。",
    "每逢雨季，都有超过4万名居民受灾。",
    "汚職撲滅委員会は、逮捕された当事者をまだ調査中です。",
    "雨季のたびに4万人以上の住民が被害を受けている。",
    "لا تزال لجنة القضاء على الفساد تحقق مع الأشخاص الذين تم القبض عليهم.",
    "يتضرر أكثر من 40 ألف ساكن في كل موسم أمطار.",
)


def _train_spm(texts: Sequence[str], vocab_size: int | None) -> bytes:
    import sentencepiece as spm

    chars = {c for t in texts for c in t if not c.isspace()}
    minimum = len(chars) + 256 + 8
    size = max(vocab_size or 0, minimum + 64)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts) * 4),
        model_writer=buffer,
        vocab_size=size,
        character_coverage=1.0,
        byte_fallback=True,
        model_type="unigram",
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=1,
    )
    return buffer.getvalue()


def build_tiny_marian(
    folder: str | Path,
    *,
    texts: Iterable[str] | None = None,
    target_tokens: Sequence[str] = (),
    vocab_size: int | None = None,
    d_model: int = 16,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 32,
    max_positions: int = 64,
    seed: int = 0,
    init_std: float = 0.5,
    copy_steps: int = 0,
    vocab_entries: int | None = None,
    source_lang: str = "xx",
    target_lang: str = "id",
) -> Path:
    """Build and save a tiny MarianMT model + tokenizer in ``folder``; returns the folder.

    ``target_tokens`` (e.g. ``(">>ind<<",)``) makes it a multi-target model;
    ``max_positions`` is the model's length limit (small values exercise
    splitting); ``copy_steps`` > 0 trains it to copy its input;
    ``vocab_entries`` pads the vocabulary with unused entries to a real
    model's size (54,796 for OPUS-MT), which sets the cost of its output layer.
    """
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = list(texts) if texts is not None else list(SAMPLE_SENTENCES)
    model_proto = _train_spm(corpus, vocab_size)
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(model_proto)
    processor = spm.SentencePieceProcessor(model_proto=model_proto)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for i in range(processor.get_piece_size()):
        piece = processor.id_to_piece(i)
        if piece not in vocab:
            vocab[piece] = len(vocab)
    for token in target_tokens:
        vocab.setdefault(token, len(vocab))
    while vocab_entries is not None and len(vocab) < vocab_entries - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    pad = vocab["<pad>"]
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    banned = [[pad]] + [[i] for p, i in vocab.items() if p.startswith("<0x") or p in target_tokens]

    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        init_std=init_std,
        dropout=0.0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang=source_lang,
        target_lang=target_lang,
        model_max_length=max_positions,
    )
    if copy_steps:
        _train_to_copy(model, tokenizer, corpus, copy_steps, seed, target_tokens)
    model.eval()
    model.generation_config = GenerationConfig(
        bad_words_ids=banned,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=pad,
        max_length=max_positions,
        num_beams=1,
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _train_to_copy(
    model: Any, tokenizer: Any, corpus: Sequence[str], steps: int, seed: int, target_tokens: Sequence[str]
) -> None:
    """Teach the model to reproduce its input (a few hundred Adam steps on the corpus)."""
    import random

    import torch

    rng = random.Random(seed)
    prefix = (target_tokens[0] + " ") if target_tokens else ""
    limit = model.config.max_position_embeddings - 2
    fitting = [t for t in corpus if len(tokenizer(prefix + t)["input_ids"]) <= limit]
    if not fitting:
        raise ValueError("no training sentence fits the model's max_positions")
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(steps):
        batch = rng.sample(fitting, min(16, len(fitting)))
        inputs = tokenizer([prefix + t for t in batch], return_tensors="pt", padding=True)
        labels = tokenizer(text_target=batch, return_tensors="pt", padding=True)["input_ids"]
        labels[labels == tokenizer.pad_token_id] = -100
        loss = model(**inputs, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
