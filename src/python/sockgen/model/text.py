"""Types as a reader writes them, for reports and documentation."""

from __future__ import annotations

from .algebra import DictType, ListType, LiteralType, NamedRef, Prim, TypeRef


def type_text(t: TypeRef) -> str:
    """A type as a reader would write it (``list[str] | None``)."""
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, LiteralType):
        return " | ".join(repr(v) for v in t.values)
    if isinstance(t, ListType):
        return f"list[{type_text(t.item)}]"
    if isinstance(t, DictType):
        return f"dict[str, {type_text(t.value)}]"
    if isinstance(t, NamedRef):
        return t.name
    return " | ".join(type_text(x) for x in t.members)
