"""Command-line interface: ``casus code | ingest | events | eval | demo | kb (import | lookup | stats)``.

Exit codes: 0 all inputs coded; 1 some inputs were skipped (each reported with its
numbered reason, file and line); 2 usage errors.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import CasusError, Errors
from .records import Document, Event, Problem

app = typer.Typer(add_completion=False, help="casus: news reports to geopolitical event data (PLOVER/CAMEO).")
err = Console(stderr=True)
DEMO_DIR = Path(__file__).parent / "demo" / "reports"
FORMATS = ("jsonl", "table", "plover", "tsv")


def _progress(total: int | None, enabled: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False, disable=not enabled)


def _inputs(paths: list[str], published: Optional[str]) -> tuple[Iterator[Document | Problem], int | None]:
    from .ingest import count_inputs, read_inputs

    total = count_inputs(paths) if paths != ["-"] else None
    return read_inputs(paths, published=published), total


def demo_documents() -> list[Document]:
    """The bundled demo reports, with their publication dates from ``demo/index.jsonl`` (kept beside the
    reports folder, as is the hand coding ``demo/EXPECTED.md``, so that ``casus code`` on the folder reads
    the reports alone)."""
    docs = []
    with open(DEMO_DIR.parent / "index.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                meta = json.loads(line)
                text = (DEMO_DIR / meta["file"]).read_text(encoding="utf-8")
                docs.append(Document(text=text, id=meta["id"], published=meta.get("published"),
                                     source=meta.get("source"), title=meta.get("title"),
                                     origin=str(DEMO_DIR / meta["file"])))
    return docs


def _stream(items: Iterator[Document | Problem], total: int | None, pipeline, problems: list[Problem],
            show_progress: bool, skip=None) -> Iterator[tuple[Document, list[Event]]]:
    def docs() -> Iterator[Document]:
        for item in items:
            if isinstance(item, Problem):
                problems.append(item)
                err.print(f"[yellow]skipped[/] {item.origin}: {item}")
                progress.advance(task)
                continue
            if skip is not None and skip(item):
                progress.advance(task)
                continue
            yield item

    with _progress(total, show_progress and (total or 0) > 1) as progress:
        task = progress.add_task("coding", total=total)
        for doc, events in pipeline.code(docs()):
            progress.advance(task)
            yield doc, events


def _plover(ev: dict) -> dict:
    """A PLOVER JSON record (codebook field names and sector codes) from a casus event record."""
    from .records import plover_sector

    return {
        "id": ev["id"], "date": ev["date"], "event": ev["event"], "mode": ev["mode"] or "",
        "context": ev["context"], "actor": [a["code"] for a in ev["actor"]],
        "actor_sector": [plover_sector(a["sector"]) for a in ev["actor"]],
        "recipient": [a["code"] for a in ev["recipient"]],
        "recipient_sector": [plover_sector(a["sector"]) for a in ev["recipient"]],
        "eventText": ev["event_text"]["text"], "eventLoc": ev["event_loc"],
        "quadClass": ev["quad_class"], "cameo": ev["cameo"], "intensity": ev["intensity"],
        "modality": ev["modality"], "attribution": [s["text"] for s in ev["attribution"]],
        "doc_id": ev["doc_id"],
    }


def _actor_str(actors: list[dict]) -> str:
    return "; ".join(f"{a['code'] or '---'}{(' ' + a['sector']) if a['sector'] else ''}" for a in actors) or "-"


TSV_COLUMNS = ["id", "doc_id", "date", "event", "mode", "cameo", "quad_class", "goldstein", "actor_code",
               "actor_sector", "actor_text", "recipient_code", "recipient_sector", "recipient_text", "modality",
               "attribution", "event_text", "location", "location_country"]


def _tsv_row(ev: dict) -> str:
    a = ev["actor"][0] if ev["actor"] else {}
    r = ev["recipient"][0] if ev["recipient"] else {}
    loc = ev["event_loc"] or {}
    vals = [ev["id"], ev["doc_id"], ev["date"], ev["event"], ev["mode"], ev["cameo"], ev["quad_class"],
            ev["goldstein"], a.get("code"), a.get("sector"), a.get("text"), r.get("code"), r.get("sector"),
            r.get("text"), ev["modality"], " > ".join(s["text"] for s in ev["attribution"]),
            ev["event_text"]["text"], loc.get("text"), loc.get("country")]
    return "\t".join("" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in vals)


class Writer:
    def __init__(self, fmt: str, out: Optional[Path]) -> None:
        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.fh = open(out, "w", encoding="utf-8") if out else sys.stdout
        self.rows: list[dict] = []
        if fmt == "tsv":
            self.fh.write("\t".join(TSV_COLUMNS) + "\n")

    def write(self, ev: dict) -> None:
        if self.fmt == "jsonl":
            self.fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
        elif self.fmt == "tsv":
            self.fh.write(_tsv_row(ev) + "\n")
        else:
            self.rows.append(ev)

    def close(self) -> None:
        if self.fmt == "plover":
            json.dump([_plover(e) for e in self.rows], self.fh, ensure_ascii=False, indent=1)
            self.fh.write("\n")
        elif self.fmt == "table":
            table = Table(show_lines=False)
            for col in ("date", "event", "actor", "recipient", "modality", "cameo", "trigger"):
                table.add_column(col)
            for e in self.rows:
                table.add_row(e["date"] or "", e["event"], _actor_str(e["actor"]), _actor_str(e["recipient"]),
                              e["modality"], e["cameo"] or "", e["event_text"]["text"])
            Console(file=self.fh, width=160).print(table)
        if self.fh is not sys.stdout:
            self.fh.close()
        else:
            self.fh.flush()


def _pipeline(config: Optional[Path], kb_db: Optional[Path] = None):
    from .pipeline import Pipeline, load_config

    if kb_db is None or not kb_db.exists():
        return Pipeline.from_config(config)
    from .store.kb import has_kb

    cfg = load_config(config)
    try:
        found = has_kb(kb_db)
    except CasusError:
        found = False  # not a DuckDB file (yet): the store reports it
    if found:  # KB rows imported with `casus kb import --db` extend the built-in KB
        cfg["actors"]["kb_db"] = str(kb_db)
        err.print(f"using the KB imported into {kb_db}")
    return Pipeline(cfg)


@app.command()
def code(paths: list[str] = typer.Argument(..., help="Text/HTML files, directories, JSONL files, or - for stdin"),
         published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for inputs without one"),
         format: str = typer.Option("jsonl", "--format", "-f", help="jsonl | table | plover | tsv"),
         out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of stdout"),
         config: Optional[Path] = typer.Option(None, help="Pipeline config (TOML)"),
         progress: bool = typer.Option(True, help="Show a progress bar on multi-document runs"),
         db: Optional[Path] = typer.Option(None, "--db", help="DuckDB file whose KB (`casus kb import`) extends the built-in one")) -> None:
    """Code documents into events; one record per event."""
    problems: list[Problem] = []
    if db is not None and not db.exists():
        err.print(f"[red][E008] Not found: {db} does not exist.[/]")
        raise typer.Exit(2)
    pipeline = _pipeline(config, db)
    writer = Writer(format, out)
    items, total = _inputs(paths, published)
    for _, events in _stream(items, total, pipeline, problems, progress):
        for ev in events:
            writer.write(ev.to_dict())
    writer.close()
    raise typer.Exit(1 if problems else 0)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help="Inputs, as for `casus code`"),
           db: Path = typer.Option(Path("casus.duckdb"), help="DuckDB file"),
           published: Optional[str] = typer.Option(None, help="Publication date for inputs without one"),
           config: Optional[Path] = typer.Option(None, help="Pipeline config (TOML)"),
           progress: bool = typer.Option(True, help="Show a progress bar")) -> None:
    """Code and store documents and events in DuckDB; content already stored is skipped."""
    items, total = _inputs(paths, published)
    raise typer.Exit(_ingest(items, total, db, config, progress))


@contextmanager
def _fatal() -> Iterator[None]:
    """A numbered error that stops the command: print it, exit with status 2."""
    try:
        yield
    except CasusError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None


def _ingest(items: Iterator[Document | Problem], total: int | None, db: Path, config: Optional[Path],
            progress: bool) -> int:
    from .store import Store

    problems: list[Problem] = []
    run_id = uuid.uuid4().hex[:12]
    pipeline = _pipeline(config, db)  # a KB imported into the same file is used
    added = skipped = n_events = 0
    with _fatal():
        store = Store(db)
    with store:
        def seen(doc: Document) -> bool:
            nonlocal skipped
            if store.has_document(doc.content_id):
                skipped += 1
                return True
            return False

        for doc, events in _stream(items, total, pipeline, problems, progress, skip=seen):
            try:
                if store.add(doc, events):
                    added += 1
                    n_events += len(events)
                else:
                    skipped += 1
            except CasusError as exc:
                problems.append(Problem(doc.origin or doc.id, exc.code, exc.message))
                err.print(f"[red]failed[/] {doc.origin}: {exc}")
        for p in problems:
            store.add_problem(p, run_id)
        counts = store.counts()
    err.print(f"added {added} documents ({n_events} events); {skipped} already stored; {len(problems)} problems. "
              f"Database {db}: {counts['documents']} documents, {counts['events']} events.")
    return 1 if problems else 0


@app.command()
def events(db: Path = typer.Option(Path("casus.duckdb"), help="DuckDB file"),
           actor: Optional[str] = typer.Option(None, help="Actor code, e.g. USA or 'USA GOV'"),
           recipient: Optional[str] = typer.Option(None, help="Recipient code"),
           type: Optional[str] = typer.Option(None, "--type", help="PLOVER type, e.g. ASSAULT"),
           since: Optional[str] = typer.Option(None, help="Earliest event date (YYYY[-MM[-DD]])"),
           until: Optional[str] = typer.Option(None, help="Latest event date"),
           modality: Optional[str] = typer.Option(None, help="asserted, reported, planned, ..."),
           limit: Optional[int] = typer.Option(None, help="At most this many events"),
           format: str = typer.Option("table", "--format", "-f", help="jsonl | table | plover | tsv"),
           out: Optional[Path] = typer.Option(None, "--out", "-o")) -> None:
    """Query stored events."""
    from .store import Store

    if not db.exists():
        err.print(f"[red][E008] Not found: {db} does not exist. Run `casus ingest` first.[/]")
        raise typer.Exit(2)
    with Store(db, read_only=True) as store:
        rows = store.events(actor=actor, recipient=recipient, type=type, since=since, until=until,
                            modality=modality, limit=limit)
    writer = Writer(format, out)
    for r in rows:
        writer.write(r)
    writer.close()


@app.command(name="eval")
def eval_cmd(dataset: str = typer.Argument(..., help="plover-gsr | conflibert-cameo | case2021 | india-police | ..."),
             path: Path = typer.Argument(..., help="Gold file or directory, in its original format"),
             as_json: bool = typer.Option(False, "--json", help="Machine-readable summary"),
             limit: Optional[int] = typer.Option(None, help="Score only the first N items"),
             config: Optional[Path] = typer.Option(None, help="Pipeline config (TOML)"),
             kfold: int = typer.Option(0, "--kfold", help="K-fold cross-validation of the trained typer (event-location: of the learned place chooser); 0: the shipped models"),
             shared: Path = typer.Option(Path("../shared/data"), help="Development gold sets the fold models train on (with --kfold)"),
             rules_only: bool = typer.Option(False, "--rules-only", help="Switch the trained typer off (rule-coded types only)"),
             left_out: str = typer.Option("", "--left-out", help="Leave-one-dataset-out: code with the learned core trained without this set (plover-gsr, conflibert-cameo, case2021, india-police)"),
             part: str = typer.Option("all", "--part", help="all | tune | check | both: score only the fixed tune (~70%) or check (~30%) part of the items (split by a hash of the text), or both side by side")) -> None:
    """Score the pipeline against a gold set.

    With the shipped typer model, items that were in its training data are counted
    and reported (``trained_on_items``): for honest figures on development data use
    ``--kfold 5``, which codes each item with a model trained without it.

    ``--part both`` scores the tune part and then the check part with the same
    predictor (casus.eval.parts) and adds their gap (tune - check) for each
    headline figure; ``--limit`` applies to each part.
    """
    from . import eval as ev
    from .events.typer import text_key

    if part not in ("all", "tune", "check", "both"):
        err.print(f"[red]--part must be all, tune, check or both, got {part!r}.[/]")
        raise typer.Exit(2)
    if not path.exists():
        err.print(f"[red][E008] Not found: {path} does not exist.[/]")
        raise typer.Exit(2)
    pipeline = _pipeline(config)
    if rules_only:
        pipeline.typer = None
    predict = pipeline.predict
    seen: set[int] = set()
    mode = "rules only" if pipeline.typer is None else "shipped typer model"
    core = pipeline.typer is not None and hasattr(pipeline.typer, "core")  # the accurate profile's learned core
    if core:
        mode = "shipped learned core"
    if (kfold or left_out) and pipeline.typer is not None and dataset != "event-location":  # (that one: the place chooser)
        from .eval.crossval import CoreSwapPredict, CrossValPredict

        if not shared.is_dir():
            err.print(f"[red][E008] Not found: {shared} (the development sets for --kfold / --left-out) does not exist.[/]")
            raise typer.Exit(2)
        if left_out:
            from .learned.data import SETS

            if not core or left_out not in SETS:
                err.print(f"[red]--left-out needs the accurate profile and one of {', '.join(SETS)}, got {left_out!r}.[/]")
                raise typer.Exit(2)
            predict = CoreSwapPredict(pipeline, shared, left_out=left_out, progress=not as_json)
            mode = f"learned core trained without {left_out}"
        elif core:
            predict = CoreSwapPredict(pipeline, shared, k=kfold, progress=not as_json)
            mode = f"{kfold}-fold cross-validation of the learned core"
        else:
            predict = CrossValPredict(pipeline, shared, k=kfold, progress=not as_json)
            mode = f"{kfold}-fold cross-validation"
    elif pipeline.typer is not None:
        trained_on = pipeline.typer.model.trained_on

        def predict(texts: list[str]) -> list:  # type: ignore[no-redef]
            seen.update(k for k in map(text_key, texts) if k in trained_on)
            return pipeline.predict(texts)

        predict.pipeline = pipeline  # type: ignore[attr-defined]  # for stage-level datasets (eval.base.pipeline_of)
    options = {"kfold": kfold} if dataset == "event-location" and kfold else {}
    reports: dict = {}  # part -> EvalReport
    for p in (("tune", "check") if part == "both" else (part,)):
        seen.clear()
        where = path if p == "all" else f"{path} ({p} part)"
        with _fatal():
            report = ev.run(dataset, path, predict, limit=limit, progress=not as_json,
                            **options, **({} if p == "all" else {"part": p}))
        p_mode = mode
        if dataset == "event-location":
            # the place stage is scored, not the typer: the learned place chooser when --kfold is given
            p_mode = report.extra["chooser"]
            n_seen = report.extra.get("chooser_trained_on_items", 0)
            if n_seen:
                err.print(f"[yellow][W011] {Errors.W011.format(n=n_seen, where=where)}[/]")
        report.extra["typer"] = {"mode": p_mode, "trained_on_items": len(seen)}
        if seen:
            err.print(f"[yellow][W010] {Errors.W010.format(n=len(seen), where=where)}[/]")
        reports[p] = report
    if part != "both":
        report = reports[part]
        typer.echo(report.to_json() if as_json else report.to_table())
        return
    tune, check = reports["tune"], reports["check"]
    gap = part_gap(tune.overall, check.overall)
    if as_json:
        typer.echo(json.dumps({"tune": tune.to_dict(), "check": check.to_dict(), "gap": gap}, indent=2,
                              ensure_ascii=False))
    else:
        typer.echo(tune.to_table())
        typer.echo(check.to_table())
        typer.echo(part_gap_table(tune, check, gap), nl=False)


def part_gap(tune: dict, check: dict) -> dict[str, float]:
    """``tune - check`` for each headline figure that is a finite float in both parts' ``overall``."""
    import math

    def num(v: object) -> bool:
        return isinstance(v, float) and math.isfinite(v)

    return {k: v - check[k] for k, v in tune.items() if num(v) and num(check.get(k))}


