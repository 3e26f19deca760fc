"""Requests and replies in the model: each client event the operations pair with a
``reply``, and how the two are matched (``correlationId``, else in order); shown by
``sockgen inspect`` and the README."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from generator.desk import Doc, base
from generator.support import corpus_dir, sdk_from
from runtime.wsserver import WsServer
from sockgen import model as m
from sockgen.cli import main
from sockgen.errors import SpecError
from sockgen.generate import build_api, generate
from sockgen_runtime import ReplyError
from websockets.asyncio.server import ServerConnection


def read(tmp_path: Path, doc: Doc, direction: str = "client") -> tuple[m.Api, list[str]]:
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(doc))
    api, warnings = build_api(path, None, "desk_sdk", direction)
    return api, [str(w) for w in warnings]


def rpc(correlated: tuple[str, ...] = ("order", "filled"), location: str = "id") -> Doc:
    """The desk as JSON-RPC: ``order`` is a request whose reply is ``filled``, both
    carrying ``id``; ``correlated`` name the messages that declare it."""
    doc = base()
    messages = doc["channels"]["trades"]["messages"]
    for name in ("order", "filled"):
        messages[name]["payload"]["properties"]["id"] = {"type": "integer"}
    for name in correlated:
        messages[name]["correlationId"] = {"location": f"$message.payload#/{location}"}
    doc["operations"]["sendOrder"]["reply"] = {
        "channel": {"$ref": "#/channels/trades"},
        "messages": [{"$ref": "#/channels/trades/messages/filled"}],
    }
    return doc


def request(api: m.Api) -> m.Message:
    return next(msg for msg in api.channels[0].client_messages if msg.event == "order")


def test_a_correlation_id_on_both_pairs_them_by_it(tmp_path: Path) -> None:
    api, warnings = read(tmp_path, rpc())
    assert request(api).reply == m.Reply(
        ("Filled",), "trades", "id", "desk.yaml#/channels/trades/messages/order"
    )
    assert not [w for w in warnings if "correlation" in w]


def test_without_one_the_next_reply_answers(tmp_path: Path) -> None:
    api, _ = read(tmp_path, rpc(correlated=()))
    reply = request(api).reply
    assert reply is not None and (reply.messages, reply.correlation) == (("Filled",), None)


def test_a_reply_that_carries_the_requests_id_is_matched_by_it(tmp_path: Path) -> None:
    """Kraken declares ``correlationId`` on the request only; its replies have ``reqid``."""
    api, warnings = read(tmp_path, rpc(correlated=("order",)))
    reply = request(api).reply
    assert reply is not None and reply.correlation == "id"
    assert not [w for w in warnings if "correlation" in w]
    # written the other way: a reply without that property is paired in order, said so
    doc = rpc(correlated=("order",))
    del doc["channels"]["trades"]["messages"]["filled"]["payload"]["properties"]["id"]
    api, warnings = read(tmp_path, doc)
    reply = request(api).reply
    assert reply is not None and reply.correlation is None
    assert [w for w in warnings if "different correlationIds" in w and "paired in order" in w]


def test_a_nested_correlation_id_pairs_by_its_path(tmp_path: Path) -> None:
    doc = rpc(location="meta/id")
    for name in ("order", "filled"):
        props = doc["channels"]["trades"]["messages"][name]["payload"]["properties"]
        props["meta"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    api, warnings = read(tmp_path, doc)
    reply = request(api).reply
    assert reply is not None and reply.correlation == "meta/id"
    assert not [w for w in warnings if "paired in order" in w]


def test_a_correlation_id_no_message_has_is_paired_in_order_with_a_warning(
    tmp_path: Path,
) -> None:
    api, warnings = read(tmp_path, rpc(location="meta/id"))  # "id" is at the top
    reply = request(api).reply
    assert reply is not None and reply.correlation is None
    said = [w for w in warnings if "names meta/id, which not every message" in w]
    assert said and "/channels/trades/messages/order" in said[0]
    _, warnings = read(tmp_path, rpc(location=""))
    assert [w for w in warnings if "names no payload property" in w]


def test_only_the_clients_requests_get_a_reply(tmp_path: Path) -> None:
    """A server that asks (its ``send`` with a ``reply``): the client answers; no client
    event gets a reply then. Read from the server's side, the same document pairs nothing
    for the client either."""
    doc = rpc()
    api, _ = read(tmp_path, doc, "server")
    assert all(msg.reply is None for msg in api.channels[0].client_messages)


def test_a_reply_on_another_channel(tmp_path: Path) -> None:
    doc = rpc()
    channels = doc["channels"]
    channels["fills"] = {
        "address": "/fills",
        "messages": {"filled": copy.deepcopy(channels["trades"]["messages"]["filled"])},
    }
    doc["operations"]["sendOrder"]["reply"] = {
        "channel": {"$ref": "#/channels/fills"},
        "messages": [{"$ref": "#/channels/fills/messages/filled"}],
    }
    api, _ = read(tmp_path, doc)
    reply = request(api).reply
    assert reply is not None and reply.channel == "fills"
    # no helper can wait on another socket: the README says where the reply comes
    readme = generate(tmp_path / "desk.yaml", None, "desk_sdk", direction="client").files
    line = next(x for x in readme["desk_sdk/README.md"].splitlines() if "is answered by" in x)
    assert "on the `fills` channel (another connection: no helper waits for it)" in line
    assert "request_order" not in readme["desk_sdk/trades/connection.py"]


def test_inspect_and_the_readme_show_each_request_and_its_reply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(rpc()))
    assert main(["inspect", str(path), "--direction", "client"]) == 0
    out = capsys.readouterr().out
    assert "    order [type='order'] -> Order (json); reply: Filled, matched by id" in out
    result = generate(path, None, "desk_sdk", direction="client")
    readme = result.files["desk_sdk/README.md"]
    assert (
        "- `order` is answered by `Filled`, with the same `id`: `conn.request_order(...)` "
        "sends it and returns the reply" in readme
    )


def test_the_corpus_requests(tmp_path: Path) -> None:
    """Kraken's request/reply examples (``reqid``), read from its own document."""
    spec = corpus_dir() / "kraken-multichannel-asyncapi3.yaml"  # (fails under CI if absent)
    api, _ = build_api(spec, None, "kraken_sdk")
    replies: dict[str, Any] = {
        msg.event: (msg.reply.messages, msg.reply.correlation)
        for c in api.channels
        for msg in c.client_messages
        if msg.reply is not None
    }
    assert replies["ping"] == (("Pong",), "reqid")
    assert replies["subscribe"][1] == "reqid"
    assert "SubscriptionStatusSuccess" in replies["subscribe"][0]


