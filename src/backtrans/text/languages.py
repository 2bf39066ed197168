"""Everything backtrans knows about languages: codes, names, scripts, writing direction.

Codes are ISO 639-1 (two letters), optionally followed by a script (``zh-Hans``)
or a region (``pt-BR``). Validity comes from the IANA language subtag registry
through ``langcodes``; deprecated codes are replaced by their current form
(``in`` → ``id``, ``iw`` → ``he``).
"""

from __future__ import annotations

import langcodes

#: English names of the languages reports mention most; other codes are shown as they are.
LANGUAGE_NAMES = {
    "id": "Indonesian",
    "en": "English",
    "fr": "French",
    "zh": "Chinese",
    "ja": "Japanese",
    "ar": "Arabic",
    "ms": "Malay",
    "de": "German",
    "es": "Spanish",
    "nl": "Dutch",
    "ko": "Korean",
    "ru": "Russian",
    "pt": "Portuguese",
    "it": "Italian",
    "vi": "Vietnamese",
    "th": "Thai",
    "hi": "Hindi",
    "tr": "Turkish",
}

#: Right-to-left scripts (reports set dir="rtl" on their text).
RTL_LANGS = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv"})
#: Languages written without spaces between words.
CJK_LANGS = frozenset({"zh", "ja", "ko"})
#: Script family of a language, as the segmenter and the number reader see it.
SCRIPT_LATIN, SCRIPT_CJK, SCRIPT_ARABIC, SCRIPT_OTHER = "latin", "cjk", "arabic", "other"
_NON_LATIN = {
    **dict.fromkeys(CJK_LANGS, SCRIPT_CJK),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "sd", "ug"), SCRIPT_ARABIC),
    **dict.fromkeys(("he", "yi", "dv", "ru", "uk", "bg", "el", "hi", "th", "ka", "hy", "am"), SCRIPT_OTHER),
}


def base_lang(code: str) -> str:
    """``"zh-Hans"`` → ``"zh"``."""
    return code.split("-", 1)[0]


def is_iso_639_1(code: str) -> bool:
    """A two-letter language code of the IANA registry (``id``, ``en``; not ``xx``)."""
    return len(code) == 2 and code.isascii() and code.isalpha() and langcodes.tag_is_valid(code.lower())


def normalize_lang(code: str) -> str | None:
    """A canonical language code (``ZH-hans`` → ``zh-Hans``, ``in`` → ``id``), or None when it is not one."""
    code = code.strip().replace("_", "-")
    parts = code.split("-")
    if not is_iso_639_1(parts[0]) or len(parts) > 2:
        return None
    lang = base_lang(langcodes.standardize_tag(parts[0].lower()))
    if len(parts) == 1:
        return lang
    sub = parts[1]
    if len(sub) == 4 and sub.isascii() and sub.isalpha():
        return f"{lang}-{sub.title()}"
    if len(sub) == 2 and sub.isascii() and sub.isalpha():
        return f"{lang}-{sub.upper()}"
    return None


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(base_lang(code), code)


def script_of(code: str) -> str:
    """``latin``, ``cjk``, ``arabic`` or ``other``: how a language is written."""
    return _NON_LATIN.get(base_lang(code), SCRIPT_LATIN)
