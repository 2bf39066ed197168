"""Settings and their defaults, with one precedence everywhere: flag > environment > constant."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from .errors import InputError
from .types import PairedSettings

DEFAULT_SOURCE_LANG = "id"
DEFAULT_BEAMS = 1
DEFAULT_BATCH_SIZE = 64
DEFAULT_DEVICE = "auto"
DEFAULT_BACKEND = "auto"
#: max_new_tokens = ceil(ratio × input tokens) + DEFAULT_LENGTH_SLACK, capped at the model's limit.
DEFAULT_MAX_LENGTH_RATIO = 2.0
DEFAULT_LENGTH_SLACK = 10
DEFAULT_BOOTSTRAP = 1000
#: paired tests between languages of a run and between runs (``--paired-bs``, ``--paired-ar``)
DEFAULT_PAIRED_BS = 1000
DEFAULT_PAIRED_AR = 10000
#: the seed of the paired tests: sacrebleu's own default (``SACREBLEU_SEED``), so results can be checked with it
PAIRED_SEED = 12345
#: significance level of the paired tests
PAIRED_ALPHA = 0.05
#: the multilingual sentence encoder of ``--semantic`` (a smaller alternative: see the README)
DEFAULT_SEMANTIC_MODEL = "sentence-transformers/LaBSE"

#: Environment variables read by :meth:`Settings.resolve` (a flag always wins).
ENV_CACHE = "BACKTRANS_CACHE"
ENV_NO_CACHE = "BACKTRANS_NO_CACHE"
ENV_OFFLINE = "BACKTRANS_OFFLINE"
ENV_DEVICE = "BACKTRANS_DEVICE"
ENV_BACKEND = "BACKTRANS_BACKEND"
ENV_BATCH_SIZE = "BACKTRANS_BATCH_SIZE"
ENV_BEAMS = "BACKTRANS_BEAMS"
ENV_COMPUTE_TYPE = "BACKTRANS_COMPUTE_TYPE"
ENV_SEMANTIC_MODEL = "BACKTRANS_SEMANTIC_MODEL"
#: Hugging Face's own offline switch is honoured too.
ENV_HF_OFFLINE = "HF_HUB_OFFLINE"

DEVICES = ("auto", "cpu", "cuda")
BACKENDS = ("auto", "transformers", "ctranslate2")


ENV_HOME = "BACKTRANS_HOME"


def state_dir() -> Path:
    """Where backtrans keeps its caches: ``$BACKTRANS_HOME``, else the user's cache folder."""
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME]).expanduser()
    return Path(user_cache_dir("backtrans"))


