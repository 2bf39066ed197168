"""The newsroom's glossary: how its terms are rendered in each language (``--glossary FILE``).

Two formats, each read whole and checked before a run starts:

- **CSV** (UTF-8, a header row): ``term`` (in the source language), then one column per language code
  whose cells hold the accepted renderings separated by ``|`` (an empty cell: not checked in that
  language), an optional ``note`` and an optional ``do_not_translate`` (``yes``: the term must appear
  verbatim in every version, whatever the language columns say).
- **TBX** (TBX-Basic ``martif``/``termEntry``/``langSet``/``tig``, or TBX v3 ``tbx``/``conceptEntry``/
  ``langSec``/``termSec``): a ``langSet`` in the source language gives the term(s), the others the
  accepted renderings (a term whose ``administrativeStatus`` is deprecated or superseded is not
  accepted), ``descrip``/``note`` a note, ``<termNote type="translatable">no</termNote>`` on the source
  term: do not translate. Read with the standard library's expat parser with every entity declaration,
  undeclared entity and external reference refused (no billion laughs, no file or network fetched).

Every problem is an :class:`~backtrans.errors.InputError` naming the file and line. A glossary changes
flags only (never a translation or a cached one); the report's signature records its hash.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..errors import InputError
from ..files.fileio import shown
from ..text.languages import base_lang, normalize_lang

#: a glossary file larger than this is refused (a termbase of 100,000 entries is far smaller)
MAX_GLOSSARY_BYTES = 64 * 1024 * 1024
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"", "no", "n", "false", "0"}
_NOT_ACCEPTED = ("deprecated", "superseded")


@dataclass(frozen=True)
class Entry:
    """One term of the glossary and what each language may render it as."""

    term: str  #: in the source language, as the glossary writes it
    renderings: Mapping[str, tuple[str, ...]]  #: language → accepted renderings
    note: str = ""
    keep: bool = False  #: "do not translate": the term itself must appear verbatim in every version
    origin: str = ""  #: ``file:line`` where it was defined

    def accepted(self, lang: str) -> tuple[str, ...]:
        """The renderings a version in ``lang`` may use (empty: the glossary says nothing for it)."""
        if self.keep:
            return (self.term,)
        return self.renderings.get(lang) or self.renderings.get(base_lang(lang)) or ()


@dataclass(frozen=True, eq=False)
class Glossary:
    """The entries of one or more glossary files, and the files' hashes (recorded in the signature)."""

    entries: tuple[Entry, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  #: (file name, sha256 of its bytes)
    hash: str = ""  #: sha256 over the files' hashes, in the order given

    def record(self) -> dict[str, Any]:
        """What the report's signature keeps of it."""
        return {"sha256": self.hash, "files": [name for name, _ in self.files], "entries": len(self.entries)}


def load_glossaries(paths: Sequence[Path], source_lang: str) -> Glossary | None:
    """The glossary of every file in ``paths`` (None when there is none); a term defined twice with other
    renderings is refused, naming both places."""
    if not paths:
        return None
    entries: dict[str, Entry] = {}
    files: list[tuple[str, str]] = []
    for path in paths:
        raw = _read_bytes(path)
        digest = hashlib.sha256(raw).hexdigest()
        files.append((shown(Path(path).name), digest))
        parse = _parse_tbx if _is_tbx(path, raw) else _parse_csv
        for entry in parse(raw, shown(path), source_lang):
            key = " ".join(entry.term.casefold().split())
            before = entries.get(key)
            if before is None:
                entries[key] = entry
            elif (before.renderings, before.keep) != (entry.renderings, entry.keep):
                raise InputError(
                    f"{entry.origin}: the term {entry.term!r} is also defined at {before.origin} with other "
                    "renderings; merge the two rows into one"
                )
    whole = hashlib.sha256(json.dumps(files).encode("utf-8")).hexdigest()
    return Glossary(tuple(entries.values()), tuple(files), whole)


def glossaries_in_meta(inputs: Iterable[Path]) -> list[Path]:
    """Glossary files a corpus (or article) folder names in its ``meta.json`` (``"glossary": "file"`` or a
    list of files), relative to that folder."""
    found: list[Path] = []
    for raw in inputs:
        meta_path = Path(raw) / "meta.json"
        if not Path(raw).is_dir() or not meta_path.is_file():
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
            continue  # the loader says what is wrong with it
        value = meta.get("glossary") if isinstance(meta, dict) else None
        if value is None:
            continue
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise InputError(f"{shown(meta_path)}: 'glossary' must be a file name or a list of file names")
        found += [Path(raw) / name for name in names]
    return found


def _read_bytes(path: Path) -> bytes:
    try:
        size = Path(path).stat().st_size
        if size > MAX_GLOSSARY_BYTES:
            raise InputError(f"{shown(path)}: {size} bytes is too large for a glossary (at most 64 MiB)")
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot be read ({exc.strerror or exc}); check the path") from None


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{where}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        ) from None


