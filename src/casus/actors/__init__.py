"""actors stage: Parsed -> ActorLayer (actor mentions resolved to country/IGO code + sector).

Contract
--------
Input: :class:`casus.nlp.Parsed`. Output: :class:`ActorLayer` with every actor
mention of the document (token span, character span, one or more resolved
:class:`casus.records.Actor`), and a token -> mention index used by the event
stage to fill actor and recipient roles.

How a mention is resolved (compositional, not a name list):

1. A phrase matcher over the project's KB finds names of countries (and their
   capitals, demonyms and adjectives), organisations and people; with
   ``kb_db`` (``[actors] kb_db`` or ``--db``), rows imported into DuckDB with
   ``casus kb import`` (e.g. Phoenix dictionaries) are matched too, through a
   :class:`FormIndex` (see :mod:`casus.store.kb` for how they join the KB).
2. Each nominal head (a KB name, a role noun such as "prime minister" or
   "militias", a named entity) grows leftwards over its noun-phrase modifiers:
   "White House National Security Advisor Jake Sullivan" is one mention.
3. Its code comes, in order, from a person valid on the report's date, an
   organisation, a country word in the phrase ("Iraqi", "U.S."), a possessive
   ("Lebanon's ... newspaper"; a country owning a role noun is part of the mention: "Montenegro's
   prime minister" -> MNE GOV) or a place ("militias in Iraq"; civilians "in", people "from"
   or staff "for" a body: "villagers in Idlib", "inspectors for the IAEA", ``how`` =
   "place-<prep>"; "diplomats from Poland, Germany and Sweden" give one actor per state);
   "X-aligned", "X-backed", "X-affiliated" name an affiliation, not the actor's country, and
   "X-occupied", "X-held" name a holder, not the place's state. A state adjective the parser
   hangs past a body's noun names the body ("Syrian government missiles").
   Its sector comes from the person, the organisation or the role noun.
   Coordinated countries ("Israeli and U.S. interests") give one actor each. A named place the KB
   lacks takes the country the offline gazetteer puts it in, with no sector ("Cizre" -> TUR;
   ``how`` = "gazetteer-<feature>"; ``[actors] places``), see ``_code_places``.
4. Within-document coreference (the later mention's actor gets ``antecedent``,
   the earlier mention's character span): a surname or a bare name repeats the
   earlier full mention ("Sullivan", "al-Sudani"; a family name written first:
   "Yoon" after "Yoon Suk Yeol"), a KB person keeping its own date-aware code;
   a role-only mention ("the Iraqi prime minister") takes the person named
   earlier with that role; a pronoun takes the subject of the nearest sentence
   with a fitting mention (he/she: a person; they: a plural group; it: a
   country, organisation or group), else the nearest fitting mention; a group with no country ("factions", "Shi'ite militia") takes the
   country of an earlier mention with the same head noun, else the nearest
   country named before it in the sentence, else the report's main country
   (``how`` says which, so every code can be traced); so does an unnamed office or
   trade ("a spokesman", "a journalist"). An object pronoun is never its own
   clause's subject; "he"/"she" may stand for a person the KB cannot code. A rights
   group or aid agency with no nationality named is NGO (``how`` = "role-ngo"); a role an
   organisation owns is the organisation's ("The European Union's foreign policy chief"
   IGO, ``how`` = "org-owner"); people named after their body ("Syrian opposition
   members", "Afghan Army trainees") are one mention with the body's role. "The country" or
   "his country" is the state named near it (``how`` = "coref-country"), "its forces" the
   forces of whom "its" stands for, and an "it" with no antecedent after an owned office or
   body ("Turkey's president says it ...") the owner state or the body (``how`` =
   "coref-owner").
5. Repairs: a name one letter from a KB person's or a country's is read as it
   ("Mitterand", "Ethopia", "Chenchen refugees"; ``how`` = "kb-misspelt-person" /
   "kb-misspelt"), and so is a role noun one letter from a long KB role ("UN
   peackeepers"); a name and its apposition share a code ("Kenzo Oshima, the United
   Nations ..."); coordinated nationalities share their noun ("Sierra Leonean and Liberian
   refugees"); a title before a name gives the person's sector ("General Michel Aoun" MIL);
   former office holders are ELI ("former president"), opposition candidates OPP.
6. Names that are not what they contain: a surname that begins a longer name is someone
   else's ("Khamis Mushait"); a feature's name is no country ("the South China Sea"); an
   acronym the report spells out in brackets is the report's ("armoured personnel carriers
   (APC)") and stands for that actor when it recurs ("TAF", ``how`` = "coref-acronym"); a
   surname hyphenated to another name is no person ("the Austin-Morris company"); a dateline
   ("KABUL, Afghanistan (AP) --", the story starting after the dash: "US-led forces" is
   none) names no actor (``ActorLayer.outside``), though it still gives the sentence's and the
   report's country to unnamed actors.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
from spacy.attrs import LOWER, POS
from spacy.matcher import PhraseMatcher
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc, Token

from ..nlp import Parsed, WordFilter, load_nlp
from ..records import Actor
from .kb import KB, Entry, default_kb, pick_person

__all__ = ["ActorLayer", "Mention", "ActorResolver", "find_actors"]

STANCE_PREFIXES = {"anti", "pro"}
#: actor codes that name no state: international, non-governmental and multinational bodies
NON_STATE_CODES = frozenset({"IGO", "IMG", "NGO", "MNC"})
AFFILIATION_WORDS = {"aligned", "backed", "affiliated", "linked", "allied", "supported", "sponsored",
                     "funded", "inspired", "controlled", "run", "based"}
NP_DEPS = {"compound", "amod", "det", "nmod", "poss", "case", "nummod", "punct", "prep", "pobj", "cc",
           "conj", "npadvmod", "quantmod", "advmod", "predet", "nn", "dep"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
GROUP_PRONOUNS = {"they", "them", "their"}
THING_PRONOUNS = {"it", "its"}
COUNTRY_KINDS = {"country", "adjective", "capital"}
#: nouns whose "of" phrase names a place ("the city of Quetta", "the province of Idlib")
PLACE_NOUNS = {"city", "town", "village", "province", "region", "district", "state", "county", "governorate",
               "enclave", "port", "capital", "area", "municipality", "prefecture", "island", "valley"}
NAME_PARTICLES = {"al", "el", "ad", "as", "ash", "at", "bin", "ibn", "de", "del", "van", "von", "da", "di", "le", "la"}


@dataclass
class Mention:
    start: int  # token index
    end: int  # token index, exclusive
    head: int  # token index of the head noun
    actors: list[Actor] = field(default_factory=list)
    kind: str = "group"  # person | group | country | org | pronoun
    plural: bool = False
    role: str | None = None  # role term, e.g. "prime minister"
    sentence: int = 0

    @property
    def code(self) -> str | None:
        return self.actors[0].code if self.actors else None


#: sectors that only say what kind of organisation an entry is
GENERIC_ORG_SECTORS = {"IGO", "NGO", "IMG", "MNC"}
#: role nouns of armed vehicles: a state's are its military ("Israeli jets"), an armed group's are the
#: group's ("Houthi drones" stay REB)
VEHICLES = {"drone", "drones", "jet", "jets", "warplane", "warplanes", "fighter jet", "fighter jets", "aircraft",
            "military aircraft", "helicopter", "helicopters", "gunship", "gunships", "warship", "warships", "gunboat",
            "gunboats", "tank", "tanks", "predator", "predators"}


@dataclass
class ActorLayer:
    mentions: list[Mention]
    by_token: dict[int, Mention]
    focus: str | None  # the report's main country, if any
    modifiers: dict[int, Actor] = field(default_factory=dict)  # "Israeli" in "an Israeli strike"
    text: str = ""  # the document text as read (spans index into it)
    outside: set[int] = field(default_factory=set)  # tokens that name no actor (datelines: "KABUL (AP) --")

    def at(self, tok: Token | int) -> Mention | None:
        i = tok if isinstance(tok, int) else tok.i
        return self.by_token.get(i)


class FormIndex:
    """Matcher for KB rows imported into DuckDB (``casus kb import``), built without tokenising them.

    Tokenising ~40k dictionary phrases for a PhraseMatcher takes seconds at every start;
    here a run of tokens matches when its text with the spaces taken out equals a form's
    (lower-cased, or as written for short acronyms). A set of all key prefixes stops each
    scan at the first token that cannot continue a form. Same call shape as PhraseMatcher.
    """

    def __init__(self, entries: list[Entry]) -> None:
        self.lower: dict[str, list[Entry]] = {}
        self.exact: set[str] = set()
        plain: set[str] = set()
        for e in entries:
            form = e.form
            key = "".join(form.split())
            if not key:
                continue
            low = key.lower()
            self.lower.setdefault(low, []).append(e)
            if len(form) <= 5 and form.replace(".", "").isupper():
                self.exact.add(key)
            else:
                plain.add(low)
        # keys of acronyms only: they match as written (the `exact` set), not in any case
        self.cased = {k.lower() for k in self.exact} - plain
        self.prefixes = {k[:i] for k in self.lower for i in range(1, len(k) + 1)}

    def __len__(self) -> int:
        return len(self.lower)

    def entries(self, text: str) -> list[Entry] | None:
        return self.lower.get("".join(text.split()).lower())

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        out = []
        n = len(doc)
        prefixes, lower, exact, cased = self.prefixes, self.lower, self.exact, self.cased
        for s in range(n):
            low = orth = ""
            for e in range(s, n):
                t = doc[e]
                if t.is_space:
                    break
                orth += t.text
                low += t.lower_
                if low not in prefixes:
                    break
                if (low in lower and low not in cased) or orth in exact:
                    out.append((0, s, e + 1))
        return out


@lru_cache(maxsize=2)
def _matchers(extra: tuple[str, ...] = (), kb_db: tuple | None = None, kb_policy: str = "all",
              ) -> tuple[PhraseMatcher, PhraseMatcher, dict[str, list[Entry]], KB, FormIndex | None]:
    """Phrase matchers over the KB: case-insensitive for names, exact for short acronyms.

    ``kb_db``: ``casus.store.kb.db_stamp(path)`` of a DuckDB file whose imported KB rows
    extend the built-in KB (see :mod:`casus.store.kb`); the stamp keys the cache. The
    imported rows are matched by a :class:`FormIndex`, the built-in ones as before.
    """
    index = None
    if kb_db:
        import gc

        from ..store.kb import kb_from_db

        gc_was_on = gc.isenabled()
        gc.disable()  # tens of thousands of small objects: the collector would rescan them all (~40% of the time)
        try:
            kb = kb_from_db(kb_db[0], extra, kb_policy)
            n_base = len(default_kb(extra).entries)
            index = FormIndex(kb.entries[n_base:])
        finally:
            if gc_was_on:
                gc.enable()
        base_entries = kb.entries[:n_base]
    else:
        kb = default_kb(extra)
        base_entries = kb.entries
    nlp = load_nlp()
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    table: dict[str, list[Entry]] = {}
    forms_lower: dict[str, list[str]] = {}
    forms_exact: list[str] = []
    for e in base_entries:
        key = e.form
        if not key:
            continue
        table.setdefault(key.lower(), []).append(e)
        is_acronym = len(key) <= 5 and key.replace(".", "").isupper()
        if is_acronym:
            forms_exact.append(key)
        else:
            forms_lower.setdefault(key.lower(), []).append(key)
    lower_keys = sorted(forms_lower)
    for i in range(0, len(lower_keys), 1000):
        chunk = lower_keys[i:i + 1000]
        lower.add("KB", list(nlp.tokenizer.pipe(chunk)))
    exact_keys = sorted(set(forms_exact))
    exact.add("KB", list(nlp.tokenizer.pipe(exact_keys)))
    if index is not None:
        for e in kb.entries[len(base_entries):]:
            table.setdefault(e.form.lower(), []).append(e)
    return lower, exact, table, kb, index


_ROLE_LASTS: dict[int, frozenset[str]] = {}


def _role_lasts(kb: KB) -> frozenset[str]:
    """Last words of the KB's role terms (cached per roles table), to skip most tokens at once."""
    key = id(kb.roles)
    got = _ROLE_LASTS.get(key)
    if got is None or len(_ROLE_LASTS) > 8:
        _ROLE_LASTS.clear()
        # (the part after a hyphen too: "secretary-general" ends in the token "general")
        got = _ROLE_LASTS[key] = frozenset(t.rsplit(" ", 1)[-1].rsplit("-", 1)[-1] for t in kb.roles)
    return got


