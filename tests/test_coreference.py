"""Within-document coreference: the resolver's links and `casus eval coreference` on the project's own set."""

import json
from pathlib import Path

import pytest

from casus.errors import CasusError
from casus.eval import DATASETS
from casus.eval import coreference as co
from casus.nlp import parse
from casus.records import Document

SET = Path(__file__).resolve().parents[1] / "src" / "casus" / "eval" / "data" / "coreference.jsonl"


def _links(pipeline, text, published="2024-05-06"):
    parsed = next(parse([Document(text=text, published=published)]))
    layer = pipeline.actors(parsed)
    out = {}
    for m in layer.mentions:
        a = m.actors[0]
        if a.antecedent:
            out[parsed.doc[m.start:m.end].text] = text[a.antecedent[0]:a.antecedent[1]]
    return out


def test_kb_person_surname_links_and_keeps_its_code(pipeline):
    text = "German Chancellor Olaf Scholz spoke with Xi Jinping by phone. Scholz urged Beijing to act."
    parsed = next(parse([Document(text=text, published="2023-04-02")]))
    layer = pipeline.actors(parsed)
    later = [m for m in layer.mentions if parsed.doc[m.start:m.end].text == "Scholz"][-1]
    a = later.actors[0]
    assert text[a.antecedent[0]:a.antecedent[1]].endswith("Olaf Scholz") and a.code == "DEU"


def test_role_only_mention_and_pronoun_salience(pipeline):
    links = _links(pipeline, "Polish President Andrzej Duda signed the budget. The Polish president said the army "
                             "would grow.", "2023-02-03")
    assert links.get("The Polish president", "").endswith("Andrzej Duda")
    links = _links(pipeline, "Taiwanese President Tsai Ing-wen met House Speaker Kevin McCarthy in California. "
                             "She thanked Congress.", "2023-04-05")
    assert links.get("She", "").endswith("Tsai Ing-wen")


def test_family_name_first_and_unrelated_name_stays_unlinked(pipeline):
    links = _links(pipeline, "Chinese Defence Minister Li Shangfu skipped the meeting. Li accused Washington.",
                   "2023-06-04")
    assert links.get("Li", "").endswith("Li Shangfu")
    links = _links(pipeline, "Rebels attacked an army post near Goma. Smith, a local trader, said it lasted hours.")
    assert "Smith" not in links


def test_eval_on_shipped_set(pipeline):
    report = DATASETS["coreference"](SET, pipeline.predict, progress=False)
    assert report.n_items >= 60 and set(report.per_class) == {"name", "pronoun", "role", "head"}
    assert {"split dev", "split heldout"} <= set(report.extra)
    # the figures of docs/accuracy.md, as floors
    assert report.overall["accuracy"] >= 0.9 and report.overall["link_precision"] >= 0.95
    assert report.extra["split heldout"]["accuracy"] >= 0.85


@pytest.mark.parametrize("line,detail", [
    ("not json", "invalid JSON"),
    ('{"text": "x"}', "mentions"),
    ('{"text": "He left.", "mentions": [{"mention": "She", "antecedent": []}]}', "does not occur"),
    ('{"text": "He left. Bo said.", "mentions": [{"mention": "He", "antecedent": ["Bo"]}]}', "before it"),
    ('{"text": "Bo came. Bo left.", "mentions": [{"mention": "Bo", "n": 2, "antecedent": ["Bo"], "kind": "x"}]}',
     "kind"),
])
def test_wrong_format_is_e054(tmp_path, line, detail):
    p = tmp_path / "c.jsonl"
    p.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CasusError) as exc:
        co.read(p)
    assert exc.value.code == "E054" and detail in str(exc.value)


def test_scoring_counts():
    item = co.CorefItem("a", "Jake Sullivan came. Sullivan left. Bo said.", None, [
        co.GoldMention((20, 28), [(0, 13)], "name", "Sullivan"),
        co.GoldMention((35, 37), [], "name", "Bo"),
    ])
    report = co.score([item], [[{"found": True, "antecedent": (5, 13), "how": ""},
                                {"found": True, "antecedent": (0, 4), "how": ""}]])
    assert report.overall["accuracy"] == 0.5 and report.overall["link_precision"] == 0.5
    assert report.overall["link_recall"] == 1.0
    assert json.loads(report.to_json())["dataset"] == "coreference"
