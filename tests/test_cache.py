"""The SQLite translation cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtrans.errors import CacheError
from backtrans.translate.cache import NullCache, TranslationCache, model_key


def test_round_trip_and_keying(tmp_path: Path) -> None:
    """Entries are found by model key and text; another key sees nothing."""
    cache = TranslationCache(tmp_path / "c.sqlite3")
    key_a = model_key(model="a", revision="1")
    key_b = model_key(model="a", revision="2")
    cache.put_many(key_a, "a", {"Halo.": ("Hello.", False), "Dua.": ("Two.", True)})
    assert cache.get_many(key_a, ["Halo.", "Dua.", "Tiga."]) == {"Halo.": ("Hello.", False), "Dua.": ("Two.", True)}
    assert cache.get_many(key_b, ["Halo."]) == {}
    cache.close()
    reopened = TranslationCache(tmp_path / "c.sqlite3")
    assert reopened.count() == 2


def test_many_lookups_are_chunked(tmp_path: Path) -> None:
    """More texts than SQLite's variable limit are looked up in chunks."""
    cache = TranslationCache(tmp_path / "c.sqlite3")
    texts = {f"t{i}": (f"o{i}", False) for i in range(2500)}
    cache.put_many("k", "m", texts)
    assert len(cache.get_many("k", list(texts))) == 2500


def test_unwritable_cache_is_a_cache_error(tmp_path: Path) -> None:
    """A cache path that cannot be a database gives a CacheError that suggests --no-cache."""
    folder = tmp_path / "dir.sqlite3"
    folder.mkdir()
    with pytest.raises(CacheError, match="--no-cache"):
        TranslationCache(folder)


def test_model_key_is_order_independent() -> None:
    """Keys do not depend on the order the parts are given in."""
    assert model_key(a=1, b=2) == model_key(b=2, a=1)
    assert NullCache().get_many("k", ["x"]) == {}
