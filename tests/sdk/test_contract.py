"""The user-facing contract (shared/notes/sdk-api.md) with generated SDKs and a real server."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from generator.support import readme_blocks, run_mypy
from runtime.wsserver import WsServer, drop_tcp
from websockets.asyncio.server import ServerConnection

FEED_EVENTS = [
    '{"type":"subscribed","channel":"general"}',
    '{"type":"message_received","channel":"general","content":"hi","author":{"id":"u1","name":"Ann"}}',
    '{"type":"error","message":"slow down"}',
]


def feed_script(server: WsServer, expect: int) -> Any:
    async def script(ws: ServerConnection, i: int) -> None:
        for _ in range(expect):
            server.received.append(await ws.recv())
        for frame in FEED_EVENTS:
            await ws.send(frame)
        await ws.close()

    return script


def test_sync_connection_api(server: WsServer, feed_sdk: dict[str, ModuleType]) -> None:
    acme: Any = feed_sdk["feed_sdk"]
    feed: Any = feed_sdk["feed_sdk.feed"]
    server.script = feed_script(server, 3)
    client = acme.Acme(base_url=server.http_url, headers={"Authorization": "Bearer t"})
    seen: list[str] = []
    with client.feed.connect(token="t", channel="general") as conn:
        conn.send({"type": "subscribe", "channel": "general"})
        conn.send(feed.SubscribeEvent(channel="general"))
        conn.room.send_message(channel="general", content="hi")
        for event in conn:
            match event:
                case feed.MessageReceivedEvent():
                    seen.append(f"{event.channel}:{event.content}:{event.author.name}")
                case feed.SubscribedEvent():
                    seen.append("subscribed")
                case feed.FeedErrorEvent():
                    seen.append(f"error:{event.message}")
    assert seen == ["subscribed", "general:hi:Ann", "error:slow down"]
    assert [json.loads(f) for f in server.received] == [
        {"type": "subscribe", "channel": "general"},
        {"type": "subscribe", "channel": "general"},
        {"type": "room.send_message", "channel": "general", "content": "hi"},
    ]
    (shake,) = server.handshakes
    assert (
        shake.path == "/feed?token=t&channel=general"
    )  # compact left out: the server's default applies
    assert shake.headers["Authorization"] == "Bearer t"


def test_async_handlers_reconnect_and_helpers(
    server: WsServer, feed_sdk: dict[str, ModuleType]
) -> None:
    acme: Any = feed_sdk["feed_sdk"]

    async def script(ws: ServerConnection, i: int) -> None:
        if i == 0:
            await ws.send(FEED_EVENTS[0])
            await drop_tcp(ws)
            return
        for frame in FEED_EVENTS[1:]:
            await ws.send(frame)
        await ws.send(b"\x00audio")
        await ws.send("not json")
        server.received.append(await ws.recv())  # the handler's ack to message_received
        await ws.close()

    server.script = script

    async def main() -> list[Any]:
        got: list[Any] = []
        async with acme.AsyncAcme(base_url=server.url).feed.connect(
            token="t",
            on_reconnecting=lambda e: {"extra_query": {"resume": "1"}},
            initial_delay=0.01,
            max_delay=0.02,
        ) as conn:

            async def on_message(event: Any) -> None:
                got.append(("message", event.content))
                await conn.room.send_message(channel="general", content="ack", priority="high")

            conn.on("message_received", on_message)
            conn.on("subscribed", lambda e: got.append(("subscribed", e.channel)))
            conn.on("error", lambda e: got.append(("error", type(e).__name__)))
            conn.on("raw_data", lambda b: got.append(("raw", b)))
            await conn.dispatch_events()
        return got

    got = asyncio.run(main())
    assert got == [
        ("subscribed", "general"),
        ("message", "hi"),
        ("error", "FeedErrorEvent"),  # the spec's own error event
        ("raw", b"\x00audio"),
        ("error", "InvalidMessage"),  # a frame that is not JSON
    ]
    assert [json.loads(f) for f in server.received] == [
        {"type": "room.send_message", "channel": "general", "content": "ack", "priority": "high"}
    ]
    assert server.handshakes[1].path == "/feed?token=t&resume=1"


def test_handler_class_api(server: WsServer, chat_sdk: dict[str, ModuleType]) -> None:
    room: Any = chat_sdk["chat_sdk.room"]
    received: list[Any] = []

    async def script(ws: ServerConnection, i: int) -> None:
        received.append(json.loads(await ws.recv()))
        await ws.send('{"action":"joined","room_id":"lobby one","members":["ann"]}')
        await ws.send(
            '{"action":"message_received","message_id":"m1","user_name":"bob",'
            '"content":"hey","sent_at":"2026-11-21T10:00:00Z","reply-to":"m0"}'
        )
        await ws.close()

    server.script = script

    class MyRoom(room.RoomClient):  # type: ignore[misc]
        seen: list[str]

        async def send_init_message(self) -> None:
            self.seen = []
            await self.send_message(room.JoinMessage(user_name="ann"))

        async def handle_message(self, message: Any) -> None:
            match message:
                case room.JoinedMessage():
                    self.seen.append(f"joined {message.room_id}")
                case room.MessageReceived():
                    self.seen.append(
                        f"{message.content} (re {message.reply_to}) at {message.sent_at.isoformat()}"
                    )

    client = MyRoom(f"127.0.0.1:{server.port}", protocol="ws", path_params={"room_id": "lobby one"})
    asyncio.run(client.handle())
    assert client.seen == ["joined lobby one", "hey (re m0) at 2026-11-21T10:00:00+00:00"]
    assert received == [{"action": "join", "user_name": "ann"}]
    assert server.handshakes[0].path == "/ws/rooms/lobby%20one"


USER_CODE = """
from __future__ import annotations

