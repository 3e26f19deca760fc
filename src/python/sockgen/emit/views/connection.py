"""The view of ``<channel>/connection.py`` (and the channel's package): the typed ``on()``
overloads, ``connect()``'s parameters, and a send helper per client event.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ... import model as m
from ...names.naming import pascal, unique
from ..pycode import Code, annotation, docstring, ident, literal
from .common import (
    CONNECTION_ATTRIBUTES,
    attr_name,
    binary_events,
    headline,
    is_tag,
    msgpack,
    stringy,
    text_events,
)
from .models import ModelsModule, attribute_path, models_module
from .placement import ParamNames


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
class RequestHelper:
    """``request_<event>()``: send a client event through its helper's arguments and
    return the reply the spec pairs with it."""

    name: Code
    doc: Code
    helper: Helper
    """The send helper it extends (its parameters, model and constants)."""
    returns: Code
    constant: Code
    """The module-level ``ReplyTo`` it passes (``_REPLY_PING``)."""
    reply_to: Code
    id_param: Code | None
    """The parameter that carries the request's id (made when not given), if any."""
    id_maker: Code
    """``int_request_id`` or ``str_request_id``."""


@dataclass(frozen=True)
class Namespace:
    attr: Code
    cls: Code
    async_cls: Code
    helpers: list[Helper]
    children: list[Namespace]
    requests: list[RequestHelper]
    """``request_<event>()`` for its helpers whose event has a reply on this channel."""


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
    text_events: Code | None
    """The server's ``text/plain`` events, on a channel that also sends JSON."""
    server_binary: str
    """What the server's binary frames are (``raw``, ``msgpack``, ``mixed``)."""
    client_msgpack: list[Code]
    """The client events sent as MessagePack."""
    client_mixed: bool
    """The client sends JSON and MessagePack events: dicts are validated to pick."""
    tag: Code | None
    """The wire property that tells the server's events apart, when they share one."""
    overloads: list[Overload]
    helpers: list[Helper]
    namespaces: list[Namespace]
    requests: list[RequestHelper]
    """A ``request_<event>()`` per flat helper whose event the spec pairs with a reply."""
    reply_constants: list[RequestHelper]
    """Every request helper of the channel, nested ones too (one ``ReplyTo`` each)."""
    path_params: list[ConnectParam]
    query_params: list[ConnectParam]
    header_params: list[ConnectParam]
    """Typed handshake headers (all keyword arguments; None leaves one out)."""
    messages: ModelsModule
    message_exports: list[Code]
    """What the channel package takes from its messages module."""
    exports: list[Code]
    """What the channel package re-exports (``from chat_sdk.room import ...``)."""
    attr_path: Code
    """Where the channel hangs on the client (``room``, ``beta.realtime``)."""
    send_type: Code
    """What ``send()`` takes: the models and their dicts (one name when they are the same)."""

    def connect_doc(self, is_async: bool) -> Code:
        """The docstring of ``connect()``."""
        options = "AsyncConnectOptions" if is_async else "ConnectOptions"
        parts = [
            f"Connect to the {self.title_text} channel; use the result with "
            f"``{'async ' if is_async else ''}with``."
        ]
        parts += [
            f"``{a.name}``: {a.text}"
            for a in [*self.path_params, *self.query_params, *self.header_params]
            if a.text
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


def channel_view(
    api: m.Api, channel: m.Channel, modules: dict[str, str], params: ParamNames
) -> ChannelView:
    server_json = [msg for msg in channel.server_messages if not msg.binary]
    by_event: dict[str, list[str]] = {}
    for msg in server_json:
        if isinstance(api.types.get(msg.name), m.ModelDef):
            by_event.setdefault(msg.event, []).append(msg.name)
    helpers, namespaces = _helpers(api, channel, params)
    requests = _requests(api, channel, helpers)
    from_messages, exports = _exports(api, channel, params)
    messages = models_module(api, channel.module, modules, params, channel)
    return ChannelView(
        module=ident(channel.module),
        prefix=ident(channel.class_prefix),
        key=literal(channel.key),
        title_text=headline(channel.key),
        path=literal(channel.path),
        description=docstring(channel.description or f"The {channel.key} channel."),
        event_names=[(ident(n), literal(e)) for e, ns in sorted(by_event.items()) for n in ns],
        raw_text=stringy(server_json),
        client_raw_text=stringy([msg for msg in channel.client_messages if not msg.binary])
        or any(msg.encoding == "text" for msg in channel.client_messages),
        text_events=text_events(channel.server_messages),
        server_binary=binary_events(channel.server_messages),
        client_msgpack=sorted({ident(msg.name) for msg in channel.client_messages if msgpack(msg)}),
        client_mixed=binary_events(channel.client_messages) != "raw"
        and any(msg.encoding == "json" for msg in channel.client_messages),
        tag=_tag_property(server_json),
        overloads=_overloads(by_event),
        helpers=helpers,
        namespaces=namespaces,
        requests=requests,
        reply_constants=[r for _, r in _walk(requests, namespaces, lambda ns: ns.requests)],
        path_params=[_connect_param(p) for p in channel.path_params],
        query_params=[_connect_param(p) for p in channel.query_params],
        header_params=[_header_param(p) for p in channel.header_params],
        messages=messages,
        message_exports=from_messages,
        exports=exports,
        attr_path=ident(".".join(attr_name(p) for p in channel.resource_path)),
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


_H = TypeVar("_H", bound="Helper | RequestHelper")


def _walk(
    items: list[_H], namespaces: list[Namespace], of: Callable[[Namespace], list[_H]]
) -> Iterator[tuple[list[str], _H]]:
    """Helpers with their attribute paths (``["session", "update"]``), flat ones first;
    ``of`` picks a namespace's own (send or request helpers)."""
    for item in items:
        yield [str(item.name)], item
    for ns in namespaces:
        inner: Iterator[tuple[list[str], _H]] = _walk(of(ns), ns.children, of)
        for trail, found in inner:
            yield [str(ns.attr), *trail], found


def helper_paths(view: ChannelView) -> Iterator[tuple[list[str], Helper]]:
    """Every send helper of a channel with its attribute path."""
    return _walk(view.helpers, view.namespaces, lambda ns: ns.helpers)


def request_paths(view: ChannelView) -> Iterator[tuple[list[str], RequestHelper]]:
    """Every request helper of a channel with its attribute path (``session.request_update``)."""
    return _walk(view.requests, view.namespaces, lambda ns: ns.requests)


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


def _header_param(p: m.Param) -> ConnectParam:
    """A handshake header as a keyword argument: required ones have no default."""
    param = _connect_param(p)
    text = f"{param.text} (the ``{p.wire}`` header)".strip()
    return ConnectParam(param.name, param.wire, param.annotation, param.default, text)


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
    helpers = [_helper(api, msg, unique(attr_name(name), taken), params) for name, msg in flat]
    return helpers, namespaces


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
        attr = unique(attr_name(part), taken)
        own: set[str] = {"_connection"}
        children = _namespaces(api, channel, sub, [*trail, part], own, params)
        helpers = [
            _helper(api, msg, unique(attr_name(leaf), own), params)
            for leaf, msg in sorted(sub.leaves, key=lambda x: x[0])
        ]
        stem = f"{channel.class_prefix}{''.join(pascal(t) for t in [*trail, part])}Namespace"
        prefix = "".join(f"{t}_" for t in [*trail, part])
        requests = _requests(api, channel, helpers, own, prefix)
        out.append(
            Namespace(
                ident(attr), ident(f"_{stem}"), ident(f"_Async{stem}"), helpers, children, requests
            )
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
    fields = sorted((f for f in model.fields if not is_tag(f)), key=lambda f: not f.required)
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
            if is_tag(f) and isinstance(f.type, m.LiteralType)
        ],
        message=msg,
    )


def _requests(
    api: m.Api,
    channel: m.Channel,
    helpers: list[Helper],
    taken: set[str] | None = None,
    prefix: str = "",
) -> list[RequestHelper]:
    """Request helpers for the model helpers (of the connection, or of a namespace whose
    attributes are ``taken``) whose event has a reply on this channel (a reply on another
    channel arrives on another connection: no helper waits for it). ``prefix`` keeps the
    ``ReplyTo`` constants of namespaces apart (``session_``)."""
    taken = set(CONNECTION_ATTRIBUTES if taken is None else taken) | {str(h.name) for h in helpers}
    out = []
    for helper in helpers:
        msg, reply = helper.message, helper.message.reply if helper.message else None
        if msg is None or reply is None or helper.kind != "model" or reply.channel != channel.key:
            continue
        if not all(isinstance(api.types.get(name), m.ModelDef) for name in reply.messages):
            continue
        name = unique(f"request_{helper.name}", taken)
        out.append(_request(api, msg, reply, helper, name, prefix))
    return out


def _request(
    api: m.Api, msg: m.Message, reply: m.Reply, helper: Helper, name: str, prefix: str = ""
) -> RequestHelper:
    model = api.types[msg.name]
    assert isinstance(model, m.ModelDef)
    wire = reply.correlation
    path = m.field_path(msg.type, wire, api.types) if wire else None
    id_field = path[0] if path and len(path) == 1 else None
    request_attr = ".".join(f.name for f in path) if path and len(path) > 1 else None
    params = list(helper.params)
    id_param = None
    if id_field is not None:  # the id: optional here, made when not given
        id_param = ident(id_field.name)
        params = [p for p in params if p.name != id_param]
        params.append(
            HelperParam(
                id_param,
                Code(f"{annotation(id_field.type)} | NotGiven"),
                Code("NOT_GIVEN"),
                literal(id_field.wire),
            )
        )
    matched = wire is not None and (id_field is not None or request_attr is not None)
    attrs = {n: attribute_path(api, n, wire) for n in reply.messages} if matched and wire else {}
    ok = [n for n in reply.messages if n not in reply.errors]
    classes = ", ".join(ident(n) for n in ok)
    ids = ", ".join(f"{ident(n)}: {literal(a)}" for n, a in attrs.items() if a)
    errors = ", ".join(ident(n) for n in reply.errors)
    returns = Code(" | ".join(ident(n) for n in ok))
    how = f"matched by ``{wire}``" if matched else "the next one that arrives"
    if request_attr:
        how += ", which the request carries"
    text = _request_doc(model.name, returns, how, id_param, reply.errors)
    kind = "int" if id_field is not None and m.Prim("int") in _members(id_field.type) else "str"
    return RequestHelper(
        ident(name),
        docstring(text, 8),
        Helper(helper.name, helper.doc, params, helper.kind, helper.model, helper.fixed, msg),
        returns,
        ident(f"_REPLY_{prefix.upper()}{name.upper()}"),
        Code(
            f"ReplyTo(({classes},)"
            + (f", {{{ids}}}" if ids else "")
            + (f", errors=({errors},)" if errors else "")
            + (f", request_attr={literal(request_attr)}" if request_attr else "")
            + ")"
        ),
        id_param,
        Code(f"{kind}_request_id"),
    )


def _request_doc(
    model: str, returns: str, how: str, id_param: str | None, errors: tuple[str, ...]
) -> str:
    made = f"; ``{id_param}`` is made when not given" if id_param else ""
    failed = (
        f" Raises ``ReplyError`` (its ``reply``: ``{' | '.join(errors)}``) when the "
        "reply says it failed, and"
        if errors
        else " Raises"
    )
    return (
        f"Send ``{model}`` and return its reply (``{returns}``, {how}){made}.{failed} "
        "``RequestTimeout`` after ``timeout`` seconds; the reply also reaches iteration "
        "and ``on()`` handlers unless ``deliver_reply=False``. With "
        "``replay_on_reconnect=True`` a reconnection sends it again and it waits on."
    )


def _members(t: m.TypeRef) -> tuple[m.TypeRef, ...]:
    return t.members if isinstance(t, m.UnionType) else (t,)
