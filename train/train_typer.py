"""Train the event typer (casus/events/model/typer.npz) from the development gold sets.

Reads, in their original formats, the development parts under ``--shared``
(``../shared/data``): PLOVER GSR records, ConfliBERT CAMEO class sentences,
CASE 2021 snippets and IndiaPoliceEvents sentences (see
:func:`casus.events.typer.training_examples`), featurises them with the rule
pipeline, fits three logistic-regression heads and writes the weights.
Deterministic (lbfgs, fixed data order).

    pip install -e '.[train]'
    python train/train_typer.py --shared ../shared/data            # write the shipped model
    python train/train_typer.py --shared ../shared/data --cv 5     # k-fold figures for a grid of settings

Figures for docs/accuracy.md come from ``casus eval ... --kfold 5``, which trains
one model per fold the same way.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from casus.events.typer import TYPER_FILE, train
from casus.pipeline import Pipeline, load_config


def rules_pipeline() -> Pipeline:
    cfg = load_config()
    cfg["typer"] = {"enabled": False}
    return Pipeline(cfg)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=TYPER_FILE)
    ap.add_argument("--C", type=float, default=4.0)
    ap.add_argument("--beta", type=float, default=4.0)
    ap.add_argument("--gamma", type=float, default=2.0)
    ap.add_argument("--margin", type=float, default=0.0)
    ap.add_argument("--drop-none", type=float, default=1.01)
    ap.add_argument("--retype", type=float, default=1.01)
    ap.add_argument("--add-min", type=float, default=0.3)
    ap.add_argument("--dense-scale", type=float, default=2.0)
    args = ap.parse_args()
    pipe = rules_pipeline()
    t0 = time.time()
    model = train(args.shared, pipe, progress=True, C=args.C, beta=args.beta, gamma=args.gamma,
                  margin=args.margin, dense_scale=args.dense_scale, drop_none=args.drop_none, retype=args.retype,
                  add_min=args.add_min)
    model.info.update({"C": args.C, "dense_scale": args.dense_scale})
    model.save(args.out)
    heads = {n: len(h.labels) for n, h in model.heads.items()}
    print(f"typer: {model.info['examples']} examples {model.info['by_source']}, heads {heads}, "
          f"{time.time() - t0:.0f} s -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
