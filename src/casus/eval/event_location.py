"""Event geolocation (Halterman 2019, ``event_location``): which place is where each event verb happened.

Format (original): a JSON array (or JSON lines, Prodigy's own export) of
Prodigy-style records ``{"text", "tokens": [{"text", "start", "end", "id"}],
"spans": [{"start", "end", "token_start", "token_end", "label", "text"?}],
"answer"?, "source"?}``. Each record has one ``VERB`` span (the event trigger)
and zero or more ``LOCATION`` spans (where that event happened). Records whose
``answer`` is ``reject`` or ``ignore`` are skipped; a record with two VERB spans
gives two items.

Span offsets: in part of the original data ``start``/``end`` of a LOCATION hold
token indices, not characters (see the data's PROVENANCE.md). The reader takes
the character span of tokens ``token_start..token_end`` (inclusive, Prodigy's
convention) when it reproduces the span's ``text`` (or when there is no
``text``), else ``start``/``end`` when they do, else the occurrence of ``text`` in
the sentence nearest to the token position. Spans whose text cannot be found
are dropped and counted.

What is scored: the *choice* of the location, not event detection. Each item's
text is parsed with the casus nlp stage and the actor stage; the trigger is the
spaCy token at the VERB span (its syntactic head when the span covers several
tokens), and the place stage picks the location for that trigger
(:meth:`casus.place.PlaceResolver.locate`). The ``predict`` callable is not
called; when it is a bound method of a casus ``Pipeline`` (what ``casus eval``
passes), that pipeline's model, actor stage and place stage are used (so
``--config`` applies), else the defaults.

With ``kfold=K`` (``casus eval event-location FILE --kfold K``) the learned place
chooser (:mod:`casus.place.chooser`) is cross-validated on the file itself: the
candidates and facts of every item are collected once (:func:`samples`), and each
item is scored by a chooser trained on the other folds (folds by text, as the
typer's), whatever chooser the pipeline's config names (:func:`crossval_locations`).

Scores, one item per VERB span:

* ``accuracy``: the chosen place overlaps a gold LOCATION span; an item with no
  gold LOCATION is correct when no place is chosen;
* ``exact``: the same with the chosen span equal to a gold span;
* ``accuracy_with_gold_location`` / ``accuracy_without_gold_location``: accuracy
  on each part;
* ``has_location_precision`` / ``_recall`` / ``_f1``: "this event has a location
  in the text" as a binary decision;
* per source batch (``source`` field) accuracy and exact, and a few errors as
  examples; ``extra["chooser"]`` names the chooser scored, and with the shipped
  learned model ``extra["chooser_trained_on_items"]`` counts the items it was
  trained on (the CLI warns W011).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casus.errors import CasusError
from casus.eval.base import EvalReport, Predict, apply_limit, pipeline_of, read_text, require_path
from casus.eval.metrics import prf, spans_overlap
from casus.eval.parts import check_part, record, select

NAME = "event-location"
FMT = "event-location JSON (Prodigy records with text, tokens and VERB/LOCATION spans)"
N_EXAMPLES = 12


@dataclass
class LocItem:
    id: str
    text: str
    verb: tuple[int, int]
    locations: list[tuple[int, int]] = field(default_factory=list)
    source: str = ""


def _bad(where: object, detail: str) -> CasusError:
    return CasusError("E040", where=str(where), fmt=FMT, detail=detail)


def _load_records(p: Path) -> list[Any]:
    raw = read_text(p, FMT)
    if not raw.strip():
        raise _bad(p, "the file is empty")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as first:
        # Prodigy's own export: one JSON object per line
        data = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                data.append(json.loads(line))
            except json.JSONDecodeError:
                raise _bad(p, f"invalid JSON at line {first.lineno} column {first.colno}: {first.msg}") from first
    if isinstance(data, dict):
        data = [data] if "spans" in data else data.get("records", data)
    if not isinstance(data, list):
        raise _bad(p, f"the top level must be a JSON array of records, got {type(data).__name__}")
    return data


def _char_span(text: str, tokens: list, span: dict) -> tuple[int, int] | None:
    stext = span.get("text")
    ts, te = span.get("token_start"), span.get("token_end")
    tok_span = None
    if isinstance(ts, int) and isinstance(te, int) and 0 <= ts <= te < len(tokens):
        try:
            tok_span = (int(tokens[ts]["start"]), int(tokens[te]["end"]))
        except (KeyError, TypeError, ValueError):
            tok_span = None
    s, e = span.get("start"), span.get("end")
    raw_span = (s, e) if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) else None
    if not isinstance(stext, str) or not stext:
        return tok_span or raw_span
    if tok_span and text[tok_span[0]:tok_span[1]] == stext:
        return tok_span
    if raw_span and text[raw_span[0]:raw_span[1]] == stext:
        return raw_span
    near = tok_span[0] if tok_span else 0
    hits = []
    i = text.find(stext)
    while i >= 0:
        hits.append(i)
        i = text.find(stext, i + 1)
    if not hits:
        return None
    i = min(hits, key=lambda h: abs(h - near))
    return i, i + len(stext)


def read(path: str | Path, *, limit: int | None = None) -> tuple[list[LocItem], dict[str, int]]:
    """Read the gold file; returns the items and counts of what was skipped."""
    p = require_path(path)
    if p.is_dir():
        raise _bad(p, "expected a file, got a directory (pass e.g. labeled_text.dev.json)")
    data = _load_records(p)
    items: list[LocItem] = []
    counts = {"records": 0, "skipped_rejected": 0, "skipped_no_verb": 0, "location_spans_not_found": 0}
    for n, rec in enumerate(data):
        if limit is not None and len(items) >= limit:
            break
        if not isinstance(rec, dict):
            raise _bad(p, f"element {n} is a {type(rec).__name__}, expected an object with text/tokens/spans")
        text = rec.get("text")
        if not isinstance(text, str):
            raise _bad(p, f"element {n} has no 'text' string")
        spans = rec.get("spans", [])
        tokens = rec.get("tokens", [])
        if not isinstance(spans, list) or not isinstance(tokens, list):
            raise _bad(p, f"element {n}: 'spans' and 'tokens' must be lists")
        counts["records"] += 1
        if str(rec.get("answer", "accept")).lower() in ("reject", "ignore"):
            counts["skipped_rejected"] += 1
            continue
        verbs: list[tuple[int, int]] = []
        locs: list[tuple[int, int]] = []
        for k, sp in enumerate(spans):
            if not isinstance(sp, dict) or "label" not in sp:
                raise _bad(p, f"element {n}: span {k} must be an object with a 'label'")
            if not any(key in sp for key in ("start", "token_start")):
                raise _bad(p, f"element {n}: span {k} has neither start/end nor token_start/token_end")
            label = str(sp["label"]).upper()
            if label not in ("VERB", "LOCATION"):
                continue
            cs = _char_span(text, tokens, sp)
            if cs is None:
                if label == "LOCATION":
                    counts["location_spans_not_found"] += 1
                continue
            (verbs if label == "VERB" else locs).append(cs)
        if not verbs:
            counts["skipped_no_verb"] += 1
            continue
        rid = str(rec.get("_id", rec.get("_task_hash", f"#{n}")))
        for v in verbs:
            items.append(LocItem(rid, text, v, sorted(set(locs)), str(rec.get("source") or "")))
    if not items and limit != 0:
        raise CasusError("E041", where=str(p), fmt=FMT)
    return items, counts


# --------------------------------------------------------------------------- prediction


def _stages(predict: Predict | None, options: dict[str, Any]):
    from casus.actors import ActorResolver
    from casus.nlp import DEFAULT_MODEL
    from casus.place import PlaceResolver

    owner = pipeline_of(predict)
    model = options.get("model") or getattr(owner, "model", None) or DEFAULT_MODEL
    actors = options.get("actors") or getattr(owner, "actors", None)
    if not callable(actors):
        actors = ActorResolver()
    place = options.get("place") or getattr(owner, "place", None)
    if not hasattr(place, "locate"):
        place = PlaceResolver()
    return model, actors, place


def trigger_token(doc, start: int, end: int):
    """The spaCy token of a character span: the syntactic head of the tokens it covers."""
    toks = [t for t in doc if t.idx < end and start < t.idx + len(t.text)]
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[0]


def _parse_items(items: list[LocItem], model: str, actors: Any, progress: bool, batch_size: int):
    """Parse each distinct text once; yield (item index, Parsed, actor layer, trigger token or None)."""
    from casus.nlp import parse
    from casus.records import Document

    texts = list(dict.fromkeys(it.text for it in items))
    by_text: dict[str, list[int]] = {}
    for k, it in enumerate(items):
        by_text.setdefault(it.text, []).append(k)
    t0 = time.monotonic()
    for n, pd in enumerate(parse((Document(text=t) for t in texts), model=model, batch_size=batch_size), 1):
        layer = actors(pd)
        for k in by_text[pd.document.text]:
            yield k, pd, layer, trigger_token(pd.doc, *items[k].verb)
        if progress and (n % 200 == 0 or n == len(texts)):
            rate = n / max(1e-9, time.monotonic() - t0)
            print(f"\r{NAME}: {n}/{len(texts)} texts ({rate:.1f}/s)", end="", file=sys.stderr, flush=True)
    if progress and texts:
        print(file=sys.stderr, flush=True)


def predict_locations(items: list[LocItem], predict: Predict | None = None, *, progress: bool = True,
                      batch_size: int = 64, **options: Any) -> list[dict | None]:
    """The place stage's location for each item's trigger (None: no place chosen)."""
    model, actors, place = _stages(predict, options)
    out: list[dict | None] = [None] * len(items)
    for k, pd, layer, tok in _parse_items(items, model, actors, progress, batch_size):
        out[k] = place.locate(pd, layer, tok) if tok is not None else None
    return out


def samples(items: list[LocItem], predict: Predict | None = None, *, progress: bool = True,
            batch_size: int = 64, **options: Any) -> list[tuple[Any, list[Any]]]:
    """Training samples for the learned place chooser: per item, a ``chooser.Sample`` and its candidates.

    A candidate is right when it overlaps a gold LOCATION span of the item.
    """
    from casus.events.typer import text_key
    from casus.place.chooser import Sample, facts

    from casus.place import PlaceResolver

    model, actors, place = _stages(predict, options)
    if not place.plain_names:  # the candidates the learned chooser sees, whatever the pipeline's chooser
        place = PlaceResolver(place.gazetteer, plain_names=True)
    out: list[Any] = [None] * len(items)
    for k, pd, layer, tok in _parse_items(items, model, actors, progress, batch_size):
        it = items[k]
        if tok is None:
            out[k] = (Sample(text_key(it.text), {}, [], []), [])
            continue
        mentions = place.places(pd, layer, tok.sent, place._doc_countries(layer))
        cands = place.candidates(pd, tok, mentions)
        tf, cfs = facts(tok.i, cands, place._tree(tok.sent))
        gold = [any(spans_overlap((c.mention.start_char, c.mention.end_char), g) for g in it.locations) for c in cands]
        out[k] = (Sample(text_key(it.text), tf, cfs, gold), [(c.mention.to_loc(c.role)) for c in cands])
    return out


def crossval_locations(items: list[LocItem], predict: Predict | None = None, *, k: int = 5, seed: int = 0,
                       progress: bool = True, batch_size: int = 64, params: dict[str, Any] | None = None,
                       threshold: float | None = None, **options: Any) -> list[dict | None]:
    """Each item's location chosen by a chooser trained on the other folds (folds by text, as the typer's)."""
    from casus.eval.crossval import fold_of
    from casus.place.chooser import DEFAULT_THRESHOLD, fit, vectorise

    if k < 2:
        raise ValueError("k must be at least 2")
    data = samples(items, predict, progress=progress, batch_size=batch_size, **options)
    folds = [fold_of(s.key, k, seed) for s, _ in data]
    out: list[dict | None] = [None] * len(items)
    for f in range(k):
        model = fit([s for (s, _), g in zip(data, folds) if g != f and s.cands], params=params,
                    threshold=DEFAULT_THRESHOLD if threshold is None else threshold, seed=seed)
        if progress:
            print(f"{NAME}: fold {f + 1}/{k} trained", file=sys.stderr, flush=True)
        for i, ((s, locs), g) in enumerate(zip(data, folds)):
            if g == f and s.cands:
                best = model.best(model.proba(vectorise(s.trigger, s.cands, model.layout)))
                out[i] = locs[best] if best is not None else None
    return out


# --------------------------------------------------------------------------- scoring


def score(items: list[LocItem], preds: list[dict | None]) -> EvalReport:
    n = len(items)
    correct = exact = 0
    with_gold = [0, 0]  # items, correct
    without_gold = [0, 0]
    tp = fp = fn = 0
    by_source: dict[str, list[int]] = {}
    examples: list[dict[str, Any]] = []
    kinds = {"wrong_place": 0, "missed": 0, "spurious": 0}
    for it, loc in zip(items, preds):
        span = (loc["start"], loc["end"]) if loc else None
        if it.locations:
            ok = span is not None and any(spans_overlap(span, g) for g in it.locations)
            ex = span is not None and span in it.locations
            with_gold[0] += 1
            with_gold[1] += ok
            if span is None:
                fn += 1
                kinds["missed"] += 1
            else:
                tp += 1
                if not ok:
                    kinds["wrong_place"] += 1
        else:
            ok = ex = span is None
            without_gold[0] += 1
            without_gold[1] += ok
            if span is not None:
                fp += 1
                kinds["spurious"] += 1
        correct += ok
        exact += ex
        row = by_source.setdefault(it.source or "-", [0, 0, 0])
        row[0] += 1
        row[1] += ok
        row[2] += ex
        if not ok and len(examples) < N_EXAMPLES:
            examples.append({
                "text": it.text.strip()[:300],
                "verb": it.text[it.verb[0]:it.verb[1]],
                "gold": [it.text[a:b] for a, b in it.locations],
                "chosen": loc["text"] if loc else None,
            })
    has = prf(tp, fp, fn)
    overall = {
        "accuracy": correct / n if n else 0.0,
        "exact": exact / n if n else 0.0,
        "accuracy_with_gold_location": with_gold[1] / with_gold[0] if with_gold[0] else 0.0,
        "accuracy_without_gold_location": without_gold[1] / without_gold[0] if without_gold[0] else 0.0,
        "has_location_precision": has["precision"],
        "has_location_recall": has["recall"],
        "has_location_f1": has["f1"],
    }
    per_class = {"LOCATION": {**has, "support": with_gold[0]}}
    extra: dict[str, Any] = {
        "counts": {"items": n, "with_gold_location": with_gold[0], "without_gold_location": without_gold[0],
                   "correct": correct, "exact": exact, **kinds},
        "by_source": {k: {"items": v[0], "accuracy": v[1] / v[0], "exact": v[2] / v[0]}
                      for k, v in sorted(by_source.items())},
        "errors": examples,
    }
    return EvalReport(dataset=NAME, path="", n_items=n, overall=overall, per_class=per_class, extra=extra)


def run(
    path: str | Path,
    predict: Predict | None = None,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 64,
    part: str = "all",
    **options: Any,
) -> EvalReport:
    """Read ``path``, locate the event of every item of ``part`` (:mod:`casus.eval.parts`, by the record
    text) with the place stage, score. See the module docstring."""
    check_part(part)
    items, counts = read(path, limit=limit if part == "all" else None)
    n_read = len(items)
    items = apply_limit(select(items, lambda it: it.text, part), limit)
    kfold = int(options.pop("kfold", 0) or 0)
    chooser = None
    if kfold:
        preds = crossval_locations(items, predict, k=kfold, progress=progress, batch_size=batch_size, **options)
    else:
        model, actors, place = _stages(predict, options)
        chooser = getattr(place, "chooser", None)
        preds = predict_locations(items, predict, progress=progress, batch_size=batch_size,
                                  **{**options, "model": model, "actors": actors, "place": place})
    report = score(items, preds)
    report.extra["counts"].update({k: v for k, v in counts.items() if v})
    if kfold:
        report.extra["chooser"] = f"{kfold}-fold cross-validation of the learned place chooser"
    elif chooser is None:
        report.extra["chooser"] = "place chooser: rules (hand-set costs)"
    else:
        from casus.events.typer import text_key

        seen = sum(text_key(it.text) in chooser.model.trained_on for it in items)
        report.extra["chooser"] = f"place chooser: shipped learned model ({seen} items in its training data)"
        report.extra["chooser_trained_on_items"] = seen
    report.path = str(path)
    return record(report, part, len(items), n_read)
