"""A page or a paragraph in the wrong language, and text left in the source language.

Each paragraph of a version is identified among many candidate languages
(:mod:`backtrans.flag._langid`), not only the run's: a "French" page in English is
English even in a run whose only versions are French. When at least
``Thresholds.wrong_language_share`` of a version's paragraphs are in another
language, the page gets one high flag (``wrong_language``, or ``untranslated``
when it is the source language) and no other flag: everything else about it
would only repeat that. Otherwise each such paragraph gets a medium flag.
"""

from __future__ import annotations

import re

from ..config import Thresholds
from ..text.languages import base_lang, language_name, script_of
from ..types import Flag, Segment
from ._langid import detect
from .common import Add, ArticleContext, Source, VersionView


def _detect(texts: list[str], langs: set[str], thresholds: Thresholds, **kwargs: str) -> list[tuple[str, float] | None]:
    return detect(
        texts, langs, min_letters=thresholds.min_chars, min_confidence=thresholds.language_confidence, **kwargs
    )


def _source_ids_of_paragraph(view: VersionView, source: Source, paragraph: int) -> tuple[str, ...]:
    """Source segments aligned with a version paragraph (its own number where nothing is aligned)."""
    indices: list[int] = []
    for link in view.links:
        if any(view.segments[i].paragraph == paragraph for i in view.version_indices(link)):
            indices.extend(link.source)
    if not indices:
        indices = [i for i, s in enumerate(source) if s.paragraph == paragraph]
    return tuple(source[i].id for i in sorted(set(indices)))


def wrong_language_pages(ctx: ArticleContext, add: Add) -> set[str]:
    """Flag languages detected in each version; return the versions whose whole page is in another language."""
    views, source, source_lang, thresholds, join = ctx.views, ctx.source, ctx.source_lang, ctx.thresholds, ctx.join
    langs = {source_lang, *(view.lang for view in views)}
    pages: set[str] = set()
    for view in views:
        paragraphs: dict[int, list[Segment]] = {}
        for seg in view.segments:
            paragraphs.setdefault(seg.paragraph, []).append(seg)
        numbers = sorted(paragraphs)
        texts = [join([s.text for s in paragraphs[p]]) for p in numbers]
        # names say nothing of the language around them (an English paragraph full of Indonesian names and places
        # reads as Indonesian to the detector): capitalised words are left out of what it reads, unless that leaves
        # too little to read (a headline in Title Case, a German paragraph)
        detected = _detect(
            [_without_names(text, thresholds.min_chars) for text in texts],
            langs,
            thresholds,
            expected=view.lang,
            source_lang=source_lang,
        )
        judged = [(p, found) for p, found in zip(numbers, detected, strict=True) if found is not None]
        wrong = [(p, code, confidence) for p, (code, confidence) in judged if code != base_lang(view.lang)]
        name = language_name(view.lang)
        if judged and wrong and len(wrong) / len(judged) >= thresholds.wrong_language_share:
            found_langs = sorted({code for _, code, _ in wrong})
            code = "untranslated" if found_langs == [base_lang(source_lang)] else "wrong_language"
            add(
                view.lang,
                Flag(
                    code,
                    "high",
                    f"the {name} version is written in {', '.join(language_name(c) for c in found_langs)} "
                    f"({len(wrong)} of {len(judged)} paragraphs)",
                    (),
                    {"paragraphs": [w[0] for w in wrong], "detected": found_langs, "scope": "article"},
                ),
                None,
            )
            pages.add(view.lang)
            continue
        for p, found, confidence in wrong:
            code = "untranslated" if found == base_lang(source_lang) else "wrong_language"
            add(
                view.lang,
                Flag(
                    code,
                    "medium",
                    f"paragraph {p} of the {name} version is in {language_name(found)}",
                    _source_ids_of_paragraph(view, source, p),
                    {"paragraph": p, "detected": found, "confidence": round(confidence, 3), "scope": "paragraph"},
                ),
                None,
            )
        skip = {w[0] for w in wrong}
        if script_of(view.lang) != "latin":
            skip |= _flag_latin_runs(ctx, view, langs, paragraphs, skip, add)
        _flag_untranslated_segments(ctx, view, langs, skip, add)
    return pages


def _flag_latin_runs(
    ctx: ArticleContext,
    view: VersionView,
    langs: set[str],
    paragraphs: dict[int, list[Segment]],
    skip: set[int],
    add: Add,
) -> set[int]:
    """A Chinese, Japanese or Arabic paragraph that carries source-language text in Latin letters
    (a quotation left untranslated inside a translated attribution)."""
    source, source_lang, thresholds = ctx.source, ctx.source_lang, ctx.thresholds
    flagged = set()
    for p, segments in paragraphs.items():
        plain = " ".join(_plain_latin(s.text) for s in segments).strip()
        if p in skip or len(plain) < 2 * thresholds.min_chars:
            continue
        (found,) = _detect([plain], langs, thresholds, source_lang=source_lang)
        if found is None or found[0] != base_lang(source_lang):
            continue
        flagged.add(p)
        add(
            view.lang,
            Flag(
                "untranslated",
                "medium",
                f"paragraph {p} of the {language_name(view.lang)} version leaves source-language text untranslated: "
                f"«{plain[:60]}»",
                _source_ids_of_paragraph(view, source, p),
                {"paragraph": p, "detected": found[0], "scope": "paragraph"},
            ),
            None,
        )
    return flagged


_LATIN_RUN = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 ,.;:'’()\"-]{20,}")
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][\w'’-]*")


def _without_names(text: str, min_letters: int) -> str:
    """A paragraph without its capitalised words, or as written where fewer than ``min_letters`` letters remain."""
    plain = _CAPITALISED.sub(" ", text)
    return plain if sum(map(str.isalpha, plain)) >= min_letters else text


def _plain_latin(text: str) -> str:
    """The longest Latin-script run of a segment, without its capitalised words (names say nothing of the
    language around them): what per-segment language identification looks at."""
    runs = _LATIN_RUN.findall(text)
    if not runs:
        return ""
    return " ".join(_CAPITALISED.sub(" ", max(runs, key=len)).split())


def _flag_untranslated_segments(
    ctx: ArticleContext, view: VersionView, langs: set[str], skip: set[int], add: Add
) -> None:
    """A version segment that is a source segment word for word, or written in the source language."""
    source, source_lang, thresholds = ctx.source, ctx.source_lang, ctx.thresholds
    source_texts = {" ".join(s.text.split()).casefold() for s in source}
    name = language_name(view.lang)
    for k, link in enumerate(view.links):
        for i in view.version_indices(link):
            seg = view.segments[i]
            if seg.paragraph in skip or len(seg.text) < thresholds.min_chars:
                continue
            copied = " ".join(seg.text.split()).casefold() in source_texts
            if not copied:
                plain = _plain_latin(seg.text)
                if len(plain) >= 2 * thresholds.min_chars:
                    (found,) = _detect([plain], langs, thresholds, source_lang=source_lang)
                    copied = found is not None and found[0] == base_lang(source_lang) != base_lang(view.lang)
            if copied:
                add(
                    view.lang,
                    Flag(
                        "untranslated",
                        "medium",
                        f"segment {seg.id} of the {name} version is the source text, untranslated",
                        tuple(source[i].id for i in link.source),
                        {"version_segment": seg.id, "pair": k},
                    ),
                    k,
                )
