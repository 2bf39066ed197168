"""Text: language codes and scripts, sentence segmentation, and the alignment of back-translated segments.

Takes raw texts and segments; gives ``Segment``s and ``Link``s.
The rest of the package may import ``languages``, ``segment`` and ``align``.
"""
