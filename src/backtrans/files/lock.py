"""One writer per ``--out``: an exclusive lock on the output folder and its journal for a whole run.

Two runs writing the same ``--out`` at once would mix their articles in the journal and their files in
the folder. So a run takes an exclusive :func:`fcntl.flock` on ``.<out>.lock`` next to ``--out`` before
it reads the journal or touches the folder, and holds it until the reports are in place. The lock
belongs to the open file: a process that ends, however (exit, crash, ``kill -9``), releases it. The
file records who holds it (pid, host, start time), so a second run fails at once with
:class:`OutputBusyError`, naming the holder. The file is removed when the lock is released (a process
killed while holding it leaves an empty, unlocked file, which the next run takes over).

Where ``fcntl`` does not exist (Windows), runs are not locked.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import socket
from pathlib import Path
from types import TracebackType

from ..errors import BacktransError
from .fileio import shown

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


class OutputBusyError(BacktransError):
    """Another run holds ``--out`` (and its journal); this one changed nothing."""

    exit_code = 1


#: lock files held by this process (a second lock on one of them from this process is refused too)
_HELD: dict[str, OutLock] = {}


def lock_path(out: Path) -> Path:
    """The lock file of an output folder: ``.<name>.lock`` next to it (a link: next to its target)."""
    out = Path(out)
    out = out.resolve() if out.is_symlink() else Path(os.path.abspath(out))
    return out.parent / f".{out.name}.lock"


def held(out: Path) -> bool:
    """Whether this process holds the lock of ``out``."""
    return str(lock_path(out)) in _HELD


def _holder(path: Path) -> str:
    """Who holds a lock, as its file says (pid, host, start time), for the message."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {int(data['pid'])} on {data['host']}, started {data['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder not recorded yet"


class OutLock:
    """The exclusive lock of one output folder (a context manager)."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.path = lock_path(out)
        self._fd: int | None = None

    def acquire(self) -> OutLock:
        """Take the lock, or raise :class:`OutputBusyError` at once (never wait)."""
        if fcntl is None:
            return self
        key = str(self.path)
        if key in _HELD:
            raise self._busy(f"pid {os.getpid()}, this process")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise self._busy(_holder(self.path)) from None
            except BaseException:
                os.close(fd)
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the holder removed the file as we opened it: lock the new one
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
            "out": str(self.out),
        }
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(record) + "\n").encode("utf-8"))
        self._fd = fd
        _HELD[key] = self
        return self

    def _busy(self, holder: str) -> OutputBusyError:
        return OutputBusyError(
            f"--out {shown(self.out)} is in use by another backtrans run ({holder}; lock {shown(self.path)}); "
            "wait for it to finish, or give this run another --out"
        )

    def release(self) -> None:
        """Let the lock go (and remove its file); nothing when it is not held."""
        if self._fd is None:
            return
        _HELD.pop(str(self.path), None)
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # while still locked: a run that opened it meanwhile sees it gone and retries
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutLock:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
