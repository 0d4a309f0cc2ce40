"""place stage: find the places of each event's sentence, resolve them, pick the event's location.

Contract
--------
Input: a :class:`casus.nlp.Parsed`, its :class:`casus.actors.ActorLayer` and the
events. Output: the same events with ``event_loc`` set to ::

    {"text", "start", "end",          # the toponym as written; text[start:end] == text
     "name",                          # canonical name from the gazetteer (None if unknown)
     "country", "admin1",             # ISO-3, first-level region name
     "lat", "lon", "geonameid",       # from GeoNames (None when unknown)
     "feature",                       # country | admin1 | admin2 | city | region | continent | None
     "role"}                          # site | launch site | base

or left ``None`` when the sentence names no place that fits. The same logic is
public for one trigger token: ``PlaceResolver.locate(parsed, layer, trigger,
actor_spans=())`` (what ``casus eval event-location`` scores) and
``PlaceResolver.places(parsed, layer, sentence)`` (every place of a sentence).

Places of a sentence (:meth:`PlaceResolver.places`):

* spaCy GPE / LOC / FAC entities (a leading "the" and a trailing "'s" left
  out), except a place inside an organisation's name ("Islamic State of Iraq",
  "University of Baghdad");
* proper-noun runs (hyphenated parts joined: "Al-Qubbah") that the gazetteer
  knows as a country, region or a city of at least 50,000 people (this covers
  the actor KB's country names, aliases and capitals, which the gazetteer
  indexes; the actor layer's KB country mentions are added too). Acronyms count
  only as countries ("US", "DRC"); organisations only when the gazetteer knows
  them as a country, region or city of a million; PERSON entities (the small
  model calls many towns PERSON: "captured Grozny") when they are a known
  place of 100,000 people and no KB person;
* unknown proper names in a place phrase: the object of "in", "at", "near",
  "outside", "inside", "around", "of" after a site noun ("the outskirts of X"),
  "on"/"against" after an attack noun ("an assault on X"), or the object of a
  verb that takes, enters or shells territory ("stormed Najarah"; a PERSON
  only after verbs that never take a person: storm, enter, shell...);
* "the [adj] TYPE of Y" ("the Black Sea city of Bartin") gives Y; "X TYPE" and
  "the X TYPE of Y" ("Kasese district", "the Shalman area of Khyber region")
  give X, and Y too ("the Gaza Strip town of Jabalia": Y first when X is a
  region or country); "X Governorate", "Y State" as one name; "the X capital
  Y" gives Y. TYPE (city, town, village, district, sector, province, state,
  region...) tells the gazetteer which reading is meant;
* "X-based" gives X with role ``base``;
* with the learned chooser only (``plain_names``): any other proper-noun run
  (``how = "name"``: a village no gazetteer knows, a town the small model
  tags PERSON, ORG or PRODUCT, "the battle for Manbij"), and a place inside a
  larger organisation entity ("Abuja's International Conference Centre").
  A name ends before a date word ("patrolled Harare Saturday"); a glued
  lower-case article is part of it ("al-Bab", "el-Ain").

Not places: country adjectives and nationality nouns ("Iraqi", "Russians"),
day and month names, a bare type word ("Province").

Each place is resolved with :mod:`casus.place.gazetteer`, preferring readings in
a country named in the same sentence (actor-layer country words such as
"Iraqi" count), then in the document.

The event's location (:meth:`PlaceResolver.locate`, :meth:`PlaceResolver.choose`)
is chosen among :meth:`PlaceResolver.candidates` (each place with its cost and
the facts behind it) by one of two choosers (config ``[place] chooser``):
``"rules"`` (the default, below) or ``"learned"`` (:mod:`casus.place.chooser`:
gradient-boosted trees over the same facts and more, trained by
``train/train_place.py``; more accurate, a little slower).

The rules take the place with the lowest cost. The cost is the length of the dependency
path from the trigger to the place's head token, where a step inside a place
phrase is cheap ("the town of | Tarmanin", "the Shalman | area" cost 0; "Mosul,
| Iraq", "Azamiyah in | Baghdad" 0.5, so the specific place comes first), plus:

* +1 for each clause boundary crossed going up from the trigger (ccomp, advcl,
  relcl, conj, xcomp...), +2 for going down into another clause (+1 from the
  trigger itself);
* -0.5 when the path leaves the trigger (or the verb that governs a noun
  trigger) through a place preposition other than "from";
* +5 for a place that is an actor of the event: the trigger's active subject
  or its possessor/compound ("Iran", "Iran's navy"), or a span of the event's
  ``actor`` list in the pipeline, or a country (not in a place phrase) in the
  event's ``recipient`` list ("an attack against Israel from Iraq": the
  launch site is Iraq). So an actor is the location only when nothing else is
  near;
* +6 for a toponym modifying a noun that is not a site ("U.S. soldiers",
  "Mexico state authorities"; a country name modifying a site noun too: "a
  U.S. base" says whose base, "a Baghdad market" says where);
* +3 for a reference point ("20 km north of X", "near the border with X");
  +2 for an office's place ("the president of Iraq", "residents of" is not an
  office); +2 for role ``base``; +2 for a dateline ("ANKARA --").

A place costing more than :data:`MAX_COST` (8) is not taken: it is more often
the location of another event, or background. A country (or continent) that is
not in a place phrase ("in northern Iraq", "across Italy") is taken only up to
:data:`MAX_COST_COUNTRY` (2): a country as subject, object, owner or side of a
war is rarely the site. Ties go to the more specific place (an unknown name,
then the smaller city, a region, a country), then the earlier one.
``role`` is ``launch site`` for a place reached through "from", ``base`` for
"X-based", else ``site``. The weights were set by hand and checked on the
development part of the event-location data (``casus eval event-location``);
see ``docs/place.md``.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Iterable

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, POS, TAG
from spacy.tokens import Span, Token

from ..actors import ActorLayer
from ..nlp import Parsed
from ..records import Event
from .chooser import PlaceChooser
from .gazetteer import Gazetteer, Place, default_gazetteer

__all__ = ["PlaceResolver", "PlaceMention", "PlaceChooser", "Candidate", "resolve_places", "MAX_COST",
           "MAX_COST_COUNTRY"]

#: preposition -> role of the place it introduces
PLACE_PREPS = {"in": "site", "at": "site", "near": "site", "inside": "site", "across": "site",
               "outside": "site", "from": "launch site", "into": "site", "around": "site",
               "throughout": "site", "within": "site", "on": "site", "off": "site", "along": "site",
               "between": "site", "towards": "site", "toward": "site", "to": "site", "over": "site",
               "through": "site", "beyond": "site", "outskirts": "site", "of": "site"}
#: prepositions after which an unknown proper name is taken for a place ("in Walungu")
STRICT_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "outskirts", "of"}
CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                  "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec."}
#: verbs whose object is a place when it is a name ("stormed Najarah"); people can be captured or
#: targeted, so a PERSON-tagged object counts only after the verbs in PLACE_ONLY_VERBS
TERRITORY_VERBS = {"capture", "seize", "storm", "enter", "retake", "recapture", "liberate", "overrun", "shell",
                   "besiege", "encircle", "bomb", "raid", "occupy", "take", "control", "invade", "attack",
                   "target", "strike", "hit", "reach", "cross", "evacuate", "surround"}
PLACE_ONLY_VERBS = {"storm", "enter", "retake", "recapture", "liberate", "overrun", "shell", "besiege", "encircle",
                    "occupy", "invade", "evacuate", "reach", "cross", "surround"}
#: "an assault on X": X is where the attack went
ATTACK_NOUNS = {"attack", "assault", "offensive", "raid", "strike", "airstrike", "bombardment", "push", "advance",
                "counteroffensive", "counter-offensive", "shelling", "bombing", "siege", "operation", "incursion"}
#: nouns for a person's office or membership: "the president of Iraq" is not in Iraq
OFFICE_NOUNS = {"president", "leader", "leaders", "governor", "mayor", "ambassador", "envoy", "king", "queen",
                "emir", "head", "chief", "member", "members", "representative", "representatives", "spokesman",
                "spokeswoman", "spokesperson", "commander", "ruler", "official", "officials", "citizen",
                "citizens", "national", "nationals", "minister", "ministry", "government", "army", "forces",
                "military", "police", "embassy", "prime", "premier", "chancellor", "foreign", "secretary",
                "delegation", "delegate", "delegates", "native", "natives", "friend", "friends", "ally", "allies",
                "enemy", "enemies", "capital", "parliament", "people", "team", "coach", "player", "players"}
#: prepositions that say where something is (not only where it goes or comes from)
LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "around", "across", "throughout", "within",
                  "on", "off", "along", "between", "from", "into", "outskirts", "through", "over"}
CITY_TYPES = {"city", "town", "village", "community", "communities", "sector", "port", "township", "hamlet", "settlement", "suburb",
              "neighborhood", "neighbourhood", "district", "area", "camp", "municipality", "locality",
              "quarter", "island", "valley", "mountain", "mount", "hill", "river", "lake", "border", "coast"}
ADMIN_TYPES = {"province", "state", "region", "governorate", "county", "prefecture", "oblast", "department",
               "territory", "emirate", "division", "zone", "canton", "commune", "country", "republic"}
PLACE_TYPES = CITY_TYPES | ADMIN_TYPES
#: nouns for places and buildings: a toponym modifying one names where it is ("a Baghdad market")
SITE_NOUNS = PLACE_TYPES | {
    "countryside", "outskirts", "suburbs", "frontier", "borders", "airport", "airbase", "base", "harbor",
    "harbour", "prison", "jail", "hospital", "school", "university", "mosque", "church", "temple", "shrine",
    "hotel", "station", "square", "street", "road", "highway", "bridge", "checkpoint", "market", "villages",
    "towns", "cities", "areas", "streets", "neighborhoods", "region", "headquarters", "embassy", "consulate",
    "compound", "residence", "home", "house", "office", "building", "court", "courthouse", "stadium",
    "field", "fields", "farm", "farms", "oilfield", "mine", "port", "beach", "desert", "mountains", "hills",
    "coastline", "waters", "sea", "gulf", "strait", "peninsula", "plain", "front", "frontline", "crossing",
    "district", "province", "state", "airspace", "territory", "soil", "side", "part", "parts", "center",
    "centre", "downtown", "heart", "city", "town", "village", "capital",
}
#: words that make a place a reference point, not the site: "20 km north of X"
REFERENCE_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                   "northeastern", "northwestern", "southeastern", "southwestern", "kilometers", "kilometres",
                   "km", "miles", "mile", "kilometer", "kilometre", "meters", "metres", "yards", "border",
                   "borders", "outside"}
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "conj", "xcomp", "parataxis", "acl", "csubj", "pcomp"}
#: entity labels that are never a place name (a run ending in one is not taken at all)
NOT_PLACE_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE"}
SKIP_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "NORP", "LANGUAGE",
             "LAW", "WORK_OF_ART", "EVENT", "PRODUCT"}
SPECIFICITY = {"city": 1, "admin2": 2, "admin1": 3, "region": 3, "country": 4, "continent": 5}
BROAD_FEATURES = ("country", "continent")
KNOWN_KINDS = ("country", "admin1", "admin2", "region", "continent")

MAX_COST = 8.0
MAX_COST_COUNTRY = 2.0
SPECIFIC_MARGIN = 0.0
ACTOR_PENALTY = 5.0
MODIFIER_PENALTY = 6.0
DATELINE_PENALTY = 2.0
REFERENCE_PENALTY = 3.0
BASE_PENALTY = 2.0
OFFICIAL_PENALTY = 2.0
ATTACHED_BONUS = 0.5
MIN_CITY_POP = 50_000  # a city name outside an entity or a place phrase must be at least this big


@dataclass
class PlaceMention:
    """A place named in a sentence (token span ``[start, end)``, character span ``[start_char, end_char)``)."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    place: Place | None = None
    how: str = "ent"  # ent | gazetteer | kb | preposition | pattern | based
    prefer: str | None = None  # gazetteer hint: "city" | "admin"
    role: str = "site"
    head: int = -1

    def to_loc(self, role: str | None = None) -> dict:
        p = self.place
        return {
            "text": self.text, "start": self.start_char, "end": self.end_char,
            "name": p.name if p else None,
            "country": p.country if p else None, "admin1": p.admin1 if p else None,
            "lat": p.lat if p else None, "lon": p.lon if p else None,
            "geonameid": p.geonameid if p else None, "feature": p.feature if p else None,
            "role": role or self.role,
        }


