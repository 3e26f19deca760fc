"""Requests and replies the spec pairs without an operation's ``reply``: a shared
correlationId (AsyncAPI 2.x JSON-RPC, a 3.0 document that leaves ``reply`` out), and the
config's ``sockgen.replies``, which has the last word. Each inference is tested on
documents written the other way too."""

from __future__ import annotations

import asyncio
import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator.desk import Doc, base
from generator.fuzzing import json_values
from generator.support import corpus_dir, import_all, lint, run_mypy, write
from hypothesis import given, settings
from hypothesis import strategies as st
from sockgen import model as m
from sockgen.errors import SpecError
from sockgen.generate import build_api, generate


def json_rpc_2x(response_id: str = "id") -> Doc:
    """JSON-RPC 2.0 over an AsyncAPI 2.6 channel: the client publishes ``call`` and
    subscribes to ``result`` and ``notice``; ``call`` and ``result`` name their ``id``
    as the correlationId (``result``'s at ``response_id``)."""

    def message(name: str, props: dict[str, Any], correlation: str | None) -> Doc:
        out: Doc = {
            "name": name,
            "payload": {
                "type": "object",
                "required": ["jsonrpc", *props],
                "properties": {"jsonrpc": {"const": "2.0"}, **props},
            },
        }
        if correlation:
            out["correlationId"] = {"location": f"$message.payload#/{correlation}"}
        return out

    call = message("call", {"id": {"type": "integer"}, "method": {"type": "string"}}, "id")
    result = message(
        "result", {response_id: {"type": "integer"}, "result": {"type": "number"}}, response_id
    )
    notice = message("notice", {"method": {"const": "notice"}, "note": {"type": "string"}}, None)
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "Calc", "version": "1.0.0"},
        "servers": {"prod": {"url": "wss://calc.example", "protocol": "wss"}},
        "channels": {
            "/rpc": {
                "publish": {"operationId": "sendCall", "message": call},
                "subscribe": {"operationId": "receive", "message": {"oneOf": [result, notice]}},
            }
        },
    }


def read(tmp_path: Path, doc: Doc, config: dict[str, Any] | None = None) -> tuple[m.Api, str]:
    """``doc`` read (a 2.x one from the server's side, as 2.x documents are written; the
    desk from the client's), with ``config`` as its ``sockgen`` section."""
    spec = tmp_path / "calc.yaml"
    spec.write_text(json.dumps(doc))
    cfg = None
    if config is not None:
        cfg = tmp_path / "sockgen.json"  # (read as JSON: any string survives its escapes)
        cfg.write_text(json.dumps({"sockgen": config}))
    direction = "client" if doc["asyncapi"].startswith("3.") else "server"
    api, warnings = build_api(spec, cfg, "calc_sdk", direction)
    return api, "\n".join(str(w) for w in warnings)


def client(api: m.Api, name: str) -> m.Message:
    return next(msg for c in api.channels for msg in c.client_messages if msg.name == name)


def test_a_2x_request_and_reply_that_share_a_correlation_id_are_paired(tmp_path: Path) -> None:
    api, warnings = read(tmp_path, json_rpc_2x())
    reply = client(api, "Call").reply
    assert reply is not None and (reply.messages, reply.correlation) == (("Result",), "id")
    assert "Call is answered by Result: they carry the same correlationId (id)" in warnings
    assert "sockgen.replies.Call" in warnings  # the key that says otherwise
    assert "(at /channels/~1rpc/publish/message/correlationId)" in warnings


def test_a_correlation_id_elsewhere_pairs_nothing(tmp_path: Path) -> None:
    # the other way: the server's messages name another property
    api, warnings = read(tmp_path, json_rpc_2x(response_id="ref"))
    assert client(api, "Call").reply is None
    assert "answered by" not in warnings
    # and a request without a correlationId is no request
    doc = json_rpc_2x()
    del doc["channels"]["/rpc"]["publish"]["message"]["correlationId"]
    api, _ = read(tmp_path, doc)
    assert client(api, "Call").reply is None


