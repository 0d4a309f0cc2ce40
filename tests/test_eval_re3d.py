"""`casus eval re3d`: the reader, the scoring, the casus mentions, and the real dev set when present."""

import json

import pytest
from typer.testing import CliRunner

from casus.cli import app
from casus.errors import CasusError
from casus.eval import DATASETS, re3d
from casus.eval import run as eval_run

runner = CliRunner()

DOC1 = "U.S. forces struck Daesh near Raqqa. Gen. Joseph Votel said the coalition will continue."
DOC2 = "The UK Government condemned the attack in Baghdad."


def span(text, sub, typ, doc, conf=1.0):
    b = text.index(sub)
    return {"_id": f"{doc}-{b}-{typ}", "begin": b, "end": b + len(sub), "type": typ, "value": sub,
            "documentId": doc, "confidence": conf}


def write_dataset(root):
    """Two source folders in the re3d layout (mongoexport JSON lines)."""
    a = root / "CENTCOM"
    a.mkdir(parents=True)
    (a / "documents.json").write_text(json.dumps({"_id": "D1", "sourceName": "CENTCOM", "title": "t", "text": DOC1}) + "\n")
    ents = [span(DOC1, "U.S. forces", "Organisation", "D1"), span(DOC1, "Daesh", "Organisation", "D1"),
            span(DOC1, "Raqqa", "Location", "D1"), span(DOC1, "Gen. Joseph Votel", "Person", "D1", 0.0),
            span(DOC1, "the coalition", "Organisation", "D1")]
    (a / "entities.json").write_text("".join(json.dumps(e) + "\n" for e in ents))
    b = root / "UK Government"
    b.mkdir()
    (b / "documents.json").write_text(json.dumps([{"_id": "D2", "text": DOC2}]))  # a JSON array is fine too
    ents = [span(DOC2, "The UK Government", "Organisation", "D2"), span(DOC2, "UK", "Location", "D2"),
            span(DOC2, "Baghdad", "Location", "D2"), span(DOC2, "the attack", "Temporal", "D2")]
    (b / "entities.json").write_text("".join(json.dumps(e) + "\n" for e in ents))
    return root


def test_registered():
    assert re3d.NAME in DATASETS


def test_reader(tmp_path):
    root = write_dataset(tmp_path / "re3d")
    docs = re3d.read(root)
    assert [d.id for d in docs] == ["D1", "D2"]
    assert len(docs[0].gold()) == 5 and len(docs[0].gold(0.0)) == 4  # confidence-0 gold kept by default
    assert len(docs[1].gold()) == 3  # Temporal is not scored
    assert [d.id for d in re3d.read(root / "CENTCOM")] == ["D1"]
    assert [d.id for d in re3d.read(root / "CENTCOM" / "documents.json")] == ["D1"]
    assert len(re3d.read(root, limit=1)) == 1


@pytest.mark.parametrize("breakage", ["no-entities", "bad-json", "outside", "unknown-doc", "wrong-file", "empty"])
def test_wrong_formats_are_e021(tmp_path, breakage):
    root = write_dataset(tmp_path / "re3d")
    target = root
    if breakage == "no-entities":
        (root / "CENTCOM" / "entities.json").unlink()
    elif breakage == "bad-json":
        (root / "CENTCOM" / "entities.json").write_text('{"begin": 0, "end": 3\n')
    elif breakage == "outside":
        (root / "CENTCOM" / "entities.json").write_text(json.dumps(
            {"begin": 0, "end": 9999, "type": "Person", "documentId": "D1"}) + "\n")
    elif breakage == "unknown-doc":
        (root / "CENTCOM" / "entities.json").write_text(json.dumps(
            {"begin": 0, "end": 3, "type": "Person", "documentId": "NOPE"}) + "\n")
    elif breakage == "wrong-file":
        target = root / "CENTCOM" / "entities.json"
    elif breakage == "empty":
        target = tmp_path / "empty"
        target.mkdir()
    with pytest.raises(CasusError) as ei:
        re3d.read(target)
    assert ei.value.code == "E021"


def test_missing_path_is_e008(tmp_path):
    with pytest.raises(CasusError) as ei:
        re3d.read(tmp_path / "nope")
    assert ei.value.code == "E008"


