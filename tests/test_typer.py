"""The trained event typer: model file round trip, the decision rule, the stage in the pipeline,
and cross-validation folds that never train on the item they score."""

from __future__ import annotations

import numpy as np
import pytest

from casus.errors import CasusError
from casus.events.typer import (
    ACLED_TO_PLOVER,
    NONE,
    TYPE_LABELS,
    EventTyper,
    Example,
    Head,
    TyperModel,
    acled_allowed,
    embed,
    fit,
    sparse_features,
    text_key,
)
from casus.events.ontology import PLOVER_TYPES


def _toy_model(beta=0.0, gamma=0.0, margin=0.0, type_probs=None):
    """A model whose type head returns fixed probabilities (bias only)."""
    type_probs = type_probs or {t: 1.0 for t in TYPE_LABELS}
    labels = TYPE_LABELS
    bias = np.log(np.array([type_probs.get(t, 1e-6) for t in labels], dtype=np.float32))
    d = 256
    head = Head(labels, np.zeros((d, len(labels)), np.float32), {}, bias)
    return TyperModel({"type": head}, beta=beta, gamma=gamma, margin=margin)


def test_static_embeddings_are_unit_length_and_semantic():
    e = embed(["Troops shelled the town.", "Artillery pounded the city.", "The ministers signed a trade pact."])
    assert e.shape == (3, 256)
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-3)
    assert e[0] @ e[1] > e[0] @ e[2]


def test_decide_prefers_rules_with_gamma_and_model_without():
    m = _toy_model(type_probs={"ASSAULT": 0.6, "PROTEST": 0.3, NONE: 0.1})
    typer = EventTyper(m)
    probs = m.predict(np.zeros(256, np.float32), [])
    assert typer.decide(probs, {"PROTEST"})[0] == "ASSAULT"
    m.gamma = 2.0
    assert typer.decide(probs, {"PROTEST"})[0] == "PROTEST"
    # no rule event: NONE gets the rule bonus, and a margin can make it win
    assert typer.decide(probs, set())[0] == NONE
    m.gamma, m.margin = 0.0, 0.0
    assert typer.decide(probs, set())[0] == "ASSAULT"
    # a type the rules found only as an embedded event ("accused X of the attack") is never the main one
    assert typer.decide(probs, {"PROTEST", "ASSAULT"}, blocked={"ASSAULT"})[0] == "PROTEST"


def test_embedded_rule_events_do_not_become_the_main_event(fast_pipeline):
    from casus.events.typer import embedded_only

    for text, governing in (("Human rights groups accused the army of a massacre of villagers in the north.", "ACCUSE"),
                            ("The rebels threatened to shell the airport if talks failed.", "THREATEN")):
        evs = fast_pipeline.code_text(text)
        assert max(evs, key=lambda e: e.confidence).event == governing, [(e.event, e.confidence) for e in evs]
    assert embedded_only([]) == set()


def test_model_file_round_trip(tmp_path):
    examples = [Example(t, {"type": y, "quad": q}, "toy") for t, y, q in [
        ("Police arrested ten protesters.", "COERCE", "4"),
        ("Soldiers shot two villagers.", "ASSAULT", "4"),
        ("The leaders met in Paris.", "CONSULT", "1"),
        ("Rebels attacked an army post.", "ASSAULT", "4"),
        ("The ministers held talks in Rome.", "CONSULT", "1"),
        ("Officers detained the suspect.", "COERCE", "4"),
    ]]
    dense = embed([e.text for e in examples])
    sparse = [[text_key(w) % 1000 for w in e.text.split()] for e in examples]
    model = fit(examples, dense, sparse, C=10.0)
    path = tmp_path / "typer.npz"
    model.save(path)
    back = TyperModel.load(path)
    assert set(back.heads) == {"type", "quad"}
    assert back.trained_on == frozenset(text_key(e.text) for e in examples)
    for i in range(len(examples)):
        a = model.predict(dense[i], sparse[i])["type"]
        b = back.predict(dense[i], sparse[i])["type"]
        assert max(a, key=a.get) == max(b, key=b.get) == examples[i].labels["type"]
        assert all(abs(a[k] - b[k]) < 1e-2 for k in a)  # float16 storage


def test_missing_model_file_is_a_numbered_error(tmp_path):
    with pytest.raises(CasusError) as exc:
        TyperModel.load(tmp_path / "nope.npz")
    assert "E033" in str(exc.value)


def test_sparse_features_see_rule_types(fast_pipeline):
    from casus.nlp import parse
    from casus.records import Document

    parsed = next(parse([Document(text="Rebels attacked an army post near the border.")], model=fast_pipeline.model))
    sent = next(parsed.doc.sents)
    layer = fast_pipeline.actors(parsed)
    rule_evs = fast_pipeline.events(parsed, layer)
    with_rules = set(sparse_features(sent, rule_evs))
    without = set(sparse_features(sent, []))
    assert with_rules != without and with_rules and without