def test_a_3x_document_without_reply_pairs_by_correlation_id(tmp_path: Path) -> None:
    doc = base()
    messages = doc["channels"]["trades"]["messages"]
    for name in ("order", "filled"):
        messages[name]["payload"]["properties"]["id"] = {"type": "integer"}
        messages[name]["correlationId"] = {"location": "$message.payload#/id"}
    api, warnings = read(tmp_path, doc)
    reply = client(api, "Order").reply
    assert reply is not None and (reply.messages, reply.correlation) == (("Filled",), "id")
    assert "answered by Filled" in warnings


def test_a_clients_answer_to_the_servers_request_is_no_request(tmp_path: Path) -> None:
    """The server asks (``receive`` with a ``reply`` the client sends): the client's answer
    shares the id, and is not paired with the server's question as a request."""
    doc = base()
    messages = doc["channels"]["trades"]["messages"]
    for name in ("order", "filled"):
        messages[name]["payload"]["properties"]["id"] = {"type": "integer"}
        messages[name]["correlationId"] = {"location": "$message.payload#/id"}
    ops = doc["operations"]
    del ops["sendOrder"]
    ops["receiveFilled"]["reply"] = {"messages": [{"$ref": "#/channels/trades/messages/order"}]}
    api, warnings = read(tmp_path, doc)
    assert client(api, "Order").reply is None and "answered by" not in warnings


def test_the_config_pairs_corrects_and_removes_replies(tmp_path: Path) -> None:
    doc = json_rpc_2x(response_id="ref")  # nothing inferred
    # Result has no "id" (it carries "ref"): refused, naming the key
    with pytest.raises(SpecError, match=r"Result has no property 'id'") as info:
        read(tmp_path, doc, {"replies": {"Call": {"replies": ["Result"], "correlation": "id"}}})
    assert info.value.pointer == "/sockgen/replies/Call/correlation"
    api, _ = read(tmp_path, doc, {"replies": {"Call": {"replies": ["Result", "Notice"]}}})
    reply = client(api, "Call").reply
    assert reply is not None and (reply.messages, reply.correlation) == (("Result", "Notice"), None)
    # an inferred reply removed
    api, warnings = read(tmp_path, json_rpc_2x(), {"replies": {"Call": {"replies": []}}})
    assert client(api, "Call").reply is None


@pytest.mark.parametrize(
    ("entry", "pointer", "says"),
    [
        ({"Cal": {"replies": ["Result"]}}, "/sockgen/replies/Cal", "Cal is no client event"),
        ({"Call": {"replies": ["Reslt"]}}, "/sockgen/replies/Call/replies/0", "Reslt is no server"),
        ({"Call": {"reply": ["Result"]}}, "/sockgen/replies/Call", "unknown key(s) reply"),
        ({"Call": {"replies": "Result"}}, "/sockgen/replies/Call/replies", "list of message"),
        ({"Call": ["Result"]}, "/sockgen/replies/Call", "must be a mapping"),
    ],
)
def test_a_wrong_config_entry_is_refused_where_it_is(
    tmp_path: Path, entry: dict[str, Any], pointer: str, says: str
) -> None:
    with pytest.raises(SpecError) as info:
        read(tmp_path, json_rpc_2x(), {"replies": entry})
    assert info.value.pointer == pointer and says in str(info.value)
    assert "sockgen.json" in str(info.value)


def test_a_2x_json_rpc_request_on_the_wire(tmp_path: Path) -> None:
    """The generated helper sends the call with a new id and returns the result that
    carries it, answered by the generated fake, among notices."""
    spec = tmp_path / "calc.yaml"
    spec.write_text(json.dumps(json_rpc_2x()))
    sdk = import_all(write(generate(spec, None, "calc_sdk"), tmp_path / "out"), "calc_sdk")
    testing, messages = sdk["calc_sdk.testing"], sdk["calc_sdk.rpc.messages"]

    async def session() -> tuple[Any, Any, Any]:
        async with testing.FakeCalc() as fake:
            fake.rpc.reply(
                messages.Call, lambda call: messages.Result(jsonrpc="2.0", id=call.id, result=42.0)
            )
            async with fake.async_client().rpc.connect() as conn:
                peer = await fake.rpc.accept()
                await peer.send(messages.Notice(jsonrpc="2.0", note="before"))
                first = await conn.request_call(method="answer", timeout=5)
                second = await conn.request_call(method="answer", timeout=5)
                notice = await conn.recv()  # passed over by the first request, kept in order
                return first, second, notice

    first, second, notice = asyncio.run(session())
    assert (first.result, second.result) == (42.0, 42.0)
    assert isinstance(first.id, int) and first.id != second.id  # made, sent, echoed, matched
    assert notice.note == "before"


