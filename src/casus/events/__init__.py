"""events stage: Parsed + ActorLayer -> list[Event] (type, mode, CAMEO, roles, evidence).

Contract
--------
Input: a :class:`casus.nlp.Parsed` and its :class:`casus.actors.ActorLayer`.
Output: one :class:`casus.records.Event` per event mention, with ``event_text``
(the trigger), ``actor`` and ``recipient`` (from the actor layer, with their
character spans), ``mode``, ``cameo``, ``quad_class``, ``goldstein``,
``intensity`` and ``sentence``. Modality, attribution, date and place are filled
by the later stages.

How (rules from the PLOVER codebook; a trained typer, :mod:`casus.events.typer`,
then ranks and completes the types per sentence):

* Triggers are verbs and event nouns listed in ``lexicon.tsv`` (lemma, part of
  speech, PLOVER type, CAMEO code, mode, prepositions that introduce the
  recipient); multi-word entries are a verb with its particle or object ("step
  down", "establish tie") or a noun with its modifiers ("martial law"). Only
  tokens whose form or lemma can start a reading are looked at. Readings that
  need the context the codebook asks for are coded in ``_refine_context``:
  transfers of weapons are AID/military, of troops MOBILIZE; "strike a deal" is
  AGREE and a labour or hunger strike is PROTEST; a communication whose
  complement carries a deontic modal ("told X that Y must") is a REQUEST; a
  message stating a condition is a THREATEN; civilians blocking roads PROTEST
  (obstruct); "lodged a protest" ACCUSE; single-country military exercises
  MOBILIZE, joint ones COOPERATE; withdrawing observers or diplomats
  SANCTION; cancelling visits SANCTION; lifting restrictions CONCEDE, and so
  does ending a strike or boycott by those who hold it (CAMEO 082). Then
  ``_refine`` codes a *declared intention* as the intention (AGREE for
  cooperative actions, THREATEN for conflictual ones) when the actor itself
  states it ("said they will release", "X will give a grant, a statement said").
* Roles come from the dependency parse: subject (or passive agent) -> actor;
  object, passive subject or the object of a listed preposition -> recipient;
  failing those, the object's owner, "between A and B", the complement's own roles
  ("refuses to lift the ban on Cypriot ships") or object ("promised to continue military
  aid to Mozambique"), the object's own phrase ("3.5 million euros in funding to Lebanon"),
  an aid's purpose ("to assist Ethiopia"), the shared object of joined verbs ("donated
  and delivered goods to the school"). Forces named as the object of a deployment are
  the actor's own, never its target; a pronoun for the actor is never its recipient
  (``not_self``). A subject "under" an act receives it ("put under investigation in
  Italy"). A named participant the KB cannot code is kept, uncoded.
  Rejecting or accepting a proposal answers its author ("rejected an Afghan
  government offer"; with no author, what it proposes); a reaction to a thing
  targets its maker ("condemned the threats made by X"); a request for help or
  release is for its beneficiaries; deportees are a deportation's target;
  troops offered, sent or withdrawn are the actor's own. Parser misreadings
  are undone where they are regular: comma lists read as appositions, second
  parties joined higher up, prepositions sharing the next verb's object,
  describing participles ("against visiting Saudi Crown Prince ..."),
  sentence-final reports hung on a noun ("..., a rights group protested"),
  objects read as the next clause's subject ("allow the WFP to deliver food"),
  subjects hung on an auxiliary or tagged as an adverb ("USAID announced").
  A place named by its holder stands for the holder ("the rebel-held enclave"),
  a body named by its leader for the leader ("the Saudi-led coalition"), a ship
  for its flag state; weapons launched or fired are the means, their "at" phrase
  the target; people expelled "from" other states are of those states.
  Nouns take possessives, nationality adjectives and "by" agents as actors.
  An infinitive or noun with no subject takes the controlling one ("pressed
  X to stop" -> X; "Iran is planning an attack" -> Iran).
* When the text names no one, the codebook's implied roles apply (``implied_roles``):
  the victims a result clause names, the place an attack, curfew, deployment or
  withdrawal happens in (its population for attacks and restrictions), the state
  where a passive arrest happens, the unidentified armed forces behind a device,
  whom a protest's purpose names. Talks, agreements and cooperation "with" a
  partner are mutual: both parties are actors, as PLOVER codes reciprocal events.
  Harm with a natural or accidental cause is no ASSAULT.
* Two partial mentions of one event type in a sentence (one with an actor,
  one with a recipient) are one event. A harm reported in the passive with no
  agent is done by the attacker of its "as"/"when" clause, and ranks below that
  attack (``_results_of_attacks``).
* ``argument_phrases`` (called by the pipeline after the typer) gives each actor of
  each event its argument phrase (``Actor.phrase``): the noun phrase that fills the
  role ("the Croatian government's request"), while the actor stays the entity.
* An event embedded as the complement of another trigger ("threatened to
  impose sanctions", "refused to meet") is kept but ranks below the governing
  one (lower ``confidence``), and so does an event named as background
  ("lifted the state of emergency after tribal clashes").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..actors import HELD_BY, NON_STATE_CODES, ActorLayer, Mention, inverted_report as _inverted_report
from ..nlp import Parsed, WordFilter
from ..records import Actor, Event, Span
from .ontology import DEFAULT_CAMEO, QUAD, goldstein, intensity

LEXICON = Path(__file__).parent / "lexicon.tsv"

LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "begin", "continue", "claim", "plan", "prepare",
               "order", "resume", "step", "intensify", "escalate", "start", "undertake", "execute", "perpetrate",
               "commit", "wage", "hold", "make", "issue", "deliver", "announce", "impose", "sign", "reach",
               "declare", "approve", "authorize", "authorise", "observe", "speed", "accelerate", "complete",
               "expand", "extend", "pay", "give", "open", "file", "set", "lodge", "institute", "introduce",
               "enforce", "reimpose", "renew"}
COMMUNICATION = {"say", "tell", "emphasize", "emphasise", "stress", "underscore", "reiterate", "insist", "add",
                 "state", "note", "highlight", "write", "declare", "warn"}
DEONTIC = {"must", "should", "need", "ought", "have"}
DEONTIC_AUX = {"must", "should", "ought"}
NEED_NOUNS = {"need", "necessity", "importance"}
#: handing over, whose receiver is the "to" phrase
HANDING = {"return", "repatriate", "extradite", "transfer", "surrender"}
#: what is sought in a place ("sought refuge in Amman")
REFUGE_NOUNS = {"refuge", "asylum", "shelter", "sanctuary", "protection"}
#: acts whose object may be the actor's own forces, which are not the target ("mobilized the army")
DEPLOYING = {"MOBILIZE", "AID", "AGREE", "THREATEN"}
FORCES = {"troop", "troops", "force", "forces", "soldier", "soldiers", "army", "platoon", "battalion", "brigade",
          "unit", "units", "contingent", "reinforcement", "reinforcements", "peacekeeper", "peacekeepers", "warship",
          "warships", "navy", "marine", "marines", "military", "personnel", "police", "policemen", "regiment",
          "squadron", "fleet"}
#: verbs of pressing another party ("pushing hard for the US to support its plan")
PRESSING = {"push", "press", "pressure", "campaign", "lobby", "agitate"}
#: nouns for a message, whose "that ... must" clause makes it a demand
MESSAGE_NOUNS = {"reminder", "message", "letter", "note", "notice", "memo", "memorandum"}
#: acts that cut someone off, named with "with" ("suspended aid and arms deals with Pakistan")
SEVERING = {"SANCTION", "REJECT", "RETREAT"}
#: purposes that name who is helped ("to assist Ethiopia")
HELPING = {"help", "assist", "aid", "support", "benefit", "rebuild"}
WEAPONS = {"drone", "missile", "weapon", "arm", "firearm", "ammunition", "munition", "tank", "rocket", "artillery",
           "jet", "aircraft", "helicopter", "shell", "bomb", "launcher", "rifle", "gun", "equipment", "system"}
TROOPS = {"troop", "soldier", "force", "unit", "battalion", "brigade", "warship", "ship", "destroyer", "carrier",
          "personnel", "marine", "police", "reinforcement", "platoon", "regiment", "contingent", "squadron",
          "peacekeeper", "detachment", "company"}
RELIEF = {"aid", "food", "medicine", "supply", "assistance", "fund", "money", "loan", "grant", "fuel", "water",
          "vaccine", "tent", "shelter", "relief"}
TRANSFER = {"send", "supply", "provide", "deliver", "move", "transfer", "ship", "give", "airlift", "dispatch",
            "donate", "hand", "sell", "allocate", "contribute", "fly", "airdrop", "disburse", "grant", "channel",
            "lend", "loan", "distribute"}
#: AID (codebook): "monetary aid ... grants, gifts and credit"; money transferred is aid
MONEY = {"$", "€", "£", "dollar", "euro", "pound", "yen", "yuan", "rupee", "franc", "ruble", "rouble", "usd",
         "cash", "funding", "financing", "donation", "subsidy", "credit", "payment", "million", "billion"}
#: goods handed over as aid (besides RELIEF and WEAPONS)
GOODS = {"vehicle", "good", "material", "kit", "generator", "ambulance", "blanket", "clothing", "drug", "medication",
         "dose", "seed", "grain", "rice", "wheat", "flour", "bread", "textbook", "computer", "tractor", "boat"}
#: people sent to help ("military and police assistance including arms and personnel")
HELPERS = {"expert", "doctor", "team", "specialist", "adviser", "advisor", "instructor", "trainer", "medic",
           "volunteer", "rescuer", "engineer", "nurse", "worker", "physician"}
#: instruction given is military or technical aid; information shared is COOPERATE (CAMEO 064)
TRAINING = {"training", "instruction", "mentoring"}
INFORMATION = {"intelligence", "information", "evidence", "data", "expertise", "experience", "know-how",
               "knowledge", "intel", "technology", "photograph", "imagery", "photo"}
#: kinds of help named by "support"/"assistance" modifiers: "humanitarian support" is aid, "support" alone
#: is SUPPORT (verbal)
AID_KINDS = {"humanitarian", "financial", "military", "logistical", "logistic", "material", "economic", "medical",
             "budget", "budgetary", "technical", "development", "emergency"}
#: nouns that measure what is transferred: "13 tons of medicine", "$670,000 worth of goods"
QUANTITY_NOUNS = {"ton", "tonne", "worth", "amount", "shipment", "consignment", "batch", "package", "load", "lot",
                  "kilogram", "kg", "barrel", "total", "sum", "set", "convoy", "truckload", "planeload", "cargo",
                  "number", "quantity", "supply", "delivery", "million", "billion", "thousand", "hundred", "dozen"}
#: withdrawing one's own people or forces from a place (RETREAT): the object is what moves
WITHDRAWING = {"withdraw", "pull", "evacuate", "recall", "remove", "relocate"}
OWN_PEOPLE = {"troop", "troops", "force", "forces", "soldier", "soldiers", "ambassador", "envoy", "diplomat",
              "diplomats", "staff", "personnel", "citizen", "citizens", "national", "nationals", "contingent",
              "peacekeeper", "peacekeepers", "observer", "observers", "monitor", "monitors", "inspector", "inspectors",
              "worker", "workers", "mission", "delegation", "battalion", "brigade", "unit", "units"}
#: nouns of a stance taken "in" a protest ("in protest at", "in defiance of", "in opposition to")
PROTEST_STANCES = {"protest", "defiance", "opposition", "response", "retaliation", "anger", "outrage", "reaction"}
#: verbs of a result clause that name an attack's victims ("..., killing 12 soldiers")
HARMING = {"kill", "wound", "injure", "hurt", "maim", "destroy", "damage", "hit", "target"}
#: causes of harm that are no one's act (see _natural_cause)
NATURAL_CAUSES = {"fire", "blaze", "flood", "flooding", "earthquake", "quake", "storm", "landslide", "mudslide",
                  "accident", "crash", "collapse", "avalanche", "disease", "outbreak", "epidemic", "heatwave",
                  "cyclone", "typhoon", "hurricane", "tornado", "tsunami", "drought", "famine", "lightning",
                  "stampede", "rain", "rains", "snowstorm", "cholera", "virus", "pandemic"}
#: nouns of acts that a phrase's "of"/"in" phrase names, which belong to the verb, not to the noun phrase
PHRASE_EVENT_NOUNS = {"attack", "slaughter", "massacre", "murder", "killing", "torture", "abuse", "crime",
                      "violation", "genocide", "clash", "fighting", "violence", "bombing", "strike", "raid",
                      "shelling", "assault", "offensive", "corruption", "terrorism", "airstrike", "atrocity"}
#: adverbs of place and time that are no part of a noun phrase ("a delegation ... here", "the ministry today")
PLACE_TIME_ADVERBS = {"here", "there", "today", "yesterday", "now", "then", "tonight", "earlier", "later"}
#: words that make a "fire" a blaze, not shooting
BLAZES = {"huge", "massive", "big", "large", "major", "deadly", "devastating", "forest", "bush", "house", "factory",
          "market", "building", "warehouse", "hotel", "hospital", "electrical", "accidental"}
#: event types that are mutual when done "with" a partner (see EventExtractor._reciprocal), and the modes
#: that stay directed (CAMEO 041 phone call, 042 visit, 043 host)
RECIPROCAL = {"CONSULT", "COOPERATE", "AGREE"}
DIRECTED_MODES = {"phone", "visit", "host"}
#: verbs of reporting what one saw ("monitors reported shelling"): their subject is a witness, not the actor
WITNESSING = {"report", "describe", "witness", "see", "hear", "document", "record", "film", "observe", "notice"}
#: (not "confirm" or "recall": "the army confirmed carrying out strikes" is the army's act)
#: texts an actor issues, whose clause ("a statement calling on ...") is the issuer's act
ISSUED_TEXTS = {"statement", "communique", "communiqué", "declaration", "letter", "message", "note", "resolution",
                "report", "appeal", "petition", "release", "notice", "decree", "order", "memo"}
#: nouns of taking part in an event ("his role in the attack")
PARTAKING_NOUNS = {"part", "role", "involvement", "participation", "complicity", "hand"}
#: counting nouns whose "of" phrase names who is counted ("hundreds of thousands of people")
COUNT_NOUNS = {"hundred", "hundreds", "thousand", "thousands", "million", "millions", "dozen", "dozens", "score",
               "scores", "tens", "number", "group", "handful", "crowd", "crowds", "band", "couple"}
#: what one party puts to another: who rejects or accepts it answers its author ("rejected an Afghan government
#: offer", "spurned offers for talks by the Kabul government", "rejected an appeal lodged by X": CAMEO 12/03
#: code the proposer as the target)
PROPOSAL_NOUNS = {"offer", "proposal", "request", "appeal", "call", "demand", "plan", "invitation", "initiative",
                  "bid", "resolution", "motion", "suggestion", "ultimatum", "overture", "plea", "petition",
                  "application", "draft", "proposition", "formula", "peace"}
PROPOSAL_EVENTS = {"REJECT", "AGREE", "CONCEDE"}
#: participles that describe the person after them ("against visiting Saudi Crown Prince Mohammed bin Salman",
#: "the outgoing president"): no event, and the person is the preposition's object
DESCRIBING_PARTICIPLES = {"visiting", "outgoing", "incoming", "ruling", "governing", "retiring", "departing",
                          "sitting", "ailing", "exiled", "ousted", "jailed", "detained", "embattled"}
#: events that answer a thing someone made ("condemned the threats made by X", "rejected a plan drawn up by Y")
THING_REACTIONS = {"ACCUSE", "REJECT", "PROTEST", "SUPPORT", "AGREE", "CONCEDE", "REQUEST"}
#: verbs of sending forces somewhere
DEPLOY_VERBS = {"deploy", "send", "dispatch", "station", "mobilize", "mobilise", "post", "position", "redeploy"}
#: nouns of a conflict between parties, who are named with "with"/"between"
CONFLICT_NOUNS = {"dispute", "conflict", "row", "feud", "standoff", "stand-off", "war", "rift", "quarrel", "crisis",
                  "disagreement", "confrontation", "impasse"}
#: nouns of a sustained effort, whose purpose clause names what it is against
EFFORT_NOUNS = {"effort", "campaign", "bid", "struggle", "drive", "push", "fight", "attempt"}
#: verbs of ending something, and the protests protesters end (CONCEDE: "suspending protests")
ENDING = {"end", "suspend", "halt", "stop", "abandon", "call", "postpone", "terminate", "cancel"}
PROTEST_ACTS = {"strike", "protest", "boycott", "sit-in", "demonstration", "walkout", "march", "rally",
                "agitation", "stoppage", "shutdown", "picket"}
#: words that open an elaboration rather than a list ("nine civilians, mostly women and children")
ELABORATING = {"mostly", "mainly", "largely", "including", "includes", "among", "especially", "particularly",
               "many", "most", "some", "all", "both", "chiefly", "primarily"}
#: verbs of calling for a change
CALLING = {"call", "appeal", "press", "push", "urge", "plead", "campaign", "lobby"}
#: nouns of a place inside a state, which the state's possessive names ("India's northeastern state of Mizoram")
REGION_NOUNS = {"state", "region", "province", "district", "territory", "city", "town", "village", "area",
                "capital", "coast", "governorate", "county", "enclave", "countryside", "heartland"}
#: prepositions of time or manner whose verb in -ing has the clause's subject ("after reaching agreement",
#: "by firing tear gas"); not "of"/"for"/"from", whose subject may be the clause's object ("accused X of")
ADVERBIAL_PREPS = {"after", "before", "by", "without", "while", "upon", "since", "despite", "through"}
#: verbs taking an object and a bare infinitive ("help North Korea cope", "let the rebels leave")
BARE_INFINITIVE_HEADS = {"help", "let", "make"}
#: prepositions naming what a weapon is launched or fired at ("fired two missiles at a ship")
AIMED_AT = ("at", "on", "against", "into", "toward", "towards")
#: weapons launched or fired at a target from afar (CAMEO 195 "employ aerial weapons")
LAUNCHED = {"drone", "missile", "rocket", "shell", "bomb", "mortar", "projectile", "munition"}
#: means of riot control fired at people ("fired tear gas at protesters")
RIOT_MEANS = {"gas", "teargas", "cannon", "bullet", "pellet", "canister", "spray", "baton"}
#: agreements whose other party a rejection answers ("reneged on an accord with Iran")
AGREEMENTS = {"accord", "agreement", "deal", "treaty", "pact", "ceasefire", "truce", "armistice", "understanding"}
#: modifiers of a strike that is a protest
STRIKE_KINDS = {"hunger", "general", "labor", "labour", "worker", "union", "teacher", "doctor", "nationwide", "sit",
                "sit-in", "warning", "token", "indefinite", "wildcat", "wage", "pay"}
#: modifiers of a strike that is an attack
ARMED_STRIKE_KINDS = {"air", "drone", "missile", "military", "aerial", "artillery", "rocket", "nuclear", "retaliatory",
                      "preemptive", "pre-emptive", "precision", "cruise"}
#: what a strike for pay or conditions asks for ("a strike for increased wages")
STRIKE_DEMANDS = {"wage", "pay", "salary", "condition", "increase", "raise", "bonus", "pension", "contract", "benefit"}
#: working people whose strike is a stoppage of work
WORKING_PEOPLE = {"worker", "employee", "union", "teacher", "doctor", "nurse", "driver", "trucker", "miner", "staff",
                  "lecturer", "pilot", "docker", "farmer", "workforce", "labourer", "laborer", "professor"}
#: nouns naming part of a place ("parts of the city of Jos"), which stand for the place
PARTITIVE_PLACES = {"part", "area", "section", "quarter", "outskirt", "suburb", "district", "neighbourhood",
                    "neighborhood", "center", "centre"}
#: words that count part of what their "of" phrase names
QUANTIFIERS = {"some", "part", "most", "all", "many", "half", "bulk", "rest", "remainder", "several", "few", "one",
               "two", "three", "majority", "portion", "hundred", "thousand", "dozen"}
#: verbs of offering what is one's own to another ("offered to US an armored regiment")
OFFERING = {"offer", "promise", "pledge", "provide", "lend"}
#: events whose noun a bare sector adjective qualifies by kind ("military aid", CAMEO 072) rather than by actor
KIND_MODIFIED = {"AID", "AGREE", "COOPERATE", "SUPPORT", "SANCTION", "CONCEDE", "RETREAT"}
#: people named by a coded body compounded before them ("Afghan Army trainees")
GROUP_PEOPLE = {"trainee", "recruit", "cadet", "member", "officer", "official", "soldier", "personnel", "staff",
                "employee", "worker", "commander", "leader", "guard", "veteran", "fighter"}
#: people who belong to, or side with, the actor of their "of" phrase ("members of Hamas", "supporters of
#: opposition leader Alexei Navalny"): coded as that actor, as the Phoenix agents code "opposition supporter"
MEMBER_NOUNS = {"member", "supporter", "follower", "loyalist", "partisan", "sympathizer", "sympathiser",
                "adherent", "backer", "militant", "fighter", "remnant"}
#: heads whose "of" phrase names what is transferred
MEASURES = QUANTITY_NOUNS | MONEY
#: RETREAT "access" (CAMEO 086): letting observers, peacekeepers or aid in
ACCESS_NOUNS = {"access", "permission", "entry", "passage"}
#: what aid workers or monitors are let in to do ("allowed aid agencies to enter Darfur")
ACCESS_VERBS = {"enter", "access", "reach", "visit", "operate", "deliver", "distribute"}
OPENING = {"border", "airspace", "port", "crossing", "corridor", "frontier"}
#: people given refuge: AID "asylum" (CAMEO 075)
REFUGE_SEEKERS = {"refugee", "migrant", "asylum", "seeker", "displaced", "evacuee"}
#: returned property / persons: RETREAT (CAMEO 0842 / 0841); "returned fire" is shooting
RETURNED_PERSONS = {"prisoner", "hostage", "detainee", "captive", "abductee", "body", "remains", "soldier",
                    "fisherman", "citizen", "national"}
#: devices that kill with no named attacker: coded as unidentified armed forces (see _weapon_attacker)
DEVICES = {"bomb", "explosion", "blast", "device", "ied", "mine", "landmine", "minefield", "explosive", "car-bomb",
           "roadside"}
#: event types whose target, when none is named, is the place they happen in (see _place_target), with the
#: prepositions that name that place: a withdrawal is "from" (or "out of") the place left, a deployment
#: or aid mission is "in" or "into" the place reached
PLACE_TARGETS = {"ASSAULT": ("in",), "COERCE": ("in",), "MOBILIZE": ("in", "into"),
                 "RETREAT": ("in", "from", "out"), "AID": ("in", "into")}
#: event types that only a state does to a person, so that a passive clause with no agent is the act of the
#: state where it happens ("was arrested in Lebanon", see _place_authority)
AUTHORITY_ACTS = {"COERCE", "ACCUSE", "SANCTION"}
#: event types whose place target is the population of the place (PLOVER/CAMEO coders code "a curfew in
#: Abidjan", "retook a village in western Cambodia" as the place's civilians, CVL); other place
#: targets are the territory, with no sector
POPULATION_TARGETS = {"ASSAULT", "COERCE"}
#: prepositions whose object the clause's subject does not do: "protested against the deportations"
NOT_PARTAKING_PREPS = {"against", "about", "over", "of", "despite", "amid", "regarding", "concerning"}
#: denying an accusation is CAMEO 016 "deny responsibility" (PLOVER REJECT); declining to comment is 011
DENIALS = {"deny", "reject", "dismiss", "refute", "rebuff", "decline", "refuse"}
ALLEGATIONS = {"accusation", "allegation", "charge", "claim", "report", "suggestion", "responsibility",
               "involvement", "wrongdoing"}
#: reducing or stopping aid is SANCTION (CAMEO 162 "reduce or stop material aid"); ending mediation or
#: negotiations too (164/165)
REDUCING = {"reduce", "cut", "suspend", "halt", "stop", "freeze", "slash", "end", "curtail", "scale", "terminate",
            "abandon"}
#: withholding aid is stopping it (CAMEO 162): "would prohibit all aid to Albanian rebels"
WITHHOLDING = REDUCING | {"prohibit", "ban", "block", "bar", "withhold", "deny", "forbid"}
AID_FLOWS = {"aid", "assistance", "funding", "donation", "donations", "subsidy", "loan", "grant", "support", "supply",
             "delivery", "shipment", "export", "import"}
MEDIATION_WORDS = {"mediation", "negotiation", "negotiations", "talk", "talks", "dialogue"}
#: trade barriers: lowering them eases an economic sanction (CAMEO 085)
TARIFFS = {"tariff", "duty", "levy", "quota"}
EASING_TRADE = {"cut", "reduce", "lower", "slash", "roll", "waive", "eliminate", "suspend", "lift", "ease", "remove",
                "scrap", "drop"}
#: the trainees of "trained Iraqi pilots": forces trained by another country receive military aid
TRAINEES = {"pilot", "soldier", "troop", "force", "police", "policeman", "officer", "army", "personnel", "recruit",
            "fighter", "cadet", "commando", "guard", "unit", "military", "marine", "sailor", "crew", "peacekeeper"}
PEACEKEEPING_NOUNS = {"operation", "mission", "force", "contingent", "deployment"}
PEACEKEEPING_VERBS = {"participate", "join", "serve", "take", "contribute", "deploy", "lead", "send"}
OBJECT_CONTROL = {"press", "urge", "ask", "tell", "force", "persuade", "call", "order", "pressure", "push",
                  "encourage", "invite", "allow", "warn", "implore", "beg"}
RECIPIENT_PREPS_NOUN = {"against", "on", "at", "to", "with", "toward", "towards", "into", "upon", "of"}
CONDITION = {"if", "unless", "otherwise"}
FUTURE_AUX = {"will", "would", "'ll", "shall"}
INTENT_HEADS = {"prepared", "ready", "willing", "intend", "determined", "pledge", "promise", "vow"}
#: type of a declared future action -> (PLOVER type, CAMEO code, mode) of the declaration
INTENT_READINGS = {
    "CONSULT": ("AGREE", "036", None), "SUPPORT": ("AGREE", "032", None), "CONCEDE": ("AGREE", "035", None),
    "COOPERATE": ("AGREE", "031", None), "AID": ("AGREE", "033", None), "RETREAT": ("AGREE", "035", None),
    "ASSAULT": ("THREATEN", "138", "violence"), "MOBILIZE": ("THREATEN", "138", "violence"),
    "COERCE": ("THREATEN", "132", "restrict"), "SANCTION": ("THREATEN", "131", "relations"),
}
PASSAGES = {"road", "street", "highway", "bridge", "traffic", "transport", "railway", "rail", "route", "entrance",
            "access", "border", "crossing", "port", "motorway", "junction", "roadway", "track", "line", "airport"}
FORMAL_VERBS = {"lodge", "file", "register", "deliver", "submit", "issue", "send", "express", "voice"}
CIVILIAN_PRESENCE = {"inspector", "observer", "diplomat", "ambassador", "envoy", "monitor", "staff", "aid", "mission",
                     "peacekeeper", "embassy", "worker", "personnel"}
CONTACTS = {"visit", "trip", "meeting", "talk", "talks", "summit", "negotiation", "tour", "off"}
RESTRICTIONS = {"restriction", "ban", "sanction", "curfew", "embargo", "blockade", "siege", "emergency", "limit",
                "control", "measure", "curb"}
STATE_FORCE_NOUNS = {"police", "army", "troop", "soldier", "force", "military", "authority", "government", "officer"}
#: lemmas that :meth:`EventExtractor._refine_context` can give a reading to, lexicon or not
CONTEXT_LEMMAS = {"arrive", "announce", "remind", "push", "press", "pressure", "campaign", "lobby", "block", "protest",
                  "withdraw", "pull", "recall", "cancel", "postpone", "scrap",
                  "suspend", "call",
                  "lift", "ease", "relax", "remove", "end", "revoke", "repeal", "deploy", "strike", "warn",
                  "message", "letter", "note", "fire", "hold", "talks", "share", "exchange", "return", "allow",
                  "launch", "use", "lob", "throw", "spray",
                  "permit", "open", "train"} | EASING_TRADE | PEACEKEEPING_NOUNS | WITHHOLDING
PARTICLES = {"down", "out", "up", "off", "back", "away", "over", "in"}
#: nouns of military exercises, and the words that make them joint (see _refine_context)
EXERCISES = {"exercise", "drill", "manoeuvre", "maneuver", "wargame", "game"}
JOINT_WORDS = {"joint", "combined", "multinational", "bilateral", "trilateral", "allied"}
#: verbs whose passive form describes what the subject does ("were engaged in", "is involved in")
STATIVE_PASSIVES = {"engage", "involve"}
#: objects whose "with" phrase names the other party ("cut ties with", "boycott contact with")
RELATION_NOUNS = {"contact", "contacts", "tie", "ties", "relation", "relations", "talk", "talks", "dealing",
                  "dealings", "negotiation", "negotiations", "cooperation", "dialogue", "trade", "link", "links",
                  "agreement", "deal", "border", "borders", "frontier"}
#: nouns of places and property that stand for their owner or occupants ("a camp for refugees",
#: "the offices of the administrators") when they are attacked, raided or closed
FACILITY_NOUNS = {"camp", "office", "offices", "home", "homes", "house", "houses", "headquarters", "embassy",
                  "consulate", "base", "school", "hospital", "compound", "residence", "shelter", "mission", "station",
                  "checkpoint", "post", "outpost", "barracks"}
COMPLEMENT_PREPS = {"to", "with", "against", "toward", "towards", "into"}
#: nouns of what someone said or decided, whose "of" phrase names who said it ("the demands of the drivers")
SPEECH_NOUNS = {"demand", "call", "request", "accusation", "allegation", "invitation", "offer", "proposal", "appeal",
                "plea", "criticism", "decision", "comment", "remark", "statement", "claim", "charge", "ultimatum",
                "warning", "threat", "order", "plan", "policy", "move", "ruling", "verdict", "refusal",
                "suggestion", "initiative", "bid", "condition", "proposals", "demands", "calls"}
#: sayers that speak for the actor of the reported clause rather than about it
OWN_VOICE = {"statement", "communique", "announcement", "release", "spokesman", "spokeswoman", "spokesperson",
             "letter", "declaration"}
#: prepositions that set an event in the background of another ("lifted the curfew after clashes")
BACKGROUND_PREPS = {"after", "following", "since", "amid", "despite", "before", "during"}
COOPERATIVE = {"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
#: cooperative actions whose declared refusal is a REJECT, with the CAMEO 12 code and PLOVER mode of the
#: refusal ((type, mode) first, then (type, None)): refuse to release persons or property (1243), to ease
#: sanctions or restrictions (1241), to yield (124), reject a proposal to meet (125), reject material
#: cooperation (121) or aid (122), reject (120)
REFUSALS: dict[tuple[str, str | None], tuple[str, str | None]] = {
    ("RETREAT", "release"): ("1243", "yield"), ("RETREAT", None): ("124", "yield"),
    ("CONCEDE", None): ("1241", "yield"), ("AGREE", None): ("120", None), ("CONSULT", None): ("125", "meet"),
    ("AID", None): ("122", "assist"), ("COOPERATE", None): ("121", "assist"), ("SUPPORT", None): ("120", None),
}
REFUSABLE = {t for t, _m in REFUSALS}
NAMED_TYPES = {"", "PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
VOW_VERBS = {"say", "vow", "warn", "declare", "threaten", "pledge", "promise", "announce", "insist", "state", "assert",
             "affirm", "reiterate", "stress", "maintain", "tell"}


@dataclass(frozen=True)
class Sense:
    event: str
    cameo: str
    mode: str | None
    preps: tuple[str, ...]
    # for a declared intention (AGREE/THREATEN), the type of the intended act ("will evacuate the
    # settlements in Gaza" is AGREE to a RETREAT), whose implied roles apply
    intended: str | None = None


@lru_cache(maxsize=1)
def load_lexicon(path: str = str(LEXICON)) -> dict[tuple[str, str], Sense]:
    out = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            preps = tuple(p for p in (row.get("preps") or "").split("|") if p)
            out[(row["lemma"], row["pos"])] = Sense(row["event"], row["cameo"] or DEFAULT_CAMEO[row["event"]],
                                                    row["mode"] or None, preps)
    return out


def _is_light(verb: Token) -> bool:
    """A light verb that hands the event to its object noun ("launched an attack"); also when the small
    model's lemmatiser misses the form ("staged" -> "stag")."""
    low = verb.lower_
    return verb.lemma_.lower() in LIGHT_VERBS or low[:-1] in LIGHT_VERBS or low[:-2] in LIGHT_VERBS \
        or (low.endswith("ing") and low[:-3] + "e" in LIGHT_VERBS)


