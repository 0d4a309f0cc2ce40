"""Ingest: turn input paths (or stdin) into ``Document`` records.

Stage contract
--------------
Input
    An iterable of paths. Each path may be a text file, an HTML file, a JSONL
    file, a directory (walked recursively in sorted order, hidden files and
    folders skipped) or ``'-'`` for standard input.
Output
    An iterator of ``Document`` or ``Problem`` records, in input order (for a
    directory: sorted path order; for JSONL: line order). One record per
    document: a text or HTML file gives one, a JSONL file one per non-blank line.
Errors
    ``read_inputs`` never raises for bad input. Anything that cannot be read
    becomes a ``Problem(origin, code, message)`` (codes from ``casus.errors``)
    and the iteration goes on with the next document.

Text as read
------------
All character offsets used later in the pipeline are offsets into
``Document.text`` *as read by casus*, which is:

* text files: the bytes decoded as strict UTF-8, with a leading BOM removed and
  line endings normalised (``'\\r\\n'`` and lone ``'\\r'`` become ``'\\n'``);
  nothing else is changed (no stripping, no whitespace collapsing);
* HTML (a ``.html``/``.htm``/``.xhtml`` file, or text whose start looks like
  HTML): the main text extracted by ``trafilatura`` (comments excluded), or, if
  that finds nothing, by a simple parser that drops script/style/nav/header/
  footer/aside; line endings normalised the same way;
* JSONL: the ``text`` field of each object, line endings normalised (and
  extracted as above if it is an HTML page).

Records
-------
* ``id``: ``str(obj["id"])`` for JSONL objects that have one, otherwise a hash
  of the text (computed by ``Document``).
* ``origin``: the path as given (joined under a directory), with ``:LINENO``
  (1-based) for JSONL lines; ``<stdin>`` for standard input.
* ``published``: the record's ``published`` value, else the ``published``
  argument; either must be ``YYYY-MM-DD`` or a full ISO datetime (only the date
  part is kept). A bad record date is a ``Problem`` E007 for that record; a bad
  ``published`` argument yields a single E007 Problem and nothing else.
* ``title``/``url``/``source`` come from JSONL objects; an HTML page's
  ``<title>`` is used as its title.

Problems
--------
E001 empty/whitespace-only input (or a directory with no files) - E002 binary
input (NUL bytes in the first 8 KB, a known magic number, or >30% control
bytes) - E003 invalid UTF-8 (message gives the byte offset) - E004 larger than
``max_bytes`` (default 10 MiB, or env ``CASUS_MAX_BYTES``; checked with
``stat`` before reading; for JSONL the limit applies to each line) - E005
malformed JSONL line - E006 JSONL object without a non-empty ``text`` - E007
bad date - E008 missing path - E009 HTML with no extractable text - E010 text
that does not look English - E012 any other OS error.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO, TextIO

from casus.errors import CasusError
from casus.records import Document, Problem

__all__ = ["read_inputs", "count_inputs", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
STDIN_ORIGIN = "<stdin>"
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_SNIFF = 8192

# --------------------------------------------------------------------------- #
# Public API
# --------------------------------------------------------------------------- #


def read_inputs(
    paths: Iterable[str | Path],
    *,
    published: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int | None = None,
) -> Iterator[Document | Problem]:
    """Yield a ``Document`` or a ``Problem`` for every document in ``paths``.

    ``'-'`` reads ``stdin`` (default ``sys.stdin``): JSONL if its first
    non-blank line is a JSON object, otherwise one text (or HTML) document.
    """
    if published is not None:
        default_date = _parse_date(published)
        if default_date is None:
            yield _problem("--published", "E007", where="--published", value=published)
            return
    else:
        default_date = None
    limit = _resolve_max_bytes(max_bytes)
    for p in paths:
        if isinstance(p, str) and p == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, default_date, limit)
        else:
            yield from _read_path(Path(p), str(p), default_date, limit)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """Cheap, best-effort count of the records ``read_inputs`` will yield.

    Files count one each, JSONL files one per line, ``'-'`` one. Never raises.
    """
    total = 0
    for p in paths:
        try:
            if isinstance(p, str) and p == "-":
                total += 1
                continue
            path = Path(p)
            if path.is_dir():
                files = list(_walk(path, set()))
                total += sum(_count_file(f) for f in files) if files else 1
            else:
                total += _count_file(path)
        except Exception:  # best effort only
            total += 1
    return total


# --------------------------------------------------------------------------- #
# Paths
# --------------------------------------------------------------------------- #


def _problem(origin: str, code: str, **fields: object) -> Problem:
    err = CasusError(code, **fields)
    return Problem(origin, code, err.message)


def _resolve_max_bytes(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max(int(max_bytes), 0)
    env = os.environ.get("CASUS_MAX_BYTES", "").strip()
    m = re.fullmatch(r"(\d[\d_]*)\s*([kmg]?)i?b?", env, re.IGNORECASE)
    if not m:
        return DEFAULT_MAX_BYTES
    n = int(m.group(1).replace("_", ""))
    return n * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2).lower()]


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in JSONL_SUFFIXES


def _walk(directory: Path, seen: set[tuple[int, int]]) -> Iterator[Path]:
    """Non-hidden files under ``directory``, depth first, sorted by name."""
    try:
        st = directory.stat()
    except OSError:
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:  # symlink loop
        return
    seen.add(key)
    entries = sorted(directory.iterdir(), key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, seen)
        else:
            yield entry


def _count_file(path: Path) -> int:
    if not _is_jsonl(path):
        return 1
    n, last = 0, b"\n"
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _read_path(path: Path, origin: str, default_date: str | None, limit: int) -> Iterator[Document | Problem]:
    try:
        st = path.stat()
    except FileNotFoundError:
        yield _problem(origin, "E008", where=origin)
        return
    except OSError as e:
        yield _problem(origin, "E012", where=origin, detail=e.strerror or str(e))
        return

    if stat.S_ISDIR(st.st_mode):
        try:
            files = list(_walk(path, set()))
        except OSError as e:
            yield _problem(origin, "E012", where=origin, detail=e.strerror or str(e))
            return
        if not files:
            yield _problem(origin, "E001", where=f"directory {origin}")
            return
        for f in files:
            yield from _read_path(f, os.path.join(origin, str(f.relative_to(path))), default_date, limit)
        return

    try:
        if _is_jsonl(path):
            yield from _read_jsonl_file(path, origin, default_date, limit)
        else:
            yield _read_document_file(path, origin, st, default_date, limit)
    except CasusError as e:
        yield Problem(origin, e.code, e.message)
    except OSError as e:
        yield _problem(origin, "E012", where=origin, detail=e.strerror or str(e))


def _read_document_file(path: Path, origin: str, st: os.stat_result, default_date: str | None, limit: int) -> Document | Problem:
    regular = stat.S_ISREG(st.st_mode)
    if regular and st.st_size > limit:
        return _problem(origin, "E004", where=origin, size=st.st_size, limit=limit)
    with path.open("rb") as f:
        data = f.read(limit + 1)
        if len(data) > limit:  # grew since stat, or not a regular file
            size = len(data)
            while chunk := f.read(1 << 20):
                size += len(chunk)
            return _problem(origin, "E004", where=origin, size=size, limit=limit)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    text = _decode(data, origin, html=is_html or _looks_like_html(data[:1024].decode("utf-8", "ignore")))
    return _make_document(text, origin, published=default_date, force_html=is_html, empty_code="E001")


# --------------------------------------------------------------------------- #
# Bytes -> text
# --------------------------------------------------------------------------- #

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Microsoft Office document"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"SQLite format 3\x00", "SQLite database"),
]
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}


def _binary_reason(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) looks binary, or None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        return "bzip2 archive"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF media file"
    if b"\x00" in head:
        return f"NUL byte at offset {head.index(0)}"
    if head:
        controls = sum(1 for b in head if b in _CONTROL_BYTES)
        if controls / len(head) > 0.30:
            return f"{controls * 100 // len(head)}% control bytes"
    return None


def _decode(data: bytes, where: str, html: bool = False) -> str:
    """Strict UTF-8 decode (BOM dropped), raising E002/E003 as a ``CasusError``."""
    head = data[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CasusError("E003", where=where, detail="it is UTF-16 encoded (byte-order mark at offset 0)")
    reason = _binary_reason(head)
    if reason:
        raise CasusError("E002", where=where, detail=reason)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if html:
            alt = _declared_charset(head)
            if alt:
                try:
                    return data.decode(alt)
                except (UnicodeDecodeError, LookupError):
                    pass
        raise CasusError("E003", where=where, detail=_decode_detail(data, e)) from None


def _decode_detail(data: bytes, e: UnicodeDecodeError) -> str:
    off = e.start
    line = data.count(b"\n", 0, off) + 1
    col = off - (data.rfind(b"\n", 0, off) + 1) + 1
    return f"invalid byte 0x{data[off]:02x} at byte offset {off}, line {line}, column {col}"


def _declared_charset(head: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", head, re.IGNORECASE)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec == "utf-8" else codec


def _text_binary_reason(text: str) -> str | None:
    """The E002 check for text that arrived already decoded (a text stream)."""
    head = text[:_SNIFF]
    if "\x00" in head:
        return f"NUL character at offset {head.index(chr(0))}"
    if head:
        controls = sum(1 for c in head if ord(c) in _CONTROL_BYTES)
        if controls / len(head) > 0.30:
            return f"{controls * 100 // len(head)}% control characters"
    return None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- #
# HTML
# --------------------------------------------------------------------------- #

_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text.lstrip("\ufeff")[:1024]))


class _FallbackText(HTMLParser):
    """Visible text of an HTML page, without script/style/navigation chrome."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "head", "svg", "form", "iframe", "button", "select"}
    BLOCK = {
        "p", "div", "br", "li", "ul", "ol", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "table", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption", "hr", "td", "th",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _fallback_extract(html: str) -> str:
    parser = _FallbackText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:
        pass
    return parser.text()


def _extract_html(html: str) -> tuple[str, str | None]:
    """(main text, page title) of an HTML page; text is '' when nothing is found."""
    text = None
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False)
    except Exception:
        text = None
    if not text or not text.strip():
        text = _fallback_extract(html)
    m = _TITLE.search(html[:65536])
    title = " ".join(unescape(m.group(1)).split()) if m else None
    return _normalise_newlines(text or ""), (title or None)