class PlaceResolver:
    """The place stage (see the module docstring). The gazetteer is loaded on first use."""

    def __init__(self, gazetteer: Gazetteer | None = None, max_cost: float = MAX_COST,
                 max_cost_country: float = MAX_COST_COUNTRY, specific_margin: float = SPECIFIC_MARGIN,
                 chooser: "PlaceChooser | None" = None, plain_names: bool | None = None) -> None:
        self._gaz = gazetteer
        self.chooser = chooser  # None: the hand-set costs choose (the "rules" chooser)
        # plain proper names the gazetteer does not know are candidates (how="name"): for the learned chooser
        self.plain_names = chooser is not None if plain_names is None else plain_names
        self.max_cost = max_cost
        self.max_cost_country = max_cost_country
        self.specific_margin = specific_margin
        self._cache_doc = None  # per-document caches of the last document seen
        self._cache: dict = {}
        self._tree_doc = None
        self._trees: dict[int, _Tree] = {}
        self.last_cost: float | None = None  # the last choice: its cost (rules) or probability (chooser)

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = default_gazetteer()
        return self._gaz

    # ------------------------------------------------------------------ stage
    def __call__(self, parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
        cache: dict[int, list[PlaceMention]] = {}
        doc_ctx: set[str] | None = None
        pending: list[tuple[Event, Token, list[Candidate]]] = []
        for ev in events:
            tok: Token | None = getattr(ev, "_trigger", None)
            if tok is None:
                continue
            sent = tok.sent
            if sent.start not in cache:
                if doc_ctx is None:
                    doc_ctx = self._doc_countries(layer)
                cache[sent.start] = self.places(parsed, layer, sent, doc_ctx)
            actor_spans = [(a.start, a.end) for a in ev.actor]
            recipient_spans = [(a.start, a.end) for a in ev.recipient]
            if self.chooser is None:
                ev.event_loc = self.choose(parsed, tok, cache[sent.start], actor_spans, recipient_spans)
            else:
                ev.event_loc = None
                cands = self.candidates(parsed, tok, cache[sent.start], actor_spans, recipient_spans)
                if cands:
                    pending.append((ev, tok, cands))
        if pending:  # one model call for the whole document
            jobs = [(tok, cands, self._tree(tok.sent)) for _, tok, cands in pending]
            for (ev, _, _), picked in zip(pending, self.chooser.pick_many(parsed, jobs)):
                if picked is not None:
                    ev.event_loc = picked[0].mention.to_loc(picked[0].role)
        return events

    def locate(self, parsed: Parsed, layer: ActorLayer, trigger: Token,
               actor_spans: Iterable[tuple[int, int]] = ()) -> dict | None:
        """The location of the event whose trigger is ``trigger`` (an ``event_loc`` dict or None)."""
        mentions = self.places(parsed, layer, trigger.sent, self._doc_countries(layer))
        return self.choose(parsed, trigger, mentions, list(actor_spans))

    def _doc_cache(self, parsed: Parsed, layer: ActorLayer) -> dict:
        """Per-document lists the sentence passes share (entities, demonym tokens)."""
        if self._cache_doc is not parsed.doc:
            self._cache_doc = parsed.doc
            ents = list(parsed.doc.ents)
            self._cache = {"ents": ents, "demonyms": _demonym_tokens(layer, ents)}
        return self._cache

    def _tree(self, sent: Span) -> _Tree:
        """The dependency tree of ``sent`` as plain lists (cached for the document)."""
        if self._tree_doc is not sent.doc:
            self._tree_doc, self._trees = sent.doc, {}
            self._arrays = _DocArrays(sent.doc)
        tree = self._trees.get(sent.start)
        if tree is None:
            tree = self._trees[sent.start] = _Tree(self._arrays, sent.start, sent.end)
        return tree

    # ------------------------------------------------------------------ finding places
    @staticmethod
    def _doc_countries(layer: ActorLayer) -> set[str]:
        codes = {m.code for m in layer.mentions if _names_country(m)}
        codes |= {a.code for a in layer.modifiers.values() if a.code}
        return codes

    def _known(self, name: str, big_city: int = MIN_CITY_POP) -> Place | None:
        """The gazetteer's reading of a bare proper name, if it is a country/region or a large enough city."""
        p = self.gazetteer.lookup(name)
        if p is None:
            return None
        if _acronym(name):
            return p if p.feature == "country" else None
        if p.feature in KNOWN_KINDS or (p.feature == "city" and p.population >= big_city):
            return p
        return None

    def places(self, parsed: Parsed, layer: ActorLayer, sent: Span, doc_countries: set[str] | None = None) -> list[PlaceMention]:
        """Every place named in ``sent``, resolved."""
        doc = parsed.doc
        text = parsed.document.text
        found: list[PlaceMention] = []
        covered: set[int] = set()
        toks = list(sent)
        demonyms = self._doc_cache(parsed, layer)["demonyms"]

        def add(s: int, e: int, how: str, prefer: str | None = None, role: str = "site") -> PlaceMention | None:
            s, e = _trim(doc, s, e)
            if e <= s or any(i in covered for i in range(s, e)) or any(i in demonyms for i in range(s, e)):
                return None
            if all(doc[i].lower_ in PLACE_TYPES for i in range(s, e)):
                return None
            m = PlaceMention(s, e, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text),
                             "", how=how, prefer=prefer, role=role, head=_span_head(doc, s, e))
            m.text = text[m.start_char:m.end_char]
            found.append(m)
            covered.update(range(s, e))
            return m

        # 1. patterns that tell the kind of place ("the city of X", "X province", "X-based")
        for tok in toks:
            low = tok.lower_
            if low == "based" and tok.i >= sent.start + 2 and doc[tok.i - 1].text == "-":
                run = _name_run(doc, tok.i - 2, sent, backwards=True)
                if run:
                    add(run[0], run[1], "based", role="base")
                continue
            if low == "capital" and tok.pos_ == "NOUN":
                # "the California capital Sacramento", "Iraq's capital, Baghdad": the name follows
                nxt = tok.i + 1 + (tok.i + 1 < sent.end and doc[tok.i + 1].text == ",")
                run = _name_run(doc, nxt, sent)
                if run:
                    add(run[0], run[1], "pattern", "city")
                continue
            if low not in PLACE_TYPES or tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
                continue
            prefer = "city" if low in CITY_TYPES else "admin"
            if tok.text[:1].isupper() and tok.i > sent.start:
                # "Plateau State", "Aleppo Governorate", "Eastern Province": the type word is part of the name;
                # "Islamic State", "Kogi State University" (an organisation) are not places
                run = _name_run(doc, tok.i, sent)
                if run and run[0] < tok.i and doc[tok.i].ent_type_ not in ("ORG", "PERSON", "NORP") \
                        and run[1] == tok.i + 1:
                    add(run[0], run[1], "pattern", prefer)
                continue
            before = _name_run(doc, tok.i - 1, sent, backwards=True)
            after = None
            if tok.i + 2 < sent.end and doc[tok.i + 1].lower_ == "of" and _det_before(doc, tok, sent.start):
                after = _name_run(doc, tok.i + 2, sent)
            if before and after:
                # "the Gaza Strip town of Jabalia": Y names the town, X is around it;
                # "the Shalman area of Khyber region": X names the area when Y is a larger unit
                py = self._known(_run_text(doc, text, after))
                if py is not None and py.feature in ("country", "admin1", "region") and low in CITY_TYPES:
                    add(before[0], before[1], "pattern", prefer)
                    add(after[0], after[1], "pattern", None)
                else:
                    add(after[0], after[1], "pattern", prefer)
                    add(before[0], before[1], "pattern", None)
            elif after:
                add(after[0], after[1], "pattern", prefer)
            elif before:
                add(before[0], before[1], "pattern", prefer)
        # 2. spaCy place entities
        ents = [e for e in self._doc_cache(parsed, layer)["ents"] if sent.start <= e.start < sent.end]
        for ent in ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                if _part_of_name(doc, ent.start, ent.end, self.gazetteer, text):
                    covered.update(range(ent.start, ent.end))
                    continue
                add(ent.start, ent.end, "ent")
        # 3. proper-noun runs: known to the gazetteer, or the object of a place preposition
        is_name = [_is_name_token(t) for t in toks]
        unsure: list[tuple[int, int]] = []
        i = sent.start
        while i < sent.end:
            if not is_name[i - sent.start]:
                i += 1
                continue
            run = _name_run(doc, i, sent)
            if not run:
                i += 1
                continue
            s, e = run
            i = e
            back = _name_run(doc, e - 1, sent, backwards=True)
            if back and back[0] < s and not _is_name_token(doc[back[0]]):
                s = back[0]  # a glued lower-case article: "al-Bab", "el-Ain"
            if any(k in covered for k in range(s, e)):
                continue
            ent_type = doc[e - 1].ent_type_
            if ent_type in NOT_PLACE_ENTS:
                continue
            if _part_of_name(doc, s, e, self.gazetteer, text):
                continue  # "Islamic State of Iraq", "Bank of America": part of a name
            if ent_type in SKIP_ENTS or (ent_type == "ORG" and _inside_larger_ent(ents, s, e)):
                unsure.append((s, e))  # "the battle for Manbij" (PRODUCT), "Abuja's Conference Centre"
                continue
            name = _run_text(doc, text, run)
            head = doc[_span_head(doc, s, e)]
            if doc[s].lower_ in CALENDAR_WORDS:
                continue
            prep = head.head.lower_ if head.dep_ == "pobj" else ""
            taken = _object_of_territorial_verb(head, ent_type)
            after_prep = (prep in STRICT_LOCATIVE and not _has_possessive(head)
                          and (prep != "of" or head.head.head.lower_ in SITE_NOUNS)) or (
                          prep in ("on", "against") and head.head.head.lemma_.lower() in ATTACK_NOUNS)
            if ent_type == "PERSON":
                # the small model calls many towns PERSON ("captured Grozny"): a large enough known place
                # that is the whole entity and no KB person is taken; any name after a place preposition too
                km = layer.at(head)
                if km is not None and km.actors and km.actors[0].how == "kb-person":
                    continue
                if (after_prep or taken) and not _acronym(name):
                    add(s, e, "preposition")
                elif not _inside_larger_ent(ents, s, e) and self._known(name, big_city=100_000) is not None:
                    add(s, e, "gazetteer")
            elif ent_type == "ORG":
                if self._known(name, big_city=1_000_000) is not None:
                    add(s, e, "gazetteer")
            elif self._known(name) is not None:
                add(s, e, "gazetteer")
            elif (after_prep or taken) and not _acronym(name):
                add(s, e, "preposition")
            if not any(k in covered for k in range(s, e)):
                unsure.append((s, e))
        # 4. KB country names of the actor layer not found above
        for m in layer.mentions:
            if not (sent.start <= m.head < sent.end) or m.head in covered or m.role:
                continue
            if m.actors and m.actors[0].how in ("kb-country", "kb-capital") and doc[m.head].pos_ == "PROPN":
                p = self.gazetteer.lookup(doc[m.head].text)
                if p is not None and p.feature == "country":
                    add(m.head, m.head + 1, "kb")

        # 5. (with the learned chooser only) other proper names: a village the gazetteer does not know,
        # a town the small model calls a person or an organisation ("how" = "name")
        if self.plain_names:
            for s, e in unsure:
                if not any(k in covered for k in range(s, e)):
                    add(s, e, "name")

        # resolve, with the countries named in the sentence as context
        gaz = self.gazetteer
        sent_ctx: set[str] = set()
        for m in layer.mentions:
            if sent.start <= m.head < sent.end and _names_country(m):
                sent_ctx.add(m.code)
        for i2, a in layer.modifiers.items():
            if sent.start <= i2 < sent.end and a.code:
                sent_ctx.add(a.code)
        for pm in found:
            if pm.how == "name":
                continue
            p = gaz.lookup(pm.text, (), (), pm.prefer)
            if p is not None and p.feature in ("country", "admin1") and p.country:
                sent_ctx.add(p.country)
        doc_ctx = set(doc_countries or ()) | sent_ctx
        for pm in found:
            pm.place = gaz.lookup(pm.text, sent_ctx, doc_ctx, pm.prefer)
            if pm.place is not None and _acronym(pm.text) and pm.place.feature != "country":
                pm.place = None
            if pm.place is None and pm.how != "name":
                km = layer.at(pm.head)
                if km is not None and km.actors and km.actors[0].how in ("kb-country", "kb-capital") and km.code:
                    pm.place = Place(km.actors[0].name or pm.text, "country", km.code, None, None, None, None)
        found.sort(key=lambda m: m.start)
        return found

    # ------------------------------------------------------------------ choosing
    def choose(self, parsed: Parsed, trigger: Token, mentions: list[PlaceMention],
               actor_spans: list[tuple[int, int]] | None = None,
               recipient_spans: list[tuple[int, int]] | None = None) -> dict | None:
        """The cheapest place for ``trigger`` among ``mentions`` (see the module docstring), or None.

        ``actor_spans``/``recipient_spans``: character spans of the event's actor and recipient. A place
        in an actor span is an actor; a country in a recipient span too ("an attack against Israel
        from Iraq": Iraq is the launch site, Israel the target state), while a city or region there is
        the site ("shelled Aleppo")."""
        self.last_cost = None
        cands = self.candidates(parsed, trigger, mentions, actor_spans, recipient_spans)
        if self.chooser is not None:
            picked = self.chooser.pick(parsed, trigger, cands, self._tree(trigger.sent))
            if picked is None:
                return None
            best, self.last_cost = picked
            return best.mention.to_loc(best.role)
        best = next((c for c in cands if c.rule_pick), None)
        if best is None:
            return None
        self.last_cost = best.cost
        return best.mention.to_loc(best.role)

    def candidates(self, parsed: Parsed, trigger: Token, mentions: list[PlaceMention],
                   actor_spans: list[tuple[int, int]] | None = None,
                   recipient_spans: list[tuple[int, int]] | None = None) -> list["Candidate"]:
        """Every place of the trigger's sentence with its cost and the facts the cost was made of."""
        if not mentions:
            return []
        doc = parsed.doc
        sent = trigger.sent
        placeish = {i for m in mentions if m.how != "name" for i in range(m.start, m.end)}
        heads = {m.head for m in mentions}
        dist, first_prep = _distances(trigger, self._tree(sent), placeish, self.max_cost + ATTACHED_BONUS, heads)
        subj = _subject_tokens(trigger)
        out: list[Candidate] = []
        for m in mentions:
            if not (sent.start <= m.head < sent.end):
                continue
            path = dist.get(m.head, 99.0)
            if path >= 99.0 and m.how == "name":
                continue  # a plain proper name far from the trigger: not worth scoring
            cost = path
            role = m.role
            prep = first_prep.get(m.head)
            flags: dict[str, bool] = {}
            if prep is not None and prep in LOCATIVE_PREPS and prep != "from":
                cost -= ATTACHED_BONUS
            if prep is not None and role == "site":
                role = PLACE_PREPS.get(prep, "site")  # "fired from Gaza": launch site
            head = doc[m.head]
            feature = m.place.feature if m.place else None
            locative = _locative(head)
            flags["subject"] = any(i in subj for i in range(m.start, m.end))
            flags["actor"] = bool(actor_spans) and any(s < m.end_char and m.start_char < e for s, e in actor_spans)
            flags["recipient"] = (bool(recipient_spans) and feature in BROAD_FEATURES and not locative
                                  and any(s < m.end_char and m.start_char < e for s, e in recipient_spans))
            if flags["subject"] or flags["actor"] or flags["recipient"]:
                cost += ACTOR_PENALTY
            flags["base"] = m.role == "base"
            flags["modifier"] = _modifies_non_site(head, m)
            flags["dateline"] = _dateline(doc, m)
            flags["reference"] = _reference_point(head)
            flags["office"] = _in_of_phrase_of_noun(head)
            flags["locative"] = locative
            cost += (BASE_PENALTY * flags["base"] + MODIFIER_PENALTY * flags["modifier"]
                     + DATELINE_PENALTY * flags["dateline"] + REFERENCE_PENALTY * flags["reference"]
                     + OFFICIAL_PENALTY * flags["office"])
            limit = self.max_cost
            if feature in BROAD_FEATURES and not locative:
                limit = self.max_cost_country  # a country as subject, object, owner: rarely the site
            out.append(Candidate(m, role, round(cost, 3), limit, path, prep, flags))
        # the rules' choice: the most specific place among the nearly cheapest admissible ones ("in Azamiyah
        # in Baghdad", "Irbil, in northern Iraq"); proper names found only for the learned chooser are not taken
        admissible = [c for c in out if c.cost <= c.limit and c.mention.how != "name"]
        if admissible:
            low = min(c.cost for c in admissible)
            near = [c for c in admissible if c.cost <= low + self.specific_margin]
            min(near, key=lambda c: (_specificity(c.mention.place), c.cost, c.mention.start)).rule_pick = True
        return out


