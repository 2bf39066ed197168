"""Compare: paired tests between finished runs (``backtrans compare``), and its reports.

Takes saved ``report.json`` files; gives a ``records.Comparison`` and compare.json, compare.md, compare.html
(``render``). The CLI imports ``comparison`` and ``render``; ``view`` is private to it.
"""
