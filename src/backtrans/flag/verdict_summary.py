"""The newsroom's own measure of the flags: what editors confirmed and dismissed (``backtrans verdicts summary``).

Each flag counts once, with its latest verdict (a flag judged again in a later week keeps only the last
word). Per flag code and per language: how many were confirmed ("error") and dismissed ("not an error"),
and the precision, confirmed / judged: how often a flag of that kind was right on the newsroom's own
articles. Then the evidence dismissed most often (a name, a term, a glossary term): the first candidates
for the glossary, or for a note to whoever tunes the rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .verdicts import Verdict, Verdicts


@dataclass(frozen=True)
class Tally:
    """Verdicts of one flag code or one language."""

    name: str
    confirmed: int
    dismissed: int
    precision: float | None = None  #: confirmed / judged (None: nothing judged)


def _tally(name: str, confirmed: int, dismissed: int) -> Tally:
    judged = confirmed + dismissed
    return Tally(name, confirmed, dismissed, round(confirmed / judged, 4) if judged else None)


@dataclass(frozen=True)
class Dismissed:
    """One piece of evidence editors dismissed, how often, in which languages and articles."""

    code: str
    evidence: str
    count: int
    langs: tuple[str, ...]
    articles: int


@dataclass(frozen=True)
class VerdictSummary:
    verdicts: int  #: flags judged (each once, its latest verdict)
    by_code: tuple[Tally, ...]
    by_lang: tuple[Tally, ...]
    total: Tally
    dismissed_most: tuple[Dismissed, ...]
    first: str = ""  #: time of the earliest verdict
    last: str = ""  #: time of the latest


def _tallies(items: Iterable[Verdict], name_of: str) -> tuple[Tally, ...]:
    confirmed: Counter[str] = Counter()
    dismissed: Counter[str] = Counter()
    for item in items:
        name = getattr(item, name_of)
        (confirmed if item.verdict == "error" else dismissed)[name] += 1
    names = sorted(set(confirmed) | set(dismissed), key=lambda n: (-(confirmed[n] + dismissed[n]), n))
    return tuple(_tally(n, confirmed[n], dismissed[n]) for n in names)


def summarize(verdicts: Verdicts, top: int = 10) -> VerdictSummary:
    """Confirmed and dismissed per code and per language, and the ``top`` evidence dismissed most."""
    items = list(verdicts.latest().values())
    groups: dict[tuple[str, str], list[Verdict]] = {}
    for item in items:
        evidence = " ".join(item.evidence.split())
        if item.verdict == "not_error" and evidence:
            groups.setdefault((item.code, evidence.casefold()), []).append(item)
    dismissed = sorted(
        (
            Dismissed(
                code,
                " ".join(found[0].evidence.split()),
                len(found),
                tuple(sorted({f.lang for f in found})),
                len({f.article for f in found}),
            )
            for (code, _), found in groups.items()
        ),
        key=lambda d: (-d.count, d.code, d.evidence),
    )
    times = sorted(item.time for item in items if item.time)
    confirmed = sum(item.verdict == "error" for item in items)
    return VerdictSummary(
        verdicts=len(items),
        by_code=_tallies(items, "code"),
        by_lang=_tallies(items, "lang"),
        total=_tally("all", confirmed, len(items) - confirmed),
        dismissed_most=tuple(dismissed[:top]),
        first=times[0] if times else "",
        last=times[-1] if times else "",
    )


def _percent(tally: Tally) -> str:
    return "–" if tally.precision is None else f"{100 * tally.precision:.0f}%"


def render_summary(summary: VerdictSummary) -> str:
    """The summary as plain text tables (what ``backtrans verdicts summary`` prints)."""
    span = f" from {summary.first[:10]} to {summary.last[:10]}" if summary.first else ""
    lines = [
        f"{summary.verdicts} flag(s) judged{span}: {summary.total.confirmed} confirmed as errors, "
        f"{summary.total.dismissed} dismissed; precision {_percent(summary.total)}",
    ]
    for title, tallies in (("flag code", summary.by_code), ("language", summary.by_lang)):
        width = max([len(title), *(len(t.name) for t in tallies)])
        lines += ["", f"{title:<{width}}  confirmed  dismissed  precision"]
        lines += [f"{t.name:<{width}}  {t.confirmed:>9}  {t.dismissed:>9}  {_percent(t):>9}" for t in tallies]
    lines += ["", "dismissed most often (candidates for the glossary):"]
    if not summary.dismissed_most:
        lines.append("  none")
    for d in summary.dismissed_most:
        lines.append(f"  {d.count}× {d.code}: {d.evidence} ({', '.join(d.langs)}; {d.articles} article(s))")
    return "\n".join(lines) + "\n"
