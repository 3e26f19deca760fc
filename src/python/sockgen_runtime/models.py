"""The base class of every generated model."""

from __future__ import annotations

import typing
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


def _single_literal(annotation: Any) -> bool:
    return typing.get_origin(annotation) is typing.Literal and len(typing.get_args(annotation)) == 1


class SockgenModel(BaseModel):
    """A pydantic model that serialises the way the wire format wants.

    - Unknown fields are kept (``extra="allow"``), so newer servers lose nothing.
    - Fields can be set by their Python name or by their wire alias.
    - A field whose type is a single ``Literal`` value (an event's tag, such as
      ``type: Literal["subscribe"] = "subscribe"``) always counts as set, so
      ``exclude_unset`` serialisation keeps it.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        ser_json_bytes="base64",
        val_json_bytes="base64",
    )

    __sockgen_always_set__: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__sockgen_always_set__ = frozenset(
            name
            for name, field in cls.model_fields.items()
            if _single_literal(field.annotation) and not field.is_required()
        )

    def __init__(self, /, **data: Any) -> None:
        super().__init__(**data)
        always = type(self).__sockgen_always_set__
        if always:
            self.__pydantic_fields_set__.update(always)


def to_wire_json(message: BaseModel) -> str:
    """Serialise a model for sending: aliases, JSON mode, no unset fields."""
    return message.model_dump_json(by_alias=True, exclude_unset=True)
