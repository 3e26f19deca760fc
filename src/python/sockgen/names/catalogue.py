"""Where the names generated code uses come from: the standard library or a package.

``emit.imports`` writes each module's imports from it, and ``identifiers``
reserves every name in it, so that no model shadows an import.
"""

from __future__ import annotations

#: Where the names generated code uses come from, by isort section.
STANDARD = {
    "Awaitable": "collections.abc",
    "Callable": "collections.abc",
    "Mapping": "collections.abc",
    "date": "datetime",
    "datetime": "datetime",
    "time": "datetime",
    "Annotated": "typing",
    "Any": "typing",
    "Literal": "typing",
    "overload": "typing",
    "UUID": "uuid",
}
THIRD_PARTY = {
    "Discriminator": "pydantic",
    "Field": "pydantic",
    "Tag": "pydantic",
    "TypeAdapter": "pydantic",
    "AsyncConnectOptions": "sockgen_runtime",
    "AsyncConnection": "sockgen_runtime",
    "AsyncConnectionManager": "sockgen_runtime",
    "AsyncHandlerClient": "sockgen_runtime",
    "ChannelSpec": "sockgen_runtime",
    "ClientBase": "sockgen_runtime",
    "ConnectOptions": "sockgen_runtime",
    "Connection": "sockgen_runtime",
    "ConnectionCore": "sockgen_runtime",
    "ConnectionManager": "sockgen_runtime",
    "ErrorEvent": "sockgen_runtime",
    "HandlerMethods": "sockgen_runtime",
    "NOT_GIVEN": "sockgen_runtime",
    "NotGiven": "sockgen_runtime",
    "ReplyTo": "sockgen_runtime",
    "Scheme": "sockgen_runtime",
    "Security": "sockgen_runtime",
    "SockgenModel": "sockgen_runtime",
    "UnknownEvent": "sockgen_runtime",
    "UnknownEvents": "sockgen_runtime",
    "WebSocketOptions": "sockgen_runtime",
    "given": "sockgen_runtime",
    "int_request_id": "sockgen_runtime",
    "str_request_id": "sockgen_runtime",
    "FakeChannel": "sockgen_runtime.testing",
    "FakeChannelSpec": "sockgen_runtime.testing",
    "FakeServer": "sockgen_runtime.testing",
    "SyncFakeChannel": "sockgen_runtime.testing",
    "SyncFakeServer": "sockgen_runtime.testing",
    # 3.11+ in typing; generated SDKs support 3.10
    "Never": "typing_extensions",
    "NotRequired": "typing_extensions",
    "Required": "typing_extensions",
    "TypedDict": "typing_extensions",
    "TypeVar": "typing_extensions",  # default= (PEP 696)
    "Unpack": "typing_extensions",
}
