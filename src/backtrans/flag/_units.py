"""The unit written after a number, and what it converts to: "25 basis poin" is 0.25 percentage points.

A version may say the same quantity in another unit ("25 basis poin" = "0,25%ポイント";
"1,5 jam" = "90 minutes"); the same digits in another unit of the same measure
("25 basis poin" → "25 نقطة مئوية", 25 percentage points) say something else.
:mod:`backtrans.flag._quantities` compares numbers with units by their value in
the measure's base unit.

The names of units come from CLDR through Babel (``unit_patterns``: every length,
plural form and spelling a locale lists: "km", "kilomètres", "公里", "كيلومترات").
Abbreviations of one letter ("m", "t", "j", "م"; not a Chinese or Japanese
character, which is a word: "米", "秒") are left out: they stand for
several units ("m": metre, minute, month) and for other things (the Arabic "م"
after a year, the Indonesian "T" of triliun).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.languages import base_lang

__all__ = ["Unit", "unit_after"]


@dataclass(frozen=True)
class Unit:
    """A unit as written after a number: its measure and its size in the measure's base unit."""

    measure: str  #: "percent", "length" (metres), "mass" (grams), "area" (m²), "volume" (litres), ...
    factor: float  #: one of this unit in the measure's base unit: a kilometre is 1000 (metres)
    text: str  #: as written


#: CLDR unit ids → (measure, size in the measure's base unit): the definitions of the SI and of the units
#: themselves (a kilometre is 1000 metres, an hour 3600 seconds, a hectare 10 000 m²). Months and years have
#: no fixed number of days: they are a measure of their own.
_CLDR_UNITS: dict[str, tuple[str, float]] = {
    "concentr-percent": ("percent", 1.0),
    "concentr-permille": ("percent", 0.1),
    "concentr-permyriad": ("percent", 0.01),
    "length-kilometer": ("length", 1e3),
    "length-meter": ("length", 1.0),
    "length-centimeter": ("length", 1e-2),
    "length-millimeter": ("length", 1e-3),
    "length-mile": ("length", 1609.344),
    "mass-tonne": ("mass", 1e6),
    "mass-kilogram": ("mass", 1e3),
    "mass-gram": ("mass", 1.0),
    "mass-milligram": ("mass", 1e-3),
    "area-square-kilometer": ("area", 1e6),
    "area-hectare": ("area", 1e4),
    "area-square-meter": ("area", 1.0),
    "volume-cubic-meter": ("volume", 1e3),
    "volume-liter": ("volume", 1.0),
    "volume-milliliter": ("volume", 1e-3),
    "duration-week": ("duration", 604800.0),
    "duration-day": ("duration", 86400.0),
    "duration-hour": ("duration", 3600.0),
    "duration-minute": ("duration", 60.0),
    "duration-second": ("duration", 1.0),
    "duration-year": ("months", 12.0),
    "duration-month": ("months", 1.0),
    "power-gigawatt": ("power", 1e9),
    "power-megawatt": ("power", 1e6),
    "power-kilowatt": ("power", 1e3),
    "power-watt": ("power", 1.0),
    "speed-kilometer-per-hour": ("speed", 1.0),
}

