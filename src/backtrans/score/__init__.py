"""Score: chrF++, BLEU and TER from sufficient statistics (through sacrebleu), bootstrap intervals and paired tests.

Takes aligned links; gives ``VersionScores`` and paired differences. ``ter`` is private to ``sacrebleu_adapter``.
"""
