"""learned/component: the learned core as the pipeline's typer stage (the ``accurate`` profile).

Contract
--------
Input: a :class:`casus.nlp.Parsed`, its :class:`casus.actors.ActorLayer` and the rule events of
:class:`casus.events.EventExtractor`. Output: the same events, each sentence's main event chosen
and typed by the core (:class:`casus.learned.model.CoreModel`, one encoder pass per sentence), its
roles taken from the core's source/target spans, and an ACLED-style subtype from the core.

How the rules and the model meet (the decision of :class:`casus.events.typer.EventTyper`, with
the core's probabilities in place of the static typer's): every type scores
``log P_type(t) + beta * log P_quad(penta(t)) + gamma * [the rules coded t here]``; a type the rules
found only embedded under a governing event (``accused X of the attack``) is no candidate. So the
codebook lexicon proposes, the model weighs, and where the rules found nothing the model may add
an event (``add_min``).

Roles (``roles`` setting): ``fill`` (default) gives the main event the model's source (target)
spans where the rules found none; ``model`` replaces the rules' roles wherever the model has a
span; ``rules`` keeps the rules' roles. A span that overlaps the other role's mention or argument
phrase is not used, and a mutual event (talks *with* a partner, both sides actors) gets no recipient. A span is coded through the actor layer: the actor
mentions inside it keep their KB/compositional codes (and the span becomes their argument
``phrase``); a span with no mention is kept uncoded (``how`` = ``core-span``), so its text and
offsets still reach the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..records import Actor, Event
from ..events.typer import EventTyper, acled_allowed
from .model import QUAD_LABELS, TYPE_LABELS, CoreModel, CorePrediction


#: dependency labels of a word that only modifies a noun ("Government" in "Government supporters")
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


@dataclass
class _Head:
    labels: tuple[str, ...]


@dataclass
class CoreDecision:
    """The decision settings of :meth:`EventTyper.scores`, read from the core's heads."""

    beta: float = 1.0
    gamma: float = 2.0
    margin: float = 0.0
    drop_none: float = 1.01
    retype: float = 1.01
    add_min: float = 0.5
    static_path: str = ""
    heads: dict[str, _Head] = field(default_factory=lambda: {"type": _Head(TYPE_LABELS), "quad": _Head(QUAD_LABELS)})
    trained_on: frozenset = frozenset()


