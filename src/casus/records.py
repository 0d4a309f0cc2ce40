"""Typed records passed between pipeline stages.

    ingest  : path/stdin           -> Document | Problem
    nlp     : Document             -> Parsed         (Document + spaCy Doc)
    actors  : Parsed               -> list[Actor]    (mentions with codes, on the Parsed)
    events  : Parsed + actors      -> list[Event]    (type, roles, evidence spans)
    attribution/modality, time, place: Event -> Event (fields filled in place)
    store   : Document, list[Event] -> rows in DuckDB

Every ``start``/``end`` is a character offset into ``Document.text`` exactly as
read, so ``doc.text[start:end] == span.text`` always holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(*parts: object, length: int = 16) -> str:
    """Stable hex digest of the given parts (used for document and event IDs)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass
class Document:
    """One report to code. ``id`` defaults to a hash of the text."""

    text: str
    id: str = ""
    published: str | None = None  # ISO date YYYY-MM-DD
    url: str | None = None
    source: str | None = None  # outlet, e.g. "Reuters"
    title: str | None = None
    origin: str | None = None  # file path (and ":line" for JSONL) it came from
    language: str = "en"

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.text)

    @property
    def content_id(self) -> str:
        """Hash of the text alone: the same content ingested twice has the same content_id."""
        return content_hash(self.text)


@dataclass
class Problem:
    """A document that could not be read or coded, with a numbered reason."""

    origin: str  # file (and line)
    code: str  # E001...
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass
class Span:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Actor:
    """An actor mention resolved (when possible) to a country/IGO code and a PLOVER sector."""

    text: str
    start: int
    end: int
    code: str | None = None  # ISO-3, or IGO / IMG / NGO style code
    sector: str | None = None  # GOV, MIL, REB, COP, JUD, LEG, PTY, SPY, MED, CVL, BUS, ...
    name: str | None = None  # canonical entity name ("Jake Sullivan", "Iraq")
    kind: str = "mention"  # mention | pronoun | coref
    antecedent: tuple[int, int] | None = None  # (start, end) of the mention it refers to
    how: str = ""  # how the code was found: kb, demonym, role, coref, context
    # (start, end) of the argument phrase the actor fills in its event: the whole noun phrase of the subject
    # or object ("at least 75 displaced people in eastern Syria", "the Croatian government's request"),
    # when it is longer than the mention; set per event by the events stage (events.argument_phrases)
    phrase: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"text": self.text, "code": self.code, "sector": self.sector, "start": self.start, "end": self.end}
        if self.name:
            d["name"] = self.name
        if self.how:
            d["how"] = self.how
        if self.phrase:
            d["phrase"] = {"start": self.phrase[0], "end": self.phrase[1]}
        return d


#: casus uses CAMEO's sector names; PLOVER renamed two of them (PLOVER manual, sector code note 4): the news
#: media are PLOVER's ``JRN`` (casus and CAMEO ``MED``), health is PLOVER's ``MED`` (casus and CAMEO ``HLH``)
TO_PLOVER_SECTOR = {"MED": "JRN", "HLH": "MED"}
FROM_PLOVER_SECTOR = {v: k for k, v in TO_PLOVER_SECTOR.items()}


def plover_sector(sector: str | None) -> str | None:
    """A casus sector as PLOVER writes it (``MED`` -> ``JRN``, ``HLH`` -> ``MED``; others unchanged)."""
    return TO_PLOVER_SECTOR.get(sector, sector) if sector else sector


def casus_sector(sector: str | None) -> str | None:
    """A PLOVER sector as casus writes it (``JRN`` -> ``MED``, ``MED`` -> ``HLH``; others unchanged)."""
    return FROM_PLOVER_SECTOR.get(sector, sector) if sector else sector


@dataclass
class Source:
    """One link of an attribution chain (outermost first)."""

    text: str
    kind: str  # outlet | named_official | unnamed_officials | document | intelligence | spokesperson | media
    start: int | None = None
    end: int | None = None
    # a later short mention ("Miller said") -> the full one made earlier ({"text", "start", "end"})
    refers_to: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    """One coded event: a superset of the PLOVER JSON record."""

    doc_id: str
    event: str  # one of the 16 PLOVER types
    event_text: Span
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    modality: str = "asserted"
    attribution: list[Source] = field(default_factory=list)
    date: str | None = None
    date_granularity: str | None = None  # day | week | month | year
    date_text: Span | None = None
    date_inferred: bool = False  # True: no date expression, took the report's date
    cameo: str | None = None
    quad_class: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float | None = None
    intensity: float | None = None  # PLOVER score for type/mode
    event_loc: dict[str, Any] | None = None
    confidence: float = 0.5
    sentence: int = 0  # 0-based sentence index in the document
    links: dict[str, list[str]] = field(default_factory=dict)
    typed_by: str | None = None  # "rules", "rules+model" or "model" (casus.events.typer)
    acled: str | None = None  # ACLED-style sub-event type, when the typer gives one
    id: str = ""

    def compute_id(self) -> str:
        """Content hash of what makes the event: document, type, trigger span and role spans."""
        self.id = content_hash(
            self.doc_id,
            self.event,
            self.event_text.start,
            self.event_text.end,
            [(a.start, a.end, a.code) for a in self.actor],
            [(a.start, a.end, a.code) for a in self.recipient],
        )
        return self.id

    def to_dict(self) -> dict[str, Any]:
        if not self.id:
            self.compute_id()
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "date": self.date,
            "date_granularity": self.date_granularity,
            "date_text": self.date_text.to_dict() if self.date_text else None,
            "date_inferred": self.date_inferred,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "actor": [a.to_dict() for a in self.actor],
            "recipient": [a.to_dict() for a in self.recipient],
            "event_text": self.event_text.to_dict(),
            "modality": self.modality,
            "attribution": [s.to_dict() for s in self.attribution],
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "intensity": self.intensity,
            "event_loc": self.event_loc,
            "confidence": round(self.confidence, 3),
            "sentence": self.sentence,
            "links": self.links,
            "typed_by": self.typed_by,
            "acled": self.acled,
        }
