"""Phoenix/PETRARCH dictionary reader, the DuckDB KB tables, `casus kb`, and date-aware resolution."""

import json
import time

import pytest
from typer.testing import CliRunner

from casus.actors import phoenix as ph
from casus.actors.kb import default_kb
from casus.cli import app
from casus.errors import CasusError
from casus.store import Store
from casus.store import kb as skb

runner = CliRunner()

ACTORS = """\
# A test dictionary in the Phoenix actor format
NEWLANDIA_  [USA]   # a country block: bare country code
+NEWLANDIAN_
+NEW_CAPITAL_CITY_

JANE_Q._OFFICIAL_  # an office holder
+MINISTER_OFFICIAL_
\t[USAGOV 20090120-20170120]
\t[USAELI]
OLD_TIMER_
\t[USAGOV <880101]
\t[USAELI]
ROOKIE_RULER_  [GBRGOV >150601] [GBRELI]
AGENCY_ONE_
AGENCY_ONE_ALIAS_
\t[USAGOVLEG]
NOBODY_ [---]
BROKEN_DATE_
\t[USAGOV 2004017-20061201]
\t[USAELI]
NAMELESS_CODELESS_

+ORPHAN_SYNONYM_
UN_MONITORS_ [IGOUNOREF]
GROUP_X_ [IMGMUSALQ]
KOSOVO_THING [KSVGOV]
SOVIET_TOWN
\t[USRUKR <910824]
\t[UKR >911221]
RULER_TWO_
+THE_RULER_TWO_ADMINISTRATION_
\t[USAGOV 20010120-20090120]
NATIONAL_TEST_COUNCIL_ [SYROPP >110101]
"""

AGENTS = """\
# agents
!PERSON! = MAN, WOMAN
POLICE {} [~COP]
RIOT_POLICE [~COP] # comment
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
MILITIA!PERSON! [~REB]
DEFENCE_!MINIST! [~GOVMIL]
DEFENSE_MINISTER [~GOVMIL]
SENATOR [~GOVLEG]
ACTIVIST [~CVLOPP]
UN_OFFICIAL [IGO~]
BISHOP [~CHR]
GARBAGE [~JNK]
DEPARMENT_OF_ENVIRONMENT [~ENV}
NO_CODE_HERE
"""

DISCARDS = """\
# Story-level discards are marked with '+'
+World Golf Championships   # pas 26-Feb-2014
BRONZE MEDAL
"""

PEOPLE_TSV = "name\taliases\tcode\tsector\trole\tstart\tend\n" \
             "Jane Doe\tDoe\tGBR\tGOV\tforeign minister\t2026-01-15\t\n" \
             "Bad Row\tBad\tGB\tXXX\tfoo\t2026-13-01\t\n"


def rows_of(rows, form):
    return [r for r in rows if r.form == form]


# --------------------------------------------------------------------------- parser
def test_dates_and_codes():
    assert ph.parse_date("011222") == "2001-12-22"
    assert ph.parse_date("750101") == "1975-01-01"
    assert ph.parse_date("300101") == "2030-01-01" and ph.parse_date("310101") == "1931-01-01"
    assert ph.parse_date("19270101") == "1927-01-01"
    for bad in ("2004017", "991301", "abc"):
        with pytest.raises(ValueError):
            ph.parse_date(bad)
    assert ph.split_code("USAGOVLEG") == ("USA", "LEG")  # Congress: legislature, not government
    assert ph.split_code("AFGGOVAGR") == ("AFG", "GOV")
    assert ph.split_code("IGOUNOREFHCR") == ("IGO", "REF")
    assert ph.split_code("IGOUNO") == ("IGO", "IGO")
    assert ph.split_code("IMGMUSALQ") == ("IMG", "REB")  # religion does not make al-Qaeda REL
    assert ph.split_code("KSVGOV") == ("XKX", "GOV")
    assert ph.split_code("ELI") == (None, "ELI")
    assert ph.sector_of(["CVL", "OPP"]) == "OPP" and ph.sector_of(["CHR"]) == "REL"
    assert ph.sector_of(["JRN"]) == "MED" and ph.sector_of(["UNO"]) is None


