"""Cleaning: the text every later offset refers to.

Runs first, so the cleaned text is the record's one offset space. It folds
Unicode variants that would split a word (presentation forms, zero-width and
bidi marks, NBSP, CRLF), drops site boilerplate lines (data/boilerplate.tsv),
records agency tags (data/agencies.tsv) and finds the dateline: the place an
article was filed from and, when the input gave none, its publication date.
"""
from __future__ import annotations

import re
import unicodedata

from ..arabic import normalize
from ..core import Article, Span
from ..resources import data_rows

NAME = "clean"
REQUIRES = ("text",)
ASSIGNS = ("raw_text", "agencies", "dateline", "dateline_place", "published_source")
# the cleaned text replaces the input's; a title is cleaned alike; a date found in the text
# fills an input without one
REFINES = ("text", "title", "published")

# Characters that are invisible in print but break word matching.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
# Arabic presentation forms (legacy PDF/Word copy) decompose to the plain letters under NFKC.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# How far into the body a dateline may sit: the first line, up to this many characters.
DATELINE_WINDOW = 160
_TAG = re.compile(r"\(([^()\n]{1,30})\)")


def _boilerplate(scope: str) -> re.Pattern:
    pats = [row[0] for row in data_rows("boilerplate.tsv") if row[1] == scope]
    alternatives = "|".join(f"(?:{p})" for p in pats)
    if scope == "line":
        return re.compile(rf"^\s*(?:{alternatives})\s*$", re.I)
    if scope == "suffix":
        return re.compile(rf"\s*(?:{alternatives}).*$", re.I)
    return re.compile(rf"^\s*(?:{alternatives})\s*", re.I)


def _agencies() -> list[tuple[str, re.Pattern]]:
    return [(code, re.compile(rf"^\s*(?:{pat})\s*$")) for code, pat in data_rows("agencies.tsv")]


_BOILER_LINE = _boilerplate("line")
_BOILER_PREFIX = _boilerplate("prefix")
_BOILER_SUFFIX = _boilerplate("suffix")
_AGENCY = _agencies()


def normalize_unicode(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def drop_boilerplate(text: str) -> str:
    kept = []
    for ln in text.split("\n"):
        if ln.strip() and _BOILER_LINE.match(ln):
            continue
        kept.append(_BOILER_SUFFIX.sub("", _BOILER_PREFIX.sub("", ln, count=1), count=1))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def agency_code(tag: str) -> str | None:
    n = normalize(tag)
    return next((code for code, pat in _AGENCY if pat.match(n)), None)


def find_agencies(text: str, dateline_line: str | None) -> list[str]:
    """Agency tags: "(ا ف ب)", "(واس)" anywhere, and the agency closing or opening the
    dateline's line ("… م واس"، "واس - عدن:")."""
    found: list[str] = []
    for m in _TAG.finditer(text):
        code = agency_code(m.group(1))
        if code and code not in found:
            found.append(code)
    if dateline_line:
        words = dateline_line.split()
        # the agency closing a dateline ("… م واس") or opening it ("واس - عدن:")
        for word in (words[-1], words[0].rstrip(":،-")) if words else ():
            code = agency_code(word)
            if code and code not in found:
                found.append(code)
    return found


# "دمشق - (ا ف ب) -", "بيروت (رويترز) -", "عين اليوم – بغداد", "الرياض 25 شوال 1436 هـ … واس"
_DATELINE_PLACE = re.compile(
    r"^(?P<place>[\u0621-\u064a]+(?: [\u0621-\u064a]+){0,2}?)\s*"
    r"(?:(?:\([^()\n]{1,30}\)\s*)?[-–—:]|(?=\s+[\d٠-٩]{1,2}\s+[\u0621-\u064a]+\s+[\d٠-٩]{4}))")
_OUTLET_PLACE = re.compile(r"^[\u0621-\u064a ]{2,30}\s[-–—]\s(?P<place>[\u0621-\u064a]+(?: [\u0621-\u064a]+)?)\s*$")
# An agency first, then the place: "واس - عدن: تمكنت المقاومة …" (the place is عدن, not واس).
_AGENCY_THEN_PLACE = re.compile(r"^[\u0621-\u064a ]{2,20}?\s*[-–—]\s*(?P<place>[\u0621-\u064a]+(?: [\u0621-\u064a]+)?)\s*[:،,]")


def find_dateline(text: str, title: str | None) -> tuple[Span, str] | None:
    """The dateline of the body: (span of the place name, place)."""
    offset = 0
    lines = text.split("\n")
    for ln in lines[:4]:
        stripped = ln.strip()
        if stripped and stripped != (title or "").strip():
            lead = len(ln) - len(ln.lstrip())
            m = _OUTLET_PLACE.match(stripped) or _DATELINE_PLACE.match(stripped[:DATELINE_WINDOW])
            if m and agency_code(m.group("place")):
                m = _AGENCY_THEN_PLACE.match(stripped[:DATELINE_WINDOW])
            if m:
                start = offset + lead + m.start("place")
                return Span(start, start + len(m.group("place"))), m.group("place")
            return None
        offset += len(ln) + 1
    return None


def run(article: Article) -> Article:
    if article.raw_text is None:
        article.raw_text = article.text
    text = drop_boilerplate(normalize_unicode(article.text))
    article.text = text
    if article.title:
        article.title = normalize_unicode(article.title)
    found = find_dateline(text, article.title)
    dateline_line = None
    if found:
        article.dateline, article.dateline_place = found
        line_start = text.rfind("\n", 0, found[0].start) + 1
        line_end = text.find("\n", found[0].start)
        dateline_line = text[line_start:line_end if line_end >= 0 else len(text)]
    article.agencies = list(dict.fromkeys(article.agencies + find_agencies(text, dateline_line)))
    if not article.published:
        _published_from_text(article)
    return article


def _published_from_text(article: Article) -> None:
    try:
        from ..dates import find_published
    except ImportError:   # the date parser ships with its own stage; without it, no date
        return
    found = find_published(article.text)
    if found:
        article.published, _span = found
        article.published_source = "text"
