"""learned/data: the data recipe of the learned core -- every English gold set, mapped to its labels.

Contract
--------
``core_examples(shared, *, synthetic=True) -> list[CoreExample]`` reads the development sets under
``shared`` (``../shared/data``) with the eval readers (the original file formats) and returns one
example per text, with the labels each set gives:

================================  =============================================================
set                               labels
================================  =============================================================
plover_gsr_cameo                  ``type`` (16 PLOVER types), ``quad`` (penta class of the type),
                                  ``roles`` (SRC/TAR actor texts located in the sentence)
conflibert_cameo class file       ``quad`` (penta 0-4; ``type`` NONE for class 0 statements)
conflibert_cameo span file        ``roles`` (S/T spans; R, an actor that is both, as S)
case2021_task2_acled              ``acled`` (30 subtypes), ``type``/``quad`` through ACLED_TO_PLOVER
india_police_events               ``police`` (KILL, ARREST, FAIL, FORCE, ANY_ACTION: multi-label,
                                  every sentence), ``type`` ASSAULT/COERCE for KILL/FORCE/ARREST
synthetic_plover_ngec             ``type`` of the story for its first sentence (document-level
                                  pseudo-labels: training only, never scored)
================================  =============================================================

Texts that occur in several sets are merged into one example (their labels joined), so a
held-out fold or a left-out set removes a text everywhere. ``source`` names the set (for
leave-one-dataset-out); ``sources`` all sets a merged text came from.

The tune/check parts of the eval harness and the k-fold folds are decided from the same
stable text key (:func:`casus.events.typer.text_key`).
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..events.ontology import PENTA, PLOVER_TYPES
from ..events.typer import INDIA_TO_PLOVER, NONE, case_labels, text_key

ROLE_TAGS = ("O", "B-S", "I-S", "B-T", "I-T")
POLICE_LABELS = ("KILL", "ARREST", "FAIL", "FORCE", "ANY_ACTION")
SETS = ("plover-gsr", "conflibert-cameo", "case2021", "india-police", "synthetic")


@dataclass
class CoreExample:
    text: str
    labels: dict[str, str] = field(default_factory=dict)  # head -> label (type, quad, acled)
    roles: list[tuple[int, int, str]] | None = None  # character spans with "S"/"T"; None: not annotated
    police: tuple[str, ...] | None = None  # IndiaPoliceEvents labels; None: not annotated
    source: str = ""
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> int:
        return text_key(self.text)


def _locate(text: str, phrase: str, taken: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The first occurrence of ``phrase`` in ``text`` (word-bounded, case-insensitive) not yet taken."""
    phrase = phrase.strip()
    if not phrase:
        return None
    pat = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)
    for m in pat.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b, _ in taken):
            return m.start(), m.end()
    return None


_MARK = re.compile(r"\((SRC/TAR|SRC|TAR):\s*([^()]*?)\s*\)")


def gsr_roles(text: str, markup: str | None, sources: list[str], targets: list[str]) -> list[tuple[int, int, str]]:
    """Source/target character spans of a GSR record: the ``(SRC: ...)``/``(TAR: ...)`` markup pieces,
    else the actor texts, located in the sentence."""
    spans: list[tuple[int, int, str]] = []
    pieces: list[tuple[str, str]] = []
    if markup:
        for m in _MARK.finditer(markup):
            pieces.append(("T" if m.group(1) == "TAR" else "S", m.group(2)))
    if not pieces:
        pieces = [("S", s) for s in sources] + [("T", t) for t in targets]
    for role, phrase in pieces:
        at = _locate(text, phrase, spans)
        if at:
            spans.append((at[0], at[1], role))
    return sorted(spans)


def _first_sentence(text: str) -> str:
    para = text.strip().split("\n")[0].strip()
    m = re.search(r"(?<=[a-z0-9\)\"”'’][.!?])\s+(?=[A-Z\"“])", para)
    return para[: m.start()].strip() if m else para