def test_actor_blocks_kinds_and_warnings():
    parsed = ph.parse_actors(ACTORS, "test.actors.txt")
    names = [b.names[0] for b in parsed.actors]
    assert names[:3] == ["NEWLANDIA", "JANE Q. OFFICIAL", "OLD TIMER"]
    assert parsed.actors[0].names == ["NEWLANDIA", "NEWLANDIAN", "NEW CAPITAL CITY"]  # underscores -> spaces
    agency = next(b for b in parsed.actors if b.names[0] == "AGENCY ONE")
    assert agency.names == ["AGENCY ONE", "AGENCY ONE ALIAS"]  # consecutive names share the codes
    jane = parsed.actors[1]
    assert [(c.code, c.start, c.end) for c in jane.codes] == [("USAGOV", "2009-01-20", "2017-01-20"),
                                                              ("USAELI", None, None)]
    # malformed lines: numbered warnings with the line, never an exception
    assert all(isinstance(w, CasusError) and w.code == "W050" for w in parsed.warnings)
    text = "\n".join(str(w) for w in parsed.warnings)
    assert "line 19 of test.actors.txt" in text and "2004017" in text  # the bad date
    assert "NAMELESS CODELESS' has no code" in text
    assert "ORPHAN SYNONYM' without a name" in text

    rows, stats = ph.to_rows(parsed)
    assert {r.kind for r in rows_of(rows, "NEWLANDIAN")} == {"country"}
    assert [(r.code, r.sector) for r in rows_of(rows, "NEW CAPITAL CITY")] == [("USA", None)]
    jane_rows = rows_of(rows, "MINISTER OFFICIAL")
    assert [(r.kind, r.code, r.sector, r.valid_from, r.valid_to) for r in jane_rows] == [
        ("person", "USA", "GOV", "2009-01-20", "2017-01-20"), ("person", "USA", "ELI", None, None)]
    assert jane_rows[0].name == "Jane Q. Official"
    assert [(r.kind, r.code, r.sector, r.country) for r in rows_of(rows, "AGENCY ONE ALIAS")] == [
        ("org", "USA", "LEG", "USA")]
    assert rows_of(rows, "NOBODY") == [] and stats["null codes"] == 1
    assert [(r.code, r.sector) for r in rows_of(rows, "UN MONITORS")] == [("IGO", "REF")]
    assert [(r.code, r.sector) for r in rows_of(rows, "GROUP X")] == [("IMG", "REB")]
    assert [(r.code, r.sector) for r in rows_of(rows, "KOSOVO THING")] == [("XKX", "GOV")]
    assert [(r.kind, r.code, r.valid_to) for r in rows_of(rows, "SOVIET TOWN")] == [
        ("country", "USR", "1991-08-24"), ("country", "UKR", None)]
    assert [(r.valid_from, r.sector) for r in rows_of(rows, "ROOKIE RULER")] == [("2015-06-01", "GOV"), (None, "ELI")]
    # a dated body is an organisation, not an office holder; so is a person's "administration"
    assert [(r.kind, r.valid_from) for r in rows_of(rows, "NATIONAL TEST COUNCIL")] == [("org", "2011-01-01")]
    assert [r.kind for r in rows_of(rows, "RULER TWO")] == ["person"]
    assert [(r.kind, r.valid_to) for r in rows_of(rows, "THE RULER TWO ADMINISTRATION")] == [("org", "2009-01-20")]


def test_date_restricted_code_resolves_by_date():
    rows, _ = ph.to_rows(ph.parse_actors(ACTORS))
    kb = skb.extend_kb(default_kb(), rows)
    jane = [e for e in kb.entries if e.form == "JANE Q. OFFICIAL"]
    assert (skb.choose(jane, "2012-05-01").code, skb.choose(jane, "2012-05-01").sector) == ("USA", "GOV")
    assert (skb.choose(jane, "2018-05-01").code, skb.choose(jane, "2018-05-01").sector) == ("USA", "ELI")
    old = [e for e in kb.entries if e.form == "OLD TIMER"]
    assert skb.choose(old, "1980-01-01").sector == "GOV"  # "[X <DATE]" beats the open default on a tie
    assert skb.choose(old, "1990-01-01").sector == "ELI"
    town = [e for e in kb.entries if e.form == "SOVIET TOWN"]
    assert skb.choose(town, "1985-01-01").code == "USR" and skb.choose(town, "2024-01-01").code == "UKR"


