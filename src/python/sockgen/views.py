"""Stage 5a: the model to views, in one pass: what each generated file holds.

Every decision about generated code is made here: which module defines each
type, the order of definitions and which models need a rebuild, the
``*Param`` dict twin of each type a client sends, the send helper of each
client event, the typed ``on()`` overloads, the resources of the top-level
clients, and the README's examples. Views hold only escaped fragments
(:mod:`sockgen.pycode`), so the templates that print them (``render``) decide
nothing and cannot print spec text unescaped.
"""

from __future__ import annotations

import functools
import json
import keyword
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import contract
from . import model as m
from .identifiers import AMBIGUOUS, RESERVED_ATTRIBUTES
from .naming import pascal, snake, unique
from .pycode import Code, FieldOf, annotation, discriminator_field, docstring, ident, literal
from .version import VERSION

#: What an incoming message without a known tag is grouped under (callable discriminators).
UNTAGGED = "__untagged__"

#: Connection attributes a helper may not take.
CONNECTION_ATTRIBUTES = RESERVED_ATTRIBUTES | {"dispatch_events", "closed", "wait_closed"}


# --- views ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldLine:
    name: Code
    annotation: Code
    value: Code
    """What follows ``=``, or nothing."""
    doc: Code


@dataclass(frozen=True)
class ModelClass:
    name: Code
    doc: Code
    fields: list[FieldLine]
    kind: str = "model"


@dataclass(frozen=True)
class Alias:
    name: Code
    value: Code
    doc: Code
    kind: str = "alias"


@dataclass(frozen=True)
class ParamKey:
    wire: Code
    """The key as a string literal."""
    name: Code | None
    """The key as an identifier (class syntax), or None when it is not one."""
    annotation: Code

    @property
    def ambiguous(self) -> bool:
        """``l``, ``O``, ``I``: pycodestyle's E741, which the wire name does not leave to us."""
        return self.name in AMBIGUOUS


@dataclass(frozen=True)
class ParamDict:
    """The ``TypedDict`` twin of a model: what ``send()`` takes as a plain dict."""

    name: Code
    model: Code
    keys: list[ParamKey]
    kind: str = "params"

    @property
    def functional(self) -> bool:
        return any(k.name is None for k in self.keys)


@dataclass(frozen=True)
class TagFunction:
    """A callable discriminator: tagged messages by tag, the rest matched by shape."""

    property: Code
    tags: list[Code]
    untagged: Code


@dataclass(frozen=True)
class ModelsModule:
    """``<channel>/messages.py`` or ``shared/models.py``."""

    items: list[ModelClass | Alias | ParamDict]
    rebuild: list[Code]
    incoming: Code | None = None
    outgoing: Code | None = None
    outgoing_params: Code | None = None
    tag_function: TagFunction | None = None
    exports: list[Code] = field(default_factory=list)
    """Every name the module defines."""


@dataclass(frozen=True)
class Overload:
    event: Code
    annotation: Code
    typevar: Code


@dataclass(frozen=True)
class HelperParam:
    name: Code
    annotation: Code
    default: Code
    """Empty for a required parameter."""
    wire: Code
    """The wire name as a literal, for the dict the helper sends."""


@dataclass
class Helper:
    name: Code
    doc: Code
    params: list[HelperParam]
    kind: str
    """``model``: builds the model from a dict; ``value``: sends its argument; ``binary``."""
    model: Code = field(default_factory=Code)
    fixed: list[tuple[Code, Code]] = field(default_factory=list)
    """(wire name, value) literals of the tag (and other constants) the helper fills in."""
    message: m.Message | None = field(default=None, compare=False)
    """The event it sends (for the README's example; never printed)."""


@dataclass(frozen=True)
class Namespace:
    attr: Code
    cls: Code
    async_cls: Code
    helpers: list[Helper]
    children: list[Namespace]


@dataclass(frozen=True)
class ConnectParam:
    name: Code
    wire: Code
    annotation: Code
    default: Code
    """Empty for a required parameter."""
    text: str
    """Its description (raw)."""


