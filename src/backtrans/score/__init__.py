"""Score: chrF++, BLEU and TER from sufficient statistics (through sacrebleu), bootstrap intervals and paired tests.

Takes aligned links; gives ``VersionScores`` and paired differences.
The rest of the package may import ``scoring``, ``sacrebleu_adapter``, ``significance`` and ``verdicts``;
``_ter`` is private to ``sacrebleu_adapter``.
"""
