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


@pytest.fixture(scope="module")
def learned(pipeline):
    """The place stage with the learned chooser (``[place] chooser = "learned"``)."""
    from casus.place import PlaceChooser

    place = PlaceResolver(pipeline.place.gazetteer, chooser=PlaceChooser())

    def run(text: str, trigger: str):
        parsed = next(parse([Document(text=text)]))
        start = text.index(trigger)
        tok = el.trigger_token(parsed.doc, start, start + len(trigger))
        loc = place.locate(parsed, pipeline.actors(parsed), tok)
        if loc is not None:
            assert text[loc["start"]:loc["end"]] == loc["text"]
        return loc

    run.place = place
    return run


@pytest.mark.parametrize("text,trigger,place", CASES)
def test_place_choice_learned(learned, text, trigger, place):
    """The learned chooser makes the same choices as the hand-set costs on these sentences."""
    loc = learned(text, trigger)
    assert loc is not None and loc["text"] == place, loc


def test_learned_chooser_no_place_and_actor(learned):
    assert learned("The minister said the talks would continue next week.", "continue") is None
    assert learned("Iran condemned the new sanctions on Monday.", "condemned") is None


def test_unknown_names_are_candidates_for_the_learned_chooser_only(pipeline, learned):
    # "Doron-Baga" is in no gazetteer: found as a plain proper name, with the learned chooser only
    text = "Gunmen attacked and killed 56 fishermen in Doron-Baga, a community in Borno State."
    parsed = next(parse([Document(text=text)]))
    layer = pipeline.actors(parsed)
    sent = next(iter(parsed.doc.sents))
    names = [m.text for m in learned.place.places(parsed, layer, sent) if m.how == "name"]
    assert any("Doron" in n for n in names), names
    assert not [m for m in PlaceResolver(pipeline.place.gazetteer).places(parsed, layer, sent) if m.how == "name"]
    loc = learned(text, "killed")
    assert loc is not None and "Doron" in loc["text"], loc


def test_pipeline_with_learned_chooser_sets_event_loc():
    from casus.pipeline import Pipeline, load_config

    cfg = load_config()
    cfg["place"]["chooser"] = "learned"
    pipe = Pipeline(cfg)
    text = "Russian forces shelled the city of Kharkiv on Monday, officials said."
    locs = [ev.event_loc for ev in pipe.code_text(text, published="2024-05-06") if ev.event_loc]
    assert any(loc["text"] == "Kharkiv" and loc["country"] == "UKR" for loc in locs), locs


def test_calendar_word_ends_a_place_name(locate):
    loc = locate("Truckloads of paramilitary police patrolled Harare Saturday.", "patrolled")
    assert loc is not None and loc["text"] == "Harare" and loc["country"] == "ZWE", loc


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


# --------------------------------------------------------------------------- the learned chooser


def test_chooser_export_matches_scikit_learn(tmp_path):
    """The numpy tree walk gives scikit-learn's probabilities, and survives save/load."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from casus.place.chooser import ChooserModel, _export

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0.3)
    clf = HistGradientBoostingClassifier(max_iter=30, early_stopping=False, random_state=0).fit(X, y)
    arrays, depth, base = _export(clf)
    m = ChooserModel(vocab={"lemma": [], "hlemma": [], "prevw": [], "nextw": [], "path": []}, depth=depth,
                     n_trees=len(arrays["roots"]), base=base, trained_on=frozenset({1, 2}), **arrays)
    assert np.allclose(m.proba(X), clf.predict_proba(X)[:, 1], atol=1e-5)
    m.save(tmp_path / "m.npz")
    m2 = ChooserModel.load(tmp_path / "m.npz")
    assert np.allclose(m2.proba(X), m.proba(X)) and m2.trained_on == {1, 2} and m2.threshold == m.threshold
    assert m.best(np.array([0.1, 0.2])) is None and m.best(np.array([0.1, 0.9])) == 1


def test_chooser_config_and_errors(tmp_path):
    from casus.pipeline import make_place

    assert make_place().chooser is None and make_place("rules").chooser is None
    assert make_place("learned").chooser is not None
    with pytest.raises(CasusError) as exc:
        make_place("nearest")
    assert exc.value.code == "E035"
    with pytest.raises(CasusError) as exc:
        make_place("learned", str(tmp_path / "missing.npz"))
    assert exc.value.code == "E036"


def test_eval_kfold_trains_without_the_scored_fold(tmp_path):
    towns = ["Kafr Nabl", "Saraqib", "Maarat", "Jisr", "Ariha", "Taftanaz", "Binnish", "Sarmin", "Atarib",
             "Darkush", "Khan Shaykhun", "Kansafra"]
    gold = [_record(f"Rebels shelled the town of {t} on Tuesday .", "shelled", [t]) for t in towns]
    gold += [_record(f"The minister said the talks on {t} would continue next week .", "continue") for t in towns]
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    items, _ = el.read(path)
    data = el.samples(items, progress=False)
    assert len(data) == 24 and all(s.cands for s, _ in data[:12])
    assert sum(any(s.gold) for s, _ in data[:12]) >= 10  # the gold town is among the candidates
    report = DATASETS["event-location"](path, None, kfold=3, progress=False)
    assert report.n_items == 24 and 0.0 <= report.overall["accuracy"] <= 1.0


def test_cli_eval_event_location_modes(tmp_path):
    from typer.testing import CliRunner

    from casus.cli import app

    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["eval", "event-location", str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout[res.stdout.index("{"):])
    assert out["extra"]["typer"]["mode"].startswith("place chooser: shipped learned model (0 items")
    cfg = tmp_path / "rules.toml"
    cfg.write_text('[place]\nchooser = "rules"\n', encoding="utf-8")
    res = runner.invoke(app, ["eval", "event-location", str(path), "--json", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout[res.stdout.index("{"):])
    assert out["extra"]["typer"]["mode"] == "place chooser: rules (hand-set costs)"
    res = runner.invoke(app, ["eval", "event-location", str(path), "--json", "--kfold", "2"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout[res.stdout.index("{"):])
    assert out["extra"]["typer"]["mode"] == "2-fold cross-validation of the learned place chooser"


def test_learned_chooser_is_the_default_and_rules_config_file():
    from pathlib import Path

    from casus.pipeline import load_config, make_place

    section = {k: v for k, v in load_config()["place"].items() if k != "factory"}
    assert section["chooser"] == "learned" and make_place(**section).chooser is not None
    for name in ("place-rules.toml", "fast.toml"):
        cfg = load_config(Path(__file__).resolve().parents[1] / "configs" / name)
        section = {k: v for k, v in cfg["place"].items() if k != "factory"}
        assert section["chooser"] == "rules" and make_place(**section).chooser is None
