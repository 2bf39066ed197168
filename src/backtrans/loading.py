"""Read article folders, corpus folders and JSONL files into :class:`Article` objects.

Every problem is an :class:`InputError` whose one-line message names the file
(or ``file:line``) and says what to do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .languages import base_lang, normalize_lang
from .types import Article, Document

_LANG_LIKE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})?$")
#: suffixes of the files an article folder may hold, after ``<lang>``
_KINDS = {
    ".txt": "text",
    ".title.txt": "title",
    ".back.txt": "back",
    ".title.back.txt": "back_title",
    ".footer.txt": "footer",
}


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


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}); check the path") from None
    text = decode_text(raw, str(path))
    return text.replace("\x00", "")


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
    if not text.strip():
        raise InputError(f"{origin}: the {what} is empty; write the text or remove the file")
    return text


def _build_article(
    article_id: str,
    source_lang: str,
    parts: Mapping[str, dict[str, str]],
    origins: Mapping[str, str],
    origin: str,
    url: str | None,
) -> Article:
    """An :class:`Article` from ``parts[lang][kind]`` with the checks every input format shares."""
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
        where = origins.get(lang, origin)
        if "text" not in kinds:
            raise InputError(
                f"{where}: there is a {'/'.join(sorted(kinds))} file for {lang!r} but no "
                f"{lang}.txt; add the text or remove the file"
            )
        if lang != source_lang and base_lang(lang) == base_lang(source_lang):
            raise InputError(
                f"{where}: {lang!r} is the source language ({source_lang}); a version must be in another language"
            )
        documents[lang] = Document(
            lang=lang,
            text=_nonempty(kinds["text"], where, "text") or "",
            title=_nonempty(kinds.get("title"), where, "headline"),
            back=_nonempty(kinds.get("back"), where, "back-translation"),
            back_title=_nonempty(kinds.get("back_title"), where, "headline back-translation"),
            origin=where,
        )
    source = documents.pop(source_lang)
    versions = tuple(documents[lang] for lang in sorted(documents))
    return Article(id=article_id, source_lang=source_lang, source=source, versions=versions, origin=origin, url=url)


def _read_meta(folder: Path) -> dict[str, Any]:
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(_read(meta_path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{meta_path}: not valid JSON ({exc.msg} at line {exc.lineno}); fix it") from None
    if not isinstance(meta, dict):
        raise InputError(f"{meta_path}: must be a JSON object with id, source_lang, url")
    for key in ("id", "source_lang", "url"):
        if key in meta and not isinstance(meta[key], str):
            raise InputError(f"{meta_path}: {key!r} must be a string")
    return meta


def is_article_folder(folder: Path) -> bool:
    return any(p.is_file() and _split_name(p.name) for p in folder.iterdir())


def load_article_folder(folder: Path, source_lang: str) -> tuple[Article, list[str]]:
    """One article folder: ``<lang>.txt`` per language, optional headline, back-translations, meta."""
    warnings: list[str] = []
    meta = _read_meta(folder)
    source = _check_lang(meta.get("source_lang", source_lang), str(folder / "meta.json"))
    parts: dict[str, dict[str, str]] = {}
    origins: dict[str, str] = {}
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "meta.json" or path.name.startswith("."):
            continue
        split = _split_name(path.name) if path.is_file() else None
        if split is None or not _LANG_LIKE.match(split[0]):
            warnings.append(f"{path}: ignored (not <lang>.txt, <lang>.title.txt, <lang>.back.txt or meta.json)")
            continue
        code, kind = split
        lang = _check_lang(code, str(path))
        if (lang, kind) in seen:
            raise InputError(f"{path}: {lang!r} is given twice (also {seen[lang, kind].name}); keep one")
        seen[lang, kind] = path
        if kind == "footer":
            continue  # publisher disclaimers: read by nobody, compared by nobody
        parts.setdefault(lang, {})[kind] = _read(path)
        if kind == "text":
            origins[lang] = str(path)
    article_id = meta.get("id", folder.name)
    article = _build_article(article_id, source, parts, origins, str(folder), meta.get("url"))
    return article, warnings


def _jsonl_texts(value: Any, key: str, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError(f"{where}: {key!r} must be an object of language → text strings")
    return value


def load_jsonl(path: Path, source_lang: str) -> list[Article]:
    """One article per line: ``{"id", "source_lang", "texts": {lang: text}}`` (+ titles, back, url)."""
    articles: list[Article] = []
    text = _read(path)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        articles.append(article_from_line(line, where, source_lang))
    if not articles:
        raise InputError(f"{path}: no articles in this file; write one JSON object per line")
    return articles


def article_from_line(line: str, where: str, source_lang: str) -> Article:
    """One JSONL line as an :class:`Article` (messages name ``where``, the file and line)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno}); fix the line") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: each line must be a JSON object with id and texts")
    return article_from_record(record, where, source_lang)


