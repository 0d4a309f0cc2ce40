"""Tests for casus.ingest: paths/stdin -> Document | Problem."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from casus.ingest import count_inputs, read_inputs
from casus.records import Document, Problem

ENGLISH = (
    "The foreign minister of France met his counterpart from Germany in Berlin on Tuesday. "
    "They discussed the war in Ukraine and agreed that the European Union should provide more "
    "aid to the country, according to a statement released by the ministry after the talks."
)

SPANISH = (
    "El ministro de Asuntos Exteriores de Francia se reunió el martes en Berlín con su homólogo "
    "de Alemania. Los dos ministros hablaron de la guerra en Ucrania y acordaron que la Unión "
    "Europea debe proporcionar más ayuda al país, según un comunicado del ministerio publicado "
    "después de las conversaciones entre las dos delegaciones."
)


def read(*paths, **kw) -> list[Document | Problem]:
    return list(read_inputs([str(p) for p in paths], **kw))


def one(*paths, **kw) -> Document | Problem:
    recs = read(*paths, **kw)
    assert len(recs) == 1, recs
    return recs[0]


def assert_problem(rec, code: str, *names: str) -> Problem:
    assert isinstance(rec, Problem), rec
    assert rec.code == code, rec
    for name in names:
        assert name in rec.message, (name, rec.message)
    return rec


# --------------------------------------------------------------------------- #
# Good input
# --------------------------------------------------------------------------- #


def test_text_file(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    doc = one(f)
    assert isinstance(doc, Document)
    assert doc.text == ENGLISH
    assert doc.origin == str(f)
    assert doc.id and doc.id == doc.content_id
    assert doc.published is None


def test_published_argument(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    assert one(f, published="2024-03-05").published == "2024-03-05"
    assert one(f, published="2024-03-05T10:20:00Z").published == "2024-03-05"
    assert_problem(one(f, published="March 5"), "E007", "March 5")


def test_crlf_normalised(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    f.write_bytes(ENGLISH.replace(". ", ".\r\n").encode() + b"\rEnd.\r\n")
    doc = one(f)
    assert "\r" not in doc.text
    assert doc.text == ENGLISH.replace(". ", ".\n") + "\nEnd.\n"


def test_bom_stripped(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + ENGLISH.encode())
    assert one(f).text == ENGLISH


def test_html_extraction(tmp_path: Path) -> None:
    page = f"""<!DOCTYPE html>
