"""The command line: click commands, option types, shared option groups, and the one error boundary.

Takes argv; gives files and an exit code. Nothing in the library imports it; ``__main__`` imports ``commands``
(the console script), and ``_params``, ``_options``, ``_compare`` and ``_failures`` (the one boundary) are private.
``main`` imports the commands only when called, so that importing an option parser does not import every stage.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``backtrans`` with these arguments (default: the process's)."""
    from .commands import main as run

    run(argv)
