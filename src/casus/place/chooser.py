"""The learned choice of an event's location among the places of its sentence.

Contract
--------
Input: the candidates of :meth:`casus.place.PlaceResolver.candidates` for one
trigger token (each place of the sentence with its hand-set cost and the facts
behind it). Output: the candidate taken as the event's location, or None.

:class:`PlaceChooser` scores every candidate with a gradient-boosted tree model
(:class:`ChooserModel`, a small ``.npz`` shipped in ``casus/place/model/``) and
takes the most probable one when its probability is above the model's
``threshold``; otherwise the event has no location in the text. A place that
is the event's own actor in the pipeline (an ``actor`` span, a country in a
``recipient`` span) has its probability halved: the training data has no actor
spans, so this prior is set by hand, following the rule-based chooser.

Features of a candidate (:func:`facts`, :func:`vectorise`): the hand-set cost
and path length, the preposition through which the path leaves the trigger,
the rule flags (subject, modifier, dateline, reference point, office, base,
locative), the gazetteer's feature type and population, how the place was
found (``how``), its entity label and dependency relation, the word before and
after it, the lemma of its head, the dependency path from the trigger (up to
three steps at each end), verbs on that path, whether trigger and place share a
clause, linear distance, its rank among the candidates, and facts of the
trigger (part of speech, relation, tag, lemma). Word vocabularies are the most
frequent values in the training data; the rest map to "other".

The model is trained by ``train/train_place.py`` from the development part of
the event-location data (``../shared/data/event_location``) only: scikit-learn's
``HistGradientBoostingClassifier``, exported to plain arrays so that inference
needs only numpy. :func:`fit` is the same training, used by ``casus eval
event-location --kfold K`` to score each item with a model trained without it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from spacy.tokens import Token

from ..nlp import Parsed

MODEL_FILE = Path(__file__).parent / "model" / "chooser.npz"

PREPS = ["in", "at", "near", "from", "on", "of", "to", "into", "across", "against", "outside", "over"]
FEATURES = ["country", "admin1", "admin2", "city", "region", "continent", None]
HOWS = ["ent", "gazetteer", "kb", "preposition", "pattern", "based", "name"]
ENTS = ["GPE", "LOC", "FAC", "PERSON", "ORG", ""]
DEPS = ["pobj", "nsubj", "dobj", "compound", "poss", "appos", "conj", "nsubjpass", "ROOT", "npadvmod"]
TPOS = ["VERB", "NOUN", "AUX", "ADJ"]
TDEP = ["ROOT", "ccomp", "advcl", "relcl", "conj", "xcomp", "amod", "acl", "pcomp", "dobj", "pobj", "nsubj",
        "nsubjpass"]
TTAG = ["VBD", "VBN", "VBG", "VB", "VBZ", "VBP", "NN", "NNS"]
FLAGS = ["subject", "base", "modifier", "dateline", "reference", "office", "locative"]
SPECIFICITY = {"city": 1, "admin2": 2, "admin1": 3, "region": 3, "country": 4, "continent": 5}
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "conj", "xcomp", "parataxis", "acl", "csubj", "pcomp", "ROOT"}
#: vocabularies learnt from the training data: name -> (fact key, size)
VOCABS = {"lemma": ("lemma", 200), "hlemma": ("hlemma", 100), "prevw": ("prevw", 60), "nextw": ("nextw", 60),
          "path": ("path", 200)}
N_NUMERIC = 31
ACTOR_FACTOR = 0.5
DEFAULT_PARAMS = {"max_iter": 400, "learning_rate": 0.06, "max_depth": 10, "max_leaf_nodes": 31,
                  "min_samples_leaf": 30, "l2_regularization": 1.0}
DEFAULT_THRESHOLD = 0.4


# --------------------------------------------------------------------------- facts


def _up(tree: Any, i: int) -> list[int]:
    """Token i and its ancestors, up to the sentence root."""
    out = [i]
    heads, start = tree.heads, tree.start
    while True:
        h = heads[out[-1] - start]
        if h == out[-1] or not (tree.start <= h < tree.end):
            return out
        out.append(h)


def _clause(tree: Any, up: list[int]) -> int:
    """The verb heading the clause of ``up[0]`` (or the root)."""
    for i in up:
        k = i - tree.start
        if tree.pos[k] in ("VERB", "AUX") and tree.deps[k] in CLAUSE_DEPS:
            return i
    return up[-1]


def _governing_verb(tree: Any, up: list[int]) -> int:
    return next((i for i in up if tree.pos[i - tree.start] == "VERB"), up[-1])


def _path(tree: Any, up_a: list[int], up_b: list[int]) -> tuple[str, int, int]:
    """Dependency path from a to b ("^nsubj |VERB prep pobj"), verbs strictly on it, steps up from a."""
    o = tree.start
    ib = {t: k for k, t in enumerate(up_b)}
    for ka, t in enumerate(up_a):
        kb = ib.get(t)
        if kb is None:
            continue
        up = ["^" + tree.deps[x - o] for x in up_a[:ka]]
        down = [tree.deps[x - o] for x in reversed(up_b[:kb])]
        inner = up_a[1:ka + 1] + up_b[1:kb]
        verbs = sum(1 for x in inner if tree.pos[x - o] == "VERB")
        p = up + ["|" + tree.pos[t - o]] + down
        if len(p) > 6:
            p = p[:3] + [".."] + p[-3:]
        return " ".join(p), verbs, ka
    return "none", 0, 0


def facts(trigger: int, cands: Sequence[Any], tree: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The facts of the trigger (token index) and of each candidate (plain values, see the module
    docstring). ``tree``: the sentence's ``casus.place._Tree`` (plain lists, no spaCy Token objects)."""
    d = tree.doc
    o = tree.start
    n_doc = len(d.lowers)
    tf = {"pos": d.pos[trigger], "dep": d.deps[trigger], "tag": d.tags[trigger], "lemma": d.lemmas[trigger],
          "sentlen": tree.end - tree.start, "ti": trigger - o, "nverbs": tree.pos.count("VERB")}
    up_t = _up(tree, trigger)
    t_clause = _clause(tree, up_t)
    out = []
    for c in cands:
        m = c.mention
        h = m.head
        up_h = _up(tree, h)
        path, verbs, ups = _path(tree, up_t, up_h)
        hh = up_h[1] if len(up_h) > 1 else h
        p = m.place
        out.append({
            "cost": c.cost, "limit": c.limit, "path_len": c.path, "prep": c.prep, "role": c.role,
            "flags": c.flags, "feature": p.feature if p else None, "how": m.how,
            "pop": p.population if p else 0, "ent": d.ents[h], "dep": d.deps[h],
            "off": h - trigger, "lower": m.text.islower(), "upper": m.text.isupper(),
            "ntok": m.end - m.start, "gprep": d.lowers[hh] if d.deps[h] == "pobj" else "",
            "govv": _governing_verb(tree, up_h) == trigger, "anc": trigger in up_h[1:],
            "panc": h in up_t[1:], "sameclause": _clause(tree, up_h) == t_clause,
            "prevw": d.lowers[m.start - 1] if m.start > 0 else "",
            "nextw": d.lowers[m.end] if m.end < n_doc else "",
            "hlemma": d.lemmas[hh], "path": path, "pverbs": verbs, "pup": ups,
            "actor": bool(c.flags.get("actor") or c.flags.get("recipient")), "rule": c.rule_pick,
        })
    return tf, out