def _up_to_object(v: Token) -> Token | None:
    """The object of "kidnapped up to 16 advisers", which the parser hangs on "up" (a particle) and
    "to" (a preposition) rather than on the verb."""
    up = _has_child(v, {"prt", "advmod"}, {"up"})
    if up is None:
        return None
    for c in [*up.children, *v.children]:
        if c.dep_ == "prep" and c.lower_ == "to" and c.i == up.i + 1:
            for p in c.children:
                if p.dep_ == "pobj" and any(x.dep_ == "nummod" or x.like_num for x in p.children):
                    return p
    return None


def _clause_object(v: Token) -> Token | None:
    """The object of "will not accept any Rohingya refugees fleeing violence", which the parser reads as the
    subject of a participle clause hung on the verb: a bare clause (no auxiliary, no "that") whose subject
    follows the verb at once; also an infinitive after a verb of letting or asking ("allow the WFP to deliver")
    and a bare one after "help", "let" or "make" ("help North Korea cope")."""
    for c in v.children:
        bare = c.tag_ in ("VBG", "VBN") or (c.tag_ == "VB" and (
            (v.lemma_.lower() in OBJECT_CONTROL and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children))
            or v.lemma_.lower() in BARE_INFINITIVE_HEADS))
        if c.dep_ == "ccomp" and bare and c.i > v.i and not any(
                x.dep_ in ("aux", "auxpass", "mark") and x.lower_ != "to" for x in c.children):
            subj = _has_child(c, {"nsubj", "nsubjpass"})
            if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.left_edge.i <= v.i + 2:
                return subj
    return None


def _dative(v: Token) -> Token | None:
    """The receiver of a transfer: the indirect object ("gave Kenya $40 million"), the object of a "to" the
    parser tags as dative ("gave to Armenia some of the equipment"), or a name the parser compounds with the
    thing given ("gave Armenia military equipment": a name right after the verb, before the object's head)."""
    d = _has_child(v, {"dative"})
    if d is not None:
        return _has_child(d, {"pobj"}) if d.pos_ == "ADP" else d
    dobj = _has_child(v, {"dobj"})
    if dobj is None or dobj.i <= v.i + 1 or dobj.lemma_.lower() in FORCES or any(
            c.dep_ in ("prep", "dative") and c.lower_ in ("to", "for") for x in (v, dobj) for c in x.children):
        return None  # ("sent US troops", "gave US weapons to Ukraine": the name is the owner)
    first = v.doc[v.i + 1]
    if first.pos_ == "PROPN" and first.dep_ in ("nmod", "compound") and first.ent_type_ in ("GPE", "ORG", "PERSON") \
            and first.head.i == dobj.i:
        return first
    return None


def _phrase_tokens(n: Token) -> list[Token]:
    """The tokens of ``n``'s phrase, without relative clauses, in order."""
    out, todo = [], [n]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ != "relcl")
    return sorted(out, key=lambda t: t.i)


def _of_objects(tok: Token) -> list[Token]:
    """The objects of ``tok``'s "of" phrases ("the return of inspectors" -> inspectors), in order."""
    return [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]


def _natural_cause(v: Token) -> bool:
    """The harm a verb reports has a natural or accidental cause and no agent: its subject, its "by" agent
    or its "in" phrase is a disaster or an accident ("a fire that killed 19 people", "were killed in a road
    accident", "floods killed 40"). PLOVER codes deliberate acts only."""
    cands = [_has_child(v, {"nsubj"})]
    agent = _has_child(v, {"agent"})
    if agent is not None:
        cands.append(_has_child(agent, {"pobj"}))
    cands += [p for c in v.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children if p.dep_ == "pobj"]
    if v.dep_ == "relcl" and cands[0] is not None and cands[0].lower_ in ("that", "which"):
        cands.append(v.head)
    return any(x is not None and _is_natural(x) for x in cands)


def _participle_agent(c: Token) -> Token | None:
    """The "by" of a participle that describes its noun ("an appeal lodged by X", "crimes committed by Y"),
    when ``c`` is such a participle."""
    return _has_child(c, {"agent"}) if c.dep_ == "acl" and c.pos_ == "VERB" else None


def _gapped_object(prep: Token) -> Token | None:
    """The object a preposition left without one shares with the verb conjoined after it: that verb's
    rightmost object or prepositional object, one phrase deep, outside its clauses."""
    verb = next((x for x in prep.doc[prep.i + 2:prep.sent.end] if x.dep_ == "conj" and x.pos_ == "VERB"), None)
    if verb is None:
        return None
    objs: list[Token] = []
    for c in verb.children:
        if c.dep_ == "dobj":
            objs.append(c)
            objs += [p for pp in c.children if pp.dep_ == "prep" for p in pp.children if p.dep_ == "pobj"]
        elif c.dep_ == "prep":
            objs += [p for p in c.children if p.dep_ == "pobj"]
    return max(objs, key=lambda x: x.i) if objs else None


def _and_list(c: Token) -> bool:
    """An apposition that continues a list: its members are joined with "and" and it is no elaboration
    ("mostly women and children", "including two officers and a judge")."""
    x = _counted(c)
    ccs = [t.lower_ for y in (c, *c.conjuncts, x, *x.conjuncts) for t in y.children if t.dep_ == "cc"]
    if not ccs or any(w != "and" for w in ccs):
        return False
    first = c.doc[c.left_edge.i]
    return first.lower_ not in ELABORATING and not any(
        t.dep_ in ("advmod", "prep") and t.lower_ in ELABORATING for t in c.children)


def _counted(n: Token) -> Token:
    """The noun a quantity counts ("some of its troops" -> troops, "dozens of supporters" -> supporters)."""
    if n.lemma_.lower() in QUANTIFIERS or n.lemma_.lower() in COUNT_NOUNS or n.pos_ == "NUM":
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                p = _has_child(c, {"pobj"})
                if p is not None:
                    return p
    return n


def _describing(tok: Token) -> bool:
    """A participle describing the person named right after it ("visiting Saudi Crown Prince Mohammed bin
    Salman"), which the parser may read as a modifier or as a verb taking the name as its object."""
    if tok.lower_ not in DESCRIBING_PARTICIPLES or tok.i + 1 >= len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1]
    if tok.dep_ == "amod":
        return True
    return tok.dep_ == "pcomp" and nxt.ent_type_ in ("PERSON", "NORP", "GPE", "ORG") and any(
        c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "ORG") for c in tok.children)


