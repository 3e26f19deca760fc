"""The view of ``README.md``: the quick start (valid Python for the SDK it documents), and
per channel what the client sends and receives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ... import model as m
from ..pycode import Code, ident, literal
from .common import is_tag, md_cell, md_inline, stringy
from .connection import ChannelView, Helper, helper_paths, request_paths


@dataclass(frozen=True)
class ReadmeChannel:
    """A channel's section: where it connects, what the client sends and receives."""

    module: Code
    path_md: Code
    attr_path: Code
    table: list[tuple[str, Code, Code, Code]]
    """(``sends``/``receives``, event, type, tag)."""
    helper_names: Code
    """The send helpers (``conn.join(...)``, ...)."""
    replies: list[Code]
    """Each request the spec pairs with a reply: ``ping`` is answered by ``Pong``... (Markdown)."""


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


def example(api: m.Api, channels: list[ChannelView]) -> Example | None:
    """Connect to the first channel, send its first client event through its helper, receive."""
    if not api.channels:
        return None
    channel, view = api.channels[0], channels[0]
    connect = [
        f"{p.name}={literal(sample(api, p.type, p.default))}"
        for p in [*channel.path_params, *channel.query_params, *channel.header_params]
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
    if len(properties) != 1 or stringy(server) or not all(msg.tag for msg in server):
        # with an untagged event, an unknown tag is taken for it (pydantic's callable
        # discriminator), so the example's frame would be no UnknownEvent
        return Code("")
    taken = {msg.tag[1] for msg in server if msg.tag}
    value = "not_in_the_spec"
    while value in taken:
        value += "_"
    return literal(json.dumps({properties.pop(): value}))


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
        if is_tag(f) or not f.required:
            continue
        value = example.get(f.wire, m.MISSING) if isinstance(example, dict) else m.MISSING
        args.append(f"{f.name}={literal(sample(api, f.type, value))}")
    return Code(", ".join(args))


def sample(api: m.Api, t: m.TypeRef, given: object = m.MISSING, depth: int = 0) -> object:
    """A value of type ``t`` for an example (JSON, or bytes): ``given`` when it is one,
    else made up."""
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
            "bytes": b"example",
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
            if f.required or is_tag(f)
        }
    return {}


def channel_sections(api: m.Api, views: list[ChannelView]) -> list[ReadmeChannel]:
    """Each channel's section, in the spec's order."""
    return [
        ReadmeChannel(
            module=view.module,
            path_md=md_inline(channel.path),
            attr_path=view.attr_path,
            table=_table(channel),
            helper_names=Code(
                ", ".join(f"`conn.{'.'.join(path)}(...)`" for path, _ in helper_paths(view))
            ),
            replies=_reply_lines(channel, view),
        )
        for channel, view in zip(api.channels, views, strict=True)
    ]


#: How the events table says a message is not a JSON text frame.
_FRAMES = {"msgpack": " (MessagePack binary frame)", "text": " (bare text frame)"}


def _table(channel: m.Channel) -> list[tuple[str, Code, Code, Code]]:
    rows = []
    for direction, msgs in (
        ("sends", channel.client_messages),
        ("receives", channel.server_messages),
    ):
        for msg in msgs:
            tag = md_cell(f"{msg.tag[0]}: {json.dumps(msg.tag[1])}") if msg.tag else Code("")
            model = md_cell(m.type_text(msg.type) + _FRAMES.get(msg.encoding, ""))
            if msg.binary:
                model = Code("binary frame")
            rows.append((direction, md_cell(msg.event), model, tag))
    return rows


def _reply_lines(channel: m.Channel, view: ChannelView) -> list[Code]:
    """Each request of ``channel`` and its reply, with the helper that waits for it."""
    helpers = {id(r.helper.message): Code(".".join(path)) for path, r in request_paths(view)}
    return [_reply_line(msg, helpers, channel.key) for msg in channel.client_messages if msg.reply]


def _reply_line(msg: m.Message, helpers: dict[int, Code], channel_key: str) -> Code:
    """``join`` is answered by ``Joined`` (the same ``reqid``); ``conn.request_join(...)``."""
    assert msg.reply is not None
    answers = " or ".join(f"`{md_inline(name)}`" for name in msg.reply.messages)
    how = (
        f"with the same `{md_inline(msg.reply.correlation)}`"
        if msg.reply.correlation
        else "the next one that arrives"
    )
    helper = helpers.get(id(msg))
    waits = f": `conn.{helper}(...)` sends it and returns the reply" if helper else ""
    if msg.reply.channel != channel_key:
        waits = (
            f", on the `{md_inline(msg.reply.channel)}` channel (another connection: "
            "no helper waits for it)"
        )
    if helper and msg.reply.errors:
        failures = " or ".join(f"`{md_inline(name)}`" for name in msg.reply.errors)
        waits += f" (it raises `ReplyError` for {failures})"
    return Code(f"`{md_inline(msg.event)}` is answered by {answers}, {how}{waits}")
