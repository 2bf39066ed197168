"""Names of the source (acronyms, capitalised names) that a version lost."""

from __future__ import annotations

import re

from ..languages import CJK_LANGS, base_lang, language_name
from ..segment import Join
from ..types import TITLE_PARAGRAPH, Flag
from .common import Add, Coverage, Source, Views, ids, present

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_CAPITALISED = re.compile(r"^[A-Z][a-zà-ÿ'’]+$")
_TOKEN = re.compile(r"[^\W_][\w'’-]*")


def source_names(text: str, acronyms_only: bool = False) -> list[str]:
    """Acronyms (KPK, BMKG) and capitalised words that do not start a sentence (Nadella, Semarang).

    ``acronyms_only`` for headlines, where every word may be capitalised.
    """
    names: list[str] = []
    tokens = list(_TOKEN.finditer(text))
    for k, match in enumerate(tokens):
        token = match.group().strip("'’-")
        if _ACRONYM.match(token) and sum(c.isupper() for c in token) >= 2:
            names.append(token)
            continue
        if acronyms_only or not _CAPITALISED.match(token) or k == 0:
            continue
        before = text[: match.start()].rstrip()
        if not before or before[-1] in '.!?"“«(:–—-':
            continue  # sentence- or quote-initial: capitalised for grammar, not a name
        names.append(token)
    return list(dict.fromkeys(names))


def flag_names(views: Views, source: Source, source_lang: str, coverage: Coverage, join: Join, add: Add) -> None:
    """A name the source has and most other versions keep, but this version lost.

    Only names some translation keeps verbatim count (acronyms always do): a
    capitalised common noun ("Kota", "Klimatologi") is translated, not kept.
    """
    if base_lang(source_lang) in CJK_LANGS:
        return
    by_lang = {view.lang: view for view in views}
    reported: set[tuple[str, int, str]] = set()
    for i, seg in enumerate(source):
        names = source_names(seg.text, acronyms_only=seg.paragraph == TITLE_PARAGRAPH)
        if not names:
            continue
        kept: dict[str, dict[str, bool]] = {}
        verbatim: set[str] = set()
        for lang, view in by_lang.items():
            k = coverage[lang].get(i)
            if k is None or view.links[k].kind == "1-0":
                continue
            link = view.links[k]
            back, version = view.back_text(link, join), view.version_text(link, join)
            kept[lang] = {name: present(name, back, version) for name in names}
            verbatim.update(name for name in names if present(name, version))
        for lang, found in kept.items():
            k = coverage[lang][i]
            others = {other: f for other, f in kept.items() if other != lang}
            for name in names:
                is_acronym = bool(_ACRONYM.match(name))
                if found[name] or (lang, k, name) in reported or not (is_acronym or name in verbatim):
                    continue
                keepers = sorted(other for other, f in others.items() if f[name])
                if len(others) >= 2:
                    if not keepers or len(keepers) * 2 < len(others):
                        continue
                    severity = "medium"
                elif is_acronym:
                    severity = "low"
                else:
                    continue
                reported.add((lang, k, name))
                by = f" (kept by {', '.join(keepers)})" if keepers else ""
                add(
                    lang,
                    Flag(
                        "name_mismatch",
                        severity,
                        f"«{name}» is missing from the {language_name(lang)} version and its back-translation{by}",
                        ids(source, by_lang[lang].links[k].source),
                        {"name": name, "kept_by": keepers, "pair": k},
                    ),
                    k,
                )
