"""The runtime's own cost per event, without a network: a stub socket hands out frames.

    ./pants run tests/benchmarks:micro -- --n 200000 --rounds 7

Each round runs every client once over the same frames, alternating, in one
process; figures are the best and the median round in ns per event, and the
overhead over the hand-written loop on the same stub. This isolates what the
runtime adds to the validator (which both share), which the loopback benchmark
(bench.py) cannot resolve under its run-to-run noise.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench import generate_sockgen, hand_written, make_frames, use_sources


class StubSocket:
    """The surface of websockets' asyncio connections that the runtime uses, over a list of
    frames. ``recv()`` is websockets' own: the frames wait in a real ``Assembler`` (its
    queue, its UTF-8 decoding), as frames a fast server sent do once read off the socket."""

    def __init__(self, frames: list[str], closed: type[Exception]) -> None:
        from websockets.asyncio.messages import Assembler
        from websockets.frames import Frame, Opcode

        self._closed = closed
        self.recv_messages = Assembler()
        for text in frames:
            self.recv_messages.put(Frame(Opcode.TEXT, text.encode()))
        self.recv_messages.close()  # the end of the stream, after the buffered frames

    async def recv(self, decode: bool | None = None) -> str | bytes:
        """As websockets' ``Connection.recv``: the assembler's next message, or the close."""
        try:
            return await self.recv_messages.get(decode)
        except EOFError:
            from websockets.frames import Close

            raise self._closed(Close(1000, ""), Close(1000, ""), True) from None

    async def __aiter__(self) -> Any:
        """As websockets' connections iterate: an async generator around ``recv()``."""
        try:
            while True:
                yield await self.recv()
        except self._closed:
            return

    async def send(self, data: str | bytes) -> None:
        return None

    async def close(self, code: int = 1000, reason: str = "") -> None:
        return None


class SyncStub:
    """The blocking twin: websockets' sync ``recv()`` over a list of frames (text as ``str``,
    or as undecoded ``bytes`` with ``decode=False``)."""

    def __init__(self, frames: list[str], closed: type[Exception]) -> None:
        self._text = iter(frames)
        self._raw = iter([f.encode() for f in frames])
        self._closed = closed

    def recv(self, timeout: float | None = None, decode: bool | None = None) -> str | bytes:
        try:
            return next(self._raw) if decode is False else next(self._text)
        except StopIteration:
            from websockets.frames import Close

            raise self._closed(Close(1000, ""), Close(1000, ""), True) from None

    def send(self, data: str | bytes) -> None:
        return None

    def close(self, code: int = 1000, reason: str = "") -> None:
        return None


def clients(gen: Path) -> dict[str, Callable[[list[str]], float]]:
    sys.path.insert(0, str(gen / "sockgen"))
    import importlib

    from websockets.exceptions import ConnectionClosedOK

    room: Any = importlib.import_module("bench_sdk.room.connection")
    core_module: Any = importlib.import_module("sockgen_runtime._core")  # from src/python

    validate = hand_written().validate_json

    def core() -> Any:
        return core_module.ConnectionCore(
            room.CHANNEL, core_module.ConnectionSettings(base_url="ws://stub")
        )

    def timed(
        loop: Callable[[Any], Any], make: Callable[[StubSocket], Any]
    ) -> Callable[[list[str]], float]:
        """A client: ``make`` its connection over a new stub (not timed), then time ``loop``."""

        def client(frames: list[str]) -> float:
            async def run() -> float:
                subject = make(StubSocket(frames, ConnectionClosedOK))
                start = time.perf_counter()
                await loop(subject)
                return time.perf_counter() - start

            return asyncio.run(run())

        return client

    async def hand(ws: StubSocket) -> None:
        """What the loopback benchmark's baseline does: ``async for frame in ws``."""
        async for frame in ws:
            validate(frame)

    async def iterate(conn: Any) -> None:
        async for _ in conn:
            pass

    async def dispatch(conn: Any) -> None:
        for event in ("message", "typing", "presence"):
            conn.on(event, lambda e: None)
        await conn.dispatch_events()

    def sockgen_sync(frames: list[str]) -> float:
        conn = room.RoomConnection(core(), SyncStub(frames, ConnectionClosedOK))
        start = time.perf_counter()
        for _ in conn:
            pass
        return time.perf_counter() - start

    chunk = bytes(3200)

    async def raw_send(ws: StubSocket) -> None:
        for _ in range(len(ws.recv_messages.frames)):
            await ws.send(chunk)

    voice: Any = importlib.import_module("bench_sdk.voice.connection")

    def voice_connection(ws: StubSocket) -> Any:
        settings = core_module.ConnectionSettings(base_url="ws://stub")
        return voice.AsyncVoiceConnection(core_module.ConnectionCore(voice.CHANNEL, settings), ws)

    async def sockgen_send(conn: Any) -> None:
        audio = conn.audio
        for _ in range(len(conn.socket.recv_messages.frames)):
            await audio(chunk)

    def room_connection(ws: StubSocket) -> Any:
        return room.AsyncRoomConnection(core(), ws)

    return {
        "hand-written: async for, validate_json": timed(hand, lambda ws: ws),
        "sockgen async for": timed(iterate, room_connection),
        "sockgen on() + dispatch_events": timed(dispatch, room_connection),
        "sockgen sync for": sockgen_sync,
        "raw: await ws.send(bytes)": timed(raw_send, lambda ws: ws),
        "sockgen: await conn.audio(bytes)": timed(sockgen_send, voice_connection),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    use_sources()
    frames = make_frames(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp)
        generate_sockgen(gen)
        runs = clients(gen)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                times[name].append(run(frames) / args.n * 1e9)
    print(f"stub socket, {args.n} frames, {args.rounds} rounds (ns per event or send)")
    print(f"| {'client':40} | best | median | best - baseline |")
    print(f"|{'-' * 42}|------|--------|-----------------|")
    base = 0.0
    for name, values in times.items():
        if name.startswith(("hand-written", "raw")):
            base = min(values)  # the baseline of the rows below it
        print(
            f"| {name:40} | {min(values):4.0f} | {statistics.median(values):6.0f} | "
            f"{min(values) - base:+15.0f} |"
        )


if __name__ == "__main__":
    main()
