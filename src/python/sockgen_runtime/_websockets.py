"""The transports' adapter: the optional WebSocket libraries (``websockets``, and
``picows``), imported lazily, and what the runtime reads of them.

``picows`` (Cython) ships ``picows.websockets``, a client with ``websockets``' asyncio
API (the same ``connect()`` options, connection methods and exceptions) over its own
protocol core; ``transport="picows"`` runs the asyncio connection on it unchanged.
The few places where the two differ are here (:func:`close_info`).
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


def close_info(exc: BaseException) -> tuple[int, str]:
    """(code, reason) of a closed connection's exception (``ConnectionClosed``).

    The server's close frame when one came; else the one this client sent when it
    started the close itself (1009 for a frame over ``max_size``, 1011 for a ping
    timeout); else 1006, an abnormal closure.
    """
    frame = getattr(exc, "rcvd", None) or getattr(exc, "sent", None)
    if frame is None:
        return 1006, ""
    # a close frame without a code: websockets says 1005, picows 0 (and a None reason)
    return int(frame.code) or 1005, str(frame.reason or "")


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
