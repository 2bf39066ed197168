"""Helpers for tests (ours and users'): tiny models built locally and a fake backend, no network.

* :func:`build_tiny_marian` builds a tiny MarianMT model + tokenizer in a folder
  that ``from_pretrained`` loads through the real code path;
* :class:`FakeBackend` is a deterministic stand-in for a backend, for tests of
  the logic around translation; :func:`register_fake_backend` registers it;
* :func:`build_tiny_encoder` builds a tiny sentence encoder in the
  sentence-transformers layout (LaBSE's pooling or the multilingual MiniLM's),
  loaded by ``--semantic-model FOLDER`` through the real path;
  :class:`FakeEncoderBackend` gives texts fixed vectors by meaning.
* ``demo`` builds the models of ``backtrans demo`` once (tiny and random: for trying ``run``
  offline, never for numbers); the CLI imports it, the one module of this package the rest may import.

Tests import these names from here, and :mod:`.degrade` (a worse copy of an article folder) from its module;
``_marian``, ``_encoder`` and ``_fake`` are private. Importing this package imports no ML library.
"""

from __future__ import annotations

from ._encoder import FakeEncoderBackend, build_tiny_encoder, meaning_vector
from ._fake import FakeBackend, FakeLog, FakeTranslator, register_fake_backend
from ._marian import SAMPLE_SENTENCES, build_tiny_marian

__all__ = [
    "SAMPLE_SENTENCES",
    "FakeBackend",
    "FakeEncoderBackend",
    "FakeLog",
    "FakeTranslator",
    "build_tiny_encoder",
    "build_tiny_marian",
    "meaning_vector",
    "register_fake_backend",
]
