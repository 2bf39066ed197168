"""Translate: the back-translate stage (routes, the plan per model, the cache, the backends, --calibrate's round trips).

Takes articles and ``Settings``; gives ``backtranslate.Prepared`` (a version's segments and its back-translation).
The rest of the package may import ``backtranslate``, ``translator``, ``routing``, ``plan``, ``cache``,
``calibration``, ``backends`` and, of the backends, ``backends.base``, ``backends.encoder``, ``backends.hub`` and
``backends.splitting``; ``backends._limits`` and the two model backends (loaded through the registry) are private.
"""
