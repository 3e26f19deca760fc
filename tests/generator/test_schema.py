"""Stage 4: JSON Schema to the model's types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sockgen import model as m
from sockgen.errors import SpecError
from sockgen.frontends.schema import SchemaConverter
from sockgen.input.load import Workspace
from sockgen.input.refs import Resolver


def convert(
    tmp_path: Path, schemas: dict[str, Any], name: str
) -> tuple[m.TypeRef, SchemaConverter, list[str]]:
    (tmp_path / "s.yaml").write_text(yaml.safe_dump({"components": {"schemas": schemas}}))
    warnings: list[str] = []
    resolver = Resolver(Workspace(tmp_path), lambda at, msg: warnings.append(msg))
    root = resolver.root(tmp_path / "s.yaml")
    conv = SchemaConverter(resolver, lambda at, msg: warnings.append(msg), set())
    t = conv.convert({"$ref": f"#/components/schemas/{name}"}, root, name)
    return t, conv, warnings


def fields(conv: SchemaConverter, name: str) -> dict[str, m.FieldDef]:
    model = conv.types[name]
    assert isinstance(model, m.ModelDef)
    return {f.wire: f for f in model.fields}


def test_object_fields_required_optional_defaults_and_docs(tmp_path: Path) -> None:
    t, conv, _ = convert(
        tmp_path,
        {
            "User": {
                "type": "object",
                "description": "A user.",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "description": "The id."},
                    "name": {"type": "string", "default": "anon"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "meta": {"type": "object", "additionalProperties": {"type": "number"}},
                    "any": {},
                },
            }
        },
        "User",
    )
    assert t == m.NamedRef("User")
    f = fields(conv, "User")
    assert f["id"].type == m.Prim("int") and f["id"].required and f["id"].description == "The id."
    assert (
        f["name"].type == m.optional(m.Prim("str"))
        and f["name"].default == "anon"
        and not f["name"].required
    )
    assert f["tags"].type == m.optional(m.ListType(m.Prim("str")))
    assert f["meta"].type == m.optional(m.DictType(m.Prim("float")))
    assert f["any"].type == m.ANY
    assert conv.types["User"].description == "A user."


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "nullable": True},
        {"type": ["string", "null"]},
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"oneOf": [{"type": "null"}, {"type": "string"}]},
    ],
)
def test_every_way_of_writing_nullable(tmp_path: Path, schema: dict[str, Any]) -> None:
    t, conv, _ = convert(
        tmp_path, {"X": {"type": "object", "required": ["v"], "properties": {"v": schema}}}, "X"
    )
    assert fields(conv, "X")["v"].type == m.UnionType((m.Prim("str"), m.NONE))


def test_enums_consts_formats(tmp_path: Path) -> None:
    _, conv, _ = convert(
        tmp_path,
        {
            "X": {
                "type": "object",
                "required": ["a", "b", "c", "d", "e", "f", "g"],
                "properties": {
                    "a": {"type": "string", "enum": ["x", "y"]},
                    "b": {"const": 3},
                    "c": {"type": "string", "format": "date-time"},
                    "d": {"type": "string", "format": "uuid"},
                    "e": {"type": "string", "format": "byte"},
                    "f": {"type": "string", "format": "date"},
                    "g": {"enum": ["x", None]},
                },
            }
        },
        "X",
    )
    f = fields(conv, "X")
    assert f["a"].type == m.LiteralType(("x", "y"))
    assert (
        f["b"].type == m.LiteralType((3,)) and f["b"].default == 3
    )  # a one-value field defaults to it
    assert [f[k].type for k in "cdef"] == [
        m.Prim("datetime"),
        m.Prim("UUID"),
        m.Prim("str"),
        m.Prim("date"),
    ]
    assert f["g"].type == m.LiteralType(("x", None))


def test_all_of_merges_properties_and_requirements(tmp_path: Path) -> None:
    _, conv, _ = convert(
        tmp_path,
        {
            "Base": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            },
            "Event": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
                ]
            },
        },
        "Event",
    )
    f = fields(conv, "Event")
    assert f["id"].required and f["n"].required and f["id"].type == m.Prim("str")


def test_declared_discriminator(tmp_path: Path) -> None:
    t, conv, warnings = convert(
        tmp_path,
        {
            "Pet": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {"propertyName": "kind"},
            },
            "Cat": {"type": "object", "properties": {"kind": {"enum": ["cat"]}}},
            "Dog": {"type": "object", "properties": {"kind": {"enum": ["dog"]}}},
        },
        "Pet",
    )
    assert t == m.UnionType((m.NamedRef("Cat"), m.NamedRef("Dog")), "kind")
    assert not warnings


@pytest.mark.parametrize(
    "tag",
    [
        {"const": "ping"},
        {"type": "string", "enum": ["ping"]},
        {"type": "string", "pattern": "^ping$"},
        {"type": "string", "x-fern-type": 'literal<"ping">'},
    ],
)
def test_inferred_discriminator_from_each_tag_spelling(tmp_path: Path, tag: dict[str, Any]) -> None:
    t, _, warnings = convert(
        tmp_path,
        {
            "U": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Ping"},
                    {"$ref": "#/components/schemas/Pong"},
                ]
            },
            "Ping": {"type": "object", "properties": {"op": tag}},
            "Pong": {"type": "object", "properties": {"op": {"const": "pong"}}},
        },
        "U",
    )
    assert isinstance(t, m.UnionType) and t.discriminator == "op"
    assert any("inferred" in w for w in warnings)


def test_union_without_tag_is_matched_by_shape(tmp_path: Path) -> None:
    t, _, _ = convert(
        tmp_path,
        {
            "U": {
                "anyOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "object", "properties": {"b": {"type": "string"}}},
                ]
            },
        },
        "U",
    )
    assert isinstance(t, m.UnionType) and t.discriminator is None and len(t.members) == 2


def test_recursive_schema(tmp_path: Path) -> None:
    t, conv, _ = convert(
        tmp_path,
        {
            "Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                },
            }
        },
        "Node",
    )
    assert fields(conv, "Node")["children"].type == m.optional(m.ListType(m.NamedRef("Node")))


def test_recursion_without_an_object_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="recursive \\$ref without an object in between"):
        convert(
            tmp_path,
            {"A": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]}},
            "A",
        )


def test_awkward_property_names_become_identifiers_with_wire_aliases(tmp_path: Path) -> None:
    _, conv, _ = convert(
        tmp_path,
        {
            "X": {
                "type": "object",
                "properties": {
                    "class": {"type": "string"},
                    "user-name": {"type": "string"},
                    "2fa": {"type": "boolean"},
                    "model_id": {"type": "string"},
                    "send": {"type": "string"},
                    "userName": {"type": "string"},
                    "user_name": {"type": "string"},
                },
            }
        },
        "X",
    )
    names = {f.wire: f.name for f in fields(conv, "X").values()}
    assert names == {
        "class": "class_",
        "user-name": "user_name",
        "2fa": "n2fa",
        "model_id": "model_id_",
        "send": "send_",
        "userName": "userName",
        "user_name": "user_name_2",
    }


def test_name_collisions_between_schemas(tmp_path: Path) -> None:
    _, conv, _ = convert(
        tmp_path,
        {
            "Outer": {
                "type": "object",
                "properties": {
                    "a": {"$ref": "#/components/schemas/item"},
                    "b": {"$ref": "#/components/schemas/Item"},
                    "c": {"type": "object", "properties": {"x": {"type": "string"}}},
                },
            },
            "item": {"type": "object", "properties": {"x": {"type": "string"}}},
            "Item": {"type": "object", "properties": {"y": {"type": "string"}}},
        },
        "Outer",
    )
    assert sorted(conv.types) == ["Item", "Item2", "Outer", "OuterC"]
