"""A worse copy of an article folder: what a weaker MT system might have produced, for compare tests and demos.

:func:`degrade_language` copies an article folder and makes one language
worse, deterministically: in its back-translation every other segment loses
every third word and gains a stray one, and in the version itself a
two-digit number changes (so a ``number_mismatch`` flag appears). Line counts
are kept, so the back-translation is still read one segment per line.

From a shell: ``python -m backtrans.testing.degrade examples/semarang-flood out/worse/semarang-flood fr``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

_NUMBER = re.compile(r"(?<![\d.,])(\d\d)(?!\d|[.,]\d)")
#: the stray word that degraded segments gain
STRAY = "entah"


def degrade_segment(line: str) -> str:
    """Drop every third word and append a stray word (an empty line stays empty)."""
    words = line.split()
    if not words:
        return line
    kept = [w for i, w in enumerate(words) if i % 3 != 2]
    return " ".join([*kept, STRAY])


def change_number(text: str) -> str:
    """The first standalone two-digit number with its digits swapped (or plus one when they are equal)."""

    def swap(match: re.Match[str]) -> str:
        digits = match.group(1)
        return digits[::-1] if digits[0] != digits[1] else str(int(digits) + 1)

    return _NUMBER.sub(swap, text, count=1)


def degrade_language(folder: Path, target: Path, lang: str) -> Path:
    """Copy the article ``folder`` to ``target`` with ``lang``'s version and back-translation made worse."""
    folder, target = Path(folder), Path(target)
    shutil.copytree(folder, target)
    back = target / f"{lang}.back.txt"
    if not back.is_file():
        raise FileNotFoundError(f"{back}: the language to degrade needs a back-translation file")
    lines = back.read_text(encoding="utf-8").split("\n")
    segment = 0
    out = []
    for line in lines:
        if line.strip():
            out.append(degrade_segment(line) if segment % 2 else line)
            segment += 1
        else:
            out.append(line)
    back.write_text("\n".join(out), encoding="utf-8")
    version = target / f"{lang}.txt"
    version.write_text(change_number(version.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> None:
    """``python -m backtrans.testing.degrade ARTICLE_FOLDER TARGET LANG``: write a degraded copy (for demos)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        sys.exit("usage: python -m backtrans.testing.degrade ARTICLE_FOLDER TARGET_FOLDER LANG")
    print(degrade_language(Path(args[0]), Path(args[1]), args[2]))


if __name__ == "__main__":
    main()
