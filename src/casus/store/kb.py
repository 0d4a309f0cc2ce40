"""The actor KB in DuckDB, next to the events: import, look up, extend the built-in KB.

Contract
--------
``import_paths(db, paths, fmt)`` reads dictionary files (``fmt="phoenix"``: PETRARCH/
Phoenix actor, agent and discard files, see :mod:`casus.actors.phoenix`;
``fmt="casus"``: the KB TSV files of ``casus/actors/data/README.md``) and adds their
rows to the KB tables of the DuckDB file ``db`` (the same file ``casus ingest``
writes; its event tables are created as usual and left alone). ``import_builtin(db)``
stores the built-in KB too (source ``casus-builtin``), for SQL over the whole KB.

Importing is idempotent: a row's id is a hash of its content (form, kind, code,
sector, name, role, country, dates, source), so importing the same dictionary twice
adds nothing. Malformed lines and rows are skipped with numbered warnings (``W050``
for dictionary lines, ``W051`` for TSV rows); an unreadable file raises
``E050``/``E051``; DuckDB failures raise ``E030``.

``load_rows(db)`` returns the stored rows (:class:`casus.actors.phoenix.KBRow`);
``extend_kb(base, rows)`` returns a new :class:`casus.actors.kb.KB` with them added
(the actor stage does this when ``[actors] kb_db`` is set or ``--db`` is given);
``lookup(text, date, db)`` answers what a surface form resolves to on a date;
``stats(db)`` counts rows by source and kind.

Tables
------
``kb_entries``
    ``id VARCHAR PRIMARY KEY, form VARCHAR, form_key VARCHAR (lower(form)),
    kind VARCHAR (country | adjective | capital | org | person | role | discard),
    code VARCHAR, sector VARCHAR, name VARCHAR, role VARCHAR, country VARCHAR,
    valid_from DATE, valid_to DATE, source VARCHAR ('casus-builtin' | 'phoenix' |
    'user' | any name given), origin VARCHAR (file:line), import_id VARCHAR,
    added_at TIMESTAMP``. ``valid_from``/``valid_to`` are inclusive; NULL is open.
    ``role`` is the office of a person, ``person``/``group`` for a role noun, and
    ``story``/``sentence`` for a discard phrase.
``kb_imports``
    one row per import: ``id, path, format, source, sha256, n_rows, n_added,
    n_warnings, seconds, imported_at``.

Merging into the resolver's KB (``extend_kb``)
----------------------------------------------
* Built-in forms win: a ``phoenix`` row whose surface form the built-in KB already
  has is left out (the built-in people table is newer than the 2014 dictionaries);
  ``user`` rows are always added, as ``kb_extra`` files are. Role nouns: built-in
  terms win over ``phoenix`` ones; ``user`` ones replace them.
* Dictionary forms are upper case: a one-word form of up to five letters is matched
  as written (``ETA``, ``USAID``) and capitalised (``Herat``); longer forms are
  matched case-insensitively (names must still start with a capital letter).
* ``policy="all"`` (default) loads every actor row; ``policy="multiword"`` leaves out
  one-word ``org``/``country`` forms (``SENATE`` as the U.S. Congress), keeping people,
  role nouns and multi-word names.
* Discard phrases are stored but not used by the pipeline.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb

from casus.actors import phoenix
from casus.actors.kb import BUILTIN_FILES, DATA, KB, SECTORS, Entry, Role, _rows, _split
from casus.actors.phoenix import KBRow
from casus.errors import CasusError

__all__ = [
    "KB_TABLES", "ImportResult", "import_paths", "import_builtin", "read_casus_tsv", "builtin_rows",
    "load_rows", "extend_kb", "kb_from_db", "lookup", "stats", "has_kb", "db_stamp",
]

KB_TABLES = ("kb_entries", "kb_imports")
BUILTIN = "casus-builtin"
USER = "user"

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS kb_entries (
        id VARCHAR PRIMARY KEY,
        form VARCHAR NOT NULL,
        form_key VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        code VARCHAR,
        sector VARCHAR,
        name VARCHAR,
        role VARCHAR,
        country VARCHAR,
        valid_from DATE,
        valid_to DATE,
        source VARCHAR NOT NULL,
        origin VARCHAR,
        import_id VARCHAR,
        added_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS kb_imports (
        id VARCHAR,
        path VARCHAR,
        format VARCHAR,
        source VARCHAR,
        sha256 VARCHAR,
        n_rows INTEGER,
        n_added INTEGER,
        n_warnings INTEGER,
        seconds DOUBLE,
        imported_at TIMESTAMP
    )""",
]
_COLS = ("id", "form", "form_key", "kind", "code", "sector", "name", "role", "country", "valid_from",
         "valid_to", "source", "origin", "import_id", "added_at")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass
