"""Read article folders, corpus folders and JSONL files into :class:`Article` objects.

Every problem is an :class:`InputError` whose one-line message names the file
(or ``file:line``) and says what to do.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files.fileio import blank, shown
from ..text.languages import base_lang, normalize_lang
from ..types import Article, Document
from ._parquet import parquet_records

_LANG_LIKE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})?$")
#: suffixes of the files an article folder may hold, after ``<lang>``
_KINDS = {
    ".txt": "text",
    ".title.txt": "title",
    ".back.txt": "back",
    ".title.back.txt": "back_title",
    ".footer.txt": "footer",
}


#: the largest text file of an article folder read (a news article is a few kilobytes)
MAX_FILE_BYTES = 16 * 2**20


@dataclass(frozen=True)
class Loaded:
    """Articles read from the inputs, and warnings about what was skipped."""

    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()


def decode_text(raw: bytes, origin: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else names the bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{origin}: not valid UTF-16 at byte {exc.start}; save the file as UTF-8") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{origin}: not valid UTF-8 at byte offset {exc.start} (0x{bad}); save the file as UTF-8"
        ) from None


def check_text(text: str, origin: str, what: str = "the text") -> str:
    """Refuse text that cannot be written as UTF-8 (a lone surrogate such as JSON's ``"\\ud800"``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{origin}: {what} holds a lone surrogate (U+{ord(text[exc.start]):04X}) at character {exc.start}, "
            "which is not text; fix it at the source"
        ) from None
    return text


def _read(path: Path, limited: bool = True) -> str:
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        raise InputError(f"{shown(path)}: is {what}; an article's texts must be plain files")
    try:
        size = path.stat().st_size
        if limited and size > MAX_FILE_BYTES:
            raise InputError(
                f"{shown(path)}: {size:,} bytes is more than an article file may hold "
                f"({MAX_FILE_BYTES:,}); check that it is the right file"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot be read ({exc.strerror or exc}); check the path") from None
    text = decode_text(raw, shown(path))
    return text.replace("\x00", "")


def _parse_json(text: str, where: str) -> Any:
    """``json.loads`` with one-line errors that name the place (deep nesting included)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); fix it"
        ) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InputError(f"{where}: not valid JSON ({exc}); fix it") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read; flatten it") from None


def _split_name(name: str) -> tuple[str, str] | None:
    """``"fr.title.txt"`` → ``("fr", "title")``; None for names that are not ours."""
    for suffix in sorted(_KINDS, key=len, reverse=True):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if "." not in stem:
                return stem, _KINDS[suffix]
    return None


def _check_lang(code: str, origin: str) -> str:
    lang = normalize_lang(code)
    if lang is None:
        raise InputError(
            f"{origin}: unknown language code {code!r}; name files after ISO 639-1 codes "
            "such as id, en, fr, zh, ja, ar (a script may follow: zh-Hans)"
        )
    return lang


def _nonempty(text: str | None, origin: str, what: str) -> str | None:
    if text is None:
        return None
    if blank(text):  # white space, or characters that show nothing (zero-width, controls): nothing to check
        what = what if not text.strip() else f"{what} holds only invisible characters (zero-width or control): it"
        raise InputError(f"{origin}: the {what} is empty; write the text or remove the file")
    return text


def _build_article(
    article_id: str,
    source_lang: str,
    parts: Mapping[str, dict[str, str]],
    origins: Mapping[tuple[str, str], str],
    origin: str,
    url: str | None,
) -> Article:
    """An :class:`Article` from ``parts[lang][kind]`` with the checks every input format shares.

    ``origins[(lang, kind)]`` names where each text came from (for messages); ``origin`` is the default.
    """
    if not article_id.strip():
        raise InputError(f"{origin}: the article id is empty; give it an id")
    if source_lang not in parts or "text" not in parts[source_lang]:
        found = ", ".join(sorted(parts)) or "nothing"
        raise InputError(
            f"{origin}: no source text in {source_lang!r} (found {found}); "
            f"add it or set the source language (--source-lang or meta.json source_lang)"
        )
    documents: dict[str, Document] = {}
    for lang, kinds in parts.items():
        where = origins.get((lang, "text"), origin)

        def at(kind: str, lang: str = lang) -> str:
            return origins.get((lang, kind), origin)

        if "text" not in kinds:
            first = at(sorted(kinds)[0])
            raise InputError(
                f"{first}: there is a {'/'.join(sorted(kinds))} text for {lang!r} but no "
                f"{lang}.txt; add the text or remove the file"
            )
        if lang != source_lang and base_lang(lang) == base_lang(source_lang):
            raise InputError(
                f"{where}: {lang!r} is the source language ({source_lang}); a version must be in another language"
            )
        documents[lang] = Document(
            lang=lang,
            text=_nonempty(kinds["text"], where, "text") or "",
            title=_nonempty(kinds.get("title"), at("title"), "headline"),
            back=_nonempty(kinds.get("back"), at("back"), "back-translation"),
            back_title=_nonempty(kinds.get("back_title"), at("back_title"), "headline back-translation"),
            origin=where,
        )
    source = documents.pop(source_lang)
    versions = tuple(documents[lang] for lang in sorted(documents))
    return Article(id=article_id, source_lang=source_lang, source=source, versions=versions, origin=origin, url=url)


def _read_meta(folder: Path) -> dict[str, Any]:
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        return {}
    where = shown(meta_path)
    meta = _parse_json(_read(meta_path), where)
    if not isinstance(meta, dict):
        raise InputError(f"{where}: must be a JSON object with id, source_lang, url")
    for key in ("id", "source_lang", "url"):
        if key in meta:
            if not isinstance(meta[key], str):
                raise InputError(f"{where}: {key!r} must be a string")
            check_text(meta[key], where, f"{key!r}")
    return meta


def is_article_folder(folder: Path) -> bool:
    return any(p.is_file() and _split_name(p.name) for p in folder.iterdir())


def load_article_folder(folder: Path, source_lang: str) -> tuple[Article, list[str]]:
    """One article folder: ``<lang>.txt`` per language, optional headline, back-translations, meta."""
    warnings: list[str] = []
    meta = _read_meta(folder)
    source = _check_lang(meta.get("source_lang", source_lang), shown(folder / "meta.json"))
    parts: dict[str, dict[str, str]] = {}
    origins: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "meta.json" or path.name.startswith("."):
            continue
        split = _split_name(path.name)
        if split is None or not _LANG_LIKE.match(split[0]):
            warnings.append(f"{shown(path)}: ignored (not <lang>.txt, <lang>.title.txt, <lang>.back.txt or meta.json)")
            continue
        code, kind = split
        lang = _check_lang(code, shown(path))
        if (lang, kind) in seen:
            raise InputError(f"{shown(path)}: {lang!r} is given twice (also {shown(seen[lang, kind].name)}); keep one")
        seen[lang, kind] = path
        if kind == "footer":
            continue  # publisher disclaimers: read by nobody, compared by nobody
        parts.setdefault(lang, {})[kind] = _read(path)
        origins[(lang, kind)] = shown(path)
    article_id = meta.get("id", shown(folder.name))
    article = _build_article(article_id, source, parts, origins, shown(folder), meta.get("url"))
    return article, warnings


def _jsonl_texts(value: Any, key: str, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError(f"{where}: {key!r} must be an object of language → text strings")
    return value


def article_from_line(line: str, where: str, source_lang: str) -> Article:
    """One JSONL line as an :class:`Article` (messages name ``where``: the file and line)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON at column {exc.colno} ({exc.msg}); fix the line") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InputError(f"{where}: not valid JSON ({exc}); fix the line") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read; flatten the line") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: each line must be a JSON object with id and texts")
    return article_from_record(record, where, source_lang)


