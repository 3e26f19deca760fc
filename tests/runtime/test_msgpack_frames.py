"""MessagePack next to JSON on one channel, checked on the wire against a real server, on
each transport: what the client's frames hold, and what the server's become."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from typing import Annotated, Any, Literal, Union

import msgpack
import pytest
from pydantic import Field, TypeAdapter
from runtime.drivers import TRANSPORTS, open_driver
from runtime.wsserver import WsServer, record
from sockgen_runtime import (
    AsyncHandlerClient,
    ChannelSpec,
    InvalidMessage,
    SockgenModel,
    UnknownEvent,
)
from sockgen_runtime.testing import FakeChannelSpec, FakeError, FakeServer
from websockets.asyncio.server import ServerConnection


class Order(SockgenModel):  # JSON
    type: Literal["order"] = "order"
    symbol: str


class Blob(SockgenModel):  # MessagePack
    type: Literal["blob"] = "blob"
    data: bytes
    at: datetime
    note: str | None = None


class Ping(SockgenModel):  # MessagePack
    type: Literal["ping"] = "ping"


class Filled(SockgenModel):  # JSON
    type: Literal["filled"] = "filled"
    price: float


class Tick(SockgenModel):  # MessagePack
    type: Literal["tick"] = "tick"
    seq: int
    payload: bytes


Outgoing = Annotated[Union[Order, Blob, Ping], Field(discriminator="type")]
Incoming = Annotated[Union[Filled, Tick], Field(discriminator="type")]


def channel(server_binary: Literal["msgpack", "mixed"] = "msgpack") -> ChannelSpec[Any]:
    """What the generator writes for a channel mixing JSON and MessagePack both ways."""
    return ChannelSpec(
        path="/rooms/{room_id}",
        server_events=TypeAdapter(Incoming),
        event_names={Filled: "filled", Tick: "tick"},
        name="trades",
        tag="type",
        server_binary=server_binary,
        client_msgpack=frozenset({Blob, Ping}),
        client_events=TypeAdapter(Outgoing),
    )


ON_EACH_TRANSPORT = pytest.mark.parametrize("transport", TRANSPORTS)
AT = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_client_frames_are_json_or_msgpack_by_event(server: WsServer, transport: str) -> None:
    server.script = lambda ws, i: record(ws, server)
    conn = await open_driver(transport, server.url, channel=channel())
    await conn.send(Order(symbol="BTC"))
    await conn.send(Blob(data=b"\x00\xff\x10", at=AT))
    await conn.send({"type": "ping"})  # a dict: the event it validates as says its encoding
    await conn.send({"type": "order", "symbol": "ETH"})
    await conn.close()
    for _ in range(100):
        if len(server.received) == 4:
            break
        await asyncio.sleep(0.01)
    order, blob, ping, order2 = server.received
    assert isinstance(order, str) and json.loads(order) == {"type": "order", "symbol": "BTC"}
    assert isinstance(blob, bytes)
    # bytes stay MessagePack bin; a datetime is written as JSON writes it; unset fields absent
    assert msgpack.unpackb(blob) == {
        "type": "blob",
        "data": b"\x00\xff\x10",
        "at": "2024-05-01T12:30:00Z",
    }
    assert isinstance(ping, bytes) and msgpack.unpackb(ping) == {"type": "ping"}
    assert isinstance(order2, str) and json.loads(order2)["symbol"] == "ETH"


async def serve_frames(frames: list[str | bytes]) -> Any:
    async def script(ws: ServerConnection, index: int) -> None:
        for frame in frames:
            await ws.send(frame)
        await ws.close()

    return script


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_server_frames_become_events_by_their_frame_type(
    server: WsServer, transport: str
) -> None:
    tick = msgpack.packb({"type": "tick", "seq": 7, "payload": b"\x01\x02"})
    server.script = await serve_frames(['{"type":"filled","price":1.5}', tick])
    conn = await open_driver(transport, server.url, channel=channel())
    events = await conn.events()
    assert events == [Filled(price=1.5), Tick(seq=7, payload=b"\x01\x02")]
    conn = await open_driver(transport, server.url, channel=channel())  # and through on()
    seen: list[Any] = []
    conn.on("tick", seen.append)
    conn.on("filled", seen.append)
    await conn.dispatch_events()  # (returns when the server closes normally)
    assert seen == events


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_bad_msgpack_frames_are_errors_and_unknown_tags_are_delivered(
    server: WsServer, transport: str
) -> None:
    frames: list[str | bytes] = [
        b"\xc1",  # never valid MessagePack
        msgpack.packb([1, 2]) + b"\x00",  # trailing bytes
        msgpack.packb({"type": "tick", "seq": "x", "payload": b""}),  # wrong shape
        msgpack.packb({"type": "halt", "why": "maintenance"}),  # a tag the spec lacks
        msgpack.packb({"type": "tick", "seq": 1, "payload": b""}),
    ]
    server.script = await serve_frames(frames)
    conn = await open_driver(transport, server.url, channel=channel(), unknown_events="deliver")
    errors: list[InvalidMessage] = []
    conn.on("error", errors.append)
    events = await conn.events()
    assert [e.kind for e in errors] == ["invalid_msgpack", "invalid_msgpack", "validation_error"]
    assert errors[0].raw == b"\xc1"
    unknown, tick = events
    assert isinstance(unknown, UnknownEvent)
    assert (unknown.tag, unknown.data, unknown.raw) == (
        "halt",
        msgpack.unpackb(frames[3]),
        frames[3],
    )
    assert tick == Tick(seq=1, payload=b"")


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_channel_with_raw_bytes_too_passes_other_binary_frames_on(
    server: WsServer, transport: str
) -> None:
    audio = b"\x00\x01\x02\x03"  # (MessagePack: four small ints, no event)
    tick = msgpack.packb({"type": "tick", "seq": 2, "payload": b"x"})
    server.script = await serve_frames([audio, tick, b"\xc1"])
    conn = await open_driver(transport, server.url, channel=channel("mixed"))
    raw: list[bytes] = []
    errors: list[Any] = []
    conn.on("raw_data", raw.append)
    conn.on("error", errors.append)
    assert await conn.events() == [Tick(seq=2, payload=b"x")]
    assert raw == [audio, b"\xc1"] and errors == []


FAKE = FakeChannelSpec(
    name="trades",
    path="/rooms/{room_id}",
    client_events=Outgoing,
    server_events=Incoming,
    client_binary="msgpack",
    server_msgpack=frozenset({Tick}),
)


@pytest.mark.asyncio
async def test_the_fake_speaks_msgpack_both_ways() -> None:
    async with FakeServer([FAKE]) as fake:
        conn = await open_driver("async", fake.url, channel=channel())
        peer = await fake.channel("trades").accept()
        await conn.send(Blob(data=b"\x00", at=AT))
        assert await peer.expect(Blob) == Blob(data=b"\x00", at=AT)
        await conn.send(Order(symbol="X"))
        assert await peer.expect(Order) == Order(symbol="X")
        await peer.send(Tick(seq=3, payload=b"\xfe"))
        await peer.send({"type": "tick", "seq": 4, "payload": b""})  # a dict: by its event
        await peer.send(Filled(price=2.0))
        assert [await conn.recv() for _ in range(3)] == [
            Tick(seq=3, payload=b"\xfe"),
            Tick(seq=4, payload=b""),
            Filled(price=2.0),
        ]
        await conn.send_raw(b"\xc1")  # no MessagePack: the fake reports it, once
        with pytest.raises(FakeError, match="no client event"):
            await peer.expect()
        await conn.close()


class TradesHandler(AsyncHandlerClient[Union[Order, Blob, Ping], Union[Filled, Tick]]):
    """The Chanx-style handler class on the mixed channel (what ``client.py`` generates)."""

    channel = channel("mixed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[Any] = []

    async def send_init_message(self) -> None:
        await self.send_message(Blob(data=b"\x07", at=AT))
        await self.send_message(Order(symbol="X"))

    async def handle_message(self, message: Union[Filled, Tick]) -> None:
        self.seen.append(message)

    async def handle_raw_data(self, message: bytes) -> None:
        self.seen.append(message)


@pytest.mark.parametrize("transport", ["websockets", "picows"])
@pytest.mark.asyncio
async def test_the_handler_class_speaks_both_encodings(
    server: WsServer, transport: Literal["websockets", "picows"]
) -> None:
    received: list[str | bytes] = []

    async def script(ws: ServerConnection, index: int) -> None:
        received.extend([await ws.recv(), await ws.recv()])
        for frame in (
            msgpack.packb({"type": "tick", "seq": 5, "payload": b""}),
            b"\x00\x01",
            '{"type":"filled","price":3.0}',
        ):
            await ws.send(frame)
        await ws.close()

    server.script = script
    client = TradesHandler(
        f"127.0.0.1:{server.port}",
        protocol="ws",
        path_params={"room_id": "r"},
        transport=transport,
    )
    await client.handle()
    blob, order = received
    assert msgpack.unpackb(blob) == {"type": "blob", "data": b"\x07", "at": "2024-05-01T12:30:00Z"}
    assert json.loads(order) == {"type": "order", "symbol": "X"}
    assert client.seen == [Tick(seq=5, payload=b""), b"\x00\x01", Filled(price=3.0)]