def _is_natural(x: Token) -> bool:
    """A disaster or accident noun; "fire" only as a blaze ("a fire", "a huge factory fire"), not shooting
    ("artillery fire", "sniper fire", "fire from government troops")."""
    lemma = x.lemma_.lower()
    if lemma not in NATURAL_CAUSES:
        return False
    if lemma == "fire":
        mods = {c.lemma_.lower() for c in x.children if c.dep_ in ("compound", "amod", "nmod")}
        if mods - BLAZES or any(c.dep_ == "prep" and c.lower_ in ("from", "by") for c in x.children):
            return False
    return True


def _has_child(tok: Token, deps: set[str], lemmas: set[str] | None = None) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps and (lemmas is None or c.lemma_.lower() in lemmas):
            return c
    return None


class EventExtractor:
    def __init__(self, lexicon_path: str | None = None) -> None:
        self.lex = load_lexicon(lexicon_path or str(LEXICON))
        # multi-word entries, keyed by their head word: a verb and its particle/object ("step down",
        # "establish tie", "lay down arm"), or a noun and its modifiers ("martial law")
        self.multi: dict[tuple[str, str], list[tuple[frozenset[str], Sense]]] = {}
        for (lemma, pos), sense in self.lex.items():
            words = lemma.split()
            if len(words) > 1:
                head, rest = (words[0], words[1:]) if pos == "V" else (words[-1], words[:-1])
                self.multi.setdefault((head, pos), []).append((frozenset(rest), sense))
        for v in self.multi.values():
            v.sort(key=lambda x: -len(x[0]))  # the longest phrase first
        # every word that can be a trigger: the lexicon's lemmas and forms, the heads of its
        # multi-word entries and the words the context readings of _refine_context start from
        self._triggers = WordFilter({lemma for lemma, _ in self.lex if " " not in lemma} | {h for h, _ in self.multi}
                                    | CONTEXT_LEMMAS | TRANSFER | COMMUNICATION | NEED_NOUNS | MESSAGE_NOUNS
                                    | ENDING)

    # ------------------------------------------------------------ entry point
    def __call__(self, parsed: Parsed, layer: ActorLayer) -> list[Event]:
        doc = parsed.doc
        events: list[Event] = []
        # only tokens whose form or lemma can start a reading are looked at (array test, no Token objects)
        cand = self._triggers.tokens(doc)
        k = 0
        for si, sent in enumerate(parsed.sents):
            found: list[Event] = []
            while k < len(cand) and cand[k] < sent.end:
                if cand[k] >= sent.start:
                    ev = self._event_at(parsed, layer, doc[cand[k]], sent, si)
                    if ev is not None:
                        found.append(ev)
                k += 1
            _results_of_attacks(found)
            events.extend(self._rank_embedded(self._merge_partials(found)))
        return events

    # ------------------------------------------------------------ triggers
    def _sense(self, tok: Token, sent: SpacySpan) -> Sense | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB",):
            pos = "V"
        elif tok.pos_ in ("NOUN", "PROPN"):
            pos = "N"
        else:
            return None
        sense = self.lex.get((lemma, pos)) or self.lex.get((tok.lower_, pos))
        if pos == "N" and tok.lower_ == "talks":
            sense = self.lex.get(("talks", "N"))
        phrases = self.multi.get((lemma, pos))
        if phrases:
            near = self._phrase_words(tok, pos)
            for rest, psense in phrases:
                if rest <= near:
                    sense = psense
                    break
        return self._refine(tok, lemma, pos, sense, sent)

    @staticmethod
    def _phrase_words(tok: Token, pos: str) -> set[str]:
        """Lemmas a multi-word entry may take around its head: a verb's particle, object and the
        object's modifiers; a noun's modifiers and its "of" complement ("state of emergency")."""
        out: set[str] = set()
        for c in tok.children:
            if pos == "V" and (c.dep_ in ("prt", "dobj", "nsubjpass") or (c.dep_ == "advmod" and c.lower_ in PARTICLES)
                               # "pulled out of Somalia": the particle parsed as a preposition heading "of"
                               or (c.dep_ == "prep" and c.lower_ in PARTICLES and _has_child(c, {"prep"}) is not None
                                   and (c.i == tok.i + 1 or c.lower_ == "out"))):  # ("forced aid workers out of")
                out.add(c.lemma_.lower())
                if c.dep_ != "prt":
                    out.update(x.lemma_.lower() for x in c.children if x.dep_ in ("amod", "compound", "prt"))
            elif pos == "N" and c.dep_ in ("amod", "compound", "nmod"):
                out.add(c.lemma_.lower())
            elif pos == "N" and c.dep_ == "prep" and c.lower_ == "of":
                out.update(x.lemma_.lower() for x in c.children if x.dep_ == "pobj")
        return out

    def _refine(self, tok: Token, lemma: str, pos: str, sense: Sense | None, sent: SpacySpan) -> Sense | None:
        """Context-dependent readings the codebook asks for, then the declared-intention reading."""
        sense = self._refine_context(tok, lemma, pos, sense, sent)
        if sense is None:
            return None
        # the verb that carries the event: the trigger itself, or the light verb of a noun ("will hold talks")
        verb = tok if pos == "V" else (tok.head if tok.dep_ == "dobj" and _is_light(tok.head) else None)
        if sense.event in REFUSABLE and verb is not None and _has_child(verb, {"neg"}) is not None:
            declared = self._declared_intent(verb, True)
            if declared is not None:
                # a declared refusal: "will not release the soldiers", "says it will not accept refugees",
                # "will not lift the ban" -- CAMEO 124 "refuse to yield" (PLOVER REJECT); the "not" is
                # part of this reading, so the event is not negated
                data = tok.doc.user_data
                data.setdefault("casus_neg_reading", {})[tok.i] = True
                if declared is not tok:
                    data.setdefault("casus_modal_anchor", {})[tok.i] = declared.i
                cameo, mode = ("1242", "yield") if sense.cameo == "082" else REFUSALS.get(
                    (sense.event, sense.mode), REFUSALS.get((sense.event, None), ("120", None)))
                # ("will not end the strike": CAMEO 1242 decline to ease popular dissent)
                return Sense("REJECT", cameo, mode, sense.preps)
        if sense.event in INTENT_READINGS:
            declared = self._declared_intent(verb, sense.event in COOPERATIVE) if verb is not None else None
            if declared is not None:
                # the codebook: a stated intention is coded as the intention itself -- AGREE for
                # cooperative actions ("said they will release the hostages"), THREATEN for
                # conflictual ones ("said they would boycott all contact", "will extend the curfew")
                if declared is not tok:
                    tok.doc.user_data.setdefault("casus_modal_anchor", {})[tok.i] = declared.i
                event, cameo, mode = INTENT_READINGS[sense.event]
                if event == "THREATEN" and sense.mode in ("arrest", "expel"):
                    mode = sense.mode
                return Sense(event, cameo, mode, sense.preps, intended=sense.event)
        return sense

    def _refine_context(self, tok: Token, lemma: str, pos: str, sense: Sense | None, sent: SpacySpan) -> Sense | None:
        """Readings that depend on the trigger's object or neighbours."""
        if pos == "N" and any(c.dep_ == "compound" and c.lower_ in ("press", "news", "media") for c in tok.children):
            return None  # "a press release", "a news conference" name no event of their own
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        obj_lemmas = {o.lemma_.lower() for o in objs} | {c.lemma_.lower() for o in objs for c in o.conjuncts}
        if pos == "V" and (lemma in TRANSFER or lemma in ("share", "exchange", "allow", "permit", "open")):
            obj_lemmas |= self._transferred(tok, objs)
            mods = {c.lemma_.lower() for o in objs for c in o.children if c.dep_ in ("amod", "compound")}
            if obj_lemmas & ACCESS_NOUNS and lemma in ("give", "grant", "provide", "allow", "permit", "offer"):
                return Sense("RETREAT", "086", "access", ("to",))  # "allows aid workers access to Tigray"
            if lemma in ("allow", "permit") and obj_lemmas & {"return", "deployment", "arrival", "presence"} \
                    and self._of_words(objs) & (CIVILIAN_PRESENCE | {"peacekeeper", "monitor", "inspector"}):
                return Sense("RETREAT", "086", "access", ("to",))  # "allow the return of U.N. weapons inspectors"
            if lemma in ("allow", "permit") and any(
                    c.dep_ in ("xcomp", "ccomp") and (c.lemma_.lower() in ACCESS_VERBS or (
                        c.lemma_.lower() in TRANSFER and any(
                            o.dep_ == "dobj" and o.lemma_.lower() in RELIEF | GOODS for o in c.children)))
                    for c in tok.children):
                # "would allow the WFP to deliver food", "allowed aid agencies to enter Darfur": letting aid or
                # aid workers in (CAMEO 086, PLOVER RETREAT); the one let in is the recipient
                return Sense("RETREAT", "086", "access", ())
            if lemma == "open" and obj_lemmas & OPENING:
                if self._pp_words(tok, "to") & REFUGE_SEEKERS:
                    return Sense("AID", "075", "asylum", ("to",))  # "opened its borders to refugees"
                return Sense("RETREAT", "086", "access", ("to",))
            if lemma in ("open", "allow", "permit"):
                return sense
            if obj_lemmas & INFORMATION and (lemma in ("share", "exchange") or self._pp_words(tok, "with")):
                return Sense("COOPERATE", "064", None, ("with",))  # "shared intelligence with" (mutual)
            if lemma in ("share", "exchange"):
                return sense
            if obj_lemmas & WEAPONS:
                return Sense("AID", "072", "military", ("to",))
            if obj_lemmas & TROOPS and not any(c.dep_ in ("prt", "advmod", "prep")
                                               and c.lower_ in ("out", "back", "home") for c in tok.children):
                # (but "peacekeepers were shipped out of Gorazde", "flew its troops home" withdraw them)
                return Sense("MOBILIZE", "152", "troops", ("to", "into"))
            if obj_lemmas & TRAINING:
                return Sense("AID", "072", "military", ("to",))
            if obj_lemmas & {"support", "help", "assistance"} and any(
                    x.lemma_.lower() in MONEY or x.ent_type_ == "MONEY" for o in objs for x in o.subtree):
                return Sense("AID", "071", None, ("to", "for"))  # "provides €45m support for farmers"
            if obj_lemmas & (RELIEF | GOODS | HELPERS | INFORMATION) or (
                    obj_lemmas & {"support", "help"} and mods & AID_KINDS):
                return Sense("AID", "070", "humanitarian" if obj_lemmas & {"food", "medicine", "tent", "shelter",
                                                                             "water", "relief"} else None, ("to",))
            if obj_lemmas & MONEY or any(x.ent_type_ == "MONEY" for o in objs for x in (o, *o.children)):
                # ("provided €45m in support": the amount the NER tags as money)
                return Sense("AID", "071", None, ("to",))
            return sense
        if pos == "V" and lemma in ("launch", "fire") and {_counted(o).lemma_.lower() for o in objs} & LAUNCHED:
            # "launched more than 100 drones and several ballistic missiles at Ukrainian energy facilities":
            # aerial weapons used (CAMEO 195, PLOVER ASSAULT)
            return Sense("ASSAULT", "195", "aerial", AIMED_AT)
        if pos == "V" and lemma == "return" and objs:
            if obj_lemmas & {"fire"}:
                return Sense("ASSAULT", "190", None, ())
            if obj_lemmas & {"favour", "favor", "call", "visit", "home", "ball"}:
                return sense
            if obj_lemmas & RETURNED_PERSONS:
                return Sense("RETREAT", "0841", "release", ("to",))
            return Sense("RETREAT", "0842", "release", ("to",))  # returned property (codebook RETREAT)
        if pos == "V" and lemma in EASING_TRADE and obj_lemmas & TARIFFS and (
                lemma != "roll" or _has_child(tok, {"prt"}, {"back"})):
            return Sense("RETREAT", "085", None, ())  # "cut tariffs on Chinese goods": easing an economic sanction
        if pos == "V" and lemma == "train" and obj_lemmas & TRAINEES:
            return Sense("AID", "072", "military", ())  # "the US military trains Iraqi pilots"
        if pos == "V" and lemma == "arrive" and self._arriving_peacekeepers(tok):
            # "NATO peacekeeping troops have arrived in Bosnia": peacekeepers deployed (AID, CAMEO 074), whose
            # target is where they arrive
            return Sense("AID", "074", None, ("in", "at", "to"))
        if pos == "N" and lemma in PEACEKEEPING_NOUNS and self._peacekeeping(tok):
            return Sense("AID", "074", None, ("in", "to"))  # "troops participate in peacekeeping operations"
        if lemma == "block" and pos == "V" and obj_lemmas & PASSAGES and not self._state_forces_subject(tok):
            return Sense("PROTEST", "144", "obstruct", ())  # protesters blocking roads: PROTEST obstruct
        if pos == "N" and lemma == "protest" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in FORMAL_VERBS:
            return Sense("ACCUSE", "111", "disapprove", ("with", "to", "against"))  # "lodged a protest with"
        if lemma in ("withdraw", "pull", "recall") and pos == "V" and obj_lemmas & CIVILIAN_PRESENCE:
            return Sense("SANCTION", "166", "withdraw", ("from",))  # observers, diplomats, aid: not a retreat
        if lemma in ("cancel", "postpone", "scrap", "suspend", "call") and pos == "V" and obj_lemmas & CONTACTS:
            if lemma != "call" or _has_child(tok, {"prt"}, {"off"}):
                return Sense("SANCTION", "164", "discontinue", ())  # "cancelled a planned visit"
        if pos == "V" and lemma in DENIALS:
            if any(c.dep_ == "xcomp" and c.lemma_.lower() == "comment" for c in tok.children):
                return None  # "declined to comment": CAMEO 011, a statement PLOVER does not code
            if obj_lemmas & ALLEGATIONS or (lemma == "deny" and _has_child(tok, {"ccomp"}) is not None):
                # "rejected accusations of ...", "denied that it tortured ...": PLOVER REJECT, CAMEO 016
                # "deny responsibility"
                return Sense("REJECT", "016", None, ("by", "from"))
        if pos == "V" and lemma in WITHHOLDING and objs:
            obj_words = obj_lemmas | {c.lemma_.lower() for o in objs for c in o.children
                                      if c.dep_ in ("compound", "amod")}
            if obj_lemmas & AID_FLOWS:
                return Sense("SANCTION", "162", "discontinue", ("to", "for"))  # "reduced humanitarian aid to Yemen"
            if obj_words & MEDIATION_WORDS and lemma in REDUCING and lemma not in ("reduce", "cut", "slash", "scale"):
                # "ended mediation efforts between X and Y": CAMEO 164/165 halt negotiations / mediation
                return Sense("SANCTION", "165" if "mediation" in obj_words else "164", "discontinue",
                             ("with", "between"))
        if lemma in ("cancel", "lift", "ease", "relax", "remove", "scrap", "end", "revoke", "repeal") and pos == "V" \
                and obj_lemmas & RESTRICTIONS:
            return Sense("CONCEDE", "081", None, ())  # easing restrictions is a concession
        if lemma == "deploy" and obj_lemmas & WEAPONS:
            return Sense("MOBILIZE", "152", "weapons", ("to",))
        if lemma == "strike":
            if pos == "V" and obj_lemmas & {"deal", "agreement", "accord", "bargain"}:
                return Sense("AGREE", "030", None, ("with",))
            mods = {c.lemma_.lower() for c in tok.children}
            if pos == "N" and self._labour_strike(tok):
                return Sense("PROTEST", "143", "hunger" if "hunger" in mods else "strike", ())
            if pos == "V" and self._labour_strike(tok):
                return Sense("PROTEST", "143", "strike", ())  # "workers struck for better pay"
            if pos == "N" and mods & {"air", "drone", "missile"}:
                return Sense("ASSAULT", "195", "drone" if "drone" in mods else "aerial", sense.preps if sense else ())
        if pos == "V" and lemma in ENDING and objs and obj_lemmas & PROTEST_ACTS and not (
                obj_lemmas & PROTEST_ACTS == {"strike"}
                and any(self._armed_strike(o) for o in objs if o.lemma_.lower() == "strike")) and (
                lemma != "call" or _has_child(tok, {"prt"}, {"off"}) is not None) \
                and not self._state_forces_subject(tok):
            # "called off the two-day strike", "will end the hunger strike": protesters ending their protest
            # concede (PLOVER CONCEDE "suspending protests"; CAMEO 082 ease political dissent)
            return Sense("CONCEDE", "082", None, ())
        if lemma == "call" and pos == "V":
            if any(c.dep_ == "prep" and c.lemma_.lower() in ("on", "upon", "for") and not any(
                    p.dep_ == "pobj" and p.ent_type_ in ("DATE", "TIME") for p in c.children) for c in tok.children):
                # ("called X on Wednesday" is a call on a day, not a call on X)
                return Sense("REQUEST", "020", None, ("on", "upon"))  # CAMEO 02 "appeal": "called on X to"
            if _has_child(tok, {"dobj"}) is not None and any(
                    c.dep_ in ("oprd", "xcomp", "ccomp") and c.pos_ in ("NOUN", "ADJ") and c.ent_type_ not in (
                        "PERSON", "ORG", "GPE", "NORP") for c in tok.children):
                return None  # "calls it a clear violation", "called the decision illegal": naming, not a call
            # ("called Putin on Friday": the parser may take the name for a predicate, "oprd")
            if (_has_child(tok, {"dobj"}) or any(c.dep_ == "oprd" and c.ent_type_ in ("PERSON", "ORG", "GPE")
                                                 for c in tok.children)) and tok.head.lemma_ not in COMMUNICATION:
                return Sense("CONSULT", "041", "phone", ())  # CAMEO 041 "discuss by telephone"
            return None
        if sense is not None and sense.event == "CONSULT" and sense.mode is None and any(
                c.dep_ == "prep" and c.lower_ in ("by", "over", "on") and any(
                    p.dep_ == "pobj" and p.lemma_.lower() in ("phone", "telephone", "videoconference", "video")
                    for p in c.children) for c in tok.children):
            return Sense("CONSULT", "041", "phone", sense.preps)  # "spoke by phone with Putin": CAMEO 041
        if lemma == "protest" and pos == "V" and _has_child(tok, {"prep"}, {"against"}) is None and (any(
                c.dep_ == "ccomp" and _has_child(c, {"nsubj", "nsubjpass"}) is not None for c in tok.children)
                or _inverted_report(tok) is not None):
            # "X are failing to uphold rights, a human rights group protested": a spoken protest is a
            # criticism (CAMEO 111), of the clause's subject
            return Sense("ACCUSE", "111", None, ())
        if lemma == "charge" and pos == "V" and "baton" in {
                tok.doc[k].lower_ for k in (tok.i - 1, tok.i - 2) if k >= 0}:
            # "Police baton(-)charged a human chain": violent repression (CAMEO 175), which the parser reads as a
            # noun "baton" with a participle
            return Sense("ASSAULT", "175", None, ("on",))
        if lemma in PRESSING and pos == "V" and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children) \
                and any(c.dep_ == "dobj" and (c.pos_ == "PROPN" or c.ent_type_ in ("ORG", "GPE", "PERSON", "NORP"))
                        for c in tok.children):
            # "has pushed the US Congress for policies that ...": pressing a named party for something is a
            # demand (CAMEO 10) of that party
            return Sense("REQUEST", "100", None, ())
        if lemma in PRESSING and pos == "V" and self._pressed_clause(tok) is not None:
            # "the UK is pushing hard for the US to support its plan": pressing another party to act is a
            # demand (CAMEO 10) of the clause's subject
            return Sense("REQUEST", "100", None, ())
        if lemma in ("announce", "remind") and pos == "V" and self._deontic_complement(tok) is not None:
            return Sense("REQUEST", "100", None, ())  # "announced that Kagame must agree to changes": a demand
        if lemma in COMMUNICATION and pos == "V":
            if self._deontic_complement(tok) is not None:
                return Sense("REQUEST", "100", None, ())
            if lemma == "warn":
                return sense
            return None
        if pos == "N" and lemma in ("message", "letter", "note") and self._conditional(sent):
            return Sense("THREATEN", "130", None, ("to",))
        if pos == "N" and lemma in MESSAGE_NOUNS and any(
                c.dep_ in ("acl", "ccomp") and any(a.dep_ == "aux" and a.lower_ in DEONTIC_AUX for a in c.children)
                for c in tok.children):
            # "issued a stern reminder to Iraq that it must cooperate fully": a message that another party
            # must act is a demand (CAMEO 10), as "reminded Iraq that it must ..."
            return Sense("REQUEST", "100", None, ("to",))
        if pos == "N" and lemma in NEED_NOUNS and tok.head.lemma_.lower() in COMMUNICATION:
            return Sense("REQUEST", "100", None, ("for",))
        if pos == "V" and lemma in ("fire", "use", "lob", "throw", "spray") and obj_lemmas & RIOT_MEANS and (
                lemma != "throw" or "canister" in obj_lemmas):
            # "fired tear gas at protesters" (CAMEO 175 "use tactics of violent repression", PLOVER ASSAULT)
            return Sense("ASSAULT", "175", None, ("at", "on", "into", "against"))
        if lemma == "fire" and pos == "V" and obj_lemmas and not (obj_lemmas & (WEAPONS | {"shot", "round"})):
            return Sense("SANCTION", "160", None, ())  # "fired the minister": dismissal, not shooting
        if lemma == "hold" and pos == "V" and obj_lemmas & {"talk", "talks", "meeting", "negotiation"}:
            return Sense("CONSULT", "040", None, ("with",))
        if sense is not None and pos == "N" and lemma in EXERCISES and not self._joint(tok):
            # codebook (COOPERATE): "single-country exercises should be coded as MOBILIZE" (CAMEO 150)
            return Sense("MOBILIZE", "150", "exercise", ())
        return sense

    @staticmethod
    def _transferred(verb: Token, objs: list[Token]) -> set[str]:
        """Lemmas of what a transfer moves beyond its object head: what a quantity measures ("13 tons of
        medicine", "$670,000 worth of goods") and the "with" thing when the object is the receiver
        ("provided Egypt with $50 billion", "provided the army with aircraft, vehicles")."""
        out: set[str] = set()
        things = list(objs)
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                things.extend(x for x in c.children if x.dep_ == "pobj")
        for o in things:
            for x in [o, *o.conjuncts]:
                out.add(x.lemma_.lower())
                out.add(_counted(x).lemma_.lower())  # "some of the military equipment"
                for c in x.children:
                    if c.dep_ in ("nummod", "quantmod", "compound", "nmod") and c.lemma_.lower() in MONEY:
                        out.add(c.lemma_.lower())
                    if c.dep_ == "prep" and c.lower_ == "of" and x.lemma_.lower() in MEASURES:
                        out.update(p.lemma_.lower() for p in c.children if p.dep_ == "pobj")
                        out.update(q.lemma_.lower() for p in c.children if p.dep_ == "pobj" for q in p.conjuncts)
                    if c.dep_ == "npadvmod" and c.lemma_.lower() == "worth":
                        out.update(p.lemma_.lower() for q in c.children if q.lower_ == "of" for p in q.children)
        return out

    @staticmethod
    def _of_words(objs: list[Token]) -> set[str]:
        """Lemmas of the "of" complements of ``objs`` ("the return of inspectors" -> inspector)."""
        return {p.lemma_.lower() for o in objs for p in _of_objects(o)}

    @staticmethod
    def _pp_words(tok: Token, prep: str) -> set[str]:
        """Lemmas (with their conjuncts) of the objects of ``tok``'s ``prep`` phrases."""
        out: set[str] = set()
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == prep:
                for p in c.children:
                    if p.dep_ == "pobj":
                        out.add(p.lemma_.lower())
                        out.update(x.lemma_.lower() for x in p.conjuncts)
                        out.update(x.lemma_.lower() for x in p.children if x.dep_ in ("amod", "compound"))
        return out

    @staticmethod
    def _peacekeeping(tok: Token) -> bool:
        """A peacekeeping operation or mission someone takes part in, leads or sends troops to (AID
        "military protection or peacekeeping", CAMEO 074) -- not one merely named ("the head of the
        UN peacekeeping mission")."""
        if not any(c.lower_ in ("peacekeeping", "peace-keeping", "stabilization", "stabilisation")
                   for c in tok.children if c.dep_ in ("amod", "compound", "nmod")):
            return False
        head = tok.head
        if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "to"):
            head = head.head
        elif tok.dep_ != "dobj":
            return False
        return head.pos_ == "VERB" and head.lemma_.lower() in PEACEKEEPING_VERBS

    @staticmethod
    def _arriving_peacekeepers(tok: Token) -> bool:
        """The subject of "arrived" is peacekeepers ("Japanese peacekeepers arrive at Juba airport", "the first
        deployment of NATO peacekeeping troops have arrived"), or the troops come to join a peacekeeping
        mission ("British troops arrived in Mali to join the UN peacekeeping mission")."""
        subj = _has_child(tok, {"nsubj"})
        if subj is None:
            return False
        people = [subj, _counted(subj), *_of_objects(subj)]
        if any(p.lemma_.lower() in ("peacekeeper", "peace-keeper", "blue helmet") or any(
                c.lower_ in ("peacekeeping", "peace-keeping") for c in p.children if c.dep_ in ("amod", "compound"))
               for p in people):
            return True
        return any(c.dep_ in ("advcl", "xcomp") and any(
            o.dep_ == "dobj" and any(x.lower_ in ("peacekeeping", "peace-keeping") for x in o.children)
            for o in c.children) for c in tok.children) and any(
            p.lemma_.lower() in FORCES for p in people)

    @staticmethod
    def _joint(tok: Token) -> bool:
        """A military exercise held together: "joint"/"combined"/"multinational" drills, drills "with" X,
        or drills staged by a coordinated subject ("South Korea and the United States staged drills")."""
        if any(c.lower_ in JOINT_WORDS for c in tok.children if c.dep_ in ("amod", "compound")):
            return True
        if any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
            return True
        verb = tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
        if tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.head.head.pos_ == "VERB":
            verb = tok.head.head  # "Germany, Italy and the US are participating in the war game"
        if verb is None:
            return False
        if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
            return True  # "began naval exercises with Belarus"
        subj = _has_child(verb, {"nsubj"})
        return subj is not None and bool(subj.conjuncts)

    @staticmethod
    def _state_forces_subject(tok: Token) -> bool:
        subj = _has_child(tok, {"nsubj"})
        return subj is not None and subj.lemma_.lower() in STATE_FORCE_NOUNS

    @staticmethod
    def _declared_intent(tok: Token, cooperative: bool) -> Token | None:
        """The token that states ``tok`` as its actor's own intention, or None.

        ``tok`` must be future-marked ("will/would/shall", or the complement of "prepared/ready/
        willing/ intend to") and either be the main clause ("Finland will give Tanzania a grant")
        or the complement of a declaration ("said they will release", "announced it is prepared
        to impose"). The main-clause reading is for cooperative actions only: "X will send troops"
        is reported as a plan (MOBILIZE, planned), "X said it would send troops" is a threat. A third party's claim about someone else's plans ("intelligence says Iran
        will attack") is not a declaration: the two subjects must agree (a pronoun counts).
        """
        head = tok
        future = any(a.dep_ == "aux" and a.lower_ in FUTURE_AUX for a in tok.children)
        if not future and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in INTENT_HEADS:
            future, head = True, tok.head
            if head.pos_ == "ADJ" and head.dep_ == "acomp":
                head = head.head  # "is prepared to": the copula carries the clause
        if not future:
            return None
        if head.dep_ == "ROOT":
            return head if cooperative else None
        vow = head.head if head.dep_ in ("ccomp", "xcomp") and head.head.lemma_.lower() in VOW_VERBS else None
        if vow is None and head.dep_ in ("ccomp", "advcl") and head.head.lower_ == "clear" \
                and head.head.head.lemma_.lower() == "make":
            vow = head.head.head  # "has made it clear it will not lift the ban"
        if vow is not None:
            sayer = _has_child(vow, {"nsubj"})
            subj = _has_child(tok, {"nsubj"}) or _has_child(head, {"nsubj"})
            if sayer is None or subj is None or subj.pos_ == "PRON" or subj.lower_ == sayer.lower_ \
                    or sayer.lemma_.lower() in OWN_VOICE \
                    or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subj.children):  # ("his country will")
                return vow  # "..., a statement said", "said a spokesperson": the actor's own voice
        return None

    def _labour_strike(self, tok: Token) -> bool:
        """A strike that is a stoppage of work, not an attack (CAMEO 143 "conduct strike or boycott"): one of a
        kind only protests have ("a hunger strike", "a general strike"), one gone "on" ("went on strike"), one
        "for" pay or conditions, or one by working people ("employees stopped work in a strike")."""
        if tok.pos_ != "VERB" and {c.lemma_.lower() for c in tok.children} & STRIKE_KINDS:
            return True  # "a hunger strike", "a general strike", "a sit-in strike"
        if tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.lemma_.lower() in ("go", "be", "remain"):
            return True
        if any(p.lemma_.lower() in STRIKE_DEMANDS for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"
               for p in c.subtree if p.pos_ == "NOUN"):
            return True
        verb = tok if tok.pos_ == "VERB" else self._governing_verb(tok)
        subj = _has_child(verb, {"nsubj"}) if verb is not None else None
        return subj is not None and _counted(subj).lemma_.lower() in WORKING_PEOPLE

    def _armed_strike(self, tok: Token) -> bool:
        """A strike that is an attack: of a kind only attacks have ("air strikes"), aimed "on"/"against"
        someone, or in the plural and no stoppage of work ("urged Israel to halt the strikes")."""
        if self._labour_strike(tok):
            return False
        return bool({c.lemma_.lower() for c in tok.children} & ARMED_STRIKE_KINDS) or tok.tag_ == "NNS" or any(
            c.dep_ == "prep" and c.lower_ in ("on", "against") for c in tok.children)

    @staticmethod
    def _conditional(sent: SpacySpan) -> bool:
        return any(t.lower_ in CONDITION and t.dep_ in ("mark", "advmod") for t in sent)

    @staticmethod
    def _pressed_clause(tok: Token) -> Token | None:
        """The "for X (to) do" clause of a verb of pressing, with its own subject ("pushing for the Afghan
        government to propose a ceasefire")."""
        for c in tok.children:
            if c.dep_ in ("advcl", "ccomp", "xcomp") and c.pos_ == "VERB" and c.i > tok.i \
                    and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children) \
                    and _has_child(c, {"nsubj"}) is not None:
                return c
        return None

    @staticmethod
    def _deontic_complement(tok: Token) -> Token | None:
        """'told X that Y must ...', 'stressed it is important that Y ...': the clause with the demand."""
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp", "advcl"):
                if any(a.dep_ == "aux" and a.lower_ in DEONTIC_AUX for a in c.children):
                    return c
                if c.lemma_.lower() in ("have", "need") and any(
                        x.dep_ == "xcomp" and any(a.lower_ == "to" for a in x.children) for x in c.children):
                    return c  # "X has to / needs to ...", not the perfect "have imposed"
                if c.lemma_ == "be" and any(a.dep_ == "acomp" and a.lower_ in (
                        "important", "necessary", "essential", "vital", "imperative", "crucial") for a in c.children):
                    for cc in c.children:
                        if cc.dep_ in ("ccomp", "advcl"):
                            return cc
        return None

    # ------------------------------------------------------------ roles
    def _event_at(self, parsed: Parsed, layer: ActorLayer, tok: Token, sent: SpacySpan, si: int) -> Event | None:
        sense = self._sense(tok, sent)
        if sense is None:
            return None
        if sense.event == "ASSAULT" and tok.pos_ == "VERB" and _natural_cause(tok):
            return None  # "a fire that killed 19 people", "killed in a road accident": no one's act
        if _describing(tok):
            return None  # "a lawsuit against visiting Saudi Crown Prince ...": a description, not a visit
        if tok.pos_ == "VERB" and _is_light(tok):
            obj = _has_child(tok, {"dobj"})
            if obj is not None and self._sense(obj, sent) is not None:
                return None  # "launched an attack": the noun is the event
        if tok.pos_ == "VERB":
            actors, recipients = self._verb_roles(layer, tok, sense)
        else:
            actors, recipients = self._noun_roles(layer, tok, sense)
        if not actors and not recipients:
            return None
        if tok.pos_ != "VERB" and not actors and tok.dep_ not in ("dobj", "pobj", "nsubj", "nsubjpass"):
            return None
        actors, recipients = self.implied_roles(layer, tok, sent, sense.intended or sense.event, actors, recipients)
        if sense.event in RECIPROCAL and sense.mode not in DIRECTED_MODES and actors and recipients:
            actors, recipients = self._reciprocal(layer, tok, actors, recipients)
        recipients = not_self(actors, recipients)
        text = parsed.document.text
        start, end = tok.idx, tok.idx + len(tok.text)
        prt = _has_child(tok, {"prt"})
        if prt is not None and prt.i == tok.i + 1 and not (
                prt.lower_ == "up" and prt.i + 1 < len(prt.doc) and prt.doc[prt.i + 1].lower_ == "to"):  # "up to 16"
            end = prt.idx + len(prt.text)
        ev = Event(
            doc_id=parsed.document.id,
            event=sense.event,
            event_text=Span(text[start:end], start, end),
            actor=actors,
            recipient=recipients,
            mode=sense.mode,
            cameo=sense.cameo,
            quad_class=QUAD[sense.event],
            goldstein=goldstein(sense.cameo),
            intensity=intensity(sense.event, sense.mode),
            sentence=si,
            confidence=0.4 + 0.3 * bool(actors) + 0.2 * bool(recipients),
        )
        ev._trigger = tok  # type: ignore[attr-defined]  # for the later stages, not serialised
        return ev

    def _actors_of(self, layer: ActorLayer, tok: Token | None) -> list[Actor]:
        """The actors named by a token: its mention, with coordinated mentions ('Sullivan and Blinken')."""
        if tok is None:
            return []
        out: list[Actor] = []
        seen: set[int] = set()
        todo = [tok, *tok.conjuncts]
        for c in tok.children:
            if c.dep_ == "appos" and c.i > 0 and c.doc[c.left_edge.i - 1].text == "," and _and_list(c) and (
                    any(x.dep_ == "conj" for x in c.children) or (
                    _counted(c) is not c and any(x.dep_ == "conj" for x in _counted(c).children))):
                # "The United States, India, Israel, Pakistan and other governments": a list the parser reads
                # as a name and an apposition that has the other members as its conjuncts ("The Afghan government,
                # a number of political parties and the Taliban"); only after a comma and joined with "and", as an
                # alias is the same actor ("the Al-Nusra Front (Tahrir al-Sham or the Levant Liberation Board)",
                # "the Revolutionary Armed Forces of Colombia, or FARC") and an elaboration names the same people
                # ("nine civilians, mostly women and children")
                todo.extend(x for x in (c, *c.conjuncts) if x not in todo)
        for t in todo:
            if t.i in layer.outside:
                continue  # a dateline's place ("KABUL, Afghanistan (AP) --") is no participant
            held = self._holder(layer, t)
            if held:
                out.extend(held)
                continue
            m = layer.at(t)
            below = False
            if m is None:
                m = self._mention_in_subtree(layer, t)
                below = m is not None
                if m is not None:
                    # "a number of political parties and the Taliban": the counted noun's conjuncts too
                    todo.extend(x for x in t.doc[m.head].conjuncts if x not in todo)
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                good = [a for a in m.actors if a.code or a.sector]
                if not good and below:
                    # "the autonomous Azerbaijani republic of Nakhichevan": an uncoded place below, a country
                    # modifying the noun itself
                    good = self._modified(layer, t)
                if not good and t.pos_ == "PROPN" and t.ent_type_ in NAMED_TYPES:
                    good = list(m.actors)  # a named participant the KB cannot code: keep it, uncoded
                out.extend(good)
            elif m is None and t.pos_ in ("NOUN", "PROPN", "NUM"):
                # ("a number of Iranian government websites": the counted noun's owners)
                found = self._modified(layer, t) or (
                    self._modified(layer, _counted(t)) if _counted(t) is not t else [])
                if not found and t.pos_ == "NOUN":
                    # "a meeting of Palestinian factions": the people its "of" phrase names by their state
                    found = next((f for p in _of_objects(t) if p.pos_ == "NOUN"
                                  for f in [self._modified(layer, p)] if f), [])
                if not found:
                    u = self._unresolved(layer, t)
                    found = [u] if u is not None else []
                out.extend(found)
        if out and tok.dep_ in ("dobj", "pobj", "nsubjpass"):
            out += self._stray_conjunct(layer, tok, out)
        return out

    @staticmethod
    def _stray_conjunct(layer: ActorLayer, tok: Token, found: list[Actor]) -> list[Actor]:
        """A coordinated actor the parser joined to a word higher up: in "imposed sanctions on the Central
        African Republic (CAR) and the Democratic Republic of the Congo", the second country is a conjunct
        of "sanctions"; in "outlawed the ANC and the Pan Africanist Congress", of the verb. Taken when the
        object's phrase is followed by "and"/"or" and a named actor that is a conjunct of an ancestor."""
        doc = tok.doc
        k = tok.right_edge.i + 1
        while k < len(doc) and doc[k].text in (")", "]"):
            k += 1
        if k + 1 >= len(doc) or doc[k].lower_ not in ("and", "or") or doc[k].dep_ != "cc":
            return []
        m = layer.at(k + 1) or (layer.at(k + 2) if doc[k + 1].pos_ == "DET" else None)
        if m is None or m.kind == "pronoun" or not m.actors[0].code:
            return []
        h = next((doc[i] for i in range(m.start, m.end) if doc[i].dep_ == "conj"), None)
        if h is None or h.head.i == tok.i or not any(h.head.i == a.i for a in tok.ancestors):
            return []
        seen = {(a.start, a.end) for a in found}
        return [a for a in m.actors if a.code and (a.start, a.end) not in seen]

    @staticmethod
    def _unresolved(layer: ActorLayer, t: Token) -> Actor | None:
        """A named participant the KB does not know ("Ethopia", "the Tamil Tigers"): kept as an
        actor with its span and no code, so that the event is not lost (``how`` = "unresolved")."""
        if t.pos_ != "PROPN" or t.ent_type_ not in NAMED_TYPES:
            return None
        if t.ent_iob_ in ("B", "I"):
            ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
            first, last = (ent.start, ent.end - 1) if ent is not None else (t.i, t.i)
        else:
            first = min([t.i] + [c.i for c in t.children if c.dep_ == "compound" and c.i < t.i])
            last = t.i
        doc = t.doc
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        text = layer.text[start:end] if layer.text else doc.text[start:end]
        return Actor(text=text, start=start, end=end, how="unresolved")

    def _modified(self, layer: ActorLayer, t: Token) -> list[Actor]:
        """'Israeli and U.S. interests', 'the Palestinian Islamic Jihad movement', 'Hezbollah positions': a noun
        that is no actor itself, owned by the countries or organisations modifying it."""
        def country(x: Token) -> Actor | None:
            if x.i in layer.modifiers:
                return layer.modifiers[x.i]
            m = layer.at(x)
            if m is None or m.head != x.i or not m.actors[0].code:
                return None
            if m.kind in ("country", "org"):
                return m.actors[0]
            if m.kind == "group" and x.dep_ == "compound" and m.actors[0].how.startswith("kb") and (
                    t.lemma_.lower() in GROUP_PEOPLE or (m.end - m.start > 1 and not _is_act_noun(t, self.lex))):
                # "15 Afghan Army trainees": people of a coded body, with its sector; "Iranian government
                # websites": what a named body owns
                return replace(m.actors[0], how="kb-org")
            return None

        mods = []
        for c in t.children:
            if c.dep_ == "compound" and country(c) is None and layer.at(c) is None:
                # "the last ISIS group bastion": the body compounded with the compound
                c = next((x for x in c.children if x.dep_ == "compound" and country(x) is not None), c)
            if (c.dep_ in ("amod", "compound", "nmod") and country(c) is not None) or (
                    c.dep_ == "poss" and t.lemma_.lower() in REGION_NOUNS and country(c) is not None
                    and layer.at(c) is not None and layer.at(c).kind == "country"):
                # ("Niger's Maradi region": a region of the state that owns it)
                mods.append(c)
                mods.extend(x for x in c.conjuncts if country(x) is not None)
        mods = sorted(set(mods), key=lambda x: x.i)
        if not mods:
            return []
        end = t.idx + len(t.text)
        out = []
        codes: set[str | None] = set()
        for c in mods:
            a = country(c)
            if a.code in codes:
                continue  # "Iraq's Al-Anbar province": the state and its province are one place
            codes.add(a.code)
            # an organisation keeps its sector ("Hezbollah positions" are REB); a country's is the noun's business
            sector = a.sector if a.how == "kb-org" else None
            if sector is None:
                # "a Colombian government offer": the state's sector is the role noun compounded in between
                role = next((layer.at(x) for x in t.children if x.dep_ == "compound" and x.i > c.i
                             and layer.at(x) is not None and layer.at(x).kind == "group"), None)
                sector = role.actors[0].sector if role is not None and not role.actors[0].code else None
            out.append(Actor(layer.text[a.start:end], a.start, end, a.code, sector, a.name, how=a.how + "+modifier"))
        return out

    @staticmethod
    def _holder(layer: ActorLayer, t: Token) -> list[Actor]:
        """A place named by who holds it ("the rebel-held enclave of eastern Ghouta", "a Taliban-controlled
        district") stands for its holder, as a facility stands for its owner ("Hezbollah positions"), and a
        body named by who leads it for its leader ("the Saudi-led coalition"): the holder's or leader's code
        and sector, over the span from it to the noun (``how`` gains "+holder" or "+leader")."""
        if t.pos_ != "NOUN" or layer.at(t) is not None:
            return []
        for c in t.children:
            lead = c.lemma_.lower() == "lead"  # "the Saudi-led coalition": the body its leader stands for
            flag = c.lower_ == "flagged"  # "a Liberian-flagged ship": the ship of its flag state
            if c.dep_ not in ("amod", "compound") or not (c.lemma_.lower() in HELD_BY or lead or flag) or (
                    c.tag_ != "VBN" and not flag):
                continue
            for x in c.children:
                if x.dep_ not in ("npadvmod", "compound", "nsubj", "advmod", "nmod", "amod"):
                    continue
                m = layer.at(x)
                if m is None:
                    a = layer.modifiers.get(x.i)  # a country adjective: "Israeli-occupied"
                elif m.kind == "pronoun":
                    a = None
                else:
                    a = next((y for y in m.actors if y.code or y.sector), None)
                if a is not None:
                    end = t.idx + len(t.text)
                    return [replace(a, text=layer.text[a.start:end], end=end,
                                    how=a.how + ("+leader" if lead else "+holder"))]
        return []

    @staticmethod
    def _mention_in_subtree(layer: ActorLayer, tok: Token) -> Mention | None:
        """For a head outside any mention (e.g. 'the leaders of Iran'), the nearest mention below it."""
        if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        for c in tok.children:  # "its NATO ally Turkey": the name in apposition
            if c.dep_ == "appos" and layer.at(c) is not None and layer.at(c).head == c.i:
                return layer.at(c)
        preps = ("of", "from", "for") if tok.lemma_.lower() in FACILITY_NOUNS else ("of", "from")
        x = tok
        for _ in range(3):
            nxt = None
            if x is not tok and x.lemma_.lower() in MEMBER_NOUNS:
                preps = ("of",)  # "dozens of supporters of Navalny", not "supporters from the town"
            for c in x.children:
                if c.dep_ in ("prep",) and c.lower_ in preps:
                    for p in c.children:
                        if p.dep_ == "pobj" and layer.at(p) is not None:
                            return layer.at(p)
                        if p.dep_ == "pobj" and c.lower_ == "of" and (
                                p.lemma_.lower() in COUNT_NOUNS or p.lemma_.lower() in MEMBER_NOUNS
                                or (p.lemma_.lower() in REGION_NOUNS and tok.lemma_.lower() in PARTITIVE_PLACES)):
                            nxt = p  # (and "parts of the western city of Ahmedabad", not "control of the city of")
            if nxt is None:
                return None
            x = nxt  # "hundreds of thousands of people", "scores of Liberian refugees"
        return None

    def _subject(self, layer: ActorLayer, v: Token, depth: int = 0) -> list[Actor]:
        if depth > 4:
            return []
        # (the parser may hang the subject on the auxiliary: "The UK and France however have opposed ...")
        subj = _has_child(v, {"nsubj"}) or next(
            (s for a in v.children if a.dep_ in ("aux", "auxpass") for s in a.children if s.dep_ == "nsubj"), None)
        if subj is not None:
            if subj.lower_ in ("that", "which", "who") and v.dep_ == "relcl":
                return self._actors_of(layer, v.head)
            out = self._actors_of(layer, subj)
            # a list the parser split into several subjects ("The Afghan government, a number of parties and
            # the Taliban condemned ...")
            for other in v.children:
                if other.dep_ == "nsubj" and other.i != subj.i and other.i < v.i:
                    seen = {(a.start, a.end) for a in out}
                    out += [a for a in self._actors_of(layer, other) if (a.start, a.end) not in seen]
            return out
        agent = _has_child(v, {"agent"})
        if agent is not None:
            return self._actors_of(layer, _has_child(agent, {"pobj"}))
        if v.dep_ == "ROOT" and _has_child(v, {"nsubjpass"}) is None:
            # "USAID announced ...": a name opening the sentence that the parser tags as an adverb
            first = next((c for c in v.children if c.dep_ in ("advmod", "npadvmod", "dep") and c.i < v.i
                          and c.left_edge.i == v.sent.start), None)
            m = layer.at(first) if first is not None else None
            if m is not None and m.kind in ("org", "country", "person") and m.actors[0].code:
                return [a for a in m.actors if a.code]
        if v.lemma_.lower() in STATIVE_PASSIVES and _has_child(v, {"nsubjpass"}) is not None:
            return self._actors_of(layer, _has_child(v, {"nsubjpass"}))  # "troops were engaged in fighting"
        if v.dep_ in ("xcomp", "ccomp", "advcl") and v.head.lemma_.lower() in OBJECT_CONTROL:
            obj = _has_child(v.head, {"dobj", "dative"}) or next(
                (p for c in v.head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                 for p in c.children if p.dep_ == "pobj"), None)  # "called on Libya's government to crack down"
            if obj is not None:
                return self._actors_of(layer, obj)
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN") and v.head.lemma_.lower() in ISSUED_TEXTS:
            # "issued a statement calling on the Security Council": whoever issued the statement
            poss = _has_child(v.head, {"poss"})
            if poss is not None:
                return self._actors_of(layer, poss)
            verb = self._governing_verb(v.head)
            return self._subject(layer, verb, depth + 1) if verb is not None else []
        if _inverted_report(v) is not None:
            return self._actors_of(layer, v.head)  # "..., a human rights group protested": the group
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN") and v.tag_ == "VBG":
            return self._actors_of(layer, v.head)  # "armed groups launching attacks"
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN") and (
                v.tag_ in ("VBD", "VBZ") or (v.tag_ == "VBN" and any(
                    _has_child(x, {"dobj"}) is not None for x in (v, *v.conjuncts)))):
            # "The Iraqi air force carried out three air strikes", "Doctors from two American aid groups
            # donated ...": the parser missed the finite verb and hung it on (a noun of) its subject, the
            # sentence's root noun (a participle with an object is no passive reduced relative)
            top = v.head
            while top.dep_ in ("pobj", "prep", "compound", "nmod") and top.head.i != top.i:
                top = top.head
            if top.dep_ == "ROOT" and top.pos_ in ("NOUN", "PROPN"):
                return self._actors_of(layer, top)
        if v.dep_ == "pcomp" and v.head.lower_ == "from" and v.head.head.pos_ == "VERB":
            obj = _has_child(v.head.head, {"dobj"})  # "stop Israel from striking Iraq"
            if obj is not None:
                return self._actors_of(layer, obj)
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
            poss = _has_child(v.head, {"poss"})
            if poss is not None:
                return self._actors_of(layer, poss)
            if v.head.dep_ in ("dobj", "pobj"):
                return self._subject(layer, self._governing_verb(v.head) or v.head, depth + 1)
        if v.dep_ == "relcl":
            return self._actors_of(layer, v.head)
        if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX") and _has_child(v, {"auxpass"}) is None \
                and _has_child(v.head, {"nsubj"}) is None and _has_child(v.head, {"nsubjpass"}) is not None:
            # "has been indicted by the court ... and will resign": who resigns is the one indicted
            return self._actors_of(layer, _has_child(v.head, {"nsubjpass"}))
        if v.dep_ in ("xcomp", "ccomp") and v.tag_ == "VBG" and v.head.lemma_.lower() in WITNESSING:
            return []  # "monitors reported shelling", "residents heard shooting": who reports did not do it
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp") and v.head.i != v.i and v.head.pos_ in ("VERB", "AUX"):
            return self._subject(layer, v.head, depth + 1)
        if v.dep_ == "pcomp" and v.head.lower_ in ADVERBIAL_PREPS and v.head.dep_ == "prep" \
                and v.head.head.pos_ in ("VERB", "AUX"):
            # "called off the strike hours after reaching agreement with the government": who did the clause
            return self._subject(layer, v.head.head, depth + 1)
        if v.dep_ == "ccomp" and v.head.lemma_.lower() in BARE_INFINITIVE_HEADS | {"set"} and v.head.pos_ == "VERB":
            return self._subject(layer, v.head, depth + 1)  # "Ethiopia let free 74 leaders" (parsed as a clause)
        if v.dep_ == "conj" and v.head.dep_ == "ROOT" and v.head.pos_ in ("NOUN", "PROPN"):
            # "The Palestinian government, thus, rejects and condemns ...": the first verb tagged as a noun
            return self._actors_of(layer, _has_child(v.head, {"nsubj"}))
        if v.dep_ == "xcomp" and v.head.pos_ == "ADJ" and v.head.dep_ == "acomp" \
                and v.head.head.pos_ in ("VERB", "AUX"):
            return self._subject(layer, v.head.head, depth + 1)  # "he is prepared / ready / willing to lift the ban"
        return []

    @staticmethod
    def _governing_verb(tok: Token) -> Token | None:
        x = tok
        for _ in range(5):
            if x.head.i == x.i:
                return None
            if x.dep_ not in ("dobj", "pobj", "prep", "nsubjpass", "attr", "appos", "conj"):
                return None
            x = x.head
            if x.pos_ in ("VERB", "AUX"):
                return x
        return None

    def _verb_roles(self, layer: ActorLayer, v: Token, sense: Sense) -> tuple[list[Actor], list[Actor]]:
        actors = self._subject(layer, v)
        recipients: list[Actor] = []
        weapon = _has_child(v, {"dobj"})
        if sense.event == "ASSAULT" and weapon is not None and _counted(weapon).lemma_.lower() in (
                LAUNCHED | RIOT_MEANS | DEVICES | {"grenade"}):
            # "fired two anti-ship missiles and a drone at a Liberian-flagged ship": the weapons are the means;
            # the target is the "at"/"on" phrase, on the verb or on (a conjunct of) what was fired
            for x in (v, weapon, *weapon.conjuncts):
                recipients = recipients or self._pp_recipients(layer, x, set(AIMED_AT))
            if not recipients:  # "used tear gas to disperse demonstrators", "detonated grenades to kill three
                # children": whom its purpose names
                recipients = next((r for c in v.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"
                                   for r in [self._actors_of(layer, _has_child(c, {"dobj"}))] if r), [])
            return actors, recipients
        passive_subj = _has_child(v, {"nsubjpass"})
        if passive_subj is None and v.dep_ == "conj" and _has_child(v, {"auxpass"}) is not None \
                and _has_child(v, {"nsubj"}) is None:
            # "Eighteen Italian fishermen, held captive in Libya, have been freed by Libya forces": a passive
            # verb joined to the one before it shares its subject
            passive_subj = _has_child(v.head, {"nsubjpass", "nsubj"})
            if passive_subj is not None and _has_child(v, {"agent"}) is None:
                passive_subj = None  # (without a "by" agent the subject may act: "met and was received")
            elif passive_subj is not None:
                actors = []
        if passive_subj is not None and v.lemma_.lower() in STATIVE_PASSIVES and _has_child(v, {"agent"}) is None:
            # "Serb forces were engaged in ethnic cleansing": a state of the subject, who is the actor
            actors, passive_subj = self._actors_of(layer, passive_subj), None
        if passive_subj is not None and _has_child(v, {"agent"}) is None and (
                v.lemma_.lower() in WITHDRAWING | {"ship", "fly", "airlift", "move", "redeploy"}) and (
                passive_subj.lemma_.lower() in OWN_PEOPLE):
            # "Eighty UN peacekeepers were shipped out of Gorazde", "Russian troops were withdrawn from Syria":
            # the forces withdraw (for their state or organisation); the place they leave is the target
            actors = self._actors_of(layer, passive_subj)
            recipients = self._pp_recipients(layer, v, {"from"}) or [
                a for c in v.children if c.dep_ in ("prep", "prt") and c.lower_ == "out"
                for a in self._pp_recipients(layer, c, {"of"})]
            return actors, recipients
        if passive_subj is not None and _has_child(v, {"agent"}) is None and sense.event in ("CONCEDE", "RETREAT") \
                and _counted(passive_subj).lemma_.lower() in RESTRICTIONS:
            # "UN sanctions against Iran were lifted", "the US ban on Chinese imports was eased": who imposed
            # the measure lifts it; its target is the recipient
            measure = _counted(passive_subj)
            owner = next((c for c in measure.children if c.dep_ == "poss"), None)
            actors = self._actors_of(layer, owner) if owner is not None else self._modified(layer, measure)
            actors = [replace(a, text=a.text[:len(a.text) - len(measure.text)].rstrip(), end=a.end - len(measure.text))
                      if a.how.endswith("+modifier") and a.text.endswith(measure.text) else a for a in actors]
            own = self.lex.get((measure.lemma_.lower(), "N"))  # ("Israel's blockade of Gaza")
            recipients = self._restricted_place(layer, measure) or self._pp_recipients(
                layer, measure, {"against", "on", "to", "with", *(own.preps if own is not None else ())})
            return actors, recipients
        if passive_subj is not None and _has_child(v, {"agent"}) is None and (
                v.lemma_.lower() in DEPLOY_VERBS) and _counted(passive_subj).lemma_.lower() in OWN_PEOPLE:
            # "The Ecowas peacekeepers are being deployed to relieve ...", "500 troops were sent to Mali": the
            # forces deploy (for their state or organisation); where they go is the target
            actors = self._actors_of(layer, passive_subj)
            return actors, self._pp_recipients(layer, v, {"to", "into", "in"})
        if passive_subj is not None:
            recipients = self._actors_of(layer, passive_subj)
            agent = _has_child(v, {"agent"})
            if agent is not None:
                actors = self._actors_of(layer, _has_child(agent, {"pobj"}))
            elif v.dep_ in ("conj", "xcomp", "advcl"):
                actors = []
        pressed = self._pressed_clause(v) if sense.event == "REQUEST" and v.lemma_.lower() in PRESSING else None
        if pressed is not None:
            return actors, self._actors_of(layer, _has_child(pressed, {"nsubj"}))
        if sense.event == "REQUEST" and v.lemma_.lower() in COMMUNICATION | {"announce", "remind"}:
            clause = self._deontic_complement(v)
            dobj = _has_child(v, {"dobj", "dative"})
            if dobj is not None:
                recipients = self._actors_of(layer, dobj)
            elif clause is not None:
                recipients = self._actors_of(layer, _has_child(clause, {"nsubj", "nsubjpass"}))
            return actors, recipients
        if not recipients:
            # a transfer's direct object is what is moved ("sent troops to Mali"): its receiver is the
            # indirect object ("gave Kenya $40 million") or the "to" phrase
            transfer = v.lemma_.lower() in TRANSFER
            dobj = _has_child(v, {"dobj"})
            counted = _counted(dobj) if dobj is not None else None  # "some of its troops"
            if v.lemma_.lower() in WITHDRAWING and counted is not None and (
                    counted.lemma_.lower() in OWN_PEOPLE
                    or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in counted.children)):
                # "will withdraw its troops from Syria", "pulled its diplomats out of Kabul": what is withdrawn is
                # the actor's own; the place left is the recipient
                recipients = self._pp_recipients(layer, v, {"from"}) or self._pp_recipients(layer, dobj, {"from"})
                if not recipients:
                    recipients = [a for c in v.children if c.dep_ in ("prep", "prt") and c.lower_ == "out"
                                  for a in self._pp_recipients(layer, c, {"of"})]
                return actors, recipients
            if v.lemma_.lower() in OFFERING and dobj is not None and (
                    _counted(dobj).lemma_.lower() in FORCES | WEAPONS | GOODS | MONEY):
                # "has offered to US an armored regiment, attack helicopters": what is offered is the actor's;
                # the receiver is named with "to"
                got = self._pp_recipients(layer, v, {"to"})
                if got:
                    return actors, got
            if v.lemma_.lower() in HANDING and dobj is not None:
                # "returned six Iraqi artifacts to the government of Iraq", "extradited the preacher to the US":
                # who receives what or whom is handed over (else the object: "returned the prisoners"); a long
                # object may swallow the "to" phrase ("returned a pendant engraved with the image of Peter the
                # Great to Russian authorities")
                got = self._pp_recipients(layer, v, {"to"}) or self._pp_recipients(layer, dobj, {"to"}) or next(
                    (r for x in _phrase_tokens(dobj) if x.i > dobj.i for r in [self._pp_recipients(layer, x, {"to"})]
                     if r), [])
                if got:
                    return actors, got
            obj = (_dative(v) or (_has_child(v, {"dobj"}) if _has_child(v, {"prep"}, {"with"}) else None)
                   ) if transfer else (_has_child(v, {"dobj", "dative"}) or _up_to_object(v) or _clause_object(v) or next(
                       (c for c in v.children if c.dep_ == "oprd" and c.ent_type_ in ("PERSON", "ORG", "GPE")), None))
            # ("supplied Hezbollah with rockets": with a "with" thing, the object is the receiver)
            moved = _has_child(v, {"dobj"}) if transfer and obj is None else None
            if moved is not None:  # "delivered $50,000 worth of goods to the school": the "to" on the object
                for x in (moved, *moved.conjuncts):  # ("sent 100 vehicles and a team of paratroopers to Lebanon")
                    recipients = recipients or self._pp_recipients(layer, x, {"to", "into"} | set(sense.preps))
                for p in (c for x in (moved, *moved.conjuncts, v) for c in x.children if c.dep_ == "prep" and not recipients
                          and (x is not v or _has_child(c, {"pobj"}) is not None)):
                    # "provided 3.5 million euros in humanitarian funding to Lebanon": one phrase further down (also
                    # where the parser hangs that phrase on the verb: "provided €30m in support to Lebanon")
                    recipients = self._pp_recipients(layer, _has_child(p, {"pobj"}) or p, {"to", "into"})
            if obj is not None:
                recipients = self._actors_of(layer, obj)
                if recipients and sense.event in DEPLOYING and obj.lemma_.lower() in FORCES \
                        and self._own(recipients, actors):
                    # "mobilized troops for an assault against X", "is deploying 300 troops to Mali", "strengthened
                    # its forces in Crimea": the forces are the actor's own; the target is where or whom they go
                    recipients = self._pp_recipients(layer, v, {"to", "into", "against"}) or self._pp_recipients(
                        layer, obj, {"to", "into", "against"}) or [
                        a for c in v.children if c.dep_ == "prep" and c.lower_ == "for"
                        for p in c.children if p.dep_ == "pobj" for a in self._pp_recipients(layer, p, {"against"})]
                    # ("to their shared border area": the owner is the forces' own side)
                    return actors, [r for r in recipients if r.kind != "pronoun"]
                if not recipients and not transfer:
                    # "meet his counterpart Italian President Sergio Mattarella": the parser gives the verb
                    # two objects, the role noun and the name in apposition to it
                    recipients = next((r for o in v.children if o.dep_ == "dobj" and o is not obj
                                       for r in [self._actors_of(layer, o)] if r), [])
                if not recipients:  # "established diplomatic ties with Iran": the entry's prepositions too
                    preps = (RECIPIENT_PREPS_NOUN - {"of", "with"}) | set(sense.preps)
                    if obj.lemma_.lower() in RELATION_NOUNS:
                        preps |= {"with"}  # "boycott all contact with the United States": the partner
                    recipients = self._pp_recipients(layer, obj, preps)
        if not recipients:
            recipients = self._pp_recipients(layer, v, set(sense.preps) | {"against", "on", "at"})
        if not recipients and sense.event == "REQUEST":
            # "demanded that North Korea forsake its nuclear program": who is asked is the complement's subject
            # (before the complement's own objects: "demanded that Hamas renounce its struggle against Israel")
            recipients = self._clause_subject(layer, v, that_after=True)
        if not recipients and sense.event == "ACCUSE" and _has_child(v, {"dobj"}) is None:
            # "complained that the police were torturing detainees", "X are failing ..., a group protested":
            # who is criticised is the reported clause's subject
            recipients = self._clause_subject(layer, v, that_after=False)
        if not recipients:
            # (the one who made, used or laid the thing is the recipient of a reaction to it, or of an act a
            # named actor does to it, not of a vehicle hitting "a mine laid by the rebels")
            recipients = self._indirect_recipients(
                layer, v, by_agent=sense.event in THING_REACTIONS or bool(actors))
        if not recipients and _has_child(v, {"dobj", "dative", "prep"}) is None:
            # "donated and personally delivered $50,000 worth of goods to the school": verbs joined before a
            # shared object hang it on the last one
            nxt = next((c for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > v.i
                        and _has_child(c, {"nsubj", "nsubjpass"}) is None), None)
            if nxt is not None:
                recipients = self._verb_roles(layer, nxt, self._sense(nxt, nxt.sent) or sense)[1]
        if not recipients and sense.event in SEVERING:
            # "suspended military aid and weapons deals with Pakistan", "broke off relations with Rwanda":
            # the party cut off is named with "with"
            dobj = _has_child(v, {"dobj"})
            for x in (v, *((dobj, *dobj.conjuncts) if dobj is not None else ())):
                recipients = recipients or self._pp_recipients(layer, x, {"with"})
        if not recipients and sense.event == "AID":
            recipients = self._helped(layer, v)
        if not recipients and sense.event == "REQUEST":
            recipients = self._beneficiaries(layer, v)
        if not recipients and sense.event in PROPOSAL_EVENTS:
            proposal = _has_child(v, {"dobj"}) or _has_child(v, {"nsubjpass"})
            recipients = self._proposer(layer, proposal) or self._proposed_target(layer, proposal)
        if not recipients and sense.event == "REJECT":
            # "reneged on an accord with Iran", "violated a truce with the rebels": the agreement's other party
            for o in [_has_child(v, {"dobj"}), *[p for c in v.children if c.dep_ == "prep" and c.lower_ == "on"
                                                 for p in c.children if p.dep_ == "pobj"]]:
                if o is not None and o.lemma_.lower() in AGREEMENTS and not recipients:
                    recipients = self._pp_recipients(layer, o, {"with"})
        if not recipients:
            obj = _has_child(v, {"dobj"})
            if obj is not None and (obj.lemma_.lower() in RESTRICTIONS or any(
                    c.dep_ == "prep" and c.lower_ == "of" and any(
                        p.lemma_.lower() in RESTRICTIONS for p in c.children) for c in obj.children)):
                recipients = self._restricted_place(layer, obj)  # "lifted a state of emergency in Darfur"
        if sense.mode == "expel" and recipients and actors and _has_child(v, {"nsubjpass"}) is None \
                and all(r.how.startswith("context") or not r.code for r in recipients):
            # "Russia expelled diplomats from Poland, Germany and Sweden": people with no country of their own are
            # of the states they are expelled "from" when those are not the expelling state (one actor each, with
            # the people's sector; in the passive, "from" names the expelling state)
            own = {a.code for a in actors if a.code}
            origin = [o for o in self._pp_recipients(layer, v, {"from"}) if o.code and o.code not in own
                      and o.how.startswith("kb")]
            if origin:
                recipients = [replace(o, sector=recipients[0].sector, how=o.how + "+origin") for o in origin]
        return actors, recipients

    @staticmethod
    def _own(recipients: list[Actor], actors: list[Actor]) -> bool:
        """Forces named as an object are the actor's own unless another country is named on them ("its
        troops", "300 troops", "the army" of the report's country; not "Iraqi troops" sent by Iran)."""
        codes = {a.code for a in actors if a.code}
        return all(r.code is None or r.code in codes or r.how.startswith(("context", "coref")) for r in recipients)

    def _undergone(self, layer: ActorLayer, n: Token, v: Token) -> tuple[list[Actor], list[Actor]]:
        """An act the subject is "under" ("a US national has been put under investigation in Italy", "the
        convoy came under fire from Taliban fighters", "was placed under arrest"): the subject receives it;
        who does it is the "by"/"from" phrase, else, for a passive, the state of the place (as
        _place_authority)."""
        recipients = self._actors_of(layer, _has_child(v, {"nsubjpass", "nsubj"}))
        actors: list[Actor] = []
        for x in (v, n):
            agent = _has_child(x, {"agent"})
            actors = actors or (self._actors_of(layer, _has_child(agent, {"pobj"})) if agent is not None else [])
            actors = actors or self._pp_recipients(layer, x, {"by", "from"})
        if not actors:
            actors = self._place_authority(layer, v)
        return actors, recipients

    def _helped(self, layer: ActorLayer, v: Token) -> list[Actor]:
        """An aid's purpose names who gets it: "donated 250 ventilators to assist Ethiopia", "sent aid to
        help North Korea cope with floods", "provided funds to support projects which benefit refugees"."""
        for c in list(v.children) + [x for o in v.children if o.dep_ in ("dobj", "prep", "pobj") for x in o.children]:
            if c.dep_ in ("advcl", "xcomp", "acl") and c.lemma_.lower() in HELPING:
                # (the parser makes "help North Korea cope" a clause whose subject is the one helped)
                got = self._actors_of(layer, _has_child(c, {"dobj"}) or _clause_object(c))
                if got:
                    return got
        return []

    def _indirect_recipients(self, layer: ActorLayer, v: Token, by_agent: bool = True) -> list[Actor]:
        """Recipients named one step away: the owner of the object ("praised Haiti's efforts", "rejected
        calls by Belarus's rulers"),
        "between A and B" (mediation), or the complement's object or recipient phrase ("promised to
        continue military aid to Mozambique", "offered to negotiate with the president of Armenia")."""
        objs = [o for o in (_has_child(v, {"dobj"}),) if o is not None]
        if not objs:  # "conceded to the demands of the truck drivers": the noun a preposition brings
            # ("called for sanctions against Turkey": the noun "for" brings)
            objs = [p for c in v.children if c.dep_ == "prep" and c.lower_ in ("to", "with", "on", "for")
                    for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"]
        for obj in objs:
            if obj.dep_ == "pobj":  # the noun's own recipient phrase: "called for sanctions against Turkey"
                out = self._pp_recipients(layer, obj, {"against", "on", "to"})
                if not out and obj.head.lower_ == "for" and v.lemma_.lower() in CALLING:
                    # "called for reform in US laws", "called for order and peace in Thailand": where the change
                    # is asked for (a country, not a town)
                    out = [a for x in (obj, v) for a in self._pp_recipients(layer, x, {"in"})
                           if a.how.startswith(("kb-country", "kb-adjective"))]
                if out:
                    return out
            poss = _has_child(obj, {"poss"})
            if poss is not None:
                out = self._actors_of(layer, poss)
                if out:
                    return out
            # "rejected calls by Belarus's rulers", "rejected an accusation from a lawmaker", "condemned the act
            # of aggression and the continuing threats made by the United States Government"
            for x in (obj, *obj.conjuncts):
                agent = next((a for a in map(_participle_agent, x.children) if a is not None), None)
                out = self._pp_recipients(layer, x, {"by", "from"}) or (
                    self._actors_of(layer, _has_child(agent, {"pobj"})) if by_agent and agent is not None else [])
                if out:
                    return out
            if obj.lemma_.lower() in SPEECH_NOUNS:
                out = self._pp_recipients(layer, obj, {"of"})  # "the demands of the protesting drivers"
                if out:
                    return out
            out = self._pp_recipients(layer, obj, {"between"})
            if out:
                return out
            for c in obj.children:
                # the object's own complement: "a suspension of aid to Pakistan", "an invitation to meet
                # with Kim Jong Un"
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            out = self._pp_recipients(layer, p, {"to", "against", "on", "with"})
                            if out:
                                return out
                elif c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and c.i > obj.i:
                    # "an invitation to meet with Kim", "a travel ban imposed on Chadian citizens"
                    out = self._actors_of(layer, _has_child(c, {"dobj"})) or self._pp_recipients(
                        layer, c, COMPLEMENT_PREPS | {"on"})
                    if out:
                        return out
        out = self._pp_recipients(layer, v, {"between"})
        if out:
            return out
        for c in v.children:
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") and c.i > v.i and not (
                    c.dep_ == "xcomp" and _has_child(c, {"nsubj"}) is not None):
                # (an "xcomp" with a subject of its own is someone else's act: "abused women fleeing the group")
                sense = self._sense(c, c.sent) if c.pos_ == "VERB" and _has_child(c, {"nsubj"}) is None else None
                if sense is not None:
                    # the complement's own roles where the lexicon knows it: "refuses to lift the ban on
                    # Cypriot ships", "offered to send troops to Uganda", "threatened to close all borders
                    # with Iraqi Kurdistan"
                    out = self._verb_roles(layer, c, sense)[1]
                    if out:
                        return out
                cobj = _has_child(c, {"dobj", "dative"})
                if cobj is not None and c.lemma_.lower() in TRANSFER and _counted(cobj).lemma_.lower() in FORCES:
                    # "offered to send up to 30,000 troops to help the Philippines army": the troops are the
                    # actor's own; whom they are to help is the recipient
                    out = self._helped(layer, c)
                    if out:
                        return out
                    continue
                if cobj is not None:
                    out = self._actors_of(layer, cobj) or self._pp_recipients(
                        layer, cobj, RECIPIENT_PREPS_NOUN - {"of", "at", "on"}
                        - ({"with"} if cobj.lemma_.lower() not in RELATION_NOUNS else set()))
                    if not out and cobj.lemma_.lower() in RESTRICTIONS:
                        out = self._restricted_place(layer, cobj)  # "threatened to impose a curfew in Algiers"
                    if out:
                        return out
                out = self._pp_recipients(layer, c, COMPLEMENT_PREPS)
                if out:
                    return out
        return []

    def _weapon_attacker(self, layer: ActorLayer, tok: Token, sent: SpacySpan) -> list[Actor]:
        """An attack whose only named cause is a device ("killed by an improvised explosive device", "A
        minefield explosion killed two youths", "killed in a car bomb explosion"): PLOVER and Phoenix code
        it to unidentified armed forces (UAF) of the country where it struck: the first place of the
        sentence the actor stage coded, else the report's main country."""
        cause = None
        agent = _has_child(tok, {"agent"})
        cands = [_has_child(agent, {"pobj"})] if agent is not None else []
        cands.append(_has_child(tok, {"nsubj"}))
        cands += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children
                  if p.dep_ == "pobj"]
        for x in cands:
            if x is not None and (x.lemma_.lower() in DEVICES
                                  or any(c.lemma_.lower() in DEVICES for c in x.children if c.dep_ == "compound")):
                cause = x
                break
        if cause is None or layer.at(cause) is not None:
            return []
        first = min([cause.i, *[c.i for c in cause.children if c.dep_ in ("compound", "amod", "det")]])
        if tok.doc[first].dep_ == "det":
            first += 1
        start, end = tok.doc[first].idx, cause.idx + len(cause.text)
        place = next((m for m in layer.mentions if m.kind == "country" and sent.start <= m.head < sent.end
                      and m.actors and m.actors[0].code), None)
        # failing a place, the report's main country (the actor stage's focus)
        code = place.actors[0].code if place is not None else layer.focus
        return [Actor(text=layer.text[start:end], start=start, end=end, code=code, sector="UAF",
                      how="device-uaf")]

    def _clause_subject(self, layer: ActorLayer, v: Token, that_after: bool) -> list[Actor]:
        """The actors of the subject of ``v``'s reported clause (its first verbal ``ccomp``); ``that_after``:
        only a "that" clause after the verb."""
        clause = next((c for c in v.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") and (
            not that_after or (c.i > v.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)))),
            None) or (None if that_after else _inverted_report(v))
        return self._actors_of(layer, _has_child(clause, {"nsubj", "nsubjpass"})) if clause is not None else []

    def _reciprocal(self, layer: ActorLayer, tok: Token, actors: list[Actor],
                    recipients: list[Actor]) -> tuple[list[Actor], list[Actor]]:
        """A meeting, talks, an agreement or cooperation "with" a partner is mutual: PLOVER puts reciprocal
        actors all in ``actor`` ("Fabius held talks with leaders of Romania's government", "has been sharing
        expertise with the Tamil Tigers"), as it does for "A and B met". A directed act keeps its recipient
        ("met U.N. mediator Cordovez", "spoke to al-Sudani", a phone call, a visit)."""
        heads = [tok]
        if tok.dep_ == "dobj" and _is_light(tok.head):
            heads.append(tok.head)  # "held talks with"
        partners = {(a.start, a.end) for h in heads for a in self._pp_recipients(layer, h, {"with"})}
        if not partners or any((r.start, r.end) not in partners for r in recipients):
            return actors, recipients
        seen = {(a.start, a.end) for a in actors}
        # (marked "+partner": CAMEO-style coders such as the ConfliBERT gold keep the partner as target)
        return actors + [replace(r, how=r.how + "+partner") for r in recipients if (r.start, r.end) not in seen], []

    def implied_roles(self, layer: ActorLayer, tok: Token, sent: SpacySpan, event: str, actors: list[Actor],
                      recipients: list[Actor]) -> tuple[list[Actor], list[Actor]]:
        """The roles the codebook infers when the text names no one: an attack hits the victims its result
        clause names (_victims), else the place an attack, arrest, deployment or withdrawal happens in is its
        target (_place_target, _as_place); a device's attack is the unidentified armed forces'
        (_weapon_attacker); a passive arrest's actor is the state of the place (_place_authority); a protest
        is against whom its purpose names (_protest_target). Used for rule events and for the typer's own
        events."""
        recipients = not_self(actors, recipients)  # ("detonated his car": the bomber's own is no target)
        if not recipients and event == "ASSAULT":
            recipients = self._victims(layer, tok)
        if not recipients and event == "ASSAULT":
            # "detonated his vehicle near an Afghan army base": the owner of the facility hit near
            recipients = next((r for c in tok.children if c.dep_ == "prep" and c.lower_ in ("near", "outside")
                               for p in c.children if p.dep_ == "pobj" and p.lemma_.lower() in FACILITY_NOUNS
                               for r in [self._actors_of(layer, p)] if r), [])
        if not recipients and event in PLACE_TARGETS:
            recipients = self._place_target(layer, tok, PLACE_TARGETS[event])
        if not recipients and event in ("AGREE", "REQUEST"):
            recipients = self._agreed_place(layer, tok)
        recipients = [_as_place(r, event) for r in recipients]
        if not actors and event == "ASSAULT" and tok.pos_ == "VERB":
            actors = self._weapon_attacker(layer, tok, sent)
        if not actors and event in AUTHORITY_ACTS:
            actors = self._place_authority(layer, tok)
        if not recipients and event == "PROTEST":
            recipients = self._protest_target(layer, tok)
        return actors, recipients

    def _agreed_place(self, layer: ActorLayer, tok: Token) -> list[Actor]:
        """The place an agreed act is to happen in is its target, as CAMEO coders code it ("agreed to a
        ceasefire in Hodeidah" -> YEM, "agreed to lay down their weapons in eastern Lebanon"); so is the place
        where refuge or asylum is sought ("have sought refuge in Amman"). Only the agreed act's place counts,
        not where the agreement was made ("agreed in Geneva to ...")."""
        xs = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children
              if p.dep_ == "pobj" and p.pos_ == "NOUN"]
        xs += [c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        refuge = [o for o in tok.children if o.dep_ == "dobj" and o.lemma_.lower() in REFUGE_NOUNS]
        xs += refuge + [tok] * bool(refuge)  # ("sought refuge in Niger's Maradi region": the place on the verb)
        for x in xs:
            got = self._place_target(layer, x, ("in",))
            if got:
                return got
        return []

    def _protest_target(self, layer: ActorLayer, tok: Token) -> list[Actor]:
        """Whom a protest with no named recipient is against: the one its purpose names ("began a hunger
        strike to protest against Sweden's decision" -> Sweden, "blocked a road to show their disapproval
        for the United States' policies" -> the United States), or its "in protest at" / "in defiance of"
        phrase ("in defiance of Chinese authorities"). A thing named is its owner's ("Sweden's decision")."""
        verbs = [tok]
        if tok.pos_ != "VERB":
            verb = self._governing_verb(tok)
            if verb is not None:
                verbs.append(verb)
        heads: list[Token] = []
        for v in verbs:
            for c in v.children:
                if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c.i > v.i:
                    heads += [c, *[o for o in c.children if o.dep_ == "dobj"]]
                elif c.dep_ == "prep" and c.lower_ == "in":
                    heads += [p for p in c.children if p.dep_ == "pobj" and (
                        p.lemma_.lower() in PROTEST_STANCES or p.lemma_.lower() in EFFORT_NOUNS)]
        for h in heads:
            if h.pos_ != "VERB":
                for c in h.children:
                    if c.dep_ == "prep" and c.lower_ == "of" and h.lemma_.lower() in PROTEST_STANCES:
                        out = self._owners(layer, _has_child(c, {"pobj"}))  # "in defiance of Chinese authorities"
                        if out:
                            return out
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("against", "at", "over", "for", "to"):
                    out = self._owners(layer, _has_child(c, {"pobj"}))
                    if out:
                        return out
        for h in heads:
            if h.pos_ == "VERB":
                out = self._owners(layer, _has_child(h, {"dobj"}))  # "to denounce the government"
                if out:
                    return out
        for h in heads:
            # "as they continued their effort to overthrow the government of President Laurent Gbagbo": the
            # purpose an effort or campaign names
            if h.pos_ == "NOUN" and h.lemma_.lower() in EFFORT_NOUNS:
                for c in h.children:
                    if c.dep_ in ("acl", "xcomp") and c.pos_ == "VERB":
                        out = self._owners(layer, _has_child(c, {"dobj"}))
                        if out:
                            return out
        return []

    def _owners(self, layer: ActorLayer, n: Token | None) -> list[Actor]:
        """The actors a noun names, or else its owner's: "Sweden's decision" -> Sweden, "the policies of the
        United States" -> the United States, "new laws imposed by the Indian government" -> its government."""
        if n is None:
            return []
        out = [a for a in self._actors_of(layer, n) if a.code or a.sector]
        if out:
            return out
        poss = _has_child(n, {"poss"})
        if poss is not None and poss.pos_ != "PRON":  # ("their disapproval" is the protesters' own)
            return [a for a in self._actors_of(layer, poss) if a.code or a.sector]
        for p in _of_objects(n):
            out = [a for a in self._actors_of(layer, p) if a.code or a.sector]
            if out:
                return out
        return self._agent_of(layer, n)

    def _agent_of(self, layer: ActorLayer, n: Token | None) -> list[Actor]:
        """Who did what a noun names, by its "by" phrase: "alleged crimes committed by Croat forces", "human
        rights violations by the Louisville Metro Police Department"."""
        if n is None:
            return []
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                out = [a for a in self._actors_of(layer, _has_child(c, {"pobj"})) if a.code or a.sector]
                if out:
                    return out
            agent = _participle_agent(c)
            if agent is not None:
                out = [a for a in self._actors_of(layer, _has_child(agent, {"pobj"})) if a.code or a.sector]
                if out:
                    return out
        return []

    def _victims(self, layer: ActorLayer, tok: Token) -> list[Actor]:
        """An attack with no named target hits those its result clause names: "carried out air strikes in
        Mosul, killing dozens of Islamic State fighters" -> the fighters."""
        verbs = [tok] if tok.pos_ == "VERB" else [v for v in (self._governing_verb(tok),) if v is not None]
        for v in verbs:
            for c in v.children:
                if c.dep_ in ("advcl", "conj", "xcomp") and c.tag_ == "VBG" and c.lemma_.lower() in HARMING:
                    out = [a for a in self._actors_of(layer, _has_child(c, {"dobj"})) if a.code or a.sector]
                    if out:
                        return out
        return []

    def _place_authority(self, layer: ActorLayer, tok: Token) -> list[Actor]:
        """Who arrests, tries, investigates or expels someone when a passive clause names nobody ("was
        arrested in Lebanon", "has been put under investigation in Italy") is the state of the place
        where it happens, as PLOVER and CAMEO coders code it: the place's country, with no sector
        (``how`` gains "+authority"). Only a passive verb with no "by" agent qualifies."""
        if tok.pos_ != "VERB" or _has_child(tok, {"nsubjpass"}) is None or _has_child(tok, {"agent"}) is not None:
            return []
        # (who is expelled "from" a country is expelled by it: "inspectors have been expelled from North Korea")
        preps = ("in", "from") if tok.lemma_.lower() in ("expel", "deport", "evict") else ("in",)
        return [replace(a, sector=None, how=a.how.replace("+locative", "+authority"))
                for a in self._place_target(layer, tok, preps)]

    def _place_target(self, layer: ActorLayer, tok: Token, preps: tuple[str, ...] = ("in",)) -> list[Actor]:
        """An attack, arrest, deployment or retreat with no named target targets the country or city it
        happens "in" ("exploded a series of bombs in the capital Kabul" -> AFG, "remained on alert in
        the occupied West Bank" -> PSE, "surrendered in the Democratic Republic of Congo" -> COD), or
        that a withdrawal leaves ("the withdrawal of forces from Panama" -> PAN), as PLOVER and CAMEO
        coders code a place target by its country. Only places (countries, capitals, gazetteer places)
        the actor stage coded count, on the trigger, its object or its light verb. The actor is marked
        "+locative" (see _as_place)."""
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        # "a series of bombs in Kabul", "the withdrawal of forces from Panama"
        xs = [tok, *objs, *[p for o in (tok, *objs) for p in _of_objects(o)],
              # "attacks against civilian and military targets in Kirkuk": where what is attacked is
              *[p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "at")
                for p in c.children if p.dep_ == "pobj"],
              # "put under investigation in Italy", "placed under arrest in Cairo"
              *[p for c in tok.children if c.dep_ == "prep" and c.lower_ == "under" for p in c.children
                if p.dep_ == "pobj"]]
        if tok.pos_ != "VERB":
            verb = self._governing_verb(tok)  # "remained on alert in the West Bank"
            if verb is not None:
                xs.append(verb)
        for x in xs:
            for c in x.children:
                if c.dep_ != "prep" or c.lower_ not in preps:
                    continue
                # "out of Iraq": the object hangs on "of"
                heads = [c, *[o for o in c.children if o.dep_ == "prep" and o.lower_ == "of"]]
                for p in (p for h in heads for p in h.children):
                    if p.dep_ != "pobj":
                        continue
                    inner = [a for a in p.children if a.dep_ == "appos"]  # "in the capital Kabul"
                    region = p.lemma_.lower() in REGION_NOUNS and layer.at(p) is None
                    if region:
                        # "in Niger's Maradi region", "in the western city of Ahmedabad", "in Afghanistan's
                        # northern Faryab province": the place the region noun names, or the state owning it
                        inner += [a for a in p.children if a.dep_ == "compound"] + _of_objects(p) + [
                            a for a in p.children if a.dep_ == "poss"]
                    for y in (p, *inner):
                        m = layer.at(y)
                        if m is not None and m.kind == "country" and m.actors and m.actors[0].code:
                            a = m.actors[0]
                            return [replace(a, how=a.how + "+locative")]
                    if region:
                        # "in all Libyan territories": the state its adjective names
                        adj = next((layer.modifiers[a.i] for a in p.children
                                    if a.dep_ == "amod" and a.i in layer.modifiers), None)
                        if adj is not None and adj.code:
                            end = p.idx + len(p.text)
                            return [replace(adj, text=layer.text[adj.start:end], end=end, how=adj.how + "+locative")]
        return []

    def _restricted_place(self, layer: ActorLayer, n: Token) -> list[Actor]:
        """Where a restriction applies is its target (codebook: a curfew, state of emergency or siege
        "in" a place targets that place's population): the "in" phrase of the restriction noun, of
        the noun it completes ("a state of siege in Haiti") or of the verb that imposes it ("declared
        a curfew in Abidjan"). Only coded actors count (countries, and places the actor stage coded
        through the gazetteer)."""
        x = n
        for _ in range(4):
            for y in (x, *_of_objects(x)):  # "a state of emergency in Darfur": the phrase may hang on either noun
                out = [replace(a, how=a.how + "+population") for a in self._pp_recipients(layer, y, {"in"}) if a.code]
                if out:
                    return out
            if x.dep_ == "pobj" and x.head.lower_ == "of":
                x = x.head.head  # "siege" -> "state" in "a state of siege"
            elif x.dep_ in ("dobj", "nsubjpass") and x.head.pos_ in ("VERB", "AUX"):
                x = x.head  # "imposed a curfew in ..."
            else:
                break
        # a restriction of travel or help "to" a country targets it ("lifted its travel ban to Lebanon", "ease
        # restrictions on humanitarian assistance to North Korea", "travel curbs to and from North Korea")
        base = _counted(n)  # "ease some of its restrictions on ..."
        verb = n.head if n.dep_ == "dobj" and n.head.pos_ == "VERB" else None  # (the phrase hung on the verb)
        for y in (base, *[p for c in base.children if c.dep_ == "prep" and c.lower_ == "on" for p in c.children
                          if p.dep_ == "pobj"], *([verb] if verb is not None else [])):
            out = [a for a in self._pp_recipients(layer, y, {"to", "from"}) if a.code and a.how.startswith("kb")]
            if out:
                return out
        return []

    def _proposer(self, layer: ActorLayer, n: Token | None) -> list[Actor]:
        """Who made the offer, request or proposal ``n`` (see PROPOSAL_NOUNS): its owner ("Israel's offer"),
        the body modifying it ("an Afghan government offer", also a forum: "vetoed a UN draft resolution
        presented by Britain" answers the UN), its "by"/"from" phrase, also one phrase down ("offers for peace
        talks by the Kabul government"), or the agent of the participle that describes it ("an appeal lodged by
        X", "the proposal submitted by Y")."""
        if n is None or n.lemma_.lower() not in PROPOSAL_NOUNS:
            return []
        for c in n.children:
            if c.dep_ == "poss":
                return [a for a in self._actors_of(layer, c) if a.kind != "pronoun"]
        for c in sorted(n.children, key=lambda x: x.dep_ != "compound"):  # the body's noun before its adjective
            if c.dep_ in ("compound", "amod", "nmod"):
                m = layer.at(c)
                if m is not None and m.head == c.i and m.actors[0].code:
                    return [a for a in m.actors if a.code]
                if c.i in layer.modifiers:
                    return [layer.modifiers[c.i]]
        below = [p for c in n.children if c.dep_ == "prep" and c.lower_ not in ("by", "from")
                 for p in c.children if p.dep_ == "pobj"]
        for x in (n, *below):
            got = self._pp_recipients(layer, x, {"by", "from"})
            if got:
                return got
        agent = next((a for a in map(_participle_agent, n.children) if a is not None), None)
        return self._actors_of(layer, _has_child(agent, {"pobj"})) if agent is not None else []

    def _beneficiaries(self, layer: ActorLayer, x: Token) -> list[Actor]:
        """Whom a request for help or release is for, when no one is asked: "seeks conditional release for a
        Utah man", "was seeking aid for war victims in Syria", "launched an appeal for $88 million to help
        people in need in Ethiopia" (ConfliBERT and CAMEO coders mark them as the target)."""
        objs = [o for o in x.children if o.dep_ == "dobj"] + [
            p for c in x.children if c.dep_ == "prep" and c.lower_ == "for" for p in c.children if p.dep_ == "pobj"]
        for o in objs:
            if o.lemma_.lower() in RELIEF | {"release", "help", "support", "protection", "asylum", "clemency",
                                             "pardon", "freedom"} or o.lemma_.lower() in MONEY or o.pos_ == "NUM" \
                    or any(c.lemma_.lower() in MONEY for c in o.children):
                out = self._pp_recipients(layer, o, {"for"})
                if out:
                    return out
        return self._helped(layer, x)

    def _proposed_target(self, layer: ActorLayer, n: Token | None) -> list[Actor]:
        """With no author named, the target of a proposal is whom or where its proposed act names: "rejected a
        call for its peacekeeping forces to be deployed in East Timor" -> East Timor."""
        if n is None or n.lemma_.lower() not in PROPOSAL_NOUNS:
            return []
        for c in n.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                out = self._pp_recipients(layer, c, {"to", "against", "on"}) or self._place_target(
                    layer, c, ("in", "into"))
                if out:
                    return out
            if c.dep_ == "prep" and c.lower_ == "for":
                # "accepted a formula for ending its fisheries dispute with its European common market partners":
                # the other party of the conflict the proposal is to settle
                for v in c.children:
                    obj = _has_child(v, {"dobj"}) if v.dep_ == "pcomp" and v.pos_ == "VERB" else None
                    if obj is not None and obj.lemma_.lower() in CONFLICT_NOUNS:
                        out = self._pp_recipients(layer, obj, {"with", "between", "against"}) or \
                            self._pp_recipients(layer, v, {"with", "between"})  # (hung on the verb)
                        if out:
                            return out
        return []

    def _pp_recipients(self, layer: ActorLayer, tok: Token, preps: set[str]) -> list[Actor]:
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                pobj = _has_child(c, {"pobj"})
                if pobj is None:  # "against visiting Saudi Crown Prince ...", parsed as a verb and its object
                    pc = _has_child(c, {"pcomp"})
                    pobj = _has_child(pc, {"dobj"}) if pc is not None and _describing(pc) else None
                if pobj is None and c.i + 1 < len(c.doc) and c.doc[c.i + 1].dep_ == "cc":
                    # "established diplomatic ties with and opened an embassy in Tehran", "fired on and killed a
                    # combatant": a preposition whose object is the next conjunct's last object (not in a clause);
                    # "to and from North Korea": the next preposition's
                    nxt = c.doc[c.i + 2] if c.i + 2 < len(c.doc) else None
                    pobj = _has_child(nxt, {"pobj"}) if nxt is not None and nxt.pos_ == "ADP" else _gapped_object(c)
                # the phrase right after the preposition, even where the parse attached a later noun
                # as the object ("against the Islamic State, U.S. and Israeli officials told ...")
                doc = tok.doc
                owner: list[Actor] = []  # "on its NATO ally Turkey": the pronoun owner only if nothing else
                for k in (c.i + 1, c.i + 2):
                    if pobj is not None and k < len(doc) and k <= pobj.i and layer.at(k) is not None \
                            and layer.at(k) is not layer.at(pobj):
                        m = layer.at(k)
                        if m.start == c.i + 1 and doc[m.head].dep_ == "poss" and doc[m.head].pos_ == "PRON":
                            owner = [a for a in m.actors if a.code or a.sector]
                        elif m.start == c.i + 1:
                            out = [a for a in m.actors if a.code or a.sector]
                            for x in doc[m.head].conjuncts:  # "against Israel and the U.S.", not across commas
                                xm = layer.at(x)
                                if xm is not None and xm is not m and not any(
                                        t.text == "," for t in doc[min(m.end, xm.start):max(m.end, xm.start)]):
                                    out.extend(a for a in xm.actors if a.code or a.sector)
                            if out:
                                return out + self._stray_conjunct(layer, pobj, out)
                out = self._actors_of(layer, pobj) or owner
                if out:
                    return out
        return []

    def _noun_roles(self, layer: ActorLayer, n: Token, sense: Sense) -> tuple[list[Actor], list[Actor]]:
        if n.dep_ == "pobj" and n.head.lower_ == "under" and n.head.head.pos_ in ("VERB", "AUX"):
            return self._undergone(layer, n, n.head.head)
        actors: list[Actor] = []
        speech = n.lemma_.lower() in SPEECH_NOUNS
        for c in n.children:
            if c.dep_ == "poss":
                actors = self._actors_of(layer, c)
            elif c.dep_ in ("compound", "amod", "nmod", "npadvmod") and not actors:
                m = layer.at(c)
                if m is not None and c.dep_ == "amod" and c.pos_ == "ADJ" and m.end - m.start == 1 \
                        and sense.event in KIND_MODIFIED and not any(a.how.startswith("kb") for a in m.actors):
                    continue  # "military assistance", "military cooperation": the kind of help, not who helps
                if m is not None and m.end - m.start == 1 and any(
                        c.lemma_.lower() in rest for rest, _s in self.multi.get((n.lemma_.lower(), "N"), [])):
                    continue  # "a military operation": the word is part of the trigger's phrase
                if m is not None and m.head == c.i:
                    actors = [a for a in m.actors if a.code or a.sector]
                elif c.i in layer.modifiers:
                    actors = [layer.modifiers[c.i]]
            elif c.dep_ == "prep" and (c.lower_ == "by" or (c.lower_ in ("from", "of") and speech)):
                # "calls by Belarus's rulers", "demands from the association", "the demands of the drivers"
                actors = self._actors_of(layer, _has_child(c, {"pobj"})) or actors
        if not actors and n.dep_ == "pobj" and n.head.lower_ == "in" and n.head.head.lemma_.lower() in PARTAKING_NOUNS:
            # "his alleged part in atrocities", "their role in the bombing": the one whose part it is
            owner = _has_child(n.head.head, {"poss"})
            if owner is not None:
                actors = self._actors_of(layer, owner)
        if not actors:
            actors = self._agent_of(layer, n)  # "killings committed by Serb police": not the investigators'
        if not actors and n.dep_ == "nsubj" and n.head.dep_ == "ccomp" and _is_light(n.head.head) \
                and n.left_edge.i > n.head.head.i:
            # "declared a state of siege in Bolivia to begin at midnight": the parser makes the object the
            # subject of the clause after it; who declared it is the light verb's subject
            actors = self._subject(layer, n.head.head)
        if not actors and not (speech and n.dep_ == "pobj" and n.head.lower_ == "to"):
            # (but who "conceded to demands" or "responded to calls" is not who made them)
            verb = self._governing_verb(n)
            # the subject takes part in what a preposition brings ("took part in the attack", "were engaged in
            # fighting", "responded with airstrikes"); not in what it protests "against" or talks "about"
            if verb is not None and (n.dep_ == "dobj" and _is_light(verb)
                                     or n.dep_ == "pobj" and (n.head.lower_ not in NOT_PARTAKING_PREPS
                                                              or n.head.head.lower_ == "part")):  # "as part of"
                actors = self._subject(layer, verb)
                if actors and any(c.dep_ == "amod" and c.lower_ in JOINT_WORDS for c in n.children):
                    # "moved missiles to militias in Iraq as part of a planned joint strike": a joint action's
                    # other party is the one the governing clause names with "to"/"with"
                    seen = {(a.start, a.end) for a in actors}
                    obj = _has_child(verb, {"dobj"})
                    partners = self._pp_recipients(layer, verb, {"to", "with"}) or (
                        self._pp_recipients(layer, obj, {"to", "with"}) if obj is not None else [])
                    actors = actors + [a for a in partners if (a.start, a.end) not in seen]
        # ("a state of emergency in Lima": the restriction may be the noun's "of" complement)
        restriction = n.lemma_.lower() in RESTRICTIONS or any(p.lemma_.lower() in RESTRICTIONS for p in _of_objects(n))
        recipients = self._restricted_place(layer, n) if restriction else []
        if not recipients:
            recipients = self._pp_recipients(layer, n, set(sense.preps) | {"against", "on"})
        if not recipients and n.dep_ == "dobj" and _is_light(n.head):
            # the light verb carries the noun's phrases: "gave aid to Ethiopia", "gave Kenya a warning",
            # "paid a visit to Algeria"
            recipients = self._actors_of(layer, _has_child(n.head, {"dative"})) or self._pp_recipients(
                layer, n.head, set(sense.preps) | {"against", "on"})
        if not recipients:  # "a suspension of aid to Pakistan": the recipient phrase of the "of" complement
            for p in _of_objects(n):
                if not recipients:
                    recipients = self._pp_recipients(layer, p, {"to", "against", "on"})
            if not recipients and _of_objects(n):  # (or on the noun itself, where the parse hangs it)
                recipients = self._pp_recipients(layer, n, {"to", "with"})
        if not recipients and "in" in sense.preps and not restriction:  # (tried first above)
            recipients = self._restricted_place(layer, n)
        if not recipients and sense.event in ("SANCTION", "COERCE", "THREATEN"):
            # "imposed various sanctions in relation to Iraq": the measure's subject, named by a compound
            # preposition on the noun or its light verb
            for x in (n, *((n.head,) if n.dep_ == "dobj" and _is_light(n.head) else ())):
                for c in x.children:
                    if c.dep_ == "prep" and c.lower_ in ("in", "with"):
                        for p in c.children:
                            if p.dep_ == "pobj" and p.lemma_.lower() in ("relation", "regard", "respect", "connection"):
                                recipients = recipients or self._pp_recipients(layer, p, {"to", "with"})
        if not recipients and sense.event in ("ACCUSE", "PROTEST", "REJECT"):
            # "an investigation into alleged crimes committed by Croat forces": who did what is looked into
            # (the phrase may hang on the light verb: "opened an investigation into killings committed by ...")
            for c in [*n.children, *(n.head.children if n.dep_ == "dobj" and _is_light(n.head) else ())]:
                if c.dep_ == "prep" and c.lower_ in ("into", "of", "against", "over", "on"):
                    recipients = recipients or self._agent_of(layer, _has_child(c, {"pobj"}))
        if not recipients and sense.event == "REQUEST" and n.lemma_.lower() in ("appeal", "request", "plea", "call"):
            recipients = self._beneficiaries(layer, n) or (
                self._beneficiaries(layer, n.head) if n.dep_ == "dobj" and _is_light(n.head) else [])
        if not recipients and sense.event == "REQUEST":
            # "its demand that US ease sanctions", "calls for Israel to withdraw": who is to act
            for c in n.children:
                if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX") and c.i > n.i:
                    subj = _has_child(c, {"nsubj", "nsubjpass"})
                    if subj is not None and subj.lower_ not in ("that", "which", "who"):
                        recipients = recipients or self._actors_of(layer, subj)
        if not recipients and sense.cameo == "045":
            # a mediation names its parties with "between", also inside its purpose ("a mediation effort to
            # resolve the rift between Qatar and other Gulf states")
            for x in n.subtree:
                if x.dep_ == "prep" and x.lower_ == "between" and x.i > n.i:
                    recipients = recipients or self._pp_recipients(layer, x.head, {"between"})
        if not recipients and sense.event == "THREATEN":
            for c in n.children:
                if c.dep_ in ("acl", "relcl", "xcomp"):
                    recipients = self._actors_of(layer, _has_child(c, {"dobj"}))
        if not recipients and sense.event == "AID":
            # "announced assistance of EUR 60 million to help people in Somalia" (the purpose on the light verb)
            recipients = self._helped(layer, n) or (
                self._helped(layer, n.head) if n.dep_ == "dobj" and _is_light(n.head) else [])
        if not recipients and sense.event in ("AGREE", "SUPPORT"):
            # "reiterated its commitment to support the Nigeria Police": the promised act's object
            for c in n.children:
                if c.dep_ == "acl" and c.pos_ == "VERB" and _has_child(c, {"nsubj"}) is None \
                        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    recipients = recipients or self._actors_of(layer, _has_child(c, {"dobj"}))
        return actors, recipients

    # ------------------------------------------------------------ merging
    @staticmethod
    def _rank_embedded(events: list[Event]) -> list[Event]:
        """An event whose trigger is the complement of another trigger ranks below it.

        "threatened to impose sanctions", "refused to meet", "accused X of attacking",
        "demanded that Y withdraw": the governing verb is what the source did (PLOVER
        codes it); the embedded action is kept as its own event (later stages mark it
        planned, conditional, negated...), with lower ``confidence`` so that it is not
        taken as the sentence's main event.
        """
        for ev in events:  # the attack is the main event, the harm its result (see _results_of_attacks)
            cause = getattr(ev, "_result_of", None)
            if cause is None:
                continue
            ev.confidence = round(max(0.1, min(ev.confidence, cause.confidence) - 0.25), 3)
            ev._ranked_below = True  # type: ignore[attr-defined]
        for ev in events:  # an event named as the background of the sentence ranks lower
            tok = getattr(ev, "_trigger", None)
            if tok is not None and len(events) > 1 and tok.dep_ in ("pobj", "pcomp") \
                    and tok.head.lower_ in BACKGROUND_PREPS:
                ev.confidence = round(max(0.1, ev.confidence - 0.2), 3)
                ev._ranked_below = True  # type: ignore[attr-defined]  # read by the typer, not serialised
        heads = {getattr(e, "_trigger", None): e for e in events}
        heads.pop(None, None)
        for tok, e in list(heads.items()):  # "continued their hunger strike to demand": the light verb stands for it
            if tok.dep_ == "dobj" and _is_light(tok.head) and tok.head not in heads:
                heads[tok.head] = e
        for ev in events:
            tok = getattr(ev, "_trigger", None)
            if tok is None:
                continue
            t, hops = tok, 0
            while t.head is not t and hops < 3:
                # (a passive subject is what the verb acts on: "UN sanctions against Iran were lifted")
                if t.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acl", "advcl", "mark", "aux",
                                  "nsubjpass"):
                    break
                t, hops = t.head, hops + 1
                gov = heads.get(t)
                if gov is not None and getattr(gov, "_result_of", None) is ev:
                    break
                if gov is not None and gov is not ev:
                    ev.confidence = round(max(0.1, min(ev.confidence, gov.confidence) - 0.25), 3)
                    ev._ranked_below = True  # type: ignore[attr-defined]
                    break
        return events

    @staticmethod
    def _merge_partials(events: list[Event]) -> list[Event]:
        """One event mentioned twice in a sentence, once with its actor and once with its recipient."""
        out: list[Event] = []
        for ev in events:
            if not ev.actor:
                partner = next((o for o in events if o is not ev and o.event == ev.event and o.actor
                                and not o.recipient and ev.recipient), None)
                if partner is not None:
                    partner.recipient = ev.recipient
                    partner.confidence = max(partner.confidence, 0.8)
                    continue
            out.append(ev)
        return out


