"""The base class of every generated model."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = ["NOT_GIVEN", "NotGiven", "SockgenModel", "given", "to_wire_json"]


def _single_literal(annotation: Any) -> bool:
    return typing.get_origin(annotation) is typing.Literal and len(typing.get_args(annotation)) == 1


if TYPE_CHECKING:
    # Type checkers see pydantic's BaseModel and its metaclass, so their
    # dataclass_transform (typed constructors) applies to every generated model.
    _TagsSet = BaseModel
else:

    class _SockgenMeta(type(BaseModel)):  # pydantic's metaclass, not imported from _internal
        """Marks tag fields as set when a model is *constructed*.

        This is in the metaclass's ``__call__`` rather than ``__init__`` because
        pydantic calls an overridden ``__init__`` during validation too (its
        custom-init path), which would slow every parse and mark tags as set on
        parsed events.
        """

        def __call__(cls, *args, **kwargs):
            obj = super().__call__(*args, **kwargs)
            always = cls.__sockgen_always_set__
            if always:
                obj.__pydantic_fields_set__.update(always)
            return obj

    class _TagsSet(BaseModel, metaclass=_SockgenMeta):
        """The base that brings the metaclass (it has no fields of its own)."""

        __sockgen_always_set__ = frozenset()


class SockgenModel(_TagsSet):
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


def to_wire_json(message: BaseModel) -> str:
    """Serialise a model for sending: aliases, JSON mode, no unset fields."""
    return message.model_dump_json(by_alias=True, exclude_unset=True)


class NotGiven:
    """The type of :data:`NOT_GIVEN`: an argument left out (as opposed to ``None``)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
"""Default of optional helper arguments: the field stays unset and is not sent."""


def given(values: Mapping[str, object]) -> dict[str, object]:
    """``values`` without the ones left :data:`NOT_GIVEN` (generated helpers build messages so)."""
    return {key: value for key, value in values.items() if not isinstance(value, NotGiven)}
