"""The one typed model of an API that every front end produces and the emitter reads.

Nothing here is Python source yet: names are identifiers chosen by ``names``,
and spec text (descriptions, literal values) is kept raw for the emitter to
escape. It imports nothing from the stages around it.

- ``algebra``: the types (:data:`TypeRef`), named models and aliases;
- ``api``: the :class:`Api`, its channels and their messages;
- ``sides``: which side an AsyncAPI document is written from, and why;
- ``text``: types as a reader writes them.
"""

from __future__ import annotations

from .algebra import (
    ANY,
    MISSING,
    NONE,
    AliasDef,
    DictType,
    FieldDef,
    JsonScalar,
    ListType,
    LiteralType,
    ModelDef,
    NamedRef,
    Prim,
    PrimName,
    TypeDef,
    TypeRef,
    UnionType,
    field_path,
    fits,
    model_in,
    optional,
    refs,
)
from .api import (
    Api,
    AuthKind,
    Channel,
    ClientOption,
    Encoding,
    Message,
    Param,
    Reply,
    SecurityScheme,
    UnionPlan,
)
from .sides import Evidence, Side, SideReport
from .text import type_text

__all__ = [
    "ANY",
    "AliasDef",
    "Api",
    "AuthKind",
    "Channel",
    "ClientOption",
    "DictType",
    "Encoding",
    "Evidence",
    "FieldDef",
    "JsonScalar",
    "ListType",
    "LiteralType",
    "MISSING",
    "Message",
    "ModelDef",
    "NONE",
    "NamedRef",
    "Param",
    "Prim",
    "PrimName",
    "Reply",
    "SecurityScheme",
    "Side",
    "SideReport",
    "TypeDef",
    "TypeRef",
    "UnionPlan",
    "UnionType",
    "field_path",
    "fits",
    "model_in",
    "optional",
    "refs",
    "type_text",
]
