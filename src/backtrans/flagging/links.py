"""Rules on the alignment itself: an unrelated back-translation, omitted and added sentences,
numbers that differ, and back-translations far longer or shorter than their source."""

from __future__ import annotations

from ..config import Thresholds
from ..languages import language_name
from ..numbers import compare_numbers
from ..segment import Join
from ..types import TITLE_PARAGRAPH, Flag, Segment
from .common import Add, Source, VersionView, clip, ids

#: a version whose alignment leaves at least this share of the source unmatched is unrelated to it
UNRELATED_SHARE = 0.5


def flag_unrelated(view: VersionView, source: Source, add: Add) -> bool:
    """Flag a back-translation that does not correspond to the source at all, once, for the article.

    A page in the wrong language, a garbled model or a different article leaves
    most source sentences unmatched; an editor needs one high flag for that,
    not one omission and one addition per sentence.
    """
    compared = {i for link in view.links for i in link.source}
    omitted = sum(len(link.source) for link in view.links if link.kind == "1-0")
    added = sum(len(link.back) for link in view.links if link.kind == "0-1")
    if len(compared) < 3 or omitted < UNRELATED_SHARE * len(compared):
        return False
    add(
        view.lang,
        Flag(
            "low_consistency",
            "high",
            f"the {language_name(view.lang)} back-translation does not correspond to the source: "
            f"{omitted} of {len(compared)} source sentences have no counterpart",
            (),
            {"scope": "article", "unmatched_source": omitted, "unmatched_version": added},
        ),
        None,
    )
    return True


def flag_links(
    view: VersionView, source: Source, source_lang: str, thresholds: Thresholds, join: Join, add: Add
) -> None:
    name = language_name(view.lang)
    source_has_title = any(seg.paragraph == TITLE_PARAGRAPH for seg in source)
    for k, link in enumerate(view.links):
        if link.kind == "1-0":
            text = join([source[i].text for i in link.source])
            add(
                view.lang,
                Flag(
                    "omitted",
                    "high" if len(text.split()) >= 3 else "medium",
                    f"the {name} version leaves out source sentence "
                    f"{', '.join(ids(source, link.source))}: «{clip(text)}»",
                    ids(source, link.source),
                    {"source": text, "pair": k},
                ),
                k,
            )
            continue
        back = view.back_text(link, join)
        headline_only = all(view.back[j].paragraph == TITLE_PARAGRAPH for j in link.back)
        if link.kind == "0-1" and headline_only and not source_has_title:
            continue  # the version has a headline file and the source has none: nothing to compare it with
        if link.kind == "0-1":
            version_ids = tuple(view.segments[i].id for i in view.version_indices(link))
            add(
                view.lang,
                Flag(
                    "added",
                    "high" if len(back.split()) >= 3 else "low",
                    f"the {name} version adds a sentence the source does not have: «{clip(back)}»",
                    version_ids,
                    {"back_translation": back, "version": view.version_text(link, join), "pair": k, "side": "version"},
                ),
                k,
            )
            continue
        src_text = join([source[i].text for i in link.source])
        seg_ids = ids(source, link.source)
        version_text = view.version_text(link, join)
        if view.origin is not None:
            check = compare_numbers(src_text, source_lang, version_text, view.lang)
            if not check.ok:
                parts = []
                if check.missing:
                    parts.append(f"source has {', '.join(check.missing)}")
                if check.unexpected:
                    parts.append(f"the {name} version has {', '.join(check.unexpected)}")
                add(
                    view.lang,
                    Flag(
                        "number_mismatch",
                        "high",
                        "numbers differ: " + "; ".join(parts),
                        seg_ids,
                        {"missing": list(check.missing), "unexpected": list(check.unexpected), "pair": k},
                    ),
                    k,
                )
        if len(src_text) >= 20 and src_text:
            ratio = len(back) / len(src_text)
            if ratio > thresholds.length_ratio or ratio < 1 / thresholds.length_ratio:
                add(
                    view.lang,
                    Flag(
                        "length_ratio",
                        "low",
                        f"the back-translation is {ratio:.1f}× the length of the source",
                        seg_ids,
                        {"ratio": round(ratio, 3), "pair": k},
                    ),
                    k,
                )
    if view.origin is None:
        _flag_numbers_by_paragraph(view, source, source_lang, join, add)


def _flag_numbers_by_paragraph(view: VersionView, source: Source, source_lang: str, join: Join, add: Add) -> None:
    """Without a segment map (existing back-translations of another shape), compare numbers per paragraph."""
    src_par: dict[int, list[Segment]] = {}
    ver_par: dict[int, list[Segment]] = {}
    for seg in source:
        src_par.setdefault(seg.paragraph, []).append(seg)
    for seg in view.segments:
        ver_par.setdefault(seg.paragraph, []).append(seg)
    if sorted(src_par) != sorted(ver_par):
        src_par = {1: [s for s in source if s.paragraph != TITLE_PARAGRAPH]}
        ver_par = {1: [s for s in view.segments if s.paragraph != TITLE_PARAGRAPH]}
    for p in sorted(src_par):
        check = compare_numbers(
            join([s.text for s in src_par[p]]), source_lang, join([s.text for s in ver_par.get(p, [])]), view.lang
        )
        if check.ok:
            continue
        add(
            view.lang,
            Flag(
                "number_mismatch",
                "high",
                f"numbers differ in paragraph {p}: source has {', '.join(check.missing) or 'nothing more'}; "
                f"the {language_name(view.lang)} version has {', '.join(check.unexpected) or 'nothing more'}",
                tuple(s.id for s in src_par[p]),
                {"missing": list(check.missing), "unexpected": list(check.unexpected), "paragraph": p},
            ),
            None,
        )