@dataclass
class ChannelView:
    module: Code
    prefix: Code
    key: Code
    title_text: str
    """The channel key (raw: templates print it through ``doc``)."""
    path: Code
    description: Code
    event_names: list[tuple[Code, Code]]
    raw_text: bool
    client_raw_text: bool
    tag: Code | None
    """The wire property that tells the server's events apart, when they share one."""
    overloads: list[Overload]
    helpers: list[Helper]
    namespaces: list[Namespace]
    path_params: list[ConnectParam]
    query_params: list[ConnectParam]
    messages: ModelsModule
    message_exports: list[Code]
    """What the channel package takes from its messages module."""
    exports: list[Code]
    """What the channel package re-exports (``from chat_sdk.room import ...``)."""
    attr_path: Code
    """Where the channel hangs on the client (``room``, ``beta.realtime``)."""
    table: list[tuple[str, Code, Code, Code]]
    """README rows: (``sends``/``receives``, event, type, tag)."""
    helper_names: Code
    """The send helpers, for the README (``conn.join(...)``, ...)."""
    send_type: Code
    """What ``send()`` takes: the models and their dicts (one name when they are the same)."""
    path_md: Code

    def connect_doc(self, is_async: bool) -> Code:
        """The docstring of ``connect()``."""
        options = "AsyncConnectOptions" if is_async else "ConnectOptions"
        parts = [
            f"Connect to the {self.title_text} channel; use the result with "
            f"``{'async ' if is_async else ''}with``."
        ]
        parts += [
            f"``{a.name}``: {a.text}" for a in [*self.path_params, *self.query_params] if a.text
        ]
        parts.append(
            '``unknown_events``: ``"deliver"`` to receive the events the spec does not '
            "describe (an unknown tag, or a value it does not list) as ``UnknownEvent`` "
            "instead of errors; the connection's event type then includes it."
        )
        parts.append(
            f"``options``: reconnection, send queue and socket options (see "
            f"``sockgen_runtime.{options}``); reconnection is on only when "
            "``on_reconnecting`` is given."
        )
        return docstring("\n\n".join(parts), 8)


@dataclass(frozen=True)
class ResourceNode:
    attr: Code
    cls: Code
    """The class of this attribute (its async twin: ``Async`` + it)."""
    channel: ChannelView | None
    children: list[ResourceNode]
    own_class: bool
    """Whether _client.py defines the class (a namespace, or a channel with children)."""


@dataclass(frozen=True)
class Example:
    """The README's quick start, valid Python for the SDK it documents."""

    channel: ChannelView
    connect_args: Code
    call: Code
    """A helper call with example arguments (without ``await``), or empty."""
    imports: list[Code]
    sent: Code
    """The class of the message ``call`` sends (what the fake expects), or empty."""
    sent_module: Code
    """Where the README imports ``sent`` from (``chat_sdk.room``)."""
    unknown_frame: Code
    """A server frame whose tag the spec does not list (a JSON text literal), or empty
    when the channel's server events have no tag property to make one with."""


@dataclass(frozen=True)
class FakeChannelView:
    """A channel of the generated fake server (``testing.py``)."""

    module: Code
    alias: Code
    """The channel package as ``testing.py`` imports it (``_room``)."""
    attr: Code
    """The fake's attribute for it (``server.room``)."""
    name: Code
    path: Code
    examples: list[Code]
    """The spec's examples of its server events, as JSON text literals."""
    client_raw_text: bool


#: Attributes of the runtime's fake servers that a channel attribute must not shadow.
FAKE_ATTRIBUTES = frozenset(
    "url connections invalid_frames refuse start stop channel fixture client async_client".split()
)


@dataclass
class PackageView:
    package: Code
    client: Code
    async_client: Code
    title_text: str
    """Raw (templates print it through ``doc``), like ``source_text``."""
    title_md: Code
    description_md: Code
    source_text: str
    source_md: Code
    base_url: Code | None
    example_url: Code
    extra: Code
    extra_text: Code
    version: Code
    sdk_version: Code
    """The SDK's version in its ``pyproject.toml`` (a TOML string)."""
    generator: Code
    """``sockgen 0.2.0``: what wrote the package (raw text, for headers and messages)."""
    runtime: Code
    """The runtime releases the package works with (``"sockgen-runtime>=0.2.0,<0.3"``)."""
    runtime_md: Code
    """The same, for Markdown code spans."""
    contract: Code
    """The runtime contract the package is written against (an int literal)."""
    requirements: list[Code]
    """The package's own requirements, TOML strings."""
    extras: list[tuple[Code, Code]]
    """Its extras (the WebSocket libraries): name, then the runtime's extra as a TOML string."""
    channels: list[ChannelView]
    shared: ModelsModule
    resources: list[ResourceNode]
    example: Example | None
    fakes: list[FakeChannelView]

    @property
    def fake_name(self) -> Code:
        """The fake server's class (``FakeChat``; its blocking twin ``SyncFakeChat``)."""
        return Code(f"Fake{self.client}")

    @property
    def unknown_example_imports(self) -> list[Code]:
        """The imports of the README's ``unknown_events`` example, in isort's order."""
        lines = [
            f"from {self.package}.testing import {self.fake_name}",
            "from sockgen_runtime import UnknownEvent",
        ]
        return [Code(line) for line in sorted(lines)]

    @property
    def own_resources(self) -> list[ResourceNode]:
        return [n for n in _post_order(self.resources) if n.own_class]


def _post_order(nodes: list[ResourceNode]) -> Iterator[ResourceNode]:
    for node in nodes:
        yield from _post_order(node.children)
        yield node