def default_cache_path() -> Path:
    """The translation cache under :func:`state_dir`."""
    return state_dir() / "translations.sqlite3"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of the flag rules; recorded in the report signature."""

    #: a pair scores below this chrF++ ...
    low_consistency_floor: float = 30.0
    #: ... and this many robust standard deviations below the version's median ...
    low_consistency_z: float = 2.5
    #: ... where a robust standard deviation is at least this (chrF++ points) ...
    low_consistency_min_spread: float = 5.0
    #: ... and the other languages score at least this much higher on the same segment (when there are two or more)
    low_consistency_others_gap: float = 20.0
    #: a language is an outlier on a segment where it scores this far below the others' median ...
    outlier_gap: float = 25.0
    #: ... while the others agree with the source at least this well ...
    outlier_agreement: float = 50.0
    #: ... and its own chrF++ there is at most this (a garbled or unrelated segment, not a free paraphrase)
    outlier_max: float = 35.0
    #: back-translation / source length (characters) outside [1/x, x]
    length_ratio: float = 2.0
    #: an n-gram (in tokens) repeated this many times in a row is a loop
    repetition_ngram: int = 3
    repetition_count: int = 3
    #: share of a version's paragraphs detected as another language before the whole page is flagged
    wrong_language_share: float = 0.5
    #: a name token counts as found when a back-translation token is this similar (rapidfuzz ratio, 0-100)
    name_fuzzy: float = 80.0
    #: capitalised words rarer than this (wordfreq zipf in the source language) are names to check
    name_key_zipf: float = 4.5
    #: a source word more common than this (wordfreq zipf) is not a key term
    term_max_zipf: float = 5.0
    #: an omitted source sentence and an added one this alike (rapidfuzz token-set ratio) are one moved sentence
    moved_similarity: float = 60.0
    #: texts shorter than this (characters) are not judged by their length or language
    min_chars: int = 20
    #: language identification believes a language only at this confidence (lingua, 0-1)
    language_confidence: float = 0.8
    #: a version whose alignment leaves at least this share of the source unmatched does not correspond to it
    unrelated_share: float = 0.5
    #: share of the other versions that must keep a term before its loss in one version is flagged
    term_consensus: float = 1.0
    #: ``--semantic``: a pair whose direct similarity (source ↔ version) lies this many robust standard
    #: deviations below its version's own is a meaning drift
    meaning_drift_z: float = 2.5
    #: ``--semantic``: a low chrF++ pair whose direct similarity is within this many robust standard
    #: deviations of the version's good pairs is back-translation noise (downgraded; dropped when as high)
    semantic_noise_z: float = 1.0
    #: ``--semantic``: a robust standard deviation of direct similarities is at least this (cosine, 0 to 1)
    semantic_min_spread: float = 0.02
    #: ``--calibrate``: a pair must lose at least this many chrF++ points more than the source's own
    #: round trip through the same route (its excess drift) before it is flagged
    excess_drift_min: float = 20.0


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Build it with :meth:`resolve` to honour the environment."""

    source_lang: str = DEFAULT_SOURCE_LANG
    langs: tuple[str, ...] | None = None  #: None: every version present
    models: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  #: ``--model`` overrides
    beams: int = DEFAULT_BEAMS
    batch_size: int = DEFAULT_BATCH_SIZE
    device: str = DEFAULT_DEVICE
    backend: str = DEFAULT_BACKEND  #: auto = ctranslate2 when installed, else transformers
    compute_type: str | None = None  #: None: the backend's default for the device (see README)
    cache_path: Path | None = None  #: None: :func:`default_cache_path`
    use_cache: bool = True
    offline: bool = False
    max_length_ratio: float = DEFAULT_MAX_LENGTH_RATIO
    thresholds: Thresholds = field(default_factory=Thresholds)
    bootstrap: int = DEFAULT_BOOTSTRAP  #: resamples for 95% intervals (0: none)
    paired_bs: int = DEFAULT_PAIRED_BS  #: paired bootstrap resamples between languages (0: none)
    paired_ar: int = DEFAULT_PAIRED_AR  #: approximate randomization trials between languages (0: none)
    semantic: bool = False  #: ``--semantic``: cross-lingual sentence-embedding similarity of every pair
    semantic_model: str = DEFAULT_SEMANTIC_MODEL  #: hub id or local folder of the sentence encoder
    calibrate: bool = False  #: ``--calibrate``: the source's own round trip through each route (noise floor)
    #: ``--forward-model`` overrides: version language → models from the source language into it
    forward_models: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.beams < 1:
            raise InputError(f"--beams must be 1 or more, not {self.beams}")
        if self.batch_size < 1:
            raise InputError(f"--batch-size must be 1 or more, not {self.batch_size}")
        if self.device not in DEVICES:
            raise InputError(f"--device must be one of {', '.join(DEVICES)}, not {self.device!r}")
        if self.max_length_ratio <= 0:
            raise InputError("the maximum length ratio must be positive")
        if self.paired_bs < 0 or self.paired_ar < 0:
            raise InputError("--paired-bs and --paired-ar must be 0 or more")

    @property
    def paired(self) -> PairedSettings | None:
        """The paired tests between languages; None when both are switched off."""
        return paired_settings(self.paired_bs, self.paired_ar)

    @property
    def effective_cache_path(self) -> Path:
        return self.cache_path if self.cache_path is not None else default_cache_path()

    def generation_record(self) -> dict[str, Any]:
        """The generation settings that change a translation (part of every cache key)."""
        return {
            "beams": self.beams,
            "max_length_ratio": self.max_length_ratio,
            "length_slack": DEFAULT_LENGTH_SLACK,
            "sampling": False,
        }

    @classmethod
    def resolve(cls, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Settings from command-line values (``None`` = not given), then the environment, then defaults."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        from_env: dict[str, Any] = {}
        if env.get(ENV_CACHE):
            from_env["cache_path"] = Path(env[ENV_CACHE]).expanduser()
        if _truthy(env.get(ENV_NO_CACHE)):
            from_env["use_cache"] = False
        if _truthy(env.get(ENV_OFFLINE)) or _truthy(env.get(ENV_HF_OFFLINE)):
            from_env["offline"] = True
        if env.get(ENV_DEVICE):
            from_env["device"] = env[ENV_DEVICE].strip()
        if env.get(ENV_BACKEND):
            from_env["backend"] = env[ENV_BACKEND].strip()
        if env.get(ENV_COMPUTE_TYPE):
            from_env["compute_type"] = env[ENV_COMPUTE_TYPE].strip()
        if env.get(ENV_SEMANTIC_MODEL):
            from_env["semantic_model"] = env[ENV_SEMANTIC_MODEL].strip()
        for name, var in (("batch_size", ENV_BATCH_SIZE), ("beams", ENV_BEAMS)):
            if env.get(var):
                try:
                    from_env[name] = int(env[var])
                except ValueError:
                    raise InputError(f"{var} must be a whole number, not {env[var]!r}") from None
        values.update(from_env)
        known = {f.name for f in fields(cls)}
        for name, value in flags.items():
            if name not in known:
                raise TypeError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = value
        return cls(**values)


def paired_settings(
    bootstrap: int = DEFAULT_PAIRED_BS, randomization: int = DEFAULT_PAIRED_AR
) -> PairedSettings | None:
    """The settings of the paired tests with the fixed seed; None when both tests are switched off."""
    if bootstrap < 0 or randomization < 0:
        raise InputError("--paired-bs and --paired-ar must be 0 or more")
    if bootstrap == 0 and randomization == 0:
        return None
    return PairedSettings(bootstrap=bootstrap, randomization=randomization, seed=PAIRED_SEED, alpha=PAIRED_ALPHA)