SIGNALFISH_CONFIG = {
    "sockgen": {
        "replies": {
            "RoomOperation": {
                "replies": ["RoomOperationResult"],
                "correlation": "data/operation_id",
            }
        }
    }
}


def test_signalfish_room_operations_matched_by_their_nested_operation_id(tmp_path: Path) -> None:
    """signalfish pairs a RoomOperation with its RoomOperationResult by ``data.operation_id``
    in prose only: the config says so, and the generated helper matches the results of
    two operations answered out of order, on the wire, against the generated fake."""
    config = tmp_path / "sockgen.json"
    config.write_text(json.dumps(SIGNALFISH_CONFIG))
    spec = corpus_dir() / "signalfish-asyncapi3.yaml"
    out = write(generate(spec, config, "signalfish_sdk"), tmp_path / "out")
    sdk = import_all(out, "signalfish_sdk")
    testing, messages = sdk["signalfish_sdk.testing"], sdk["signalfish_sdk.signaling.messages"]
    first_id, second_id = (
        "00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000002",
    )

    def operation(operation_id: str) -> dict[str, Any]:
        return {"operation_id": operation_id, "operation": {"type": "LeaveRoom"}}

    async def session() -> tuple[Any, Any]:
        async with testing.FakeSignalFishSignalingProtocol() as fake:
            async with fake.async_client().signaling.connect() as conn:
                peer = await fake.signaling.accept()
                first = asyncio.ensure_future(
                    conn.request_room_operation(data=operation(first_id), timeout=5)
                )
                await peer.expect(messages.RoomOperation)
                second = asyncio.ensure_future(
                    conn.request_room_operation(data=operation(second_id), timeout=5)
                )
                await peer.expect(messages.RoomOperation)
                for operation_id in (second_id, first_id):  # answered the other way round
                    await peer.send(
                        messages.RoomOperationResult(
                            data={"operation_id": operation_id, "result": {"type": "RoomLeft"}}
                        )
                    )
                return await first, await second

    first, second = asyncio.run(session())
    assert (str(first.data.operation_id), str(second.data.operation_id)) == (first_id, second_id)


def test_inference_leaves_a_spec_with_replies_alone(tmp_path: Path) -> None:
    """A 3.0 document whose operation gives a ``reply`` keeps it (no warning)."""
    doc = base()
    doc = copy.deepcopy(doc)
    doc["operations"]["sendOrder"]["reply"] = {
        "messages": [{"$ref": "#/channels/trades/messages/filled"}]
    }
    api, warnings = read(tmp_path, doc)
    reply = client(api, "Order").reply
    assert reply is not None and reply.messages == ("Filled",) and "answered by" not in warnings