# --- request_<event>() through a generated SDK, on a real server -------------------------


def answer_in_reverse(server: WsServer, count: int) -> None:
    """Read ``count`` orders, then fill them last first, each with its order's id."""

    async def script(ws: ServerConnection, index: int) -> None:
        orders = [json.loads(await ws.recv()) for _ in range(count)]
        for order in reversed(orders):
            fill = {
                "type": "filled",
                "symbol": order["symbol"],
                "price": 1.0,
                "id": order.get("id"),
            }
            await ws.send(json.dumps(fill))
        await asyncio.sleep(0.1)
        await ws.close()

    server.script = script


def test_request_helpers_make_the_id_and_match_the_reply(tmp_path: Path, server: WsServer) -> None:
    sdk = sdk_from(tmp_path, rpc())
    answer_in_reverse(server, 2)

    async def both() -> tuple[Any, Any, list[Any]]:
        client = sdk["desk_sdk"].AsyncDesk(base_url=server.url)
        async with client.trades.connect(book="b1") as conn:
            one, two = await asyncio.gather(
                conn.request_order(symbol="A", side="buy"),
                conn.request_order(symbol="B", side="sell", id=42),
            )
            return one, two, [event async for event in conn]

    one, two, events = asyncio.run(both())
    assert (one.symbol, two.symbol, two.id) == ("A", "B", 42)
    assert isinstance(one.id, int)  # made by the helper
    assert [e.symbol for e in events] == ["B", "A"]  # replies are events too
    # the blocking client, in order (no correlationId in the spec)
    sdk = sdk_from(tmp_path / "in_order", rpc(correlated=()))
    answer_in_reverse(server, 1)
    client = sdk["desk_sdk"].Desk(base_url=server.url)
    with client.trades.connect(book="b1") as conn:
        assert conn.request_order(symbol="C", side="buy", deliver_reply=False).symbol == "C"
        assert list(conn) == []


def test_the_fakes_reply_carries_the_requests_id(tmp_path: Path) -> None:
    sdk = sdk_from(tmp_path, rpc())
    testing, messages = sdk["desk_sdk.testing"], sdk["desk_sdk.trades.messages"]

    async def session() -> Any:
        async with testing.FakeDesk() as fake:
            # the callback sets no id: the fake gives the reply the request's
            fake.trades.reply(
                messages.Order, lambda order: messages.Filled(symbol=order.symbol, price=2.0)
            )
            async with fake.async_client().trades.connect(book="b1") as conn:
                return await conn.request_order(symbol="Z", side="buy", id=7, timeout=5)

    filled = asyncio.run(session())
    assert (filled.symbol, filled.price, filled.id) == ("Z", 2.0, 7)


