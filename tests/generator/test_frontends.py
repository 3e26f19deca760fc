"""Stage 3: the AsyncAPI and OpenAPI front ends, and their errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from generator.support import obj
from generator.support import write_spec as spec
from sockgen import model as m
from sockgen.errors import SpecError
from sockgen.generate import build_api

SPECS = Path("specs")


def test_chat_example_spec() -> None:
    api, warnings = build_api(SPECS / "chat" / "chat.asyncapi.yaml", package="chat_sdk")
    (room,) = api.channels
    assert room.path == "/ws/rooms/{room_id}" and [p.name for p in room.path_params] == ["room_id"]
    assert [msg.event for msg in room.client_messages] == ["join", "send_message", "ping"]
    assert sorted(msg.event for msg in room.server_messages) == [
        "error",
        "joined",
        "message_received",
        "pong",
    ]
    assert room.server_union == m.UnionPlan("discriminated", "action")
    assert api.base_url == "ws://localhost:8000"
    assert warnings == []  # a receive operation with a reply: the server's side, no guessing


def test_feed_example_spec() -> None:
    api, _ = build_api(SPECS / "feed" / "feed.openapi.yaml", SPECS / "feed" / "stainless.yaml")
    (feed,) = api.channels
    assert (
        api.package == "feed_sdk"
        and api.client_class == "Acme"
        and api.websockets_extra == "realtime"
    )
    assert [(p.name, p.required) for p in feed.query_params] == [
        ("token", True),
        ("channel", False),
        ("compact", False),
    ]
    assert feed.event_name_separator == "." and feed.server_union == m.UnionPlan(
        "discriminated", "type"
    )
    assert [msg.event for msg in feed.client_messages] == [
        "subscribe",
        "unsubscribe",
        "room.send_message",
    ]


def test_asyncapi3_client_side_document(tmp_path: Path) -> None:
    path, _ = spec(
        tmp_path,
        {
            "asyncapi": "3.0.0",
            "info": {"title": "Echo client", "version": "1"},
            "channels": {
                "echo": {
                    "address": "/",
                    "messages": {
                        "hi": {"payload": obj("t", "hi")},
                        "bye": {"payload": obj("t", "bye")},
                    },
                }
            },
            "operations": {
                "say": {
                    "action": "send",
                    "channel": {"$ref": "#/channels/echo"},
                    "messages": [{"$ref": "#/channels/echo/messages/hi"}],
                },
                "hear": {
                    "action": "receive",
                    "channel": {"$ref": "#/channels/echo"},
                    "messages": [{"$ref": "#/channels/echo/messages/bye"}],
                },
            },
        },
    )
    api, warnings = build_api(path)
    assert [msg.event for msg in api.channels[0].client_messages] == ["hi"]
    assert api.side is not None and api.side.side == "client"
    assert "title 'Echo client'" in str(api.side.strongest("client"))
    forced, cfg = spec(
        tmp_path, yaml.safe_load(path.read_text()), {"sockgen": {"direction": "server"}}
    )
    api, _ = build_api(forced, cfg)
    assert [msg.event for msg in api.channels[0].client_messages] == ["bye"]


def test_asyncapi2_inverted_publish_is_read_from_its_summary(tmp_path: Path) -> None:
    path, _ = spec(
        tmp_path,
        {
            "asyncapi": "2.6.0",
            "info": {"title": "T", "version": "1"},
            "channels": {
                "/s": {
                    "publish": {
                        "summary": "Server messages",
                        "message": {"payload": obj("type", "result")},
                    },
                    "subscribe": {
                        "summary": "Client messages",
                        "message": {"payload": obj("type", "audio_config")},
                    },
                }
            },
        },
    )
    api, warnings = build_api(path)
    (ch,) = api.channels
    assert [msg.event for msg in ch.server_messages] == ["result"]
    assert [msg.event for msg in ch.client_messages] == ["audio_config"]
    (warning,) = warnings
    assert "read as written from the client's side" in warning.message
    assert "says 'server messages'" in warning.message


def test_shared_tag_values_and_untagged_messages_are_reported(tmp_path: Path) -> None:
    msgs = {
        "a": {"payload": obj("type", "x")},
        "b": {"payload": obj("type", "x", extra={"type": "string"})},
        "c": {"payload": obj("type", "y")},
        "d": {"payload": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    }
    path, _ = spec(
        tmp_path,
        {
            "asyncapi": "2.6.0",
            "info": {"title": "T", "version": "1"},
            "channels": {"/": {"subscribe": {"message": {"oneOf": list(msgs.values())}}}},
        },
    )
    api, warnings = build_api(path)
    assert api.channels[0].server_union == m.UnionPlan("callable", "type")
    (warning,) = (w.message for w in warnings if "discriminated by" in w.message)
    assert "untagged messages" in warning and "tag values shared by several messages (x)" in warning


def openapi(union_members: list[str], schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Server": {"oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in union_members]},
                **schemas,
            }
        },
    }


def ws_method(**extra: Any) -> dict[str, Any]:
    return {
        "type": "websocket",
        "path": "/ws",
        "client_event_schema_uri": "#/components/schemas/Server",
        "server_event_schema_uri": "#/components/schemas/Server",
        **extra,
    }


def test_two_websocket_methods_on_one_resource(tmp_path: Path) -> None:
    path, cfg = spec(
        tmp_path,
        openapi(["A"], {"A": obj("type", "a")}),
        {"resources": {"feed": {"methods": {"connect": ws_method(), "stream": ws_method()}}}},
    )
    with pytest.raises(SpecError) as info:
        build_api(path, cfg)
    err = info.value
    assert (
        err.file == "config.yaml"
        and err.pointer == "/resources/feed/methods/stream"
        and err.line is not None
    )
    assert (
        "has 2 WebSocket methods (connect, stream); only one is allowed per resource" in err.message
    )


def test_server_events_that_cannot_be_discriminated(tmp_path: Path) -> None:
    path, cfg = spec(
        tmp_path,
        openapi(
            ["A", "B"],
            {
                "A": {"type": "object", "properties": {"a": {"type": "string"}}},
                "B": {"type": "object", "properties": {"b": {"type": "string"}}},
            },
        ),
        {"resources": {"feed": {"methods": {"connect": ws_method()}}}},
    )
    with pytest.raises(
        SpecError, match="server events must be a discriminated union.*\\(A, B\\)"
    ) as info:
        build_api(path, cfg)
    assert info.value.pointer == "/resources/feed/methods/connect/server_event_schema_uri"


def test_openapi_needs_a_config(tmp_path: Path) -> None:
    path, _ = spec(tmp_path, openapi(["A"], {"A": obj("type", "a")}))
    with pytest.raises(SpecError, match="needs a Stainless-style config"):
        build_api(path)


def test_config_uri_to_nothing(tmp_path: Path) -> None:
    path, cfg = spec(
        tmp_path,
        openapi(["A"], {"A": obj("type", "a")}),
        {
            "resources": {
                "feed": {
                    "methods": {
                        "connect": ws_method(server_event_schema_uri="#/components/schemas/Nope")
                    }
                }
            }
        },
    )
    with pytest.raises(
        SpecError, match="'#/components/schemas/Nope' points to nothing in api.yaml"
    ):
        build_api(path, cfg)


def test_subresources_and_a_real_stainless_config_shape(tmp_path: Path) -> None:
    path, cfg = spec(
        tmp_path,
        openapi(["A"], {"A": obj("type", "a")}),
        {
            "organization": {"name": "acme-corp"},
            "targets": {
                "python": {"package_name": "acme", "options": {"websockets_extra_name": "rt"}}
            },
            "resources": {
                "models": {"methods": {"list": "get /models"}},
                "beta": {"subresources": {"realtime": {"methods": {"connect": ws_method()}}}},
            },
        },
    )
    api, _ = build_api(path, cfg)
    assert (api.package, api.client_class, api.websockets_extra) == ("acme", "AcmeCorp", "rt")
    assert [c.resource_path for c in api.channels] == [("beta", "realtime")]


def test_bad_sockgen_keys_are_named(tmp_path: Path) -> None:
    path, cfg = spec(
        tmp_path,
        {"asyncapi": "3.0.0", "info": {"title": "T", "version": "1"}, "channels": {}},
        {"sockgen": {"pakage": "x"}},
    )
    with pytest.raises(SpecError, match="unknown sockgen key\\(s\\) pakage"):
        build_api(path, cfg)


def test_unknown_document_kind(tmp_path: Path) -> None:
    path, _ = spec(tmp_path, {"swagger": "2.0"})
    with pytest.raises(SpecError, match="not an AsyncAPI or OpenAPI document"):
        build_api(path)
