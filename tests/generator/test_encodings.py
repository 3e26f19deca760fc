"""Encodings from ``contentType``: each message's frame (JSON, MessagePack, bare text, raw
bytes) in the model, then through a generated SDK, its fake and a real server, byte for
byte."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import msgpack
import pytest
from generator.desk import Doc, base, payload
from generator.support import sdk_from
from runtime.wsserver import WsServer, record
from sockgen import model as m
from sockgen.generate import build_api
from websockets.asyncio.server import ServerConnection


def read(tmp_path: Path, doc: Doc) -> tuple[m.Api, list[str]]:
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(doc))
    api, warnings = build_api(path, None, "desk_sdk", "client")
    return api, [str(w) for w in warnings]


def messages(api: m.Api) -> dict[str, m.Message]:
    channel = api.channels[0]
    return {msg.event: msg for msg in [*channel.client_messages, *channel.server_messages]}


def with_type(content_type: str | None, default: str | None = None) -> Doc:
    doc = base()
    if content_type is not None:
        doc["channels"]["trades"]["messages"]["order"]["contentType"] = content_type
    if default is not None:
        doc["defaultContentType"] = default
    return doc


@pytest.mark.parametrize(
    ("content_type", "default", "order", "filled"),
    [
        (None, None, "json", "json"),
        ("application/json", None, "json", "json"),
        ("application/vnd.desk.order+json", None, "json", "json"),
        ("application/msgpack", None, "msgpack", "json"),
        ("application/x-msgpack", None, "msgpack", "json"),
        ("Application/MsgPack; charset=binary", None, "msgpack", "json"),
        # defaultContentType applies to every message that names none
        (None, "application/msgpack", "msgpack", "msgpack"),
        # and a message's own contentType wins over it
        ("application/json", "application/msgpack", "json", "msgpack"),
        ("application/octet-stream", None, "binary", "json"),
    ],
)
def test_the_encoding_comes_from_the_content_type(
    tmp_path: Path, content_type: str | None, default: str | None, order: str, filled: str
) -> None:
    api, warnings = read(tmp_path, with_type(content_type, default))
    found = messages(api)
    assert (found["order"].encoding, found["filled"].encoding) == (order, filled)
    assert not [w for w in warnings if "contentType" in w]


@pytest.mark.parametrize(
    ("content_type", "encoding", "python"),
    [
        ("application/cbor", "binary", "bytes"),
        ("application/x-protobuf", "binary", "bytes"),
        ("avro/binary", "binary", "bytes"),
        ("application/xml", "text", "str"),
        ("text/csv", "text", "str"),
    ],
)
def test_a_content_type_sockgen_does_not_decode_is_raw_with_a_warning(
    tmp_path: Path, content_type: str, encoding: str, python: str
) -> None:
    api, warnings = read(tmp_path, with_type(content_type))
    order = messages(api)["order"]
    assert (order.encoding, order.type, order.content_type) == (
        encoding,
        m.Prim(python),  # type: ignore[arg-type]
        content_type,
    )
    (warning,) = (w for w in warnings if "contentType" in w)
    # the warning names the message (its pointer) and the type, and says it is never JSON
    assert "desk.yaml (at /channels/trades/messages/order/payload)" in warning
    assert repr(content_type) in warning and "never parsed as JSON" in warning


def test_text_plain_is_the_bare_string(tmp_path: Path) -> None:
    doc = with_type("text/plain")
    doc["channels"]["trades"]["messages"]["order"]["payload"] = {"enum": ["buy", "sell"]}
    api, warnings = read(tmp_path, doc)
    order = messages(api)["order"]
    assert (order.encoding, order.type) == ("text", m.LiteralType(("buy", "sell")))
    assert not [w for w in warnings if "text/plain" in w]
    # written the other way: an object declared text/plain is typed as its text, and said so
    api, warnings = read(tmp_path, with_type("text/plain"))
    assert messages(api)["order"].type == m.Prim("str")
    assert [w for w in warnings if "text/plain payload that is not a string" in w]


def test_binary_strings_are_bytes_in_msgpack_payloads_only(tmp_path: Path) -> None:
    blob = {"type": "string", "contentEncoding": "binary", "x-messagepack-type": "bin"}
    for content_type, python in (("application/msgpack", "bytes"), ("application/json", "str")):
        doc = with_type(content_type)
        payload(doc, "order")["properties"]["proof"] = copy.deepcopy(blob)
        api, _ = read(tmp_path, doc)
        fields = {f.wire: f for f in api.types["Order"].fields}  # type: ignore[union-attr]
        assert fields["proof"].type in (m.Prim(python), m.optional(m.Prim(python)))  # type: ignore[arg-type]


# --- one channel that mixes them all, through the generated SDK -----------------------------


def mixed_doc() -> Doc:
    """The desk, where the client also sends a MessagePack ``blob`` and a text/plain
    ``command``, and the server also sends a MessagePack ``tick`` and a text/plain note."""
    doc = base()
    channel = doc["channels"]["trades"]
    channel["messages"].update(
        {
            "blob": {
                "contentType": "application/msgpack",
                "payload": {
                    "type": "object",
                    "required": ["type", "data"],
                    "properties": {
                        "type": {"const": "blob"},
                        "data": {"type": "string", "format": "binary"},
                    },
                },
            },
            "command": {"contentType": "text/plain", "payload": {"enum": ["pause", "resume"]}},
            "tick": {
                "contentType": "application/msgpack",
                "payload": {
                    "type": "object",
                    "required": ["type", "seq"],
                    "properties": {"type": {"const": "tick"}, "seq": {"type": "integer"}},
                },
            },
            "note": {"contentType": "text/plain", "payload": {"type": "string"}},
        }
    )
    for op, names in (("sendOrder", ["blob", "command"]), ("receiveFilled", ["tick", "note"])):
        doc["operations"][op]["messages"] += [
            {"$ref": f"#/channels/trades/messages/{name}"} for name in names
        ]
    return doc


@pytest.fixture
def sdk(tmp_path: Path) -> dict[str, Any]:
    return sdk_from(tmp_path, mixed_doc())


def test_the_generated_connection_sends_each_event_as_its_spec_says(
    sdk: dict[str, Any], server: WsServer
) -> None:
    server.script = lambda ws, i: record(ws, server)
    client = sdk["desk_sdk"].Desk(base_url=server.url)
    with client.trades.connect(book="b1") as conn:
        conn.order(symbol="BTC", side="buy")
        conn.blob(data=b"\x00\xff")
        conn.send("pause")
    for _ in range(100):
        if len(server.received) == 3:
            break
        asyncio.run(asyncio.sleep(0.01))
    order, blob, command = server.received
    assert json.loads(order) == {"type": "order", "symbol": "BTC", "side": "buy"}
    assert msgpack.unpackb(blob) == {"type": "blob", "data": b"\x00\xff"}
    assert command == "pause"  # the bare text, not the JSON string '"pause"'


def test_the_generated_connection_reads_each_frame_as_its_spec_says(
    sdk: dict[str, Any], server: WsServer
) -> None:
    frames: list[str | bytes] = [
        json.dumps({"type": "filled", "symbol": "BTC", "price": 1.5}),
        msgpack.packb({"type": "tick", "seq": 9}),
        "market closes at five",
    ]

    async def script(ws: ServerConnection, index: int) -> None:
        for frame in frames:
            await ws.send(frame)
        await ws.close()

    server.script = script
    messages_ = sdk["desk_sdk.trades.messages"]
    client = sdk["desk_sdk"].Desk(base_url=server.url)
    with client.trades.connect(book="b1") as conn:
        events = list(conn)
    assert events == [
        messages_.Filled(symbol="BTC", price=1.5),
        messages_.Tick(seq=9),
        "market closes at five",
    ]


def test_the_generated_fake_plays_it_both_ways(sdk: dict[str, Any]) -> None:
    testing, messages_ = sdk["desk_sdk.testing"], sdk["desk_sdk.trades.messages"]

    async def session() -> None:
        async with testing.FakeDesk() as fake:
            client = sdk["desk_sdk"].AsyncDesk(base_url=fake.url)
            async with client.trades.connect(book="b1") as conn:
                peer = await fake.trades.accept()
                await conn.blob(data=b"\x01")
                assert await peer.expect(messages_.Blob) == messages_.Blob(data=b"\x01")
                await conn.send("resume")
                assert await peer.expect() == "resume"
                await peer.send(messages_.Tick(seq=1))
                await peer.send("a note")
                assert [await conn.recv(), await conn.recv()] == [messages_.Tick(seq=1), "a note"]

    asyncio.run(session())
