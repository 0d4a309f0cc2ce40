"""The fixed tune/check parts of the gold sets (casus.eval.parts) and ``casus eval --part``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casus.eval import case2021, india_police
from casus.eval.parts import PARTS, part_of, select

# invented snippets (not from any gold set)
SNIPPETS = [
    ("Police arrested ten protesters in the capital on Monday.", "ARREST"),
    ("Rebels shelled the town with mortars overnight.", "ART_MISS_ATTACK"),
    ("Thousands marched peacefully against the new fuel tax.", "PEACE_PROTEST"),
    ("A suicide bomber blew himself up at an army checkpoint.", "SUIC_BOMB"),
    ("Warplanes struck a crowded market, killing six people.", "AIR_STRIKE"),
    ("The two parties signed a ceasefire agreement in Doha.", "AGREEMENT"),
    ("Gunmen kidnapped three aid workers near the border.", "ABDUCT_DISSAP"),
    ("Soldiers clashed with militants in the hills for hours.", "ARMED_CLASH"),
    ("Rioters set fire to shops after the match.", "VIOL_DEMONSTR"),
    ("Troops recaptured the airport from the insurgents.", "GOV_REGAINS_TERIT"),
    ("A roadside bomb exploded beneath a police truck.", "REM_EXPLOS"),
    ("Villagers lynched a suspected thief on Sunday.", "MOB_VIOL"),
    ("Fighters stormed the district office and took control of it.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Riot police fired tear gas at students outside the ministry.", "PROTEST_WITH_INTER"),
]


def _case_tsv(tmp_path: Path) -> Path:
    f = tmp_path / "case_small.tsv"
    rows = ["id\tEventSnippet\tSubType"] + [f"{i}\t{t}\t{lab}" for i, (t, lab) in enumerate(SNIPPETS, 1)]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return f


def _rules_config(tmp_path: Path) -> Path:
    """A config with the typer off: ``--rules-only`` scores without it, and the pipeline then does not load
    whichever typer model the default config names."""
    f = tmp_path / "rules.toml"
    f.write_text("[typer]\nenabled = false\n", encoding="utf-8")
    return f


def _no_events(texts):
    return [[] for _ in texts]


def test_part_of_is_deterministic_and_about_70_30():
    texts = [f"Synthetic report {i}: forces of side {i % 7} met envoys in town {i * 31 % 97}." for i in range(1000)]
    parts = [part_of(t) for t in texts]
    assert set(parts) <= {"tune", "check"}
    assert parts == [part_of(t) for t in texts]
    share = parts.count("check") / len(parts)
    assert 0.25 <= share <= 0.35, share


def test_whitespace_variants_share_a_part():
    for text, _ in SNIPPETS:
        words = text.split()
        variants = ["  ".join(words), "\n".join(words), f"\t{text}  ", " \n ".join(words) + "\n"]
        assert {part_of(v) for v in variants} == {part_of(text)}


def test_select_keeps_order_and_splits_everything():
    items = [t for t, _ in SNIPPETS]
    tune, check = select(items, str, "tune"), select(items, str, "check")
    assert select(items, str, "all") == items
    assert sorted(tune + check) == sorted(items)
    assert tune == [t for t in items if t in tune]
    assert tune and check  # the fixture has both parts
    with pytest.raises(ValueError):
        select(items, str, "both")
    assert PARTS == ("all", "tune", "check")


def test_dataset_run_part_in_process(tmp_path):
    f = _case_tsv(tmp_path)
    reports = {p: case2021.run(f, _no_events, progress=False, part=p) for p in PARTS}
    assert reports["tune"].n_items + reports["check"].n_items == reports["all"].n_items == len(SNIPPETS)
    for p, r in reports.items():
        assert r.extra["part"] == {"part": p, "n_items": r.n_items, "n_read": len(SNIPPETS)}
    # limit applies to the part's items
    r = case2021.run(f, _no_events, progress=False, part="tune", limit=2)
    assert r.n_items == 2 and r.extra["part"]["n_read"] == len(SNIPPETS)
    with pytest.raises(ValueError):
        case2021.run(f, _no_events, progress=False, part="nope")


def test_india_police_part_uses_the_sentence_text(tmp_path):
    f = tmp_path / "sents.small.jsonl"
    lines = [json.dumps({"doc_id": i // 3, "sent_id": i % 3, "sent_labels": ["ARREST"] if "arrested" in t else [],
                         "sent_text": t}) for i, (t, _) in enumerate(SNIPPETS)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[str] = []

    def predict(texts):
        seen.extend(texts)
        return _no_events(texts)

    r = india_police.run(f, predict, progress=False, part="check")
    want = [t for t, _ in SNIPPETS if part_of(t) == "check"]
    assert seen == want and r.n_items == len(want)


def test_cli_part_both_json(tmp_path):
    exe = Path(sys.executable).parent / "casus"
    if not exe.exists():
        pytest.skip("casus console script not installed (run `make test`)")
    f = _case_tsv(tmp_path)
    res = subprocess.run([str(exe), "eval", "case2021", str(f), "--part", "both", "--json", "--rules-only",
                          "--config", str(_rules_config(tmp_path))],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"tune", "check", "gap"}
    tune, check = out["tune"], out["check"]
    assert tune["n_items"] + check["n_items"] == len(SNIPPETS)
    assert tune["n_items"] == sum(part_of(t) == "tune" for t, _ in SNIPPETS)
    assert tune["extra"]["part"]["part"] == "tune" and check["extra"]["part"]["part"] == "check"
    assert set(out["gap"]) == {k for k, v in tune["overall"].items() if isinstance(v, float)}
    for k, g in out["gap"].items():
        assert g == pytest.approx(tune["overall"][k] - check["overall"][k])


def test_cli_part_both_table_and_bad_part(tmp_path):
    from typer.testing import CliRunner

    from casus.cli import app

    f = _case_tsv(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["eval", "case2021", str(f), "--part", "both", "--rules-only",
                              "--config", str(_rules_config(tmp_path))])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.split() == ["metric", "tune", "check", "gap"])
    assert lines[head + 1].split()[0] == "items"
    assert any(ln.split()[0] == "weighted_f1" and len(ln.split()) == 4 for ln in lines[head + 2:])
    assert res.stdout.count("case2021  ") == 2  # both tables
    res = runner.invoke(app, ["eval", "case2021", str(f), "--part", "nope"])
    assert res.exit_code == 2
