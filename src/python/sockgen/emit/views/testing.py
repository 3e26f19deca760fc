"""The view of ``testing.py``: each channel of the generated fake server, with the spec's
examples of its server events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ... import model as m
from ...names.identifiers import AMBIGUOUS
from ..pycode import Code, ident, literal
from .common import binary_events, json_safe, msgpack, stringy, text_events
from .models import attribute_path


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
    client_text_events: Code | None
    """The client's ``text/plain`` events, on a channel where it also sends JSON."""
    client_binary: str
    """What the client's binary frames are (``raw``, ``msgpack``, ``mixed``)."""
    server_msgpack: list[Code]
    """The server events the fake sends as MessagePack."""
    correlations: list[tuple[Code, Code, list[tuple[Code, Code]]]]
    """(request class, its id attribute, [(reply class, its id attribute)])."""


#: Attributes of the runtime's fake servers that a channel attribute must not shadow.
FAKE_ATTRIBUTES = frozenset(
    "url connections invalid_frames refuse start stop channel fixture client async_client".split()
)


def fake_view(api: m.Api, channel: m.Channel) -> FakeChannelView:
    """The fake's view of a channel; its examples are the server messages' own and their
    payload schemas' (the fake sends the ones that validate)."""
    module = channel.module
    found = [
        example
        for msg in channel.server_messages
        if not msg.binary
        for example in [*msg.examples, *api.examples.get(msg.name, [])]
        if json_safe(example)
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
        client_raw_text=stringy([msg for msg in channel.client_messages if not msg.binary]),
        client_text_events=text_events(channel.client_messages),
        client_binary=binary_events(channel.client_messages),
        server_msgpack=sorted({ident(msg.name) for msg in channel.server_messages if msgpack(msg)}),
        correlations=_correlations(api, channel),
    )


def _correlations(
    api: m.Api, channel: m.Channel
) -> list[tuple[Code, Code, list[tuple[Code, Code]]]]:
    """The requests of ``channel`` paired with their replies by an id, as the fake's
    ``reply()`` uses them (dotted attributes for a nested id)."""
    out = []
    for msg in channel.client_messages:
        reply = msg.reply
        if reply is None or reply.correlation is None or reply.channel != channel.key:
            continue
        request_attr = attribute_path(api, msg.name, reply.correlation)
        replies = [(n, attribute_path(api, n, reply.correlation)) for n in reply.messages]
        if request_attr is None:
            continue
        out.append(
            (
                ident(msg.name),
                literal(request_attr),
                [(ident(n), literal(a)) for n, a in replies if a is not None],
            )
        )
    return out