class ImportResult:
    path: str
    format: str
    source: str
    n_rows: int = 0
    n_added: int = 0
    warnings: list[CasusError] = field(default_factory=list)
    seconds: float = 0.0  # parse + convert
    db_seconds: float = 0.0  # DuckDB insert
    counts: Counter = field(default_factory=Counter)


# --------------------------------------------------------------------------- plumbing
def _row_id(r: KBRow) -> str:
    return hashlib.sha1(json.dumps(r.key(), ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


def _connect(db: str | Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        if read_only and "different configuration" in str(exc):
            # this process already holds the file read-write (e.g. a Store): share that instance
            try:
                return duckdb.connect(str(db))
            except duckdb.Error as exc2:
                raise CasusError("E030", where=str(db), detail=f"open: {exc2}") from exc2
        raise CasusError("E030", where=str(db), detail=f"open: {exc}") from exc


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def has_kb(db: str | Path) -> bool:
    """True when ``db`` exists and holds imported KB rows."""
    if str(db) == ":memory:" or not Path(db).exists():
        return False
    con = _connect(db, read_only=True)
    try:
        if "kb_entries" not in _tables(con):
            return False
        return bool(con.execute("SELECT count(*) FROM kb_entries WHERE source <> ? AND kind <> 'discard'",
                                [BUILTIN]).fetchone()[0])
    finally:
        con.close()


def db_stamp(db: str | Path) -> tuple[str, float, int]:
    """A cache key that changes when the file changes (path, mtime, size)."""
    p = Path(db).resolve()
    st = p.stat()
    return (str(p), st.st_mtime, st.st_size)


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in _SCHEMA:
        con.execute(ddl)


def _insert(con: duckdb.DuckDBPyConnection, rows: list[KBRow], import_id: str) -> int:
    """Insert rows (duplicates ignored); returns how many were new. Bulk-loaded through a JSONL file."""
    if not rows:
        return 0
    now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    before = con.execute("SELECT count(*) FROM kb_entries").fetchone()[0]
    fd, tmp = tempfile.mkstemp(suffix=".jsonl", prefix="casus-kb-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({
                    "id": _row_id(r), "form": r.form, "form_key": r.form.lower(), "kind": r.kind,
                    "code": r.code, "sector": r.sector, "name": r.name, "role": r.role, "country": r.country,
                    "valid_from": r.valid_from, "valid_to": r.valid_to, "source": r.source,
                    "origin": r.origin, "import_id": import_id, "added_at": now,
                }, ensure_ascii=False) + "\n")
        types = {c: "VARCHAR" for c in _COLS}
        types.update(valid_from="DATE", valid_to="DATE", added_at="TIMESTAMP")
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
        path = tmp.replace("'", "''")
        con.execute(
            f"INSERT OR IGNORE INTO kb_entries ({', '.join(_COLS)}) "
            f"SELECT DISTINCT ON (id) {', '.join(_COLS)} FROM read_json('{path}', "
            f"format = 'newline_delimited', columns = {spec})")
    finally:
        os.unlink(tmp)
    return con.execute("SELECT count(*) FROM kb_entries").fetchone()[0] - before


def _store(db: str | Path, results: list[tuple[ImportResult, list[KBRow], str]]) -> None:
    from casus.store import Store  # the event tables come with the file, as for `casus ingest`

    with Store(db) as st:
        con = st.con
        try:
            con.begin()
            _ensure_schema(con)
            for res, rows, sha in results:
                t0 = time.perf_counter()
                import_id = hashlib.sha1(f"{sha}|{res.format}|{res.source}".encode()).hexdigest()[:16]
                res.n_added = _insert(con, rows, import_id)
                res.db_seconds = time.perf_counter() - t0
                con.execute(
                    "INSERT INTO kb_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, res.path, res.format, res.source, sha, res.n_rows, res.n_added,
                     len(res.warnings), res.seconds + res.db_seconds,
                     _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)])
            con.commit()
        except duckdb.Error as exc:
            con.rollback()
            raise CasusError("E030", where=str(db), detail=f"kb import: {exc}") from exc


# --------------------------------------------------------------------------- casus TSV
def _check(cond: bool, problems: list[str], msg: str) -> None:
    if not cond:
        problems.append(msg)


