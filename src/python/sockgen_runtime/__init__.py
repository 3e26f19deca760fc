"""sockgen_runtime: the connection layer that sockgen's generated SDKs stand on.

Generated SDKs are thin typed layers over this package: a
:class:`~sockgen_runtime._parsing.ChannelSpec` per channel (one ``TypeAdapter``
for its server events), connection classes with sync and async twins, and a
Chanx-style handler-class base. ``websockets`` is imported only when a
connection is opened.

Generated packages check ``CONTRACTS`` when imported: the interfaces this
runtime provides to generated code (``sockgen.contract.RUNTIME_CONTRACT``).
"""

from importlib import metadata as _metadata

from ._auth import Credentials, MissingCredentialsError, Scheme, Security
from ._core import ConnectionCore, Transport, UnknownEvents, WebSocketOptions, encode_json
from ._dispatch import HandlerMethods
from ._parsing import ChannelSpec, ErrorEvent, HandlerError, InvalidMessage, UnknownEvent
from ._requests import ReplyError, ReplyTo, RequestTimeout, int_request_id, str_request_id
from ._url import URLError, build_url
from .async_connection import AsyncConnection, AsyncConnectionManager
from .client import ClientBase
from .errors import (
    ConnectionEnded,
    ConnectionEndedOK,
    ConnectionLost,
    MissingDependencyError,
    ReconnectGaveUpError,
    SendQueueFullError,
    SockgenError,
    WebSocketConnectError,
)
from .handler_client import AsyncHandlerClient, NotConnectedError
from .models import NOT_GIVEN, NotGiven, SockgenModel, given
from .options import AsyncConnectOptions, ConnectOptions
from .reconnect import (
    RECONNECT_CLOSE_CODES,
    ReconnectedEvent,
    ReconnectingEvent,
    ReconnectOverrides,
    ReconnectPolicy,
)
from .sync_connection import Connection, ConnectionManager

#: The runtime contracts generated code may be written against (a generated package
#: refuses to import, naming both versions, when its contract is not here).
CONTRACTS = frozenset({2, 3, 4})

try:
    __version__ = _metadata.version("sockgen-runtime")
except _metadata.PackageNotFoundError:  # a source tree, not an installed distribution
    __version__ = "unknown (not installed)"

__all__ = [
    "CONTRACTS",
    "NOT_GIVEN",
    "NotGiven",
    "RECONNECT_CLOSE_CODES",
    "AsyncConnectOptions",
    "AsyncConnection",
    "AsyncConnectionManager",
    "AsyncHandlerClient",
    "ChannelSpec",
    "ClientBase",
    "ConnectOptions",
    "Connection",
    "ConnectionEnded",
    "ConnectionLost",
    "ConnectionEndedOK",
    "ConnectionCore",
    "ConnectionManager",
    "Credentials",
    "ErrorEvent",
    "HandlerMethods",
    "HandlerError",
    "InvalidMessage",
    "MissingCredentialsError",
    "MissingDependencyError",
    "NotConnectedError",
    "ReconnectGaveUpError",
    "ReconnectOverrides",
    "ReconnectPolicy",
    "ReconnectedEvent",
    "ReconnectingEvent",
    "ReplyError",
    "ReplyTo",
    "RequestTimeout",
    "Scheme",
    "Security",
    "SendQueueFullError",
    "SockgenError",
    "SockgenModel",
    "Transport",
    "URLError",
    "UnknownEvent",
    "UnknownEvents",
    "WebSocketConnectError",
    "WebSocketOptions",
    "build_url",
    "encode_json",
    "given",
    "int_request_id",
    "str_request_id",
]
