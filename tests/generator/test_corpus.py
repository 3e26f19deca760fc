"""Every real spec in the shared corpus: generate, import, type-check, round-trip its examples.

The corpus is listed, not named here: a spec added to it is tested with no edit.
Runs on CPython 3.10 to 3.13 (see BUILD): generated SDKs must work on each.
"""

from __future__ import annotations

import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from generator.support import (
    CORPUS,
    CORPUS_IDS,
    CorpusSpec,
    generate_corpus,
    import_all,
    lint,
    run_mypy,
    write_user_code,
)
from pydantic import TypeAdapter, ValidationError
from sockgen import model as m
from sockgen.emit import views
from sockgen.emit.views import place_types
from sockgen.generate import Generated

#: Examples that contradict their own spec. They must not round-trip (rejected, or
#: changed), so this list cannot go stale; every other example must round-trip exactly.
SPEC_BUGS = {
    (
        "elevenlabs-tts-asyncapi26.yaml",
        "FinalOutputMulti",
    ): "x-fern-examples write 'is_final' where the schema requires 'isFinal'",
    (
        "elevenlabs-tts-asyncapi26.yaml",
        "InitializeConnection",
    ): "x-fern-examples write 'xi_api_key' where the schema's property is 'xi-api-key'; frames match "
    "wire names only, so it is kept as an unknown key, but pydantic-core also marks the field "
    "set and it serialises back with an added 'xi-api-key': null",
    (
        "kraken-multichannel-asyncapi3.yaml",
        "SubscriptionStatusError",
    ): "subscriptionStatus examples give 'pair' as a string (schema: array of strings) and "
    "'status' values outside the schema's enum (online, maintenance, cancel_only, ...)",
    (
        "openai-openapi.yaml",
        "RealtimeServerEventConversationItemRetrieved",
    ): "assistant content type 'audio'; the schema's enum is output_text, output_audio",
    (
        "openai-openapi.yaml",
        "RealtimeServerEventResponseOutputItemDone",
    ): "assistant content type 'text'; the schema's enum is output_text, output_audio",
    **{
        ("trustgraph-websocket-asyncapi3/websocket/asyncapi.yaml", name): reason
        for name, reason in {
            "FlowRequest": "operation 'list', 'start'; the enum says list-flows, start-flow, ...",
            "LibrarianRequest": "operation 'list'; the enum says list-documents, ...",
            "KnowledgeRequest": "operation 'store'; the enum says put-kg-core, ...",
            "CollectionManagementRequest": "operation 'list'; the enum says list-collections",
            "StructuredDiagRequest": "operation 'status'; the enum says detect-type, diagnose, ...",
            "TextCompletionRequest": "no 'system', which the request schema requires",
            "PromptRequest": "'template' where the request schema requires 'id'",
            "McpToolRequest": "'tool' where the request schema requires 'name'",
            "TriplesRequest": "RDF terms without the required 't'",
            "NlpQueryRequest": "'query' where the request schema requires 'question'",
            "StructuredQueryRequest": "'query' where the request schema requires 'question'",
            "GraphEmbeddingsRequest": "'text' where the request schema requires 'vectors'",
            "DocumentEmbeddingsRequest": "'text' where the request schema requires 'vectors'",
            "DocumentLoadRequest": "'url' where the request schema requires 'data'",
        }.items()
    },
}


Generation = tuple[Generated, Path, dict[str, ModuleType], CorpusSpec]


@pytest.fixture(scope="module", params=CORPUS, ids=CORPUS_IDS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Generation]:
    case: CorpusSpec = request.param  # type: ignore[attr-defined]
    out = tmp_path_factory.mktemp(case.package)
    result = generate_corpus(case, out)
    yield result, out, import_all(out, result.api.package), case


