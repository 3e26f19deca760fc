"""The fake server engine (sockgen_runtime.testing), and the runtime's reconnect and
bad-frame behaviour run through it, on the public API, on both transports."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from runtime.drivers import TRANSPORTS, open_driver
from runtime.events import (
    ClientEvent,
    MessageReceived,
    SendMessage,
    ServerEvent,
    Subscribe,
    Subscribed,
    message,
)
from sockgen_runtime import ConnectionLost, InvalidMessage, ReconnectingEvent
from sockgen_runtime.testing import (
    FakeChannel,
    FakeChannelSpec,
    FakeError,
    FakeServer,
    SyncFakeServer,
)

ROOMS = FakeChannelSpec(
    name="rooms",
    path="/rooms/{room_id}",
    client_events=ClientEvent,
    server_events=ServerEvent,
    server_examples=(message("example one"), '{"type":"subscribed"}', message("example two")),
)
FAST = {"initial_delay": 0.01, "max_delay": 0.05}
ON_EACH_TRANSPORT = pytest.mark.parametrize("transport", TRANSPORTS)


def rooms(server: FakeServer) -> FakeChannel[Any, Any]:
    return server.channel("rooms")


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_handshake_expect_and_send(transport: str) -> None:
    async with FakeServer([ROOMS]) as server:
        conn = await open_driver(transport, server.url, room="r 1", headers={"X-Key": "k"})
        peer = await rooms(server).accept()
        assert peer.path_params == {"room_id": "r 1"} and peer.headers["x-key"] == "k"
        await conn.send(Subscribe(channel="general"))
        sub = await peer.expect(Subscribe)
        assert sub.channel == "general"
        await conn.send({"type": "send_message", "channel": "general", "content": "hi"})
        assert isinstance(await peer.expect(), SendMessage)
        await peer.send(Subscribed(channel="general"))
        await peer.send(
            {"type": "message_received", "channel": "g", "content": "x", "user-name": "a"}
        )
        assert isinstance(await conn.recv(), Subscribed)
        assert (await conn.recv()).user_name == "a"
        assert [type(e) for e in peer.received] == [Subscribe, SendMessage]
        await conn.close()


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_a_reconnect_after_1012_and_after_a_tcp_drop(transport: str) -> None:
    async with FakeServer([ROOMS]) as server:
        seen: list[ReconnectingEvent] = []
        conn = await open_driver(transport, server.url, on_reconnecting=seen.append, **FAST)
        first = await rooms(server).accept()
        await first.send(Subscribed(channel="one"))
        assert (await conn.recv()).channel == "one"
        await first.close(1012, "restart")
        receiving = asyncio.create_task(conn.recv())  # sees the close and reconnects
        second = await rooms(server).accept()
        await second.send(Subscribed(channel="two"))
        assert (await receiving).channel == "two"
        await second.drop()
        receiving = asyncio.create_task(conn.recv())
        third = await rooms(server).accept()
        await third.send(Subscribed(channel="three"))
        assert (await receiving).channel == "three"
        assert [e.close_code for e in seen] == [1012, 1006] and server.connections == 3
        await conn.close()


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_refused_handshakes_and_giving_up(transport: str) -> None:
    async with FakeServer([ROOMS]) as server:
        seen: list[ReconnectingEvent] = []
        conn = await open_driver(
            transport, server.url, on_reconnecting=seen.append, max_retries=2, **FAST
        )
        peer = await rooms(server).accept()
        server.refuse(5)
        await peer.drop()
        with pytest.raises(ConnectionLost) as info:  # ReconnectGaveUpError
            await conn.recv()
        assert "gave up after 2 attempts" in str(info.value) and len(seen) == 2


@ON_EACH_TRANSPORT
@pytest.mark.asyncio
async def test_bad_frames_reach_the_error_hook_and_receiving_goes_on(transport: str) -> None:
    async with FakeServer([ROOMS]) as server:
        conn = await open_driver(transport, server.url)
        errors: list[InvalidMessage] = []
        conn.on("error", errors.append)
        peer = await rooms(server).accept()
        for frame in ["not json", '{"type":"nope"}', '{"type":"subscribed"}']:
            await peer.send_raw(frame)
        assert await peer.send_examples() == 2  # the third example contradicts its schema
        await peer.close()
        events = await conn.events()
        assert [e.content for e in events] == ["example one", "example two"]
        assert [e.kind for e in errors] == ["invalid_json", "unknown_event", "validation_error"]


@pytest.mark.asyncio
async def test_expect_fails_readably() -> None:
    async with FakeServer([ROOMS], strict=False) as server:
        conn = await open_driver("async", server.url)
        peer = await rooms(server).accept()
        await conn.send_raw('{"type":"subscribe"}')  # no channel: no client event
        with pytest.raises(
            FakeError, match=r"rooms: the client sent .*subscribe.*no client event"
        ) as info:
            await peer.expect(Subscribe)
        assert "channel" in str(info.value) and "Field required" in str(info.value)
        await conn.send(SendMessage(channel="g", content="c"))
        with pytest.raises(FakeError, match="expected Subscribe, the client sent SendMessage"):
            await peer.expect(Subscribe)
        with pytest.raises(FakeError, match=r"sent nothing in 0.1 s \(expected Subscribe\)"):
            await peer.expect(Subscribe, timeout=0.1)
        await conn.close()
        with pytest.raises(FakeError, match="closed the connection"):
            await peer.expect()


@pytest.mark.asyncio
async def test_strict_mode_fails_at_exit_on_an_invalid_frame_nobody_expected() -> None:
    server = FakeServer([ROOMS])
    with pytest.raises(FakeError, match="no client event") as info:
        async with server:
            conn = await open_driver("async", server.url)
            await rooms(server).accept()
            await conn.send_raw(json.dumps({"type": "send_message"}))
            await asyncio.sleep(0.2)
            await conn.close()
    assert "send_message" in str(info.value)


@pytest.mark.parametrize("api", ["async", "sync"])
@pytest.mark.asyncio
async def test_a_bad_frame_expect_reported_is_not_reported_again_at_exit(api: str) -> None:
    """Strict mode: the frame ``expect()`` raised for is the test's business now; only a
    bad frame nobody expected fails the test when the fake stops."""
    bad, unseen = '{"type":"subscribe"}', '{"type":"send_message"}'

    async def session(server: Any, accept: Any, expect: Any) -> None:
        conn = await open_driver("async", server.url)
        peer = await accept()
        await conn.send_raw(bad)
        with pytest.raises(FakeError, match="no client event"):
            await expect(peer)
        assert server.invalid_frames == [f"rooms: {bad!r}"]
        await conn.close()

    if api == "async":
        async with FakeServer([ROOMS]) as server:
            await session(server, rooms(server).accept, lambda peer: peer.expect(Subscribe))
    else:
        with SyncFakeServer([ROOMS]) as sync_server:
            await session(
                sync_server,
                lambda: asyncio.to_thread(sync_server.channel("rooms").accept),
                lambda peer: asyncio.to_thread(peer.expect, Subscribe),
            )
    # the same fake still fails at exit on a second bad frame that nobody expected
    server = FakeServer([ROOMS])
    with pytest.raises(FakeError, match="no client event") as info:
        async with server:
            conn = await open_driver("async", server.url)
            peer = await rooms(server).accept()
            await conn.send_raw(bad)
            with pytest.raises(FakeError):
                await peer.expect()
            await conn.send_raw(unseen)
            await asyncio.sleep(0.2)
            await conn.close()
    assert "send_message" in str(info.value) and "subscribe'" not in str(info.value)


@pytest.mark.asyncio
async def test_automatic_replies() -> None:
    async with FakeServer([ROOMS]) as server:
        rooms(server).reply(Subscribe, lambda sub: Subscribed(channel=sub.channel))
        conn = await open_driver("async", server.url)
        await conn.send(Subscribe(channel="auto"))
        assert (await conn.recv()).channel == "auto"
        await conn.close()


@pytest.mark.asyncio
async def test_unknown_paths_get_404_and_accept_times_out() -> None:
    async with FakeServer([ROOMS]) as server:
        with pytest.raises(FakeError, match="no client connected to /rooms/{room_id} in 0.1 s"):
            await rooms(server).accept(timeout=0.1)


def test_the_blocking_api() -> None:
    from runtime.events import connect_sync

    with SyncFakeServer([ROOMS]) as server:
        channel = server.channel("rooms")
        with connect_sync(server.url, room="b") as conn:
            peer = channel.accept()
            conn.send(Subscribe(channel="s"))
            assert peer.expect(Subscribe).channel == "s"
            peer.send(MessageReceived(channel="s", content="c", user_name="u"))
            assert conn.recv().content == "c"


@pytest.mark.asyncio
async def test_leaving_the_fake_with_a_client_still_open_does_not_hang() -> None:
    import time

    server = FakeServer([ROOMS])
    async with server:
        conn = await open_driver("async", server.url)
        await rooms(server).accept()
        start = time.monotonic()
    assert time.monotonic() - start < 5  # the client answered the close meanwhile
    with pytest.raises(Exception):  # noqa: B017 - the connection is over, however it ended
        await asyncio.wait_for(conn.recv(), 5)


@pytest.mark.asyncio
async def test_a_failing_reply_callback_fails_the_test() -> None:
    def broken(sub: Subscribe) -> Subscribed:
        raise ValueError("the test's own bug")

    server = FakeServer([ROOMS])
    with pytest.raises(FakeError, match=r"reply callback failed:\n  rooms: ValueError"):
        async with server:
            rooms(server).reply(Subscribe, broken)
            conn = await open_driver("async", server.url)
            peer = await rooms(server).accept()
            await conn.send(Subscribe(channel="x"))
            await peer.expect(Subscribe)
            with pytest.raises(FakeError, match="closed the connection"):
                await peer.expect()  # the fake closed it (1011) when the callback failed


@pytest.mark.asyncio
async def test_channels_sharing_an_address_each_get_their_own_parameters() -> None:
    other = FakeChannelSpec(
        name="other",
        path="/rooms/{name}",
        client_events=ClientEvent,
        server_events=ServerEvent,
    )
    async with FakeServer([other, ROOMS]) as server:
        conn = await open_driver("async", server.url, room="r1")
        peer = await rooms(server).accept()
        assert peer.path_params == {"room_id": "r1"}
        await conn.close()
