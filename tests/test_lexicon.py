"""The trigger lexicon (casus/events/lexicon.tsv): format, codebook consistency, coverage.

Facts checked against the PLOVER codebook: the 16 types, the modes each type's
table lists (``ontology.PLOVER_MODES``), and, where ../shared is present, the
CAMEO -> PLOVER conversion table (a CAMEO code's 2-digit root, or the code itself
where the table lists it, must map to the entry's type).

The sentences are written for these tests (none comes from a gold set). They are
coded by the rule extractor through the shared pipeline's parser, actor layer and
events stage, without the trained typer, so that they test the lexicon itself.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from casus.events import LEXICON, load_lexicon
from casus.events.ontology import DEFAULT_CAMEO, PLOVER_MODES, PLOVER_TYPES
from casus.nlp import parse
from casus.records import Document

COLUMNS = ["lemma", "pos", "event", "cameo", "mode", "preps"]
# The table has no rows for CAMEO 01 (make statement: no PLOVER event) or 02 (appeal);
# an appeal is a request (codebook: REQUEST covers "all requests"; SUPPORT "is distinct
# from the CAMEO APPEAL category, where the actor simply requested support").
EXTRA_ROOTS = {"02": {"REQUEST"}}


def _rows() -> list[dict[str, str]]:
    with open(LEXICON, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_lexicon_loads():
    lex = load_lexicon()
    assert len(lex) >= 400
    assert len(lex) == len(_rows())


def test_no_duplicate_lemma_pos():
    counts = Counter((r["lemma"], r["pos"]) for r in _rows())
    assert [k for k, n in counts.items() if n > 1] == []


def test_rows_are_well_formed():
    for r in _rows():
        where = f"{r['lemma']}/{r['pos']}"
        assert r["pos"] in ("V", "N"), where
        # one token's lemma (or its lower-case form), or a multi-word entry: a verb with its particle
        # or object ("step down", "establish tie"), a noun with its modifiers ("martial law")
        assert re.fullmatch(r"[a-z][a-z-]*( [a-z][a-z-]*){0,2}", r["lemma"]), where
        assert re.fullmatch(r"\d{3,4}", r["cameo"]), where
        for p in filter(None, r["preps"].split("|")):
            assert re.fullmatch(r"[a-z]+", p), where


def test_multi_word_entries_match_their_phrase(pipeline):
    from casus.nlp import parse
    from casus.records import Document

    cases = {
        "Chile established diplomatic ties with Bolivia on Monday.": ("SUPPORT", "established"),
        "The defence minister of Peru stepped down after the scandal.": ("RETREAT", "stepped"),
        "Bolivia cut ties with Chile.": ("SANCTION", "cut"),
        "The army imposed martial law in the capital.": ("COERCE", "law"),
        "The rebels laid down their arms in March.": ("RETREAT", "laid down"),
    }
    docs = [Document(text=t) for t in cases]
    for parsed in parse(docs, model=pipeline.model):
        evs = pipeline.events(parsed, pipeline.actors(parsed))
        want = cases[parsed.document.text]
        assert any((e.event, e.event_text.text) == want for e in evs), (parsed.document.text, evs)
    # a head word alone keeps its own reading (or none): "cut" prices is no sanction
    parsed = next(parse([Document(text="Bolivia cut fuel prices on Monday.")], model=pipeline.model))
    assert not any(e.event == "SANCTION" for e in pipeline.events(parsed, pipeline.actors(parsed)))


def test_types_and_modes_follow_the_codebook():
    assert set(PLOVER_MODES) == set(PLOVER_TYPES) == set(DEFAULT_CAMEO)
    for r in _rows():
        assert r["event"] in PLOVER_TYPES, r
        if r["mode"]:
            assert r["mode"] in PLOVER_MODES[r["event"]], r


def _cameo_table(path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    roots: dict[str, set[str]] = {}
    codes: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(\d{2,4}):\s*([A-Z]+)\b", line)
        if not m:
            continue
        code, event = m.groups()
        (roots if len(code) == 2 else codes).setdefault(code, set()).add(event)
    return roots, codes


def test_cameo_codes_map_to_the_entry_type(shared):
    table = shared / "resources" / "plover" / "CAMEO2PLOVER-2021.txt"
    if not table.exists():
        pytest.skip(f"{table} not present")
    roots, codes = _cameo_table(table)
    assert roots["03"] == {"AGREE"} and roots["08"] == {"CONCEDE", "RETREAT"}
    bad = []
    for r in _rows():
        allowed = roots.get(r["cameo"][:2], set()) | EXTRA_ROOTS.get(r["cameo"][:2], set())
        allowed |= codes.get(r["cameo"], set())  # code-level rows of the table (e.g. 191/192 COERCE)
        if r["event"] not in allowed:
            bad.append((r["lemma"], r["pos"], r["event"], r["cameo"], sorted(allowed)))
    assert bad == []


# ---------------------------------------------------------------- sentences

# (sentence, trigger word as written, expected type, expected mode or None for "don't care")
CASES = [
    ("Iran agreed to a prisoner exchange with the United States.", "agreed", "AGREE", None),
    ("After weeks of strikes the transport minister backed down on fuel prices.", "backed", "CONCEDE", None),
    ("Egypt invited Sudan to a summit in Cairo next month.", "invited", "AGREE", None),
    ("The Chinese foreign minister met his Russian counterpart in Beijing on Monday.", "met", "CONSULT", None),
    ("Qatar mediated between Israel and Hamas.", "mediated", "CONSULT", None),
    ("The Indian prime minister visited Nepal last week.", "visited", "CONSULT", "visit"),
    ("Brazil praised Argentina for its handling of the crisis.", "praised", "SUPPORT", None),
    ("Sweden recognized Palestine as a state.", "recognized", "SUPPORT", None),
    ("Myanmar's junta pardoned thousands of prisoners.", "pardoned", "CONCEDE", None),
    ("Japan apologized to South Korea for its wartime conduct.", "apologized", "CONCEDE", None),
    ("Spain extradited the suspect to France.", "extradited", "COOPERATE", None),
    ("Norway and Sweden cooperate closely with Finland on border security.", "cooperate", "COOPERATE", None),
    ("Norway funded the Palestinian Authority.", "funded", "AID", None),
    ("The Italian navy rescued hundreds of Libyan migrants at sea.", "rescued", "AID", None),
    ("Russian troops withdrew from Kherson.", "withdrew", "RETREAT", "withdraw"),
    ("The rebels surrendered to the Colombian army.", "surrendered", "RETREAT", "disarm"),
    ("France urged Iran to release the detained aid workers.", "urged", "REQUEST", None),
    ("Lebanese protesters demanded the resignation of the government.", "demanded", "REQUEST", None),
    ("Pakistan accused India of violating the ceasefire.", "accused", "ACCUSE", "allege"),
    ("The European Union condemned the coup in Niger.", "condemned", "ACCUSE", "disapprove"),
    ("Kenya summoned the Ugandan ambassador on Tuesday.", "summoned", "ACCUSE", None),
    ("Israel rejected the Egyptian proposal.", "rejected", "REJECT", None),
    ("Russia vetoed a United Nations resolution on Syria.", "vetoed", "REJECT", None),
    ("North Korea threatened South Korea with nuclear strikes.", "threatened", "THREATEN", None),
    ("Iran issued an ultimatum to Azerbaijan.", "ultimatum", "THREATEN", None),
    ("Thousands of Iraqi protesters rallied against the government in Baghdad.", "rallied", "PROTEST", "demo"),
    ("The United States imposed sanctions on Venezuela.", "sanctions", "SANCTION", "discontinue"),
    ("Lithuania expelled two Russian diplomats.", "expelled", "SANCTION", "expel"),
    ("Russia deployed troops to the border with Ukraine.", "deployed", "MOBILIZE", "troops"),
    ("Turkish police detained dozens of Kurdish activists.", "detained", "COERCE", "arrest"),
    ("Iran outlawed the opposition party.", "outlawed", "COERCE", "restrict"),
    ("Israeli jets bombed Hamas positions in Gaza.", "bombed", "ASSAULT", "aerial"),
    ("Gunmen kidnapped a Nigerian priest in Kaduna.", "kidnapped", "ASSAULT", "abduct"),
]

# Sentences with words that look like triggers but are names, dates or set phrases.
NO_EVENT = [
    "The Gulf Cooperation Council has its headquarters in Riyadh.",
    "The minister told a news conference in March that the economy was growing.",
]


def _rule_events(pipeline, text: str):
    parsed = next(parse([Document(text=text)], model=pipeline.model))
    layer = pipeline.actors(parsed)
    return pipeline.events(parsed, layer)


@pytest.mark.parametrize("text,trigger,event,mode", CASES, ids=[c[1] + "-" + c[2] for c in CASES])
def test_sentence_is_coded(pipeline, text, trigger, event, mode):
    events = _rule_events(pipeline, text)
    at = [e for e in events if e.event_text.text.split()[0] == trigger]
    assert at, f"no event at {trigger!r}: {[(e.event, e.event_text.text) for e in events]}"
    assert at[0].event == event
    if mode is not None:
        assert at[0].mode == mode


def test_cases_cover_every_type():
    assert {c[2] for c in CASES} == set(PLOVER_TYPES)


@pytest.mark.parametrize("text", NO_EVENT)
def test_no_spurious_event(pipeline, text):
    assert [(e.event, e.event_text.text) for e in _rule_events(pipeline, text)] == []