def test_generates_and_imports(generated: Generation) -> None:
    result, _, modules, _ = generated
    api = result.api
    assert api.channels, "every corpus spec has at least one channel"
    for channel in api.channels:
        conn = modules[f"{api.package}.{channel.module}.connection"]
        spec = conn.CHANNEL
        # the runtime knows every server event's model by its event name
        assert set(spec.known_names) == {
            msg.event
            for msg in channel.server_messages
            if not msg.binary and isinstance(api.types.get(msg.name), m.ModelDef)
        }
    top = modules[api.package]
    assert hasattr(top, api.client_class) and hasattr(top, "Async" + api.client_class)


def _adapter(
    modules: dict[str, ModuleType], api: m.Api, channel: m.Channel, msg: m.Message, incoming: bool
) -> TypeAdapter[Any]:
    messages = modules[f"{api.package}.{channel.module}.messages"]
    if msg.example_type is None and isinstance(api.types.get(msg.name), m.ModelDef):
        return TypeAdapter(getattr(messages, msg.name))
    return TypeAdapter(messages.IncomingMessage if incoming else messages.OutgoingMessage)


def _round_trip(adapter: TypeAdapter[Any], example: Any, raw_text: bool) -> Any:
    # as the runtime parses frames: wire names only
    value = (
        adapter.validate_python(example)
        if raw_text
        else adapter.validate_json(json.dumps(example), by_name=False)
    )
    return adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


def _check(adapter: TypeAdapter[Any], example: Any, raw_text: bool, bug: str | None) -> bool:
    """Whether ``example`` round-tripped; a known spec bug must not (so the list cannot go stale)."""
    if bug is None:
        assert _round_trip(adapter, example, raw_text) == example
        return True
    try:
        back = _round_trip(adapter, example, raw_text)
    except ValidationError:
        return False
    assert back != example, f"round-trips now: remove it from SPEC_BUGS ({bug})"
    return False


def test_every_example_validates_and_round_trips(generated: Generation) -> None:
    result, _, modules, case = generated
    api = result.api
    checked = 0
    for channel in api.channels:
        conn = modules[f"{api.package}.{channel.module}.connection"]
        for incoming, msgs in ((True, channel.server_messages), (False, channel.client_messages)):
            raw_text = conn.CHANNEL.raw_text if incoming else conn.CHANNEL.client_raw_text
            for msg in msgs:
                if msg.binary:
                    continue
                adapter = _adapter(modules, api, channel, msg, incoming)
                bug = SPEC_BUGS.get((case.path, msg.name))
                for example in msg.examples:
                    raw = raw_text and isinstance(example, str)
                    checked += _check(adapter, example, raw, bug)
    placed = place_types(api)
    for name, examples in api.examples.items():
        where = placed[name]
        module = modules[
            (
                f"{api.package}.shared.models"
                if where == "shared"
                else f"{api.package}.{where}.messages"
            )
        ]
        adapter = TypeAdapter(getattr(module, name))
        for example in examples:
            checked += _check(adapter, example, False, SPEC_BUGS.get((case.path, name)))
    print(f"{api.package}: {checked} examples round-tripped")


