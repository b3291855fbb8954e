"""Wire copies: the same agency text published by several outlets, lightly edited.

Articles are compared as sets of word shingles of their normalised text with MinHash and
an LSH index (datasketch), so each new article is checked against all earlier ones in
about constant time. An article whose estimated Jaccard similarity to an earlier one is
at least ``THRESHOLD`` is a copy of the group's original: the earliest published (ties:
the smallest id), so the link does not depend on the order articles arrive in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from ..arabic import normalize

# Shingles of this many words: long enough that two reports of one incident written
# separately share few (their common phrases are 2-3 words: "قتل سبعة مدنيين"), short
# enough that a copy with a changed dateline or a dropped sentence keeps most.
SHINGLE = 5
PERMUTATIONS = 128
# Estimated Jaccard similarity from which an article is a copy. Calibrated on the
# conflict subset by reading pairs (docs/incidents.md, session 6): one agency text as two
# outlets print it, its dateline, a sentence or a figure changed, scores 0.45-1.0 (the
# Reuters report of the Suruç bombing in al-Jazirah and Ain al-Yaum 0.50, a coalition
# statement 0.45-0.64); at 0.45 the 20 lowest links read were all one agency text; at 0.40
# the Interior Ministry's statements of two executions (one template, a Qur'anic verse
# and the legal formula, another convict and city) were linked. Two outlets' own reports
# of one bombing score below 0.3. (0.7 before: the Suruç wire copies went unlinked.)
THRESHOLD = 0.45
# Texts shorter than this many words are not compared (a headline-only item matches any
# copy of its headline).
MIN_WORDS = 30


# datasketch's permutation scheme, named so that stored signatures stay readable if its
# default changes.
SCHEME = "affine32"


def _empty() -> MinHash:
    return MinHash(num_perm=PERMUTATIONS, seed=1, scheme=SCHEME)


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.tobytes()


def from_bytes(blob: bytes) -> MinHash:
    import numpy as np
    dtype = _empty().hashvalues.dtype
    return MinHash(num_perm=PERMUTATIONS, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(blob, dtype=dtype))


def minhash(text: str) -> MinHash | None:
    words = normalize(text).split()
    if len(words) < MIN_WORDS:
        return None
    m = _empty()
    m.update_batch([" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)])
    return m


@dataclass
class WireIndex:
    """Articles seen so far; ``add`` returns the id of the article's original, or None."""
    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS))
    order: dict[str, tuple[str, str]] = field(default_factory=dict)   # id -> (published, id)
    group: dict[str, str] = field(default_factory=dict)               # id -> group root
    signatures: dict[str, MinHash] = field(default_factory=dict)

    def _root(self, aid: str) -> str:
        while self.group[aid] != aid:
            self.group[aid] = self.group[self.group[aid]]
            aid = self.group[aid]
        return aid

    def add(self, article_id: str, text: str | None, published: str | None, signature: MinHash | None = None) -> None:
        """Add an article by its text, or by its MinHash ``signature`` computed earlier
        (``minhash(text)``; a store keeps it so that incidents are rebuilt without the texts)."""
        if article_id in self.order:
            return
        self.order[article_id] = (published or "9999", article_id)
        self.group[article_id] = article_id
        m = signature if signature is not None else minhash(text or "")
        if m is None:
            return
        for other in self.lsh.query(m):
            # LSH bands give candidates around the threshold, either side of it: the estimate
            # decides, so that a link does not depend on the banding.
            if m.jaccard(self.signatures[other]) < THRESHOLD:
                continue
            a, b = self._root(article_id), self._root(other)
            if a != b:
                # The group is named by its earliest member: order of arrival does not matter.
                keep, drop = sorted((a, b), key=self.order.__getitem__)
                self.group[drop] = keep
        self.lsh.insert(article_id, m)
        self.signatures[article_id] = m

    def original(self, article_id: str) -> str | None:
        """The original of a copy; None for an original or an article not seen."""
        if article_id not in self.group:
            return None
        root = self._root(article_id)
        return None if root == article_id else root
