"""Metrics for the evaluation harness (pure Python, no sklearn).

* :func:`prf` - precision/recall/F1 from counts (0 when undefined).
* :func:`classification_report` - single-label multi-class: per-class P/R/F1 with
  support, accuracy, macro, weighted and micro averages.
* :func:`multilabel_report` - several binary labels per item (e.g. police actions).
* :func:`span_prf` - exact span matching (character or token spans, optionally with
  a label as the third element of each tuple).
* :func:`overlap_span_prf` - lenient span matching: one-to-one, any overlap.
* :func:`confusion` - confusion counts gold -> predicted.
* :func:`kfold` - deterministic k-fold index splits (optionally grouped).

Conventions: spans are half-open ``(start, end)``; a class that occurs neither in
the gold labels nor in the predictions has undefined P/R/F1 and is left out of
the macro average (sklearn would count it as 0); the per-class table still lists
it with support 0 when it was named in ``labels``.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

Span = tuple  # (start, end) or (start, end, label)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from true-positive, false-positive and false-negative counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _averages(rows: dict[str, dict[str, float]], counts: dict[str, tuple[int, int, int]], scored: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    present = [lab for lab in scored if counts[lab][0] + counts[lab][1] + counts[lab][2] > 0]
    if present:
        for m in ("precision", "recall", "f1"):
            out[f"macro_{m}"] = sum(rows[lab][m] for lab in present) / len(present)
    else:
        out.update(macro_precision=0.0, macro_recall=0.0, macro_f1=0.0)
    total_support = sum(rows[lab]["support"] for lab in scored)
    for m in ("precision", "recall", "f1"):
        out[f"weighted_{m}"] = (
            sum(rows[lab][m] * rows[lab]["support"] for lab in scored) / total_support if total_support else 0.0
        )
    tp = sum(counts[lab][0] for lab in scored)
    fp = sum(counts[lab][1] for lab in scored)
    fn = sum(counts[lab][2] for lab in scored)
    micro = prf(tp, fp, fn)
    for m in ("precision", "recall", "f1"):
        out[f"micro_{m}"] = micro[m]
    return out


def classification_report(
    gold: Sequence[Hashable],
    pred: Sequence[Hashable],
    *,
    labels: Iterable[Hashable] | None = None,
    exclude: Iterable[Hashable] = (),
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Single-label classification scores.

    ``labels``: the classes to score and list (default: every label seen in gold or
    predictions, sorted). ``exclude``: labels that are not classes (e.g. "NONE" for
    "no event predicted"): a prediction of an excluded label counts only as a miss
    for the gold class. Returns ``(overall, per_class)``; ``overall`` has accuracy
    (over all items), macro/weighted/micro precision, recall and F1 over the scored
    labels, and ``n``.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    excl = set(exclude)
    if labels is None:
        scored = sorted({*gold, *pred} - excl, key=str)
    else:
        scored = [lab for lab in dict.fromkeys(labels) if lab not in excl]
        # labels seen in the data but not named still count (e.g. unmapped gold labels)
        extra = sorted(({*gold, *pred} - excl) - set(scored), key=str)
        scored += extra
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g, p in zip(gold, pred):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    counts = {lab: (tp[lab], fp[lab], fn[lab]) for lab in scored}
    rows: dict[str, dict[str, float]] = {}
    for lab in scored:
        row: dict[str, Any] = prf(*counts[lab])
        row["support"] = tp[lab] + fn[lab]
        rows[str(lab)] = row
    str_counts = {str(k): v for k, v in counts.items()}
    overall: dict[str, float] = {
        "accuracy": sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0,
    }
    overall.update(_averages(rows, str_counts, [str(s) for s in scored]))
    overall["n"] = len(gold)
    return overall, rows


def multilabel_report(
    gold: Sequence[Iterable[Hashable]],
    pred: Sequence[Iterable[Hashable]],
    labels: Iterable[Hashable],
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Several binary labels per item: per-label P/R/F1 with support, macro/weighted/micro, subset accuracy."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    labs = list(dict.fromkeys(labels))
    counts: dict[str, tuple[int, int, int]] = {}
    rows: dict[str, dict[str, float]] = {}
    gsets = [set(g) for g in gold]
    psets = [set(p) for p in pred]
    for lab in labs:
        tp = sum(1 for g, p in zip(gsets, psets) if lab in g and lab in p)
        fp = sum(1 for g, p in zip(gsets, psets) if lab not in g and lab in p)
        fn = sum(1 for g, p in zip(gsets, psets) if lab in g and lab not in p)
        counts[str(lab)] = (tp, fp, fn)
        row: dict[str, Any] = prf(tp, fp, fn)
        row["support"] = tp + fn
        rows[str(lab)] = row
    lab_set = set(labs)
    overall: dict[str, float] = {
        "subset_accuracy": (
            sum(1 for g, p in zip(gsets, psets) if g & lab_set == p & lab_set) / len(gsets) if gsets else 0.0
        )
    }
    overall.update(_averages(rows, counts, [str(lab) for lab in labs]))
    overall["n"] = len(gsets)
    return overall, rows


def span_prf(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]]) -> dict[str, float]:
    """Exact span matching over items: a predicted span counts only if the same tuple is in gold.

    ``gold[i]``/``pred[i]`` are the spans of item i, e.g. ``(start, end)`` character
    offsets or ``(start, end, label)``. Duplicates within an item count once.
    Returns precision, recall, f1, tp, fp, fn, support (= number of gold spans).
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    out: dict[str, Any] = prf(tp, fp, fn)
    out.update(tp=tp, fp=fp, fn=fn, support=tp + fn)
    return out