#: Which events the client sends and which it receives, per corpus spec and channel module,
#: from each vendor's own documentation (not from the generator): wire tag values, or the
#: message's model name where it has no tag. At least three per side where the spec has them.
SIDES: dict[str, dict[str, tuple[set[str], set[str]]]] = {
    "chanx-fastapi-asyncapi3.json": {
        "chat": (
            {"chat", "ping", "extra_request"},
            {"pong", "chat_notification", "user_joined_notification"},
        ),
        "background_jobs": ({"job", "ping"}, {"job_status", "pong"}),
        "topic_hub_presence_topic": (set(), {"presence_changed"}),
    },
    "deepgram-asyncapi26.yaml": {
        "v1_listen": (
            {
                "ListenV1Media",
                "ListenV1ListenV1Finalize",
                "ListenV1ListenV1CloseStream",
                "ListenV1ListenV1KeepAlive",
            },
            {"Results", "Metadata", "UtteranceEnd", "SpeechStarted"},
        ),
        "v1_agent_converse": (
            {"Settings", "UpdateSpeak", "InjectUserMessage", "KeepAlive", "AgentV1Media"},
            {"Welcome", "SettingsApplied", "ConversationText", "AgentAudioDone", "AgentV1Audio"},
        ),
        "v2_speak": ({"Speak", "Flush", "Close"}, {"SpeakV2Audio", "Flushed", "Connected"}),
    },
    "elevenlabs-tts-asyncapi26.yaml": {
        "v1_text_to_speech_voice_id_stream_input": (
            {"InitializeConnection", "SendText", "CloseConnection"},
            {"AudioOutput", "FinalOutput"},
        ),
        "v1_text_to_speech_voice_id_multi_stream_input": (
            {"InitialiseContext", "FlushContext", "CloseSocket"},
            {"AudioOutputMulti", "FinalOutputMulti"},
        ),
    },
    "farcaster-warpcast-asyncapi26.yaml": {
        "root": (
            {"authenticate", "direct-cast-read"},
            {"unseen", "refresh-direct-cast-conversation", "refresh-self-direct-casts-inbox"},
        ),
    },
    "gemini-asyncapi26.yaml": {"v1_marketdata_symbol": (set(), {"heartbeat", "update"})},
    "gemini-asyncapi3.yaml": {"market_data_v1": (set(), {"heartbeat", "update"})},
    "hoppscotch-echo-asyncapi3/asyncapi.yaml": {"echo": ({"Echo"}, {"Timestamp"})},
    "kraken-multichannel-asyncapi3.yaml": {
        "ping": ({"ping"}, {"pong"}),
        "subscribe": ({"subscribe"}, {"subscriptionStatus"}),
        "unsubscribe": ({"unsubscribe"}, {"subscriptionStatus"}),
        "heartbeat": (set(), {"heartbeat"}),
        "system_status": (set(), {"systemStatus"}),
    },
    "newsware-asyncapi3.yaml": {
        # 'subscribe' tags the request and the data reply alike: the request by its name
        "communication": ({"SubscribeRequest", "UnsubscribeRequest"}, {"data", "ok", "error"}),
    },
    "openai-openapi.yaml": {
        "realtime": (
            {
                "session.update",
                "input_audio_buffer.append",
                "response.create",
                "conversation.item.create",
            },
            {"session.created", "response.output_audio.delta", "response.done", "error"},
        ),
    },
    "paradex-ws-asyncapi26.yaml": {
        "auth": ({"AuthRequest"}, {"AuthResponse"}),
        "order_create": ({"OrderCreateRequest"}, {"OrderCreateResponse"}),
        "subscribe": ({"SubscribeRequest"}, {"SubscribeResponse"}),
        "positions": (set(), {"ResponsesPositionResp"}),
    },
    # type 'message' goes both ways, with different schemas: the client's by its name
    "slack-rtm-asyncapi26.yaml": {
        "root": ({"OutgoingMessageModel"}, {"hello", "channel_created", "goodbye", "im_open"}),
    },
    "slack-rtm-asyncapi3.yaml": {
        "root": ({"OutgoingMessageModel"}, {"hello", "channel_created", "goodbye", "im_open"}),
    },
    "smallest-hydra-s2s-asyncapi3.yaml": {
        "hydra_session": (
            {
                "session.configure",
                "input_audio_buffer.append",
                "response.create",
                "response.cancel",
            },
            {"session.created", "response.output_audio.delta", "response.done", "error"},
        ),
    },
    "smallest-pulse-stt-asyncapi3.yaml": {
        "pulse_stream": (
            {"PulseAudioData", "finalize", "close_stream"},
            {"PulseTranscriptionResponse", "speech_started", "speech_ended"},
        ),
    },
    "trustgraph-websocket-asyncapi3/websocket/asyncapi.yaml": {
        "socket": (
            {"config", "agent", "graph-rag", "text-load"},
            {"ResponseEnvelope", "ErrorEnvelope"},
        ),
    },
    "vex-chat-asyncapi3.json": {
        "chat": (
            {"auth", "resource", "receipt", "ping"},
            {"challenge", "authorized", "notify", "pong"},
        ),
    },
}


