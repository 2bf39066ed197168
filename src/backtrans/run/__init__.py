"""Run: results of articles, the run's journal, corpus summaries, the assembly of a report, gates and the engines.

Takes back-translated, aligned and scored articles; gives ``ScoredArticle``s, the journal (``articles.jsonl``) and a
``Report``. The CLI imports ``engines``, ``gates`` and ``store``; the library face imports ``assembly`` and ``results``.
"""
