"""Lazy import of the optional ``websockets`` dependency."""

from __future__ import annotations

from types import ModuleType

from .errors import MissingDependencyError

_HINT = (
    "sockgen SDKs need the 'websockets' package (>=13) to connect: install the SDK's "
    "websockets extra, e.g. pip install 'your_sdk[websockets]', or pip install websockets"
)


def _require(module: str) -> ModuleType:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(f"{_HINT} ({exc})") from exc


def asyncio_client() -> ModuleType:
    """``websockets.asyncio.client``, or a :class:`MissingDependencyError` that says what to install."""
    return _require("websockets.asyncio.client")


def asyncio_server() -> ModuleType:
    """``websockets.asyncio.server`` (for the fake servers of ``sockgen_runtime.testing``)."""
    return _require("websockets.asyncio.server")


def sync_client() -> ModuleType:
    """``websockets.sync.client``, or a :class:`MissingDependencyError` that says what to install."""
    return _require("websockets.sync.client")


def exceptions() -> ModuleType:
    """``websockets.exceptions``."""
    return _require("websockets.exceptions")
