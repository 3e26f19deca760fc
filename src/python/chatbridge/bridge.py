"""Relays a chat room into a feed channel: every chat message becomes a feed post.

It imports the generated SDKs like any library; Pants infers the dependency on
the ``websocket_sdk`` targets in ``specs/`` from these imports.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from chat_sdk import AsyncChat
from chat_sdk.room import JoinMessage, MessageReceived
from feed_sdk import AsyncAcme
from feed_sdk.feed import SubscribedEvent
from sockgen_runtime import ReconnectingEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BridgeConfig:
    chat_url: str
    feed_url: str
    room: str
    channel: str
    token: str
    user_name: str = "bridge"
    retry_delay: float = 0.5
    """Seconds before the first attempt to reconnect to the chat."""


def _reconnecting(event: ReconnectingEvent) -> None:
    logger.warning(
        "chat connection closed (%s); reconnecting, attempt %d of %d",
        event.close_code,
        event.attempt,
        event.max_attempts,
    )


async def relay(config: BridgeConfig, *, limit: int | None = None) -> int:
    """Relay chat messages to the feed until the chat closes (or ``limit`` messages). Returns the count."""
    relayed = 0
    feed_client = AsyncAcme(base_url=config.feed_url)
    async with feed_client.feed.connect(token=config.token, channel=config.channel) as feed:
        await feed.send({"type": "subscribe", "channel": config.channel})
        ack = await feed.recv()
        if not isinstance(ack, SubscribedEvent):
            raise RuntimeError(f"feed did not confirm the subscription: {ack!r}")
        chat_client = AsyncChat(base_url=config.chat_url)
        # the chat server may restart: reconnect, and join the room again first thing
        async with chat_client.room.connect(
            room_id=config.room, on_reconnecting=_reconnecting, initial_delay=config.retry_delay
        ) as chat:
            await chat.send(JoinMessage(user_name=config.user_name), replay_on_reconnect=True)
            async for event in chat:
                if isinstance(event, MessageReceived) and event.user_name != config.user_name:
                    await feed.room.send_message(
                        channel=config.channel, content=f"{event.user_name}: {event.content}"
                    )
                    relayed += 1
                    if limit is not None and relayed >= limit:
                        break
    return relayed


def main() -> None:  # pragma: no cover - a thin command-line shell
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("chat-url", "feed-url", "room", "channel", "token"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    config = BridgeConfig(args.chat_url, args.feed_url, args.room, args.channel, args.token)
    print(asyncio.run(relay(config)))