@dataclass
class Candidate:
    """One place considered for one trigger: its hand-set ``cost`` (taken when ``cost <= limit``),
    the dependency-path length ``path``, the preposition through which the path left the trigger,
    the yes/no facts that made up the cost (``flags``) and whether the rules take it (``rule_pick``)."""

    mention: PlaceMention
    role: str
    cost: float
    limit: float
    path: float
    prep: str | None
    flags: dict[str, bool]
    rule_pick: bool = False  # the candidate the hand-set costs choose


# --------------------------------------------------------------------------- helpers


def _names_country(m) -> bool:
    """An actor mention that is evidence for a country of the text: a country or a group with a 3-letter
    code (places the actor stage coded through this same gazetteer are not evidence for themselves)."""
    return m.kind in ("country", "group") and bool(m.code) and len(m.code) == 3 \
        and not m.actors[0].how.startswith("gazetteer")


def _specificity(place: Place | None) -> tuple[int, int]:
    """Smaller is more specific: unknown names (villages, districts), then cities by size, regions, countries."""
    if place is None:
        return (0, 0)
    return (SPECIFICITY.get(place.feature, 1), place.population)


def _acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 5 and name.upper() == name


def _run_text(doc, text: str, run: tuple[int, int]) -> str:
    return text[doc[run[0]].idx:doc[run[1] - 1].idx + len(doc[run[1] - 1].text)]


