"""The one source of truth for which files and modules a spec produces.

The Pants plugin must know a generated package's modules without running the
generator (dependency inference needs them before the generator can be
built), so the layout depends only on what a light parse sees: the package
name and the channel keys (AsyncAPI ``channels`` keys; for OpenAPI, the
Stainless config's resources that have a WebSocket method). This module runs
inside Pants too (CPython 3.9) and needs only the standard library and PyYAML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .naming import snake, unique, words

#: Module names a channel may not take: the package's own modules.
RESERVED_MODULES = frozenset({"shared", "_client", "_contract", "testing", "base", "py", "typing"})

#: The longest module name taken from a channel key (a file name has at most 255 bytes).
MAX_MODULE = 60

PACKAGE_FILES = (
    "__init__.py",
    "py.typed",
    "README.md",
    "_client.py",
    "_contract.py",
    "testing.py",
    "shared/__init__.py",
    "shared/models.py",
)
CHANNEL_FILES = ("__init__.py", "messages.py", "connection.py", "client.py")


def channel_modules(keys: Iterable[str]) -> dict[str, str]:
    """Channel key -> module name, in document order; names are unique and stable."""
    taken = set(RESERVED_MODULES)
    modules: dict[str, str] = {}
    for key in keys:
        text = key.replace("{", " ").replace("}", " ")
        base = snake(text) if words(text) else "root"  # "/" is the root channel
        if len(base) > MAX_MODULE:
            base = base[:MAX_MODULE].rstrip("_")
        modules[key] = unique(base, taken)
    return modules


def files(package: str, modules: Iterable[str]) -> list[str]:
    """Every file of a generated package, relative to the folder that holds the package."""
    out = [f"{package}/{f}" for f in PACKAGE_FILES]
    for module in modules:
        out.extend(f"{package}/{module}/{f}" for f in CHANNEL_FILES)
    return sorted(out)


def python_modules(package: str, modules: Iterable[str]) -> list[str]:
    """Every importable module of a generated package (for dependency inference)."""
    return sorted(
        path[: -len(".py")].replace("/", ".").removesuffix(".__init__")
        for path in files(package, modules)
        if path.endswith(".py")
    )


def stainless_websocket_resources(config: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Resource paths (``("beta", "realtime")``) that have a ``type: websocket`` method."""
    found: list[tuple[str, ...]] = []

    def walk(resources: Any, prefix: tuple[str, ...]) -> None:
        if not isinstance(resources, Mapping):
            return
        for name, resource in resources.items():
            if not isinstance(resource, Mapping):
                continue
            path = (*prefix, str(name))
            methods = resource.get("methods")
            if isinstance(methods, Mapping) and any(
                isinstance(m, Mapping) and m.get("type") == "websocket" for m in methods.values()
            ):
                found.append(path)
            walk(resource.get("subresources"), path)

    walk(config.get("resources"), ())
    return found


def channel_keys(spec: Mapping[str, Any], config: Mapping[str, Any] | None) -> list[str]:
    """The channel keys of a spec, as the front ends number them."""
    if "openapi" in spec:
        return ["_".join(path) for path in stainless_websocket_resources(config or {})]
    channels = spec.get("channels")
    return [str(k) for k in channels] if isinstance(channels, Mapping) else []
