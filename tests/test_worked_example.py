"""The worked example: ../shared/examples/iraq-warning coded and scored against its hand coding."""

from casus.eval.reference import load_reference, score


def test_iraq_warning(shared, pipeline, capsys):
    text, reference, meta = load_reference(shared / "examples" / "iraq-warning")
    events = pipeline.code_text(text, published=meta["published"], doc_id="iraq-warning")
    result = score(text, events, reference)
    with capsys.disabled():
        print(f"\n[worked example] {result.summary()}")
    assert len(result.found_required) >= 10, result.summary()
    # issue 5: the found required events carry the reference modality and attribution sources
    assert len(result.modality_ok) >= 15 and len(result.chain_ok) >= 15, result.summary()
    for ev in events:  # every span traces back to the text
        assert text[ev.event_text.start:ev.event_text.end] == ev.event_text.text
        for a in ev.actor + ev.recipient:
            assert text[a.start:a.end] == a.text
    consult = {ev.date for ev in events if ev.event == "CONSULT"}
    assert {"2024-11-10", "2024-11-11"} <= consult
    strike = [ev for ev in events if ev.date == "2024-10-26" and ev.event == "ASSAULT"]
    assert strike and strike[0].modality == "historical"


def test_event_ids_are_stable(shared, pipeline):
    text, _, meta = load_reference(shared / "examples" / "iraq-warning")
    a = [e.id for e in pipeline.code_text(text, published=meta["published"], doc_id="x")]
    b = [e.id for e in pipeline.code_text(text, published=meta["published"], doc_id="x")]
    assert a == b and len(set(a)) == len(a)