def build_vocab(samples: Iterable[tuple[dict, list[dict]]]) -> dict[str, list[str]]:
    counts: dict[str, Counter] = {k: Counter() for k in VOCABS}
    for tf, cfs in samples:
        counts["lemma"][tf["lemma"]] += 1
        for cf in cfs:
            for name, (key, _) in VOCABS.items():
                if name != "lemma":
                    counts[name][cf[key]] += 1
    return {name: [w for w, _ in counts[name].most_common(size)] for name, (_, size) in VOCABS.items()}


class _Layout:
    """Column positions of the feature vector for one vocabulary."""

    N_DENSE = N_NUMERIC + len(FLAGS)  # numeric facts, then the rule flags

    def __init__(self, vocab: dict[str, list[str]]) -> None:
        self.vocab = vocab
        self.blocks: dict[str, tuple[int, dict[Any, int]]] = {}
        pos = self.N_DENSE
        for name, values in [("prep", PREPS), ("gprep", PREPS + [""]), ("feature", FEATURES), ("how", HOWS),
                             ("ent", ENTS), ("dep", DEPS), ("tpos", TPOS), ("tdep", TDEP), ("ttag", TTAG),
                             *[(k, vocab[k]) for k in VOCABS]]:
            index = {v: k for k, v in enumerate(values)}
            self.blocks[name] = (pos, index)
            pos += len(values) + 1  # the last column: any other value
        self.width = pos


