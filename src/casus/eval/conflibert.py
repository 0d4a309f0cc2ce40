"""ConfliBERT CAMEO data: sentence class (penta-class 0-4) and source/target span tagging.

Files (originals, found in a directory by glob, or passed directly):

* ``cameo_class.*.tsv``: ``sentence<TAB>label`` per line (CRLF line ends in the
  original), label 0-4, no header (a header line is tolerated).
* ``cameo_ner.*.txt``: CoNLL style ``token label`` per line, blank line between
  sentences, BIO tags with S (source actor), T (target actor), R (reciprocal /
  compound actor that is both source and target). ``I-`` without ``B-`` starts a
  span (the original has a few).

Class scheme (from the data's PROVENANCE, which infers it; the penta-class of CAMEO
event roots): 0 = neutral (CAMEO 01 make public statement, 02 appeal), 1 = verbal
cooperation (03-05), 2 = material cooperation (06-08), 3 = verbal conflict (09-13,
and 16), 4 = material conflict (14-15, 17-20). Root 16 ("reduce relations", PLOVER
SANCTION) is verbal conflict in this data, unlike GDELT's quad: the PLOVER GSR
SANCTION records whose sentences are in the development file are all labelled 3
(5 of 5), and so are expulsions and withdrawals of diplomats or observers in the
news part (:data:`casus.events.ontology.PENTA`).

Predicted class of a sentence = class of its strongest event
(:func:`casus.eval.base.strongest_event`), via :func:`penta_class`:

1. ``Event.cameo`` when set: its two-digit root gives the class exactly (01-02 -> 0).
2. else the PLOVER type, through its CAMEO root (PLOVER manual, CAMEO->PLOVER
   table): AGREE/CONSULT/SUPPORT -> 1; COOPERATE/AID/CONCEDE/RETREAT -> 2;
   ACCUSE/REQUEST/REJECT/THREATEN/SANCTION -> 3; PROTEST/MOBILIZE/COERCE/ASSAULT -> 4.
   This equals ``Event.quad_class`` except for SANCTION (above) and CONCEDE, which
   PLOVER files under verbal cooperation (1) but which comes from CAMEO 08 YIELD
   (material cooperation, 2, e.g. "lifted a travel ban" is labelled 2 in this data;
   ``Event.quad_class`` is 2 too).
3. else ``Event.quad_class`` (1-4) as is.
4. No (non-negated) event -> 0: PLOVER drops CAMEO 01/02 (statements, appeals),
   which is what class 0 holds. REQUEST events from appeals ("urged") will be
   scored 3 unless ``Event.cameo`` says 02.

Span scoring: each NER sentence's tokens are joined back into running text (token
offsets recorded): a space between tokens except before closing punctuation, around a
hyphen inside a word ("rebel - held" -> "rebel-held"), inside a possessive ("EU ’ s" ->
"EU’s"), a number ("1 , 044", "352 . 5"), a dotted abbreviation ("U . S" -> "U.S") or a word cut at a letter
outside ASCII ("Pe ñ a" -> "Peña", "L ó pez" -> "López"), after an
opening bracket or a currency sign, so that the parser reads the text as published;
``predict`` runs on that text, and the strongest event's
``actor`` spans (source) and ``recipient`` spans (target) are turned into token
spans (a character span covers every token it overlaps), then into BIO tags and
back (so predictions go through the same representation as gold). Each actor is scored on
its argument phrase (``Actor.phrase``: "the Croatian government's request" for the mention "the
Croatian government") when it has one, since the gold marks argument phrases. An actor that is a
pronoun, or a "the country" resolved to an earlier mention (``Actor.antecedent``), is scored on that
mention's span: the gold marks the name ("Nigerian Air Force (NAF) says it has killed"
-> S = "Nigerian Air Force (NAF)"), and the pronoun's own span stays in the event. With
``all_events=True`` the roles of every event are pooled instead. Exact span match.
Reciprocal gold R spans: an R span is matched when a predicted span of EITHER role
sits on it, and then counts as a true positive in BOTH the source and the target
table (missed: a false negative in both); a predicted span on an R span is never a
false positive. This follows PLOVER, which puts reciprocal actors all in
``actor``. The micro average pools the counts of both tables (so R spans count
twice). Token-overlap span F1 (one-to-one, any shared token) is reported as well,
since the gold spans include determiners and modifiers ("a Swiss court").

When both tasks' files are read, each NER sentence is matched to its class line by normalised text
(letters and digits, lower case; the two files are not aligned line for line) and the span F1 is
also given per gold class (``spans_by_gold_class``): class 0 holds statements (CAMEO 01-02), which
PLOVER drops and casus does not code, so their sources and targets cannot be found.

Several files (dev, test, holdout...) in one directory are concatenated per task;
``limit`` applies to each task separately (the first N class lines and the first
N NER sentences).
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
    read_text,
    require_path,
    run_predict,
    strongest_event,
)
from casus.eval.metrics import classification_report, confusion, prf
from casus.eval.parts import check_part, record, select
from casus.events.ontology import PENTA
from casus.records import Event

NAME = "conflibert-cameo"
CLASS_FMT = "ConfliBERT cameo_class TSV (sentence<TAB>label 0-4)"
NER_FMT = "ConfliBERT cameo_ner CoNLL (token label, BIO tags with S/T/R, blank line between sentences)"
CLASS_GLOB = "cameo_class.*.tsv"
NER_GLOB = "cameo_ner.*.txt"

PENTA_NAMES: dict[int, str] = {
    0: "0:NEUTRAL",
    1: "1:VERBAL_COOP",
    2: "2:MATERIAL_COOP",
    3: "3:VERBAL_CONFLICT",
    4: "4:MATERIAL_CONFLICT",
}

#: PLOVER type -> penta class of this data (see :data:`casus.events.ontology.PENTA`: the quad class,
#: except SANCTION, which this data labels verbal conflict).
TYPE_TO_PENTA: dict[str, int] = dict(PENTA)


def cameo_root_to_penta(root: int) -> int | None:
    if 1 <= root <= 2:
        return 0
    if 3 <= root <= 5:
        return 1
    if 6 <= root <= 8:
        return 2
    if 9 <= root <= 13 or root == 16:
        return 3  # 16 "reduce relations" (PLOVER SANCTION): labelled verbal conflict in this data
    if 14 <= root <= 20:
        return 4
    return None


def penta_class(event: Event) -> int:
    """Penta class (0-4) of one event; see the module docstring for the order of evidence."""
    if event.cameo:
        m = re.match(r"\s*(\d{2})", str(event.cameo))
        if m:
            c = cameo_root_to_penta(int(m.group(1)))
            if c is not None:
                return c
    t = TYPE_TO_PENTA.get(str(event.event).upper())
    if t is not None:
        return t
    if event.quad_class in (1, 2, 3, 4):
        return int(event.quad_class)
    return 0


def predict_class(events: list[Event]) -> int:
    """Class of a sentence from its predicted events (0 when there is none)."""
    e = strongest_event(events)
    return penta_class(e) if e is not None else 0


# --------------------------------------------------------------------------- reading


@dataclass
class ClassItem:
    text: str
    label: int
    where: str  # file:line


@dataclass
class NerSentence:
    tokens: list[str]
    tags: list[str]
    offsets: list[tuple[int, int]]  # char offsets of each token in ``text``
    text: str
    where: str  # file:line of the first token

    @property
    def spans(self) -> list[tuple[int, int, str]]:
        return bio_to_spans(self.tags)


def _lines(raw: str) -> list[str]:
    # split on \n only: str.splitlines() would also split inside text on U+2028, \x85 ...
    return [ln[:-1] if ln.endswith("\r") else ln for ln in raw.split("\n")]


def read_class_file(path: str | Path, *, limit: int | None = None) -> list[ClassItem]:
    p = require_path(path)
    raw = read_text(p, CLASS_FMT)
    items: list[ClassItem] = []
    for n, line in enumerate(_lines(raw), start=1):
        if limit is not None and len(items) >= limit:
            break
        if not line.strip():
            continue
        if "\t" not in line:
            raise bad_format(f"{p}:{n}", CLASS_FMT, "no TAB between the sentence and the label")
        text, label = line.rsplit("\t", 1)
        label = label.strip()
        if not re.fullmatch(r"[0-4]", label):
            if n == 1 and not label.isdigit():  # header row
                continue
            raise bad_format(f"{p}:{n}", CLASS_FMT, f"label {label!r} is not one of 0, 1, 2, 3, 4")
        if not text.strip():
            raise bad_format(f"{p}:{n}", CLASS_FMT, "empty sentence")
        items.append(ClassItem(text=text.strip(), label=int(label), where=f"{p}:{n}"))
    if not items and limit != 0:
        raise bad_format(p, CLASS_FMT, "no labelled sentences")
    return items


_TAG_RE = re.compile(r"O|[BI]-[STR]")


def read_ner_file(path: str | Path, *, limit: int | None = None) -> list[NerSentence]:
    p = require_path(path)
    raw = read_text(p, NER_FMT)
    sents: list[NerSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    first = 0

    def flush() -> None:
        if tokens:
            text, offsets = detokenize(tokens)
            sents.append(NerSentence(list(tokens), list(tags), offsets, text, f"{p}:{first}"))
            tokens.clear()
            tags.clear()

    for n, line in enumerate(_lines(raw), start=1):
        if limit is not None and len(sents) >= limit:
            break
        if not line.strip():
            flush()
            continue
        if line.startswith("-DOCSTART-"):
            continue
        parts = re.split(r"[ \t]+", line.strip())
        if len(parts) < 2:
            raise bad_format(f"{p}:{n}", NER_FMT, f"expected 'token label', got {line.strip()[:60]!r}")
        tag = parts[-1]
        if not _TAG_RE.fullmatch(tag):
            raise bad_format(f"{p}:{n}", NER_FMT, f"tag {tag!r} is not O, B-S/I-S, B-T/I-T or B-R/I-R")
        if not tokens:
            first = n
        tokens.append(parts[0])
        tags.append(tag)
    if limit is None or len(sents) < limit:
        flush()
    if not sents and limit != 0:
        raise bad_format(p, NER_FMT, "no sentences")
    return sents


_CLOSING = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "’s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
_OPENING = {"(", "[", "{", "$", "€", "£", "#"}
_APOSTROPHES = {"'", "’"}
#: words after which a hyphen is a dash between phrases ("Kabul - the capital"), not inside a word
_FUNCTION_WORDS = {"the", "a", "an", "he", "she", "it", "they", "we", "i", "which", "who", "that", "this", "and",
                   "or", "but", "as", "in", "on", "at", "of", "to", "for", "with", "by", "from"}


def _split_letter(t: str) -> bool:
    """A letter outside ASCII that the span file's tokeniser cut out of its word ("Pe ñ a", "K ı r ı kkale")."""
    return len(t) == 1 and t.isalpha() and not t.isascii() and t != "à"  # ("à" is a word of its own)


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Running text for space-separated tokens, and each token's character offsets in it (see the module
    docstring for where no space goes)."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    n = len(tokens)
    for i, t in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < n else ""
        glue = i == 0 or t in _CLOSING or prev in _OPENING \
            or (t == "-" and prev[-1:].isalnum() and nxt[:1].isalnum() and nxt.lower() not in _FUNCTION_WORDS) \
            or (prev == "-" and i >= 2 and tokens[i - 2][-1:].isalnum() and t[:1].isalnum()
                and t.lower() not in _FUNCTION_WORDS) \
            or (t in _APOSTROPHES and nxt.lower() in ("s", "t", "re", "ve", "ll", "d", "m")) \
            or (prev in _APOSTROPHES and t.lower() in ("s", "t", "re", "ve", "ll", "d", "m")) \
            or (prev == "," and i >= 2 and tokens[i - 2].isdigit() and t.isdigit() and len(t) == 3) \
            or (prev == "." and i >= 2 and len(tokens[i - 2]) == 1 and tokens[i - 2].isupper()
                and len(t) == 1 and t.isupper())
        if t == "." and i + 1 < n and i >= 1 and len(prev) == 1 and prev.isupper() and len(nxt) == 1 \
                and nxt.isupper():
            glue = True  # "U . S" -> "U.S"
        if t == "," and prev.isdigit() and nxt.isdigit() and len(nxt) == 3:
            glue = True  # "1 , 044" -> "1,044"
        if prev == "." and t.isdigit() and i >= 2 and tokens[i - 2].isdigit():
            glue = True  # "352 . 5" -> "352.5": a decimal point (one sentence per block, so no full stop)
        if _split_letter(t) and prev[-1:].isalpha():
            glue = True  # "Pe ñ a" -> "Peña", "Jos é" -> "José"
        if _split_letter(prev) and t[:1].isalpha() and t[:1].islower() and i >= 2 and tokens[i - 2][-1:].isalpha():
            glue = True  # (the rest of the word after the letter: "L ó pez" -> "López")
        if not glue:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(t)))
        parts.append(t)
        pos += len(t)
    return "".join(parts), offsets


