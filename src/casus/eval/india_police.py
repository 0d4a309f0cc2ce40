"""IndiaPoliceEvents (Gujarat, March 2002): sentence-level police actions.

Format (original): ``sents.*.jsonl``, one JSON object per line
``{"doc_id", "sent_id", "sent_labels": [...], "sent_text"}``; a directory is
searched for ``sents.*.jsonl`` (``docs.*``/``metadata.*`` are not needed), or a file
is passed directly.

Labels (the corpus' questions, all about the police): KILL "did police kill
someone?", ARREST "did police arrest someone?", FAIL "did police fail to
intervene?", FORCE "did police use force or violence?", ANY_ACTION "did police do
anything?". In the gold data KILL implies FORCE, and KILL/FORCE/ARREST imply
ANY_ACTION; FAIL does not imply ANY_ACTION.

Texts are lower-cased Times of India sentences with UTF-8 read as cp1252
(mojibake such as ``â€™``); ``repair_text=True`` (default) undoes that before
prediction (:func:`repair_mojibake`).

Mapping from predicted events to labels (:func:`labels_from_events`):

* police actor: an ``actor`` with sector COP, or whose text names the police
  (police, policemen, cops, constable, inspector, commissioner, SP/DSP, CRPF,
  RAF, SRP); a trigger text containing "police" ("police firing") counts too.
  The army is not police.
* KILL: an ASSAULT by police whose trigger (or mode ``targeted``) says someone
  died: kill, shot dead, gunned down, murder, died, dead, death, lynch, fatal.
* FORCE: any ASSAULT by police; or a COERCE by police whose trigger is a use of
  force (fire, firing, tear gas, lathi/cane charge, baton, beat, rubber bullets,
  water cannon). KILL implies FORCE.
* ARREST: a COERCE with mode ``arrest`` or an arrest trigger (arrest, detain,
  custody, held, nab, round up, remand, apprehend) whose actor is police or is not
  named (Indian news rarely names anyone else as arresting; a named non-police
  actor, e.g. a mob "holding" someone, does not count).
* FAIL: a negated event (``modality`` "negated...") with a police actor (police
  "did not act"); no positive event means a failure, so recall will be low.
* ANY_ACTION: KILL, FORCE or ARREST, or any other non-negated event with a police
  actor (MOBILIZE police deployments, COERCE curfews, CONSULT meetings...).

Scores: per-label P/R/F1 at sentence level, macro/micro F1; and the same at
document level (a document has a label when any of its sentences has it).
"""

from __future__ import annotations

import json
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
)
from casus.eval.metrics import multilabel_report
from casus.eval.parts import check_part, record, select
from casus.records import Event

NAME = "india-police"
FMT = "IndiaPoliceEvents sents JSONL ({doc_id, sent_id, sent_labels, sent_text} per line)"
GLOB = "sents.*.jsonl"
LABELS = ("KILL", "ARREST", "FAIL", "FORCE", "ANY_ACTION")

POLICE_TEXT = re.compile(
    r"\bpolice|\bpolicem[ae]n|\bcops?\b|constable|\binspector|commissioner|\bs\.?p\.?\b|\bd\.?s\.?p\.?\b|"
    r"\bcrpf\b|rapid action force|\braf\b|\bsrp\b|\bcid\b|\bats\b",
    re.IGNORECASE,
)
KILL_WORDS = re.compile(r"\bkill|shot dead|gunned down|mowed down|murder|\bdied\b|\bdead\b|\bdeath|lynch|fatal", re.IGNORECASE)
FORCE_WORDS = re.compile(
    r"\bfir(e|ed|es|ing)\b|open(ed)? fire|tear ?gas|lathi|cane[- ]?charg|baton|\bbeat|rubber bullet|water cannon|"
    r"charge[d]? the|shot\b|shoot",
    re.IGNORECASE,
)
ARREST_WORDS = re.compile(
    r"arrest|detain|detention|custody|\bheld\b|\bnab|round(ed|ing)? up|remand|apprehend|\bbooked\b|picked up", re.IGNORECASE
)


def is_police(event: Event) -> bool:
    """Is the event's actor the police (sector COP, or police named in the actor or trigger text)?"""
    for a in event.actor:
        secs = {s[:3].upper() for s in re.split(r"[\s,;/|]+", a.sector or "") if s}
        if "COP" in secs or POLICE_TEXT.search(a.text or ""):
            return True
    return bool(re.search(r"\bpolice", event.event_text.text or "", re.IGNORECASE))


def _named_non_police(event: Event) -> bool:
    return any((a.text or a.code) for a in event.actor) and not is_police(event)


def labels_from_events(events: list[Event]) -> set[str]:
    """Police-action labels of one sentence from its predicted events (see the module docstring)."""
    out: set[str] = set()
    for e in events:
        t = str(e.event).upper()
        trig = e.event_text.text or ""
        mode = (e.mode or "").lower()
        police = is_police(e)
        if is_negated(e):
            if police:
                out.add("FAIL")
            continue
        if t == "ASSAULT" and police:
            out.add("FORCE")
            if KILL_WORDS.search(trig) or mode == "targeted":
                out.add("KILL")
        if t == "COERCE":
            if (mode == "arrest" or ARREST_WORDS.search(trig)) and (police or not _named_non_police(e)):
                out.add("ARREST")
            if police and FORCE_WORDS.search(trig):
                out.add("FORCE")
        if police:
            out.add("ANY_ACTION")
    if out & {"KILL", "FORCE", "ARREST"}:
        out.add("ANY_ACTION")
    if "KILL" in out:
        out.add("FORCE")
    return out


