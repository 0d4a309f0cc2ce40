"""Shared pieces of the evaluation harness: the report, the predict contract, helpers.

Kept apart from ``casus.eval.__init__`` so that the dataset modules can import it
without a circular import.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from casus.errors import CasusError
from casus.records import Event

Predict = Callable[[list[str]], list[list[Event]]]
"""Texts in -> coded events per text, same length and order as the input."""

#: The 16 PLOVER (POLECAT) event types.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

NONE_LABEL = "NONE"


def pipeline_of(predict: Any) -> Any:
    """The casus Pipeline behind ``predict``, or None: a bound method's object, a ``pipeline``
    attribute (:class:`casus.eval.crossval.CrossValPredict`), or one a closure holds (the CLI's
    wrapper). Datasets that score a stage rather than events (places, entity mentions) use it so
    that ``--config`` and ``--db`` still apply."""
    for owner in (getattr(predict, "__self__", None), getattr(predict, "pipeline", None)):
        if owner is not None and hasattr(owner, "actors") and hasattr(owner, "model"):
            return owner
    for cell in getattr(predict, "__closure__", None) or ():
        try:
            obj = cell.cell_contents
        except ValueError:
            continue
        if hasattr(obj, "actors") and hasattr(obj, "model"):
            return obj
    return None


# --------------------------------------------------------------------------- report


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN/inf -> None, tuples -> lists, dataclasses -> dicts."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_clean(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _clean(asdict(value))
    if isinstance(value, Path):
        return str(value)
    return value


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return f"{v:.3f}" if math.isfinite(v) else "-"
    if v is None:
        return "-"
    return str(v)


def _is_table(d: Any) -> bool:
    """A dict of dicts of scalars (rows x columns)."""
    return (
        isinstance(d, dict)
        and bool(d)
        and all(isinstance(v, dict) and all(not isinstance(x, (dict, list)) for x in v.values()) for v in d.values())
    )


def _render_table(rows: dict[str, dict[str, Any]], indent: str = "") -> list[str]:
    cols: list[str] = []
    for r in rows.values():
        for c in r:
            if c not in cols:
                cols.append(c)
    w0 = max([len(str(k)) for k in rows] + [8])
    widths = [max(9, len(c)) for c in cols]
    lines = [indent + " " * w0 + "  " + "  ".join(c.rjust(w) for c, w in zip(cols, widths))]
    for name, r in rows.items():
        cells = "  ".join(_fmt(r.get(c)).rjust(w) for c, w in zip(cols, widths))
        lines.append(indent + str(name).rjust(w0) + "  " + cells)
    return lines


@dataclass
class EvalReport:
    """Scores of one prediction callable on one gold set.

    ``overall``: headline numbers (floats). ``per_class``: label -> precision,
    recall, f1, support. ``extra``: other tables and counts (actor accuracy, span
    F1, confusion counts, notes on mappings).
    """

    dataset: str
    path: str
    n_items: int
    overall: dict[str, float] = field(default_factory=dict)
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return _clean(
            {
                "dataset": self.dataset,
                "path": str(self.path),
                "n_items": self.n_items,
                "overall": self.overall,
                "per_class": self.per_class,
                "extra": self.extra,
            }
        )

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_table(self) -> str:
        """A readable text report, in the spirit of sklearn's classification_report."""
        out = [f"{self.dataset}  {self.path}  ({self.n_items} items)", ""]
        if self.per_class:
            out += _render_table(self.per_class)
            out.append("")
        if self.overall:
            w = max(len(k) for k in self.overall)
            out += [f"{k.rjust(w)}  {_fmt(v)}" for k, v in self.overall.items()]
            out.append("")
        for key, val in self.extra.items():
            if _is_table(val) and len({c for r in val.values() for c in r}) > 8:
                # wide (e.g. a 30-label confusion table): one sparse line per row
                out.append(f"[{key}]")
                w = max(len(str(k)) for k in val)
                for k, r in val.items():
                    cells = ", ".join(f"{c}: {_fmt(v)}" for c, v in sorted(r.items(), key=lambda cv: str(cv[0])))
                    out.append(f"  {str(k).rjust(w)}  {cells}")
            elif _is_table(val):
                out.append(f"[{key}]")
                out += _render_table(val, indent="  ")
            elif isinstance(val, dict):
                out.append(f"[{key}]")
                w = max([len(str(k)) for k in val] + [1])
                for k, v in val.items():
                    shown = v if not isinstance(v, (dict, list)) else json.dumps(_clean(v), ensure_ascii=False)
                    out.append(f"  {str(k).rjust(w)}  {_fmt(shown) if not isinstance(shown, str) else shown}")
            elif isinstance(val, list):
                out.append(f"[{key}]")
                out += [f"  {json.dumps(_clean(v), ensure_ascii=False) if not isinstance(v, str) else v}" for v in val]
            else:
                out.append(f"[{key}] {_fmt(val)}")
            out.append("")
        return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- errors


