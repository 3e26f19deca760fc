"""What words say about direction: prose phrases read as a whole, names, pairs."""

from __future__ import annotations

import pytest
from sockgen.frontends.asyncapi.wording import (
    gist_clue,
    info_clue,
    name_clue,
    pair_clues,
    prose_clues,
)


def way(text: str) -> str | None:
    clues = prose_clues(text, "summary")
    assert len(clues) <= 1
    return clues[0].way if clues else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the 2.x regression: "server messages" inside "client-to-server messages"
        ("All client-to-server messages", "c2s"),
        ("All server-to-client messages", "s2c"),
        ("Messages sent from client to Deepgram", "c2s"),
        ("Messages sent from the client to the server", "c2s"),
        ("Messages sent from the server to the client", "s2c"),
        ("client to server", "c2s"),
        ("Server messages", "s2c"),
        ("Client messages", "c2s"),
        ("Sent by the server after every change", "s2c"),
        ("Emitted by the server when speech starts", "s2c"),
        ("Server-minted session identifier", "s2c"),
        ("Receive a server-initiated push notification", "s2c"),
        ("Receive a challenge nonce from the server that must be signed", "s2c"),
        ("Send a message to the echo server.", "c2s"),
        ("Receive the timestamp message sent from server every second.", "s2c"),
        ("The server replies with the session id", "s2c"),
        ("Server pong response to a ping", "s2c"),
        # an exchange in both directions says nothing about one message
        ("Client can ping server, server responds with pong", None),
        # relative verbs and parties that are not client or server say nothing
        ("Send audio data for transcription", None),
        ("Receive market updates on a given symbol", None),
        ("Send commands to the Farcaster stream", None),
        ("Unsubscribe from the server", None),
        ("Process chat messages and broadcast to all clients", None),
        ("", None),
    ],
)
def test_prose_is_read_as_whole_phrases(text: str, expected: str | None) -> None:
    assert way(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Receive market updates on a given symbol", "s2c"),
        ("Receive transcription results", "s2c"),
        ("Send commands to the stream", "c2s"),
        ("Create a news subscription", "c2s"),
        ("Subscribe to a WebSocket channel", "c2s"),
        ("modify_subscription response", "s2c"),
        ("Auth challenge", None),  # a noun phrase, not the command "authenticate"
        ("Send audio data for transcription", None),
        ("Handle chat messages", None),
    ],
)
def test_a_summary_gist(text: str, expected: str | None) -> None:
    clue = gist_clue(text, "summary")
    assert (clue.way if clue else None) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["SubscribeRequest", "subscribe"], "c2s"),
        (["SubscriptionStatus"], "s2c"),  # the head word is a status
        (["session.update"], "c2s"),
        (["session.updated"], "s2c"),
        (["response.create"], "c2s"),  # "create" is the head, "response" its object
        (["response.created"], "s2c"),
        (["input_audio_buffer.append"], "c2s"),
        (["KeepAlive"], "c2s"),
        (["listen_v1_media"], "c2s"),
        (["pulseTranscriptionResponse.message"], "s2c"),
        (["hello"], "s2c"),
        (["channel_created"], "s2c"),
        (["ping"], "c2s"),
        (["pong"], "s2c"),
        (["feed"], None),  # not a participle
        (["marketData"], None),
    ],
)
def test_names(names: list[str], expected: str | None) -> None:
    clue = name_clue(names)
    assert (clue.way if clue else None) == expected


def test_pairs_tell_request_from_answer() -> None:
    clues = pair_clues(
        {
            "a": ["SessionConfigure"],
            "b": ["SessionConfigured"],
            "c": ["job"],
            "d": ["job_status"],
            "e": ["OrderCreateRequest"],
            "f": ["OrderCreateResponse"],
            "g": ["ping"],
            "h": ["pong"],
            "i": ["Weather"],
        }
    )
    assert {k: c.way for k, c in clues.items()} == {
        "a": "c2s",
        "b": "s2c",
        "c": "c2s",
        "d": "s2c",
        "e": "c2s",
        "f": "s2c",
        "g": "c2s",
        "h": "s2c",
    }


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Hoppscotch Echo WebSocket Client", "", "client"),
        ("Echo client", "", "client"),
        ("Acme Client API", "", None),  # an API for clients: a server
        ("Acme", "This document describes the API from the server's point of view.", "server"),
        ("Acme", "Use the echo service as a client.", "client"),
        ("Acme", "Clients connect and send requests.", None),
    ],
)
def test_info(title: str, description: str, expected: str | None) -> None:
    clue = info_clue(title, description)
    assert (clue[0] if clue else None) == expected