def _role_at(doc: Doc, i: int, kb: KB, lowers: list[str] | None = None) -> tuple[int, str] | None:
    """Longest role term ending at token i: (start token, term). ``lowers``: the doc's lower-cased
    token texts, when the caller has them (saves creating tokens)."""
    tok = doc[i]
    if tok.pos_ not in ("NOUN", "PROPN") and not (tok.pos_ == "ADJ" and tok.lower_ in ("military",)):
        return None
    lasts = _role_lasts(kb)
    # surface form first, then the lemma (a tuple: set order would vary with PYTHONHASHSEED)
    last_forms = tuple(f for f in dict.fromkeys((tok.lower_, tok.lemma_.lower())) if f in lasts)
    if not last_forms:
        return None
    if lowers is None:
        lowers = [t.lower_ for t in doc[max(0, i - 3):i + 1]]
        off = max(0, i - 3)
    else:
        off = 0
    for k in range(3, -1, -1):
        s = i - k
        if s < 0:
            continue
        prefix = " ".join(lowers[s - off:i - off])
        for last in last_forms:
            term = f"{prefix} {last}".strip()
            if term in kb.roles:
                return s, term
            joined = term.replace(" - ", "-")  # "Secretary-General" is three tokens
            if joined != term and joined in kb.roles and lowers[s - off] != "-":
                return s, joined
    return None


