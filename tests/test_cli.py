"""The command line end to end: real files, a real DuckDB file, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casus.cli import app
from casus.records import Document

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_code_jsonl_from_text_file(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, officials said.\n")
    res = runner.invoke(app, ["code", str(f), "--published", "2025-11-18", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert rows and rows[0]["event"] == "ASSAULT" and rows[0]["date"] == "2025-11-18"
    for key in ("id", "doc_id", "event", "mode", "context", "actor", "recipient", "event_text", "modality",
                "attribution", "cameo", "quad_class", "goldstein", "event_loc", "confidence"):
        assert key in rows[0]


def test_formats(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("France condemned the attack on the embassy.\n")
    for fmt in ("table", "plover", "tsv"):
        res = runner.invoke(app, ["code", str(f), "--format", fmt, "--out", str(tmp_path / f"o.{fmt}")])
        assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "o.plover").read_text())[0]["event"] == "ACCUSE"
    assert (tmp_path / "o.tsv").read_text().startswith("id\tdoc_id\tdate\tevent")
    # PLOVER JSON uses PLOVER's sector names: the news media are JRN, health workers MED
    f.write_text("Police arrested two journalists and a doctor in Nairobi.\n")
    res = runner.invoke(app, ["code", str(f), "--format", "plover", "--out", str(tmp_path / "m.plover")])
    assert res.exit_code == 0, res.output
    sectors = {s for r in json.loads((tmp_path / "m.plover").read_text()) for s in r["recipient_sector"]}
    assert "JRN" in sectors and "MED" in sectors, sectors
    res = runner.invoke(app, ["code", str(f), "--format", "jsonl"])
    casus = {a["sector"] for x in res.stdout.splitlines() if x.startswith("{") for a in json.loads(x)["recipient"]}
    assert {"MED", "HLH"} <= casus, casus


def test_bad_inputs_are_reported_and_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes(b"Caf\xe9 owners protested in Paris.")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(b"Protesters marched in Lima. ")
        fh.truncate(50 * 1024 * 1024)
    (tmp_path / "good.txt").write_text("Peru and Ecuador agreed to reopen the border.\n")
    db = tmp_path / "t.duckdb"
    res = runner.invoke(app, ["ingest", str(tmp_path), str(DATA / "batch.jsonl"), "--db", str(db), "--no-progress"])
    assert res.exit_code == 1
    out = res.output
    for name, code in (("empty.txt", "E001"), ("bin.txt", "E002"), ("latin1.txt", "E003"), ("big.txt", "E004"),
                       ("batch.jsonl:3", "E005")):
        assert name in out and code in out, (name, code, out)
    from casus.store import Store

    with Store(db, read_only=True) as st:
        counts = st.counts()
    assert counts["documents"] == 4  # good.txt and the three well-formed JSONL lines
    # ingesting again adds nothing and loses nothing
    res2 = runner.invoke(app, ["ingest", str(tmp_path / "good.txt"), str(DATA / "batch.jsonl"), "--db", str(db),
                               "--no-progress"])
    with Store(db, read_only=True) as st:
        assert st.counts()["documents"] == counts["documents"]
        assert st.counts()["events"] == counts["events"]
    assert res2.exit_code == 1  # the malformed line is still reported


def test_ingest_query_and_demo(tmp_path):
    db = tmp_path / "demo.duckdb"
    res = runner.invoke(app, ["demo", "--db", str(db)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["events", "--db", str(db), "--type", "ASSAULT", "--format", "jsonl"])
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert rows and all(r["event"] == "ASSAULT" for r in rows)
    res = runner.invoke(app, ["events", "--db", str(db), "--since", "2026-01-01", "--format", "jsonl"])
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert all(r["date"] >= "2026-01-01" for r in rows)


def test_the_demo_reports_folder_holds_reports_only():
    from casus.cli import DEMO_DIR, demo_documents
    from casus.ingest import read_inputs

    read = list(read_inputs([DEMO_DIR]))
    assert read and all(isinstance(r, Document) for r in read)  # no hand coding or index read as a report
    assert sorted(Path(r.origin).name for r in read) == sorted(Path(d.origin).name for d in demo_documents())


def test_stdin_and_console_script(tmp_path):
    exe = Path(sys.executable).parent / "casus"
    if not exe.exists():
        pytest.skip("casus console script not installed (run `make test`)")
    res = subprocess.run([str(exe), "code", "-", "--published", "2025-01-02"], input="Japan pledged aid to Turkey.",
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert any(json.loads(l)["event"] for l in res.stdout.splitlines() if l.startswith("{"))
