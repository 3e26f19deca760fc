"""Stage 1: reading spec files into plain data.

JSON and YAML, read only from the paths given (no network). YAML is read with
PyYAML's C loader (about 0.8 s for a 3 MB spec, against 6 s for a loader that
keeps line numbers); line and column are found only when an error needs them,
by composing the file again. Scalars follow JSON's types: no YAML 1.1
timestamps, sexagesimal numbers or yes/no booleans. Anchors and aliases are
allowed, but the expanded document is bounded, so an alias bomb is an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError
from .pointers import split_pointer

#: Nodes an aliased YAML document may expand to; real specs are far below it.
MAX_EXPANDED_NODES = 5_000_000
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]+", re.MULTILINE)

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_Loader):  # type: ignore[misc]
    """Safe loading with JSON's scalar types."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
for _first in list(_SpecLoader.yaml_implicit_resolvers):
    _SpecLoader.yaml_implicit_resolvers[_first] = [
        (tag, regex)
        for tag, regex in _SpecLoader.yaml_implicit_resolvers[_first]
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _compose(text: str) -> Any:
    """The YAML node tree, with marks (line and column) on every node."""
    compose: Any = yaml.compose
    return compose(text, Loader=_SpecLoader)


@dataclass
class Document:
    """One parsed file. ``name`` is how errors and generated code refer to it."""

    path: Path
    name: str
    data: Any
    text: str
    _nodes: Any = field(default=None, repr=False)

    def position(self, pointer: str) -> tuple[int, int] | None:
        """1-based (line, column) of the node at ``pointer``, when it can be found."""
        if self._nodes is None:
            try:
                self._nodes = _compose(self.text)
            except yaml.YAMLError:
                return None
        node = self._nodes
        for token in split_pointer(pointer):
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == token), None)
            elif (
                isinstance(node, yaml.SequenceNode)
                and token.isdigit()
                and int(token) < len(node.value)
            ):
                node = node.value[int(token)]
            else:
                node = None
            if node is None:
                return None
        if node is None:
            return None
        return node.start_mark.line + 1, node.start_mark.column + 1

    def error(self, message: str, pointer: str) -> SpecError:
        pos = self.position(pointer)
        return SpecError(
            message,
            file=self.name,
            pointer=pointer,
            line=pos[0] if pos else None,
            column=pos[1] if pos else None,
        )


def parse(text: str, name: str, *, json_only: bool = False) -> Any:
    """Parse JSON or YAML text; errors name the file, line and column."""
    if json_only:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
            ) from None
    try:
        data = yaml.load(text, Loader=_SpecLoader)  # - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise SpecError(
            f"invalid YAML: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file=name) from None
    if _ANCHOR.search(text):
        _check_expansion(data, name)
    return data


def _check_expansion(data: Any, name: str) -> None:
    """Refuse documents whose aliases expand past :data:`MAX_EXPANDED_NODES`."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a self-referencing alias counts once
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                break
        sizes[key] = total
        return total

    if size(data) > MAX_EXPANDED_NODES:
        raise SpecError(
            f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; refusing (an alias bomb?)",
            file=name,
        )


class Workspace:
    """The files a generation reads: the spec, and the files its ``$ref``s reach.

    Paths are shown relative to ``root`` (the spec's folder), so messages and
    generated files never carry absolute paths.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._docs: dict[Path, Document] = {}

    def display_name(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name

    def load(self, path: Path) -> Document:
        path = path.resolve()
        doc = self._docs.get(path)
        if doc is not None:
            return doc
        name = self.display_name(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError("file not found", file=name) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read file: {exc}", file=name) from None
        data = parse(text, name, json_only=path.suffix.lower() == ".json")
        doc = Document(path=path, name=name, data=data, text=text)
        self._docs[path] = doc
        return doc