class ActorResolver:
    """Finds and resolves actor mentions; configurable KB extras."""

    def __init__(self, kb_extra: tuple[str, ...] = (), kb_db: str | None = None, kb_policy: str = "all",
                 places: bool = True) -> None:
        self.places = places  # code named places the KB lacks through the gazetteer ("Cizre" -> TUR)
        stamp = None
        if kb_db:
            from pathlib import Path

            from ..errors import CasusError
            from ..store.kb import db_stamp, has_kb

            if not Path(kb_db).exists():
                raise CasusError("E008", where=str(kb_db))
            stamp = db_stamp(kb_db) if has_kb(kb_db) else None
        self.lower, self.exact, self.table, self.kb, self.index = _matchers(tuple(kb_extra), stamp, kb_policy)
        self._role_filter = WordFilter(_role_lasts(self.kb))  # tokens that can end a role term

    # ----------------------------------------------------------------- matching
    def kb_matches(self, doc: Doc, date: str | None) -> dict[int, tuple[int, int, Entry]]:
        """token index -> (start, end, chosen entry) for the longest KB matches."""
        spans = []
        for matcher in (self.lower, self.exact, *((self.index,) if self.index else ())):
            for _, s, e in matcher(doc):
                first = doc[s].text
                if not first[:1].isupper() and not first[:1].isdigit() and first.lower() not in NAME_PARTICLES:
                    continue  # names are capitalised; "turkey" or "chad" in lower case are not countries
                spans.append((s, e))
        spans.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        taken: dict[int, tuple[int, int, Entry]] = {}
        for s, e in spans:
            if any(i in taken for i in range(s, e)):
                continue
            text = doc[s:e].text.lower()
            entries = self.table.get(text)
            if not entries:
                # tokenisation differences ("al - Sudani"): fall back to joined tokens
                entries = self.table.get("".join(t.text_with_ws for t in doc[s:e]).strip().lower())
            if not entries and self.index is not None:
                entries = self.index.entries(doc[s:e].text)
            if not entries:
                continue
            entry = self._choose(entries, date)
            if entry is None:
                continue
            if e - s == 1 and _spelled_out_before(doc, s) and not (
                    s >= 2 and s - 2 in taken and taken[s - 2][2].name == entry.name):
                continue  # "armoured personnel carriers (APC)": the report's own abbreviation, not the KB's APC
            if entry.kind == "person" and e - s == 1 and e < len(doc) and doc[e].pos_ == "PROPN" \
                    and doc[e].text[:1].isupper() and doc[e].lower_ not in _role_lasts(self.kb) \
                    and doc[e].ent_type_ not in ("DATE", "TIME", "GPE", "NORP") \
                    and not (s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].text[:1].isupper()):
                continue  # a surname that begins a longer name is someone else's ("Khamis Mushait" is a city)
            if entry.kind == "person" and e - s == 1 and e + 1 < len(doc) and doc[e].text == "-" \
                    and not doc[s].whitespace_ and doc[e + 1].text[:1].isupper():
                continue  # and so does one hyphenated to another name ("the Austin-Morris company")
            for i in range(s, e):
                taken[i] = (s, e, entry)
        return taken

    @staticmethod
    def _choose(entries: list[Entry], date: str | None) -> Entry | None:
        people = [e for e in entries if e.kind == "person"]
        if people:
            return pick_person(people, date)
        if date:  # imported rows may carry dates (a country code before/after a date)
            entries = [e for e in entries if not ((e.start and date < e.start) or (e.end and date > e.end))] or entries
        for kind in ("org", "country", "capital", "adjective"):
            for e in entries:
                if e.kind == kind:
                    return e
        return entries[0]

    # ----------------------------------------------------------------- mentions
    def __call__(self, parsed: Parsed) -> ActorLayer:
        doc = parsed.doc
        date = parsed.document.published
        kbm = self.kb_matches(doc, date)
        sent_of = {}
        for si, sent in enumerate(parsed.sents):
            for i in range(sent.start, sent.end):  # indices, not Token objects
                sent_of[i] = si

        heads: dict[int, str] = {}  # head token -> why
        roles: dict[int, tuple[int, str]] = {}
        # only tokens whose form or lemma ends a role term can end one (array test, no Token objects)
        for i in self._role_filter.tokens(doc):
            r = _role_at(doc, i, self.kb)
            if r:
                roles[i] = r
        for i, (s, e, entry) in kbm.items():
            if i == e - 1:
                if entry.kind == "adjective" and not self._adjective_is_noun(doc[i]):
                    continue
                heads[i] = entry.kind
        for i, term in self._misspelt_roles(doc).items():
            roles.setdefault(i, (i, term))
        for i in list(roles):
            # "Syrian opposition members", "army trainees", "party supporters": people of the body the role
            # noun before them names have its role, and the mention is headed by the people
            h = doc[i].head
            if doc[i].dep_ == "compound" and h.i == i + 1 and h.i not in roles and h.lemma_.lower() in MEMBER_HEADS \
                    and not (h.lemma_.lower() in SIDING_HEADS and self.kb.roles[roles[i][1]].sector in STATE_SECTORS):
                # (but "government supporters" are not the government)
                roles[h.i] = (roles[i][0], roles.pop(i)[1])
        for i in roles:
            heads.setdefault(i, "role")
        for ent in doc.ents:
            if (ent.label_ in ("PERSON", "ORG", "GPE", "NORP") or (ent.label_ == "LOC" and self.places)) \
                    and ent.end - 1 not in kbm:
                last = doc[ent.end - 1]
                if ent.label_ == "NORP" and not self._adjective_is_noun(last):
                    continue
                heads.setdefault(ent.end - 1, ent.label_.lower())
        for i in _PRONOUN_FILTER.tokens(doc):
            tok = doc[i]
            low = tok.lower_
            if tok.pos_ == "PRON" and (low in PERSON_PRONOUNS or low in GROUP_PRONOUNS or low in THING_PRONOUNS):
                heads.setdefault(tok.i, "pronoun")

        spans = []
        for h, why in heads.items():
            s, e = self._extent(doc, h, kbm, roles, why)
            spans.append((s, e, h, why))
        # outermost first: a mention inside a longer one is part of it
        spans.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        used: set[int] = set()
        mentions: list[Mention] = []
        for s, e, h, why in spans:
            if any(i in used for i in range(s, e)):
                # keep a head that is not covered by the accepted span (e.g. appositions)
                if h in used:
                    continue
                s = h
                while s - 1 >= 0 and s - 1 not in used and doc[s - 1].i in kbm and kbm[s - 1][1] - 1 >= h:
                    s -= 1
                e = h + 1
                if any(i in used for i in range(s, e)):
                    continue
            used.update(range(s, e))
            m = Mention(s, e, h, sentence=sent_of.get(h, 0))
            self._resolve(parsed, m, kbm, roles, why)
            if m.actors:
                mentions.append(m)
        mentions.sort(key=lambda m: m.start)
        if self.places:
            self._code_places(doc, mentions, kbm)
            _misspelt_countries(doc, mentions, self.kb, sent_of)
            self._place_of(doc, mentions)
            _shared_states(doc, mentions)
            # a region or landform the gazetteer cannot place ("the Jaffna peninsula") is no actor
            mentions = [m for m in mentions if m.actors[0].code or doc[m.head].ent_type_ != "LOC" or m.role]
        self._misspelt_people(doc, mentions, date)
        self._appositions(doc, mentions)
        self._owned_roles(doc, mentions)
        self._shared_heads(doc, mentions, kbm)
        self._local_acronyms(doc, mentions)
        focus = self._focus(mentions)
        self._coref(parsed, mentions, focus)
        mentions = self._the_country(parsed, mentions, sent_of)
        # "KABUL, Afghanistan (AP) --", "Goma, DR Congo:": where the report was filed from names no actor (it
        # still tells the report's country and the context of the sentence, above)
        datelines = [d for d in (_dateline_end(sent, kbm) for sent in parsed.sents) if d is not None]
        outside = {i for s, e in datelines for i in range(s, e)}
        if outside:
            mentions = [m for m in mentions if m.start not in outside]
        by_token = {}
        for m in mentions:
            for i in range(m.start, m.end):
                by_token[i] = m
        modifiers: dict[int, Actor] = {}
        text = parsed.document.text
        for i, (s, e, entry) in kbm.items():
            if entry.kind in COUNTRY_KINDS and i not in by_token:
                a0, a1 = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
                modifiers[i] = Actor(text[a0:a1], a0, a1, entry.code, None, entry.name, how="kb-" + entry.kind)
        return ActorLayer(mentions, by_token, focus, modifiers, text, outside)

    @staticmethod
    def _owned_roles(doc: Doc, mentions: list[Mention]) -> None:
        """A role an organisation owns is the organisation's: "The European Union's foreign policy chief" is
        IGO, "NATO's secretary general" IGO (a country owning a role is part of the mention already)."""
        by_token = {i: m for m in mentions for i in range(m.start, m.end)}
        for m in mentions:
            a = m.actors[0]
            if not m.role or m.kind == "pronoun" or (a.code and not a.how.startswith("context")):
                continue
            for c in doc[m.head].children:
                owner = by_token.get(c.i) if c.dep_ == "poss" else None
                if owner is not None and owner is not m and owner.kind == "org" and owner.actors[0].code:
                    a.code, a.how = owner.actors[0].code, "org-owner"
                    break

    def _appositions(self, doc: Doc, mentions: list[Mention]) -> None:
        """A name and its apposition are one actor: "Kenzo Oshima, the United Nations Emergency Relief
        Coordinator" is IGO; "the army chief, Gen. Abdel Fattah al-Burhan" is the army's. A side with no
        code takes the other's code (and its sector, when it has none; ``how`` gains "appos"); a name the NER
        took for a place is a person when its apposition is a person or an organisation's title."""
        by_token = {i: m for m in mentions for i in range(m.start, m.end)}
        for m in mentions:
            for c in doc[m.head].children:
                other = by_token.get(c.i) if c.dep_ == "appos" else None
                if other is not None and any(inverted_report(x) is not None for x in c.children):
                    continue  # "..., a human rights group protested": no apposition, the report's speaker
                if other is None or other is m or other.kind == "pronoun" or m.kind == "pronoun":
                    continue
                for x, y in ((m, other), (other, m)):
                    a, b = x.actors[0], y.actors[0]
                    if x.kind == "person" and (y.kind != "person" or (y.role and doc[y.head].ent_type_ != "PERSON")) \
                            and b.code in NON_STATE_CODES and a.code and a.code not in NON_STATE_CODES:
                        # "Kenzo Oshima, the United Nations Emergency Relief Coordinator": the international
                        # office the apposition names is the capacity he acts in
                        a.code, a.how = b.code, a.how + "+appos-capacity"
                        a.sector = b.sector or a.sector
                        continue
                    if a.code is None and b.code:
                        if x.kind == "country" and y.kind in ("person", "org"):
                            x.kind = "person"  # "Oshima, the ... Coordinator": a name the NER took for a place
                        a.code, a.how = b.code, (a.how + "+" if a.how else "") + "appos"
                        if a.sector is None:
                            a.sector = b.sector

    def _misspelt_roles(self, doc: Doc) -> dict[int, str]:
        """token index -> role term for a noun one letter from a one-word role term the KB has, when no
        other such term is that close: "UN peackeepers" are peacekeepers (MIL), "guerillas" guerrillas.
        Both words nine letters or more, the edit not in the last three letters (so "villages" is not
        "villagers", nor a plural its singular); decided once per word form and kept."""
        cache = self.__dict__.setdefault("_fuzzy_roles", {})
        if len(cache) > 200_000:
            cache.clear()
        out: dict[int, str] = {}
        arr = doc.to_array([LOWER, POS])
        for i in numpy.flatnonzero((arr[:, 1] == NOUN) | (arr[:, 1] == PROPN)).tolist():
            h = int(arr[i, 0])
            term = cache.get(h)
            if term is None:
                term = cache[h] = self._near_role(doc.vocab.strings[h])
            if term and doc[i].ent_type_ != "PERSON":
                out[i] = term
        return out

    def _near_role(self, low: str) -> str:
        if len(low) < 9 or not low.isalpha() or low in self.kb.roles:
            return ""
        forms = self.__dict__.get("_role_forms")
        if forms is None:
            forms = self.__dict__["_role_forms"] = {}
            for t in self.kb.roles:
                if len(t) >= 9 and t.isalpha():
                    forms.setdefault((t[0], len(t)), []).append(t)
        near = []
        for n in (len(low) - 1, len(low), len(low) + 1):
            for t in forms.get((low[0], n), ()):
                if _one_edit(low, t):
                    first = next((k for k in range(min(len(low), len(t))) if low[k] != t[k]), min(len(low), len(t)))
                    if first < min(len(low), len(t)) - 3:
                        near.append(t)
        return near[0] if len(near) == 1 else ""

    @staticmethod
    def _local_acronyms(doc: Doc, mentions: list[Mention]) -> None:
        """An acronym a report defines in brackets ("the Turkish Armed Forces (TAF)") stands for that actor
        when it recurs alone ("TAF deployed tanks"), whether or not the KB knows it."""
        defined: dict[str, Actor] = {}
        for m in mentions:
            a = m.actors[0] if m.actors else None
            if a is None:
                continue
            if m.end - m.start >= 4 and doc[m.end - 1].text == ")" and doc[m.end - 3].text == "(" and a.code:
                defined[doc[m.end - 2].text] = a
            elif m.end - m.start == 1 and doc[m.head].text in defined and len(m.actors) == 1 \
                    and (a.code is None or a.how.startswith("kb")) and m.kind in ("org", "country", "group"):
                d = defined[doc[m.head].text]
                a.code, a.sector, a.name = d.code, d.sector, d.name or d.text
                a.antecedent, a.how = (d.start, d.end), "coref-acronym"
                m.kind = "org"

    @staticmethod
    def _shared_heads(doc: Doc, mentions: list[Mention], kbm: dict[int, tuple[int, int, Entry]]) -> None:
        """Coordinated nationalities share the noun after the last one: in "Sierra Leonean and Liberian
        refugees" the parser often makes the first a noun of its own, yet both are refugees (SLE REF,
        LBR REF), as "Israeli and U.S. interests" are two actors of one kind."""
        by_start = {m.start: m for m in mentions}
        for m in mentions:
            a = m.actors[0] if len(m.actors) == 1 else None
            hit = kbm.get(m.end - 1)
            if a is None or m.role or a.sector is not None or a.code is None or hit is None \
                    or hit[2].kind != "adjective" or m.end + 1 >= len(doc) or doc[m.end].lower_ not in ("and", "or"):
                continue
            n = by_start.get(m.end + 1)
            first = kbm.get(m.end + 1)
            if n is None or not n.role or len(n.actors) != 1 or n.actors[0].sector is None or first is None \
                    or first[2].kind != "adjective" or first[1] > n.head:
                continue
            a.sector, a.how = n.actors[0].sector, a.how + "+shared-head"
            m.role, m.kind, m.plural = n.role, n.kind, n.plural

    def _person_forms(self) -> dict[tuple[str, int], list[str]]:
        """The KB's person names and surnames of seven letters or more, accents folded, by (first letter,
        length); built once per resolver."""
        cached = self.__dict__.get("_pforms")
        if cached is None:
            cached = {}
            for form, entries in self.table.items():
                if len(form) >= 7 and any(e.kind == "person" for e in entries):
                    f = _fold(form)
                    cached.setdefault((f[0], len(f)), []).append(form)
            self.__dict__["_pforms"] = cached
        return cached

    def _misspelt_people(self, doc: Doc, mentions: list[Mention], date: str | None) -> None:
        """A person's name the KB lacks, one letter away from one it has ("President Francois Mitterand",
        "Laurent Gbago", "Abdelaziz Bouteflicka"): wire copy misspells names, and the actor is lost without
        its country. The whole name is tried first, then the surname; names of seven letters or more,
        same first letter, one edit after folding accents, and only when one KB person is that close
        (``how`` = "kb-misspelt-person")."""
        for m in mentions:
            a = m.actors[0] if m.actors else None
            if a is None or a.code is not None or m.kind == "pronoun":
                continue
            names = [t for t in doc[m.start:m.end] if t.pos_ == "PROPN" and t.ent_type_ == "PERSON"]
            if not names or names[-1].i != m.head:
                continue
            first = names[0].i
            while first - 1 >= m.start and doc[first - 1].pos_ == "PROPN" and doc[first - 1].ent_type_ == "PERSON":
                first -= 1
            forms = self._person_forms()
            for cand in (doc[first:m.head + 1].text, doc[m.head].text):
                low = _fold(cand.lower())
                if len(low) < 7:
                    continue
                hits = {f for n in (len(low) - 1, len(low), len(low) + 1) for f in forms.get((low[0], n), ())
                        if _one_edit(low, _fold(f))}
                people = {e.name for f in hits for e in self.table[f] if e.kind == "person"}
                if len(people) != 1:
                    continue
                e = pick_person([e for f in hits for e in self.table[f] if e.kind == "person"], date)
                if e is not None:
                    a.code, a.name, a.how = e.code, e.name, "kb-misspelt-person"
                    a.sector = a.sector or e.sector  # a role in the mention ("General ...") keeps its sector
                    m.kind = "person"
                    break

    @staticmethod
    def _adjective_is_noun(tok: Token) -> bool:
        """'the Iranians' / 'Israelis said' are actors; 'Iraqi' in 'Iraqi troops' is a modifier."""
        if tok.dep_ in ("amod", "compound", "nmod") and tok.head.i > tok.i:
            return False
        return tok.tag_ in ("NNS", "NNPS") or tok.text.endswith("s") or tok.dep_ in ("nsubj", "dobj", "pobj")

    def _extent(self, doc: Doc, h: int, kbm, roles, why: str) -> tuple[int, int]:
        if why == "pronoun":
            return h, h + 1
        end = h + 1
        start = h
        if h in kbm:
            start = min(start, kbm[h][0])
        if h in roles:
            start = min(start, roles[h][0])
        head = doc[h]
        j = start - 1
        while j >= 0:
            t = doc[j]
            if t.is_space or t.text in (",", ";", ":", "(", ")", '"') or t.dep_ == "relcl":
                break
            if t.ent_type_ in ("DATE", "TIME") and head.ent_type_ not in ("DATE", "TIME") and not any(
                    x.lower_ == "old" or x.lower_.endswith("-old") for x in doc[j:head.i]):
                break  # "On 17 July 2017 Russia's Supreme Court": the date is no part of the name (an age is)
            if not self._inside(t, head) and not (
                    j == start - 1 and head.dep_ == "compound" and t.dep_ == "amod" and t.head.i == head.head.i
                    and j in kbm and kbm[j][2].kind == "adjective" and h in roles
                    and self.kb.roles[roles[h][1]].kind == "group"):
                # (but "Syrian government missiles": the parser hangs the adjective on the compound's head noun,
                # while it names the body's state)
                break
            owner_country = j - 1 >= 0 and j - 1 in kbm and kbm[j - 1][2].kind in ("country", "capital") \
                and doc[j - 1].dep_ == "poss"
            if t.dep_ == "case" and j == start - 1 and not (
                    owner_country and any(rs <= j + 1 <= ri or (j + 1 < rs and all(
                        doc[k].dep_ in ("amod", "compound", "nummod", "advmod") for k in range(j + 1, rs)))
                        for ri, (rs, _t) in roles.items())):
                # "Israel 's strike": the possessor is its own mention; a country owning a role noun is
                # where the role belongs ("Montenegro's prime minister", "Israel's army", "Romania's new
                # government")
                break
            if t.tag_ == "VBN" and t.dep_ == "amod" and t.lemma_.lower() in HELD_BY:
                break  # "the Israeli-occupied Golan Heights", "Russian-held Crimea": the holder is not the place's state
            if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") and not (
                    j + 1 < len(doc) and doc[j + 1].text == "-"):
                break
            if t.pos_ == "ADJ" and t.dep_ == "amod" and j in kbm and kbm[j][2].kind == "adjective":
                pass
            start = j
            j -= 1
        while start < h and (doc[start].dep_ in ("cc", "punct", "case") or doc[start].pos_ == "ADP"
                             or (doc[start].lower_ == "to" and start > 0 and doc[start - 1].lower_ == "up")):
            start += 1  # "(up) to 200 protesters": a mention does not start with a preposition
        # "militias in Iraq": a place attached to a group noun names where it is
        if h in roles and self.kb.roles[roles[h][1]].kind == "group":
            for child in head.rights:
                if child.dep_ == "prep" and child.lower_ == "in":
                    for p in child.children:
                        if p.dep_ == "pobj" and p.i in kbm and kbm[p.i][2].kind in ("country", "capital"):
                            end = max(end, kbm[p.i][1])
        # a name's acronym in brackets is part of the mention: "the Nigerian Air Force (NAF)"
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and head.pos_ == "PROPN" \
                and doc[end + 1].text.isupper() and 2 <= len(doc[end + 1].text) <= 8:
            end += 3
        return start, end

    @staticmethod
    def _inside(t: Token, head: Token) -> bool:
        """t is in head's noun phrase: reached from head through noun-phrase dependencies."""
        x = t
        for _ in range(8):
            if x.i == head.i:
                return True
            if x.dep_ not in NP_DEPS or x.head.i == x.i:
                return False
            x = x.head
        return False

    # --------------------------------------------------------------- resolution
    def _resolve(self, parsed: Parsed, m: Mention, kbm, roles, why: str) -> None:
        doc = parsed.doc
        text = parsed.document.text
        head = doc[m.head]
        m.plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in GROUP_PRONOUNS
        if why == "pronoun":
            m.kind = "pronoun"
            m.plural = head.lower_ in GROUP_PRONOUNS
            m.actors = [Actor(head.text, head.idx, head.idx + len(head.text), kind="pronoun")]
            return
        # KB matches inside the mention, grouped by distinct match
        seen = set()
        matches: list[tuple[int, int, Entry]] = []
        affiliation: set[int] = set()
        for i in range(m.start, m.end):
            if i in kbm and kbm[i][:2] not in seen:
                seen.add(kbm[i][:2])
                s, e, entry = kbm[i]
                if e < len(doc) - 1 and doc[e].text == "-" and doc[e + 1].lower_ in AFFILIATION_WORDS:
                    affiliation.add(s)
                    continue
                if s >= 2 and doc[s - 1].text == "-" and doc[s - 2].lower_ in STANCE_PREFIXES:
                    continue  # "an anti-Syria journalist", "pro-Iranian militias": a stance, not a nationality
                matches.append(kbm[i])
        person = next((x for x in matches if x[2].kind == "person"), None)
        org = next((x for x in reversed(matches) if x[2].kind == "org"), None)
        countries = [x for x in matches if x[2].kind in COUNTRY_KINDS]
        if head.text[:1].isupper() and head.lower_ in NAMED_FEATURES and all(e <= m.head for _s, e, _x in countries):
            # "the South China Sea", "the Persian Gulf", "the Indian Ocean": a feature's name, not the country
            countries = []
        role_term = None
        role_sector = None
        if any(s <= m.head < e and x.kind in ("country", "capital") for s, e, x in countries):
            roles = {}  # "the West Bank": a word of a place's name is no role noun ("bank")
        if m.head in roles:
            role_term = roles[m.head][1]
        else:
            for i in range(m.end - 1, m.start - 1, -1):
                if i in roles:
                    role_term = roles[i][1]
                    break
        if role_term:
            role_sector = self.kb.roles[role_term].sector
            if role_term in HIRED_ROLES and role_sector not in ("CVL", "REF") and any(
                    c.dep_ in ("amod", "compound") and c.lower_ == "civilian" for c in doc[m.head].children):
                # "civilian advisers", "civilian staff": hired people who are not soldiers or officials
                # (but "civilian officials", "civilian leaders" are the government, as opposed to the army)
                role_sector = "CVL"
        m.role = role_term
        code = sector = name = None
        how = ""
        if person and person[1] < m.head + 1 and role_term and self.kb.roles[role_term].kind == "group":
            # "the Biden administration": a person's name modifying a group noun gives the country
            code, how = person[2].code, "kb-person"
        elif person:
            e = person[2]
            code, sector, name, how = e.code, e.sector, e.name, "kb-person"
            m.kind = "person"
            # (a dictionary may hold the title as part of the name: "President Reagan")
            title = role_sector in TITLE_SECTORS and any(
                i in roles and roles[i][1] == role_term for i in range(m.start, m.head)) and not any(
                doc[i].lower_ in FORMER_WORDS for i in range(m.start, m.head))
            if title and sector != role_sector and (sector in TITLE_SECTORS or sector in ("ELI", "IGO", None)):
                # the title the report gives wins over the KB's office: "General Michel Aoun" (head of a
                # military government in the KB) acts as a soldier, "President al-Burhan" as head of state,
                # "President Reagan" as president whatever date the KB reads his term against
                sector, how = role_sector, how + "+title"
            if org is not None and org[1] <= person[0] and org[2].code in NON_STATE_CODES and code != org[2].code:
                # an international body named before the person gives the capacity the report speaks of:
                # "U.N. mediator Diego Cordovez" acts for the UN, whatever country a dictionary gives him
                code, how = org[2].code, how + "+capacity"
                if role_sector:
                    sector = role_sector
        elif org:
            e = org[2]
            code, sector, name, how = e.code, e.sector, e.name, "kb-org"
            m.kind = "org"
        span_start = doc[m.start].idx
        span_end = doc[m.end - 1].idx + len(doc[m.end - 1].text)
        actors: list[Actor] = []
        if code is None and countries:
            # coordinated countries: one actor each ("Israeli and U.S. interests")
            heads_of = [c for c in countries if not (c[0] > m.start and doc[c[0] - 1].dep_ == "case")]
            coord = self._coordinated(doc, countries)
            if len(coord) > 1:
                for n, (s, e, entry) in enumerate(coord):
                    a_start = span_start if n == 0 else doc[s].idx
                    actors.append(Actor(text[a_start:span_end], a_start, span_end, entry.code,
                                        role_sector, entry.name if not role_term else None, how="kb-country"))
                m.actors = actors
                m.kind = "country" if not role_term else "group"
                return
            # the country word nearest the head names the actor ("Iraqi Prime Minister ...")
            before = [c for c in heads_of if c[1] <= m.head + 1]
            c = (before or heads_of or countries)[-1]
            code = c[2].code
            how = "kb-" + c[2].kind
            if not role_term:
                m.kind = "country"
                name = c[2].name
                if c[2].kind == "capital" and c[1] == m.end:
                    sector = "GOV"  # "Washington said": the capital stands for the government
        if code is None and role_term:
            # "the president of Armenia", "the prime minister of Nepal": the country after "of"
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for o in c.children:
                        hit = kbm.get(o.i) if o.dep_ == "pobj" else None
                        if hit is not None and hit[2].kind in COUNTRY_KINDS:
                            code, how = hit[2].code, "kb-country-of"
        people = bool(countries) and countries[-1][2].kind == "adjective" and countries[-1][1] - 1 == m.head \
            and head.tag_ in ("NNS", "NNPS") and not any(x[2].kind == "country" for x in countries) \
            and (not any(c.dep_ == "det" for c in head.children)
                 or any(c.dep_ == "prep" and c.lower_ in ("of", "in") for c in head.children))
        # ("the Americans sent troops": with an article and no place, the demonym stands for the state)
        if code is not None and sector is None and not role_term and countries and (
                (countries[0][0] > 0 and doc[countries[0][0] - 1].lower_ == "ethnic") or people):
            # "ethnic Albanians", "ethnic Turks", and a plural demonym as a noun ("the Albanians of southern
            # Serbia", "Palestinians of the West Bank"): people of that descent (civilians), not that state
            sector, how = "CVL", how + "+ethnic"
            m.kind = "group"
        if role_sector and (sector is None or m.kind not in ("person", "org")):
            sector = role_sector if sector is None else sector
        elif role_sector and m.kind == "org" and org is not None and role_sector not in GENERIC_ORG_SECTORS \
                and role_term not in VEHICLES and any(
                i in roles and roles[i][0] >= org[1] for i in range(m.start, m.end)):
            # a role noun after the organisation's name: "Arab League Secretary General (Klibi)" is
            # the League's executive (GOV), "UN peacekeepers" its military (MIL), not the organisation
            # (also an armed group's: the PLOVER gold codes "al-Qaeda leaders" IMG GOV); its vehicles
            # are the organisation's ("Houthi drones" stay REB)
            sector = role_sector
            m.kind = "person" if self.kb.roles[role_term].kind == "person" else "group"
        if role_term and m.kind not in ("person", "org"):
            m.kind = "person" if self.kb.roles[role_term].kind == "person" else "group"
        if m.kind == "group" and not role_term and not code:
            ent_type = head.ent_type_
            if ent_type == "PERSON":
                m.kind = "person"
            elif ent_type in ("GPE", "LOC"):
                m.kind = "country"
            elif ent_type == "ORG":
                m.kind = "org"
        before_head = [doc[i].lower_ for i in range(m.start, m.head)]
        if sector in STATE_SECTORS and m.kind in ("person", "group") and any(w in FORMER_WORDS for w in before_head):
            # "Former Socialist prime minister Andreas Papandreou", "ousted president Aristide", "ex-generals":
            # former officials are elites (CAMEO/PLOVER ELI), not the government
            sector, how = "ELI", how + "+former"
        elif sector in ("PTY", "CVL", "LEG") and "opposition" in before_head:
            sector = "OPP"  # "opposition candidates", "opposition activists"
        if code is None and not role_term and head.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP", "LOC"):
            return  # nothing actor-like
        if m.kind == "person" and not name and head.ent_type_ == "PERSON":
            ent = next((e for e in doc.ents if e.start <= m.head < e.end), None)
            if ent is not None:
                name = ent.text
        m.actors = [Actor(text[span_start:span_end], span_start, span_end, code, sector, name, how=how)]

    @staticmethod
    def _coordinated(doc: Doc, countries: list[tuple[int, int, Entry]]) -> list[tuple[int, int, Entry]]:
        """Country words joined by 'and'/'or' (not one country repeated)."""
        if len(countries) < 2:
            return countries[:1]
        out = [countries[0]]
        for prev, cur in zip(countries, countries[1:]):
            between = {t.lower_ for t in doc[prev[1]:cur[0]]}
            if between & {"and", "or", "&", ","} and cur[2].code != out[-1][2].code:
                out.append(cur)
            else:
                break
        return out

    @staticmethod
    def _code_places(doc: Doc, mentions: list[Mention], kbm) -> None:
        """A named place the KB lacks takes the country the gazetteer puts it in ("Cizre" -> TUR,
        "West Darfur State" -> SDN, "the Gaza Strip" -> PSE), with no sector: PLOVER codes a place that
        is a target (a curfew in a town, an attack on a city) by its country. Read with the countries
        the report names as context; a city must be large enough (or the country named in the report)
        for its reading to be trusted ("Basra" is a hamlet in Pakistan before it is Iraq's port)."""
        def place_slot(h: Token) -> bool:
            # the small model calls many towns ORG or PERSON: trust a place reading only where the
            # syntax asks for a place ("in Quetta", "the city of Quetta")
            if h.pos_ != "PROPN" or h.dep_ != "pobj":
                return False
            prep = h.head
            return prep.lower_ in ("in", "near") or (prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_NOUNS)

        todo = [m for m in mentions if m.actors and m.actors[0].code is None and not m.role and (
            (m.kind == "country" and doc[m.head].ent_type_ in ("GPE", "LOC"))
            or (m.kind in ("org", "person") and place_slot(doc[m.head])))]
        if not todo:
            return
        from ..place import KNOWN_KINDS, MIN_CITY_POP
        from ..place.gazetteer import default_gazetteer, strip_article

        gaz = default_gazetteer()
        doc_ctx = {m.code for m in mentions if m.code and len(m.code) == 3 and m.kind in ("country", "group", "person")}
        doc_ctx |= {e.code for (_s, _e, e) in kbm.values() if e.kind in COUNTRY_KINDS and e.code}
        for m in todo:
            a = m.actors[0]
            name = strip_article(a.text)
            p = gaz.lookup(name, (), doc_ctx)
            if p is None or not p.country:
                continue
            big = p.feature in KNOWN_KINDS or (p.feature == "city" and p.population >= MIN_CITY_POP)
            if not (big or (p.country in doc_ctx and m.kind == "country")):
                continue
            a.code, a.name, a.how = p.country, p.name, "gazetteer-" + p.feature
            m.kind = "country"

    @staticmethod
    def _place_of(doc: Doc, mentions: list[Mention]) -> None:
        """A role noun with no country takes the place it is from or of ("a missionary from Calgary" ->
        CAN, "doctors of Gaza" -> PSE), or the country of the body it belongs to ("leaders of Romania's new
        government" -> ROU, "a delegation from the Iranian parliament" -> IRN); an ethnic group or civilians
        take the place they live in ("ethnic Albanians in south Serbia" -> SRB, CVL; "villagers in Idlib" ->
        SYR), and a body "based in" a place is of it. The place must be a coded country or gazetteer place mention."""
        by_head = {m.head: m for m in mentions}
        for m in mentions:
            a = m.actors[0] if m.actors else None
            ethnic = a is not None and a.how.endswith("+ethnic")
            if a is None or not ((m.role and a.code is None) or ethnic):
                continue
            # (civilians are of where they live too: "villagers in Idlib", "residents in Gaza")
            # (and people work "for" a body: "two inspectors for the International Atomic Energy Agency")
            preps = ("in", "of") if ethnic else ("from", "of", "in") if a.sector == "CVL" else ("from", "of", "for")
            # "a newspaper based in Christian east Beirut": where it is based
            based = [c for v in doc[m.head].children if v.dep_ == "acl" and v.lemma_.lower() in BASED_VERBS
                     for c in v.children if c.dep_ == "prep" and c.lower_ == "in"]
            place = next(((c.lower_, pm) for c in [*doc[m.head].children, *based]
                          if c.dep_ == "prep" and (c.lower_ in preps or c in based)
                          for o in c.children if o.dep_ == "pobj"
                          # ("four people in the Kharkiv and Poltava regions": the place a place noun names)
                          for x in [o, *(k for k in o.children if k.dep_ in ("compound", "nmod", "poss")
                                         and o.lemma_.lower() in PLACE_NOUNS and o.i not in by_head)]
                          if (pm := by_head.get(x.i)) is not None and pm is not m and pm.actors[0].code
                          and (pm.kind == "country" or (not ethnic and pm.kind in ("group", "org") and (
                              _is_country_code(pm.actors[0].code) or c.lower_ == "for")))), None)
            if place is not None:  # the first place phrase decides
                prep, pm = place
                a.code, a.how = pm.actors[0].code, (a.how + "+" if a.how else "") + "place-" + prep
                if a.code in NON_STATE_CODES and pm.actors[0].sector:
                    a.sector = pm.actors[0].sector  # (an international body's staff act for it)

    @staticmethod
    def _focus(mentions: list[Mention]) -> str | None:
        counts = Counter(m.code for m in mentions if m.code and len(m.code) == 3 and m.kind in (
            "country", "group", "person") and m.code not in NON_STATE_CODES)
        return counts.most_common(1)[0][0] if counts else None

    # ---------------------------------------------------------------- coref
    def _coref(self, parsed: Parsed, mentions: list[Mention], focus: str | None) -> None:
        doc = parsed.doc
        for n, m in enumerate(mentions):
            a = m.actors[0]
            if m.kind == "pronoun":
                ante = self._pronoun_antecedent(doc, mentions, n)
                if ante is not None:
                    for b in ante.actors[:1]:
                        a.code, a.sector, a.name = b.code, b.sector, b.name or b.text
                    a.antecedent = (ante.actors[0].start, ante.actors[0].end)
                    a.how = "coref-pronoun"
                elif doc[m.head].lower_ in THING_PRONOUNS:
                    owner = self._owner_state(doc, mentions, n)
                    if owner is not None:
                        a.code, a.sector, a.antecedent, a.how = *owner, "coref-owner"
                continue
            if m.kind == "person" and m.role and not a.name:
                # a role-only mention ("the Iraqi prime minister") points at the person named earlier
                for prev in reversed(mentions[:n]):
                    b = prev.actors[0]
                    if prev.role == m.role and b.name and (a.code is None or b.code == a.code):
                        a.name, a.antecedent, a.how = b.name, (b.start, b.end), a.how + "+coref-role"
                        a.code = a.code or b.code
                        if a.sector is None:
                            a.sector = b.sector
                        break
                else:
                    if a.code is None and m.role not in OTHER_SIDE_ROLES:
                        # an unnamed office or trade ("a spokesman", "a prominent journalist") is of the
                        # sentence's country, else the report's, like an unnamed group
                        ctx = self._context_country(mentions, n)
                        if ctx:
                            a.code, a.how = ctx, "context-sentence"
                        elif focus:
                            a.code, a.how = focus, "context-report"
                continue
            if m.kind == "person" or (a.code is None and doc[m.head].ent_type_ == "PERSON"):
                # a bare surname or name repeats the earlier full mention; a KB person keeps its own
                # (date-aware) code and only gains the link
                last = doc[m.head].lower_
                bare = m.end - m.start == 1

                def same_person(prev: Mention) -> bool:
                    if doc[prev.head].lower_ == last:
                        return True
                    # "Yoon" after "Yoon Suk Yeol", "Li" after "Li Shangfu": a family name written first
                    names = [t.lower_ for t in doc[prev.start:prev.end] if t.pos_ == "PROPN"]
                    return bare and len(names) >= 2 and last in names

                for prev in reversed(mentions[:n]):
                    b = prev.actors[0]
                    if (prev.kind == "person" and (b.code or b.name) and same_person(prev)
                            and prev.end - prev.start > m.end - m.start):
                        a.antecedent = (b.start, b.end)
                        if a.how == "kb-person":
                            a.how = "kb-person+coref-name"
                        else:
                            a.code = a.code or b.code
                            a.sector = a.sector or b.sector
                            a.name = b.name or b.text
                            a.how = "coref-name"
                        break
                continue
            if a.code is not None:
                continue
            if a.code is None and m.kind == "group" and doc[m.start].lower_ in ("its", "their") \
                    and doc[m.start].dep_ == "poss":
                # "The Russian Defence Ministry said its forces had struck": the forces of whom the pronoun
                # stands for, not the last group with the same noun ("Ukraine's air force")
                probe = Mention(m.start, m.start + 1, m.start, kind="pronoun", sentence=m.sentence)
                owner = self._pronoun_antecedent(doc, [*mentions[:n], probe], n)
                if owner is not None and owner.actors[0].code:
                    b = owner.actors[0]
                    a.code, a.antecedent, a.how = b.code, (b.start, b.end), "coref-owner"
                    continue
            if a.code is None and m.kind == "group":
                lemma = doc[m.head].lemma_.lower()
                for prev in reversed(mentions[:n]):
                    b = prev.actors[0]
                    if prev.kind == "group" and b.code and doc[prev.head].lemma_.lower() == lemma:
                        a.code, a.antecedent, a.how = b.code, (b.start, b.end), "coref-head"
                        break
                else:
                    if a.sector == "NGO" and m.role:
                        # "a human rights group", "aid agencies" with no nationality named: the non-state code, as
                        # the PLOVER gold and the Phoenix agents code them (a country nearby is often the other
                        # party: "the rights of Serb refugees, a human rights group protested")
                        a.code, a.how = "NGO", "role-ngo"
                        continue
                    if m.plural and any(doc[i].lower_ in SEVERAL_STATES for i in range(m.start, m.head)):
                        continue  # "European governments", "Western diplomats": several states, none from context
                    ctx = self._context_country(mentions, n) if m.role not in OTHER_SIDE_ROLES else None
                    if ctx:
                        a.code, a.how = ctx, "context-sentence"
                    elif focus and m.role not in OTHER_SIDE_ROLES:
                        a.code, a.how = focus, "context-report"

    @staticmethod
    def _pronoun_antecedent(doc: Doc, mentions: list[Mention], n: int) -> Mention | None:
        m = mentions[n]
        low = doc[m.head].lower_
        fitting: list[Mention] = []
        # an object pronoun is not its own clause's subject ("Trump called Erdogan and urged him": him is
        # not Trump)
        subject = _clause_subject(doc[m.head])
        for prev in reversed(mentions[max(0, n - 12):n]):
            if prev.kind == "pronoun" or m.sentence - prev.sentence > 2:
                continue
            if subject is not None and prev.start <= subject.i < prev.end:
                continue
            # an uncoded antecedent counts only for "he"/"she": a named person or an office holder the KB
            # does not know ("President Laurent Gbago said he ...") is still who the pronoun stands for
            # (and for "they": "the rebels said they ..." are the rebels, coded or not)
            if not prev.actors[0].code and not (low in PERSON_PRONOUNS and prev.kind == "person"
                                                and (prev.actors[0].sector or prev.actors[0].name)) \
                    and not (low == "they" and prev.kind == "group" and prev.plural and prev.actors[0].sector):
                continue
            if ((low in PERSON_PRONOUNS and prev.kind == "person")
                    or (low in GROUP_PRONOUNS and (prev.plural or len(prev.actors) > 1) and (
                        prev.kind != "person" or (prev.plural and prev.role)))  # "Palestinian leaders ... they"
                    # an armed group or party is "they" as often as "it" ("the Houthis claimed that they had
                    # attacked", "FARC said they will release")
                    or (low in GROUP_PRONOUNS and prev.kind == "org" and prev.actors[0].sector in PLURAL_ORG_SECTORS)
                    or (low in THING_PRONOUNS and prev.kind in ("country", "org", "group") and not prev.plural)):
                fitting.append(prev)
        if not fitting:
            return None
        # the subject of the nearest sentence with a fitting mention is the most salient ("Tsai met
        # McCarthy. She ..." is Tsai); else the nearest mention
        nearest = fitting[0].sentence
        for prev in fitting:
            if prev.sentence == nearest and doc[prev.head].dep_ in ("nsubj", "nsubjpass"):
                return prev
        return fitting[0]

    @staticmethod
    def _the_country(parsed: Parsed, mentions: list[Mention], sent_of: dict[int, int]) -> list[Mention]:
        """"The country" (or "the nation") outside any mention is the state named as a subject last, else the
        state named last, in its sentence or the two before: "Bangladesh said it cannot accept refugees from
        Myanmar, the first time the country has threatened to close its borders" is Bangladesh. "His country"
        is the country of the one the pronoun stands for ("Putin said his country will not lift the ban").
        A mention of kind country with that state's code (``how`` = "coref-country", ``antecedent`` its
        span); none where no state is named so near."""
        doc = parsed.doc
        taken = {i for m in mentions for i in range(m.start, m.end)}
        pronouns = {m.head: m for m in mentions if m.kind == "pronoun"}
        out = list(mentions)
        for t in doc:
            if t.lower_ not in ("country", "nation") or t.i in taken or t.tag_ != "NN" or any(
                    c.dep_ in ("amod", "compound", "prep") and (c.ent_type_ in ("GPE", "NORP") or c.lower_ == "of")
                    for c in t.children):
                continue  # (not "the country of Iraq", "the Iraqi nation": those name it themselves)
            det = next((c for c in t.children if c.dep_ == "det" and c.lower_ == "the"), None)
            # "his country": the country of the one the pronoun stands for ("Putin said his country will not ...")
            owner = next((pronouns[c.i] for c in t.children if c.dep_ == "poss" and c.i in pronouns), None)
            if owner is not None and owner.actors[0].code and owner.actors[0].antecedent:
                ante, start = owner.actors[0], owner.start  # (its antecedent: the speaker's mention)
                span, name = ante.antecedent, None  # (the speaker's name is not the country's)
            elif det is not None:
                si = sent_of.get(t.i, 0)
                near = [m for m in reversed(mentions) if m.start < t.i and si - m.sentence <= 2
                        and m.kind == "country" and m.actors[0].code and len(m.actors[0].code) == 3
                        and m.actors[0].code not in NON_STATE_CODES]
                # the state that is a subject, nearest first ("Bangladesh said it cannot accept refugees from
                # Myanmar, the first time the country has ..."), else the nearest state
                state = next((m for m in near if doc[m.head].dep_ in ("nsubj", "nsubjpass")), near[0] if near else None)
                if state is None:
                    continue
                ante, start = state.actors[0], det.i
                span, name = (ante.start, ante.end), ante.name
            else:
                continue
            a0, a1 = doc[start].idx, t.idx + len(t.text)
            m = Mention(start, t.i + 1, t.i, sentence=sent_of.get(t.i, 0), kind="country")
            m.actors = [Actor(parsed.document.text[a0:a1], a0, a1, ante.code, None, name, how="coref-country",
                              antecedent=span)]
            if owner is not None:
                out = [x for x in out if x is not owner]  # "his country" is one mention, of the country
            out.append(m)
        out.sort(key=lambda m: m.start)
        return out

    @staticmethod
    def _owner_state(doc: Doc, mentions: list[Mention], n: int) -> tuple[str, str | None, tuple[int, int]] | None:
        """What an "it" with no antecedent stands for when its sentence names a state only as the owner of an
        office or a body: the state for an office holder ("Turkey's president says it will begin ..."), the
        body itself ("Britain's Royal Marines said it will not release ..."). Code, sector, character span."""
        m = mentions[n]
        for prev in reversed(mentions[:n]):
            if prev.sentence != m.sentence:
                break
            first, b = doc[prev.start], prev.actors[0]
            if prev.kind in ("person", "group") and first.dep_ == "poss" and b.how == "kb-country" and b.code \
                    and first.pos_ == "PROPN":
                if prev.kind == "group":
                    return b.code, b.sector, (b.start, b.end)
                return b.code, None, (first.idx, first.idx + len(first.text))
        return None

    @staticmethod
    def _context_country(mentions: list[Mention], n: int) -> str | None:
        m = mentions[n]
        for prev in reversed(mentions[:n]):
            if prev.sentence != m.sentence:
                break
            if prev.kind in ("country", "group") and prev.code and len(prev.code) == 3 \
                    and prev.code not in NON_STATE_CODES:
                return prev.code
        return None


