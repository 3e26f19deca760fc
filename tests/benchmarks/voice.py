"""The voice workload: audio chunks up as fast as the socket takes them, events streaming down.

    ./pants run tests/benchmarks:voice -- --chunks 20000 --runs 5

A speech client sends binary chunks of 3,200 bytes (100 ms of 16 kHz 16-bit
audio) while the server streams transcript events down (about 1,000 a second),
and every 50 chunks it sends a small JSON ``ping`` that the server answers at
once with a ``pong``. Per client (each in a fresh process, round by round):
chunks sent per second, and the round trip of the ping under that load (p50,
p99). sockgen is measured against the raw library on the same transport
(websockets, and picows' websockets-compatible client). Nothing here asserts
on time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.bench import _sdk, generate_sockgen, in_fresh_process, rounds, table, use_sources

CHUNK = bytes(range(256)) * 12 + bytes(128)  # 3,200 bytes
PING_EVERY = 50
EVENTS_PER_SECOND = 1000


def serve(port_q: Any, stop: Any, open_connections: Any) -> None:
    """The server process: read audio and pings (answer each ping at once), stream events.
    ``open_connections`` counts the connections it still serves."""
    from websockets.asyncio.server import serve as ws_serve

    async def handler(ws: Any) -> None:
        async def stream() -> None:
            event = json.dumps({"type": "transcript", "text": "hello there " * 4, "final": False})
            while True:
                await ws.send(event)
                await asyncio.sleep(1 / EVENTS_PER_SECOND)

        streaming = asyncio.create_task(stream())
        with open_connections.get_lock():
            open_connections.value += 1
        try:
            async for message in ws:
                if isinstance(message, str):  # a ping: answer it with its id
                    ping = json.loads(message)
                    await ws.send(json.dumps({"type": "pong", "id": ping["id"]}))
        finally:
            streaming.cancel()
            with open_connections.get_lock():
                open_connections.value -= 1

    async def main() -> None:
        async with ws_serve(handler, "127.0.0.1", 0, compression=None, max_size=None) as server:
            port_q.put(server.sockets[0].getsockname()[1])
            while not stop.is_set():
                await asyncio.sleep(0.05)

    asyncio.run(main())


class Pings:
    """Send times of the pings, and the round trips of their answers."""

    def __init__(self) -> None:
        self.sent: dict[int, float] = {}
        self.rtts: list[float] = []
        self.answered = asyncio.Event()

    def send(self, i: int) -> None:
        self.sent[i] = time.perf_counter()

    def pong(self, i: int) -> None:
        self.rtts.append(time.perf_counter() - self.sent.pop(i))
        if not self.sent:
            self.answered.set()


async def drive(
    chunks: int,
    send_audio: Callable[[bytes], Awaitable[None]],
    send_ping: Callable[[int], Awaitable[None]],
    pings: Pings,
) -> float:
    """Send the audio (with a ping every PING_EVERY chunks); the seconds the sending took."""
    start = time.perf_counter()
    for i in range(chunks):
        await send_audio(CHUNK)
        if i % PING_EVERY == 0:
            pings.send(i)
            await send_ping(i)
    elapsed = time.perf_counter() - start
    pings.answered.clear()
    if pings.sent:
        await asyncio.wait_for(pings.answered.wait(), 30)
    return elapsed


async def raw(url: str, chunks: int, _: Path, transport: str) -> tuple[float, list[float]]:
    module = "picows.websockets" if transport == "picows" else "websockets.asyncio.client"
    connect: Any = __import__(module, fromlist=["connect"]).connect
    pings = Pings()
    async with connect(url + "/ws/voice", compression=None, max_size=None) as ws:

        async def read() -> None:
            async for message in ws:
                if isinstance(message, str) and message.startswith('{"type": "pong"'):
                    pings.pong(json.loads(message)["id"])

        reader = asyncio.create_task(read())

        async def ping(i: int) -> None:
            await ws.send(json.dumps({"type": "ping", "id": i}))

        elapsed = await drive(chunks, ws.send, ping, pings)
        reader.cancel()
    return elapsed, pings.rtts


async def sockgen(url: str, chunks: int, gen: Path, transport: str) -> tuple[float, list[float]]:
    sdk = _sdk(gen)
    pong_type: Any = __import__("bench_sdk.voice", fromlist=["Pong"]).Pong
    pings = Pings()
    async with sdk.AsyncBench(base_url=url).voice.connect(
        transport=transport, websocket_options={"compression": None}
    ) as conn:

        async def read() -> None:
            async for event in conn:
                if type(event) is pong_type:
                    pings.pong(event.id)

        reader = asyncio.create_task(read())

        async def ping(i: int) -> None:
            await conn.ping(id=i)

        elapsed = await drive(chunks, conn.audio, ping, pings)
        reader.cancel()
    return elapsed, pings.rtts


CLIENTS: dict[str, tuple[str, Callable[..., Any], str]] = {
    "raw": ("raw websockets: await ws.send(bytes)", raw, "websockets"),
    "sockgen": ("sockgen async client: await conn.audio(bytes)", sockgen, "websockets"),
    "raw_picows": ("raw picows.websockets: await ws.send(bytes)", raw, "picows"),
    "sockgen_picows": ('sockgen on transport="picows"', sockgen, "picows"),
}


def run_client(name: str, url: str, chunks: int, gen: str, out: Any) -> None:
    use_sources()
    _, func, transport = CLIENTS[name]
    elapsed, rtts = asyncio.run(func(url, chunks, Path(gen), transport))
    out.put((chunks, elapsed, rtts))


def idle(open_connections: Any, timeout: float = 10.0) -> None:
    """Wait until the server has finished with the last client (read its audio, closed):
    a client that starts while the server still drains the one before runs slower."""
    deadline = time.monotonic() + timeout
    while open_connections.value and time.monotonic() < deadline:
        time.sleep(0.01)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=20_000, help="audio chunks per run")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args(argv)
    use_sources()
    ctx = mp.get_context("spawn")
    port_q, stop, open_connections = ctx.Queue(), ctx.Event(), ctx.Value("i", 0)
    server = ctx.Process(target=serve, args=(port_q, stop, open_connections), daemon=True)
    server.start()
    url = f"ws://127.0.0.1:{port_q.get(timeout=60)}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            generate_sockgen(Path(tmp))
            rates: dict[str, list[float]] = {name: [] for name in CLIENTS}
            rtts: dict[str, list[float]] = {name: [] for name in CLIENTS}
            for name in rounds(list(CLIENTS), args.runs):
                idle(open_connections)
                count, elapsed, trips = in_fresh_process(run_client, name, url, args.chunks, tmp)
                rates[name].append(count / elapsed)
                rtts[name].extend(trips)
    finally:
        stop.set()
        server.join(10)
    print(report(args, rates, rtts))
    return 0


def report(
    args: argparse.Namespace, rates: dict[str, list[float]], rtts: dict[str, list[float]]
) -> str:
    rate = {name: statistics.median(values) for name, values in rates.items()}
    base = {"raw": rate["raw"], "sockgen": rate["raw"]}
    base.update({"raw_picows": rate["raw_picows"], "sockgen_picows": rate["raw_picows"]})
    rows = [
        [
            CLIENTS[name][0],
            f"{rate[name]:,.0f}",
            f"{rate[name] * len(CHUNK) * 8 / 1e6:,.0f}",
            f"{rate[name] / base[name]:.2f}",
            f"{percentile(rtts[name], 50) * 1000:.2f}",
            f"{percentile(rtts[name], 99) * 1000:.2f}",
        ]
        for name in CLIENTS
    ]
    return table(
        f"Voice: {args.chunks:,} chunks of {len(CHUNK):,} bytes up, ~{EVENTS_PER_SECOND:,} "
        f"events/s down, a ping every {PING_EVERY} chunks; median of {args.runs}",
        ["client", "chunks/s", "Mbit/s", "vs raw, same transport", "ping p50 ms", "p99 ms"],
        rows,
    )


if __name__ == "__main__":
    raise SystemExit(main())
