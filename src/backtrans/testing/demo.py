"""``backtrans demo``: tiny MarianMT models, built once, that let ``run`` go through its real path offline.

The models have random weights (:func:`~backtrans.testing.marian.build_tiny_marian`): what they
"translate" is noise, so every score and flag of a demo run is meaningless. What the demo shows is that
``run`` works end to end on this machine (segmenting, the translation cache, batching, scoring, the
reports) without the hub. The models are built into ``<state dir>/demo-models`` the first time (a few
seconds) and reused afterwards; a model folder appears only once it is complete.

Importing this module imports no ML library.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..config import state_dir

#: bump when the models built here change, so that an old build is not reused
DEMO_VERSION = 1
#: name → how it is built: (seed, target language, multi-target tokens)
_MODELS: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "en-id": (1, "id", ()),
    "zh-en": (2, "en", ()),
    "ja-en": (3, "en", ()),
    "ar-en": (4, "en", ()),
    "fr-ms": (5, "id", (">>ind<<", ">>zsm_Latn<<")),
}


def demo_folder() -> Path:
    """Where the demo's models live (under the folder of the translation cache)."""
    return state_dir() / "demo-models" / f"v{DEMO_VERSION}"


def demo_models(folder: Path | None = None) -> tuple[dict[str, Path], bool]:
    """The demo's model folders (built now where missing) and whether any was built now."""
    folder = folder or demo_folder()
    built = False
    paths: dict[str, Path] = {}
    for name, (seed, target, tokens) in _MODELS.items():
        path = paths[name] = folder / name
        if path.is_dir():
            continue
        from ._marian import build_tiny_marian

        partial = folder / f".{name}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        build_tiny_marian(partial, seed=seed, max_positions=64, target_lang=target, target_tokens=tokens)
        try:
            partial.rename(path)
        except OSError:  # another demo built it meanwhile
            shutil.rmtree(partial, ignore_errors=True)
            if not path.is_dir():
                raise
        built = True
    return paths, built


def model_overrides(paths: dict[str, Path]) -> list[str]:
    """``--model`` values that route each of the example's languages through the demo's models."""
    en_id = paths["en-id"]
    return [
        f"en={en_id}",
        f"fr={paths['fr-ms']}@>>ind<<",
        f"zh={paths['zh-en']},{en_id}",
        f"ja={paths['ja-en']},{en_id}",
        f"ar={paths['ar-en']},{en_id}",
    ]


def bundled_example() -> Path | None:
    """The example article of a clone (``examples/semarang-flood``); None where the package was installed
    without it."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "semarang-flood"
        if candidate.is_dir():
            return candidate
    return None
