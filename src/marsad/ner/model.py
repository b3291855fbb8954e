"""The shipped CRF tagger, loaded once per process."""
from __future__ import annotations

import threading

import pycrfsuite

from .features import sentence_features
from .resources import DATA, load

MODEL_FILE = "crf.model"

_lock = threading.Lock()
_tagger: pycrfsuite.Tagger | None = None


def tagger(path: str | None = None) -> pycrfsuite.Tagger:
    global _tagger
    if path is not None:
        t = pycrfsuite.Tagger()
        t.open(path)
        return t
    with _lock:
        if _tagger is None:
            t = pycrfsuite.Tagger()
            t.open(str(DATA / MODEL_FILE))
            _tagger = t
    return _tagger


def tag_tokens(tokens: list[str], crf: pycrfsuite.Tagger | None = None) -> list[str]:
    """IOB2 tags (ANERcorp types PERS/ORG/LOC/MISC) for one sentence of tokens."""
    if not tokens:
        return []
    crf = crf or tagger()
    return crf.tag(sentence_features(tokens, load()))
