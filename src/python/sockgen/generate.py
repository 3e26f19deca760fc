"""The pipeline: load -> resolve -> front end -> one typed model -> views -> files.

``build_api`` reads a spec (and config) into an :class:`~sockgen.model.Api`;
``generate`` turns it into views (``views``) and renders them (``render``).
Both are pure: they read only the given files and return data; writing is the
CLI's (or Pants') job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .emit import render, views
from .errors import Diagnostic, SpecError
from .frontends.asyncapi.reader import AsyncAPIFrontEnd
from .frontends.openapi import OpenAPIFrontEnd
from .frontends.schema import SchemaConverter
from .input.config import Config, load_config
from .input.limits import RECURSION_LIMIT, recursion_limit
from .input.load import Workspace
from .input.refs import Location, Resolver
from .names.identifiers import channel_class_names, class_prefix, unshadow_fields
from .names.layout import channel_keys, channel_modules


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
    sdk_version: str | None = None,
) -> tuple[m.Api, list[Diagnostic]]:
    with recursion_limit(RECURSION_LIMIT, at_least=True):
        return _build_api(spec, config, package, direction, sdk_version)


def _build_api(
    spec: Path,
    config: Path | None,
    package: str | None,
    direction: str | None,
    sdk_version: str | None = None,
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
    cfg = load_config(workspace, config, spec, package, direction, sdk_version)
    conv = SchemaConverter(resolver, warn, taken=_reserved(root.doc.data, cfg))
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
    unshadow_fields(api.types)
    api.examples = conv.examples
    return api, warnings


def _reserved(doc: dict[str, object], cfg: Config) -> set[str]:
    """Class names a model may not take: each channel's generated classes."""
    keys = channel_keys(doc, cfg.stainless)
    names: set[str] = set()
    for module in channel_modules(keys).values():
        names |= channel_class_names(class_prefix(module))
    return names


def generate(
    spec: Path,
    config: Path | None = None,
    package: str | None = None,
    *,
    direction: str | None = None,
    sdk_version: str | None = None,
    readme: bool = True,
    pyproject: bool = False,
) -> Generated:
    with recursion_limit(RECURSION_LIMIT, at_least=True):
        api, warnings = _build_api(spec, config, package, direction, sdk_version)
    if pyproject and api.sdk_version is None:
        warnings.append(
            Diagnostic(
                api.source_name,
                "/info/version",
                f"info.version {api.version!r} is not a PEP 440 version; pyproject.toml says "
                "0.0.0 (set sockgen.sdk_version in the config, or --sdk-version)",
            )
        )
    with recursion_limit(RECURSION_LIMIT, at_least=True):
        files = render.render(views.build(api), readme=readme, pyproject=pyproject)
    return Generated(api, files, warnings)
