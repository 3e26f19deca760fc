"""The transports' adapter: the optional WebSocket libraries (``websockets``, and
``picows``), imported lazily, and what the runtime reads of them.

``picows`` (Cython) ships ``picows.websockets``, a client with ``websockets``' asyncio
API (the same ``connect()`` options, connection methods and exceptions) over its own
protocol core; ``transport="picows"`` runs the asyncio connection on it unchanged.
The few places where the two differ are here (:func:`close_info`).
"""

from __future__ import annotations

from collections import deque
from types import ModuleType
from typing import Any, Literal

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


class Buffered:
    """The frames a ``websockets`` asyncio connection has read off the socket and holds for
    ``recv()``, for the receive loop to take one whole message at a time without
    ``recv()``'s three coroutines and its UTF-8 decoding (pydantic reads the bytes).

    It reads websockets' ``Assembler`` (``recv_messages``: a deque of frames, a lock flag,
    flow control), the same from websockets 13 to 17; :func:`buffered` checks its shape
    and the loop falls back to ``recv()`` for anything else: a fragmented message, an
    empty buffer (to wait), another reader, picows.
    """

    __slots__ = ("assembler", "frames", "text")

    def __init__(self, assembler: Any, frames: deque[Any], text: object) -> None:
        self.assembler = assembler
        self.frames = frames
        """websockets' ``Frame`` objects, oldest first (``opcode``, ``data``, ``fin``)."""
        self.text = text
        """The text opcode: a frame of it holds UTF-8, anything else is binary."""

    def take(self) -> Any:
        """The next message's one frame, or None when ``recv()`` must read (see above)."""
        frames, assembler = self.frames, self.assembler
        if not frames or assembler.get_in_progress or not frames[0].fin:
            return None
        frame = frames.popleft()
        if assembler.paused:  # below the low water mark: websockets reads the socket again
            assembler.maybe_resume()
        return frame

    def put_back(self, frame: Any) -> None:
        """Give ``frame`` back to ``recv()`` (a text frame that is not UTF-8: websockets
        closes the connection with 1007, as it does for any reader)."""
        self.frames.appendleft(frame)


def buffered(socket: Any) -> Buffered | None:
    """``socket``'s received frames (see :class:`Buffered`), or None when it is no
    ``websockets`` asyncio connection of the shape this runtime knows."""
    assembler = getattr(socket, "recv_messages", None)
    frames = getattr(getattr(assembler, "frames", None), "queue", None)
    known = all(hasattr(assembler, name) for name in ("get_in_progress", "paused", "maybe_resume"))
    if not isinstance(frames, deque) or not known:
        return None
    from websockets.frames import Opcode

    return Buffered(assembler, frames, Opcode.TEXT)


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
