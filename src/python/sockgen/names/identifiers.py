"""Python identifiers in generated code: classes, fields and helpers that shadow nothing.

A model may not take a name its modules import (the ``imports`` catalogue) or define
for themselves, and a field or helper may not shadow the runtime's attributes.
"""

from __future__ import annotations

import keyword
from typing import Any

from .catalogue import STANDARD, THIRD_PARTY
from .naming import MAX_NAME, pascal, snake, unique

#: Names generated modules import (every name of the ``imports`` catalogue) or define for
#: themselves; a model may not take them.
RESERVED_CLASS_NAMES = (
    frozenset(STANDARD)
    | frozenset(THIRD_PARTY)
    | frozenset(
        """
    BaseModel Optional Union cast InvalidMessage ReconnectOverrides ReconnectingEvent
    CHANNEL IncomingMessage OutgoingMessage OutgoingMessageParam ServerEvent ClientEvent
    """.split()
    )
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


def class_prefix(module: str) -> str:
    """The stem of a channel's classes (``room`` -> ``Room``: ``RoomConnection``); never a
    keyword on its own (a channel named ``None``)."""
    name = pascal(module)
    return name + "Channel" if keyword.iskeyword(name) else name


def field_name(wire: str, taken: set[str]) -> str:
    """A Python attribute for a JSON property (``user-name`` -> ``user_name``, ``class`` -> ``class_``)."""
    plain = wire.isidentifier() and not keyword.iskeyword(wire) and not wire.startswith("_")
    if plain and len(wire) <= MAX_NAME:
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


def class_name(raw: str, taken: set[str], suffix: str = "") -> str:
    name = pascal(raw)
    if suffix and not name.endswith(suffix):
        name += suffix
    if name in RESERVED_CLASS_NAMES or keyword.iskeyword(name) or name in AMBIGUOUS:
        name += "Model"
    return unique(name, taken)
