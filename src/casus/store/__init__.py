"""Store stage: persist coded documents and events in a DuckDB file.

Contract
--------
input   : a :class:`~casus.records.Document` and its ``list[Event]`` (``Store.add``),
          or a :class:`~casus.records.Problem` for an input that was skipped
          (``Store.add_problem``).
output  : rows in a DuckDB database file (default ``casus.duckdb``).
queries : ``Store.events(...)`` returns plain ``dict`` objects shaped exactly like
          ``Event.to_dict()`` (JSON columns parsed back); ``Store.documents()``,
          ``Store.problems()`` and ``Store.counts()`` return plain lists of dicts / a
          dict. No pandas anywhere.

Guarantees
----------
* One transaction per document: the document row, its event rows and its actor rows
  are committed together or not at all, so a crash or kill in the middle of ``add``
  never leaves a half-written document behind.
* Idempotent ingest: a document whose ``content_id`` (hash of its text) is already
  stored is skipped and ``add`` returns ``False``.
* Event ids are content hashes (``Event.compute_id``); should two events ever share an
  id the second is ignored (``INSERT OR IGNORE``).
* Every DuckDB failure is raised as ``CasusError("E030", where=<db path>, detail=...)``.

Schema (version :data:`SCHEMA_VERSION`, recorded in ``meta``)
-------------------------------------------------------------
``meta(key VARCHAR PRIMARY KEY, value VARCHAR)``
    ``schema_version`` -> ``"1"``.

``documents``
    ``id VARCHAR, content_id VARCHAR PRIMARY KEY, published DATE, url VARCHAR,
    source VARCHAR, title VARCHAR, origin VARCHAR, language VARCHAR, text VARCHAR,
    n_events INTEGER, ingested_at TIMESTAMP`` (UTC).

``events``
    ``id VARCHAR PRIMARY KEY, doc_id VARCHAR, content_id VARCHAR, date DATE,
    date_granularity VARCHAR, date_inferred BOOLEAN, event VARCHAR, mode VARCHAR,
    context JSON, modality VARCHAR, cameo VARCHAR, quad_class INTEGER,
    goldstein DOUBLE, intensity DOUBLE, confidence DOUBLE, sentence INTEGER,
    trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER, actor JSON,
    recipient JSON, attribution JSON, event_loc JSON, date_text JSON, links JSON,
    record JSON``.
    ``record`` holds the full ``Event.to_dict()`` so nothing is lost; the other
    columns are flat copies for querying. ``date`` is the event date as a DATE
    (partial dates ``YYYY`` / ``YYYY-MM`` are stored as their first day; the exact
    string stays in ``record``).

``event_actors``
    ``event_id VARCHAR, role VARCHAR ('actor' | 'recipient'), idx INTEGER,
    text VARCHAR, code VARCHAR, sector VARCHAR, name VARCHAR, start INTEGER,
    "end" INTEGER``, primary key ``(event_id, role, idx)``. One row per actor or
    recipient of an event, for joins and dyad queries.

``problems``
    ``origin VARCHAR, code VARCHAR, message VARCHAR, run_id VARCHAR,
    logged_at TIMESTAMP`` (UTC): the log of skipped inputs.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb

from casus.errors import CasusError
from casus.records import Document, Event, Problem

__all__ = ["Store", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS documents (
        id VARCHAR,
        content_id VARCHAR PRIMARY KEY,
        published DATE,
        url VARCHAR,
        source VARCHAR,
        title VARCHAR,
        origin VARCHAR,
        language VARCHAR,
        text VARCHAR,
        n_events INTEGER,
        ingested_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS events (
        id VARCHAR PRIMARY KEY,
        doc_id VARCHAR,
        content_id VARCHAR,
        date DATE,
        date_granularity VARCHAR,
        date_inferred BOOLEAN,
        event VARCHAR,
        mode VARCHAR,
        context JSON,
        modality VARCHAR,
        cameo VARCHAR,
        quad_class INTEGER,
        goldstein DOUBLE,
        intensity DOUBLE,
        confidence DOUBLE,
        sentence INTEGER,
        trigger_text VARCHAR,
        trigger_start INTEGER,
        trigger_end INTEGER,
        actor JSON,
        recipient JSON,
        attribution JSON,
        event_loc JSON,
        date_text JSON,
        links JSON,
        record JSON
    )""",
    """CREATE TABLE IF NOT EXISTS event_actors (
        event_id VARCHAR,
        role VARCHAR,
        idx INTEGER,
        text VARCHAR,
        code VARCHAR,
        sector VARCHAR,
        name VARCHAR,
        start INTEGER,
        "end" INTEGER,
        PRIMARY KEY (event_id, role, idx)
    )""",
    """CREATE TABLE IF NOT EXISTS problems (
        origin VARCHAR,
        code VARCHAR,
        message VARCHAR,
        run_id VARCHAR,
        logged_at TIMESTAMP
    )""",
]

