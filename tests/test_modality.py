"""Modality, attribution and links on passages written for this project (casus/eval/data)."""

import json
from pathlib import Path

import pytest

import casus.eval as ev
from casus.errors import CasusError

DATA = Path(__file__).resolve().parents[1] / "src" / "casus" / "eval" / "data" / "modality_attribution.jsonl"


@pytest.fixture(scope="module")
def report(pipeline):
    return ev.run("modality", DATA, pipeline.predict, progress=False)


def test_shipped_set_is_well_formed():
    from casus.eval.modality import MODALITIES, read

    items = read(DATA)
    assert len(items) >= 80
    assert sum(it.split == "heldout" for it in items) >= 30
    counts = {m: sum(g.modality == m for it in items for g in it.events) for m in MODALITIES}
    assert min(counts.values()) >= 8, counts


def test_eval_on_shipped_set_exceeds_floor(report):
    o = report.overall
    assert o["trigger_found"] >= 0.80
    assert o["modality_accuracy"] >= 0.92
    assert o["attribution_chain"] >= 0.88
    assert o["outermost_source"] >= 0.88
    assert o["source_kind"] >= 0.85
    assert o["date"] >= 0.85
    held = report.extra["split heldout"]
    assert held["modality_accuracy"] >= 0.90 and held["attribution_chain"] >= 0.80
    assert "per_modality heldout" in report.extra and report.to_table()


def test_wrong_format_is_e053(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "Russia attacked Ukraine.", "events": [
        {"trigger": "bombed", "modality": "asserted"}]}) + "\n", encoding="utf-8")
    with pytest.raises(CasusError) as e:
        ev.run("modality", bad, lambda texts: [[] for _ in texts], progress=False)
    assert e.value.code == "E053" and "bad.jsonl:1" in str(e.value)
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(CasusError, match="E053"):
        ev.run("modality", bad, lambda texts: [[] for _ in texts], progress=False)


def test_any_path_and_published_date_reaches_the_pipeline(tmp_path, pipeline):
    f = tmp_path / "mine.jsonl"
    f.write_text(json.dumps({"id": "a", "published": "2026-03-12", "text":
                             "Kenyan police arrested 40 protesters in Nairobi on Tuesday.",
                             "events": [{"trigger": "arrested", "modality": "asserted", "attribution": [],
                                         "attribution_kinds": [], "date": "2026-03-10"}]}) + "\n", encoding="utf-8")
    r = ev.run("modality", f, pipeline.predict, progress=False)
    assert r.overall["trigger_found"] == 1.0 and r.overall["date"] == 1.0


def _one(pipeline, text, trigger, published="2026-03-12"):
    evs = pipeline.code_text(text, published=published)
    hits = [e for e in evs if e.event_text.text == trigger]
    assert hits, [(e.event, e.event_text.text) for e in evs]
    return hits[0], evs


@pytest.mark.parametrize("text,trigger,modality", [
    ("Egyptian police detained a journalist in Alexandria on Sunday.", "detained", "asserted"),
    ("Rebels reportedly shelled the airport in Juba, a witness said.", "shelled", "reported"),
    ("Estonia plans to deploy extra troops to its eastern border next month.", "deploy", "planned"),
    ("Venezuela will seize the oil tankers if they enter its waters, a minister said.", "seize", "conditional"),
    ("A Serbian incursion into Kosovo could destabilise the whole region, a diplomat said.", "incursion", "hypothetical"),
    ("Armed gangs are attacking villages north of Port-au-Prince, residents said.", "attacking", "ongoing"),
    ("The two presidents first met in Vienna in 2019, before relations broke down.", "met", "historical"),
    ("No arrests were made after the clashes, a police spokesman said.", "made", None),
    ("The army did not shell the market, a military spokeswoman said.", "shell", "negated"),
    ("Government troops are still shelling the suburbs of Khartoum, residents said.", "shelling", "ongoing"),
    # negation does not reach through a preposition: the warnings were made
    ("Iran has not backed down despite repeated U.S. warnings, diplomats said.", "warnings", "asserted"),
])
def test_modality_examples(pipeline, text, trigger, modality):
    evs = pipeline.code_text(text, published="2026-03-12")
    hits = [e for e in evs if e.event_text.text == trigger]
    if modality is None:
        return  # not every trigger is an event; kept as a smoke test
    assert hits, [(e.event, e.event_text.text) for e in evs]
    assert hits[0].modality == modality


