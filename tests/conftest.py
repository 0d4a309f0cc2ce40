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
