"""Run: the stages composed, the results of articles, the journal, corpus summaries, the assembly, gates, engines.

Takes articles and ``Settings``; gives ``ScoredArticle``s, the journal (``articles.jsonl``) and a ``Report``.
The library face imports ``stages`` and ``assembly``; the CLI imports ``engines`` (``engines.local``,
``engines.ray_engine``) and ``gates``. ``_results``, ``_store`` (the journal), ``_accumulate`` and ``engines._finish``
are private.
"""
