"""State shared by the sync and async connections, free of I/O.

The two transports (``sync_connection``, ``async_connection``) are thin shells
that do the waiting and the socket calls; every decision (what URL and headers
a handshake uses, how a frame becomes an event, whether and when to
reconnect, what goes into the send queue) is made here, once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypedDict, TypeVar

from pydantic import BaseModel, ValidationError

from .dispatch import HandlerRegistry
from .errors import (
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
    ReconnectGaveUpError,
)
from .models import to_wire_json
from .parsing import ChannelSpec, InvalidMessage, classify
from .reconnect import ReconnectingEvent, ReconnectOverrides, ReconnectPolicy
from .send_queue import DEFAULT_MAX_QUEUE_SIZE, SendQueue
from .url import build_url, merge_headers

logger = logging.getLogger("sockgen_runtime")

ServerT = TypeVar("ServerT")

#: Close codes that end iteration quietly when reconnection is off or does not apply.
NORMAL_CLOSE_CODES = frozenset({1000, 1001, 1005})


class WebSocketOptions(TypedDict, total=False):
    """Options passed through to ``websockets``' ``connect``."""

    subprotocols: list[str]
    max_size: int | None
    """Largest incoming message in bytes (default here: 16 MiB); None for no limit."""
    max_queue: int | None
    compression: str | None
    open_timeout: float | None
    ping_interval: float | None
    ping_timeout: float | None
    close_timeout: float | None
    user_agent_header: str | None
    origin: str
    proxy: str | bool | None


DEFAULT_WEBSOCKET_OPTIONS: WebSocketOptions = {"max_size": 16 * 1024 * 1024}


@dataclass
class ConnectionSettings:
    """Everything one ``connect()`` call was given."""

    base_url: str
    path: str = "/"
    protocol: str = "ws"
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    extra_query: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    websocket_options: WebSocketOptions = field(default_factory=lambda: WebSocketOptions())
    on_reconnecting: Any = None
    """``ReconnectHandler`` (sync) or ``AsyncReconnectHandler``; reconnection is on only when set."""
    policy: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    max_queue_size: int = DEFAULT_MAX_QUEUE_SIZE


def close_info(exc: BaseException) -> tuple[int, str]:
    """(code, reason) of a ``websockets`` ConnectionClosed.

    The server's close frame when one came; else the one this client sent when it
    started the close itself (1009 for a frame over ``max_size``, 1011 for a ping
    timeout); else 1006, an abnormal closure.
    """
    frame = getattr(exc, "rcvd", None) or getattr(exc, "sent", None)
    if frame is None:
        return 1006, ""
    return int(frame.code), str(frame.reason)


class ConnectionCore(Generic[ServerT]):
    """Sans-I/O state of one logical connection (which may span several sockets)."""

    def __init__(self, channel: ChannelSpec[ServerT], options: ConnectionSettings) -> None:
        self.channel = channel
        self.options = options
        self.parse = channel.parse
        self.names = channel.event_names
        self.handlers = HandlerRegistry(channel.known_names)
        self.queue = SendQueue(options.max_queue_size)
        self.extra_query: dict[str, object] = dict(options.extra_query)
        self.extra_headers: dict[str, str] = dict(options.extra_headers)
        self.closing = False
        self.gave_up: ReconnectGaveUpError | None = None
        self.reconnecting = False

    # --- handshake ---------------------------------------------------------

    def url(self) -> str:
        o = self.options
        return build_url(
            o.base_url,
            o.path,
            protocol=o.protocol,
            path_params=o.path_params,
            query=o.query,
            extra_query=self.extra_query,
        )

    def headers(self) -> dict[str, str]:
        return merge_headers(self.options.headers, self.extra_headers)

    def connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = dict(DEFAULT_WEBSOCKET_OPTIONS)
        kwargs.update(self.options.websocket_options)
        kwargs["additional_headers"] = self.headers()
        return kwargs

    # --- sending -----------------------------------------------------------

    def encode(self, message: object) -> str:
        """A client message as a text frame (``client_raw_text`` channels send strings as they are)."""
        if isinstance(message, str) and self.channel.client_raw_text:
            return message
        return encode_json(message)

    # --- receiving ---------------------------------------------------------

    def invalid(self, frame: str, error: ValidationError) -> InvalidMessage:
        return InvalidMessage(kind=classify(error), raw=frame, error=error)

    # --- closing and reconnecting -----------------------------------------

    @property
    def reconnect_enabled(self) -> bool:
        return self.options.on_reconnecting is not None

    def closed(self, code: int, reason: str) -> ConnectionClosed:
        """The error for a close that is not (or no longer) recovered."""
        if self.gave_up is not None:
            return self.gave_up
        if self.closing or code in NORMAL_CLOSE_CODES:
            return ConnectionClosedOK(code, reason)
        return ConnectionClosedError(code, reason)

    def should_reconnect(self, code: int) -> bool:
        return (
            self.reconnect_enabled
            and not self.closing
            and self.gave_up is None
            and self.options.policy.should_reconnect(code)
        )

    def attempt(self, attempt: int, code: int, reason: str) -> ReconnectingEvent | None:
        """The event for attempt ``attempt``, or None when attempts are used up."""
        policy = self.options.policy
        if attempt > policy.max_retries:
            return None
        return ReconnectingEvent(
            attempt=attempt,
            max_attempts=policy.max_retries,
            close_code=code,
            close_reason=reason,
            delay=policy.delay(attempt),
        )

    def apply(self, overrides: ReconnectOverrides | None) -> bool:
        """Apply what ``on_reconnecting`` returned; True means abort."""
        if not overrides:
            return False
        if overrides.get("abort"):
            return True
        self.extra_query.update(overrides.get("extra_query") or {})
        self.extra_headers.update(overrides.get("extra_headers") or {})
        return False

    def give_up(
        self, code: int, reason: str, attempts: int, *, aborted: bool
    ) -> ReconnectGaveUpError:
        self.gave_up = ReconnectGaveUpError(
            code, reason, attempts=attempts, aborted=aborted, unsent=self.queue.drain()
        )
        return self.gave_up


def encode_json(message: object) -> str:
    """A model (aliases, JSON mode, no unset fields) or any JSON-able value, as JSON text."""
    if isinstance(message, BaseModel):
        return to_wire_json(message)
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)
