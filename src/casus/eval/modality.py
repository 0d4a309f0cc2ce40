"""Modality and attribution: how real is each event, and who says so.

Format (casus's own, see ``casus/eval/data/modality_attribution.jsonl``): JSONL,
one passage (1-3 sentences of wire-news style text) per line::

    {"id": "ma001", "text": "...", "published": "2026-03-12", "split": "dev",
     "events": [{"trigger": "struck", "occurrence": 1, "event": "ASSAULT",
                 "modality": "asserted",
                 "attribution": ["Reuters", "two Syrian security sources"],
                 "attribution_kinds": ["outlet", "unnamed_officials"],
                 "date": "2026-03-08"}]}

``trigger`` is the exact trigger word as it stands in ``text``; ``occurrence``
(default 1) picks which occurrence of it; ``event`` (optional) the PLOVER type;
``modality`` one of asserted, reported, planned, conditional, hypothetical,
ongoing, historical, negated; ``attribution`` the chain of source texts,
outermost first (``[]``: nobody named, the report's own voice);
``attribution_kinds`` the kinds of :class:`casus.records.Source`, same length;
``date`` the ISO day of the event, or ``null`` (not scored). ``split``
(optional, "dev" or "heldout") is reported separately. Blank lines and lines
starting with ``#`` are skipped. A file that is not in this format raises
``CasusError`` E053 naming the line.

Prediction: each passage goes to ``predict`` as a :class:`DatedText` - a ``str``
that carries its ``published`` date (``Pipeline.predict`` reads it, so weekdays
and "yesterday" resolve against the right day; a predict that only knows strings
still works and just loses the date).

Matching: a gold event is found when an output event's ``event_text`` overlaps
the trigger's span (when several do, one with the same start, then the gold
type, wins). Scores, over found events: modality P/R/F1 per class and accuracy
(with a confusion table); attribution chain accuracy (same length, and each
predicted source overlaps the gold source's span in the text - or contains /
is contained in its text when it has no offsets); outermost-source accuracy
(both empty counts as right); source-kind accuracy (over gold sources: the
predicted source that matches it has the same kind); date accuracy over gold
events with a date. The same figures for each ``split``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casus.errors import CasusError
from casus.eval.base import EvalReport, Predict, apply_limit, jsonl_records, require_path, run_predict
from casus.eval.metrics import classification_report, confusion
from casus.eval.parts import check_part, record, select
from casus.records import Event

NAME = "modality"
MODALITIES = ("asserted", "reported", "planned", "conditional", "hypothetical", "ongoing", "historical", "negated")
KINDS = ("outlet", "named_official", "unnamed_officials", "document", "intelligence", "spokesperson", "media")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DatedText(str):
    """A passage text that carries its publication date (``published``) and id."""

    published: str | None
    item_id: str

    def __new__(cls, text: str, published: str | None = None, item_id: str = "") -> "DatedText":
        obj = super().__new__(cls, text)
        obj.published = published
        obj.item_id = item_id
        return obj


@dataclass
class GoldEvent:
    trigger: str
    start: int
    end: int
    modality: str
    attribution: list[str]
    kinds: list[str]
    date: str | None = None
    event: str | None = None


@dataclass
class Passage:
    id: str
    text: str
    published: str | None
    split: str
    events: list[GoldEvent] = field(default_factory=list)


def _bad(where: str, detail: str) -> CasusError:
    return CasusError("E053", where=where, detail=detail)


def _nth(text: str, needle: str, n: int) -> int:
    """Start of the n-th (1-based) occurrence of ``needle``, whole words preferred; -1 if none."""
    for pattern in (r"(?<!\w)%s(?!\w)" % re.escape(needle), re.escape(needle)):
        hits = [m.start() for m in re.finditer(pattern, text)]
        if len(hits) >= n:
            return hits[n - 1]
    return -1


def parse_line(obj: Any, where: str) -> Passage:
    if not isinstance(obj, dict):
        raise _bad(where, f"a line must be a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad(where, "no non-empty 'text'")
    pub = obj.get("published")
    if pub is not None and (not isinstance(pub, str) or not DATE_RE.match(pub)):
        raise _bad(where, f"'published' must be YYYY-MM-DD, got {pub!r}")
    events = obj.get("events")
    if not isinstance(events, list):
        raise _bad(where, "'events' must be a list")
    out = Passage(str(obj.get("id") or where), text, pub, str(obj.get("split") or "dev"))
    for k, ev in enumerate(events):
        w = f"{where} event {k + 1}"
        if not isinstance(ev, dict):
            raise _bad(w, "an event must be an object")
        trig = ev.get("trigger")
        if not isinstance(trig, str) or not trig:
            raise _bad(w, "no 'trigger'")
        occ = ev.get("occurrence", 1)
        if not isinstance(occ, int) or isinstance(occ, bool) or occ < 1:
            raise _bad(w, f"'occurrence' must be a positive integer, got {occ!r}")
        start = _nth(text, trig, occ)
        if start < 0:
            raise _bad(w, f"trigger {trig!r} (occurrence {occ}) is not in the text")
        mod = ev.get("modality")
        if mod not in MODALITIES:
            raise _bad(w, f"'modality' must be one of {', '.join(MODALITIES)}, got {mod!r}")
        attr = ev.get("attribution", [])
        kinds = ev.get("attribution_kinds", [])
        if not isinstance(attr, list) or not all(isinstance(a, str) for a in attr):
            raise _bad(w, "'attribution' must be a list of source texts")
        if not isinstance(kinds, list) or len(kinds) != len(attr) or not all(isinstance(x, str) for x in kinds):
            raise _bad(w, "'attribution_kinds' must be a list of kinds, one per source")
        date = ev.get("date")
        if date is not None and (not isinstance(date, str) or not DATE_RE.match(date)):
            raise _bad(w, f"'date' must be YYYY-MM-DD or null, got {date!r}")
        etype = ev.get("event")
        out.events.append(GoldEvent(trig, start, start + len(trig), mod, list(attr), list(kinds), date,
                                    etype if isinstance(etype, str) else None))
    return out


def read(path: str | Path) -> list[Passage]:
    """Read a modality/attribution JSONL file from anywhere on disk."""
    p = require_path(path)
    items = [parse_line(obj, where) for where, obj in jsonl_records(p, "modality JSONL", _bad)]
    if not items:
        raise _bad(str(p), "no passage in the file")
    return items


# --------------------------------------------------------------------------- scoring


def _gold_source_span(text: str, source: str) -> tuple[int, int] | None:
    i = text.find(source)
    return (i, i + len(source)) if i >= 0 else None


def source_matches(text: str, gold: str, pred: Any) -> bool:
    """A predicted Source matches the gold source text: overlapping spans, or containment of the texts."""
    span = _gold_source_span(text, gold)
    if span is not None and pred.start is not None and pred.end is not None:
        # the same words anywhere (a later "the officials" is not the earlier "two officials")
        for m in re.finditer(re.escape(gold), text):
            if pred.start < m.end() and m.start() < pred.end:
                return True
        return False
    g, p = gold.lower().strip(), (pred.text or "").lower().strip()
    return bool(g and p) and (g in p or p in g)


def chain_matches(text: str, gold: list[str], pred: list[Any]) -> bool:
    return len(gold) == len(pred) and all(source_matches(text, g, p) for g, p in zip(gold, pred))


def match_event(g: GoldEvent, events: list[Event]) -> Event | None:
    hits = [e for e in events if e.event_text.start < g.end and g.start < e.event_text.end]
    if not hits:
        return None
    hits.sort(key=lambda e: (e.event_text.start != g.start, e.event != g.event, e.event_text.start))
    return hits[0]


def _part(rows: list[dict[str, Any]]) -> dict[str, Any]:
    found = [r for r in rows if r["found"]]
    out: dict[str, Any] = {"gold_events": len(rows), "trigger_found": len(found) / len(rows) if rows else 0.0}
    if found:
        overall, per = classification_report([r["gold_modality"] for r in found],
                                             [r["pred_modality"] for r in found], labels=MODALITIES)
        out["modality_accuracy"] = overall["accuracy"]
        out["modality_macro_f1"] = overall["macro_f1"]
        out["per_modality"] = per
        out["attribution_chain"] = sum(r["chain_ok"] for r in found) / len(found)
        out["outermost_source"] = sum(r["outer_ok"] for r in found) / len(found)
    kinds_total = sum(r["kinds_total"] for r in found)
    out["source_kind"] = sum(r["kinds_ok"] for r in found) / kinds_total if kinds_total else None
    dated = [r for r in found if r["gold_date"]]
    out["date"] = sum(r["date_ok"] for r in dated) / len(dated) if dated else None
    out["dated_events"] = len(dated)
    return out


def score(items: list[Passage], preds: list[list[Event]], path: str = "") -> EvalReport:
    rows: list[dict[str, Any]] = []
    for it, evs in zip(items, preds):
        for g in it.events:
            e = match_event(g, evs)
            row: dict[str, Any] = {"id": it.id, "split": it.split, "trigger": g.trigger, "found": e is not None,
                                   "gold_modality": g.modality, "gold_date": g.date}
            if e is not None:
                pred_chain = list(e.attribution)
                kinds_ok = 0
                for gs, gk in zip(g.attribution, g.kinds):
                    hit = next((s for s in pred_chain if source_matches(it.text, gs, s)), None)
                    kinds_ok += int(hit is not None and hit.kind == gk)
                row.update(
                    pred_modality=e.modality,
                    chain_ok=chain_matches(it.text, g.attribution, pred_chain),
                    outer_ok=(not g.attribution and not pred_chain) or bool(
                        g.attribution and pred_chain and source_matches(it.text, g.attribution[0], pred_chain[0])),
                    kinds_ok=kinds_ok, kinds_total=len(g.attribution),
                    date_ok=bool(g.date) and e.date == g.date,
                    pred_chain=[f"{s.text} ({s.kind})" for s in pred_chain], pred_date=e.date,
                    gold_chain=[f"{s} ({k})" for s, k in zip(g.attribution, g.kinds)],
                )
            rows.append(row)
    whole = _part(rows)
    found = [r for r in rows if r["found"]]
    overall = {
        "trigger_found": whole["trigger_found"],
        "modality_accuracy": whole.get("modality_accuracy", 0.0),
        "modality_macro_f1": whole.get("modality_macro_f1", 0.0),
        "attribution_chain": whole.get("attribution_chain", 0.0),
        "outermost_source": whole.get("outermost_source", 0.0),
        "source_kind": whole["source_kind"] if whole["source_kind"] is not None else 0.0,
        "date": whole["date"] if whole["date"] is not None else 0.0,
    }
    extra: dict[str, Any] = {
        "counts": {"passages": len(items), "gold_events": len(rows), "found": len(found),
                   "dated_events": whole["dated_events"]},
    }
    for split in sorted({r["split"] for r in rows}):
        part = _part([r for r in rows if r["split"] == split])
        extra[f"split {split}"] = {k: v for k, v in part.items() if k != "per_modality"}
        if "per_modality" in part:
            extra[f"per_modality {split}"] = part["per_modality"]
    extra["modality_confusion (gold -> predicted)"] = confusion([r["gold_modality"] for r in found],
                                                                 [r["pred_modality"] for r in found])
    errors: list[str] = []
    for r in rows:
        if not r["found"]:
            errors.append(f"{r['id']} [{r['split']}] '{r['trigger']}': trigger not found")
            continue
        bits = []
        if r["pred_modality"] != r["gold_modality"]:
            bits.append(f"modality {r['gold_modality']} -> {r['pred_modality']}")
        if not r["chain_ok"] or r["kinds_ok"] != r["kinds_total"]:
            bits.append(f"chain {r['gold_chain']} -> {r['pred_chain']}")
        if r["gold_date"] and not r["date_ok"]:
            bits.append(f"date {r['gold_date']} -> {r['pred_date']}")
        if bits:
            errors.append(f"{r['id']} [{r['split']}] '{r['trigger']}': " + "; ".join(bits))
    extra["errors"] = errors
    return EvalReport(NAME, str(path), len(items), overall, whole.get("per_modality", {}), extra)


def run(
    path: str | Path,
    predict: Predict,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 32,
    split: str | None = None,
    part: str = "all",
) -> EvalReport:
    """Code each passage (with its publication date) of ``part`` (:mod:`casus.eval.parts`) and score
    modality, attribution and dates."""
    check_part(part)
    items = read(path)
    if split:
        items = [it for it in items if it.split == split]
    n_read = len(items)
    items = apply_limit(select(items, lambda it: it.text, part), limit)
    texts = [DatedText(it.text, it.published, it.id) for it in items]
    preds = run_predict(predict, texts, batch_size=batch_size, progress=progress, label=NAME)
    return record(score(items, preds, str(path)), part, len(items), n_read)
