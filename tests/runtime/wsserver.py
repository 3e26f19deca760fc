"""A scriptable websockets server on 127.0.0.1 for the runtime's tests.

It runs its own event loop in a thread, so both blocking and asyncio clients
can talk to it. A test sets ``script`` (a coroutine function run for each
connection), may refuse the next N handshakes, and reads back every handshake
(path and headers) and every frame the server received.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

Script = Callable[[ServerConnection, int], Awaitable[None]]


@dataclass
class Handshake:
    path: str
    headers: dict[str, str]
    refused: bool


async def echo_until_closed(ws: ServerConnection, index: int) -> None:
    async for frame in ws:
        await ws.send(frame)


class WsServer:
    def __init__(self) -> None:
        self.script: Script = echo_until_closed
        self.refuse_next = 0
        self.handshakes: list[Handshake] = []
        self.received: list[str | bytes] = []
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._started: list[Server] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        self._server = self._started[0]
        self.port: int = self._server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}"
        self.http_url = f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            server = await serve(
                self._handle,
                "127.0.0.1",
                0,
                process_request=self._process_request,
                max_size=None,
                subprotocols=None,
                select_subprotocol=self._select_subprotocol,
            )
            self._started.append(server)
            self._ready.set()

        self._loop.run_until_complete(start())
        self._loop.run_forever()

    def _select_subprotocol(self, connection: ServerConnection, offered: Any) -> Any:
        return offered[0] if offered else None

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        refused = self.refuse_next > 0
        self.handshakes.append(Handshake(request.path, dict(request.headers.raw_items()), refused))
        if refused:
            self.refuse_next -= 1
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "busy\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        index = self.connections
        self.connections += 1
        await self.script(ws, index)

    def accepted(self) -> list[Handshake]:
        return [h for h in self.handshakes if not h.refused]

    def close(self) -> None:
        async def stop() -> None:
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


async def record(ws: ServerConnection, server: WsServer) -> None:
    """Read frames into ``server.received`` until the client closes."""
    async for frame in ws:
        server.received.append(frame)


async def close_without_status(ws: ServerConnection) -> None:
    """Send a close frame with no payload (the client sees 1005), then drop TCP."""
    ws.transport.write(b"\x88\x00")
    await asyncio.sleep(0.05)
    ws.transport.abort()


async def drop_tcp(ws: ServerConnection) -> None:
    """End the TCP connection with no close frame (the client sees 1006)."""
    ws.transport.abort()


async def close_with(ws: ServerConnection, code: int) -> None:
    if code == 1005:
        await close_without_status(ws)
    elif code == 1006:
        await drop_tcp(ws)
    else:
        await ws.close(code, f"closing with {code}")


@pytest.fixture
def server() -> Iterator[WsServer]:
    """A fresh server for one test (import this fixture into a conftest)."""
    srv = WsServer()
    try:
        yield srv
    finally:
        srv.close()