def _is_name_token(t: Token) -> bool:
    return (t.pos_ == "PROPN" and (t.text[:1].isupper() or t.text[:1] in "'‘’`") and not t.is_punct
            and t.ent_type_ not in ("DATE", "TIME"))  # "patrolled Harare Saturday": the day ends the name


def _name_run(doc, i: int, sent: Span, backwards: bool = False) -> tuple[int, int] | None:
    """The proper-noun run through token i (hyphenated parts joined: "Al-Qubbah", "Mazar-e-Sharif").

    ``backwards``: token i ends the run (a name before "city", "-based"); else i starts it.
    """
    lo, hi = sent.start, sent.end
    if not (lo <= i < hi) or not _is_name_token(doc[i]):
        return None

    def glue(k: int) -> bool:  # token k is a hyphen glued to the words on both sides
        return (lo < k < hi - 1 and doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_
                and doc[k + 1].text[:1].isalpha())

    def part(k: int) -> bool:
        return lo <= k < hi and (_is_name_token(doc[k]) or (doc[k].text[:1].isalpha() and (glue(k - 1) or glue(k + 1))))

    s = e = i
    if backwards:
        while s - 1 >= lo and (part(s - 1) or (glue(s - 1) and part(s - 2))):
            s -= 1
        return s, i + 1
    e = i + 1
    while e < hi and (part(e) or (glue(e) and part(e + 1))):
        e += 1
    return s, e