def article_from_record(record: Mapping[str, Any], where: str, source_lang: str) -> Article:
    """An :class:`Article` from a JSONL object or a Parquet row: id, source_lang, texts (+ titles, back, url)."""
    article_id = record.get("id")
    if not isinstance(article_id, str) or not article_id.strip():
        raise InputError(f'{where}: "id" is missing or not a string; give every article an id')
    check_text(article_id, where, '"id"')
    source = record.get("source_lang", source_lang)
    if not isinstance(source, str):
        raise InputError(f'{where}: "source_lang" must be a string')
    source = _check_lang(check_text(source, where, '"source_lang"'), where)
    if "texts" not in record:
        raise InputError(f'{where}: "texts" is missing; add {{"<lang>": "<text>", ...}}')
    parts: dict[str, dict[str, str]] = {}
    origins: dict[tuple[str, str], str] = {}
    for key, kind in (("texts", "text"), ("titles", "title"), ("back", "back"), ("back_titles", "back_title")):
        for code, value in _jsonl_texts(record.get(key), key, where).items():
            lang = _check_lang(check_text(code, where, f"a key of {key!r}"), f"{where} ({key})")
            if kind in parts.get(lang, {}):
                raise InputError(f"{where}: {lang!r} is given twice in {key!r}; keep one")
            parts.setdefault(lang, {})[kind] = check_text(value, where, f"{key}.{code}")
            origins[(lang, kind)] = f"{where} ({key}.{code})"
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        raise InputError(f'{where}: "url" must be a string')
    if url is not None:
        check_text(url, where, '"url"')
    return _build_article(article_id, source, parts, origins, where, url)