def _shared_states(doc: Doc, mentions: list[Mention]) -> None:
    """People "of" or "from" several states are the people of each, one actor each over the other states'
    names ("The foreign ministers of Armenia and Azerbaijan", "diplomats from Latvia, Estonia and
    Lithuania"; ``how`` gains "+shared"). Only plural role nouns whose code came from that phrase."""
    by_head = {m.head: m for m in mentions}
    for m in mentions:
        a = m.actors[0] if m.actors else None
        if a is None or not m.role or doc[m.head].tag_ not in ("NNS", "NNPS") or not a.how.endswith(
                ("kb-country-of", "place-of", "place-from")):
            continue
        for c in doc[m.head].children:
            if c.dep_ != "prep" or c.lower_ not in ("of", "from"):
                continue
            for o in c.children:
                for x in (o.conjuncts if o.dep_ == "pobj" else ()):
                    xm = by_head.get(x.i)
                    if xm is not None and xm.kind == "country" and xm.actors[0].code \
                            and xm.actors[0].code not in {b.code for b in m.actors}:
                        b = xm.actors[0]
                        m.actors.append(Actor(b.text, b.start, b.end, b.code, a.sector, None, how=a.how + "+shared"))


#: adjectives naming several states at once ("European governments", "Western diplomats", "Gulf states")
SEVERAL_STATES = {"european", "african", "arab", "western", "asian", "latin", "gulf", "nordic", "baltic", "balkan",
                  "scandinavian", "foreign", "international", "allied", "neighbouring", "neighboring"}
