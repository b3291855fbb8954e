"""Inputs to Articles: plain text (+ NAME.meta.json), HTML pages and JSON Lines.

Every reader either returns an Article or raises InputError with a short reason
code (empty, binary, undecodable, too_large, bad_json, bad_record, not_found),
so a batch can record the failure and go on.
"""
from __future__ import annotations

import codecs
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .arabic import ARABIC_LETTER, is_arabic
from .core import Article
from .errors import InputError

# One article is a few kB; 20 MB is far beyond any real news page and keeps a
# single bad file from exhausting memory in a batch.
MAX_BYTES = 20_000_000
# Share of C0 control characters (other than tab/newline/CR) above which bytes are binary.
BINARY_CONTROL_SHARE = 0.01
META_FIELDS = ("published", "outlet", "url", "title")
# Arabic letters read as valid UTF-8 per invalid sequence above which bytes are UTF-8
# with damage, not Windows-1256: Arabic cp1256 text read as UTF-8 yields almost no
# Arabic letters and an invalid sequence for nearly every letter.
BROKEN_UTF8_RATIO = 10
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
    # UTF-8 with a few broken sequences (a cut, an encoded lone surrogate) is not
    # Windows-1256: read as cp1256 it becomes mojibake that still looks Arabic (ط§ظ…).
    lenient = data[:40000].decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if len(ARABIC_LETTER.findall(lenient)) >= BROKEN_UTF8_RATIO * bad:
        raise InputError("undecodable", f"{origin}: UTF-8 with {bad} invalid byte sequence(s)")
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
            setattr(art, k, _check_unicode(str(meta[k]), k, origin))
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
    date_extracted), title, url, outlet (or source). A file that starts with a
    UTF-16 byte order mark is read as UTF-16 (its lines cannot be split as bytes).
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(UTF16_SNIFF)
        fh.seek(0)
        if _utf16_file(head):
            yield from _iter_utf16_lines(fh, path, published)
            return
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            yield _jsonl_item(raw, n, f"{path}:{n}", published)


# Bytes read to tell a UTF-16 file from lines gathered from several feeds.
UTF16_SNIFF = 1 << 20


def _utf16_file(head: bytes) -> bool:
    """Whether a JSON Lines file is UTF-16 as a whole: it starts with a UTF-16 byte order
    mark and its first newline is a UTF-16 one (a NUL beside it). A UTF-8 file whose first
    line alone came in UTF-16 with its mark (lines gathered from several feeds) is read line
    by line like any other, that line decoded by its own mark: reading the whole file as
    UTF-16 would turn every later line into noise."""
    if head[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return False
    nl = head.find(b"\n", 2)
    if nl < 0:
        return True                     # one line (or more than UTF16_SNIFF bytes of it)
    if head[:2] == codecs.BOM_UTF16_LE:
        return head[nl + 1:nl + 2] in (b"\x00", b"")
    return head[nl - 1:nl] == b"\x00"


def _jsonl_item(raw: bytes | str, n: int, origin: str, published: str | None) -> JsonlItem:
    try:
        return JsonlItem(n, article=jsonl_record(raw, origin, published))
    except InputError as exc:
        return JsonlItem(n, error=exc)


def _iter_utf16_lines(fh, path: Path, published: str | None) -> Iterator[JsonlItem]:
    # surrogatepass lets a lone surrogate through to jsonl_record, which turns it
    # into that line's failure instead of stopping the whole file here.
    text = io.TextIOWrapper(fh, encoding="utf-16", errors="surrogatepass", newline="")
    n = 0
    try:
        for n, line in enumerate(text, 1):
            if line.strip():
                yield _jsonl_item(line, n, f"{path}:{n}", published)
    except UnicodeDecodeError as exc:
        yield JsonlItem(n + 1, error=InputError(
            "undecodable", f"{path}:{n + 1}: not valid UTF-16 from here to the end of the file ({exc.reason})"))


# Deeper nesting than any article record needs; json's recursion stops far
# beyond it, with a RecursionError instead of an answer.
MAX_JSON_DEPTH = 64
# A JSON string (skipped whole, brackets inside it do not nest) or a bracket. An
# unterminated string runs to the end, so no start is ever rescanned (linear time).
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|[\[\]{}]')


def _too_deep(s: str) -> bool:
    """Whether brackets nest beyond MAX_JSON_DEPTH: checked before json.loads recurses."""
    if s.count("[") + s.count("{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for m in _BRACKETS.finditer(s):
        c = m.group()
        if c[0] == '"':
            continue
        depth += 1 if c in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def _string_field(obj: dict, key: str, origin: str, allow_int: bool = False) -> str | None:
    """A metadata field as a string (None when absent or empty); any other type is the record's failure."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    if allow_int and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError("bad_record", f"{origin}: '{key}' must be a string, not {type(value).__name__}")
    return _check_unicode(value, key, origin)


def _check_unicode(value: str, key: str, origin: str) -> str:
    # JSON may escape a lone surrogate ("\ud800"): Python reads it, but no
    # UTF-8 writer (output file, SQLite) can write it back.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("bad_unicode", f"{origin}: '{key}' holds a lone surrogate (not Unicode text)") from None
    return value


def jsonl_record(raw: bytes | str, origin: str, published: str | None = None) -> Article:
    if len(raw) > MAX_BYTES:
        raise InputError("too_large", f"{origin}: line of {len(raw):,} bytes is over the {MAX_BYTES:,}-byte limit")
    line = decode(raw, origin) if isinstance(raw, bytes) else _check_text(raw.lstrip("\ufeff"), origin)
    if _too_deep(line):
        raise InputError("bad_json", f"{origin}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise InputError("bad_json", f"{origin}: malformed JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise InputError("bad_record", f"{origin}: a line must be a JSON object")
    text = obj.get("text") or obj.get("content")
    if not isinstance(text, str) or not text.strip():
        raise InputError("empty", f"{origin}: no 'text' in the record")
    _check_unicode(text, "text", origin)
    date = _string_field(obj, "published", origin) or (_string_field(obj, "date_extracted", origin) or "")[:10]
    art = Article(text=text, id=_string_field(obj, "id", origin, allow_int=True), origin=origin)
    meta = {"published": date, "title": _string_field(obj, "title", origin), "url": _string_field(obj, "url", origin),
            "outlet": _string_field(obj, "outlet", origin) or _string_field(obj, "source", origin)}
    apply_meta(art, {k: v for k, v in meta.items() if v}, origin)
    if published:
        art.published, art.published_source = check_date(published, origin), "input"
    return art
