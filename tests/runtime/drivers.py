"""One interface over the three transports, so each behaviour test runs against each.

The sync connection is driven from a worker thread (``asyncio.to_thread``),
which is how the blocking client is used next to other work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from runtime.events import connect_async, connect_sync


class Driver:
    conn: Any

    async def open(self) -> Driver:
        raise NotImplementedError

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def events(self) -> list[Any]:
        raise NotImplementedError

    def on(self, name: str, handler: Callable[..., Any]) -> None:
        self.conn.on(name, handler)

    def once(self, name: str, handler: Callable[..., Any]) -> None:
        self.conn.once(name, handler)

    def off(self, name: str, handler: Callable[..., Any] | None = None) -> None:
        self.conn.off(name, handler)

    async def send(self, message: Any, *, replay_on_reconnect: bool = False) -> None:
        await self.call("send", message, replay_on_reconnect=replay_on_reconnect)

    async def send_raw(self, data: str | bytes) -> None:
        await self.call("send_raw", data)

    async def recv(self) -> Any:
        return await self.call("recv")

    async def recv_bytes(self) -> bytes:
        return await self.call("recv_bytes")  # type: ignore[no-any-return]

    async def dispatch_events(self) -> None:
        await self.call("dispatch_events")

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.call("close", code, reason)


class SyncDriver(Driver):
    def __init__(self, url: str, **kwargs: Any) -> None:
        self.manager = connect_sync(url, **kwargs)

    async def open(self) -> SyncDriver:
        self.conn = await asyncio.to_thread(self.manager.enter)
        return self

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(getattr(self.conn, method), *args, **kwargs)

    async def events(self) -> list[Any]:
        return await asyncio.to_thread(lambda: list(self.conn))


class AsyncDriver(Driver):
    def __init__(self, url: str, **kwargs: Any) -> None:
        self.manager = connect_async(url, **kwargs)

    async def open(self) -> AsyncDriver:
        self.conn = await self.manager.enter()
        return self

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await getattr(self.conn, method)(*args, **kwargs)

    async def events(self) -> list[Any]:
        return [event async for event in self.conn]


class PicowsDriver(AsyncDriver):
    """The asyncio connection on picows (``transport="picows"``)."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, transport="picows", **kwargs)


DRIVERS = {"sync": SyncDriver, "async": AsyncDriver, "picows": PicowsDriver}
TRANSPORTS = sorted(DRIVERS)
"""Every behaviour test runs on each: ``websockets``' sync and asyncio clients, and picows."""


async def open_driver(transport: str, url: str, **kwargs: Any) -> Driver:
    return await DRIVERS[transport](url, **kwargs).open()