def _union_classes(union: Any) -> list[type]:
    """The model classes of a generated ``IncomingMessage``/``OutgoingMessage`` alias."""
    if isinstance(union, type):
        return [union]
    return [cls for arg in typing.get_args(union) for cls in _union_classes(arg)]


def _ids(cls: type) -> set[str]:
    """A model's names for these tests: its class name and every single-value tag it pins."""
    ids = {cls.__name__}
    for field in getattr(cls, "model_fields", {}).values():
        args = typing.get_args(field.annotation)
        if typing.get_origin(field.annotation) is typing.Literal and len(args) == 1:
            ids.add(str(args[0]))
    return ids


def test_which_events_the_client_sends_and_receives(generated: Generation) -> None:
    """Semantics, through the generated SDK: every expected client event is in the channel's
    outgoing union (or a binary client message) and not incoming, and the other way round."""
    result, _, modules, case = generated
    if case.path not in SIDES:
        pytest.skip(f"no expectations recorded for {case.path}; add them to SIDES")
    api = result.api
    channels = {c.module: c for c in api.channels}
    expected = SIDES[case.path]
    for side, index in (("client", 0), ("server", 1)):
        named = set().union(*(sides[index] for sides in expected.values()))
        available = {
            m.name
            for c in api.channels
            for m in (c.client_messages if side == "client" else c.server_messages)
        }
        assert len(named) >= min(3, len(available)), f"name at least 3 {side} events"
    for module, (client, server) in expected.items():
        messages = modules[f"{api.package}.{module}.messages"]
        sent = set().union(*map(_ids, _union_classes(messages.OutgoingMessage)))
        received = set().union(*map(_ids, _union_classes(messages.IncomingMessage)))
        # binary and non-object messages (bytes, a plain string) by their message name
        sent |= {m.name for m in channels[module].client_messages if m.name not in api.types}
        received |= {m.name for m in channels[module].server_messages if m.name not in api.types}
        assert not client - (sent - received), f"{module}: the client must send these"
        assert not server - (received - sent), f"{module}: the client must receive these"


#: Per spec, every message that is not a JSON text frame: ``channel:side:Message`` -> its
#: encoding (every other event is JSON). Read off each spec's ``contentType`` and
#: ``format: binary`` payloads; a spec missing here fails, so none goes unchecked.
ENCODINGS: dict[str, dict[str, str]] = {
    "chanx-fastapi-asyncapi3.json": {},
    "deepgram-asyncapi26.yaml": {  # audio: payloads of type string, format binary
        "v1_agent_converse:client:AgentV1Media": "binary",
        "v1_agent_converse:server:AgentV1Audio": "binary",
        "v1_listen:client:ListenV1Media": "binary",
        "v2_listen:client:ListenV2Media": "binary",
        "v1_speak:server:SpeakV1Audio": "binary",
        "v2_speak:server:SpeakV2Audio": "binary",
    },
    "elevenlabs-tts-asyncapi26.yaml": {},
    "farcaster-warpcast-asyncapi26.yaml": {},
    "gemini-asyncapi26.yaml": {},
    "gemini-asyncapi3.yaml": {},
    "hoppscotch-echo-asyncapi3/asyncapi.yaml": {},
    "iotype-realtime-asr-asyncapi3.yaml": {"realtime:client:AudioChunk": "binary"},
    "kraken-multichannel-asyncapi3.yaml": {},
    "newsware-asyncapi3.yaml": {},
    "openai-openapi.yaml": {},
    "paradex-ws-asyncapi26.yaml": {},
    "signalfish-asyncapi3.yaml": {  # two application/msgpack messages in a JSON channel
        "signaling:client:ClientTokenBoundBinary": "msgpack",
        # GameDataBinary: a oneOf of the v2 and v3 envelopes, one event each
        "signaling:server:V2BinaryGameDataEnvelope": "msgpack",
        "signaling:server:V3BinaryGameDataEnvelope": "msgpack",
    },
    "slack-rtm-asyncapi26.yaml": {},
    "slack-rtm-asyncapi3.yaml": {},
    "smallest-hydra-s2s-asyncapi3.yaml": {},
    "smallest-pulse-stt-asyncapi3.yaml": {"pulse_stream:client:PulseAudioData": "binary"},
    "trustgraph-websocket-asyncapi3/websocket/asyncapi.yaml": {},
    "vex-chat-asyncapi3.json": {  # application/msgpack on all 11 messages
        **{
            f"chat:client:{name}": "msgpack"
            for name in ("Auth", "Response", "Resource", "Receipt", "Ping")
        },
        **{
            f"chat:server:{name}": "msgpack"
            for name in ("Challenge", "Authorized", "Success", "Error", "Notify", "Pong")
        },
    },
}


