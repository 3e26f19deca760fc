"""The pipeline: load -> resolve -> front end -> one typed model -> emit.

``build_api`` reads a spec (and config) into an :class:`~sockgen.model.Api`;
``generate`` renders it into files. Both are pure: they read only the given
files and return data; writing is the CLI's (or Pants') job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .asyncapi import AsyncAPIFrontEnd
from .config import load_config
from .emit import render
from .errors import Diagnostic, SpecError
from .load import Workspace
from .openapi import OpenAPIFrontEnd
from .refs import Location, Resolver
from .schema import SchemaConverter


@dataclass
class Generated:
    api: m.Api
    files: dict[str, str]
    """Path relative to the output root -> text."""
    warnings: list[Diagnostic] = field(default_factory=list)


def build_api(
    spec: Path,
    config: Path | None = None,
    package: str | None = None,
    direction: str | None = None,
) -> tuple[m.Api, list[Diagnostic]]:
    workspace = Workspace(spec.parent)
    warnings: list[Diagnostic] = []
    seen: set[tuple[str, str, str]] = set()

    def warn(at: Location, message: str) -> None:
        key = (at.doc.name, at.pointer, message)
        if key not in seen:
            seen.add(key)
            warnings.append(Diagnostic(at.doc.name, at.pointer, message))

    resolver = Resolver(workspace, warn)
    root = resolver.root(spec)
    if not isinstance(root.doc.data, dict):
        raise SpecError("a spec must be a mapping at the top level", file=root.doc.name, pointer="")
    cfg = load_config(workspace, config, spec, package, direction)
    conv = SchemaConverter(resolver, warn, taken=set())
    if "asyncapi" in root.doc.data:
        api = AsyncAPIFrontEnd(root, resolver, conv, cfg).api()
    elif "openapi" in root.doc.data:
        api = OpenAPIFrontEnd(root, resolver, conv, cfg).api()
    else:
        raise SpecError(
            "not an AsyncAPI or OpenAPI document (no 'asyncapi' or 'openapi' key)",
            file=root.doc.name,
            pointer="",
        )
    api.types = conv.types
    api.examples = conv.examples
    api.type_modules = place_types(api)
    return api, warnings


def place_types(api: m.Api) -> dict[str, str]:
    """Each named type goes to the one channel module that uses it, or to ``shared``."""
    users: dict[str, set[str]] = {name: set() for name in api.types}

    def visit(name: str, module: str, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        users.setdefault(name, set()).add(module)
        if name in api.types:
            for dep in m.refs(api.types[name]):
                visit(dep, module, seen)

    for channel in api.channels:
        seen: set[str] = set()
        messages = [*channel.client_messages, *channel.server_messages]
        types = [msg.type for msg in messages]
        types += [msg.example_type for msg in messages if msg.example_type is not None]
        types += [p.type for p in [*channel.path_params, *channel.query_params]]
        for t in types:
            for name in m.refs(t):
                visit(name, channel.module, seen)
    return {
        name: (next(iter(mods)) if len(mods) == 1 else "shared")
        for name, mods in sorted(users.items())
    }


def generate(
    spec: Path,
    config: Path | None = None,
    package: str | None = None,
    *,
    direction: str | None = None,
    readme: bool = True,
    pyproject: bool = False,
) -> Generated:
    api, warnings = build_api(spec, config, package, direction)
    return Generated(api, render(api, readme=readme, pyproject=pyproject), warnings)
