"""Bases of the generated top-level clients (``Acme`` and ``AsyncAcme``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import Unpack

from ._auth import Credentials, Security
from ._core import ConnectionCore, ConnectionSettings, UnknownEvents, WebSocketOptions
from ._parsing import ChannelSpec
from ._send_queue import DEFAULT_MAX_QUEUE_SIZE
from ._url import header_values, merge_headers, websocket_base
from .options import AsyncConnectOptions
from .reconnect import ReconnectPolicy

__all__ = ["ClientBase"]

_POLICY = ("max_retries", "initial_delay", "max_delay")


class ClientBase:
    """Holds what every connection of one client shares: base URL, headers, websocket options."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        websocket_options: WebSocketOptions | None = None,
        protocol: str = "ws",
        security: Security | None = None,
        credentials: Mapping[str, str | None] | None = None,
    ) -> None:
        websocket_base(base_url, protocol)  # fail early on a malformed URL
        self.base_url = base_url
        self.protocol = protocol
        self.headers: dict[str, str] = dict(headers or {})
        self.websocket_options: WebSocketOptions = WebSocketOptions(**(websocket_options or {}))
        self._credentials = (
            security.resolve(type(self).__name__, credentials or {})
            if security is not None
            else Credentials()
        )
        """What the spec's security schemes send (its repr shows no secret)."""

    def core(
        self,
        channel: ChannelSpec[Any],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        header_params: Mapping[str, object] | None = None,
        unknown_events: UnknownEvents = "error",
        **options: Unpack[AsyncConnectOptions],
    ) -> ConnectionCore[Any]:
        """The core of one ``connect()`` call; generated resources call this.
        ``header_params``: the spec's typed handshake headers (None: not sent)."""
        credentials = self._credentials
        websocket_options = WebSocketOptions(**self.websocket_options)
        websocket_options.update(options.get("websocket_options") or {})
        return ConnectionCore(
            channel,
            ConnectionSettings(
                base_url=self.base_url,
                path=channel.path,
                protocol=self.protocol,
                path_params=dict(path_params or {}),
                query={**credentials.query, **(query or {})},
                extra_query=dict(options.get("extra_query") or {}),
                headers=merge_headers(
                    credentials.headers, header_values(header_params), self.headers
                ),
                extra_headers=dict(options.get("extra_headers") or {}),
                secret_query=credentials.query,
                secrets=credentials.secrets,
                websocket_options=websocket_options,
                on_reconnecting=options.get("on_reconnecting"),
                on_reconnected=options.get("on_reconnected"),
                policy=ReconnectPolicy(
                    **{k: options[k] for k in _POLICY if k in options}  # type: ignore[literal-required]
                ),
                max_queue_size=options.get("max_queue_size", DEFAULT_MAX_QUEUE_SIZE),
                unknown_events=unknown_events,
                transport=options.get("transport", "websockets"),
            ),
        )
