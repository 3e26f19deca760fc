"""The downstream app, on both generated SDKs, against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json

from chatbridge.bridge import BridgeConfig, relay
from runtime.wsserver import WsServer
from websockets.asyncio.server import ServerConnection


def test_relay_forwards_chat_messages_to_the_feed() -> None:
    chat, feed = WsServer(), WsServer()
    posted: list[dict[str, object]] = []
    try:

        async def chat_script(ws: ServerConnection, i: int) -> None:
            join = json.loads(await ws.recv())
            assert join == {"action": "join", "user_name": "bridge"}
            for n, user in enumerate(["ann", "bridge", "bob"]):
                await ws.send(
                    json.dumps(
                        {
                            "action": "message_received",
                            "message_id": f"m{n}",
                            "user_name": user,
                            "content": f"hello {n}",
                            "sent_at": "2026-11-21T10:00:00Z",
                        }
                    )
                )
            await ws.send('{"action":"pong"}')
            await ws.close()

        async def feed_script(ws: ServerConnection, i: int) -> None:
            assert json.loads(await ws.recv()) == {"type": "subscribe", "channel": "general"}
            await ws.send('{"type":"subscribed","channel":"general"}')
            async for frame in ws:
                posted.append(json.loads(frame))

        chat.script, feed.script = chat_script, feed_script
        config = BridgeConfig(chat.url, feed.url, room="lobby", channel="general", token="t")
        assert asyncio.run(relay(config)) == 2
        for _ in range(100):
            if len(posted) == 2:
                break
            asyncio.run(asyncio.sleep(0.01))
        assert posted == [
            {"type": "room.send_message", "channel": "general", "content": "ann: hello 0"},
            {"type": "room.send_message", "channel": "general", "content": "bob: hello 2"},
        ]
        assert chat.handshakes[0].path == "/ws/rooms/lobby"
        assert feed.handshakes[0].path == "/feed?token=t&channel=general"
    finally:
        chat.close()
        feed.close()
