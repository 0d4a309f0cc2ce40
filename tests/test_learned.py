"""The learned core: offline encoder, data recipe, training, persistence and the pipeline component."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from casus.errors import CasusError  # noqa: E402
from casus.learned import encoder as enc  # noqa: E402
from casus.learned.data import CoreExample, gsr_roles, merge  # noqa: E402
from casus.learned.model import CORE_FILE, CoreModel, decode_roles  # noqa: E402
from casus.learned.train import encode, fit, role_targets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base():
    try:
        return enc.load_base()
    except CasusError as exc:  # pragma: no cover - the set-up installs it
        pytest.skip(f"base encoder not installed: {exc}")


def test_encoder_offsets_map_back_to_the_text(base):
    text = "The Biden administration warned Iraq’s government on Tuesday."
    tk = base.tokenize([text, "Short one."])
    assert tk.ids.shape[0] == 2 and tk.mask[1].sum() < tk.mask[0].sum()
    pieces = [text[a:b] for a, b in tk.offsets[0] if b > a]
    assert pieces[0] == "The" and "administration" in pieces
    assert "".join(pieces) == text.replace(" ", "")  # every character but the spaces, in order
    h = base.lower(tk.ids, tk.mask, base.n_layers)
    v = enc.mean_pool(h, tk.mask)
    assert v.shape == (2, 384) and torch.isfinite(v).all()


def test_tampered_base_weights_are_refused(base, tmp_path):
    src = enc.base_path()
    dst = tmp_path / "model"
    shutil.copytree(src, dst)
    with open(dst / "model.safetensors", "r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02\x03")
    with pytest.raises(CasusError) as e:
        enc.BaseEncoder(dst)
    assert e.value.code == "E071"


def test_decode_roles_widens_to_words_and_drops_weak_spans():
    text = "Israeli jets struck Gaza"
    offsets = [(0, 0), (0, 7), (8, 11), (11, 12), (13, 19), (20, 24), (0, 0)]
    p = np.full((7, 5), 0.01)
    p[:, 0] = 0.96
    p[1] = [0.02, 0.9, 0.02, 0.03, 0.03]  # B-S Israeli
    p[2] = [0.02, 0.02, 0.9, 0.03, 0.03]  # I-S je
    p[3] = [0.9, 0.02, 0.02, 0.03, 0.03]  # O  ##ts (inside the word: widened)
    p[5] = [0.3, 0.02, 0.02, 0.6, 0.06]  # B-T Gaza
    spans = decode_roles(text, offsets, p)
    assert [(text[a:b], r) for a, b, r, _ in spans] == [("Israeli jets", "S"), ("Gaza", "T")]
    assert [(text[a:b], r) for a, b, r, _ in decode_roles(text, offsets, p, min_prob=0.7)] == [("Israeli jets", "S")]


def test_gsr_roles_from_markup_and_actor_texts():
    text = "Finland will give Tanzania a grant, the ministry said."
    markup = "(SRC: Finland) will give (TAR: Tanzania) a grant"
    assert gsr_roles(text, markup, [], []) == [(0, 7, "S"), (18, 26, "T")]
    assert gsr_roles(text, None, ["Finland"], ["Tanzania"]) == [(0, 7, "S"), (18, 26, "T")]
    assert gsr_roles(text, None, ["Norway"], []) == []


def test_merge_joins_labels_of_one_text_from_several_sets():
    a = CoreExample("Rebels  attacked the town.", {"quad": "4"}, source="conflibert-cameo")
    b = CoreExample("Rebels attacked the town.", {"type": "ASSAULT", "quad": "3"}, [(0, 6, "S")], source="plover-gsr")
    (m,) = merge([a, b])
    assert m.labels == {"quad": "4", "type": "ASSAULT"} and m.sources == ("conflibert-cameo", "plover-gsr")


def _toy():
    rows = [("Rebels attacked the army base near the town.", "ASSAULT", [(0, 6, "S"), (16, 29, "T")]),
            ("The minister met his French counterpart in Paris.", "CONSULT", [(0, 12, "S"), (17, 39, "T")]),
            ("Police arrested five protesters on Monday.", "COERCE", [(0, 6, "S"), (16, 31, "T")]),
            ("Thousands marched against the new law.", "PROTEST", [(0, 9, "S")])] * 3
    ex = [CoreExample(t + ("" if i < 4 else f" ({i})"), {"type": ty, "quad": "4", "acled": "ARMED_CLASH"}, roles,
                      ("ARREST", "ANY_ACTION") if ty == "COERCE" else (), source="toy")
          for i, (t, ty, roles) in enumerate(rows)]
    return ex


def test_role_targets_tag_pieces_inside_spans(base):
    ex = _toy()[0]
    c = encode([ex], base, split=5)
    tags = role_targets(ex, c.offsets[0])
    pieces = [(ex.text[a:b], t) for (a, b), t in zip(c.offsets[0], tags) if b > a]
    assert pieces[:6] == [("Rebels", 1), ("attacked", 0), ("the", 3), ("army", 4), ("base", 4), ("near", 0)]


def test_fit_save_load_round_trip(base, tmp_path):
    ex = _toy()
    cache = encode(ex, base, split=5)
    model = fit(ex, cache, base=base, epochs=2, batch_size=4, split=5)
    path = tmp_path / "core.safetensors"
    model.save(path, trained_on=sorted(model.trained_on))
    again = CoreModel.load(path, base=base)
    assert again.trained_on == frozenset(e.key & ((1 << 63) - 1) for e in ex)
    a = model.predict([e.text for e in ex[:4]])
    b = again.predict([e.text for e in ex[:4]])
    for x, y in zip(a, b):  # float16 on disk: the same decisions, probabilities within rounding
        assert max(x.probs["type"], key=x.probs["type"].get) == max(y.probs["type"], key=y.probs["type"].get)
        assert abs(x.probs["police"]["ARREST"] - y.probs["police"]["ARREST"]) < 0.02
    assert path.stat().st_size < 6_000_000


def test_missing_core_model_is_a_numbered_error(base, tmp_path):
    with pytest.raises(CasusError) as e:
        CoreModel.load(tmp_path / "nothing.safetensors", base=base)
    assert e.value.code == "E072"


def test_shipped_model_files_stay_small():
    files = [p for d in ("src/casus/learned/model", "src/casus/events/model", "src/casus/place/model")
             for p in (ROOT / d).rglob("*") if p.is_file()]
    assert CORE_FILE.exists(), "the learned core ships with casus (train/train_core.py)"
    assert all(p.stat().st_size < 25_000_000 for p in files)
    assert sum(p.stat().st_size for p in files) < 60_000_000


def test_profiles_choose_the_typer(base):
    from casus.events.typer import EventTyper
    from casus.learned.component import CoreTyper
    from casus.pipeline import Pipeline, load_config

    cfg = load_config()
    assert cfg["typer"]["profile"] == "accurate"
    fast = load_config(ROOT / "configs" / "fast.toml")
    p = Pipeline(fast)
    assert type(p.typer) is EventTyper and p.place.chooser is None
    bad = load_config()
    bad["typer"]["profile"] = "turbo"
    with pytest.raises(CasusError) as e:
        Pipeline(bad)
    assert e.value.code == "E073"
    assert isinstance(Pipeline(cfg).typer, CoreTyper)


def test_accurate_pipeline_codes_with_roles_and_evidence(base):
    from casus.pipeline import Pipeline

    p = Pipeline()
    text = ("Israeli warplanes struck a Hamas training camp in Gaza on Tuesday, the army said. "
            "Separately, Egypt urged both sides to return to talks in Cairo.")
    evs = p.code_text(text, published="2024-05-07")
    assert evs, "no event"
    types = {e.event for e in evs}
    assert "ASSAULT" in types
    for e in evs:
        assert text[e.event_text.start:e.event_text.end] == e.event_text.text
        for a in [*e.actor, *e.recipient]:
            assert text[a.start:a.end] == a.text
    strike = next(e for e in evs if e.event == "ASSAULT")
    assert strike.typed_by in ("rules+model", "model") and strike.actor and strike.actor[0].code == "ISR"
