"""A generated module's imports: exactly the names its code uses, sorted as isort does.

Templates write no imports. The body is parsed, every name it loads (in code
and in annotations) is looked up in a catalogue of where names come from, and
the import block is written in isort's order (``from __future__``, standard
library, third party, then relative imports, furthest first), so generated
modules import nothing they do not use and use nothing they do not import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

from ..names.catalogue import STANDARD, THIRD_PARTY
from .pycode import WIDTH

MARKER = "# sockgen:imports"
"""Where a template's imports go."""


def used_names(body: str) -> set[str]:
    """Names ``body`` loads (not the ones it defines or assigns)."""
    tree = ast.parse(body)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def defined_names(body: str) -> set[str]:
    tree = ast.parse(body)
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.Assign):
            out.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out.add(node.target.id)
    return out


def block(body: str, local: Mapping[str, str]) -> str:
    """The import statements ``body`` needs; ``local`` maps names to relative modules
    (``.messages``, ``..shared.models``)."""
    return statements(used_names(body) - defined_names(body), local)


def statements(wanted: Iterable[str], local: Mapping[str, str]) -> str:
    """``from ... import ...`` for ``wanted``, by section."""
    sections: list[dict[str, set[str]]] = [{}, {}, {}]
    for i, catalogue in enumerate((STANDARD, THIRD_PARTY, local)):
        for name in wanted:
            if name in catalogue:
                # "module:original" imports ``original as name``
                module, _, original = catalogue[name].partition(":")
                entry = f"{original} as {name}" if original else name
                sections[i].setdefault(module, set()).add(entry)
    out = []
    for i, section in enumerate(sections):
        modules = sorted(section, key=_relative_order) if i == 2 else sorted(section)
        lines = [_from(module, section[module]) for module in modules]
        if lines:
            out.append("\n".join(lines))
    return "\n\n".join(out)


def _relative_order(module: str) -> tuple[int, str]:
    """Relative imports furthest first (``..shared`` before ``.messages``)."""
    dots = len(module) - len(module.lstrip("."))
    return -dots, module


def _name_order(name: str) -> tuple[int, str, str]:
    """isort's order by type (CONSTANTS, Classes, then functions and variables), each
    group in case-insensitive order."""
    if name.isupper() and len(name) > 1:
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    return group, name.lower(), name


def _from(module: str, names: Iterable[str]) -> str:
    """One statement for the plain names, one per aliased name (isort's default)."""
    ordered = sorted(names, key=_name_order)
    plain = [n for n in ordered if " as " not in n]
    groups = sorted(
        [[n] for n in ordered if " as " in n] + ([plain] if plain else []),
        key=lambda g: _name_order(g[0]),
    )
    return "\n".join(_statement(module, group) for group in groups)


def _statement(module: str, names: list[str]) -> str:
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= WIDTH:
        return line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