def part_gap_table(tune, check, gap: dict[str, float]) -> str:
    """One line per headline figure: ``metric  tune  check  gap``, with the item counts on top."""
    n_t = tune.extra.get("part", {}).get("n_items", tune.n_items)
    n_c = check.extra.get("part", {}).get("n_items", check.n_items)
    w = max([len(k) for k in gap] + [len("items")])
    lines = [f"{'metric'.rjust(w)}  {'tune':>9}  {'check':>9}  {'gap':>9}",
             f"{'items'.rjust(w)}  {n_t:>9}  {n_c:>9}  {'':>9}"]
    lines += [f"{k.rjust(w)}  {tune.overall[k]:>9.3f}  {check.overall[k]:>9.3f}  {g:>+9.3f}" for k, g in gap.items()]
    return "\n".join(lines) + "\n"


@app.command()
def demo(db: Path = typer.Option(Path("casus.duckdb"), help="DuckDB file"),
         config: Optional[Path] = typer.Option(None, help="Pipeline config (TOML)")) -> None:
    """Code the bundled demo reports into DuckDB and print their events."""
    from .store import Store

    docs = demo_documents()
    status = _ingest(iter(docs), len(docs), db, config, True)
    with Store(db, read_only=True) as store:
        rows = store.events()
    writer = Writer("table", None)
    for r in rows:
        writer.write(r)
    writer.close()
    raise typer.Exit(status)


