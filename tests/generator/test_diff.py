"""``sockgen api`` and ``sockgen diff``: one minimal old/new pair per rule, and the
same edit classified differently on the two sides."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator.desk import Doc, api_of, base, payload
from sockgen.api.diff import RULES, Change, diff
from sockgen.api.surface import dumps
from sockgen.cli import main


def both(
    tmp_path: Path, edit: Callable[[Doc], None], first: Callable[[Doc], None] | None = None
) -> list[Change]:
    """The changes ``edit`` makes to the base document (to which ``first`` is applied)."""
    old = base()
    if first is not None:
        first(old)
    new = copy.deepcopy(old)
    edit(new)
    return diff(api_of(tmp_path, old, "old"), api_of(tmp_path, new, "new"))


def add_field(message: str, required: bool) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        payload(doc, message)["properties"]["extra"] = {"type": "string"}
        if required:
            payload(doc, message)["required"].append("extra")

    return edit


def remove_field(message: str, name: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        del payload(doc, message)["properties"][name]
        if name in payload(doc, message)["required"]:
            payload(doc, message)["required"].remove(name)

    return edit


def set_enum(message: str, name: str, values: list[str]) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        payload(doc, message)["properties"][name] = {"enum": values}

    return edit


def retype(message: str, name: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        payload(doc, message)["properties"][name] = {"type": "integer"}

    return edit


def unrequire(message: str, name: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        payload(doc, message)["required"].remove(name)

    return edit


def require(message: str, name: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        payload(doc, message)["required"].append(name)

    return edit


def drop_message(message: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        del doc["channels"]["trades"]["messages"][message]
        op = "sendOrder" if message == "order" else "receiveFilled"
        del doc["operations"][op]

    return edit


def add_message(side: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        name = "cancel" if side == "send" else "rejected"
        doc["channels"]["trades"]["messages"][name] = {
            "payload": {"type": "object", "properties": {"type": {"const": name}}}
        }
        op = "sendOrder" if side == "send" else "receiveFilled"
        doc["operations"][op]["messages"].append({"$ref": f"#/channels/trades/messages/{name}"})

    return edit


def retag(message: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        payload(doc, message)["properties"]["type"] = {"const": message + "_v2"}

    return edit


def set_address(address: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        doc["channels"]["trades"]["address"] = address
        names = [p.strip("{}") for p in address.split("/") if p.startswith("{")]
        doc["channels"]["trades"]["parameters"] = {n: {} for n in names}

    return edit


def query(required: bool) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        doc["channels"]["trades"]["bindings"] = {
            "ws": {
                "query": {
                    "type": "object",
                    "properties": {"token": {"type": "string"}},
                    "required": ["token"] if required else [],
                }
            }
        }

    return edit


def rename_channel(doc: Doc) -> None:
    doc["channels"]["desk"] = doc["channels"].pop("trades")
    for op in doc["operations"].values():
        op["channel"]["$ref"] = "#/channels/desk"
        for ref in op["messages"]:
            ref["$ref"] = ref["$ref"].replace("/trades/", "/desk/")


def rename_model(doc: Doc) -> None:
    doc["channels"]["trades"]["messages"]["order"]["name"] = "PlaceOrder"


def title(doc: Doc) -> None:
    doc["info"]["title"] = "Trading Desk"


def add_channel(doc: Doc) -> None:
    doc["channels"]["status"] = {
        "address": "/status",
        "messages": {
            "up": {"payload": {"type": "object", "properties": {"type": {"const": "up"}}}}
        },
    }
    doc["operations"]["receiveUp"] = {
        "action": "receive",
        "channel": {"$ref": "#/channels/status"},
        "messages": [{"$ref": "#/channels/status/messages/up"}],
    }


def base_url(doc: Doc) -> None:
    doc["servers"]["prod"]["host"] = "desk2.example"


def drop_channel(doc: Doc) -> None:
    del doc["channels"]["status"]
    del doc["operations"]["receiveUp"]


#: rule -> the edit that must produce it (every rule in RULES has one).
def to_msgpack(message: str) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        doc["channels"]["trades"]["messages"][message]["contentType"] = "application/msgpack"

    return edit


def with_reply(correlated: bool) -> Callable[[Doc], None]:
    """``order`` answered by ``filled`` (matched by ``symbol`` when ``correlated``)."""

    def edit(doc: Doc) -> None:
        doc["operations"]["sendOrder"]["reply"] = {
            "channel": {"$ref": "#/channels/trades"},
            "messages": [{"$ref": "#/channels/trades/messages/filled"}],
        }
        if correlated:
            for name in ("order", "filled"):
                doc["channels"]["trades"]["messages"][name]["correlationId"] = {
                    "location": "$message.payload#/symbol"
                }

    return edit


def drop_reply(doc: Doc) -> None:
    del doc["operations"]["sendOrder"]["reply"]


def drop_correlation(doc: Doc) -> None:
    for name in ("order", "filled"):
        del doc["channels"]["trades"]["messages"][name]["correlationId"]


CASES: dict[str, Callable[[Doc], None]] = {
    "client-event-reply-added": with_reply(False),
    "client-event-reply-changed": drop_reply,
    "client-event-reply-correlation-changed": drop_correlation,
    "client-event-encoding-changed": to_msgpack("order"),
    "server-event-encoding-changed": to_msgpack("filled"),
    "client-event-removed": drop_message("order"),
    "client-event-added": add_message("send"),
    "client-event-tag-changed": retag("order"),
    "client-field-added-required": add_field("order", True),
    "client-field-added-optional": add_field("order", False),
    "client-field-removed": remove_field("order", "note"),
    "client-field-type-changed": retype("order", "symbol"),
    "client-field-made-required": require("order", "note"),
    "client-field-made-optional": unrequire("order", "side"),
    "client-enum-value-removed": set_enum("order", "side", ["buy", "sell"]),
    "client-enum-value-added": set_enum("order", "side", ["buy", "sell", "hold", "short"]),
    "server-event-removed": drop_message("filled"),
    "server-event-added": add_message("receive"),
    "server-event-tag-changed": retag("filled"),
    "server-field-removed": remove_field("filled", "price"),
    "server-field-made-optional": unrequire("filled", "price"),
    "server-field-type-changed": retype("filled", "symbol"),
    "server-enum-value-added": set_enum("filled", "venue", ["a", "b", "c", "d"]),
    "server-enum-value-removed": set_enum("filled", "venue", ["a", "b"]),
    "server-field-added": add_field("filled", True),
    "server-field-made-required": require("filled", "venue"),
    "channel-removed": drop_channel,
    "channel-added": add_channel,
    "address-changed": set_address("/trades/{book}/live"),
    "param-added-required": query(True),
    "param-added-optional": query(False),
    "param-removed": set_address("/trades"),
    "base-url-changed": base_url,
    "python-client-renamed": title,
    "python-attribute-renamed": rename_channel,
    "python-class-renamed": rename_model,
}
#: Cases whose old document is not the base one.
OLD = {
    "channel-removed": add_channel,
    "client-event-reply-changed": with_reply(False),
    "client-event-reply-correlation-changed": with_reply(True),
}
#: Rules that only a surface edited by hand, or a spec change this small document cannot
#: make, produces; each still has a test below.
BY_HAND = {
    "python-field-renamed",
    "client-event-type-changed",
    "server-event-type-changed",
    "param-type-changed",
    "param-made-required",
    "python-package-renamed",
    "python-helper-renamed",
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule(tmp_path: Path, rule: str) -> None:
    changes = both(tmp_path, CASES[rule], OLD.get(rule))
    assert rule in {c.rule for c in changes}, [c.line() for c in changes]
    change = next(c for c in changes if c.rule == rule)
    severity, direction, _ = RULES[rule]
    assert (change.severity, change.direction) == (severity, direction)


def test_every_rule_has_a_case() -> None:
    assert set(CASES) | BY_HAND == set(RULES)


def test_the_same_edit_is_classified_by_its_direction(tmp_path: Path) -> None:
    """A required field, an optional field, an enum value, a field made optional: breaking
    on one side, harmless on the other."""
    pairs = [
        (add_field("order", True), add_field("filled", True)),
        (
            set_enum("order", "side", ["buy", "sell", "hold", "x"]),
            set_enum("filled", "venue", ["a", "b", "c", "x"]),
        ),
        (unrequire("order", "side"), unrequire("filled", "price")),
        (set_enum("order", "side", ["buy", "sell"]), set_enum("filled", "venue", ["a", "b"])),
    ]
    for client_edit, server_edit in pairs:
        client = {c.severity for c in both(tmp_path, client_edit) if c.direction != "python"}
        server = {c.severity for c in both(tmp_path, server_edit) if c.direction != "python"}
        assert client != server, (client, server)


def hand_edit(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> list[Change]:
    old = api_of(tmp_path, base(), "old")
    new = copy.deepcopy(old)
    edit(new)
    return diff(old, new)


@pytest.mark.parametrize(
    ("rule", "path", "value"),
    [
        (
            "client-event-type-changed",
            ["channels", "trades", "client_events", "order", "type"],
            "str",
        ),
        (
            "server-event-type-changed",
            ["channels", "trades", "server_events", "filled", "type"],
            "str",
        ),
        ("param-type-changed", ["channels", "trades", "path_params", "book", "type"], "int"),
        ("python-package-renamed", ["package"], "desk2_sdk"),
        (
            "python-helper-renamed",
            ["channels", "trades", "client_events", "order", "helper"],
            "place",
        ),
    ],
)
def test_rules_on_edited_surfaces(tmp_path: Path, rule: str, path: list[str], value: str) -> None:
    def edit(surface_: dict[str, Any]) -> None:
        node = surface_
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    assert rule in {c.rule for c in hand_edit(tmp_path, edit)}


def test_a_query_parameter_made_required(tmp_path: Path) -> None:
    old = base()
    query(False)(old)
    new = base()
    query(True)(new)
    changes = diff(api_of(tmp_path, old, "old"), api_of(tmp_path, new, "new"))
    assert [c.rule for c in changes] == ["param-made-required"]


def test_a_spec_against_itself_is_no_change(tmp_path: Path) -> None:
    assert both(tmp_path, lambda doc: None) == []


def test_the_surface_is_canonical(tmp_path: Path) -> None:
    one = dumps(api_of(tmp_path, base(), "a"))
    reordered = base()
    reordered["channels"]["trades"]["messages"] = dict(
        reversed(list(reordered["channels"]["trades"]["messages"].items()))
    )
    assert dumps(api_of(tmp_path, reordered, "b")) == one
    data = json.loads(one)
    fields = data["models"]["Order"]["fields"]
    assert fields["side"] == {
        "enum": ['"buy"', '"hold"', '"sell"'],
        "name": "side",
        "nullable": False,
        "required": True,
        "type": 'Literal["buy", "sell", "hold"]',
    }
    assert data["channels"]["trades"]["client_events"]["order"]["helper"] == "order"


def test_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(base()))
    edited = base()
    remove_field("filled", "price")(edited)
    add_field("filled", False)(edited)
    new.write_text(yaml.safe_dump(edited))
    common = ["-p", "desk_sdk", "--direction", "client"]
    assert main(["api", str(old), *common]) == 0
    snapshot = tmp_path / "old.api.json"
    snapshot.write_text(capsys.readouterr().out)
    assert main(["diff", str(snapshot), str(new), *common]) == 1
    out = capsys.readouterr().out
    assert (
        "BREAKING server-field-removed [server-to-client] server model Filled: field price" in out
    )
    assert "/properties/price): code that reads it breaks" in out
    assert "INFO server-field-added" in out and out.endswith("2 changes (1 breaking, 1 info)\n")
    assert main(["diff", str(old), str(new), *common, "--fail-on", "never"]) == 0
    capsys.readouterr()
    assert main(["diff", str(old), str(old), *common, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_docs_table_lists_every_rule() -> None:
    """docs/diff.md's table is the rules, with their severities and directions."""
    docs = Path("docs/diff.md")  # run from the build root (Pants' sandbox too)
    rows = {}
    for line in docs.read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1], cells[2].replace(" ", "-"))
    assert rows == {rule: (severity, way) for rule, (severity, way, _) in RULES.items()}