def read_casus_tsv(path: str | Path, source: str = USER) -> tuple[list[KBRow], list[CasusError]]:
    """Rows of a KB file in the casus TSV format (kind recognised from the header, as ``KB.add_file``)."""
    p = Path(path)
    if not p.exists():
        raise CasusError("E008", where=str(p))
    try:
        rows = _rows(p)
    except UnicodeDecodeError as exc:
        raise CasusError("E051", where=str(p), detail=f"not valid UTF-8 ({exc})") from exc
    except OSError as exc:
        raise CasusError("E012", where=str(p), detail=str(exc)) from exc
    if not rows:
        with p.open(encoding="utf-8") as fh:
            header = fh.readline()
        if "\t" not in header:
            raise CasusError("E051", where=str(p), detail="no tab-separated header line")
        return [], []
    cols = set(rows[0])
    where = p.name
    out: list[KBRow] = []
    warnings: list[CasusError] = []
    if {"code", "adjectives"} <= cols:
        kind = "countries"
    elif {"term", "sector"} <= cols:
        kind = "roles"
    elif {"role", "start"} <= cols:
        kind = "people"
    elif {"name", "code", "sector"} <= cols:
        kind = "organizations"
    else:
        raise CasusError("E051", where=str(p), detail=f"unknown header columns {sorted(cols)}; "
                         "see casus/actors/data/README.md")
    for n, r in enumerate(rows, 2):
        problems: list[str] = []
        origin = f"{where}:{n}"
        if kind == "countries":
            _check(bool(_CODE.match(r.get("code", ""))), problems, f"code '{r.get('code')}' is not 3 capital letters")
            _check(bool(r.get("name")), problems, "empty name")
            if not problems:
                code, name = r["code"], r["name"]
                for form in [name, *_split(r.get("aliases", ""))]:
                    out.append(KBRow(form, "country", code, None, name, source=source, origin=origin))
                for form in _split(r.get("adjectives", "")):
                    out.append(KBRow(form, "adjective", code, None, name, source=source, origin=origin))
                for form in _split(r.get("capitals", "")):
                    out.append(KBRow(form, "capital", code, "GOV", name, source=source, origin=origin))
        elif kind == "roles":
            term = (r.get("term") or "").lower()
            _check(bool(term), problems, "empty term")
            _check(r.get("sector") in SECTORS, problems, f"sector '{r.get('sector')}' is not a casus sector")
            _check((r.get("kind") or "group") in ("person", "group"), problems,
                   f"kind '{r.get('kind')}' is not person or group")
            if not problems:
                out.append(KBRow(term, "role", None, r["sector"], term, role=r.get("kind") or "group",
                                 source=source, origin=origin))
        else:
            _check(bool(r.get("name")), problems, "empty name")
            _check(bool(_CODE.match(r.get("code", ""))), problems, f"code '{r.get('code')}' is not 3 capital letters")
            sector = r.get("sector") or None
            _check(sector is None or sector in SECTORS, problems, f"sector '{sector}' is not a casus sector")
            if kind == "people":
                for col in ("start", "end"):
                    v = r.get(col) or ""
                    _check(not v or bool(_ISO.match(v)), problems, f"{col} '{v}' is not YYYY-MM-DD")
                    if v and _ISO.match(v):
                        try:
                            _dt.date.fromisoformat(v)
                        except ValueError:
                            problems.append(f"{col} '{v}' is not a date")
            if not problems:
                for form in [r["name"], *_split(r.get("aliases", ""))]:
                    if kind == "people":
                        out.append(KBRow(form, "person", r["code"], sector, r["name"], r.get("start") or None,
                                         r.get("end") or None, r.get("role") or None, None, source, origin))
                    else:
                        out.append(KBRow(form, "org", r["code"], sector, r["name"], country=r.get("country") or None,
                                         source=source, origin=origin))
        for msg in problems:
            warnings.append(CasusError("W051", where=str(p), line=n, detail=msg))
    return out, warnings


def builtin_rows() -> list[KBRow]:
    rows: list[KBRow] = []
    for f in BUILTIN_FILES:
        r, _ = read_casus_tsv(DATA / f, BUILTIN)
        rows.extend(r)
    return rows


