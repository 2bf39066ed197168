"""Witness: evidence besides chrF++ (a sentence encoder's similarities; the noise floor of --calibrate).

Takes the aligned links and ``Prepared`` versions; gives per-link evidence and the witness summaries
(``witnesses.Witnesses``). ``embedding`` is used by the engines to open the encoder once per run.
"""
