"""Shared fixtures: the real territory, the tiny fixture territory, and the browser harness."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmap.data.layers import Territory, load_territory

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytest_plugins = ["tests.browser_harness"]


@pytest.fixture(scope="session")
def territory() -> Territory:
    """The shipped Stockholm County territory."""
    return load_territory("01")


@pytest.fixture(scope="session")
def tiny() -> Territory:
    """A hand-made fixture territory whose every cross-check finding is known."""
    return load_territory("01", data_dir=DATA / "tiny")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