def bio_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags -> ``(start_token, end_token_exclusive, label)``; ``I-X`` after O or another label starts a span."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label: str | None = None
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if start is not None and label is not None:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def spans_to_bio(n_tokens: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """Token spans -> BIO tags; a span overlapping one already placed is dropped (first come, first served)."""
    tags = ["O"] * n_tokens
    for s, e, lab in spans:
        s, e = max(0, s), min(n_tokens, e)
        if s >= e or any(t != "O" for t in tags[s:e]):
            continue
        tags[s] = f"B-{lab}"
        for i in range(s + 1, e):
            tags[i] = f"I-{lab}"
    return tags


def char_to_token_span(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Tokens whose character offsets overlap ``[start, end)``, as ``(first, last + 1)``; None if none."""
    if end <= start:
        end = start + 1
    hit = [i for i, (a, b) in enumerate(offsets) if a < end and start < b]
    return (hit[0], hit[-1] + 1) if hit else None


#: pronouns whose resolved antecedent is scored in their place (see the module docstring)
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "hers", "theirs", "we", "us",
            "our"}


def predicted_spans(sent: NerSentence, events: list[Event], *, all_events: bool = False) -> list[tuple[int, int, str]]:
    """Predicted S/T token spans for one sentence (via BIO, like the gold)."""
    if all_events:
        chosen = events
    else:
        e = strongest_event(events)
        chosen = [e] if e is not None else []
    raw: list[tuple[int, int, str]] = []
    for ev in chosen:
        for role, actors in (("S", ev.actor), ("T", ev.recipient)):
            for a in actors:
                # a partner "with" whom talks or an agreement are held is in PLOVER's ``actor`` (a mutual
                # event); this gold, as CAMEO, marks it as the target
                lab = "T" if role == "S" and "+partner" in a.how else role
                # the gold marks the argument phrase ("the Croatian government's request"), which casus gives
                # as the actor's phrase when it is longer than the mention
                start, end = a.phrase or (a.start, a.end)
                if a.antecedent and (a.text.strip().lower() in PRONOUNS or a.how.startswith("coref-country")):
                    start, end = a.antecedent  # the gold marks the name a pronoun stands for
                ts = char_to_token_span(sent.offsets, start, end)
                if ts is not None:
                    raw.append((ts[0], ts[1], lab))
    return bio_to_spans(spans_to_bio(len(sent.tokens), raw))


def _exact(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and a[1] == b[1]


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(preds: list[tuple], golds: list[tuple], used_p: list[bool], used_g: list[bool], same) -> int:
    n = 0
    for j, g in enumerate(golds):
        if used_g[j]:
            continue
        for i, p in enumerate(preds):
            if not used_p[i] and same(p, g):
                used_p[i] = used_g[j] = True
                n += 1
                break
    return n


def role_counts(
    gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]], role: str, same=_exact
) -> tuple[int, int, int]:
    """(tp, fp, fn) for role "S" or "T", with the reciprocal rule of the module docstring."""
    other = "T" if role == "S" else "S"
    g_role = sorted({(s, e) for s, e, lab in gold if lab == role})
    g_r = sorted({(s, e) for s, e, lab in gold if lab == "R"})
    p_role = sorted({(s, e) for s, e, lab in pred if lab == role})
    p_other = sorted({(s, e) for s, e, lab in pred if lab == other})
    used_role = [False] * len(p_role)
    used_gr = [False] * len(g_r)
    tp = _match(p_role, g_r, used_role, used_gr, same)
    # R spans not matched by a prediction of this role may be matched by one of the other role
    tp += _match(p_other, g_r, [False] * len(p_other), used_gr, same)
    used_g = [False] * len(g_role)
    tp += _match(p_role, g_role, used_role, used_g, same)
    fn = used_gr.count(False) + used_g.count(False)
    fp = used_role.count(False)
    return tp, fp, fn


def discover(path: str | Path) -> tuple[list[Path], list[Path]]:
    """Class files and NER files under a directory (by glob), or the one file given."""
    p = require_path(path)
    if p.is_dir():
        cls = sorted(p.glob(CLASS_GLOB))
        ner = sorted(p.glob(NER_GLOB))
        if not cls and not ner:
            raise bad_format(p, f"{CLASS_FMT} / {NER_FMT}", f"the directory holds no {CLASS_GLOB} or {NER_GLOB} file")
        return cls, ner
    name = p.name.lower()
    if name.startswith("cameo_class") or (p.suffix.lower() == ".tsv" and "ner" not in name):
        return [p], []
    if name.startswith("cameo_ner") or p.suffix.lower() in (".txt", ".conll", ".bio"):
        return [], [p]
    raise bad_format(p, f"{CLASS_FMT} / {NER_FMT}", f"cannot tell the task from the file name; expected {CLASS_GLOB} or {NER_GLOB}")


# --------------------------------------------------------------------------- scoring


def score_class(items: list[ClassItem], predictions: list[list[Event]]) -> tuple[dict[str, float], dict[str, Any], dict[str, Any]]:
    gold = [PENTA_NAMES[it.label] for it in items]
    pred = [PENTA_NAMES[predict_class(evs)] for evs in predictions]
    overall, per_class = classification_report(gold, pred, labels=list(PENTA_NAMES.values()))
    present = [k for k in list(PENTA_NAMES.values())[1:] if per_class[k]["support"] or k in pred]
    quad = sum(per_class[k]["f1"] for k in present) / len(present) if present else 0.0
    out = {
        "accuracy": overall["accuracy"],
        "macro_f1": overall["macro_f1"],
        "macro_f1_quad": quad,
        "weighted_f1": overall["weighted_f1"],
    }
    return out, per_class, confusion(gold, pred)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def spans_by_class(sents: list[NerSentence], pred: list[list[tuple[int, int, str]]],
                   labels: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Span F1 (exact and overlap, source and target) per gold penta class of the sentence, for the NER
    sentences whose normalised text has a class line (``labels``: normalised text -> class)."""
    groups: dict[str, list[int]] = {}
    for k, s in enumerate(sents):
        lab = labels.get(_norm(s.text), labels.get(_norm(" ".join(s.tokens))))
        name = PENTA_NAMES[lab] if lab is not None else "no class line"
        groups.setdefault(name, []).append(k)
    # the classes PLOVER codes, pooled (all but statements)
    groups["1-4 pooled"] = [k for name, idx in groups.items() if name in list(PENTA_NAMES.values())[1:] for k in idx]
    rows: dict[str, dict[str, Any]] = {}
    for name in [*PENTA_NAMES.values(), "1-4 pooled", "no class line"]:
        idx = groups.get(name)
        if not idx:
            continue
        row: dict[str, Any] = {"sentences": len(idx)}
        for kind, same in (("exact", _exact), ("overlap", _overlap)):
            for role, rname in (("S", "source"), ("T", "target")):
                c = [0, 0, 0]
                for k in idx:
                    for j, v in enumerate(role_counts(sents[k].spans, pred[k], role, same)):
                        c[j] += v
                row[f"{rname}_{kind}_f1"] = prf(*c)["f1"]
        rows[name] = row
    return rows


def score_spans(sents: list[NerSentence], predictions: list[list[Event]], *, all_events: bool = False,
                labels: dict[str, int] | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    gold = [s.spans for s in sents]
    pred = [predicted_spans(s, evs, all_events=all_events) for s, evs in zip(sents, predictions)]
    tables: dict[str, Any] = {}
    if labels:
        tables["spans_by_gold_class"] = spans_by_class(sents, pred, labels)
    overall: dict[str, float] = {}
    for kind, same in (("exact", _exact), ("overlap", _overlap)):
        rows: dict[str, dict[str, Any]] = {}
        tot = [0, 0, 0]
        for role, name in (("S", "source"), ("T", "target")):
            c = [0, 0, 0]
            for g, p in zip(gold, pred):
                for k, v in enumerate(role_counts(g, p, role, same)):
                    c[k] += v
            row: dict[str, Any] = prf(*c)
            row.update(tp=c[0], fp=c[1], fn=c[2], support=c[0] + c[2])
            rows[name] = row
            tot = [a + b for a, b in zip(tot, c)]
        row = prf(*tot)
        row.update(tp=tot[0], fp=tot[1], fn=tot[2], support=tot[0] + tot[2])
        rows["micro"] = row
        tables[f"spans_{kind}"] = rows
        prefix = "span" if kind == "exact" else "span_overlap"
        overall[f"{prefix}_source_f1"] = rows["source"]["f1"]
        overall[f"{prefix}_target_f1"] = rows["target"]["f1"]
        overall[f"{prefix}_micro_f1"] = rows["micro"]["f1"]
    counts = {"S": 0, "T": 0, "R": 0}
    for g in gold:
        for _, _, lab in g:
            counts[lab] += 1
    tables["gold_span_counts"] = counts
    return overall, tables


def run(
    path: str | Path,
    predict: Predict,
    *,
    limit: int | None = None,
    progress: bool = True,
    batch_size: int = 64,
    all_events: bool = False,
    part: str = "all",
) -> EvalReport:
    """Score the class files and the NER files found at ``path`` (see the module docstring); with ``part``
    (:mod:`casus.eval.parts`) only the sentences of that part, ``limit`` then applying to each task."""
    check_part(part)
    read_limit = limit if part == "all" else None
    class_files, ner_files = discover(path)
    class_items: list[ClassItem] = []
    for f in class_files:
        class_items += read_class_file(f, limit=None if read_limit is None else max(0, read_limit - len(class_items)))
    sents: list[NerSentence] = []
    for f in ner_files:
        sents += read_ner_file(f, limit=None if read_limit is None else max(0, read_limit - len(sents)))
    n_read = len(class_items) + len(sents)
    class_items = apply_limit(select(class_items, lambda it: it.text, part), limit)
    sents = apply_limit(select(sents, lambda s: s.text, part), limit)

    overall: dict[str, float] = {}
    per_class: dict[str, Any] = {}
    extra: dict[str, Any] = {
        "files": {str(f): "class" for f in class_files} | {str(f): "ner" for f in ner_files},
        "counts": {"class_sentences": len(class_items), "ner_sentences": len(sents)},
    }
    if class_items:
        preds = run_predict(predict, [it.text for it in class_items], batch_size=batch_size, progress=progress, label=f"{NAME} class")
        c_overall, per_class, conf = score_class(class_items, preds)
        overall.update(c_overall)
        extra["confusion"] = conf
    if sents:
        preds = run_predict(predict, [s.text for s in sents], batch_size=batch_size, progress=progress, label=f"{NAME} spans")
        labels = {_norm(it.text): it.label for it in class_items}
        s_overall, tables = score_spans(sents, preds, all_events=all_events, labels=labels)
        overall.update(s_overall)
        extra.update(tables)
    extra["class_mapping"] = {
        "no event": 0,
        **{t: c for t, c in TYPE_TO_PENTA.items()},
        "note": "Event.cameo root wins when set; CONCEDE -> 2 (CAMEO 08) although its PLOVER quad class is 1",
    }
    report = EvalReport(
        dataset=NAME,
        path=str(path),
        n_items=len(class_items) + len(sents),
        overall=overall,
        per_class=per_class,
        extra=extra,
    )
    return record(report, part, len(class_items) + len(sents), n_read)
