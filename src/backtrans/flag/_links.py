"""Rules on the alignment itself: an unrelated back-translation, omitted and added sentences,
numbers that differ, and back-translations far longer or shorter than their source."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..text.languages import language_name
from ..types import TITLE_PARAGRAPH, Flag, Segment
from ._quantities import compare_numbers
from .common import STRUCTURAL, Add, ArticleContext, Source, VersionView, clip, ids


def flag_unrelated(ctx: ArticleContext, view: VersionView, add: Add) -> bool:
    """Flag a back-translation that does not correspond to the source at all, once, for the article.

    A page in the wrong language, a garbled model or a different article leaves
    most source sentences unmatched; an editor needs one high flag for that,
    not one omission and one addition per sentence.
    """
    thresholds = ctx.thresholds
    compared = {i for link in view.links for i in link.source}
    omitted = sum(len(link.source) for link in view.links if link.kind == "1-0")
    added = sum(len(link.back) for link in view.links if link.kind == "0-1")
    if len(compared) < 3 or omitted < thresholds.unrelated_share * len(compared):
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


def flag_links(ctx: ArticleContext, view: VersionView, add: Add) -> None:
    """Omitted, added and moved sentences, a missing headline; numbers and lengths of every pair."""
    source, source_lang, thresholds, join = ctx.source, ctx.source_lang, ctx.thresholds, ctx.join
    _flag_structure(ctx, view, add)
    name = language_name(view.lang)
    for k, link in enumerate(view.links):
        if link.kind in STRUCTURAL:
            continue
        back = view.back_text(link, join)
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
        if len(src_text) >= thresholds.min_chars:
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
        _flag_numbers_by_paragraph(ctx, view, add)


def _anchor(view: VersionView, source: Source, k: int) -> tuple[int, ...]:
    """The source segment an added sentence stands next to: the one before it, else the one after it."""
    before = [i for link in view.links[:k] for i in link.source]
    after = [i for link in view.links[k + 1 :] for i in link.source]
    paragraph = view.back[view.links[k].back[0]].paragraph
    same = [i for i in before if source[i].paragraph == paragraph]
    if same:
        return (same[-1],)
    same_after = [i for i in after if source[i].paragraph == paragraph]
    if same_after:
        return (same_after[0],)
    return (before[-1],) if before else (after[:1] and (after[0],)) or ()


def _flag_structure(ctx: ArticleContext, view: VersionView, add: Add) -> None:
    source, thresholds, join = ctx.source, ctx.thresholds, ctx.join
    name = language_name(view.lang)
    source_title = [i for i, seg in enumerate(source) if seg.paragraph == TITLE_PARAGRAPH]
    version_title = any(seg.paragraph == TITLE_PARAGRAPH for seg in view.back)
    if source_title and not version_title and view.back:
        add(
            view.lang,
            Flag(
                "omitted",
                "low",
                f"the {name} version has no headline (the source's: «{clip(source[source_title[0]].text)}»)",
                ids(source, source_title),
                {"scope": "headline"},
            ),
            None,
        )
    omitted = [k for k, link in enumerate(view.links) if link.kind == "1-0"]
    added = [
        k
        for k, link in enumerate(view.links)
        if link.kind == "0-1"
        and not (all(view.back[j].paragraph == TITLE_PARAGRAPH for j in link.back) and not source_title)
    ]  # a version headline with no source headline has nothing to be compared with
    moved: dict[int, int] = {}
    for k in omitted:
        text = join([source[i].text for i in view.links[k].source])
        scored = [
            (fuzz.token_set_ratio(text.casefold(), view.back_text(view.links[a], join).casefold()), a) for a in added
        ]
        best = max(((s, a) for s, a in scored if a not in moved.values()), default=None)
        if best is not None and best[0] >= thresholds.moved_similarity:
            moved[k] = best[1]
    for k in omitted:
        text = join([source[i].text for i in view.links[k].source])
        if k in moved:
            a = moved[k]
            to = view.back[view.links[a].back[0]].paragraph
            add(
                view.lang,
                Flag(
                    "moved",
                    "low",
                    f"the {name} version moves source sentence {', '.join(ids(source, view.links[k].source))} "
                    f"to its paragraph {to}: «{clip(text)}»",
                    ids(source, view.links[k].source),
                    {"source": text, "pair": k, "to_pair": a, "to_paragraph": to},
                ),
                k,
            )
            continue
        add(
            view.lang,
            Flag(
                "omitted",
                "high" if len(text.split()) >= 3 else "medium",
                f"the {name} version leaves out source sentence {', '.join(ids(source, view.links[k].source))}: "
                f"«{clip(text)}»",
                ids(source, view.links[k].source),
                {"source": text, "pair": k},
            ),
            k,
        )
    for k in added:
        if k in moved.values():
            continue
        link = view.links[k]
        back = view.back_text(link, join)
        version_ids = [view.segments[i].id for i in view.version_indices(link)]
        add(
            view.lang,
            Flag(
                "added",
                "high" if len(back.split()) >= 3 else "low",
                f"the {name} version adds a sentence the source does not have: «{clip(back)}»",
                ids(source, _anchor(view, source, k)),
                {
                    "back_translation": back,
                    "version": view.version_text(link, join),
                    "version_ids": version_ids,
                    "pair": k,
                },
            ),
            k,
        )


def _flag_numbers_by_paragraph(ctx: ArticleContext, view: VersionView, add: Add) -> None:
    """Without a segment map (existing back-translations of another shape), compare numbers per paragraph."""
    source, source_lang, join = ctx.source, ctx.source_lang, ctx.join
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
