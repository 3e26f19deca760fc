"""The model of an API: its channels, each with the messages each side sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .algebra import MISSING, JsonScalar, TypeDef, TypeRef
from .sides import SideReport


@dataclass
class Param:
    name: str
    """Python parameter name."""
    wire: str
    type: TypeRef
    required: bool
    description: str = ""
    default: object = MISSING


@dataclass(frozen=True)
class Reply:
    """What answers a client event: the spec's ``reply``, and how the two are paired."""

    messages: tuple[str, ...]
    """The class names of the server events that answer it."""
    channel: str
    """The key of the channel they arrive on."""
    correlation: str | None
    """The payload property that carries the same id in the request and in its reply
    (``correlationId: $message.payload#/reqid``: ``reqid``; a nested one's wire names
    joined by ``/``: ``data/operation_id``); None: the next reply answers."""
    source: str = ""
    errors: tuple[str, ...] = ()
    """The replies that say the request failed (``request_<event>()`` raises them)."""


Encoding = Literal["json", "msgpack", "text", "binary"]
"""How a message is framed: JSON text, a MessagePack binary frame, the bare text (a
``text/plain`` string), or raw bytes (audio, or a format sockgen does not decode)."""


@dataclass
class Message:
    """One event type a channel carries in one direction."""

    name: str
    """The class name of its payload model (or alias)."""
    event: str
    """The event name used by ``on(...)`` and helpers: the tag value, else the message key."""
    type: TypeRef
    encoding: Encoding = "json"
    content_type: str = "application/json"
    """The spec's ``contentType`` (else ``defaultContentType``, else JSON), as written."""
    tag: tuple[str, JsonScalar] | None = None
    """(property, value) that identifies it, when it has one."""
    description: str = ""
    examples: list[object] = field(default_factory=list)
    example_type: TypeRef | None = None
    """What the examples are checked against when it is not ``type`` (a payload union split into events)."""
    source: str = ""
    correlation: str | None = None
    """The payload property its ``correlationId`` names (top level only), if any."""
    reply: Reply | None = None
    """A client event's reply, when the spec pairs them."""

    @property
    def binary(self) -> bool:
        """Raw bytes in a binary frame, not an event the runtime decodes."""
        return self.encoding == "binary"


@dataclass
class UnionPlan:
    """How a channel's messages of one direction are told apart."""

    kind: Literal["discriminated", "callable", "smart", "single", "none"]
    discriminator: str | None = None
    """``discriminated``: one tag property with a distinct value per message.
    ``callable``: a tag property whose values repeat or some messages lack it;
    untagged or same-tag messages are tried in pydantic's smart mode.
    ``smart``: no tag at all. ``single``: one message. ``none``: no JSON messages."""


@dataclass
class Channel:
    key: str
    """The channel's key in the spec (or resource path for OpenAPI)."""
    module: str
    """Python module name (from ``layout``)."""
    class_prefix: str
    """PascalCase stem for its classes (``Chat`` -> ``ChatClient``, ``ChatConnection``)."""
    path: str
    path_params: list[Param]
    query_params: list[Param]
    client_messages: list[Message]
    server_messages: list[Message]
    client_union: UnionPlan
    server_union: UnionPlan
    description: str = ""
    event_name_separator: str | None = None
    resource_path: tuple[str, ...] = ()
    """Attribute path on the top-level client (``("beta", "realtime")``)."""
    header_params: list[Param] = field(default_factory=list)
    """Handshake headers ``connect()`` takes (ws binding ``headers``; a parameter whose
    ``location`` is a header)."""


AuthKind = Literal["bearer", "basic", "header", "query", "cookie"]


@dataclass(frozen=True)
class SecurityScheme:
    """How one security scheme of the spec authenticates the handshake."""

    key: str
    """Its key in ``securitySchemes``."""
    kind: AuthKind
    """``bearer``/``basic``: the ``Authorization`` header; ``header``, ``query``,
    ``cookie``: an API key under ``name``."""
    name: str
    options: tuple[str, ...]
    """The client options it sends (``api_key``; ``username`` and ``password``)."""
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class ClientOption:
    """A credential the top-level client takes (``api_key=``), else reads from ``env``."""

    name: str
    env: str
    description: str = ""
    """Its scheme's description, as the spec writes it."""


@dataclass
class Api:
    title: str
    package: str
    client_class: str
    """``Acme``; the async twin is ``AsyncAcme``."""
    base_url: str | None
    channels: list[Channel]
    types: dict[str, TypeDef]
    """Every named type by class name."""
    description: str = ""
    version: str = ""
    """``info.version`` as the spec writes it."""
    sdk_version: str | None = None
    """The SDK's own version (PEP 440) for its ``pyproject.toml``; none when ``info.version``
    is not one and nothing else names it."""
    websockets_extra: str = "websockets"
    source_name: str = ""
    examples: dict[str, list[object]] = field(default_factory=dict)
    """Named model -> the ``example``/``examples`` its schema gives."""
    side: SideReport | None = None
    """AsyncAPI: which side the document is written from, and the evidence."""
    security: list[SecurityScheme] = field(default_factory=list)
    """The schemes the handshake may use, in the spec's order: any one will do."""
    security_optional: bool = False
    """The spec allows connecting without credentials too."""
    client_options: list[ClientOption] = field(default_factory=list)
