"""Settings and their defaults, with one precedence everywhere: flag > environment > constant."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from .errors import InputError

DEFAULT_SOURCE_LANG = "id"
DEFAULT_BEAMS = 1
DEFAULT_BATCH_SIZE = 64
DEFAULT_DEVICE = "auto"
DEFAULT_BACKEND = "auto"
#: max_new_tokens = ceil(ratio × input tokens) + DEFAULT_LENGTH_SLACK, capped at the model's limit (per text).
DEFAULT_MAX_LENGTH_RATIO = 2.0
DEFAULT_LENGTH_SLACK = 10
DEFAULT_BOOTSTRAP = 1000
#: upper limits of run settings (README "Guarantees"); a model and the memory may allow less (backends/limits.py)
MAX_BEAMS = 128
MAX_BATCH_SIZE = 4096
MAX_BOOTSTRAP = 100_000

#: Environment variables read by :meth:`Settings.resolve` (a flag always wins).
ENV_CACHE = "BACKTRANS_CACHE"
ENV_NO_CACHE = "BACKTRANS_NO_CACHE"
ENV_OFFLINE = "BACKTRANS_OFFLINE"
ENV_DEVICE = "BACKTRANS_DEVICE"
ENV_BACKEND = "BACKTRANS_BACKEND"
ENV_BATCH_SIZE = "BACKTRANS_BATCH_SIZE"
ENV_BEAMS = "BACKTRANS_BEAMS"
ENV_COMPUTE_TYPE = "BACKTRANS_COMPUTE_TYPE"
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


def ranged(default: Any, low: float, high: float, option: str | None = None) -> Any:
    """A dataclass field whose value must lie in ``[low, high]`` (checked by :func:`check_ranges`)."""
    metadata: dict[str, Any] = {"range": (low, high)}
    if option:
        metadata["option"] = option
    return field(default=default, metadata=metadata)


def range_problem(value: Any, low: float, high: float, whole: bool) -> str | None:
    """What is wrong with ``value`` for a setting in ``[low, high]`` (None: nothing)."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be {kind} from {low:g} to {high:g}, not {value!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number from {low:g} to {high:g}, not {value}"
    if whole and not isinstance(value, int):
        return f"must be a whole number from {low:g} to {high:g}, not {value:g}"
    if not low <= value <= high:
        return f"must be from {low:g} to {high:g}, not {value if isinstance(value, int) else format(value, 'g')}"
    return None


def check_ranges(instance: Any, name_of: Callable[[str], str]) -> None:
    """Check every field that carries a ``range`` in its metadata; InputError names the first bad one.

    Whole-number fields are those whose default is an ``int``; NaN and infinity are always refused.
    """
    for f in fields(instance):
        bounds = f.metadata.get("range")
        if bounds is None:
            continue
        value = getattr(instance, f.name)
        problem = range_problem(value, bounds[0], bounds[1], whole=type(f.default) is int)
        if problem:
            raise InputError(f"{f.metadata.get('option') or name_of(f.name)} {problem}")


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of the flag rules; recorded in the report signature.

    Every field declares its allowed range with :func:`ranged`; :meth:`__post_init__`
    checks them all (NaN and infinity refused), so a new threshold only needs its range.
    """

    #: a pair scores below this chrF++ ...
    low_consistency_floor: float = ranged(40.0, 0, 100)
    #: ... and this many robust standard deviations below the version's median
    low_consistency_z: float = ranged(2.5, 0, 100)
    #: a language is an outlier on a segment where it scores this far below the others' median ...
    outlier_gap: float = ranged(25.0, 0, 100)
    #: ... while the others agree with the source at least this well
    outlier_agreement: float = ranged(50.0, 0, 100)
    #: back-translation / source length (characters) outside [1/x, x]
    length_ratio: float = ranged(2.0, 1, 1000)
    #: an n-gram (in tokens) repeated this many times in a row is a loop
    repetition_ngram: int = ranged(3, 1, 50)
    repetition_count: int = ranged(3, 2, 1000)
    #: share of a version's paragraphs detected as another language before the whole page is flagged
    wrong_language_share: float = ranged(0.5, 0, 1)

    def __post_init__(self) -> None:
        check_ranges(self, lambda name: f"--threshold {name}")


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Build it with :meth:`resolve` to honour the environment."""

    source_lang: str = DEFAULT_SOURCE_LANG
    langs: tuple[str, ...] | None = None  #: None: every version present
    models: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  #: ``--model`` overrides
    beams: int = ranged(DEFAULT_BEAMS, 1, MAX_BEAMS, "--beams")
    batch_size: int = ranged(DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE, "--batch-size")
    device: str = DEFAULT_DEVICE
    backend: str = DEFAULT_BACKEND  #: auto = ctranslate2 when installed, else transformers
    compute_type: str | None = None  #: None: the backend's default for the device (see README)
    cache_path: Path | None = None  #: None: :func:`default_cache_path`
    use_cache: bool = True
    offline: bool = False
    max_length_ratio: float = ranged(DEFAULT_MAX_LENGTH_RATIO, 0.1, 100)
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: resamples for 95% intervals (0: none)
    bootstrap: int = ranged(DEFAULT_BOOTSTRAP, 0, MAX_BOOTSTRAP, "--bootstrap")

    def __post_init__(self) -> None:
        check_ranges(self, lambda name: f"the setting {name}")
        if self.device not in DEVICES:
            raise InputError(f"--device must be one of {', '.join(DEVICES)}, not {self.device!r}")

    @property
    def effective_cache_path(self) -> Path:
        return self.cache_path if self.cache_path is not None else default_cache_path()

    def generation_record(self) -> dict[str, Any]:
        """The generation settings that change a translation (part of every cache key)."""
        return {
            "beams": self.beams,
            "max_length_ratio": self.max_length_ratio,
            "length_slack": DEFAULT_LENGTH_SLACK,
            "budget": "per-segment",  #: each text's own budget (older caches: the longest text of its batch)
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