# --------------------------------------------------------------------------- kb
kb_app = typer.Typer(add_completion=False, help="The actor KB in DuckDB: import dictionaries, look up, count.")
app.add_typer(kb_app, name="kb")


@kb_app.command("import")
def kb_import(paths: list[Path] = typer.Argument(None, help="Dictionary files (Phoenix/PETRARCH, or casus KB TSV)"),
              db: Path = typer.Option(Path("casus.duckdb"), help="DuckDB file (the events' file)"),
              format: str = typer.Option("phoenix", "--format", "-f", help="phoenix | casus"),
              source: Optional[str] = typer.Option(None, help="Source name stored with the rows (default: phoenix / user)"),
              builtin: bool = typer.Option(False, "--builtin", help="Also store the built-in KB (source casus-builtin)"),
              max_warnings: int = typer.Option(10, help="Print at most this many warnings per file")) -> None:
    """Import actor/agent dictionaries into the KB tables; importing the same file twice adds nothing."""
    from .store.kb import import_builtin, import_paths

    if format not in ("phoenix", "casus"):
        raise typer.BadParameter("--format must be phoenix or casus")
    if not paths and not builtin:
        raise typer.BadParameter("name at least one file, or --builtin")
    failed = 0
    if builtin:
        res = import_builtin(db)
        err.print(f"casus-builtin: {res.n_rows} rows, {res.n_added} new")
    for path in paths or []:
        try:
            (res,) = import_paths(db, [path], format, source)
        except CasusError as exc:
            err.print(f"[red]{exc}[/]")
            failed += 1
            continue
        for w in res.warnings[:max_warnings]:
            err.print(f"[yellow]{w}[/]")
        if len(res.warnings) > max_warnings:
            err.print(f"[yellow]... {len(res.warnings) - max_warnings} more warnings[/]")
        kinds = ("country", "adjective", "capital", "org", "person", "role", "discard")
        made = ", ".join(f"{k} {res.counts[k]}" for k in kinds if res.counts.get(k))
        other = "".join(f"; {k} {v}" for k, v in sorted(res.counts.items()) if k not in kinds)
        typer.echo(f"{path}: {res.n_rows} rows ({made}), {res.n_added} new, {len(res.warnings)} warnings, "
                   f"parsed in {res.seconds:.2f}s, stored in {res.db_seconds:.2f}s{other}")
    raise typer.Exit(1 if failed else 0)


