"""Files: atomic writes, safe names and one-line paths, the run's output folder, its lock, our dataclasses as JSON.

Takes paths, bytes and frozen dataclasses; gives files in place, never half-written, and data read back.
Every stage that reads or writes files may import ``fileio``, ``outdir``, ``lock`` (one writer per --out) and ``serial``.
"""
