"""attribution/modality stage: who says so, and how real the event is.

Contract
--------
Input: a :class:`casus.nlp.Parsed`, its :class:`casus.actors.ActorLayer` and the
events of the document. Output: the same events with ``attribution`` (a list of
:class:`casus.records.Source`, outermost first, each with its span and kind) and
``modality`` (one of :data:`MODALITIES`) filled in.

Attribution
    A sentence's reporting construction gives its chain: "U.S. and Israeli
    officials told Axios" -> [Axios (outlet), U.S. and Israeli officials
    (unnamed_officials)]; "al-Akhbar reported, quoting a militia official" ->
    [al-Akhbar, a militia official]; "according to X" -> [X]; "intelligence
    shows" -> an ``intelligence`` source. A definite anaphoric source ("the
    officials said") continues the earlier chain that introduced it. A sentence
    with no attribution of its own continues the previous explicit chain for up
    to two sentences (a passage continues the report), after which the report's
    outlet (the first outlet named as a source, or ``Document.source``) stands.
Modality
    Checked in order: negated ("not", "never", "no"), conditional (the event
    sits in, or states, an "if/unless" condition), hypothetical ("would",
    "could", "might", "risks"), planned (future "will", "plan", "prepare",
    "planned"), historical (an earlier event cited as background: "in
    retaliation for", "responsible for"), ongoing (object of "stop", "continue";
    progressive), reported ("reportedly", "allegedly"), else asserted.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..actors import ActorLayer
from ..nlp import Parsed
from ..records import Event, Source

MODALITIES = ("asserted", "reported", "planned", "conditional", "hypothetical", "ongoing", "historical", "negated")

REPORT_VERBS = {"say", "tell", "report", "claim", "announce", "state", "add", "confirm", "quote", "write",
                "reveal", "disclose", "brief", "allege", "insist", "note", "show", "indicate", "suggest", "assert",
                "declare", "acknowledge", "explain"}
MEDIA_SECTORS = {"MED"}
UNNAMED_HEADS = {"official", "officials", "source", "sources", "diplomat", "diplomats", "person", "people",
                 "aide", "aides", "officer", "officers", "minister", "ministers", "analyst", "analysts",
                 "member", "members", "commander", "commanders", "resident", "residents", "witness", "witnesses"}
SPOKES = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen"}
INTEL = {"intelligence", "assessment", "assessments"}
DOCUMENTS = {"statement", "report", "document", "documents", "communique", "letter", "memo", "cable",
             "filing", "assessment", "data", "footage", "video", "images", "record", "records"}
OUTLET_WORDS = {"newspaper", "daily", "agency", "channel", "broadcaster", "outlet", "media", "television",
                "tv", "radio", "website", "magazine", "paper", "network"}
NEG = {"not", "n't", "never", "no", "neither", "nor", "without"}
HYPO_AUX = {"would", "could", "might", "may"}
HYPO_VERBS = {"risk", "fear", "threaten", "consider", "weigh", "contemplate", "mull"}
PLAN_VERBS = {"plan", "prepare", "intend", "aim", "seek", "schedule", "expect", "hope", "want", "propose",
              "agree", "promise", "pledge", "vow", "decide"}
ONGOING_HEADS = {"stop", "halt", "end", "cease", "continue", "escalate", "intensify", "curb"}
HISTORY_PREPS = {"for", "after", "since", "following", "over"}
REPORTED_ADVS = {"reportedly", "allegedly", "purportedly", "supposedly", "apparently"}


def doc_words(m, tok: Token) -> set[str]:
    return {t.lower_ for t in tok.doc[m.start:m.end]}


def _span(parsed: Parsed, toks: list[Token], kind: str) -> Source:
    start = toks[0].idx
    end = toks[-1].idx + len(toks[-1].text)
    return Source(parsed.document.text[start:end], kind, start, end)


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase of a source: the token's subtree minus clauses and trailing punctuation."""
    toks = [t for t in tok.subtree if not any(a.dep_ in ("relcl", "acl", "appos") and a.i != tok.i and
                                              a in t.ancestors and tok in a.ancestors for a in [t])]
    toks = [t for t in toks if t.dep_ not in ("relcl",) and not t.is_space]
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    return toks or [tok]


