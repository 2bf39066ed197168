"""Editors' verdicts on flags: the flag's stable key, ``verdicts.json``, dismissing, and what they measure.

(Not the verdicts of the paired tests: those are :mod:`backtrans.score.verdicts`.)

An editor marks a flag "error" or "not an error" on the HTML report; the page saves ``verdicts.json``.
A later run given ``--verdicts verdicts.json`` keeps every flag the newsroom marked "not an error" in
report.json with ``dismissed: true`` and leaves it out of the editor's views. The verdict finds its flag
again by the flag's **stable key**: article, language, code, source segment ids and the evidence that
comes from the source or the version itself (a name, a term, a missing number), normalised; never text of
the back-translation or a score, so the key survives a rerun with other models.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files.fileio import shown
from ..types import ArticleResult, Flag, Report

#: what ``verdicts.json`` says it is (the page writes it; readers check it)
VERDICTS_FORMAT = "backtrans-verdicts"
VERDICTS_VERSION = 1
VERDICT_VALUES = ("error", "not_error")
#: the evidence of a flag that comes from the source or the version itself, per code (the key's part);
#: every other code is keyed by its segments alone (its evidence is scores or back-translated text)
KEY_EVIDENCE: Mapping[str, tuple[str, ...]] = {
    "name_mismatch": ("name",),
    "changed_term": ("source_word",),
    "glossary_term": ("term",),
    "role_swap": ("names", "words"),  # two names that traded places, or a word and its converse
    "number_mismatch": ("missing",),
    "polarity_mismatch": ("kind",),
    "hedge_mismatch": ("kind", "modality"),  # a lost plan and a lost allegation of one sentence are two flags
    "wrong_language": ("scope", "detected"),
    "untranslated": ("version_segment",),
    "repetition": ("side",),
}
MAX_VERDICTS_BYTES = 64 * 1024 * 1024


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    if isinstance(value, list | tuple):
        return sorted((_normal(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def key_evidence(flag: Flag) -> dict[str, Any]:
    """The normalised evidence a flag's key holds (see :data:`KEY_EVIDENCE`)."""
    return {name: _normal(flag.evidence.get(name)) for name in KEY_EVIDENCE.get(flag.code, ())}


def evidence_text(flag: Flag) -> str:
    """The key's evidence as a person reads it (``"banjir rob"``; empty for a flag keyed by segments only)."""
    parts = []
    for value in key_evidence(flag).values():
        if isinstance(value, list):
            parts.append(", ".join(str(v) for v in value))
        elif value is not None:
            parts.append(str(value))
    return "; ".join(p for p in parts if p)


def flag_key(article: str, lang: str, flag: Flag) -> str:
    """The flag's stable key: the same flag of a rerun with other models has the same key."""
    record = [article, lang, flag.code, list(flag.segments), key_evidence(flag)]
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Verdict:
    """One editor's verdict on one flag."""

    article: str
    lang: str
    code: str
    segments: tuple[str, ...]
    key: str
    verdict: str  #: ``"error"`` or ``"not_error"``
    note: str = ""
    time: str = ""  #: ISO 8601, when the editor gave it
    evidence: str = ""  #: the key's evidence as read (the summary ranks it)
    origin: str = ""  #: ``file`` and entry, for messages