<html><head><title>Ministers meet in Berlin</title>
<script>var tracking = "SCRIPTMARKER";</script><style>body {{ color: red }}</style></head>
<body>
<header><h1>Daily News</h1></header>
<nav><a href="/">Home</a> <a href="/world">NAVMARKER World</a></nav>
<article><h2>Ministers meet in Berlin</h2>
<p>{ENGLISH}</p>
<p>Officials said the next meeting would be held in Paris in the spring, and that the two countries would keep working together.</p>
</article>
<footer>FOOTERMARKER Copyright 2024</footer>
</body></html>"""
    f = tmp_path / "page.html"
    f.write_text(page, encoding="utf-8")
    doc = one(f)
    assert isinstance(doc, Document), doc
    assert "foreign minister of France" in doc.text
    assert "next meeting would be held in Paris" in doc.text
    for marker in ("SCRIPTMARKER", "NAVMARKER", "FOOTERMARKER", "color: red", "<p>"):
        assert marker not in doc.text
    assert doc.title == "Ministers meet in Berlin"

    # HTML is recognised from its start even without an .html suffix
    g = tmp_path / "page.txt"
    g.write_text(page, encoding="utf-8")
    assert "SCRIPTMARKER" not in one(g).text


def test_html_fallback_extractor() -> None:
    from casus.ingest import _fallback_extract

    html = "<html><body><nav>NAV</nav><script>x()</script><div>Hello <b>world</b></div><p>Second</p><footer>F</footer></body></html>"
    assert _fallback_extract(html) == "Hello world\nSecond"


def test_directory_recursion_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two " + ENGLISH)
    (tmp_path / "b" / "1.txt").write_text("one " + ENGLISH)
    (tmp_path / "a" / "z.txt").write_text("z " + ENGLISH)
    (tmp_path / "c.txt").write_text("c " + ENGLISH)
    (tmp_path / ".hidden.txt").write_text("hidden " + ENGLISH)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("git " + ENGLISH)
    (tmp_path / "b" / "index.jsonl").write_text(json.dumps({"id": 7, "text": "jsonl " + ENGLISH}) + "\n")
    recs = read(tmp_path)
    assert all(isinstance(r, Document) for r in recs), recs
    assert [r.text.split()[0] for r in recs] == ["z", "one", "two", "jsonl", "c"]
    assert recs[3].origin == str(tmp_path / "b" / "index.jsonl") + ":1"
    assert recs[3].id == "7"
    assert count_inputs([str(tmp_path)]) == 5


def test_jsonl_ids_and_published(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    rows = [
        {"id": 1, "text": ENGLISH, "published": "2024-01-02", "url": "http://x/1", "source": "Reuters", "title": "T1"},
        {"text": "Second. " + ENGLISH},
        {"id": "abc", "text": "Third. " + ENGLISH, "published": "2024-02-03T04:05:06+00:00"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    recs = read(f, published="2023-12-31")
    assert all(isinstance(r, Document) for r in recs), recs
    a, b, c = recs
    assert (a.id, a.published, a.url, a.source, a.title, a.origin) == ("1", "2024-01-02", "http://x/1", "Reuters", "T1", f"{f}:1")
    assert b.id == b.content_id and b.published == "2023-12-31" and b.origin == f"{f}:2"
    assert (c.id, c.published, c.origin) == ("abc", "2024-02-03", f"{f}:3")
    assert count_inputs([f]) == 4  # best effort: counts the blank line too


def test_jsonl_bad_date_and_missing_text(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text(
        json.dumps({"text": ENGLISH, "published": "05/03/2024"}) + "\n"
        + json.dumps({"id": 2, "text": "  "}) + "\n"
        + json.dumps({"id": 3}) + "\n"
        + json.dumps({"id": 4, "text": ENGLISH}) + "\n"
    )  # fmt: skip
    r1, r2, r3, r4 = read(f)
    assert_problem(r1, "E007", f"{f}:1", "05/03/2024")
    assert_problem(r2, "E006", f"{f}:2")
    assert_problem(r3, "E006", f"{f}:3")
    assert isinstance(r4, Document) and r4.id == "4"


def test_stdin_text() -> None:
    doc = one("-", stdin=io.StringIO("\n" + ENGLISH + "\r\n"))
    assert isinstance(doc, Document)
    assert doc.text == "\n" + ENGLISH + "\n"
    assert doc.origin == "<stdin>"


def test_stdin_bytes_text() -> None:
    doc = one("-", stdin=io.BytesIO(b"\xef\xbb\xbf" + ENGLISH.encode()))
    assert isinstance(doc, Document) and doc.text == ENGLISH


def test_stdin_jsonl() -> None:
    data = json.dumps({"id": "a", "text": ENGLISH}) + "\n" + "{oops\n" + json.dumps({"id": "c", "text": ENGLISH}) + "\n"
    recs = read("-", stdin=io.StringIO(data))
    assert [r.id for r in recs if isinstance(r, Document)] == ["a", "c"]
    assert recs[0].origin == "<stdin>:1" and recs[2].origin == "<stdin>:3"
    assert_problem(recs[1], "E005", "<stdin>:2")


# --------------------------------------------------------------------------- #
# Bad input: one Problem each, and the iteration goes on
# --------------------------------------------------------------------------- #


def test_empty_file(tmp_path: Path) -> None:
    e = tmp_path / "empty.txt"
    e.write_text("")
    w = tmp_path / "ws.txt"
    w.write_text("  \n\t \n")
    ok = tmp_path / "ok.txt"
    ok.write_text(ENGLISH)
    r1, r2, r3 = read(e, w, ok)
    assert_problem(r1, "E001", str(e))
    assert_problem(r2, "E001", str(w))
    assert isinstance(r3, Document)


def test_binary_nul_bytes(tmp_path: Path) -> None:
    f = tmp_path / "blob.txt"
    f.write_bytes(b"abc\x00\x01\x02def" * 10)
    assert_problem(one(f), "E002", str(f), "NUL")


def test_binary_png_header(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    assert_problem(one(f), "E002", str(f), "PNG")


def test_binary_control_bytes(tmp_path: Path) -> None:
    f = tmp_path / "ctl.txt"
    f.write_bytes(b"\x01\x02\x03a" * 50)
    assert_problem(one(f), "E002", str(f), "control")


def test_invalid_utf8(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes(b"caf\xe9 au lait " + ENGLISH.encode())
    p = assert_problem(one(f), "E003", str(f), "offset 3")
    assert "0xe9" in p.message


def test_too_large_small_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("x" * 2000)
    assert_problem(one(f, max_bytes=1000), "E004", str(f), "2000", "1000")


def test_too_large_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "big.txt"
    f.write_text(ENGLISH * 20)
    monkeypatch.setenv("CASUS_MAX_BYTES", "1000")
    assert_problem(one(f), "E004", str(f))


def test_huge_sparse_file_rejected_without_reading(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:
        fh.write(ENGLISH.encode())
        fh.truncate(50 * 1024 * 1024)
    t0 = time.perf_counter()
    p = one(f)
    assert time.perf_counter() - t0 < 2
    assert_problem(p, "E004", str(f), str(50 * 1024 * 1024))


def test_stdin_too_large() -> None:
    assert_problem(one("-", stdin=io.StringIO("y" * 2000), max_bytes=1000), "E004", "<stdin>")


def test_malformed_jsonl_line(tmp_path: Path) -> None:
    f = tmp_path / "m.jsonl"
    f.write_text(
        json.dumps({"id": "a", "text": ENGLISH}) + "\n"
        + '{"id": "b", "text": "unterminated\n'
        + "[1, 2]\n"
        + json.dumps({"id": "d", "text": ENGLISH}) + "\n"
    )  # fmt: skip
    r1, r2, r3, r4 = read(f)
    assert isinstance(r1, Document) and r1.origin == f"{f}:1"
    assert_problem(r2, "E005", f"{f}:2")
    assert r2.origin == f"{f}:2"
    assert_problem(r3, "E005", f"{f}:3", "object")
    assert isinstance(r4, Document) and r4.id == "d" and r4.origin == f"{f}:4"


def test_spanish_text(tmp_path: Path) -> None:
    f = tmp_path / "es.txt"
    f.write_text(SPANISH, encoding="utf-8")
    assert_problem(one(f), "E010", str(f), "Spanish")


def test_other_scripts(tmp_path: Path) -> None:
    f = tmp_path / "ru.txt"
    f.write_text("Министр иностранных дел России встретился с коллегой в Берлине во вторник. " * 5)
    assert_problem(one(f), "E010", str(f), "Russian")
    g = tmp_path / "ar.txt"
    g.write_text("التقى وزير الخارجية الفرنسي نظيره الألماني في برلين يوم الثلاثاء. " * 6)
    assert_problem(one(g), "E010", "Arabic")


def test_short_text_is_not_language_checked(tmp_path: Path) -> None:
    f = tmp_path / "short.txt"
    f.write_text("Hola, ¿qué tal?")
    assert isinstance(one(f), Document)


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    ok = tmp_path / "ok.txt"
    ok.write_text(ENGLISH)
    r1, r2 = read(missing, ok)
    assert_problem(r1, "E008", str(missing))
    assert isinstance(r2, Document)
    assert count_inputs([missing, ok, "-"]) == 3


def test_html_without_text(tmp_path: Path) -> None:
    f = tmp_path / "empty.html"
    f.write_text("<html><head><script>x()</script><style>a {}</style></head><body> <img src='x.png'> </body></html>")
    assert_problem(one(f), "E009", str(f))
