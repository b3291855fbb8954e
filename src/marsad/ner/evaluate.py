"""Entity-level scoring by the conlleval rules (CoNLL-2000/2003 shared tasks).

A chunk starts at B-X, or at I-X after O / a different type (conlleval's lenient
start), and ends where the next token does not continue it. A predicted entity
counts only when span and type both match a gold one exactly. Precision, recall
and F1 are micro-averaged over entities, and given per type.
"""
from __future__ import annotations

from collections import Counter


def chunks(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end exclusive, type) of every chunk of an IOB1/IOB2 tag sequence."""
    out = set()
    start, typ = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        if prefix not in ("B", "I"):
            prefix, t = "O", ""
        begins = prefix == "B" or (prefix == "I" and t != typ)
        if typ is not None and (prefix == "O" or begins):
            out.add((start, i, typ))
            start, typ = None, None
        if begins:
            start, typ = i, t
    return out


def score(gold_sents: list[list[str]], pred_sents: list[list[str]]) -> dict:
    """Micro P/R/F1 overall and per type over sentences of gold and predicted tags."""
    tp, ng, np_ = Counter(), Counter(), Counter()
    for g, p in zip(gold_sents, pred_sents, strict=True):
        gc, pc = chunks(g), chunks(p)
        for c in gc:
            ng[c[2]] += 1
        for c in pc:
            np_[c[2]] += 1
        for c in gc & pc:
            tp[c[2]] += 1

    def prf(t, g, p):
        pr = t / p if p else 0.0
        rc = t / g if g else 0.0
        return {"precision": pr, "recall": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0,
                "gold": g, "pred": p, "correct": t}

    out = {"overall": prf(sum(tp.values()), sum(ng.values()), sum(np_.values()))}
    for typ in sorted(set(ng) | set(np_)):
        out[typ] = prf(tp[typ], ng[typ], np_[typ])
    return out


def format_score(s: dict) -> str:
    lines = [f"{'type':8} {'prec':>6} {'rec':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for typ, v in s.items():
        lines.append(f"{typ:8} {v['precision']:6.4f} {v['recall']:6.4f} {v['f1']:6.4f} {v['gold']:6d} {v['pred']:6d}")
    return "\n".join(lines)
