"""place stage: pick each event's location among the places of its sentence.

Contract
--------
Input: a :class:`casus.nlp.Parsed`, its :class:`casus.actors.ActorLayer` and the
events. Output: the same events with ``event_loc`` set to
``{"text", "start", "end", "country", "role"}`` or left ``None``.

First version: a place phrase ("in Gaza", "near Kharkiv", "from Iraq") attached
to the trigger, or to the verb governing a noun trigger, is the event's place;
``role`` is ``launch site`` for "from", otherwise ``site``. The country comes
from the KB (country names and capitals) through the actor layer; other
toponyms keep their text with ``country: None`` until the gazetteer resolves
them.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..actors import ActorLayer
from ..nlp import Parsed
from ..records import Event

PLACE_PREPS = {"in": "site", "at": "site", "near": "site", "inside": "site", "across": "site",
               "outside": "site", "from": "launch site", "into": "site"}


class PlaceResolver:
    def __call__(self, parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
        for ev in events:
            tok: Token | None = getattr(ev, "_trigger", None)
            if tok is None:
                continue
            loc = self._place_of(parsed, layer, tok)
            if loc is None and tok.pos_ != "VERB" and tok.head.pos_ == "VERB" and tok.dep_ in ("dobj", "nsubjpass"):
                loc = self._place_of(parsed, layer, tok.head)
            ev.event_loc = loc
        return events

    def _place_of(self, parsed: Parsed, layer: ActorLayer, tok: Token) -> dict | None:
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                place = self._toponym(parsed, layer, pobj)
                if place is not None:
                    place["role"] = PLACE_PREPS[prep.lower_]
                    return place
        return None

    @staticmethod
    def _toponym(parsed: Parsed, layer: ActorLayer, tok: Token) -> dict | None:
        m = layer.at(tok)
        if m is not None and m.kind == "country" and m.actors:
            a = m.actors[0]
            return {"text": a.text, "start": a.start, "end": a.end, "country": a.code}
        if tok.ent_type_ in ("GPE", "LOC", "FAC"):
            ent = next((e for e in parsed.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                return {"text": parsed.document.text[ent.start_char:ent.end_char], "start": ent.start_char,
                        "end": ent.end_char, "country": m.code if m is not None else None}
        return None


def resolve_places(parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
    return PlaceResolver()(parsed, layer, events)
