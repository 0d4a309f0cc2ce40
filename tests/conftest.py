from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"../shared not present at {SHARED}: the gold data and worked example live there")
    return SHARED


@pytest.fixture(scope="session")
def pipeline():
    from casus.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def fast_pipeline():
    """The ``fast`` profile (configs/fast.toml): the rules with the static typer, hand-set place costs."""
    from casus.pipeline import Pipeline, load_config

    return Pipeline(load_config(Path(__file__).resolve().parents[1] / "configs" / "fast.toml"))