def test_agents_and_discards():
    parsed = ph.parse_agents(AGENTS, "test.agents.txt")
    terms = {a.term: a for a in parsed.agents}
    assert {"MILITIAMAN", "MILITIAWOMAN"} <= set(terms)  # substitution set expanded
    assert terms["CHAMBER OF COMMERCE"].plurals == ["CHAMBERS OF COMMERCE"]
    assert terms["POLICE"].plurals == []
    text = "\n".join(map(str, parsed.warnings))
    assert "!MINIST! is not defined" in text and "unclosed '['" in text and "found 0" in text
    rows, stats = ph.to_rows(parsed)
    role = {r.form: r for r in rows}
    assert (role["POLICE"].sector, role["POLICE"].role) == ("COP", "group")
    assert (role["DEFENSE MINISTER"].sector, role["DEFENSE MINISTER"].role) == ("GOV", "person")
    assert role["SENATOR"].sector == "LEG" and role["ACTIVIST"].sector == "OPP"
    assert role["UN OFFICIAL"].sector == "IGO" and role["BISHOP"].sector == "REL"
    assert role["CHAMBERS OF COMMERCE"].role == "group"
    assert "GARBAGE" not in role and stats["agents not actors (JNK/NON/UNK)"] == 1
    d = ph.parse_discards(DISCARDS)
    assert [(x.phrase, x.story) for x in d.discards] == [("World Golf Championships", True), ("BRONZE MEDAL", False)]


def test_parse_file_kinds_and_bad_files(tmp_path):
    (tmp_path / "x.agents.txt").write_text(AGENTS)
    assert ph.parse_file(tmp_path / "x.agents.txt").kind == "agents"
    (tmp_path / "mystery.txt").write_text(ACTORS)
    assert ph.parse_file(tmp_path / "mystery.txt").kind == "actors"  # told by its content
    (tmp_path / "prose.txt").write_text("Just some words.\nNo codes here.\n")
    with pytest.raises(CasusError) as ei:
        ph.parse_file(tmp_path / "prose.txt")
    assert ei.value.code == "E050"
    (tmp_path / "bin.actors.txt").write_bytes(b"\x00\x01\x02PNG")
    with pytest.raises(CasusError) as ei:
        ph.parse_file(tmp_path / "bin.actors.txt")
    assert ei.value.code == "E050"
    with pytest.raises(CasusError) as ei:
        ph.parse_file(tmp_path / "missing.actors.txt")
    assert ei.value.code == "E008"


# --------------------------------------------------------------------------- shared files
def test_shared_dictionaries(shared, tmp_path):
    res = shared / "resources"
    files = [res / "phoenix" / f for f in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                                           "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt",
                                           "Phoenix.discards.txt")] + [res / "plover" / "PLOVER_agents.txt"]
    if not all(f.exists() for f in files):
        pytest.skip(f"the Phoenix/PLOVER dictionaries are not in {res}")
    t0 = time.perf_counter()
    parsed, rows, stats = ph.import_files(files)
    took = time.perf_counter() - t0
    assert took < 10
    kinds = {p.kind for p in parsed}
    assert kinds == {"actors", "agents", "discards"}
    assert stats["person"] > 25000 and stats["org"] > 8000 and stats["country"] > 4000 and stats["role"] > 5000
    assert sum(len(p.warnings) for p in parsed) < 100  # a few dozen malformed lines, each reported
    # PLOVER_agents.txt writes the media JRN and health MED; Phoenix.agents.txt (CAMEO) media MED, health HLH
    roles = {}
    for r in rows:
        if r.kind == "role":
            roles.setdefault(r.form, set()).add(r.sector)
    assert roles["DOCTOR"] == {"HLH"} and roles["PHYSICIAN"] == {"HLH"}
    assert roles["JOURNALIST"] == {"MED"} and roles["NEWSPAPER"] == {"MED"}
    karzai = [r for r in rows if r.form == "HAMID KARZAI"]
    assert ("AFG", "GOV", "2001-12-22") in {(r.code, r.sector, r.valid_from) for r in karzai}
    # import one real file twice into DuckDB: the second time adds nothing
    db = tmp_path / "kb.duckdb"
    small = res / "phoenix" / "Phoenix.MilNonState.actors.txt"
    (first,) = skb.import_paths(db, [small])
    (second,) = skb.import_paths(db, [small])
    assert first.n_added > 1000 and second.n_added == 0


