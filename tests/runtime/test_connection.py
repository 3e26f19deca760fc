"""Both transports against a real server on 127.0.0.1: frames, iteration, handlers, bad frames."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from runtime.drivers import TRANSPORTS, open_driver
from runtime.events import MessageReceived, SendMessage, Subscribe, Subscribed, message
from runtime.wsserver import WsServer, close_with, record
from sockgen_runtime import ConnectionLost, InvalidMessage, UnknownEvent, WebSocketConnectError
from websockets.asyncio.server import ServerConnection

pytestmark = [pytest.mark.asyncio, pytest.mark.parametrize("transport", TRANSPORTS)]


async def test_handshake_url_headers_and_subprotocol(server: WsServer, transport: str) -> None:
    conn = await open_driver(
        transport,
        server.http_url,
        room="a/b c",
        headers={"Authorization": "Bearer t"},
        query={"token": "t1", "verbose": True, "skip": None},
        extra_query={"token": "t2"},
        extra_headers={"X-Trace": "1"},
        websocket_options={"subprotocols": ["chat.v1"]},
    )
    assert conn.conn.url == f"{server.url}/rooms/a%2Fb%20c?token=t2&verbose=true"
    assert conn.conn.socket.subprotocol == "chat.v1"
    await conn.close()
    (shake,) = server.handshakes
    assert shake.path == "/rooms/a%2Fb%20c?token=t2&verbose=true"
    assert shake.headers["Authorization"] == "Bearer t"
    assert shake.headers["X-Trace"] == "1"


async def test_send_every_kind_of_frame(server: WsServer, transport: str) -> None:
    server.script = lambda ws, i: record(ws, server)
    conn = await open_driver(transport, server.url)
    await conn.send(Subscribe(channel="g"))
    await conn.send({"type": "send_message", "channel": "g", "content": "hi"})
    await conn.send(SendMessage(channel="g", content="x", reply_to="m"))
    await conn.send_raw("plain text")
    await conn.send_raw(b"\x00\xffbinary")
    await conn.close()
    await asyncio.sleep(0.1)
    assert server.received == [
        '{"type":"subscribe","channel":"g"}',
        '{"type":"send_message","channel":"g","content":"hi"}',
        '{"type":"send_message","channel":"g","content":"x","reply-to":"m"}',
        "plain text",
        b"\x00\xffbinary",
    ]


async def test_receive_iterate_and_end_on_normal_close(server: WsServer, transport: str) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("one"))
        await ws.send(b"\x01\x02")
        await ws.send('{"type":"subscribed","channel":"g"}')
        await ws.send(message("two"))
        await ws.send(message("three"))
        await ws.close(1000, "bye")

    server.script = script
    conn = await open_driver(transport, server.url)
    first = await conn.recv()
    assert isinstance(first, MessageReceived) and first.content == "one"
    assert await conn.recv_bytes() == b"\x01\x02"
    rest = await conn.events()
    assert [type(e) for e in rest] == [Subscribed, MessageReceived, MessageReceived]
    assert [getattr(e, "content", None) for e in rest] == [None, "two", "three"]


@pytest.mark.parametrize("code", [1008, 1011])
async def test_abnormal_close_without_reconnect_raises(
    server: WsServer, transport: str, code: int
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("one"))
        await close_with(ws, code)

    server.script = script
    conn = await open_driver(transport, server.url)
    with pytest.raises(ConnectionLost) as info:
        await conn.events()
    assert info.value.code == code


async def test_typed_handlers_fire_for_their_event_types_only(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        for frame in (
            message("a"),
            '{"type":"subscribed","channel":"s"}',
            message("b"),
            message("c"),
        ):
            await ws.send(frame)
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url)
    got: list[tuple[str, Any]] = []
    conn.on("message_received", lambda e: got.append(("msg", e.content)))
    conn.once("message_received", lambda e: got.append(("first", e.content)))
    conn.on("subscribed", lambda e: got.append(("sub", e.channel)))
    removed = conn.conn.on("subscribed", lambda e: got.append(("never", e)))
    conn.off("subscribed", removed)
    await conn.dispatch_events()
    assert got == [("msg", "a"), ("first", "a"), ("sub", "s"), ("msg", "b"), ("msg", "c")]
    with pytest.raises(ValueError, match="unknown event 'nope'"):
        conn.on("nope", print)


async def test_bad_frames_reach_the_right_hook_and_the_loop_goes_on(
    server: WsServer, transport: str
) -> None:
    huge = json.dumps({"type": "message_received", "channel": "g", "content": "x" * (8 << 20)})
    frames: list[str | bytes] = [
        "not json {",
        '{"type":"subscribed"}',
        '{"type":"who_knows","channel":"g"}',
        b"\x00binary\xff",
        huge,  # 8 MiB, and missing user-name
        message("still here"),
    ]

    async def script(ws: ServerConnection, i: int) -> None:
        for frame in frames:
            await ws.send(frame)
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url)
    errors: list[InvalidMessage] = []
    raw: list[bytes] = []
    conn.on("error", errors.append)
    conn.on("raw_data", raw.append)
    events = await conn.events()
    assert [e.content for e in events] == ["still here"]
    assert [e.kind for e in errors] == [
        "invalid_json",
        "validation_error",
        "unknown_event",
        "validation_error",
    ]
    assert [e.raw for e in errors] == [frames[0], frames[1], frames[2], huge]
    assert raw == [frames[3]]


async def test_an_exception_from_a_raw_data_handler_is_the_handlers_own(
    server: WsServer, transport: str
) -> None:
    """It propagates as it was raised, with no exception of the runtime's as its context."""

    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(b"\x00binary")
        await asyncio.sleep(1)

    server.script = script
    conn = await open_driver(transport, server.url)

    def fails(frame: bytes) -> None:
        raise LookupError("the handler's own")

    conn.on("raw_data", fails)
    with pytest.raises(LookupError) as info:
        await conn.recv()
    assert info.value.__context__ is None
    await conn.close()