def article_from_record(record: Mapping[str, Any], where: str, source_lang: str) -> Article:
    """An :class:`Article` from a JSONL object or a Parquet row: id, source_lang, texts (+ titles, back, url)."""
    article_id = record.get("id")
    if not isinstance(article_id, str) or not article_id.strip():
        raise InputError(f'{where}: "id" is missing or not a string; give every article an id')
    source = record.get("source_lang", source_lang)
    if not isinstance(source, str):
        raise InputError(f'{where}: "source_lang" must be a string')
    source = _check_lang(source, where)
    if "texts" not in record:
        raise InputError(f'{where}: "texts" is missing; add {{"<lang>": "<text>", ...}}')
    parts: dict[str, dict[str, str]] = {}
    for key, kind in (("texts", "text"), ("titles", "title"), ("back", "back"), ("back_titles", "back_title")):
        for code, value in _jsonl_texts(record.get(key), key, where).items():
            lang = _check_lang(code, f"{where} ({key})")
            if kind in parts.get(lang, {}):
                raise InputError(f"{where}: {lang!r} is given twice in {key!r}; keep one")
            parts.setdefault(lang, {})[kind] = value
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        raise InputError(f'{where}: "url" must be a string')
    return _build_article(article_id, source, parts, {}, where, url)


def load_inputs(paths: Iterable[str | Path], source_lang: str = "id") -> Loaded:
    """Articles from any mix of article folders, corpus folders and JSONL files."""
    articles: list[Article] = []
    warnings: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        if path.is_file():
            if path.suffix.lower() not in {".jsonl", ".ndjson"}:
                raise InputError(f"{path}: give an article folder, a corpus folder or a .jsonl file, not a single file")
            articles.extend(load_jsonl(path, source_lang))
        elif is_article_folder(path):
            article, found = load_article_folder(path, source_lang)
            articles.append(article)
            warnings.extend(found)
            subfolders = [p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")]
            if subfolders:
                warnings.append(f"{path}: is an article folder; its subfolders were ignored")
        else:
            subfolders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
            corpus = [p for p in subfolders if is_article_folder(p)]
            if not corpus:
                raise InputError(f"{path}: holds no article (<lang>.txt files) and no article folders; check the path")
            for folder in subfolders:
                if folder not in corpus:
                    warnings.append(f"{folder}: ignored (no <lang>.txt files)")
                    continue
                article, found = load_article_folder(folder, source_lang)
                articles.append(article)
                warnings.extend(found)
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise InputError(
                f"{article.origin}: article id {article.id!r} is also used by {seen[article.id]}; "
                "ids must be unique (set id in meta.json)"
            )
        seen[article.id] = article.origin
    if not articles:
        raise InputError("no input given; name an article folder, a corpus folder or a .jsonl file")
    return Loaded(tuple(articles), tuple(warnings))


# ---- lazy reading: one article at a time, for corpora of any size --------------------------------

#: suffixes read as JSONL and as Parquet
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})


@dataclass(frozen=True)
class Source:
    """Where one article is read from: an article folder, a JSONL line or a Parquet row."""

    kind: str  #: ``"folder"``, ``"jsonl"`` or ``"parquet"``
    path: str
    line: int = 0  #: JSONL: the line number (1-based); Parquet: the row number in the file (1-based)
    offset: int = 0  #: JSONL: the byte offset of the line; Parquet: the row group


def iter_sources(paths: Iterable[str | Path], warn: Callable[[str], None]) -> Iterator[Source]:
    """Every article's :class:`Source` in input order, without reading the articles (JSONL: offsets only)."""
    for raw in paths:
        path = _input_path(raw)
        suffix = path.suffix.lower()
        if path.is_file() and suffix in JSONL_SUFFIXES:
            offset = 0
            with path.open("rb") as handle:
                for lineno, line in enumerate(handle, start=1):
                    if line.strip():
                        yield Source("jsonl", str(path), lineno, offset)
                    offset += len(line)
        elif path.is_file():
            pq = _parquet()
            rows = 0
            metadata = pq.ParquetFile(path).metadata
            for group in range(metadata.num_row_groups):
                for _ in range(metadata.row_group(group).num_rows):
                    rows += 1
                    yield Source("parquet", str(path), rows, group)
        else:
            yield from (Source("folder", str(folder)) for folder in _article_folders(path, warn))


