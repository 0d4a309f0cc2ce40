"""Tests of the evaluation harness (casus.eval): metrics, readers, scorers.

Fixtures are small invented examples written in each gold set's original format;
the real development files under ../shared/data are only read (never copied), and
those tests skip when the folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casus.errors import CasusError
from casus.eval import DATASETS, PLOVER_TYPES, EvalReport, kfold, run, strongest_event, to_acled
from casus.eval import case2021, conflibert, india_police, plover_gsr
from casus.eval.metrics import (
    classification_report,
    confusion,
    multilabel_report,
    overlap_span_prf,
    prf,
    span_prf,
)
from casus.records import Actor, Event, Span

SHARED = Path(__file__).parents[1].parent / "shared" / "data"


# --------------------------------------------------------------------------- helpers


def _find(text: str, sub: str, nth: int = 0) -> int:
    i = -1
    for _ in range(nth + 1):
        i = text.index(sub, i + 1)
    return i


def actor(text: str, sub: str, code: str | None = None, sector: str | None = None) -> Actor:
    i = _find(text, sub)
    return Actor(text=sub, start=i, end=i + len(sub), code=code, sector=sector)


def ev(
    text: str,
    etype: str,
    trigger: str,
    *,
    actors: list[Actor] | None = None,
    recipients: list[Actor] | None = None,
    mode: str | None = None,
    context: list[str] | None = None,
    confidence: float = 0.5,
    modality: str = "asserted",
    cameo: str | None = None,
    quad_class: int | None = None,
) -> Event:
    i = _find(text, trigger) if trigger in text else 0
    return Event(
        doc_id="d",
        event=etype,
        event_text=Span(trigger, i, i + len(trigger)),
        actor=actors or [],
        recipient=recipients or [],
        mode=mode,
        context=context or [],
        confidence=confidence,
        modality=modality,
        cameo=cameo,
        quad_class=quad_class,
    )


def table_predict(table: dict[str, list[Event]]):
    """A fake predict: looks each text up in ``table`` (missing -> no event)."""
    calls: list[int] = []

    def predict(texts: list[str]) -> list[list[Event]]:
        calls.append(len(texts))
        return [list(table.get(t, [])) for t in texts]

    predict.calls = calls  # type: ignore[attr-defined]
    return predict


def no_events(texts: list[str]) -> list[list[Event]]:
    return [[] for _ in texts]


def expect_format_error(path: Path, content: str, detail: str, call) -> CasusError:
    """Write ``content`` to ``path``, run ``call(path)``, and check it fails with E021 naming ``detail``."""
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CasusError) as ei:
        call(path)
    assert ei.value.code == "E021"
    assert detail in str(ei.value)
    return ei.value


def _shared(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared/data not present: {p}")
    return p


# --------------------------------------------------------------------------- metrics


def test_prf_known_values():
    assert prf(2, 1, 1) == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3})
    assert prf(3, 1, 0) == pytest.approx({"precision": 0.75, "recall": 1.0, "f1": 6 / 7})
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert prf(0, 2, 3)["f1"] == 0.0


def test_classification_report_known_values():
    gold = ["A", "A", "B", "B", "C"]
    pred = ["A", "B", "B", "B", "NONE"]
    overall, rows = classification_report(gold, pred, exclude=("NONE",))
    assert list(rows) == ["A", "B", "C"]
    assert rows["A"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2})
    assert rows["B"] == pytest.approx({"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2})
    assert rows["C"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1})
    assert overall["accuracy"] == pytest.approx(0.6)
    assert overall["macro_f1"] == pytest.approx((2 / 3 + 0.8 + 0.0) / 3)
    assert overall["weighted_f1"] == pytest.approx((2 * 2 / 3 + 2 * 0.8 + 0) / 5)
    # micro over the classes: tp 3, fp 1 (B), fn 2 (A, C)
    assert overall["micro_precision"] == pytest.approx(0.75)
    assert overall["micro_recall"] == pytest.approx(0.6)
    assert overall["micro_f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert overall["n"] == 5


def test_classification_report_named_labels_and_absent_classes():
    overall, rows = classification_report(["X", "Y"], ["X", "Y"], labels=["X", "Y", "Z"])
    assert rows["Z"]["support"] == 0
    # Z occurs nowhere: not part of the macro average
    assert overall["macro_f1"] == pytest.approx(1.0)
    assert overall["accuracy"] == 1.0
    # a gold label that was not named still gets a row
    _, rows = classification_report(["X", "W"], ["X", "X"], labels=["X"])
    assert "W" in rows and rows["W"]["support"] == 1
    with pytest.raises(ValueError):
        classification_report(["A"], [])


def test_multiclass_micro_equals_accuracy_without_exclusions():
    gold = list("aabbcc")
    pred = list("abbcca")
    overall, _ = classification_report(gold, pred)
    assert overall["micro_f1"] == pytest.approx(overall["accuracy"]) == pytest.approx(0.5)


def test_multilabel_report_known_values():
    gold = [{"K", "F"}, {"F"}, set(), {"A"}]
    pred = [{"F"}, {"F", "K"}, {"A"}, {"A"}]
    overall, rows = multilabel_report(gold, pred, ["K", "F", "A"])
    assert rows["K"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1})
    assert rows["F"] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2})
    assert rows["A"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert overall["macro_f1"] == pytest.approx((0 + 1 + 2 / 3) / 3)
    # micro: tp 3, fp 2, fn 1
    assert overall["micro_f1"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert overall["subset_accuracy"] == pytest.approx(0.25)


def test_span_prf_exact_char_spans():
    gold = [{(0, 5), (10, 12)}, {(3, 4, "S")}]
    pred = [{(0, 5), (11, 12)}, {(3, 4, "T")}]
    r = span_prf(gold, pred)
    assert (r["tp"], r["fp"], r["fn"], r["support"]) == (1, 2, 2, 3)
    assert r["precision"] == pytest.approx(1 / 3)
    assert r["recall"] == pytest.approx(1 / 3)
    assert span_prf([[]], [[]])["f1"] == 0.0


def test_overlap_span_prf_is_one_to_one():
    gold = [[(0, 5), (10, 12)]]
    pred = [[(1, 3), (2, 4), (11, 20)]]
    r = overlap_span_prf(gold, pred)
    # (1,3) takes (0,5); (2,4) has nothing left; (11,20) takes (10,12)
    assert (r["tp"], r["fp"], r["fn"]) == (2, 1, 0)
    # labels must agree when both spans carry one
    r = overlap_span_prf([[(0, 5, "S")]], [[(0, 5, "T")]])
    assert (r["tp"], r["fp"], r["fn"]) == (0, 1, 1)


def test_confusion_counts():
    assert confusion(["a", "a", "b"], ["a", "b", "b"]) == {"a": {"a": 1, "b": 1}, "b": {"b": 1}}


def test_kfold_deterministic_partition():
    items = list(range(23))
    s1 = kfold(items, k=5, seed=3)
    s2 = kfold(23, k=5, seed=3)
    assert s1 == s2
    assert len(s1) == 5
    tests = [set(t) for _, t in s1]
    assert set().union(*tests) == set(range(23))
    assert sum(len(t) for t in tests) == 23
    assert sorted(len(t) for t in tests) == [4, 4, 5, 5, 5]
    for train, test in s1:
        assert not set(train) & set(test)
        assert sorted(train + test) == items
    assert kfold(items, k=5, seed=4) != s1
    with pytest.raises(ValueError):
        kfold(3, k=5)
    with pytest.raises(ValueError):
        kfold(10, k=1)


def test_kfold_groups_stay_together():
    groups = ["d1", "d1", "d2", "d3", "d3", "d3", "d4", "d5", "d5", "d6"]
    splits = kfold(groups, k=3, seed=0, groups=groups)
    assert splits == kfold(len(groups), k=3, seed=0, groups=groups)
    for train, test in splits:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
    assert sorted(i for _, t in splits for i in t) == list(range(len(groups)))


def test_strongest_event():
    t = "Rebels attacked a town and officials met."
    a = ev(t, "ASSAULT", "attacked", confidence=0.6)
    b = ev(t, "CONSULT", "met", confidence=0.9)
    c = ev(t, "ASSAULT", "attacked", confidence=0.99, modality="negated")
    assert strongest_event([a, b]) is b
    assert strongest_event([a, b, c]) is b
    assert strongest_event([a, b, c], include_negated=True) is c
    assert strongest_event([]) is None
    # ties: larger |intensity| wins
    x = ev(t, "CONSULT", "met")
    y = ev(t, "ASSAULT", "attacked")
    y.intensity = -9.0
    assert strongest_event([x, y]) is y


# --------------------------------------------------------------------------- report, dispatch


def test_report_json_and_table():
    r = EvalReport(
        dataset="x",
        path="/p",
        n_items=2,
        overall={"macro_f1": 0.5, "nan": float("nan")},
        per_class={"A": {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}},
        extra={"actors": {"source": {"code_accuracy": 0.5, "code_n": 2}}, "note": "hello", "list": [1, 2]},
    )
    d = json.loads(r.to_json())
    assert d["overall"]["macro_f1"] == 0.5 and d["overall"]["nan"] is None
    assert d["per_class"]["A"]["support"] == 2
    table = r.to_table()
    for s in ("precision", "recall", "f1", "support", "macro_f1", "0.667", "[actors]", "code_accuracy", "hello"):
        assert s in table


def test_unknown_dataset_is_e020(tmp_path):
    with pytest.raises(CasusError) as ei:
        run("no-such-set", tmp_path, no_events)
    assert ei.value.code == "E020"
    assert "plover-gsr" in str(ei.value)
    assert {"plover-gsr", "conflibert-cameo", "case2021", "india-police"} <= set(DATASETS)  # others register too


def test_missing_path_is_e008(tmp_path):
    for name in DATASETS:
        with pytest.raises(CasusError) as ei:
            run(name, tmp_path / "absent", no_events, progress=False)
        assert ei.value.code == "E008"


def test_predict_contract_is_checked(tmp_path):
    f = tmp_path / "snips.tsv"
    f.write_text("id\tEventSnippet\tSubType\n1\tTroops shelled a village\tART_MISS_ATTACK\n", encoding="utf-8")
    with pytest.raises(ValueError, match="one list of events per text"):
        run("case2021", f, lambda texts: [], progress=False)
    with pytest.raises(ValueError, match="Event"):
        run("case2021", f, lambda texts: [["not an event"] for _ in texts], progress=False)


# --------------------------------------------------------------------------- plover-gsr

GSR_RECORDS = [
    {
        "id": "TEST-DOCUMENT-0001",
        "event": "DOCUMENT",
        "eventText": "'DOCUMENT' records describe the file",
        "version": "0.5b1",
    },
    {
        "id": "TEST-DEMAND-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Ruritania", "code": "RUR", "sector": "GOV"}],
        "target": [{"actorText": "Freedonia", "code": "FRE"}],
        "event": "DEMAND",
        "eventText": "demanded release",
        "context": "diplomatic",
        "text": "Ruritania on Monday demanded that Freedonia release the detained fishermen.",
        "textInfo": {
            "markup": "(SRC: Ruritania) on Monday (EVT: demanded) that (TAR: Freedonia) (EVT: release) the detained fishermen."
        },
        "language": "en",
    },
    {
        "id": "TEST-FIGHT-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Ruritanian army", "code": "RUR", "sector": "MIL"}],
        "target": [{"actorText": "rebel positions", "code": "RUR", "sector": "REBnorth"}],
        "event": "FIGHT",
        "eventText": "shelled",
        "mode": "heavy-weapons",
        "context": "military",
        "text": "The Ruritanian army shelled rebel positions near the border.",
        "textInfo": {"markup": "The (SRC: Ruritanian army) (EVT: shelled) (TAR: rebel positions) near the border."},
    },
    {
        "id": "TEST-AGREE-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Freedonia", "code": "FRE"}, {"actorText": "Sylvania", "code": "SYL"}],
        "target": "",
        "event": "AGREE",
        "eventText": "agreed talks",
        "context": "diplomatic",
        "text": "Freedonia and Sylvania agreed to hold talks next month.",
        "textInfo": {
            "markup": "(SRC/TAR: Freedonia) and (SRC/TAR: Sylvania) (EVT: agreed) to hold (EVT: talks) next month."
        },
    },
    {
        "id": "TEST-INVESTIGATE-0001",
        "date": "2000-01-01",
        "source": [{"actorText": "Sylvanian prosecutors", "code": "SYL", "sector": "JUD"}],
        "target": None,
        "event": "INVESTIGATE",
        "eventText": "opened an inquiry",
        "text": "Sylvanian prosecutors opened an inquiry into the bank.",
        "textInfo": {"markup": "(SRC: Sylvanian prosecutors) (EVT: opened an inquiry) into the bank."},
    },
]


def _write_gsr(tmp_path: Path, records=GSR_RECORDS) -> Path:
    f = tmp_path / "PLOVER_GSR_TEST.json"
    f.write_text(json.dumps(records, indent=1), encoding="utf-8")
    return f


def test_plover_gsr_reader(tmp_path):
    items = plover_gsr.read(_write_gsr(tmp_path))
    assert [it.event for it in items] == ["REQUEST", "ASSAULT", "AGREE", "ACCUSE"]
    assert [it.event_raw for it in items] == ["DEMAND", "FIGHT", "AGREE", "INVESTIGATE"]
    demand = items[0]
    # "demanded release" is two EVT pieces of the markup, not a substring
    assert [demand.text[a:b] for a, b in demand.event_spans] == ["demanded", "release"]
    assert demand.source[0].code == "RUR" and demand.source[0].sector == "GOV"
    assert demand.target[0].sector is None
    assert items[2].target == [] and len(items[2].source) == 2
    assert items[3].target == []
    assert items[1].mode == "heavy-weapons" and items[1].context == ["military"]
    assert len(plover_gsr.read(_write_gsr(tmp_path), limit=2)) == 2


def test_plover_type_mapping_follows_codebook():
    assert plover_gsr.map_type("DEMAND") == "REQUEST"
    assert plover_gsr.map_type("DISAPPROVE") == "ACCUSE"
    assert plover_gsr.map_type("INVESTIGATE") == "ACCUSE"
    assert plover_gsr.map_type("FIGHT") == "ASSAULT"
    assert plover_gsr.map_type("assault") == "ASSAULT"
    assert plover_gsr.map_type("SACTION") == "SANCTION"


def test_locate_event_text_word_fallback():
    text = "Protesters blocked the main road for hours."
    assert plover_gsr.locate_event_text(text, "blocked road") == [(11, 18), (28, 32)]
    assert plover_gsr.locate_event_text(text, "blocked the main road") == [(11, 32)]


@pytest.mark.parametrize(
    "content, detail",
    [
        ("{not json", "invalid JSON"),
        ('{"a": 1}', "JSON array"),
        ("[1, 2]", "expected an object"),
        ('[{"id": "x", "event": "AGREE"}]', "no 'text'"),
        ('[{"id": "x", "text": "Something happened."}]', "no 'event'"),
        ('[{"id": "x", "event": "AGREE", "text": "A met B.", "source": "A"}]', "must be a list"),
        ('[{"id": "d", "event": "DOCUMENT"}]', "no event records"),
    ],
)
def test_plover_gsr_bad_format(tmp_path, content, detail):
    f = tmp_path / "bad.json"
    err = expect_format_error(f, content, detail, plover_gsr.read)
    assert str(f) in str(err)


def test_plover_gsr_bad_encoding_is_e021(tmp_path):
    f = tmp_path / "latin1.json"
    f.write_bytes('[{"event": "AGREE", "text": "S\xe3o Tom\xe9"}]'.encode("latin-1"))
    with pytest.raises(CasusError) as ei:
        plover_gsr.read(f)
    assert ei.value.code == "E021" and "UTF-8" in str(ei.value)


def test_plover_gsr_end_to_end(tmp_path):
    f = _write_gsr(tmp_path)
    t1 = GSR_RECORDS[1]["text"]
    t2 = GSR_RECORDS[2]["text"]
    t3 = GSR_RECORDS[3]["text"]
    table = {
        # right type, but a more confident off-target event exists: the overlapping one is chosen
        t1: [
            ev(t1, "REQUEST", "demanded", actors=[actor(t1, "Ruritania", "RUR", "GOV")],
               recipients=[actor(t1, "Freedonia", "FRE", "GOV")], confidence=0.4),
            ev(t1, "COERCE", "detained", confidence=0.9),
        ],
        # right type; actor right code, wrong sector; recipient right code and sector (first 3 letters)
        t2: [ev(t2, "ASSAULT", "shelled", actors=[actor(t2, "Ruritanian army", "RUR", "GOV")],
                recipients=[actor(t2, "rebel positions", "RUR", "REB")])],
        # wrong type, no overlap with gold event text: the most confident event is taken
        t3: [ev(t3, "CONSULT", "hold", actors=[actor(t3, "Freedonia", "FRE")], confidence=0.3),
             ev(t3, "SUPPORT", "next month", confidence=0.2)],
        # 4th record: no event
    }
    predict = table_predict(table)
    r = run("plover-gsr", f, predict, progress=False)
    assert isinstance(r, EvalReport)
    assert r.dataset == "plover-gsr" and r.n_items == 4 and r.path == str(f)
    assert r.extra["confusion"] == {
        "ACCUSE": {"NONE": 1},
        "AGREE": {"CONSULT": 1},
        "ASSAULT": {"ASSAULT": 1},
        "REQUEST": {"REQUEST": 1},
    }
    assert r.overall["accuracy"] == pytest.approx(0.5)
    assert r.per_class["REQUEST"]["f1"] == 1.0
    assert r.per_class["CONSULT"]["precision"] == 0.0
    # macro over the types present in gold or predictions: REQUEST 1, ASSAULT 1, AGREE 0, ACCUSE 0, CONSULT 0
    assert r.overall["macro_f1"] == pytest.approx(2 / 5)
    assert set(r.per_class) >= {"AGREE", "ACCUSE", "ASSAULT", "REQUEST", "SANCTION"}
    actors = r.extra["actors"]
    # sources: RUR(GOV) ok+ok, RUR(MIL) code ok sector wrong, FRE ok, SYL missed, SYL(JUD) missed (no event)
    assert actors["source"] == {
        "code_accuracy": pytest.approx(3 / 5), "code_correct": 3, "code_n": 5,
        "sector_accuracy": pytest.approx(1 / 3), "sector_correct": 1, "sector_n": 3,
    }
    # targets: FRE ok (no gold sector), RUR(REBnorth) ok+ok
    assert actors["target"]["code_correct"] == 2 and actors["target"]["code_n"] == 2
    assert actors["target"]["sector_correct"] == 1 and actors["target"]["sector_n"] == 1
    assert actors["all"]["code_n"] == 7
    assert r.overall["actor_code_accuracy"] == pytest.approx(5 / 7)
    assert r.extra["trigger"]["chosen_event_overlaps_gold_event_text"] == 2
    assert r.extra["trigger"]["no_event_predicted"] == 1
    assert "ASSAULT" in r.to_table()
    json.loads(r.to_json())


def test_plover_gsr_shared_sentence_predicted_once(tmp_path):
    recs = [dict(GSR_RECORDS[1]), dict(GSR_RECORDS[1], id="TEST-DEMAND-0002")]
    predict = table_predict({})
    r = plover_gsr.run(_write_gsr(tmp_path, recs), predict, progress=False)
    assert r.n_items == 2
    assert predict.calls == [1]


# --------------------------------------------------------------------------- conflibert-cameo

CLASS_TSV = (
    "The Ruritanian minister said the talks would continue.\t0\r\n"
    "Freedonia and Sylvania signed a trade pact on Monday.\t1\r\n"
    "Sylvania lifted its ban on Freedonian imports.\t2\r\n"
    "Ruritania condemned the Freedonian statement.\t3\r\n"
    "Rebels shelled the outskirts of the capital.\t4\r\n"
)

NER_TXT = """\
Freedonia B-R
and O
Sylvania B-R
signed O
a O
pact O
. O