def bad_format(where: object, fmt: str, detail: str) -> CasusError:
    """The E021 error for a file that is not in the expected format."""
    return CasusError("E021", where=str(where), fmt=fmt, detail=detail)


def require_path(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise CasusError("E008", where=str(p))
    return p


def read_text(path: Path, fmt: str) -> str:
    """Read a UTF-8 text file (BOM tolerated); undecodable bytes -> E021."""
    try:
        data = path.read_bytes()
    except OSError as e:  # pragma: no cover - permissions etc.
        raise CasusError("E012", where=str(path), detail=str(e)) from e
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise bad_format(path, fmt, f"not valid UTF-8 ({e})") from e


def word_spans(text: str, word: str) -> list[tuple[int, int]]:
    """Character spans of ``word`` in ``text`` as a whole word ("strike" is not in "airstrikes")."""
    return [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)]


def jsonl_records(path: Path, fmt: str, bad: Callable[[str, str], CasusError]) -> Iterator[tuple[str, Any]]:
    """``(where, object)`` for each JSON line of a project-format file (blank lines and ``#`` comments
    skipped); ``bad(where, detail)`` makes the dataset's own numbered error for a directory or bad JSON."""
    if path.is_dir():
        raise bad(str(path), "a directory; pass the .jsonl file")
    for n, line in enumerate(read_text(path, fmt).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path}:{n}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as e:
            raise bad(where, f"invalid JSON ({e.msg})") from e


def jsonl_passages(path: Path, fmt: str, bad: Callable[[str, str], CasusError], key: str,
                   limit: int | None = None) -> list[tuple[str, dict]]:
    """The ``(where, record)`` of a project-format passage file: each record an object with a ``text``
    string and a ``key`` list (at most ``limit`` records); a bad line or an empty file -> ``bad``."""
    out: list[tuple[str, dict]] = []
    for where, rec in jsonl_records(path, fmt, bad):
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not isinstance(rec.get(key), list):
            raise bad(where, f"needs an object with 'text' and a '{key}' list")
        out.append((where, rec))
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise bad(str(path), "no passage in the file")
    return out


# --------------------------------------------------------------------------- prediction


def run_predict(
    predict: Predict,
    texts: Sequence[str],
    *,
    batch_size: int = 64,
    progress: bool = True,
    label: str = "eval",
) -> list[list[Event]]:
    """Call ``predict`` on ``texts`` in batches; identical texts are predicted once.

    Checks the contract (one list of events per text) and reports progress on stderr.
    """
    unique: list[str] = []
    index: dict[str, int] = {}
    for t in texts:
        if t not in index:
            index[t] = len(unique)
            unique.append(t)
    results: list[list[Event]] = []
    n = len(unique)
    t0 = time.monotonic()
    for i in range(0, n, max(1, batch_size)):
        batch = unique[i : i + batch_size]
        got = predict(list(batch))
        if not isinstance(got, (list, tuple)) or len(got) != len(batch):
            size = len(got) if isinstance(got, (list, tuple)) else type(got).__name__
            raise ValueError(f"predict returned {size} results for {len(batch)} texts; it must return one list of events per text")
        for evs in got:
            if evs is None:
                results.append([])
                continue
            evs = list(evs)
            for e in evs:
                if not isinstance(e, Event):
                    raise ValueError(f"predict must return casus.records.Event objects, got {type(e).__name__}")
            results.append(evs)
        if progress:
            done = min(n, i + len(batch))
            rate = done / max(1e-9, time.monotonic() - t0)
            print(f"\r{label}: {done}/{n} texts ({rate:.1f}/s)", end="", file=sys.stderr, flush=True)
    if progress and n:
        print(file=sys.stderr, flush=True)
    return [results[index[t]] for t in texts]


def is_negated(event: Event) -> bool:
    return str(event.modality or "").lower().startswith("neg")


def _severity(event: Event) -> float:
    for v in (event.intensity, event.goldstein):
        if v is not None:
            try:
                return abs(float(v))
            except (TypeError, ValueError):
                pass
    return 0.0


def strongest_event(events: Iterable[Event], *, include_negated: bool = False) -> Event | None:
    """The event that stands for a whole text when a gold set has one label per text.

    Highest ``confidence``; ties broken by the larger absolute PLOVER intensity
    (or Goldstein score), then by the earlier event. Negated events (``modality``
    starting with "neg") are left out unless ``include_negated``.
    """
    best: Event | None = None
    best_key: tuple[float, float] | None = None
    for e in events:
        if not include_negated and is_negated(e):
            continue
        key = (float(e.confidence or 0.0), _severity(e))
        if best_key is None or key > best_key:
            best, best_key = e, key
    return best


def apply_limit(items: list, limit: int | None) -> list:
    if limit is None:
        return items
    if limit < 0:
        raise ValueError("limit must be >= 0")
    return items[:limit]
