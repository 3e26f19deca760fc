"""The API surface of a spec: what an SDK's users depend on, as canonical JSON.

``sockgen api SPEC`` prints it; ``sockgen diff`` compares two (``diff.py``). It
holds the server URL, every channel with its address and parameters, every
event with its direction, wire tag and fields (wire name, type, required,
nullable, enum values), every model those fields reach, and the Python names
the SDK exposes for them. Keys are sorted and nothing depends on the machine,
so a committed snapshot changes only when the API does.
"""

from __future__ import annotations

import json
from typing import Any

from .. import model as m
from ..emit.pycode import annotation
from ..emit.views import build, helper_paths
from ..input.pointers import child

VERSION = 1
"""The surface format's version (``sockgen_api`` in the JSON)."""


def surface(api: m.Api) -> dict[str, Any]:
    """The API surface of ``api``, as JSON-able data."""
    package = build(api)
    views = {str(v.module): v for v in package.channels}
    channels = {}
    for channel in api.channels:
        view = views[channel.module]
        helpers = {id(h.message): ".".join(path) for path, h in helper_paths(view)}
        channels[channel.key] = {
            **(
                {"header_params": {p.wire: _param(p) for p in channel.header_params}}
                if channel.header_params  # (absent when none: older snapshots stay as they were)
                else {}
            ),
            "module": channel.module,
            "attribute": str(view.attr_path),
            "address": channel.path,
            "path_params": {p.wire: _param(p) for p in channel.path_params},
            "query_params": {p.wire: _param(p) for p in channel.query_params},
            "client_events": {
                msg.event: _event(api, msg, helpers.get(id(msg))) for msg in channel.client_messages
            },
            "server_events": {msg.event: _event(api, msg, None) for msg in channel.server_messages},
        }
    return {
        "sockgen_api": VERSION,
        "title": api.title,
        "version": api.version,
        "base_url": api.base_url,
        "package": api.package,
        "client": api.client_class,
        "async_client": f"Async{api.client_class}",
        "channels": channels,
        "models": {
            name: _model(definition)
            for name, definition in sorted(api.types.items())
            if isinstance(definition, m.ModelDef)
        },
    }


# The format's shape, for reading a surface back (a committed snapshot may have been edited
# by hand or merged badly): a type or a tuple of types is a leaf; ``{str: shape}`` is a
# mapping of any keys; any other dict is an object whose keys must all be there.
_PARAM = {"name": str, "type": str, "required": bool}
_EVENT = {"class": str, "type": str, "tag": (list, type(None)), "source": str}
_FIELD = {
    "name": str,
    "type": str,
    "required": bool,
    "nullable": bool,
    "enum": (list, type(None)),
}
SHAPE: dict[Any, Any] = {
    "sockgen_api": int,
    "title": str,
    "version": (str, type(None)),
    "base_url": (str, type(None)),
    "package": str,
    "client": str,
    "async_client": str,
    "channels": {
        str: {
            "module": str,
            "attribute": str,
            "address": str,
            "path_params": {str: _PARAM},
            "query_params": {str: _PARAM},
            "client_events": {str: _EVENT},
            "server_events": {str: _EVENT},
        }
    },
    "models": {str: {"source": str, "fields": {str: _FIELD}}},
}


def misfit(data: object, shape: Any = SHAPE, pointer: str = "") -> str | None:
    """Where ``data`` is not a surface and why (``/channels/room: no "address"``), or None."""
    if isinstance(shape, (type, tuple)):
        kinds: tuple[type, ...] = shape if isinstance(shape, tuple) else (shape,)
        if isinstance(data, kinds) and not (isinstance(data, bool) and bool not in kinds):
            return None  # (JSON true is no number)
        names = " or ".join(t.__name__ for t in kinds if t is not type(None))
        expected = f"a {names}" if len(kinds) > 1 else names
        return f"{pointer or '/'}: expected {expected}, found {type(data).__name__}"
    if not isinstance(data, dict):
        return f"{pointer or '/'}: expected an object, found {type(data).__name__}"
    if str in shape:
        items = [(key, shape[str]) for key in data]
    else:
        missing = [key for key in shape if key not in data]
        if missing:
            return f"{pointer or '/'}: no {json.dumps(missing[0])}"
        items = list(shape.items())
    for key, inner in items:
        where = misfit(data[key], inner, child(pointer, key))
        if where is not None:
            return where
    return None


def dumps(data: dict[str, Any]) -> str:
    """Canonical text: sorted keys, two-space indents, a final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _type(t: m.TypeRef) -> str:
    return str(annotation(t))


def _param(p: m.Param) -> dict[str, Any]:
    return {"name": p.name, "type": _type(p.type), "required": p.required}


def _event(api: m.Api, msg: m.Message, helper: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "class": msg.name,
        "type": "bytes" if msg.binary else _type(msg.type),
        "tag": list(msg.tag) if msg.tag else None,
        "source": msg.source,
    }
    if msg.encoding != "json":  # (absent for JSON: snapshots of JSON APIs stay as they were)
        out["encoding"] = msg.encoding
    if msg.reply is not None:  # (likewise absent without one)
        out["reply"] = {
            "type": " | ".join(msg.reply.messages),
            "correlation": msg.reply.correlation,
        }
    if helper is not None:
        out["helper"] = helper
    return out


def _model(definition: m.ModelDef) -> dict[str, Any]:
    return {
        "source": definition.source,
        "fields": {f.wire: _field(f) for f in definition.fields},
    }


def _field(f: m.FieldDef) -> dict[str, Any]:
    members = f.type.members if isinstance(f.type, m.UnionType) else (f.type,)
    values = [v for x in members if isinstance(x, m.LiteralType) for v in x.values]
    return {
        "name": f.name,
        "type": _type(f.type),
        "required": f.required,
        "nullable": m.NONE in members or None in values,
        "enum": sorted({json.dumps(v) for v in values if v is not None}) or None,
    }
