"""Countries and territories by every name CLDR gives them in the newsroom's languages (Babel).

"Amerika Serikat", "AS", "United States", "États-Unis", "美国" and "الولايات المتحدة" name one territory
(US); so do "Vietnam", "Viet Nam" and "越南". The name check asks :func:`territory_found` whether a
back-translation or a version holds any form of a territory the source names, so that an exonym, the
international name or the short form is not a lost name.

Names compare folded: case, accents, punctuation and spaces aside ("Viêt Nam" is "vietnam"). A short form
written in capitals ("AS", "UK") matches only in capitals: "as" is an English word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

#: the languages whose CLDR territory names are read: the source's and the versions'
LANGUAGES = ("id", "ms", "en", "fr", "zh", "ja", "ar")

#: CLDR's alt="short" and alt="variant" territory names in these languages. Babel's import of CLDR drops
#: every alt form (``Locale.territories`` holds only the default name) and no other maintained library ships
#: them, so the few that news copy uses are listed here, as CLDR has them.
_CLDR_ALT_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("AS", "US", "É.-U.", "アメリカ", "أمريكا"),
    "GB": ("UK", "R.-U."),
    "HK": ("Hong Kong",),
    "MO": ("Makau", "Macao"),
    "PS": ("Palestina", "Palestine", "巴勒斯坦", "パレスチナ", "فلسطين"),
    "TL": ("East Timor",),
    "CZ": ("Republik Ceko", "Czech Republic", "République tchèque"),
    "CI": ("Ivory Coast",),
    "TR": ("Turkey",),
}

_ACRONYM = re.compile(r"^[A-ZÉ][A-Z.\-É]*[A-Z.]$")


def fold(name: str) -> str:
    """Case, accents, punctuation and spaces aside: "Viêt Nam", "Viet-Nam" → "vietnam"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _words(text: str) -> str:
    """A text folded word by word, one space between words (so a name is found at word boundaries)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(" " if not (c.isalnum() or unicodedata.combining(c)) else c for c in decomposed)
    return " ".join("".join(c for c in kept if not unicodedata.combining(c)).split())


@cache
def _names() -> dict[str, frozenset[str]]:
    """Territory code → every CLDR name of it in :data:`LANGUAGES` (as written)."""
    from babel import Locale  # CLDR: loaded when a name is first checked, not on ``import backtrans``

    names: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code != "ZZ":  # countries, not regions (001, 419)
                names.setdefault(code, set()).add(name)
    for code, alternatives in _CLDR_ALT_NAMES.items():
        names.setdefault(code, set()).update(alternatives)
    return {code: frozenset(forms) for code, forms in names.items()}


@cache
def _codes_by_fold() -> dict[str, frozenset[str]]:
    """A folded name → the territories it names (an all-capitals short form only as written)."""
    index: dict[str, set[str]] = {}
    for code, forms in _names().items():
        for form in forms:
            key = form if _ACRONYM.match(form) else fold(form)
            if key:
                index.setdefault(key, set()).add(code)
    return {key: frozenset(codes) for key, codes in index.items()}


def territories_of(name: str) -> frozenset[str]:
    """The territories (ISO codes) a string names by one of its CLDR names; empty for anything else."""
    name = name.strip()
    index = _codes_by_fold()
    if _ACRONYM.match(name):
        return index.get(name, frozenset())
    return index.get(fold(name), frozenset())


def same_territory(a: str, b: str) -> bool:
    """Whether two strings name the same territory: "AS" and "États-Unis", "Vietnam" and "Viet Nam"."""
    return bool(territories_of(a) & territories_of(b))


@lru_cache(maxsize=4096)
def territory_in(name: str) -> str | None:
    """The longest run of a name's words that names a territory: "Luar Negeri Amerika Serikat" → "Amerika
    Serikat"; None when no run does."""
    words = name.split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            run = " ".join(words[start : start + size])
            if territories_of(run):
                return run
    return None


@lru_cache(maxsize=1024)
def _pattern(code: str) -> re.Pattern[str]:
    """Any form of a territory in a text prepared by :func:`_prepared`: capitals as written, the rest folded."""
    alternatives = []
    for form in _names()[code]:
        if _ACRONYM.match(form):
            alternatives.append(rf"(?<![\w.]){re.escape(form)}(?![\w])")
        elif any(c.isascii() and c.isalpha() for c in fold(form)) or " " in _words(form):
            spaced = _words(form)
            alternatives.append(rf"(?<!\w){re.escape(spaced)}(?!\w)")
            alternatives.append(rf"(?<!\w){re.escape(spaced.replace(' ', ''))}(?!\w)")
        else:  # Chinese, Japanese and Arabic forms: written without spaces around them, or glued (و, ال)
            alternatives.append(re.escape(_words(form)))
    return re.compile("|".join(sorted(set(alternatives), key=len, reverse=True)))


def territory_found(name: str, *texts: str) -> bool:
    """Whether any of ``texts`` holds any CLDR form of the territory ``name`` names (False when it names none)."""
    codes = territories_of(name)
    if not codes:
        return False
    for text in texts:
        if not text:
            continue
        prepared = f"{text}\n{_words(text)}"  # capitals as written, then the folded words
        if any(_pattern(code).search(prepared) for code in codes):
            return True
    return False
