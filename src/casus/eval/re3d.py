"""re3d (Dstl): entity spans (Person, Organisation, Location) in Syria/Iraq conflict documents.

Format (original, mongoexport): a folder per source (``CENTCOM``, ``BBC Online``, ...)
with ``documents.json`` (one JSON object a line: ``_id``, ``text``, ``title``,
``sourceName`` ...) and ``entities.json`` (``documentId``, ``begin``, ``end`` (character
offsets into ``text``, end exclusive), ``type``, ``value``, ``confidence``);
``relations.json`` is not read. ``path`` may be the top folder (every sub-folder with
a ``documents.json`` is read), one source folder, or its ``documents.json``. A JSON
array instead of JSON lines is accepted too. Anything else raises ``E021``.

What is scored: casus's entity mentions against the gold entities of the three
types. The ``predict`` callable is not called (events are not what re3d labels);
the mentions come from the actor stage and the parse of the ``Pipeline`` that
``predict`` belongs to (a bound method, or a function closing over one, as
``casus eval`` passes; so ``--config`` applies), else from a default pipeline;
``mentions=`` (texts -> lists of ``(start, end, type)``) overrides both.

Mapping (:func:`spans_from_layer`):

* actor mentions (:class:`casus.actors.Mention`, the whole noun phrase less a leading count, which re3d
  leaves out: "More than 650,000 Syrians" -> "Syrians", "At least 43 people" -> "people"): kind
  ``person`` -> Person; ``org`` and ``group`` ("U.S. forces", "the regime") ->
  Organisation; ``country``: Organisation when it acts (the subject of a clause: "Syria
  said"), when a capital stands for the government ("Washington said") and for a plural
  demonym ("the Syrians"), as re3d annotates them; else Location ("in Iraq");
* pronouns count when the actor stage links them to an earlier mention, with that
  mention's type (he/she -> Person, they -> Organisation ...); re3d labels pronouns;
* places: spaCy ``GPE``/``LOC``/``FAC`` entities -> Location (also when they lie inside
  a longer mention: re3d nests "Iraq" in "the Government of Iraq"; a country that acts is
  often labelled both ways);
* country adjectives ("Iraqi") are left out: re3d calls them Nationality.

Scores: per type and micro/macro over the three types, exact span match (same
start, end and type) and overlap match (one-to-one, any shared character, same
type); ``untyped_*``: the same ignoring the type (a span labelled both Location and
Organisation in gold counts once). ``extra["confident_gold"]``: micro scores against
gold entities with ``confidence`` > 0 only (about a quarter have 0). Gold spans are
kept as they are (some nest or share a span with two types); duplicates count once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casus.eval.base import EvalReport, Predict, apply_limit, bad_format, pipeline_of, read_text, require_path
from casus.eval.parts import check_part, record, select
from casus.eval.metrics import overlap_span_prf, span_prf

NAME = "re3d"
FMT = "re3d (documents.json + entities.json, JSON lines)"
TYPES = ("Person", "Organisation", "Location")
Span = tuple[int, int, str]
#: words of a count before a noun ("more than", "at least", "some", "so many"), left out of an entity span
COUNT_WORDS = {"more", "than", "at", "least", "some", "about", "nearly", "almost", "over", "up", "to", "around",
               "so", "many", "several", "few", "dozens", "hundreds", "thousands", "of", "million", "billion"}
Mentions = Callable[[list[str]], list[list[Span]]]

KIND_TYPE = {"person": "Person", "org": "Organisation", "group": "Organisation", "country": "Location"}
PLACE_LABELS = ("GPE", "LOC", "FAC")
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}


@dataclass
class Re3dDoc:
    id: str
    source: str
    title: str
    text: str
    entities: list[tuple[int, int, str, float]] = field(default_factory=list)  # begin, end, type, confidence

    def gold(self, min_confidence: float | None = None) -> set[Span]:
        return {(b, e, t) for b, e, t, c in self.entities
                if t in TYPES and (min_confidence is None or c > min_confidence)}


# --------------------------------------------------------------------------- reading
def _json_records(path: Path) -> list[dict]:
    text = read_text(path, FMT).strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise bad_format(path, FMT, f"invalid JSON array ({exc})") from exc
        if not all(isinstance(x, dict) for x in data):
            raise bad_format(path, FMT, "the array holds something other than objects")
        return data
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise bad_format(f"{path}:{n}", FMT, f"invalid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise bad_format(f"{path}:{n}", FMT, "a line is not a JSON object")
        out.append(obj)
    return out


def _folders(p: Path) -> list[Path]:
    if p.is_file():
        if p.name != "documents.json":
            raise bad_format(p, FMT, "pass the re3d folder, a source folder or its documents.json")
        return [p.parent]
    if (p / "documents.json").is_file():
        return [p]
    found = sorted(d for d in p.iterdir() if d.is_dir() and (d / "documents.json").is_file())
    if not found:
        raise bad_format(p, FMT, "no documents.json in the folder or its sub-folders")
    return found


def read(path: str | Path, limit: int | None = None) -> list[Re3dDoc]:
    p = require_path(path)
    docs: list[Re3dDoc] = []
    for folder in _folders(p):
        ents_path = folder / "entities.json"
        if not ents_path.is_file():
            raise bad_format(folder, FMT, "documents.json without entities.json")
        by_id: dict[str, Re3dDoc] = {}
        for n, d in enumerate(_json_records(folder / "documents.json"), 1):
            if not isinstance(d.get("_id"), str) or not isinstance(d.get("text"), str):
                raise bad_format(f"{folder / 'documents.json'}:{n}", FMT, "a document needs string '_id' and 'text'")
            doc = Re3dDoc(d["_id"], str(d.get("sourceName") or folder.name), str(d.get("title") or ""), d["text"])
            by_id[doc.id] = doc
            docs.append(doc)
        for n, e in enumerate(_json_records(ents_path), 1):
            try:
                b, end, typ, doc_id = int(e["begin"]), int(e["end"]), str(e["type"]), str(e["documentId"])
                conf = float(e.get("confidence", 1.0))
            except (KeyError, TypeError, ValueError) as exc:
                raise bad_format(f"{ents_path}:{n}", FMT,
                                 f"an entity needs begin, end, type and documentId ({exc})") from exc
            doc = by_id.get(doc_id)
            if doc is None or not (0 <= b < end <= len(doc.text)):
                raise bad_format(f"{ents_path}:{n}", FMT,
                                 "entity of an unknown document" if doc is None else
                                 f"span {b}-{end} outside the document ({len(doc.text)} characters)")
            doc.entities.append((b, end, typ, conf))
    return apply_limit(docs, limit)


# --------------------------------------------------------------------------- prediction
def spans_from_layer(parsed: Any, layer: Any) -> list[Span]:
    """Typed entity spans of one parsed document: actor mentions plus spaCy places (see module doc)."""
    doc = parsed.doc
    spans: set[Span] = set()
    by_start = {(m.actors[0].start, m.actors[0].end): m for m in layer.mentions if m.actors}
    for m in layer.mentions:
        if not m.actors:
            continue
        first = m.start
        while first < m.head and (doc[first].like_num or doc[first].lower_ in COUNT_WORDS
                                  or doc[first].dep_ in ("nummod", "quantmod")):
            first += 1
        s, e = doc[first].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)
        if m.kind == "pronoun":
            a = m.actors[0]
            ante = by_start.get(a.antecedent) if a.antecedent else None
            if ante is None:
                continue
            typ = "Person" if doc[m.head].lower_ in PERSON_PRONOUNS else _country_type(doc, m, ante)
        else:
            typ = _country_type(doc, m, m)
            if typ is None and doc[m.head].ent_type_ == "PERSON":
                typ = "Person"
        if typ:
            spans.add((s, e, typ))
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            spans.add((ent.start_char, ent.end_char, "Location"))
    return sorted(spans)


def _country_type(doc: Any, m: Any, ref: Any) -> str | None:
    """The re3d type of mention ``m`` that stands for ``ref``: re3d calls a country that acts (the subject of
    a clause: "Jordan said", "it has hosted"), a capital standing for its government ("Washington said")
    and a plural demonym ("the Syrians") an Organisation, and a country as a place a Location."""
    if ref.kind != "country":
        return KIND_TYPE.get(ref.kind)
    a = ref.actors[0]
    if a.how.startswith("kb-adjective") or a.sector == "GOV" or doc[m.head].dep_ in ("nsubj", "nsubjpass"):
        return "Organisation"
    return "Location"


def pipeline_mentions(model: str, actors: Any, batch_size: int = 32) -> Mentions:
    """A ``texts -> spans`` function running the casus nlp and actor stages."""
    from casus.nlp import parse
    from casus.records import Document

    def mentions(texts: list[str]) -> list[list[Span]]:
        docs = (Document(text=t, id=f"re3d-{i}") for i, t in enumerate(texts))
        return [spans_from_layer(p, actors(p)) for p in parse(docs, model=model, batch_size=batch_size)]

    return mentions


def _default_mentions(predict: Predict | None, batch_size: int) -> Mentions:
    owner = pipeline_of(predict)
    if owner is None:
        from casus.pipeline import Pipeline

        owner = Pipeline()
    return pipeline_mentions(owner.model, owner.actors, batch_size)


# --------------------------------------------------------------------------- scoring
def _typed(spans: list[set[Span]], typ: str) -> list[set[tuple[int, int]]]:
    return [{(s, e) for s, e, t in x if t == typ} for x in spans]


def _untyped(spans: list[set[Span]]) -> list[set[tuple[int, int]]]:
    return [{(s, e) for s, e, _ in x} for x in spans]


def _micro_macro(gold: list[set[Span]], pred: list[set[Span]]) -> tuple[dict, dict]:
    rows: dict[str, dict[str, Any]] = {}
    for typ in TYPES:
        g, p = _typed(gold, typ), _typed(pred, typ)
        ex, ov = span_prf(g, p), overlap_span_prf(g, p)
        rows[typ] = {"precision": ex["precision"], "recall": ex["recall"], "f1": ex["f1"], "support": ex["support"],
                     "predicted": ex["tp"] + ex["fp"], "overlap_precision": ov["precision"],
                     "overlap_recall": ov["recall"], "overlap_f1": ov["f1"]}
    ex, ov = span_prf(gold, pred), overlap_span_prf(gold, pred)
    present = [t for t in TYPES if rows[t]["support"] or rows[t]["predicted"]]
    overall = {
        "exact_micro_precision": ex["precision"], "exact_micro_recall": ex["recall"], "exact_micro_f1": ex["f1"],
        "exact_macro_f1": sum(rows[t]["f1"] for t in present) / len(present) if present else 0.0,
        "overlap_micro_precision": ov["precision"], "overlap_micro_recall": ov["recall"],
        "overlap_micro_f1": ov["f1"],
        "overlap_macro_f1": sum(rows[t]["overlap_f1"] for t in present) / len(present) if present else 0.0,
    }
    return overall, rows


def score(docs: list[Re3dDoc], predicted: list[list[Span]], path: str = "") -> EvalReport:
    if len(docs) != len(predicted):
        raise ValueError(f"{len(docs)} documents but {len(predicted)} predictions")
    gold = [d.gold() for d in docs]
    pred = [{x for x in p if x[2] in TYPES} for p in predicted]
    overall, rows = _micro_macro(gold, pred)
    ug, up = _untyped(gold), _untyped(pred)
    ex, ov = span_prf(ug, up), overlap_span_prf(ug, up)
    overall.update(untyped_exact_f1=ex["f1"], untyped_overlap_f1=ov["f1"],
                   n_gold=sum(len(g) for g in gold), n_predicted=sum(len(p) for p in pred))
    conf_overall, _ = _micro_macro([d.gold(0.0) for d in docs], pred)
    by_source: dict[str, dict[str, Any]] = {}
    for src in sorted({d.source for d in docs}):
        idx = [i for i, d in enumerate(docs) if d.source == src]
        o, _ = _micro_macro([gold[i] for i in idx], [pred[i] for i in idx])
        by_source[src] = {"docs": len(idx), "gold": sum(len(gold[i]) for i in idx),
                          "exact_micro_f1": o["exact_micro_f1"], "overlap_micro_f1": o["overlap_micro_f1"]}
    missed: Counter = Counter()
    spurious: Counter = Counter()
    for d, g, p in zip(docs, gold, pred):
        for s, e, t in g - p:
            if not any(t == t2 and s < e2 and s2 < e for s2, e2, t2 in p):
                missed[f"{t}: {d.text[s:e]}"] += 1
        for s, e, t in p - g:
            if not any(t == t2 and s < e2 and s2 < e for s2, e2, t2 in g):
                spurious[f"{t}: {d.text[s:e]}"] += 1
    extra = {
        "confident_gold": {k: v for k, v in conf_overall.items() if "micro" in k},
        "by_source": by_source,
        "gold_types_not_scored": dict(Counter(t for d in docs for _, _, t, _ in d.entities if t not in TYPES)),
        "most_missed": [f"{n}x {k}" for k, n in missed.most_common(12)],
        "most_spurious": [f"{n}x {k}" for k, n in spurious.most_common(12)],
        "mapping": "person->Person; org, group->Organisation; country->Location; linked pronouns by antecedent; "
                   "spaCy GPE/LOC/FAC->Location; country adjectives not scored",
    }
    return EvalReport(NAME, path, len(docs), overall, rows, extra)


def run(
    path: str | Path,
    predict: Predict | None = None,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 32,
    mentions: Mentions | None = None,
    part: str = "all",
    **options: Any,
) -> EvalReport:
    """Read ``path``, find the entity mentions of every document of ``part`` (:mod:`casus.eval.parts`, by
    the document text), score."""
    check_part(part)
    docs = read(path, limit=limit if part == "all" else None)
    n_read = len(docs)
    docs = apply_limit(select(docs, lambda d: d.text, part), limit)
    fn = mentions or _default_mentions(predict, batch_size)
    texts = [d.text for d in docs]
    predicted = fn(texts) if texts else []
    if len(predicted) != len(texts):
        raise ValueError(f"mentions returned {len(predicted)} results for {len(texts)} texts")
    return record(score(docs, predicted, str(path)), part, len(docs), n_read)