def _is_tbx(path: Path, raw: bytes) -> bool:
    if Path(path).suffix.lower() in (".tbx", ".xml"):
        return True
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _renderings(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(part.split()) for part in cell.split("|") if part.strip()))


def _language_column(name: str, where: str, source_lang: str) -> str:
    lang = normalize_lang(name)
    if lang is None:
        raise InputError(
            f"{where}:1: unknown column {name!r}; the header is term, one language code per column "
            "(en, fr, zh, ja, ar, …), then optionally note and do_not_translate"
        )
    if base_lang(lang) == base_lang(source_lang):
        raise InputError(f"{where}:1: the column {name!r} is the source language; its terms go in the term column")
    return lang


def _parse_csv(raw: bytes, where: str, source_lang: str) -> list[Entry]:
    text = _decode(raw, where)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"{where}: not a CSV file ({exc}); give a CSV with a header row or a TBX file") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(f"{where}:1: no header row; the first row names the columns: term, en, fr, …, note")
    header = [cell.strip() for cell in rows[0]]
    if header[0].casefold() != "term":
        raise InputError(f"{where}:1: the first column must be 'term', not {header[0]!r}")
    columns: list[str | None] = [None]
    for name in header[1:]:
        if name.casefold() in ("note", "do_not_translate"):
            columns.append(name.casefold())
        else:
            columns.append(_language_column(name, where, source_lang))
    seen = [c for c in columns if c]
    for name in seen:
        if seen.count(name) > 1:
            raise InputError(f"{where}:1: the column {name!r} is given twice; keep one")
    entries = []
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    line = reader.line_num  #: the last line read (a quoted cell may span lines)
    for row in reader:
        at = f"{where}:{line + 1}"
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise InputError(f"{at}: {len(row)} cells for {len(columns)} columns; quote a cell that holds a comma")
        term = " ".join(row[0].split())
        if not term:
            raise InputError(f"{at}: the term is empty; write the source-language term in the first column")
        renderings: dict[str, tuple[str, ...]] = {}
        note, keep = "", False
        for column, cell in zip(columns[1:], row[1:], strict=False):
            if column is None:
                continue
            if column == "note":
                note = " ".join(cell.split())
            elif column == "do_not_translate":
                value = cell.strip().casefold()
                if value not in _YES | _NO:
                    raise InputError(f"{at}: do_not_translate must be yes or no, not {cell.strip()!r}")
                keep = value in _YES
            elif found := _renderings(cell):
                renderings[column] = found
        if not renderings and not keep:
            raise InputError(f"{at}: the term {term!r} has no rendering in any language; add one or drop the row")
        entries.append(Entry(term, renderings, note, keep, at))
    return entries


# TBX --------------------------------------------------------------------------------------------------


class _Refused(Exception):
    pass


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def find(self, *tags: str) -> list[_Node]:
        return [c for c in self.children if c.tag in tags]

    def descendants(self, *tags: str) -> Iterable[_Node]:
        for child in self.children:
            if child.tag in tags:
                yield child
            yield from child.descendants(*tags)

    def content(self) -> str:
        return " ".join((self.text + "".join(c.content() + " " for c in self.children)).split())


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit(" ", 1)[-1]


