"""The document the diff and snapshot tests edit: one channel of a trading desk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sockgen.api.surface import surface
from sockgen.generate import build_api

Doc = dict[str, Any]


def base() -> Doc:
    """A channel whose client sends ``order`` and receives ``filled``, written from the
    client's side (``--direction client``)."""
    order = {
        "type": "object",
        "required": ["type", "symbol", "side"],
        "properties": {
            "type": {"const": "order"},
            "symbol": {"type": "string"},
            "side": {"enum": ["buy", "sell", "hold"]},
            "note": {"type": "string"},
        },
    }
    filled = {
        "type": "object",
        "required": ["type", "symbol", "price"],
        "properties": {
            "type": {"const": "filled"},
            "symbol": {"type": "string"},
            "price": {"type": "number"},
            "venue": {"enum": ["a", "b", "c"]},
        },
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Desk", "version": "1.0.0"},
        "servers": {"prod": {"host": "desk.example", "protocol": "wss"}},
        "channels": {
            "trades": {
                "address": "/trades/{book}",
                "parameters": {"book": {}},
                "messages": {"order": {"payload": order}, "filled": {"payload": filled}},
            }
        },
        "operations": {
            "sendOrder": {
                "action": "send",
                "channel": {"$ref": "#/channels/trades"},
                "messages": [{"$ref": "#/channels/trades/messages/order"}],
            },
            "receiveFilled": {
                "action": "receive",
                "channel": {"$ref": "#/channels/trades"},
                "messages": [{"$ref": "#/channels/trades/messages/filled"}],
            },
        },
    }


def api_of(tmp_path: Path, doc: Doc, name: str) -> dict[str, Any]:
    (tmp_path / name).mkdir(exist_ok=True)
    path = tmp_path / name / "desk.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    api, _ = build_api(path, None, "desk_sdk", "client")
    return surface(api)


def payload(doc: Doc, message: str) -> Doc:
    return doc["channels"]["trades"]["messages"][message]["payload"]  # type: ignore[no-any-return]
