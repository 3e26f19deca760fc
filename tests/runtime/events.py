"""A small channel for the runtime's tests, written as the generator writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import Field, TypeAdapter
from sockgen_runtime import (
    AsyncConnection,
    AsyncConnectionManager,
    ChannelSpec,
    ClientBase,
    Connection,
    ConnectionCore,
    ConnectionManager,
    SockgenModel,
)


class Subscribe(SockgenModel):
    type: Literal["subscribe"] = "subscribe"
    channel: str


class SendMessage(SockgenModel):
    type: Literal["send_message"] = "send_message"
    channel: str
    content: str
    sent_at: datetime | None = None
    reply_to: str | None = Field(
        default=None, validation_alias="reply-to", serialization_alias="reply-to"
    )


ClientEvent = Annotated[Union[Subscribe, SendMessage], Field(discriminator="type")]


class MessageReceived(SockgenModel):
    type: Literal["message_received"] = "message_received"
    channel: str
    content: str
    user_name: str = Field(validation_alias="user-name", serialization_alias="user-name")


class Subscribed(SockgenModel):
    type: Literal["subscribed"] = "subscribed"
    channel: str
    status: Literal["active", "paused"] = "active"


ServerEvent = Annotated[Union[MessageReceived, Subscribed], Field(discriminator="type")]

CHANNEL: ChannelSpec[MessageReceived | Subscribed] = ChannelSpec(
    path="/rooms/{room_id}",
    server_events=TypeAdapter(ServerEvent),
    event_names={MessageReceived: "message_received", Subscribed: "subscribed"},
    name="rooms",
    tag="type",
)


def message(content: str, channel: str = "general") -> str:
    return MessageReceived(channel=channel, content=content, user_name="ann").model_dump_json(
        by_alias=True
    )


def connect_sync(
    base_url: str, room: str = "lobby", **kwargs: Any
) -> ConnectionManager[Connection[Any, Any]]:
    """What a generated ``client.rooms.connect(room_id=...)`` does (``channel=``: another
    channel with the same address)."""
    return ConnectionManager(Connection, _core(base_url, room, kwargs))


def connect_async(
    base_url: str, room: str = "lobby", **kwargs: Any
) -> AsyncConnectionManager[AsyncConnection[Any, Any]]:
    return AsyncConnectionManager(AsyncConnection, _core(base_url, room, kwargs))


def _core(base_url: str, room: str, kwargs: dict[str, Any]) -> ConnectionCore[Any]:
    """The core a generated ``connect()`` makes: the client's own arguments (headers,
    security, credentials) go to the client, ``channel=`` picks the channel, the rest to
    ``core()``."""
    client = ClientBase(
        base_url=base_url,
        headers=kwargs.pop("headers", None),
        security=kwargs.pop("security", None),
        credentials=kwargs.pop("credentials", None),
    )
    return client.core(kwargs.pop("channel", CHANNEL), path_params={"room_id": room}, **kwargs)
