"""Witness: evidence besides chrF++ (a sentence encoder's similarities; the noise floor of --calibrate).

Takes the aligned links and ``Prepared`` versions; gives per-link evidence and the witness summaries.
The rest of the package may import ``witnesses`` (``Witnesses``) and ``embedding`` (the engines open the encoder
once per run).
"""
