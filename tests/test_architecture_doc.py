"""docs/architecture.md stays true: every file, folder and function it names in backquotes exists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
CODE = [*ROOT.joinpath("articles").rglob("*.py"), *ROOT.joinpath("newsarchive").rglob("*.py")]
QUOTED = re.findall(r"`([^`]+)`", DOC.read_text(encoding="utf-8"))
PATHS = sorted({q for q in QUOTED if "/" in q and not q.startswith(("../", "manage.py", ".data"))})
NAMES = sorted({m.group(1) for q in QUOTED if (m := re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(\(.*\))?", q))})


def test_the_map_names_enough_to_be_checked():
    assert len(PATHS) > 30 and len(NAMES) > 10


@pytest.mark.parametrize("path", PATHS)
def test_every_path_the_map_names_exists(path):
    assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which is gone: update the map"


@pytest.mark.parametrize("name", NAMES)
def test_every_function_class_or_constant_the_map_names_is_defined(name):
    definition = re.compile(rf"^\s*(def {name}\b|class {name}\b|{name}\s*[:=])", re.MULTILINE)
    environment = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert any(definition.search(path.read_text(encoding="utf-8")) for path in CODE) or f"{name}=" in environment, (
        f"docs/architecture.md names {name}, which neither the code nor .env.example defines"
    )
