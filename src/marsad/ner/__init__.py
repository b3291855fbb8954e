"""Named entities of Arabic news text: a CRF trained by marsad (scripts/train_ner.py).

    from marsad.ner import recognize
    entities = recognize(text)            # list[core.Entity], ids e1, e2 …

Two taggers: ``crf`` (the default: two CRF passes, fast) and ``accurate`` (the
fine-tuned e5 tagger mixed with the CRF, ``ensemble.py``; needs the ``[e5]``
extra and is about ten times slower). The pipeline passes the one chosen by
``marsad.options.Options.ner``; ``recognize(..., model=None)`` and the ``marsad ner``
command use the process default (``options.default()``: ``MARSAD_NER`` overrides it,
``use("accurate")`` sets it for the process and its workers).

The tagger works on the tokens of each sentence (``marsad.arabic.tokens``) and
predicts ANERcorp's classes (PERS, ORG, LOC, MISC); ``canon`` trims clitics off
the mentions, splits places into GPE / LOC / FAC and groups the mentions of one
entity. Model and word lists live in ``marsad/data/ner`` and load once per process.
"""
from __future__ import annotations

from ..arabic import sentences as split_sentences
from ..arabic import tokens as token_spans
from ..core import Entity, Span
from . import canon, norp
from .evaluate import chunks
from .model import tag_document, tag_tokens
from .resources import Resources, load, norm_token
from .. import options as _options

__all__ = ["recognize", "tag_document", "tag_tokens", "tag_sentences", "marsad_type", "use", "MODELS"]

MODELS = _options.VARIANTS["ner"]


def model_name() -> str:
    """The process default tagger (options.default(): MARSAD_NER overrides crf)."""
    return _options.default().ner


def use(name: str) -> None:
    """Select the tagger for this process and the workers it starts. Refuses, before any
    article is read, a model that does not exist or whose dependencies are not installed."""
    if name not in MODELS:
        raise _options.OptionsError(f"unknown NER model {name!r}: expected one of {', '.join(MODELS)}")
    _options.set_default(_options.default().with_(ner=name).check_installed())


def tag_sentences(sents: list[list[str]], window: int | None = None, model: str | None = None) -> list[list[str]]:
    """ANERcorp IOB2 tags with the tagger ``model`` (default: the process's), for one
    document's sentences (``window=None``) or a stream without document boundaries."""
    if (model or model_name()) == "accurate":
        from .ensemble import tag_stream
        return tag_stream(sents, window)
    return tag_document(sents, window)

# MISC in ANERcorp is mostly currencies, religions and prizes (دولار، الاسلام، نوبل):
# not the people, organisations and places an analyst wants, so it is left out of
# article records unless asked for.
KEEP_MISC = False


def marsad_type(tag_type: str, key: tuple[str, ...], res: Resources) -> str | None:
    """marsad's type of an ANERcorp-typed chunk; places split by subtypes.tsv, then the
    gazetteer, else GPE (most places named in news are countries and towns)."""
    if tag_type == "PERS":
        return "PER"
    if tag_type == "ORG":
        return "ORG"
    if tag_type == "LOC":
        sub = res.subtypes.get(key)
        if sub:
            return sub
        cls = res.gazetteer.get(key, ())
        return "LOC" if "LOC" in cls and "GPE" not in cls else "GPE"
    if tag_type == "MISC":
        return "MISC" if KEEP_MISC else None
    return None


def recognize(text: str, sentences: list[Span] | None = None, model: str | None = None) -> list[Entity]:
    """Entities of ``text`` with the tagger ``model`` (crf | accurate; default: the process's)."""
    res = load()
    found = []
    spans = [token_spans(text, s.start, s.end) for s in
             (sentences if sentences is not None else split_sentences(text))]
    spans = [s for s in spans if s]
    words = [[text[t.start:t.end] for t in s] for s in spans]
    all_tags = tag_sentences(words, model=model)
    # each token's matching form, read by the ORG rule and NORP
    norms = [list(map(norm_token, s)) for s in words]
    for sent_spans, tags, sent_norms in zip(spans, all_tags, norms):
        cs = sorted(chunks(tags))
        for f in canon.mentions_from_chunks(text, sent_spans, cs, res):
            f.type = marsad_type(f.type, f.key, res)
            if f.type:
                found.append(f)
        found += canon.org_rule_mentions(text, sent_spans, cs, res, sent_norms)
    found = canon.join_place_words(text, found, res)
    found = canon.alias_mentions(text, found, res)
    return norp.add(text, spans, canon.group(found, res), norms)
