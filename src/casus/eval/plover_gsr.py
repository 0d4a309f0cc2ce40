"""PLOVER gold-standard records (``PLOVER_GSR_CAMEO``): event type and actor codes.

Format (original file, a JSON array despite the ``.txt`` name upstream): one object
per record, with ``event`` (PLOVER 0.5b1 name), ``eventText``, ``text`` (the
sentence), ``source``/``target`` (lists of ``{actorText, code, sector?}``, or
``""``/null when absent), ``mode``, ``context``, ``textInfo.markup`` (inline
``(SRC: ...)``, ``(TAR: ...)``, ``(SRC/TAR: ...)``, ``(EVT: ...)`` spans). A record
with ``event == "DOCUMENT"`` documents the file and is skipped.

Type mapping 0.5b1 -> the 16 current types, from the CAMEO->PLOVER table of the
PLOVER manual: DEMAND -> REQUEST (CAMEO 10), DISAPPROVE -> ACCUSE (11),
INVESTIGATE -> ACCUSE (09), FIGHT -> ASSAULT (19, conventional force; the manual's
CAMEO 20 "FIGHT" row is ASSAULT with mode unconventional in the 16-type scheme).
The typo ``SACTION`` (in the Spanish PLOVER file) is read as SANCTION. Other names
are kept as they are and show up as extra rows of the table.

Scoring, one item per record:

* Predicted type = type of the best predicted event for the record's sentence:
  among the predicted events whose ``event_text`` overlaps the gold event text
  (located in ``text`` from the ``(EVT: ...)`` markup pieces, else word by word from
  ``eventText``), the one with the highest confidence; else the highest-confidence
  event overall (negated events left out); else "NONE". Several records can share a
  sentence: the sentence is predicted once.
* Per-type P/R/F1, macro-F1 over the 16 types (types absent from both gold and
  predictions are left out of the average), accuracy, weighted F1.
* Actor accuracy: for each gold source (target) actor, is there an actor in the
  chosen event's ``actor`` (``recipient``) list with the same code (case-insensitive)?
  Sector accuracy, over gold actors that have a sector: same code AND same sector
  on one predicted actor (sectors compared on their first three letters, upper
  case: gold ``CVLalb`` = ``CVL``; the gold uses PLOVER's sector names, read in casus's:
  PLOVER ``JRN`` (news media) is casus ``MED``, PLOVER ``MED`` (health) is casus ``HLH``). ``SRC/TAR`` (reciprocal) actors are listed by the
  gold file under ``source`` only, and are scored as sources. When no event was
  predicted, the gold actors count as misses. Counts are reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casus.eval.base import (
    NONE_LABEL,
    PLOVER_TYPES,
    EvalReport,
    Predict,
    apply_limit,
    bad_format,
    is_negated,
    read_text,
    require_path,
    run_predict,
)
from casus.eval.parts import check_part, record, select
from casus.eval.metrics import classification_report, confusion
from casus.records import Event, casus_sector

NAME = "plover-gsr"
FMT = "PLOVER GSR JSON (a JSON array of event records)"

#: PLOVER 0.5b1 category names -> the 16 current types (see module docstring).
OLD_TO_NEW: dict[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "SACTION": "SANCTION",
}


def map_type(name: str) -> str:
    """PLOVER 0.5b1 (or current) category name -> one of the 16 current types (unknown names kept)."""
    n = str(name).strip().upper()
    return OLD_TO_NEW.get(n, n)


@dataclass
class GoldActor:
    text: str
    code: str | None
    sector: str | None = None


@dataclass
class GsrItem:
    id: str
    text: str
    event: str  # mapped to the 16 types
    event_raw: str  # as in the file
    event_text: str
    event_spans: list[tuple[int, int]] = field(default_factory=list)  # char spans of the gold event text in ``text``
    source: list[GoldActor] = field(default_factory=list)
    target: list[GoldActor] = field(default_factory=list)
    mode: str | None = None
    context: list[str] = field(default_factory=list)


_EVT_RE = re.compile(r"\(EVT:\s*([^()]*?)\s*\)")


def locate_event_text(text: str, event_text: str, markup: str | None = None) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the gold event text.

    ``eventText`` is often the ``(EVT: ...)`` pieces of the markup joined by spaces
    ("agreed free-trade"), not a substring. The pieces are searched in order (from
    the end of the previous one, else from the start); if no piece is found, each
    word of ``eventText`` is searched the same way.
    """

    def find_seq(pieces: list[str], word: bool) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        pos = 0
        for piece in pieces:
            if not piece:
                continue
            pat = re.escape(piece)
            if word:
                pat = r"(?<!\w)" + pat + r"(?!\w)"
            rx = re.compile(pat, re.IGNORECASE)
            m = rx.search(text, pos) or rx.search(text)
            if m:
                spans.append((m.start(), m.end()))
                pos = m.end()
        return spans

    if event_text and event_text in text:
        i = text.index(event_text)
        return [(i, i + len(event_text))]
    if markup:
        pieces = [p.strip() for p in _EVT_RE.findall(markup)]
        spans = find_seq([p for p in pieces if p], word=False)
        if spans:
            return spans
    return find_seq(str(event_text or "").split(), word=True)