def _inside_larger_ent(ents: list[Span], s: int, e: int) -> bool:
    """Tokens s..e are a strict part of a PERSON or ORG entity."""
    for ent in ents:
        if ent.start <= s and e <= ent.end:
            return (ent.end - ent.start) > (e - s) and ent.label_ in ("PERSON", "ORG")
    return False


def _demonym_tokens(layer: ActorLayer, ents: list[Span]) -> set[int]:
    """Country adjectives and nationality nouns ("Iraqi", "Russians"): not places."""
    out = {i for i, a in layer.modifiers.items() if a.how == "kb-adjective"}
    for m in layer.mentions:
        if m.actors and m.actors[0].how == "kb-adjective":
            out.add(m.head)
    for ent in ents:
        if ent.label_ == "NORP":
            out.update(range(ent.start, ent.end))
    return out


def _trim(doc, s: int, e: int) -> tuple[int, int]:
    while s < e and (doc[s].lower_ in ("the", "a", "an") or doc[s].is_punct or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].lower_ in ("'s", "'", "’s") or doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


def _span_head(doc, s: int, e: int) -> int:
    for i in range(s, e):
        h = doc[i].head.i
        if h < s or h >= e or h == i:
            return i
    return e - 1


def _det_before(doc, tok: Token, lo: int) -> bool:
    """'the [adjectives] TYPE': a determiner (or a possessive) opens the phrase."""
    j = tok.i - 1
    while j >= lo and doc[j].pos_ in ("ADJ", "PROPN", "NOUN", "ADV", "PUNCT", "PART") and doc[j].text != ",":
        j -= 1
    return j >= lo and (doc[j].lower_ in ("the", "a", "an", "this", "that") or doc[j].dep_ == "poss")


