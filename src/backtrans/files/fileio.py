"""Small file helpers: atomic writes and safe file names derived from untrusted ids."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_name(name: str, max_length: int = 60) -> str:
    """A file name made from an untrusted id: no path separators, no traversal, no collisions.

    Names that are already safe are kept as they are; any other name becomes a
    readable ASCII slug plus a short hash of the original, so two different ids
    never share a file.
    """
    if (
        name
        and len(name) <= max_length
        and re.fullmatch(r"[A-Za-z0-9._-]+", name)
        and not name.startswith((".", "-"))
        and name.lower().split(".")[0] not in _RESERVED
    ):
        return name
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_form).strip(".-_")[: max_length - 9] or "article"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


#: escaped in one-line messages: control characters, line separators, and bidi controls (a right-to-left
#: override in a file name would show the rest of the message reversed on a terminal)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


#: control characters an article text may hold that a page or a spreadsheet would act on (an ESC starts a
#: terminal sequence) or hide; tab and line breaks are text
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: characters that show nothing: a text made only of them (and white space) is empty
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Unicode control pictures
    return "\u2421" if code == 0x7F else f"\\x{code:02x}"


def visible_controls(text: str) -> str:
    """Text for a report: control characters (ESC, NUL, C1 controls) shown as symbols, never passed raw."""
    return _CONTROLS.sub(_picture, text)


def blank(text: str) -> bool:
    """Whether a text shows nothing: only white space, control and zero-width characters."""
    return not _CONTROLS.sub("", text.translate({ord(c): None for c in INVISIBLE})).strip()


def shown(path: str | bytes | os.PathLike[str]) -> str:
    """A path or file name as text that can always be printed and written on one line.

    Bytes that are not UTF-8 (Python keeps them as lone surrogates) appear as
    ``\\xNN``, control characters and line separators as ``\\xNN`` / ``\\uNNNN``.
    """
    text = os.fsdecode(path)
    with contextlib.suppress(UnicodeEncodeError):  # (a lone surrogate that is not an escaped byte: below)
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    return one_line(text)


def one_line(text: str) -> str:
    """Text for a one-line message: line breaks, control and bidi characters escaped, lone surrogates too."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def encode_text(data: str) -> bytes:
    """UTF-8 bytes of text to write. Texts are checked when loaded; should anything else (a name, a
    message) hold a lone surrogate, it is written visibly as ``\\udXXX`` instead of failing the write."""
    return data.encode("utf-8", "backslashreplace")


def read_json_object(path: Path) -> dict[str, Any]:
    """A JSON object from a file, or ``{}`` when the file is missing, unreadable or not an object."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _default_mode() -> int:
    """0o666 minus the process umask: what open() would have given the file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _default_mode()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = encode_text(data) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_files(out: Path, files: Mapping[str, str]) -> list[Path]:
    """Write each ``name → text`` into the folder ``out`` (atomically, one by one); returns the paths written."""
    written = []
    for name, content in files.items():
        path = Path(out) / name
        write_atomic(path, content)
        written.append(path)
    return written
