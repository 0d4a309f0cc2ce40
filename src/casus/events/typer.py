"""events/typer: a small trained model that re-ranks and completes the rule-coded event types.

Contract
--------
Input: a :class:`casus.nlp.Parsed`, its :class:`casus.actors.ActorLayer` and the
events the rule extractor found (:class:`casus.events.EventExtractor`).
Output: the same events, with for each sentence its *main* event typed by the
combination of the rules and the model, and, where the rules found nothing but the
model is confident, one event added at the sentence's main verb. Each touched
event records how it was typed in ``typed_by`` ("rules", "rules+model", "model")
and every event may get an ACLED-style subtype in ``acled`` (consistent with its PLOVER type, read
from its sentence and ``acled_window`` sentences on each side).

How
---
Every sentence becomes one feature vector: a static sentence embedding (the mean
of the word-piece vectors of a model2vec distillation of all-MiniLM-L6-v2, shipped
in ``model/static``, built by ``train/distill_static.py``) plus hashed sparse
features (lemmas, lemma bigrams, the root lemma, the rule-coded types and
triggers, negation, the ACLED cue-word families of :mod:`casus.events.cues`). Three linear softmax heads read it:

* ``type``: the 16 PLOVER types plus ``NONE``;
* ``quad``: the penta class 0-4 (0 = neutral statement or no event, then the four
  quad classes);
* ``acled``: ACLED-style sub-event types (CASE 2021 labels).

For a sentence, each candidate type ``t`` scores
``log P_type(t) + beta * log P_quad(quad(t)) + gamma * [t is rule-coded here]``
(``NONE`` gets ``gamma`` when the rules found nothing; ``quad(t)`` is the penta class
of the ConfliBERT data, :data:`casus.events.ontology.PENTA`; a type the rules found
only as an embedded or background event of a sentence with a governing one is no
candidate, :func:`embedded_only`). The best candidate becomes
the sentence's main event: a rule event of that type is kept and ranked first
(``confidence``); when the rules coded only other types they are kept as they are
(retyping them is an option, ``retype``, off by default: on news it replaced right
lexical readings); with no rule event, an event is added at the main verb when the
type's probability reaches ``add_min``; rule events of a sentence the model calls
``NONE`` with probability ``drop_none`` or more are dropped (off by default: set above 1).

Training (:func:`train`) needs scikit-learn and the development gold sets; the
weights are stored as NumPy arrays in ``model/typer.npz`` (inference needs only
NumPy and model2vec). ``train/train_typer.py`` rebuilds them.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..errors import CasusError
from ..records import Event, Span
from .cues import sentence_cues
from .ontology import DEFAULT_CAMEO, PENTA, PLOVER_TYPES, QUAD, goldstein, intensity

MODEL_DIR = Path(__file__).parent / "model"
STATIC_DIR = MODEL_DIR / "static"
TYPER_FILE = MODEL_DIR / "typer.npz"

N_BUCKETS = 1 << 18
NONE = "NONE"
TYPE_LABELS = (*PLOVER_TYPES, NONE)


#: ACLED-style sub-event type -> the PLOVER type it is a kind of (used to keep
#: the subtype consistent with the event's type, and to turn CASE labels into
#: PLOVER types for training). Documented in docs/accuracy.md.
ACLED_TO_PLOVER: dict[str, str | None] = {
    "ABDUCT_DISSAP": "ASSAULT",
    "AGREEMENT": "AGREE",
    "AIR_STRIKE": "ASSAULT",
    "ARMED_CLASH": "ASSAULT",
    "ARREST": "COERCE",
    "ART_MISS_ATTACK": "ASSAULT",
    "ATTACK": "ASSAULT",
    "CHANGE_TO_GROUP_ACT": "MOBILIZE",
    "CHEM_WEAP": "ASSAULT",
    "DISR_WEAP": "COERCE",
    "FORCE_AGAINST_PROTEST": "ASSAULT",
    "GOV_REGAINS_TERIT": "ASSAULT",
    "GRENADE": "ASSAULT",
    "HQ_ESTABLISHED": "MOBILIZE",
    "MOB_VIOL": "ASSAULT",
    "NON_STATE_ACTOR_OVERTAKES_TER": "ASSAULT",
    "NON_VIOL_TERRIT_TRANSFER": "RETREAT",
    "OTHER": None,
    "PEACE_PROTEST": "PROTEST",
    "PROPERTY_DISTRUCT": "ASSAULT",
    "PROTEST_WITH_INTER": "COERCE",
    "REM_EXPLOS": "ASSAULT",
    "SEX_VIOL": "ASSAULT",
    "SUIC_BOMB": "ASSAULT",
    "VIOL_DEMONSTR": "PROTEST",
    "ORG_CRIME": "COERCE",
    "NATURAL_DISASTER": None,
    "MAN_MADE_DISASTER": None,
    "DIPLO": None,
    "ATTRIB": None,
}

#: the PLOVER types an ACLED-style subtype may be given to (None: any type). A subtype with a
#: PLOVER type goes with that type only; DIPLO with the verbal and diplomatic types; a claim of
#: responsibility (ATTRIB), a disaster or OTHER can come with any event.
ACLED_ALLOWED: dict[str, frozenset[str] | None] = {
    a: (frozenset({t}) if t else None) for a, t in ACLED_TO_PLOVER.items()
}
ACLED_ALLOWED["DIPLO"] = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "REQUEST",
                                    "ACCUSE", "REJECT", "THREATEN", "SANCTION", "RETREAT"})


def acled_allowed(label: str, event_type: str) -> bool:
    allowed = ACLED_ALLOWED.get(label, frozenset())
    return allowed is None or event_type in allowed

#: IndiaPoliceEvents sentence labels -> PLOVER type (first match wins)
INDIA_TO_PLOVER = (("KILL", "ASSAULT"), ("FORCE", "ASSAULT"), ("ARREST", "COERCE"))


# --------------------------------------------------------------------------- features


_BUCKETS: dict[str, int] = {}


def _bucket(feature: str) -> int:
    b = _BUCKETS.get(feature)
    if b is None:
        if len(_BUCKETS) > 1_000_000:
            _BUCKETS.clear()
        b = _BUCKETS[feature] = zlib.crc32(feature.encode("utf-8")) % N_BUCKETS
    return b


MODALS = frozenset({"will", "would", "could", "may", "might", "should", "must"})


def sparse_features(sent: SpacySpan, rule_events: Sequence[Event] = (), arrays: "DocArrays | None" = None) -> list[int]:
    """Hashed feature indices of one sentence (sorted, unique).

    ``arrays``: the document's :class:`DocArrays`, when the caller has them (same features,
    computed from attribute arrays instead of Token objects)."""
    if arrays is None:
        arrays = DocArrays(sent.doc)
    feats: set[str] = set()
    add = feats.add
    prev = "<s>"
    lem_, pos_, dep_, low_, skip, num, head = (arrays.lemma, arrays.pos, arrays.dep, arrays.lower, arrays.skip,
                                              arrays.num, arrays.head)
    for i in range(sent.start, sent.end):
        if skip[i]:
            continue
        lem = lem_[i] if not num[i] else "<num>"
        add("w=" + lem)
        add("b=" + prev + "_" + lem)
        pos = pos_[i]
        if pos in ("VERB", "NOUN", "ADJ"):
            add("p=" + pos + ":" + lem)
        dep = dep_[i]
        if dep == "neg":
            add("neg")
            add("neg=" + lem_[head[i]])
        elif dep == "aux" and low_[i] in MODALS:
            add("modal=" + low_[i])
        prev = lem
    end = sent.end - 1
    text = arrays.text[arrays.idx[sent.start]:arrays.idx[end] + len(arrays.orth[end])]
    for name in sentence_cues(low_[sent.start:sent.end], text):
        add("cue=" + name)  # ACLED cue-word families (casus.events.cues)
    root = sent.root
    add("root=" + root.lemma_.lower())
    for c in root.children:
        if c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "nsubj"):
            add("rc=" + c.dep_ + ":" + c.lemma_.lower())
    for ev in rule_events:
        add("rule=" + ev.event)
        add("trig=" + ev.event + ":" + ev.event_text.text.lower())
        if ev.mode:
            add("rmode=" + ev.event + ":" + ev.mode)
    if not rule_events:
        add("rule=NONE")
    return sorted({_bucket(f) for f in feats})


_LOWERED: dict[int, str] = {}


class DocArrays:
    """Per-token attributes of a Doc as Python lists (one pass; no Token objects per feature)."""

    __slots__ = ("lemma", "pos", "dep", "lower", "skip", "num", "head", "orth", "space", "idx", "text")

    def __init__(self, doc: Any, text: str | None = None) -> None:
        from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM, LOWER, ORTH, POS

        arr = doc.to_array([LEMMA, POS, DEP, LOWER, IS_PUNCT, IS_SPACE, LIKE_NUM, HEAD, ORTH, IDX])
        self.text = doc.text if text is None else text  # the document text (``doc.text`` rebuilds it each call)
        strings = doc.vocab.strings
        cache = _LOWERED
        if len(cache) > 500_000:
            cache.clear()

        def texts(hs: list[int], lower: bool) -> list[str]:
            got: dict[int, str] = {}
            for h in set(hs):
                key = -h - 1 if lower else h
                v = cache.get(key)
                if v is None:
                    v = cache[key] = strings[h].lower() if lower else strings[h]
                got[h] = v
            return [got[h] for h in hs]

        cols = arr.T.tolist() if len(arr) else [[] for _ in range(10)]
        self.lemma = texts(cols[0], True)
        self.pos = texts(cols[1], False)
        self.dep = texts(cols[2], False)
        self.lower = texts(cols[3], False)
        self.skip = [bool(a or b) for a, b in zip(cols[4], cols[5])]
        self.num = [bool(x) for x in cols[6]]
        self.orth = texts(cols[8], False)
        self.space = [bool(x) for x in cols[5]]
        self.idx = cols[9]  # character offset of each token
        # HEAD is stored as an offset from the token (two's complement in the uint64 array)
        self.head = [i + (h if h < (1 << 63) else h - (1 << 64)) for i, h in enumerate(cols[7])]


@lru_cache(maxsize=2)
def load_static(path: str = str(STATIC_DIR)):
    """The static embedding model (model2vec format), loaded once per process."""
    try:
        from model2vec import StaticModel
    except ImportError as exc:  # pragma: no cover - model2vec is a dependency
        raise CasusError("E031", detail=str(exc)) from None
    if not Path(path, "model.safetensors").exists():
        raise CasusError("E032", path=path)
    return StaticModel.from_pretrained(path)


def embed(texts: Sequence[str], static_path: str = str(STATIC_DIR)) -> np.ndarray:
    """Unit-length embeddings of whole texts (model2vec's own tokenisation), float32, one row per text."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    m = load_static(static_path)
    e = np.asarray(m.encode(list(texts), show_progress_bar=False), dtype=np.float32)
    norms = np.linalg.norm(e, axis=1, keepdims=True)
    return e / np.maximum(norms, 1e-8)


class SpanEmbedder:
    """Unit-length embeddings of spaCy spans: the mean of the static vectors of their word
    pieces, with each word's pieces cached (tokenising once per distinct word)."""

    MAX_CACHE = 200_000

    def __init__(self, static_path: str = str(STATIC_DIR)) -> None:
        m = load_static(static_path)
        self.matrix = np.asarray(m.embedding, dtype=np.float32)
        self.tokenizer = m.tokenizer
        self.unk = m.unk_token_id
        self.pieces: dict[str, list[int]] = {}

    def _ids(self, words: Iterable[str]) -> None:
        new = [w for w in set(words) if w not in self.pieces]
        if not new:
            return
        if len(self.pieces) + len(new) > self.MAX_CACHE:
            self.pieces.clear()
        for w, enc in zip(new, self.tokenizer.encode_batch_fast(new, add_special_tokens=False)):
            self.pieces[w] = [i for i in enc.ids if i != self.unk]

    def __call__(self, spans: Sequence[SpacySpan], arrays: "DocArrays | None" = None) -> np.ndarray:
        sums, counts = self.sums(spans, arrays)
        return self.normalise(sums, counts)

    @staticmethod
    def normalise(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Unit-length means from piece-vector sums and piece counts (rows with no piece stay zero)."""
        out = sums / np.maximum(counts, 1)[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-8)

    def sums(self, spans: Sequence[SpacySpan], arrays: "DocArrays | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Sum of the word-piece vectors of each span and the number of pieces (so that the embedding
        of adjacent spans taken together is their summed sums over their summed counts)."""
        if arrays is not None:
            orth, space = arrays.orth, arrays.space
            words = [[orth[i] for i in range(sp.start, sp.end) if not space[i]] for sp in spans]
        else:
            words = [[t.text for t in sp if not t.is_space] for sp in spans]
        self._ids(w for ws in words for w in ws)
        out = np.zeros((len(spans), self.matrix.shape[1]), dtype=np.float32)
        cnt = np.zeros(len(spans), dtype=np.float32)
        ids: list[int] = []
        starts: list[int] = []
        rows: list[int] = []
        for i, ws in enumerate(words):
            sid = [p for w in ws for p in self.pieces[w]]
            if sid:
                starts.append(len(ids))
                rows.append(i)
                ids.extend(sid)
        if ids:
            out[rows] = np.add.reduceat(self.matrix[np.asarray(ids)], np.asarray(starts), axis=0)
            cnt[rows] = np.diff(np.asarray(starts + [len(ids)]))
        return out, cnt


@lru_cache(maxsize=2)
def span_embedder(static_path: str = str(STATIC_DIR)) -> SpanEmbedder:
    return SpanEmbedder(static_path)


# --------------------------------------------------------------------------- model


@dataclass
class Head:
    labels: tuple[str, ...]
    dense: np.ndarray  # (d, k)
    rows: dict[int, np.ndarray]  # bucket -> (k,)
    bias: np.ndarray  # (k,)


@dataclass
class TyperModel:
    heads: dict[str, Head]
    beta: float = 4.0
    gamma: float = 2.0
    margin: float = 0.0
    dense_scale: float = 1.0
    drop_none: float = 1.01  # drop rule events of a sentence the model calls NONE with P >= this
    retype: float = 1.01  # retype the strongest rule event when the model's type has P >= this
    add_min: float = 0.3  # add a model event (no rule event in the sentence) when its type has P >= this
    static_path: str = str(STATIC_DIR)
    trained_on: frozenset[int] = field(default_factory=frozenset)  # crc32 of training texts
    info: dict[str, Any] = field(default_factory=dict)

    def _pack(self) -> None:
        """All heads side by side: one dense matrix, one sparse row table (fast inference)."""
        names = list(self.heads)
        self._slices = {}
        k0 = 0
        for n in names:
            k = len(self.heads[n].labels)
            self._slices[n] = slice(k0, k0 + k)
            k0 += k
        self._D = np.hstack([self.heads[n].dense for n in names]).astype(np.float32)
        self._b = np.concatenate([self.heads[n].bias for n in names]).astype(np.float32)
        buckets = sorted(set().union(*(self.heads[n].rows for n in names)))
        row_of = {b: i for i, b in enumerate(buckets)}
        R = np.zeros((len(buckets), k0), dtype=np.float32)
        for n in names:
            sl = self._slices[n]
            for b, r in self.heads[n].rows.items():
                R[row_of[b], sl] = r
        self._R = R
        self._rowtab = np.full(N_BUCKETS, -1, dtype=np.int32)  # bucket -> row of R (or -1)
        if buckets:
            self._rowtab[np.asarray(buckets, dtype=np.int64)] = np.arange(len(buckets), dtype=np.int32)
        self._packed_for = tuple((n, id(self.heads[n])) for n in names)

    def predict_arrays(self, X: np.ndarray, buckets: Sequence[Sequence[int]]) -> dict[str, np.ndarray]:
        """Head probabilities for the rows of ``X`` (with their hashed features): head -> (n, k) array,
        columns in the order of ``self.heads[head].labels``."""
        if getattr(self, "_packed_for", None) != tuple((n, id(h)) for n, h in self.heads.items()):
            self._pack()
        n = len(buckets)
        Z = self._b + (np.asarray(X, dtype=np.float32).reshape(n, -1) * self.dense_scale) @ self._D
        lengths = np.fromiter((len(bs) for bs in buckets), dtype=np.int64, count=n)
        scale = (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32)  # as in fit()
        if lengths.sum():
            flat = np.fromiter((b for bs in buckets for b in bs), dtype=np.int64, count=int(lengths.sum()))
            owner = np.repeat(np.arange(n), lengths)
            rows = self._rowtab[flat]
            keep = rows >= 0
            rows, own = rows[keep], owner[keep]
            if len(rows):
                starts = np.flatnonzero(np.r_[True, own[1:] != own[:-1]])  # rows come grouped by sentence
                S = np.zeros_like(Z)
                S[own[starts]] = np.add.reduceat(self._R[rows], starts, axis=0)
                Z = Z + scale[:, None] * S
        out = {}
        for name, sl in self._slices.items():
            zz = Z[:, sl]
            zz = np.exp(zz - zz.max(axis=1, keepdims=True))
            out[name] = zz / zz.sum(axis=1, keepdims=True)
        return out

    def predict_many(self, X: np.ndarray, buckets: Sequence[Sequence[int]]) -> list[dict[str, dict[str, float]]]:
        """Like :meth:`predict_arrays`, as one ``{head: {label: p}}`` dict per row."""
        arr = self.predict_arrays(X, buckets)
        return [{name: dict(zip(self.heads[name].labels, a[i].tolist())) for name, a in arr.items()}
                for i in range(len(buckets))]

    def predict(self, x_dense: np.ndarray, buckets: Sequence[int]) -> dict[str, dict[str, float]]:
        return self.predict_many(np.asarray(x_dense, dtype=np.float32)[None, :], [buckets])[0]

    # ------------------------------------------------------------ io
    def save(self, path: str | Path) -> None:
        arrays: dict[str, np.ndarray] = {}
        meta = {"beta": self.beta, "gamma": self.gamma, "margin": self.margin, "dense_scale": self.dense_scale,
                "drop_none": self.drop_none, "retype": self.retype, "add_min": self.add_min, "heads": {}, "info": self.info}
        for name, h in self.heads.items():
            idx = np.array(sorted(h.rows), dtype=np.int32)
            arrays[f"{name}.dense"] = h.dense.astype(np.float16)
            arrays[f"{name}.idx"] = idx
            arrays[f"{name}.rows"] = (np.stack([h.rows[i] for i in idx]) if len(idx) else
                                      np.zeros((0, len(h.labels)))).astype(np.float16)
            arrays[f"{name}.bias"] = h.bias.astype(np.float32)
            meta["heads"][name] = list(h.labels)
        arrays["trained_on"] = np.array(sorted(self.trained_on), dtype=np.uint32)
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path = TYPER_FILE, static_path: str | None = None) -> "TyperModel":
        p = Path(path)
        if not p.exists():
            raise CasusError("E033", path=str(p))
        with np.load(p) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            heads = {}
            for name, labels in meta["heads"].items():
                idx = z[f"{name}.idx"]
                rows = z[f"{name}.rows"].astype(np.float32)
                heads[name] = Head(tuple(labels), z[f"{name}.dense"].astype(np.float32),
                                   {int(i): rows[j] for j, i in enumerate(idx)}, z[f"{name}.bias"].astype(np.float32))
            trained_on = frozenset(int(x) for x in z["trained_on"])
        return cls(heads, beta=meta["beta"], gamma=meta["gamma"], margin=meta["margin"],
                   dense_scale=meta.get("dense_scale", 1.0), drop_none=meta.get("drop_none", 1.01),
                   retype=meta.get("retype", 1.01), add_min=meta.get("add_min", 0.3),
                   static_path=static_path or str(STATIC_DIR), trained_on=trained_on, info=meta.get("info", {}))


def text_key(text: str) -> int:
    """Stable key of a text (whitespace-normalised crc32), for train/test bookkeeping."""
    return zlib.crc32(" ".join(text.split()).encode("utf-8"))


# --------------------------------------------------------------------------- the stage


def _strength(e: Event) -> tuple[float, float]:
    return (float(e.confidence or 0.0), abs(float(e.intensity or e.goldstein or 0.0)))


def retype(ev: Event, new_type: str) -> None:
    """Give ``ev`` another PLOVER type with the type's default CAMEO code, quad, scores; mode cleared."""
    ev.event = new_type
    ev.cameo = DEFAULT_CAMEO.get(new_type)
    ev.mode = None
    ev.quad_class = QUAD[new_type]
    ev.goldstein = goldstein(ev.cameo)
    ev.intensity = intensity(new_type, None)


class EventTyper:
    """Pipeline component: combine the rule-coded types with the trained heads, per sentence."""

    def __init__(self, model: TyperModel, extractor: Any = None, add_events: bool = True,
                 acled_window: int = 1) -> None:
        self.model = model
        self.extractor = extractor
        self.add_events = add_events
        self.acled_window = max(0, int(acled_window))  # sentences on each side read for the ACLED subtype

    def decide(self, probs: dict[str, dict[str, float]], rule_types: set[str],
               blocked: set[str] = frozenset()) -> tuple[str, float]:
        """The best type for one sentence from ``{head: {label: p}}`` (reference form of :meth:`scores`).
        ``blocked``: types the rules found only as embedded or background events of a sentence that has
        a governing one (see :func:`embedded_only`); they cannot be the sentence's main type."""
        m = self.model
        pt, pq = probs["type"], probs.get("quad", {})
        best, best_s = NONE, -1e9
        for t in TYPE_LABELS:
            if t in blocked:
                continue
            s = math.log(max(pt.get(t, 0.0), 1e-9))
            if pq:
                q = "0" if t == NONE else str(PENTA[t])
                s += m.beta * math.log(max(pq.get(q, 0.0), 1e-9))
            if (t in rule_types) or (t == NONE and not rule_types):
                s += m.gamma
            if t == NONE:
                s += m.margin
            if s > best_s:
                best, best_s = t, s
        return best, pt.get(best, 0.0)

    def scores(self, arr: dict[str, np.ndarray], rule_types: Sequence[set[str]],
               blocked: Sequence[set[str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised :meth:`decide` for all sentences: (best index into TYPE_LABELS, its type probability)."""
        m = self.model
        n = len(rule_types)
        th = self.model.heads["type"]
        cols = [th.labels.index(t) if t in th.labels else -1 for t in TYPE_LABELS]
        pt = np.where(np.array(cols) >= 0, arr["type"][:, [max(c, 0) for c in cols]], 0.0)
        S = np.log(np.maximum(pt, 1e-9))
        if "quad" in arr:
            qh = self.model.heads["quad"]
            qcols = [qh.labels.index("0" if t == NONE else str(PENTA[t])) if ("0" if t == NONE else str(PENTA[t])) in qh.labels
                     else -1 for t in TYPE_LABELS]
            pq = np.where(np.array(qcols) >= 0, arr["quad"][:, [max(c, 0) for c in qcols]], 0.0)
            S = S + m.beta * np.log(np.maximum(pq, 1e-9))
        bonus = np.zeros((n, len(TYPE_LABELS)), dtype=np.float64)
        pos = {t: j for j, t in enumerate(TYPE_LABELS)}
        for i, rt in enumerate(rule_types):
            if rt:
                for t in rt:
                    if t in pos:
                        bonus[i, pos[t]] = m.gamma
            else:
                bonus[i, pos[NONE]] = m.gamma
        S = S + bonus
        S[:, pos[NONE]] += m.margin
        for i, bt in enumerate(blocked or ()):
            for t in bt:
                S[i, pos[t]] = -np.inf
        best = S.argmax(axis=1)
        return best, pt[np.arange(n), best]

    def __call__(self, parsed: Any, layer: Any, events: list[Event]) -> list[Event]:
        sents = parsed.sents
        if not sents:
            return events
        by_sent: dict[int, list[Event]] = {}
        for ev in events:
            by_sent.setdefault(ev.sentence, []).append(ev)
        arr = self.sentence_arrays(parsed, sents, by_sent)
        added: list[Event] = []
        dropped: set[int] = set()
        rule_types = [{e.event for e in by_sent.get(si, [])} for si in range(len(sents))]
        blocked = [embedded_only(by_sent.get(si, [])) for si in range(len(sents))]
        best_idx, best_p = self.scores(arr, rule_types, blocked)
        for si, sent in enumerate(sents):
            evs = by_sent.get(si, [])
            best, p = TYPE_LABELS[int(best_idx[si])], float(best_p[si])
            for e in evs:
                e.typed_by = "rules"
            if best == NONE:
                if evs and p >= self.model.drop_none:
                    dropped.update(id(e) for e in evs)
                continue
            main: Event | None
            same = [e for e in evs if e.event == best]
            if same:
                main = max(same, key=_strength)
                main.typed_by = "rules+model"
            elif evs and p >= self.model.retype:
                main = max(evs, key=_strength)
                retype(main, best)
                main.typed_by = "model"
            elif self.add_events and not evs and p >= self.model.add_min:
                main = self._new_event(parsed, layer, sent, si, best)
                if main is None:
                    continue
                added.append(main)
            else:
                continue
            # the sentence's main event: ranked first among the sentence's events
            top = max((float(e.confidence or 0.0) for e in evs if e is not main), default=0.0)
            main.confidence = round(min(0.99, max(float(main.confidence or 0.0), 0.5 + 0.5 * p, top + 0.01)), 3)
        if dropped:
            events = [e for e in events if id(e) not in dropped]
        if added:
            events = sorted(events + added, key=lambda e: (e.sentence, e.event_text.start))
        if events:
            self.subtypes(sents, events)
        return events

    def sentence_arrays(self, parsed: Any, sents: Sequence[SpacySpan],
                        by_sent: dict[int, list[Event]]) -> dict[str, np.ndarray]:
        """The heads' probabilities for every sentence (``{head: (n_sentences, n_labels)}``); keeps what
        :meth:`subtypes` reads again."""
        arrays = DocArrays(parsed.doc, parsed.text)
        embedder = span_embedder(self.model.static_path)
        sums, counts = embedder.sums(sents, arrays)
        dense = embedder.normalise(sums, counts)
        feats = [sparse_features(sent, by_sent.get(si, []), arrays) for si, sent in enumerate(sents)]
        self._last = (feats, sums, counts)
        return self.model.predict_arrays(dense, feats)

    def subtypes(self, sents: Sequence[SpacySpan], events: Sequence[Event]) -> None:
        if "acled" in self.model.heads:
            feats, sums, counts = self._last
            self._subtypes(sents, feats, events, sums, counts)

    def _subtypes(self, sents: Sequence[SpacySpan], feats: Sequence[Sequence[int]], events: Sequence[Event],
                  sums: np.ndarray, counts: np.ndarray) -> None:
        """ACLED-style subtype of every event, consistent with its PLOVER type, read from the event's
        sentence with the sentences on either side (``acled_window``): ACLED codes an event from its
        report's context -- the weapon, or who held a town before, is often named in the next
        sentence -- and the head is trained on whole CASE snippets of one to three sentences."""
        w = self.acled_window
        order = sorted({e.sentence for e in events if 0 <= e.sentence < len(sents)})
        if not order:
            return
        wsums = np.zeros((len(order), sums.shape[1]), dtype=np.float32)
        wcounts = np.zeros(len(order), dtype=np.float32)
        buckets = []
        for r, si in enumerate(order):
            lo, hi = max(0, si - w), min(len(sents) - 1, si + w)
            wsums[r] = sums[lo:hi + 1].sum(axis=0)
            wcounts[r] = counts[lo:hi + 1].sum()
            buckets.append(sorted(set().union(*(feats[k] for k in range(lo, hi + 1)))))
        dense = SpanEmbedder.normalise(wsums, wcounts)
        pa = self.model.predict_arrays(dense, buckets)["acled"]
        labels = self.model.heads["acled"].labels
        row_of = {si: dict(zip(labels, row.tolist())) for si, row in zip(order, pa)}
        for ev in events:
            if ev.sentence in row_of:
                self._subtype(ev, row_of[ev.sentence])

    def _subtype(self, ev: Event, pa: dict[str, float]) -> None:
        ok = {a: p for a, p in pa.items() if acled_allowed(a, ev.event)}
        if ok:
            ev.acled = max(ok, key=ok.get)

    def _new_event(self, parsed: Any, layer: Any, sent: SpacySpan, si: int, etype: str) -> Event | None:
        tok = _main_predicate(sent)
        if tok is None:
            return None
        from . import _is_natural, _natural_cause  # local import: events/__init__ imports this module lazily

        if etype == "ASSAULT" and (_is_natural(tok) or (tok.pos_ == "VERB" and _natural_cause(tok))):
            return None  # "floods killed 40 people": no one's act, whatever the model says
        cameo = DEFAULT_CAMEO.get(etype)
        actors, recipients = [], []
        if self.extractor is not None:
            from . import Sense  # local import: events/__init__ imports this module lazily

            sense = Sense(etype, cameo or "", None, ())
            try:
                if tok.pos_ in ("VERB", "AUX"):
                    actors, recipients = self.extractor._verb_roles(layer, tok, sense)
                else:
                    actors, recipients = self.extractor._noun_roles(layer, tok, sense)
            except Exception:  # roles are best effort for model-added events
                actors, recipients = [], []
            actors, recipients = self.extractor.implied_roles(layer, tok, sent, etype, actors, recipients)
            from . import not_self

            recipients = not_self(actors, recipients)
        text = parsed.document.text
        start, end = tok.idx, tok.idx + len(tok.text)
        ev = Event(
            doc_id=parsed.document.id,
            event=etype,
            event_text=Span(text[start:end], start, end),
            actor=actors,
            recipient=recipients,
            cameo=cameo,
            quad_class=QUAD[etype],
            goldstein=goldstein(cameo),
            intensity=intensity(etype, None),
            sentence=si,
            confidence=0.3,
        )
        ev._trigger = tok  # type: ignore[attr-defined]
        ev.typed_by = "model"
        return ev


def embedded_only(events: Sequence[Event]) -> set[str]:
    """Types that a sentence's rule events have only as embedded or background events ("accused X of
    the attack", "threatened to shell", "lifted the curfew after clashes") while another event governs
    them: what the source did is the governing event (PLOVER codes it), so the typer may not make the
    embedded one the sentence's main event, however likely its words make its type."""
    top = {e.event for e in events if not getattr(e, "_ranked_below", False)}
    if not top:
        return set()
    return {e.event for e in events} - top


def _main_predicate(sent: SpacySpan) -> Token | None:
    """The sentence's main verb, skipping reporting verbs ("X said Y attacked" -> attacked)."""
    root = sent.root
    reporting = {"say", "tell", "report", "add", "state", "claim", "announce", "accord", "note"}
    if root.lemma_.lower() in reporting:
        for c in root.children:
            if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
                return c
    if root.pos_ in ("VERB", "AUX", "NOUN"):
        return root
    for t in sent:
        if t.pos_ == "VERB":
            return t
    return None


# --------------------------------------------------------------------------- training


@dataclass
class Example:
    text: str
    labels: dict[str, str]  # head -> label
    source: str  # dataset name


def case_labels(acled: str) -> dict[str, str]:
    """The head labels of a CASE 2021 snippet: its ACLED subtype, and the PLOVER type and penta class
    that subtype is a kind of (:data:`ACLED_TO_PLOVER`), when it has one."""
    labels = {"acled": acled}
    t = ACLED_TO_PLOVER.get(acled)
    if t:
        labels["type"] = t
        labels["quad"] = str(PENTA[t])
    return labels


def training_examples(shared: str | Path, *, india_negatives: int = 1500, per_source: int | None = None) -> list[Example]:
    """The development gold sets, read with the eval readers, as typer examples.

    * PLOVER GSR: ``type``, ``quad``;
    * ConfliBERT class file: ``quad`` (and ``type`` NONE for class 0, neutral statements);
    * CASE 2021: ``acled``, and ``type``/``quad`` through :data:`ACLED_TO_PLOVER`;
    * IndiaPoliceEvents: ``type``/``quad`` for KILL/FORCE/ARREST sentences, ``NONE``/0
      for up to ``india_negatives`` sentences with no label (every k-th, deterministic).

    ``per_source``: keep only the first N examples of each set (for quick tests).
    """
    from casus.eval import case2021, conflibert, india_police, plover_gsr

    root = Path(shared)
    out: list[Example] = []
    gsr = root / "plover_gsr_cameo" / "PLOVER_GSR_CAMEO.dev.json"
    if gsr.exists():
        for it in plover_gsr.read(gsr):
            if it.event in PLOVER_TYPES:
                out.append(Example(it.text, {"type": it.event, "quad": str(PENTA[it.event])}, "plover-gsr"))
    cb = sorted((root / "conflibert_cameo").glob("cameo_class.*.tsv"))
    for f in cb:
        for it in conflibert.read_class_file(f):
            labels = {"quad": str(it.label)}
            if it.label == 0:  # neutral statement: no PLOVER event
                labels["type"] = NONE
            out.append(Example(it.text, labels, "conflibert-cameo"))
    for f in sorted((root / "case2021_task2_acled").glob("*.tsv")):
        for it in case2021.read(f):
            out.append(Example(it.text, case_labels(it.label), "case2021"))
    ip = root / "india_police_events"
    if ip.exists():
        sents = india_police.read(ip)
        negs = [s for s in sents if not s.labels]
        step = max(1, len(negs) // max(1, india_negatives))
        for s in sents:
            t = next((p for lab, p in INDIA_TO_PLOVER if lab in s.labels), None)
            if t:
                out.append(Example(s.text, {"type": t, "quad": str(PENTA[t])}, "india-police"))
        for s in negs[::step][:india_negatives]:
            out.append(Example(s.text, {"type": NONE, "quad": "0"}, "india-police"))
    if per_source is not None:
        kept: dict[str, int] = {}
        short: list[Example] = []
        for e in out:
            if kept.get(e.source, 0) < per_source:
                kept[e.source] = kept.get(e.source, 0) + 1
                short.append(e)
        out = short
    return out


def featurize(texts: Sequence[str], pipeline: Any, *, progress: bool = False) -> tuple[np.ndarray, list[list[int]]]:
    """Dense and sparse features of whole texts (every sentence's features pooled), as the stage sees them."""
    from casus.nlp import parse
    from casus.records import Document

    dense = np.zeros((len(texts), 0), dtype=np.float32)
    rows: list[np.ndarray] = []
    sparse: list[list[int]] = []
    docs = (Document(text=t, id=f"t{i}") for i, t in enumerate(texts))
    it: Iterable = parse(docs, model=pipeline.model, batch_size=64)
    if progress:
        from rich.progress import track

        it = track(it, total=len(texts), description="featurize", transient=True)
    emb = span_embedder()
    for parsed in it:
        layer = pipeline.actors(parsed)
        evs = pipeline.events(parsed, layer)
        sents = list(parsed.doc.sents)
        rows.append(emb([parsed.doc[:]])[0])
        arrays = DocArrays(parsed.doc, parsed.text)
        if len(sents) == 1:
            sparse.append(sparse_features(sents[0], evs, arrays))
        else:
            b: set[int] = set()
            for si, s in enumerate(sents):
                b.update(sparse_features(s, [e for e in evs if e.sentence == si], arrays))
            sparse.append(sorted(b))
    if rows:
        dense = np.vstack(rows)
    return dense, sparse


#: per-head fitting settings that differ from the common ones: the ACLED head learns 30 classes from
#: about 10 snippets each, where the cue-word and lemma features carry more than the sentence
#: embedding (5-fold CV on the CASE dev set, doc-level head alone: C 4 / dense x2 0.585, C 1 / x0.5 0.671);
#: the quad head with the embedding at x1 (ConfliBERT quad macro-F1 of the head alone: x2 0.738, x1 0.776)
HEAD_SETTINGS: dict[str, dict[str, float]] = {"acled": {"C": 1.0, "dense_scale": 0.5}, "quad": {"dense_scale": 1.0}}


def fit(examples: Sequence[Example], dense: np.ndarray, sparse: Sequence[Sequence[int]], *,
        C: float = 4.0, beta: float = 4.0, gamma: float = 2.0, margin: float = 0.0,
        dense_scale: float = 2.0, drop_none: float = 1.01, retype: float = 1.01, add_min: float = 0.3,
        head_settings: dict[str, dict[str, float]] | None = None) -> TyperModel:
    """Fit the three heads (scikit-learn logistic regression) on featurised examples.

    ``head_settings``: per-head ``C`` and ``dense_scale`` (default :data:`HEAD_SETTINGS`); a head's own
    dense scale is folded into its dense weights, so inference applies one scale to all heads."""
    settings = HEAD_SETTINGS if head_settings is None else head_settings
    try:
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise CasusError("E034", detail=str(exc)) from None

    heads: dict[str, Head] = {}
    for name in ("type", "quad", "acled"):
        idx = [i for i, ex in enumerate(examples) if name in ex.labels]
        if not idx:
            continue
        y = [examples[i].labels[name] for i in idx]
        labels = tuple(sorted(set(y)))
        if len(labels) < 2:
            continue
        rows, cols, vals = [], [], []
        used: dict[int, int] = {}
        for r, i in enumerate(idx):
            s = 1.0 / math.sqrt(max(len(sparse[i]), 1))
            for b in sparse[i]:
                c = used.setdefault(b, len(used))
                rows.append(r)
                cols.append(c)
                vals.append(s)
        S = csr_matrix((vals, (rows, cols)), shape=(len(idx), max(1, len(used))), dtype=np.float32)
        own = settings.get(name, {})
        head_scale = float(own.get("dense_scale", dense_scale))
        X = hstack([csr_matrix(dense[idx] * head_scale), S]).tocsr()
        clf = LogisticRegression(C=float(own.get("C", C)), max_iter=3000, class_weight="balanced")
        clf.fit(X, y)
        order = [list(clf.classes_).index(lab) for lab in labels]
        W = clf.coef_.T[:, order] if len(labels) > 2 else np.hstack([-clf.coef_.T, clf.coef_.T]) / 2
        b = clf.intercept_[order] if len(labels) > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]]) / 2
        d = dense.shape[1]
        inv = {c: bkt for bkt, c in used.items()}
        row_w = {inv[c]: W[d + c].astype(np.float32) for c in range(len(used)) if np.any(W[d + c] != 0)}
        dense_w = W[:d] * (head_scale / dense_scale) if dense_scale else W[:d] * 0.0
        heads[name] = Head(labels, dense_w.astype(np.float32), row_w, b.astype(np.float32))
    return TyperModel(heads, beta=beta, gamma=gamma, margin=margin, dense_scale=dense_scale,
                      drop_none=drop_none, retype=retype, add_min=add_min, trained_on=frozenset(text_key(ex.text) for ex in examples))


def train(shared: str | Path, pipeline: Any, *, exclude: Iterable[int] = (), progress: bool = False,
          cache: dict | None = None, per_source: int | None = None, **params: Any) -> TyperModel:
    """Train a typer on the development sets under ``shared`` (``../shared/data``).

    ``exclude``: text keys (:func:`text_key`) left out (the held-out fold in k-fold
    evaluation). ``cache``: a dict reused across calls to featurise each text once.
    """
    cache = cache if cache is not None else {}
    if "examples" not in cache:
        ex = training_examples(shared, per_source=per_source)
        d, s = featurize([e.text for e in ex], pipeline, progress=progress)
        cache.update(examples=ex, dense=d, sparse=s)
    ex, d, s = cache["examples"], cache["dense"], cache["sparse"]
    drop = set(exclude)
    keep = [i for i, e in enumerate(ex) if text_key(e.text) not in drop]
    model = fit([ex[i] for i in keep], d[keep], [s[i] for i in keep], **params)
    model.info = {"examples": len(keep), "by_source": _count(ex[i].source for i in keep)}
    return model


def _count(xs: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in xs:
        out[x] = out.get(x, 0) + 1
    return out
