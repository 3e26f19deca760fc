"""The handler-class API (Chanx style): subclass, override hooks, ``await client.handle()``.

Built on the same :class:`~sockgen_runtime.async_connection.AsyncConnection`
as the connection API, so both parse, reconnect and queue the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from typing_extensions import Unpack

from ._core import ConnectionCore, UnknownEvents
from ._parsing import ChannelSpec, ErrorEvent, InvalidMessage, UnknownEvent
from .async_connection import AsyncConnection, AsyncConnectionManager
from .client import ClientBase
from .errors import SockgenError, WebSocketConnectError
from .options import AsyncConnectOptions

__all__ = ["AsyncHandlerClient", "NotConnectedError"]

logger = logging.getLogger("sockgen_runtime")

OutgoingT = TypeVar("OutgoingT")
IncomingT = TypeVar("IncomingT")


class NotConnectedError(SockgenError):
    """``send_message`` or ``disconnect`` before ``handle()`` connected."""


class AsyncHandlerClient(Generic[OutgoingT, IncomingT]):
    """Base of the generated per-channel handler classes.

    Generated subclasses set :attr:`channel`; users subclass those and override
    :meth:`handle_message` and any hook. Hooks run in this order:
    :meth:`before_handle`, connect, :meth:`send_init_message`, then each frame
    goes to :meth:`handle_message`, :meth:`handle_invalid_message`,
    :meth:`handle_unknown_event` or :meth:`handle_raw_data` in arrival order (a
    slow handler delays later frames; it never drops them), and
    :meth:`after_handle` always runs last.
    """

    channel: ClassVar[ChannelSpec[Any]]
    connection_class: ClassVar[type[AsyncConnection[Any, Any]]] = AsyncConnection
    """What :meth:`handle` opens: a generated handler class names its channel's connection
    class, so hooks reach its typed helpers (``request_<event>()`` among them) through
    :attr:`connection`."""
    unknown_events: ClassVar[UnknownEvents] = "error"
    """``deliver``: a server event the spec does not describe (an unknown tag, or a value
    it does not list) goes to :meth:`handle_unknown_event`; ``error`` (the default): to
    :meth:`handle_invalid_message`."""

    def __init__(
        self,
        base_url: str,
        /,
        protocol: str = "ws",
        headers: Mapping[str, str] | None = None,
        path_params: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **options: Unpack[AsyncConnectOptions],
    ) -> None:
        self.base_url = base_url
        self.protocol = protocol
        self.headers = dict(headers or {})
        self.path_params = dict(path_params or {})
        self.query_params = dict(query_params or {})
        self._client = ClientBase(base_url=base_url, headers=self.headers, protocol=protocol)
        self._options = options
        self.connection: AsyncConnection[OutgoingT, IncomingT] | None = None

    def _new_core(self) -> ConnectionCore[IncomingT]:
        return self._client.core(
            self.channel,
            path_params=self.path_params,
            query=self.query_params,
            unknown_events=self.unknown_events,
            **self._options,
        )

    @property
    def url(self) -> str:
        return self._new_core().shown_url()

    async def handle(self) -> None:
        """Connect and handle messages until the connection closes."""
        await self.before_handle()
        try:
            core = self._new_core()
            try:
                self.connection = await AsyncConnectionManager(self.connection_class, core).enter()
            except WebSocketConnectError as exc:
                await self.handle_websocket_connection_error(exc)
                return
            try:
                await self.send_init_message()
                await self._loop(self.connection)
            finally:
                await self.connection.close()
        finally:
            await self.after_handle()

    async def _loop(self, connection: AsyncConnection[OutgoingT, IncomingT]) -> None:
        """Each event to :meth:`handle_message`, through the connection's public API: its
        iteration (which reconnects as configured) and its ``error``/``raw_data`` hooks."""
        connection.on("error", self._invalid)
        connection.on("raw_data", self._raw)
        try:
            async for message in connection:  # (UnknownEvent too, with unknown_events="deliver")
                try:
                    if type(message) is UnknownEvent:
                        await self.handle_unknown_event(message)
                    else:
                        await self.handle_message(message)
                except Exception as exc:
                    await self.handle_error(exc)
        except SockgenError as error:  # an abnormal close, or reconnection gave up
            await self.handle_websocket_connection_error(error)

    async def _invalid(self, error: ErrorEvent) -> None:
        try:
            if isinstance(error, InvalidMessage):
                await self.handle_invalid_message(error)
        except Exception as exc:
            await self.handle_error(exc)

    async def _raw(self, frame: bytes) -> None:
        try:
            await self.handle_raw_data(frame)
        except Exception as exc:
            await self.handle_error(exc)

    # --- sending and closing ---------------------------------------------------

    async def send_message(self, message: OutgoingT) -> None:
        """Send one outgoing message model."""
        if self.connection is None:
            raise NotConnectedError(
                "send_message() needs a connection: call it from handle()'s hooks"
            )
        await self.connection.send(message)

    async def disconnect(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection; :meth:`handle` returns after the close."""
        if self.connection is None:
            raise NotConnectedError("disconnect() called before handle() connected")
        await self.connection.close(code, reason)

    # --- hooks -----------------------------------------------------------------

    async def before_handle(self) -> None:
        """Called before connecting."""

    async def send_init_message(self) -> None:
        """Called once connected, before the first message is read."""

    async def handle_message(self, message: IncomingT) -> None:
        """Called for each valid incoming message. Override it."""

    async def after_handle(self) -> None:
        """Called last, after the connection closed or failed; always runs."""

    async def handle_error(self, error: Exception) -> None:
        """An exception from a message hook. The default logs it with its traceback."""
        logger.error("error while handling a message", exc_info=error)

    async def handle_websocket_connection_error(self, error: Exception) -> None:
        """The connection could not be opened or closed abnormally. The default logs it."""
        logger.error("websocket connection error: %s", error)

    async def handle_raw_data(self, message: bytes) -> None:
        """A binary frame. The default logs its size."""
        logger.info("received a %d-byte binary frame (override handle_raw_data)", len(message))

    async def handle_unknown_event(self, event: UnknownEvent) -> None:
        """A server event the spec does not describe (with ``unknown_events = "deliver"``).
        The default logs its tag."""
        logger.info(
            "unknown event (%s, tag %r): override handle_unknown_event", event.reason, event.tag
        )

    async def handle_invalid_message(self, invalid_message: InvalidMessage) -> None:
        """A text frame that is not valid JSON, has an unknown type, or fails validation."""
        logger.warning(
            "invalid message (%s): %s; raw=%r",
            invalid_message.kind,
            invalid_message.error,
            invalid_message.raw[:200],
        )