#: how deep a TBX file's elements may nest (TBX-Basic needs about 8 levels)
MAX_TBX_DEPTH = 100


def _xml_tree(raw: bytes, where: str) -> _Node:
    parser = expat.ParserCreate()
    root = _Node("", {}, 0)
    stack = [root]

    def refuse(what: str) -> Any:
        def handler(*_: Any) -> None:
            raise _Refused(f"{where}:{parser.CurrentLineNumber}: {what} are refused in a glossary; remove it")

        return handler

    def start(name: str, attrs: dict[str, str]) -> None:
        if len(stack) > MAX_TBX_DEPTH:  # a termbase is a few levels deep; the tree is walked recursively
            line = parser.CurrentLineNumber
            raise _Refused(f"{where}:{line}: elements nested more than {MAX_TBX_DEPTH} deep; fix the TBX file")
        node = _Node(_local(name), {_local(k) if k != "xml:lang" else k: v for k, v in attrs.items()}, 0)
        node.line = parser.CurrentLineNumber
        stack[-1].children.append(node)
        stack.append(node)

    def end(_: str) -> None:
        stack.pop()

    def data(text: str) -> None:
        stack[-1].text += text

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.EntityDeclHandler = refuse("entity declarations")
    parser.UnparsedEntityDeclHandler = refuse("entity declarations")
    parser.ExternalEntityRefHandler = refuse("external references")
    parser.SkippedEntityHandler = refuse("undeclared entities")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(raw, True)
    except _Refused as exc:
        raise InputError(str(exc)) from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if hasattr(exc, "code") else str(exc)
        raise InputError(f"{where}:{exc.lineno}: not well-formed XML ({message}); fix the TBX file") from None
    if not root.children:
        raise InputError(f"{where}: holds no XML element; give a TBX file")
    return root.children[0]


def _parse_tbx(raw: bytes, where: str, source_lang: str) -> list[Entry]:
    _decode(raw, where)  # the same message as CSV for bytes that are not UTF-8
    root = _xml_tree(raw, where)
    if root.tag not in ("martif", "tbx"):
        raise InputError(f"{where}:{root.line}: <{root.tag}> is not a TBX file (expected <martif> or <tbx>)")
    entries = []
    for concept in root.descendants("termEntry", "conceptEntry"):
        at = f"{where}:{concept.line}"
        notes = [n.content() for n in concept.descendants("descrip", "note") if n.content()]
        sources: list[tuple[str, bool]] = []
        renderings: dict[str, list[str]] = {}
        for lang_set in concept.find("langSet", "langSec"):
            code = lang_set.attrs.get("xml:lang", "")
            lang = normalize_lang(code)
            if lang is None:
                raise InputError(
                    f"{where}:{lang_set.line}: unknown language {code!r} in xml:lang; use a code such as en"
                )
            for term_group in lang_set.find("tig", "ntig", "termSec", "termGrp"):
                terms = [t for t in term_group.descendants("term") if " ".join(t.content().split())]
                status = {n.attrs.get("type", ""): n.content().casefold() for n in term_group.descendants("termNote")}
                for node in terms:
                    text = " ".join(node.content().split())
                    if base_lang(lang) == base_lang(source_lang):
                        sources.append((text, status.get("translatable", "yes") in ("no", "false")))
                    elif not any(word in status.get("administrativeStatus", "") for word in _NOT_ACCEPTED):
                        renderings.setdefault(lang, []).append(text)
        if not sources:
            raise InputError(f"{at}: the entry has no {source_lang!r} term; add a langSet xml:lang={source_lang!r}")
        accepted = {lang: tuple(dict.fromkeys(found)) for lang, found in renderings.items()}
        for source_term, keep in sources:
            if not accepted and not keep:
                raise InputError(f"{at}: the term {source_term!r} has no rendering in any language; add one")
            entries.append(Entry(source_term, accepted, "; ".join(notes), keep, at))
    return entries