_EVENT_COLUMNS = (
    "id", "doc_id", "content_id", "date", "date_granularity", "date_inferred", "event",
    "mode", "context", "modality", "cameo", "quad_class", "goldstein", "intensity",
    "confidence", "sentence", "trigger_text", "trigger_start", "trigger_end", "actor",
    "recipient", "attribution", "event_loc", "date_text", "links", "record",
)
_FLAT_COLUMNS = tuple(c for c in _EVENT_COLUMNS if c != "record")

_DOC_COLUMNS = (
    "id", "content_id", "published", "url", "source", "title", "origin", "language",
    "text", "n_events", "ingested_at",
)

_ORDER = "e.date ASC NULLS LAST, e.doc_id, e.sentence, e.trigger_start, e.id"

_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _parse_date(value: str | None) -> tuple[_dt.date, str] | None:
    """``(first day, granularity)`` of an ISO date or partial date; ``None`` if unparseable."""
    if not value:
        return None
    m = _DATE_RE.match(str(value))
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        d = _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return d, ("day" if day else "month" if month else "year")


def _as_date(value: str | None) -> _dt.date | None:
    parsed = _parse_date(value)
    return parsed[0] if parsed else None


def _end_exclusive(value: str) -> _dt.date | None:
    """First day after the period named by ``value`` ("2024" -> 2025-01-01)."""
    parsed = _parse_date(value)
    if not parsed:
        return None
    d, gran = parsed
    if gran == "day":
        return d + _dt.timedelta(days=1)
    if gran == "month":
        return _dt.date(d.year + 1, 1, 1) if d.month == 12 else _dt.date(d.year, d.month + 1, 1)
    return _dt.date(d.year + 1, 1, 1)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def _plain(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


class Store:
    """A DuckDB-backed store of coded documents, events and skipped-input problems."""

    def __init__(self, path: str | Path = "casus.duckdb", read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._db("open"):
            self._con = duckdb.connect(self.path, read_only=read_only)
        try:
            self._init_schema()
        except BaseException:
            self.close()
            raise

    # -- plumbing -----------------------------------------------------------

    @contextmanager
    def _db(self, what: str) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as exc:
            raise CasusError("E030", where=self.path, detail=f"{what}: {exc}") from exc

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise CasusError("E030", where=self.path, detail="the store is closed")
        return self._con

    def _init_schema(self) -> None:
        con = self.con
        with self._db("schema"):
            if self.read_only:
                tables = {r[0] for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                ).fetchall()}
                missing = {"meta", "documents", "events", "event_actors", "problems"} - tables
                if missing:
                    raise CasusError(
                        "E030", where=self.path,
                        detail=f"not a casus database (missing tables: {', '.join(sorted(missing))})",
                    )
            else:
                con.begin()
                try:
                    for ddl in _SCHEMA:
                        con.execute(ddl)
                    con.execute(
                        "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
                    )
                    con.commit()
                except BaseException:
                    con.rollback()
                    raise
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else None
        if version is None or version > SCHEMA_VERSION:
            raise CasusError(
                "E030", where=self.path,
                detail=f"schema version {row[0] if row else None!r} is not supported "
                f"(this casus writes version {SCHEMA_VERSION}); use a newer casus or a new file",
            )
        self.schema_version = version

    # -- writing ------------------------------------------------------------

    def has_document(self, content_id: str) -> bool:
        """True when a document with this ``content_id`` (hash of its text) is stored."""
        with self._db("has_document"):
            row = self.con.execute(
                "SELECT 1 FROM documents WHERE content_id = ? LIMIT 1", [content_id]
            ).fetchone()
        return row is not None

    def add(self, doc: Document, events: list[Event]) -> bool:
        """Store a document and its events in one transaction.

        Returns ``False`` (and adds nothing) when the same text is already stored.
        Any failure rolls the whole document back and is re-raised (DuckDB errors as
        ``CasusError`` E030).
        """
        con = self.con
        content_id = doc.content_id
        records = [ev.to_dict() for ev in events]  # fills in ids; fails before touching the DB
        n_events = len({r["id"] for r in records})
        with self._db(f"add document {doc.id}"):
            con.begin()
            try:
                exists = con.execute(
                    "SELECT 1 FROM documents WHERE content_id = ? LIMIT 1", [content_id]
                ).fetchone()
                if exists:
                    con.rollback()
                    return False
                self._insert_document(doc, n_events)
                self._insert_events(doc, events, records)
                con.commit()
            except BaseException:
                try:
                    con.rollback()
                except duckdb.Error:
                    pass
                raise
        return True

    def _insert_document(self, doc: Document, n_events: int) -> None:
        self.con.execute(
            f"INSERT INTO documents ({', '.join(_DOC_COLUMNS)}) VALUES ({', '.join('?' * len(_DOC_COLUMNS))})",
            [
                doc.id, doc.content_id, _as_date(doc.published), doc.url, doc.source, doc.title,
                doc.origin, doc.language, doc.text, n_events, _utcnow(),
            ],
        )

    def _insert_events(self, doc: Document, events: list[Event], records: list[dict[str, Any]]) -> None:
        if not records:
            return
        content_id = doc.content_id
        event_rows = []
        actor_rows = []
        for ev, r in zip(events, records):
            span = r["event_text"]
            event_rows.append([
                r["id"], r["doc_id"], content_id, _as_date(r["date"]), r["date_granularity"],
                bool(r["date_inferred"]), r["event"], r["mode"], _json(r["context"]), r["modality"],
                r["cameo"], r["quad_class"], r["goldstein"], r["intensity"], r["confidence"],
                r["sentence"], span["text"], span["start"], span["end"], _json(r["actor"]),
                _json(r["recipient"]), _json(r["attribution"]), _json(r["event_loc"]),
                _json(r["date_text"]), _json(r["links"]), _json(r),
            ])
            for role, actors in (("actor", ev.actor), ("recipient", ev.recipient)):
                for idx, a in enumerate(actors):
                    actor_rows.append([r["id"], role, idx, a.text, a.code, a.sector, a.name, a.start, a.end])
        self.con.executemany(
            f"INSERT OR IGNORE INTO events ({', '.join(_EVENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_EVENT_COLUMNS))})",
            event_rows,
        )
        if actor_rows:
            self.con.executemany(
                'INSERT OR IGNORE INTO event_actors (event_id, role, idx, text, code, sector, name, start, "end") '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                actor_rows,
            )

    def add_problem(self, problem: Problem, run_id: str | None = None) -> None:
        """Log an input that was skipped (unreadable, empty, ...)."""
        with self._db("add_problem"):
            self.con.execute(
                "INSERT INTO problems (origin, code, message, run_id, logged_at) VALUES (?, ?, ?, ?, ?)",
                [problem.origin, problem.code, problem.message, run_id, _utcnow()],
            )

    # -- reading ------------------------------------------------------------

    @staticmethod
    def _role_filter(role: str, code: str, where: list[str], params: list[Any]) -> None:
        q = code.strip().upper()
        where.append(
            "EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.role = ? "
            "AND (upper(a.code) = ? OR upper(a.code || coalesce(a.sector, '')) = ?))"
        )
        params.extend([role, q, re.sub(r"[\s_\-/]+", "", q)])

    def events(
        self,
        *,
        actor: str | None = None,
        recipient: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        doc_id: str | None = None,
        modality: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Stored events as ``Event.to_dict()`` dicts, ordered by date, document,
        sentence and trigger offset.

        ``actor`` / ``recipient``: a code (``"USA"``) or code plus sector
        (``"USA GOV"`` / ``"USAGOV"``) matched against any actor (recipient) of the
        event. ``type``: PLOVER event type. ``since`` / ``until``: inclusive ISO dates
        (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``until="2024-05"`` includes all of
        May); events without a date never match a date filter.
        """
        where: list[str] = []
        params: list[Any] = []
        if actor:
            self._role_filter("actor", actor, where, params)
        if recipient:
            self._role_filter("recipient", recipient, where, params)
        if type:
            where.append("upper(e.event) = ?")
            params.append(type.strip().upper())
        if since:
            d = _as_date(since)
            if d is None:
                raise CasusError("E007", where="Store.events(since=...)", value=since)
            where.append("e.date >= ?")
            params.append(d)
        if until:
            d = _end_exclusive(until)
            if d is None:
                raise CasusError("E007", where="Store.events(until=...)", value=until)
            where.append("e.date < ?")
            params.append(d)
        if doc_id:
            where.append("e.doc_id = ?")
            params.append(doc_id)
        if modality:
            where.append("e.modality = ?")
            params.append(modality)
        sql = "SELECT e.record FROM events e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {_ORDER}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        with self._db("events"):
            rows = self.con.execute(sql, params).fetchall()
        return [json.loads(r[0]) for r in rows]

    def documents(self) -> list[dict[str, Any]]:
        """All stored documents (dates as ISO strings), in ingestion order."""
        with self._db("documents"):
            cur = self.con.execute(
                f"SELECT {', '.join(_DOC_COLUMNS)} FROM documents ORDER BY ingested_at, content_id"
            )
            rows = cur.fetchall()
        return [{k: _plain(v) for k, v in zip(_DOC_COLUMNS, row)} for row in rows]

    def problems(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Logged problems (optionally of one run), oldest first."""
        cols = ("origin", "code", "message", "run_id", "logged_at")
        sql = f"SELECT {', '.join(cols)} FROM problems"
        params: list[Any] = []
        if run_id is not None:
            sql += " WHERE run_id = ?"
            params.append(run_id)
        sql += " ORDER BY logged_at"
        with self._db("problems"):
            rows = self.con.execute(sql, params).fetchall()
        return [{k: _plain(v) for k, v in zip(cols, row)} for row in rows]

    def counts(self) -> dict[str, int]:
        """``{"documents": n, "events": n, "problems": n}``."""
        with self._db("counts"):
            row = self.con.execute(
                "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events), "
                "(SELECT count(*) FROM problems)"
            ).fetchone()
        return {"documents": int(row[0]), "events": int(row[1]), "problems": int(row[2])}

    def export_parquet(self, path: str | Path) -> int:
        """Write the flat event columns (all but ``record``) to a Parquet file.

        Returns the number of events written.
        """
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        target = str(out).replace("'", "''")
        cols = ", ".join(f"e.{c}" for c in _FLAT_COLUMNS)
        with self._db(f"export_parquet to {out}"):
            self.con.execute(
                f"COPY (SELECT {cols} FROM events e ORDER BY {_ORDER}) TO '{target}' (FORMAT PARQUET)"
            )
            row = self.con.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0])

    # -- lifecycle ----------------------------------------------------------

    def close(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            finally:
                self._con = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}, read_only={self.read_only})"
