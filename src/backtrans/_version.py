"""The version of backtrans (no stage imports the package face for it)."""

__version__ = "0.1.0"