def read_synthetic(folder: Path) -> list[CoreExample]:
    out: list[CoreExample] = []
    for f in sorted(folder.glob("*.csv.gz")):
        csv.field_size_limit(1 << 30)
        with gzip.open(f, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                t = (row.get("label") or "").strip().upper()
                lede = _first_sentence(row.get("text") or "")
                if t in PLOVER_TYPES and 20 <= len(lede) <= 600:
                    out.append(CoreExample(lede, {"type": t, "quad": str(PENTA[t])}, source="synthetic"))
    return out


def core_examples(shared: str | Path, *, synthetic: bool | int = True, india_negatives: int | None = None) -> list[CoreExample]:
    """Every English development example under ``shared``, merged by text (see the module docstring).

    ``india_negatives``: keep only this many IndiaPoliceEvents sentences with no label (every k-th,
    deterministic); None keeps them all. ``synthetic``: False leaves the synthetic stories out; a number
    keeps that many of them (every k-th story, so every headline template stays represented)."""
    from casus.eval import case2021, conflibert, india_police, plover_gsr

    root = Path(shared)
    raw: list[CoreExample] = []
    gsr = root / "plover_gsr_cameo" / "PLOVER_GSR_CAMEO.dev.json"
    if gsr.exists():
        import json

        records = {str(r.get("id")): r for r in json.loads(gsr.read_text(encoding="utf-8"))
                   if isinstance(r, dict)}
        for it in plover_gsr.read(gsr):
            labels = {}
            if it.event in PLOVER_TYPES:
                labels = {"type": it.event, "quad": str(PENTA[it.event])}
            rec = records.get(str(it.id), {})
            markup = ((rec.get("textInfo") or {}).get("markup")) if isinstance(rec.get("textInfo"), dict) else None
            roles = gsr_roles(it.text, markup, [a.text for a in it.source], [a.text for a in it.target])
            raw.append(CoreExample(it.text, labels, roles, source="plover-gsr"))
    cb = root / "conflibert_cameo"
    for f in sorted(cb.glob("cameo_class.*.tsv")):
        for it in conflibert.read_class_file(f):
            labels = {"quad": str(it.label)}
            if it.label == 0:
                labels["type"] = NONE
            raw.append(CoreExample(it.text, labels, source="conflibert-cameo"))
    for f in sorted(cb.glob("cameo_ner.*.txt")):
        for s in conflibert.read_ner_file(f):
            spans = []
            for a, b, lab in s.spans:
                role = "T" if lab == "T" else "S"
                spans.append((s.offsets[a][0], s.offsets[b - 1][1], role))
            raw.append(CoreExample(s.text, {}, sorted(spans), source="conflibert-cameo"))
    for f in sorted((root / "case2021_task2_acled").glob("*.tsv")):
        for it in case2021.read(f):
            raw.append(CoreExample(it.text, case_labels(it.label), source="case2021"))
    ip = root / "india_police_events"
    if ip.exists():
        sents = india_police.read(ip)
        negs = [s for s in sents if not s.labels]
        keep_neg = None
        if india_negatives is not None:
            step = max(1, len(negs) // max(1, india_negatives))
            keep_neg = {id(s) for s in negs[::step][:india_negatives]}
        for s in sents:
            if not s.labels and keep_neg is not None and id(s) not in keep_neg:
                continue
            text = india_police.repair_mojibake(s.text)
            labels = {}
            t = next((p for lab, p in INDIA_TO_PLOVER if lab in s.labels), None)
            if t:
                labels = {"type": t, "quad": str(PENTA[t])}
            raw.append(CoreExample(text, labels, police=tuple(sorted(s.labels)), source="india-police"))
    if synthetic and (root / "synthetic_plover_ngec").exists():
        syn = read_synthetic(root / "synthetic_plover_ngec")
        if synthetic is not True and int(synthetic) < len(syn):
            step = len(syn) / int(synthetic)
            syn = [syn[int(j * step)] for j in range(int(synthetic))]
        raw.extend(syn)
    return merge(raw)


def merge(raw: list[CoreExample]) -> list[CoreExample]:
    """One example per text key: labels joined (the first set's label wins on a clash), roles and
    police labels kept from the first set that has them."""
    by_key: dict[int, CoreExample] = {}
    order: list[int] = []
    for ex in raw:
        k = ex.key
        if k not in by_key:
            by_key[k] = CoreExample(ex.text, dict(ex.labels), ex.roles, ex.police, ex.source, (ex.source,))
            order.append(k)
            continue
        have = by_key[k]
        for h, lab in ex.labels.items():
            have.labels.setdefault(h, lab)
        if have.roles is None and ex.roles is not None and ex.text == have.text:
            have.roles = ex.roles
        if have.police is None and ex.police is not None:
            have.police = ex.police
        if ex.source not in have.sources:
            have.sources = (*have.sources, ex.source)
    return [by_key[k] for k in order]
