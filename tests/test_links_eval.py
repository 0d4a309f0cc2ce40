"""`casus eval links`: links between coded events, on the project's own set."""

from pathlib import Path

import pytest

from casus.errors import CasusError
from casus.eval import DATASETS
from casus.eval import links as lk

SET = Path(__file__).resolve().parents[1] / "src" / "casus" / "eval" / "data" / "links.jsonl"


def test_words_are_whole_words(tmp_path):
    p = tmp_path / "l.jsonl"
    p.write_text('{"text": "Airstrikes hit X after the strike on Y.", "links": '
                 '[{"from": "hit", "relation": "retaliation_for", "to": "strike"}]}\n', encoding="utf-8")
    item = lk.read(p)[0]
    rel, a, (b,) = item.links[0]
    assert item.text[b[0]:b[1]] == "strike" and b[0] > item.text.index("hit")


def test_a_trigger_may_be_the_noun_or_the_verb(tmp_path):
    p = tmp_path / "l.jsonl"
    p.write_text('{"text": "Jets struck a depot. The strike killed four.", "links": '
                 '[{"from": ["strike", "killed"], "relation": "same_event_as", "to": "struck"}]}\n', encoding="utf-8")
    item = lk.read(p)[0]
    killed = item.text.index("killed")
    report = lk.score([item], [[("same_event_as", (killed, killed + 6), (5, 11))]])
    assert report.overall["precision"] == 1.0 and report.overall["recall"] == 1.0


@pytest.mark.parametrize("line,detail", [
    ('{"text": "x"}', "links"),
    ('{"text": "A hit B.", "links": [{"from": "hit", "relation": "causes", "to": "B"}]}', "relation"),
    ('{"text": "A hit B.", "links": [{"from": "hit", "relation": "response_to", "to": "strike"}]}', "as a word"),
])
def test_wrong_format_is_e055(tmp_path, line, detail):
    p = tmp_path / "l.jsonl"
    p.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CasusError) as exc:
        lk.read(p)
    assert exc.value.code == "E055" and detail in str(exc.value)


def test_scoring_symmetric_and_directed():
    item = lk.LinkItem("a", "x", None, [("same_event_as", ((0, 2),), ((5, 7),)),
                                        ("response_to", ((10, 12),), ((0, 2),))])
    report = lk.score([item], [[("same_event_as", (5, 7), (0, 2)), ("response_to", (0, 2), (10, 12))]])
    assert report.per_class["same_event_as"]["precision"] == 1.0
    assert report.per_class["response_to"]["precision"] == 0.0  # the wrong direction
    assert report.extra["counts"] == {"passages": 1, "gold_links": 2, "predicted_links": 2, "right": 1}


def test_eval_on_shipped_set(pipeline):
    report = DATASETS["links"](SET, pipeline.predict, progress=False)
    assert report.n_items >= 30 and report.extra["counts"]["gold_links"] >= 25
    assert {"split dev", "split heldout"} <= set(report.extra)
    # the figures of docs/accuracy.md, as floors: the link stage is built for precision
    assert report.overall["precision"] >= 0.9 and report.extra["counts"]["right"] >= 9


def test_answer_without_a_cue_object(pipeline):
    evs = pipeline.code_text("Hezbollah fired rockets at northern Israel. Israel responded with airstrikes on "
                             "southern Lebanon.", published="2023-11-02")
    fired = next(e for e in evs if e.event_text.text == "fired")
    answer = next(e for e in evs if e.event_text.text == "airstrikes")
    assert answer.links.get("response_to") == [fired.id]
    # "hit" answers only with an "after" clause or a cue: two attacks in a row are not linked
    evs = pipeline.code_text("Rebels shelled a village on Monday. The army hit a rebel base on Tuesday.",
                             published="2023-11-02")
    assert not any(e.links.get("retaliation_for") or e.links.get("response_to") for e in evs)
