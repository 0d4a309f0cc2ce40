"""Score coded events against a hand-coded reference report (the worked-example format).

A reference event counts as found when an output event's ``event_text`` lies on
the reference's line (``sentence``, 1-based line of the article), its type is the
reference type or one of its ``alternatives``, and its actor and recipient
country codes overlap the reference's (a reference with no recipient needs none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..records import Event


@dataclass
class ReferenceScore:
    required: int = 0
    found_required: list[str] = field(default_factory=list)
    missed_required: list[str] = field(default_factory=list)
    found_optional: list[str] = field(default_factory=list)
    matched_events: set[str] = field(default_factory=set)
    modality_ok: list[str] = field(default_factory=list)  # found required events with the reference modality
    chain_ok: list[str] = field(default_factory=list)  # ... with every source of the reference chain
    sectors_ok: list[str] = field(default_factory=list)  # ... with the reference actor/recipient sectors
    n_output: int = 0
    details: dict[str, str] = field(default_factory=dict)

    @property
    def false_positives(self) -> int:
        """Output events (not negated/hypothetical) matching no reference event."""
        return self.n_output - len(self.matched_events)

    def summary(self) -> str:
        return (f"required events found: {len(self.found_required)}/{self.required}; optional found: "
                f"{len(self.found_optional)}; output events: {self.n_output}; unmatched output: {self.false_positives}; "
                f"missed: {', '.join(self.missed_required) or 'none'}; of the found required: reference modality "
                f"{len(self.modality_ok)}, attribution sources {len(self.chain_ok)}, sectors {len(self.sectors_ok)}")


def _codes(actors) -> set[str]:
    return {a.code for a in actors if a.code}


def _ref_codes(actors) -> set[str]:
    out = set()
    for a in actors or []:
        c = a.get("code")
        if isinstance(c, list):
            out.update(c)
        elif c:
            out.add(c)
    return out


def match(ref: dict, ev: Event, line_of_event: int) -> bool:
    if line_of_event != ref["sentence"]:
        return False
    if ev.event not in {ref["event"], *ref.get("alternatives", [])}:
        return False
    if not (_codes(ev.actor) & _ref_codes(ref.get("actor"))):
        return False
    if ref.get("recipient") and not (_codes(ev.recipient) & _ref_codes(ref["recipient"])):
        return False
    return True


def _chain_matches(ref_chain: list[str] | None, ev: Event) -> bool:
    """Every source of the reference chain ("Axios", "a U.S. official (unnamed)") is in the event's chain
    (by text, or through a short name's ``refers_to``). A reference with no chain accepts any."""
    if not ref_chain:
        return True
    texts = [s.text for s in ev.attribution] + [s.refers_to["text"] for s in ev.attribution if s.refers_to]
    for r in ref_chain:
        name = r.split(" (")[0].strip()
        if not any(t and (t == name or t in name or name in t) for t in texts):
            return False
    return True


def _sectors_match(ref: dict, ev: Event) -> bool:
    """Each reference actor/recipient with a sector has an event actor/recipient of that country and sector."""
    for key, got in (("actor", ev.actor), ("recipient", ev.recipient)):
        have = {(a.code, a.sector) for a in got}
        for a in ref.get(key) or []:
            codes = a.get("code") if isinstance(a.get("code"), list) else [a.get("code")]
            if a.get("sector") and not any((c, a["sector"]) in have for c in codes):
                return False
    return True


def score(text: str, events: list[Event], reference: dict) -> ReferenceScore:
    result = ReferenceScore(n_output=len(events))
    for ref in reference["events"]:
        hits = [ev for ev in events if match(ref, ev, text.count("\n", 0, ev.event_text.start) + 1)]
        if ref.get("required"):
            result.required += 1
            (result.found_required if hits else result.missed_required).append(ref["id"])
            if any(ev.modality == ref.get("modality") for ev in hits):
                result.modality_ok.append(ref["id"])
            if hits and any(_chain_matches(ref.get("attribution"), ev) for ev in hits):
                result.chain_ok.append(ref["id"])
            if any(_sectors_match(ref, ev) for ev in hits):
                result.sectors_ok.append(ref["id"])
        elif hits:
            result.found_optional.append(ref["id"])
        result.matched_events.update(ev.id or ev.compute_id() for ev in hits)
    return result


def load_reference(folder: str | Path) -> tuple[str, dict, dict]:
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    text = (folder / meta.get("file", "article.txt")).read_text(encoding="utf-8")
    reference = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
    return text, reference, meta
