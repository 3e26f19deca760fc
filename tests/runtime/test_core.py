"""The sans-I/O core alone: every close code x reconnect setting x queue state, with
scripted answers in place of sockets and sleeps (no I/O, no waiting)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from runtime.events import CHANNEL
from sockgen_runtime import (
    ClientBase,
    ConnectionEndedOK,
    ConnectionLost,
    ReconnectGaveUpError,
    ReconnectingEvent,
)
from sockgen_runtime._core import (
    Action,
    Answer,
    Ask,
    Closed,
    ConnectionCore,
    Open,
    OpenFailed,
    Plan,
    Send,
    Tell,
    Wait,
)
from sockgen_runtime.reconnect import RECONNECT_CLOSE_CODES

CODES = [1000, 1001, 1005, 1006, 1008, 1009, 1011, 1012, 1013, 1015, 4000]
NORMAL = {1000, 1001, 1005}


def core(reconnect: bool = True, **options: object) -> ConnectionCore[object]:
    client = ClientBase(base_url="ws://example.test")
    hook = (lambda event: None) if reconnect else None
    return client.core(
        CHANNEL,
        path_params={"room_id": "r"},
        on_reconnecting=hook,  # type: ignore[arg-type]
        initial_delay=0.5,
        max_delay=8.0,
        **options,  # type: ignore[arg-type]
    )


def reconnecting(c: ConnectionCore[object]) -> bool:
    return c.reconnecting


@dataclass
class World:
    """Answers for the core's actions: handshakes and sends that fail as scripted."""

    opens: list[bool] = field(default_factory=list)
    """Per handshake, whether it works (missing: it works)."""
    sends: Callable[[int, str | bytes], Closed | None] = lambda i, frame: None
    overrides: list[dict[str, object] | None] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    _opens: int = 0
    _sends: int = 0

    def answer(self, action: Action) -> Answer:
        self.actions.append(action)
        if isinstance(action, Ask):
            return self.overrides.pop(0) if self.overrides else None  # type: ignore[return-value]
        if isinstance(action, Open):
            ok = self.opens[self._opens] if self._opens < len(self.opens) else True
            self._opens += 1
            return None if ok else OpenFailed(ConnectionRefusedError("refused"))
        if isinstance(action, Send):
            self._sends += 1
            return self.sends(self._sends, action.frame)
        return None

    def run(self, plan: Plan) -> list[Action]:
        answer: Answer = None
        while True:
            try:
                action = plan.send(answer)
            except StopIteration:
                return self.actions
            answer = self.answer(action)

    def kinds(self) -> list[str]:
        return [type(a).__name__ for a in self.actions]

    def sent(self) -> list[str | bytes]:
        return [a.frame for a in self.actions if isinstance(a, Send)]


@pytest.mark.parametrize(
    ("code", "reconnect", "closing"),
    list(itertools.product(CODES, [True, False], [True, False])),
)
def test_what_a_close_becomes(code: int, reconnect: bool, closing: bool) -> None:
    c = core(reconnect)
    c.closing = closing
    expect_plan = reconnect and not closing and code in RECONNECT_CLOSE_CODES
    if expect_plan:
        world = World()
        world.run(c.recover(code, "bye", replaced=False))
        assert world.kinds() == ["Ask", "Wait", "Open", "Tell"]
        ask = world.actions[0]
        assert isinstance(ask, Ask) and ask.event.close_code == code and ask.event.attempt == 1
        assert not c.reconnecting and c.gave_up is None
        return
    with pytest.raises((ConnectionEndedOK, ConnectionLost)) as info:
        c.recover(code, "bye", replaced=False)
    normal = closing or code in NORMAL
    assert isinstance(info.value, ConnectionEndedOK) is normal
    assert info.value.code == code and info.value.reason == "bye"


QUEUES: dict[str, tuple[list[str | bytes], list[str | bytes]]] = {
    "empty": ([], []),
    "queued": ([], ["q1", b"q2"]),
    "replayed": (["sub-a", "sub-b"], []),
    "both": (["sub-a"], ["q1", "q2"]),
}


@pytest.mark.parametrize("state", QUEUES)
@pytest.mark.parametrize("code", sorted(RECONNECT_CLOSE_CODES))
@pytest.mark.parametrize("unsent", [None, "the failed send"])
def test_a_reconnection_sends_the_replay_then_the_queue_once(
    state: str, code: int, unsent: str | None
) -> None:
    replay, queued = QUEUES[state]
    c = core()
    c.replay.extend(replay)
    for frame in queued:
        c.queue.push(frame)
    world = World()
    world.run(c.recover(code, "", replaced=False, unsent=unsent))
    expected = [*replay, *queued, *([unsent] if unsent else [])]
    assert world.sent() == expected
    assert world.kinds() == ["Ask", "Wait", "Open", *["Send"] * len(expected), "Tell"]
    assert len(c.queue) == 0 and c.replay == replay  # the replay stays for the next time
    tell = world.actions[-1]
    assert isinstance(tell, Tell) and tell.event.replayed == len(replay)
    assert tell.event.attempts == 1 and tell.event.close_code == code


