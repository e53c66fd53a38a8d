from __future__ import annotations

from pathlib import Path

import pytest

from matchers import Engine, load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="session")
def engine(kb):
    return Engine(kb)