def test_scoring_exact_and_overlap(tmp_path):
    root = write_dataset(tmp_path / "re3d")

    def mentions(texts):
        out = []
        for t in texts:
            if t == DOC1:
                b = t.index("Joseph Votel")
                out.append([(0, len("U.S. forces"), "Organisation"),   # exact
                            (t.index("Raqqa"), t.index("Raqqa") + 5, "Location"),  # exact
                            (b, b + len("Joseph Votel"), "Person"),  # overlap only
                            (t.index("Daesh"), t.index("Daesh") + 5, "Location")])  # wrong type
            else:
                out.append([])
        return out

    rep = eval_run("re3d", root, None, mentions=mentions, progress=False)
    assert rep.n_items == 2 and rep.overall["n_gold"] == 8 and rep.overall["n_predicted"] == 4
    org, per, loc = rep.per_class["Organisation"], rep.per_class["Person"], rep.per_class["Location"]
    assert (org["precision"], org["recall"], org["support"]) == (1.0, 0.25, 4)
    assert (per["f1"], per["overlap_f1"]) == (0.0, 1.0)
    assert (loc["precision"], loc["recall"]) == (0.5, pytest.approx(1 / 3))
    assert rep.overall["exact_micro_precision"] == 0.5 and rep.overall["exact_micro_recall"] == 2 / 8
    assert rep.overall["overlap_micro_precision"] == 0.75
    assert rep.overall["untyped_overlap_f1"] > rep.overall["overlap_micro_f1"]  # Daesh counts without its type
    assert rep.extra["confident_gold"]["exact_micro_recall"] == 2 / 7
    json.loads(rep.to_json())
    assert "Organisation" in rep.to_table()


def test_casus_mentions_on_tiny_set(tmp_path, pipeline):
    root = write_dataset(tmp_path / "re3d")
    rep = eval_run("re3d", root, pipeline.predict, progress=False)
    assert set(rep.per_class) == {"Person", "Organisation", "Location"}
    assert rep.overall["n_predicted"] > 0 and rep.overall["overlap_micro_f1"] > 0
    spans = re3d.pipeline_mentions(pipeline.model, pipeline.actors)([DOC2])[0]
    assert (DOC2.index("Baghdad"), DOC2.index("Baghdad") + 7, "Location") in spans


def test_cli_json(tmp_path):
    root = write_dataset(tmp_path / "re3d")
    res = runner.invoke(app, ["eval", "re3d", str(root), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout[res.stdout.index("{"):])
    assert out["dataset"] == "re3d" and out["n_items"] == 2 and "exact_micro_f1" in out["overall"]
    res = runner.invoke(app, ["eval", "re3d", str(root / "CENTCOM" / "entities.json")])
    assert res.exit_code == 2 and "E021" in res.output


def test_real_dev_set(shared, pipeline):
    path = shared / "data" / "re3d"
    if not path.exists():
        pytest.skip(f"re3d dev set not in {path}")
    docs = re3d.read(path)
    assert len(docs) == 29 and sum(len(d.gold()) for d in docs) > 900
    rep = eval_run("re3d", path, pipeline.predict, limit=4, progress=False)
    assert rep.n_items == 4 and 0 < rep.overall["overlap_micro_f1"] <= 1


def test_a_country_that_acts_is_an_organisation(pipeline):
    # re3d: a country as the subject of a clause, and a plural demonym, are Organisations; as a place, Location
    text = "Jordan said the Syrians in the camps would be moved to Amman. Thousands of refugees live in Jordan."
    spans = re3d.pipeline_mentions(pipeline.model, pipeline.actors)([text])[0]
    jordan = [t for s, e, t in spans if text[s:e] == "Jordan"]
    assert "Organisation" in jordan and "Location" in jordan
    assert ("Organisation" in {t for s, e, t in spans if text[s:e] in ("the Syrians", "Syrians")})


def test_a_leading_count_is_left_out_of_the_entity(pipeline):
    # re3d marks "Syrians", not "More than 650,000 Syrians"
    text = "More than 650,000 Syrians fled to Jordan, and at least 43 people were killed by Syrian government forces."
    spans = re3d.pipeline_mentions(pipeline.model, pipeline.actors)([text])[0]
    shown = {text[s:e] for s, e, t in spans}
    assert "Syrians" in shown and not any(x.startswith(("More", "650")) for x in shown)
    assert "people" in shown and "at least 43 people" not in shown
