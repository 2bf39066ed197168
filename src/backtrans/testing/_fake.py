"""A fake backend for tests of the logic around translation (planning, caching, scoring).

:func:`register_fake_backend` registers it through the real registry under the name
``fake`` (production code never does). A fake
"translation" looks a text up in a table and otherwise returns it unchanged
(prefixed with the model name when ``tag`` is set), counts words as tokens,
and records every load and every batch so tests can count them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..config import Settings
from ..errors import TranslationError
from ..translate.backends import register_backend
from ..translate.backends.base import Generated, ResolvedModel
from ..types import ModelRef


@dataclass
class FakeLog:
    """What a fake backend was asked to do."""

    loads: list[str] = field(default_factory=list)
    batches: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def translated(self) -> list[str]:
        return [text for _, batch in self.batches for text in batch]


class FakeTranslator:
    def __init__(self, backend: FakeBackend, ref: ModelRef) -> None:
        self.backend = backend
        self.ref = ref
        self.max_input_tokens = backend.max_input_tokens
        self.max_output_tokens = backend.max_input_tokens * 4

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        overhead = 1 + (1 if self.ref.target_token else 0)
        return [max(len(t.split()), 1 if t else 0) + overhead for t in texts]

    def generate(self, texts: Sequence[str], max_new_tokens: int | Sequence[int]) -> list[Generated]:
        backend = self.backend
        if backend.fail_after is not None and len(backend.log.batches) >= backend.fail_after:
            raise TranslationError(f"fake failure after {backend.fail_after} batches")
        if any(n > self.max_input_tokens for n in self.count_tokens(texts)):
            raise ValueError("fake model given a text longer than it accepts")
        backend.log.batches.append((self.ref.name, tuple(texts)))
        out = []
        for text in texts:
            translated = backend.translate(self.ref, text)
            out.append(Generated(translated))
        return out


class FakeBackend:
    """Deterministic stand-in for a real backend."""

    name = "fake"

    def __init__(
        self,
        table: Mapping[str, str] | None = None,
        *,
        tag: bool = False,
        max_input_tokens: int = 512,
        fail_after: int | None = None,
        function: Callable[[ModelRef, str], str] | None = None,
    ) -> None:
        self.table = dict(table or {})
        self.tag = tag
        self.max_input_tokens = max_input_tokens
        self.fail_after = fail_after
        self.function = function
        self.log = FakeLog()

    def translate(self, ref: ModelRef, text: str) -> str:
        if self.function is not None:
            return self.function(ref, text)
        if text in self.table:
            return self.table[text]
        return f"[{ref.name}] {text}" if self.tag else text

    def compute_type(self, settings: Settings) -> str:
        return "exact"

    def resolve(self, ref: ModelRef, settings: Settings) -> ResolvedModel:
        return ResolvedModel(ref, None, "fake", "fake")

    def load(self, model: ResolvedModel, settings: Settings) -> FakeTranslator:
        self.log.loads.append(model.ref.name)
        return FakeTranslator(self, model.ref)


def register_fake_backend(name: str = "fake") -> None:
    """Make ``--backend fake`` (and ``get_backend("fake")``) give a fresh :class:`FakeBackend`."""
    register_backend(name, FakeBackend)
