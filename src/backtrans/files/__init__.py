"""Files: atomic writes, safe names and one-line paths (``fileio``), and the run's output folder (``outdir``).

Takes paths and bytes; gives files in place, never half-written. Every stage that writes may import both.
"""
