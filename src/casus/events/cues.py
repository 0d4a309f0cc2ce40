"""events/cues: cue-word families of the ACLED sub-event definitions, shared by the typer and the CASE scorer.

Contract
--------
Input: a piece of text (a sentence, or an event's trigger and mode). Output:
:func:`cues` -> the names of the families whose pattern occurs in it.
:func:`sentence_cues` gives the same answer for a parsed sentence (its lower-cased
tokens and text) at a fraction of the cost: a family's one-word alternatives are
tested once per distinct word form (cached), its multi-word alternatives only on
sentences holding one of their first words.

Each family gathers the words the ACLED codebook uses to tell its sub-event types
apart (weapon, means, who acts, what happens to territory): "air strike", "drone"
(AIR_STRIKE); shelling, artillery, mortar (ART_MISS_ATTACK); IED, landmine
(REM_EXPLOS); recapture, retake (GOV_REGAINS_TERIT) ... The typer adds one
feature per family found in a sentence ("cue=AIR"), so that a few training
examples of a type are enough to learn it from its family rather than word by
word; :func:`casus.eval.case2021.to_acled` uses the same families for its rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["CUES", "cues", "sentence_cues"]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


SEXUAL = _rx(r"\brap(e|ed|es|ing|ist)\b|sexual|molest")
CHEMICAL = _rx(r"chemical|chlorine|sarin|nerve agent|mustard gas|toxic gas|poison(ous)? gas|\bcbrn\b")
SUICIDE = _rx(r"suicide|self-detonat|blew (himself|herself|themselves) up")
AIR = _rx(r"air ?strike|air-strike|air ?raid|air attack|aerial|warplane|war plane|fighter jet|\bjets?\b|drone|\buav\b|helicopter|bomber|airstrip strike|from the air")
RPG = _rx(r"rocket-propelled grenade|\brpgs?\b")
GRENADE = _rx(r"grenade")
HEAVY = _rx(r"\bshell(s|ed|ing)?\b|artillery|mortar|rocket|missile|\btanks?\b|howitzer|katyusha|heavy weapon")
EXPLOSIVE = _rx(r"\bieds?\b|improvised explosive|explosive|land ?mine|\bmines?\b|roadside bomb|car bomb|\bbomb|blast|explo(de|ded|sion)|detonat")
ABDUCT = _rx(r"abduct|kidnap|hostage|disappear|hijack|taken captive")
MOB = _rx(r"\bmobs?\b|lynch|vigilante")
RETAKE = _rx(r"retak|retook|recaptur|regain|liberat|reclaim|won back|wrest")
TAKEOVER = _rx(r"\bseiz|\bcaptur|overr[au]n|took control|take control|taken control|taking control|took over|take over|taken over|stormed")
DESTROY = _rx(r"\bburn|torch|set fire|set on fire|ablaze|arson|vandal|destroy|demolish|damag|raze|loot")
CLASH = _rx(r"clash|battle|\bfight|firefight|gun ?fight|exchange[ds]? (of )?fire|skirmish|engag|offensive|fighting")
KILL = _rx(r"\bkill|dead|death|died|fatal|murder|shot dead|gunned down|massacre")
PROTESTERS = _rx(r"protest|demonstrat|rally|rallies|marcher|march\b|strik(e|er)s?\b|sit-in|crowd")
RIOT = _rx(r"riot|violen|clash|stone|rock-throw|torch|burn|loot|vandal|petrol bomb|molotov")
ARREST = _rx(r"arrest|detain|detention|custody|apprehend|\bnab|round(ed|ing)? up|jail|imprison|captur|\bheld\b")
WEAPONS = _rx(r"weapon|\barms\b|ammunition|firearm|\bguns?\b|rifle|explosive|cache|grenade|\bbombs?\b|\bieds?\b|defus|munition")
DISPERSE = _rx(r"dispers|tear ?gas|water cannon|baton|lathi|rubber bullet|pepper spray|crack(ed)? down|suppress|broke up|break up")
HQ = _rx(r"\bbase\b|\bbases\b|\bpost\b|outpost|headquarter|\bhq\b|camp|checkpoint|set up|establish")
WITHDRAW = _rx(r"withdr[ae]w|pull(ed|s|ing)? (back|out)|retreat|redeploy|relocat")
TRANSFER = _rx(r"hand(ed|s|ing)? over|transfer|evacuat|surrender|cede|ceded|\bleft\b|\bleave|leaving|without (a )?(fight|resistance)")
DEAL = _rx(r"cease-?fire|truce|peace|\bdeal\b|agreement|accord|\bpact\b|treaty|swap|exchange|surrender|armistice|reconcil")
BLAME = _rx(r"blam|responsib|accus|attribut|\bclaim")
NATURAL = _rx(r"earthquake|quake|flood|cyclone|hurricane|typhoon|storm|landslide|mudslide|drought|tsunami|volcan|wildfire|bushfire|avalanche|monsoon|heat ?wave")
MAN_MADE = _rx(r"fire|blaze|explosion|blast|collapse|crash|derail|spill|leak|accident|capsiz|\bsank\b|sinking")
CRIME = _rx(r"gang|cartel|smuggl|traffick|robber|\brob(bed)?\b|theft|thie[fv]|drug|narcotic|extort|mafia|racket|loot|burglar|fraud|poach")
DEPLOY = _rx(r"\bdeploy|redeploy|reinforc|\bmobili[sz]|troops? (arrived|moved|entered)|convoy|new (armed )?group|"
             r"formed|merg(e|ed|er)|splinter|\bjoin(ed|s)? (forces|the)|defect")
DIPLOMACY = _rx(r"\btalks\b|\bmet\b|meeting|\bvisit|summit|minister|ambassador|diplomat|envoy|embassy|bilateral|"
                r"negotiat|delegation|foreign affairs")
SHOOT = _rx(r"\bshot\b|shooting|gunm[ae]n|opened fire|\bstabb|machete|hacked|beaten|\bbeat\b|\bassault")
PEACEFUL = _rx(r"peaceful|\bsit-in|\bmarch(ed|es)?\b|\brall(y|ied|ies)\b|placard|banner|slogan|chant")
FORCES = _rx(r"\barmy\b|troops|soldiers|military|security forces|\bpolice\b|government forces|regime forces")
REBELS = _rx(r"rebel|militant|insurgent|jihadist|\bmilitia|fighters|terrorist|islamic state|\bisis\b|taliban|"
             r"al-shabaab|boko haram|al-qaeda|\bsdf\b|\bpkk\b|separatist")
TERRITORY = _rx(r"\btown\b|\bvillage|\bcity\b|district|territor|area|region|province|\bbase\b|positions?\b")

#: family name -> pattern, in a fixed order (feature names must not depend on dict or set order)
CUES: dict[str, re.Pattern[str]] = {
    name: pat for name, pat in (
        ("SEXUAL", SEXUAL), ("CHEMICAL", CHEMICAL), ("SUICIDE", SUICIDE), ("AIR", AIR), ("RPG", RPG),
        ("GRENADE", GRENADE), ("HEAVY", HEAVY), ("EXPLOSIVE", EXPLOSIVE), ("ABDUCT", ABDUCT), ("MOB", MOB),
        ("RETAKE", RETAKE), ("TAKEOVER", TAKEOVER), ("DESTROY", DESTROY), ("CLASH", CLASH), ("KILL", KILL),
        ("PROTESTERS", PROTESTERS), ("RIOT", RIOT), ("ARREST", ARREST), ("WEAPONS", WEAPONS),
        ("DISPERSE", DISPERSE), ("HQ", HQ), ("WITHDRAW", WITHDRAW), ("TRANSFER", TRANSFER), ("DEAL", DEAL),
        ("BLAME", BLAME), ("NATURAL", NATURAL), ("MAN_MADE", MAN_MADE), ("CRIME", CRIME), ("DEPLOY", DEPLOY),
        ("DIPLOMACY", DIPLOMACY), ("SHOOT", SHOOT), ("PEACEFUL", PEACEFUL), ("FORCES", FORCES),
        ("REBELS", REBELS), ("TERRITORY", TERRITORY))
}


def cues(text: str) -> list[str]:
    """Names of the cue families found in ``text`` (in :data:`CUES` order)."""
    return [name for name, pat in CUES.items() if pat.search(text)]


# --------------------------------------------------------------------------- fast form


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    out, depth, cur, esc = [], 0, "", False
    for ch in pattern:
        if esc:
            cur += ch
            esc = False
            continue
        if ch == "\\":
            cur += ch
            esc = True
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _lead(alt: str) -> str:
    """The literal letters an alternative starts with ("troops? (arrived|...)" -> "troop")."""
    m = re.match(r"(?:\\b)?([a-z]+)", alt)
    lead = m.group(1) if m else ""
    rest = alt[len(m.group(0)):] if m else alt
    if rest[:1] in ("?", "*", "{") and lead:
        lead = lead[:-1]  # "troops?": the last letter is optional
    return lead


class _Family:
    __slots__ = ("word", "phrase", "leads", "always")

    def __init__(self, pat: re.Pattern[str]) -> None:
        alts = _alternatives(pat.pattern)
        multi = [a for a in alts if re.search(r" |-|\\s", a)]
        single = [a for a in alts if a not in multi]
        self.word = _rx("|".join(single)) if single else None
        self.phrase = _rx("|".join(multi)) if multi else None
        leads = [_lead(a) for a in multi]
        self.always = any(len(x) < 2 for x in leads)  # no usable first word: test every sentence
        self.leads = tuple(sorted({x for x in leads if len(x) >= 2}))


_FAMILIES = {name: _Family(pat) for name, pat in CUES.items()}
_FORMS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _form(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(families one of whose one-word alternatives occurs in ``word``, families with a multi-word
    alternative that ``word`` may start), cached per word form."""
    got = _FORMS.get(word)
    if got is None:
        if len(_FORMS) > 200_000:
            _FORMS.clear()
        hit = frozenset(n for n, f in _FAMILIES.items() if f.word is not None and f.word.search(word))
        led = frozenset(n for n, f in _FAMILIES.items() if any(word.startswith(x) for x in f.leads))
        got = _FORMS[word] = (hit, led)
    return got


_ALWAYS = tuple(n for n, f in _FAMILIES.items() if f.always)


def sentence_cues(words: Sequence[str], text: str) -> list[str]:
    """:func:`cues` of a sentence from its lower-cased tokens ``words`` and its text: one-word
    alternatives are matched per token, multi-word ones in ``text`` when a token may start them."""
    found: set[str] = set()
    led: set[str] = set(_ALWAYS)
    for w in words:
        hit, starts = _form(w)
        found |= hit
        led |= starts
    for n in led - found:
        if _FAMILIES[n].phrase.search(text):
            found.add(n)
    return [n for n in CUES if n in found]