#: participles naming who holds a place ("Israeli-occupied", "rebel-held"), which is not the place's state
HELD_BY = {"hold", "control", "occupy", "run", "administer"}
#: participles that say where a body is based ("a newspaper based in Beirut"; troops "stationed" or "deployed"
#: somewhere are often foreign, so those are left out)
BASED_VERBS = {"base", "headquarter", "locate"}
#: sectors of the state's own people, whom "former" makes elites (ELI)
STATE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY"}
#: words that make an office holder a former one ("ex-president" is split into "ex", "-", "president")
FORMER_WORDS = {"former", "ex", "ousted", "deposed", "exiled", "toppled", "onetime", "one-time", "erstwhile",
                "retired"}


def _country_forms(kb: KB) -> dict[tuple[str, int], list[Entry]]:
    """KB country names and adjectives of six letters or more, by (first letter, length); built once
    per KB and kept on it."""
    cached = kb.__dict__.get("_country_forms")
    if cached is not None:
        return cached
    out: dict[tuple[str, int], list[Entry]] = {}
    for e in kb.entries:
        if e.kind in ("country", "adjective") and len(e.form) >= 6 and " " not in e.form and e.form.isalpha():
            f = e.form.lower()
            out.setdefault((f[0], len(f)), []).append(e)
    kb.__dict__["_country_forms"] = out
    return out


