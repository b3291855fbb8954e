"""Tag pre-tokenised CoNLL files: the measurement contract behind ``marsad ner --conll``.

Input: a token a line (its first whitespace-separated column; further columns,
such as a gold tag, are kept and ignored), a blank line between sentences.
Output: the same lines with the predicted IOB2 tag appended as the last column.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, TextIO

from .model import STREAM_WINDOW
from .resources import load

TAGSETS = ("marsad", "anercorp")


def read_columns(path: str | Path) -> list[list[list[str]]]:
    """A CoNLL file as sentences of rows of whitespace-separated columns (for evaluation)."""
    sents, cur = [], []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        parts = line.split()
        if not parts:
            if cur:
                sents.append(cur)
            cur = []
        else:
            cur.append(parts)
    if cur:
        sents.append(cur)
    return sents


BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")


def read_tagged(path: str | Path, column: int = 1) -> list[tuple[list[str], list[str]]]:
    """(tokens, tags) per sentence of a tagged CoNLL file, for training and scoring:
    left-to-right/right-to-left marks stripped from tokens (ANERcorp and NewsFANE carry
    them), the tag from ``column`` ("O" where a line has none)."""
    out = []
    for rows in read_columns(path):
        toks = [r[0].translate(BIDI_MARKS) or r[0] for r in rows]
        out.append((toks, [r[column] if len(r) > column else "O" for r in rows]))
    return out


def _sentences(lines: Iterator[str]) -> Iterator[list[str]]:
    block: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n")
        if line.strip():
            block.append(line)
        else:
            if block:
                yield block
            block = []
            yield []            # keep blank lines as they were
    if block:
        yield block


def _marsad_tags(tokens: list[str], tags: list[str]) -> list[str]:
    """ANERcorp tags → marsad's types (PER, ORG, GPE/LOC/FAC; MISC kept as MISC)."""
    from . import marsad_type
    from .evaluate import chunks
    from .resources import phrase_key

    res = load()
    out = ["O"] * len(tags)
    for s, e, t in chunks(tags):
        typ = marsad_type(t, phrase_key(" ".join(tokens[s:e])), res) if t != "MISC" else "MISC"
        if typ:
            out[s] = "B-" + typ
            for i in range(s + 1, e):
                out[i] = "I-" + typ
    return out


def tag_lines(lines, out: TextIO, tagset: str = "marsad") -> None:
    from . import tag_sentences
    if tagset not in TAGSETS:
        raise ValueError(f"unknown tagset {tagset!r}; expected one of {TAGSETS}")
    # A CoNLL file has no article boundaries: the whole file is one stream, and the
    # second pass remembers what was found in the sentences around each one.
    blocks = list(_sentences(iter(lines)))
    tokens = [[line.split()[0].translate(BIDI_MARKS) for line in b] for b in blocks]
    all_tags = tag_sentences([t for t in tokens if t], window=STREAM_WINDOW)
    it = iter(all_tags)
    for block, toks in zip(blocks, tokens):
        if not block:
            out.write("\n")
            continue
        tags = next(it)
        if tagset == "marsad":
            tags = _marsad_tags(toks, tags)
        for line, tag in zip(block, tags):
            sep = "\t" if "\t" in line else " "
            out.write(f"{line}{sep}{tag}\n")


def tag_file(in_path: str, out_path: str | None, tagset: str = "marsad") -> None:
    """Append the predicted IOB2 tag to every token line of ``in_path`` (stdout when no out_path).

    tagset "anercorp" gives PERS / LOC / ORG / MISC as ANERcorp annotates them;
    "marsad" gives PER / ORG / GPE / LOC / FAC / MISC.
    """
    with open(in_path, encoding="utf-8-sig") as fin:
        if out_path is None:
            tag_lines(fin, sys.stdout, tagset)
        else:
            with open(out_path, "w", encoding="utf-8") as fout:
                tag_lines(fin, fout, tagset)