def vectorise(tf: dict[str, Any], cfs: list[dict[str, Any]], layout: _Layout) -> np.ndarray:
    X = np.zeros((len(cfs), layout.width), dtype=np.float32)
    if not cfs:
        return X
    costs = [cf["cost"] for cf in cfs]
    low = min(costs)
    specs = [SPECIFICITY.get(cf["feature"], 0) for cf in cfs]
    paths = sorted(cf["path_len"] for cf in cfs)
    after = [cf["off"] for cf in cfs if cf["off"] > 0]
    before = [cf["off"] for cf in cfs if cf["off"] < 0]
    n = len(cfs)
    blocks = layout.blocks
    trigger_cols = []  # the trigger's one-hot columns, the same for every candidate
    for name, value in (("tpos", tf["pos"]), ("tdep", tf["dep"]), ("ttag", tf["tag"]), ("lemma", tf["lemma"])):
        start, index = blocks[name]
        trigger_cols.append(start + index.get(value, len(index)))
    for r, cf in enumerate(cfs):
        row = X[r]
        rank = paths.index(cf["path_len"])
        dense = [
            min(cf["cost"], 12) / 4, float(cf["cost"] <= cf["limit"]), min(cf["path_len"], 12) / 4,
            float(cf["path_len"] >= 99), float(cf["cost"] == low), min(cf["cost"] - low, 10) / 4,
            math.log(n), specs[r] / 5, float(specs[r] == min(specs)),
            float(cf["off"] > 0), math.log1p(abs(cf["off"])) / 3, float(cf["lower"]), float(cf["upper"]),
            min(cf["ntok"], 4) / 4, math.log10(cf["pop"] + 1) / 7, float(cf["role"] == "launch site"),
            float(cf["limit"] < 5), float(cf["govv"]), float(cf["anc"]), float(cf["panc"]),
            float(cf["sameclause"]), math.log1p(tf["nverbs"]), math.log(tf["sentlen"]) / 4,
            tf["ti"] / tf["sentlen"], min(cf["pverbs"], 4) / 4, min(cf["pup"], 5) / 5,
            float(rank == 0), float(rank == 1), float(bool(after) and cf["off"] == min(after)),
            float(bool(before) and cf["off"] == max(before)), float(cf["rule"]),
        ]
        row[:N_NUMERIC] = dense
        for k, flag in enumerate(FLAGS):
            row[N_NUMERIC + k] = float(cf["flags"].get(flag, False))
        for name, value in (("prep", cf["prep"]), ("gprep", cf["gprep"]), ("feature", cf["feature"]),
                            ("how", cf["how"]), ("ent", cf["ent"] if cf["ent"] in ENTS else "other"),
                            ("dep", cf["dep"]), ("hlemma", cf["hlemma"]), ("prevw", cf["prevw"]),
                            ("nextw", cf["nextw"]), ("path", cf["path"])):
            start, index = blocks[name]
            row[start + index.get(value, len(index))] = 1.0
        row[trigger_cols] = 1.0
    return X


