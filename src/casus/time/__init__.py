"""time stage: resolve each event's date against the report's publication date.

Contract
--------
Input: a :class:`casus.nlp.Parsed` and its events. Output: the same events with
``date`` (ISO date), ``date_granularity`` (day, week, month, year),
``date_text`` (the span that gave it) and ``date_inferred`` (True when the event
has no date expression of its own and takes the report's date).

Which expression belongs to which event: a date phrase attached to the trigger
(its subtree, "on Sunday", "Israel's Oct. 26 strike") wins; otherwise a date
phrase attached to the trigger's clause; never one inside another event's
phrase, nor one right after a later event's phrase ("came in retaliation for a
strike on Damascus on April 1": the strike's date, wherever the parser hangs it).
Anchoring (ours, tested): weekdays point back to the latest such day before the
report (forward for planned events), "Oct. 26" takes the report's year unless
that lands more than a month after the report, "last week", "in recent weeks",
"yesterday", "last month", "last year", "in 2023". Other expressions are parsed
by ``dateparser`` relative to the publication date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..nlp import Parsed
from ..records import Event, Span

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12})
MONTH_DAY = re.compile(r"\b(%s)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b" % "|".join(
    sorted(MONTHS, key=len, reverse=True)), re.I)
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(%s)\.?(?:,?\s+(\d{4}))?\b" % "|".join(
    sorted(MONTHS, key=len, reverse=True)), re.I)
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def resolve_expression(text: str, published: date, future: bool = False) -> tuple[str, str] | None:
    """(ISO date, granularity) for a date expression anchored at ``published``; None if not a date."""
    low = text.lower().strip()
    if low in ("today", "this morning", "tonight", "this evening", "this afternoon"):
        return published.isoformat(), "day"
    if low in ("yesterday", "last night"):
        return (published - timedelta(days=1)).isoformat(), "day"
    if low == "tomorrow":
        return (published + timedelta(days=1)).isoformat(), "day"
    for n, wd in enumerate(WEEKDAYS):
        if re.search(rf"\b{wd}\b", low):
            delta = (published.weekday() - n) % 7
            if future or "next" in low:
                d = published + timedelta(days=(n - published.weekday()) % 7 or 7)
            else:
                d = published - timedelta(days=delta)  # "on Tuesday" in Tuesday's paper is that day
                if "last" in low and delta == 0:
                    d = published - timedelta(days=7)
            return d.isoformat(), "day"
    m = MONTH_DAY.search(text) or DAY_MONTH.search(text)
    if m:
        g = m.groups()
        if g[0].isdigit():
            day, mon, yr = int(g[0]), MONTHS[g[1].lower()], g[2]
        else:
            mon, day, yr = MONTHS[g[0].lower()], int(g[1]), g[2]
        year = int(yr) if yr else published.year
        try:
            d = date(year, mon, day)
        except ValueError:
            return None
        if not yr and not future and d > published + timedelta(days=31):
            d = date(year - 1, mon, day)
        return d.isoformat(), "day"
    if "week" in low:
        if "next" in low:
            return (published + timedelta(days=7)).isoformat(), "week"
        if "last" in low or "past" in low or "recent" in low or "previous" in low:
            return (published - timedelta(days=7)).isoformat(), "week"
        if "this" in low:
            return published.isoformat(), "week"
    if "month" in low:
        if "last" in low or "past" in low or "recent" in low or "previous" in low:
            prev = published.replace(day=1) - timedelta(days=1)
            return prev.replace(day=1).isoformat(), "month"
        if "next" in low:
            nxt = (published.replace(day=28) + timedelta(days=4)).replace(day=1)
            return nxt.isoformat(), "month"
        if "this" in low:
            return published.replace(day=1).isoformat(), "month"
    if "year" in low:
        if "last" in low or "past" in low or "previous" in low:
            return date(published.year - 1, 1, 1).isoformat(), "year"
        if "this" in low:
            return date(published.year, 1, 1).isoformat(), "year"
        if "next" in low:
            return date(published.year + 1, 1, 1).isoformat(), "year"
    for name, mon in MONTHS.items():
        if re.fullmatch(rf"(in |last |this |early |late |mid-?)?{name}\.?( \d{{4}})?", low):
            y = YEAR.search(low)
            year = int(y.group(1)) if y else published.year
            if not y and not future and date(year, mon, 1) > published:
                year -= 1
            return date(year, mon, 1).isoformat(), "month"
    y = YEAR.fullmatch(low.replace("in ", "").strip())
    if y:
        return date(int(y.group(1)), 1, 1).isoformat(), "year"
    return _dateparser(text, published)


#: what dateparser can still resolve after the rules above: a number ("3 March", "5 days ago") or "ago"
#: ("a week ago"); anything else ("overnight", "winter", "the end of the year") it returns None for, at
#: about 5 ms a call
_DATEPARSER_WORTH = re.compile(r"\d|\bago\b", re.IGNORECASE)


def _dateparser(text: str, published: date) -> tuple[str, str] | None:
    if not _DATEPARSER_WORTH.search(text):
        return None
    try:
        import dateparser  # imported lazily: it is slow to import and rarely needed
    except ImportError:  # pragma: no cover
        return None
    from datetime import datetime

    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "past", "STRICT_PARSING": False})
    if parsed is None:
        return None
    return parsed.date().isoformat(), "day"


class DateResolver:
    def __call__(self, parsed: Parsed, events: list[Event]) -> list[Event]:
        doc = parsed.doc
        pub = _iso(parsed.document.published)
        if not events:
            return events
        sents = parsed.sents
        triggers = {getattr(ev, "_trigger").i for ev in events if getattr(ev, "_trigger", None) is not None}
        dates_by_sent: dict[int, list[SpacySpan]] = {}
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME"):
                si = next((n for n, s in enumerate(sents) if s.start <= ent.start < s.end), None)
                if si is not None:
                    dates_by_sent.setdefault(si, []).append(ent)
        for ev in events:
            tok: Token | None = getattr(ev, "_trigger", None)
            ent = self._date_for(tok, dates_by_sent.get(ev.sentence, []), triggers) if tok is not None else None
            if ent is not None and pub is not None:
                res = resolve_expression(ent.text, pub, future=ev.modality == "planned")
                if res:
                    ev.date, ev.date_granularity = res
                    start, end = ent.start_char, ent.end_char
                    ev.date_text = Span(parsed.document.text[start:end], start, end)
                    ev.date_inferred = False
                    if (ev.modality in ("asserted", "planned", "ongoing", "reported") and ev.date_granularity == "day"
                            and pub - _iso(ev.date) > timedelta(days=14)):
                        ev.modality = "historical"
                    continue
            if pub is not None:
                ev.date, ev.date_granularity, ev.date_inferred = pub.isoformat(), "day", True
        return events

    @staticmethod
    def _date_for(tok: Token, ents: list[SpacySpan], triggers: set[int]) -> SpacySpan | None:
        if not ents:
            return None
        subtree = {t.i for t in tok.subtree}

        def owner_is_other(ent: SpacySpan) -> bool:
            x = ent.root
            for _ in range(6):
                if x.i in triggers:
                    return x.i != tok.i
                if x.head.i == x.i:
                    return False
                x = x.head
            return False

        inside = [e for e in ents if e.root.i in subtree and not owner_is_other(e)]
        if inside:
            return min(inside, key=lambda e: abs(e.start - tok.i))

        def follows_other(ent: SpacySpan) -> bool:
            # "came in retaliation for an Israeli strike on Damascus on April 1": a date right after a later
            # event's phrase is that event's, wherever the parser hangs it
            doc = tok.doc
            for t in triggers:
                if tok.i < t < ent.start:
                    end = max(x.i for x in doc[t].subtree)
                    if end < ent.start and all(doc[k].pos_ == "ADP" for k in range(end + 1, ent.start)):
                        return True
            return False

        # the clause's date: attached to the verb that governs a noun trigger
        head = tok.head
        for _ in range(4):
            if head.pos_ in ("VERB", "AUX"):
                for e in ents:
                    if e.root.head.i == head.i or (e.root.head.head.i == head.i and e.root.head.dep_ == "prep"):
                        if not owner_is_other(e) and not follows_other(e):
                            return e
                break
            if head.head.i == head.i:
                break
            head = head.head
        return None


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve_dates(parsed: Parsed, events: list[Event]) -> list[Event]:
    return DateResolver()(parsed, events)
