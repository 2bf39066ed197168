"""Find a model's files: a local folder, the Hugging Face cache, or (online only) a download.

Nothing here imports torch or transformers, so a fully cached run can compute
every cache key without loading a model. Offline (``--offline``,
``HF_HUB_OFFLINE=1``) and an unreachable hub both fail in seconds with a
:class:`ModelUnavailableError` that says what to do; on this kind of machine
a plain ``from_pretrained`` of a hub id without network hangs for minutes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ...config import state_dir
from ...errors import ModelUnavailableError
from ...files.fileio import read_json_object, shown, write_atomic
from ...types import ModelRef
from .base import ResolvedModel

#: Files a MarianMT folder must hold (weights: one of WEIGHT_FILES).
REQUIRED_FILES = ("config.json", "vocab.json", "source.spm", "target.spm")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
DOWNLOAD_PATTERNS = [
    "config.json",
    "generation_config.json",
    "vocab.json",
    "target_vocab.json",
    "source.spm",
    "target.spm",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "model.safetensors",
]
_HASHED_FILES = (*REQUIRED_FILES, "generation_config.json", "tokenizer_config.json", "target_vocab.json", *WEIGHT_FILES)
_folder_hashes: dict[tuple[str, tuple[tuple[object, ...], ...]], str] = {}


@dataclass(frozen=True)
class Layout:
    """One kind of model folder: the files it must hold, what to download, what decides its output."""

    required: tuple[tuple[str, ...], ...]  #: each entry: one of these files must exist
    download: tuple[str, ...]  #: allow patterns of a download (weights first tried as safetensors)
    hashed: tuple[str, ...]  #: files whose bytes make a local folder's revision
    option: str  #: how a user points at a local folder, for messages
    complete: str  #: what a complete folder is, for messages


MARIAN = Layout(
    required=(*((name,) for name in REQUIRED_FILES), WEIGHT_FILES),
    download=tuple(DOWNLOAD_PATTERNS),
    hashed=_HASHED_FILES,
    option="--model LANG=/path/to/folder",
    complete="point --model at a complete MarianMT folder (save_pretrained of model and tokenizer)",
)


def fix_hint(ref: ModelRef, layout: Layout = MARIAN) -> str:
    return f"run once with internet access to cache {ref.name}, or download it elsewhere and pass {layout.option}"


def looks_like_path(name: str) -> bool:
    """A name that can only be a folder: absolute, ``./``, ``~``, or with more than one ``/``."""
    return name.startswith(("/", "./", "../", "~", "\\")) or name.count("/") > 1 or os.sep != "/" and os.sep in name


def check_folder(path: Path, ref: ModelRef, layout: Layout = MARIAN) -> None:
    missing = [" or ".join(names) for names in layout.required if not any((path / n).is_file() for n in names)]
    if missing:
        raise ModelUnavailableError(
            f"model folder {path} (for {ref.name}) lacks {', '.join(missing)}; {layout.complete}"
        )


def _memo_file() -> Path:
    return state_dir() / "folder-revisions.json"


def folder_revision(path: Path, names: Sequence[str] = _HASHED_FILES) -> str:
    """``folder:<hash>`` of the files that decide a folder model's output.

    The hash of a 300 MB model takes a while, so it is remembered (in memory
    and in the state folder) against each file's size and modification time;
    a warm rerun then needs no model file read at all.
    """
    files = [path / name for name in names if (path / name).is_file()]
    stamp = [[str(f.relative_to(path)), f.stat().st_size, f.stat().st_mtime_ns] for f in files]
    key = str(path.resolve())
    memo_key = (key, tuple(tuple(s) for s in stamp))
    if memo_key in _folder_hashes:
        return _folder_hashes[memo_key]
    memo = read_json_object(_memo_file())
    entry = memo.get(key)
    if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("revision"), str):
        revision = str(entry["revision"])
    else:
        digest = hashlib.blake2b(digest_size=10)
        for file in files:
            digest.update(str(file.relative_to(path)).encode() + b"\0")
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        revision = f"folder:{digest.hexdigest()}"
        memo[key] = {"stamp": stamp, "revision": revision}
        with contextlib.suppress(OSError):  # a read-only state folder only costs the hash next time
            write_atomic(_memo_file(), json.dumps(memo, indent=0))
    _folder_hashes[memo_key] = revision
    return revision


def cached_snapshot(repo_id: str) -> Path | None:
    """The folder of the newest cached snapshot of a hub model, if its config is cached."""
    from huggingface_hub import try_to_load_from_cache  # the hub client is slow to import: only when asked

    try:
        found = try_to_load_from_cache(repo_id, "config.json")
    except ValueError:  # not a valid repo id, so not in the cache
        return None
    if isinstance(found, str):
        return Path(found).parent
    return None


def hub_reachable(timeout: float = 3.0) -> bool:
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    parsed = urlparse(endpoint)
    host = parsed.hostname or "huggingface.co"
    port = parsed.port or (443 if parsed.scheme != "http" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def availability(ref: ModelRef, layout: Layout = MARIAN) -> tuple[str, Path | None]:
    """Where a model is now, without network: ``("folder"|"hub-cache"|"missing"|"bad-folder", path)``."""
    path = Path(ref.name).expanduser()
    if path.is_dir():
        try:
            check_folder(path, ref, layout)
        except ModelUnavailableError:
            return "bad-folder", path
        return "folder", path
    if looks_like_path(ref.name):
        return "missing", None
    snapshot = cached_snapshot(ref.name)
    return ("hub-cache", snapshot) if snapshot else ("missing", None)


def resolve(ref: ModelRef, offline: bool, layout: Layout = MARIAN) -> ResolvedModel:
    """Find a model's files, downloading them only when online and not cached."""
    path = Path(ref.name).expanduser()
    if path.is_dir():
        check_folder(path, ref, layout)
        return ResolvedModel(ref, path.resolve(), folder_revision(path, layout.hashed), "folder")
    option = layout.option.split(" ")[0]
    if path.exists():
        raise ModelUnavailableError(
            f"model path {shown(ref.name)} is a file, not a folder; point {option} at the folder that holds "
            "the model (its config.json, tokenizer files and weights)"
        )
    if looks_like_path(ref.name):
        raise ModelUnavailableError(f"model folder {shown(ref.name)} does not exist; check the path given to {option}")
    snapshot = cached_snapshot(ref.name)
    if snapshot is not None:
        check_folder(snapshot, ref, layout)
        return ResolvedModel(ref, snapshot, snapshot.name, "hub-cache")
    if offline:
        raise ModelUnavailableError(
            f"model {ref.name} is not in the local Hugging Face cache and the run is offline; " + fix_hint(ref, layout)
        )
    if not hub_reachable():
        raise ModelUnavailableError(
            f"model {ref.name} is not cached and the Hugging Face hub cannot be reached; " + fix_hint(ref, layout)
        )
    from huggingface_hub import errors as hub_errors
    from huggingface_hub import snapshot_download

    failures = (OSError, ValueError, hub_errors.HTTPError, hub_errors.EntryNotFoundError, hub_errors.XetDownloadError)
    patterns = list(layout.download)
    try:
        folder = Path(snapshot_download(ref.name, allow_patterns=patterns))
        if not any((folder / name).is_file() for name in WEIGHT_FILES):
            folder = Path(snapshot_download(ref.name, allow_patterns=[*patterns, "pytorch_model.bin"]))
    except failures as exc:
        raise ModelUnavailableError(
            f"model {ref.name} could not be downloaded ({type(exc).__name__}: {exc}); " + fix_hint(ref, layout)
        ) from exc
    check_folder(folder, ref, layout)
    return ResolvedModel(ref, folder, folder.name, "downloaded")


def model_fingerprint(name: str) -> str:
    """A short stable digest of a model name (for file names of conversion caches)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
