"""Reader for PETRARCH/Phoenix (TABARI-style) actor, agent and discard dictionaries.

Contract
--------
``parse_file(path)`` reads one dictionary file and returns a :class:`Parsed`
(actor blocks, agents, discards, numbered warnings, line count, seconds);
``parse_actors(text)``, ``parse_agents(text)`` and ``parse_discards(text)`` do the
same for text already in memory. ``to_rows(parsed)`` turns it into
:class:`KBRow` records: one per surface form and code, with the PLOVER sector
casus uses and the date range of the code, ready for :mod:`casus.store.kb`.
``import_files(paths)`` does both for several files.

A malformed line never stops the reader: it becomes a :class:`CasusError` with
code ``W050`` (file and line number in the message) in ``Parsed.warnings`` and is
skipped. Nothing here touches spaCy or DuckDB.

Formats read
------------
Actor files (``Phoenix.Countries.actors.txt``, ``...International...``,
``...MilNonState...``)::

    AFGHANISTAN_  [AFG]                 # a name line with its code
    +AFGHAN_                            # a synonym of the block above
    HAMID_KARZAI_  # comment
    +PRESIDENT_KARZAI_
            [AFGELI 750101-000101]      # code valid between two dates
            [AFGGOV >011222]            # code valid from a date on
            [AFGELI]                    # default code: when no dated code applies
    KOFI_ANNAN_  [IGOUNO 970101-061231] [ELI]   # several codes on one line

* ``_`` joins the words of a phrase; a trailing ``_`` (TABARI "exact word") is
  dropped. Spaces are read as word breaks too.
* A block is one or more name lines (plain or ``+``) followed by its codes, on
  the name line or on following lines that start with white space or ``[``.
  Consecutive plain name lines before any code share the codes that follow.
  A blank line or a new plain name after the codes ends the block.
* ``[CODE <YYMMDD]`` ends on that day, ``[CODE >YYMMDD]`` starts on it,
  ``[CODE YYMMDD-YYMMDD]`` covers both days. Dates have 6 digits (YYMMDD: years
  00-30 are 2000-2030, 31-99 are 1931-1999, as in the files, where 1927 is
  written 19270101) or 8 digits (YYYYMMDD). ``[---]`` is the null code (the phrase
  is known but names no actor) and gives no entry.
* Codes are 3-letter chunks: the first is the country (ISO-3; ``KSV`` becomes
  ``XKX``), ``IGO``/``NGO``/``IMG``/``MNC`` or a region; a code made of sector
  chunks only (``[ELI]``) has no country.

Agent files (``Phoenix.agents.txt``, ``PLOVER_agents.txt``)::

    !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON       # substitution set
    POLICE {} [~COP]                                # {} : no plural form
    CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
    CHRISTIAN_CLERGY!PERSON! [~CHR]                 # expands to ...CLERGYMAN, ...CLERGYMEN ...
    UN_OFFICIAL [IGO~]                              # code before the actor's own

Discard file (``Phoenix.discards.txt``): one phrase a line; ``+`` marks a
story-level discard, no ``+`` a sentence-level one.

Sectors
-------
Each 3-letter chunk after the country is looked up in :data:`SECTOR_MAP`
(Phoenix/CAMEO agent code -> casus sector; religion codes -> ``REL``, ``JRN`` ->
``MED``, ``INS``/``SEP`` -> ``REB``, ...). The first mapped chunk gives the sector,
except that a narrower one right after it wins (``GOV`` then ``LEG``/``JUD``:
Congress is ``LEG``; ``CVL``/``PTY``/``ELI`` then ``OPP``; ``MIL`` then
``SPY``/``JUD``/``COP``); religion chunks count only when nothing else maps
(``IMGMUSALQ`` is ``IMG REB``, ``[~CHR]`` is ``REL``). With no sector chunk the
code's default applies: ``IGO`` -> ``IGO``, ``NGO`` -> ``NGO``, ``IMG`` -> ``REB``,
``MNC`` -> ``BUS``. PLOVER renamed two CAMEO sectors: an agent file that uses ``JRN``
(``PLOVER_agents.txt``) is read in PLOVER's scheme, where ``MED`` is health (casus ``HLH``);
in the CAMEO files ``MED`` is the media (casus ``MED``).

Kinds
-----
A block with a bare country code (``[AFG]``) and no sector in any code gives
``country`` entries (``[USRUKR <910824]`` ``[UKR >911221]``: Kharkiv is in the USSR
before 1991-08-24);
a block with a date-restricted code gives ``person`` entries (office holders;
their rows are chosen by the event date, as for ``people.tsv``), except names
whose head noun names a body (``THE OBAMA ADMINISTRATION``, ``SYRIAN NATIONAL
COUNCIL [SYROPP >110101]``: ``org`` rows that keep the dates); any other block
gives ``org`` entries. Agents give ``role`` rows (``role`` column
``group`` for plural forms and collective nouns such as POLICE or MINISTRY, else
``person``); discards give ``discard`` rows (``role`` ``story`` or ``sentence``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import CasusError
from .kb import DATA, _rows

__all__ = [
    "SECTOR_MAP", "Code", "ActorBlock", "Agent", "Discard", "Parsed", "KBRow",
    "parse_actors", "parse_agents", "parse_discards", "parse_file", "detect_kind",
    "to_rows", "import_files", "parse_date", "sector_of",
]

SOURCE = "phoenix"

#: Phoenix/CAMEO 3-letter agent codes -> the sector casus uses.
SECTOR_MAP: dict[str, str] = {
    # the PLOVER/casus sectors themselves
    **{s: s for s in ("GOV", "MIL", "REB", "COP", "JUD", "LEG", "PTY", "SPY", "MED", "CVL", "BUS", "OPP",
                      "NGO", "IGO", "EDU", "HLH", "REF", "LAB", "UAF", "ELI", "AGR", "ENV", "CRM", "REL")},
    "JRN": "MED",  # journalists and news media (PLOVER's name for CAMEO's MED)
    "PRM": "MIL",  # PLOVER: paramilitary organisations not in opposition to the government
    # (PLOVER's PRE, "partially recognised entity", is added to another sector and gives none itself)
    "SOC": "CVL", "PPL": "CVL", "SET": "CVL",  # society, people, settlers
    "INS": "REB", "SEP": "REB",  # insurgents, separatists
    "HRI": "NGO", "AMN": "NGO", "IRC": "NGO",  # human rights groups, Amnesty, Red Cross
    "MNC": "BUS",
}
#: Religion codes (CAMEO): a sector only when nothing else in the code maps.
RELIGION = {"CHR", "CTH", "ORT", "PRO", "MAR", "MUS", "SHI", "SUN", "ALE", "DRZ", "SFI", "JEW", "HIN",
            "BUD", "JAN", "SIK", "ZRO", "TAO", "CON", "BAH", "ITR", "SHN", "RAD", "MOD"}
#: Sector chunks that narrow the one before them.
NARROWER = {"GOV": {"LEG", "JUD"}, "CVL": {"OPP"}, "PTY": {"OPP"}, "ELI": {"OPP"},
            "MIL": {"SPY", "JUD", "COP"}}
#: Default sector of an actor code with no sector chunk.
CODE_DEFAULT_SECTOR = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB", "MNC": "BUS"}
#: Codes that are not actors at all (PLOVER agents: junk, none, unknown).
NOT_ACTORS = {"JNK", "NON", "UNK"}
#: CAMEO country codes that differ from ISO-3.
COUNTRY_FIX = {"KSV": "XKX"}
NON_COUNTRY = set(CODE_DEFAULT_SECTOR)


def _country_codes() -> set[str]:
    return {r["code"] for r in _rows(DATA / "countries.tsv")}


COUNTRIES = _country_codes()
GROUP_WORDS = {"POLICE", "ARMY", "FORCE", "FORCES", "MILITARY", "GOVERNMENT", "MINISTRY", "MINISTRIES",
               "PARTY", "AGENCY", "COMPANY", "CORPORATION", "INDUSTRY", "COUNCIL", "COMMITTEE", "PARLIAMENT",
               "ASSEMBLY", "COURT", "UNION", "GROUP", "MILITIA", "REGIME", "ADMINISTRATION", "CABINET",
               "DEPARTMENT", "OFFICE", "BANK", "MEDIA", "PRESS", "OPPOSITION", "CLERGY", "PUBLIC",
               "PEOPLE", "CROWD", "MOB", "TROOPS", "NAVY", "GUARD", "AUTHORITIES", "AUTHORITY", "BUREAU",
               "COMMISSION", "ORGANIZATION", "ORGANISATION", "MOVEMENT", "FRONT", "BRIGADE", "BATTALION",
               "REGIMENT", "UNIT", "SQUAD", "JUNTA", "SENATE", "CONGRESS", "FIRM", "ENTERPRISE", "UNIVERSITY",
               "SCHOOL", "HOSPITAL", "NEWSPAPER", "DAILY", "TELEVISION", "RADIO", "CHURCH", "DIOCESE"}

_CODE_RE = re.compile(r"^(?P<code>---|[A-Z0-9]+)(?:\s+(?P<date>[<>]?\s*\S+))?$")
_AGENT_CODE_RE = re.compile(r"^(?:~(?P<after>[A-Z]+)|(?P<before>[A-Z]+)~)$")
_SUBST_RE = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")


# --------------------------------------------------------------------------- records
@dataclass
class Code:
    """One code of an actor block, with its validity (ISO dates, both inclusive; None = open)."""

    code: str  # as written: "AFGGOVAGR", "IGOUNO", "---"
    start: str | None = None
    end: str | None = None
    line: int = 0

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass
class ActorBlock:
    names: list[str]  # phrases, words joined by spaces, as written (upper case)
    codes: list[Code]
    line: int  # line of the first name


@dataclass
class Agent:
    term: str  # phrase, words joined by spaces
    code: str  # the agent code without its "~" ("GOV", "GOVMIL", "CVLOPP")
    plurals: list[str]
    line: int


@dataclass
class Discard:
    phrase: str
    story: bool  # True: story-level ("+"), False: sentence-level
    line: int


@dataclass
class Parsed:
    path: str
    kind: str  # actors | agents | discards
    actors: list[ActorBlock] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    discards: list[Discard] = field(default_factory=list)
    warnings: list[CasusError] = field(default_factory=list)
    lines: int = 0
    seconds: float = 0.0
    sha256: str = ""


@dataclass
class KBRow:
    """One KB row: a surface form, what it resolves to, and when."""

    form: str
    kind: str  # country | org | person | role | discard
    code: str | None
    sector: str | None
    name: str
    valid_from: str | None = None
    valid_to: str | None = None
    role: str | None = None  # person | group for kind 'role'; office name for people
    country: str | None = None
    source: str = SOURCE
    origin: str = ""  # file:line

    def key(self) -> tuple:
        """Identity of the row (without its origin): equal keys are the same entry."""
        return (self.form.lower(), self.kind, self.code, self.sector, self.name.lower(), self.valid_from,
                self.valid_to, self.role, self.country, self.source)


# --------------------------------------------------------------------------- helpers
def _warn(warnings: list[CasusError], where: str, line: int, detail: str) -> None:
    warnings.append(CasusError("W050", where=where, line=line, detail=detail))


def parse_date(s: str) -> str:
    """``YYMMDD`` or ``YYYYMMDD`` -> ISO date; ``ValueError`` when it is not a date."""
    if not s.isdigit() or len(s) not in (6, 8):
        raise ValueError(f"'{s}' is not a YYMMDD or YYYYMMDD date")
    if len(s) == 8:
        y, rest = int(s[:4]), s[4:]
    else:
        yy = int(s[:2])
        y, rest = (2000 + yy if yy <= 30 else 1900 + yy), s[2:]
    return _dt.date(y, int(rest[:2]), int(rest[2:])).isoformat()


def _phrase(raw: str) -> str:
    """'HAMID_KARZAI_' -> 'HAMID KARZAI' (underscores and runs of spaces -> one space)."""
    return " ".join(raw.replace("_", " ").split())


def _strip_comment(line: str) -> str:
    i = line.find("#")
    return line if i < 0 else line[:i]


def _brackets(text: str) -> tuple[list[str], str]:
    """The ``[...]`` groups of ``text`` and what is left outside them (or raise on bad brackets)."""
    groups: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "[":
            j = text.find("]", i + 1)
            k = text.find("[", i + 1)
            if j < 0 or (0 <= k < j):
                raise ValueError(f"unclosed '[' in '{text.strip()}'")
            groups.append(text[i + 1:j].strip())
            i = j + 1
        elif c == "]":
            raise ValueError(f"']' without '[' in '{text.strip()}'")
        else:
            rest.append(c)
            i += 1
    return groups, "".join(rest)


def _parse_code(group: str, line: int) -> Code:
    m = _CODE_RE.match(group)
    if not m:
        raise ValueError(f"'[{group}]' is not a code")
    code, date = m.group("code"), "".join((m.group("date") or "").split())  # "> 140608" as ">140608"
    if code != "---" and len(code) % 3:
        raise ValueError(f"code '{code}' is not made of 3-letter parts")
    start = end = None
    if date:
        if date.startswith(">"):
            start = parse_date(date[1:])
        elif date.startswith("<"):
            end = parse_date(date[1:])
        elif "-" in date:
            a, _, b = date.partition("-")
            start, end = parse_date(a), parse_date(b)
            if start > end:
                raise ValueError(f"date range '{date}' ends before it starts")
        else:
            raise ValueError(f"date restriction '{date}' is not >DATE, <DATE or DATE-DATE")
    return Code(code, start, end, line)


def detect_kind(path: str | Path, text: str | None = None) -> str:
    """``actors``, ``agents`` or ``discards`` from the file name, else from its content."""
    name = Path(path).name.lower()
    if "discard" in name:
        return "discards"
    if "agent" in name:
        return "agents"
    if "actor" in name:
        return "actors"
    if text is not None:
        if re.search(r"\[\s*~[A-Z]|\[[A-Z]+~\]", text):
            return "agents"
        if re.search(r"\[[A-Z]{3}", text):
            return "actors"
    raise CasusError("E050", where=str(path),
                     detail="cannot tell from its name or content whether it holds actors, agents or discards")


# --------------------------------------------------------------------------- actors
def parse_actors(text: str, where: str = "<text>") -> Parsed:
    out = Parsed(where, "actors")
    block: ActorBlock | None = None

    def close() -> None:
        nonlocal block
        if block is not None:
            if block.codes:
                out.actors.append(block)
            else:
                _warn(out.warnings, where, block.line,
                      f"'{block.names[0]}' has no code; skipped")
        block = None

    for n, raw in enumerate(text.splitlines(), 1):
        out.lines = n
        body = _strip_comment(raw).rstrip()
        if not body.strip():
            if not raw.lstrip().startswith("#"):
                close()
            continue
        try:
            groups, rest = _brackets(body)
            codes = [_parse_code(g, n) for g in groups]
        except ValueError as exc:
            _warn(out.warnings, where, n, str(exc))
            continue
        stripped = body.lstrip()
        if stripped.startswith("[") or (body[:1].isspace() and not rest.strip()):
            # a code line
            if rest.strip():
                _warn(out.warnings, where, n, f"text '{rest.strip()}' outside the brackets of a code line")
                continue
            if block is None:
                _warn(out.warnings, where, n, "code line without a name before it")
                continue
            block.codes.extend(codes)
            continue
        synonym = stripped.startswith("+")
        name = _phrase(rest.strip().lstrip("+"))
        if not name:
            _warn(out.warnings, where, n, "empty phrase")
            continue
        if "+" in name or "[" in name or "]" in name:
            _warn(out.warnings, where, n, f"'{name}' looks like two lines run together")
            continue
        if synonym:
            if block is None:
                _warn(out.warnings, where, n, f"synonym '+{name}' without a name before it")
                continue
            block.names.append(name)
            block.codes.extend(codes)
            continue
        if block is not None and block.codes:
            close()
        if block is None:
            block = ActorBlock([name], [], n)
        else:  # consecutive name lines share the codes that follow
            block.names.append(name)
        block.codes.extend(codes)
    close()
    return out


# --------------------------------------------------------------------------- agents
def _expand(term: str, subst: dict[str, list[str]]) -> list[str]:
    parts = re.split(r"(![A-Z]+!)", term)
    options = [subst.get(p, [p]) if p.startswith("!") and p.endswith("!") and len(p) > 2 else [p] for p in parts]
    return ["".join(c) for c in itertools.product(*options)]


def parse_agents(text: str, where: str = "<text>") -> Parsed:
    out = Parsed(where, "agents")
    subst: dict[str, list[str]] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        out.lines = n
        body = _strip_comment(raw).strip()
        if not body:
            continue
        m = _SUBST_RE.match(body)
        if m:
            subst[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
            continue
        try:
            groups, rest = _brackets(body)
        except ValueError as exc:
            _warn(out.warnings, where, n, str(exc))
            continue
        if len(groups) != 1:
            _warn(out.warnings, where, n, f"expected one [~CODE], found {len(groups)}")
            continue
        cm = _AGENT_CODE_RE.match(groups[0].replace(" ", ""))
        if not cm or len(cm.group("after") or cm.group("before")) % 3:
            _warn(out.warnings, where, n, f"'[{groups[0]}]' is not an agent code ([~XXX] or [XXX~])")
            continue
        code = cm.group("after") or cm.group("before")
        plurals: list[str] = []
        pm = re.search(r"\{([^{}]*)\}", rest)
        if pm:
            plurals = [_phrase(p) for p in re.split(r"[\s,]+", pm.group(1)) if p.strip("_ ")]
            rest = rest[:pm.start()] + rest[pm.end():]
        elif "{" in rest or "}" in rest:
            _warn(out.warnings, where, n, "unbalanced '{' '}'")
            continue
        term = rest.strip()
        if not term:
            _warn(out.warnings, where, n, "agent code without a noun")
            continue
        unknown = [p for p in re.findall(r"![A-Z]+!", term) if p not in subst]
        if unknown:
            _warn(out.warnings, where, n, f"substitution set {unknown[0]} is not defined above")
            continue
        for t in _expand(term, subst):
            t = _phrase(t)
            if t:
                out.agents.append(Agent(t, code, plurals, n))
    return out


# --------------------------------------------------------------------------- discards
def parse_discards(text: str, where: str = "<text>") -> Parsed:
    out = Parsed(where, "discards")
    for n, raw in enumerate(text.splitlines(), 1):
        out.lines = n
        body = _strip_comment(raw).strip()
        if not body:
            continue
        story = body.startswith("+")
        phrase = _phrase(body.lstrip("+"))
        if not phrase:
            _warn(out.warnings, where, n, "empty discard phrase")
            continue
        if "[" in phrase or "]" in phrase:
            _warn(out.warnings, where, n, f"discard '{phrase}' holds a code; discards have none")
            continue
        out.discards.append(Discard(phrase, story, n))
    return out


def parse_file(path: str | Path, kind: str | None = None) -> Parsed:
    """Read one dictionary file (UTF-8; Latin-1 bytes are read as such, with a warning)."""
    p = Path(path)
    if not p.exists():
        raise CasusError("E008", where=str(p))
    t0 = time.perf_counter()
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CasusError("E012", where=str(p), detail=str(exc)) from exc
    if b"\x00" in data[:4096]:
        raise CasusError("E050", where=str(p), detail="it is a binary file, not a text dictionary")
    latin = False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, latin = data.decode("latin-1"), True
    kind = kind or detect_kind(p, text)
    reader = {"actors": parse_actors, "agents": parse_agents, "discards": parse_discards}.get(kind)
    if reader is None:
        raise CasusError("E050", where=str(p), detail=f"unknown dictionary kind '{kind}'")
    out = reader(text, str(p))
    if latin:
        _warn(out.warnings, str(p), 0, "not valid UTF-8; read as Latin-1")
    out.sha256 = hashlib.sha256(data).hexdigest()
    out.seconds = time.perf_counter() - t0
    return out


# --------------------------------------------------------------------------- conversion
#: PLOVER renamed two CAMEO sectors (PLOVER manual, sector code note 4): its ``MED`` is health (CAMEO and
#: casus ``HLH``) and its ``JRN`` is the news media (CAMEO and casus ``MED``). A file that uses ``JRN`` is read
#: in PLOVER's scheme.
PLOVER_SCHEME = {"MED": "HLH"}


def uses_plover_sectors(codes: Iterable[str]) -> bool:
    """True when a file's agent codes are in PLOVER's sector scheme (it names ``JRN``, which CAMEO lacks)."""
    return any("JRN" in [c[i:i + 3] for i in range(0, len(c), 3)] for c in codes)


def sector_of(chunks: list[str], default: str | None = None, plover: bool = False) -> str | None:
    """The casus sector of a code's 3-letter chunks after the country (see the module doc); ``plover``: the
    chunks are in PLOVER's sector scheme (``MED`` is health)."""
    mapped = [(c, (PLOVER_SCHEME.get(c) or SECTOR_MAP[c]) if plover else SECTOR_MAP[c]) for c in chunks
              if c in SECTOR_MAP]
    if mapped:
        first = mapped[0][1]
        for _, s in mapped[1:2]:
            if s in NARROWER.get(first, ()):
                return s
        return first
    if default:
        return default
    if any(c in RELIGION for c in chunks):
        return "REL"
    return None


