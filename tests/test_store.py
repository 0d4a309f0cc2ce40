"""Tests for casus.store against a real DuckDB file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from casus.errors import CasusError
from casus.records import Actor, Document, Event, Problem, Source, Span
from casus.store import SCHEMA_VERSION, Store

SRC = str(Path(__file__).resolve().parents[1] / "src")


def span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(needle, start, start + len(needle))


def actor(text: str, needle: str, code: str | None, sector: str | None = None, name: str | None = None) -> Actor:
    s = span(text, needle)
    return Actor(needle, s.start, s.end, code=code, sector=sector, name=name, how="kb")


TEXT1 = "The United States accused Iran of attacking a tanker. Iranian officials denied it."
TEXT2 = "Russian troops shelled Kharkiv on Monday, Ukrainian officials said."
TEXT3 = "The European Union and China agreed to cooperate on climate policy."


def doc1() -> tuple[Document, list[Event]]:
    doc = Document(TEXT1, published="2024-03-05", url="https://example.com/1", source="Reuters",
                   title="US accuses Iran", origin="a.jsonl:1")
    e1 = Event(
        doc_id=doc.id, event="ACCUSE", event_text=span(TEXT1, "accused"),
        actor=[actor(TEXT1, "United States", "USA", "GOV", "United States")],
        recipient=[actor(TEXT1, "Iran", "IRN")],
        mode="allege", context=["military"], date="2024-03-04", date_granularity="day",
        date_text=Span("Monday", 0, 6), cameo="112", quad_class=3, goldstein=-2.0, intensity=-3.5,
        confidence=0.8123, sentence=0, event_loc={"name": "Gulf of Oman", "lat": 24.5, "lon": 58.5},
        attribution=[Source("Reuters", "outlet")], links={"cause": []},
    )
    e2 = Event(
        doc_id=doc.id, event="REJECT", event_text=span(TEXT1, "denied"),
        actor=[actor(TEXT1, "Iranian officials", "IRN", "GOV")],
        recipient=[actor(TEXT1, "United States", "USA", "GOV")],
        date="2024-03-05", date_granularity="day", date_inferred=True, sentence=1, confidence=0.6,
    )
    return doc, [e1, e2]


def doc2() -> tuple[Document, list[Event]]:
    doc = Document(TEXT2, published="2023-10-02", source="AP", origin="b.txt")
    e = Event(
        doc_id=doc.id, event="ASSAULT", event_text=span(TEXT2, "shelled"),
        actor=[actor(TEXT2, "Russian troops", "RUS", "MIL")],
        recipient=[actor(TEXT2, "Kharkiv", "UKR")],
        mode="strike", date="2023-10-02", date_granularity="day", modality="reported",
        attribution=[Source("Ukrainian officials", "unnamed_officials", 42, 61)], sentence=0,
        quad_class=4, goldstein=-10.0,
    )
    return doc, [e]


def doc3() -> tuple[Document, list[Event]]:
    doc = Document(TEXT3, published="2024-06-01", origin="c.txt")
    e = Event(
        doc_id=doc.id, event="AGREE", event_text=span(TEXT3, "agreed"),
        actor=[actor(TEXT3, "European Union", "EUR"), actor(TEXT3, "China", "CHN")],
        date=None, sentence=0,
    )
    return doc, [e]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "casus.duckdb"


@pytest.fixture
def filled(db: Path):
    d1, ev1 = doc1()
    d2, ev2 = doc2()
    d3, ev3 = doc3()
    with Store(db) as st:
        assert st.add(d1, ev1) is True
        assert st.add(d2, ev2) is True
        assert st.add(d3, ev3) is True
    return db, {"d1": (d1, ev1), "d2": (d2, ev2), "d3": (d3, ev3)}


def test_schema_created_with_version(db: Path) -> None:
    with Store(db) as st:
        assert st.schema_version == SCHEMA_VERSION
        assert st.counts() == {"documents": 0, "events": 0, "problems": 0}
    con = duckdb.connect(str(db), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"meta", "documents", "events", "event_actors", "problems"} <= tables
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    con.close()


def test_add_and_counts(filled) -> None:
    db, docs = filled
    with Store(db) as st:
        assert st.counts() == {"documents": 3, "events": 4, "problems": 0}
        d1 = docs["d1"][0]
        assert st.has_document(d1.content_id)
        assert not st.has_document("nope")
        rows = {d["content_id"]: d for d in st.documents()}
        r1 = rows[d1.content_id]
        assert r1["id"] == d1.id
        assert r1["published"] == "2024-03-05"
        assert r1["title"] == "US accuses Iran"
        assert r1["text"] == TEXT1
        assert r1["n_events"] == 2
        assert isinstance(r1["ingested_at"], str)


def test_query_by_actor_code(filled) -> None:
    db, docs = filled
    with Store(db) as st:
        usa = st.events(actor="USA")
        assert [e["event"] for e in usa] == ["ACCUSE"]
        irn = st.events(actor="IRN")
        assert [e["event"] for e in irn] == ["REJECT"]
        # any actor of the event, case-insensitive
        assert [e["event"] for e in st.events(actor="chn")] == ["AGREE"]
        assert st.events(actor="FRA") == []
        assert [e["event"] for e in st.events(recipient="USA")] == ["REJECT"]
        assert [e["event"] for e in st.events(actor="USA", recipient="IRN")] == ["ACCUSE"]
        assert st.events(actor="IRN", recipient="IRN") == []


def test_query_by_code_and_sector(filled) -> None:
    db, _ = filled
    with Store(db) as st:
        assert [e["event"] for e in st.events(actor="USA GOV")] == ["ACCUSE"]
        assert [e["event"] for e in st.events(actor="USAGOV")] == ["ACCUSE"]
        assert [e["event"] for e in st.events(actor="RUS MIL")] == ["ASSAULT"]
        assert st.events(actor="USA MIL") == []
        assert st.events(actor="RUS GOV") == []
        assert [e["event"] for e in st.events(recipient="USA GOV")] == ["REJECT"]
        # recipient IRN has no sector: "IRN GOV" does not match it
        assert st.events(recipient="IRN GOV") == []


def test_query_by_type_since_until_and_more(filled) -> None:
    db, docs = filled
    with Store(db) as st:
        assert [e["event"] for e in st.events(type="ASSAULT")] == ["ASSAULT"]
        assert [e["event"] for e in st.events(type="accuse")] == ["ACCUSE"]
        # ordered by date; undated events come last without filters
        assert [e["event"] for e in st.events()] == ["ASSAULT", "ACCUSE", "REJECT", "AGREE"]
        assert [e["event"] for e in st.events(since="2024-01-01")] == ["ACCUSE", "REJECT"]
        assert [e["event"] for e in st.events(since="2024-03-05")] == ["REJECT"]
        assert [e["event"] for e in st.events(until="2024-03-04")] == ["ASSAULT", "ACCUSE"]
        assert [e["event"] for e in st.events(since="2024-03", until="2024-03")] == ["ACCUSE", "REJECT"]
        assert [e["event"] for e in st.events(until="2023")] == ["ASSAULT"]
        assert [e["event"] for e in st.events(doc_id=docs["d1"][0].id)] == ["ACCUSE", "REJECT"]
        assert [e["event"] for e in st.events(modality="reported")] == ["ASSAULT"]
        assert len(st.events(limit=2)) == 2
        assert st.events(limit=0) == []
        with pytest.raises(CasusError) as err:
            st.events(since="last week")
        assert err.value.code == "E007"


def test_events_equal_to_dict(filled) -> None:
    db, docs = filled
    expected = {}
    for _, evs in docs.values():
        for ev in evs:
            expected[ev.id] = ev.to_dict()
    with Store(db) as st:
        got = st.events()
    assert len(got) == len(expected)
    for d in got:
        assert d == expected[d["id"]]
        assert list(d) == list(expected[d["id"]])  # same key order too


def test_same_text_twice_adds_nothing(filled) -> None:
    db, _ = filled
    # Same text, different metadata (and so possibly a different id): still a duplicate.
    dup = Document(TEXT1, id="other-id", published="2025-01-01", origin="again.txt")
    ev = Event(doc_id=dup.id, event="ACCUSE", event_text=span(TEXT1, "accused"))
    with Store(db) as st:
        before = st.counts()
        assert st.add(dup, [ev]) is False
        assert st.counts() == before
        assert st.add(*doc1()) is False
        assert st.counts() == before


def test_reopen_keeps_data(filled) -> None:
    db, docs = filled
    with Store(db) as st:
        first = st.events()
        st.add_problem(Problem("x.txt", "E001", "Empty input"), run_id="r1")
    with Store(db, read_only=True) as st:
        assert st.counts() == {"documents": 3, "events": 4, "problems": 1}
        assert st.events() == first
        assert st.add(*doc1()) is False  # already stored: nothing to write
        with pytest.raises(CasusError) as err:
            st.add(Document("A new text."), [])
        assert err.value.code == "E030"
    with Store(db) as st:
        assert st.events() == first


def test_failure_mid_add_rolls_back(filled, monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = filled
    doc = Document("NATO warned Russia against further escalation.", published="2024-07-01")
    ev = Event(doc_id=doc.id, event="THREATEN", event_text=Span("warned", 5, 11),
               actor=[Actor("NATO", 0, 4, code="NATO")], date="2024-07-01")
    with Store(db) as st:
        before = st.counts()
        before_events = st.events()
        calls = []

        def boom(self, *args, **kwargs):
            # the document row is already inserted when this runs
            calls.append(self.con.execute("SELECT count(*) FROM documents").fetchone()[0])
            raise RuntimeError("simulated crash")

        monkeypatch.setattr(Store, "_insert_events", boom)
        with pytest.raises(RuntimeError, match="simulated crash"):
            st.add(doc, [ev])
        assert calls == [before["documents"] + 1]
        assert not st.has_document(doc.content_id)
        assert st.counts() == before
        assert st.events() == before_events
        monkeypatch.undo()
        # the store is still usable and the document can be added afterwards
        assert st.add(doc, [ev]) is True
        assert st.counts()["documents"] == before["documents"] + 1
        assert [e["event"] for e in st.events(actor="NATO")] == ["THREATEN"]


def test_duckdb_error_mid_add_is_e030_and_rolls_back(filled, monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = filled
    doc = Document("Brazil praised Argentina.")
    ev = Event(doc_id=doc.id, event="COOPERATE", event_text=Span("praised", 7, 14))

    def bad(self, *args, **kwargs):
        self.con.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(Store, "_insert_events", bad)
    with Store(db) as st:
        before = st.counts()
        with pytest.raises(CasusError) as err:
            st.add(doc, [ev])
        assert err.value.code == "E030"
        assert str(db) in str(err.value)
        assert st.counts() == before


def test_killed_process_leaves_no_partial_document(filled) -> None:
    db, _ = filled
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {SRC!r})
        from casus.records import Document, Event, Span
        from casus.store import Store
        def die(self, *a, **k):
            os._exit(3)  # hard kill: no rollback, no close
        Store._insert_events = die
        st = Store({str(db)!r})
        doc = Document("Japan protested to China over the islands.")
        st.add(doc, [Event(doc_id=doc.id, event="ACCUSE", event_text=Span("protested", 6, 15))])
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    with Store(db) as st:
        assert st.counts() == {"documents": 3, "events": 4, "problems": 0}
        assert not st.has_document(Document("Japan protested to China over the islands.").content_id)


def test_problems_logged(db: Path) -> None:
    with Store(db) as st:
        st.add_problem(Problem("bad.bin", "E002", "Binary input"), run_id="run-1")
        st.add_problem(Problem("empty.txt:3", "E001", "Empty input"))
        assert st.counts()["problems"] == 2
        probs = st.problems()
        assert [(p["origin"], p["code"], p["run_id"]) for p in probs] == [
            ("bad.bin", "E002", "run-1"),
            ("empty.txt:3", "E001", None),
        ]
        assert [p["origin"] for p in st.problems(run_id="run-1")] == ["bad.bin"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM problems WHERE code = 'E002'").fetchone()[0] == 1
    con.close()


def test_event_actor_rows(filled) -> None:
    db, docs = filled
    _, (e1, _) = docs["d1"]
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        'SELECT role, idx, text, code, sector, name, start, "end" FROM event_actors WHERE event_id = ? ORDER BY role, idx',
        [e1.id],
    ).fetchall()
    con.close()
    assert rows == [
        ("actor", 0, "United States", "USA", "GOV", "United States", 4, 17),
        ("recipient", 0, "Iran", "IRN", None, None, 26, 30),
    ]


def test_duplicate_event_ids_ignored(db: Path) -> None:
    doc = Document("Chile and Peru signed a trade deal.")
    ev = Event(doc_id=doc.id, event="AGREE", event_text=Span("signed", 15, 21),
               actor=[Actor("Chile", 0, 5, code="CHL")])
    twin = Event(doc_id=doc.id, event="AGREE", event_text=Span("signed", 15, 21),
                 actor=[Actor("Chile", 0, 5, code="CHL")])
    with Store(db) as st:
        assert st.add(doc, [ev, twin]) is True
        assert st.counts() == {"documents": 1, "events": 1, "problems": 0}
        assert st.documents()[0]["n_events"] == 1


def test_export_parquet(filled, tmp_path: Path) -> None:
    db, _ = filled
    out = tmp_path / "out" / "events.parquet"
    with Store(db) as st:
        n = st.export_parquet(out)
        expected_ids = [e["id"] for e in st.events()]
    assert n == 4
    assert out.exists()
    con = duckdb.connect()
    rows = con.execute("SELECT id, event, actor, trigger_text FROM read_parquet(?)", [str(out)]).fetchall()
    cols = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(out)]).fetchall()]
    con.close()
    assert [r[0] for r in rows] == expected_ids
    assert "record" not in cols and "goldstein" in cols and "trigger_start" in cols
    assert rows[1][1] == "ACCUSE" and rows[1][3] == "accused"
    assert "USA" in rows[1][2]


def test_open_errors_are_e030(tmp_path: Path) -> None:
    with pytest.raises(CasusError) as err:
        Store(tmp_path / "missing.duckdb", read_only=True)
    assert err.value.code == "E030"
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CasusError) as err:
        Store(junk)
    assert err.value.code == "E030"


def test_closed_store_raises(db: Path) -> None:
    st = Store(db)
    st.close()
    st.close()  # idempotent
    with pytest.raises(CasusError):
        st.counts()
