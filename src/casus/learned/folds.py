"""learned/folds: held-out models of the learned core, for honest figures.

Contract
--------
``fold_model(shared, k, f) -> CoreModel``: the core trained on every example whose text is *not* in
fold ``f`` of ``k`` (folds by :func:`casus.eval.crossval.fold_of` of the text key, the same folds as
the static typer's and the place chooser's cross-validation, for every gold set at once).
``left_out_model(shared, dataset) -> CoreModel``: the core trained without any text of ``dataset``
(one of :data:`casus.learned.data.SETS`), for leave-one-dataset-out figures.

Trained models are cached as files under ``$CASUS_CACHE_DIR/core`` (default
``~/.cache/casus/core``), named by a hash of the recipe (data file sizes and mtimes, settings,
code version), so the evals of several datasets share one set of fold models. A cached file is a
safetensors file (no code runs when it is read).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .data import core_examples
from .model import CoreModel
from .train import DEFAULTS, encode, fit

RECIPE = {"india_negatives": 1500, "synthetic": 2500, **DEFAULTS, "epochs": 2, "split": 5, "quantized_base": True, "version": 4}


def cache_dir() -> Path:
    root = os.environ.get("CASUS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "casus")
    return Path(root) / "core"


def recipe_hash(shared: Path) -> str:
    h = hashlib.sha256(json.dumps(RECIPE, sort_keys=True).encode())
    for f in sorted(shared.rglob("*")):
        if f.is_file() and f.suffix in (".json", ".tsv", ".txt", ".jsonl", ".gz"):
            st = f.stat()
            h.update(f"{f.relative_to(shared)}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


_CACHE: dict = {}  # shared data folder -> (examples, the frozen base's hidden states): one encoding per process


def _encoded(shared: str):
    if shared not in _CACHE:
        ex = core_examples(shared, synthetic=RECIPE["synthetic"], india_negatives=RECIPE["india_negatives"])
        _CACHE[shared] = (ex, encode(ex, split=RECIPE["split"]))
    return _CACHE[shared]


def _settings() -> dict:
    return {k: RECIPE[k] for k in DEFAULTS}


def _trained(shared: Path, name: str, exclude_fn, progress: bool) -> CoreModel:
    path = cache_dir() / f"{recipe_hash(shared)}-{name}.safetensors"
    if path.exists():
        return CoreModel.load(path)
    ex, cache = _encoded(str(shared))
    drop = {e.key for e in ex if exclude_fn(e)}
    model = fit(ex, cache, exclude=drop, progress=progress, **_settings())
    model.save(path, trained_on=sorted(model.trained_on))
    return CoreModel.load(path)  # the float16 weights as saved: a cache hit later gives the same figures


def fold_model(shared: str | Path, k: int, f: int, seed: int = 0, progress: bool = False) -> CoreModel:
    from casus.eval.crossval import fold_of

    return _trained(Path(shared), f"k{k}s{seed}f{f}", lambda e: fold_of(e.key, k, seed) == f, progress)


def left_out_model(shared: str | Path, dataset: str, progress: bool = False) -> CoreModel:
    return _trained(Path(shared), f"without-{dataset}", lambda e: dataset in e.sources, progress)


def full_model(shared: str | Path, progress: bool = False) -> CoreModel:
    """The core trained on every example (what ``train/train_core.py`` ships)."""
    ex, cache = _encoded(str(shared))
    return fit(ex, cache, progress=progress, **_settings())
