"""The README's contributing rules that a machine can check, over articles/ and newsarchive/ (migrations, which are
generated, left out):
- no function is longer than 60 lines. Declarative data and SQL text are exempt because they are module-level
  constants, not function bodies: the rule counts only `def` statements;
- no module imports another in a circle when loaded;
- no module imports another module's private (underscored) names.
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


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, module_level: bool):
    """(module imported, names taken from it) for each import statement of `path`: at the top of the module only, or
    anywhere."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in tree.body if module_level else ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            yield ".".join([*base, *([node.module] if node.module else [])]), [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def _import_graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in _code_files()}
    graph = {}
    for name, path in modules.items():
        graph[name] = set()
        for target, names in _imports(path, module_level=True):
            graph[name].update(t for t in (target, *(f"{target}.{n}" for n in names)) if t in modules and t != name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    state, stack = {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[module] = "done"
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_rules_look_at_the_code_they_name():
    files = list(_code_files())
    assert len(files) > 50
    assert any(name == "import_paths" for path in files for name, _, _ in _functions(path))
    graph = _import_graph()
    assert "articles.querysets" in graph["articles.models"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_function_in_the_application_is_longer_than_sixty_lines():
    too_long = [
        f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)"
        for path in _code_files()
        for name, line, length in _functions(path)
        if length > LIMIT
    ]
    assert not too_long, "split these into named steps (README, Contributing):\n" + "\n".join(too_long)


def test_no_module_imports_another_in_a_circle_when_loaded():
    # Call-time imports are allowed (querysets' search() reaches articles.search, which reads the models), so that
    # loading any one module never needs another half-loaded.
    assert not (cycle := _cycle(_import_graph())), " -> ".join(cycle)


def test_no_module_takes_another_modules_private_names():
    taken = [
        f"{path.relative_to(ROOT)}: from {target} import {name}"
        for path in _code_files()
        for target, names in _imports(path, module_level=False)
        if target.startswith(("articles", "newsarchive"))
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not taken, "make these public, or move the rule where both can use it:\n" + "\n".join(taken)
