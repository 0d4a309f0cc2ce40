"""Within-document actor coreference: does a later mention point at the right earlier one?

Format (casus's own, see ``casus/eval/data/coreference.jsonl``): JSONL, one
passage per line::

    {"id": "cr01", "split": "dev", "text": "...", "published": "2024-05-06",
     "mentions": [{"mention": "Sullivan", "n": 2,
                   "antecedent": ["White House National Security Advisor Jake Sullivan", "Jake Sullivan"],
                   "kind": "name"}]}

``mention`` is the exact text of the later mention and ``n`` (default 1) which
occurrence of it, as a whole word, in ``text``; ``antecedent`` lists the acceptable texts of the
mention it refers to (any occurrence before the mention counts), or ``[]`` when
the mention refers to nobody earlier and must stay unlinked; ``kind`` groups
the figures: ``name`` (a surname or bare name), ``pronoun``, ``role`` ("the
Iraqi prime minister"), ``head`` ("the militias" after "Iraqi Shi'ite
militias"). ``split`` (optional, "dev" or "heldout") is reported separately. Blank lines and lines starting with ``#`` are skipped; a line that
is not in this format raises ``CasusError`` E054 naming it.

What is scored: the actor stage (``ActorResolver``, of the pipeline behind
``predict`` when there is one, so ``--config``/``--db`` apply) on each passage.
The gold mention is *found* when an actor mention overlaps its span; it is
*linked* when that mention's first actor has an ``antecedent``; the link is
*right* when the antecedent span overlaps an acceptable antecedent occurrence.
Per kind and overall: precision (right links / links), recall (right links /
gold links), F1, and accuracy (right link, or rightly no link, over all gold
mentions), with the number of mentions found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casus.errors import CasusError
from casus.eval.base import EvalReport, Predict, apply_limit, jsonl_passages, pipeline_of, require_path, word_spans
from casus.eval.metrics import prf, spans_overlap
from casus.eval.parts import check_part, record, select

NAME = "coreference"
FMT = "casus coreference JSONL ({id, text, published, mentions: [{mention, n, antecedent, kind}]})"
KINDS = ("name", "pronoun", "role", "head")


@dataclass
class GoldMention:
    span: tuple[int, int]
    antecedents: list[tuple[int, int]]  # acceptable antecedent occurrences (before the mention)
    kind: str
    text: str


@dataclass
class CorefItem:
    id: str
    text: str
    published: str | None
    mentions: list[GoldMention] = field(default_factory=list)
    split: str = ""


def _bad(where: str, detail: str) -> CasusError:
    return CasusError("E054", where=where, fmt=FMT, detail=detail)


def read(path: str | Path, *, limit: int | None = None) -> list[CorefItem]:
    items: list[CorefItem] = []
    for where, rec in jsonl_passages(require_path(path), FMT, _bad, "mentions", limit):
        text = rec["text"]
        item = CorefItem(str(rec.get("id", where.rsplit(":", 1)[-1])), text, rec.get("published"), split=str(rec.get("split") or ""))
        for g in rec["mentions"]:
            if not isinstance(g, dict) or not isinstance(g.get("mention"), str) or not isinstance(g.get("antecedent"), list):
                raise _bad(where, "each mention needs 'mention' (text) and 'antecedent' (a list)")
            occ = [a for a, _ in word_spans(text, g["mention"])]
            n = int(g.get("n", 1))
            if not 1 <= n <= len(occ):
                raise _bad(where, f"'{g['mention']}' does not occur {n} time(s) in the text")
            start = occ[n - 1]
            antes = [sp for a in g["antecedent"] for sp in word_spans(text, a) if sp[1] <= start]
            if g["antecedent"] and not antes:
                raise _bad(where, f"no antecedent of '{g['mention']}' occurs before it")
            kind = g.get("kind", "name")
            if kind not in KINDS:
                raise _bad(where, f"kind '{kind}' is not one of {', '.join(KINDS)}")
            item.mentions.append(GoldMention((start, start + len(g["mention"])), antes, kind, g["mention"]))
        items.append(item)
    return items


def predict_links(items: list[CorefItem], predict: Predict | None = None) -> list[list[dict[str, Any]]]:
    """For each gold mention: ``{"found": bool, "antecedent": (start, end) | None, "how": str}``."""
    from casus.actors import ActorResolver
    from casus.nlp import DEFAULT_MODEL, parse
    from casus.records import Document

    owner = pipeline_of(predict)
    model = getattr(owner, "model", None) or DEFAULT_MODEL
    actors = getattr(owner, "actors", None)
    if not callable(actors):
        actors = ActorResolver()
    docs = [Document(text=it.text, id=it.id, published=it.published) for it in items]
    out: list[list[dict[str, Any]]] = []
    for it, pd in zip(items, parse(docs, model=model)):
        layer = actors(pd)
        spans = []
        for m in layer.mentions:
            s = pd.doc[m.start].idx
            e = pd.doc[m.end - 1].idx + len(pd.doc[m.end - 1].text)
            spans.append(((s, e), m))
        rows = []
        for g in it.mentions:
            hits = [m for sp, m in spans if spans_overlap(sp, g.span)]
            m = min(hits, key=lambda x: x.end - x.start) if hits else None
            a = m.actors[0] if m is not None and m.actors else None
            rows.append({"found": m is not None, "antecedent": a.antecedent if a is not None else None,
                         "how": a.how if a is not None else "", "code": a.code if a is not None else None})
        out.append(rows)
    return out


def score(items: list[CorefItem], preds: list[list[dict[str, Any]]], path: str = "") -> EvalReport:
    counts = {k: {"gold": 0, "gold_links": 0, "links": 0, "right_links": 0, "correct": 0, "found": 0}
              for k in (*KINDS, "all")}
    errors: list[dict[str, Any]] = []
    for it, rows in zip(items, preds):
        for g, r in zip(it.mentions, rows):
            ante = r["antecedent"]
            right = ante is not None and any(spans_overlap(tuple(ante), a) for a in g.antecedents)
            ok = right if g.antecedents else ante is None
            for k in (g.kind, "all"):
                c = counts[k]
                c["gold"] += 1
                c["gold_links"] += bool(g.antecedents)
                c["links"] += ante is not None
                c["right_links"] += right
                c["correct"] += ok
                c["found"] += r["found"]
            if not ok and len(errors) < 20:
                errors.append({"id": it.id, "mention": g.text, "kind": g.kind,
                               "gold": [it.text[a:b] for a, b in g.antecedents[:1]] or None,
                               "predicted": it.text[ante[0]:ante[1]] if ante else None,
                               "found": r["found"], "how": r["how"]})
    per_class: dict[str, dict[str, Any]] = {}
    for k in KINDS:
        c = counts[k]
        if not c["gold"]:
            continue
        m = prf(c["right_links"], c["links"] - c["right_links"], c["gold_links"] - c["right_links"])
        per_class[k] = {**m, "accuracy": c["correct"] / c["gold"], "found": c["found"] / c["gold"],
                        "support": c["gold"]}
    c = counts["all"]
    allm = prf(c["right_links"], c["links"] - c["right_links"], c["gold_links"] - c["right_links"])
    overall = {"accuracy": c["correct"] / c["gold"] if c["gold"] else 0.0, "link_precision": allm["precision"],
               "link_recall": allm["recall"], "link_f1": allm["f1"],
               "mention_found": c["found"] / c["gold"] if c["gold"] else 0.0}
    extra: dict[str, Any] = {"counts": {"passages": len(items), **counts["all"]}}
    splits = sorted({it.split for it in items if it.split})
    if len(splits) > 1:
        for sp in splits:
            idx = [k for k, it in enumerate(items) if it.split == sp]
            part = score([items[k] for k in idx], [preds[k] for k in idx])
            extra[f"split {sp}"] = {**part.overall, "mentions": part.n_items}
    extra["errors"] = errors
    return EvalReport(dataset=NAME, path=path, n_items=c["gold"], overall=overall, per_class=per_class, extra=extra)


def run(path: str | Path, predict: Predict | None = None, *, limit: int | None = None, progress: bool = True,
        part: str = "all", **_: Any) -> EvalReport:
    """Read ``path``, run the actor stage on each passage of ``part`` (:mod:`casus.eval.parts`), score the
    links. See the module docstring. ``n_items`` counts gold mentions; ``extra["part"]`` counts passages."""
    check_part(part)
    items = read(path, limit=limit if part == "all" else None)
    n_read = len(items)
    items = apply_limit(select(items, lambda it: it.text, part), limit)
    return record(score(items, predict_links(items, predict), str(path)), part, len(items), n_read)
