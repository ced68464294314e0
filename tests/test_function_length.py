"""The README's contributing rule holds: no function in articles/ or newsarchive/ is longer than 60 lines.

Declarative data and SQL text are exempt because they are module-level constants, not function bodies: the rule
counts only `def` statements. Migrations are generated code and are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 60


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.lineno, node.end_lineno - node.lineno + 1


def _code_files():
    for package in ("articles", "newsarchive"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def test_the_rule_looks_at_the_code_it_names():
    files = list(_code_files())
    assert len(files) > 50
    assert any(name == "import_paths" for path in files for name, _, _ in _functions(path))


def test_no_function_in_the_application_is_longer_than_sixty_lines():
    too_long = [
        f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)"
        for path in _code_files()
        for name, line, length in _functions(path)
        if length > LIMIT
    ]
    assert not too_long, "split these into named steps (README, Contributing):\n" + "\n".join(too_long)