# --------------------------------------------------------------------------- the model


@dataclass
class ChooserModel:
    """Gradient-boosted trees as flat arrays (a leaf points to itself), plus vocabularies and threshold."""

    vocab: dict[str, list[str]]
    feature: np.ndarray  # int32, per node
    split: np.ndarray  # float32: go left when x[feature] <= split
    left: np.ndarray  # int32, global node index
    right: np.ndarray
    value: np.ndarray  # float32, leaf values (0 for inner nodes)
    depth: int
    n_trees: int
    roots: np.ndarray  # int32
    base: float
    threshold: float = DEFAULT_THRESHOLD
    trained_on: frozenset[int] = field(default_factory=frozenset)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.layout = _Layout(self.vocab)
        self._child = np.stack([self.left, self.right], axis=1).ravel()  # node k: [2k] left, [2k + 1] right

    def proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        # walk every tree for every row at once; a leaf's children are itself
        n = len(X)
        flat = X.ravel()
        idx = np.broadcast_to(self.roots, (n, self.n_trees)).copy()
        row_base = (np.arange(n) * X.shape[1])[:, None]
        child = self._child
        for _ in range(self.depth):
            right = flat[row_base + self.feature[idx]] > self.split[idx]
            idx = child[2 * idx + right]
        raw = self.base + self.value[idx].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    def best(self, p: np.ndarray) -> int | None:
        """The most probable candidate, if its probability is above the threshold."""
        if len(p) == 0:
            return None
        k = int(np.argmax(p))
        return k if p[k] > self.threshold else None

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "vocab": self.vocab, "depth": self.depth, "base": self.base,
                "threshold": self.threshold, "n_trees": self.n_trees}
        np.savez_compressed(path, feature=self.feature.astype(np.int16), split=self.split.astype(np.float32),
                            left=self.left.astype(np.int32), right=self.right.astype(np.int32),
                            value=self.value.astype(np.float32), roots=self.roots.astype(np.int32),
                            trained_on=np.array(sorted(self.trained_on), dtype=np.uint32),
                            meta=np.array(json.dumps(meta)))

    @classmethod
    def load(cls, path: str | Path) -> "ChooserModel":
        with np.load(path) as z:
            meta = json.loads(str(z["meta"]))
            return cls(vocab=meta.pop("vocab"), feature=z["feature"].astype(np.int32), split=z["split"],
                       left=z["left"], right=z["right"], value=z["value"], depth=int(meta.pop("depth")),
                       n_trees=int(meta.pop("n_trees")), roots=z["roots"], base=float(meta.pop("base")),
                       threshold=float(meta.pop("threshold")),
                       trained_on=frozenset(int(x) for x in z["trained_on"]), meta=meta)


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_FILE)) -> ChooserModel:
    """The chooser model at ``path`` (read once per process)."""
    if not Path(path).is_file():
        from ..errors import CasusError

        raise CasusError("E036", path=path)
    return ChooserModel.load(path)