def test_pipeline_events_say_how_they_were_typed(fast_pipeline):
    assert fast_pipeline.typer is not None, "the default config switches the shipped typer on"
    events = fast_pipeline.code_text("Police arrested twelve opposition activists in Nairobi on Monday.", published="2026-03-10")
    assert events
    assert all(e.typed_by in ("rules", "rules+model", "model") for e in events)
    d = events[0].to_dict()
    assert "typed_by" in d and "acled" in d
    assert any(e.event == "COERCE" for e in events)


def test_acled_subtypes_stay_consistent_with_plover_types(fast_pipeline):
    head = fast_pipeline.typer.model.heads.get("acled")
    assert head is not None
    assert set(head.labels) <= set(ACLED_TO_PLOVER)
    assert {t for t in ACLED_TO_PLOVER.values() if t} <= set(PLOVER_TYPES)
    events = fast_pipeline.code_text("A suicide bomber blew himself up at a checkpoint in Mogadishu, killing five soldiers.")
    for e in events:
        if e.acled:
            assert acled_allowed(e.acled, e.event)
    assert not acled_allowed("DIPLO", "ASSAULT") and acled_allowed("ATTRIB", "ASSAULT")
    assert acled_allowed("AIR_STRIKE", "ASSAULT") and not acled_allowed("AIR_STRIKE", "PROTEST")


def test_crossval_folds_never_train_on_the_scored_text(fast_pipeline, shared):
    from casus.eval.crossval import CrossValPredict

    cv = CrossValPredict(fast_pipeline, shared / "data", k=5, per_source=40)
    texts = ["Police arrested ten protesters.", "The leaders met in Paris.", "Rebels attacked an army post."]
    folds = {cv.fold(t) for t in texts}
    assert all(0 <= f < 5 for f in folds)
    assert cv.fold(texts[0]) == cv.fold("  Police arrested   ten protesters. ")  # whitespace-normalised
    # every training example of fold f is left out of model f
    f = cv.fold(texts[0])
    model = cv.model_for(f)
    held = {text_key(ex.text) for ex in cv.cache["examples"] if cv.fold(ex.text) == f}
    assert held and not (held & model.trained_on)
    assert len(model.trained_on) + len(held) >= len({text_key(ex.text) for ex in cv.cache["examples"]})
    out = cv(texts)
    assert len(out) == 3 and fast_pipeline.typer is not None


def test_vectorised_scores_agree_with_the_reference_decision(fast_pipeline):
    model = fast_pipeline.typer.model
    typer = EventTyper(model)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 256)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    feats = [sorted(rng.integers(0, 1 << 18, size=40).tolist()) for _ in range(6)]
    rules = [set(), {"ASSAULT"}, {"CONSULT", "AGREE"}, {"PROTEST"}, set(), {"REQUEST"}]
    best, p = typer.scores(model.predict_arrays(X, feats), rules)
    for i in range(6):
        probs = model.predict(X[i], feats[i])
        ref, ref_p = typer.decide(probs, rules[i])
        assert TYPE_LABELS[int(best[i])] == ref
        assert abs(float(p[i]) - ref_p) < 1e-5


def test_cue_families_are_typer_features(fast_pipeline):
    from casus.events.cues import CUES, cues
    from casus.nlp import parse
    from casus.records import Document

    assert cues("Warplanes bombed the town after artillery shelling.") == ["AIR", "HEAVY", "EXPLOSIVE", "TERRITORY"]
    assert "NATURAL" in cues("Floods displaced thousands") and cues("") == []
    assert list(CUES)[0] == "SEXUAL"  # fixed order: feature names must not depend on set order
    parsed = next(parse([Document(text="A roadside bomb exploded near the convoy.")], model=fast_pipeline.model))
    sent = next(parsed.doc.sents)
    feats = set(sparse_features(sent, []))
    from casus.events.typer import _bucket
    assert _bucket("cue=EXPLOSIVE") in feats and _bucket("cue=AIR") not in feats


def test_every_event_gets_a_subtype_read_with_its_neighbour_sentences(fast_pipeline):
    from casus.events.typer import EventTyper

    text = ("Militants stormed the town of Palma on Wednesday. The army had held it since March. "
            "Residents fled into the bush.")
    events = fast_pipeline.code_text(text)
    coded = [e for e in events if e.acled]
    assert coded and all(acled_allowed(e.acled, e.event) for e in coded)
    narrow = EventTyper(fast_pipeline.typer.model, extractor=fast_pipeline.events, acled_window=0)
    assert narrow.acled_window == 0 and fast_pipeline.typer.acled_window == 1


def test_fast_sentence_cues_agree_with_the_patterns(fast_pipeline):
    from casus.events.cues import cues, sentence_cues
    from casus.nlp import parse
    from casus.records import Document

    text = ("Troops arrived in the town after an airstrike and a car bomb. Police fired tear gas and rubber "
            "bullets at a sit-in; the rebels had set fire to a post. A heat wave and floods hit the region. "
            "Gunmen opened fire on a convoy, and security forces rounded up ten suspects.")
    parsed = next(parse([Document(text=text)], model=fast_pipeline.model))
    for sent in parsed.doc.sents:
        assert sentence_cues([t.lower_ for t in sent], sent.text) == cues(sent.text)
    assert "DISPERSE" in cues("fired teargas") and "AIR" in sentence_cues(["an", "airstrike"], "an airstrike")
