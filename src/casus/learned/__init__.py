"""learned: the learned core -- a contextual encoder and trained heads that weigh the rules' readings.

Contract
--------
Input: the sentences of a :class:`casus.nlp.Parsed`, its :class:`casus.actors.ActorLayer` and the
rule events of :class:`casus.events.EventExtractor`. Output: the same events with each sentence's
main event chosen and typed by the model, its source and target spans from the model (coded by
the actor layer), and an ACLED-style subtype. It is the typer stage of the ``accurate`` profile
(``[typer] profile = "accurate"``, the default); ``fast`` keeps the static typer.

Modules, one concern each:

=================  ==========================================================================
``encoder``        all-MiniLM-L6-v2 from its PyPI wheel, offline, sha256-checked; word pieces
                   with character offsets; the frozen lower layers
``data``           the data recipe: every English gold set mapped to the model's labels
``model``          :class:`CoreModel`: the trained top layer and the five heads (type, penta
                   class, ACLED subtype, police actions, source/target BIO tags); persistence
``train``          the training loop (one cached pass of the frozen base serves every fold)
``folds``          held-out models for k-fold and leave-one-dataset-out figures, cached on disk
``component``      :class:`CoreTyper`, the pipeline stage: rules propose, the model weighs
=================  ==========================================================================

The base weights are installed by the set-up (``requirements-models.txt``), never committed; what
casus trains is shipped in ``learned/model/core.safetensors`` (float16) and rebuilt by
``train/train_core.py``.
"""
