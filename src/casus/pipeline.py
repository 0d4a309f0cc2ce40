"""The pipeline: ingest -> nlp -> actors -> events -> attribution/modality -> time -> place -> link -> (store).

Contract
--------
``Pipeline.from_config(path=None)`` builds the stages named in the config
(``casus/default.toml`` merged with a user TOML file). ``Pipeline.code(docs)``
takes :class:`casus.records.Document` records and yields ``(Document,
list[Event])`` pairs in order; ``code_text(text, published=None)`` codes one
string. Storing is the caller's choice (see :mod:`casus.store`).
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from .actors import ActorResolver
from .attribution import Attributor
from .events import EventExtractor, infer_country_sectors
from .events.typer import TYPER_FILE, EventTyper, TyperModel
from .link import Linker
from .nlp import DEFAULT_MODEL, Parsed, load_nlp, parse
from .errors import CasusError
from .place import PlaceChooser, PlaceResolver
from .records import Document, Event
from .registry import get_stage, stages
from .time import DateResolver

DEFAULT_CONFIG = Path(__file__).parent / "default.toml"


@stages.register("casus.nlp.v1")
def make_nlp(model: str = DEFAULT_MODEL, batch_size: int = 32, prefetch: int = 64) -> dict[str, Any]:
    load_nlp(model)
    return {"model": model, "batch_size": batch_size, "prefetch": prefetch}


@stages.register("casus.actors.v1")
def make_actors(kb_extra: list[str] | tuple[str, ...] = (), kb_db: str = "", kb_policy: str = "all",
                places: bool = True) -> ActorResolver:
    return ActorResolver(tuple(str(p) for p in kb_extra), kb_db or None, kb_policy, places)


@stages.register("casus.events.v1")
def make_events(lexicon: str = "") -> EventExtractor:
    return EventExtractor(lexicon or None)


@stages.register("casus.typer.v1")
def make_typer(model: str = "", static: str = "", add_events: bool = True,
               acled_window: int = 1) -> Callable[..., EventTyper]:
    """The trained event typer; built lazily so that it can reuse the events stage."""
    def build(extractor: Any) -> EventTyper:
        tm = TyperModel.load(model or TYPER_FILE, static_path=static or None)
        return EventTyper(tm, extractor=extractor, add_events=add_events, acled_window=acled_window)
    return build


@stages.register("casus.attribution.v1")
def make_attribution() -> Attributor:
    return Attributor()


@stages.register("casus.time.v1")
def make_time() -> DateResolver:
    return DateResolver()


@stages.register("casus.place.v1")
def make_place(chooser: str = "rules", model: str = "") -> PlaceResolver:
    """``chooser``: "rules" (hand-set costs) or "learned" (the trained model, ``model`` or the shipped one)."""
    if chooser == "rules":
        return PlaceResolver()
    if chooser != "learned":
        raise CasusError("E035", value=chooser)
    return PlaceResolver(chooser=PlaceChooser(model or None))


@stages.register("casus.link.v1")
def make_link(same_event: bool = True, answers: bool = True, max_gap: int = 3) -> Linker:
    return Linker(same_event=same_event, answers=answers, max_gap=max_gap)


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    with open(DEFAULT_CONFIG, "rb") as fh:
        cfg = tomllib.load(fh)
    if path:
        with open(path, "rb") as fh:
            user = tomllib.load(fh)
        for section, values in user.items():
            cfg.setdefault(section, {}).update(values)
    return cfg


def _build(section: dict[str, Any]) -> Any:
    section = copy.deepcopy(section)
    factory = get_stage(section.pop("factory"))
    return factory(**section)


class Pipeline:
    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or load_config()
        nlp_cfg = _build(self.config["nlp"])
        self.model = nlp_cfg["model"]
        self.batch_size = nlp_cfg["batch_size"]
        self.prefetch = int(nlp_cfg.get("prefetch", 0))
        self.actors = _build(self.config["actors"])
        events_cfg = dict(self.config["events"])
        self.country_sectors = bool(events_cfg.pop("country_sectors", True))
        self.events = _build(events_cfg)
        typer_cfg = dict(self.config.get("typer") or {})
        self.typer: EventTyper | None = None
        if typer_cfg and typer_cfg.pop("enabled", True):
            self.typer = _build(typer_cfg)(self.events)
        self.attribution = _build(self.config["attribution"])
        self.time = _build(self.config["time"])
        self.place = _build(self.config["place"])
        self.link: Linker | None = _build(self.config["link"]) if self.config.get("link") else None

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> "Pipeline":
        return cls(load_config(path))

    def code_parsed(self, parsed: Parsed) -> list[Event]:
        layer = self.actors(parsed)
        events = self.events(parsed, layer)
        if self.typer is not None:
            events = self.typer(parsed, layer, events)
        if self.country_sectors:
            events = infer_country_sectors(events)
        events = self.attribution(parsed, layer, events)
        events = self.time(parsed, events)
        events = self.place(parsed, layer, events)
        for ev in events:
            ev.compute_id()
        if self.link is not None:  # links name the final ids
            events = self.link(parsed, events)
        return events

    def code(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        if self.prefetch <= 0:
            for parsed in parse(documents, model=self.model, batch_size=self.batch_size):
                yield parsed.document, self.code_parsed(parsed)
            return
        # Parse the next chunk in a background thread while this one is coded: spaCy's parser
        # spends much of its time in compiled code that releases the GIL (about 6 % more
        # throughput on 2 cores). The input is read here, on the caller's thread, so that an
        # input generator's side effects (progress, store look-ups) stay on that thread.
        it = iter(documents)

        def parse_chunk(chunk: list[Document]) -> list[Parsed]:
            return list(parse(chunk, model=self.model, batch_size=self.batch_size))

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="casus-parse") as pool:
            chunk = list(islice(it, self.prefetch))
            pending = pool.submit(parse_chunk, chunk) if chunk else None
            while pending is not None:
                nxt = list(islice(it, self.prefetch))
                following = pool.submit(parse_chunk, nxt) if nxt else None
                try:
                    done = pending.result()
                except BaseException:
                    if following is not None:
                        following.cancel()
                    raise
                for parsed in done:
                    yield parsed.document, self.code_parsed(parsed)
                pending = following

    def code_text(self, text: str, published: str | None = None, doc_id: str = "") -> list[Event]:
        doc = Document(text=text, id=doc_id, published=published)
        return next(self.code([doc]))[1]

    def predict(self, texts: list[str]) -> list[list[Event]]:
        """Batch interface used by ``casus eval``.

        Items may also be :class:`Document` records, or strings that carry a
        ``published`` attribute (``casus.eval.modality.DatedText``): the date is kept.
        """
        docs = (t if isinstance(t, Document) else
                Document(text=str(t), published=getattr(t, "published", None)) for t in texts)
        return [evs for _, evs in self.code(docs)]
