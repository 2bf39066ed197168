"""Output folders that change as a whole: a reader of ``--out`` sees one run's files, never a mix.

:class:`OutputFolder` stages every file of a run in a fresh folder next to
``--out`` (``.<name>.staging-<pid>-<random>``) and, when the run has written
everything, swaps it in: one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux,
elsewhere two renames. Then the previous content is removed. A run that fails
or is interrupted removes its staging folder and leaves ``--out`` as it was; a
run that is killed leaves a staging folder behind, which the next run on the
same ``--out`` removes (it belongs to a process that no longer exists), and if
it was killed between the two renames, the next run puts the previous folder
back first.

Because ``--out`` is replaced as a whole, it must be new, empty, or a folder
backtrans wrote (it holds :data:`MARKER`, or only names backtrans writes):
anything else is refused rather than deleted.

The staging folder is a plain folder (:attr:`OutputFolder.path`), so a writer
that streams files as they finish can write into it the same way; nothing is
visible in ``--out`` before :meth:`OutputFolder.commit`.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import sys
from pathlib import Path
from types import TracebackType

from .._version import __version__
from ..errors import InputError, OutputError
from .fileio import shown, write_atomic
from .lock import OutLock, held

#: written into every output folder; lists the files of the run
MARKER = ".backtrans-output.json"
#: names a folder written by an earlier backtrans (before the marker) may hold, besides ``.*.tmp`` leftovers
KNOWN_NAMES = frozenset(
    {"report.json", "segments.csv", "report.md", "report.html", "index.html", "articles", "back", MARKER, ".DS_Store"}
    | {"articles.jsonl"}
    | {"compare.json", "compare.md", "compare.html"}
)
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>staging|old)-(?P<pid>\d+)-[0-9a-f]+$")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def output_problem(error: OSError, path: Path, out: Path) -> OutputError:
    """One line that names the path and says what to do; the old reports are always intact."""
    where = shown(path)
    intact = f"the reports already in {shown(out)} are unchanged"
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        return OutputError(f"no space left on the disk while writing {where}; free space and rerun ({intact})")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"cannot write {where} ({error.strerror}); give --out a folder in a place you can write "
            f"(backtrans also writes next to --out, then swaps the folder in; {intact})"
        )
    return OutputError(f"cannot write {where} ({error.strerror or error}); check the path and the disk ({intact})")


def check_out(out: Path, cache: Path | None = None) -> None:
    """Refuse an ``--out`` that cannot be replaced as a whole (or that holds ``cache``), before any work."""
    out = Path(out)
    if cache is not None and cache.absolute().is_relative_to(out.absolute()):
        raise InputError(
            f"the translation cache {shown(cache)} is inside --out {shown(out)}, which is replaced as a whole; "
            "keep the cache elsewhere (--cache PATH)"
        )
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {shown(out)} is a file, not a folder; give the path of a folder for the reports")
    if out.is_dir():
        try:
            names = os.listdir(out)
        except OSError as exc:
            raise output_problem(exc, out, out) from None
        ours = KNOWN_NAMES | _listed(out / MARKER)
        foreign = sorted(n for n in names if n not in ours and not (n[:1] == "." and n.endswith(".tmp")))
        if foreign:
            raise InputError(
                f"--out {shown(out)} holds files backtrans did not write (e.g. {shown(foreign[0])}); "
                "backtrans replaces --out as a whole: give a new or empty folder, or one it wrote before"
            )
    parent = _existing_parent(out)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write in {shown(parent)} (permission denied); give --out a folder in a place you can write "
            "(backtrans writes next to --out, then swaps the folder in)"
        )


def _listed(marker: Path) -> set[str]:
    """The top-level names a run's manifest lists (empty when there is none)."""
    try:
        listed = json.loads(marker.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError, RecursionError):
        return set()
    return {Path(name).parts[0] for name in listed if isinstance(name, str) and name}


