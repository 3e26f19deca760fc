"""Lazy imports of the optional WebSocket libraries: ``websockets``, and ``picows``.

``picows`` (Cython) ships ``picows.websockets``, a client with ``websockets``' asyncio
API (the same ``connect()`` options, connection methods and exceptions) over its own
protocol core; ``transport="picows"`` runs the asyncio connection on it unchanged.
"""

from __future__ import annotations

from types import ModuleType
from typing import Literal

from .errors import MissingDependencyError

_HINT = (
    "sockgen SDKs need the 'websockets' package (>=13) to connect: install the SDK's "
    "websockets extra, e.g. pip install 'your_sdk[websockets]', or pip install websockets"
)
_PICOWS_HINT = (
    "transport=\"picows\" needs the 'picows' package (>=2.3.1): pip install "
    "'sockgen_runtime[picows]', or pip install picows"
)


def _require(module: str, hint: str = _HINT) -> ModuleType:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(f"{hint} ({exc})") from exc


def asyncio_client(transport: Literal["websockets", "picows"] = "websockets") -> ModuleType:
    """The asyncio client module (``connect``) of ``transport``, or a
    :class:`MissingDependencyError` that says what to install."""
    if transport == "picows":
        return _require("picows.websockets", _PICOWS_HINT)
    return _require("websockets.asyncio.client")


def asyncio_server() -> ModuleType:
    """``websockets.asyncio.server`` (for the fake servers of ``sockgen_runtime.testing``)."""
    return _require("websockets.asyncio.server")


def sync_client() -> ModuleType:
    """``websockets.sync.client``, or a :class:`MissingDependencyError` that says what to install."""
    return _require("websockets.sync.client")


def exceptions(transport: Literal["websockets", "picows"] = "websockets") -> ModuleType:
    """``websockets.exceptions``, or picows' twin of it."""
    if transport == "picows":
        return _require("picows.websockets.exceptions", _PICOWS_HINT)
    return _require("websockets.exceptions")


def handshake_failures(
    transport: Literal["websockets", "picows"] = "websockets",
) -> tuple[type[Exception], ...]:
    """What a failed handshake raises: the network, a timeout, a refusal, or a server that
    closed the connection before answering (which websockets may report as a close)."""
    import asyncio

    module = exceptions(transport)
    return (
        OSError,
        TimeoutError,
        asyncio.TimeoutError,  # (not TimeoutError before 3.11)
        module.InvalidHandshake,
        module.ConnectionClosed,
    )
