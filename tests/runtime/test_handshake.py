"""The handshake on each transport: credentials where the scheme says, none of them in
the WebSocket library's log, and ``wss://`` certificates verified unless the user gives
their own TLS context."""

from __future__ import annotations

import asyncio
import logging
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from runtime.drivers import TRANSPORTS, open_driver
from runtime.wsserver import WsServer
from sockgen_runtime import Scheme, Security, WebSocketConnectError
from websockets.asyncio.server import ServerConnection, serve

SECURITY = Security(
    schemes=(
        Scheme("bearer", "bearer", "Authorization", ("api_key",)),
        Scheme("query", "query", "token", ("query_key",)),
    ),
    env={"api_key": "ROOMS_API_KEY", "query_key": "ROOMS_QUERY_KEY"},
)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.asyncio
async def test_credentials_are_sent_and_never_logged(
    server: WsServer, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    credentials = {"api_key": "b3arer-t0ken", "query_key": "qu3ry k3y"}
    conn = await open_driver(transport, server.url, security=SECURITY, credentials=credentials)
    await conn.close()
    seen = server.accepted()[-1]
    assert seen.headers["Authorization"] == "Bearer b3arer-t0ken"
    assert "token=qu3ry+k3y" in seen.path or "token=qu3ry%20k3y" in seen.path
    assert "***" in conn.conn.url and "qu3ry" not in conn.conn.url
    client_logs = [
        r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")
    ]
    if transport != "picows":  # (picows logs no handshake)
        assert any("Authorization: ***" in line for line in client_logs), client_logs
    assert not [line for line in client_logs if "t0ken" in line or "k3y" in line]


# --- TLS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[str]:
    """A wss:// server on 127.0.0.1 whose certificate a throwaway CA signed."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    loop = asyncio.new_event_loop()
    started: list[Any] = []
    ready = threading.Event()

    async def echo(ws: ServerConnection) -> None:
        async for frame in ws:
            await ws.send(frame)

    async def start() -> None:
        started.append(await serve(echo, "127.0.0.1", 0, ssl=context))
        ready.set()

    thread = threading.Thread(
        target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True
    )
    thread.start()
    ready.wait(10)
    port = started[0].sockets[0].getsockname()[1]
    try:
        yield f"wss://127.0.0.1:{port}"
    finally:

        async def stop() -> None:
            started[0].close()
            await started[0].wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.asyncio
async def test_an_unknown_certificate_is_refused_by_default(
    tls_server: str, transport: str
) -> None:
    with pytest.raises(WebSocketConnectError) as info:
        await open_driver(transport, tls_server, websocket_options={"open_timeout": 5})
    assert "certificate" in str(info.value).lower() or "ssl" in str(info.value).lower()


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.asyncio
async def test_it_is_accepted_with_its_ca_given(
    tls_server: str, transport: str, ca: trustme.CA
) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    conn = await open_driver(transport, tls_server, websocket_options={"ssl": context})
    await conn.send_raw('{"type":"subscribed","channel":"tls"}')
    assert (await conn.recv()).channel == "tls"
    await conn.close()