def split_code(code: str) -> tuple[str | None, str | None]:
    """``'AFGGOVAGR'`` -> ``('AFG', 'GOV')``; ``'IGOUNOREFHCR'`` -> ``('IGO', 'REF')``; ``'ELI'`` -> ``(None, 'ELI')``."""
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    head = chunks[0]
    if head in SECTOR_MAP and head not in NON_COUNTRY or head in RELIGION:
        return None, sector_of(chunks)  # sector-only code ("[ELI]", "[REB]")
    head = COUNTRY_FIX.get(head, head)
    return head, sector_of(chunks[1:], CODE_DEFAULT_SECTOR.get(head))


FUNCTION_WORDS = {"OF", "THE", "AND", "FOR", "IN", "ON", "TO", "AT", "DE", "DU", "DES", "LA", "LE", "EL", "AL",
                  "BIN", "IBN", "VAN", "VON", "DA", "DI", "DEL", "Y"}


def display_name(phrase: str) -> str:
    """'HAMID KARZAI' -> 'Hamid Karzai', 'UNITED STATES OF AMERICA' -> 'United States of America'.

    Words of up to three letters and dotted words stay as written (UN, CIA, U.S.); the
    dictionaries are upper case, so this is only a guess for display.
    """
    words = []
    for n, w in enumerate(phrase.split(" ")):
        if n and w.upper() in FUNCTION_WORDS:
            words.append(w.lower())
        elif "." in w or (len(w) <= 3 and w.isalpha() and w.upper() not in FUNCTION_WORDS):
            words.append(w)
        else:
            words.append("-".join(x[:1].upper() + x[1:].lower() for x in w.split("-")))
    return " ".join(words)


