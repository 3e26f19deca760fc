"""Which side an AsyncAPI document is written from: evidence, refusal, overrides, mirrors.

Each class of wrong SDK seen on real specs has a minimal spec here, and every
inference is also tried on the same API written from the other side (a
mirror: 3.x ``send``/``receive`` swapped, 2.x ``publish``/``subscribe``
swapped), which must give the same SDK, or refuse.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from generator.support import CORPUS, CORPUS_IDS, CorpusSpec, obj, write_spec
from sockgen import cli
from sockgen import model as m
from sockgen.errors import SpecError
from sockgen.generate import build_api
from sockgen.input.load import Workspace


def sides(api: m.Api) -> dict[str, tuple[list[str], list[str]]]:
    """Channel key -> (events the client sends, events the server sends)."""
    return {
        c.key: (
            sorted(msg.event for msg in c.client_messages),
            sorted(msg.event for msg in c.server_messages),
        )
        for c in api.channels
    }


def mirror(data: dict[str, Any]) -> dict[str, Any]:
    """The same API described by the other side."""
    data = copy.deepcopy(data)
    if str(data["asyncapi"]).startswith("3."):
        for op in (data.get("operations") or {}).values():
            op["action"] = {"send": "receive", "receive": "send"}[op["action"]]
    else:
        for channel in data["channels"].values():
            publish, subscribe = channel.pop("publish", None), channel.pop("subscribe", None)
            if subscribe is not None:
                channel["publish"] = subscribe
            if publish is not None:
                channel["subscribe"] = publish
    return data


def op(action: str, *messages: str, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": "#/channels/live"},
        "messages": [{"$ref": f"#/channels/live/messages/{name}"} for name in messages],
        **extra,
    }


def asyncapi3(messages: dict[str, Any], operations: dict[str, Any], **info: str) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Speech", "version": "1", **info},
        "channels": {"live": {"address": "/live", "messages": messages}},
        "operations": operations,
    }


# --- class 1: AsyncAPI 3 documents written from the client's side ----------------------------

#: A vendor speech-to-text document as vendors write them: the client sends audio and
#: control messages and receives transcripts. Nothing in it says "client".
CLIENT_SIDE_STT = asyncapi3(
    {
        "audio": {"payload": {"type": "string", "format": "binary"}},
        "finalize": {"payload": obj("type", "finalize")},
        "close_stream": {"payload": obj("type", "close_stream")},
        "transcript": {"payload": obj("type", "transcript", text={"type": "string"})},
        "speech_started": {"payload": obj("type", "speech_started")},
    },
    {
        "sendAudio": op("send", "audio", summary="Send audio data for transcription"),
        "sendFinalize": op("send", "finalize"),
        "sendCloseStream": op("send", "close_stream"),
        "receiveTranscript": op("receive", "transcript", summary="Receive transcription results"),
        "receiveSpeechStarted": op("receive", "speech_started"),
    },
)


def test_a_client_side_asyncapi3_document_is_read_as_the_client(tmp_path: Path) -> None:
    path, _ = write_spec(tmp_path, CLIENT_SIDE_STT)
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"
    assert sides(api) == {
        "live": (["audio", "close_stream", "finalize"], ["speech_started", "transcript"])
    }


def test_the_same_api_written_by_the_server_gives_the_same_sdk(tmp_path: Path) -> None:
    path, _ = write_spec(tmp_path, mirror(CLIENT_SIDE_STT))
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "server"
    assert sides(api) == {
        "live": (["audio", "close_stream", "finalize"], ["speech_started", "transcript"])
    }


def test_replies_say_who_asks(tmp_path: Path) -> None:
    """A ``send`` with a ``reply`` is a client asking. A ``receive`` with one says nothing by
    itself (clients answer too: acknowledgements): that document is refused."""
    data = asyncapi3(
        {"a": {"payload": obj("op", "a")}, "b": {"payload": obj("op", "b")}},
        {
            "ask": op(
                "send",
                "a",
                reply={
                    "channel": {"$ref": "#/channels/live"},
                    "messages": [{"$ref": "#/channels/live/messages/b"}],
                },
            )
        },
    )
    path, _ = write_spec(tmp_path, data)
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"
    assert sides(api) == {"live": (["a"], ["b"])}
    path, _ = write_spec(tmp_path, mirror(data))
    with pytest.raises(SpecError, match="cannot tell which side"):
        build_api(path)


# --- class 2: AsyncAPI 2.x summaries read backwards --------------------------------------------


def asyncapi2(publish: dict[str, Any], subscribe: dict[str, Any]) -> dict[str, Any]:
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "T", "version": "1"},
        "channels": {"/s": {"publish": publish, "subscribe": subscribe}},
    }


STANDARD_2X = asyncapi2(
    {
        "summary": "Messages sent from client to Deepgram",
        "description": "All client-to-server messages",
        "message": {"payload": obj("type", "configure")},
    },
    {
        "summary": "Messages sent from Deepgram to client",
        "description": "All server-to-client messages",
        "message": {"payload": obj("type", "results")},
    },
)


def test_client_to_server_summaries_are_not_read_as_server_messages(tmp_path: Path) -> None:
    path, _ = write_spec(tmp_path, STANDARD_2X)
    api, warnings = build_api(path)
    assert sides(api) == {"/s": (["configure"], ["results"])}
    assert api.side is not None and api.side.side == "server"
    assert not [w for w in warnings if "side" in w.message]


def test_an_inverted_2x_document_is_read_from_its_summaries(tmp_path: Path) -> None:
    path, _ = write_spec(tmp_path, mirror(STANDARD_2X))
    api, warnings = build_api(path)
    assert sides(api) == {"/s": (["configure"], ["results"])}
    assert api.side is not None and api.side.side == "client"
    (warning,) = warnings
    assert "against the 2.x convention" in warning.message


# --- class 3: messages and no operations ---------------------------------------------------------

NO_OPERATIONS = {
    "asyncapi": "3.0.0",
    "info": {"title": "Gateway", "version": "1"},
    "channels": {
        "socket": {
            "address": "/socket",
            "messages": {
                "request": {"name": "ServiceRequest", "payload": obj("service", "search")},
                "response": {"name": "ServiceResponse", "payload": obj("kind", "result")},
                "error": {"name": "ServiceError", "payload": obj("kind", "error")},
                "weather": {"payload": obj("kind", "weather")},
            },
        }
    },
}


def test_messages_without_operations_get_a_side_from_their_names(tmp_path: Path) -> None:
    path, _ = write_spec(tmp_path, NO_OPERATIONS)
    api, warnings = build_api(path)
    (channel,) = api.channels
    assert sorted(msg.name for msg in channel.client_messages) == [
        "ServiceRequest",
        "Weather",  # a name that says nothing: on both sides, with a warning
    ]
    assert sorted(msg.name for msg in channel.server_messages) == [
        "ServiceError",
        "ServiceResponse",
        "Weather",
    ]
    assert any("typed on both sides" in w.message for w in warnings)
    assert any("read as a client message" in w.message for w in warnings)
    # no channel with messages is left untyped
    assert channel.client_union.kind != "none" and channel.server_union.kind != "none"


def test_a_message_named_by_an_operation_elsewhere_keeps_its_side(tmp_path: Path) -> None:
    """Kraken: the pong channel's message is the reply of the ping operation."""
    data = {
        "asyncapi": "3.0.0",
        "info": {"title": "Ex", "version": "1"},
        "channels": {
            "ping": {"address": "/", "messages": {"ping": {"payload": obj("event", "ping")}}},
            "pong": {"address": "/", "messages": {"pong": {"payload": obj("event", "pong")}}},
        },
        "operations": {
            "receivePing": {
                "action": "receive",
                "channel": {"$ref": "#/channels/ping"},
                "reply": {"channel": {"$ref": "#/channels/pong"}},
            }
        },
    }
    path, _ = write_spec(tmp_path, data)
    api, _ = build_api(path)
    assert sides(api) == {"ping": (["ping"], ["pong"]), "pong": ([], ["pong"])}


