"""The pipeline: ingest -> nlp -> actors -> events -> attribution/modality -> time -> place -> link -> (store).

Contract
--------
``Pipeline.from_config(path=None)`` builds the stages named in the config
(``casus/default.toml`` merged with a user TOML file). ``Pipeline.code(docs)``
takes :class:`casus.records.Document` records and yields ``(Document,
list[Event])`` pairs in order; ``code_text(text, published=None)`` codes one
string. Storing is the caller's choice (see :mod:`casus.store`). Parsing runs
ahead of coding by one chunk of ``[nlp] prefetch`` documents, in a worker process
by default (``[nlp] parse_in``); the events are the same either way.
"""

from __future__ import annotations

import copy
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator
import multiprocessing
import warnings
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import Any

from .actors import ActorResolver
from .attribution import Attributor
from .events import EventExtractor, argument_phrases, infer_country_sectors
from .events.typer import TYPER_FILE, EventTyper, TyperModel
from .link import Linker
from .nlp import DEFAULT_MODEL, Parsed, load_nlp, parse
from .errors import CasusError, Errors
from .place import PlaceChooser, PlaceResolver
from .records import Document, Event
from .registry import get_stage, stages
from .time import DateResolver

DEFAULT_CONFIG = Path(__file__).parent / "default.toml"


@stages.register("casus.nlp.v1")
def make_nlp(model: str = DEFAULT_MODEL, batch_size: int = 32, prefetch: int = 64,
             parse_in: str = "process") -> dict[str, Any]:
    if parse_in not in ("thread", "process"):
        raise CasusError("E037", value=parse_in)
    load_nlp(model)
    return {"model": model, "batch_size": batch_size, "prefetch": prefetch, "parse_in": parse_in}


def _parse_to_bytes(model: str, batch_size: int, documents: list[Document]) -> bytes:
    """Parse in a worker process; the parsed documents come back as one DocBin (spaCy's own format)."""
    from spacy.tokens import DocBin

    return DocBin(docs=(p.doc for p in parse(documents, model=model, batch_size=batch_size))).to_bytes()


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


@stages.register("casus.typer.v2")
def make_typer_v2(profile: str = "accurate", model: str = "", static: str = "", core: str = "",
                  add_events: bool = True, acled_window: int = 1, roles: str = "fill",
                  beta: float = 1.0, gamma: float = 2.0, add_min: float = 0.5) -> Callable[..., EventTyper]:
    """The typer stage of a profile: ``accurate``, the learned core on the contextual encoder
    (:mod:`casus.learned`; ``core``: its weights, empty for the shipped ones; ``roles``, ``beta``,
    ``gamma``, ``add_min``: see :mod:`casus.learned.component`), or ``fast``, the static typer
    (``model``/``static`` as in ``casus.typer.v1``)."""
    if profile == "fast":
        return make_typer(model=model, static=static, add_events=add_events, acled_window=acled_window)
    if profile != "accurate":
        raise CasusError("E073", value=profile)

    def build(extractor: Any) -> EventTyper:
        from .learned.component import CoreTyper
        from .learned.model import CORE_FILE, CoreModel

        return CoreTyper(CoreModel.load(core or CORE_FILE), extractor=extractor, add_events=add_events,
                         acled_window=acled_window, roles=roles, beta=beta, gamma=gamma, add_min=add_min)
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
        self.parse_in = nlp_cfg.get("parse_in", "process")
        self._pool: Executor | None = None
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
        events = argument_phrases(parsed.doc, events, getattr(self.events, "lex", None))
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
        # Parse the next chunk while this one is coded: in a worker process ([nlp] parse_in =
        # "process", the default: parsing and coding then run on two cores, and the parsed chunk
        # comes back as a DocBin), or in a background thread (spaCy's parser releases the GIL in
        # part of its compiled code). Fewer documents than one chunk are parsed in a thread: a
        # process is not worth starting for them. The input is read here, on the caller's thread,
        # so that an input generator's side effects (progress, store look-ups) stay on that thread.
        it = iter(documents)
        chunk = list(islice(it, self.prefetch))
        if not chunk:
            return
        process = self.parse_in == "process" and len(chunk) >= self.prefetch  # a few texts: not worth a process
        if process:
            if self._pool is None:
                # one worker process, kept for the pipeline's life. On Linux it is forked: it starts with
                # the model already loaded, and a script that builds a Pipeline needs no __main__ guard;
                # elsewhere it is spawned (the calling script then needs `if __name__ == "__main__":`)
                method = "fork" if sys.platform.startswith("linux") else "spawn"
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method))
            pool: Executor = self._pool
            vocab = load_nlp(self.model).vocab

            def submit(docs: list[Document]):
                if self._pool is not None:
                    try:
                        return pool.submit(_parse_to_bytes, self.model, self.batch_size, docs)
                    except BrokenProcessPool as exc:
                        broken: Future = Future()
                        broken.set_exception(exc)
                        return broken
                done: Future = Future()  # the worker died earlier in this call: parse when asked
                done.set_result(None)
                return done

            def result(fut, docs: list[Document]) -> list[Parsed]:
                from spacy.tokens import DocBin

                try:
                    data = fut.result()
                    if data is None:
                        return list(parse(docs, model=self.model, batch_size=self.batch_size))
                except BrokenProcessPool as exc:
                    # the worker died (killed, out of memory): parse here, and in a thread from now on
                    warnings.warn(f"[W012] {Errors.W012.format(detail=exc)}", stacklevel=2)
                    self._pool, self.parse_in = None, "thread"
                    return list(parse(docs, model=self.model, batch_size=self.batch_size))
                parsed = DocBin().from_bytes(data).get_docs(vocab)
                return [Parsed(d, doc) for d, doc in zip(docs, parsed)]
        else:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="casus-parse")

            def submit(docs: list[Document]):
                return pool.submit(lambda: list(parse(docs, model=self.model, batch_size=self.batch_size)))

            def result(fut, docs: list[Document]) -> list[Parsed]:
                return fut.result()
        try:
            pending = (submit(chunk), chunk)
            while pending is not None:
                nxt = list(islice(it, self.prefetch))
                following = (submit(nxt), nxt) if nxt else None
                try:
                    done = result(*pending)
                except BaseException:
                    if following is not None:
                        following[0].cancel()
                    raise
                for parsed in done:
                    yield parsed.document, self.code_parsed(parsed)
                pending = following
        finally:
            if not process:
                pool.shutdown(wait=True)

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