# --------------------------------------------------------------------------- DuckDB
def write_samples(tmp_path):
    a = tmp_path / "test.actors.txt"
    a.write_text(ACTORS)
    g = tmp_path / "test.agents.txt"
    g.write_text(AGENTS)
    d = tmp_path / "test.discards.txt"
    d.write_text(DISCARDS)
    p = tmp_path / "people.tsv"
    p.write_text(PEOPLE_TSV)
    return a, g, d, p


def test_duckdb_round_trip_and_idempotent_import(tmp_path):
    a, g, d, p = write_samples(tmp_path)
    db = tmp_path / "casus.duckdb"
    results = skb.import_paths(db, [a, g, d])
    expected = sum(r.n_rows for r in results)
    assert sum(r.n_added for r in results) == expected > 20
    parsed_rows = [r for path in (a, g, d) for r in ph.to_rows(ph.parse_file(path))[0]]
    stored = skb.load_rows(db)
    assert {r.key() for r in stored} == {r.key() for r in parsed_rows}  # nothing lost or changed
    jane = [r for r in stored if r.form == "JANE Q. OFFICIAL"]
    assert {(r.sector, r.valid_from, r.valid_to) for r in jane} == {("GOV", "2009-01-20", "2017-01-20"),
                                                                    ("ELI", None, None)}
    again = skb.import_paths(db, [a, g, d])
    assert [r.n_added for r in again] == [0, 0, 0]
    assert len(skb.load_rows(db)) == len(stored)
    # the casus TSV format: a bad row is a numbered warning, the good one is stored
    (res,) = skb.import_paths(db, [p], fmt="casus")
    assert res.n_added == 2 and [w.code for w in res.warnings] == ["W051"] * len(res.warnings) and res.warnings
    assert "row 3" in str(res.warnings[0])
    st = skb.stats(db)
    assert {(x["source"], x["kind"]) for x in st["by_source_kind"]} >= {("phoenix", "person"), ("user", "person"),
                                                                       ("phoenix", "role"), ("phoenix", "discard")}
    # the event tables of the same file are untouched and usable
    with Store(db) as s:
        assert s.counts() == {"documents": 0, "events": 0, "problems": 0}
    assert skb.lookup("Jane Doe", "2026-02-01", db)["chosen"]["code"] == "GBR"
    assert skb.lookup("jane q. official", "2012-01-01", db)["chosen"]["sector"] == "GOV"
    assert skb.lookup("jane q. official", "2020-01-01", db)["chosen"]["sector"] == "ELI"
    with pytest.raises(CasusError) as ei:
        skb.import_paths(db, [tmp_path / "test.agents.txt"], fmt="casus")
    assert ei.value.code == "E051"


def test_builtin_forms_win_and_policy(tmp_path):
    rows = [ph.KBRow("OBAMA", "person", "USA", "ELI", "Barack Obama", "1978-01-01", "2000-01-01"),
            ph.KBRow("SENATE", "org", "USA", "LEG", "US Congress"),
            ph.KBRow("XQZF", "org", "ESP", "REB", "XQZF"),
            ph.KBRow("riot police", "role", None, "MIL", "riot police", role="group"),
            ph.KBRow("Obama", "person", "USA", "GOV", "Barack Obama", "2030-01-01", None, source="user")]
    base = default_kb()
    kb = skb.extend_kb(base, rows)
    obama = [e for e in kb.entries if e.form.lower() == "obama"]
    assert all(e.start != "1978-01-01" for e in obama)  # the phoenix row is shadowed by the built-in one
    assert any(e.start == "2030-01-01" for e in obama)  # a user row is added
    assert kb.roles["riot police"].sector == base.roles["riot police"].sector  # built-in role wins
    assert {e.form for e in kb.entries if e.name == "XQZF"} == {"XQZF", "Xqzf"}  # as written + capitalised
    assert len(base.entries) < len(kb.entries) and base is not kb
    mw = skb.extend_kb(base, rows, policy="multiword")
    assert not [e for e in mw.entries if e.form == "SENATE"]


