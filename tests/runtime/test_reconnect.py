"""Reconnection against a server that drops, closes with each code, and refuses handshakes."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from runtime.drivers import TRANSPORTS, Driver, open_driver
from runtime.events import message
from runtime.wsserver import WsServer, close_with, drop_tcp, record
from sockgen_runtime import (
    ConnectionEndedOK,
    ConnectionLost,
    ReconnectedEvent,
    ReconnectGaveUpError,
    ReconnectingEvent,
    ReconnectOverrides,
    SendQueueFullError,
)
from sockgen_runtime.reconnect import ReconnectPolicy
from websockets.asyncio.server import ServerConnection

pytestmark = [pytest.mark.asyncio, pytest.mark.parametrize("transport", TRANSPORTS)]

FAST = {"initial_delay": 0.02, "max_delay": 0.08}


class Recorder:
    """An ``on_reconnecting`` handler that records events and can answer with overrides."""

    def __init__(self, answer: ReconnectOverrides | None = None) -> None:
        self.events: list[ReconnectingEvent] = []
        self.answer = answer
        self.called = threading.Event()

    def __call__(self, event: ReconnectingEvent) -> ReconnectOverrides | None:
        self.events.append(event)
        self.called.set()
        return self.answer

    async def wait(self) -> None:
        assert await asyncio.to_thread(self.called.wait, 10)


async def connect(transport: str, server: WsServer, rec: Recorder | None, **kwargs: Any) -> Driver:
    return await open_driver(transport, server.url, on_reconnecting=rec, **{**FAST, **kwargs})


@pytest.mark.parametrize("code", [1001, 1005, 1006, 1011, 1012, 1013])
async def test_reconnects_after_each_retryable_code(
    server: WsServer, transport: str, code: int
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message(f"conn{i}"))
        await (close_with(ws, code) if i == 0 else ws.close(1000))

    server.script = script
    rec = Recorder()
    conn = await connect(transport, server, rec)
    events = await conn.events()
    assert [e.content for e in events] == ["conn0", "conn1"]
    assert [(e.attempt, e.max_attempts, e.close_code) for e in rec.events] == [(1, 5, code)]
    assert server.connections == 2


async def test_1015_is_retried_by_policy(transport: str) -> None:
    # 1015 (TLS handshake failure) may never be sent in a close frame (RFC 6455, 7.4.1),
    # so no server can produce it on the wire; the decision is the policy's.
    assert ReconnectPolicy().should_reconnect(1015)


@pytest.mark.parametrize("code", [1000, 1008])
async def test_no_reconnect_after_1000_or_1008(server: WsServer, transport: str, code: int) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("only"))
        await ws.close(code)

    server.script = script
    rec = Recorder()
    conn = await connect(transport, server, rec)
    if code == 1000:
        assert [e.content for e in await conn.events()] == ["only"]
    else:
        with pytest.raises(ConnectionLost) as info:
            await conn.events()
        assert info.value.code == 1008
    assert rec.events == [] and server.connections == 1


async def test_no_reconnect_without_on_reconnecting(server: WsServer, transport: str) -> None:
    server.script = lambda ws, i: drop_tcp(ws)
    conn = await connect(transport, server, None)
    with pytest.raises(ConnectionLost) as info:
        await conn.recv()
    assert info.value.code == 1006 and server.connections == 1


async def test_refused_attempts_back_off_within_bounds_and_apply_overrides(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message(f"conn{i}"))
        if i == 0:
            server.refuse_next = 3
            await drop_tcp(ws)
        else:
            await ws.close(1000)

    server.script = script
    rec = Recorder({"extra_query": {"token": "fresh"}, "extra_headers": {"X-Resume": "r1"}})
    conn = await connect(transport, server, rec, query={"token": "stale"}, max_retries=6)
    assert [e.content for e in await conn.events()] == ["conn0", "conn1"]
    assert [e.attempt for e in rec.events] == [1, 2, 3, 4]
    assert [e.close_code for e in rec.events] == [1006, 1006, 1006, 1006]
    for e in rec.events:
        nominal = min(0.08, 0.02 * 2 ** (e.attempt - 1))
        assert max(0.02, 0.75 * nominal) <= e.delay <= nominal
    first, *retries = server.handshakes
    assert first.path == "/rooms/lobby?token=stale" and "X-Resume" not in first.headers
    assert [h.refused for h in retries] == [True, True, True, False]
    assert all(
        h.path == "/rooms/lobby?token=fresh" and h.headers["X-Resume"] == "r1" for h in retries
    )


async def test_sends_while_reconnecting_arrive_once_in_order(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        if i == 0:
            server.refuse_next = 2
            await ws.send(message("before"))
            await drop_tcp(ws)
            return
        await record(ws, server)

    server.script = script
    rec = Recorder()
    conn = await connect(transport, server, rec)
    assert (await conn.recv()).content == "before"
    receiving = asyncio.create_task(conn.recv())  # notices the drop and reconnects
    await rec.wait()
    for n in range(20):
        await conn.send({"type": "subscribe", "channel": f"c{n}"})
    for _ in range(200):
        if len(server.received) == 20:
            break
        await asyncio.sleep(0.02)
    assert server.received == [f'{{"type":"subscribe","channel":"c{n}"}}' for n in range(20)]
    await conn.close()
    with pytest.raises(ConnectionEndedOK):
        await receiving


async def test_a_send_that_finds_the_socket_closed_reconnects(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await (drop_tcp(ws) if i == 0 else record(ws, server))

    server.script = script
    rec = Recorder()
    conn = await connect(transport, server, rec)
    for _ in range(500):  # until the client has seen the TCP connection end
        if conn.conn.socket.state.name == "CLOSED":
            break
        await asyncio.sleep(0.01)
    assert conn.conn.socket.state.name == "CLOSED"
    for n in range(3):
        await conn.send_raw(f"m{n}")
    for _ in range(100):
        if len(server.received) == 3:
            break
        await asyncio.sleep(0.02)
    assert server.received == ["m0", "m1", "m2"]
    assert len(rec.events) == 1
    await conn.close()


async def test_queue_bound_and_giving_up_returns_the_unsent(
    server: WsServer, transport: str
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        server.refuse_next = 1000
        await drop_tcp(ws)

    server.script = script
    rec = Recorder()
    conn = await connect(
        transport, server, rec, max_retries=3, initial_delay=0.5, max_delay=0.5, max_queue_size=20
    )
    receiving = asyncio.create_task(conn.recv())
    await rec.wait()
    await conn.send_raw("0123456789")
    await conn.send_raw("abcdefghij")
    with pytest.raises(SendQueueFullError, match="a 1-byte message does not fit .20 of 20 bytes"):
        await conn.send_raw("!")
    with pytest.raises(ReconnectGaveUpError) as info:
        await receiving
    gave_up = info.value
    assert gave_up.attempts == 3 and not gave_up.aborted
    assert gave_up.unsent == ("0123456789", "abcdefghij")
    assert "gave up after 3 attempts" in str(gave_up)
    assert [h.refused for h in server.handshakes] == [False, True, True, True]
    with pytest.raises(ReconnectGaveUpError):
        await conn.send_raw("later")


async def test_on_reconnecting_can_abort(server: WsServer, transport: str) -> None:
    server.script = lambda ws, i: drop_tcp(ws)
    rec = Recorder({"abort": True})
    conn = await connect(transport, server, rec)
    with pytest.raises(ReconnectGaveUpError) as info:
        await conn.recv()
    assert info.value.aborted and info.value.attempts == 0
    assert "aborted by on_reconnecting" in str(info.value)
    assert server.connections == 1 and len(rec.events) == 1


@pytest.mark.parametrize("cleared", [False, True])
async def test_replayed_sends_come_first_on_every_new_connection(
    server: WsServer, transport: str, cleared: bool
) -> None:
    """Subscriptions sent with ``replay_on_reconnect`` reach every new socket, in order,
    before anything else; ``on_reconnected`` says so; ``clear_replay`` stops it."""
    got: dict[int, list[str | bytes]] = {}
    replays = 0 if cleared else 2

    async def script(ws: ServerConnection, i: int) -> None:
        frames = got.setdefault(i, [])
        for _ in range(3 if i == 0 else replays):
            frames.append(await ws.recv())
        if i < 2:
            await drop_tcp(ws)
        else:
            await ws.send(message("done"))
            await ws.close()

    server.script = script
    rec = Recorder()
    reconnected: list[ReconnectedEvent] = []
    conn = await connect(transport, server, rec, on_reconnected=reconnected.append)
    await conn.send({"type": "subscribe", "channel": "a"}, replay_on_reconnect=True)
    await conn.send({"type": "subscribe", "channel": "b"}, replay_on_reconnect=True)
    if cleared:
        conn.conn.clear_replay()
    assert len(conn.conn.replayed) == replays
    await conn.send_raw("once")
    events = await conn.events()
    assert [e.content for e in events] == ["done"]
    subs = ['{"type":"subscribe","channel":"a"}', '{"type":"subscribe","channel":"b"}']
    assert got == {0: [*subs, "once"], 1: subs[:replays], 2: subs[:replays]}
    assert [(e.attempts, e.close_code, e.replayed) for e in reconnected] == [(1, 1006, replays)] * 2


async def test_on_reconnected_may_send(server: WsServer, transport: str) -> None:
    """The hook runs once the recovery is over, so a send from it neither deadlocks nor
    waits: it reaches the new socket."""

    async def script(ws: ServerConnection, i: int) -> None:
        if i == 0:
            await drop_tcp(ws)
            return
        server.received.append(await ws.recv())
        await ws.send(message("done"))
        await ws.close()

    server.script = script
    rec = Recorder()
    holder: dict[str, Any] = {}

    def sync_hook(event: ReconnectedEvent) -> None:
        holder["conn"].conn.send({"type": "subscribe", "channel": "again"})

    async def async_hook(event: ReconnectedEvent) -> None:
        await holder["conn"].conn.send({"type": "subscribe", "channel": "again"})

    hook = sync_hook if transport == "sync" else async_hook
    holder["conn"] = conn = await connect(transport, server, rec, on_reconnected=hook)
    events = await asyncio.wait_for(conn.events(), 10)
    assert [e.content for e in events] == ["done"]
    assert server.received == ['{"type":"subscribe","channel":"again"}']
