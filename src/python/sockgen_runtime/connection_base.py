"""What the sync and async connections share that does no I/O."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from . import _websockets
from .core import ConnectionCore
from .dispatch import HandlerMethods

ServerT = TypeVar("ServerT")


class ConnectionBase(HandlerMethods, Generic[ServerT]):
    """State and read-only views of one logical connection; the transports add the I/O."""

    def __init__(self, core: ConnectionCore[ServerT], socket: Any) -> None:
        self._core = core
        self._registry = core.handlers
        self._ws = socket
        self._closed_exc: Any = _websockets.exceptions().ConnectionClosed
        self._parse = core.parse
        self._validate = core.channel.validate

    @property
    def url(self) -> str:
        """The URL of the current handshake (it changes when reconnecting applies overrides)."""
        return self._core.url()

    @property
    def socket(self) -> Any:
        """The underlying ``websockets`` connection (it is replaced on reconnect)."""
        return self._ws