_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]+"
)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252 ("â€™" -> "’"), piece by piece; other text is kept."""

    def fix(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == "â€\ufffd":  # right double quote whose 0x9d byte was lost
            return "\u201d"
        try:
            return s.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            if s.startswith("â€\ufffd"):
                return "\u201d" + s[3:]
            return s

    if not ("â" in text or "Â" in text or "Ã" in text):
        return text
    text = _MOJIBAKE.sub(fix, text.replace("\u00c2\ufffd", " "))
    # leftovers: a no-break space whose second byte became a plain space (or was cut off),
    # and a quote whose last byte was cut off at a sentence boundary
    text = re.sub("\u00c2(?=[ \u00a0]|$)", "", text)
    return re.sub("\u00e2\u20ac(?![\u0080-\u00bf\u2018-\u201e\u2020-\u2122])", "\u2019", text)


@dataclass
class Sentence:
    doc_id: Any
    sent_id: Any
    labels: list[str]
    text: str
    where: str


def _files(path: str | Path) -> list[Path]:
    p = require_path(path)
    if p.is_dir():
        found = sorted(p.glob(GLOB))
        if not found:
            raise bad_format(p, FMT, f"the directory holds no {GLOB} file")
        return found
    return [p]


def read(path: str | Path, *, limit: int | None = None) -> list[Sentence]:
    """Read ``sents.*.jsonl`` files (a directory: all of them, in name order)."""
    out: list[Sentence] = []
    for f in _files(path):
        raw = read_text(f, FMT)
        for n, line in enumerate(raw.split("\n"), start=1):
            if limit is not None and len(out) >= limit:
                return out
            if not line.strip():
                continue
            where = f"{f}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise bad_format(where, FMT, f"invalid JSON ({e.msg} at column {e.colno})") from e
            if not isinstance(rec, dict):
                raise bad_format(where, FMT, f"each line must be a JSON object, got {type(rec).__name__}")
            missing = [k for k in ("doc_id", "sent_id", "sent_labels", "sent_text") if k not in rec]
            if missing:
                hint = " (this looks like docs.jsonl/metadata.jsonl; pass sents.*.jsonl)" if "doc_text" in rec or "full_text" in rec else ""
                raise bad_format(where, FMT, f"missing field(s) {', '.join(missing)}{hint}")
            labels = rec["sent_labels"]
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise bad_format(where, FMT, "'sent_labels' must be a list of label names")
            unknown = [x for x in labels if x not in LABELS]
            if unknown:
                raise bad_format(where, FMT, f"unknown label(s) {unknown}; expected some of {', '.join(LABELS)}")
            if not isinstance(rec["sent_text"], str):
                raise bad_format(where, FMT, "'sent_text' must be a string")
            out.append(Sentence(rec["doc_id"], rec["sent_id"], list(labels), rec["sent_text"], where))
    if not out and limit != 0:
        raise bad_format(path, FMT, "no sentences")
    return out


def score(sents: list[Sentence], predictions: list[list[Event]]) -> EvalReport:
    gold = [set(s.labels) for s in sents]
    pred = [labels_from_events(evs) for evs in predictions]
    overall, per_class = multilabel_report(gold, pred, LABELS)
    docs_g: dict[Any, set[str]] = {}
    docs_p: dict[Any, set[str]] = {}
    for s, g, p in zip(sents, gold, pred):
        key = json.dumps(s.doc_id)
        docs_g.setdefault(key, set()).update(g)
        docs_p.setdefault(key, set()).update(p)
    keys = list(docs_g)
    d_overall, d_per = multilabel_report([docs_g[k] for k in keys], [docs_p[k] for k in keys], LABELS)
    no_fail = [lab for lab in LABELS if lab != "FAIL" and per_class[lab]["support"]]
    return EvalReport(
        dataset=NAME,
        path="",
        n_items=len(sents),
        overall={
            "macro_f1": overall["macro_f1"],
            "micro_f1": overall["micro_f1"],
            "macro_f1_without_fail": sum(per_class[lab]["f1"] for lab in no_fail) / len(no_fail) if no_fail else 0.0,
            "subset_accuracy": overall["subset_accuracy"],
            "doc_macro_f1": d_overall["macro_f1"],
        },
        per_class=per_class,
        extra={
            "documents": d_per,
            "counts": {
                "sentences": len(sents),
                "documents": len(keys),
                "sentences_with_a_gold_label": sum(1 for g in gold if g),
                "sentences_with_a_predicted_label": sum(1 for p in pred if p),
            },
        },
    )


def run(
    path: str | Path,
    predict: Predict,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 64,
    repair_text: bool = True,
    part: str = "all",
) -> EvalReport:
    """Read ``path``, predict every sentence of ``part`` (:mod:`casus.eval.parts`; the part is decided on
    the sentence text as in the file, before the mojibake repair), score."""
    check_part(part)
    sents = read(path, limit=limit if part == "all" else None)
    n_read = len(sents)
    sents = apply_limit(select(sents, lambda s: s.text, part), limit)
    texts = [repair_mojibake(s.text) if repair_text else s.text for s in sents]
    preds = run_predict(predict, texts, batch_size=batch_size, progress=progress, label=NAME)
    report = score(sents, preds)
    report.path = str(path)
    return record(report, part, len(sents), n_read)
