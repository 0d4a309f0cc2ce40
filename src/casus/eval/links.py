"""Links inside a report: ``same_event_as``, ``retaliation_for``, ``response_to`` between coded events.

Format (casus's own, see ``casus/eval/data/links.jsonl``): JSONL, one passage per
line::

    {"id": "lk02", "text": "...", "published": "2024-03-10",
     "links": [{"from": "hit", "from_n": 1, "relation": "retaliation_for", "to": "shelling", "to_n": 1}]}

``from`` and ``to`` are trigger words as they stand in ``text``, or lists of
acceptable words for one event (its noun or its verb: ``["strike", "killed"]``
for "The strike killed four soldiers"); ``from_n`` / ``to_n`` (default 1) pick the
occurrence; ``split`` (optional, "dev" or "heldout") is reported separately; ``relation`` is one of ``same_event_as``
(symmetric), ``retaliation_for``, ``response_to`` (from the answering event to
the answered one). ``links: []`` says the passage has none (its predicted links
are all false positives). Blank lines and ``#`` comments are skipped; a line not
in this format raises ``CasusError`` E055 naming it.

What is scored: the pipeline (``predict``, with each passage's publication date)
codes the passage; every predicted link becomes ``(relation, trigger span of
the event it starts from, trigger span of the event it points to)``. A predicted
link is right when a gold link of the same relation has overlapping spans at
both ends (either direction for ``same_event_as``, and a symmetric pair counts
once). Precision, recall and F1 per relation and over all, with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casus.errors import CasusError
from casus.eval.base import EvalReport, Predict, apply_limit, jsonl_passages, require_path, run_predict, word_spans
from casus.eval.parts import check_part, record, select
from casus.eval.metrics import prf, spans_overlap
from casus.eval.modality import DatedText

NAME = "links"
FMT = "casus links JSONL ({id, text, published, links: [{from, relation, to}]})"
RELATIONS = ("same_event_as", "retaliation_for", "response_to")
Link = tuple[str, tuple[int, int], tuple[int, int]]


@dataclass
class LinkItem:
    id: str
    text: str
    published: str | None
    links: list[Any] = field(default_factory=list)  # (relation, acceptable from-spans, acceptable to-spans)
    split: str = ""


def _bad(where: str, detail: str) -> CasusError:
    return CasusError("E055", where=where, fmt=FMT, detail=detail)


def _word(text: str, word: str, n: int, where: str) -> tuple[int, int]:
    """The n-th occurrence of ``word`` as a whole word ("strike" is not in "airstrikes")."""
    hits = word_spans(text, word)
    if len(hits) < n:
        raise _bad(where, f"'{word}' does not occur {n} time(s) in the text as a word")
    return hits[n - 1]


def read(path: str | Path, *, limit: int | None = None) -> list[LinkItem]:
    items: list[LinkItem] = []
    for where, rec in jsonl_passages(require_path(path), FMT, _bad, "links", limit):
        item = LinkItem(str(rec.get("id", where)), rec["text"], rec.get("published"))
        for g in rec["links"]:
            if not isinstance(g, dict) or g.get("relation") not in RELATIONS:
                raise _bad(where, f"each link needs 'from', 'to' and a relation among {', '.join(RELATIONS)}")
            ends = []
            for end in ("from", "to"):
                words = g.get(end)
                words = [words] if isinstance(words, str) else words
                if not words or not all(isinstance(w, str) for w in words):
                    raise _bad(where, "each link needs 'from' and 'to' trigger words")
                ends.append([_word(item.text, w, int(g.get(end + "_n", 1)), where) for w in words])
            item.links.append((g["relation"], tuple(ends[0]), tuple(ends[1])))
        item.split = str(rec.get("split") or "")
        items.append(item)
    return items


def predicted_links(events: list[Any]) -> list[Link]:
    """The links of one passage's coded events, as trigger spans (a symmetric pair once)."""
    by_id = {ev.id: ev for ev in events if getattr(ev, "id", None)}
    out: list[Link] = []
    seen: set[tuple] = set()
    for ev in events:
        for rel, ids in (getattr(ev, "links", None) or {}).items():
            for other in ids:
                tgt = by_id.get(other)
                if tgt is None or rel not in RELATIONS:
                    continue
                a = (ev.event_text.start, ev.event_text.end)
                b = (tgt.event_text.start, tgt.event_text.end)
                key = (rel, *sorted((a, b))) if rel == "same_event_as" else (rel, a, b)
                if key not in seen:
                    seen.add(key)
                    out.append((rel, a, b))
    return out