def _export(clf: Any) -> tuple[dict[str, np.ndarray], int, float]:
    """Flatten a fitted binary ``HistGradientBoostingClassifier`` into node arrays.

    Reads scikit-learn's fitted tree layout (``_predictors``, ``_baseline_prediction``), at training time
    only; ``tests/test_place.py`` checks that the numpy walk reproduces ``predict_proba``, so a change of
    that layout fails the tests rather than the shipped model."""
    feats, splits, lefts, rights, values, roots = [], [], [], [], [], []
    depth = 0
    offset = 0
    for trees in clf._predictors:  # one list per iteration; one tree for a binary problem
        nodes = trees[0].nodes
        roots.append(offset)
        for k, nd in enumerate(nodes):
            leaf = bool(nd["is_leaf"])
            feats.append(0 if leaf else int(nd["feature_idx"]))
            splits.append(np.inf if leaf else float(nd["num_threshold"]))
            lefts.append(offset + (k if leaf else int(nd["left"])))
            rights.append(offset + (k if leaf else int(nd["right"])))
            values.append(float(nd["value"]) if leaf else 0.0)
            depth = max(depth, int(nd["depth"]))
        offset += len(nodes)
    base = float(np.ravel(clf._baseline_prediction)[0])
    arrays = {"feature": np.array(feats, dtype=np.int32), "split": np.array(splits, dtype=np.float32),
              "left": np.array(lefts, dtype=np.int32), "right": np.array(rights, dtype=np.int32),
              "value": np.array(values, dtype=np.float32), "roots": np.array(roots, dtype=np.int32)}
    return arrays, depth, base


@dataclass
class Sample:
    """One trigger of the training data: its facts, its candidates' facts, which candidates are right."""

    key: int  # casus.events.typer.text_key of the text (for folds and the trained-on list)
    trigger: dict[str, Any]
    cands: list[dict[str, Any]]
    gold: list[bool]


def fit(samples: Sequence[Sample], params: dict[str, Any] | None = None, threshold: float = DEFAULT_THRESHOLD,
        seed: int = 0) -> ChooserModel:
    """Train a chooser on ``samples`` (scikit-learn at training time only)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    vocab = build_vocab((s.trigger, s.cands) for s in samples)
    layout = _Layout(vocab)
    X = [vectorise(s.trigger, s.cands, layout) for s in samples if s.cands]
    y = [g for s in samples if s.cands for g in s.gold]
    Xa = np.concatenate(X) if X else np.zeros((0, layout.width), dtype=np.float32)
    p = {**DEFAULT_PARAMS, **(params or {})}
    clf = HistGradientBoostingClassifier(early_stopping=False, random_state=seed, **p)
    clf.fit(Xa, np.array(y, dtype=bool))
    arrays, depth, base = _export(clf)
    return ChooserModel(vocab=vocab, depth=depth, n_trees=len(arrays["roots"]), base=base, threshold=threshold,
                        trained_on=frozenset(s.key for s in samples),
                        meta={"params": p, "samples": len(samples), "candidates": len(y)}, **arrays)


# --------------------------------------------------------------------------- the chooser


class PlaceChooser:
    """Pick the event's location among the candidates with a :class:`ChooserModel`."""

    def __init__(self, model: ChooserModel | str | Path | None = None) -> None:
        if model is None or isinstance(model, (str, Path)):
            model = load_model(str(model or MODEL_FILE))
        self.model = model

    def pick(self, parsed: Parsed, trigger: Token, cands: Sequence[Any], tree: Any) -> tuple[Any, float] | None:
        """The candidate taken as the location of ``trigger``'s event and its probability, or None."""
        if not cands:
            return None
        return self.pick_many(parsed, [(trigger, cands, tree)])[0]

    def pick_many(self, parsed: Parsed, jobs: Sequence[tuple[Token, Sequence[Any], Any]]
                  ) -> list[tuple[Any, float] | None]:
        """:meth:`pick` for several ``(trigger, candidates, sentence tree)`` of one document, in one model call."""
        blocks, priors = [], []
        for trigger, cands, tree in jobs:
            tf, cfs = facts(trigger.i, cands, tree)
            blocks.append(vectorise(tf, cfs, self.model.layout))
            priors.append([ACTOR_FACTOR if cf["actor"] else 1.0 for cf in cfs])
        if not blocks:
            return []
        p_all = self.model.proba(np.concatenate(blocks))
        out: list[tuple[Any, float] | None] = []
        at = 0
        for (_, cands, _), prior in zip(jobs, priors):
            p = p_all[at:at + len(cands)] * np.array(prior)
            at += len(cands)
            k = self.model.best(p)
            out.append((cands[k], float(p[k])) if k is not None else None)
        return out
