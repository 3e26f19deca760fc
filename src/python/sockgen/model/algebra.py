"""The model's type algebra: what a field, parameter or payload can be.

Types are a small algebra (:data:`TypeRef`); named object schemas become
:class:`ModelDef`, other named schemas :class:`AliasDef`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, Union

JsonScalar = Union[str, int, float, bool, None]

PrimName = Literal[
    "str", "int", "float", "bool", "None", "Any", "datetime", "date", "time", "UUID", "bytes"
]


@dataclass(frozen=True)
class Prim:
    name: PrimName


@dataclass(frozen=True)
class LiteralType:
    values: tuple[JsonScalar, ...]


@dataclass(frozen=True)
class ListType:
    item: TypeRef


@dataclass(frozen=True)
class DictType:
    value: TypeRef


@dataclass(frozen=True)
class NamedRef:
    """A model or type alias, by its class name."""

    name: str


@dataclass(frozen=True)
class UnionType:
    members: tuple[TypeRef, ...]
    discriminator: str | None = None
    """A property every member carries with distinct single values; None: pydantic's smart union."""


TypeRef = Union[Prim, LiteralType, ListType, DictType, NamedRef, UnionType]

ANY = Prim("Any")
NONE = Prim("None")


def optional(t: TypeRef) -> TypeRef:
    if t == NONE or t == ANY:
        return t
    if isinstance(t, UnionType):
        if NONE in t.members:
            return t
        return UnionType((*t.members, NONE), None)
    return UnionType((t, NONE))


def refs(t: TypeRef | TypeDef) -> Iterator[str]:
    """The named types a type (or a definition's fields) refers to directly."""
    if isinstance(t, NamedRef):
        yield t.name
    elif isinstance(t, ListType):
        yield from refs(t.item)
    elif isinstance(t, DictType):
        yield from refs(t.value)
    elif isinstance(t, UnionType):
        for member in t.members:
            yield from refs(member)
    elif isinstance(t, ModelDef):
        for f in t.fields:
            yield from refs(f.type)
    elif isinstance(t, AliasDef):
        yield from refs(t.type)


MISSING: object = object()


@dataclass
class FieldDef:
    name: str
    """Python attribute name (an identifier, not a keyword)."""
    wire: str
    """JSON property name."""
    type: TypeRef
    required: bool
    default: object = MISSING
    """A JSON value, or MISSING (required) / None-by-omission for optional fields."""
    description: str = ""


@dataclass
class ModelDef:
    name: str
    fields: list[FieldDef]
    description: str = ""
    source: str = ""
    """Where it came from (``file#/pointer``), for the generated docstring."""


@dataclass
class AliasDef:
    """A named schema that is not an object: ``Name = <type>``."""

    name: str
    type: TypeRef
    description: str = ""
    source: str = ""


TypeDef = Union[ModelDef, AliasDef]


def model_in(t: TypeRef, types: Mapping[str, TypeDef]) -> ModelDef | None:
    """The model ``t`` names, or the one model of a union (an optional model); else None."""
    members = t.members if isinstance(t, UnionType) else (t,)
    named = [m for m in members if isinstance(m, NamedRef)]
    model = types.get(named[0].name) if len(named) == 1 else None
    return model if isinstance(model, ModelDef) else None


def field_path(t: TypeRef, path: str, types: Mapping[str, TypeDef]) -> list[FieldDef] | None:
    """The fields a payload ``path`` (wire names joined by ``/``: ``data/operation_id``)
    goes through from ``t``, a model (or an optional one at each step); None when a name
    is missing or a step is not one model."""
    out: list[FieldDef] = []
    current = t
    top = types.get(t.name) if isinstance(t, NamedRef) else None
    whole = isinstance(top, ModelDef) and any(f.wire == path for f in top.fields)
    for wire in [path] if whole else path.split("/"):  # ("a/b" may be one property's name)
        model = model_in(current, types)
        if model is None:
            return None
        found = next((f for f in model.fields if f.wire == wire), None)
        if found is None:
            return None
        out.append(found)
        current = found.type
    return out


_KINDS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "datetime": (str,),
    "date": (str,),
    "time": (str,),
    "UUID": (str,),
    "bytes": (str,),
}


def fits(t: TypeRef, value: object, types: dict[str, TypeDef], depth: int = 0) -> bool:
    """Whether a JSON value is one of type ``t``'s (defaults, examples); lenient on models."""
    if depth > 20:
        return True
    if isinstance(t, Prim):
        if t.name in ("Any",):
            return True
        if t.name == "None":
            return value is None
        if isinstance(value, bool) and t.name in ("int", "float"):
            return False
        return isinstance(value, _KINDS.get(t.name, ()))
    if isinstance(t, LiteralType):
        return any(value == v and type(value) is type(v) for v in t.values)
    if isinstance(t, ListType):
        return isinstance(value, list) and all(fits(t.item, v, types, depth + 1) for v in value)
    if isinstance(t, DictType):
        return isinstance(value, dict) and all(
            fits(t.value, v, types, depth + 1) for v in value.values()
        )
    if isinstance(t, UnionType):
        return any(fits(x, value, types, depth + 1) for x in t.members)
    definition = types.get(t.name)
    if isinstance(definition, AliasDef):
        return fits(definition.type, value, types, depth + 1)
    return isinstance(value, dict)