def inverted_report(v: Token) -> Token | None:
    """The reported clause of a sentence-final report the parser hung on the clause's last noun: in "Croatian
    authorities are failing to uphold the rights of refugees, a human rights group protested", "protested"
    reads as a modifier of "a human rights group", itself an apposition of "refugees". Returns the reported
    clause's verb (the sentence root) when ``v`` is such a verb: a verb of reporting in the past tense (tagged
    either way) with no object or phrase of its own but a date, modifying a noun placed after a comma, with the
    root verb before it."""
    if v.dep_ != "acl" or v.tag_ not in ("VBD", "VBN") or v.head.dep_ != "appos" \
            or v.lemma_.lower() not in REPORT_VERBS \
            or any(c.dep_ in ("dobj", "agent", "aux", "auxpass", "prep") and not (
                c.dep_ == "prep" and all(x.ent_type_ in ("DATE", "TIME") for x in c.subtree if x.dep_ == "pobj"))
                for c in v.children):
        return None  # (a participle with an object, "by", an auxiliary or a phrase of its own is a modifier:
        # "an aid worker imprisoned in Egypt", "a national accused of plotting")
    first = v.head.left_edge.i
    root = v.sent.root
    if first == 0 or v.doc[first - 1].text != "," or root.pos_ not in ("VERB", "AUX") or root.i > v.i:
        return None
    return root