def _existing_parent(out: Path) -> Path:
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def recover(out: Path) -> None:
    """Clean up after killed runs on ``out``: put a set-aside folder back, remove dead staging folders."""
    out = Path(out).absolute()
    parent = out.parent
    if not parent.is_dir():
        return
    leftovers = []
    for entry in parent.iterdir():
        match = _LEFTOVER.match(entry.name)
        if match and match["name"] == out.name and not _alive(int(match["pid"])):
            leftovers.append((match["kind"], entry))
    for kind, entry in sorted(leftovers, key=lambda item: item[0] != "old"):
        if kind == "old" and not out.exists():
            os.replace(entry, out)  # killed between the two renames: the previous reports come back
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a file system without exchange
    raise OSError(code, os.strerror(code), str(b))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class OutputFolder:
    """Stage a run's files next to ``out`` and swap them in as a whole (a context manager).

    ``keep_existing``: start from a copy (hard links) of what ``out`` holds, so
    that re-rendering some reports of a run keeps its other files.
    """

    def __init__(self, out: Path, *, keep_existing: bool = False) -> None:
        out = Path(out)
        self.given = out
        self.out = out.resolve() if out.is_symlink() else out.absolute()  # a link keeps pointing at the reports
        self.keep_existing = keep_existing
        self.files: list[str] = []
        self.path = self.out.parent / f".{self.out.name}.staging-{os.getpid()}-{secrets.token_hex(4)}"
        self._lock: OutLock | None = None

    def __enter__(self) -> OutputFolder:
        check_out(self.out)
        if not held(self.out):  # a run holds it from its journal on; `report` and `compare` take it here
            try:
                self._lock = OutLock(self.out).acquire()
            except OSError as exc:
                raise output_problem(exc, Path(exc.filename or self.out), self.out) from None
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            recover(self.out)
            if self.keep_existing and self.out.is_dir():
                shutil.copytree(self.out, self.path, copy_function=_link_or_copy)
                self.files = [str(p.relative_to(self.path)) for p in self.path.rglob("*") if p.is_file()]
            else:
                self.path.mkdir()
        except OSError as exc:
            self.discard()
            self._release()
            raise output_problem(exc, Path(exc.filename or self.path), self.out) from None
        return self

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def write(self, relative: str | Path, data: str | bytes) -> Path:
        """Write one file of the run (``relative`` to the folder); returns its staged path."""
        target = self.path / relative
        if not target.resolve().is_relative_to(self.path.resolve()):
            raise ValueError(f"{relative} is outside the output folder")
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise output_problem(exc, self.out / relative, self.out) from None
        self.files.append(str(Path(relative)))
        return target

    def final(self, staged: Path) -> Path:
        """Where a staged file will be once the folder is swapped in (under ``out`` as it was given)."""
        return self.given / Path(staged).relative_to(self.path)

    def commit(self) -> None:
        """Swap the staged folder in; then remove what ``out`` held before."""
        manifest = {"tool": "backtrans", "version": __version__, "files": sorted(set(self.files) - {MARKER})}
        try:
            check_out(self.out)  # nothing foreign has appeared in it meanwhile (it would be removed)
        except BaseException:
            self.discard()
            raise
        try:
            write_atomic(self.path / MARKER, json.dumps(manifest, ensure_ascii=False, indent=0) + "\n")
            _fsync_dir(self.path)
            if not self.out.exists():
                os.rename(self.path, self.out)
            elif _exchange(self.path, self.out):
                shutil.rmtree(self.path, ignore_errors=True)  # now the previous content
            else:
                aside = self.out.parent / f".{self.out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
                os.rename(self.out, aside)
                os.rename(self.path, self.out)
                shutil.rmtree(aside, ignore_errors=True)
            _fsync_dir(self.out.parent)
        except OSError as exc:
            self.discard()
            raise output_problem(exc, self.out, self.out) from None

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.commit()
                return
            self.discard()
        finally:
            self._release()
        if isinstance(error, OSError) and not isinstance(error, OutputError):
            raise output_problem(error, self._shown_target(error.filename), self.out) from None

    def _shown_target(self, filename: object) -> Path:
        """The final path a failed write was meant for (not its temporary name in the staging folder)."""
        if not isinstance(filename, str | bytes | os.PathLike):
            return self.out
        path = Path(os.fsdecode(filename))
        if not path.is_relative_to(self.path):
            return path
        relative = path.relative_to(self.path)
        temporary = re.fullmatch(r"\.(.+)\.[^.]+\.tmp", relative.name)
        return self.out / relative.parent / (temporary[1] if temporary else relative.name)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