def _head(phrase: str) -> str:
    """The head word of a phrase: the last word before 'of', 'for' ... ('MINISTER FOR DEFENCE' -> MINISTER)."""
    words = phrase.upper().split(" ")
    for i, w in enumerate(words[1:], 1):
        if w in ("OF", "FOR", "TO", "IN", "ON", "AT", "WITH"):
            words = words[:i]
            break
    return words[-1]


ORG_HEADS = GROUP_WORDS | {"COALITION", "ALLIANCE", "BRIGADES", "FACTION", "NETWORK", "POLITBURO", "PRESIDIUM",
                           "FEDERATION", "LEAGUE", "CORPS", "SERVICE", "SERVICES", "REGIMES", "GOVERNMENTS",
                           "STATE", "EMIRATE", "CALIPHATE", "REPUBLIC", "KINGDOM"}
#: Endings and words of agent nouns that name one person (MINISTER, ACTIVIST, CIVILIAN, REFUGEE ...).
PERSON_ENDINGS = ("ER", "OR", "IST", "IAN", "MAN", "WOMAN", "PERSON", "ANT", "EE", "IVE", "IC", "AT", "ARY",
                  "ENT", "ARCH", "OUT", "ITE")
PERSON_WORDS = {"VICTIM", "CHIEF", "HEAD", "JUDGE", "KING", "QUEEN", "PRINCE", "PRINCESS", "MONK", "PRIEST", "BISHOP",
                "IMAM", "MULLAH", "POPE", "SHEIKH", "SHEIK", "EMIR", "CITIZEN", "CHILD", "GENERAL", "COLONEL",
                "MAJOR", "CAPTAIN", "ADMIRAL", "MARSHAL", "OFFICIAL", "ENVOY", "DEPUTY", "AIDE", "ALLY", "THIEF",
                "HOSTAGE", "CAPTIVE", "NUN", "RABBI", "GURU", "LAMA", "SULTAN", "SHAH", "TSAR", "CZAR", "HEIR",
                "SPOUSE", "WIFE", "HUSBAND", "SON", "DAUGHTER", "GIRL", "BOY", "GUY", "CONSUL", "PROSECUTOR", "SPY",
                "REBEL", "EXILE", "THUG", "PILOT", "DELEGATE", "CANDIDATE", "ADVOCATE", "NURSE", "SURGEON",
                "BANDIT", "PIRATE", "COMRADE", "VETERAN", "CONVICT", "INMATE", "COMMANDO", "NOMAD", "SAINT"}