# --------------------------------------------------------------------------- import
def import_paths(db: str | Path, paths: Iterable[str | Path], fmt: str = "phoenix",
                 source: str | None = None) -> list[ImportResult]:
    """Import dictionary files into the KB tables of ``db``; one :class:`ImportResult` per file."""
    paths = list(paths)
    if fmt not in ("phoenix", "casus"):
        raise CasusError("E050", where=", ".join(map(str, paths)), detail=f"--format must be phoenix or casus, not '{fmt}'")
    src = source or ("phoenix" if fmt == "phoenix" else USER)
    todo: list[tuple[ImportResult, list[KBRow], str]] = []
    for path in paths:
        t0 = time.perf_counter()
        res = ImportResult(str(path), fmt, src)
        if fmt == "phoenix":
            parsed = phoenix.parse_file(path)
            rows, res.counts = phoenix.to_rows(parsed, src)
            res.warnings = parsed.warnings
            sha = parsed.sha256
        else:
            rows, res.warnings = read_casus_tsv(path, src)
            res.counts = Counter(r.kind for r in rows)
            sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        res.n_rows = len(rows)
        res.seconds = time.perf_counter() - t0
        todo.append((res, rows, sha))
    _store(db, todo)
    return [t[0] for t in todo]


def import_builtin(db: str | Path) -> ImportResult:
    t0 = time.perf_counter()
    rows = builtin_rows()
    res = ImportResult(str(DATA), "casus", BUILTIN, n_rows=len(rows), counts=Counter(r.kind for r in rows))
    res.seconds = time.perf_counter() - t0
    sha = hashlib.sha256("".join(sorted(_row_id(r) for r in rows)).encode()).hexdigest()
    _store(db, [(res, rows, sha)])
    return res


# --------------------------------------------------------------------------- reading
def load_rows(db: str | Path, *, form: str | None = None, include_builtin: bool = False,
              kinds: tuple[str, ...] | None = None) -> list[KBRow]:
    """Stored rows (all, or those of one surface form, case-insensitive), in import order."""
    if not Path(db).exists():
        raise CasusError("E008", where=str(db))
    con = _connect(db, read_only=True)
    try:
        if "kb_entries" not in _tables(con):
            return []
        where, params = [], []
        if not include_builtin:
            where.append("source <> ?")
            params.append(BUILTIN)
        if form is not None:
            where.append("form_key = ?")
            params.append(" ".join(form.split()).lower())
        if kinds:
            where.append(f"kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        sql = ("SELECT form, kind, code, sector, name, CAST(valid_from AS VARCHAR), CAST(valid_to AS VARCHAR), "
               "role, country, source, origin FROM kb_entries")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY added_at, origin, id"
        try:
            rows = con.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise CasusError("E030", where=str(db), detail=f"kb read: {exc}") from exc
    finally:
        con.close()
    return [KBRow(f, k, c, s, n or "", a, b, r, co, so, o) for f, k, c, s, n, a, b, r, co, so, o in rows]


def _forms(row: KBRow) -> list[str]:
    """Surface forms to match for a stored row (see 'Merging' above)."""
    if row.source != phoenix.SOURCE:
        return [row.form]
    f = row.form
    if " " not in f and len(f.replace(".", "")) <= 5 and f.isupper():
        return [f, f[:1] + f[1:].lower()]  # "ETA" as written; "Herat" capitalised
    return [f]


def extend_kb(base: KB, rows: Iterable[KBRow], policy: str = "all",
              used: dict[int, KBRow] | None = None) -> KB:
    """A new KB: ``base`` plus the stored rows (``base`` itself is not changed).

    ``used``: when given, filled with ``id(entry) -> row`` for every entry made from a row.
    """
    if policy not in ("all", "multiword"):
        raise ValueError("policy must be 'all' or 'multiword'")
    kb = KB(list(base.entries), dict(base.roles), dict(base.countries))
    known = {e.form.lower() for e in base.entries}
    for r in rows:
        if r.source == BUILTIN or r.kind == "discard":
            continue
        if r.kind == "role":
            term = " ".join(r.form.lower().split())
            if r.sector and (r.source == USER or term not in base.roles):
                kb.roles[term] = Role(term, r.sector, r.role or "group")
            continue
        if r.source != USER and r.form.lower() in known:
            continue  # built-in forms win
        if policy == "multiword" and r.kind in ("org", "country") and " " not in r.form:
            continue
        for form in _forms(r):
            kb.entries.append(Entry(form, r.kind, r.code, r.sector, r.name or r.form, r.role if r.kind == "person" else None,
                                    r.valid_from, r.valid_to, r.country))
            if used is not None:
                used[id(kb.entries[-1])] = r
        if r.kind == "country" and r.code and r.code not in kb.countries:
            kb.countries[r.code] = r.name
    return kb


def kb_from_db(db: str | Path, extra: tuple[str, ...] = (), policy: str = "all") -> KB:
    from casus.actors.kb import default_kb

    kinds = ("country", "adjective", "capital", "org", "person", "role")
    return extend_kb(default_kb(tuple(extra)), load_rows(db, kinds=kinds), policy)