def test_the_encoding_of_every_event(generated: Generation) -> None:
    """Per spec, each event's encoding, in the model and in the generated connection: the
    MessagePack events the client sends, and what the server's binary frames are."""
    result, _, modules, case = generated
    assert case.path in ENCODINGS, f"record the encodings of {case.path} in ENCODINGS"
    api = result.api
    found = {
        f"{c.module}:{side}:{msg.name}": msg.encoding
        for c in api.channels
        for side, msgs in (("client", c.client_messages), ("server", c.server_messages))
        for msg in msgs
        if msg.encoding != "json"
    }
    assert found == ENCODINGS[case.path]
    for channel in api.channels:
        spec = modules[f"{api.package}.{channel.module}.connection"].CHANNEL
        packed = {msg.name for msg in channel.client_messages if msg.encoding == "msgpack"}
        assert {cls.__name__ for cls in spec.client_msgpack} == packed
        server = {msg.encoding for msg in channel.server_messages}
        want = "raw"
        if "msgpack" in server:
            want = "mixed" if "binary" in server else "msgpack"
        assert spec.server_binary == want


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="type-checked once, on 3.11")
def test_mypy_strict(generated: Generation) -> None:
    """The package, every code block of its README, and user code that calls every send
    helper and sends every client event as a dict, all under ``mypy --strict``."""
    result, out, _, _ = generated
    files = write_user_code(result, out)
    proc = run_mypy(out, result.api.package, *files)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="linted once, on 3.11")
def test_lint_clean_and_formatted_as_generated(generated: Generation) -> None:
    """No formatter runs here: the files as written pass ruff (E, F, I, UP, B, W), ruff
    format (its Markdown formatting included) and black."""
    result, out, _, _ = generated
    problems = lint(out / result.api.package)
    assert not problems, problems


def test_every_client_event_has_a_helper_and_a_dict_type(generated: Generation) -> None:
    """Each client event: a send helper on both connection classes (keyword-only, the
    message's required fields required, its tag left out), and for an object, a ``Param``
    ``TypedDict`` with wire names as keys and the tag and required fields required."""
    import inspect

    result, _, modules, _ = generated
    api = result.api
    package = views.build(api)
    for channel, view in zip(api.channels, package.channels, strict=False):
        paths = {id(h.message): path for path, h in views.helper_paths(view)}
        messages = modules[f"{api.package}.{channel.module}.messages"]
        connection = modules[f"{api.package}.{channel.module}.connection"]
        for msg in channel.client_messages:
            path = paths.get(id(msg))
            assert path is not None, f"{channel.module}: no helper for {msg.event}"
            model = api.types.get(msg.name)
            for cls_name in (
                f"{channel.class_prefix}Connection",
                f"Async{channel.class_prefix}Connection",
            ):
                target: Any = _connection(getattr(connection, cls_name))
                for part in path[:-1]:
                    target = getattr(target, part)
                helper = getattr(type(target), path[-1])
                params = inspect.signature(helper).parameters
                if isinstance(model, m.ModelDef):
                    fields = [f for f in model.fields if not _is_tag(f)]
                    assert [p for p in params if p != "self"] == sorted(
                        (f.name for f in fields),
                        key=lambda n: not next(f.required for f in fields if f.name == n),
                    ), msg.event
                    required = {
                        n
                        for n, p in params.items()
                        if n != "self" and p.default is inspect.Parameter.empty
                    }
                    assert required == {f.name for f in fields if f.required}, msg.event
                    assert all(
                        p.kind is inspect.Parameter.KEYWORD_ONLY
                        for n, p in params.items()
                        if n != "self"
                    )
            if isinstance(model, m.ModelDef):
                param = getattr(messages, f"{msg.name}Param", None) or getattr(
                    modules[f"{api.package}.shared.models"], f"{msg.name}Param"
                )
                assert set(param.__annotations__) == {f.wire for f in model.fields}, msg.event
                assert _required_keys(param) == {
                    f.wire for f in model.fields if f.required or _is_tag(f)
                }, msg.event


