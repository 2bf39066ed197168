"""Translate: the back-translate stage (routes, the plan per model, the cache, the backends, --calibrate's round trips).

Takes articles and ``Settings``; gives ``backtranslate.Prepared`` (a version's segments and its back-translation).
Others may import ``backtranslate``, ``translator``, ``routing``, ``cache``, ``calibration`` and ``backends``.
"""
