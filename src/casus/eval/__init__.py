"""Evaluation harness: score any event coder against gold sets in their original formats.

Contract
--------
The harness never imports the casus pipeline; it takes a prediction callable::

    Predict = Callable[[list[str]], list[list[Event]]]

``predict(texts)`` gets a batch of texts and returns, in the same order, the list
of :class:`casus.records.Event` coded from each text (an empty list: no event).
Character offsets in the events (``event_text``, ``actor``, ``recipient``) are
offsets into the text that was passed in. Identical texts are predicted once.

::

    run(name, path, predict, *, limit=None, progress=True, **options) -> EvalReport
    DATASETS: dict[str, Callable]   # name -> run function of that dataset module

``name`` is one of :data:`DATASETS` (an unknown name raises ``CasusError`` E020);
``path`` is the gold file or folder, anywhere on disk; ``limit`` keeps the first N
items (for a quick check); ``progress`` prints a progress line on stderr. Every
dataset takes ``part="all"|"tune"|"check"`` (:mod:`casus.eval.parts`): only the
items of that fixed part (about 70% / 30%, by a hash of the item's text) are
predicted and scored (``limit`` then applies to them), and
``extra["part"]`` records the part and its item counts. A file
that is not in the expected format raises ``CasusError`` E021 (E008 when the path
does not exist).

=====================  =========================================  ==========================================
name                   path                                       scores
=====================  =========================================  ==========================================
``plover-gsr``         ``PLOVER_GSR_CAMEO*.json`` (JSON array)    type P/R/F1 + macro-F1 over the 16 types,
                                                                  actor code / sector accuracy
``conflibert-cameo``   folder with ``cameo_class.*.tsv`` and/or   penta-class (0-4) macro-F1; source/target
                       ``cameo_ner.*.txt``, or one such file      span F1 (exact and token-overlap)
``case2021``           CASE 2021 task 2 ``*.tsv``                 ACLED subtype weighted F1, per subtype
``india-police``       folder with ``sents.*.jsonl``, or a file   KILL/ARREST/FAIL/FORCE/ANY_ACTION P/R/F1
``event-location``     ``labeled_text*.json`` (Prodigy records)   location choice accuracy (overlap, exact),
                                                                  has-location P/R/F1 (E040/E041 on bad files)
``modality``           casus's own JSONL (``eval/data/             modality P/R/F1, attribution chain, outermost
                       modality_attribution.jsonl``)              source, source kind, date (E053 on bad files)
=====================  =========================================  ==========================================

Each dataset module documents its reader, its mapping from PLOVER events to the
gold labels, and its scoring choices: :mod:`casus.eval.plover_gsr`,
:mod:`casus.eval.conflibert`, :mod:`casus.eval.case2021`,
:mod:`casus.eval.india_police`, :mod:`casus.eval.event_location` (the one
exception to "never imports the pipeline": it scores the place stage's choice
for the gold trigger, so it runs the nlp, actor and place stages itself, those
of the ``Pipeline`` that ``predict`` belongs to when it is a bound method).
Metrics (pure Python) and a deterministic
:func:`~casus.eval.metrics.kfold` are in :mod:`casus.eval.metrics`.

:class:`EvalReport` fields: ``dataset``, ``path``, ``n_items``, ``overall``
(headline floats), ``per_class`` (label -> precision, recall, f1, support),
``extra`` (other tables: actor accuracy, span F1, confusion counts, mappings);
``to_json()`` and ``to_table()`` (a readable text report).

The gold data is third-party text: read it from where it lies, never copy it into
the repository.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from casus.errors import CasusError
from casus.eval import case2021, conflibert, india_police, plover_gsr
from casus.eval import event_location
from casus.eval import re3d
from casus.eval import modality
from casus.eval import coreference
from casus.eval import links
from casus.eval.base import PLOVER_TYPES, EvalReport, Predict, strongest_event
from casus.eval.case2021 import to_acled
from casus.eval.metrics import kfold

DATASETS: dict[str, Callable[..., EvalReport]] = {
    plover_gsr.NAME: plover_gsr.run,
    conflibert.NAME: conflibert.run,
    case2021.NAME: case2021.run,
    india_police.NAME: india_police.run,
    event_location.NAME: event_location.run,
    re3d.NAME: re3d.run,
    modality.NAME: modality.run,
    coreference.NAME: coreference.run,
    links.NAME: links.run,
}


def run(
    name: str,
    path: str | Path,
    predict: Predict,
    *,
    limit: int | None = None,
    progress: bool = True,
    **options: Any,
) -> EvalReport:
    """Score ``predict`` on the gold set ``name`` read from ``path``."""
    fn = DATASETS.get(name)
    if fn is None:
        raise CasusError("E020", name=name, available=", ".join(sorted(DATASETS)))
    return fn(path, predict, limit=limit, progress=progress, **options)


__all__ = [
    "DATASETS",
    "PLOVER_TYPES",
    "EvalReport",
    "Predict",
    "kfold",
    "run",
    "strongest_event",
    "to_acled",
]
