"""The generation config: sockgen's own keys, and a Stainless config read unchanged.

A config file is optional for AsyncAPI and required for OpenAPI (OpenAPI
cannot say which schemas are a WebSocket's client and server events). Keys:

```yaml
sockgen:                    # sockgen's own (all optional)
  package: acme             # Python package name
  client_class: Acme        # top-level client class (its async twin: AsyncAcme)
  direction: server         # AsyncAPI: the application the document describes
                            # (3.x: its 'send' operations; 2.x: its 'subscribe' ones)
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
from typing import Any, Literal

from .errors import SpecError
from .load import Document, Workspace
from .naming import default_package, pascal

_SOCKGEN_KEYS = {"package", "client_class", "direction", "discriminator"}


Side = Literal["client", "server"]


@dataclass
class Config:
    package: str
    client_class: str | None = None
    direction: Side | None = None
    discriminator: str | None = None
    websockets_extra: str = "websockets"
    stainless: Mapping[str, Any] = field(default_factory=dict)
    document: Document | None = None


def _side(value: object, what: str, doc: Document | None) -> Side | None:
    if value is None:
        return None
    if value == "client" or value == "server":
        return value  # type: ignore[return-value]
    message = f"{what} must be 'client' or 'server', got {value!r}"
    raise doc.error(message, "/sockgen/direction") if doc else SpecError(message)


def load_config(
    workspace: Workspace,
    path: Path | None,
    spec: Path,
    package: str | None,
    direction: str | None = None,
) -> Config:
    """The config at ``path`` (or none), with ``package`` and ``direction`` from the command line winning."""
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
    side = _side(direction, "--direction", None)
    if side is None and doc is not None:
        side = _side(own.get("direction"), "direction", doc)
    python = (data.get("targets") or {}).get("python") or {}
    options = python.get("options") or {} if isinstance(python, Mapping) else {}
    chosen = (
        package
        or own.get("package")
        or (python.get("package_name") if isinstance(python, Mapping) else None)
    )
    name = str(chosen) if chosen else default_package(spec.as_posix())
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
        direction=side,
        discriminator=own.get("discriminator"),
        websockets_extra=extra,
        stainless=data,
        document=doc,
    )