NAMES = st.sampled_from(["Call", "Result", "Notice", "id", "ref", "", "replies", "correlation"])
ENTRIES = st.one_of(
    json_values,
    st.dictionaries(
        NAMES,
        st.one_of(json_values, st.lists(st.one_of(NAMES, json_values), max_size=3), NAMES),
        max_size=3,
    ),
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(replies=st.one_of(json_values, st.dictionaries(NAMES, ENTRIES, max_size=3)))
def test_any_replies_section_is_read_or_refused_with_its_place(
    tmp_path_factory: pytest.TempPathFactory, replies: Any
) -> None:
    """Untrusted config: whatever ``sockgen.replies`` holds, the spec is read or refused
    with a SpecError naming the config file and a place under /sockgen; never a traceback."""
    tmp = tmp_path_factory.mktemp("replies")
    try:
        read(tmp, json_rpc_2x(), {"replies": replies})
    except SpecError as error:
        assert "sockgen.json" in str(error) and (error.pointer or "").startswith("/sockgen")


def test_a_nested_helper_gets_its_request_helper(tmp_path: Path) -> None:
    """OpenAPI + Stainless: ``room.send_message`` is nested by ``event_name_separator``; the
    config pairs it (and ``subscribe``, by ``channel``); the helpers sit beside the send
    ones (``conn.room.request_send_message``), type-check, and work on the wire."""
    for name in ("feed.openapi.yaml", "stainless.yaml"):
        shutil.copy(Path("specs/feed") / name, tmp_path / name)
    config = yaml.safe_load((tmp_path / "stainless.yaml").read_text())
    config["sockgen"]["replies"] = {
        "RoomSendMessageEvent": {"replies": ["MessageReceivedEvent"]},
        "SubscribeEvent": {"replies": ["SubscribedEvent"], "correlation": "channel"},
    }
    (tmp_path / "stainless.yaml").write_text(yaml.safe_dump(config))
    result = generate(tmp_path / "feed.openapi.yaml", tmp_path / "stainless.yaml")
    out = write(result, tmp_path / "out")
    assert "`conn.room.request_send_message(...)` sends it" in result.files["feed_sdk/README.md"]
    assert lint(out / "feed_sdk") == ""
    proc = run_mypy(out, "feed_sdk")
    assert proc.returncode == 0, proc.stdout[-4000:]
    sdk = import_all(out, "feed_sdk")
    testing, messages = sdk["feed_sdk.testing"], sdk["feed_sdk.feed.messages"]

    async def session() -> tuple[Any, Any]:
        async with testing.FakeAcme() as fake:
            author = {"id": "u1", "name": "Ann"}
            fake.feed.reply(
                messages.RoomSendMessageEvent,
                lambda e: messages.MessageReceivedEvent(
                    channel=e.channel, content=e.content.upper(), author=author
                ),
            )
            fake.feed.reply(
                messages.SubscribeEvent, lambda e: messages.SubscribedEvent(channel=e.channel)
            )
            async with fake.async_client().feed.connect(token="t") as conn:
                posted = await conn.room.request_send_message(channel="c", content="hi", timeout=5)
                subscribed = await conn.request_subscribe(channel="news", timeout=5)
                return posted, subscribed

    posted, subscribed = asyncio.run(session())
    assert (posted.content, subscribed.channel) == ("HI", "news")


def test_signalfish_is_hinted_to_pair_by_its_operation_id(tmp_path: Path) -> None:
    """The spec pairs no reply with RoomOperation, yet its results carry the same
    data/operation_id: sockgen asks (a warning naming the config entry) and does not pair."""
    spec = corpus_dir() / "signalfish-asyncapi3.yaml"
    api, warnings = build_api(spec, None, "signalfish_sdk", None)
    said = [str(w) for w in warnings if "carry data/operation_id" in str(w)]
    assert len(said) == 1 and "RoomOperation and RoomOperationResult carry" in said[0]
    assert (
        "sockgen.replies.RoomOperation: {replies: [...], correlation: data/operation_id}" in said[0]
    )
    assert client(api, "RoomOperation").reply is None
    config = tmp_path / "sockgen.json"
    config.write_text(json.dumps(SIGNALFISH_CONFIG))
    api, warnings = build_api(spec, config, "signalfish_sdk", None)
    assert not [w for w in warnings if "carry data/operation_id" in str(w)]


@pytest.mark.parametrize(
    ("shared", "with_reply", "hinted"),
    [
        ("request_id", False, True),
        ("operationId", False, True),
        ("room_id", False, False),
        ("call_id", False, False),  # a function call's id in realtime APIs, not a request's
        ("stop_id", False, False),
        ("request_id", True, False),
    ],
)
def test_an_id_like_property_in_both_is_a_hint_only_without_a_reply(
    tmp_path: Path, shared: str, with_reply: bool, hinted: bool
) -> None:
    doc = base()
    for name in ("order", "filled"):
        props = doc["channels"]["trades"]["messages"][name]["payload"]["properties"]
        props[shared] = {"type": "string"}
    if with_reply:
        doc["operations"]["sendOrder"]["reply"] = {
            "messages": [{"$ref": "#/channels/trades/messages/filled"}]
        }
    _, warnings = read(tmp_path, doc)
    assert (f"Order and Filled carry {shared}" in warnings) is hinted