def _required_keys(param: Any) -> set[str]:
    """The ``Required[...]`` keys of a TypedDict. Under postponed annotations (class syntax)
    they are strings at run time, as in openai-python's params; type checkers read them."""
    out = set()
    for key, annotation in param.__annotations__.items():
        text = annotation.__forward_arg__ if isinstance(annotation, typing.ForwardRef) else None
        if (text or "").startswith("Required[") or "Required" in str(typing.get_origin(annotation)):
            out.add(key)
    return out


def _is_tag(f: m.FieldDef) -> bool:
    return isinstance(f.type, m.LiteralType) and len(f.type.values) == 1


def _connection(cls: Any) -> object:
    """A generated connection object, built without a socket (its namespaces set up)."""
    return cls(_core_for(cls), object())


#: What the official OpenAI Python SDK offers on its realtime connection.
OPENAI_HELPERS = {
    "session.update": {"session"},
    "response.create": set(),
    "response.cancel": set(),
    "input_audio_buffer.append": {"audio"},
    "input_audio_buffer.clear": set(),
    "input_audio_buffer.commit": set(),
    "conversation.item.create": {"item"},
    "conversation.item.delete": {"item_id"},
    "conversation.item.truncate": {"item_id", "content_index", "audio_end_ms"},
    "conversation.item.retrieve": {"item_id"},
    "output_audio_buffer.clear": set(),
}


def test_openai_realtime_helpers_have_typed_keyword_arguments(
    generated: Generation,
) -> None:
    import inspect

    result, _, modules, case = generated
    if case.path != "openai-openapi.yaml":
        pytest.skip("OpenAI only")
    conn_module = modules["openai_realtime.realtime.connection"]
    for cls_name in ("RealtimeConnection", "AsyncRealtimeConnection"):
        cls = getattr(conn_module, cls_name)
        connection = cls.__new__(cls)
        cls.__init__(connection, _core_for(cls), object())
        for event, required in OPENAI_HELPERS.items():
            *path, method = event.split(".")
            target: object = connection
            for part in path:
                target = getattr(target, part)
            helper = getattr(target, method)
            params = inspect.signature(helper).parameters
            assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values()), event
            assert {
                n for n, p in params.items() if p.default is inspect.Parameter.empty
            } == required, event
            assert all(p.annotation != inspect.Parameter.empty for p in params.values()), event
            assert "event_id" in params, event
            if cls_name.startswith("Async"):
                assert inspect.iscoroutinefunction(helper), event


def _core_for(cls: type) -> Any:
    """A real core for a connection class (its module's CHANNEL), to build one without a socket."""
    from sockgen_runtime import ConnectionCore
    from sockgen_runtime._core import ConnectionSettings

    channel = sys.modules[cls.__module__].CHANNEL
    return ConnectionCore(channel, ConnectionSettings(base_url="ws://127.0.0.1"))


def _connect_kwargs(api: m.Api, channel: m.Channel) -> dict[str, Any]:
    return {
        p.name: views.sample(api, p.type, p.default)
        for p in [*channel.path_params, *channel.query_params]
        if p.required and p.default is m.MISSING
    }