def _results_of_attacks(events: list[Event]) -> None:
    """Harms reported in the passive with no agent, each with the attack its "as"/"when" clause names ("23
    civilians were killed as government forces launched air strikes against ...", "two people were killed
    when ISIL launched an attack on ..."): the harm is the attack's result, done by its attacker (the harm's
    actor is set, ``how`` gains "+clause"; ``_result_of`` points at the attack, for _rank_embedded)."""
    for ev in events:
        tok = getattr(ev, "_trigger", None)
        if ev.actor or ev.event != "ASSAULT" or tok is None or _has_child(tok, {"nsubjpass"}) is None:
            continue
        for c in tok.children:
            if c.dep_ != "advcl" or _has_child(c, {"mark", "advmod"}, {"as", "when"}) is None:
                continue
            # the clause's own verb first ("bombed a house"), else the attack it launches ("launched an attack")
            cands = sorted((o for o in events if o.event == "ASSAULT" and o.actor and getattr(o, "_trigger", None)
                            is not None and (o._trigger.i == c.i or o._trigger.head.i == c.i)),
                           key=lambda o: o._trigger.i != c.i)
            if cands:
                ev.actor = [replace(a, how=a.how + "+clause") for a in cands[0].actor]
                ev._result_of = cands[0]  # type: ignore[attr-defined]  # read by _rank_embedded, not serialised
                break