async def test_frame_over_max_size_closes_with_1009(server: WsServer, transport: str) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("x" * 2000))
        await asyncio.sleep(1)

    server.script = script
    conn = await open_driver(transport, server.url, websocket_options={"max_size": 1024})
    with pytest.raises(ConnectionLost) as info:
        await conn.recv()
    assert info.value.code == 1009


async def test_handler_exception_goes_to_error_handlers(server: WsServer, transport: str) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("boom"))
        await ws.send(message("fine"))
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url)
    seen: list[str] = []
    errors: list[Any] = []

    def handler(event: MessageReceived) -> None:
        if event.content == "boom":
            raise RuntimeError("handler failed")
        seen.append(event.content)

    conn.on("message_received", handler)
    conn.on("error", errors.append)
    await conn.dispatch_events()
    assert seen == ["fine"]
    (err,) = errors
    assert err.kind == "handler_error" and str(err.error) == "handler failed"
    assert err.event.content == "boom"


async def test_handler_exception_without_error_handler_propagates(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("boom"))
        await asyncio.sleep(1)

    server.script = script
    conn = await open_driver(transport, server.url)

    def handler(event: MessageReceived) -> None:
        raise RuntimeError("not swallowed")

    conn.on("message_received", handler)
    with pytest.raises(RuntimeError, match="not swallowed"):
        await conn.dispatch_events()
    await conn.close()


async def test_refused_handshake_is_a_connect_error(server: WsServer, transport: str) -> None:
    server.refuse_next = 1
    with pytest.raises(WebSocketConnectError, match="could not connect to ws://127.0.0.1"):
        await open_driver(transport, server.url)


DRIFT = [
    '{"type":"who_knows","channel":"g","n":1}',  # an event the spec does not list
    '{"type":"subscribed","channel":"g","status":"archived"}',  # a value it does not list
    '{"type":"subscribed"}',  # a known event without its required field: an error still
    '["type","who_knows"]',  # JSON, not an object: an error
    "not json {",
    '{"channel":"g"}',  # no tag at all: an error
]


async def test_unknown_events_are_delivered_when_asked_and_errors_stay_errors(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        for frame in [*DRIFT, message("still here")]:
            await ws.send(frame)
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url, unknown_events="deliver")
    errors: list[InvalidMessage] = []
    conn.on("error", errors.append)
    events = await conn.events()
    unknown = [e for e in events if isinstance(e, UnknownEvent)]
    assert [(e.reason, e.tag, e.raw) for e in unknown] == [
        ("unknown_event", "who_knows", DRIFT[0]),
        ("unknown_value", "subscribed", DRIFT[1]),
    ]
    assert unknown[0].data == {"type": "who_knows", "channel": "g", "n": 1}
    assert [type(e) for e in events] == [UnknownEvent, UnknownEvent, MessageReceived]
    assert [(e.kind, e.raw) for e in errors] == [
        ("validation_error", DRIFT[2]),
        ("validation_error", DRIFT[3]),
        ("invalid_json", DRIFT[4]),
        ("validation_error", DRIFT[5]),
    ]


async def test_by_default_unknown_events_go_to_the_error_hook(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        for frame in [*DRIFT[:2], message("still here")]:
            await ws.send(frame)
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url)
    errors: list[InvalidMessage] = []
    conn.on("error", errors.append)
    unknown: list[UnknownEvent] = []
    conn.on("unknown", unknown.append)  # registered, never called without "deliver"
    assert [e.content for e in await conn.events()] == ["still here"]
    assert [(e.kind, e.raw) for e in errors] == [
        ("unknown_event", DRIFT[0]),
        ("validation_error", DRIFT[1]),
    ]
    assert unknown == []


async def test_dispatch_sends_unknown_events_to_their_handlers(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        for frame in [DRIFT[0], message("a"), DRIFT[1]]:
            await ws.send(frame)
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url, unknown_events="deliver")
    got: list[tuple[str, object]] = []
    conn.on("unknown", lambda e: got.append(("unknown", e.tag)))
    conn.on("message_received", lambda e: got.append(("msg", e.content)))
    await conn.dispatch_events()
    assert got == [("unknown", "who_knows"), ("msg", "a"), ("unknown", "subscribed")]


async def test_a_server_that_drops_the_handshake_is_a_connect_error(transport: str) -> None:
    """TCP accepted, then closed before any HTTP response (picows asserts on it)."""

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    tcp = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = tcp.sockets[0].getsockname()[1]
    try:
        with pytest.raises(WebSocketConnectError):
            await open_driver(transport, f"ws://127.0.0.1:{port}")
    finally:
        tcp.close()
        await tcp.wait_closed()