#: Units CLDR does not name: the basis point and the percentage point of financial news (CLDR has only the
#: "permyriad" ‱), and common spellings its patterns lack (the Arabic "في المئة", the Chinese "公斤" and "吨",
#: the Indonesian "ton"), as a dictionary of each language lists them. (measure, factor) as above.
_EXTRA: dict[str, dict[str, tuple[str, float]]] = {
    "id": {
        "basis poin": ("percent", 0.01),
        "basis point": ("percent", 0.01),
        "bps": ("percent", 0.01),
        "bp": ("percent", 0.01),
        "poin persentase": ("percent", 1.0),
        "persentase poin": ("percent", 1.0),
        "ton": ("mass", 1e6),
    },
    "en": {
        "basis points": ("percent", 0.01),
        "basis point": ("percent", 0.01),
        "bps": ("percent", 0.01),
        "bp": ("percent", 0.01),
        "percentage points": ("percent", 1.0),
        "percentage point": ("percent", 1.0),
        "per cent": ("percent", 1.0),
        "tonnes": ("mass", 1e6),
        "tonne": ("mass", 1e6),
    },
    "fr": {
        "points de base": ("percent", 0.01),
        "point de base": ("percent", 0.01),
        "pb": ("percent", 0.01),
        "points de pourcentage": ("percent", 1.0),
        "point de pourcentage": ("percent", 1.0),
        "points de pour cent": ("percent", 1.0),
    },
    "zh": {
        "个基点": ("percent", 0.01),
        "個基點": ("percent", 0.01),
        "基点": ("percent", 0.01),
        "基點": ("percent", 0.01),
        "个百分点": ("percent", 1.0),
        "個百分點": ("percent", 1.0),
        "百分点": ("percent", 1.0),
        "公斤": ("mass", 1e3),
        "吨": ("mass", 1e6),
    },
    "ja": {
        "ベーシスポイント": ("percent", 0.01),
        "ベーシス・ポイント": ("percent", 0.01),
        "bp": ("percent", 0.01),
        "%ポイント": ("percent", 1.0),
        "パーセントポイント": ("percent", 1.0),
    },
    "ar": {
        "نقطة أساس": ("percent", 0.01),
        "نقاط أساس": ("percent", 0.01),
        "نقطة أساسية": ("percent", 0.01),
        "نقاط أساسية": ("percent", 0.01),
        "نقطة مئوية": ("percent", 1.0),
        "نقاط مئوية": ("percent", 1.0),
        "في المئة": ("percent", 1.0),
        "في المائة": ("percent", 1.0),
        "بالمئة": ("percent", 1.0),
    },
}

#: CLDR's locale for each language whose units are read
_LOCALES = {"id": "id", "en": "en", "fr": "fr", "zh": "zh_Hans", "ja": "ja", "ar": "ar"}
_SPACES = " \u00a0\u202f"


def _plain(name: str) -> str:
    """A unit's name as looked up: one kind of space, none around it, case folded."""
    return re.sub(f"[{_SPACES}]+", " ", name).strip().casefold()


def _cldr_names(lang: str) -> dict[str, tuple[str, float]]:
    """Every name a CLDR locale gives the units of :data:`_CLDR_UNITS` (with the unit's measure and size)."""
    names: dict[str, set[tuple[str, float]]] = {}
    from babel import Locale  # CLDR: loaded when a unit is first read, not on ``import backtrans``

    patterns = Locale.parse(_LOCALES[lang])._data["unit_patterns"]
    for unit_id, size in _CLDR_UNITS.items():
        for count_forms in patterns.get(unit_id, {}).values():
            for count, pattern in dict(count_forms).items():
                if count == "per" or not pattern.startswith("{0}"):
                    continue  # "{0}/km" is a rate; a pattern without the number before it is a dual ("ساعتان")
                name = _plain(pattern[3:]).replace("٪", "%")
                if len(name) > 1 or name in "%‰‱" or lang in {"zh", "ja"} and not name.isascii():
                    names.setdefault(name, set()).add(size)
    # a name of several units ("min": minute; "m.": month in French) counts only where it names one
    return {name: next(iter(sizes)) for name, sizes in names.items() if len(sizes) == 1 and name}


@lru_cache(maxsize=16)
def _reader(lang: str) -> tuple[re.Pattern[str], dict[str, tuple[str, float]]] | None:
    lang = base_lang(lang)
    if lang not in _LOCALES:
        return None
    names = _cldr_names(lang) | {_plain(k): v for k, v in _EXTRA.get(lang, {}).items()}
    spaced = lang not in {"zh", "ja"}  # a unit of a spaced script ends at the end of a word
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        end = r"(?![^\W\d_])" if spaced and name[-1].isalpha() else ""
        alternatives.append(re.escape(name).replace(r"\ ", r"[ \u00a0\u202f]") + end)
    pattern = re.compile(rf"[ \u00a0\u202f]?({'|'.join(alternatives)})", re.IGNORECASE)
    return pattern, names


def unit_after(text: str, end: int, lang: str) -> tuple[Unit | None, int]:
    """The unit written right after a number that ends at ``end``, and where it ends (``end`` without one)."""
    reader = _reader(lang)
    if reader is None:
        return None, end
    pattern, names = reader
    match = pattern.match(text, end)
    if not match:
        return None, end
    written = match.group(1)
    measure, factor = names[_plain(written)]
    return Unit(measure, factor, written), match.end()