def not_self(actors: list[Actor], recipients: list[Actor]) -> list[Actor]:
    """The recipients less the actors: an actor is not its own recipient, nor is a pronoun that stands for
    it ("met his counterpart", "protesters are entering their third day of protest")."""
    spans = {(a.start, a.end) for a in actors} | {a.antecedent for a in actors if a.antecedent}
    return [r for r in recipients if (r.start, r.end) not in spans and r.antecedent not in spans]


def extract_events(parsed: Parsed, layer: ActorLayer) -> list[Event]:
    return EventExtractor()(parsed, layer)


#: event types whose bare-country actor or recipient acts through its government (diplomatic and
#: verbal events) or its military (armed attacks): "Iraq agreed", "Israel's strike"
GOV_EVENTS = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT",
              "THREATEN", "SANCTION", "PROTEST"}
MIL_EVENTS = {"ASSAULT"}
COUNTRY_HOWS = {"kb-country", "kb-capital", "kb-adjective", "kb-misspelt"}


def _as_place(a: Actor, event: str) -> Actor:
    """A place coded as the target of an event that happens in it (``how`` ends in "+locative", or in
    "+population" for the place a restriction applies to): the restricted place, or the place of an
    attack or a coercion, stands for its population (sector CVL, as "a curfew in Abidjan" and "retook
    a village in western Cambodia" are coded); other place targets are the territory, with no sector
    (a capital named as a place is not its government). Other actors are returned as they are."""
    if a.how.endswith("+population") or (a.how.endswith("+locative") and event in POPULATION_TARGETS):
        return replace(a, sector="CVL")
    if a.how.endswith("+locative"):
        return replace(a, sector=None)
    return a


