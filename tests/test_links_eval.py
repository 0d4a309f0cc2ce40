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
    rel, a, b = item.links[0]
    assert item.text[b[0]:b[1]] == "strike" and b[0] > item.text.index("hit")


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
    item = lk.LinkItem("a", "x", None, [("same_event_as", (0, 2), (5, 7)), ("response_to", (10, 12), (0, 2))])
    report = lk.score([item], [[("same_event_as", (5, 7), (0, 2)), ("response_to", (0, 2), (10, 12))]])
    assert report.per_class["same_event_as"]["precision"] == 1.0
    assert report.per_class["response_to"]["precision"] == 0.0  # the wrong direction
    assert report.extra["counts"] == {"passages": 1, "gold_links": 2, "predicted_links": 2, "right": 1}


def test_eval_on_shipped_set(pipeline):
    report = DATASETS["links"](SET, pipeline.predict, progress=False)
    assert report.n_items >= 20 and report.extra["counts"]["gold_links"] >= 20
    # the figures of docs/accuracy.md, as floors: the link stage is built for precision
    assert report.overall["precision"] >= 0.9 and report.extra["counts"]["right"] >= 4
