"""Frames the socket already read: the asyncio connection takes them from websockets'
buffer without ``recv()``. Every kind of frame keeps its meaning, order and errors on
each transport, and the fast path is really taken on websockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from runtime.drivers import TRANSPORTS, open_driver
from runtime.events import message
from runtime.wsserver import WsServer
from sockgen_runtime import ConnectionEndedOK, ConnectionLost, InvalidMessage
from sockgen_runtime._websockets import buffered
from websockets.asyncio.server import ServerConnection

pytestmark = pytest.mark.asyncio


async def _burst(ws: ServerConnection, n: int) -> None:
    """n events, a fragmented one, a binary frame, a bad one, then a normal close."""
    for k in range(n):
        await ws.send(message(f"m{k}"))
    whole = message("fragmented")
    await ws.send([whole[:10], whole[10:20], whole[20:]])  # three frames, one message
    await ws.send(b"\x00raw\xff")
    await ws.send("not json {")
    await ws.send(message("last"))
    await ws.close()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_buffered_frames_keep_order_kinds_and_errors(
    server: WsServer, transport: str
) -> None:
    n = 300
    server.script = lambda ws, i: _burst(ws, n)
    # a small queue: websockets pauses reading and resumes as the loop drains it
    conn = await open_driver(transport, server.url, websocket_options={"max_queue": 4})
    got: list[Any] = []
    conn.on("raw_data", lambda data: got.append(data))
    conn.on("error", lambda error: got.append(error))
    await asyncio.sleep(0.3)  # the server has written everything: frames wait buffered
    with pytest.raises(ConnectionEndedOK):
        while True:  # one by one: handlers and events land in got in the frames' order
            got.append((await conn.recv()).content)
    assert got[:n] == [f"m{k}" for k in range(n)]
    fragmented, raw, error, last = got[n:]
    assert (fragmented, last) == ("fragmented", "last")
    assert type(raw) is bytes and raw == b"\x00raw\xff"  # noqa: E721 - not a bytearray
    assert isinstance(error, InvalidMessage)
    assert (error.kind, error.raw) == ("invalid_json", "not json {")


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_text_frame_that_is_not_utf8_closes_with_1007(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("before"))
        await ws.send(b'{"type": "\xff"}', text=True)  # a text frame, not UTF-8
        await ws.send(message("after"))
        await asyncio.sleep(2)

    server.script = script
    conn = await open_driver(transport, server.url)
    await asyncio.sleep(0.3)  # all three frames buffered
    first = await conn.recv()
    assert first.content == "before"
    with pytest.raises(ConnectionLost) as info:
        await conn.recv()
    assert info.value.code == 1007


async def test_websockets_buffered_frames_are_taken_without_recv(server: WsServer) -> None:
    n = 200

    async def script(ws: ServerConnection, i: int) -> None:
        for k in range(n):
            await ws.send(message(f"m{k}"))
        await ws.close()

    server.script = script
    # no flow control: every frame the socket read waits in websockets' buffer
    conn = await open_driver("async", server.url, websocket_options={"max_queue": None})
    socket = conn.conn.socket
    calls = 0
    recv = socket.recv

    async def counting_recv(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return await recv(*args, **kwargs)

    socket.recv = counting_recv
    await asyncio.sleep(0.3)
    events = await conn.events()
    assert [e.content for e in events] == [f"m{k}" for k in range(n)]
    # recv() only to wait for the close: every event came from the buffer
    assert calls <= 2, f"recv() called {calls} times for {n} buffered frames"


def test_an_unknown_socket_has_no_buffer() -> None:
    class Other:
        recv_messages = object()

    assert buffered(object()) is None
    assert buffered(Other()) is None