#: dependencies inside a noun phrase that the argument phrase climbs from a mention to the noun that fills the
#: role ("the Croatian government's request", "several Boko Haram terrorists", "the leaders of Iran")
PHRASE_UP = {"poss", "compound", "amod", "nmod", "appos", "nummod", "det", "quantmod"}
#: prepositions through which a mention belongs to the noun before it ("leaders of Iran", "a village in Syria")
PHRASE_PREPS = {"of", "in", "from", "at", "near", "outside", "inside"}
#: dependents left out of an argument phrase: clauses and coordinated phrases
PHRASE_CUT = {"relcl", "acl", "advcl", "conj", "cc", "parataxis"}


def argument_phrases(doc: Doc, events: list[Event],
                     lexicon: dict[tuple[str, str], Sense] | None = None) -> list[Event]:
    """Each actor's argument phrase (``Actor.phrase``): the noun phrase that fills the role in its event, of
    which the actor's mention is part -- "at least 75 displaced people in eastern Syria" for the mention
    "people", "the Croatian government's request" for "the Croatian government" when the request is what
    was rejected. From the mention's root, climb through noun-phrase dependencies and "of"/"in" phrases,
    never into the trigger; the phrase is that noun's subtree without its clauses and coordinated phrases.
    Pronouns and places coded as targets keep no phrase. Actors are copied per event (a mention's actor is
    shared by its events, its phrase is not)."""
    starts = {t.idx: t.i for t in doc}
    for ev in events:
        trig = getattr(ev, "_trigger", None)
        if trig is None:
            k = starts.get(ev.event_text.start)
            trig = doc[k] if k is not None else None
        ev.actor = [_with_phrase(doc, a, trig, lexicon) for a in ev.actor]
        ev.recipient = [_with_phrase(doc, a, trig, lexicon) for a in ev.recipient]
    return events