class CoreTyper(EventTyper):
    def __init__(self, core: CoreModel, extractor: Any = None, add_events: bool = True, acled_window: int = 1,
                 roles: str = "fill", beta: float = 1.0, gamma: float = 2.0, add_min: float = 0.5,
                 role_min: float = 0.5) -> None:
        super().__init__(CoreDecision(beta=beta, gamma=gamma, add_min=add_min,
                                      trained_on=getattr(core, "trained_on", frozenset())),
                         extractor=extractor, add_events=add_events, acled_window=acled_window)
        if roles not in ("fill", "model", "rules"):
            raise ValueError(f"[typer] roles must be fill, model or rules, not {roles!r}")
        self.core = core
        self.roles = roles
        self.role_min = role_min
        self._preds: list[CorePrediction] = []

    # ------------------------------------------------------------------ the core's probabilities

    def sentence_arrays(self, parsed: Any, sents: Sequence[Any], by_sent: dict[int, list[Event]]) -> dict[str, np.ndarray]:
        texts = [s.text for s in sents]
        self._preds = self.core.predict(texts)
        self._sent_starts = [s.start_char for s in sents]
        return {
            "type": np.array([[p.probs["type"][t] for t in TYPE_LABELS] for p in self._preds], dtype=np.float64),
            "quad": np.array([[p.probs["quad"][q] for q in QUAD_LABELS] for p in self._preds], dtype=np.float64),
        }

    def __call__(self, parsed: Any, layer: Any, events: list[Event]) -> list[Event]:
        self._preds = []  # this document's predictions only (set by sentence_arrays)
        events = super().__call__(parsed, layer, events)
        if self.roles != "rules" and self._preds:
            # the main events, the model-added ones included (their parse roles are completed here too)
            for ev in events:
                if ev.typed_by in ("rules+model", "model") and 0 <= ev.sentence < len(self._preds):
                    self._apply_roles(parsed, layer, ev, self._preds[ev.sentence], self._sent_starts[ev.sentence])
        return events

    def subtypes(self, sents: Sequence[Any], events: Sequence[Event]) -> None:
        """ACLED-style subtype from the core's head, read on the event's sentence and its neighbours:
        the sentences' pooled vectors, weighted by their word pieces, pooled again (no second pass)."""
        w = self.acled_window
        order = sorted({e.sentence for e in events if 0 <= e.sentence < len(self._preds)})
        if not order or not self.core.acled_labels:
            return
        rows = []
        for si in order:
            win = self._preds[max(0, si - w): si + w + 1]
            weights = np.array([p.pieces for p in win], dtype=np.float32)
            rows.append((np.stack([p.pooled for p in win]) * weights[:, None]).sum(0) / max(1.0, weights.sum()))
        probs = self.core.head_probs("acled", np.stack(rows))
        got = {si: dict(zip(self.core.acled_labels, row.tolist())) for si, row in zip(order, probs)}
        for ev in events:
            pa = got.get(ev.sentence)
            if pa:
                ok = {a: p for a, p in pa.items() if acled_allowed(a, ev.event)}
                if ok:
                    ev.acled = max(ok, key=ok.get)

    # ------------------------------------------------------------------ roles

    def span_actors(self, parsed: Any, layer: Any, start: int, end: int) -> list[Actor]:
        """Actors for a character span: the coded mention that holds the span's syntactic head (with the
        mentions coordinated with it: "Jordan and Britain"), else one uncoded actor with the span's text.
        A mention that only modifies the head ("Government" in "Government supporters") is not the actor."""
        doc = parsed.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        heads: list[int] = []  # character offsets of the head words
        if span is not None and len(span):
            root = span.root
            if root.dep_ in MODIFIER_DEPS and not (span.start <= root.head.i < span.end):
                return []  # the span is only a modifier of a noun outside it: an incomplete span, no actor
            heads = [t.idx for t in (root, *root.conjuncts) if span.start <= t.i < span.end]
        out: list[Actor] = []
        for m in layer.mentions:
            for act in m.actors:
                if not any(act.start <= h < act.end for h in heads):
                    continue
                act2 = Actor(**{**act.__dict__})
                act2.phrase = (start, end) if (start, end) != (act.start, act.end) else None
                out.append(act2)
        if out:
            return out
        return [Actor(text=parsed.text[start:end], start=start, end=end, how="core-span")]

    def _apply_roles(self, parsed: Any, layer: Any, ev: Event, pred: CorePrediction, offset: int) -> None:
        spans = [(offset + a, offset + b, r) for a, b, r, p in pred.roles if p >= self.role_min]
        for role, attr in (("S", "actor"), ("T", "recipient")):
            mine = [(a, b) for a, b, r in spans if r == role]
            if not mine:
                continue
            have = getattr(ev, attr)
            if self.roles == "fill" and have:
                continue
            if attr == "recipient" and any("+partner" in a.how for a in ev.actor):
                continue  # a mutual event (talks *with* a partner): both sides are actors, no recipient
            new: list[Actor] = []
            for a, b in mine:
                new.extend(self.span_actors(parsed, layer, a, b))
            # a span that already fills the other role (its mention or argument phrase) is not used
            other = [o.phrase or (o.start, o.end) for o in (ev.recipient if attr == "actor" else ev.actor)]
            new = [x for x in new if not any(x.start < b and a < x.end for a, b in other)]
            if new:
                setattr(ev, attr, new)