def read_sources(sources: Sequence[Source], source_lang: str) -> Iterator[tuple[Article, list[str]]]:
    """The articles of some sources, in their order (a Parquet row group is read once per call)."""
    groups: dict[tuple[str, int], tuple[int, list[dict[str, Any]]]] = {}
    for source in sources:
        if source.kind == "folder":
            yield load_article_folder(Path(source.path), source_lang)
        elif source.kind == "jsonl":
            where = f"{source.path}:{source.line}"
            with open(source.path, "rb") as handle:
                handle.seek(source.offset)
                line = decode_text(handle.readline(), where).replace("\x00", "")
            yield article_from_line(line, where, source_lang), []
        else:
            key = (source.path, source.offset)
            if key not in groups:
                parquet = _parquet().ParquetFile(source.path)
                first = 1 + sum(parquet.metadata.row_group(g).num_rows for g in range(source.offset))
                groups[key] = (first, parquet.read_row_group(source.offset).to_pylist())
            first, rows = groups[key]
            yield _parquet_article(rows[source.line - first], f"{source.path}: row {source.line}", source_lang), []


def iter_inputs(paths: Iterable[str | Path], source_lang: str, warn: Callable[[str], None]) -> Iterator[Article]:
    """Articles one at a time from folders, corpus folders, JSONL (line by line) and Parquet (batch by batch).

    The same checks as :func:`load_inputs`, with the same messages; a duplicate id fails when it is reached.
    """
    seen: dict[str, str] = {}
    given = False
    for article in _iter_articles(paths, source_lang, warn):
        given = True
        if article.id in seen:
            raise InputError(
                f"{article.origin}: article id {article.id!r} is also used by {seen[article.id]}; "
                "ids must be unique (set id in meta.json)"
            )
        seen[article.id] = article.origin
        yield article
    if not given:
        raise InputError("no input given; name an article folder, a corpus folder or a .jsonl file")


def _iter_articles(paths: Iterable[str | Path], source_lang: str, warn: Callable[[str], None]) -> Iterator[Article]:
    for raw in paths:
        path = _input_path(raw)
        suffix = path.suffix.lower()
        if path.is_file() and suffix in JSONL_SUFFIXES:
            yield from _iter_jsonl(path, source_lang)
        elif path.is_file():
            yield from _iter_parquet(path, source_lang)
        else:
            for folder in _article_folders(path, warn):
                article, found = load_article_folder(folder, source_lang)
                for message in found:
                    warn(message)
                yield article


def _input_path(raw: str | Path) -> Path:
    path = Path(raw)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder; check the path")
    if path.is_file() and path.suffix.lower() not in JSONL_SUFFIXES | PARQUET_SUFFIXES:
        raise InputError(
            f"{path}: give an article folder, a corpus folder, a .jsonl or a .parquet file, not a single file"
        )
    return path


def _article_folders(path: Path, warn: Callable[[str], None]) -> Iterator[Path]:
    """An article folder itself, or the article folders of a corpus folder (sorted), warning about the rest."""
    if is_article_folder(path):
        if any(p.is_dir() and not p.name.startswith(".") for p in path.iterdir()):
            warn(f"{path}: is an article folder; its subfolders were ignored")
        yield path
        return
    subfolders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    found = False
    for folder in subfolders:
        if not is_article_folder(folder):
            warn(f"{folder}: ignored (no <lang>.txt files)")
            continue
        found = True
        yield folder
    if not found:
        raise InputError(f"{path}: holds no article (<lang>.txt files) and no article folders; check the path")


def _iter_jsonl(path: Path, source_lang: str) -> Iterator[Article]:
    """JSONL read line by line (split on ``\\n`` only): memory holds one line."""
    given = False
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            line = decode_text(raw, where).replace("\x00", "")
            if not line.strip():
                continue
            given = True
            yield article_from_line(line, where, source_lang)
    if not given:
        raise InputError(f"{path}: no articles in this file; write one JSON object per line")


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow; install backtrans[ray] or pyarrow") from None
    return pq


def _iter_parquet(path: Path, source_lang: str) -> Iterator[Article]:
    """Parquet with columns id, source_lang, texts (+ titles, back, back_titles, url), batch by batch."""
    pq = _parquet()
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid for a file that is not Parquet
        raise InputError(f"{path}: not a Parquet file ({exc}); check the path") from None
    row = 0
    for batch in parquet.iter_batches(batch_size=256):
        for record in batch.to_pylist():
            row += 1
            yield _parquet_article(record, f"{path}: row {row}", source_lang)
    if row == 0:
        raise InputError(f"{path}: no articles in this file")


def _parquet_article(record: Mapping[str, Any], where: str, source_lang: str) -> Article:
    """A Parquet row as a JSONL record: map columns come as (key, value) pairs, struct columns with nulls."""
    fixed: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("texts", "titles", "back", "back_titles") and isinstance(value, list):
            value = dict(value)
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        if value is not None:
            fixed[key] = value
    if "source_lang" not in fixed:
        fixed["source_lang"] = source_lang
    return article_from_record(fixed, where, source_lang)
