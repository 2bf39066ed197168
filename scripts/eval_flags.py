"""How well the flags point an editor at real errors: recall, false alarms and precision on two development sets.

Two sets, two layouts, read alike:
- ours (tests/data/dev/): articles written by the project in the style of real Indonesian news, with AI versions
  in five languages, back-translations as noisy as real MT and one answer key per article (answers/<id>.json).
  Every rule was designed and tuned on it, all of it: it says whether a rule works as meant, not whether it
  generalises.
- external (../shared/data/dev-external/, when present): written by another author who never saw ours; one folder
  per article with id.txt, <lang>.txt, <lang>.mtback.txt (noisy back-translation; --back oracle reads the faithful
  <lang>.back.txt instead) and <lang>.errors.json (0-based paragraph indices into id.txt; null: the whole page).
  It is the validation set: measure on it, do not tune on it.

Counting follows the held-out check the project is judged by, at the run's --min-confidence:
- an error counts as found when a shown flag of its language names a segment of the source paragraph that holds
  it; a whole-page error counts when the page has a shown high ``wrong_language`` flag;
- a false alarm is a shown flag in a paragraph with no error (error-free paragraph × language cells with at least
  one shown flag, over all error-free cells); paragraphs of a page that is wrong as a whole are left out;
- flags that name no segment (article scope) on a page without a page-level error are page-level false alarms;
- segments flagged: source segment × version cells named by a shown flag, over all cells.
Per code: hits (shown flags in a paragraph with an error) and false (in an error-free paragraph), precision.
``--curve`` prints recall and false alarms over confidence thresholds (from one evaluation at threshold 0).

Usage:
    .venv/bin/python scripts/eval_flags.py [--dev DIR ...] [--back noisy|oracle] [--min-confidence X]
                                           [--curve] [--details] [--check] [--without CODES] [--json FILE]

The last lines printed per set are its headline figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from backtrans import Settings, evaluate, load_inputs  # noqa: E402
from backtrans.config import Thresholds  # noqa: E402
from backtrans.load.loading import article_from_record  # noqa: E402
from backtrans.text.segment import read_lines_as_segments, segment_document  # noqa: E402
from backtrans.types import Article, Report  # noqa: E402

OURS = ROOT / "tests" / "data" / "dev"
EXTERNAL = ROOT.parent / "shared" / "data" / "dev-external"
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(frozen=True)
class Error:
    """One planted error: its language, the source paragraph (project numbering; None: the whole page)."""

    lang: str
    paragraph: int | None
    kind: str
    severity: str
    note: str


@dataclass
class DevSet:
    name: str
    articles: list[Article]
    errors: dict[str, list[Error]]  #: article id → its errors


def paragraph_of(segment_id: str) -> int:
    return int(segment_id.split(".", 1)[0])


def is_external(dev: Path) -> bool:
    return not (dev / "articles").is_dir() and any(dev.glob("*/id.txt"))


def load_set(dev: Path, back: str = "noisy") -> DevSet:
    if not is_external(dev):
        articles = list(load_inputs([dev / "articles"]).articles)
        errors = {}
        for article in articles:
            key = json.loads((dev / "answers" / f"{article.id}.json").read_text(encoding="utf-8"))
            errors[article.id] = [
                Error(
                    e["lang"],
                    None if e.get("scope") == "page" else e["paragraph"],
                    e["class"],
                    e["severity"],
                    e.get("note", ""),
                )
                for e in key["errors"]
            ]
        return DevSet("ours", articles, errors)
    suffix = ".mtback.txt" if back == "noisy" else ".back.txt"
    articles, errors = [], {}
    for folder in sorted(p for p in dev.iterdir() if (p / "id.txt").is_file()):
        langs = sorted(p.name.split(".")[0] for p in folder.glob("*.errors.json"))
        texts = {"id": (folder / "id.txt").read_text(encoding="utf-8")}
        texts.update({lang: (folder / f"{lang}.txt").read_text(encoding="utf-8") for lang in langs})
        backs = {lang: (folder / f"{lang}{suffix}").read_text(encoding="utf-8") for lang in langs}
        record = {"id": folder.name, "source_lang": "id", "texts": texts, "back": backs}
        articles.append(article_from_record(record, str(folder), "id"))
        errors[folder.name] = [
            # 0-based paragraph of id.txt → the project's numbering (paragraph 0 is the headline; there is none)
            Error(lang, None if e["paragraph"] is None else e["paragraph"] + 1, e["type"], e["severity"], e["note"])
            for lang in langs
            for e in json.loads((folder / f"{lang}.errors.json").read_text(encoding="utf-8"))
        ]
    return DevSet("external", articles, errors)


def check(dev: Path) -> int:
    """Every back-translation has one line per version segment (ours); every answer names a real paragraph."""
    problems = 0
    data = load_set(dev)
    for article in data.articles:
        source_pars = {s.paragraph for s in segment_document(article.source)}
        if data.name == "ours":
            for doc in article.versions:
                segs = Counter(s.paragraph for s in segment_document(doc))
                back = Counter(s.paragraph for s in read_lines_as_segments(doc.back or "", doc.back_title))
                if segs != back:
                    problems += 1
                    print(f"{article.id}/{doc.lang}: segments per paragraph {dict(segs)} ≠ back lines {dict(back)}")
        for err in data.errors[article.id]:
            if err.severity not in ("major", "minor"):
                problems += 1
                print(f"{article.id}: bad answer {err}")
            elif err.paragraph is not None and err.paragraph not in source_pars:
                problems += 1
                print(f"{article.id}: answer names paragraph {err.paragraph} of {sorted(source_pars)}")
    print(f"{problems} problem(s)")
    return problems


@dataclass
class Figures:
    """What one set gives at one confidence threshold."""

    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    clean_cells: int = 0
    flagged_clean: int = 0
    page_false: int = 0
    cells: int = 0
    flagged_cells: int = 0
    code_hits: Counter[str] = field(default_factory=Counter)
    code_false: Counter[str] = field(default_factory=Counter)
    code_cells: Counter[str] = field(default_factory=Counter)
    by_class: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_lang: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    def headline(self) -> dict[str, float]:
        return {
            "major": self.found["major"] / max(1, self.total["major"]),
            "minor": self.found["minor"] / max(1, self.total["minor"]),
            "false": self.flagged_clean / max(1, self.clean_cells),
            "segments": self.flagged_cells / max(1, self.cells),
        }


def count(report: Report, data: DevSet, threshold: float) -> Figures:
    fig = Figures()
    for article in report.articles:
        errors = data.errors[article.id]
        paragraphs = sorted({s.paragraph for s in article.source})
        for version in article.versions:
            shown = [f for f in version.flags if f.confidence >= threshold and not f.dismissed]
            mine = [e for e in errors if e.lang == version.lang]
            page_error = any(e.paragraph is None for e in mine)
            error_pars = {e.paragraph for e in mine if e.paragraph is not None}
            flagged_pars: dict[int, list[str]] = defaultdict(list)
            named: set[str] = set()
            for flag in shown:
                pars = {paragraph_of(s) for s in flag.segments}
                named.update(flag.segments)
                for p in pars:
                    flagged_pars[p].append(flag.code)
                fig.code_cells[flag.code] += len(flag.segments)
                if page_error:
                    continue
                if not flag.segments:
                    fig.page_false += 1
                    fig.code_false[flag.code] += 1
                    fig.alarms.append(f"{article.id}/{version.lang} page: {flag.code} {flag.severity}: {flag.message}")
                elif pars & error_pars:
                    fig.code_hits[flag.code] += 1
                else:
                    fig.code_false[flag.code] += 1
            fig.cells += len(article.source)
            fig.flagged_cells += len(named)
            for err in mine:
                if err.paragraph is None:
                    hit = any(f.code == "wrong_language" and f.severity == "high" for f in shown)
                else:
                    hit = err.paragraph in flagged_pars
                fig.total[err.severity] += 1
                fig.found[err.severity] += hit
                fig.by_class[f"{err.kind} ({err.severity})"][0] += hit
                fig.by_class[f"{err.kind} ({err.severity})"][1] += 1
                fig.by_lang[version.lang][0] += hit and err.severity == "major"
                fig.by_lang[version.lang][1] += err.severity == "major"
                if not hit:
                    where = "page" if err.paragraph is None else f"¶{err.paragraph}"
                    fig.misses.append(
                        f"{article.id}/{version.lang} {where} {err.kind} ({err.severity}): {err.note[:110]}"
                    )
            if page_error:
                continue
            for p in paragraphs:
                if p in error_pars:
                    continue
                fig.clean_cells += 1
                if flagged_pars.get(p):
                    fig.flagged_clean += 1
                    codes = ", ".join(sorted(set(flagged_pars[p])))
                    texts = "; ".join(
                        f"{f.code} {f.confidence:.2f}: {f.message[:100]}"
                        for f in shown
                        if p in {paragraph_of(s) for s in f.segments}
                    )
                    fig.alarms.append(f"{article.id}/{version.lang} ¶{p}: {codes} — {texts}")
    return fig


def print_figures(name: str, fig: Figures, threshold: float, details: bool) -> None:
    versions = len(fig.by_lang)
    print(f"\n=== {name}: threshold {threshold:.2f} ({versions} languages) ===")
    print("recall by class (found/total):")
    for label in sorted(fig.by_class):
        hit, n = fig.by_class[label]
        print(f"  {label:32s} {hit:3d}/{n:<3d}")
    print("major recall by language:", ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(fig.by_lang.items())))
    print("flags by code (in error paragraphs / in error-free paragraphs or pages; precision; share of cells named):")
    for code in sorted(set(fig.code_hits) | set(fig.code_false) | set(fig.code_cells)):
        hits, false = fig.code_hits[code], fig.code_false[code]
        precision = f"{hits / (hits + false):6.1%}" if hits + false else "     –"
        share = fig.code_cells[code] / max(1, fig.cells)
        print(f"  {code:20s} hits {hits:4d}   false {false:4d}   precision {precision}   segments {share:6.1%}")
    if details:
        print("missed errors:")
        for line in fig.misses:
            print("  " + line)
        print("false alarms:")
        for line in fig.alarms:
            print("  " + line)
    h = fig.headline()
    print(
        f"{name}: major errors found: {fig.found['major']}/{fig.total['major']} = {h['major']:.1%}; "
        f"minor: {fig.found['minor']}/{fig.total['minor']} = {h['minor']:.1%}"
    )
    print(
        f"{name}: false alarms: {fig.flagged_clean}/{fig.clean_cells} error-free paragraphs flagged = {h['false']:.1%}; "
        f"segments flagged: {fig.flagged_cells}/{fig.cells} = {h['segments']:.1%}; "
        f"page-level flags on error-free pages: {fig.page_false}"
    )


def print_curve(name: str, report: Report, data: DevSet) -> None:
    print(f"\n{name}: recall and false alarms over confidence thresholds")
    print("  threshold  major    minor    false alarms  segments")
    for t in THRESHOLDS:
        h = count(report, data, t).headline()
        print(f"  {t:9.2f}  {h['major']:6.1%}  {h['minor']:6.1%}  {h['false']:12.1%}  {h['segments']:8.1%}")


def without_codes(report: Report, codes: Iterable[str]) -> Report:
    """The report as if the flags of some codes did not exist (to measure what each rule adds)."""
    drop = frozenset(codes)
    articles = tuple(
        replace(
            a, versions=tuple(replace(v, flags=tuple(f for f in v.flags if f.code not in drop)) for v in a.versions)
        )
        for a in report.articles
    )
    return replace(report, articles=articles)


def run(data: DevSet, without: Sequence[str] = ()) -> Report:
    """Every flag of the set with its confidence (evaluated at threshold 0: shown-ness is decided when counting)."""
    report = evaluate(data.articles, Settings(bootstrap=0, thresholds=Thresholds(min_confidence=0.0)), mode="score")
    return without_codes(report, without) if without else report


def evaluate_dev(
    dev: Path,
    details: bool = False,
    without: Sequence[str] = (),
    min_confidence: float | None = None,
    back: str = "noisy",
    curve: bool = False,
) -> dict[str, float]:
    data = load_set(dev, back)
    report = run(data, without)
    threshold = Thresholds().min_confidence if min_confidence is None else min_confidence
    fig = count(report, data, threshold)
    print_figures(data.name, fig, threshold, details)
    if curve:
        print_curve(data.name, report, data)
    return fig.headline()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dev", type=Path, action="append", help="a set's folder (repeatable; default: both sets)")
    parser.add_argument("--back", choices=("noisy", "oracle"), default="noisy", help="external set: which back file")
    parser.add_argument("--min-confidence", type=float, default=None, help="threshold (default: the tool's)")
    parser.add_argument("--curve", action="store_true", help="recall and false alarms over thresholds")
    parser.add_argument("--details", action="store_true", help="list every missed error and every false alarm")
    parser.add_argument("--check", action="store_true", help="only check the sets' files")
    parser.add_argument("--without", default="", help="leave out the flags of these codes (comma-separated)")
    parser.add_argument("--json", type=Path, help="write the headline figures of every set to this file")
    args = parser.parse_args()
    devs = args.dev or [d for d in (OURS, EXTERNAL) if d.is_dir()]
    if args.check:
        sys.exit(1 if any(check(d) for d in devs) else 0)
    without = [c for c in args.without.split(",") if c]
    out: dict[str, Any] = {}
    for dev in devs:
        out[str(dev)] = evaluate_dev(dev, args.details, without, args.min_confidence, args.back, args.curve)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
