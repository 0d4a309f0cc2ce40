"""learned/train: fit the learned core on the data recipe (:mod:`casus.learned.data`).

Contract
--------
``encode(examples, base, split) -> Cache`` runs the frozen base once over every text (embeddings and
layers below ``split``) and keeps the hidden states and word-piece offsets; ``fit(examples, cache,
*, exclude=..., **settings) -> CoreModel`` trains the upper layers and the heads on the examples whose
text key is not in ``exclude`` (a held-out fold, a left-out set). One cache serves every fold, so
k-fold cross-validation and leave-one-dataset-out cost only the upper layers' training.

Losses: cross-entropy per sentence head over the examples that carry its label, binary
cross-entropy for the police actions, cross-entropy per word piece for the role tags; summed.
Deterministic for a given seed (``torch.manual_seed``; one thread order).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .data import POLICE_LABELS, ROLE_TAGS, CoreExample
from .encoder import BaseEncoder, load_base
from .model import QUAD_LABELS, TYPE_LABELS, CoreModel

DEFAULTS = {"epochs": 3, "lr": 1e-4, "head_lr": 2e-3, "batch_size": 16, "seed": 0, "split": 4,
            "weight_decay": 0.01, "acled_C": 1.0}


@dataclass
class Cache:
    split: int
    hidden: list[torch.Tensor]  # per example: (pieces, d), float16
    offsets: list[list[tuple[int, int]]]


def encode(examples: list[CoreExample], base: BaseEncoder | None = None, split: int = DEFAULTS["split"],
           batch_size: int = 64, progress: bool = False) -> Cache:
    base = base or load_base()
    hidden: list[torch.Tensor | None] = [None] * len(examples)
    offsets: list[list[tuple[int, int]]] = [[] for _ in examples]
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
    t0 = time.time()
    for lo in range(0, len(order), batch_size):
        idx = order[lo: lo + batch_size]
        tk = base.tokenize([examples[i].text for i in idx])
        h = base.lower(tk.ids, tk.mask, split)
        for r, i in enumerate(idx):
            n = int(tk.mask[r].sum())
            hidden[i] = h[r, :n].to(torch.float16).clone()
            offsets[i] = tk.offsets[r][:n]
        if progress and (lo // batch_size) % 20 == 0:
            print(f"encode {lo + len(idx)}/{len(order)} {time.time() - t0:.0f}s", flush=True)
    return Cache(split, [h for h in hidden if h is not None], offsets)


def role_targets(ex: CoreExample, offsets: list[tuple[int, int]]) -> list[int]:
    """A BIO tag index per word piece (-100 where the example has no role annotation or for specials)."""
    if ex.roles is None:
        return [-100] * len(offsets)
    tags = []
    for a, b in offsets:
        if a == b:
            tags.append(-100)
            continue
        tag = 0
        for s, e, r in ex.roles:
            if s <= a and b <= e:
                tag = ROLE_TAGS.index(("B-" if a == s or not tags or tags[-1] in (0, -100) else "I-") + r)
                break
        tags.append(tag)
    return tags


def fit(examples: list[CoreExample], cache: Cache, *, exclude: Iterable[int] = (), base: BaseEncoder | None = None,
        progress: bool = False, **settings) -> CoreModel:
    cfg = {**DEFAULTS, **settings}
    base = base or load_base()
    drop = set(exclude)
    keep = [i for i, ex in enumerate(examples) if ex.key not in drop]
    acled = tuple(sorted({examples[i].labels["acled"] for i in keep if "acled" in examples[i].labels}))
    torch.manual_seed(int(cfg["seed"]))
    rng = random.Random(int(cfg["seed"]))
    model = CoreModel(base, acled, split=cache.split,
                      meta={k: cfg[k] for k in ("epochs", "lr", "head_lr", "batch_size", "seed")})
    params = [{"params": model.upper.parameters(), "lr": cfg["lr"]},
              {"params": model.heads.parameters(), "lr": cfg["head_lr"]}]
    opt = torch.optim.AdamW(params, weight_decay=cfg["weight_decay"])
    label_ix = {"type": {l: j for j, l in enumerate(TYPE_LABELS)}, "quad": {l: j for j, l in enumerate(QUAD_LABELS)},
                "acled": {l: j for j, l in enumerate(acled)}}
    roles = [role_targets(examples[i], cache.offsets[i]) for i in range(len(examples))]
    bs = int(cfg["batch_size"])
    steps = int(cfg["epochs"]) * ((len(keep) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / max(1, steps)))
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    bce = nn.BCEWithLogitsLoss()
    t0 = time.time()
    for epoch in range(int(cfg["epochs"])):
        model.train()
        # batches of similar length (less padding), in random order
        order = sorted(keep, key=lambda i: (len(cache.offsets[i]) + rng.random() * 8))
        batches = [order[lo: lo + bs] for lo in range(0, len(order), bs)]
        rng.shuffle(batches)
        total = 0.0
        for bi, idx in enumerate(batches):
            n = max(len(cache.offsets[i]) for i in idx)
            h = torch.zeros((len(idx), n, cache.hidden[idx[0]].shape[1]))
            mask = torch.zeros((len(idx), n), dtype=torch.bool)
            rt = torch.full((len(idx), n), -100, dtype=torch.long)
            for r, i in enumerate(idx):
                m = len(cache.offsets[i])
                h[r, :m] = cache.hidden[i].to(torch.float32)
                mask[r, :m] = True
                rt[r, :m] = torch.tensor(roles[i])
            out = model(h, mask)
            loss = torch.zeros(())
            for head, ix in label_ix.items():
                y = torch.tensor([ix.get(examples[i].labels.get(head, ""), -100) for i in idx])
                if (y >= 0).any():
                    loss = loss + ce(out[head], y)
            pol = [r for r, i in enumerate(idx) if examples[i].police is not None]
            if pol:
                yp = torch.tensor([[1.0 if lab in examples[idx[r]].police else 0.0 for lab in POLICE_LABELS] for r in pol])
                loss = loss + bce(out["police"][pol], yp)
            if (rt >= 0).any():
                loss = loss + ce(out["roles"].reshape(-1, len(ROLE_TAGS)), rt.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
            if progress and bi % 100 == 0:
                print(f"epoch {epoch + 1} batch {bi}/{len(batches)} loss {total / (bi + 1):.3f} {time.time() - t0:.0f}s",
                      flush=True)
    model.eval()
    refit_acled(model, [examples[i] for i in keep if "acled" in examples[i].labels], C=float(cfg["acled_C"]))
    model.trained_on = frozenset(examples[i].key for i in keep)
    return model


_SENT_END = re.compile(r"(?<=[a-z0-9)\"'][.!?])\s+(?=[A-Z\"])")


def pooled_windows(model: CoreModel, texts: list[str]) -> np.ndarray:
    """Each text as the pipeline sees an event's window: its sentences encoded one by one, their pooled
    vectors averaged with their word pieces as weights, then L2-normalised."""
    sents = [[s for s in _SENT_END.split(t) if s.strip()] or [t] for t in texts]
    flat = [s for ss in sents for s in ss]
    preds = model.predict(flat)
    out, k = [], 0
    for ss in sents:
        win = preds[k: k + len(ss)]
        k += len(ss)
        w = np.array([p.pieces for p in win], dtype=np.float32)
        out.append((np.stack([p.pooled for p in win]) * w[:, None]).sum(0) / max(1.0, w.sum()))
    return normalise(np.stack(out)) if out else np.zeros((0, model.base[0].hidden), dtype=np.float32)


def normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)


def refit_acled(model: CoreModel, examples: list[CoreExample], C: float = 1.0) -> None:
    """The ACLED head, refitted as an L2-regularised logistic regression on the trained encoder's pooled
    windows: 30 subtypes from about ten snippets each are too few for the joint training's few steps
    (docs/accuracy.md, "Learned core"), and a closed-form fit with a strong prior is what few examples need.
    The head then reads L2-normalised pooled vectors (``CoreModel.acled_normalised``)."""
    labels = model.acled_labels
    if len(labels) < 2 or len(examples) < 2:
        return
    from sklearn.linear_model import LogisticRegression

    X = pooled_windows(model, [e.text for e in examples])
    y = [e.labels["acled"] for e in examples]
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    clf.fit(X, y)
    W = np.zeros((len(labels), X.shape[1]), dtype=np.float32)
    b = np.full(len(labels), -30.0, dtype=np.float32)  # a subtype absent from the fit is never chosen
    classes = list(clf.classes_)
    for j, lab in enumerate(labels):
        if lab in classes:
            c = classes.index(lab)
            if len(classes) == 2:
                W[j] = clf.coef_[0] * (1 if c == 1 else -1) / 2
                b[j] = clf.intercept_[0] * (1 if c == 1 else -1) / 2
            else:
                W[j], b[j] = clf.coef_[c], clf.intercept_[c]
    head = model.heads["h_acled"]
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(W))
        head.bias.copy_(torch.from_numpy(b))
    model.acled_normalised = True