def _actors(rec: dict[str, Any], key: str, where: str) -> list[GoldActor]:
    val = rec.get(key)
    if val in (None, "", []):
        return []
    if isinstance(val, dict):
        val = [val]
    if not isinstance(val, list):
        raise bad_format(where, FMT, f"record {rec.get('id')!r}: '{key}' must be a list of actors, got {type(val).__name__}")
    out = []
    for a in val:
        if not isinstance(a, dict):
            raise bad_format(where, FMT, f"record {rec.get('id')!r}: each '{key}' actor must be an object with actorText/code")
        code = a.get("code")
        sector = a.get("sector")
        out.append(
            GoldActor(
                text=str(a.get("actorText") or ""),
                code=str(code).strip() if code not in (None, "") else None,
                sector=str(sector).strip() if sector not in (None, "") else None,
            )
        )
    return out


def read(path: str | Path, *, limit: int | None = None) -> list[GsrItem]:
    """Read a PLOVER GSR JSON file (array of records); the DOCUMENT record is skipped."""
    p = require_path(path)
    if p.is_dir():
        raise bad_format(p, FMT, "expected a file, got a directory (pass e.g. PLOVER_GSR_CAMEO.dev.json)")
    raw = read_text(p, FMT)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise bad_format(p, FMT, f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from e
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise bad_format(p, FMT, f"the top level must be a JSON array of records, got {type(data).__name__}")
    items: list[GsrItem] = []
    for n, rec in enumerate(data):
        if limit is not None and len(items) >= limit:
            break
        if not isinstance(rec, dict):
            raise bad_format(p, FMT, f"element {n} is a {type(rec).__name__}, expected an object")
        ev = rec.get("event")
        if str(ev).upper() == "DOCUMENT":
            continue
        rid = str(rec.get("id", f"#{n}"))
        if not isinstance(ev, str) or not ev.strip():
            raise bad_format(p, FMT, f"record {rid!r} (element {n}) has no 'event' name")
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_format(p, FMT, f"record {rid!r} (element {n}) has no 'text' (the sentence)")
        etext = rec.get("eventText") or ""
        if not isinstance(etext, str):
            raise bad_format(p, FMT, f"record {rid!r}: 'eventText' must be a string")
        markup = None
        ti = rec.get("textInfo")
        if isinstance(ti, dict) and isinstance(ti.get("markup"), str):
            markup = ti["markup"]
        ctx = rec.get("context")
        if isinstance(ctx, str):
            context = [c.strip() for c in re.split(r"[,;]", ctx) if c.strip()]
        elif isinstance(ctx, list):
            context = [str(c) for c in ctx]
        else:
            context = []
        mode = rec.get("mode")
        items.append(
            GsrItem(
                id=rid,
                text=text,
                event=map_type(ev),
                event_raw=ev,
                event_text=etext,
                event_spans=locate_event_text(text, etext, markup),
                source=_actors(rec, "source", str(p)),
                target=_actors(rec, "target", str(p)),
                mode=str(mode) if mode else None,
                context=context,
            )
        )
    if not items and limit != 0:
        raise bad_format(p, FMT, "no event records found (only a DOCUMENT record, or an empty array)")
    return items


def _overlaps(e: Event, spans: list[tuple[int, int]]) -> bool:
    s, t = e.event_text.start, e.event_text.end
    if t <= s:  # empty trigger span: treat as a point
        t = s + 1
    return any(s < b and a < t for a, b in spans)


def best_event(events: list[Event], gold_spans: list[tuple[int, int]]) -> Event | None:
    """The predicted event that answers a gold record (see module docstring)."""
    cands = [e for e in events if not is_negated(e)]
    if not cands:
        return None
    overlapping = [e for e in cands if _overlaps(e, gold_spans)]
    pool = overlapping or cands
    best = pool[0]
    for e in pool[1:]:
        if e.confidence > best.confidence:
            best = e
    return best


def _sector3(s: str | None) -> str | None:
    return s.strip()[:3].upper() if s and s.strip() else None


def _gold_sector3(s: str | None) -> str | None:
    """A gold sector (PLOVER's scheme) in casus's names: ``JRN`` -> ``MED``, ``MED`` -> ``HLH``. The
    placeholder ``***`` (five GSR actors: "Israeli troops", "Demonstrators in Baghdad") names no sector
    and is scored like a missing one: no prediction could match it."""
    s3 = _sector3(s)
    if s3 is None or not s3.isalpha():
        return None
    return casus_sector(s3)


def _code(s: str | None) -> str | None:
    return s.strip().upper() if s and s.strip() else None


def score(items: list[GsrItem], predictions: list[list[Event]]) -> EvalReport:
    gold_types = [it.event for it in items]
    pred_types: list[str] = []
    n_overlap = 0
    actor_counts = {
        role: {"code_n": 0, "code_correct": 0, "sector_n": 0, "sector_correct": 0} for role in ("source", "target")
    }
    for it, evs in zip(items, predictions):
        best = best_event(evs, it.event_spans)
        pred_types.append(best.event if best else NONE_LABEL)
        if best is not None and _overlaps(best, it.event_spans):
            n_overlap += 1
        for role, gold_actors, pred_actors in (
            ("source", it.source, best.actor if best else []),
            ("target", it.target, best.recipient if best else []),
        ):
            c = actor_counts[role]
            for ga in gold_actors:
                gcode = _code(ga.code)
                if gcode is None:
                    continue
                c["code_n"] += 1
                same_code = [a for a in pred_actors if _code(a.code) == gcode]
                if same_code:
                    c["code_correct"] += 1
                gsec = _gold_sector3(ga.sector)
                if gsec is not None:
                    c["sector_n"] += 1
                    if any(_sector3(a.sector) == gsec for a in same_code):
                        c["sector_correct"] += 1
    overall, per_class = classification_report(gold_types, pred_types, labels=PLOVER_TYPES, exclude=(NONE_LABEL,))
    report_overall = {
        "accuracy": overall["accuracy"],
        "macro_f1": overall["macro_f1"],
        "weighted_f1": overall["weighted_f1"],
        "micro_f1": overall["micro_f1"],
    }
    actor_table: dict[str, dict[str, Any]] = {}
    tot = {"code_n": 0, "code_correct": 0, "sector_n": 0, "sector_correct": 0}
    for role, c in actor_counts.items():
        for k in tot:
            tot[k] += c[k]
        actor_table[role] = _actor_row(c)
    actor_table["all"] = _actor_row(tot)
    report_overall["actor_code_accuracy"] = actor_table["all"]["code_accuracy"]
    report_overall["actor_sector_accuracy"] = actor_table["all"]["sector_accuracy"]
    pred_counts: dict[str, int] = {}
    for t in pred_types:
        pred_counts[t] = pred_counts.get(t, 0) + 1
    unmapped = sorted({it.event_raw for it in items if it.event not in PLOVER_TYPES})
    extra: dict[str, Any] = {
        "actors": actor_table,
        "trigger": {
            "items": len(items),
            "chosen_event_overlaps_gold_event_text": n_overlap,
            "no_event_predicted": pred_counts.get(NONE_LABEL, 0),
        },
        "confusion": confusion(gold_types, pred_types),
        "type_mapping": dict(OLD_TO_NEW),
    }
    if unmapped:
        extra["unmapped_gold_types"] = unmapped
    return EvalReport(dataset=NAME, path="", n_items=len(items), overall=report_overall, per_class=per_class, extra=extra)


def _actor_row(c: dict[str, int]) -> dict[str, Any]:
    return {
        "code_accuracy": c["code_correct"] / c["code_n"] if c["code_n"] else 0.0,
        "code_correct": c["code_correct"],
        "code_n": c["code_n"],
        "sector_accuracy": c["sector_correct"] / c["sector_n"] if c["sector_n"] else 0.0,
        "sector_correct": c["sector_correct"],
        "sector_n": c["sector_n"],
    }


def run(
    path: str | Path,
    predict: Predict,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 64,
    part: str = "all",
) -> EvalReport:
    """Read ``path``, predict every sentence of ``part`` (:mod:`casus.eval.parts`), score. See the module docstring."""
    check_part(part)
    items = read(path, limit=limit if part == "all" else None)
    n_read = len(items)
    items = apply_limit(select(items, lambda it: it.text, part), limit)
    preds = run_predict(predict, [it.text for it in items], batch_size=batch_size, progress=progress, label=NAME)
    report = score(items, preds)
    report.path = str(path)
    return record(report, part, len(items), n_read)
