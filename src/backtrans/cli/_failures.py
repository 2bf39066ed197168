"""The one boundary where an exception that escaped the library becomes an exit code and one line.

* :class:`~backtrans.errors.BacktransError`: its own exit code (1 runtime, 2 input or usage, 3 gate)
  and message, which names the file or option and says what to do;
* an :class:`OSError` that no stage turned into one (a disk that filled up, a file that vanished):
  exit 1, the path and what to check;
* :class:`MemoryError`: exit 1, and how to need less;
* anything else is a bug in backtrans: exit 1 with ``internal error`` and how to report it.

Every message is made one line (control characters and line breaks in paths or ids are escaped).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from ..errors import BacktransError
from ..files.fileio import one_line, shown

EXIT_FAILURE = 1


@dataclass(frozen=True)
class Failure:
    code: int
    message: str  #: one line, without the ``backtrans: error:`` prefix
    internal: bool = False  #: a bug, not a problem of the input or the machine

    def line(self) -> str:
        kind = "internal error" if self.internal else "error"
        return f"backtrans: {kind}: {one_line(self.message)}"


def _os_message(exc: OSError) -> str:
    where = f" ({shown(exc.filename)})" if exc.filename is not None else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the disk{where}; free space and rerun (finished translations are cached)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{exc.strerror}{where}; check the permissions of that path, or choose another"
    return f"{exc.strerror or exc}{where}; check the path and the disk, then rerun"


def describe(exc: BaseException) -> Failure:
    """The exit code and message for an exception that reached the command line."""
    if isinstance(exc, BacktransError):
        return Failure(exc.exit_code, str(exc))
    if isinstance(exc, MemoryError):
        return Failure(
            EXIT_FAILURE,
            "out of memory; use a smaller --batch-size or --beams, or split the input into several runs "
            "(finished translations are cached)",
        )
    if isinstance(exc, OSError):
        return Failure(EXIT_FAILURE, _os_message(exc))
    return Failure(
        EXIT_FAILURE,
        f"{type(exc).__name__}: {exc} (a bug in backtrans: rerun with --debug and report the traceback)",
        internal=True,
    )