the B-S
Sylvanian I-S
army I-S
shelled O
rebel B-T
positions I-T
. O

police I-S
arrested O
two B-T
men I-T
. O
"""


def _write_conflibert(tmp_path: Path) -> Path:
    d = tmp_path / "cameo"
    d.mkdir()
    (d / "cameo_class.dev.tsv").write_bytes(CLASS_TSV.encode("utf-8"))
    (d / "cameo_ner.dev.txt").write_text(NER_TXT, encoding="utf-8")
    return d


def test_conflibert_readers(tmp_path):
    d = _write_conflibert(tmp_path)
    items = conflibert.read_class_file(d / "cameo_class.dev.tsv")
    assert [it.label for it in items] == [0, 1, 2, 3, 4]
    assert items[0].text.endswith("continue.")  # no \r left
    sents = conflibert.read_ner_file(d / "cameo_ner.dev.txt")
    assert len(sents) == 3
    s = sents[1]
    assert s.text == "the Sylvanian army shelled rebel positions."  # running text again
    assert s.offsets[1] == (4, 13) and s.text[4:13] == "Sylvanian"
    assert s.spans == [(0, 3, "S"), (4, 6, "T")]
    assert sents[0].spans == [(0, 1, "R"), (2, 3, "R")]
    # I- without B- starts a span
    assert sents[2].spans == [(0, 1, "S"), (2, 4, "T")]
    cls, ner = conflibert.discover(d)
    assert [p.name for p in cls] == ["cameo_class.dev.tsv"] and [p.name for p in ner] == ["cameo_ner.dev.txt"]
    assert conflibert.discover(d / "cameo_ner.dev.txt") == ([], [d / "cameo_ner.dev.txt"])


def test_bio_roundtrip():
    tags = ["B-S", "I-S", "O", "I-T", "B-T", "I-S", "O"]
    spans = conflibert.bio_to_spans(tags)
    assert spans == [(0, 2, "S"), (3, 4, "T"), (4, 5, "T"), (5, 6, "S")]
    assert conflibert.spans_to_bio(7, spans) == ["B-S", "I-S", "O", "B-T", "B-T", "B-S", "O"]
    # overlapping later span dropped
    assert conflibert.spans_to_bio(3, [(0, 2, "S"), (1, 3, "T")]) == ["B-S", "I-S", "O"]


@pytest.mark.parametrize(
    "name, content, detail",
    [
        ("cameo_class.x.tsv", "A sentence without a label\n", "no TAB"),
        ("cameo_class.x.tsv", "sentence\tlabel\nRebels attacked.\t7\n", "not one of 0, 1, 2, 3, 4"),
        ("cameo_class.x.tsv", "\n\n", "no labelled sentences"),
        ("cameo_ner.x.txt", "Rebels B-S\nattacked\n", "expected 'token label'"),
        ("cameo_ner.x.txt", "Rebels B-PER\n", "is not O, B-S"),
    ],
)
def test_conflibert_bad_format(tmp_path, name, content, detail):
    expect_format_error(tmp_path / name, content, detail, lambda f: conflibert.run(f, no_events, progress=False))


def test_conflibert_empty_dir_is_e021(tmp_path):
    with pytest.raises(CasusError) as ei:
        run("conflibert-cameo", tmp_path, no_events, progress=False)
    assert ei.value.code == "E021" and "cameo_class" in str(ei.value)


def test_penta_class_mapping():
    t = "x happened"
    assert conflibert.predict_class([]) == 0
    assert conflibert.penta_class(ev(t, "AGREE", "x")) == 1
    assert conflibert.penta_class(ev(t, "CONCEDE", "x", quad_class=1)) == 2  # CAMEO 08 YIELD
    assert conflibert.penta_class(ev(t, "RETREAT", "x")) == 2
    assert conflibert.penta_class(ev(t, "REQUEST", "x")) == 3
    assert conflibert.penta_class(ev(t, "ASSAULT", "x")) == 4
    # this data files CAMEO 16 "reduce relations" (SANCTION) under verbal conflict; 15 and 17 stay material
    assert conflibert.penta_class(ev(t, "SANCTION", "x", cameo="166")) == 3
    assert conflibert.penta_class(ev(t, "SANCTION", "x")) == 3
    assert conflibert.penta_class(ev(t, "MOBILIZE", "x", cameo="150")) == 4
    assert conflibert.penta_class(ev(t, "COERCE", "x", cameo="173")) == 4
    assert conflibert.penta_class(ev(t, "REQUEST", "x", cameo="020")) == 0  # appeal
    assert conflibert.penta_class(ev(t, "UNKNOWN", "x", quad_class=2)) == 2
    assert conflibert.predict_class([ev(t, "ASSAULT", "x", modality="negated")]) == 0


def test_conflibert_end_to_end(tmp_path):
    d = _write_conflibert(tmp_path)
    lines = [ln.split("\t")[0] for ln in CLASS_TSV.split("\r\n") if ln]
    sents = [s.text for s in conflibert.read_ner_file(d / "cameo_ner.dev.txt")]
    n0, n1, n2 = sents
    table = {
        lines[1]: [ev(lines[1], "AGREE", "signed")],
        lines[2]: [ev(lines[2], "CONCEDE", "lifted", quad_class=1)],
        lines[3]: [ev(lines[3], "ASSAULT", "condemned")],  # wrong: 4 for gold 3
        lines[4]: [ev(lines[4], "ASSAULT", "shelled", confidence=0.9), ev(lines[4], "ACCUSE", "capital", confidence=0.1)],
        # R spans: both compound actors in ``actor`` (PLOVER style)
        n0: [ev(n0, "AGREE", "signed", actors=[actor(n0, "Freedonia"), actor(n0, "Sylvania")])],
        # source span too short (no "the"), target exact; partial token char span covers the token
        n1: [ev(n1, "ASSAULT", "shelled", actors=[actor(n1, "Sylvanian army")], recipients=[actor(n1, "rebel posit")])],
        # roles swapped
        n2: [ev(n2, "COERCE", "arrested", actors=[actor(n2, "two men")], recipients=[actor(n2, "police")])],
    }
    r = run("conflibert-cameo", d, table_predict(table), progress=False)
    assert r.n_items == 5 + 3
    assert r.extra["counts"] == {"class_sentences": 5, "ner_sentences": 3}
    assert r.extra["confusion"]["3:VERBAL_CONFLICT"] == {"4:MATERIAL_CONFLICT": 1}
    assert r.overall["accuracy"] == pytest.approx(4 / 5)
    assert r.per_class["4:MATERIAL_CONFLICT"]["precision"] == pytest.approx(0.5)
    assert r.per_class["0:NEUTRAL"]["f1"] == 1.0
    # class 3 has f1 0, others 1 (class 4: p .5 r 1 -> .667)
    assert r.overall["macro_f1"] == pytest.approx((1 + 1 + 1 + 0 + 2 / 3) / 5)
    assert r.overall["macro_f1_quad"] == pytest.approx((1 + 1 + 0 + 2 / 3) / 4)
    ex = r.extra["spans_exact"]
    # source: R,R matched (2 tp); n1 source wrong (1 fp, 1 fn); n2 source "police" predicted as T (1 fn) and "two men" as S (1 fp)
    assert (ex["source"]["tp"], ex["source"]["fp"], ex["source"]["fn"]) == (2, 2, 2)
    # target: R,R matched via the source predictions (2 tp); n1 target exact (1 tp); n2 swapped (1 fp, 1 fn)
    assert (ex["target"]["tp"], ex["target"]["fp"], ex["target"]["fn"]) == (3, 1, 1)
    assert (ex["micro"]["tp"], ex["micro"]["fp"], ex["micro"]["fn"]) == (5, 3, 3)
    assert r.overall["span_micro_f1"] == pytest.approx(5 / 8)
    ov = r.extra["spans_overlap"]
    assert ov["source"]["tp"] == 3  # "Sylvanian army" overlaps "the Sylvanian army"
    assert r.extra["gold_span_counts"] == {"S": 2, "T": 2, "R": 2}
    # no NER sentence has a class line with its text here
    assert {k: v["sentences"] for k, v in r.extra["spans_by_gold_class"].items()} == {"no class line": 3}


def test_conflibert_spans_by_gold_class(tmp_path):
    d = _write_conflibert(tmp_path)
    sents = conflibert.read_ner_file(d / "cameo_ner.dev.txt")
    preds = [[], [(0, 3, "S"), (4, 6, "T")], [(2, 4, "S")]]
    # the class line is matched by normalised text (case, spaces and punctuation aside)
    labels = {conflibert._norm("The Sylvanian army shelled rebel positions!"): 4, conflibert._norm(sents[2].text): 3}
    rows = conflibert.spans_by_class(sents, preds, labels)
    assert {k: v["sentences"] for k, v in rows.items()} == {
        "3:VERBAL_CONFLICT": 1, "4:MATERIAL_CONFLICT": 1, "1-4 pooled": 2, "no class line": 1}
    assert rows["4:MATERIAL_CONFLICT"]["source_exact_f1"] == 1.0 and rows["4:MATERIAL_CONFLICT"]["target_exact_f1"] == 1.0
    assert rows["3:VERBAL_CONFLICT"]["source_exact_f1"] == 0.0  # "two men" is the target, not the source
    assert rows["1-4 pooled"]["target_exact_f1"] == pytest.approx(2 / 3)  # 1 tp, 0 fp, 1 fn


def test_conflibert_limit_and_all_events(tmp_path):
    d = _write_conflibert(tmp_path)
    r = conflibert.run(d, no_events, limit=2, progress=False)
    assert r.extra["counts"] == {"class_sentences": 2, "ner_sentences": 2}
    n1 = conflibert.read_ner_file(d / "cameo_ner.dev.txt")[1]
    evs = [
        ev(n1.text, "ASSAULT", "shelled", actors=[actor(n1.text, "the Sylvanian army")], confidence=0.9),
        ev(n1.text, "ASSAULT", "shelled", recipients=[actor(n1.text, "rebel positions")], confidence=0.1),
    ]
    assert conflibert.predicted_spans(n1, evs) == [(0, 3, "S")]
    assert conflibert.predicted_spans(n1, evs, all_events=True) == [(0, 3, "S"), (4, 6, "T")]


# --------------------------------------------------------------------------- case2021

CASE_TSV = (
    "id\tEventSnippet\tSubType\n"
    "101\tGovernment warplanes carried out an air strike on a market in the north\tAIR_STRIKE\n"
    '102\tPolice arrested three "suspected" smugglers at the port on Friday\tARREST\n'
    "103\tHundreds marched peacefully through the capital demanding higher wages\tPEACE_PROTEST\n"
    "104\tA strong earthquake damaged houses in the mountain district\tNATURAL_DISASTER\n"
)


def test_case2021_reader(tmp_path):
    f = tmp_path / "task2.tsv"
    f.write_text(CASE_TSV, encoding="utf-8")
    items = case2021.read(f)
    assert [it.id for it in items] == ["101", "102", "103", "104"]
    assert items[1].text == 'Police arrested three "suspected" smugglers at the port on Friday'
    assert items[3].label == "NATURAL_DISASTER"
    # columns found by name
    g = tmp_path / "swapped.tsv"
    g.write_text("SubType\tid\tEventSnippet\nARREST\t9\tTwo men were detained\n", encoding="utf-8")
    assert case2021.read(g)[0].text == "Two men were detained"


@pytest.mark.parametrize(
    "content, detail",
    [
        ("", "empty"),
        ("id,EventSnippet,SubType\n1,a,b\n", "header row"),
        ("id\tEventSnippet\tSubType\n1\tonly two fields\n", "TAB-separated fields"),
        ("id\tEventSnippet\tSubType\n1\tsome text\t\n", "empty SubType"),
        ("id\tEventSnippet\tSubType\n", "no snippets"),
    ],
)
def test_case2021_bad_format(tmp_path, content, detail):
    expect_format_error(tmp_path / "bad.tsv", content, detail, lambda f: run("case2021", f, no_events, progress=False))


@pytest.mark.parametrize(
    "etype, trigger, kw, expected",
    [
        ("ASSAULT", "carried out an air strike", {}, "AIR_STRIKE"),
        ("ASSAULT", "bombed", {"mode": "aerial"}, "AIR_STRIKE"),
        ("ASSAULT", "blew himself up", {}, "SUIC_BOMB"),
        ("ASSAULT", "attacked", {"mode": "suicide-attack"}, "SUIC_BOMB"),
        ("ASSAULT", "hurled a grenade", {}, "GRENADE"),
        ("ASSAULT", "fired rocket-propelled grenades", {}, "ART_MISS_ATTACK"),
        ("ASSAULT", "shelling", {}, "ART_MISS_ATTACK"),
        ("ASSAULT", "planted an IED", {}, "REM_EXPLOS"),
        ("ASSAULT", "attacked", {"mode": "explosives"}, "REM_EXPLOS"),
        ("ASSAULT", "chlorine attack", {}, "CHEM_WEAP"),
        ("ASSAULT", "raped", {}, "SEX_VIOL"),
        ("ASSAULT", "kidnapped", {}, "ABDUCT_DISSAP"),
        ("ASSAULT", "lynched", {}, "MOB_VIOL"),
        ("ASSAULT", "recaptured", {"actors": [Actor("army", 0, 4, sector="MIL")]}, "GOV_REGAINS_TERIT"),
        ("ASSAULT", "seized the town", {"actors": [Actor("rebels", 0, 6, sector="REB")]}, "NON_STATE_ACTOR_OVERTAKES_TER"),
        ("ASSAULT", "torched", {}, "PROPERTY_DISTRUCT"),
        ("ASSAULT", "clashed", {}, "ARMED_CLASH"),
        ("ASSAULT", "opened fire", {"recipients": [Actor("villagers", 0, 9, sector="CVL")]}, "ATTACK"),
        ("ASSAULT", "killed", {"recipients": [Actor("soldiers", 0, 8, sector="MIL")]}, "ARMED_CLASH"),
        ("PROTEST", "marched", {}, "PEACE_PROTEST"),
        ("PROTEST", "rioted", {"mode": "riot"}, "VIOL_DEMONSTR"),
        ("PROTEST", "threw stones", {}, "VIOL_DEMONSTR"),
        ("COERCE", "arrested", {}, "ARREST"),
        ("COERCE", "raided", {"mode": "arrest"}, "ARREST"),
        ("COERCE", "seized a weapons cache", {"mode": "seize"}, "DISR_WEAP"),
        ("COERCE", "imposed a curfew", {"mode": "curfew"}, "OTHER"),
        ("MOBILIZE", "set up a military base", {}, "HQ_ESTABLISHED"),
        ("MOBILIZE", "deployed troops", {}, "CHANGE_TO_GROUP_ACT"),
        ("RETREAT", "withdrew", {"mode": "withdraw"}, "CHANGE_TO_GROUP_ACT"),
        ("RETREAT", "handed over the town", {"mode": "withdraw"}, "NON_VIOL_TERRIT_TRANSFER"),
        ("RETREAT", "surrendered", {}, "AGREEMENT"),
        ("AGREE", "agreed a ceasefire", {}, "AGREEMENT"),
        ("CONSULT", "met", {}, "DIPLO"),
        ("SANCTION", "expelled two diplomats", {"mode": "expel"}, "DIPLO"),
        ("ACCUSE", "blamed", {}, "ATTRIB"),
        ("ACCUSE", "condemned", {}, "DIPLO"),
        ("AGREE", "claimed responsibility", {}, "ATTRIB"),
        ("AID", "sent relief after the floods", {"context": ["disasters"]}, "NATURAL_DISASTER"),
        ("ASSAULT", "explosion", {"context": ["disasters"]}, "MAN_MADE_DISASTER"),
        ("COERCE", "busted a drug smuggling ring", {"context": ["illegal_drugs"]}, "ORG_CRIME"),
        ("AID", "delivered food", {}, "OTHER"),
    ],
)
def test_to_acled(etype, trigger, kw, expected):
    text = f"Someone {trigger} somewhere."
    assert to_acled([ev(text, etype, trigger, **kw)]) == expected


def test_to_acled_protest_interplay_and_no_event():
    t = "Police fired tear gas and arrested marchers as thousands protested."
    protest = ev(t, "PROTEST", "protested", confidence=0.4)
    police = [Actor("Police", 0, 6, sector="COP")]
    arrest = ev(t, "COERCE", "arrested", actors=police, confidence=0.9)
    assert to_acled([protest, arrest]) == "PROTEST_WITH_INTER"
    shot = ev(t, "ASSAULT", "fired", actors=police, confidence=0.9)
    assert to_acled([protest, shot]) == "PROTEST_WITH_INTER"
    killed = ev(t, "ASSAULT", "shot dead", actors=police, confidence=0.9)
    assert to_acled([protest, killed]) == "FORCE_AGAINST_PROTEST"
    assert to_acled([]) == "OTHER"
    assert to_acled([ev(t, "ASSAULT", "fired", modality="negated")]) == "OTHER"


def test_case2021_end_to_end(tmp_path):
    f = tmp_path / "task2.tsv"
    f.write_text(CASE_TSV, encoding="utf-8")
    items = case2021.read(f)
    t = [it.text for it in items]
    table = {
        t[0]: [ev(t[0], "ASSAULT", "air strike")],
        t[1]: [ev(t[1], "COERCE", "arrested", mode="arrest")],
        t[2]: [ev(t[2], "PROTEST", "marched")],
        # t[3]: no event -> OTHER (gold NATURAL_DISASTER)
    }
    r = run("case2021", f, table_predict(table), progress=False)
    assert r.n_items == 4
    assert r.overall["accuracy"] == pytest.approx(0.75)
    # weighted over gold supports: 3 classes f1 1, NATURAL_DISASTER 0, OTHER has no support
    assert r.overall["weighted_f1"] == pytest.approx(0.75)
    assert r.per_class["OTHER"]["precision"] == 0.0 and r.per_class["OTHER"]["support"] == 0
    assert "ARMED_CLASH" not in r.per_class  # rows only for labels that occur
    assert r.extra["confusion"]["NATURAL_DISASTER"] == {"OTHER": 1}


# --------------------------------------------------------------------------- india-police

IPE_LINES = [
    {"doc_id": 7, "sent_id": 0, "sent_labels": [], "sent_text": "This story is from March 3, 2002"},
    {"doc_id": 7, "sent_id": 1, "sent_labels": ["KILL", "FORCE", "ANY_ACTION"],
     "sent_text": "two men were killed in police firing near the old bridge."},
    {"doc_id": 7, "sent_id": 2, "sent_labels": ["ANY_ACTION", "ARREST"],
     "sent_text": "twelve persons were arrested for arson, the officer said."},
    {"doc_id": 8, "sent_id": 0, "sent_labels": ["FAIL"],
     "sent_text": "residents said the police did not stop the mob \u00e2\u20ac\u02dcfor hours\u00e2\u20ac\u2122."},
    {"doc_id": 8, "sent_id": 1, "sent_labels": ["ANY_ACTION"],
     "sent_text": "extra police were deployed in the walled city."},
]


def _write_ipe(tmp_path: Path) -> Path:
    d = tmp_path / "ipe"
    d.mkdir()
    (d / "sents.dev.jsonl").write_text("\n".join(json.dumps(x) for x in IPE_LINES) + "\n", encoding="utf-8")
    (d / "docs.dev.jsonl").write_text(json.dumps({"doc_id": 7, "doc_text": "x", "doc_labels": []}) + "\n", encoding="utf-8")
    return d


def test_india_police_reader(tmp_path):
    d = _write_ipe(tmp_path)
    sents = india_police.read(d)
    assert len(sents) == 5
    assert sents[1].labels == ["KILL", "FORCE", "ANY_ACTION"]
    assert sents[3].doc_id == 8
    assert india_police.read(d / "sents.dev.jsonl", limit=2)[1].sent_id == 1


def test_repair_mojibake():
    assert india_police.repair_mojibake("the bjp\u00e2\u20ac\u2122s allies") == "the bjp\u2019s allies"
    assert india_police.repair_mojibake("\u00e2\u20ac\u0153yes\u00e2\u20ac\ufffd") == "\u201cyes\u201d"
    assert india_police.repair_mojibake("caf\u00c3\u00a9 and plain text") == "caf\u00e9 and plain text"
    assert india_police.repair_mojibake("no damage here: \u00e9t\u00e9") == "no damage here: \u00e9t\u00e9"


@pytest.mark.parametrize(
    "content, detail",
    [
        ("{not json}\n", "invalid JSON"),
        ("[1, 2]\n", "JSON object"),
        ('{"doc_id": 1, "doc_text": "x", "doc_labels": []}\n', "docs.jsonl"),
        ('{"doc_id": 1, "sent_id": 0, "sent_labels": "KILL", "sent_text": "x"}\n', "list of label names"),
        ('{"doc_id": 1, "sent_id": 0, "sent_labels": ["SHOOT"], "sent_text": "x"}\n', "unknown label"),
        ("\n", "no sentences"),
    ],
)
def test_india_police_bad_format(tmp_path, content, detail):
    expect_format_error(tmp_path / "sents.bad.jsonl", content, detail,
                        lambda f: run("india-police", f, no_events, progress=False))


def test_india_police_no_sents_file_is_e021(tmp_path):
    (tmp_path / "docs.dev.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(CasusError) as ei:
        run("india-police", tmp_path, no_events, progress=False)
    assert ei.value.code == "E021" and "sents.*.jsonl" in str(ei.value)


def test_india_police_label_mapping():
    t = "two men were killed in police firing and police arrested twelve rioters after the army fired."
    police = actor(t, "police", sector="COP")
    kill = ev(t, "ASSAULT", "killed", actors=[police])
    assert india_police.labels_from_events([kill]) == {"KILL", "FORCE", "ANY_ACTION"}
    # police named in the trigger only ("police firing")
    fire = ev(t, "ASSAULT", "police firing")
    assert india_police.labels_from_events([fire]) == {"FORCE", "ANY_ACTION"}
    # arrest with no named actor: attributed to the police
    arrest = ev(t, "COERCE", "arrested", mode="arrest")
    assert india_police.labels_from_events([arrest]) == {"ARREST", "ANY_ACTION"}
    # arrest-like act by a named non-police actor: nothing
    mob = ev(t, "COERCE", "arrested", actors=[actor(t, "rioters", sector="CVL")])
    assert india_police.labels_from_events([mob]) == set()
    # the army is not the police
    army = ev(t, "ASSAULT", "fired", actors=[actor(t, "army", sector="MIL")])
    assert india_police.labels_from_events([army]) == set()
    # any other police event
    deploy = ev(t, "MOBILIZE", "arrested", actors=[police])
    assert india_police.labels_from_events([deploy]) == {"ANY_ACTION"}
    # negated police event -> FAIL only
    neg = ev(t, "COERCE", "arrested", actors=[police], modality="negated")
    assert india_police.labels_from_events([neg]) == {"FAIL"}
    # police COERCE with force words
    tear = ev("police fired tear gas at the crowd", "COERCE", "fired tear gas",
              actors=[Actor("police", 0, 6)])
    assert india_police.labels_from_events([tear]) == {"FORCE", "ANY_ACTION"}


def test_india_police_end_to_end(tmp_path):
    d = _write_ipe(tmp_path)
    texts_seen: list[str] = []
    s1 = IPE_LINES[1]["sent_text"]
    s2 = IPE_LINES[2]["sent_text"]
    s4 = IPE_LINES[4]["sent_text"]

    def predict(texts):
        texts_seen.extend(texts)
        out = []
        for t in texts:
            if t == s1:
                out.append([ev(t, "ASSAULT", "killed", actors=[actor(t, "police", sector="COP")])])
            elif t == s2:
                out.append([ev(t, "COERCE", "arrested")])
            elif t == s4:
                out.append([ev(t, "ASSAULT", "deployed", actors=[actor(t, "police", sector="COP")])])  # FORCE: a false positive
            else:
                out.append([])
        return out

    r = run("india-police", d, predict, progress=False)
    assert r.n_items == 5
    # the mojibake was repaired before prediction
    assert any("\u2018for hours\u2019" in t for t in texts_seen)
    pc = r.per_class
    assert pc["KILL"] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1})
    assert pc["ARREST"]["f1"] == 1.0
    assert pc["FORCE"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert pc["FAIL"]["recall"] == 0.0 and pc["FAIL"]["support"] == 1
    assert pc["ANY_ACTION"]["f1"] == 1.0
    assert r.overall["macro_f1"] == pytest.approx((1 + 1 + 0 + 2 / 3 + 1) / 5)
    assert r.overall["macro_f1_without_fail"] == pytest.approx((1 + 1 + 2 / 3 + 1) / 4)
    assert r.extra["counts"]["documents"] == 2
    # document level: doc 8 has FORCE predicted but not gold, FAIL gold not predicted
    assert r.extra["documents"]["FORCE"]["precision"] == pytest.approx(0.5)
    r2 = india_police.run(d, predict, progress=False, repair_text=False)
    assert r2.n_items == 5


# --------------------------------------------------------------------------- real development files


def test_real_plover_gsr():
    f = _shared("plover_gsr_cameo", "PLOVER_GSR_CAMEO.dev.json")
    r = run("plover-gsr", f, no_events, limit=20, progress=False)
    assert r.n_items == 20
    assert r.overall["accuracy"] == 0.0
    assert sum(row["support"] for row in r.per_class.values()) == 20
    assert set(r.per_class) <= set(PLOVER_TYPES)
    items = plover_gsr.read(f, limit=20)
    # every gold event text was found in its sentence
    assert all(it.event_spans for it in items)


def test_real_conflibert():
    d = _shared("conflibert_cameo")
    r = run("conflibert-cameo", d, no_events, limit=20, progress=False)
    assert r.extra["counts"] == {"class_sentences": 20, "ner_sentences": 20}
    # "no event" is class 0 for every sentence
    assert r.overall["accuracy"] == pytest.approx(r.per_class["0:NEUTRAL"]["support"] / 20)
    assert r.extra["spans_exact"]["micro"]["tp"] == 0
    assert r.extra["spans_exact"]["micro"]["support"] > 0


def test_real_case2021():
    f = _shared("case2021_task2_acled", "test_set_final_release_with_labels.dev.tsv")
    r = run("case2021", f, no_events, limit=20, progress=False)
    assert r.n_items == 20
    assert set(r.extra["confusion"]) <= set(case2021.ACLED_TYPES)


def test_real_india_police():
    d = _shared("india_police_events")
    r = run("india-police", d, no_events, limit=20, progress=False)
    assert r.n_items == 20
    assert r.overall["micro_f1"] == 0.0
    assert set(r.per_class) == set(india_police.LABELS)


def test_conflibert_pronoun_actor_is_scored_on_its_antecedent(tmp_path):
    p = tmp_path / "cameo_ner.dev.txt"
    p.write_text("The B-S\nSylvanian I-S\narmy I-S\nsaid O\nit O\nshelled O\nrebel B-T\npositions I-T\n. O\n", encoding="utf-8")
    s = conflibert.read_ner_file(p)[0]
    it = actor(s.text, "it")
    it.antecedent = (0, len("The Sylvanian army"))
    evs = [ev(s.text, "ASSAULT", "shelled", actors=[it], recipients=[actor(s.text, "rebel positions")])]
    assert conflibert.predicted_spans(s, evs) == [(0, 3, "S"), (6, 8, "T")]
    it.antecedent = None  # unresolved: the pronoun's own span
    assert conflibert.predicted_spans(s, evs) == [(4, 5, "S"), (6, 8, "T")]


def test_gold_sector_names_and_placeholder():
    # PLOVER renamed CAMEO's JRN (media) and MED (health); "***" is the GSR's placeholder for no sector
    assert plover_gsr._gold_sector3("JRN") == "MED"
    assert plover_gsr._gold_sector3("MED") == "HLH"
    assert plover_gsr._gold_sector3("CVLtur") == "CVL"
    assert plover_gsr._gold_sector3("***") is None
    assert plover_gsr._gold_sector3("") is None


def test_conflibert_tokens_are_joined_into_running_text():
    # the parser reads "EU’s", "rebel-held", "1,044" and "U.S" as published, not as spaced tokens
    from casus.eval.conflibert import detokenize

    toks = "The EU ’ s chief ( EEAS ) said 1 , 044 rebel - held U . S - backed sites , 5 % , fell .".split()
    text, offsets = detokenize(toks)
    assert text == "The EU’s chief (EEAS) said 1,044 rebel-held U.S-backed sites, 5%, fell."
    assert [text[a:b] for a, b in offsets] == toks
    # a dash between words that are not one word keeps its spaces; a lone comma after a number too
    text, _ = detokenize("Kabul - the capital , 12 , said".split())
    assert text == "Kabul - the capital, 12, said"
    # a word cut at a letter outside ASCII is one word again; a capitalised word after it is the next name
    text, offsets = detokenize("President Enrique Pe ñ a Nieto met Jos é Carreras in K ı r ı kkale , à la carte".split())
    assert text == "President Enrique Peña Nieto met José Carreras in Kırıkkale, à la carte"
    # a decimal point inside one sentence
    assert detokenize("gave 352 . 5 million euros .".split())[0] == "gave 352.5 million euros."