@pytest.mark.parametrize("message", ["order", "filled"])
def test_a_ref_replaced_by_an_inline_copy_is_compared_field_by_field(
    tmp_path: Path, message: str
) -> None:
    """A payload moved from ``components`` to an inline copy gets another class name; the
    fields it lost are still reported, on the side of the event."""

    def to_component(doc: Doc) -> None:
        schema = payload(doc, message)
        doc.setdefault("components", {}).setdefault("schemas", {})["Shared"] = schema
        doc["channels"]["trades"]["messages"][message]["payload"] = {
            "$ref": "#/components/schemas/Shared"
        }

    def to_inline_copy(doc: Doc) -> None:
        schema = copy.deepcopy(doc["components"]["schemas"].pop("Shared"))
        del doc["components"]
        schema["properties"].pop("symbol")
        schema["required"].remove("symbol")
        doc["channels"]["trades"]["messages"][message]["payload"] = schema

    changes = both(tmp_path, to_inline_copy, to_component)
    side = "client" if message == "order" else "server"
    rules = {c.rule for c in changes}
    assert f"{side}-field-removed" in rules, [c.line() for c in changes]
    removed = next(c for c in changes if c.rule == f"{side}-field-removed")
    assert "field symbol" in removed.where
    # the fields that stayed the same are not reported
    assert not [c for c in changes if "field side" in c.where or "field price" in c.where]


def test_a_nested_ref_inlined_is_compared_field_by_field(tmp_path: Path) -> None:
    leg = {
        "type": "object",
        "required": ["qty", "venue"],
        "properties": {"qty": {"type": "integer"}, "venue": {"type": "string"}},
    }

    def with_leg(doc: Doc) -> None:
        doc["components"] = {"schemas": {"Leg": leg}}
        payload(doc, "order")["properties"]["legs"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Leg"},
        }

    def inline_leg(doc: Doc) -> None:
        inline = copy.deepcopy(doc.pop("components")["schemas"]["Leg"])
        del inline["properties"]["venue"]
        inline["required"] = ["qty"]
        payload(doc, "order")["properties"]["legs"]["items"] = inline

    changes = both(tmp_path, inline_leg, with_leg)
    lines = [c.line() for c in changes]
    assert {c.rule for c in changes} == {"python-class-renamed", "client-field-removed"}, lines
    removed = next(c for c in changes if c.rule == "client-field-removed")
    assert removed.where.endswith("(was Leg): field venue"), lines
