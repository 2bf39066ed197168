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
from .types import PairedSettings

DEFAULT_SOURCE_LANG = "id"
DEFAULT_BEAMS = 1
DEFAULT_BATCH_SIZE = 64
DEFAULT_DEVICE = "auto"
DEFAULT_BACKEND = "auto"
#: max_new_tokens = ceil(ratio × input tokens) + DEFAULT_LENGTH_SLACK, capped at the model's limit (per text).
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
#: upper limits of run settings (README "Guarantees"); a model and the memory may allow less (see backends/_limits.py)
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
    low_consistency_floor: float = ranged(30.0, 0, 100)
    #: ... and this many robust standard deviations below the version's median ...
    low_consistency_z: float = ranged(2.5, 0, 100)
    #: ... where a robust standard deviation is at least this (chrF++ points) ...
    low_consistency_min_spread: float = ranged(5.0, 0, 100)
    #: ... and the other languages score at least this much higher on the same segment (when there are two or more)
    low_consistency_others_gap: float = ranged(20.0, 0, 100)
    #: a language is an outlier on a segment where it scores this far below the others' median ...
    outlier_gap: float = ranged(25.0, 0, 100)
    #: ... while the others agree with the source at least this well ...
    outlier_agreement: float = ranged(50.0, 0, 100)
    #: ... and its own chrF++ there is at most this (a garbled or unrelated segment, not a free paraphrase)
    outlier_max: float = ranged(35.0, 0, 100)
    #: back-translation / source length (characters) outside [1/x, x]
    length_ratio: float = ranged(2.0, 1, 1000)
    #: an n-gram (in tokens) repeated this many times in a row is a loop
    repetition_ngram: int = ranged(3, 1, 50)
    repetition_count: int = ranged(3, 2, 1000)
    #: share of a version's paragraphs detected as another language before the whole page is flagged
    wrong_language_share: float = ranged(0.5, 0, 1)
    #: a name token counts as found when a back-translation token is this similar (rapidfuzz ratio, 0-100)
    name_fuzzy: float = ranged(80.0, 0, 100)
    #: capitalised words rarer than this (wordfreq zipf in the source language) are names to check
    name_key_zipf: float = ranged(4.5, 0, 8)
    #: a source word more common than this (wordfreq zipf) is not a key term
    term_max_zipf: float = ranged(5.0, 0, 8)
    #: ... and outside the headline and lead, a term of the article is used in at least this many sentences
    term_min_uses: int = ranged(3, 1, 1000)
    #: an omitted source sentence and an added one this alike (rapidfuzz token-set ratio) are one moved sentence
    moved_similarity: float = ranged(60.0, 0, 100)
    #: texts shorter than this (characters) are not judged by their length or language
    min_chars: int = ranged(20, 1, 10_000)
    #: language identification believes a language only at this confidence (lingua, 0-1)
    language_confidence: float = ranged(0.8, 0, 1)
    #: a version whose alignment leaves at least this share of the source unmatched does not correspond to it
    unrelated_share: float = ranged(0.5, 0, 1)
    #: share of the other versions that must keep a term before its loss in one version is flagged at all (one at
    #: least); the flag's confidence grows with that share
    term_consensus: float = ranged(0.5, 0, 1)
    #: ``--semantic``: a pair whose direct similarity (source ↔ version) lies this many robust standard
    #: deviations below its version's own is a meaning drift
    meaning_drift_z: float = ranged(2.5, 0, 100)
    #: ``--semantic``: a low chrF++ pair whose direct similarity is within this many robust standard
    #: deviations of the version's good pairs is back-translation noise (downgraded; dropped when as high)
    semantic_noise_z: float = ranged(1.0, 0, 100)
    #: ``--semantic``: a robust standard deviation of direct similarities is at least this (cosine, 0 to 1)
    semantic_min_spread: float = ranged(0.02, 0, 1)
    #: ``--calibrate``: a pair must lose at least this many chrF++ points more than the source's own
    #: round trip through the same route (its excess drift) before it is flagged
    excess_drift_min: float = ranged(20.0, 0, 100)
    #: a flag at least this sure (its ``confidence``, 0–1) is shown in the editor's views; the rest are notes
    min_confidence: float = ranged(0.7, 0, 1)

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
    #: paired bootstrap resamples between languages (0: none)
    paired_bs: int = ranged(DEFAULT_PAIRED_BS, 0, MAX_BOOTSTRAP, "--paired-bs")
    #: approximate randomization trials between languages (0: none)
    paired_ar: int = ranged(DEFAULT_PAIRED_AR, 0, 10 * MAX_BOOTSTRAP, "--paired-ar")
    semantic: bool = False  #: ``--semantic``: cross-lingual sentence-embedding similarity of every pair
    semantic_model: str = DEFAULT_SEMANTIC_MODEL  #: hub id or local folder of the sentence encoder
    calibrate: bool = False  #: ``--calibrate``: the source's own round trip through each route (noise floor)
    #: ``--forward-model`` overrides: version language → models from the source language into it
    forward_models: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``source_lang`` was asked for (``--source-lang``): an article that says otherwise is warned about
    source_lang_given: bool = False
    #: ``--glossary``: the newsroom's terms and their accepted renderings (flags only, never a translation): a
    #: :class:`backtrans.flag.glossary.Glossary` (typed ``Any`` here: the floor imports no stage)
    glossary: Any = None
    #: ``--verdicts``: editors' verdicts, a :class:`backtrans.flag.verdicts.Verdicts`; a flag marked "not an
    #: error" is kept as dismissed
    verdicts: Any = None

    def __post_init__(self) -> None:
        check_ranges(self, lambda name: f"the setting {name}")
        if self.device not in DEVICES:
            raise InputError(f"--device must be one of {', '.join(DEVICES)}, not {self.device!r}")

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