NOT_PERSON_ENDINGS = ("MENT", "ENCY", "ANCY", "ITY", "ISM", "SHIP", "ARY")


def _org_like(phrase: str) -> bool:
    """'THE OBAMA ADMINISTRATION', 'SYRIAN NATIONAL COUNCIL': a body, not a person, though its code is dated."""
    return _head(phrase) in ORG_HEADS


def _role_kind(term: str, plural: bool) -> str:
    """'person' or 'group' for an agent noun, from its head word ('MINISTER FOR DEFENCE' -> MINISTER).

    A person when the head names one human (MINISTER, ACTIVIST, REFUGEE, SECRETARY, VICTIM); a
    group for plurals, collective nouns and anything else (POLICE, FAMILY, TOWN, COMMUNITY).
    """
    last = _head(term)
    if plural or last in GROUP_WORDS or (last.endswith("S") and not last.endswith(("SS", "US", "IS"))):
        return "group"
    if last in PERSON_WORDS or last in ("SECRETARY", "MISSIONARY", "EMISSARY", "DIGNITARY", "ADVERSARY"):
        return "person"
    if last.endswith(PERSON_ENDINGS) and not last.endswith(NOT_PERSON_ENDINGS):
        return "person"
    return "group"


def to_rows(parsed: Parsed, source: str = SOURCE) -> tuple[list[KBRow], Counter]:
    """KB rows of a parsed file, and counts of what was made or left out."""
    rows: list[KBRow] = []
    stats: Counter = Counter()
    where = Path(parsed.path).name
    for b in parsed.actors:
        codes = []
        for c in b.codes:
            if c.code == "---":
                stats["null codes"] += 1
                continue
            key = (c.code, c.start, c.end)
            if key not in [(x.code, x.start, x.end) for x in codes]:
                codes.append(c)
        if not codes:
            stats["blocks with only null codes"] += 1
            continue
        split = [(c, *split_code(c.code)) for c in codes]
        # a country: some code is a bare country and none names a sector ("[USRUKR <910824]" "[UKR >911221]")
        bare = any(len(c.code) == 3 and cc in COUNTRIES for c, cc, _ in split) and all(
            cc and sector is None for _, cc, sector in split)
        if bare:
            kind = "country"
        elif any(c.dated for c in codes) and not _org_like(b.names[0]):
            kind = "person"  # an office holder; a dated body ("SYRIAN NATIONAL COUNCIL [SYROPP >110101]") is an org
        else:
            kind = "org"
        name = display_name(b.names[0])
        seen: set[str] = set()
        for form in b.names:
            if form.lower() in seen:
                continue
            seen.add(form.lower())
            form_kind = "org" if kind == "person" and _org_like(form) else kind  # "THE OBAMA ADMINISTRATION"
            for c, cc, sector in split:
                if kind == "country":
                    sector = None
                country = cc if (form_kind == "org" and cc in COUNTRIES) else None
                rows.append(KBRow(form, form_kind, cc, sector, name, c.start, c.end, None, country, source,
                                  f"{where}:{c.line or b.line}"))
                stats[form_kind] += 1
                if c.dated:
                    stats["dated"] += 1
    plover = uses_plover_sectors(a.code for a in parsed.agents)
    for a in parsed.agents:
        chunks = [a.code[i:i + 3] for i in range(0, len(a.code), 3)]
        if set(chunks) & NOT_ACTORS:
            stats["agents not actors (JNK/NON/UNK)"] += 1
            continue
        sector = sector_of(chunks, plover=plover)
        if sector is None:
            stats["agents without a casus sector"] += 1
            continue
        for term, plural in [(a.term, False), *[(p, True) for p in a.plurals]]:
            rows.append(KBRow(term, "role", None, sector, display_name(a.term), role=_role_kind(term, plural),
                              source=source, origin=f"{where}:{a.line}"))
            stats["role"] += 1
    for d in parsed.discards:
        rows.append(KBRow(d.phrase, "discard", None, None, d.phrase, role="story" if d.story else "sentence",
                          source=source, origin=f"{where}:{d.line}"))
        stats["discard"] += 1
    return rows, stats


def import_files(paths: list[str | Path], source: str = SOURCE) -> tuple[list[Parsed], list[KBRow], Counter]:
    """Parse and convert several dictionary files: ``(parsed files, rows, counts)``."""
    parsed = [parse_file(p) for p in paths]
    rows: list[KBRow] = []
    stats: Counter = Counter()
    for p in parsed:
        r, s = to_rows(p, source)
        rows.extend(r)
        stats.update(s)
    return parsed, rows, stats