# --- building them ----------------------------------------------------------------------


def build(api: m.Api) -> PackageView:
    """Every view of ``api``'s package, in one pass over the model."""
    modules = place_types(api)
    params = ParamNames(api, modules)
    channels = [_channel(api, channel, modules, params) for channel in api.channels]
    base_url = literal(api.base_url) if api.base_url is not None else None
    return PackageView(
        package=ident(api.package),
        client=ident(api.client_class),
        async_client=ident("Async" + api.client_class),
        title_text=api.title,
        title_md=Code(md_inline(api.title).lstrip("#").strip() or api.package),
        description_md=md_block(api.description),
        source_text=api.source_name,
        source_md=md_inline(api.source_name),
        base_url=base_url,
        example_url=literal(api.base_url or "wss://example.com"),
        extra=literal(api.websockets_extra),
        extra_text=Code(
            api.websockets_extra if _plain_word(api.websockets_extra) else "websockets"
        ),
        version=literal(api.version),
        sdk_version=literal(api.sdk_version or "0.0.0"),
        generator=Code(f"sockgen {VERSION}"),
        runtime=literal(contract.RUNTIME),
        runtime_md=md_inline(contract.RUNTIME),
        contract=Code(str(contract.RUNTIME_CONTRACT)),
        requirements=[
            literal(contract.IMPORTS[m])
            for m in ("sockgen_runtime", "pydantic", "typing_extensions")
        ],
        extras=_extras(api.websockets_extra),
        channels=channels,
        shared=_models_module(api, "shared", modules, params, None),
        resources=_resources(
            api, {c.module: v for c, v in zip(api.channels, channels, strict=False)}
        ),
        example=_example(api, channels),
        fakes=[_fake(api, channel) for channel in api.channels],
    )


def _extras(websockets_extra: str) -> list[tuple[Code, Code]]:
    """The SDK's extras: each WebSocket library through the runtime's own extra (Stainless'
    ``websockets_extra_name`` renames the websockets one)."""
    name = websockets_extra if _plain_word(websockets_extra) else "websockets"
    runtime = contract.RUNTIME.replace("sockgen-runtime", "sockgen-runtime[{}]", 1)
    out = {name: literal(runtime.format("websockets"))}
    out.setdefault("picows", literal(runtime.format("picows")))
    return [(Code(k), v) for k, v in out.items()]


def _fake(api: m.Api, channel: m.Channel) -> FakeChannelView:
    """The fake's view of a channel; its examples are the server messages' own and their
    payload schemas' (the fake sends the ones that validate)."""
    module = channel.module
    found = [
        example
        for msg in channel.server_messages
        if not msg.binary
        for example in [*msg.examples, *api.examples.get(msg.name, [])]
        if _json_safe(example)
    ]
    examples = [
        literal(json.dumps(example, ensure_ascii=False, separators=(",", ":")))
        for example in {json.dumps(e, sort_keys=True): e for e in found}.values()
    ]
    return FakeChannelView(
        module=ident(module),
        alias=ident("_" + module),
        attr=ident(module + "_channel" if module in FAKE_ATTRIBUTES | AMBIGUOUS else module),
        name=literal(module),
        path=literal(channel.path),
        examples=examples,
        client_raw_text=_stringy([msg for msg in channel.client_messages if not msg.binary]),
    )