from typing import assert_never

from feed_sdk import Acme, AsyncAcme
from feed_sdk.feed import FeedClient, FeedErrorEvent, IncomingMessage, MessageReceivedEvent, SubscribeEvent, SubscribedEvent


def sync_use() -> None:
    client = Acme(base_url="wss://api.example.com", headers={"Authorization": "Bearer t"})
    with client.feed.connect(token="t", channel="general") as conn:
        conn.send({"type": "subscribe", "channel": "general"})
        conn.send(SubscribeEvent(channel="general"))
        conn.room.send_message(channel="general", content="hi")
        event: IncomingMessage = conn.recv()
        for event in conn:
            match event:
                case MessageReceivedEvent(channel=c, content=text):
                    print(c, text)
                case SubscribedEvent() | FeedErrorEvent():
                    pass
                case _:
                    assert_never(event)


async def async_use() -> None:
    async with AsyncAcme(base_url="wss://x").feed.connect(
        token="t", on_reconnecting=lambda e: None, max_retries=5, initial_delay=0.5, max_delay=8.0,
        max_queue_size=1 << 20, extra_query={"a": 1}, extra_headers={"b": "c"},
    ) as conn:
        @conn.on("message_received")
        async def on_message(event: MessageReceivedEvent) -> None:
            print(event.author.name)

        await conn.send(SubscribeEvent(channel="x"))
        await conn.room.send_message(channel="x", content="y", priority="low")
        await conn.dispatch_events()


class MyFeed(FeedClient):
    async def send_init_message(self) -> None:
        await self.send_message(SubscribeEvent(channel="general"))

    async def handle_message(self, message: IncomingMessage) -> None:
        match message:
            case MessageReceivedEvent() | SubscribedEvent() | FeedErrorEvent():
                pass
            case _:
                assert_never(message)
"""

WRONG_CODE = """
from feed_sdk import Acme
from feed_sdk.feed import MessageReceivedEvent, SubscribeEvent

def wrong() -> None:
    Acme(base_url="wss://x").feed.connect(channel="general")
    with Acme(base_url="wss://x").feed.connect(token="t", channel="general") as conn:
        conn.room.send_message(channel="g", content=1)
        conn.send(SubscribeEvent(chanel="g"))
        conn.send({"type": "subscribe", "chanel": "g"})
        conn.send({"type": "subscribe", "channel": 1})
        conn.send({"type": "subscribe"})

        @conn.on("subscribed")
        def handler(event: MessageReceivedEvent) -> None: ...
