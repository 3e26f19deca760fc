"""Stage 2: JSON pointers and ``$ref`` resolution across files.

Resolution is lazy and keeps where every node came from (a :class:`Location`:
file and pointer), which names models, places errors, and detects cycles.

Real specs need two leniencies, each reported as a warning:
- pointers whose keys contain an unescaped ``/`` (``#/components/messages/a/b``
  for the key ``a/b``): when a token is not a key, longer joins are tried;
- pointers that pass through another ``$ref`` on their way (the target of
  ``#/channels/echo/messages/echo`` when ``channels.echo`` is itself a ``$ref``).
Only local files are read; a remote ``$ref`` is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import SpecError
from .load import Document, Workspace
from .pointers import child, split_pointer, unescape


@dataclass(frozen=True)
class Location:
    """Where a node lives: a file and a JSON pointer in it."""

    doc: Document
    pointer: str

    def __hash__(self) -> int:
        return hash((self.doc.path, self.pointer))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Location)
            and self.doc.path == other.doc.path
            and self.pointer == other.pointer
        )

    def at(self, *tokens: str | int) -> Location:
        return Location(self.doc, child(self.pointer, *tokens))

    def error(self, message: str) -> SpecError:
        return self.doc.error(message, self.pointer)

    @property
    def last(self) -> str:
        tokens = split_pointer(self.pointer)
        return tokens[-1] if tokens else ""

    def __str__(self) -> str:
        return f"{self.doc.name}#{self.pointer}"


class Resolver:
    """Follows ``$ref`` strings from one location to another, loading files as needed."""

    def __init__(self, workspace: Workspace, warn: Callable[[Location, str], None]) -> None:
        self.workspace = workspace
        self.warn = warn

    def root(self, path: Path) -> Location:
        return Location(self.workspace.load(path), "")

    def target(self, ref: Any, at: Location) -> Location:
        """The location a ``$ref`` value at ``at`` points to."""
        if not isinstance(ref, str):
            raise at.error(f"$ref must be a string, got {type(ref).__name__}")
        file_part, _, fragment = ref.partition("#")
        if "://" in file_part or file_part.startswith("//"):
            raise at.error(
                f"remote $ref {ref!r} is not supported: the generator reads local files only"
            )
        doc = at.doc
        if file_part:
            path = (at.doc.path.parent / unquote(file_part)).resolve()
            try:
                doc = self.workspace.load(path)
            except SpecError as exc:
                raise at.error(
                    f"$ref {ref!r}: {exc.message} ({self.workspace.display_name(path)})"
                ) from None
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise at.error(f"$ref {ref!r}: only JSON-pointer fragments are supported")
        return self._walk(Location(doc, ""), fragment, ref, at)

    def _walk(self, start: Location, fragment: str, ref: str, at: Location) -> Location:
        raw = fragment[1:].split("/") if fragment else []
        tokens = [unescape(t) for t in raw]
        loc, node = start, start.doc.data
        i = 0
        seen: set[Location] = set()
        while i < len(tokens):
            if isinstance(node, dict) and "$ref" in node and tokens[i] not in node:
                if loc in seen:
                    raise at.error(f"$ref {ref!r} passes through a $ref cycle at {loc}")
                seen.add(loc)
                loc = self.target(node["$ref"], loc)
                node = self.get(loc)
                continue
            token = tokens[i]
            if isinstance(node, dict):
                if token in node:
                    loc, node = loc.at(token), node[token]
                    i += 1
                    continue
                for j in range(i + 2, len(tokens) + 1):
                    joined = "/".join(tokens[i:j])
                    if joined in node:
                        self.warn(
                            at,
                            f"$ref {ref!r} has an unescaped '/' in the key {joined!r}; read as that key",
                        )
                        loc, node = loc.at(joined), node[joined]
                        i = j
                        break
                else:
                    raise at.error(f"$ref {ref!r} points to nothing: no {token!r} in {loc}")
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                loc, node = loc.at(token), node[int(token)]
                i += 1
            else:
                raise at.error(f"$ref {ref!r} points to nothing: {loc} has no {token!r}")
        return loc

    def get(self, loc: Location) -> Any:
        node = loc.doc.data
        for token in split_pointer(loc.pointer):
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def deref(self, node: Any, at: Location) -> tuple[Any, Location]:
        """Follow a chain of pure ``$ref`` objects to a node that is not one."""
        seen = [at]
        while isinstance(node, dict) and "$ref" in node:
            at = self.target(node["$ref"], at)
            if at in seen:
                chain = " -> ".join(str(s) for s in [*seen, at])
                raise seen[0].error(f"$ref cycle with nothing in between: {chain}")
            seen.append(at)
            node = self.get(at)
        return node, at
