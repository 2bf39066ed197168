"""Compare the quantities of two texts: each one must have its own counterpart on the other side.

:mod:`backtrans.flag._numbers` reads the quantities (numbers, dates, times, weekdays);
this module pairs them. A counterpart says the same: the same kind and value, or
a part of it ("20 Juli" ↔ "the 20th"; "pukul 14.00" ↔ "14"). Each quantity is
used once, so a number the source has twice and the version once is missing
once. The quantities of one side are indexed by value (:class:`_Pool`), so
pairing n against m quantities costs about (n + m) log m, not n × m.

A number with a unit (:mod:`backtrans.flag._units`) has as counterpart the same
quantity in any unit of its measure ("25 basis poin" ↔ "0.25%ポイント"), and the
same digits only where the other side's unit, if it has one, is the same size
("25 basis poin" ↔ "25 نقطة مئوية", 25 percentage points, is no counterpart).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..text.languages import script_of
from ._numbers import Number, extract_numbers, number_words

__all__ = ["NumberCheck", "compare_numbers", "same_value"]


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@dataclass(frozen=True)
class NumberCheck:
    missing: tuple[str, ...]  #: quantities of the source with no counterpart in the version
    unexpected: tuple[str, ...]  #: quantities of the version with no counterpart in the source

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected


def _day_of(date: float) -> float:
    return float(int(date) % 100)


def _month_of(date: float) -> float:
    return float(int(date) // 100)


def _hour_of(time: float) -> float | None:
    return float(int(time) // 100) if int(time) % 100 == 0 else None


#: how a quantity of one kind is indexed for a counterpart of another kind: (key, kind, value of it)
_INDEXED: tuple[tuple[str, str, Callable[[float], float | None]], ...] = (
    ("day of date", "date", _day_of),
    ("month of date", "date", _month_of),
    ("hour of time", "time", _hour_of),
)


def _in_base_unit(n: Number) -> tuple[str, float] | None:
    """The key and value under which a number with a unit is found in any unit of its measure."""
    if n.unit is None or n.kind != "number":
        return None
    return f"measure {n.unit.measure}", n.value * n.unit.factor


def _other_unit(a: Number, b: Number) -> bool:
    """Both numbers have units of one measure but of different sizes: the same digits say different things."""
    return (
        a.unit is not None
        and b.unit is not None
        and a.unit.measure == b.unit.measure
        and not same_value(a.unit.factor, b.unit.factor)
    )


def _probes(n: Number) -> Iterator[tuple[str, float | None]]:
    """The keys under which a counterpart of another kind is found (the cross-kind rules)."""
    if n.kind == "date":
        yield "day", _day_of(n.value)  # "20 Juli" ↔ "the 20th"
        yield "month", _month_of(n.value)
        yield "number", _day_of(n.value)  # a range: "20-21 Juli" = "July 20-21"
    elif n.kind == "day":
        yield "day of date", n.value
        yield "number", n.value
    elif n.kind == "month":
        yield "month of date", n.value
    elif n.kind == "time":
        yield "number", _hour_of(n.value)  # "pukul 14.00" ↔ "at 14"
    elif n.kind == "number":
        yield "hour of time", n.value
        yield "day", n.value
        yield "day of date", n.value


class _Pool:
    """The quantities of one side, indexed by key and value; each can be taken once."""

    def __init__(self, numbers: Sequence[Number]) -> None:
        self.taken: set[int] = set()
        self._numbers = numbers
        self._index: dict[str, dict[float, deque[int]]] = {}
        for k, n in enumerate(numbers):
            self._add(n.kind, n.value, k)
            converted = _in_base_unit(n)
            if converted is not None:
                self._add(*converted, k)
            for key, kind, derive in _INDEXED:
                value = derive(n.value) if n.kind == kind else None
                if value is not None:
                    self._add(key, value, k)
        self._sorted = {key: sorted(v for v in values if math.isfinite(v)) for key, values in self._index.items()}

    def _add(self, key: str, value: float, k: int) -> None:
        if not math.isnan(value):
            self._index.setdefault(key, {}).setdefault(value, deque()).append(k)

    def _first(self, key: str, value: float | None, of: Number | None = None) -> int | None:
        """The first quantity not yet taken under ``key`` whose value is the same as ``value`` (and, given
        ``of``, whose unit is not another unit of ``of``'s measure)."""
        values = self._index.get(key)
        if value is None or not values or math.isnan(value):
            return None
        if math.isfinite(value):
            ordered = self._sorted[key]
            window = 2e-9 * max(1.0, abs(value))  # wider than same_value's tolerance, then checked exactly
            near = ordered[bisect.bisect_left(ordered, value - window) : bisect.bisect_right(ordered, value + window)]
        else:
            near = [value] if value in values else []
        best = None
        for other in near:
            if not same_value(value, other):
                continue
            queue = values[other]
            while queue and queue[0] in self.taken:
                queue.popleft()
            first = next(
                (k for k in queue if k not in self.taken and (of is None or not _other_unit(of, self._numbers[k]))),
                None,
            )
            if first is not None and (best is None or first < best):
                best = first
        return best

    def counterpart(self, n: Number) -> int | None:
        """The first quantity of the same kind and value; else the same quantity in another unit; else the first
        that says part of it."""
        exact = self._first(n.kind, n.value, n)
        if exact is not None:
            return exact
        converted = _in_base_unit(n)
        if converted is not None and (k := self._first(*converted)) is not None:
            return k
        found = [k for key, value in _probes(n) if (k := self._first(key, value)) is not None]
        return min(found) if found else None


def compare_numbers(source: str, source_lang: str, version: str, version_lang: str) -> NumberCheck:
    """Each quantity of either side must have its own counterpart on the other side.

    Weekdays are compared only when both sides name one (a translation may leave
    the weekday out); number words count as counterparts but are never reported.
    """
    src = extract_numbers(source, source_lang)
    ver = extract_numbers(version, version_lang)
    if not ({n.value for n in src if n.kind == "weekday"} and {n.value for n in ver if n.kind == "weekday"}):
        src = [n for n in src if n.kind != "weekday"]
        ver = [n for n in ver if n.kind != "weekday"]
    versions, sources = _Pool(ver), _Pool(src)
    latin = script_of(version_lang) == "latin"
    missing = []
    lost_words = []
    for n in src:
        k = versions.counterpart(n)
        if k is not None:
            versions.taken.add(k)
        elif not n.word:
            missing.append(n.shown)
        elif n.value >= 2 and latin and _cardinal(n.text, source_lang) and _counted(n.text, source):
            # "dua orang" gone from a version that writes counts as words or digits (Arabic has the dual,
            # Chinese and Japanese numerals take counters the number reader does not list)
            missing.append(n.text)
        elif n.value >= 2:
            lost_words.append(n.text)
    # a version may repeat a source number (in parentheses, in a recap): only values the source lacks are unexpected
    left = [v for k, v in enumerate(ver) if k not in versions.taken and sources.counterpart(v) is None]
    unexpected = [v.shown for v in left if not v.word]
    if lost_words and (unexpected or any(v.word for v in left)):
        # "tujuh" (7) became "سبعة عشر" (17): a number word counts when its value changed, not when it vanished
        missing += lost_words
        unexpected += [v.text for v in left if v.word]
    if not missing:
        # nothing of the source is lost: a small count the version makes explicit ("2人" for "pasangan ini",
        # "1ドル" in an exchange rate) is not an error an editor needs to see, unless a Latin-script version
        # writes it next to what it counts ("2 people died" where the source says nobody did)
        unexpected = [t for t in unexpected if not _small_count(t, version_lang) or latin and _counted(t, version)]
    return NumberCheck(tuple(missing), tuple(unexpected))


def _small_count(text: str, lang: str) -> bool:
    numbers = extract_numbers(text, lang, words=False)
    return len(numbers) == 1 and numbers[0].kind == "number" and numbers[0].value in range(0, 11)


#: what a count stands before in a Latin-script text: a noun ("2 people", "dua orang", "deux morts")
_COUNTED_NOUN = r"\s[a-z\u00e0-\u00ff]{3,}"


def _cardinal(word: str, lang: str) -> bool:
    """A number word that counts ("dua"), not an ordinal ("kedua", "ketiganya") or a Roman numeral ("VII")."""
    return word.casefold() in number_words(lang)


def _counted(number: str, text: str) -> bool:
    """A small count written next to what it counts ("2 people", "dua orang", "deux morts"): an editor
    compares it even where nothing else changed ("no one was hurt" against "2 people died")."""
    return re.search(rf"(?<![\w.,]){re.escape(number)}{_COUNTED_NOUN}", text, re.IGNORECASE) is not None
