"""Compare: paired tests between finished runs (``backtrans compare``), and its reports.

Takes saved ``report.json`` files; gives a ``Comparison`` and compare.json, compare.md, compare.html.
The CLI imports ``comparison``, ``view`` and ``render``; ``_records`` (the comparison's dataclasses) is private.
"""