def with_rejection(doc: Doc, name: str = "rejected") -> Doc:
    """``order`` may also be answered by ``name`` (a second reply)."""
    doc["channels"]["trades"]["messages"][name] = {
        "payload": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"const": name}, "id": {"type": "integer"}},
        }
    }
    ref = {"$ref": f"#/channels/trades/messages/{name}"}
    doc["operations"]["sendOrder"]["reply"]["messages"].append(ref)
    doc["operations"]["receiveFilled"]["messages"].append(ref)
    return doc


def test_a_reply_named_for_a_failure_is_an_error_reply(tmp_path: Path) -> None:
    api, _ = read(tmp_path, with_rejection(rpc()))
    reply = request(api).reply
    assert reply is not None and (reply.messages, reply.errors) == (
        ("Filled", "Rejected"),
        ("Rejected",),
    )
    # written the other way: a name that only mentions errors is no failure
    api, _ = read(tmp_path, with_rejection(rpc(), "error_count"))
    reply = request(api).reply
    assert reply is not None and reply.errors == ()


def test_the_config_says_which_replies_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(with_rejection(rpc())))
    for listed, errors in (([], ()), (["Filled"], ("Filled",))):
        config = tmp_path / "config.yaml"
        config.write_text(json.dumps({"sockgen": {"error_replies": listed}}))
        api, _ = build_api(path, config, "desk_sdk", "client")
        reply = request(api).reply
        assert reply is not None and reply.errors == errors
    config.write_text(json.dumps({"sockgen": {"error_replies": "Rejected"}}))
    with pytest.raises(SpecError, match="/sockgen/error_replies.*list of message class names"):
        build_api(path, config, "desk_sdk", "client")


def test_an_error_reply_raises_carrying_its_model(tmp_path: Path) -> None:
    sdk = sdk_from(tmp_path, with_rejection(rpc()))
    testing, messages = sdk["desk_sdk.testing"], sdk["desk_sdk.trades.messages"]

    async def session() -> Any:
        async with testing.FakeDesk() as fake:
            fake.trades.reply(messages.Order, lambda order: messages.Rejected())
            async with fake.async_client().trades.connect(book="b1") as conn:
                with pytest.raises(ReplyError) as info:
                    await conn.request_order(symbol="Z", side="buy", id=9, timeout=5)
                return info.value.reply

    rejected = asyncio.run(session())
    assert isinstance(rejected, sdk["desk_sdk.trades.messages"].Rejected) and rejected.id == 9


def test_a_handler_class_hook_requests_and_its_handler_sees_the_reply(tmp_path: Path) -> None:
    sdk = sdk_from(tmp_path, rpc())
    testing, messages = sdk["desk_sdk.testing"], sdk["desk_sdk.trades.messages"]
    handler_class = sdk["desk_sdk.trades.client"].TradesClient

    class Desk(handler_class):  # type: ignore[misc, valid-type]
        answered: Any = None
        handled: ClassVar[list[Any]] = []

        async def send_init_message(self) -> None:
            assert self.connection is not None  # the channel's connection, its helpers too
            self.answered = await self.connection.request_order(
                symbol="Z", side="buy", id=4, timeout=5
            )

        async def handle_message(self, message: Any) -> None:
            self.handled.append(message)
            await self.disconnect()

    async def session() -> Desk:
        async with testing.FakeDesk() as fake:
            fake.trades.reply(
                messages.Order, lambda order: messages.Filled(symbol=order.symbol, price=3.0)
            )
            desk = Desk(fake.url, path_params={"book": "b1"})
            await asyncio.wait_for(desk.handle(), 10)
            return desk

    desk = asyncio.run(session())
    assert isinstance(desk.answered, messages.Filled) and desk.answered.id == 4
    assert desk.handled == [desk.answered]  # the reply reaches handle_message too


def test_a_nested_id_is_made_matched_and_filled_in_by_the_fake(tmp_path: Path) -> None:
    doc = rpc(location="meta/id")
    for name in ("order", "filled"):
        props = doc["channels"]["trades"]["messages"][name]["payload"]["properties"]
        props["meta"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    sdk = sdk_from(tmp_path, doc)
    testing, messages = sdk["desk_sdk.testing"], sdk["desk_sdk.trades.messages"]

    async def session() -> Any:
        async with testing.FakeDesk() as fake:
            # the answer's meta has no id: the fake gives it the request's
            fake.trades.reply(
                messages.Order, lambda o: messages.Filled(symbol=o.symbol, price=1.0, meta={})
            )
            async with fake.async_client().trades.connect(book="b1") as conn:
                return await conn.request_order(symbol="Z", side="buy", meta={"id": "m-7"})

    filled = asyncio.run(session())
    assert filled.meta.id == "m-7"