# --------------------------------------------------------------------------- lookup / stats
def lookup(text: str, date: str | None = None, db: str | Path | None = None,
           policy: str = "all") -> dict[str, Any]:
    """What ``text`` resolves to on ``date``: ``{"form", "date", "candidates", "chosen"}``.

    ``candidates``: every KB row for the form (built-in and from ``db``) with
    ``valid`` on the date; ``chosen``: the row the actor stage would use (or None).
    """
    from casus.actors.kb import default_kb

    if date is not None and not _ISO.match(date):
        raise CasusError("E007", where="casus kb lookup --date", value=date)
    form = " ".join(text.split())
    base = default_kb()
    stored = load_rows(db, form=form) if db is not None and Path(db).exists() else []
    used: dict[int, KBRow] = {}
    kb = extend_kb(base, stored, policy, used)
    key = form.lower()
    entries = [e for e in kb.entries if e.form.lower() == key]
    cands = []
    for e in entries:
        row = used.get(id(e))
        cands.append({"form": e.form, "kind": e.kind, "code": e.code, "sector": e.sector, "name": e.name,
                      "valid_from": e.start, "valid_to": e.end, "valid": _in_range(e, date),
                      "source": row.source if row else BUILTIN, "used": True})
    made = {id(r) for r in used.values()}
    for r in stored:  # rows the merge left out (a built-in form wins over a dictionary's)
        if id(r) not in made and r.kind not in ("role", "discard"):
            e = Entry(r.form, r.kind, r.code, r.sector, r.name, None, r.valid_from, r.valid_to)
            cands.append({"form": r.form, "kind": r.kind, "code": r.code, "sector": r.sector, "name": r.name,
                          "valid_from": r.valid_from, "valid_to": r.valid_to, "valid": _in_range(e, date),
                          "source": r.source, "used": False})
    chosen = choose(entries, date)
    role = kb.role(key)
    out: dict[str, Any] = {"form": form, "date": date, "candidates": cands, "chosen": None, "role": None}
    if chosen is not None:
        out["chosen"] = {"code": chosen.code, "sector": chosen.sector, "name": chosen.name, "kind": chosen.kind,
                         "valid_from": chosen.start, "valid_to": chosen.end}
    if role is not None:
        out["role"] = {"term": role.term, "sector": role.sector, "kind": role.kind}
    return out


def _in_range(e: Entry, date: str | None) -> bool:
    if date is None:
        return True
    return not ((e.start and date < e.start) or (e.end and date > e.end))


def choose(entries: list[Entry], date: str | None) -> Entry | None:
    """The entry the actor stage picks among those of one surface form (see ``ActorResolver._choose``)."""
    from casus.actors.kb import pick_person

    people = [e for e in entries if e.kind == "person"]
    if people:
        return pick_person(people, date)
    dated = [e for e in entries if _in_range(e, date)] or entries
    for kind in ("org", "country", "capital", "adjective"):
        for e in dated:
            if e.kind == kind:
                return e
    return dated[0] if dated else None


def stats(db: str | Path) -> dict[str, Any]:
    """Row counts by source and kind, date-restricted rows, distinct forms, and the import log."""
    if not Path(db).exists():
        raise CasusError("E008", where=str(db))
    con = _connect(db, read_only=True)
    try:
        if "kb_entries" not in _tables(con):
            raise CasusError("E052", where=str(db), detail="it has no KB tables")
        by = con.execute("SELECT source, kind, count(*), count(valid_from) + count(valid_to) > 0, "
                         "count(*) FILTER (WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL), "
                         "count(DISTINCT form_key) FROM kb_entries GROUP BY ALL ORDER BY 1, 2").fetchall()
        total = con.execute("SELECT count(*), count(DISTINCT form_key) FROM kb_entries").fetchone()
        imports = con.execute("SELECT path, format, source, n_rows, n_added, n_warnings, round(seconds, 3), "
                              "imported_at FROM kb_imports ORDER BY imported_at").fetchall()
    finally:
        con.close()
    return {
        "entries": int(total[0]),
        "forms": int(total[1]),
        "by_source_kind": [{"source": s, "kind": k, "rows": int(n), "dated": int(d), "forms": int(f)}
                           for s, k, n, _, d, f in by],
        "imports": [{"path": p, "format": fm, "source": s, "rows": n, "added": a, "warnings": w, "seconds": sec,
                     "at": str(at)} for p, fm, s, n, a, w, sec, at in imports],
    }