#: verbs of a report that may close a sentence ("..., a rights group protested")
REPORT_VERBS = {"say", "protest", "complain", "allege", "claim", "charge", "add", "insist", "argue", "report",
                "state", "warn", "note", "tell", "write", "announce", "declare"}
#: what ends a dateline ("BAGHDAD (Reuters) -", "Goma, DR Congo:")
DATELINE_ENDS = {"—", "–", "--", "-", ":"}


def _dateline_end(sent, kbm: dict) -> tuple[int, int] | None:
    """The token range of a dateline opening a sentence: at most eight tokens of names, commas and a
    bracketed agency, then a dash or a colon, where the first word is a place in capitals ("KABUL") or the
    names include a country or capital the KB knows ("Goma, DR Congo:")."""
    doc = sent.doc
    start = sent.start
    for k in range(start + 1, min(sent.end - 1, start + 9)):
        t = doc[k]
        if t.text in DATELINE_ENDS:
            words = [x for x in doc[start:k] if not x.is_punct]
            if not words or not all(x.pos_ == "PROPN" or x.text.isupper() for x in words):
                return None
            nxt = doc[k + 1]
            if not (nxt.text[:1].isupper() or nxt.is_punct or nxt.like_num):
                return None  # the story starts after a dateline: "US-led forces", "UN-backed talks" are none
            first = doc[start]
            place = (first.text.isupper() and len(first.text) >= 3 and first.is_alpha) or any(
                i in kbm and kbm[i][2].kind in ("country", "capital") for i in range(start, k))
            return (start, k) if place else None
        if not (t.pos_ == "PROPN" or t.is_punct or t.text.isupper()):
            return None
    return None


