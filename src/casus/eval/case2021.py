"""CASE 2021 Task 2: fine-grained event classification into ACLED-style subtypes.

Format (original TSV): a header row ``id<TAB>EventSnippet<TAB>SubType`` (columns
found by name, in any order), then one snippet per line. Fields are not quoted
(the text holds bare quotes): lines are split on TAB only.

Labels: the 25 ACLED sub-event types of the task's EVENT TYPES note (ABDUCT_DISSAP,
AGREEMENT, AIR_STRIKE, ARMED_CLASH, ARREST, ART_MISS_ATTACK, ATTACK,
CHANGE_TO_GROUP_ACT, CHEM_WEAP, DISR_WEAP, FORCE_AGAINST_PROTEST,
GOV_REGAINS_TERIT, GRENADE, HQ_ESTABLISHED, MOB_VIOL,
NON_STATE_ACTOR_OVERTAKES_TER, NON_VIOL_TERRIT_TRANSFER, OTHER, PEACE_PROTEST,
PROPERTY_DISTRUCT, PROTEST_WITH_INTER, REM_EXPLOS, SEX_VIOL, SUIC_BOMB,
VIOL_DEMONSTR) plus the 'unseen' ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER,
DIPLO, ATTRIB.

Each snippet is predicted as one text; :func:`to_acled` maps its events to one
subtype. Reported: weighted F1 (the task's metric), macro F1, accuracy and the
per-subtype table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casus.eval.base import (
    EvalReport,
    Predict,
    apply_limit,
    bad_format,
    is_negated,
    read_text,
    require_path,
    run_predict,
    strongest_event,
)
from casus.eval.metrics import classification_report, confusion
from casus.eval.parts import check_part, record, select
from casus.events.cues import (
    ABDUCT, AIR, ARREST, BLAME, CHEMICAL, CLASH, CRIME, DEAL, DESTROY, DISPERSE, EXPLOSIVE, GRENADE, HEAVY, HQ,
    KILL, MAN_MADE, MOB, NATURAL, PROTESTERS, RETAKE, RIOT, RPG, SEXUAL, SUICIDE, TAKEOVER, TRANSFER, WEAPONS,
    WITHDRAW,
)
from casus.records import Actor, Event

NAME = "case2021"
FMT = "CASE 2021 task 2 TSV (header id<TAB>EventSnippet<TAB>SubType)"

ACLED_SEEN = (
    "ABDUCT_DISSAP",
    "AGREEMENT",
    "AIR_STRIKE",
    "ARMED_CLASH",
    "ARREST",
    "ART_MISS_ATTACK",
    "ATTACK",
    "CHANGE_TO_GROUP_ACT",
    "CHEM_WEAP",
    "DISR_WEAP",
    "FORCE_AGAINST_PROTEST",
    "GOV_REGAINS_TERIT",
    "GRENADE",
    "HQ_ESTABLISHED",
    "MOB_VIOL",
    "NON_STATE_ACTOR_OVERTAKES_TER",
    "NON_VIOL_TERRIT_TRANSFER",
    "OTHER",
    "PEACE_PROTEST",
    "PROPERTY_DISTRUCT",
    "PROTEST_WITH_INTER",
    "REM_EXPLOS",
    "SEX_VIOL",
    "SUIC_BOMB",
    "VIOL_DEMONSTR",
)
ACLED_UNSEEN = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")
ACLED_TYPES = ACLED_SEEN + ACLED_UNSEEN

# sectors (PLOVER codebook)
STATE_FORCES = {"MIL", "COP", "SPY", "PRM"}
ARMED = STATE_FORCES | {"REB", "UAF", "CRM"}
NON_STATE_ARMED = {"REB", "UAF", "CRM"}

CRIME_CONTEXTS = {"crime", "illegal_drugs", "trafficking", "corruption"}


def _sectors(actors: list[Actor]) -> set[str]:
    out: set[str] = set()
    for a in actors:
        for s in re.split(r"[\s,;/|]+", a.sector or ""):
            if s:
                out.add(s[:3].upper())
    return out


def _evidence(e: Event) -> str:
    """Text the cue words are looked for in: trigger text and mode."""
    return f"{e.event_text.text} {e.mode or ''}".lower()


def _mode(e: Event) -> str:
    return (e.mode or "").strip().lower()


def _contexts(e: Event) -> set[str]:
    return {str(c).strip().lower() for c in e.context}


def _against_protest(e: Event, protest_seen: bool) -> bool:
    """Is ``e`` (by state forces, or with a protest event around) aimed at protesters?"""
    rec_text = " ".join(a.text for a in e.recipient)
    return bool(PROTESTERS.search(rec_text)) or (protest_seen and bool(_sectors(e.actor) & STATE_FORCES))


def _disaster(e: Event, ev: str) -> str | None:
    if "disasters" not in _contexts(e):
        return None
    if NATURAL.search(ev):
        return "NATURAL_DISASTER"
    if MAN_MADE.search(ev):
        return "MAN_MADE_DISASTER"
    return "NATURAL_DISASTER" if e.event == "AID" else None


def _assault(e: Event, ev: str) -> str:
    mode = _mode(e)
    actor_sec = _sectors(e.actor)
    rec_sec = _sectors(e.recipient)
    if mode == "sexual" or SEXUAL.search(ev):
        return "SEX_VIOL"
    if mode == "unconventional" or "cbrn" in _contexts(e) or CHEMICAL.search(ev):
        return "CHEM_WEAP"
    if mode == "suicide-attack" or SUICIDE.search(ev):
        return "SUIC_BOMB"
    if mode in ("aerial", "drone") or AIR.search(ev):
        return "AIR_STRIKE"
    if RPG.search(ev):
        return "ART_MISS_ATTACK"
    if GRENADE.search(ev):
        return "GRENADE"
    if mode == "heavy-weapons" or HEAVY.search(ev):
        return "ART_MISS_ATTACK"
    if mode == "explosives" or EXPLOSIVE.search(ev):
        return "REM_EXPLOS"
    if mode == "abduct" or ABDUCT.search(ev):
        return "ABDUCT_DISSAP"
    if MOB.search(ev) or MOB.search(" ".join(a.text for a in e.actor)):
        return "MOB_VIOL"
    if RETAKE.search(ev):
        return "NON_STATE_ACTOR_OVERTAKES_TER" if actor_sec & NON_STATE_ARMED else "GOV_REGAINS_TERIT"
    if TAKEOVER.search(ev) and not KILL.search(ev):
        return "GOV_REGAINS_TERIT" if actor_sec & (STATE_FORCES | {"GOV"}) else "NON_STATE_ACTOR_OVERTAKES_TER"
    if mode == "destroy" or (DESTROY.search(ev) and not KILL.search(ev)):
        return "PROPERTY_DISTRUCT"
    if CLASH.search(ev):
        return "ARMED_CLASH"
    if rec_sec & ARMED:
        return "ARMED_CLASH"
    if rec_sec:  # victims with only unarmed sectors (CVL, BUS, EDU, MED, ...)
        return "ATTACK"
    if len(e.actor) >= 2 and not e.recipient:  # PLOVER puts both sides of two-sided violence in actor
        return "ARMED_CLASH"
    if actor_sec & (STATE_FORCES | {"REB"}):
        return "ARMED_CLASH"
    return "ATTACK"


def to_acled(events: list[Event]) -> str:
    """Map the PLOVER events of one snippet to an ACLED-style subtype.

    The strongest non-negated event (:func:`casus.eval.base.strongest_event`)
    decides; the others only tell whether a protest is going on. Cue words are
    looked for in the event's evidence (its ``event_text`` and ``mode``), sectors
    in its actors. No event -> OTHER. In order:

    * any event with trigger "claimed responsibility"/"blamed"... of type ACCUSE,
      or "claim ... responsibility" in any type -> ATTRIB
    * context ``disasters``: natural-hazard words -> NATURAL_DISASTER; fire,
      explosion, collapse, crash, spill... -> MAN_MADE_DISASTER
    * context ``illegal_drugs``/``trafficking``, or ``crime``/``corruption`` with
      gang/smuggling/robbery/drug words, on COERCE/ASSAULT -> ORG_CRIME
    * protest in the snippet (a PROTEST event, or protesters as recipient) and the
      event is ASSAULT/COERCE by state forces or against protesters: lethal words
      -> FORCE_AGAINST_PROTEST, otherwise (arrests, tear gas, dispersal)
      -> PROTEST_WITH_INTER
    * ASSAULT: mode/words in this order: sexual -> SEX_VIOL; unconventional/cbrn,
      chlorine, sarin... -> CHEM_WEAP; suicide-attack/"suicide" -> SUIC_BOMB;
      aerial/drone, "air strike", "warplane"... -> AIR_STRIKE; "rocket-propelled
      grenade" -> ART_MISS_ATTACK; "grenade" -> GRENADE; heavy-weapons, shelling,
      artillery, mortar, rocket, missile, tank -> ART_MISS_ATTACK; explosives, IED,
      mine, bomb, blast -> REM_EXPLOS; abduct/kidnap/hostage -> ABDUCT_DISSAP;
      mob/lynch/vigilante -> MOB_VIOL; retake/recapture/liberate ->
      GOV_REGAINS_TERIT (NON_STATE_ACTOR_OVERTAKES_TER when the actor is REB/UAF/CRM);
      seize/capture/overrun/take control (no killing words) ->
      NON_STATE_ACTOR_OVERTAKES_TER (GOV_REGAINS_TERIT for state actors);
      mode destroy, burn/torch/demolish (no killing words) -> PROPERTY_DISTRUCT;
      clash/battle/fighting words, an armed recipient (MIL, COP, SPY, PRM, REB,
      UAF, CRM), or several actors and no recipient (PLOVER's two-sided violence)
      -> ARMED_CLASH; unarmed recipients -> ATTACK; state forces or rebels as
      actor with no recipient -> ARMED_CLASH; else ATTACK
    * PROTEST: mode riot, or riot/violence/stone/burn words -> VIOL_DEMONSTR;
      else PEACE_PROTEST
    * COERCE: weapons/ammunition/cache/defuse words (mode seize or any) ->
      DISR_WEAP; mode arrest or arrest/detain/custody words -> ARREST; dispersal
      words (tear gas, baton, lathi) -> PROTEST_WITH_INTER; else OTHER
    * MOBILIZE: base/post/headquarters/set up -> HQ_ESTABLISHED; else
      CHANGE_TO_GROUP_ACT
    * RETREAT: ceasefire/release/disarm modes, or truce/deal/swap/surrender words
      -> AGREEMENT; withdraw + hand over/evacuate/leave words ->
      NON_VIOL_TERRIT_TRANSFER; other withdrawals -> CHANGE_TO_GROUP_ACT;
      else OTHER
    * AGREE, COOPERATE, CONSULT: ceasefire/peace/deal/agreement/swap words (or
      context peacekeeping) -> AGREEMENT; AGREE otherwise -> AGREEMENT; COOPERATE
      and CONSULT otherwise -> DIPLO
    * ACCUSE: blame/responsibility/accuse words -> ATTRIB; else DIPLO
    * SUPPORT, REQUEST, REJECT, THREATEN, SANCTION, CONCEDE -> DIPLO
    * AID and anything else -> OTHER
    """
    active = [e for e in events if not is_negated(e)]
    e = strongest_event(active)
    if e is None:
        return "OTHER"
    if getattr(e, "acled", None) in ACLED_TYPES:
        return str(e.acled)  # the typer's subtype head (casus.events.typer)
    t = str(e.event).upper()
    ev = _evidence(e)
    ctx = _contexts(e)
    mode = _mode(e)

    if re.search(r"claim\w*\b.*responsib|responsib\w*\b.*claim", ev) or (t == "ACCUSE" and BLAME.search(ev)):
        return "ATTRIB"
    dis = _disaster(e, ev)
    if dis:
        return dis
    if t in ("COERCE", "ASSAULT") and (
        ctx & {"illegal_drugs", "trafficking"} or (ctx & CRIME_CONTEXTS and CRIME.search(ev))
    ):
        return "ORG_CRIME"

    protest_seen = any(str(x.event).upper() == "PROTEST" for x in active)
    if t in ("ASSAULT", "COERCE") and _against_protest(e, protest_seen):
        if t == "ASSAULT" and (KILL.search(ev) or mode in ("firearms", "targeted")):
            return "FORCE_AGAINST_PROTEST"
        if t == "ASSAULT" and SEXUAL.search(ev):
            return "SEX_VIOL"
        return "PROTEST_WITH_INTER"

    if t == "ASSAULT":
        return _assault(e, ev)
    if t == "PROTEST":
        return "VIOL_DEMONSTR" if mode == "riot" or RIOT.search(ev) else "PEACE_PROTEST"
    if t == "COERCE":
        if WEAPONS.search(ev):
            return "DISR_WEAP"
        if mode == "arrest" or ARREST.search(ev):
            return "ARREST"
        if DISPERSE.search(ev):
            return "PROTEST_WITH_INTER"
        return "OTHER"
    if t == "MOBILIZE":
        return "HQ_ESTABLISHED" if HQ.search(ev) else "CHANGE_TO_GROUP_ACT"
    if t == "RETREAT":
        if mode in ("ceasefire", "release", "disarm") or DEAL.search(ev):
            return "AGREEMENT"
        if mode == "withdraw" or WITHDRAW.search(ev):
            return "NON_VIOL_TERRIT_TRANSFER" if TRANSFER.search(ev) else "CHANGE_TO_GROUP_ACT"
        return "OTHER"
    if t in ("AGREE", "COOPERATE", "CONSULT"):
        if DEAL.search(ev) or "peacekeeping" in ctx or t == "AGREE":
            return "AGREEMENT"
        return "DIPLO"
    if t == "ACCUSE":
        return "DIPLO"
    if t in ("SUPPORT", "REQUEST", "REJECT", "THREATEN", "SANCTION", "CONCEDE"):
        return "DIPLO"
    return "OTHER"


# --------------------------------------------------------------------------- reading


@dataclass
class Snippet:
    id: str
    text: str
    label: str
    where: str


def read(path: str | Path, *, limit: int | None = None) -> list[Snippet]:
    p = require_path(path)
    if p.is_dir():
        found = sorted(p.glob("*.tsv"))
        if len(found) != 1:
            raise bad_format(p, FMT, f"expected a .tsv file; the directory holds {len(found)} .tsv files, pass one")
        p = found[0]
    raw = read_text(p, FMT)
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in raw.split("\n")]
    header_i = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if header_i is None:
        raise bad_format(p, FMT, "the file is empty")
    header = [h.strip() for h in lines[header_i].split("\t")]
    want = {"id", "EventSnippet", "SubType"}
    if not want <= set(header):
        raise bad_format(
            p, FMT, f"the header row must name the columns id, EventSnippet, SubType (TAB-separated); got {header[:6]}"
        )
    ci, ct, cl = header.index("id"), header.index("EventSnippet"), header.index("SubType")
    items: list[Snippet] = []
    for n in range(header_i + 1, len(lines)):
        if limit is not None and len(items) >= limit:
            break
        line = lines[n]
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise bad_format(
                f"{p}:{n + 1}", FMT, f"{len(cells)} TAB-separated fields, expected {len(header)} (id, EventSnippet, SubType)"
            )
        label = cells[cl].strip()
        text = cells[ct].strip()
        if not label:
            raise bad_format(f"{p}:{n + 1}", FMT, "empty SubType")
        if not text:
            raise bad_format(f"{p}:{n + 1}", FMT, "empty EventSnippet")
        items.append(Snippet(id=cells[ci].strip(), text=text, label=label, where=f"{p}:{n + 1}"))
    if not items and limit != 0:
        raise bad_format(p, FMT, "no snippets after the header")
    return items


def score(items: list[Snippet], predictions: list[list[Event]]) -> EvalReport:
    gold = [it.label for it in items]
    pred = [to_acled(evs) for evs in predictions]
    overall, per_class = classification_report(gold, pred, labels=ACLED_TYPES)
    # only list the rows that occur (the full label set has 30 rows)
    per_class = {k: v for k, v in per_class.items() if v["support"] or k in pred}
    extra: dict[str, Any] = {
        "confusion": confusion(gold, pred),
        "unknown_gold_labels": sorted(set(gold) - set(ACLED_TYPES)),
    }
    if not extra["unknown_gold_labels"]:
        del extra["unknown_gold_labels"]
    return EvalReport(
        dataset=NAME,
        path="",
        n_items=len(items),
        overall={
            "weighted_f1": overall["weighted_f1"],
            "macro_f1": overall["macro_f1"],
            "accuracy": overall["accuracy"],
            "micro_f1": overall["micro_f1"],
        },
        per_class=per_class,
        extra=extra,
    )


def run(
    path: str | Path,
    predict: Predict,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 64,
    part: str = "all",
) -> EvalReport:
    """Read ``path``, predict every snippet of ``part`` (:mod:`casus.eval.parts`), score."""
    check_part(part)
    items = read(path, limit=limit if part == "all" else None)
    n_read = len(items)
    items = apply_limit(select(items, lambda it: it.text, part), limit)
    preds = run_predict(predict, [it.text for it in items], batch_size=batch_size, progress=progress, label=NAME)
    report = score(items, preds)
    report.path = str(path)
    return record(report, part, len(items), n_read)
