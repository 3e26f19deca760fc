"""Every real spec in the shared corpus: generate, import, type-check, round-trip its examples.

Runs on CPython 3.10 to 3.13 (see BUILD): generated SDKs must work on each.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from generator.support import CORPUS_CASES, generate_corpus, import_all, run_mypy
from pydantic import TypeAdapter, ValidationError
from sockgen import model as m
from sockgen.generate import Generated

IDS = [case[2] for case in CORPUS_CASES]

#: Examples that contradict their own spec. They must not round-trip (rejected, or
#: changed), so this list cannot go stale; every other example must round-trip exactly.
SPEC_BUGS = {
    (
        "elevenlabs_tts",
        "FinalOutputMulti",
    ): "x-fern-examples write 'is_final' where the schema requires 'isFinal'",
    (
        "elevenlabs_tts",
        "InitializeConnection",
    ): "x-fern-examples write 'xi_api_key' where the schema's property is 'xi-api-key'; frames match "
    "wire names only, so it is kept as an unknown key, but pydantic-core also marks the field "
    "set and it serialises back with an added 'xi-api-key': null",
    (
        "kraken",
        "SubscriptionStatusError",
    ): "subscriptionStatus examples give 'pair' as a string (schema: array of strings) and "
    "'status' values outside the schema's enum (online, maintenance, cancel_only, ...)",
    (
        "openai_realtime",
        "RealtimeServerEventConversationItemRetrieved",
    ): "assistant content type 'audio'; the schema's enum is output_text, output_audio",
    (
        "openai_realtime",
        "RealtimeServerEventResponseOutputItemDone",
    ): "assistant content type 'text'; the schema's enum is output_text, output_audio",
}


@pytest.fixture(scope="module", params=CORPUS_CASES, ids=IDS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Generated, Path, dict[str, ModuleType]]]:
    spec, config, package = request.param  # type: ignore[attr-defined]
    out = tmp_path_factory.mktemp(package)
    result = generate_corpus(spec, config, package, out)
    yield result, out, import_all(out, package)


def test_generates_and_imports(generated: tuple[Generated, Path, dict[str, ModuleType]]) -> None:
    result, _, modules = generated
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


def test_every_example_validates_and_round_trips(
    generated: tuple[Generated, Path, dict[str, ModuleType]]
) -> None:
    result, _, modules = generated
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
                for example in msg.examples:
                    if (api.package, msg.name) in SPEC_BUGS:
                        try:
                            back = _round_trip(
                                adapter, example, raw_text and isinstance(example, str)
                            )
                        except ValidationError:
                            continue
                        assert (
                            back != example
                        ), f"{msg.name} round-trips now: remove it from SPEC_BUGS"
                        continue
                    assert (
                        _round_trip(adapter, example, raw_text and isinstance(example, str))
                        == example
                    ), msg.name
                    checked += 1
    for name, examples in api.examples.items():
        module = modules[
            (
                f"{api.package}.{api.type_modules[name]}.models"
                if api.type_modules[name] == "shared"
                else f"{api.package}.{api.type_modules[name]}.messages"
            )
        ]
        adapter = TypeAdapter(getattr(module, name))
        for example in examples:
            assert _round_trip(adapter, example, False) == example, name
            checked += 1
    print(f"{api.package}: {checked} examples round-tripped")


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="type-checked once, on 3.11")
def test_mypy_strict(generated: tuple[Generated, Path, dict[str, ModuleType]]) -> None:
    result, out, _ = generated
    proc = run_mypy(out, "-p", result.api.package)
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
    generated: tuple[Generated, Path, dict[str, ModuleType]],
) -> None:
    import inspect

    result, _, modules = generated
    if result.api.package != "openai_realtime":
        pytest.skip("OpenAI only")
    conn_module = modules["openai_realtime.realtime.connection"]
    for cls_name in ("RealtimeConnection", "AsyncRealtimeConnection"):
        cls = getattr(conn_module, cls_name)
        connection = cls.__new__(cls)
        cls.__init__(connection, _FakeCore(), object())
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


class _FakeCore:
    """Just enough of a ConnectionCore to build a connection object without a socket."""

    handlers = None
    channel = type("Channel", (), {"validate": None})()
    parse = None
