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
  error_replies: [Rejected] # the replies that mean a request failed (default: read from
                            # their names: Error, Failure, Rejected...; [] for none)
  replies:                  # what answers a client event, when the spec does not say
    Ping: {replies: [Pong], correlation: reqid}   # matched by a property (data/id: nested)
    Hello: {replies: [Welcome]}                   # no correlation: the next one answers
    Ack: {replies: []}                            # no reply (overrides the spec)
  sdk_version: 1.2.0        # the version in the generated pyproject.toml (default: info.version)
resources: ...              # Stainless: resources.<name>.methods.<m> with type: websocket
targets:
  python:
    package_name: acme      # Stainless: used when sockgen.package is absent
    options:
      websockets_extra_name: realtime
```
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import SpecError
from ..names.naming import default_package, pascal
from .load import Document, Workspace

_SOCKGEN_KEYS = {
    "package",
    "client_class",
    "direction",
    "discriminator",
    "sdk_version",
    "error_replies",
    "replies",
}


Side = Literal["client", "server"]


@dataclass(frozen=True)
class ConfiguredReply:
    """One entry of ``sockgen.replies``."""

    replies: tuple[str, ...]
    """Server event class names; empty: the request has no reply."""
    correlation: str | None
    """The payload property both carry (wire names, ``/`` between nested ones:
    ``data/operation_id``); None: in order."""
    pointer: str
    """Where the entry is in the config (``/sockgen/replies/Ping``), for errors."""


@dataclass
class Config:
    package: str
    client_class: str | None = None
    direction: Side | None = None
    discriminator: str | None = None
    error_replies: tuple[str, ...] | None = None
    """Message class names; None: inferred from the names."""
    replies: Mapping[str, ConfiguredReply] = field(default_factory=dict)
    """``sockgen.replies``: a client event's class name -> what answers it."""
    sdk_version: str | None = None
    """``--sdk-version``, else ``sockgen.sdk_version``; unset: the spec's ``info.version``."""
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
    sdk_version: str | None = None,
) -> Config:
    """The config at ``path`` (or none); ``package``, ``direction`` and ``sdk_version`` from the
    command line win."""
    doc = workspace.load(path) if path else None
    data = _mapping(doc.data if doc else None, doc, "", "a config")
    own = _mapping(data.get("sockgen"), doc, "/sockgen", "'sockgen'")
    unknown = sorted(set(own) - _SOCKGEN_KEYS)
    if unknown and doc:
        raise doc.error(
            f"unknown sockgen key(s) {', '.join(map(str, unknown))}; "
            f"known: {', '.join(sorted(_SOCKGEN_KEYS))}",
            "/sockgen",
        )
    targets = _mapping(data.get("targets"), doc, "/targets", "'targets'")
    python = _mapping(targets.get("python"), doc, "/targets/python", "'targets.python'")
    options = _mapping(python.get("options"), doc, "/targets/python/options", "'options'")
    side = _side(direction, "--direction", None)
    if side is None and doc is not None:
        side = _side(own.get("direction"), "direction", doc)
    return Config(
        package=_package(package, own.get("package") or python.get("package_name"), spec, doc),
        client_class=_client_class(own, data, doc),
        direction=side,
        discriminator=_text(own.get("discriminator"), doc, "/sockgen/discriminator"),
        error_replies=_names(own.get("error_replies"), doc, "/sockgen/error_replies"),
        replies=_replies(own.get("replies"), doc),
        sdk_version=sdk_version or _version(own.get("sdk_version"), doc),
        websockets_extra=str(options.get("websockets_extra_name") or "websockets"),
        stainless=data,
        document=doc,
    )


def _mapping(value: object, doc: Document | None, pointer: str, what: str) -> Mapping[str, Any]:
    """``value`` when it is a mapping, ``{}`` when absent; otherwise an error at ``pointer``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        message = f"{what} must be a mapping, got {type(value).__name__}"
        raise doc.error(message, pointer) if doc else SpecError(message)
    return value


def _text(value: object, doc: Document | None, pointer: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    message = f"expected a string, got {type(value).__name__}"
    raise doc.error(message, pointer) if doc else SpecError(message)


def _names(value: object, doc: Document | None, pointer: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    message = f"{pointer.rsplit('/', 1)[-1]} must be a list of message class names"
    raise doc.error(message, pointer) if doc else SpecError(message)


def _replies(value: object, doc: Document | None) -> dict[str, ConfiguredReply]:
    """``sockgen.replies``, checked for shape (the names are checked against the spec's
    events once they are read)."""
    out = {}
    for name, entry in _mapping(value, doc, "/sockgen/replies", "'replies'").items():
        pointer = f"/sockgen/replies/{name}"
        entry = _mapping(entry, doc, pointer, f"replies.{name}")
        unknown = sorted(set(entry) - {"replies", "correlation"})
        if unknown and doc:
            raise doc.error(
                f"unknown key(s) {', '.join(map(str, unknown))}; known: correlation, replies",
                pointer,
            )
        names = _names(entry.get("replies"), doc, f"{pointer}/replies")
        if names is None and doc:
            raise doc.error("a list of the server event class names that answer it", pointer)
        out[str(name)] = ConfiguredReply(
            names or (), _text(entry.get("correlation"), doc, f"{pointer}/correlation"), pointer
        )
    return out


def _version(value: object, doc: Document | None) -> str | None:
    """``sockgen.sdk_version``: a string (YAML reads ``1.10`` as the number 1.1)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        message = (
            f"sdk_version must be a string, not the number {value!r}: quote it "
            "(YAML reads a bare 1.10 as 1.1)"
        )
        raise doc.error(message, "/sockgen/sdk_version") if doc else SpecError(message)
    return _text(value, doc, "/sockgen/sdk_version")


def _package(cli: str | None, configured: object, spec: Path, doc: Document | None) -> str:
    """``--package``, else the config's, else the spec file's default; a checked name."""
    chosen = cli or configured
    name = str(chosen) if chosen else default_package(spec.as_posix())
    if not name.isidentifier() or name != name.lower() or keyword.iskeyword(name):
        where = "--package" if cli else "the config's package name"
        raise SpecError(
            f"package name {name!r} from {where} is not a lowercase Python identifier",
            file=doc.name if doc else None,
        )
    return name


def _client_class(
    own: Mapping[str, Any], data: Mapping[str, Any], doc: Document | None
) -> str | None:
    """``sockgen.client_class``, else Stainless' ``organization.name`` in PascalCase."""
    org = data.get("organization")
    name = own.get("client_class") or (
        pascal(str(org["name"])) if isinstance(org, Mapping) and org.get("name") else None
    )
    if name is None:
        return None
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        message = f"client_class {name!r} is not a Python class name"
        raise doc.error(message, "/sockgen/client_class") if doc else SpecError(message)
    return name