def _has_possessive(tok: Token) -> bool:
    return any(c.dep_ == "case" for c in tok.children)


class _DocArrays:
    """Per-token attributes of a whole document as plain lists, read with one ``Doc.to_array`` call
    (spaCy Token objects are slow to create)."""

    __slots__ = ("heads", "deps", "lowers", "pos", "tags", "lemmas", "ents")

    def __init__(self, doc) -> None:
        strings = doc.vocab.strings
        cols = doc.to_array([HEAD, DEP, LOWER, POS, TAG, LEMMA, ENT_TYPE]).tolist() if len(doc) else []
        self.heads = [i + (row[0] if row[0] < 1 << 63 else row[0] - (1 << 64)) for i, row in enumerate(cols)]
        self.deps = [strings[row[1]] for row in cols]
        self.lowers = [strings[row[2]] for row in cols]
        self.pos = [strings[row[3]] for row in cols]
        self.tags = [strings[row[4]] for row in cols]
        self.lemmas = [strings[row[5]].lower() for row in cols]
        self.ents = [strings[row[6]] if row[6] else "" for row in cols]


class _Tree:
    """The dependency tree of one sentence as plain lists indexed by ``token.i - start``; ``doc`` holds
    the whole document's lists (indexed by ``token.i``)."""

    __slots__ = ("start", "end", "heads", "deps", "lowers", "pos", "children", "doc")

    def __init__(self, arrays: _DocArrays, start: int, end: int) -> None:
        self.doc = arrays
        self.start, self.end = start, end
        self.heads = arrays.heads[start:end]
        self.deps = arrays.deps[start:end]
        self.lowers = arrays.lowers[start:end]
        self.pos = arrays.pos[start:end]
        self.children: list[list[int]] = [[] for _ in self.heads]
        for k, h in enumerate(self.heads):
            if h != start + k and start <= h < end:
                self.children[h - start].append(start + k)