# --- refusing to guess ----------------------------------------------------------------------------

NO_EVIDENCE = asyncapi3(
    {"alpha": {"payload": obj("t", "alpha")}, "beta": {"payload": obj("t", "beta")}},
    {"one": op("send", "alpha"), "two": op("receive", "beta")},
    title="Acme",
)


def test_a_document_without_usable_evidence_is_refused(tmp_path: Path) -> None:
    path, _ = write_spec(tmp_path, NO_EVIDENCE)
    with pytest.raises(SpecError) as info:
        build_api(path)
    message = str(info.value)
    assert message.startswith("api.yaml:1:1 (at /): cannot tell which side")
    assert "direction: client" in message and "--direction" in message
    assert "websocket_sdk(direction=...)" in message


def test_the_cli_exits_2_naming_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = write_spec(tmp_path, NO_EVIDENCE)
    code = cli.main(["generate-client", "--schema", str(path), "--output", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "'direction: client'" in err
    assert not (tmp_path / "o").exists()


def test_conflicting_evidence_is_refused_and_both_sides_are_named(tmp_path: Path) -> None:
    data = asyncapi3(
        {
            "req": {"payload": obj("t", "request")},
            "res": {
                "description": "Sent by the server when the work is done.",
                "payload": obj("t", "response"),
            },
        },
        {
            # a sentence says the application is the server, the title that it is a client
            "one": op("receive", "req"),
            "two": op("send", "res"),
        },
        title="Acme WebSocket Client",
    )
    path, _ = write_spec(tmp_path, data)
    with pytest.raises(SpecError) as info:
        build_api(path)
    message = str(info.value)
    assert "for client: title 'Acme WebSocket Client'" in message
    assert "for server: message description says 'sent by the server'" in message


def test_name_hints_never_outweigh_a_sentence(tmp_path: Path) -> None:
    """The title says client; the names (``req``, ``response``) hint server: the title
    decides. Written the other way (a sentence for the server), the sentence decides."""
    messages: dict[str, dict[str, Any]] = {
        "req": {"payload": obj("t", "request")},
        "res": {"payload": obj("t", "response")},
    }
    ops = {"one": op("receive", "req"), "two": op("send", "res")}
    path, _ = write_spec(tmp_path, asyncapi3(messages, ops, title="Acme WebSocket Client"))
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"
    assert sides(api) == {"live": (["res"], ["req"])}
    told = copy.deepcopy(messages)
    told["req"]["description"] = "Sent by the server to ask for work."
    path, _ = write_spec(tmp_path, asyncapi3(told, ops))
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"  # it receives what servers send
    assert sides(api) == {"live": (["res"], ["req"])}


def test_a_client_that_acknowledges_is_a_client(tmp_path: Path) -> None:
    """A 3.0 document titled "... Client" whose ``receive`` operation has a ``reply`` (an
    acknowledgement): the reply is no server evidence, the title decides."""
    data = asyncapi3(
        {
            "job": {"payload": obj("type", "job")},
            "ack": {"payload": obj("type", "ack")},
            "hello": {"payload": obj("type", "hello")},
        },
        {
            "receiveJob": op(
                "receive",
                "job",
                reply={
                    "channel": {"$ref": "#/channels/live"},
                    "messages": [{"$ref": "#/channels/live/messages/ack"}],
                },
            ),
            "sendHello": op("send", "hello"),
        },
        title="Worker Queue Client",
    )
    path, _ = write_spec(tmp_path, data)
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"
    assert sides(api) == {"live": (["ack", "hello"], ["job"])}
    assert not [e for e in api.side.evidence if "reply" in e.why]


@pytest.mark.parametrize("side", ["client", "server"])
def test_direction_settles_it(tmp_path: Path, side: str) -> None:
    path, _ = write_spec(tmp_path, NO_EVIDENCE, {"sockgen": {"direction": side}})
    cfg_path = path.with_name("config.yaml")
    api, _ = build_api(path, cfg_path)
    expected = (["alpha"], ["beta"]) if side == "client" else (["beta"], ["alpha"])
    assert sides(api) == {"live": expected}
    assert api.side is not None and api.side.source == "config"
    # the command line's --direction wins over the config
    other = "server" if side == "client" else "client"
    api, _ = build_api(path, cfg_path, direction=other)
    assert sides(api) == {"live": expected[::-1]}


def test_an_operation_written_from_the_other_side_is_turned_around(tmp_path: Path) -> None:
    data = copy.deepcopy(CLIENT_SIDE_STT)
    data["info"]["title"] = "Speech WebSocket Client"
    # one operation of this client-side document was written by the server's author
    data["operations"]["receiveSpeechStarted"] = op(
        "send", "speech_started", summary="Sent by the server when speech starts"
    )
    path, _ = write_spec(tmp_path, data)
    api, warnings = build_api(path)
    assert sides(api)["live"][1] == ["speech_started", "transcript"]
    assert any(
        "receiveSpeechStarted" in w.message and "server's side" in w.message for w in warnings
    )


# --- every corpus document, and its mirror -------------------------------------------------------


@pytest.mark.parametrize("case", CORPUS, ids=CORPUS_IDS)
def test_corpus_documents_written_the_other_way(tmp_path: Path, case: CorpusSpec) -> None:
    """The mirror of a corpus document gives the same SDK (3.x), or is refused (2.x, whose
    convention then argues against it); never the reversed SDK."""
    spec, config = case.files()
    doc = Workspace(spec.parent).load(spec).data
    if "asyncapi" not in doc:
        pytest.skip("OpenAPI: the config says which schemas are client and server events")
    api, _ = build_api(spec, config, case.package)
    # the mirror goes into a copy of the spec's own folder, so relative $refs resolve; the
    # corpus itself is read-only, and other tests read it meanwhile
    top = Path(case.path).parts[0]
    if top != case.path:  # a multi-file spec: its whole folder
        shutil.copytree(spec.parents[len(Path(case.path).parts) - 2], tmp_path / top)
    flipped = (tmp_path / case.path).with_name(f"mirror-{spec.name}")
    flipped.write_text(json.dumps(mirror(doc)))
    try:
        mirrored, _ = build_api(flipped, config, case.package)
    except SpecError as exc:
        assert str(doc["asyncapi"]).startswith("2."), exc
        assert "cannot tell which side" in exc.message
        return
    assert sides(mirrored) == sides(api)
    if api.side is not None and mirrored.side is not None and api.side.source == "evidence":
        assert mirrored.side.side != api.side.side


# --- class 4: AsyncAPI 2.x, what each verb carries -------------------------------------------


def control_2x(summary: str) -> dict[str, Any]:
    """A receive-only 2.x document of a client agent: three channels whose ``subscribe``
    carries two control commands (shared, through ``components``) and whose title says
    "Client"."""
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "Mesh Peer Agent Client", "version": "1"},
        "channels": {
            f"/control/{n}": {
                "subscribe": {
                    "summary": summary,
                    "message": {
                        "oneOf": [
                            {"$ref": "#/components/messages/delete_peer"},
                            {"$ref": "#/components/messages/init"},
                        ]
                    },
                }
            }
            for n in ("a", "b", "c")
        },
        "components": {
            "messages": {
                "delete_peer": {
                    "summary": "Delete a peer from the mesh",
                    "payload": obj("type", "delete_peer"),
                },
                "init": {"summary": "Initialize the agent", "payload": obj("type", "init")},
            }
        },
    }


