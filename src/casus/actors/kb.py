"""The actor knowledge base: countries, organisations, people (date-aware) and role nouns.

Contract
--------
``KB.load(extra=[...])`` reads the project's own TSV files in ``casus/actors/data``
(see the README there for columns) plus any user files with the same columns, and
answers lookups:

* ``entries`` : list of :class:`Entry` (one per surface form) used to build the
  phrase matcher of the actor stage;
* ``role(term)`` : PLOVER sector and kind for a role noun ("prime minister" -> GOV, person);
* ``resolve_person(entry_ids, date)`` : choose among a person's office-holding rows
  the one valid on the event date.

Nothing here touches spaCy: the KB is plain data so it can be imported, stored in
DuckDB and tested on its own.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

SECTORS = {
    "GOV", "MIL", "REB", "COP", "JUD", "LEG", "PTY", "SPY", "MED", "CVL", "BUS", "OPP", "NGO",
    "IGO", "EDU", "REL", "HLH", "REF", "LAB", "UAF", "ELI", "AGR", "ENV", "CRM",
}


@dataclass
class Entry:
    """One surface form that names an actor or a place."""

    form: str  # surface text as written in the KB ("U.S.", "Iraqi", "IRGC")
    kind: str  # country | adjective | capital | org | person
    code: str  # ISO-3 / IGO / IMG / NGO ...
    sector: str | None = None
    name: str = ""  # canonical name
    role: str | None = None
    start: str | None = None  # ISO date the office began (people)
    end: str | None = None  # ISO date the office ended (people); None = still held
    country: str | None = None  # home country of an IGO-coded org, when any


@dataclass
class Role:
    term: str
    sector: str
    kind: str  # person | group


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {k: (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


#: the KB files shipped with casus (casus/actors/data, format in its README): current bodies and office
#: holders, then the historical tables (armed groups, parties, agencies and outlets since 1960; heads of
#: state and government and other office holders since 1946)
BUILTIN_FILES = ("countries.tsv", "organizations.tsv", "groups.tsv", "people.tsv", "leaders.tsv", "roles.tsv")


@dataclass
class KB:
    entries: list[Entry] = field(default_factory=list)
    roles: dict[str, Role] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # code -> name

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, extra: tuple[str | Path, ...] = ()) -> "KB":
        kb = cls()
        for name in BUILTIN_FILES:
            kb.add_file(DATA / name)
        for path in extra:
            kb.add_file(Path(path))
        return kb

    def add_file(self, path: Path) -> None:
        """Add a KB file; its kind is recognised from its header columns."""
        rows = _rows(path)
        if not rows:
            return
        cols = set(rows[0])
        if {"code", "adjectives"} <= cols:
            for r in rows:
                self.add_country(r["code"], r["name"], _split(r.get("aliases", "")),
                                 _split(r.get("adjectives", "")), _split(r.get("capitals", "")))
        elif {"term", "sector"} <= cols:
            for r in rows:
                self.roles[r["term"].lower()] = Role(r["term"].lower(), r["sector"], r.get("kind") or "group")
        elif {"role", "start"} <= cols:
            for r in rows:
                for form in [r["name"], *_split(r.get("aliases", ""))]:
                    self.entries.append(Entry(form, "person", r["code"], r.get("sector") or None, r["name"],
                                              r.get("role") or None, r.get("start") or None, r.get("end") or None))
        elif {"name", "code", "sector"} <= cols:
            for r in rows:
                for form in [r["name"], *_split(r.get("aliases", ""))]:
                    self.entries.append(Entry(form, "org", r["code"], r.get("sector") or None, r["name"],
                                              country=r.get("country") or None))
        else:
            raise ValueError(f"{path}: unknown KB file columns {sorted(cols)}")

    def add_country(self, code: str, name: str, aliases: list[str], adjectives: list[str],
                    capitals: list[str]) -> None:
        self.countries[code] = name
        for form in [name, *aliases]:
            self.entries.append(Entry(form, "country", code, None, name))
        for form in adjectives:
            self.entries.append(Entry(form, "adjective", code, None, name))
        for form in capitals:
            self.entries.append(Entry(form, "capital", code, "GOV", name))

    # ------------------------------------------------------------------ lookups
    def role(self, term: str) -> Role | None:
        return self.roles.get(term.lower())

    @staticmethod
    def valid_on(entry: Entry, date: str | None) -> bool:
        if date is None or entry.kind != "person":
            return True
        if entry.start and date < entry.start:
            return False
        if entry.end and date > entry.end:
            return False
        return True


def pick_person(candidates: list[Entry], date: str | None) -> Entry | None:
    """The office-holding row valid on ``date``; else the latest one (a person keeps a nationality)."""
    if not candidates:
        return None
    valid = [e for e in candidates if KB.valid_on(e, date)]
    if valid:
        # latest start wins; on a tie a bounded row beats an open one (Phoenix "[X <DATE]" vs default "[X]")
        return max(valid, key=lambda e: (e.start or "", e.end is not None))
    best = max(candidates, key=lambda e: e.start or "")
    # Out of office: keep the country, drop the sector claim that depended on the office.
    return Entry(best.form, best.kind, best.code, None, best.name, best.role, best.start, best.end)


@lru_cache(maxsize=4)
def default_kb(extra: tuple[str, ...] = ()) -> KB:
    return KB.load(extra)
