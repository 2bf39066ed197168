"""Files: atomic writes, safe names and one-line paths, the run's output folder, and our dataclasses as JSON data.

Takes paths, bytes and frozen dataclasses; gives files in place, never half-written, and data read back.
Every stage that reads or writes files may import ``fileio``, ``outdir`` and ``serial``.
"""
