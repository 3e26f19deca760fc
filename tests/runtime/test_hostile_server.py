"""A hostile server (issue 10): floods of bad frames, frames at the size limit, a close
in the middle of a fragmented message. The connection survives each, in bounded memory."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections import Counter
from typing import Any

import pytest
from runtime.drivers import TRANSPORTS, open_driver
from runtime.events import message
from runtime.wsserver import WsServer
from sockgen_runtime import ConnectionLost, InvalidMessage
from websockets.asyncio.server import ServerConnection
from websockets.frames import Close, Frame, Opcode

pytestmark = [pytest.mark.asyncio, pytest.mark.parametrize("transport", TRANSPORTS)]

BAD: list[str | bytes] = [
    "not json {",
    '{"type":"who_knows"}',
    '{"type":"message_received"}',
    b"\x00\xff",
]


async def test_ten_thousand_bad_frames_in_a_row(server: WsServer, transport: str) -> None:
    n = 10_000

    async def script(ws: ServerConnection, i: int) -> None:
        for k in range(n):
            await ws.send(BAD[k % len(BAD)])
        await ws.send(message("still here"))
        await ws.close()

    server.script = script
    conn = await open_driver(transport, server.url)
    kinds: Counter[str] = Counter()
    raw = 0

    def on_error(error: InvalidMessage) -> None:
        kinds[error.kind] += 1

    def on_raw(data: bytes) -> None:
        nonlocal raw
        raw += 1

    conn.on("error", on_error)
    conn.on("raw_data", on_raw)
    tracemalloc.start()
    try:
        events = await conn.events()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [e.content for e in events] == ["still here"]
    assert kinds == {"invalid_json": n // 4, "unknown_event": n // 4, "validation_error": n // 4}
    assert raw == n // 4
    # nothing is kept per bad frame: well under 1 MiB is socket buffers (server included)
    print(f"peak {peak / (1 << 20):.2f} MiB while receiving {n} bad frames")
    assert peak < 4 << 20, f"peak {peak / (1 << 20):.1f} MiB while receiving"


async def test_frames_at_the_size_limit(server: WsServer, transport: str) -> None:
    limit = 4096
    exact = message("x" * (limit - len(message(""))))
    assert len(exact.encode()) == limit

    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(exact)
        await ws.send(exact + " ")  # one byte over: valid JSON, too large
        await asyncio.sleep(2)

    server.script = script
    conn = await open_driver(transport, server.url, websocket_options={"max_size": limit})
    first = await conn.recv()
    assert len(first.content) == limit - len(message(""))
    with pytest.raises(ConnectionLost) as info:
        await conn.recv()
    assert info.value.code == 1009


def _frame(opcode: Opcode, data: bytes, *, fin: bool) -> bytes:
    return Frame(opcode, data, fin=fin).serialize(mask=False)


async def _half_a_message(ws: ServerConnection) -> None:
    """A complete event, then the first two fragments of a second one."""
    await ws.send(message("whole"))
    part = message("never finished").encode()
    ws.transport.write(
        _frame(Opcode.TEXT, part[:10], fin=False) + _frame(Opcode.CONT, part[10:20], fin=False)
    )
    await asyncio.sleep(0.05)


async def test_a_close_frame_in_the_middle_of_a_fragmented_message(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await _half_a_message(ws)
        ws.transport.write(_frame(Opcode.CLOSE, Close(1000, "bye").serialize(), fin=True))
        await asyncio.sleep(0.5)
        ws.transport.abort()

    server.script = script
    conn = await open_driver(transport, server.url)
    errors: list[InvalidMessage] = []
    conn.on("error", errors.append)
    events = await conn.events()  # a normal close ends iteration
    assert [e.content for e in events] == ["whole"]
    assert errors == []  # the half message is dropped, not parsed


async def test_a_tcp_drop_in_the_middle_of_a_fragmented_message_reconnects(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        if i == 0:
            await _half_a_message(ws)
            ws.transport.abort()
        else:
            await ws.send(message("after the drop"))
            await ws.close()

    server.script = script
    reconnects: list[Any] = []
    conn = await open_driver(
        transport,
        server.url,
        on_reconnecting=reconnects.append,
        initial_delay=0.01,
        max_delay=0.05,
    )
    events = await conn.events()
    assert [e.content for e in events] == ["whole", "after the drop"]
    assert len(reconnects) == 1 and reconnects[0].close_code == 1006


async def test_an_endless_fragmented_message_is_cut_at_the_size_limit(
    server: WsServer, transport: str
) -> None:
    """Fragments past ``max_size`` close the connection (1009) instead of piling up."""
    chunk = b"x" * 1024

    async def script(ws: ServerConnection, i: int) -> None:
        ws.transport.write(
            _frame(Opcode.TEXT, b'{"type":"message_received","content":"', fin=False)
        )
        try:
            for _ in range(10_000):  # 10 MiB, far past the limit
                ws.transport.write(_frame(Opcode.CONT, chunk, fin=False))
                await asyncio.sleep(0)
        except Exception:  # the client closed: writes fail
            pass
        await asyncio.sleep(1)

    server.script = script
    conn = await open_driver(transport, server.url, websocket_options={"max_size": 64 * 1024})
    with pytest.raises(ConnectionLost) as info:
        await conn.recv()
    assert info.value.code == 1009