def _hits(span: tuple[int, int], spans: tuple[tuple[int, int], ...]) -> bool:
    return any(spans_overlap(span, s) for s in spans)


def _matches(p: Link, g: Any) -> bool:
    if p[0] != g[0]:
        return False
    if _hits(p[1], g[1]) and _hits(p[2], g[2]):
        return True
    return p[0] == "same_event_as" and _hits(p[1], g[2]) and _hits(p[2], g[1])


def score(items: list[LinkItem], preds: list[list[Link]], path: str = "") -> EvalReport:
    counts = {r: {"tp": 0, "fp": 0, "fn": 0} for r in RELATIONS}
    errors: list[dict[str, Any]] = []
    for it, pl in zip(items, preds):
        used: set[int] = set()
        for p in pl:
            hit = next((k for k, g in enumerate(it.links) if k not in used and _matches(p, g)), None)
            if hit is None:
                counts[p[0]]["fp"] += 1
                if len(errors) < 20:
                    errors.append({"id": it.id, "kind": "spurious", "relation": p[0],
                                   "from": it.text[p[1][0]:p[1][1]], "to": it.text[p[2][0]:p[2][1]]})
            else:
                used.add(hit)
                counts[p[0]]["tp"] += 1
        for k, g in enumerate(it.links):
            if k not in used:
                counts[g[0]]["fn"] += 1
                if len(errors) < 20:
                    errors.append({"id": it.id, "kind": "missed", "relation": g[0],
                                   "from": it.text[g[1][0][0]:g[1][0][1]], "to": it.text[g[2][0][0]:g[2][0][1]]})
    per_class = {r: {**prf(c["tp"], c["fp"], c["fn"]), "support": c["tp"] + c["fn"]} for r, c in counts.items()}
    tot = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    overall = prf(tot["tp"], tot["fp"], tot["fn"])
    extra: dict[str, Any] = {"counts": {"passages": len(items), "gold_links": tot["tp"] + tot["fn"],
                                        "predicted_links": tot["tp"] + tot["fp"], "right": tot["tp"]}}
    splits = sorted({it.split for it in items if it.split})
    if len(splits) > 1:
        for sp in splits:
            idx = [k for k, it in enumerate(items) if it.split == sp]
            part = score([items[k] for k in idx], [preds[k] for k in idx])
            extra[f"split {sp}"] = {**part.overall, **part.extra["counts"]}
    extra["errors"] = errors
    return EvalReport(dataset=NAME, path=path, n_items=len(items), overall=overall, per_class=per_class,
                      extra=extra)


def run(path: str | Path, predict: Predict, *, limit: int | None = None, progress: bool = True,
        batch_size: int = 32, part: str = "all", **_: Any) -> EvalReport:
    """Code each passage (with its publication date) of ``part`` (:mod:`casus.eval.parts`) and score the
    links between its events."""
    check_part(part)
    items = read(path, limit=limit if part == "all" else None)
    n_read = len(items)
    items = apply_limit(select(items, lambda it: it.text, part), limit)
    texts = [DatedText(it.text, it.published, it.id) for it in items]
    preds = run_predict(predict, texts, batch_size=batch_size, progress=progress, label=NAME)
    return record(score(items, [predicted_links(evs) for evs in preds], str(path)), part, len(items), n_read)
