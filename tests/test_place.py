"""The place stage: offline gazetteer, place choice for a trigger, and `casus eval event-location`."""

import json

import pytest

from casus.errors import CasusError
from casus.eval import DATASETS
from casus.eval import event_location as el
from casus.nlp import parse
from casus.place import PlaceResolver
from casus.place.gazetteer import default_gazetteer, norm, strip_article
from casus.records import Document


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


# --------------------------------------------------------------------------- gazetteer


def test_city(gaz):
    p = gaz.lookup("Mosul")
    assert (p.feature, p.country) == ("city", "IRQ")
    assert 36 < p.lat < 37 and 43 < p.lon < 44 and p.geonameid


def test_capital_and_alternative_name(gaz):
    kabul = gaz.lookup("Kabul")
    assert (kabul.feature, kabul.country, kabul.admin1) == ("city", "AFG", "Kabul")
    assert gaz.lookup("Kiev").name == "Kyiv"  # an alternative spelling
    assert gaz.lookup("Washington").feature == "city"  # the capital, not the state


def test_country_and_aliases(gaz):
    for name in ("Syria", "U.S.", "Britain", "the Netherlands", "Ivory Coast"):
        assert gaz.lookup(name).feature == "country", name
    assert gaz.lookup("U.S.").country == "USA"


def test_ambiguous_name_follows_country_context(gaz):
    assert gaz.lookup("Hyderabad").country == "IND"  # most populous
    assert gaz.lookup("Hyderabad", countries=["PAK"]).country == "PAK"  # a country named in the sentence
    assert gaz.lookup("Tripoli", doc_countries=["LBN"]).country == "LBN"  # ... or in the document
    # a much larger city stays the reading: "Paris" next to "U.S." is still Paris, France
    assert gaz.lookup("Paris", countries=["USA"]).country == "FRA"


def test_us_state_and_regions(gaz):
    tx = gaz.lookup("Texas")
    assert (tx.feature, tx.country, tx.admin1) == ("admin1", "USA", "Texas")
    assert gaz.lookup("Georgia").feature == "country"
    assert gaz.lookup("Georgia", prefer="admin").country == "USA"
    assert gaz.lookup("Punjab", countries=["PAK"]).country == "PAK"
    assert gaz.lookup("Plateau State").country == "NGA"  # type word stripped, region preferred
    assert gaz.lookup("Anbar").country == "IRQ"  # pycountry's "Al Anbār", article optional


def test_unknown_name(gaz):
    assert gaz.lookup("Xqzzyvillex") is None
    assert gaz.lookup("") is None


def test_normalisation():
    assert norm("Ma’an") == norm("Ma'an")
    assert norm("Al-Fasher") == "al fasher"
    assert norm("The Hague") == "hague"
    assert strip_article("ar-Raqqah") == "Raqqah"


# --------------------------------------------------------------------------- choosing the place


@pytest.fixture(scope="module")
def locate(pipeline):
    def run(text: str, trigger: str):
        parsed = next(parse([Document(text=text)]))
        layer = pipeline.actors(parsed)
        start = text.index(trigger)
        tok = el.trigger_token(parsed.doc, start, start + len(trigger))
        loc = pipeline.place.locate(parsed, layer, tok)
        if loc is not None:
            assert text[loc["start"]:loc["end"]] == loc["text"]
        return loc

    return run


CASES = [
    ("Rebels shelled the northern town of Kafr Nabl on Tuesday, killing three civilians.", "shelled", "Kafr Nabl"),
    ("Iran seized an oil tanker in the Strait of Hormuz on Sunday.", "seized", "Strait of Hormuz"),
    ("Police arrested twelve protesters in Nairobi, Kenya, on Friday.", "arrested", "Nairobi"),
    ("Thousands of students marched in the southern port city of Basra on Monday.", "marched", "Basra"),
    ("Gunmen attacked the office of a London-based charity in Kabul.", "attacked", "Kabul"),
    ("The army deployed troops in the Kandahar district of Helmand province.", "deployed", "Kandahar"),
]


@pytest.mark.parametrize("text,trigger,place", CASES)
def test_place_choice(locate, text, trigger, place):
    loc = locate(text, trigger)
    assert loc is not None and loc["text"] == place, loc


def test_place_record_fields(locate):
    loc = locate("Police arrested twelve protesters in Nairobi, Kenya, on Friday.", "arrested")
    assert set(loc) >= {"text", "start", "end", "country", "admin1", "lat", "lon", "geonameid", "feature", "role"}
    assert (loc["country"], loc["feature"], loc["role"]) == ("KEN", "city", "site")
    assert loc["geonameid"] and loc["lat"] is not None


def test_launch_site_role(locate):
    loc = locate("Militants fired rockets from Gaza overnight.", "fired")
    assert loc is not None and loc["text"] == "Gaza" and loc["role"] == "launch site"


