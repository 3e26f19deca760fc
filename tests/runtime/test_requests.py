"""``request()``: a request and its reply against a real server that answers out of
order, late, twice, not at all before a drop, and to a reader in another task; on
each transport."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from runtime.drivers import TRANSPORTS, open_driver
from runtime.events import MessageReceived, Subscribe, Subscribed, message
from runtime.wsserver import WsServer
from sockgen_runtime import (
    ConnectionEndedOK,
    ConnectionLost,
    ReconnectGaveUpError,
    ReplyError,
    ReplyTo,
    RequestTimeout,
)
from sockgen_runtime._requests import Requests, attribute
from websockets.asyncio.server import ServerConnection

#: ``subscribe`` is answered by ``subscribed``, matched by the channel it names.
BY_CHANNEL = ReplyTo((Subscribed,), {Subscribed: "channel"})
#: The same, paired in order (a spec with no correlationId).
IN_ORDER = ReplyTo((Subscribed,))
ON_EACH_TRANSPORT = pytest.mark.parametrize("transport", TRANSPORTS)


def subscribed(channel: str) -> str:
    return json.dumps({"type": "subscribed", "channel": channel})


def answering(*frames: str | None, wait: float = 0.0, then_close: int | None = 1000) -> Any:
    """A server script: read one request, (after ``wait`` s) send ``frames`` (None: read
    another request first), then close with ``then_close`` (None: drop TCP)."""

    async def script(ws: ServerConnection, index: int) -> None:
        await ws.recv()
        await asyncio.sleep(wait)
        for frame in frames:
            if frame is None:
                await ws.recv()
            else:
                await ws.send(frame)
        await asyncio.sleep(0.1)
        if then_close is None:
            ws.transport.abort()
        else:
            await ws.close(then_close)

    return script


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_the_reply_with_the_requests_id_answers_it(server: WsServer, transport: str) -> None:
    server.script = answering(message("before"), subscribed("other"), subscribed("mine"))
    conn = await open_driver(transport, server.url)
    reply = await conn.call("request", Subscribe(channel="mine"), BY_CHANNEL, "mine")
    assert reply == Subscribed(channel="mine")
    # what arrived meanwhile, the reply too, is still delivered, in order
    events = await conn.events()
    assert [getattr(e, "content", getattr(e, "channel", None)) for e in events] == [
        "before",
        "other",
        "mine",
    ]


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_reply_kept_by_its_request(server: WsServer, transport: str) -> None:
    server.script = answering(subscribed("mine"), message("after"))
    conn = await open_driver(transport, server.url)
    reply = await conn.call(
        "request", Subscribe(channel="mine"), BY_CHANNEL, "mine", deliver_reply=False
    )
    assert reply == Subscribed(channel="mine")
    assert [type(e).__name__ for e in await conn.events()] == ["MessageReceived"]


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_in_order_the_next_reply_answers_and_a_second_is_an_event(
    server: WsServer, transport: str
) -> None:
    server.script = answering(subscribed("first"), subscribed("again"))
    conn = await open_driver(transport, server.url)
    assert await conn.call("request", Subscribe(channel="x"), IN_ORDER) == Subscribed(
        channel="first"
    )
    assert [e.channel for e in await conn.events()] == ["first", "again"]


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_late_reply_times_out_then_arrives_as_an_event(
    server: WsServer, transport: str
) -> None:
    server.script = answering(subscribed("mine"), wait=0.5)
    conn = await open_driver(transport, server.url)
    with pytest.raises(RequestTimeout, match="no reply to Subscribe"):
        await conn.call("request", Subscribe(channel="mine"), BY_CHANNEL, "mine", timeout=0.1)
    assert [e.channel for e in await conn.events()] == ["mine"]


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_drop_before_the_reply_raises(server: WsServer, transport: str) -> None:
    server.script = answering(message("no reply"), then_close=None)
    conn = await open_driver(transport, server.url)
    with pytest.raises(ConnectionLost):
        await conn.call("request", Subscribe(channel="mine"), BY_CHANNEL, "mine")
    server.script = answering(then_close=1000)
    conn = await open_driver(transport, server.url)
    with pytest.raises(ConnectionEndedOK):
        await conn.call("request", Subscribe(channel="mine"), BY_CHANNEL, "mine")


@pytest.mark.parametrize("transport", ["async", "picows"])
@pytest.mark.asyncio
async def test_out_of_order_replies_to_concurrent_requests(
    server: WsServer, transport: str
) -> None:
    # two requests in flight; the server answers the second first
    server.script = answering(None, subscribed("b"), subscribed("a"))
    conn = await open_driver(transport, server.url)
    a, b = await asyncio.gather(
        conn.call("request", Subscribe(channel="a"), BY_CHANNEL, "a"),
        conn.call("request", Subscribe(channel="b"), BY_CHANNEL, "b"),
    )
    assert (a.channel, b.channel) == ("a", "b")
    assert [e.channel for e in await conn.events()] == ["b", "a"]  # (in arrival order)


@pytest.mark.parametrize("transport", ["async", "picows"])
@pytest.mark.asyncio
async def test_a_reader_in_another_task_answers_the_request(
    server: WsServer, transport: str
) -> None:
    server.script = answering(message("one"), subscribed("mine"), wait=0.1)
    conn = await open_driver(transport, server.url)
    reader = asyncio.create_task(conn.events())
    await asyncio.sleep(0.05)  # the reader is on the socket first
    reply = await conn.call("request", Subscribe(channel="mine"), BY_CHANNEL, "mine")
    assert reply == Subscribed(channel="mine")
    assert [type(e).__name__ for e in await reader] == ["MessageReceived", "Subscribed"]


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_an_error_reply_raises_with_the_reply(server: WsServer, transport: str) -> None:
    """A reply the spec marks as a failure (here ``message_received``, for the test's sake)
    raises :class:`ReplyError` carrying it; it is still an event."""
    failing = ReplyTo(
        (Subscribed,), {Subscribed: "channel", MessageReceived: "channel"}, (MessageReceived,)
    )
    server.script = answering(message("denied", channel="other"), message("denied"))
    conn = await open_driver(transport, server.url)
    with pytest.raises(ReplyError) as info:
        await conn.call("request", Subscribe(channel="general"), failing, "general")
    assert isinstance(info.value.reply, MessageReceived)
    assert info.value.reply.channel == "general"
    assert [e.channel for e in await conn.events()] == ["other", "general"]


class _Inner:
    def __init__(self, operation_id: object) -> None:
        self.operation_id = operation_id


class _Outer:
    def __init__(self, operation_id: object, data: bool = True) -> None:
        self.data = _Inner(operation_id) if data else None


def test_a_nested_id_is_read_from_the_request_and_matched_in_the_reply() -> None:
    """No socket: ``request_attr`` gives the id when none is passed; dotted ``id_attr``
    paths match, and a reply without the path (or with None on the way) matches none."""
    reply_to: ReplyTo[_Outer] = ReplyTo(
        (_Outer,), {_Outer: "data.operation_id"}, request_attr="data.operation_id"
    )
    requests = Requests()
    pending = requests.add(reply_to, None, True, _Outer("op-1"))
    assert pending.request_id == "op-1"
    assert not pending.matches(_Outer("op-2")) and not pending.matches(_Outer("", data=False))
    assert requests.answer(_Outer("op-1")) and pending.result().data.operation_id == "op-1"
    with pytest.raises(ValueError, match="carries no id at data.operation_id"):
        requests.add(reply_to, None, True, _Outer("x", data=False))
    assert attribute(_Outer("z"), "data.operation_id") == "z"


FAST = {"initial_delay": 0.02, "max_delay": 0.05}


def _go_on(event: Any) -> None:
    """An ``on_reconnecting`` hook (its presence turns reconnection on) that lets it go on."""


def _drops_then_answers(seen: list[Any]) -> Any:
    """A server script: the first connection reads the request (into ``seen``) and closes
    with 1012 (a restart: retryable); the next reads it again (replayed) and answers it."""

    async def script(ws: ServerConnection, index: int) -> None:
        seen.append(json.loads(await ws.recv()))
        if index == 0:
            await ws.close(1012)
            return
        await ws.send(subscribed("mine"))
        await asyncio.sleep(1)

    return script


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_request_marked_for_replay_is_sent_again_and_answered(
    server: WsServer, transport: str
) -> None:
    seen: list[Any] = []
    server.script = _drops_then_answers(seen)
    conn = await open_driver(transport, server.url, on_reconnecting=_go_on, **FAST)
    reply = await conn.call(
        "request", Subscribe(channel="mine"), BY_CHANNEL, "mine", replay_on_reconnect=True
    )
    assert reply.channel == "mine"
    assert [frame["channel"] for frame in seen] == ["mine", "mine"]  # sent, then replayed
    await conn.close()


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_request_not_marked_fails_though_the_connection_comes_back(
    server: WsServer, transport: str
) -> None:
    seen: list[Any] = []
    server.script = _drops_then_answers(seen)
    conn = await open_driver(transport, server.url, on_reconnecting=_go_on, **FAST)
    with pytest.raises(ConnectionLost) as info:
        await conn.call("request", Subscribe(channel="mine"), BY_CHANNEL, "mine")
    assert info.value.code == 1012
    await conn.send(Subscribe(channel="again"))  # the connection itself came back
    await asyncio.sleep(0.3)
    assert [frame["channel"] for frame in seen] == ["mine", "again"]  # not resent
    await conn.close()


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_replayed_request_fails_when_reconnecting_gives_up(
    server: WsServer, transport: str
) -> None:
    seen: list[Any] = []
    drop = _drops_then_answers(seen)

    async def script(ws: ServerConnection, index: int) -> None:
        server.refuse_next = 1000  # no connection comes back
        await drop(ws, 0)

    server.script = script
    conn = await open_driver(transport, server.url, on_reconnecting=_go_on, max_retries=2, **FAST)
    with pytest.raises(ReconnectGaveUpError):
        await conn.call(
            "request", Subscribe(channel="mine"), BY_CHANNEL, "mine", replay_on_reconnect=True
        )
