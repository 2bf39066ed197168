"""A page or a paragraph in the wrong language, and text left in the source language."""

from __future__ import annotations

from ..config import Thresholds
from ..langid import detect
from ..languages import base_lang, language_name
from ..segment import Join
from ..types import Flag, Segment
from .common import Add, Source, Views, ids


def flag_languages(
    views: Views, source: Source, source_lang: str, thresholds: Thresholds, join: Join, add: Add
) -> None:
    langs = {source_lang, *(view.lang for view in views)}
    source_texts = {" ".join(s.text.split()).casefold() for s in source}
    for view in views:
        paragraphs: dict[int, list[Segment]] = {}
        for seg in view.segments:
            paragraphs.setdefault(seg.paragraph, []).append(seg)
        numbers = sorted(paragraphs)
        detected = detect([join([s.text for s in paragraphs[p]]) for p in numbers], langs)
        wrong: list[tuple[int, str, float]] = []
        judged = 0
        for p, found in zip(numbers, detected, strict=True):
            if found is None:
                continue
            judged += 1
            if base_lang(found[0]) != base_lang(view.lang):
                wrong.append((p, found[0], found[1]))
        name = language_name(view.lang)
        if judged and len(wrong) / judged >= thresholds.wrong_language_share and len(wrong) >= 1:
            found_langs = sorted({w[1] for w in wrong})
            code = "untranslated" if found_langs == [base_lang(source_lang)] else "wrong_language"
            add(
                view.lang,
                Flag(
                    code,
                    "high",
                    f"the {name} version is written in {', '.join(language_name(c) for c in found_langs)} "
                    f"({len(wrong)} of {judged} paragraphs)",
                    (),
                    {"paragraphs": [w[0] for w in wrong], "detected": found_langs, "scope": "article"},
                ),
                None,
            )
        else:
            for p, lang, confidence in wrong:
                code = "untranslated" if base_lang(lang) == base_lang(source_lang) else "wrong_language"
                add(
                    view.lang,
                    Flag(
                        code,
                        "medium",
                        f"paragraph {p} of the {name} version is in {language_name(lang)}",
                        tuple(s.id for s in source if s.paragraph == p),
                        {"paragraph": p, "detected": lang, "confidence": round(confidence, 3), "scope": "paragraph"},
                    ),
                    None,
                )
        wrong_paragraphs = {w[0] for w in wrong}
        for k, link in enumerate(view.links):
            for i in view.version_indices(link):
                seg = view.segments[i]
                if seg.paragraph in wrong_paragraphs or len(seg.text) < 20:
                    continue
                if " ".join(seg.text.split()).casefold() in source_texts:
                    add(
                        view.lang,
                        Flag(
                            "untranslated",
                            "medium",
                            f"segment {seg.id} of the {name} version is the source text, untranslated",
                            ids(source, link.source),
                            {"version_segment": seg.id, "pair": k},
                        ),
                        k,
                    )
