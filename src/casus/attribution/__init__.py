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
    "told reporters" keeps the speaker as the source; "citing X" reads like
    "quoting X"; "according to images reviewed by the AP" -> [the AP, images].
    Kinds: ``outlet`` (a named outlet), ``media`` (unnamed media: "state
    television"), ``spokesperson``, ``intelligence`` (the word intelligence/spy),
    ``document`` (report, memo, ruling, assessment, images), ``named_official``
    (a source with a name), ``unnamed_officials`` (no name: "a Kremlin adviser").
    A later short mention of a named source ("Miller said" after "State
    Department spokesman Matthew Miller said") gets ``refers_to`` (the full
    mention's text and offsets) and its kind.
Modality
    An example introduced by "including" takes the modality of the earlier
    word of the same lemma it exemplifies. Then, in order: negated ("not",
    "never", "no", "No ceasefire was agreed"; not through a preposition:
    "despite U.S. warnings"), conditional (the event sits in, or states, an "if/unless",
    fronted "should ..." or "in case" condition), "planned" noun modifier,
    historical (an earlier event cited as background: "in retaliation for",
    "responsible for", "in response to"; a year before the report's in the
    event's phrase or clause, or in the event a "when" clause hangs on; a
    pluperfect outside reported speech), planned ("would" in speech reported
    in the past), hypothetical ("would", "could", "might", an event noun that is
    the subject of such a modal, "risks / possible / potential / any" before
    it), planned (future "will", "plan", "prepare"), ongoing (object of
    "stop", "continue", "keep"; progressive, also of a light verb; subject of
    "continue", "remain"; "still", except on a declared intention), reported ("reportedly", "allegedly"), else
    asserted.
"""

from __future__ import annotations

import copy
import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..actors import ActorLayer
from ..nlp import Parsed, WordFilter
from ..records import Event, Source

INNER_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "parataxis"}
CLAUSE_DATE_DEPS = {"prep", "npadvmod", "nummod", "compound", "amod", "nmod", "poss"}
YEAR_RE = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")
MODALITIES = ("asserted", "reported", "planned", "conditional", "hypothetical", "ongoing", "historical", "negated")

REPORT_VERBS = {"say", "tell", "report", "claim", "announce", "state", "add", "confirm", "quote", "write",
                "reveal", "disclose", "brief", "allege", "insist", "note", "show", "indicate", "suggest", "assert",
                "declare", "acknowledge", "explain"}
MEDIA_SECTORS = {"MED"}
UNNAMED_HEADS = {"official", "officials", "source", "sources", "diplomat", "diplomats", "person", "people",
                 "aide", "aides", "officer", "officers", "minister", "ministers", "analyst", "analysts",
                 "member", "members", "commander", "commanders", "resident", "residents", "witness", "witnesses"}
#: courtesy titles before a surname ("Mr. Miller")
TITLES = {"Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr"}
SPOKES = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen"}
INTEL = {"intelligence", "spy", "spies"}
DOCUMENTS = {"statement", "report", "document", "documents", "communique", "letter", "memo", "cable",
             "filing", "assessment", "data", "footage", "video", "images", "record", "records", "ruling",
             "reports", "statements", "assessments", "videos", "photos", "study", "survey", "analysis",
             "transcript", "indictment", "verdict", "dossier", "leak", "leaks", "findings"}
MEDIA_HEADS = {"media", "television", "tv", "radio", "press", "outlets", "broadcaster", "broadcasters",
               "newspapers", "agency", "channels"}
AUDIENCE = {"reporters", "journalists", "press", "newsmen", "correspondents", "lawmakers", "parliament",
            "conference", "briefing", "audience", "crowd", "supporters"}
PERSON_NOUNS = {"lawyer", "lawyers", "adviser", "advisers", "advisor", "advisors", "envoy", "envoys", "insider",
                "insiders", "activist", "activists", "monitor", "monitors", "expert", "experts", "negotiator",
                "negotiators", "mediator", "mediators", "leader", "leaders", "lawmaker", "lawmakers", "employee",
                "employees", "worker", "workers", "doctor", "doctors", "fighter", "fighters", "militant",
                "militants", "investigator", "investigators", "observer", "observers", "figure", "figures"}
OUTLET_WORDS = {"newspaper", "daily", "agency", "channel", "broadcaster", "outlet", "media", "television",
                "tv", "radio", "website", "magazine", "paper", "network"}
NEG = {"not", "n't", "never", "no", "neither", "nor", "without"}
HYPO_AUX = {"would", "could", "might", "may"}
HYPO_VERBS = {"risk", "fear", "threaten", "consider", "weigh", "contemplate", "mull"}
PLAN_VERBS = {"plan", "prepare", "intend", "aim", "seek", "schedule", "expect", "hope", "want", "propose",
              "agree", "promise", "pledge", "vow", "decide"}
ONGOING_HEADS = {"stop", "halt", "end", "cease", "continue", "escalate", "intensify", "curb", "keep", "remain"}
ONGOING_SUBJ_HEADS = {"continue", "persist", "rage", "escalate", "intensify", "remain", "go"}
HISTORY_PREPS = {"for", "after", "since", "following", "over"}
RESPONSE_NOUNS = {"response", "reaction", "reply", "retaliation", "revenge", "answer"}
HYPO_LEFT = {"risk", "risks", "risked", "risking", "possible", "potential", "prospect", "hypothetical"}
COND_INVERTED = {"should", "were", "had"}
REPORTED_ADVS = {"reportedly", "allegedly", "purportedly", "supposedly", "apparently"}


def doc_words(m, tok: Token) -> set[str]:
    return {t.lower_ for t in tok.doc[m.start:m.end]}


def _link_short_names(chains: list[list[Source]]) -> None:
    """'Miller said' after 'State Department spokesman Matthew Miller said': the short mention of a named
    source refers to the full one made earlier in the report (``refers_to``) and takes its kind."""
    full: dict[str, Source] = {}
    for chain in chains:
        for src in chain:
            words = [w for w in src.text.replace("’", "'").split() if w not in TITLES]
            if src.kind not in ("named_official", "spokesperson") or not words:
                continue
            key = words[-1].rstrip(",.").lower()
            earlier = full.get(key)
            if len(words) == 1 and earlier is not None and earlier.start != src.start:
                src.refers_to = {"text": earlier.text, "start": earlier.start, "end": earlier.end}
                src.kind = earlier.kind
            elif len(words) > 1 and words[-1][:1].isupper():
                full[key] = src


def _span(parsed: Parsed, toks: list[Token], kind: str) -> Source:
    start = toks[0].idx
    end = toks[-1].idx + len(toks[-1].text)
    return Source(parsed.document.text[start:end], kind, start, end)


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase of a source: the token's subtree minus clauses and trailing punctuation."""
    cut: set[int] = set()
    for t in tok.subtree:
        if t.i != tok.i and t.dep_ in ("relcl", "acl", "appos") or t.dep_ == "punct" and t.i > tok.i:
            cut.update(x.i for x in t.subtree)
    toks = [t for t in tok.subtree if t.i not in cut and not t.is_space]
    # keep one contiguous run around the head
    run = [t for t in toks if t.i <= tok.i]
    for t in toks:
        if t.i > tok.i and t.i == run[-1].i + 1:
            run.append(t)
    toks = run if run and run[-1].i >= tok.i else toks
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    return toks or [tok]


INTEL_VERB_FORMS = ("show", "shows", "indicate", "indicates", "suggest", "suggests")
#: forms and lemmas a source phrase hangs on: "according (to)", "quote"/"cite", the reporting verbs and
#: the "intelligence shows" verbs (see Attributor._sentence_chain)
_SOURCE_CUES = WordFilter({"according", "quote", "cite", *REPORT_VERBS, *INTEL_VERB_FORMS})


class Attributor:
    def __call__(self, parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
        sents = parsed.sents
        chains: list[tuple[list[Source], set[int]]] = []  # per sentence: chain, reporting token ids
        cues = _SOURCE_CUES.tokens(parsed.doc)  # the only tokens a source phrase can hang on (array test)
        k = 0
        for sent in sents:
            while k < len(cues) and cues[k] < sent.start:
                k += 1
            mine = []
            while k < len(cues) and cues[k] < sent.end:
                mine.append(cues[k])
                k += 1
            chains.append(self._sentence_chain(parsed, layer, sent, mine))
        outlet = self._report_outlet(parsed, chains)
        pub = parsed.document.published or ""
        self._year = int(pub[:4]) if pub[:4].isdigit() else None
        self._text = parsed.text  # for _past_year
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
        _link_short_names(resolved)
        for ev in events:
            ev.attribution = [Source(s.text, s.kind, s.start, s.end, s.refers_to) for s in resolved[ev.sentence]]
            ev.modality = self.modality(ev, sents[ev.sentence])
        return events

    # ------------------------------------------------------------- sources
    def _sentence_chain(self, parsed: Parsed, layer: ActorLayer, sent: SpacySpan,
                        cues: list[int] | None = None) -> tuple[list[Source], set[int]]:
        """The sentence's attribution chain and its reporting tokens. ``cues``: the sentence's tokens that
        :data:`_SOURCE_CUES` finds (the others cannot start a source; all tokens when None)."""
        chain: list[Source] = []
        reporting: set[int] = set()
        doc = parsed.doc
        toks = [doc[i] for i in cues] if cues is not None else list(sent)
        for tok in toks:
            low = tok.lower_
            if low == "according" and tok.i + 1 < len(parsed.doc) and parsed.doc[tok.i + 1].lower_ == "to":
                prep = parsed.doc[tok.i + 1]
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    chain.insert(0, self._source(parsed, layer, pobj))
                    # "according to images reviewed by the AP": the outlet that vouches for the document
                    for acl in (c for c in pobj.children if c.dep_ == "acl"):
                        agent = next((c for c in acl.children if c.dep_ == "agent"), None)
                        by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                        if by is not None:
                            chain.insert(0, self._source(parsed, layer, by))
                    reporting.add(tok.i)
                continue
            if tok.lemma_.lower() in ("quote", "cite") and tok.pos_ == "VERB":
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                if obj is not None:
                    chain.append(self._source(parsed, layer, obj))
                continue
            if tok.lemma_.lower() in REPORT_VERBS and tok.pos_ in ("VERB", "NOUN"):
                subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
                if subj is None or subj.lower_ in ("that", "which", "who", "it", "they", "we", "i"):
                    continue
                told = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
                if told is None and tok.lemma_.lower() == "tell":
                    told = next((c for c in tok.children if c.i > tok.i and c.dep_ in (
                        "advmod", "npadvmod", "attr", "oprd", "appos") and (c.pos_ in ("PROPN", "NOUN") or c.text[:1].isupper())), None)
                audience = told is not None and told.lower_ in AUDIENCE and told.pos_ != "PROPN"
                if tok.lemma_.lower() == "tell" and audience:
                    told = None  # "told reporters": a plain saying, the speaker is the source
                elif tok.lemma_.lower() == "tell" and (told is None or not self._is_outlet(layer, told)):
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
                if tok.lemma_.lower() == "tell" and told is not None and not audience:
                    chain.insert(0, self._source(parsed, layer, told))
                    chain.insert(1, src)
                    continue
                if src.kind in ("outlet", "media"):
                    chain.insert(0, src)
                else:
                    chain.append(src)
        # "intelligence show X" parsed as a noun phrase: find the intelligence subject by its words
        if not any(s.kind == "intelligence" for s in chain):
            for tok in toks:
                if tok.lower_ in INTEL_VERB_FORMS and tok.i > sent.start:
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
        # keep outlets (and media) first
        chain.sort(key=lambda s: 0 if s.kind in ("outlet", "media") else 1)
        return chain, reporting

    @staticmethod
    def _quote_ends(parsed: Parsed, sents: list[SpacySpan]) -> dict[int, int]:
        """sentence -> the later sentence (same paragraph) where the quotation it opens closes."""
        out: dict[int, int] = {}
        open_at: int | None = None
        text = parsed.text
        for si, sent in enumerate(sents):
            seg = text[sent.start_char:sent.end_char]
            if open_at is not None and "\n" in text[sents[si - 1].end_char:sent.start_char + 1]:
                open_at = None
            for _ in range(seg.count('"')):
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
        return _span(parsed, toks, self._kind(layer, tok, toks))

    def _kind(self, layer: ActorLayer, tok: Token, toks: list[Token]) -> str:
        """Source kind from the phrase's head and words (see :class:`casus.records.Source`)."""
        words = {t.lower_ for t in toks}
        m = layer.at(tok)
        named = any(t.pos_ == "PROPN" and t.ent_type_ not in ("NORP", "GPE") for t in toks)
        # a person mention is on record when its head is a name ("Defense Minister Lloyd Austin"), not when
        # a name only modifies the role noun ("a Kremlin adviser", "a senior White House official")
        has_person = any(t.ent_type_ == "PERSON" for t in toks) or (
            m is not None and m.kind == "person" and named and tok.doc[m.head].pos_ == "PROPN")
        if words & SPOKES:
            return "spokesperson"  # "a union spokeswoman", "Pentagon spokesman Sean Parnell"
        if words & INTEL:
            return "intelligence"  # "U.S. intelligence assessments", "Western intelligence"
        if tok.lower_ in MEDIA_HEADS and not named:
            return "media"  # "Iranian state television", "local media": no outlet named
        if self._is_outlet(layer, tok) and not (words & UNNAMED_HEADS):
            return "outlet"
        if tok.lower_ in DOCUMENTS:
            return "document"  # "a UN report", "a leaked Pentagon memo", "satellite images"
        if has_person or tok.pos_ == "PROPN":
            return "named_official"  # on record, with a name
        if tok.lower_ in UNNAMED_HEADS or tok.lemma_.lower() in UNNAMED_HEADS or tok.lower_ in PERSON_NOUNS:
            return "unnamed_officials"  # "a Kremlin adviser", "two diplomats", "residents"
        if m is not None and any(a.sector == "MED" for a in m.actors):
            return "outlet"
        return "named_official"

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
    @staticmethod
    def _words(sent: SpacySpan) -> frozenset[str]:
        """The lower-cased words of a sentence, computed once per sentence (modality asks for every event);
        kept with the document, like the events stage's "casus_modal_anchor"."""
        cache = sent.doc.user_data.setdefault("casus_sent_words", {})
        got = cache.get((sent.start, sent.end))
        if got is None:
            got = cache[(sent.start, sent.end)] = frozenset(t.lower_ for t in sent)
        return got

    def modality(self, ev: Event, sent: SpacySpan) -> str:
        tok: Token | None = getattr(ev, "_trigger", None)
        if tok is None:
            return "asserted"
        anchor = tok.doc.user_data.get("casus_modal_anchor", {}).get(tok.i)
        trigger_i = tok.i
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
        incl = tok
        for _ in range(3):  # "including attacks by ...", "including from attacks by ..."
            if incl.lower_ == "including" or incl.dep_ not in ("pobj", "prep") or incl.head.i == incl.i:
                break
            incl = incl.head
        if incl.lower_ == "including" and incl is not tok and anchor is None:
            # "those responsible for attacks ..., including attacks by militias": an example takes the
            # modality of the phrase it exemplifies (the earlier word of the same lemma in the sentence)
            same = [t for t in sent if t.i < incl.i and t.lemma_ == tok.lemma_]
            if same:
                proxy = copy.copy(ev)
                proxy._trigger = same[-1]  # type: ignore[attr-defined]
                return self.modality(proxy, sent)
        # negation reaches the event through its clause, not through a preposition: "despite U.S. warnings",
        # "did not take part in the attack" (the warnings, the attack happened)
        scope = clause[:next((k + 1 for k, t in enumerate(clause) if t.dep_ == "pobj"), len(clause))]
        refusal = trigger_i in tok.doc.user_data.get("casus_neg_reading", ())  # "will not release": a REJECT
        if not refusal and any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no")
                               for t in scope for c in t.children):
            return "negated"
        if any(c.dep_ in ("nsubj", "nsubjpass") and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
               for t in clause if t.pos_ in ("VERB", "AUX") for c in t.children):
            return "negated"  # "No ceasefire was agreed"
        if ev.event == "THREATEN" and (self._has_condition(tok) or not self._words(sent).isdisjoint(("if", "unless"))):
            return "conditional"
        if any(self._has_condition(t) for t in clause):
            return "conditional"
        if any(c.lemma_.lower() in ("plan", "planned", "upcoming", "proposed", "future") and c.dep_ == "amod"
               for c in tok.children):
            return "planned"  # "for the planned attack": purpose, not background
        if any(t.dep_ == "pobj" and t.head.lower_ in HISTORY_PREPS and t.pos_ in ("NOUN", "PROPN") for t in clause):
            return "historical"  # "in retaliation for X's strike", "responsible for attacks"
        if any(t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ in RESPONSE_NOUNS for t in clause):
            return "historical"  # "in response to Israel's killing of ..."
        if self._past_year(tok, clause) or self._pluperfect(tok):
            return "historical"  # "in September 2023", "the 2020 bombing", "had clashed"
        if self._future_in_past(clause):
            return "planned"  # "told CNN that the president would meet Putin"
        if any(a.lower_ in HYPO_AUX and a.dep_ == "aux" for t in clause for a in t.children):
            return "hypothetical"
        if tok.dep_ in ("nsubj", "nsubjpass") and any(a.dep_ == "aux" and a.lower_ in HYPO_AUX for a in tok.head.children):
            return "hypothetical"  # "An Israeli strike ... could push prices up"
        left = tok.doc[max(sent.start, tok.i - 3):tok.i]
        if any(t.lower_ in HYPO_LEFT for t in left) or any(c.dep_ == "det" and c.lower_ == "any" for c in tok.children):
            return "hypothetical"  # "risks renewed attacks", "a possible strike", "any attack"
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
        if any(t.lemma_.lower() in ONGOING_HEADS and t is not tok for t in clause) or any(
                t.tag_ == "VBG" and any(a.dep_ == "aux" and a.lemma_ == "be" for a in t.children) for t in clause):
            return "ongoing"  # "continue to strike", "are shelling", "is carrying out airstrikes"
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in ONGOING_SUBJ_HEADS:
            return "ongoing"  # "Protests have continued", "the blockade remains in place"
        if anchor is None and any(c.dep_ == "advmod" and c.lower_ == "still" for t in clause for c in t.children):
            return "ongoing"  # (not "factions that still say they will attack": a threat made, asserted)
        if not self._words(sent).isdisjoint(REPORTED_ADVS) or any(
                c.lower_ in REPORTED_ADVS for t in clause for c in t.children):
            return "reported"
        return "asserted"

    @staticmethod
    def _is_condition(v: Token) -> bool:
        """A clause that states a condition: "if/unless ...", "should Serbia deploy ...", "in case ..."."""
        if any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in v.children):
            return True
        first = min(v.subtree, key=lambda t: t.i)
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if first.lower_ in COND_INVERTED and first.dep_ == "aux" and first.head.i == v.i and subj is not None \
                and first.i < subj.i:
            return True
        nxt = v.doc[first.i + 1] if first.i + 1 < len(v.doc) else None
        return first.lower_ == "in" and nxt is not None and nxt.lower_ == "case" or first.lower_ == "provided"

    def _has_condition(self, tok: Token) -> bool:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            return True
        if tok.dep_ in ("advcl", "ccomp") and tok.pos_ in ("VERB", "AUX") and self._is_condition(tok) \
                and tok.head.i != tok.i and tok.head.i > tok.i:
            return True  # the event sits in a fronted condition ("Should Serbia deploy troops, ...")
        return any(c.dep_ in ("advcl", "ccomp") and c.pos_ in ("VERB", "AUX") and self._is_condition(c)
                   for c in tok.children)

    def _past_year(self, tok: Token, clause: list[Token]) -> bool:
        """A year before the report's in the trigger's phrase or its clause's dates (or in the event a
        "when" clause hangs on)."""
        if self._year is None:
            return False
        doc = tok.doc
        if getattr(self, "_years_doc", None) is not doc:  # the report's year tokens before its own year
            self._years_doc = doc
            ys: list[int] = []
            for m in YEAR_RE.finditer(self._text):
                if 1900 < int(m.group(1)) < self._year:
                    sp = doc.char_span(m.start(1), m.end(1))
                    if sp is not None and len(sp) == 1 and sp[0].like_num:
                        ys.append(sp[0].i)
            self._year_toks = ys
        if not self._year_toks:
            return False
        top = clause[-1]
        when = top.dep_ in ("relcl", "advcl") and any(c.lower_ == "when" for c in top.children)
        clause_ids = {t.i for t in clause}
        for y in self._year_toks:
            chain = [doc[y], *doc[y].ancestors]  # the year, then its heads up to the root
            ids = [a.i for a in chain]
            # the trigger's own phrase, leaving out clauses inside it
            if tok.i in ids and not any(a.dep_ in INNER_CLAUSE_DEPS for a in chain[:ids.index(tok.i)]):
                return True
            # a date-like dependent of the trigger's clause ("in 2019", "the 2019 attack")
            if any(a.dep_ in CLAUSE_DATE_DEPS and a.head.i != a.i and a.head.i in clause_ids for a in chain):
                return True
            # the event a "when" clause hangs on
            if when and top.head.i in ids and top.i not in ids:
                return True
        return False

    @staticmethod
    def _pluperfect(tok: Token) -> bool:
        """"had clashed" outside reported speech: background before the story."""
        return tok.tag_ == "VBN" and tok.dep_ not in ("ccomp",) and any(
            a.dep_ == "aux" and a.lower_ in ("had", "'d") for a in tok.children)

    @staticmethod
    def _future_in_past(clause: list[Token]) -> bool:
        """"would" in a clause reported by a saying: the future of the saying."""
        for t in clause:
            if any(a.dep_ == "aux" and a.lower_ == "would" for a in t.children) and t.dep_ == "ccomp" and \
                    t.head.lemma_.lower() in REPORT_VERBS | {"tell"} and t.head.tag_ in ("VBD", "VBN"):
                return True
        return False


def attribute(parsed: Parsed, layer: ActorLayer, events: list[Event]) -> list[Event]:
    return Attributor()(parsed, layer, events)
