"""What every generated ``connect()`` takes besides the spec's own parameters.

The one place where these options are defined: generated resources take
``**options: Unpack[ConnectOptions]`` (the asyncio ones ``AsyncConnectOptions``)
and the handler-class API takes the same, so no generated file repeats an
option or a default. Defaults live with what uses them
(:class:`~sockgen_runtime.reconnect.ReconnectPolicy`, the send queue).
"""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import TypedDict

from ._core import Transport, WebSocketOptions
from .reconnect import (
    AsyncReconnectedHandler,
    AsyncReconnectHandler,
    ReconnectedHandler,
    ReconnectHandler,
)

__all__ = ["AsyncConnectOptions", "ConnectOptions", "WebSocketOptions"]


class _Options(TypedDict, total=False):
    max_retries: int
    """Reconnection attempts before giving up (default 5)."""
    initial_delay: float
    """Seconds before the first attempt; doubles up to ``max_delay`` (default 0.5)."""
    max_delay: float
    """Longest wait between attempts, in seconds (default 8.0)."""
    max_queue_size: int
    """Bytes of sends held while reconnecting (default 1 MiB); past it ``send`` raises."""
    extra_query: Mapping[str, object]
    """Query parameters added to the handshake URL (``None`` values are left out)."""
    extra_headers: Mapping[str, str]
    """Headers added to the client's own for this connection."""
    websocket_options: WebSocketOptions
    """Passed through to ``websockets``' ``connect``."""


class ConnectOptions(_Options, total=False):
    """Options of a blocking ``connect()``; reconnection is on only with ``on_reconnecting``."""

    on_reconnecting: ReconnectHandler
    """Called before each reconnection attempt; may return overrides or ``{"abort": True}``."""
    on_reconnected: ReconnectedHandler
    """Called after each successful reconnection, once replayed and queued frames went out."""


class AsyncConnectOptions(_Options, total=False):
    """Options of an asyncio ``connect()``; ``on_reconnecting`` may be a coroutine function."""

    transport: Transport
    """``websockets`` (the default), or ``picows``: about twice as fast to receive, the same
    behaviour and ``websocket_options`` (install the ``picows`` extra of ``sockgen_runtime``)."""

    on_reconnecting: AsyncReconnectHandler
    """Called (and awaited) before each attempt; may return overrides or ``{"abort": True}``."""
    on_reconnected: AsyncReconnectedHandler
    """Called (and awaited) after each successful reconnection, once replayed and queued
    frames went out."""
