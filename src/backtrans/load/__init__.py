"""Load: article folders, corpus folders, JSONL and Parquet read lazily into ``Article`` objects.

Takes paths; gives ``Article``s (``loading.iter_inputs``, ``loading.load_inputs``). ``parquet`` is private to it.
"""
