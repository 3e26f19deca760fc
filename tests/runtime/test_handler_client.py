"""The Chanx-style handler class against a real server."""

from __future__ import annotations

import asyncio
from typing import Any, Union

import pytest
from runtime.events import CHANNEL, MessageReceived, SendMessage, Subscribe, Subscribed, message
from runtime.wsserver import WsServer
from sockgen_runtime import (
    AsyncHandlerClient,
    InvalidMessage,
    NotConnectedError,
    Transport,
    UnknownEvent,
)
from websockets.asyncio.server import ServerConnection

pytestmark = pytest.mark.asyncio

Outgoing = Union[Subscribe, SendMessage]
Incoming = Union[MessageReceived, Subscribed]


class RoomsClient(AsyncHandlerClient[Outgoing, Incoming]):
    channel = CHANNEL


class Recording(RoomsClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[str, Any]] = []

    async def before_handle(self) -> None:
        self.calls.append(("before_handle", None))

    async def send_init_message(self) -> None:
        self.calls.append(("send_init_message", None))
        await self.send_message(Subscribe(channel="lobby"))

    async def handle_message(self, message: Incoming) -> None:
        if isinstance(message, MessageReceived) and message.content == "raise":
            raise ValueError("bad handler")
        self.calls.append(("handle_message", message))

    async def handle_error(self, error: Exception) -> None:
        self.calls.append(("handle_error", error))

    async def handle_invalid_message(self, invalid_message: InvalidMessage) -> None:
        self.calls.append(("handle_invalid_message", invalid_message.kind))

    async def handle_raw_data(self, message: bytes) -> None:
        self.calls.append(("handle_raw_data", message))

    async def handle_websocket_connection_error(self, error: Exception) -> None:
        self.calls.append(("handle_websocket_connection_error", type(error).__name__))

    async def after_handle(self) -> None:
        self.calls.append(("after_handle", None))


def host(server: WsServer) -> str:
    return f"127.0.0.1:{server.port}"


@pytest.mark.parametrize("transport", ["websockets", "picows"])
async def test_every_hook_in_order(server: WsServer, transport: Transport) -> None:
    received: list[str | bytes] = []

    async def script(ws: ServerConnection, i: int) -> None:
        received.append(await ws.recv())
        for frame in (
            message("a"),
            "{oops",
            message("raise"),
            b"\x01",
            '{"type":"subscribed","channel":"x"}',
        ):
            await ws.send(frame)
        await ws.close()

    server.script = script
    client = Recording(
        host(server),
        protocol="ws",
        headers={"X-Token": "t"},
        path_params={"room_id": "r 1"},
        transport=transport,
    )
    await client.handle()
    names = [name for name, _ in client.calls]
    assert names == [
        "before_handle",
        "send_init_message",
        "handle_message",
        "handle_invalid_message",
        "handle_error",
        "handle_raw_data",
        "handle_message",
        "after_handle",
    ]
    assert isinstance(client.calls[4][1], ValueError)
    assert received == ['{"type":"subscribe","channel":"lobby"}']
    assert server.handshakes[0].path == "/rooms/r%201"
    assert server.handshakes[0].headers["X-Token"] == "t"


async def test_connection_error_still_runs_after_handle(server: WsServer) -> None:
    server.refuse_next = 1
    client = Recording(host(server), path_params={"room_id": "x"})
    await client.handle()
    assert [n for n, _ in client.calls] == [
        "before_handle",
        "handle_websocket_connection_error",
        "after_handle",
    ]
    assert client.calls[1][1] == "WebSocketConnectError"


async def test_after_handle_runs_when_a_hook_raises(server: WsServer) -> None:
    class Failing(Recording):
        async def send_init_message(self) -> None:
            raise RuntimeError("init failed")

    client = Failing(host(server), path_params={"room_id": "x"})
    with pytest.raises(RuntimeError, match="init failed"):
        await client.handle()
    assert client.calls[-1] == ("after_handle", None)


async def test_default_handle_error_logs_the_traceback(
    server: WsServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("x"))
        await ws.close()

    class Raising(RoomsClient):
        async def handle_message(self, message: Incoming) -> None:
            raise KeyError("lost?")

    server.script = script
    await Raising(host(server), path_params={"room_id": "x"}).handle()
    (record,) = (r for r in caplog.records if r.levelname == "ERROR")
    assert record.exc_info is not None and "lost?" in str(record.exc_info[1])


async def test_a_slow_handler_loses_no_frames(server: WsServer) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        for n in range(300):
            await ws.send(message(str(n)))
        await ws.close()

    class Slow(RoomsClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.seen: list[str] = []

        async def handle_message(self, message: Incoming) -> None:
            await asyncio.sleep(0.002)
            assert isinstance(message, MessageReceived)
            self.seen.append(message.content)

    server.script = script
    client = Slow(host(server), path_params={"room_id": "x"}, websocket_options={"max_queue": 4})
    await client.handle()
    assert client.seen == [str(n) for n in range(300)]


async def test_disconnect_from_a_handler_ends_handle(server: WsServer) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("stop"))
        await asyncio.sleep(5)

    class Stopping(RoomsClient):
        async def handle_message(self, message: Incoming) -> None:
            await self.disconnect(1000, "done")

    server.script = script
    await asyncio.wait_for(Stopping(host(server), path_params={"room_id": "x"}).handle(), 3)


async def test_send_before_handle_is_a_clear_error() -> None:
    with pytest.raises(NotConnectedError, match="needs a connection"):
        await RoomsClient("localhost:1", path_params={"room_id": "x"}).send_message(
            Subscribe(channel="x")
        )


class Lenient(Recording):
    unknown_events = "deliver"

    async def handle_unknown_event(self, event: UnknownEvent) -> None:
        self.calls.append(("handle_unknown_event", (event.reason, event.tag)))


@pytest.mark.parametrize("cls", [Recording, Lenient])
async def test_unknown_events_go_to_their_hook_when_the_class_asks(
    server: WsServer, cls: type[Recording]
) -> None:
    async def script(ws: ServerConnection, i: int) -> None:
        await ws.recv()
        await ws.send('{"type":"who_knows"}')
        await ws.send(message("a"))
        await ws.close()

    server.script = script
    client = cls(host(server), path_params={"room_id": "r"})
    await client.handle()
    hooks = [call for call in client.calls if call[0].startswith("handle_")]
    first = (
        ("handle_unknown_event", ("unknown_event", "who_knows"))
        if cls is Lenient
        else ("handle_invalid_message", "unknown_event")
    )
    assert hooks[0] == first
    assert hooks[1][0] == "handle_message" and hooks[1][1].content == "a"
