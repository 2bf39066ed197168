"""Rules that turn evidence into :class:`Flag` objects an editor can act on.

Every rule works on one article with all its versions at once, because the
strongest signals compare languages: a segment where the other languages agree
with the source but this one does not (``outlier_language``), a name that the
other back-translations keep but this one lost (``name_mismatch``).

Codes: ``low_consistency``, ``outlier_language``, ``number_mismatch``,
``name_mismatch``, ``wrong_language``, ``untranslated``, ``omitted``,
``added``, ``repetition``, ``length_ratio``. Thresholds come from
:class:`~backtrans.config.Thresholds`.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .config import Thresholds
from .langid import detect
from .languages import CJK_LANGS, base_lang, language_name
from .numbers import compare_numbers
from .segment import Join
from .types import TITLE_PARAGRAPH, Flag, Link, Scores, Segment

CODES = (
    "omitted",
    "added",
    "number_mismatch",
    "wrong_language",
    "untranslated",
    "name_mismatch",
    "outlier_language",
    "low_consistency",
    "repetition",
    "length_ratio",
)
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_CAPITALISED = re.compile(r"^[A-Z][a-zà-ÿ'’]+$")
_TOKEN = re.compile(r"[^\W_][\w'’-]*")

Add = Callable[[str, Flag, "int | None"], None]
Coverage = dict[str, dict[int, int]]
Views = Sequence["VersionView"]
Source = Sequence[Segment]


@dataclass(frozen=True)
class VersionView:
    """What the rules need of one version: texts, alignment and link scores."""

    lang: str
    segments: tuple[Segment, ...]
    back: tuple[Segment, ...]
    origin: tuple[int, ...] | None
    links: tuple[Link, ...]
    scores: tuple[Scores | None, ...]  #: per link; None for 1-0 and 0-1

    def version_indices(self, link: Link) -> tuple[int, ...]:
        if self.origin is None:
            return ()
        return tuple(dict.fromkeys(self.origin[b] for b in link.back))

    def version_text(self, link: Link, join: Join) -> str:
        return join([self.segments[i].text for i in self.version_indices(link)])

    def back_text(self, link: Link, join: Join) -> str:
        return join([self.back[j].text for j in link.back])


def _ids(source: Sequence[Segment], indices: Sequence[int]) -> tuple[str, ...]:
    return tuple(source[i].id for i in indices)


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _present(token: str, *texts: str) -> bool:
    pattern = re.compile(r"(?<!\w)" + re.escape(token) + r"(?!\w)", re.IGNORECASE)
    return any(pattern.search(t) for t in texts)


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


def _loop(tokens: Sequence[str], max_n: int, min_count: int) -> tuple[str, int] | None:
    """The longest run of one n-gram repeated back to back at least ``min_count`` times."""
    best: tuple[str, int] | None = None
    for n in range(1, max_n + 1):
        i = 0
        while i + n <= len(tokens):
            gram = tokens[i : i + n]
            count = 1
            while tokens[i + count * n : i + (count + 1) * n] == gram:
                count += 1
            if count >= min_count and (best is None or count * n > best[1] * len(best[0].split())):
                best = (" ".join(gram), count)
            i += max(1, (count - 1) * n) if count > 1 else 1
    return best


def find_repetition(text: str, lang: str, thresholds: Thresholds) -> tuple[str, int] | None:
    if base_lang(lang) in CJK_LANGS:
        chars = [c for c in text if c.isalnum()]
        return _loop(chars, thresholds.repetition_ngram * 2, thresholds.repetition_count + 1)
    words = [w.lower() for w in _TOKEN.findall(text)]
    return _loop(words, thresholds.repetition_ngram, thresholds.repetition_count)


def flag_article(
    source: Sequence[Segment],
    source_lang: str,
    views: Sequence[VersionView],
    thresholds: Thresholds,
    join: Join,
) -> dict[str, list[tuple[Flag, int | None]]]:
    """Flags of every version of one article, each with the index of the pair (link) it concerns."""
    out: dict[str, list[tuple[Flag, int | None]]] = {view.lang: [] for view in views}

    def add(lang: str, flag: Flag, link: int | None) -> None:
        out[lang].append((flag, link))

    coverage = _coverage(views)
    for view in views:
        if _unrelated(view, source, add):
            continue  # one flag says it all; the per-segment rules would only repeat it
        _flag_links(view, source, source_lang, thresholds, join, add)
        _flag_low_consistency(view, source, thresholds, coverage, views, add)
        _flag_repetition(view, source, thresholds, join, add)
    _flag_outliers(views, source, coverage, thresholds, add)
    _flag_names(views, source, source_lang, coverage, join, add)
    _flag_languages(views, source, source_lang, thresholds, join, add)
    for lang in out:
        out[lang].sort(key=lambda item: (SEVERITY_ORDER[item[0].severity], item[1] if item[1] is not None else -1))
    return out


#: a version whose alignment leaves at least this share of the source unmatched is unrelated to it
UNRELATED_SHARE = 0.5


def _unrelated(view: VersionView, source: Source, add: Add) -> bool:
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


def _coverage(views: Sequence[VersionView]) -> dict[str, dict[int, int]]:
    """For each language: source segment index → index of the link that covers it."""
    return {view.lang: {i: k for k, link in enumerate(view.links) for i in link.source} for view in views}


def _flag_links(
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
                    f"{', '.join(_ids(source, link.source))}: «{_clip(text)}»",
                    _ids(source, link.source),
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
                    f"the {name} version adds a sentence the source does not have: «{_clip(back)}»",
                    version_ids,
                    {"back_translation": back, "version": view.version_text(link, join), "pair": k, "side": "version"},
                ),
                k,
            )
            continue
        src_text = join([source[i].text for i in link.source])
        ids = _ids(source, link.source)
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
                        ids,
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
                        ids,
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


def _flag_low_consistency(
    view: VersionView, source: Source, thresholds: Thresholds, coverage: Coverage, views: Views, add: Add
) -> None:
    """A pair far below this version's own typical level and below the floor.

    Where two or more other languages are just as low on the same source
    segment, the segment is hard (a free headline, an idiom), not this
    version's error: no flag.
    """
    scored = [(k, s.chrf) for k, s in enumerate(view.scores) if s is not None]
    if len(scored) < 4:
        return
    values = [v for _, v in scored]
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    spread = max(1.4826 * mad, 5.0)
    for k, value in scored:
        z = (value - median) / spread
        if value >= thresholds.low_consistency_floor or z > -thresholds.low_consistency_z:
            continue
        others = []
        for other in views:
            if other.lang == view.lang:
                continue
            covering = {coverage[other.lang][i] for i in view.links[k].source if i in coverage[other.lang]}
            others += [score.chrf for o in covering if (score := other.scores[o]) is not None]
        if len(others) >= 2 and statistics.median(others) < thresholds.low_consistency_floor:
            continue
        add(
            view.lang,
            Flag(
                "low_consistency",
                "medium",
                f"chrF++ {value:.1f}, far below this version's median of {median:.1f}",
                _ids(source, view.links[k].source),
                {"chrf": round(value, 2), "median": round(median, 2), "robust_z": round(z, 2), "pair": k},
            ),
            k,
        )


def _flag_repetition(view: VersionView, source: Source, thresholds: Thresholds, join: Join, add: Add) -> None:
    for k, link in enumerate(view.links):
        for side, text, lang in (
            ("version", view.version_text(link, join), view.lang),
            ("back-translation", view.back_text(link, join), None),
        ):
            if not text:
                continue
            loop = find_repetition(text, lang or "xx", thresholds)
            if loop is None:
                continue
            gram, count = loop
            add(
                view.lang,
                Flag(
                    "repetition",
                    "medium",
                    f"the {side} repeats «{_clip(gram, 40)}» {count} times in a row",
                    _ids(source, link.source),
                    {"side": side, "ngram": gram, "count": count, "pair": k},
                ),
                k,
            )
            break


def _flag_outliers(views: Views, source: Source, coverage: Coverage, thresholds: Thresholds, add: Add) -> None:
    if len(views) < 3:
        return
    flagged: set[tuple[str, int]] = set()
    for i in range(len(source)):
        scores: dict[str, tuple[float, int]] = {}
        for view in views:
            k = coverage[view.lang].get(i)
            score = view.scores[k] if k is not None else None
            if k is not None and score is not None:
                scores[view.lang] = (score.chrf, k)
        if len(scores) < 3:
            continue
        for lang, (value, k) in scores.items():
            others = [v for other, (v, _) in scores.items() if other != lang]
            agree = statistics.median(others)
            if agree >= thresholds.outlier_agreement and value <= agree - thresholds.outlier_gap:
                if (lang, k) in flagged:
                    continue
                flagged.add((lang, k))
                view = next(v for v in views if v.lang == lang)
                add(
                    lang,
                    Flag(
                        "outlier_language",
                        "medium",
                        f"chrF++ {value:.1f} while the other languages agree with the source (median {agree:.1f})",
                        _ids(source, view.links[k].source),
                        {"chrf": round(value, 2), "others_median": round(agree, 2), "pair": k},
                    ),
                    k,
                )


def _flag_names(views: Views, source: Source, source_lang: str, coverage: Coverage, join: Join, add: Add) -> None:
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
        present: dict[str, dict[str, bool]] = {}
        verbatim: set[str] = set()
        for lang, view in by_lang.items():
            k = coverage[lang].get(i)
            if k is None or view.links[k].kind == "1-0":
                continue
            link = view.links[k]
            back, version = view.back_text(link, join), view.version_text(link, join)
            present[lang] = {name: _present(name, back, version) for name in names}
            verbatim.update(name for name in names if _present(name, version))
        for lang, found in present.items():
            k = coverage[lang][i]
            others = {other: f for other, f in present.items() if other != lang}
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
                kept = f" (kept by {', '.join(keepers)})" if keepers else ""
                add(
                    lang,
                    Flag(
                        "name_mismatch",
                        severity,
                        f"«{name}» is missing from the {language_name(lang)} version and its back-translation{kept}",
                        _ids(source, by_lang[lang].links[k].source),
                        {"name": name, "kept_by": keepers, "pair": k},
                    ),
                    k,
                )


def _flag_languages(
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
                            _ids(source, link.source),
                            {"version_segment": seg.id, "pair": k},
                        ),
                        k,
                    )