@dataclass(frozen=True, eq=False)
class Verdicts:
    """Every verdict of one or more files; the latest verdict on a flag is the one that holds."""

    items: tuple[Verdict, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  #: (file name, sha256)
    hash: str = ""

    def latest(self) -> dict[str, Verdict]:
        """Key → the verdict that holds (the latest by time; of equal times, the one given last)."""
        out: dict[str, Verdict] = {}
        for item in self.items:
            before = out.get(item.key)
            if before is None or item.time >= before.time:
                out[item.key] = item
        return out

    def dismissed(self) -> frozenset[str]:
        """The keys of the flags the newsroom says are not errors."""
        return frozenset(key for key, item in self.latest().items() if item.verdict == "not_error")

    def record(self) -> dict[str, Any]:
        return {"sha256": self.hash, "files": [name for name, _ in self.files], "verdicts": len(self.latest())}


def load_verdicts(paths: Sequence[Path]) -> Verdicts | None:
    """The verdicts of every file (None when there is none); a file that is not one is refused."""
    if not paths:
        return None
    items: list[Verdict] = []
    files = []
    for path in paths:
        raw = _read(path)
        files.append((shown(Path(path).name), hashlib.sha256(raw).hexdigest()))
        items += parse_verdicts(raw, shown(path))
    whole = hashlib.sha256(json.dumps(files).encode("utf-8")).hexdigest()
    return Verdicts(tuple(items), tuple(files), whole)


def _read(path: Path) -> bytes:
    try:
        if Path(path).stat().st_size > MAX_VERDICTS_BYTES:
            raise InputError(f"{shown(path)}: too large for a verdicts file (at most 64 MiB)")
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot be read ({exc.strerror or exc}); check the path") from None


def parse_verdicts(raw: bytes, where: str) -> list[Verdict]:
    """The verdicts of one ``verdicts.json`` (as the HTML report saves it)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{where}:{line}: not UTF-8 (offset {exc.start}); give the verdicts.json the report saved"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}:{exc.lineno}: not JSON ({exc.msg}); give the verdicts.json the report saved"
        ) from None
    except RecursionError:
        raise InputError(f"{where}: nested too deeply to be a verdicts file") from None
    except ValueError as exc:  # an integer of more digits than Python converts, and the like
        raise InputError(f"{where}: not a verdicts file ({exc}); give the verdicts.json the report saved") from None
    if (
        not isinstance(data, dict)
        or data.get("format") != VERDICTS_FORMAT
        or not isinstance(data.get("verdicts"), list)
    ):
        raise InputError(
            f"{where}: not a verdicts file (expected an object with format {VERDICTS_FORMAT!r} and a list "
            "'verdicts'); give the verdicts.json that 'Download verdicts' saved"
        )
    if data.get("version", VERDICTS_VERSION) != VERDICTS_VERSION:
        raise InputError(f"{where}: verdicts version {data.get('version')!r} is not read by this backtrans (reads 1)")
    return [_verdict(item, f"{where}: verdict {n}") for n, item in enumerate(data["verdicts"], start=1)]


def _verdict(item: Any, at: str) -> Verdict:
    if not isinstance(item, dict):
        raise InputError(f"{at}: must be an object with article, lang, code, segments, key, verdict")
    for name in ("article", "lang", "code", "key", "verdict"):
        if not isinstance(item.get(name), str) or not item[name]:
            raise InputError(f"{at}: {name!r} is missing or not a string")
    if item["verdict"] not in VERDICT_VALUES:
        raise InputError(f"{at}: verdict {item['verdict']!r} is not one of {', '.join(VERDICT_VALUES)}")
    segments = item.get("segments", [])
    if not isinstance(segments, list) or not all(isinstance(s, str) for s in segments):
        raise InputError(f"{at}: 'segments' must be a list of segment ids such as \"3.2\"")
    for name in ("note", "time", "evidence"):
        if not isinstance(item.get(name, ""), str):
            raise InputError(f"{at}: {name!r} must be a string")
    return Verdict(
        item["article"],
        item["lang"],
        item["code"],
        tuple(segments),
        item["key"],
        item["verdict"],
        item.get("note", ""),
        item.get("time", ""),
        item.get("evidence", ""),
        at,
    )


def judged(article: str, lang: str, flag: Flag, latest: Mapping[str, Verdict]) -> Flag:
    """The flag with ``dismissed`` as the latest verdict on it says (unchanged where there is none)."""
    verdict = latest.get(flag_key(article, lang, flag))
    if verdict is None or flag.dismissed == (verdict.verdict == "not_error"):
        return flag
    return dataclasses.replace(flag, dismissed=verdict.verdict == "not_error")


def dismiss_linked(
    article: str, lang: str, flags: Iterable[tuple[Flag, int | None]], verdicts: Verdicts
) -> list[tuple[Flag, int | None]]:
    """Flags with the link each concerns (as the rules give them), judged by the verdicts."""
    latest = verdicts.latest()
    return [(judged(article, lang, flag, latest), k) for flag, k in flags]


def dismiss_article(result: ArticleResult, verdicts: Verdicts | None) -> ArticleResult:
    """An article's result with its flags judged by the verdicts (unchanged without verdicts)."""
    if verdicts is None:
        return result
    latest = verdicts.latest()
    versions = tuple(
        dataclasses.replace(v, flags=tuple(judged(result.id, v.lang, f, latest) for f in v.flags))
        for v in result.versions
    )
    return dataclasses.replace(result, versions=versions)


def count_dismissed(results: Iterable[ArticleResult]) -> int:
    return sum(f.dismissed for result in results for v in result.versions for f in v.flags)


def apply_verdicts(report: Report, verdicts: Verdicts) -> Report:
    """A saved report judged again by (more) verdicts: flags dismissed, the per-language counts of the flags
    the views list and the signature's record of the verdicts follow (``backtrans report --verdicts``)."""
    articles = tuple(dismiss_article(a, verdicts) for a in report.articles)
    counts: dict[str, dict[str, int]] = {}
    for article in articles:
        for version in article.versions:
            found = counts.setdefault(version.lang, {})
            for flag in version.flags:
                if flag.visible:
                    found[flag.code] = found.get(flag.code, 0) + 1
    languages = tuple(
        dataclasses.replace(s, flags=dict(sorted(counts.get(s.lang, {}).items()))) for s in report.languages
    )
    record = {**verdicts.record(), "dismissed": count_dismissed(articles)}
    signature = dataclasses.replace(report.signature, verdicts=record)
    return dataclasses.replace(report, articles=articles, languages=languages, signature=signature)