def test_failed_handshakes_back_off_until_one_works() -> None:
    c = core(max_retries=5)
    world = World(opens=[False, False, True])
    world.run(c.recover(1012, "restart", replaced=False))
    asks = [a.event for a in world.actions if isinstance(a, Ask)]
    waits = [a.seconds for a in world.actions if isinstance(a, Wait)]
    assert [e.attempt for e in asks] == [1, 2, 3]
    assert [e.close_code for e in asks] == [1012, 1006, 1006]  # a refused handshake is 1006
    assert all(0.5 <= w <= 8.0 for w in waits) and waits == [e.delay for e in asks]
    tell = world.actions[-1]
    assert isinstance(tell, Tell) and tell.event.attempts == 3


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_giving_up_after_max_retries_returns_what_was_never_sent(retries: int) -> None:
    c = core(max_retries=retries)
    c.queue.push("a")
    world = World(opens=[False] * 10)
    with pytest.raises(ReconnectGaveUpError) as info:
        world.run(c.recover(1006, "", replaced=False, unsent="b"))
    assert info.value.attempts == retries and not info.value.aborted
    assert info.value.unsent == ("a", "b") and len(c.queue) == 0
    assert world.kinds().count("Open") == retries
    assert c.gave_up is info.value and not c.reconnecting
    with pytest.raises(ReconnectGaveUpError):  # later sends raise it too
        c.outgoing("c", replay=False)
    with pytest.raises(ReconnectGaveUpError):  # and later closes
        c.recover(1006, "", replaced=False)


def test_the_hook_can_abort_or_override_the_next_handshakes() -> None:
    c = core()
    world = World(
        opens=[False, True],
        overrides=[{"extra_query": {"token": "t1"}}, {"extra_headers": {"X-A": "1"}}],
    )
    world.run(c.recover(1006, "", replaced=False))
    opens = [a for a in world.actions if isinstance(a, Open)]
    assert "token=t1" in opens[0].url and "token=t1" in opens[1].url
    assert opens[1].options["additional_headers"]["X-A"] == "1"
    assert "X-A" not in opens[0].options["additional_headers"]
    aborted = core()
    aborted.queue.push("x")
    with pytest.raises(ReconnectGaveUpError) as info:
        World(overrides=[{"abort": True}]).run(aborted.recover(1006, "", replaced=False))
    assert info.value.aborted and info.value.attempts == 0 and info.value.unsent == ("x",)


@pytest.mark.parametrize(("code", "retried"), [(1012, True), (1008, False)])
def test_a_socket_that_closes_during_the_flush(code: int, retried: bool) -> None:
    c = core(max_retries=3)
    c.queue.push("q1")
    c.queue.push("q2")
    # the first socket takes q1 and closes on q2; a second one (if any) takes q2
    world = World(sends=lambda i, frame: Closed(code, "again") if i == 2 else None)
    if retried:
        world.run(c.recover(1006, "", replaced=False))
        assert world.sent() == ["q1", "q2", "q2"] and world.kinds().count("Open") == 2
        assert len(c.queue) == 0
    else:
        with pytest.raises(ReconnectGaveUpError) as info:
            world.run(c.recover(1006, "", replaced=False))
        assert info.value.code == 1008 and info.value.attempts == 1
        assert info.value.unsent == ("q2",)  # q1 went out; nothing twice, nothing lost


def test_sends_during_a_reconnection_are_held() -> None:
    c = core()
    plan = c.recover(1006, "", replaced=False)
    first = plan.send(None)
    assert isinstance(first, Ask) and c.reconnecting
    assert c.outgoing("queued", replay=False) == "held"
    assert c.outgoing("sub", replay=True) == "held"
    assert list(c.queue.drain()) == ["queued"] and c.replay == ["sub"]  # the replay sends it
    plan.close()  # a transport that stops carrying out the plan (its hook raised, say)
    assert not reconnecting(c)
    assert c.outgoing("now", replay=False) == "send"


def test_a_recovery_that_finds_the_socket_replaced_only_flushes() -> None:
    c = core()
    c.replay.append("sub")
    world = World()
    world.run(c.recover(1006, "", replaced=True, unsent="late"))
    assert world.kinds() == ["Send"] and world.sent() == ["late"]


def test_no_reconnect_while_closing_or_without_the_hook() -> None:
    for c in (core(reconnect=False), core()):
        c.closing = c.reconnect_enabled
        with pytest.raises(ConnectionLost if not c.closing else ConnectionEndedOK):
            c.recover(1006, "", replaced=False)


def test_the_first_event_of_a_reconnection() -> None:
    c = core(max_retries=2)
    event = c.recover(1011, "oops", replaced=False).send(None)
    assert isinstance(event, Ask)
    assert event.event == ReconnectingEvent(
        attempt=1, max_attempts=2, close_code=1011, close_reason="oops", delay=event.event.delay
    )


def test_a_replayed_send_made_during_the_flush_goes_out_too() -> None:
    c = core()
    c.replay.append("sub-a")
    c.queue.push("q1")
    c.queue.push("q2")

    def sends(i: int, frame: str | bytes) -> Closed | None:
        if frame == "q1":  # while the queue goes out, the user subscribes again
            assert c.outgoing("sub-late", replay=True) == "held"
        return None

    world = World(sends=sends)
    world.run(c.recover(1006, "", replaced=False))
    assert world.sent() == ["sub-a", "q1", "q2", "sub-late"]
    tell = world.actions[-1]
    assert isinstance(tell, Tell) and tell.event.replayed == 2


def test_a_recovery_after_giving_up_raises_even_on_a_replaced_socket() -> None:
    c = core(max_retries=1)
    with pytest.raises(ReconnectGaveUpError) as info:
        World(opens=[False]).run(c.recover(1006, "", replaced=False))
    with pytest.raises(ReconnectGaveUpError) as again:
        c.recover(1006, "", replaced=True, unsent="late")
    assert again.value is info.value and len(c.queue) == 0  # not queued on a dead socket


def test_closing_during_the_backoff_ends_the_reconnection() -> None:
    c = core()
    plan = c.recover(1006, "", replaced=False)
    assert isinstance(plan.send(None), Ask)
    assert isinstance(plan.send(None), Wait)
    c.closing = True  # the user called close() while the client waited
    with pytest.raises(ConnectionEndedOK):
        plan.send(None)  # no handshake follows
    assert not reconnecting(c)
