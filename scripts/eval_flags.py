"""How well the flags point an editor at real errors: recall and false alarms on the development set.

The development set (tests/data/dev/) holds articles written in the style of real Indonesian news
with AI versions in five languages, back-translations written as noisy as real MT (synonyms, word
order, transliteration wobble, English-pivot artefacts, occasional MT mistakes in correct paragraphs),
and an answer key per article (answers/<id>.json) listing every planted error with its class,
severity and the source paragraph that holds it.

Counting follows the held-out check the project is judged by:
- an error counts as found when a flag of its language names a segment of the source paragraph that
  holds it; a whole-page error counts when the page has a high ``wrong_language`` flag;
- a false alarm is a flag in a paragraph with no error (error-free paragraph × language cells with at
  least one flag, over all error-free cells); paragraphs of a page that is wrong as a whole are left out;
- flags that name no segment (article scope) are counted apart: on a page without a page-level error
  each one is a page-level false alarm.

Usage:
    .venv/bin/python scripts/eval_flags.py [--dev DIR] [--split tune|validation|all] [--details] [--check]

Batches a-, b- and c- are the tuning split; batch d- is kept apart as a validation split.
The last lines printed are the headline figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from backtrans import Settings, evaluate, load_inputs  # noqa: E402
from backtrans.text.segment import read_lines_as_segments, segment_document  # noqa: E402

DEV = ROOT / "tests" / "data" / "dev"
CLASSES = [
    "wrong_language",
    "untranslated",
    "name",
    "term",
    "quote",
    "date",
    "source",
    "negation",
    "hedge",
    "number",
    "omission",
    "addition",
    "moved",
    "garbled",
    "gender",
]
SPLITS = {"tune": ("a-", "b-", "c-"), "validation": ("d-",), "all": ("a-", "b-", "c-", "d-")}


def paragraph_of(segment_id: str) -> int:
    return int(segment_id.split(".", 1)[0])


def check(dev: Path) -> int:
    """Every back-translation has one line per version segment; every answer names a real paragraph."""
    problems = 0
    loaded = load_inputs([dev / "articles"])
    for article in loaded.articles:
        source_pars = {s.paragraph for s in segment_document(article.source)}
        for doc in article.versions:
            segs = Counter(s.paragraph for s in segment_document(doc))
            back = Counter(s.paragraph for s in read_lines_as_segments(doc.back or "", doc.back_title))
            if segs != back:
                problems += 1
                print(
                    f"{article.id}/{doc.lang}: segments per paragraph {dict(segs)} ≠ back-translation lines {dict(back)}"
                )
        key = json.loads((dev / "answers" / f"{article.id}.json").read_text(encoding="utf-8"))
        for err in key["errors"]:
            if err.get("class") not in CLASSES or err.get("severity") not in ("major", "minor"):
                problems += 1
                print(f"{article.id}: bad answer {err}")
            elif err.get("scope") != "page" and err.get("paragraph") not in source_pars:
                problems += 1
                print(f"{article.id}: answer names paragraph {err.get('paragraph')} of {sorted(source_pars)}")
    print(f"{problems} problem(s)")
    return problems


def evaluate_dev(
    dev: Path, prefixes: tuple[str, ...], details: bool, without: frozenset[str] = frozenset()
) -> dict[str, float]:
    folders = sorted(p for p in (dev / "articles").iterdir() if p.is_dir() and p.name.startswith(prefixes))
    articles = load_inputs(folders).articles
    report = evaluate(articles, Settings(bootstrap=0), mode="score")
    if without:
        report = _without_codes(report, without)
    found = Counter()
    total = Counter()
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    clean_cells = flagged_clean = 0
    page_false = 0
    code_hits: Counter[str] = Counter()
    code_false: Counter[str] = Counter()
    code_segments: Counter[str] = Counter()
    segments_total = 0
    misses: list[str] = []
    alarms: list[str] = []
    for article in report.articles:
        key = json.loads((dev / "answers" / f"{article.id}.json").read_text(encoding="utf-8"))
        paragraphs = sorted({s.paragraph for s in article.source})
        for version in article.versions:
            errors = [e for e in key["errors"] if e["lang"] == version.lang]
            page_error = any(e.get("scope") == "page" for e in errors)
            error_pars = {e["paragraph"] for e in errors if e.get("scope") != "page"}
            flagged_pars: dict[int, list[str]] = defaultdict(list)
            for flag in version.flags:
                pars = {paragraph_of(s) for s in flag.segments}
                for p in pars:
                    flagged_pars[p].append(flag.code)
                if not flag.segments and not page_error:
                    page_false += 1
                    code_false[flag.code] += 1
                    alarms.append(f"{article.id}/{version.lang} page: {flag.code} {flag.severity}: {flag.message}")
                if pars and not page_error:
                    if pars & error_pars:
                        code_hits[flag.code] += 1
                    else:
                        code_false[flag.code] += 1
                code_segments[flag.code] += len(flag.segments)
            segments_total += len(article.source)
            for err in errors:
                if err.get("scope") == "page":
                    hit = any(f.code == "wrong_language" and f.severity == "high" for f in version.flags)
                else:
                    hit = err["paragraph"] in flagged_pars
                sev = err["severity"]
                total[sev] += 1
                found[sev] += hit
                by_class[f"{err['class']} ({sev})"][0] += hit
                by_class[f"{err['class']} ({sev})"][1] += 1
                by_lang[version.lang][0] += hit and sev == "major"
                by_lang[version.lang][1] += sev == "major"
                if not hit:
                    where = "page" if err.get("scope") == "page" else f"¶{err['paragraph']}"
                    misses.append(
                        f"{article.id}/{version.lang} {where} {err['class']} ({sev}): {err.get('note', '')[:110]}"
                    )
            if page_error:
                continue
            for p in paragraphs:
                if p in error_pars:
                    continue
                clean_cells += 1
                if flagged_pars.get(p):
                    flagged_clean += 1
                    alarms.append(f"{article.id}/{version.lang} ¶{p}: {', '.join(sorted(set(flagged_pars[p])))}")
    print(f"articles {len(report.articles)}, versions {sum(len(a.versions) for a in report.articles)}")
    print("\nrecall by class (found/total):")
    for name in sorted(by_class):
        hit, n = by_class[name]
        print(f"  {name:28s} {hit:3d}/{n:<3d}")
    print("\nmajor recall by language:", ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_lang.items())))
    print("\nflags by code (in error paragraphs / in error-free paragraphs or pages; share of source segments named):")
    for code in sorted(set(code_hits) | set(code_false) | set(code_segments)):
        share = code_segments[code] / max(1, segments_total)
        print(f"  {code:20s} hits {code_hits[code]:4d}   false {code_false[code]:4d}   segments {share:6.1%}")
    if details:
        print("\nmissed errors:")
        for line in misses:
            print("  " + line)
        print("\nfalse alarms:")
        for line in alarms:
            print("  " + line)
    figures = {
        "major": found["major"] / max(1, total["major"]),
        "minor": found["minor"] / max(1, total["minor"]),
        "false": flagged_clean / max(1, clean_cells),
    }
    print(
        f"\nmajor errors found: {found['major']}/{total['major']} = {figures['major']:.1%}; "
        f"minor: {found['minor']}/{total['minor']} = {figures['minor']:.1%}"
    )
    print(
        f"false alarms: {flagged_clean}/{clean_cells} error-free paragraphs flagged = {figures['false']:.1%}; "
        f"page-level flags on error-free pages: {page_false}"
    )
    return figures


def _without_codes(report, codes: frozenset[str]):
    """The report as if the flags of some codes did not exist (to measure what each rule adds)."""
    from dataclasses import replace

    articles = tuple(
        replace(
            a, versions=tuple(replace(v, flags=tuple(f for f in v.flags if f.code not in codes)) for v in a.versions)
        )
        for a in report.articles
    )
    return replace(report, articles=articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--split", choices=sorted(SPLITS), default="all")
    parser.add_argument("--details", action="store_true", help="list every missed error and every false alarm")
    parser.add_argument("--check", action="store_true", help="only check the development set's files")
    parser.add_argument("--without", default="", help="leave out the flags of these codes (comma-separated)")
    args = parser.parse_args()
    if args.check:
        sys.exit(1 if check(args.dev) else 0)
    without = frozenset(c for c in args.without.split(",") if c)
    evaluate_dev(args.dev, SPLITS[args.split], args.details, without)


if __name__ == "__main__":
    main()
