"""The generation config: sockgen's own keys, and a Stainless config read unchanged.

A config file is optional for AsyncAPI and required for OpenAPI (OpenAPI
cannot say which schemas are a WebSocket's client and server events). Keys:

```yaml
sockgen:                    # sockgen's own (all optional)
  package: acme             # Python package name
  client_class: Acme        # top-level client class (its async twin: AsyncAcme)
  direction: server         # AsyncAPI: the side the document is written from
  discriminator: type       # force the property that tells events apart
resources: ...              # Stainless: resources.<name>.methods.<m> with type: websocket
targets:
  python:
    package_name: acme      # Stainless: used when sockgen.package is absent
    options:
      websockets_extra_name: realtime
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SpecError
from .load import Document, Workspace
from .naming import pascal, snake

_SOCKGEN_KEYS = {"package", "client_class", "direction", "discriminator"}


@dataclass
class Config:
    package: str
    client_class: str | None = None
    direction: str | None = None
    discriminator: str | None = None
    websockets_extra: str = "websockets"
    stainless: Mapping[str, Any] = field(default_factory=dict)
    document: Document | None = None


def default_package(spec: Path) -> str:
    stem = spec.name
    for suffix in (".json", ".yaml", ".yml"):
        stem = stem.removesuffix(suffix)
    for suffix in (".asyncapi", ".openapi", "-asyncapi", "-openapi", "_asyncapi", "_openapi"):
        stem = stem.removesuffix(suffix)
    return snake(stem) + ("_sdk" if snake(stem) in ("asyncapi", "openapi", "spec", "api") else "")


def load_config(workspace: Workspace, path: Path | None, spec: Path, package: str | None) -> Config:
    doc = workspace.load(path) if path else None
    data: Any = doc.data if doc else {}
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise SpecError("a config must be a mapping", file=doc.name if doc else None, pointer="")
    own = data.get("sockgen") or {}
    if not isinstance(own, Mapping):
        raise (
            doc.error("'sockgen' must be a mapping", "/sockgen") if doc else SpecError("bad config")
        )
    unknown = sorted(set(own) - _SOCKGEN_KEYS)
    if unknown and doc:
        raise doc.error(
            f"unknown sockgen key(s) {', '.join(unknown)}; known: {', '.join(sorted(_SOCKGEN_KEYS))}",
            "/sockgen",
        )
    direction = own.get("direction")
    if direction not in (None, "server", "client") and doc:
        raise doc.error(
            f"direction must be 'server' or 'client', got {direction!r}", "/sockgen/direction"
        )
    python = (data.get("targets") or {}).get("python") or {}
    options = python.get("options") or {} if isinstance(python, Mapping) else {}
    chosen = (
        package
        or own.get("package")
        or (python.get("package_name") if isinstance(python, Mapping) else None)
    )
    name = str(chosen) if chosen else default_package(spec)
    if not name.isidentifier() or name != name.lower():
        where = "--package" if package else "the config's package name"
        raise SpecError(
            f"package name {name!r} from {where} is not a lowercase Python identifier",
            file=doc.name if doc else None,
        )
    extra = (
        str(options.get("websockets_extra_name") or "websockets")
        if isinstance(options, Mapping)
        else "websockets"
    )
    org = data.get("organization") or {}
    client_class = own.get("client_class") or (
        pascal(str(org["name"])) if isinstance(org, Mapping) and org.get("name") else None
    )
    return Config(
        package=name,
        client_class=str(client_class) if client_class else None,
        direction=direction,
        discriminator=own.get("discriminator"),
        websockets_extra=extra,
        stainless=data,
        document=doc,
    )
