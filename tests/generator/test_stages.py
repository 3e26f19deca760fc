"""The generator's stages import only downwards: a reader sees the data flow in the folders.

input -> frontends -> model -> emit, with names (identifiers) and errors shared below
them, the API tooling above emit, and the pipeline (generate), the report and the CLI
on top. Every import is at the top of its module, so this reads them all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sockgen

PACKAGE = Path(sockgen.__file__).parent

#: Each stage and the stages it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "version": set(),
    "contract": {"version"},
    "model": set(),
    "names": set(),
    "input": {"errors", "names"},
    "frontends": {"errors", "input", "model", "names"},
    "emit": {"contract", "errors", "model", "names", "version"},
    "api": {"emit", "errors", "input", "model"},
    "report": {"errors", "model"},
    "generate": {"emit", "errors", "frontends", "input", "model", "names"},
    "cli": {"api", "errors", "generate", "report", "version"},
    "__main__": {"cli"},
    "__init__": set(),
}


def stage_of(module: str) -> str:
    """``sockgen.frontends.asyncapi.sides`` -> ``frontends``."""
    return module.split(".")[1] if "." in module else "__init__"


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imported(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """(sockgen module, line, at top level) for every import of a sockgen module."""
    tree = ast.parse(path.read_text())
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "sockgen" or target.startswith("sockgen."):
                # `from . import model` imports a module: name each one
                whole = target == "sockgen" or not node.module
                targets = [f"{target}.{a.name}" for a in node.names] if whole else [target]
                found += [(full, node.lineno, id(node) in top) for full in targets]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sockgen"):
                    found.append((alias.name, node.lineno, id(node) in top))
    return found


def test_every_stage_imports_only_what_is_below_it() -> None:
    wrong = []
    for module, path in modules().items():
        own = stage_of(module)
        for target, line, _ in imported(module, path):
            other = stage_of(target)
            if other != own and other not in ALLOWED[own]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {own} imports {target}")
    assert wrong == []


def test_no_import_hides_inside_a_function() -> None:
    """Except the CLI entry point's, which checks the interpreter first."""
    hidden = [
        f"{path.relative_to(PACKAGE)}:{line}: {target}"
        for module, path in modules().items()
        for target, line, top in imported(module, path)
        if not top and module != "sockgen.__main__"
    ]
    assert hidden == []


def test_no_module_is_named_like_a_standard_library_one() -> None:
    import sys

    clashes = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.stem in sys.stdlib_module_names
    ]
    assert clashes == []


def test_no_function_is_longer_than_about_50_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 55:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {length}")
    assert long == []
