"""k-fold cross-validation of the trained event typer, for honest development figures.

Contract
--------
:class:`CrossValPredict` is a :data:`casus.eval.base.Predict` (texts in, events
per text out) that codes each text with a typer trained *without* that text's
fold. Folds are dealt by a stable hash of the whitespace-normalised text
(:func:`casus.events.typer.text_key`), the same for every gold set, so a sentence
that appears in two sets (e.g. ConfliBERT and PLOVER GSR) is held out of
training wherever it appears. Fold models are trained lazily on the
development sets under ``shared`` (``../shared/data``) and cached.

``casus eval DATASET PATH --kfold 5 --shared ../shared/data`` uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from casus.events.typer import EventTyper, text_key, train
from casus.records import Event


def fold_of(key: int, k: int, seed: int = 0) -> int:
    """The fold (0..k-1) of a text key (:func:`casus.events.typer.text_key`): the same for every gold set
    and every trained model (typer, place chooser)."""
    return ((key * 2654435761 + seed) % (1 << 32)) % k


class CrossValPredict:
    def __init__(self, pipeline: Any, shared: str | Path, k: int = 5, seed: int = 0, progress: bool = False,
                 per_source: int | None = None, **params: Any) -> None:
        if k < 2:
            raise ValueError("k must be at least 2")
        self.pipeline = pipeline
        self.shared = Path(shared)
        self.k, self.seed, self.params, self.progress = k, seed, params, progress
        self.per_source = per_source
        self.cache: dict = {}
        self.models: dict[int, Any] = {}

    def fold(self, text: str) -> int:
        return fold_of(text_key(text), self.k, self.seed)

    def model_for(self, f: int) -> Any:
        if f not in self.models:
            if "examples" not in self.cache:
                train(self.shared, self.pipeline, cache=self.cache, progress=self.progress,
                      per_source=self.per_source, **self.params)
            drop = {text_key(ex.text) for ex in self.cache["examples"] if self.fold(ex.text) == f}
            self.models[f] = train(self.shared, self.pipeline, exclude=drop, cache=self.cache, **self.params)
        return self.models[f]

    def __call__(self, texts: list[str]) -> list[list[Event]]:
        saved = self.pipeline.typer

        def use(f: int) -> None:
            self.pipeline.typer = EventTyper(self.model_for(f), extractor=self.pipeline.events,
                                             add_events=saved.add_events if saved else True,
                                             acled_window=saved.acled_window if saved else 1)
        try:
            return code_by_fold(self.pipeline, texts, self.fold, use)
        finally:
            self.pipeline.typer = saved


def code_by_fold(pipeline: Any, texts: list[str], fold: Callable[[str], int],
                 use: Callable[[int], None]) -> list[list[Event]]:
    """Code ``texts`` with ``pipeline``, the texts of one fold at a time; ``use(f)`` puts the model held
    out from fold ``f`` in place first (the caller restores the pipeline afterwards)."""
    out: list[list[Event]] = [[] for _ in texts]
    by_fold: dict[int, list[int]] = {}
    for i, t in enumerate(texts):
        by_fold.setdefault(fold(t), []).append(i)
    for f, idx in sorted(by_fold.items()):
        use(f)
        for i, evs in zip(idx, pipeline.predict([texts[i] for i in idx])):
            out[i] = evs
    return out


class CoreSwapPredict:
    """Codes texts with the pipeline whose learned core (:class:`casus.learned.component.CoreTyper`)
    is swapped, per text, for a held-out model: the fold model of the text's fold (``k`` >= 2,
    :func:`casus.learned.folds.fold_model`) or one model trained without a whole dataset
    (``left_out``, :func:`casus.learned.folds.left_out_model`). Fold models are trained on demand and
    cached on disk, so the evals of several gold sets share them."""

    def __init__(self, pipeline: Any, shared: str | Path, k: int = 0, seed: int = 0, left_out: str = "",
                 progress: bool = False) -> None:
        if not k and not left_out:
            raise ValueError("give k (>= 2) or left_out")
        self.pipeline, self.shared, self.k, self.seed = pipeline, Path(shared), k, seed
        self.left_out, self.progress = left_out, progress
        self.models: dict[int, Any] = {}

    def model_for(self, f: int) -> Any:
        from casus.learned.folds import fold_model, left_out_model

        if f not in self.models:
            self.models[f] = (left_out_model(self.shared, self.left_out, progress=self.progress) if self.left_out
                              else fold_model(self.shared, self.k, f, self.seed, progress=self.progress))
        return self.models[f]

    def __call__(self, texts: list[str]) -> list[list[Event]]:
        typer = self.pipeline.typer
        saved = typer.core

        def use(f: int) -> None:
            typer.core = self.model_for(f)
        try:
            return code_by_fold(self.pipeline, texts,
                                lambda t: fold_of(text_key(t), self.k, self.seed) if self.k else 0, use)
        finally:
            typer.core = saved