def spans_overlap(a: Span, b: Span) -> bool:
    """Half-open spans share at least one position (and the same label, when both have one)."""
    if len(a) > 2 and len(b) > 2 and a[2] != b[2]:
        return False
    return a[0] < b[1] and b[0] < a[1]


def overlap_span_prf(
    gold: Sequence[Iterable[Span]],
    pred: Sequence[Iterable[Span]],
    match: Callable[[Span, Span], bool] = spans_overlap,
) -> dict[str, float]:
    """Lenient span matching: each gold span can be matched by at most one predicted span that overlaps it.

    Greedy one-to-one matching in order of start offsets. Same return value as :func:`span_prf`.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        gs = sorted(set(g), key=lambda s: (s[0], s[1]))
        ps = sorted(set(p), key=lambda s: (s[0], s[1]))
        used = [False] * len(gs)
        matched = 0
        for s in ps:
            for j, t in enumerate(gs):
                if not used[j] and match(s, t):
                    used[j] = True
                    matched += 1
                    break
        tp += matched
        fp += len(ps) - matched
        fn += len(gs) - matched
    out: dict[str, Any] = prf(tp, fp, fn)
    out.update(tp=tp, fp=fp, fn=fn, support=tp + fn)
    return out


def confusion(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, dict[str, int]]:
    """Confusion counts: ``result[gold_label][pred_label]``."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for g, p in zip(gold, pred):
        row = table[str(g)]
        row[str(p)] = row.get(str(p), 0) + 1
    return {k: dict(sorted(v.items())) for k, v in sorted(table.items())}


def kfold(
    items: Sequence[Any] | int,
    k: int = 5,
    seed: int = 0,
    groups: Sequence[Hashable] | None = None,
) -> list[tuple[list[int], list[int]]]:
    """Deterministic k-fold splits: a list of ``(train_idx, test_idx)``, one per fold.

    ``items``: the items (or their number). Indices are shuffled with
    ``random.Random(seed)`` and dealt round-robin into ``k`` folds, so fold sizes
    differ by at most one; every index is in exactly one test fold. With
    ``groups`` (one key per item, e.g. a document id), whole groups are dealt
    instead, so items of one group never straddle train and test. Index lists are
    sorted.
    """
    n = items if isinstance(items, int) else len(items)
    if k < 2:
        raise ValueError("k must be at least 2")
    if groups is not None and len(groups) != n:
        raise ValueError(f"groups has {len(groups)} keys for {n} items")
    rng = random.Random(seed)
    if groups is None:
        units: list[list[int]] = [[i] for i in range(n)]
    else:
        by_group: dict[Hashable, list[int]] = {}
        for i, g in enumerate(groups):
            by_group.setdefault(g, []).append(i)
        units = list(by_group.values())
    if len(units) < k:
        raise ValueError(f"cannot make {k} folds from {len(units)} {'groups' if groups is not None else 'items'}")
    order = list(range(len(units)))
    rng.shuffle(order)
    folds: list[list[int]] = [[] for _ in range(k)]
    if groups is None:
        for pos, u in enumerate(order):
            folds[pos % k].extend(units[u])
    else:
        # largest groups first, each to the currently smallest fold (ties: lowest fold)
        order.sort(key=lambda u: -len(units[u]))
        for u in order:
            f = min(range(k), key=lambda j: (len(folds[j]), j))
            folds[f].extend(units[u])
    splits = []
    for f in range(k):
        test = sorted(folds[f])
        test_set = set(test)
        train = [i for i in range(n) if i not in test_set]
        splits.append((train, test))
    return splits
