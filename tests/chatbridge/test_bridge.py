"""The downstream app, on both generated SDKs, against the SDKs' own generated fakes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from chat_sdk.room import JoinMessage, MessageReceived, PongMessage
from chat_sdk.testing import FakeChat
from chatbridge.bridge import BridgeConfig, relay
from feed_sdk.feed import RoomSendMessageEvent, SubscribedEvent, SubscribeEvent
from feed_sdk.testing import FakeAcme
from sockgen_runtime.testing import FakeError

pytestmark = pytest.mark.asyncio

SENT_AT = datetime(2026, 11, 21, 10, tzinfo=timezone.utc)


def said(n: int, user: str) -> MessageReceived:
    return MessageReceived(
        message_id=f"m{n}", user_name=user, content=f"hello {n}", sent_at=SENT_AT
    )


async def test_relay_forwards_chat_messages_to_the_feed_through_chat_restarts(
    chat: FakeChat, feed: FakeAcme
) -> None:
    feed.feed.reply(SubscribeEvent, lambda sub: SubscribedEvent(channel=sub.channel))
    config = BridgeConfig(
        chat.url, feed.url, room="lobby", channel="general", token="t", retry_delay=0.01
    )
    relaying = asyncio.create_task(relay(config))
    posts = await feed.feed.accept()
    assert posts.query == {"token": "t", "channel": "general"}
    assert (await posts.expect(SubscribeEvent)).channel == "general"

    room = await chat.room.accept()
    assert room.path_params == {"room_id": "lobby"}
    assert (await room.expect(JoinMessage)).user_name == "bridge"
    for n, user in enumerate(["ann", "bridge", "bob"]):
        await room.send(said(n, user))  # its own messages are not relayed
    await room.send(PongMessage())
    await room.close(1012, "restarting")  # the chat restarts: the bridge comes back

    room = await chat.room.accept()
    assert (await room.expect(JoinMessage)).user_name == "bridge"  # joined again, first
    await room.send(said(3, "cy"))
    await room.drop()  # a TCP drop: back again

    room = await chat.room.accept()
    await room.expect(JoinMessage)
    await room.send(said(4, "di"))
    relayed = [await posts.expect(RoomSendMessageEvent) for _ in range(4)]
    await room.close()
    assert await relaying == 4
    assert [(p.channel, p.content) for p in relayed] == [
        ("general", "ann: hello 0"),
        ("general", "bob: hello 2"),
        ("general", "cy: hello 3"),
        ("general", "di: hello 4"),
    ]
    assert chat.connections == 3


async def test_an_invalid_outgoing_message_is_caught() -> None:
    """A post missing its content (a dict mypy would flag, sent anyway) fails the test."""
    from feed_sdk import AsyncAcme

    async with FakeAcme(strict=False) as feed:
        client = AsyncAcme(base_url=feed.url)
        async with client.feed.connect(token="t", channel="general") as conn:
            peer = await feed.feed.accept()
            await conn.send({"type": "room.send_message", "channel": "general"})  # type: ignore[misc, arg-type]
            with pytest.raises(FakeError, match="no client event of this channel") as info:
                await peer.expect(RoomSendMessageEvent)
            assert "content" in str(info.value) and "Field required" in str(info.value)
    assert feed.invalid_frames and "room.send_message" in feed.invalid_frames[0]