def _resource(client: Any, view: views.ChannelView) -> Any:
    for part in str(view.attr_path).split("."):
        client = getattr(client, part)
    return client


def _plays(api: m.Api, modules: dict[str, ModuleType]) -> Iterator[tuple[Any, ...]]:
    """Per channel: its view, connect() arguments, and per client event its helper path,
    the helper's arguments and what the fake should expect (a model class, bytes, None)."""
    package = views.build(api)
    shared = modules.get(f"{api.package}.shared.models")
    for channel, view in zip(api.channels, package.channels, strict=False):
        messages = modules[f"{api.package}.{channel.module}.messages"]
        calls = []
        for path, helper in views.helper_paths(view):
            msg = helper.message
            assert msg is not None
            args, kwargs = eval(f"(lambda *a, **k: (a, k))({views.example_args(api, helper)})")
            cls = getattr(messages, msg.name, None) or getattr(shared, msg.name, None)
            expected = bytes if msg.binary else cls if isinstance(cls, type) else None
            calls.append((path, args, kwargs, expected))
        fake = next(f for f in package.fakes if str(f.module) == channel.module)
        yield channel, view, _connect_kwargs(api, channel), calls, str(fake.attr)


def _call(conn: Any, path: list[str], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target = conn
    for part in path:
        target = getattr(target, part)
    return target(*args, **kwargs)


def test_the_fake_server_plays_every_channel(generated: Generation) -> None:
    """The generated fake, for every channel, with the generated async and sync clients:
    every client event sent through its helper is what the fake expects, and every valid
    server example the fake sends is received as a typed event."""
    import asyncio

    result, _, modules, _ = generated
    api = result.api
    testing = modules[f"{api.package}.testing"]
    plays = list(_plays(api, modules))
    received: list[int] = []

    async def play_async() -> None:
        async with getattr(testing, f"Fake{api.client_class}")() as server:
            client = server.async_client()
            for _channel, view, connect, calls, attr in plays:
                async with _resource(client, view).connect(**connect) as conn:
                    peer = await getattr(server, attr).accept()
                    for path, args, kwargs, expected in calls:
                        await _call(conn, path, args, kwargs)
                        event = await peer.expect(expected)
                        assert expected is None or isinstance(event, expected), (path, event)
                    n = await peer.send_examples()
                    for _ in range(n):
                        event = await asyncio.wait_for(conn.recv(), 5)
                        assert not isinstance(event, (dict, str, bytes)) or view.raw_text, event
                    received.append(n)

    def play_sync() -> None:
        with getattr(testing, f"SyncFake{api.client_class}")() as server:
            client = server.client()
            for _channel, view, connect, calls, attr in plays:
                with _resource(client, view).connect(**connect) as conn:
                    peer = getattr(server, attr).accept()
                    for path, args, kwargs, expected in calls:
                        _call(conn, path, args, kwargs)
                        event = peer.expect(expected)
                        assert expected is None or isinstance(event, expected), (path, event)
                    for _ in range(peer.send_examples()):
                        conn.recv(timeout=5)

    asyncio.run(play_async())
    play_sync()
    sent = sum(len(calls) for *_, calls, _attr in plays)
    print(f"{api.package}: {sent} client events expected, {sum(received)} server examples received")


def test_the_api_surface_against_itself_is_no_change(generated: Generation) -> None:
    """``sockgen diff`` of a spec against itself reports nothing; the surface is canonical
    JSON (the same bytes from a second read of the spec)."""
    from sockgen.api.diff import diff
    from sockgen.api.surface import dumps, surface
    from sockgen.generate import build_api

    result, _, _, case = generated
    spec, config = case.files()
    again, _ = build_api(spec, config, None if config else case.package)
    first, second = surface(result.api), surface(again)
    assert dumps(first) == dumps(second)
    assert diff(first, second) == []
    assert json.loads(dumps(first)) == first
