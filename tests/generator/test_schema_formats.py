"""Multi Format Schema Objects (AsyncAPI 3 ``payload: {schemaFormat, schema}``, 2.x
``schemaFormat`` on the message): JSON Schema dialects read exactly like a plain payload;
other schema languages refused with one line naming the place and the format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from generator.desk import Doc, base
from sockgen import model as m
from sockgen.errors import SpecError
from sockgen.generate import build_api

JSON_FORMATS = [
    "application/vnd.aai.asyncapi;version=3.0.0",
    "application/vnd.aai.asyncapi+json;version=3.0.0",
    "application/vnd.aai.asyncapi+yaml;version=2.6.0",
    "application/schema+json;version=draft-07",
    "application/schema+yaml;version=draft-2020-12",
    "application/schema+json",
    "application/vnd.oai.openapi;version=3.0.0",
    "application/vnd.oai.openapi+json;version=3.0.0",
    "Application/Schema+JSON; version=draft-04",
]


def read(tmp_path: Path, doc: Doc) -> m.Api:
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(doc))
    api, _ = build_api(path, None, "desk_sdk", "client")
    return api


def shape(api: m.Api) -> list[Any]:
    """What the SDK is made of, pointers aside."""
    channel = api.channels[0]
    events = [
        (msg.event, msg.name, msg.tag, msg.encoding)
        for msg in [*channel.client_messages, *channel.server_messages]
    ]
    models = {
        name: [(f.name, f.wire, f.type, f.required) for f in d.fields]
        for name, d in api.types.items()
        if isinstance(d, m.ModelDef)
    }
    return [events, models, channel.client_union, channel.server_union]


def wrapped(schema_format: str, *, via_components: bool = False) -> Doc:
    doc = base()
    messages = doc["channels"]["trades"]["messages"]
    for name in ("order", "filled"):
        mfso = {"schemaFormat": schema_format, "schema": messages[name]["payload"]}
        if via_components:
            doc.setdefault("components", {}).setdefault("schemas", {})[name] = mfso
            messages[name]["payload"] = {"$ref": f"#/components/schemas/{name}"}
        else:
            messages[name]["payload"] = mfso
    return doc


@pytest.mark.parametrize("schema_format", JSON_FORMATS)
def test_json_schema_formats_read_like_a_plain_payload(tmp_path: Path, schema_format: str) -> None:
    plain = shape(read(tmp_path, base()))
    assert shape(read(tmp_path, wrapped(schema_format))) == plain


def test_a_multi_format_schema_in_components(tmp_path: Path) -> None:
    doc = base()
    plain = base()
    for d in (doc, plain):  # the same components either way, so the models get the same names
        for name in ("order", "filled"):
            payload = d["channels"]["trades"]["messages"][name]["payload"]
            d.setdefault("components", {}).setdefault("schemas", {})[name] = payload
            d["channels"]["trades"]["messages"][name]["payload"] = {
                "$ref": f"#/components/schemas/{name}"
            }
    for name in ("order", "filled"):
        schemas = doc["components"]["schemas"]
        schemas[name] = {"schemaFormat": JSON_FORMATS[0], "schema": schemas[name]}
    assert shape(read(tmp_path, doc)) == shape(read(tmp_path, plain))


@pytest.mark.parametrize(
    ("schema_format", "language"),
    [
        ("application/vnd.apache.avro;version=1.9.0", "Avro"),
        ("application/vnd.apache.avro+json;version=1.9.0", "Avro"),
        ("application/vnd.google.protobuf;version=3", "Protobuf"),
        ("application/raml+yaml;version=1.0", "RAML"),
    ],
)
def test_other_schema_languages_are_one_clear_error(
    tmp_path: Path, schema_format: str, language: str
) -> None:
    with pytest.raises(SpecError) as info:
        read(tmp_path, wrapped(schema_format))
    text = str(info.value)
    assert "\n" not in text
    assert "/channels/trades/messages/" in text and "/payload/schemaFormat" in text
    assert repr(schema_format) in text and f"{language} schemas" in text


def test_an_unknown_or_missing_format_is_an_error_too(tmp_path: Path) -> None:
    for value in ("application/x-mystery", 7):
        with pytest.raises(SpecError, match="schemaFormat .* is not supported"):
            read(tmp_path, wrapped(value))  # type: ignore[arg-type]


def v2(schema_format: str | None) -> Doc:
    """The desk in AsyncAPI 2.6, where ``schemaFormat`` sits on the message."""
    order = base()["channels"]["trades"]["messages"]["order"]
    if schema_format is not None:
        order["schemaFormat"] = schema_format
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "Desk", "version": "1.0.0"},
        "channels": {
            "trades": {
                "publish": {"message": order},
                "subscribe": {"message": base()["channels"]["trades"]["messages"]["filled"]},
            }
        },
    }


def test_asyncapi_2_schema_format_on_the_message(tmp_path: Path) -> None:
    plain = shape(read(tmp_path, v2(None)))
    assert shape(read(tmp_path, v2("application/schema+json;version=draft-07"))) == plain
    with pytest.raises(SpecError, match=r"/channels/trades/publish/message/schemaFormat.*Avro"):
        read(tmp_path, v2("application/vnd.apache.avro;version=1.9.0"))
