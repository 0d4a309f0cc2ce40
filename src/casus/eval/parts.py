"""Fixed *tune* and *check* parts of every development set, for honest validation.

Contract
--------
Every gold item falls in one of two parts, decided by its text alone:

* ``tune`` (about 70%): rules, cue lists, thresholds and hyper-parameters are
  tuned on this part only; its items may be read one by one, their errors
  studied;
* ``check`` (about 30%): only ever *scored*, never read item by item. Its
  figures, beside the tune figures, show how much of the tune score is
  overfitting (the gap).

:func:`part_of` hashes the whitespace-normalised text
(:func:`casus.events.typer.text_key`, the key the k-fold folds of
:mod:`casus.eval.crossval` use) with another mixing constant than the folds, so
the parts are not aligned with folds; an item is in ``check`` when
``((key * 2654435761 + 7919) % 2**32) % 100 >= 70``. The split is the same for
every dataset: a sentence found in two gold sets is in the same part in both.

The item's text is the text the dataset predicts on: the sentence (PLOVER GSR,
ConfliBERT, IndiaPoliceEvents - the sentence as in the file, before the mojibake
repair), the snippet (CASE 2021), the record text (event-location), the document
text (re3d), the passage (modality, coreference, links).

Every dataset's ``run(..., part="all"|"tune"|"check")`` keeps only that part's
items (:func:`select`) before predicting and scoring, then applies ``limit`` to
what is left, and records ``extra["part"]`` (:func:`record`).
``casus eval DATASET PATH --part both`` scores the two parts side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from casus.events.typer import text_key

T = TypeVar("T")

#: The parts a dataset run accepts (``all``: no split).
PARTS: tuple[str, ...] = ("all", "tune", "check")
#: Percent of items in the check part (about).
CHECK_PERCENT = 30
_MIX = 2654435761
_SALT = 7919


def part_of(text: str) -> str:
    """``"tune"`` or ``"check"``: the fixed part of a gold item, from its text (whitespace-insensitive)."""
    key = text_key(text)
    return "check" if ((key * _MIX + _SALT) % (1 << 32)) % 100 >= 100 - CHECK_PERCENT else "tune"


def check_part(part: str) -> str:
    """``part`` if it is one of :data:`PARTS`, else ValueError."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, got {part!r}")
    return part


def select(items: Iterable[T], text_of: Callable[[T], str], part: str = "all") -> list[T]:
    """The items of ``part`` (all of them for ``"all"``), in their order; ``text_of`` gives an item's text."""
    check_part(part)
    items = list(items)
    if part == "all":
        return items
    return [it for it in items if part_of(text_of(it)) == part]


def record(report: Any, part: str, n_items: int, n_read: int) -> Any:
    """Note the part scored in ``report.extra["part"]``: the part, the items kept and scored
    (``n_items``, after ``limit``) and the items read before the split (``n_read``). Returns the report."""
    report.extra["part"] = {"part": part, "n_items": n_items, "n_read": n_read}
    return report