class Attributor:
    def __call__(self, parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
        doc = parsed.doc
        sents = list(doc.sents)
        chains: list[tuple[list[Source], set[int]]] = []  # per sentence: chain, reporting token ids
        for sent in sents:
            chains.append(self._sentence_chain(parsed, layer, sent))
        outlet = self._report_outlet(parsed, chains)
        resolved: list[list[Source]] = []
        last_explicit: tuple[int, list[Source]] | None = None
        quoted_until = self._quote_ends(parsed, sents)
        for si, (chain, _) in enumerate(chains):
            end = quoted_until.get(si)
            if not chain and end is not None and chains[end][0]:
                chain = chains[end][0]  # inside a quotation attributed where it closes
            if chain:
                chain = self._continue_anaphor(chain, resolved, parsed)
                last_explicit = (si, chain)
                resolved.append(chain)
            elif last_explicit is not None and si - last_explicit[0] <= 2:
                resolved.append(last_explicit[1])
            else:
                resolved.append([outlet] if outlet else [])
        for ev in events:
            ev.attribution = [Source(s.text, s.kind, s.start, s.end) for s in resolved[ev.sentence]]
            ev.modality = self.modality(ev, sents[ev.sentence])
        return events

    # ------------------------------------------------------------- sources
    def _sentence_chain(self, parsed: Parsed, layer: ActorLayer, sent: SpacySpan) -> tuple[list[Source], set[int]]:
        chain: list[Source] = []
        reporting: set[int] = set()
        for tok in sent:
            low = tok.lower_
            if low == "according" and tok.i + 1 < len(parsed.doc) and parsed.doc[tok.i + 1].lower_ == "to":
                prep = parsed.doc[tok.i + 1]
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    chain.insert(0, self._source(parsed, layer, pobj))
                    reporting.add(tok.i)
                continue
            if tok.lemma_.lower() == "quote" and tok.pos_ == "VERB":
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                if obj is not None:
                    chain.append(self._source(parsed, layer, obj))
                continue
            if tok.lemma_.lower() in REPORT_VERBS and tok.pos_ in ("VERB", "NOUN"):
                subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
                if subj is None or subj.lower_ in ("that", "which", "who", "it", "they", "we", "i"):
                    continue
                told = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
                if tok.lemma_.lower() == "tell" and (told is None or not self._is_outlet(layer, told)):
                    continue  # "Blinken told al-Sudani that ...": an event, not a source
                if tok.dep_ in ("ccomp", "xcomp", "relcl", "acl") and tok.lemma_.lower() != "tell":
                    continue  # embedded saying: part of the reported content
                if tok.lemma_.lower() == "show" or tok.lower_ == "show":
                    if not any(t.lower_ in INTEL for t in subj.subtree):
                        continue
                src = self._source(parsed, layer, subj)
                if tok.lemma_.lower() in ("show", "indicate", "suggest") and any(t.lower_ in INTEL for t in subj.subtree):
                    src.kind = "intelligence"
                reporting.add(tok.i)
                if tok.lemma_.lower() == "tell" and told is not None:
                    chain.insert(0, self._source(parsed, layer, told))
                    chain.insert(1, src)
                    continue
                if src.kind in ("outlet", "media"):
                    chain.insert(0, src)
                else:
                    chain.append(src)
        # "intelligence show X" parsed as a noun phrase: find the intelligence subject by its words
        if not any(s.kind == "intelligence" for s in chain):
            for tok in sent:
                if tok.lower_ in ("show", "shows", "indicate", "indicates", "suggest", "suggests") and tok.i > sent.start:
                    prev = parsed.doc[tok.i - 1]
                    if prev.lower_ in INTEL:
                        left = prev
                        while left.i - 1 >= sent.start and parsed.doc[left.i - 1].dep_ in (
                                "amod", "compound", "cc", "conj", "det") or (left.i - 1 >= sent.start and parsed.doc[
                                    left.i - 1].text in ("U.S.", "US", "and")):
                            left = parsed.doc[left.i - 1]
                        chain.append(_span(parsed, list(parsed.doc[left.i:prev.i + 1]), "intelligence"))
                        reporting.add(tok.i)
                        break
        # keep outlets first
        chain.sort(key=lambda s: 0 if s.kind == "outlet" else 1)
        return chain, reporting

    @staticmethod
    def _quote_ends(parsed: Parsed, sents: list[SpacySpan]) -> dict[int, int]:
        """sentence -> the later sentence (same paragraph) where the quotation it opens closes."""
        out: dict[int, int] = {}
        open_at: int | None = None
        text = parsed.doc.text
        for si, sent in enumerate(sents):
            seg = text[sent.start_char:sent.end_char]
            if open_at is not None and "\n" in text[sents[si - 1].end_char:sent.start_char + 1]:
                open_at = None
            for ch in seg:
                if ch == '"':
                    if open_at is None:
                        open_at = si
                    else:
                        for k in range(open_at, si):
                            out[k] = si
                        open_at = None
        return out

    def _is_outlet(self, layer: ActorLayer, tok: Token) -> bool:
        m = layer.at(tok)
        if m is not None and any(a.sector in MEDIA_SECTORS for a in m.actors):
            return True
        if m is not None and any(a.code for a in m.actors):
            return False  # a resolved non-media actor ("told al-Sudani")
        if tok.lower_ in OUTLET_WORDS or (m is not None and doc_words(m, tok) & OUTLET_WORDS):
            return True
        # "told Axios": an unknown proper name that is no person is taken for an outlet
        return tok.pos_ == "PROPN" and tok.ent_type_ != "PERSON" and tok.dep_ in ("dobj", "dative") \
            and tok.head.lemma_ == "tell"

    def _source(self, parsed: Parsed, layer: ActorLayer, tok: Token) -> Source:
        m = layer.at(tok)
        if m is not None and m.kind != "pronoun":
            toks = list(parsed.doc[m.start:m.end])
        else:
            toks = _phrase(tok)
        if len(toks) > 8 or any(t.pos_ == "VERB" and t.dep_ not in ("amod", "compound") for t in toks):
            # a mis-parsed subject swallowing the clause: keep the words just before the verb
            verb = tok.head
            left = [t for t in parsed.doc[max(tok.sent.start, verb.i - 8):verb.i]]
            cut = max((n for n, t in enumerate(left) if t.text in (",", ";", ":", '"')), default=-1)
            toks = [t for t in left[cut + 1:] if not t.is_space] or [tok]
            tok = toks[-1]
        words = {t.lower_ for t in toks}
        m = layer.at(tok)
        if self._is_outlet(layer, tok) and not (words & UNNAMED_HEADS) and not (words & SPOKES):
            kind = "outlet"
        elif words & SPOKES:
            kind = "spokesperson"
        elif words & INTEL:
            kind = "intelligence"
        elif tok.lower_ in UNNAMED_HEADS or (tok.lemma_.lower() in UNNAMED_HEADS and tok.ent_type_ != "PERSON"):
            kind = "unnamed_officials"
        elif tok.lower_ in DOCUMENTS:
            kind = "document"
        elif tok.ent_type_ == "PERSON" or (m is not None and m.kind == "person"):
            kind = "named_official"
        else:
            kind = "media" if m is not None and any(a.sector == "MED" for a in m.actors) else "named_official"
        return _span(parsed, toks, kind)

    @staticmethod
    def _continue_anaphor(chain: list[Source], earlier: list[list[Source]], parsed: Parsed) -> list[Source]:
        """'the officials said': the chain that introduced those officials."""
        if len(chain) != 1 or not chain[0].text.lower().startswith("the "):
            return chain
        head = chain[0].text.lower().split()[-1]
        for prev in reversed(earlier):
            for n, s in enumerate(prev):
                if s.text.lower().split()[-1:] == [head] and s.text != chain[0].text:
                    return prev[: n + 1]
        return chain

    @staticmethod
    def _report_outlet(parsed: Parsed, chains: list[tuple[list[Source], set[int]]]) -> Source | None:
        for chain, _ in chains:
            for s in chain:
                if s.kind == "outlet":
                    return s
        if parsed.document.source:
            return Source(parsed.document.source, "outlet", None, None)
        return None

    # ------------------------------------------------------------- modality
    def modality(self, ev: Event, sent: SpacySpan) -> str:
        tok: Token | None = getattr(ev, "_trigger", None)
        if tok is None:
            return "asserted"
        anchor = tok.doc.user_data.get("casus_modal_anchor", {}).get(tok.i)
        if anchor is not None:
            tok = tok.doc[anchor]  # a threat read off "say they will attack": the saying carries it
        chain = [tok, *list(tok.ancestors)[:3]]
        clause = [tok]
        x = tok
        for _ in range(4):  # climb through non-finite links to the clause that carries the event
            if x.dep_ in ("xcomp", "dobj", "pobj", "prep", "amod", "compound", "acl", "pcomp") and x.head.i != x.i:
                x = x.head
                clause.append(x)
            else:
                break
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for t in clause for c in t.children):
            return "negated"
        if ev.event == "THREATEN" and (self._has_condition(tok) or any(t.lower_ in ("if", "unless") for t in sent)):
            return "conditional"
        if any(self._has_condition(t) for t in clause):
            return "conditional"
        if any(t.dep_ == "pobj" and t.head.lower_ in HISTORY_PREPS and t.pos_ in ("NOUN", "PROPN") for t in clause):
            return "historical"  # "in retaliation for X's strike", "responsible for attacks"
        if any(a.lower_ in HYPO_AUX and a.dep_ == "aux" for t in clause for a in t.children):
            return "hypothetical"
        if any(t.lemma_.lower() in HYPO_VERBS and t is not tok for t in chain):
            return "hypothetical"
        if any(a.lower_ in ("will", "'ll", "shall") and a.dep_ == "aux" for t in clause for a in t.children):
            return "planned"
        if any(t.lemma_.lower() in PLAN_VERBS and t is not tok for t in clause) or any(
                c.lemma_.lower() in ("plan", "planned", "upcoming", "proposed", "future") and c.dep_ == "amod"
                for c in tok.children):
            return "planned"
        if any(t.dep_ == "pobj" and t.head.lower_ in HISTORY_PREPS for t in clause if t.pos_ in ("NOUN", "PROPN")):
            return "historical"
        if any(t.lemma_.lower() in ONGOING_HEADS and t is not tok for t in clause) or (
                tok.tag_ == "VBG" and any(a.dep_ == "aux" and a.lemma_ == "be" for a in tok.children)):
            return "ongoing"
        if any(t.lower_ in REPORTED_ADVS for t in sent) or any(
                c.lower_ in REPORTED_ADVS for t in clause for c in t.children):
            return "reported"
        return "asserted"

    @staticmethod
    def _has_condition(tok: Token) -> bool:
        for c in tok.children:
            if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                return True
            if c.dep_ in ("advcl", "ccomp") and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                                   for m in c.children):
                return True
        return False


def attribute(parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
    return Attributor()(parsed, layer, events)
