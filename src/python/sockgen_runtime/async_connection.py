"""The asyncio transport: ``websockets.asyncio.client`` around :class:`ConnectionCore`."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from . import _websockets
from .connection_base import ConnectionBase
from .core import ConnectionCore, close_info, logger
from .errors import ConnectionClosed, ConnectionClosedOK, WebSocketConnectError
from .parsing import HandlerError, InvalidMessage

ClientT = TypeVar("ClientT")
ServerT = TypeVar("ServerT")
C = TypeVar("C", bound="AsyncConnection[Any, Any]")


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


async def open_socket(core: ConnectionCore[Any]) -> Any:
    """One handshake with the core's current URL and headers."""
    client = _websockets.asyncio_client()
    url = core.url()
    try:
        return await client.connect(url, **core.connect_kwargs())
    except (OSError, asyncio.TimeoutError, _websockets.exceptions().InvalidHandshake) as exc:
        raise WebSocketConnectError(url, exc) from exc


class AsyncConnection(ConnectionBase[ServerT], Generic[ClientT, ServerT]):
    """An open connection (async). Iterate it, or register handlers and ``dispatch_events``."""

    def __init__(self, core: ConnectionCore[ServerT], socket: Any) -> None:
        super().__init__(core, socket)
        self._lock = asyncio.Lock()
        self._last_close: ConnectionClosed = ConnectionClosedOK(None)

    # --- sending -------------------------------------------------------------

    async def send(self, message: ClientT) -> None:
        """Send a client event: a model (aliases, JSON mode, no unset fields) or a dict."""
        await self.send_raw(self._core.encode(message))

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame as it is: ``str`` as a text frame, ``bytes`` as a binary frame."""
        core = self._core
        if core.gave_up is not None:
            raise core.gave_up
        if core.reconnecting:
            core.queue.push(data)
            return
        ws = self._ws
        try:
            await ws.send(data)
        except self._closed_exc as exc:
            code, reason = close_info(exc)
            if not core.should_reconnect(code):
                raise core.closed(code, reason) from None
            core.queue.push(data)
            await self._recover(ws, code, reason)

    # --- receiving -----------------------------------------------------------

    async def _closed(self, ws: Any, exc: BaseException) -> None:
        """``ws`` closed: reconnect and return, or raise the close as this runtime's error."""
        code, reason = close_info(exc)
        if not self._core.should_reconnect(code):
            raise self._core.closed(code, reason) from None
        await self._recover(ws, code, reason)

    async def recv_frame(self) -> str | bytes:
        """The next frame as it came (text as ``str``, binary as ``bytes``), reconnecting as configured."""
        while True:
            ws = self._ws
            try:
                return await ws.recv()  # type: ignore[no-any-return]
            except self._closed_exc as exc:
                await self._closed(ws, exc)

    async def recv_bytes(self) -> bytes:
        """The next frame's payload as bytes, unparsed."""
        frame = await self.recv_frame()
        return frame.encode() if isinstance(frame, str) else frame

    async def recv(self) -> ServerT:
        """The next server event. Invalid frames go to ``on("error")``, binary ones to ``on("raw_data")``.

        Raises :class:`ConnectionClosedOK` after a normal close.
        """
        try:
            return await self.__anext__()
        except StopAsyncIteration:
            raise self._last_close from None

    def __aiter__(self) -> AsyncIterator[ServerT]:
        """Events until the connection closes normally; an abnormal close raises."""
        return self

    async def __anext__(self) -> ServerT:
        # The hot path: one coroutine per event around websockets' own recv().
        validate = self._validate
        while True:
            ws = self._ws
            try:
                frame = await ws.recv()
            except self._closed_exc as exc:
                try:
                    await self._closed(ws, exc)
                except ConnectionClosedOK as ok:
                    self._last_close = ok
                    raise StopAsyncIteration from None
                continue
            if type(frame) is str:  # noqa: E721 - exact type check, on the hot path
                try:
                    return validate(frame, by_name=False)
                except ValidationError as err:
                    await self._emit_error(self._core.invalid(frame, err))
            else:
                await self._emit_raw(frame)

    # --- push-style handlers: on/once/off come from HandlerMethods -----------

    async def dispatch_events(self) -> None:
        """Receive until the connection closes, calling each event's handlers in order.

        An exception in a handler goes to ``on("error")`` handlers when there are
        any; otherwise it propagates and ends this call.
        """
        names = self._core.names
        registry = self._core.handlers
        take = registry.take
        isawaitable = inspect.isawaitable
        async for event in self:
            name = names.get(event.__class__)
            if name is None:
                continue
            for handler in take(name):
                try:
                    result = handler(event)
                    if result is not None and isawaitable(result):
                        await result
                except Exception as exc:
                    if not registry.has("error"):
                        raise
                    await self._emit_error(HandlerError("handler_error", None, exc, event))

    async def _emit_error(self, error: InvalidMessage | HandlerError) -> None:
        handlers = self._core.handlers.take("error")
        if not handlers:
            logger.warning("dropped an invalid frame (%s): %s", error.kind, error.error)
            return
        for handler in handlers:
            await _maybe_await(handler(error))

    async def _emit_raw(self, frame: bytes) -> None:
        handlers = self._core.handlers.take("raw_data")
        if not handlers:
            logger.info("dropped a %d-byte binary frame (no raw_data handler)", len(frame))
            return
        for handler in handlers:
            await _maybe_await(handler(frame))

    # --- reconnecting --------------------------------------------------------

    async def _recover(self, failed: Any, code: int, reason: str) -> None:
        """Re-establish the connection after ``failed`` closed; raise when that is not possible."""
        core = self._core
        async with self._lock:
            if self._ws is not failed:  # another task already reconnected
                await self._flush(self._ws)
                return
            if core.gave_up is not None:
                raise core.gave_up
            core.reconnecting = True
            try:
                await self._reconnect(code, reason)
            finally:
                core.reconnecting = False

    async def _reconnect(self, code: int, reason: str) -> None:
        core = self._core
        handler = core.options.on_reconnecting
        attempt = 0
        while True:
            attempt += 1
            event = core.attempt(attempt, code, reason)
            if event is None:
                raise core.give_up(code, reason, attempt - 1, aborted=False)
            if core.apply(await _maybe_await(handler(event))):
                raise core.give_up(code, reason, attempt - 1, aborted=True)
            await asyncio.sleep(event.delay)
            try:
                ws = await open_socket(core)
            except WebSocketConnectError as exc:
                code, reason = 1006, str(exc.cause)
                continue
            self._ws = ws
            try:
                await self._flush(ws)
            except self._closed_exc as exc:
                code, reason = close_info(exc)
                if not core.options.policy.should_reconnect(code):
                    raise core.give_up(code, reason, attempt, aborted=False) from None
                continue
            return

    async def _flush(self, ws: Any) -> None:
        """Send the queued frames in order; each leaves the queue once sent."""
        queue = self._core.queue
        while queue:
            await ws.send(queue.peek())
            queue.pop()

    # --- closing -------------------------------------------------------------

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection; no reconnection follows."""
        self._core.closing = True
        await self._ws.close(code, reason)

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncConnectionManager(Generic[C]):
    """What ``connect()`` returns: ``async with`` it to get an open connection."""

    def __init__(
        self, factory: Callable[[ConnectionCore[Any], Any], C], core: ConnectionCore[Any]
    ) -> None:
        self._factory = factory
        self._core = core
        self._connection: C | None = None

    async def enter(self) -> C:
        """Connect; the caller must ``await connection.close()``."""
        socket = await open_socket(self._core)
        self._connection = self._factory(self._core, socket)
        return self._connection

    async def __aenter__(self) -> C:
        return await self.enter()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            try:
                await self._connection.close()
            except ConnectionClosed:
                pass
