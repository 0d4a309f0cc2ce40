"""Numbered, helpful errors and warnings (spaCy-style).

Every problem casus reports has a stable code (``E0xx`` for errors that stop a
document, ``W0xx`` for warnings). Messages say what happened, where (file and
line when known) and what to do about it.
"""

from __future__ import annotations


class Errors:
    E001 = "Empty input: {where} contains no text."
    E002 = "Binary input: {where} looks like a binary file ({detail}), not text or HTML."
    E003 = "Encoding error: {where} is not valid UTF-8 ({detail}). Re-save it as UTF-8."
    E004 = "Input too large: {where} is {size} bytes; the limit is {limit} bytes (set CASUS_MAX_BYTES to change it)."
    E005 = "Malformed JSONL: {where}: {detail}."
    E006 = "Missing text: {where} has no non-empty 'text' field."
    E007 = "Bad date: {where}: '{value}' is not an ISO date (YYYY-MM-DD)."
    E008 = "Not found: {where} does not exist."
    E009 = "No text left after extracting the main content of the HTML file {where}."
    E010 = "Unsupported language: {where} looks like '{lang}', casus codes English text."
    E011 = "Unknown registry entry '{name}' in '{registry}'. Available: {available}."
    E012 = "Cannot read {where}: {detail}."
    E020 = "Unknown dataset '{name}' for eval. Available: {available}."
    E021 = "Dataset file {where} is not in the expected {fmt} format: {detail}."
    E030 = "Database error in {where}: {detail}."


class CasusError(Exception):
    """An error with a numbered code. ``str(err)`` is ``'[E001] message'``."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = getattr(Errors, code)
        self.message = template.format(**fields)
        super().__init__(f"[{code}] {self.message}")