@kb_app.command("lookup")
def kb_lookup(text: str = typer.Argument(..., help="A surface form: 'Hamid Karzai', 'UNHCR', 'riot police'"),
              date: Optional[str] = typer.Option(None, help="Resolve as on this date (YYYY-MM-DD)"),
              db: Path = typer.Option(Path("casus.duckdb"), help="DuckDB file with imported KB rows"),
              as_json: bool = typer.Option(False, "--json", help="Machine-readable answer")) -> None:
    """What a surface form resolves to (code, sector) on a date, and every KB row for it."""
    from .store.kb import lookup

    with _fatal():
        res = lookup(text, date, db if db.exists() else None)
    if as_json:
        typer.echo(json.dumps(res, ensure_ascii=False, indent=2))
        raise typer.Exit(0 if res["chosen"] or res["role"] else 1)
    c = res["chosen"]
    on = f" on {date}" if date else ""
    if c:
        typer.echo(f"{res['form']}{on}: {c['code'] or '---'} {c['sector'] or ''}  ({c['kind']}, {c['name']})".rstrip())
    if res["role"]:
        r = res["role"]
        typer.echo(f"{res['form']}: role noun, sector {r['sector']} ({r['kind']})")
    if not c and not res["role"]:
        typer.echo(f"{res['form']}: not in the KB")
        raise typer.Exit(1)
    if res["candidates"]:
        table = Table(show_lines=False)
        for col in ("code", "sector", "kind", "name", "from", "to", "valid", "source"):
            table.add_column(col)
        for x in res["candidates"]:
            src = x["source"] if x["used"] else f"{x['source']} (not used: built-in form)"
            table.add_row(x["code"] or "---", x["sector"] or "", x["kind"], x["name"] or "", x["valid_from"] or "",
                          x["valid_to"] or "", "yes" if x["valid"] else "no", src)
        Console(width=160).print(table)


@kb_app.command("stats")
def kb_stats(db: Path = typer.Option(Path("casus.duckdb"), help="DuckDB file"),
             as_json: bool = typer.Option(False, "--json", help="Machine-readable summary")) -> None:
    """Count the KB rows by source and kind, and list the imports."""
    from .store.kb import stats

    with _fatal():
        st = stats(db)
    if as_json:
        typer.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{db}: {st['entries']} KB rows, {st['forms']} distinct surface forms")
    table = Table(show_lines=False)
    for col in ("source", "kind", "rows", "dated", "forms"):
        table.add_column(col)
    for r in st["by_source_kind"]:
        table.add_row(r["source"], r["kind"], str(r["rows"]), str(r["dated"]), str(r["forms"]))
    Console(width=160).print(table)
    typer.echo(f"{len(st['imports'])} imports; last: " + (st["imports"][-1]["path"] if st["imports"] else "-"))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
