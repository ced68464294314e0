"""Locations of the shared, read-only corpora used by the importer tests (a module with a unique name: several
conftest.py files exist in this repository, so `from conftest import ...` would be ambiguous)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Read-only third-party corpora and seeds, in the folder next to the repository (SHARED_DIR overrides).
SHARED = Path(os.environ.get("SHARED_DIR", REPO_ROOT / ".." / "shared")).resolve()
SEED = SHARED / "seeds" / "000_10bca5d35ef868a9.txt"
ANT = SHARED / "corpus" / "ant_corpus_v1.1"
SNN = SHARED / "corpus" / "saudinewsnet"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not available: {path} is missing")
    return path
