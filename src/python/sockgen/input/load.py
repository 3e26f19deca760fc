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
from typing import Any, Iterator

import yaml

from ..errors import SpecError
from .limits import MAX_DEPTH, MAX_EXPANDED_NODES, PARSE_RECURSION_LIMIT, recursion_limit
from .pointers import split_pointer

_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]+", re.MULTILINE)

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_Loader):  # type: ignore[misc]
    """Safe loading with JSON's scalar types; a key twice in one mapping is an error."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = (key_node.tag, key_node.value)  # 'a' and "a" alike; 1 and "1" not
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key_node.value!r} (the second would silently "
                        "replace the first)",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


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
    """Parse JSON or YAML text; errors name the file, line and column.

    A byte-order mark is skipped. Duplicate keys, documents nested more than
    :data:`MAX_DEPTH` levels, aliases that expand past :data:`MAX_EXPANDED_NODES`
    nodes or refer to themselves are refused: each would lose data or never end.
    """
    text = text.removeprefix("\ufeff")
    try:
        with recursion_limit(PARSE_RECURSION_LIMIT):
            data = _json(text, name) if json_only else _yaml(text, name)
    except RecursionError:
        raise _too_deep(text, name) from None
    if not json_only and _ANCHOR.search(text):
        _check_aliases(data, name)  # shared nodes, maybe cycles
    elif _depth_exceeds(data):
        raise _too_deep(text, name)
    return data


def _too_deep(text: str, name: str) -> SpecError:
    """The error for a document nested past :data:`MAX_DEPTH`, at the first bracket too deep
    (flow-style brackets, as JSON writes them; the file alone when it nests by indentation)."""
    depth, in_string, escaped = 0, False, False
    line, column = 1, 0
    for c in text:
        column += 1
        if c == "\n":
            line, column = line + 1, 0
        elif in_string:
            in_string = c != '"' or escaped
            escaped = c == "\\" and not escaped
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep; refused"
                return SpecError(message, file=name, line=line, column=column)
        elif c in "]}":
            depth -= 1
    return SpecError(f"nested more than {MAX_DEPTH} levels deep; refused", file=name)


_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _events(text: str) -> Iterator[Any]:
    """``yaml.parse`` with the C parser (written out: its stubs differ between versions)."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _yaml_depth(text: str, name: str) -> None:
    """Refuse a YAML document deeper than :data:`MAX_DEPTH` before it is composed: the C
    composer recurses on the C stack without a limit (100,000 nested ``[`` crash it).
    The event stream is flat, so it is read here to count."""
    depth = 0
    for event in _events(text):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise SpecError(
                    f"nested more than {MAX_DEPTH} levels deep; refused",
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
        elif isinstance(event, _CLOSE):
            depth -= 1


def _depth_exceeds(data: Any) -> bool:
    """Whether a tree nests past :data:`MAX_DEPTH`, level by level (no recursion, each node once)."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, (dict, list))
        ]
    return False


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
        ) from None
    except _DuplicateKey as exc:
        # the second time the key appears (JSON's own parser does not say where)
        spots = [m.start() for m in re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", text)]
        offset = spots[1] if len(spots) > 1 else None
        line = text.count("\n", 0, offset) + 1 if offset is not None else None
        column = offset - text.rfind("\n", 0, offset) if offset is not None else None
        raise SpecError(
            f"duplicate key {exc.key!r} (the second would silently replace the first)",
            file=name,
            line=line,
            column=column,
        ) from None


def _yaml(text: str, name: str) -> Any:
    try:
        _yaml_depth(text, name)
        return yaml.load(text, Loader=_SpecLoader)  # - a safe loader
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


def _check_aliases(data: Any, name: str) -> None:
    """Depth, expanded size (aliases count each time they are used) and alias cycles,
    measured without recursion, shared nodes once."""
    height: dict[int, int] = {}
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if not isinstance(node, (dict, list)) or (key in height and not done):
            continue
        children = [c for c in (node.values() if isinstance(node, dict) else node)]
        nested = [c for c in children if isinstance(c, (dict, list))]
        if not done:
            if key in on_path:
                raise SpecError("a YAML alias refers to itself (a cycle); refusing", file=name)
            on_path.add(key)
            stack.append((node, True))
            for child in nested:
                if id(child) in on_path:
                    raise SpecError("a YAML alias refers to itself (a cycle); refusing", file=name)
                stack.append((child, False))
            continue
        on_path.discard(key)
        height[key] = 1 + max((height[id(c)] for c in nested), default=0)
        size[key] = 1 + len(children) - len(nested) + sum(size[id(c)] for c in nested)
        if height[key] > MAX_DEPTH:
            raise SpecError(
                f"nested more than {MAX_DEPTH} levels deep (at {_deepest(data, height)}); refused",
                file=name,
            )
        if size[key] > MAX_EXPANDED_NODES:
            raise SpecError(
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; refusing "
                "(an alias bomb?)",
                file=name,
            )


def _deepest(data: Any, height: dict[int, int]) -> str:
    """The JSON pointer of the way down to the deepest node (the first few steps)."""
    tokens: list[str] = []
    node = data
    while isinstance(node, (dict, list)) and len(tokens) < 8:
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        nested = [(k, v) for k, v in items if isinstance(v, (dict, list)) and id(v) in height]
        if not nested:
            break
        k, node = max(nested, key=lambda kv: height[id(kv[1])])
        tokens.append(str(k).replace("~", "~0").replace("/", "~1"))
    return "/" + "/".join(tokens) + ("/..." if isinstance(node, (dict, list)) else "")


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
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SpecError("file not found", file=name) from None
        except OSError as exc:
            raise SpecError(f"cannot read file: {exc.strerror or exc}", file=name) from None
        text = _decode(raw, name)
        if not text.strip():
            raise SpecError("the file is empty", file=name)
        data = parse(text, name, json_only=path.suffix.lower() == ".json")
        doc = Document(path=path, name=name, data=data, text=text)
        self._docs[path] = doc
        return doc


def _decode(raw: bytes, name: str) -> str:
    """The file's text (UTF-8); an error names the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot start or continue a character",
            file=name,
            line=line,
            column=column,
        ) from None
