"""Train the learned place chooser (casus/place/model/chooser.npz) from the event-location dev data.

Reads the development part of the event geolocation data (Halterman 2019) in its
original format (``--shared``/event_location/labeled_text.dev.json), finds every
place of each trigger's sentence with the place stage (the same candidates and
facts the pipeline uses), fits scikit-learn's HistGradientBoostingClassifier
(fixed seed, no early stopping: deterministic) and writes the trees as plain
arrays. See :mod:`casus.place.chooser`.

    python train/train_place.py --shared ../shared/data             # write the shipped model
    python train/train_place.py --shared ../shared/data --cv 5      # k-fold accuracy first

Figures for docs/accuracy.md come from
``casus eval event-location FILE --kfold 5``, which trains one model per fold
the same way.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from casus.eval import event_location as el
from casus.place.chooser import DEFAULT_PARAMS, DEFAULT_THRESHOLD, MODEL_FILE, fit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--params", default="{}", help=f"JSON overrides of {json.dumps(DEFAULT_PARAMS)}")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--cv", type=int, default=0, help="report K-fold accuracy before training")
    a = ap.parse_args()
    path = a.shared / "event_location" / "labeled_text.dev.json"
    items, _ = el.read(path)
    t0 = time.perf_counter()
    if a.cv:
        report = el.score(items, el.crossval_locations(items, k=a.cv, params=json.loads(a.params),
                                                                threshold=a.threshold))
        print(f"{a.cv}-fold accuracy {report.overall['accuracy']:.4f} on {len(items)} items")
    data = el.samples(items)
    model = fit([s for s, _ in data], params=json.loads(a.params), threshold=a.threshold)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KiB): {model.n_trees} trees, depth {model.depth}, "
          f"{model.meta['candidates']} candidates of {model.meta['samples']} items, "
          f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
