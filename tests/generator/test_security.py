"""The handshake, typed: security schemes as client options sent where the spec says,
typed handshake headers and parameters the address does not use, and no secret in a
repr, a log line or an error. Through the model, then a generated SDK against a real
server, header by header."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from generator.desk import Doc, base
from generator.support import sdk_from
from runtime.wsserver import WsServer
from sockgen import model as m
from sockgen.generate import build_api
from sockgen_runtime import MissingCredentialsError, WebSocketConnectError

SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "basic": {"type": "http", "scheme": "basic"},
    "userPassword": {"type": "userPassword"},
    "headerKey": {"type": "httpApiKey", "name": "X-Api-Key", "in": "header"},
    "queryKey": {"type": "httpApiKey", "name": "token", "in": "query"},
    "cookieKey": {"type": "httpApiKey", "name": "session", "in": "cookie"},
    "oauth": {"type": "oauth2", "flows": {}},
    "mtls": {"type": "X509"},
}


def secured(*keys: str, v3: bool = True) -> Doc:
    """The desk, its server naming ``keys`` (alternatives) among :data:`SCHEMES`."""
    doc = base()
    doc["components"] = {"securitySchemes": SCHEMES}
    if v3:
        refs = [{"$ref": f"#/components/securitySchemes/{key}"} for key in keys]
        doc["servers"]["prod"]["security"] = refs
    return doc


def read(tmp_path: Path, doc: Doc) -> tuple[m.Api, list[str]]:
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(doc))
    api, warnings = build_api(path, None, "desk_sdk", "client")
    return api, [str(w) for w in warnings]


@pytest.mark.parametrize(
    ("key", "kind", "name", "options"),
    [
        ("bearer", "bearer", "Authorization", ("api_key",)),
        ("basic", "basic", "Authorization", ("username", "password")),
        ("userPassword", "basic", "Authorization", ("username", "password")),
        ("headerKey", "header", "X-Api-Key", ("api_key",)),
        ("queryKey", "query", "token", ("api_key",)),
        ("cookieKey", "cookie", "session", ("api_key",)),
        ("oauth", "bearer", "Authorization", ("api_key",)),
    ],
)
def test_each_scheme_becomes_client_options(
    tmp_path: Path, key: str, kind: str, name: str, options: tuple[str, ...]
) -> None:
    api, _ = read(tmp_path, secured(key))
    (scheme,) = api.security
    assert (scheme.key, scheme.kind, scheme.name, scheme.options) == (key, kind, name, options)
    # named after the API (the package, as Stainless names them after the client)
    assert [(o.name, o.env) for o in api.client_options] == [
        (option, f"DESK_{option.upper()}") for option in options
    ]
    assert not api.security_optional


def test_alternatives_get_their_own_options_and_unsendable_schemes_a_warning(
    tmp_path: Path,
) -> None:
    api, warnings = read(tmp_path, secured("bearer", "queryKey", "mtls", "basic"))
    assert [(s.key, s.options) for s in api.security] == [
        ("bearer", ("api_key",)),
        ("queryKey", ("query_key",)),
        ("basic", ("username", "password")),
    ]
    (warning,) = (w for w in warnings if "security scheme" in w)
    assert "'mtls' is X509" in warning and "/components/securitySchemes/mtls" in warning


def test_asyncapi_2_requirements_and_an_empty_one(tmp_path: Path) -> None:
    doc = secured(v3=False)
    doc["asyncapi"] = "2.6.0"
    del doc["operations"]
    doc["servers"]["prod"] = {"url": "desk.example", "protocol": "wss"}
    trades = doc["channels"]["trades"]
    messages = trades.pop("messages")
    del trades["address"]
    doc["channels"] = {
        "/trades/{book}": {
            **trades,
            "publish": {"message": messages["order"]},
            "subscribe": {"message": messages["filled"]},
        }
    }
    doc["servers"]["prod"]["security"] = [{"headerKey": []}, {}]
    api, _ = read(tmp_path, doc)
    assert [(s.kind, s.name) for s in api.security] == [("header", "X-Api-Key")]
    assert api.security_optional  # {}: connecting without credentials is allowed


def test_a_stainless_config_names_the_option_and_its_variable(tmp_path: Path) -> None:
    spec = Path(__file__).parent.parent.parent / "specs" / "feed"
    config = {
        **json.loads(
            json.dumps(__import__("yaml").safe_load((spec / "stainless.yaml").read_text()))
        ),
        "client_settings": {
            "opts": {
                "bearer_token": {"read_env": "FEED_TOKEN", "auth": {"security_scheme": "Bearer"}}
            }
        },
    }
    openapi = __import__("yaml").safe_load((spec / "feed.openapi.yaml").read_text())
    openapi.setdefault("components", {})["securitySchemes"] = {
        "Bearer": {"type": "http", "scheme": "bearer"}
    }
    openapi["security"] = [{"Bearer": []}]
    (tmp_path / "feed.yaml").write_text(json.dumps(openapi))
    (tmp_path / "stainless.yaml").write_text(json.dumps(config))
    api, _ = build_api(tmp_path / "feed.yaml", tmp_path / "stainless.yaml")
    assert [(s.kind, s.options) for s in api.security] == [("bearer", ("bearer_token",))]
    assert [(o.name, o.env) for o in api.client_options] == [("bearer_token", "FEED_TOKEN")]


def test_parameters_the_address_does_not_use(tmp_path: Path) -> None:
    doc = secured("bearer")
    doc["channels"]["trades"]["parameters"] = {
        "book": {},
        "depth": {"enum": ["5", "10"], "default": "5", "description": "Book depth."},
        "traceId": {"location": "$message.header#/X-Trace-Id"},
        "Authorization": {"location": "$message.header#/Authorization"},
        "userId": {"location": "$message.payload#/user/id"},
    }
    doc["channels"]["trades"]["bindings"] = {
        "ws": {
            "headers": {
                "type": "object",
                "required": ["X-Client"],
                "properties": {"X-Client": {"type": "string"}, "Authorization": {"type": "string"}},
            }
        }
    }
    api, warnings = read(tmp_path, doc)
    channel = api.channels[0]
    assert [(p.name, p.wire, p.type) for p in channel.query_params] == [
        ("depth", "depth", m.LiteralType(("5", "10")))
    ]
    assert [(p.name, p.wire, p.required) for p in channel.header_params] == [
        ("x_client", "X-Client", True),
        ("trace_id", "X-Trace-Id", False),
    ]
    said = "\n".join(warnings)
    assert (
        "parameter 'depth' is not in the address /trades/{book}; connect() takes it as a "
        "query parameter (depth=)" in said
    )
    assert "connect() takes it as the 'X-Trace-Id' handshake header (trace_id=)" in said
    assert "parameter 'userId' is read from each message's payload" in said
    assert said.count("carries security scheme 'bearer'") == 2  # the binding's and the parameter


# --- through a generated SDK, on the wire ----------------------------------------------------


def handshake(server: WsServer, sdk: dict[str, Any], **client_kwargs: Any) -> Any:
    client = sdk["desk_sdk"].Desk(base_url=server.url, **client_kwargs)
    with client.trades.connect(book="b1") as conn:
        conn.close()
    return server.accepted()[-1]


def test_credentials_reach_the_handshake_where_the_spec_says(
    tmp_path: Path, server: WsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk = sdk_from(tmp_path, secured("bearer", "headerKey", "basic"))
    seen = handshake(server, sdk, api_key="k-123")
    assert seen.headers["Authorization"] == "Bearer k-123"
    # the other alternatives, from their own options
    seen = handshake(server, sdk, header_key="h-9", username="ann", password="pw")
    assert seen.headers["X-Api-Key"] == "h-9"
    assert seen.headers["Authorization"] == "Basic " + base64.b64encode(b"ann:pw").decode()
    # from the environment, as a Stainless client reads OPENAI_API_KEY
    monkeypatch.setenv("DESK_API_KEY", "env-key")
    assert handshake(server, sdk).headers["Authorization"] == "Bearer env-key"
    # the user's own headers still win
    seen = handshake(server, sdk, headers={"authorization": "Bearer mine"})
    assert seen.headers["authorization"] == "Bearer mine"


def test_no_credentials_is_refused_when_the_spec_requires_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk = sdk_from(tmp_path, secured("bearer", "basic"))
    monkeypatch.delenv("DESK_API_KEY", raising=False)
    with pytest.raises(MissingCredentialsError) as info:
        sdk["desk_sdk"].AsyncDesk(base_url="wss://desk.example")
    assert str(info.value) == (
        "AsyncDesk needs credentials: pass api_key= or set DESK_API_KEY; "
        "or pass username= and password= or set DESK_USERNAME and DESK_PASSWORD"
    )


def test_optional_security_connects_without(tmp_path: Path, server: WsServer) -> None:
    doc = secured("bearer", v3=False)
    doc["asyncapi"] = "3.0.0"
    doc["servers"]["prod"]["security"] = [{"$ref": "#/components/securitySchemes/bearer"}]
    sdk = sdk_from(tmp_path, doc)
    with pytest.raises(MissingCredentialsError):
        sdk["desk_sdk"].Desk(base_url=server.url)
    # a scheme sockgen cannot send: the SDK connects without, and the user adds what it needs
    sdk = sdk_from(tmp_path / "x509", secured("mtls"))
    assert "Authorization" not in handshake(server, sdk).headers


def test_a_query_key_is_sent_and_never_shown(
    tmp_path: Path, server: WsServer, caplog: pytest.LogCaptureFixture
) -> None:
    sdk = sdk_from(tmp_path, secured("queryKey", "cookieKey"))
    seen = handshake(server, sdk, api_key="s3cret", cookie_key="c00kie")
    assert parse_qs(urlsplit(seen.path).query)["token"] == ["s3cret"]
    assert seen.headers["Cookie"] == "session=c00kie"
    client = sdk["desk_sdk"].Desk(base_url=server.url, api_key="s3cret", cookie_key="c00kie")
    with client.trades.connect(book="b1") as conn:
        assert "token=%2A%2A%2A" in conn.url or "token=***" in conn.url
        assert "s3cret" not in conn.url
        conn.close()
    caplog.set_level(logging.DEBUG)
    server.refuse_next = 1
    with pytest.raises(WebSocketConnectError) as info:
        with client.trades.connect(book="b1"):
            pass
    # every log line but the test server's own (websockets.server): the client's, websockets'
    logs = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")]
    assert any("GET /trades/b1" in line for line in logs)  # (its debug log was on)
    shown = [str(info.value), repr(info.value), info.value.url, repr(client.__dict__), *logs]
    assert not [text for text in shown if "s3cret" in text or "c00kie" in text]
    assert "token=***" in str(info.value)


def test_typed_headers_and_query_reach_the_handshake(tmp_path: Path, server: WsServer) -> None:
    doc = base()
    doc["channels"]["trades"]["parameters"]["depth"] = {"enum": ["5", "10"]}
    doc["channels"]["trades"]["bindings"] = {
        "ws": {
            "headers": {
                "type": "object",
                "required": ["X-Client"],
                "properties": {"X-Client": {"type": "string"}, "X-Beta": {"type": "boolean"}},
            }
        }
    }
    sdk = sdk_from(tmp_path, doc)
    client = sdk["desk_sdk"].Desk(base_url=server.url)
    with client.trades.connect(book="b1", x_client="cli/1", x_beta=True, depth="10") as conn:
        conn.close()
    seen = server.accepted()[-1]
    assert (seen.headers["X-Client"], seen.headers["X-Beta"]) == ("cli/1", "true")
    assert parse_qs(urlsplit(seen.path).query) == {"depth": ["10"]}
    with client.trades.connect(book="b1", x_client="cli/1") as conn:  # None: not sent
        conn.close()
    assert "X-Beta" not in server.accepted()[-1].headers


def test_the_fake_and_its_clients_carry_made_up_credentials(tmp_path: Path) -> None:
    sdk = sdk_from(tmp_path, secured("bearer"))

    async def session() -> None:
        async with sdk["desk_sdk.testing"].FakeDesk() as fake:
            async with fake.async_client().trades.connect(book="b1"):
                peer = await fake.trades.accept()
                assert peer.headers["authorization"] == "Bearer fake-api-key"

    asyncio.run(session())
