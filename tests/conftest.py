"""Shared fixtures. No test touches the network: the hub is switched off before anything imports it."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from collections.abc import Callable, Mapping  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from backtrans.testing import register_fake_backend  # noqa: E402

register_fake_backend()  # `--backend fake` in tests: production code registers no fake

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "semarang-flood"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own translation cache unless it passes one."""
    monkeypatch.setenv("BACKTRANS_CACHE", str(tmp_path / "cache.sqlite3"))
    monkeypatch.setenv("BACKTRANS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BACKTRANS_NO_CACHE", raising=False)
    monkeypatch.delenv("BACKTRANS_BACKEND", raising=False)


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture
def write_article(tmp_path: Path) -> Callable[..., Path]:
    """Write an article folder: ``write_article("a1", {"id.txt": "...", "en.txt": "..."})``."""

    def write(name: str, files: Mapping[str, str | bytes], root: Path | None = None) -> Path:
        folder = (root or tmp_path) / name
        folder.mkdir(parents=True, exist_ok=True)
        for filename, content in files.items():
            path = folder / filename
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny random-weight MarianMT folders, built once per session through the real save/load path."""
    from backtrans.testing import build_tiny_marian

    root = tmp_path_factory.mktemp("tiny-models")
    n = 256  # long enough that no example segment needs splitting (the "short" model tests that)
    return {
        "en-id": build_tiny_marian(root / "en-id", seed=1, max_positions=n),
        "zh-en": build_tiny_marian(root / "zh-en", seed=2, max_positions=n, target_lang="en"),
        "ja-en": build_tiny_marian(root / "ja-en", seed=3, max_positions=n, target_lang="en"),
        "ar-en": build_tiny_marian(root / "ar-en", seed=4, max_positions=n, target_lang="en"),
        "fr-ms": build_tiny_marian(root / "fr-ms", seed=5, max_positions=n, target_tokens=(">>ind<<", ">>zsm_Latn<<")),
        "short": build_tiny_marian(root / "short", seed=6, max_positions=12),
    }


@pytest.fixture
def tiny_overrides(tiny_models: dict[str, Path]) -> list[str]:
    """``--model`` values that route every example language through tiny models."""
    en_id = tiny_models["en-id"]
    return [
        f"en={en_id}",
        f"fr={tiny_models['fr-ms']}@>>ind<<",
        f"zh={tiny_models['zh-en']},{en_id}",
        f"ja={tiny_models['ja-en']},{en_id}",
        f"ar={tiny_models['ar-en']},{en_id}",
    ]


@pytest.fixture(scope="session")
def tiny_encoders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny random-weight sentence encoders in the sentence-transformers layout, built once per session."""
    from backtrans.testing import build_tiny_encoder

    root = tmp_path_factory.mktemp("tiny-encoders")
    return {
        "labse": build_tiny_encoder(root / "labse", pooling="cls", seed=1),
        "minilm": build_tiny_encoder(root / "minilm", pooling="mean", seed=2),
        "short": build_tiny_encoder(root / "short", pooling="mean", seed=3, max_seq_length=8),
    }
