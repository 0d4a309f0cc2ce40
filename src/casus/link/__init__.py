"""link stage: relations between the events of one report.

Contract
--------
Input: a :class:`casus.nlp.Parsed` and its events, with their final ``id``
(the pipeline computes ids first, then links). Output: the same events with
``links`` filled in: a dict from relation to a list of event ids of the same
document. Relations:

``same_event_as`` (symmetric)
    Two mentions of one event: same PLOVER type, the later one a noun mention
    in a later sentence (at most ``max_gap`` sentences on), neither negated, modalities of
    the same kind (real: asserted/reported/ongoing; unreal: planned/conditional/
    hypothetical; historical), no conflicting dates (two dates from the text that
    differ), and no conflicting roles. A later noun mention with a definite
    determiner or possessive ("the strike", "its offensive") only needs roles
    that do not conflict; any other later mention ("a planned joint strike")
    needs a shared actor code and recipients that do not conflict. Each mention
    links to the nearest earlier one that fits.
``retaliation_for`` / ``response_to`` (from the answering event to the answered)
    The text says one event answers another: "in retaliation for X", "in revenge
    for X", "to avenge X", "in response to X", "in reply to X", "after X, Y
    retaliated/responded". The answering event is the nearest event trigger that
    governs the cue (or that verb's object: "launched airstrikes in response
    to ..."); the answered events are those whose trigger lies inside the
    cue's object (or inside the "after" clause). Without a cue object ("In
    response, South Korea staged drills", "Israel responded with airstrikes",
    "retaliated with artillery fire") the answered event is the latest real event
    of the same or the previous sentence, by another party, that targeted the
    answering actor (or was carried out by its target); failing that, the only
    such event of the previous sentence.

Events are matched to tokens by their ``_trigger`` token (set by the events
stage) or, failing that, by the trigger's character span.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..nlp import Parsed, WordFilter
from ..records import Event

RETALIATION_NOUNS = {"retaliation", "revenge", "reprisal", "reprisals", "vengeance"}
RESPONSE_NOUNS = {"response", "reply", "reaction", "answer"}
AVENGE_VERBS = {"avenge"}
ANSWER_VERBS = {"retaliate": "retaliation_for", "respond": "response_to", "reply": "response_to",
                "hit": "retaliation_for", "strike": "retaliation_for"}
ANSWER_NOUNS = RETALIATION_NOUNS | RESPONSE_NOUNS
#: the words an answer can be read from: only the tokens whose form or lemma is one of them are looked at
ANSWER_CUES = WordFilter(ANSWER_NOUNS | AVENGE_VERBS | set(ANSWER_VERBS))
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
REAL = {"asserted", "reported", "ongoing"}
UNREAL = {"planned", "conditional", "hypothetical"}


def _group(modality: str) -> str:
    if modality in REAL:
        return "real"
    if modality in UNREAL:
        return "unreal"
    return modality


def _codes(actors) -> set[str]:
    return {a.code for a in actors if a.code}


def _add(ev: Event, rel: str, other: Event) -> None:
    lst = ev.links.setdefault(rel, [])
    if other.id and other.id not in lst and other.id != ev.id:
        lst.append(other.id)


class Linker:
    def __init__(self, same_event: bool = True, answers: bool = True, max_gap: int = 3) -> None:
        self.same_event = same_event
        self.answers = answers
        self.max_gap = max_gap

    def __call__(self, parsed: Parsed, events: list[Event]) -> list[Event]:
        for ev in events:
            if not ev.id:
                ev.compute_id()
        tokens = {ev.id: self._token(parsed, ev) for ev in events}
        if self.answers:
            self._answers(parsed, events, tokens)
        if self.same_event:
            self._same(events, tokens)
        for ev in events:
            for rel in list(ev.links):
                if not ev.links[rel]:
                    del ev.links[rel]
        return events

    @staticmethod
    def _token(parsed: Parsed, ev: Event) -> Token | None:
        tok = getattr(ev, "_trigger", None)
        if tok is not None and tok.doc is parsed.doc:
            return tok
        span = parsed.doc.char_span(ev.event_text.start, ev.event_text.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    # ------------------------------------------------------------- same event
    def _same(self, events: list[Event], tokens: dict[str, Token | None]) -> None:
        order = sorted(events, key=lambda e: e.event_text.start)
        for j, b in enumerate(order):
            if b.modality == "negated":
                continue
            tb = tokens.get(b.id)
            if tb is None or tb.pos_ not in ("NOUN", "PROPN"):
                continue  # a later verb narrates a new event; a later noun may refer back
            definite = any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in tb.children)
            for a in reversed(order[:j]):
                if a.event != b.event or a.modality == "negated" or a.id == b.id:
                    continue
                if not (0 < b.sentence - a.sentence <= self.max_gap):
                    continue
                if _group(a.modality) != _group(b.modality):
                    continue
                if a.date and b.date and not a.date_inferred and not b.date_inferred and a.date != b.date:
                    continue
                aa, ba, ar, br = _codes(a.actor), _codes(b.actor), _codes(a.recipient), _codes(b.recipient)
                if aa and ba and not aa & ba or ar and br and not ar & br:
                    continue  # conflicting roles
                if not definite and not (aa & ba):
                    continue
                _add(a, "same_event_as", b)
                _add(b, "same_event_as", a)
                break

    # ------------------------------------------------------------- answers
    def _answers(self, parsed: Parsed, events: list[Event], tokens: dict[str, Token | None]) -> None:
        by_tok = {t.i: ev for ev in events if (t := tokens.get(ev.id)) is not None}
        doc = parsed.doc

        def governing(tok: Token, exclude: set[int]) -> Event | None:
            for anc in tok.ancestors:
                if anc.i in by_tok and anc.i not in exclude:
                    return by_tok[anc.i]
                if anc.pos_ in ("VERB", "AUX"):  # "launched airstrikes in response to ...": the verb's object
                    for c in anc.children:
                        if c.i in by_tok and c.i not in exclude and c.dep_ in ("dobj", "nsubj", "nsubjpass"):
                            return by_tok[c.i]
            return None

        for i in ANSWER_CUES.tokens(doc):  # an array test: no Token objects for the other words
            tok = doc[i]
            low = tok.lower_
            rel = None
            inside: set[int] = set()
            if low in ANSWER_NOUNS:
                rel = "retaliation_for" if low in RETALIATION_NOUNS else "response_to"
                prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "to", "against")), None)
                if prep is None:
                    # "In response, South Korea staged drills": what is answered is said before
                    b = governing(tok, set())
                    a = self._answered_before(events, b) if b is not None else None
                    if a is not None:
                        _add(b, rel, a)
                    continue
                inside = {t.i for c in prep.children if c.dep_ == "pobj" for t in c.subtree}
            elif tok.lemma_.lower() in AVENGE_VERBS:
                rel = "retaliation_for"
                inside = {t.i for c in tok.children if c.dep_ == "dobj" for t in c.subtree}
            elif tok.lemma_.lower() in ANSWER_VERBS and tok.pos_ == "VERB" and (
                    tok.i in by_tok or tok.lemma_.lower() in ("respond", "retaliate", "reply")):
                after = next((c for c in tok.children if c.dep_ in ("advcl", "prep") and any(
                    m.lower_ in ("after", "following") for m in [c, *c.children] if m.dep_ in ("mark", "prep"))), None)
                if after is None:
                    # "Israel responded with airstrikes": no cue object; the answer is this verb's event or
                    # the one it is carried out with, the answered one said before it ("hit", "strike"
                    # answer only with an "after" clause)
                    if tok.lemma_.lower() not in ("respond", "retaliate", "reply") or any(
                            c.dep_ == "prep" and c.lower_ in ("to", "for", "against") for c in tok.children):
                        continue
                    b = by_tok.get(tok.i) or next((by_tok[g.i] for c in tok.children if c.dep_ == "prep"
                                                   and c.lower_ in ("with", "by") for g in c.children
                                                   if g.dep_ == "pobj" and g.i in by_tok), None)
                    a = self._answered_before(events, b) if b is not None else None
                    if a is not None:
                        _add(b, ANSWER_VERBS[tok.lemma_.lower()], a)
                    continue
                if tok.i not in by_tok:
                    continue
                rel = ANSWER_VERBS[tok.lemma_.lower()]
                inside = {t.i for t in after.subtree}
                answered = [by_tok[i] for i in sorted(inside) if i in by_tok]
                for a in answered:
                    _add(by_tok[tok.i], rel, a)
                continue
            else:
                continue
            answered = [by_tok[i] for i in sorted(inside) if i in by_tok]
            if not answered:
                continue
            # the answering event: the cue's own event ("retaliate"), else the nearest governing trigger
            b = by_tok.get(tok.head.i) if tok.dep_ == "xcomp" else None
            b = b or governing(tok, inside)
            if b is None:
                continue
            for a in answered:
                if a is not b:
                    _add(b, rel, a)


    @staticmethod
    def _answered_before(events: list[Event], b: Event) -> Event | None:
        """The event an answer without a cue object answers: the latest real event of the same or the
        previous sentence, before ``b``, by another party, that targeted ``b``'s actor (or was carried out
        by ``b``'s target); failing that, the only such real event of the previous sentence."""
        ba, br = _codes(b.actor), _codes(b.recipient)
        before = [a for a in events if a is not b and a.event_text.start < b.event_text.start
                  and 0 <= b.sentence - a.sentence <= 1 and _group(a.modality) in ("real", "historical")
                  and not (_codes(a.actor) & ba)]
        for a in sorted(before, key=lambda e: e.event_text.start, reverse=True):
            if ba & _codes(a.recipient) or br & _codes(a.actor):
                return a
        prev = [a for a in before if a.sentence == b.sentence - 1]
        return prev[0] if len(prev) == 1 and _codes(prev[0].actor) else None


def link(parsed: Parsed, events: list[Event]) -> list[Event]:
    return Linker()(parsed, events)
