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


@pytest.mark.parametrize(
    ("output", "hit"),
    [(b"Warga mengungsi.", 0), (42, 0), ("Warga mengungsi.", "yes"), ("Warga mengungsi.", 7), (None, 0)],
    ids=["blob-output", "integer-output", "text-hit-limit", "hit-limit-7", "null-output"],
)
def test_a_damaged_row_counts_as_missing_and_is_replaced(tmp_path: Path, output: object, hit: object) -> None:
    """Issue 23, C2: a row whose output is not text, or whose hit_limit is not 0/1, is not returned (it is
    translated again, and the new row replaces it), never an internal error or a wrong result."""
    import sqlite3

    from backtrans.translate.cache import entry_key

    path = tmp_path / "c.sqlite3"
    db = sqlite3.connect(path)  # a cache file written by something else: columns without types
    db.execute("CREATE TABLE translations (key PRIMARY KEY, model, output, hit_limit, created)")
    db.execute("CREATE TABLE meta (name PRIMARY KEY, value)")
    db.execute("INSERT INTO meta VALUES ('schema', '1')")
    rows = [(entry_key("m", "a"), "m", output, hit, 0.0), (entry_key("m", "b"), "m", "Air naik.", 1, 0.0)]
    db.executemany("INSERT INTO translations VALUES (?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    cache = TranslationCache(path)
    assert cache.get_many("m", ["a", "b"]) == {"b": ("Air naik.", True)}
    cache.put_many("m", "m", {"a": ("Warga mengungsi.", False)})
    assert cache.get_many("m", ["a", "b"]) == {"a": ("Warga mengungsi.", False), "b": ("Air naik.", True)}


def test_a_run_over_a_damaged_cache_row_translates_it_again(
    example_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    """The CLI path: every cached output made a BLOB, the rerun translates again and writes the same report."""
    import json
    import sqlite3

    from backtrans.cli.commands import main

    monkeypatch.setenv("BACKTRANS_BACKEND", "fake")
    cache = tmp_path / "c.sqlite3"

    def run(out: Path) -> dict:  # type: ignore[type-arg]
        args = ["run", str(example_dir), "--out", str(out), "--cache", str(cache), "--format", "json", "-q"]
        with pytest.raises(SystemExit) as info:
            main([*args, "--bootstrap", "0"])
        assert info.value.code == 0, capsys.readouterr().err
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return {k: v for k, v in report.items() if k not in ("created", "costs")}

    first = run(tmp_path / "one")
    db = sqlite3.connect(cache)
    assert db.execute("UPDATE translations SET output = CAST(output AS BLOB)").rowcount > 0
    db.commit()
    db.close()
    assert run(tmp_path / "two") == first