def _np_bounds(doc: Doc, h: Token, stop: int) -> tuple[int, int]:
    """Token bounds of the phrase of noun ``h`` (its subtree without clauses, coordinated phrases, time
    adjuncts or purposes, see _in_phrase), never reaching into token ``stop`` (the trigger)."""
    toks = [h.i]
    todo = [h]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in PHRASE_CUT or c.i == stop or (t.i == h.i and not _in_phrase(h, c)) \
                    or (c.pos_ in ("VERB", "AUX") and c.dep_ not in ("amod", "compound", "nmod")) \
                    or (c.dep_ == "advmod" and c.lower_ in PLACE_TIME_ADVERBS) \
                    or _is_time(c) \
                    or (c.dep_ == "appos" and c.ent_type_ == "GPE" and t.ent_type_ == "GPE"):
                # (no clause, no "here"/"today", and "The United States, India" is a list, not an apposition)
                continue
            toks.append(c.i)
            todo.append(c)
    lo, hi = min(toks), max(toks) + 1
    if stop >= 0 and lo <= stop < hi:  # the trigger inside ("Israel's strikes on ..."): the part before it,
        # up to the last word of the phrase before it (not the words of a cut clause in between)
        hi = max((k for k in toks if k < stop), default=h.i) + 1 if stop > h.i else hi
        lo = min((k for k in toks if k > stop), default=h.i) if stop < h.i else lo
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ in ("cc", "case")):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].dep_ in ("cc", "case")) and not (
            doc[hi - 1].text == ")" and any(doc[k].text == "(" for k in range(lo, hi - 1))):
        hi -= 1
    # an acronym in brackets right after the name: "Nigerian Air Force (NAF)"
    if hi > lo and hi + 2 < len(doc) and doc[hi].text == "(" and doc[hi + 2].text == ")" \
            and doc[hi + 1].text.isupper():
        hi += 3
    return lo, hi


