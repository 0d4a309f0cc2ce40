"""Registries for swappable pipeline stages (spaCy style, built on ``catalogue``).

Each stage of the pipeline is made by a factory registered under a name such as
``casus.actors.v1``; the config (``casus/default.toml``, or a user file passed
with ``--config``) names which factory builds each stage and with what settings.
A third-party package can register its own stage and select it from config::

    from casus.registry import stages

    @stages.register("mylab.actors.v1")
    def make_my_actors(kb_extra=()):
        return MyActorResolver(kb_extra)
"""

from __future__ import annotations

import catalogue

from .errors import CasusError

stages = catalogue.create("casus", "stages", entry_points=True)


def get_stage(name: str):
    try:
        return stages.get(name)
    except catalogue.RegistryError:
        raise CasusError("E011", name=name, registry="stages",
                         available=", ".join(sorted(stages.get_all()))) from None