def test_2x_verbs_say_what_they_carry_and_the_author_says_nothing(tmp_path: Path) -> None:
    """``subscribe`` summaries that say "Receive ..." follow the convention exactly: the
    client receives these commands, whatever the names and the title hint."""
    path, _ = write_spec(tmp_path, control_2x("Receive control commands"))
    api, warnings = build_api(path)
    assert api.side is not None and api.side.side == "server"
    for channel in sides(api).values():
        assert channel == ([], ["delete_peer", "init"])
    assert not [e for e in api.side.evidence if "title" in e.why]
    assert not [w for w in warnings if "side" in w.message]
    # each piece of evidence once, however many channels share the message
    whys = [e.why for e in api.side.evidence]
    assert len(whys) == len(set(whys))
    assert sum("'delete_peer'" in why for why in whys) == 1
    # written the other way: "Send ..." on subscribe says it carries what the client sends
    path, _ = write_spec(tmp_path, control_2x("Send control commands"))
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"
    for channel in sides(api).values():
        assert channel == (["delete_peer", "init"], [])


def test_2x_publish_summaries_are_read_the_same_way(tmp_path: Path) -> None:
    doc = asyncapi2(
        {"summary": "Send a chat message", "message": {"payload": obj("type", "chat")}},
        {"summary": "Receive chat events", "message": {"payload": obj("type", "chat_event")}},
    )
    path, _ = write_spec(tmp_path, doc)
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "server"
    assert sides(api) == {"/s": (["chat"], ["chat_event"])}
    path, _ = write_spec(tmp_path, mirror(doc))  # the verbs now say the other thing
    api, _ = build_api(path)
    assert api.side is not None and api.side.side == "client"
    assert sides(api) == {"/s": (["chat"], ["chat_event"])}