def _is_time(c: Token) -> bool:
    """A dependent that only says when ("on Thursday", "17 July 2017", "Hours earlier"), at any depth of a
    phrase: its content words are all date or time entities, and no age ("a 15-year-old student", which
    the NER also tags DATE)."""
    words = [x for x in c.subtree if not x.is_punct and x.pos_ not in ("ADP", "DET", "CCONJ")]
    return bool(words) and all(x.ent_type_ in ("DATE", "TIME") for x in words) and not any(
        x.lower_ == "old" or x.lower_.endswith("-old") for x in c.subtree)


def _with_phrase(doc: Doc, a: Actor, trig: Token | None,
                 lexicon: dict[tuple[str, str], Sense] | None = None) -> Actor:
    if a.kind == "pronoun" or a.how == "device-uaf" or a.end <= a.start or "+locative" in a.how \
            or "+authority" in a.how:
        return a  # (a place coded as target is the place: "a ceasefire in Afghanistan" targets Afghanistan)
    span = doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return a
    h = span.root
    stop = trig.i if trig is not None else -1
    for _ in range(8):
        up = h.head
        if up.i == h.i or up.i == stop:
            break
        if h.dep_ in PHRASE_UP and up.pos_ in ("NOUN", "PROPN", "NUM"):
            h = up
        elif h.dep_ == "pobj" and up.dep_ == "prep" and up.lower_ in PHRASE_PREPS and up.head.i != stop \
                and up.head.pos_ in ("NOUN", "PROPN", "NUM") and not _is_act_noun(up.head, lexicon):
            h = up.head
        else:
            break
    lo, hi = _np_bounds(doc, h, stop)
    if hi <= lo:
        return a
    if h.pos_ == "NOUN" and hi < len(doc) and doc[hi].lower_ in ("in", "near") and doc[hi].dep_ == "prep" \
            and doc[hi].head.pos_ == "VERB" and hi > h.i:
        # "attacked a police headquarters in eastern Afghanistan": the place the parser hung on the verb
        # belongs to the common noun right before it
        pobj = _has_child(doc[hi], {"pobj"})
        if pobj is not None and any(x.ent_type_ in ("GPE", "LOC", "FAC") for x in pobj.subtree):
            hi = max(hi, _np_bounds(doc, pobj, stop)[1])
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    start, end = min(start, a.start), max(end, a.end)
    if (start, end) == (a.start, a.end):
        return a if a.phrase is None else replace(a, phrase=None)
    return replace(a, phrase=(start, end))


def _is_act_noun(n: Token, lexicon: dict[tuple[str, str], Sense] | None = None) -> bool:
    """A noun that names an act or a statement ("demands from the association", "a boycott of the
    University", "the evacuation of sick Afghan children"): the one it is by or about is an argument of
    its own, not part of a larger phrase. ``lexicon``: the event lexicon in use (default: the shipped one)."""
    lemma = n.lemma_.lower()
    lex = lexicon if lexicon is not None else load_lexicon()
    return lemma in SPEECH_NOUNS or lemma in PHRASE_EVENT_NOUNS or (lemma, "N") in lex


def _in_phrase(h: Token, c: Token) -> bool:
    """Whether a dependent of the phrase's noun belongs to the argument phrase: not a time or manner
    adjunct ("on Sunday", "during a briefing", "hours earlier"), nor a purpose or topic ("a request for
    revocation of the ruling"); an "of" phrase does, and so does the place of a common noun ("a military
    vehicle in Rakhine State"; but "President Trump in Washington" is where he acted)."""
    if c.dep_ == "npadvmod":
        return False  # "Hours earlier Maduro", "Tuesday"
    if c.dep_ == "advmod":
        return c.ent_type_ not in ("DATE", "TIME") and c.pos_ != "ADV" and not any(
            x.ent_type_ in ("DATE", "TIME") for x in c.subtree)
    if c.dep_ == "appos" and c.pos_ == "NOUN" and not any(x.pos_ == "PROPN" for x in c.subtree):
        return False  # "an army camp in Kabul, the seventh major attack this month": a comment, not a name
    if c.dep_ != "prep":
        return True
    if any(p.dep_ == "pobj" and p.lemma_.lower() in PHRASE_EVENT_NOUNS for p in c.children):
        return False  # "accused the military of mass slaughter", "52 people in coordinated attacks"
    if c.lower_ == "of":
        return True
    if c.lower_ in PHRASE_PREPS and h.pos_ != "PROPN":
        # (people "from" or "at" a body are of it: "soldiers from the NDC-R", "the workers at Reliance Industries")
        kinds = ("GPE", "LOC", "FAC", "ORG", "NORP") if c.lower_ in ("from", "at") else ("GPE", "LOC", "FAC")
        return any(x.ent_type_ in kinds for x in c.subtree)
    return False


def infer_country_sectors(events: list[Event]) -> list[Event]:
    """An actor whose country came only from the context (sentence or report) loses it when it is its own event's
    recipient's country. A country named bare (no role, no organisation: "Iraq", "Washington", "Israeli") as actor or recipient
    gets the sector its event implies: GOV for diplomatic and verbal events, MIL for an armed assault
    (``how`` gains "+event-sector", so the inference can be told from a resolved sector)."""
    for ev in events:
        # each event gets its own copies: a mention's actor is shared by every event it takes part in, and
        # what is inferred here depends on the event ("Turkey" is GOV when it sends aid, MIL when it attacks)
        ev.actor = [replace(a) for a in ev.actor]
        ev.recipient = [replace(a) for a in ev.recipient]
        # an unnamed actor ("troops") given the sentence's country by context does not take the country of
        # its own event's recipient ("Troops seized a tanker from Iran")
        # (only a recipient named with its own country: not the place the event happens in, nor one whose
        # country came from the same context)
        targets = {a.code for a in ev.recipient if a.code and not a.how.startswith("context")
                   and not a.how.endswith(("+locative", "+population"))}
        domestic = ev.event == "COERCE" and ev.mode in ("curfew", "restrict", "martial-law")
        for a in ev.actor:
            # (a curfew, siege or state of emergency is imposed by a country's own authorities; protesters given
            # the report's country most often protest against their own government: "students blocked roads in
            # Dhaka to oust the prime minister"; a country taken from the sentence may be the target's own)
            if a.how.removesuffix("+clause") in ("context-sentence", "context-report") and a.code in targets \
                    and not domestic and not (
                    ev.event == "PROTEST" and a.how == "context-report"):
                a.code, a.how = None, a.how + "-dropped"
        sector = "GOV" if ev.event in GOV_EVENTS else "MIL" if ev.event in MIL_EVENTS else None
        if sector is None:
            continue
        for a in (*ev.actor, *ev.recipient):
            # (a pronoun for a bare country too: "Russia said it will withdraw")
            # (a partner in a mutual event is a party like any other; a coalition acts as its leader)
            how = a.how.removesuffix("+partner").removesuffix("+leader")
            if a.sector is None and (how in COUNTRY_HOWS or how in ("coref-pronoun", "coref-owner", "coref-country")) and a.code \
                    and len(a.code) == 3 \
                    and a.code not in NON_STATE_CODES:
                a.sector = sector
                a.how += "+event-sector"
    return events