# --------------------------------------------------------------------------- #
# Documents
# --------------------------------------------------------------------------- #


def _make_document(
    text: str,
    origin: str,
    *,
    published: str | None,
    force_html: bool = False,
    empty_code: str = "E001",
    id: str = "",
    url: str | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Document | Problem:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        if empty_code == "E006":
            return _problem(origin, "E006", where=origin)
        return _problem(origin, "E009" if force_html else "E001", where=origin)
    if force_html or _looks_like_html(text[:1024]):
        text, page_title = _extract_html(text)
        title = title or page_title
        if not text.strip():
            return _problem(origin, "E009", where=origin)
    else:
        text = _normalise_newlines(text)
    lang = guess_non_english(text)
    if lang:
        return _problem(origin, "E010", where=origin, lang=lang)
    return Document(text=text, id=id, published=published, url=url, source=source, title=title, origin=origin)


def _parse_date(value: object) -> str | None:
    """``YYYY-MM-DD`` for a valid ISO date or datetime string, else None."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", v):
        return None
    try:
        if len(v) == 10:
            return date.fromisoformat(v).isoformat()
        return datetime.fromisoformat(v).date().isoformat()
    except ValueError:
        return None


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


# --------------------------------------------------------------------------- #
# JSONL
# --------------------------------------------------------------------------- #


def _iter_lines(stream: BinaryIO | TextIO, limit: int, first_lineno: int = 1) -> Iterator[tuple[int, bytes | str | None, int]]:
    """(lineno, line, size) for each line; line is None when longer than ``limit``."""
    lineno = first_lineno - 1
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        yield _bound_line(stream, lineno, line, limit)


def _bound_line(stream: BinaryIO | TextIO, lineno: int, line: bytes | str, limit: int) -> tuple[int, bytes | str | None, int]:
    nl = b"\n" if isinstance(line, bytes) else "\n"
    body = line.rstrip(b"\r\n" if isinstance(line, bytes) else "\r\n")
    if len(body) <= limit:
        return lineno, line, len(body)
    size = len(body)
    while not line.endswith(nl):  # drain the rest of the over-long line
        line = stream.readline(1 << 20)
        if not line:
            break
        size += len(line.rstrip(b"\r\n" if isinstance(line, bytes) else "\r\n"))
    return lineno, None, size


def _jsonl_record(line: bytes | str | None, size: int, origin: str, default_date: str | None, limit: int) -> Document | Problem | None:
    """The record of one JSONL line (None for a blank line)."""
    if line is None:
        return _problem(origin, "E004", where=origin, size=size, limit=limit)
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as e:
            return _problem(origin, "E003", where=origin, detail=f"invalid byte 0x{line[e.start]:02x} at byte offset {e.start} of the line")
    line = line.lstrip("\ufeff")
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return _problem(origin, "E005", where=origin, detail=f"{e.msg} at column {e.colno}")
    if not isinstance(obj, dict):
        return _problem(origin, "E005", where=origin, detail=f"expected a JSON object, got {type(obj).__name__ if obj is not None else 'null'}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return _problem(origin, "E006", where=origin)
    published = default_date
    if obj.get("published") not in (None, ""):
        published = _parse_date(obj["published"])
        if published is None:
            return _problem(origin, "E007", where=origin, value=obj["published"])
    raw_id = obj.get("id")
    return _make_document(
        text,
        origin,
        published=published,
        empty_code="E006",
        id="" if raw_id is None or raw_id == "" else str(raw_id),
        url=_opt_str(obj.get("url")),
        source=_opt_str(obj.get("source")),
        title=_opt_str(obj.get("title")),
    )


def _read_jsonl_file(path: Path, origin: str, default_date: str | None, limit: int) -> Iterator[Document | Problem]:
    with path.open("rb") as f:
        head = f.read(_SNIFF)
        if not head.strip():
            yield _problem(origin, "E001", where=origin)
            return
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            yield _problem(origin, "E003", where=origin, detail="it is UTF-16 encoded (byte-order mark at offset 0)")
            return
        reason = _binary_reason(head)
        if reason:
            yield _problem(origin, "E002", where=origin, detail=reason)
            return
        f.seek(0)
        for lineno, line, size in _iter_lines(f, limit):
            rec = _jsonl_record(line, size, f"{origin}:{lineno}", default_date, limit)
            if rec is not None:
                yield rec


# --------------------------------------------------------------------------- #
# stdin
# --------------------------------------------------------------------------- #


def _read_stdin(stdin: TextIO | BinaryIO, default_date: str | None, limit: int) -> Iterator[Document | Problem]:
    origin = STDIN_ORIGIN
    buffer = getattr(stdin, "buffer", None)
    stream: TextIO | BinaryIO = buffer if buffer is not None and hasattr(buffer, "readline") else stdin
    try:
        consumed: list[bytes | str] = []
        lineno = 0
        first: tuple[int, bytes | str | None, int] | None = None
        while True:  # find the first non-blank line, to decide JSONL or text
            raw = stream.readline(limit + 1)
            if not raw:
                break
            lineno += 1
            if raw.strip():
                first = _bound_line(stream, lineno, raw, limit)
                break
            consumed.append(raw)

        if first is not None and first[1] is not None and _is_json_object_line(first[1]):
            rec = _jsonl_record(first[1], first[2], f"{origin}:{first[0]}", default_date, limit)
            if rec is not None:
                yield rec
            for ln, line, size in _iter_lines(stream, limit, first_lineno=first[0] + 1):
                rec = _jsonl_record(line, size, f"{origin}:{ln}", default_date, limit)
                if rec is not None:
                    yield rec
            return

        # One text document: what was read so far plus the rest of the stream.
        if first is not None:
            if first[1] is None:
                size = sum(len(c) for c in consumed) + first[2]
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                yield _problem(origin, "E004", where=origin, size=size, limit=limit)
                return
            consumed.append(first[1])
        sofar = sum(len(c) for c in consumed)
        rest = stream.read(max(limit + 1 - sofar, 0))
        size = sofar + len(rest)
        if size > limit:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
            yield _problem(origin, "E004", where=origin, size=size, limit=limit)
            return
        consumed.append(rest)
        if any(isinstance(c, bytes) for c in consumed):
            data = b"".join(c if isinstance(c, bytes) else c.encode("utf-8") for c in consumed)
            text = _decode(data, origin, html=_looks_like_html(data[:1024].decode("utf-8", "ignore")))
        else:
            text = "".join(consumed)  # type: ignore[arg-type]
            reason = _text_binary_reason(text)
            if reason:
                yield _problem(origin, "E002", where=origin, detail=reason)
                return
        yield _make_document(text, origin, published=default_date, empty_code="E001")
    except CasusError as e:
        yield Problem(origin, e.code, e.message)
    except OSError as e:
        yield _problem(origin, "E012", where=origin, detail=e.strerror or str(e))
    except ValueError as e:  # e.g. reading a closed stream
        yield _problem(origin, "E012", where=origin, detail=str(e))


def _is_json_object_line(line: bytes | str) -> bool:
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            return False
    line = line.lstrip("\ufeff").strip()
    if not line.startswith("{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


# --------------------------------------------------------------------------- #
# Language
# --------------------------------------------------------------------------- #

# Function words chosen to avoid words shared with Spanish/French/German (no
# "a", "in", "an", "so", "die", "was", "war", "also", "on", "un", "son", ...).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "English": frozenset(
        "the of and to is that for it with as his be at by this had not are but from or have they which "
        "you were her she there would their we him been has when who more if out said what its about than "
        "into them can only other some could these after over he our those then should because while".split()
    ),
    "Spanish": frozenset(
        "de la el en y que los del las por una con para es se al lo como más pero sus le ya este "
        "porque esta entre cuando muy sin sobre también fue ha han hay donde desde todo nos durante "
        "ni contra otros ese eso está están según".split()
    ),
    "French": frozenset(
        "le les des et est il une du pour qui dans par sur pas au avec ce ne sont mais ou été aux leur "
        "cette nous vous elle ils être fait comme tout plus été ont était sa ses selon après où".split()
    ),
    "German": frozenset(
        "der und den von zu mit sich des auf für ist im dem nicht ein eine auch es werden aus er hat "
        "dass sie nach wird bei einer um sind noch wie einem über zum haben nur oder aber vor zur bis "
        "mehr durch sein wurde diese ich wir ihre seine".split()
    ),
}
_SCRIPTS: list[tuple[str, tuple[tuple[int, int], ...]]] = [
    ("Arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("Russian (Cyrillic script)", ((0x0400, 0x052F),)),
    ("Chinese", ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))),
    ("Japanese", ((0x3040, 0x30FF),)),
    ("Korean", ((0xAC00, 0xD7AF), (0x1100, 0x11FF))),
    ("Greek", ((0x0370, 0x03FF),)),
    ("Hebrew", ((0x0590, 0x05FF),)),
    ("Hindi (Devanagari script)", ((0x0900, 0x097F),)),
    ("Thai", ((0x0E00, 0x0E7F),)),
]
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 20000
MIN_LETTERS = 200


def guess_non_english(text: str) -> str | None:
    """None if ``text`` looks English (or is too short to tell), else a guess of its language."""
    sample = text[:_SAMPLE]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    non_latin = [c for c in letters if ord(c) > 0x024F]
    if len(non_latin) > len(letters) / 2:
        counts: dict[str, int] = {}
        for c in non_latin:
            o = ord(c)
            for name, ranges in _SCRIPTS:
                if any(lo <= o <= hi for lo, hi in ranges):
                    counts[name] = counts.get(name, 0) + 1
                    break
        if counts:
            name = max(counts, key=counts.__getitem__)
            if name == "Chinese" and counts.get("Japanese", 0) > counts[name] / 10:
                name = "Japanese"
            return name
        return "non-English"
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return None
    ratios = {lang: sum(w in fw for w in words) / len(words) for lang, fw in _FUNCTION_WORDS.items()}
    en = ratios.pop("English")
    other, other_ratio = max(ratios.items(), key=lambda kv: kv[1])
    if en < 0.02:
        return other if other_ratio >= 0.05 else "non-English"
    if other_ratio > en and other_ratio >= 0.05:
        return other
    return None