def _json_safe(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _plain_word(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "_.-" for c in text)


# --- where types live ----------------------------------------------------------------------


def place_types(api: m.Api) -> dict[str, str]:
    """Each named type goes to the one channel module that uses it, or to ``shared``."""
    users: dict[str, set[str]] = {name: set() for name in api.types}
    for channel in api.channels:
        roots = [msg.type for msg in [*channel.client_messages, *channel.server_messages]]
        roots += [msg.example_type for msg in channel.server_messages if msg.example_type]
        roots += [msg.example_type for msg in channel.client_messages if msg.example_type]
        roots += [p.type for p in [*channel.path_params, *channel.query_params]]
        for name in _closure(api, roots):
            users[name].add(channel.module)
    return {
        name: (next(iter(mods)) if len(mods) == 1 else "shared")
        for name, mods in sorted(users.items())
    }


def _closure(api: m.Api, roots: Iterable[m.TypeRef]) -> list[str]:
    """Every named type reachable from ``roots``, each once."""
    seen: dict[str, None] = {}
    stack = [name for t in roots for name in m.refs(t)]
    while stack:
        name = stack.pop()
        if name in seen or name not in api.types:
            continue
        seen[name] = None
        stack.extend(m.refs(api.types[name]))
    return list(seen)


class ParamNames:
    """The ``*Param`` dict twin of every named type a client sends that holds a model."""

    def __init__(self, api: m.Api, modules: dict[str, str]) -> None:
        self.api = api
        self.modules = modules
        roots = [msg.type for c in api.channels for msg in c.client_messages if not msg.binary]
        sent = _closure(api, roots)
        holds_model = {n for n in sent if isinstance(api.types[n], m.ModelDef)}
        changed = True
        while changed:  # aliases of unions of models get twins too
            changed = False
            for n in sent:
                if n not in holds_model and any(r in holds_model for r in m.refs(api.types[n])):
                    holds_model.add(n)
                    changed = True
        taken = set(api.types)
        self.names = {n: unique(f"{n}Param", taken) for n in sent if n in holds_model}

    def of(self, name: str) -> str:
        """The name to use for ``name`` in a dict sent to the server."""
        return self.names.get(name, name)

    def annotation(self, t: m.TypeRef) -> Code:
        return annotation(t, self.of, wire_forms=True)


# --- models modules ------------------------------------------------------------------------


def _order(api: m.Api, names: list[str]) -> list[str]:
    """Definitions before use where possible (cycles are broken where first met)."""
    wanted = set(names)
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for dep in m.refs(api.types[name]):
            if dep in wanted:
                visit(dep)
        done.append(name)

    for name in names:
        visit(name)
    return done


def _fields_of(api: m.Api) -> FieldOf:
    """A model's Python field name for a wire name (for discriminators)."""

    def field_of(model: str, wire: str) -> str | None:
        definition = api.types.get(model)
        fields = definition.fields if isinstance(definition, m.ModelDef) else []
        return next((f.name for f in fields if f.wire == wire), None)

    return field_of


def _field_line(f: m.FieldDef, field_of: FieldOf) -> FieldLine:
    ann = annotation(f.type, field_of=field_of)
    args: list[str] = []
    if f.default is not m.MISSING:
        args.append(f"default={literal(f.default)}")
    elif not f.required:
        args.append("default=None")
    if f.wire != f.name:
        args.append(f"validation_alias={literal(f.wire)}")
        args.append(f"serialization_alias={literal(f.wire)}")
    if not args:
        value = Code("")
    elif len(args) == 1 and args[0].startswith("default="):
        value = Code(args[0][len("default=") :])
    else:
        value = Code(f"Field({', '.join(args)})")
    return FieldLine(ident(f.name), ann, value, docstring(f.description))


def _model_doc(definition: m.ModelDef | m.AliasDef) -> Code:
    parts = [definition.description.strip()] if definition.description.strip() else []
    if definition.source:
        parts.append(f"From ``{definition.source}``.")
    return docstring("\n\n".join(parts))


def _models_module(
    api: m.Api,
    module: str,
    modules: dict[str, str],
    params: ParamNames,
    channel: m.Channel | None,
) -> ModelsModule:
    names = sorted(n for n, mod in modules.items() if mod == module)
    ordered = _order(api, names)  # what a definition refers to comes before it, when it can
    items: list[ModelClass | Alias | ParamDict] = []
    field_of = _fields_of(api)
    render = functools.partial(annotation, field_of=field_of)
    for name in ordered:
        definition = api.types[name]
        if isinstance(definition, m.ModelDef):
            lines = [_field_line(f, field_of) for f in definition.fields]
            items.append(ModelClass(ident(name), _model_doc(definition), lines))
        else:
            ann = annotation(definition.type, field_of=field_of)
            items.append(Alias(ident(name), ann, docstring(definition.description, 0)))
    rebuild = _rebuilds(api, ordered, modules, module)
    for name in _order(api, [n for n in names if n in params.names]):
        items.append(_param_item(api, name, params))
    defined = [item.name for item in items]
    if channel is None:
        return ModelsModule(items, rebuild, exports=defined)
    server_json = [msg for msg in channel.server_messages if not msg.binary]
    client_json = [msg for msg in channel.client_messages if not msg.binary]
    plan = channel.server_union
    tag_function = None
    if plan.kind == "callable" and plan.discriminator:
        tags = list(dict.fromkeys(literal(msg.tag[1]) for msg in server_json if msg.tag))
        tag_function = TagFunction(literal(plan.discriminator), tags, literal(UNTAGGED))
    return ModelsModule(
        items,
        rebuild,
        incoming=_union(server_json, plan, render, field_of),
        outgoing=_union(
            client_json,
            (
                m.UnionPlan("smart")
                if channel.client_union.kind == "callable"
                else channel.client_union
            ),
            render,
            field_of,
        ),
        outgoing_params=_union(client_json, m.UnionPlan("smart"), params.annotation, None),
        tag_function=tag_function,
        exports=[
            *defined,
            Code("IncomingMessage"),
            Code("OutgoingMessage"),
            Code("OutgoingMessageParam"),
        ],
    )


def _rebuilds(api: m.Api, order: list[str], modules: dict[str, str], module: str) -> list[Code]:
    """Models that refer to a name defined after them, or to an incomplete model."""
    defined: set[str] = {n for n, mod in modules.items() if mod != module}  # imported first
    incomplete: set[str] = set()
    for name in order:
        refs = set(m.refs(api.types[name]))
        if any(r not in defined or r in incomplete for r in refs if r in api.types):
            incomplete.add(name)
        defined.add(name)
    return [ident(n) for n in order if n in incomplete and isinstance(api.types[n], m.ModelDef)]


def _param_item(api: m.Api, name: str, params: ParamNames) -> ParamDict | Alias:
    definition = api.types[name]
    param = params.of(name)
    if isinstance(definition, m.AliasDef):
        return Alias(
            ident(param),
            params.annotation(definition.type),
            docstring(f"``{name}`` as sent in a dict.", 0),
        )
    keys = []
    for f in definition.fields:
        required = f.required or _is_tag(f)  # the tag tells the server what it is
        inner = params.annotation(f.type)
        keys.append(
            ParamKey(
                literal(f.wire),
                ident(f.wire) if _key_is_identifier(f.wire) else None,
                Code(f"Required[{inner}]" if required else inner),
            )
        )
    return ParamDict(ident(param), ident(name), keys)


def _is_tag(f: m.FieldDef) -> bool:
    """A field pinned to one value (``type: Literal["join"] = "join"``): always sent."""
    return isinstance(f.type, m.LiteralType) and len(f.type.values) == 1


def _key_is_identifier(key: str) -> bool:
    """Whether a dict key can be a ``TypedDict`` class attribute (not a keyword or a
    dunder); other keys take the functional form."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")


def _union(
    msgs: list[m.Message],
    plan: m.UnionPlan,
    render: Callable[[m.TypeRef], Code],
    field_of: FieldOf | None,
) -> Code:
    """A channel's incoming or outgoing alias: ``A | B``, discriminated, or ``Never``."""
    types = list(dict.fromkeys(render(msg.type) for msg in msgs))
    if not types:
        return Code("Never")
    if types == ["None"]:  # JSON null: a type alias cannot be the bare ``None``
        return Code("Literal[None]")
    if len(types) == 1:
        return types[0]
    union = " | ".join(types)
    key = discriminator_field([msg.type for msg in msgs], plan.discriminator, field_of)
    if plan.kind == "discriminated" and key:
        return Code(f"Annotated[{union}, Field(discriminator={literal(key)})]")
    if plan.kind == "callable":
        groups: dict[str, list[str]] = {}
        for msg, t in zip(msgs, (render(msg.type) for msg in msgs), strict=False):
            key = str(msg.tag[1]) if msg.tag else UNTAGGED
            if t not in groups.setdefault(key, []):
                groups[key].append(t)
        parts = [f"Annotated[{' | '.join(ts)}, Tag({literal(k)})]" for k, ts in groups.items()]
        return Code(f"Annotated[{' | '.join(parts)}, Discriminator(_incoming_tag)]")
    return Code(union)


# --- channels --------------------------------------------------------------------------------


def _channel(
    api: m.Api, channel: m.Channel, modules: dict[str, str], params: ParamNames
) -> ChannelView:
    server_json = [msg for msg in channel.server_messages if not msg.binary]
    by_event: dict[str, list[str]] = {}
    for msg in server_json:
        if isinstance(api.types.get(msg.name), m.ModelDef):
            by_event.setdefault(msg.event, []).append(msg.name)
    helpers, namespaces = _helpers(api, channel, params)
    from_messages, exports = _exports(api, channel, params)
    messages = _models_module(api, channel.module, modules, params, channel)
    return ChannelView(
        module=ident(channel.module),
        prefix=ident(channel.class_prefix),
        key=literal(channel.key),
        title_text=channel.key,
        path=literal(channel.path),
        description=docstring(channel.description or f"The {channel.key} channel."),
        event_names=[(ident(n), literal(e)) for e, ns in sorted(by_event.items()) for n in ns],
        raw_text=_stringy(server_json),
        client_raw_text=_stringy([msg for msg in channel.client_messages if not msg.binary]),
        tag=_tag_property(server_json),
        overloads=_overloads(by_event),
        helpers=helpers,
        namespaces=namespaces,
        path_params=[_connect_param(p) for p in channel.path_params],
        query_params=[_connect_param(p) for p in channel.query_params],
        messages=messages,
        message_exports=from_messages,
        exports=exports,
        attr_path=ident(".".join(_attr(p) for p in channel.resource_path)),
        table=_table(channel),
        helper_names=Code(
            ", ".join(f"`conn.{'.'.join(path)}(...)`" for path, _ in _walk(helpers, namespaces))
        ),
        path_md=md_inline(channel.path),
        send_type=Code(
            "OutgoingMessage | OutgoingMessageParam"
            if messages.outgoing != messages.outgoing_params
            else "OutgoingMessage"
        ),
    )


def _exports(api: m.Api, channel: m.Channel, params: ParamNames) -> tuple[list[Code], list[Code]]:
    """(What the channel package takes from its messages, everything it re-exports)."""
    messages = [*channel.client_messages, *channel.server_messages]
    models = {msg.name for msg in messages if msg.name in api.types}
    dicts = {params.of(msg.name) for msg in channel.client_messages if msg.name in params.names}
    from_messages = {"IncomingMessage", "OutgoingMessage", "OutgoingMessageParam", *models, *dicts}
    prefix = channel.class_prefix
    classes = {f"{p}{prefix}{k}" for p in ("", "Async") for k in ("Connection", "Resource")}
    everything = from_messages | classes | {f"{prefix}Client"}
    return [ident(n) for n in sorted(from_messages)], [ident(n) for n in sorted(everything)]


def _walk(helpers: list[Helper], namespaces: list[Namespace]) -> Iterator[tuple[list[str], Helper]]:
    """Send helpers with their attribute paths (``["session", "update"]``), flat ones first."""
    for helper in helpers:
        yield [str(helper.name)], helper
    for ns in namespaces:
        for path, helper in _walk(ns.helpers, ns.children):
            yield [str(ns.attr), *path], helper


def md_inline(text: str) -> Code:
    """Text for Markdown inline code: one line, no backticks."""
    return Code(" ".join(_plain_text(text).split()).replace("`", "'"))


def _plain_text(text: str) -> str:
    """Spec text for a document that is not code: control characters and lone surrogates
    (which no UTF-8 file can hold) become U+FFFD."""
    return "".join(
        c if (c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF) or c in "\n\t" else "\ufffd"
        for c in str(text)
    )


def md_block(text: str) -> Code:
    """Spec prose for a README paragraph: no code fence can open (the README's own
    code blocks are extracted and type-checked), no heading can break the outline."""
    lines = []
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    for line in _plain_text(text).strip().split("\n"):
        line = line.replace("`" * 3, "'" * 3).rstrip()
        if line.lstrip().startswith("#"):
            line = line.lstrip().lstrip("#").strip()
        lines.append(line)
    return Code("\n".join(lines))


def _stringy(msgs: list[m.Message]) -> bool:
    """Text frames that are the string itself, not JSON (Hoppscotch's timestamp)."""
    return bool(msgs) and all(
        msg.type == m.Prim("str")
        or (
            isinstance(msg.type, m.LiteralType) and all(isinstance(v, str) for v in msg.type.values)
        )
        for msg in msgs
    )


def _overloads(by_event: dict[str, list[str]]) -> list[Overload]:
    """The typed ``on``/``once`` overloads: each event's model; ``error`` also gets invalid
    frames and handler errors, ``raw_data`` binary frames, ``unknown`` the events the spec
    does not describe (``unknown_events="deliver"``)."""
    specials = {"error": ["ErrorEvent"], "raw_data": ["bytes"], "unknown": ["UnknownEvent"]}
    out = []
    for i, event in enumerate(sorted(set(by_event) | set(specials))):
        names = [*by_event.get(event, []), *specials.get(event, [])]
        out.append(
            Overload(literal(event), Code(" | ".join(ident(n) for n in names)), ident(f"_H{i}"))
        )
    return out


def _tag_property(msgs: list[m.Message]) -> Code | None:
    """The one property every tagged server event is told apart by (for ``UnknownEvent.tag``)."""
    properties = {msg.tag[0] for msg in msgs if msg.tag}
    return literal(properties.pop()) if len(properties) == 1 else None


def _connect_param(p: m.Param) -> ConnectParam:
    description = p.description
    if p.default is not m.MISSING and not p.required:
        description = f"{description} (server default: {json.dumps(p.default)})".strip()
    if p.required and p.default is not m.MISSING:
        # a required parameter with a default: sent, and the default is ours to give
        return ConnectParam(
            ident(p.name), literal(p.wire), annotation(p.type), literal(p.default), description
        )
    t = p.type if p.required else m.optional(p.type)
    return ConnectParam(
        ident(p.name),
        literal(p.wire),
        annotation(t),
        Code("") if p.required else Code("None"),
        description,
    )


def _table(channel: m.Channel) -> list[tuple[str, Code, Code, Code]]:
    from .inspect import type_text

    rows = []
    for direction, msgs in (
        ("sends", channel.client_messages),
        ("receives", channel.server_messages),
    ):
        for msg in msgs:
            tag = _md(f"{msg.tag[0]}: {json.dumps(msg.tag[1])}") if msg.tag else Code("")
            model = _md(type_text(msg.type)) if not msg.binary else Code("binary frame")
            rows.append((direction, _md(msg.event), model, tag))
    return rows


def _md(text: str) -> Code:
    """Inline code for a Markdown table cell."""
    return Code("`" + md_inline(text).replace("|", "\\|") + "`")


# --- helpers ----------------------------------------------------------------------------------


@dataclass
class _Tree:
    """Client events by the parts of their names (``session.update``)."""

    children: dict[str, _Tree] = field(default_factory=dict)
    leaves: list[tuple[str, m.Message]] = field(default_factory=list)


def _helpers(
    api: m.Api, channel: m.Channel, params: ParamNames
) -> tuple[list[Helper], list[Namespace]]:
    """A send helper per client event: flat, or nested by ``event_name_separator``."""
    sep = channel.event_name_separator
    flat: list[tuple[str, m.Message]] = []
    tree = _Tree()
    for msg in channel.client_messages:
        if sep and sep in msg.event:
            *path, leaf = msg.event.split(sep)
            node = tree
            for part in path:
                node = node.children.setdefault(part, _Tree())
            node.leaves.append((leaf, msg))
        else:
            flat.append((msg.event or msg.name, msg))
    taken = set(CONNECTION_ATTRIBUTES)
    namespaces = _namespaces(api, channel, tree, [], taken, params)
    helpers = [_helper(api, msg, unique(_attr(name), taken), params) for name, msg in flat]
    return helpers, namespaces


def _attr(name: str) -> str:
    """An attribute or helper name from an event or resource name (never ``l``, ``O``, ``I``)."""
    attr = snake(name)
    return attr + "_" if attr in CONNECTION_ATTRIBUTES or attr in AMBIGUOUS else attr


def _namespaces(
    api: m.Api,
    channel: m.Channel,
    tree: _Tree,
    trail: list[str],
    taken: set[str],
    params: ParamNames,
) -> list[Namespace]:
    out = []
    for part in sorted(tree.children):
        sub = tree.children[part]
        attr = unique(_attr(part), taken)
        own: set[str] = {"_connection"}
        children = _namespaces(api, channel, sub, [*trail, part], own, params)
        helpers = [
            _helper(api, msg, unique(_attr(leaf), own), params)
            for leaf, msg in sorted(sub.leaves, key=lambda x: x[0])
        ]
        stem = f"{channel.class_prefix}{''.join(pascal(t) for t in [*trail, part])}Namespace"
        out.append(
            Namespace(ident(attr), ident(f"_{stem}"), ident(f"_Async{stem}"), helpers, children)
        )
    return out


def _helper(api: m.Api, msg: m.Message, name: str, params: ParamNames) -> Helper:
    model = api.types.get(msg.name)
    if msg.binary or not isinstance(model, m.ModelDef):
        what = "as a binary frame" if msg.binary else "message"
        return Helper(
            ident(name),
            docstring(f"Send ``{msg.event}`` {what}. {msg.description}".strip(), 8),
            [
                HelperParam(
                    Code("data" if msg.binary else "message"),
                    Code("bytes") if msg.binary else params.annotation(msg.type),
                    Code(""),
                    Code(""),
                )
            ],
            "binary" if msg.binary else "value",
            message=msg,
        )
    fields = sorted((f for f in model.fields if not _is_tag(f)), key=lambda f: not f.required)
    description = model.description or msg.description
    return Helper(
        ident(name),
        docstring(f"Send ``{model.name}``" + (f": {description}" if description else "."), 8),
        [
            HelperParam(
                ident(f.name),
                Code(params.annotation(f.type) + ("" if f.required else " | NotGiven")),
                Code("" if f.required else "NOT_GIVEN"),
                literal(f.wire),
            )
            for f in fields
        ],
        "model",
        ident(model.name),
        # every field pinned to one value (the tag, and any other constant) is always sent
        fixed=[
            (literal(f.wire), literal(f.type.values[0]))
            for f in model.fields
            if _is_tag(f) and isinstance(f.type, m.LiteralType)
        ],
        message=msg,
    )


# --- the top-level clients -------------------------------------------------------------------


def _resources(api: m.Api, views: dict[str, ChannelView]) -> list[ResourceNode]:
    """The attribute tree of ``Acme``: ``client.room``, ``client.beta.realtime``."""
    tree: dict[str, object] = {}
    for channel in api.channels:
        node = tree
        for part in channel.resource_path[:-1]:
            child = node.setdefault(part, {})
            assert isinstance(child, dict)
            node = child
        leaf = node.setdefault(channel.resource_path[-1], {})
        assert isinstance(leaf, dict)
        leaf[""] = views[channel.module]

    def build_level(level: dict[str, object], trail: tuple[str, ...]) -> list[ResourceNode]:
        out = []
        taken: set[str] = set()
        for part, sub in level.items():
            if not part:
                continue
            assert isinstance(sub, dict)
            view = sub.get("")
            assert view is None or isinstance(view, ChannelView)
            children = build_level(sub, (*trail, part))
            own = bool(children)
            cls = (
                f"_{''.join(pascal(p) for p in (*trail, part))}Resource"
                if own
                else f"{view.prefix}Resource" if view is not None else ""
            )
            out.append(
                ResourceNode(ident(unique(_attr(part), taken)), ident(cls), view, children, own)
            )
        return out

    return build_level(tree, ())


# --- the README's example ---------------------------------------------------------------------


def _example(api: m.Api, channels: list[ChannelView]) -> Example | None:
    """Connect to the first channel, send its first client event through its helper, receive."""
    if not api.channels:
        return None
    channel, view = api.channels[0], channels[0]
    connect = [
        f"{p.name}={literal(sample(api, p.type, p.default))}"
        for p in [*channel.path_params, *channel.query_params]
        if p.required and p.default is m.MISSING
    ]
    call = sent = Code("")
    helper_path = _first_helper(view)
    if helper_path is not None:
        path, helper = helper_path
        assert helper.message is not None
        call = Code(f"conn.{'.'.join(path)}({example_args(api, helper)})")
        if isinstance(api.types.get(helper.message.name), m.ModelDef):
            sent = ident(helper.message.name)
    module = ident(f"{api.package}.{channel.module}")
    return Example(view, Code(", ".join(connect)), call, [], sent, module, _unknown_frame(channel))


def _unknown_frame(channel: m.Channel) -> Code:
    """``{"<tag>": "not_in_the_spec"}`` for the README's ``unknown_events`` example."""
    server = [msg for msg in channel.server_messages if not msg.binary]
    properties = {msg.tag[0] for msg in server if msg.tag}
    if len(properties) != 1 or _stringy(server) or not all(msg.tag for msg in server):
        # with an untagged event, an unknown tag is taken for it (pydantic's callable
        # discriminator), so the example's frame would be no UnknownEvent
        return Code("")
    taken = {msg.tag[1] for msg in server if msg.tag}
    value = "not_in_the_spec"
    while value in taken:
        value += "_"
    return literal(json.dumps({properties.pop(): value}))


def helper_paths(view: ChannelView) -> Iterator[tuple[list[str], Helper]]:
    """Every send helper of a channel with its attribute path."""
    return _walk(view.helpers, view.namespaces)


def _first_helper(view: ChannelView) -> tuple[list[str], Helper] | None:
    return next(helper_paths(view), None)


def example_args(api: m.Api, helper: Helper) -> Code:
    """Arguments for a helper call, from the spec's examples where they fit, else made up."""
    msg = helper.message
    assert msg is not None
    if helper.kind == "binary":
        return Code('b"\\x00\\x01"')
    model = api.types.get(msg.name)
    example = msg.examples[0] if msg.examples and isinstance(msg.examples[0], dict) else {}
    if not isinstance(model, m.ModelDef):
        return literal(sample(api, msg.type, example or m.MISSING))
    args = []
    for f in model.fields:
        if _is_tag(f) or not f.required:
            continue
        value = example.get(f.wire, m.MISSING) if isinstance(example, dict) else m.MISSING
        args.append(f"{f.name}={literal(sample(api, f.type, value))}")
    return Code(", ".join(args))


def sample(api: m.Api, t: m.TypeRef, given: object = m.MISSING, depth: int = 0) -> object:
    """A JSON value of type ``t`` for an example: ``given`` when it is one, else made up."""
    scalar = isinstance(t, (m.Prim, m.LiteralType))  # a model's example may not fit its dict type
    if scalar and given is not m.MISSING and given is not None and m.fits(t, given, api.types):
        return given
    if isinstance(t, m.Prim):
        return {
            "str": "example",
            "int": 1,
            "float": 1.0,
            "bool": True,
            "datetime": "2024-01-01T00:00:00Z",
            "date": "2024-01-01",
            "time": "12:00:00",
            "UUID": "00000000-0000-0000-0000-000000000000",
        }.get(t.name, "example" if t.name != "None" else None)
    if isinstance(t, m.LiteralType):
        return t.values[0]
    if isinstance(t, m.ListType):
        return []
    if isinstance(t, m.DictType):
        return {}
    if isinstance(t, m.UnionType):
        members = [x for x in t.members if x != m.NONE]
        return sample(api, members[0], given, depth) if members else None
    definition = api.types.get(t.name)
    if isinstance(definition, m.AliasDef):
        return sample(api, definition.type, given, depth + 1)
    if isinstance(definition, m.ModelDef) and depth < 4:
        return {
            f.wire: sample(api, f.type, m.MISSING, depth + 1)
            for f in definition.fields
            if f.required or _is_tag(f)
        }
    return {}