def jsonl_lines(path: Path) -> Iterator[tuple[int, int, str]]:
    """(line number, byte offset, text) of every non-blank line, read one line at a time.

    Lines end at ``\\n`` only: U+2028, U+0085 and other separators that JSON writers
    leave raw inside strings are text, not line ends. JSONL is UTF-8 (a BOM is dropped).
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot be read ({exc.strerror or exc}); check the path") from None
    with handle:
        offset = 0
        for lineno, raw in enumerate(handle, start=1):
            where = f"{shown(path)}:{lineno}"
            if offset == 0 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise InputError(f"{where}: JSONL must be UTF-8, this is UTF-16; save the file as UTF-8")
            line = decode_text(raw, where).removesuffix("\n")
            if line.strip():
                yield lineno, offset, line.replace("\x00", "")
            offset += len(raw)


def iter_jsonl(path: Path, source_lang: str) -> Iterator[Article]:
    """One article per line: ``{"id", "source_lang", "texts": {lang: text}}`` (+ titles, back, url), read lazily."""
    given = False
    for lineno, _, line in jsonl_lines(path):
        given = True
        yield article_from_line(line, f"{shown(path)}:{lineno}", source_lang)
    if not given:
        raise InputError(f"{shown(path)}: no articles in this file; write one JSON object per line")


def load_jsonl(path: Path, source_lang: str) -> list[Article]:
    """Every article of a JSONL file (see :func:`iter_jsonl`)."""
    return list(iter_jsonl(path, source_lang))


#: suffixes read as JSONL and as Parquet
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})


def input_kind(path: Path) -> str:
    """``"jsonl"``, ``"parquet"`` or ``"folder"`` for one input (refusing what is none of them)."""
    if not path.exists():
        raise InputError(f"{shown(path)}: no such file or folder; check the path")
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise InputError(
        f"{shown(path)}: give an article folder, a corpus folder, a .jsonl or a .parquet file, not a single file"
    )


def article_folders(path: Path, warn: Callable[[str], None]) -> Iterator[Path]:
    """An article folder itself, or the article folders of a corpus folder (sorted), warning about the rest."""
    if is_article_folder(path):
        yield path
        if any(p.is_dir() and not p.name.startswith(".") for p in path.iterdir()):
            warn(f"{shown(path)}: is an article folder; its subfolders were ignored")
        return
    subfolders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not any(is_article_folder(p) for p in subfolders):
        raise InputError(f"{shown(path)}: holds no article (<lang>.txt files) and no article folders; check the path")
    for folder in subfolders:
        if is_article_folder(folder):
            yield folder
        else:
            warn(f"{shown(folder)}: ignored (no <lang>.txt files)")


def iter_inputs(
    paths: Iterable[str | Path], source_lang: str, warn: Callable[[str], None], *, explicit: bool = False
) -> Iterator[Article]:
    """Articles one at a time from article folders, corpus folders, JSONL (line by line) and Parquet
    (batch by batch), in input order; warnings about what was skipped go to ``warn``.

    Every article is checked as it is read; a duplicate id fails when it is reached. An article's own
    source language (meta.json, a record's ``source_lang``) wins over ``source_lang``; where that was
    given explicitly (``explicit``: ``--source-lang``) and they disagree, ``warn`` names the article's file.
    """
    seen: dict[str, str] = {}
    given = False
    for raw in paths:
        # one spelling of each input (absolute, as given otherwise): where an article was read from enters its
        # result and the journal, so a run resumed with `corpus/` after `/data/corpus/` must not mix the two
        path = Path(os.path.abspath(raw))
        kind = input_kind(path)
        if kind == "jsonl":
            found: Iterator[Article] = iter_jsonl(path, source_lang)
        elif kind == "parquet":
            found = iter_parquet(path, source_lang)
        else:
            found = _folder_articles(path, source_lang, warn)
        for article in found:
            given = True
            if article.id in seen:
                fix = 'give each JSONL line its own "id"' if kind != "folder" else "set id in meta.json"
                raise InputError(
                    f"{article.origin}: article id {article.id!r} is also used by {seen[article.id]}; "
                    f"ids must be unique ({fix})"
                )
            seen[article.id] = article.origin
            if explicit and article.source_lang != source_lang:
                where = "its meta.json" if kind == "folder" else 'its "source_lang"'
                warn(
                    f"{article.origin}: source language {article.source_lang!r} from {where} is used, not "
                    f"--source-lang {source_lang}; change one of them if that is wrong"
                )
            yield article
    if not given:
        raise InputError("no input given; name an article folder, a corpus folder or a .jsonl file")


def _folder_articles(path: Path, source_lang: str, warn: Callable[[str], None]) -> Iterator[Article]:
    for folder in article_folders(path, warn):
        article, found = load_article_folder(folder, source_lang)
        for message in found:
            warn(message)
        yield article


def load_inputs(paths: Iterable[str | Path], source_lang: str = "id") -> Loaded:
    """Articles from any mix of article folders, corpus folders, JSONL and Parquet files (all at once)."""
    warnings: list[str] = []
    articles = tuple(iter_inputs(paths, source_lang, warnings.append))
    return Loaded(articles, tuple(warnings))


def iter_parquet(path: Path, source_lang: str) -> Iterator[Article]:
    """Parquet with columns id, source_lang, texts (+ titles, back, back_titles, url), batch by batch."""
    for where, record in parquet_records(path):
        yield article_from_record(record, where, source_lang)
