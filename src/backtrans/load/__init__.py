"""Load: article folders, corpus folders, JSONL and Parquet read lazily into ``Article`` objects.

Takes paths; gives ``Article``s (``loading.iter_inputs``, ``loading.load_inputs``).
The rest of the package may import ``loading``; ``_parquet`` (pyarrow) is private to it.
"""