def test_no_place_and_actor_country(locate):
    assert locate("The minister said the talks would continue next week.", "continue") is None
    # the subject is an actor, not where the event happened
    assert locate("Iran condemned the new sanctions on Monday.", "condemned") is None
    loc = locate("Iran seized a tanker near Fujairah.", "seized")
    assert loc is not None and loc["text"] == "Fujairah"


def test_pipeline_sets_event_loc(pipeline):
    text = "Russian forces shelled the city of Kharkiv on Monday, officials said."
    events = pipeline.code_text(text, published="2024-05-06")
    locs = [ev.event_loc for ev in events if ev.event_loc]
    assert locs, [e.to_dict() for e in events]
    for loc in locs:
        assert text[loc["start"]:loc["end"]] == loc["text"]
    assert any(loc["text"] == "Kharkiv" and loc["country"] == "UKR" for loc in locs)


def test_resolver_without_events_is_harmless(pipeline):
    parsed = next(parse([Document(text="Nothing happened.")]))
    assert PlaceResolver()(parsed, pipeline.actors(parsed), []) == []


# --------------------------------------------------------------------------- eval event-location


def _record(text: str, verb: str, locations=(), token_index_defect=False) -> dict:
    tokens, pos = [], 0
    for i, word in enumerate(text.split(" ")):
        tokens.append({"text": word, "start": pos, "end": pos + len(word), "id": i})
        pos += len(word) + 1

    def span(sub: str, label: str) -> dict:
        start = text.index(sub)
        end = start + len(sub)
        ts = next(t["id"] for t in tokens if t["start"] <= start < t["end"] + 1)
        te = next(t["id"] for t in tokens if t["start"] < end <= t["end"])
        d = {"start": start, "end": end, "token_start": ts, "token_end": te, "label": label, "text": sub}
        if token_index_defect and label == "LOCATION":
            d["start"], d["end"] = ts, te  # the upstream defect: token indices in start/end
        return d

    spans = [span(verb, "VERB")] + [span(loc, "LOCATION") for loc in locations]
    return {"text": text, "tokens": tokens, "spans": spans, "answer": "accept", "source": "test"}


GOLD = [
    _record("Rebels shelled the town of Kafr Nabl on Tuesday .", "shelled", ["Kafr Nabl"]),
    _record("Police arrested twelve protesters in Nairobi on Friday .", "arrested", ["Nairobi"], token_index_defect=True),
    _record("The minister said the talks would continue next week .", "continue"),
    {**_record("Troops patrolled Mosul .", "patrolled", ["Mosul"]), "answer": "reject"},  # skipped
]


def test_eval_reads_and_scores(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    items, counts = el.read(path)
    assert len(items) == 3 and counts["skipped_rejected"] == 1
    # the token-index defect is repaired from the tokens
    it = items[1]
    assert [it.text[a:b] for a, b in it.locations] == ["Nairobi"]
    report = DATASETS["event-location"](path, None, progress=False)
    assert report.n_items == 3
    assert report.overall["accuracy"] == 1.0 and report.overall["exact"] == 1.0
    assert report.overall["has_location_precision"] == 1.0 and report.overall["has_location_recall"] == 1.0
    assert json.loads(report.to_json())["dataset"] == "event-location"
    assert "accuracy" in report.to_table()


def test_eval_reads_jsonl(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in GOLD[:2]) + "\n", encoding="utf-8")
    items, _ = el.read(path)
    assert len(items) == 2


def test_eval_scoring_counts():
    items = [el.LocItem("a", "x in Paris", (0, 1), [(5, 10)]), el.LocItem("b", "y", (0, 1), [])]
    report = el.score(items, [{"start": 0, "end": 1, "text": "x"}, {"start": 0, "end": 1, "text": "y"}])
    assert report.overall["accuracy"] == 0.0
    assert report.extra["counts"]["wrong_place"] == 1 and report.extra["counts"]["spurious"] == 1


@pytest.mark.parametrize("content,code", [
    ('{"text": "no spans here"}', "E040"),  # an object without spans, not a list of records
    ("[1, 2, 3]", "E040"),
    ('[{"spans": []}]', "E040"),  # no text
    ('[{"text": "x", "spans": [{"start": 0, "end": 1}]}]', "E040"),  # span without label
    ('[{"text": "x y", "tokens": [], "spans": []}]', "E041"),  # no VERB anywhere
    ("not json at all", "E040"),
    ("", "E040"),
])
def test_eval_wrong_format(tmp_path, content, code):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CasusError) as exc:
        el.read(path)
    assert exc.value.code == code


def test_eval_missing_file(tmp_path):
    with pytest.raises(CasusError) as exc:
        el.read(tmp_path / "nope.json")
    assert exc.value.code == "E008"


def test_eval_on_development_data(shared):
    path = shared / "data" / "event_location" / "labeled_text.dev.json"
    if not path.exists():
        pytest.skip(f"{path} not present")
    report = DATASETS["event-location"](path, None, limit=80, progress=False)
    assert report.n_items == 80
    assert report.overall["accuracy"] > 0.5