def _clause_subject(p: Token) -> Token | None:
    """The subject of the clause whose object pronoun ``p`` is ("urged him": the one who urged), through a
    preposition ("spoke to him") and coordinated verbs ("called Erdogan and urged him"); None for a
    subject or possessive pronoun."""
    if p.dep_ not in ("dobj", "dative", "pobj") or p.lower_ in ("himself", "herself", "themselves", "itself"):
        return None
    v = p.head
    if p.dep_ == "pobj":
        if v.dep_ != "prep":
            return None
        v = v.head
    for _ in range(3):
        if v.pos_ not in ("VERB", "AUX"):
            return None
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
        if v.dep_ != "conj" or v.head.i == v.i:
            return None
        v = v.head
    return None


def _spelled_out_before(doc: Doc, i: int) -> bool:
    """Token ``i`` is an acronym in brackets whose words come right before it: "armoured personnel
    carriers (APC)", "the Turkish Armed Forces (TAF)" (initials of the words before the bracket, short
    function words skipped)."""
    tok = doc[i]
    acr = tok.text.replace(".", "")
    if not (2 <= len(acr) <= 8 and acr.isupper() and i >= 2 and doc[i - 1].text == "(" and i + 1 < len(doc)
            and doc[i + 1].text == ")"):
        return False
    initials = []
    k = i - 2
    while k >= 0 and len(initials) < len(acr) + 3 and not doc[k].is_punct:
        w = doc[k].text
        if w.lower() not in ("of", "and", "the", "for", "-", "&", "de", "du", "des", "la", "le") and w[:1].isalpha():
            initials.append(w[0].upper())
            if "".join(reversed(initials)) == acr.upper():
                return True
        k -= 1
    return False


def _fold(s: str) -> str:
    """Lower case without accents: "François" -> "francois"."""
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one inserted, deleted or replaced letter, or two swapped neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i:] == b[i + 1:]


def _misspelt_countries(doc: Doc, mentions: list[Mention], kb: KB, sent_of: dict[int, int]) -> None:
    """A one-word place or nationality the KB and the gazetteer do not know, one letter away from a
    country's name or adjective ("Afganistan" -> AFG, when the parser tags it a place): news copy has
    typos, and the event is lost without its country. Names of six letters or more, same first letter, one edit,
    and only when exactly one country is that close."""
    forms = _country_forms(kb)

    def country_of(tok: Token) -> Entry | None:
        low = tok.lower_
        codes = {e.code: e for n in (len(low) - 1, len(low), len(low) + 1)
                 for e in forms.get((low[0], n), ()) if _one_edit(low, e.form.lower())}
        return next(iter(codes.values())) if len(codes) == 1 else None

    covered = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
        a = m.actors[0] if m.actors else None
        if a is not None and a.code is None and m.role and len(m.actors) == 1:
            # a misspelt nationality before a role noun: "a group of Chenchen refugees"
            for tok in doc[m.start:m.head]:
                low = tok.lower_
                if tok.text[:1].isupper() and len(low) >= 6 and tok.pos_ in ("PROPN", "ADJ", "NOUN") \
                        and tok.ent_type_ not in ("PERSON", "DATE", "TIME") and not (tok.i and doc[tok.i - 1].text == "-") \
                        and not any(x.form.lower() == low for x in forms.get((low[0], len(low)), ())):
                    # (not a form the KB has, which was left out on purpose: "anti-Russian", "pro-Chinese")
                    e = country_of(tok)
                    if e is not None and e.kind == "adjective":
                        a.code, a.how = e.code, "kb-misspelt"
                        break
            continue
        if a is None or a.code is not None or m.role or m.end - m.start != 1:
            continue
        tok = doc[m.head]
        if tok.pos_ != "PROPN" or tok.ent_type_ not in ("GPE", "NORP", "LOC", "ORG", "") or len(tok.text) < 6:
            continue
        e = country_of(tok)
        if e is not None:
            a.code, a.name, a.how = e.code, e.name or kb.countries.get(e.code, ""), "kb-misspelt"
            if e.kind == "country":
                m.kind = "country"
    # a misspelt country the NER missed altogether ("Ethopia has agreed"): a lone proper noun that fills a
    # role (subject, object, object of a preposition) becomes a mention
    added = False
    propn = numpy.flatnonzero(doc.to_array([POS]) == PROPN)  # (no Token object for every word)
    for i in propn.tolist():
        tok = doc[i]
        if tok.i in covered or tok.ent_type_ not in ("", "ORG") or len(tok.text) < 6 \
                or tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj") or not tok.text[0].isupper() \
                or any(c.dep_ in ("compound", "amod") and c.pos_ == "PROPN" for c in tok.children) \
                or (tok.dep_ == "compound"):
            continue
        e = country_of(tok)
        if e is not None and e.kind == "country":
            a = Actor(tok.text, tok.idx, tok.idx + len(tok.text), e.code, None,
                      e.name or kb.countries.get(e.code, ""), how="kb-misspelt")
            mentions.append(Mention(tok.i, tok.i + 1, tok.i, [a], kind="country", sentence=sent_of.get(tok.i, 0)))
            added = True
    if added:
        mentions.sort(key=lambda m: m.start)


#: geographic features whose names may hold a country word that does not code them
NAMED_FEATURES = {"sea", "ocean", "gulf", "strait", "straits", "bay", "channel", "lake", "river", "mountains",
                  "desert", "peninsula", "basin", "plateau", "islands"}

#: roles that name the other side, never the context's country ("Blinken met his counterpart")
OTHER_SIDE_ROLES = {"counterpart", "counterparts"}

#: people who belong to a body, named after it ("opposition members", "army trainees")
MEMBER_HEADS = {"member", "supporter", "loyalist", "follower", "trainee", "recruit", "cadet", "sympathizer",
                "sympathiser", "backer", "partisan", "adherent"}
#: people who side with a body without belonging to it
SIDING_HEADS = {"supporter", "follower", "sympathizer", "sympathiser", "backer", "partisan", "loyalist"}
#: sectors of the state's own bodies
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
#: organisations that news copy calls "they": armed groups, parties, opposition movements
PLURAL_ORG_SECTORS = {"REB", "PTY", "OPP", "MIL", "INS"}

#: state sectors: a title in one of them before a name wins over the KB's sector for the person
TITLE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}

#: role nouns for people hired by an office, whose sector is the office's unless "civilian" says otherwise
HIRED_ROLES = {"adviser", "advisers", "advisor", "advisors", "staff", "personnel", "employee", "employees",
               "contractor", "contractors", "expert", "experts", "specialist", "specialists", "technician",
               "technicians", "worker", "workers", "instructor", "instructors", "trainer", "trainers"}


_PRONOUN_FILTER = WordFilter(PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS)


def _is_country_code(code: str | None) -> bool:
    """A three-letter country code, not an international or non-state actor code (IGO, NGO, ...)."""
    return bool(code) and len(code) == 3 and code not in NON_STATE_CODES and code != "UAF"


def find_actors(parsed: Parsed, resolver: ActorResolver | None = None) -> ActorLayer:
    return (resolver or ActorResolver())(parsed)
