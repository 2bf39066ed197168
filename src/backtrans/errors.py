"""Typed exceptions of the library; only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class BacktransError(Exception):
    """Base class of every error backtrans raises on purpose.

    ``exit_code`` is what the CLI exits with; the message is one line that says
    what went wrong and, where possible, what to do.
    """

    exit_code = 1


class InputError(BacktransError):
    """Bad input: a file, a folder, a JSONL line or a command-line value."""

    exit_code = 2


class NoRouteError(BacktransError):
    """No model chain is known that carries a language back to the source language."""

    exit_code = 2


class ModelUnavailableError(BacktransError):
    """A model cannot be had: not cached while offline, a broken folder, a missing file."""

    exit_code = 1


class CacheError(BacktransError):
    """The translation cache cannot be opened, read or written."""

    exit_code = 1


class TranslationError(BacktransError):
    """A backend failed while translating."""

    exit_code = 1


class OutputError(BacktransError):
    """The reports cannot be written (permissions, a full disk); what --out held before is unchanged."""

    exit_code = 1
