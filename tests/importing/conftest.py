"""The parsers' tests are pure Python: no Django models, no database. `test_pipeline.py` alone writes to PostgreSQL,
through `import_paths` and the `import_articles` command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# The console-script pytest does not put the working directory on sys.path; the importer lives at the repo root.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(autouse=True)
def _plain_static_storage() -> None:
    """tests/conftest.py has an autouse fixture of this name that needs pytest-django's ``settings``. The importer
    tests run without Django (``-p no:django``), so this package overrides it with a no-op."""
    return