def _edge_weight(tree: _Tree, head: int, child: int, placeish: set[int]) -> float:
    """Cost of the dependency edge head -> child (the same both ways, bar clause penalties)."""
    o = tree.start
    dep = tree.deps[child - o]
    hl = tree.lowers[head - o]
    cl = tree.lowers[child - o]
    if dep == "compound" and (hl in SITE_NOUNS or head in placeish):
        return 0.0  # "the Shalman area", "Kathmandu city"
    if dep == "prep" and cl == "of" and hl in SITE_NOUNS:
        return 0.0  # "the town of | Tarmanin", "the outskirts of | Bza'a"
    hh = tree.heads[head - o]
    if dep == "pobj" and hl == "of" and tree.start <= hh < tree.end and tree.lowers[hh - o] in SITE_NOUNS:
        return 0.0
    if head in placeish or hl in SITE_NOUNS:
        if dep == "appos" or (dep == "prep" and cl in LOCATIVE_PREPS):
            return 0.5  # "Mosul, Iraq", "Azamiyah in Baghdad": the container is a little further
        if dep == "pobj" and tree.deps[head - o] == "prep" and hh in placeish:
            return 0.5
    return 1.0


def _distances(trigger: Token, tree: _Tree, placeish: set[int], limit: float = 1e9,
               targets: set[int] | None = None) -> tuple[dict[int, float], dict[int, str | None]]:
    """Cost of reaching each token of the sentence from the trigger through the dependency tree,
    and the preposition through which the path left the trigger (or the verb governing a noun trigger).

    Stops past ``limit`` or once every token of ``targets`` is reached at its lowest cost.
    """
    left = set(targets) if targets is not None else None
    o = tree.start
    t = trigger.i
    anchors = {t}
    th = tree.heads[t - o]
    if (tree.pos[t - o] != "VERB" and tree.start <= th < tree.end and tree.pos[th - o] in ("VERB", "AUX")
            and tree.deps[t - o] in ("dobj", "nsubjpass", "nsubj", "attr")):
        anchors.add(th)
    dist = {t: 0.0}
    prep_of: dict[int, str | None] = {t: None}
    heap: list[tuple[float, int]] = [(0.0, t)]
    while heap:
        d, i = heapq.heappop(heap)
        if d > dist.get(i, 1e9):
            continue
        if d > limit:
            break
        if left is not None:
            left.discard(i)
            if not left:
                break
        via = prep_of.get(i)
        h = tree.heads[i - o]
        steps: list[tuple[int, float, str | None]] = []
        if h != i and tree.start <= h < tree.end:
            up = _edge_weight(tree, h, i, placeish) + (1.0 if tree.deps[i - o] in CLAUSE_DEPS else 0.0)
            steps.append((h, up, via))
        for c in tree.children[i - o]:
            w = _edge_weight(tree, i, c, placeish)
            if tree.deps[c - o] in CLAUSE_DEPS and tree.pos[c - o] in ("VERB", "AUX"):
                w += 1.0 if i == t else 2.0
            first = tree.lowers[c - o] if (i in anchors and tree.deps[c - o] in ("prep", "agent")) else via
            steps.append((c, w, first))
        for nxt, w, first in steps:
            nd = d + w
            if nd < dist.get(nxt, 1e9):
                dist[nxt] = nd
                prep_of[nxt] = first
                heapq.heappush(heap, (nd, nxt))
    return dist, prep_of


