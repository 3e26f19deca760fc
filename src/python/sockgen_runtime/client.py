"""Bases of the generated top-level clients (``Acme`` and ``AsyncAcme``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .core import ConnectionCore, ConnectOptions, WebSocketOptions
from .parsing import ChannelSpec
from .reconnect import ReconnectPolicy
from .send_queue import DEFAULT_MAX_QUEUE_SIZE
from .url import merge_headers, websocket_base


class ClientBase:
    """Holds what every connection of one client shares: base URL, headers, websocket options."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        websocket_options: WebSocketOptions | None = None,
        protocol: str = "ws",
    ) -> None:
        websocket_base(base_url, protocol)  # fail early on a malformed URL
        self.base_url = base_url
        self.protocol = protocol
        self.headers: dict[str, str] = dict(headers or {})
        self.websocket_options: WebSocketOptions = WebSocketOptions(**(websocket_options or {}))

    def connection_core(
        self,
        channel: ChannelSpec[Any],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        websocket_options: WebSocketOptions | None = None,
        on_reconnecting: Any = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = DEFAULT_MAX_QUEUE_SIZE,
    ) -> ConnectionCore[Any]:
        """The core of one ``connect()`` call; generated resources call this."""
        options = WebSocketOptions(**self.websocket_options)
        options.update(websocket_options or {})
        return ConnectionCore(
            channel,
            ConnectOptions(
                base_url=self.base_url,
                path=channel.path,
                protocol=self.protocol,
                path_params=dict(path_params or {}),
                query=dict(query or {}),
                extra_query=dict(extra_query or {}),
                headers=merge_headers(self.headers),
                extra_headers=dict(extra_headers or {}),
                websocket_options=options,
                on_reconnecting=on_reconnecting,
                policy=ReconnectPolicy(max_retries, initial_delay, max_delay),
                max_queue_size=max_queue_size,
            ),
        )