def test_resolver_uses_db_kb_by_publication_date(tmp_path):
    from casus.actors import ActorResolver
    from casus.nlp import parse
    from casus.records import Document

    a, *_ = write_samples(tmp_path)
    db = tmp_path / "kb.duckdb"
    skb.import_paths(db, [a])
    resolver = ActorResolver(kb_db=str(db))
    text = "Jane Q. Official criticised the plan."
    got = {}
    for parsed in parse([Document(text=text, id=d, published=d) for d in ("2012-05-01", "2019-05-01")]):
        layer = resolver(parsed)
        m = layer.mentions[0]
        got[parsed.document.published] = (m.actors[0].text, m.actors[0].code, m.actors[0].sector, m.kind)
    assert got["2012-05-01"] == ("Jane Q. Official", "USA", "GOV", "person")
    assert got["2019-05-01"] == ("Jane Q. Official", "USA", "ELI", "person")
    with pytest.raises(CasusError):
        ActorResolver(kb_db=str(tmp_path / "nope.duckdb"))


# --------------------------------------------------------------------------- CLI
def test_cli_kb_import_lookup_stats(tmp_path):
    a, g, d, p = write_samples(tmp_path)
    db = tmp_path / "k.duckdb"
    res = runner.invoke(app, ["kb", "import", str(a), str(g), str(d), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "W050" in res.output and "new" in res.output
    res = runner.invoke(app, ["kb", "import", str(a), "--db", str(db), "--max-warnings", "0"])
    assert res.exit_code == 0 and ", 0 new," in res.output
    res = runner.invoke(app, ["kb", "import", str(p), "--db", str(db), "--format", "casus"])
    assert res.exit_code == 0 and "W051" in res.output
    res = runner.invoke(app, ["kb", "lookup", "Jane Q. Official", "--date", "2010-03-01", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "USA GOV" in res.stdout.splitlines()[0]
    res = runner.invoke(app, ["kb", "lookup", "Jane Q. Official", "--date", "2020-03-01", "--db", str(db), "--json"])
    out = json.loads(res.stdout)
    assert (out["chosen"]["code"], out["chosen"]["sector"]) == ("USA", "ELI") and len(out["candidates"]) == 2
    res = runner.invoke(app, ["kb", "lookup", "Nobody Anywhere Zzz", "--db", str(db)])
    assert res.exit_code == 1 and "not in the KB" in res.stdout
    res = runner.invoke(app, ["kb", "lookup", "x", "--date", "May 2020", "--db", str(db)])
    assert res.exit_code == 2 and "E007" in res.output
    res = runner.invoke(app, ["kb", "stats", "--db", str(db), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["entries"] > 20
    res = runner.invoke(app, ["kb", "import", str(tmp_path / "missing.txt"), "--db", str(db)])
    assert res.exit_code == 1 and "E008" in res.output


def test_cli_code_with_db_kb(tmp_path):
    a, *_ = write_samples(tmp_path)
    db = tmp_path / "k.duckdb"
    assert runner.invoke(app, ["kb", "import", str(a), "--db", str(db)]).exit_code == 0
    f = tmp_path / "r.txt"
    f.write_text("Jane Q. Official condemned the attack on the embassy.\n")
    for date, sector in (("2012-05-01", "GOV"), ("2019-05-01", "ELI")):
        res = runner.invoke(app, ["code", str(f), "--published", date, "--db", str(db), "--no-progress"])
        assert res.exit_code == 0, res.output
        ev = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")][0]
        assert (ev["actor"][0]["code"], ev["actor"][0]["sector"]) == ("USA", sector)
