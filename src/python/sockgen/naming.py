"""Identifiers from spec names: valid, not keywords, stable, and without collisions."""

from __future__ import annotations

import keyword
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")

#: Names generated modules use for themselves or import; a model may not take them.
#: (``tests/generator/test_naming.py`` checks that every name ``imports`` knows is here.)
RESERVED_CLASS_NAMES = frozenset(
    """
    Annotated Any Awaitable BaseModel Callable Discriminator Field Literal Mapping Never
    NotRequired Optional Required Tag TypeAdapter TypeVar TypedDict Union Unpack UUID
    datetime date time overload cast given
    AsyncConnectOptions AsyncConnection AsyncConnectionManager AsyncHandlerClient ChannelSpec
    ClientBase ConnectOptions Connection ConnectionCore ConnectionManager ErrorEvent
    HandlerMethods InvalidMessage NOT_GIVEN NotGiven ReconnectOverrides ReconnectingEvent
    SockgenModel UnknownEvent UnknownEvents WebSocketOptions
    FakeChannel FakeChannelSpec FakeServer SyncFakeChannel SyncFakeServer
    CHANNEL IncomingMessage OutgoingMessage OutgoingMessageParam ServerEvent ClientEvent
    """.split()
)


def channel_class_names(prefix: str) -> set[str]:
    """The classes generated for a channel (``Room``: ``RoomConnection``, ...)."""
    return {f"{a}{prefix}{kind}" for a in ("", "Async") for kind in ("Connection", "Resource")} | {
        f"{prefix}Client",
        f"_{prefix}Handlers",
    }


#: Attribute names of the runtime's classes that fields and helpers must not shadow.
RESERVED_ATTRIBUTES = frozenset(
    {
        "send",
        "send_raw",
        "recv",
        "recv_bytes",
        "recv_frame",
        "on",
        "off",
        "once",
        "close",
        "dispatch_events",
        "url",
        "socket",
        "connect",
        "model_config",
        "model_fields",
        "model_dump",
        "model_dump_json",
        "model_validate",
        "model_validate_json",
        "model_copy",
        "model_extra",
        "model_fields_set",
        "model_computed_fields",
        "model_construct",
        "model_json_schema",
        "model_post_init",
        "model_rebuild",
        "model_parametrized_name",
        "dict",
        "json",
        "copy",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "fields",
        "register",
        "self",
        "cls",
    }
)


#: Names pycodestyle rejects (E741): they read as digits.
AMBIGUOUS = frozenset({"l", "O", "I"})


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(text)


def snake(text: str) -> str:
    name = "_".join(w.lower() for w in words(text)) or "x"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in ("None", "True", "False"):
        name += "_"
    return name


def pascal(text: str) -> str:
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "X"
    if name[0].isdigit():
        name = "N" + name
    return name


def class_prefix(module: str) -> str:
    """The stem of a channel's classes (``room`` -> ``Room``: ``RoomConnection``); never a
    keyword on its own (a channel named ``None``)."""
    name = pascal(module)
    return name + "Channel" if keyword.iskeyword(name) else name


def field_name(wire: str, taken: set[str]) -> str:
    """A Python attribute for a JSON property (``user-name`` -> ``user_name``, ``class`` -> ``class_``)."""
    if wire.isidentifier() and not keyword.iskeyword(wire) and not wire.startswith("_"):
        name = wire
    else:
        name = snake(wire)
    if name in RESERVED_ATTRIBUTES or name.startswith("model_") or name in AMBIGUOUS:
        name += "_"
    return unique(name, taken)


def unshadow_fields(types: dict[str, Any]) -> None:
    """Rename fields that share a name with a class or an import of the generated modules.

    A field is a name in its class body: pydantic (and mypy) would read the
    annotation ``Node | None`` of a field named ``Node``, or ``Literal[...]``
    after a field named ``Literal``, as that field. ``types`` maps class names to
    the model's definitions; renamed fields keep their wire name as the alias.
    """
    shadowed = RESERVED_CLASS_NAMES | set(types)
    for definition in types.values():
        fields = getattr(definition, "fields", None)
        if not fields:
            continue
        taken = {f.name for f in fields}
        for f in fields:
            if f.name in shadowed:
                taken.discard(f.name)
                f.name = unique(f.name + "_", taken | shadowed)
                taken.add(f.name)


def unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}_{n}" if name[-1].isdigit() or name.islower() else f"{name}{n}"
        n += 1
    taken.add(candidate)
    return candidate


def class_name(raw: str, taken: set[str], suffix: str = "") -> str:
    name = pascal(raw)
    if suffix and not name.endswith(suffix):
        name += suffix
    if name in RESERVED_CLASS_NAMES or keyword.iskeyword(name) or name in AMBIGUOUS:
        name += "Model"
    return unique(name, taken)


_SPEC_KIND = re.compile(
    r"[-_.]?(?:asyncapi|openapi|swagger)(?:[-_.]?v?\d+(?:\.\d+)*)?$", re.IGNORECASE
)
_GENERIC_STEMS = frozenset({"", "asyncapi", "openapi", "swagger", "spec", "api", "index", "main"})


def default_package(spec_path: str) -> str:
    """The package a spec generates when nobody names one: ``chat.asyncapi.yaml`` -> ``chat_sdk``.

    The file name without its extension and spec-kind suffix (``.asyncapi``,
    ``-openapi3``), or its folder's name when that leaves nothing telling
    (``echo/asyncapi.yaml`` -> ``echo_sdk``); ``_sdk`` keeps it clear of the
    vendor's own package. The CLI, ``tailor`` and the Pants plugin use this rule.
    """
    path = PurePosixPath(spec_path.replace("\\", "/"))
    stem = path.name
    for ext in (".json", ".yaml", ".yml"):
        stem = stem.removesuffix(ext)
    stem = _SPEC_KIND.sub("", stem)
    if snake(stem) in _GENERIC_STEMS or not words(stem):
        stem = _SPEC_KIND.sub("", path.parent.name)
    name = snake(stem) if words(stem) else "api"
    return name if name.endswith("_sdk") else f"{name}_sdk"