"""


def mypy(sdk_root: Path, code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "user_code.py").write_text(code)
    return run_mypy(tmp_path, "user_code.py", path=[str(sdk_root)])


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="the contract's user code uses typing.assert_never (3.11+)"
)
def test_contract_user_code_type_checks(sdk_root: Path, tmp_path: Path) -> None:
    result = mypy(sdk_root, USER_CODE, tmp_path)
    assert result.returncode == 0, result.stdout


def test_mistakes_are_type_errors(sdk_root: Path, tmp_path: Path) -> None:
    out = mypy(sdk_root, WRONG_CODE, tmp_path).stdout
    # connect() is overloaded on unknown_events: mypy names it and lists both signatures
    assert 'user_code.py:6: error: No overload variant of "connect" of "FeedResource"' in out
    assert "note:     def connect(*, token: str," in out
    assert 'Argument "content" to "send_message"' in out
    assert 'Unexpected keyword argument "chanel"' in out
    # a dict is checked against the client events' TypedDicts: a wrong key, a wrong value
    # type, a missing required key
    errors = {
        int(line.split(":")[1]) for line in out.splitlines() if line.startswith("user_code.py:")
    }
    assert {10, 11, 12} <= errors, out
    assert "on" in out and "MessageReceivedEvent" in out  # a handler typed for the wrong event


@pytest.mark.parametrize(
    ("package", "reply"),
    [
        ("chat_sdk", '{"action": "joined", "room_id": "example", "members": ["ann"]}'),
        ("feed_sdk", '{"type": "subscribed", "channel": "example"}'),
    ],
)
def test_the_readme_quick_start_runs(
    server: WsServer,
    sdk_root: Path,
    package: str,
    reply: str,
    capsys: pytest.CaptureFixture[str],
    chat_sdk: dict[str, ModuleType],
    feed_sdk: dict[str, ModuleType],
) -> None:
    """The README's asyncio example, as a user copies it, against a real server (its URL
    in place of the example's): it sends the first client event and prints the reply."""
    readme = sdk_root / package / "README.md"
    code = readme_blocks(readme)[0]
    default = re.search(r'base_url="([^"]+)"', code)
    assert default is not None and "asyncio.run(main())" in code

    async def script(ws: ServerConnection, i: int) -> None:
        server.received.append(await ws.recv())
        await ws.send(reply)
        await ws.wait_closed()

    server.script = script
    sys.path.insert(0, str(sdk_root))
    try:
        exec(compile(code.replace(default.group(1), server.url), str(readme), "exec"), {})
    finally:
        sys.path.remove(str(sdk_root))
    printed = capsys.readouterr().out
    sent = json.loads(server.received[0])
    assert sent in (
        {"action": "join", "user_name": "ann"},
        {"type": "subscribe", "channel": "example"},
    )
    # the typed event, printed
    assert printed.startswith(("action='joined' room_id='example'", "type='subscribed'")), printed


def run_readme_example(readme: Path, chosen: Callable[[str], bool]) -> None:
    """Run the one code block of ``readme`` that ``chosen`` picks, with the SDKs importable."""
    (code,) = (block for block in readme_blocks(readme) if chosen(block))
    sys.path.insert(0, str(readme.parent.parent))
    try:
        exec(compile(code, str(readme), "exec"), {})
    finally:
        sys.path.remove(str(readme.parent.parent))


#: The README examples that run with nothing else (on the generated fake), and how each
#: one's output starts, per SDK.
README_EXAMPLES = {
    "testing": (
        lambda block: ".testing import" in block and "unknown_events" not in block,
        {"chat_sdk": "action='join' user_name='ann'", "feed_sdk": "type='subscribe' channel="},
    ),
    "unknown_events": (
        lambda block: 'unknown_events="deliver"' in block,
        {
            "chat_sdk": "unknown_event not_in_the_spec\n",
            "feed_sdk": "unknown_event not_in_the_spec\n",
        },
    ),
}


