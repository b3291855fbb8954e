"""Inputs to Articles: plain text (+ NAME.meta.json), HTML pages and JSON Lines.

Every reader either returns an Article or raises InputError with a short reason
code (empty, binary, undecodable, too_large, bad_json, bad_record, not_found),
so a batch can record the failure and go on.
"""
from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .arabic import is_arabic
from .core import Article
from .errors import InputError

# One article is a few kB; 20 MB is far beyond any real news page and keeps a
# single bad file from exhausting memory in a batch.
MAX_BYTES = 20_000_000
# Share of C0 control characters (other than tab/newline/CR) above which bytes are binary.
BINARY_CONTROL_SHARE = 0.01
META_FIELDS = ("published", "outlet", "url", "title")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<meta|<\?xml)", re.I)


def decode(data: bytes, origin: str = "input") -> str:
    """Bytes to text: BOMs honoured, UTF-8 first, then Windows-1256 (Arabic legacy)."""
    if not data.strip():
        raise InputError("empty", f"{origin}: empty input")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(enc), origin)
            except UnicodeDecodeError as exc:
                raise InputError("undecodable", f"{origin}: not valid {enc} after its BOM ({exc.reason})") from None
    if b"\x00" in data[:4096]:
        raise InputError("binary", f"{origin}: binary data (NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8"), origin)
    except UnicodeDecodeError:
        pass
    # cp1256 maps almost every byte, so only accept it when the result reads as Arabic.
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise InputError("undecodable", f"{origin}: neither UTF-8 nor Windows-1256 text") from None
    if not is_arabic(text):
        raise InputError("undecodable", f"{origin}: neither UTF-8 nor Windows-1256 Arabic text")
    return _check_text(text, origin)


def _check_text(text: str, origin: str) -> str:
    sample = text[:20000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if sample and controls / len(sample) > BINARY_CONTROL_SHARE:
        raise InputError("binary", f"{origin}: binary data (control characters), not text")
    if not text.strip():
        raise InputError("empty", f"{origin}: empty input")
    return text


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("not_found", f"{path}: no such file") from None
    except OSError as exc:
        raise InputError("unreadable", f"{path}: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise InputError("too_large", f"{path}: {size:,} bytes is over the {MAX_BYTES:,}-byte limit for one article")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError("unreadable", f"{path}: {exc.strerror}") from None


def split_title(text: str) -> tuple[str | None, str]:
    """Plain-text convention: the first line is a title when a blank line follows it."""
    stripped = text.lstrip("\ufeff\n\r ")
    m = re.match(r"([^\n]{1,300})\r?\n[ \t\r]*\n", stripped)
    if m and not m.group(1).rstrip().endswith((".", ":", "،")):
        return m.group(1).strip(), stripped
    return None, stripped


def read_meta(path: Path) -> dict:
    """NAME.meta.json beside NAME.txt (or NAME.html), if present."""
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise InputError("bad_meta", f"{meta_path}: unreadable sidecar ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError("bad_meta", f"{meta_path}: sidecar is not a JSON object")
    return {k: meta[k] for k in META_FIELDS if meta.get(k)}


def html_to_article(html: str, origin: str) -> Article:
    import trafilatura  # imported lazily: only HTML inputs pay for lxml

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not body or not body.strip():
        raise InputError("empty", f"{origin}: no main text found in the HTML page")
    meta = trafilatura.extract_metadata(html)
    art = Article(text=body, origin=origin)
    if meta is not None:
        art.title = meta.title or None
        art.url = meta.url or None
        art.outlet = meta.sitename or None
        if meta.date and _DATE.match(meta.date[:10]):
            art.published, art.published_source = meta.date[:10], "input"
    return art


def read_file(path: str | Path, published: str | None = None) -> Article:
    """One file (text or HTML) to an Article, with its sidecar metadata."""
    path = Path(path)
    data = _read_bytes(path)
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML_START.match(data[:512]))
    text = decode(data, str(path))
    if is_html:
        art = html_to_article(text, str(path))
    else:
        title, body = split_title(text)
        art = Article(text=body, title=title, origin=str(path))
    apply_meta(art, read_meta(path), str(path))
    if published:
        art.published, art.published_source = check_date(published, str(path)), "input"
    return art


def apply_meta(art: Article, meta: dict, origin: str) -> None:
    for k in ("outlet", "url", "title"):
        if meta.get(k):
            setattr(art, k, str(meta[k]))
    if meta.get("published"):
        art.published, art.published_source = check_date(str(meta["published"])[:10], origin), "input"


def check_date(value: str, origin: str) -> str:
    if not _DATE.match(value):
        raise InputError("bad_date", f"{origin}: published date {value!r} is not YYYY-MM-DD")
    return value


@dataclass
class JsonlItem:
    """One line of a JSON Lines input: an Article, or the error that line raised."""

    line: int
    article: Article | None = None
    error: InputError | None = None


def iter_jsonl(path: str | Path, published: str | None = None) -> Iterator[JsonlItem]:
    """Articles from JSON Lines, one line at a time (constant memory whatever the size).

    Fields: id, text (or content, as in SaudiNewsNet), published (or
    date_extracted), title, url, outlet (or source).
    """
    path = Path(path)
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            origin = f"{path}:{n}"
            try:
                yield JsonlItem(n, article=jsonl_record(raw, origin, published))
            except InputError as exc:
                yield JsonlItem(n, error=exc)


def jsonl_record(raw: bytes, origin: str, published: str | None = None) -> Article:
    if len(raw) > MAX_BYTES:
        raise InputError("too_large", f"{origin}: line of {len(raw):,} bytes is over the {MAX_BYTES:,}-byte limit")
    try:
        obj = json.loads(decode(raw, origin))
    except ValueError as exc:
        raise InputError("bad_json", f"{origin}: malformed JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise InputError("bad_record", f"{origin}: a line must be a JSON object")
    text = obj.get("text") or obj.get("content")
    if not isinstance(text, str) or not text.strip():
        raise InputError("empty", f"{origin}: no 'text' in the record")
    art = Article(text=text, id=str(obj["id"]) if obj.get("id") else None, origin=origin)
    meta = {"published": obj.get("published") or (obj.get("date_extracted") or "")[:10],
            "title": obj.get("title"), "url": obj.get("url"),
            "outlet": obj.get("outlet") or obj.get("source")}
    apply_meta(art, {k: v for k, v in meta.items() if v}, origin)
    if published:
        art.published, art.published_source = check_date(published, origin), "input"
    return art