def _subject_tokens(trigger: Token) -> set[int]:
    """The trigger's active subject noun and its possessor/compounds ("Iran", "Iran's navy"), not phrases in it."""
    out: set[int] = set()
    verbs = [trigger]
    if trigger.dep_ in ("xcomp", "conj", "advcl") and trigger.head.pos_ in ("VERB", "AUX"):
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
            verbs.append(trigger.head)
    for v in verbs:
        for c in v.children:
            if c.dep_ == "nsubj":
                out.add(c.i)
                for cc in c.children:
                    if cc.dep_ in ("compound", "poss", "nmod", "conj", "appos"):
                        out.update(t.i for t in cc.subtree if t.dep_ not in ("prep", "pobj") or t.i == cc.i)
    return out


def _modifies_non_site(head: Token, m: PlaceMention) -> bool:
    """'U.S. soldiers', 'Mexico state authorities', 'a U.S. base': a toponym used as a modifier.

    A city or region name modifying a site noun says where the site is ("a Baghdad market"); a
    country name there says whose it is ("a U.S. base").
    """
    if head.dep_ not in ("compound", "amod", "nmod") or head.head.i <= head.i:
        return False
    noun = head.head
    while noun.dep_ == "compound" and noun.head.i > noun.i:
        noun = noun.head
    if noun.ent_type_ in ("GPE", "LOC", "FAC") and noun.ent_type_ == head.ent_type_:
        return False
    if noun.lower_ in SITE_NOUNS:
        return m.place is not None and m.place.feature == "country" and noun.lower_ not in PLACE_TYPES
    return True


def _dateline(doc, m: PlaceMention) -> bool:
    """'ANKARA —', 'BAGHDAD (Reuters) -': the place a report was filed from, at the start of its text."""
    if m.start > 3 or not m.text.isupper() or len(m.text) < 3:
        return False
    nxt = doc[m.end] if m.end < len(doc) else None
    return nxt is None or nxt.is_space or nxt.is_punct or doc[m.end - 1].whitespace_.count(" ") > 1


def _part_of_name(doc, s: int, e: int, gaz: Gazetteer, text: str) -> bool:
    """'Islamic State of Iraq', 'University of Baghdad': a place name inside an organisation's name.

    The place is the object of "of" whose head is a capitalised name that does not, together with
    it, make a place the gazetteer knows ("Gulf of Aden", "Republic of Korea" are places).
    """
    head = doc[_span_head(doc, s, e)]
    if head.dep_ != "pobj" or head.head.lower_ != "of":
        return False
    noun = head.head.head
    if not (noun.pos_ == "PROPN" and noun.text[:1].isupper() and noun.i < s):
        return False
    start = noun.i
    while start - 1 >= doc[s].sent.start and doc[start - 1].pos_ == "PROPN":
        start -= 1
    whole = text[doc[start].idx:doc[e - 1].idx + len(doc[e - 1].text)]
    return whole not in gaz


def _locative(tok: Token) -> bool:
    """The place is (in) the object of a place preposition: "in northern Iraq", "across Italy"."""
    x = tok
    for _ in range(4):
        if x.dep_ == "pobj":
            return x.head.lower_ in LOCATIVE_PREPS and x.head.lower_ != "from"
        if x.dep_ not in ("compound", "appos", "conj", "amod", "nmod"):
            return False
        x = x.head
    return False


def _object_of_territorial_verb(tok: Token, ent_type: str) -> bool:
    """'stormed Najarah', 'captured Grahovo and Glamoc': an unknown name taken, entered or shelled."""
    x = tok
    while x.dep_ == "conj" and x.head.i != x.i:
        x = x.head
    if x.dep_ not in ("dobj", "nsubjpass"):
        return False
    lemma = x.head.lemma_.lower()
    if ent_type == "PERSON":
        return lemma in PLACE_ONLY_VERBS
    return lemma in TERRITORY_VERBS and ent_type != "ORG"


def _reference_point(tok: Token) -> bool:
    """'20 kilometers north of X', 'near the border with X': X is where the site is measured from."""
    x = tok
    for _ in range(3):
        if x.dep_ == "pobj" and x.head.lower_ in ("of", "from", "with"):
            gov = x.head.head
            if gov.lower_ in REFERENCE_WORDS:
                return True
            x = gov
        elif x.dep_ in ("compound", "appos", "conj"):
            x = x.head
        else:
            return False
    return False


def _in_of_phrase_of_noun(tok: Token) -> bool:
    """'the president of Iraq', 'the governor of Kandahar': the place names whose official it is."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return False
    return tok.head.head.lower_ in OFFICE_NOUNS


def resolve_places(parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
    return PlaceResolver()(parsed, layer, events)