def test_attribution_chains(pipeline):
    ev1, _ = _one(pipeline, "Rwandan troops crossed into Congo and attacked a rebel camp, two UN diplomats told Reuters.",
                  "attacked")
    assert [s.text for s in ev1.attribution] == ["Reuters", "two UN diplomats"]
    assert [s.kind for s in ev1.attribution] == ["outlet", "unnamed_officials"]
    ev2, _ = _one(pipeline, "Iraqi state television reported, citing a senior officer, that the army had arrested "
                            "a smuggler in Basra.", "arrested")
    assert [s.kind for s in ev2.attribution] == ["media", "unnamed_officials"]
    ev3, _ = _one(pipeline, "Belarus will not deploy troops to Ukraine, Defence Minister Viktor Khrenin told reporters.",
                  "deploy")
    assert [s.text for s in ev3.attribution] == ["Defence Minister Viktor Khrenin"] and ev3.modality == "negated"


def test_declared_intention_with_still_is_a_threat_made(pipeline):
    # "still say they will attack": the threat is being made (asserted), not an ongoing attack
    evs = pipeline.code_text("Some militias still say they will attack U.S. bases in Syria, a commander told AFP.",
                             published="2026-03-12")
    threats = [e for e in evs if e.event == "THREATEN"]
    assert threats and threats[0].modality == "asserted", [(e.event, e.modality) for e in evs]


def test_an_example_takes_the_modality_of_what_it_exemplifies(pipeline):
    past = pipeline.code_text("Iraq must pursue those responsible for attacks on U.S. personnel, including "
                              "attacks by Iran-aligned militias, the spokesman said.", published="2026-03-12")
    assert [e.modality for e in past if e.event == "ASSAULT"] == ["historical"]
    now = pipeline.code_text("Rebels have carried out attacks across the north this week, including attacks on "
                             "two army bases.", published="2026-03-12")
    assert {e.modality for e in now if e.event == "ASSAULT"} == {"asserted"}


def test_short_name_of_a_source_refers_to_the_full_mention(pipeline):
    text = ("Defence Minister Viktor Khrenin said the army had arrested two smugglers near Brest. "
            "Border guards also detained a driver in Grodno, Khrenin said.")
    ev, _ = _one(pipeline, text, "detained")
    src = ev.attribution[-1]
    assert src.text == "Khrenin" and src.refers_to is not None
    assert src.refers_to["text"] == "Defence Minister Viktor Khrenin"
    assert text[src.refers_to["start"]:src.refers_to["end"]] == src.refers_to["text"]
    assert src.kind == "named_official" and src.to_dict()["refers_to"] == src.refers_to


def test_links_same_event_and_retaliation(pipeline):
    text = ("Iran is planning a major drone attack on Israel in retaliation for an Israeli strike on its embassy, "
            "two Western officials told Axios. Iranian commanders have moved drones to western Iran for the planned "
            "attack, the officials said.")
    evs = pipeline.code_text(text, published="2026-03-12")
    by = {e.id: e for e in evs}
    first = next(e for e in evs if e.event_text.text == "attack" and e.sentence == 0)
    strike = next(e for e in evs if e.event_text.text == "strike")
    assert strike.id in first.links.get("retaliation_for", [])
    later = [by[i] for i in first.links.get("same_event_as", [])]
    assert any(e.sentence == 1 and e.event_text.text == "attack" for e in later)
    # ids in links are the final ids
    assert all(i in by for e in evs for ids in e.links.values() for i in ids)


def test_links_response_and_avenge(pipeline):
    evs = pipeline.code_text("Pakistan launched airstrikes on militant camps in response to a suicide bombing in Peshawar.",
                             published="2026-03-12")
    air = next(e for e in evs if e.event_text.text == "airstrikes")
    bomb = next(e for e in evs if e.event_text.text == "bombing")
    assert air.links.get("response_to") == [bomb.id]
    evs = pipeline.code_text("Iran attacked Israel with drones to avenge the killing of its general in Damascus.",
                             published="2026-03-12")
    att = next(e for e in evs if e.event_text.text == "attacked")
    kill = next(e for e in evs if e.event_text.text == "killing")
    assert att.links.get("retaliation_for") == [kill.id]


def test_links_are_stored(tmp_path, pipeline):
    from casus.records import Document
    from casus.store import Store

    doc = Document(text="Hezbollah fired rockets at Israel in retaliation for an Israeli airstrike on Beirut.",
                   published="2026-03-12")
    evs = next(pipeline.code([doc]))[1]
    assert any(e.links for e in evs)
    with Store(tmp_path / "t.duckdb") as store:
        store.add(doc, evs)
        rows = store.con.execute("SELECT links FROM events").fetchall()
    assert any(r[0] and "retaliation_for" in str(r[0]) for r in rows)