@pytest.mark.parametrize("package", ["chat_sdk", "feed_sdk"])
@pytest.mark.parametrize("example", sorted(README_EXAMPLES))
def test_the_readme_examples_of_the_fake_run(
    sdk_root: Path,
    package: str,
    example: str,
    capsys: pytest.CaptureFixture[str],
    chat_sdk: dict[str, ModuleType],
    feed_sdk: dict[str, ModuleType],
) -> None:
    """The README's examples on the generated fake, as a user copies them: the fake's
    own (the client sends its first event), and ``unknown_events="deliver"``'s."""
    chosen, starts = README_EXAMPLES[example]
    run_readme_example(sdk_root / package / "README.md", chosen)
    printed = capsys.readouterr().out
    assert printed.startswith(starts[package]), printed


FAKE_CODE = """
from chat_sdk.room import JoinedMessage, JoinMessage
from chat_sdk.testing import FakeChat, SyncFakeChat


async def uses_the_fake() -> None:
    async with FakeChat() as server:
        async with server.async_client().room.connect(room_id="r") as conn:
            peer = await server.room.accept()
            join = await peer.expect(JoinMessage)
            reveal_type(join)
            reveal_type(await peer.expect())
            await peer.send(JoinedMessage(room_id=join.user_name, members=[]))
            {line}


def uses_the_blocking_fake() -> None:
    with SyncFakeChat() as server:
        with server.client().room.connect(room_id="r") as conn:
            peer = server.room.accept()
            reveal_type(peer.expect(JoinMessage))
"""


def test_the_fake_is_typed(sdk_root: Path, tmp_path: Path) -> None:
    """``peer.expect(JoinMessage)`` is a ``JoinMessage``; ``expect()`` the channel's union."""
    ok = mypy(sdk_root, FAKE_CODE.format(line="await conn.close()"), tmp_path).stdout
    revealed = re.findall(r'Revealed type is "([^"]+)"', ok)
    assert revealed[0] == revealed[2] == "chat_sdk.room.messages.JoinMessage", ok
    assert "JoinMessage" in revealed[1] and "PingMessage" in revealed[1], ok
    assert "error:" not in ok, ok
    wrong = mypy(sdk_root, FAKE_CODE.format(line="print(join.usr_name)"), tmp_path).stdout
    assert '"JoinMessage" has no attribute "usr_name"' in wrong, wrong


DRIFT_CODE = """
from typing_extensions import assert_never

from feed_sdk import AsyncAcme
from feed_sdk.feed import FeedErrorEvent, MessageReceivedEvent, SubscribedEvent
from sockgen_runtime import UnknownEvent


async def lenient() -> None:
    async with AsyncAcme(base_url="wss://x").feed.connect(
        token="t", unknown_events="deliver"
    ) as conn:
        async for event in conn:
            reveal_type(event)
            match event:
                case MessageReceivedEvent() | SubscribedEvent() | FeedErrorEvent():
                    pass
                {case}
                case _:
                    assert_never(event)

        @conn.on("unknown")
        def on_unknown(event: UnknownEvent) -> None:
            print(event.tag, event.data)


async def strict() -> None:
    async with AsyncAcme(base_url="wss://x").feed.connect(token="t") as conn:
        async for event in conn:
            reveal_type(event)
            match event:
                case MessageReceivedEvent() | SubscribedEvent() | FeedErrorEvent():
                    pass
                case _:
                    assert_never(event)
"""


def test_unknown_events_are_in_the_types_only_when_delivered(
    sdk_root: Path, tmp_path: Path
) -> None:
    """With ``unknown_events="deliver"`` the events include ``UnknownEvent``, so an exhaustive
    ``match`` must handle it; by default they do not, and the same ``match`` type-checks."""
    ok = mypy(
        sdk_root,
        DRIFT_CODE.format(case="case UnknownEvent(tag=tag):\n                    print(tag)"),
        tmp_path,
    ).stdout
    revealed = re.findall(r'Revealed type is "([^"]+)"', ok)
    assert "sockgen_runtime._parsing.UnknownEvent" in revealed[0], ok
    assert "UnknownEvent" not in revealed[1] and "SubscribedEvent" in revealed[1], ok
    assert "error:" not in ok, ok
    missed = mypy(sdk_root, DRIFT_CODE.format(case=""), tmp_path).stdout
    assert 'Argument 1 to "assert_never" has incompatible type "UnknownEvent"' in missed, missed
    assert missed.count("error:") == 1, missed
