"""Engines: the same stages run over a corpus of any size, locally (streaming) or on a Ray cluster.

Both write the same files: ``articles.jsonl`` (one article per line, see :mod:`backtrans.run._store`),
``report.json`` (summaries, matrix, tests, signature and a pointer to ``articles.jsonl``), the
back-translations and the other reports, rendered from what was written (:mod:`._finish`).
"""

from __future__ import annotations

ENGINES = ("local", "ray")
