"""sockgen benchmarks: the generated client against the floor, hand-written code, and Chanx.

    bash tests/benchmarks/run.sh [--n 100000] [--runs 5]      # everything, one table
    ./pants run tests/benchmarks:bench -- --n 2000 --runs 1    # receive/send/generation only

Each client runs in a fresh process against one server process on 127.0.0.1
that writes a pre-framed stream of ~200-byte JSON frames as fast as the
client reads them. Figures are medians; ratios are against baselines measured
in the same run. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

BENCH_SPEC_PATH = "tests/benchmarks/bench.asyncapi.yaml"


def repo_root() -> Path:
    """Where src/python and specs/ are: the cwd (the repository, or a Pants sandbox) or $SOCKGEN_BUILDROOT."""
    for candidate in [Path.cwd(), *Path.cwd().parents]:
        if (candidate / "src" / "python" / "sockgen").is_dir() and (candidate / "specs").is_dir():
            return candidate
    env = os.environ.get("SOCKGEN_BUILDROOT")
    if env:
        return Path(env)
    raise SystemExit("run from the repository (or set SOCKGEN_BUILDROOT)")


def use_sources() -> None:
    """Import sockgen and sockgen_runtime from the source tree, on this resolve's pydantic/websockets."""
    src = str(repo_root() / "src" / "python")
    if src not in sys.path:
        sys.path.insert(0, src)


# --- the stream ------------------------------------------------------------------------


def make_frames(n: int, seed: int = 7) -> list[str]:
    """``n`` mixed server events of about 200 bytes (70% messages, then typing, presence)."""
    rng = random.Random(seed)
    users = ["ann", "bob", "chidi", "dana", "eve"]
    frames = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.7:
            body = {
                "action": "message",
                "payload": {
                    "id": i,
                    "user": rng.choice(users),
                    "content": "lorem ipsum dolor sit amet " * 3,
                    "ts": 1763700000.0 + i,
                    "tags": ["general", "bench"],
                },
            }
        elif roll < 0.85:
            body = {
                "action": "typing",
                "payload": {
                    "user": rng.choice(users),
                    "active": rng.random() < 0.5,
                    "note": "x" * 120,
                },
            }
        else:
            body = {
                "action": "presence",
                "payload": {
                    "user": rng.choice(users),
                    "status": "online",
                    "since": 1763700000.5,
                    "note": "y" * 110,
                },
            }
        frames.append(json.dumps(body, separators=(",", ":")))
    return frames


def serve(port_q: Any, n: int, stop: Any) -> None:
    """The server process: each connection gets the whole pre-framed stream, then a close."""
    from websockets.asyncio.server import serve as ws_serve
    from websockets.frames import Frame, Opcode

    frames = make_frames(n)
    blob = b"".join(
        Frame(Opcode.TEXT, f.encode()).serialize(mask=False, extensions=[]) for f in frames
    )

    async def handler(ws: Any) -> None:
        path = ws.request.path
        if path.startswith("/sink"):  # the send benchmarks: read and drop
            async for _ in ws:
                pass
            return
        ws.transport.write(blob)  # asyncio buffers what the client has not read yet
        await ws.close()  # one close frame, after the stream (a raw one would get a second)

    async def main() -> None:
        async with ws_serve(handler, "127.0.0.1", 0, compression=None, max_size=None) as server:
            port_q.put(server.sockets[0].getsockname()[1])
            while not stop.is_set():
                await asyncio.sleep(0.05)

    asyncio.run(main())


# --- the clients (each runs in a fresh process) -------------------------------------------

#: Set by each client once connected, right before its receive loop: setup
#: (imports, building validators, the handshake) is not part of the figure.
CLOCK: list[float] = []


def started() -> None:
    CLOCK.append(time.perf_counter())


def hand_written() -> Any:
    """The best hand-written parser: one discriminated TypeAdapter, validate_json per frame."""
    from typing import Annotated, Literal, Union

    from pydantic import BaseModel, Field, TypeAdapter

    class ChatPayload(BaseModel):
        id: int
        user: str
        content: str
        ts: float
        tags: list[str] | None = None

    class ChatMessage(BaseModel):
        action: Literal["message"] = "message"
        payload: ChatPayload

    class TypingPayload(BaseModel):
        user: str
        active: bool

    class TypingMessage(BaseModel):
        action: Literal["typing"] = "typing"
        payload: TypingPayload

    class PresencePayload(BaseModel):
        user: str
        status: Literal["online", "away", "offline"]
        since: float

    class PresenceMessage(BaseModel):
        action: Literal["presence"] = "presence"
        payload: PresencePayload

    return TypeAdapter(
        Annotated[Union[ChatMessage, TypingMessage, PresenceMessage], Field(discriminator="action")]
    )


async def c_transport(url: str, n: int, _: Path) -> int:
    from websockets.asyncio.client import connect

    count = 0
    async with connect(url, compression=None, max_size=None) as ws:
        started()
        async for _frame in ws:
            count += 1
    return count


async def c_json_loads(url: str, n: int, _: Path) -> int:
    from websockets.asyncio.client import connect

    loads, count = json.loads, 0
    async with connect(url, compression=None, max_size=None) as ws:
        started()
        async for frame in ws:
            loads(frame)
            count += 1
    return count


async def c_validate_json(url: str, n: int, _: Path) -> int:
    from websockets.asyncio.client import connect

    validate, count = hand_written().validate_json, 0
    async with connect(url, compression=None, max_size=None) as ws:
        started()
        async for frame in ws:
            validate(frame)
            count += 1
    return count


async def c_raw_picows(url: str, n: int, _: Path) -> int:
    """A bare picows listener calling validate_json on each frame, in its callback."""
    from picows import WSFrame, WSListener, WSMsgType, WSTransport, ws_connect

    validate, count = hand_written().validate_json, [0]

    class Listener(WSListener):
        def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
            if frame.msg_type is WSMsgType.TEXT:
                validate(frame.get_payload_as_bytes())
                count[0] += 1
            elif frame.msg_type is WSMsgType.CLOSE:  # the end of the stream: no reply
                transport.disconnect(graceful=False)

    transport, _listener = await ws_connect(Listener, url, max_frame_size=1 << 30)
    started()
    await transport.wait_disconnected()
    return count[0]


def _sdk(gen: Path) -> Any:
    """The generated SDK (generated at run time, so imported by name)."""
    sys.path.insert(0, str(gen / "sockgen"))
    return importlib.import_module("bench_sdk")


async def c_sockgen_iter(url: str, n: int, gen: Path, transport: str = "websockets") -> int:
    sdk = _sdk(gen)
    count = 0
    async with sdk.AsyncBench(base_url=url).room.connect(
        transport=transport, websocket_options={"compression": None}
    ) as conn:
        started()
        async for _event in conn:
            count += 1
    return count


async def c_sockgen_picows(url: str, n: int, gen: Path) -> int:
    return await c_sockgen_iter(url, n, gen, transport="picows")


async def c_sockgen_on(url: str, n: int, gen: Path) -> int:
    sdk = _sdk(gen)
    counter = [0]

    def bump(_: Any) -> None:
        counter[0] += 1

    async with sdk.AsyncBench(base_url=url).room.connect(
        websocket_options={"compression": None}
    ) as conn:
        for event in ("message", "typing", "presence"):
            conn.on(event, bump)
        started()
        await conn.dispatch_events()
    return counter[0]


def counting(base: Any) -> Any:
    """A handler class that counts messages and starts the clock once connected (sockgen and Chanx alike)."""

    class Counting(base):  # type: ignore[misc]
        count = 0

        async def send_init_message(self) -> None:
            started()

        async def handle_message(self, message: Any) -> None:
            Counting.count += 1

    return Counting


async def c_sockgen_handler(url: str, n: int, gen: Path) -> int:
    _sdk(gen)
    client = counting(importlib.import_module("bench_sdk.room").RoomClient)
    await client(
        url.removeprefix("ws://"), protocol="ws", websocket_options={"compression": None}
    ).handle()
    return int(client.count)


def c_sockgen_sync(url: str, n: int, gen: Path) -> int:
    sdk = _sdk(gen)
    count = 0
    with sdk.Bench(base_url=url).room.connect(websocket_options={"compression": None}) as conn:
        started()
        for _event in conn:
            count += 1
    return count


def c_raw_sync(url: str, n: int, _: Path) -> int:
    from websockets.exceptions import ConnectionClosedOK
    from websockets.sync.client import connect

    validate, count = hand_written().validate_json, 0
    with connect(url, compression=None, max_size=None) as ws:
        started()
        try:
            while True:
                validate(ws.recv())
                count += 1
        except ConnectionClosedOK:
            pass
    return count


async def c_chanx(url: str, n: int, gen: Path) -> int:
    sys.path.insert(0, str(gen / "chanx"))
    client = counting(importlib.import_module("bench_chanx.room").RoomClient)
    await client(url.removeprefix("ws://")).handle()
    return int(client.count)


RECEIVE: dict[str, tuple[str, Callable[..., Any]]] = {
    "transport": ("transport only, no parsing", c_transport),
    "json_loads": ("json.loads per frame", c_json_loads),
    "validate_json": ("hand-written discriminated validate_json", c_validate_json),
    "sockgen_iter": ("sockgen async client, async for", c_sockgen_iter),
    "raw_picows": ("raw picows listener + validate_json", c_raw_picows),
    "sockgen_picows": ('sockgen async client on transport="picows", async for', c_sockgen_picows),
    "sockgen_on": ("sockgen async client, on() + dispatch_events", c_sockgen_on),
    "sockgen_handler": ("sockgen handler class", c_sockgen_handler),
    "raw_sync": ("raw websockets.sync loop + validate_json", c_raw_sync),
    "sockgen_sync": ("sockgen sync client, for", c_sockgen_sync),
    "chanx": ("Chanx 2.13.0 generated client", c_chanx),
}


def peak_rss_kib() -> int:
    """This process's peak resident set (VmHWM). Unlike ru_maxrss it does not carry over exec()."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_client(name: str, url: str, n: int, gen: str, out: Any) -> None:
    use_sources()
    func = RECEIVE[name][1]
    result = func(url, n, Path(gen))
    count = asyncio.run(result) if asyncio.iscoroutine(result) else result
    elapsed = time.perf_counter() - CLOCK[0]
    out.put((count, elapsed, peak_rss_kib()))


# --- send path --------------------------------------------------------------------------


def run_send(name: str, url: str, n: int, gen: str, out: Any) -> None:
    use_sources()
    sys.path.insert(0, str(Path(gen) / "sockgen"))

    async def main() -> float:
        from websockets.asyncio.client import connect

        AsyncAcme: Any = importlib.import_module("feed_sdk").AsyncAcme
        RoomSendMessageEvent: Any = importlib.import_module("feed_sdk.feed").RoomSendMessageEvent

        dicts = [
            {
                "type": "room.send_message",
                "channel": "general",
                "content": f"message number {i} " * 4,
            }
            for i in range(n)
        ]
        if name == "raw":
            async with connect(url + "/sink", compression=None) as ws:
                dumps = json.dumps
                start = time.perf_counter()
                for d in dicts:
                    await ws.send(dumps(d))
                return time.perf_counter() - start
        async with AsyncAcme(base_url=url + "/sink").feed.connect(
            token="t", websocket_options={"compression": None}
        ) as conn:
            if name == "model":
                models = [
                    RoomSendMessageEvent(channel="general", content=d["content"]) for d in dicts
                ]
                start = time.perf_counter()
                for model in models:
                    await conn.send(model)
            elif name == "dict":
                start = time.perf_counter()
                for d in dicts:
                    await conn.send(d)
            else:
                start = time.perf_counter()
                for d in dicts:
                    await conn.room.send_message(channel="general", content=d["content"])
            return time.perf_counter() - start

    out.put((n, asyncio.run(main()), peak_rss_kib()))


SEND = {
    "raw": "raw ws.send(json.dumps(d))",
    "model": "sockgen send(model) (models built beforehand)",
    "dict": "sockgen send(dict)",
    "helper": "sockgen helper conn.room.send_message(...) (builds the model)",
}


def rounds(names: Sequence[str], runs: int) -> Iterator[str]:
    """The clients to run, round by round: every client once per round, so a slow spell of
    the machine falls on all of them; each round in the other order from the one before,
    so no client always follows the same one (the server may still be busy with the last
    connection: one order made a client 9% slower than the same code in the other)."""
    for index in range(runs):
        yield from (names if index % 2 == 0 else list(reversed(names)))


def in_fresh_process(target: Callable[..., None], *args: Any) -> Any:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, out))
    proc.start()
    deadline = time.monotonic() + 600
    while True:
        try:
            result = out.get(timeout=1)
            break
        except Exception:  # queue.Empty
            if not proc.is_alive() or time.monotonic() > deadline:
                raise SystemExit(
                    f"benchmark process {target.__name__}{args[:1]} died (exit code {proc.exitcode})"
                ) from None
    proc.join(60)
    return result


# --- generation ---------------------------------------------------------------------------


def synthetic_spec(events: int) -> str:
    lines = [
        "asyncapi: 3.0.0",
        "info: {title: Synthetic, version: '1'}",
        "channels:",
        "  events:",
        "    address: /events",
        "    messages:",
    ]
    lines += [f"      e{i}: {{$ref: '#/components/messages/e{i}'}}" for i in range(events)]
    lines += [
        "operations:",
        "  out:",
        "    action: send",
        "    channel: {$ref: '#/channels/events'}",
        "components:",
        "  messages:",
    ]
    for i in range(events):
        lines += [
            f"    e{i}:",
            "      payload:",
            "        type: object",
            "        required: [type, value]",
            "        properties:",
            f"          type: {{const: event_{i}}}",
            "          value: {type: integer}",
            "          note: {type: [string, 'null']}",
            f"          items: {{type: array, items: {{type: object, properties: {{k{i}: {{type: string}}}}}}}}",
        ]
    return "\n".join(lines) + "\n"


def time_generation(args: list[str], runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(repo_root() / "src" / "python")}
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "sockgen",
                    "generate-client",
                    *args,
                    "--output",
                    out,
                    "--no-format",
                    "-q",
                ],
                check=True,
                env=env,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- setup and report ----------------------------------------------------------------------


def generate_clients(gen: Path) -> None:
    """The generated clients: sockgen's (``gen/sockgen``) and Chanx's (``gen/chanx``)."""
    generate_sockgen(gen)
    from chanx.client_generator.generator import ClientGenerator  # the bench resolve's chanx

    ClientGenerator(
        schema_path=str(repo_root() / BENCH_SPEC_PATH),
        output_dir=str(gen / "chanx" / "bench_chanx"),
        generate_readme=False,
    ).generate()


def generate_sockgen(gen: Path) -> None:
    """The bench and feed SDKs, generated from the source tree into ``gen/sockgen``."""
    generate: Any = importlib.import_module(
        "sockgen.generate"
    ).generate  # from src/python (use_sources)
    root = repo_root()
    for result in (
        generate(root / BENCH_SPEC_PATH, package="bench_sdk"),
        generate(root / "specs/feed/feed.openapi.yaml", root / "specs/feed/stainless.yaml"),
    ):
        for rel, text in result.files.items():
            path = gen / "sockgen" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| "
        + " | ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=False))
        )
        + " |"
        for r in rows
    ]
    return "\n".join([f"\n{title}\n", line, sep, *body])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="frames per receive run")
    parser.add_argument("--send-n", type=int, default=50_000, help="messages per send run")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--only", nargs="*", default=None, help="receive clients to run")
    parser.add_argument("--skip-generation", action="store_true")
    args = parser.parse_args(argv)
    use_sources()
    import pydantic
    from websockets.version import version as websockets_version

    print(
        f"python {sys.version.split()[0]}, websockets {websockets_version}, pydantic {pydantic.VERSION}, "
        f"{args.n} frames, median of {args.runs}"
    )
    ctx = mp.get_context("spawn")
    port_q, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=serve, args=(port_q, args.n, stop), daemon=True)
    server.start()
    url = f"ws://127.0.0.1:{port_q.get(timeout=60)}"
    frame_bytes = sum(len(f) for f in make_frames(min(args.n, 1000))) / min(args.n, 1000)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            gen = Path(tmp)
            generate_clients(gen)
            results: dict[str, tuple[float, float, int]] = {}
            names = args.only or list(RECEIVE)
            runs: dict[str, list[tuple[float, int]]] = {name: [] for name in names}
            for name in rounds(names, args.runs):
                count, elapsed, rss = in_fresh_process(run_client, name, url, args.n, str(gen))
                if count != args.n:
                    raise SystemExit(f"{name} received {count} of {args.n} events")
                runs[name].append((args.n / elapsed, rss))
            for name in names:
                rate = statistics.median(r for r, _ in runs[name])
                results[name] = (rate, 1e6 / rate, max(rss for _, rss in runs[name]))
            base_json = results.get("json_loads", (float("nan"),))[0]
            base_val = results.get("validate_json", (float("nan"),))[0]
            rows = [
                [
                    RECEIVE[k][0],
                    f"{r:,.0f}",
                    f"{us:.2f}",
                    f"{r / base_json:.2f}",
                    f"{r / base_val:.2f}",
                    f"{rss / 1024:.1f}",
                ]
                for k, (r, us, rss) in results.items()
            ]
            print(
                table(
                    f"Receive: {args.n:,} frames of ~{frame_bytes:.0f} bytes",
                    [
                        "client",
                        "msg/s",
                        "µs/msg",
                        "vs json.loads",
                        "vs validate_json",
                        "peak RSS MiB",
                    ],
                    rows,
                )
            )
            if "raw_sync" in results and "sockgen_sync" in results:
                print(
                    f"sync client vs raw websockets.sync + validate_json: "
                    f"{results['sockgen_sync'][0] / results['raw_sync'][0]:.2f}"
                )
            if {"sockgen_picows", "raw_picows", "validate_json"} <= results.keys():
                picows = results["sockgen_picows"][0]
                print(
                    f"sockgen on picows vs websockets + validate_json: "
                    f"{picows / results['validate_json'][0]:.2f}; "
                    f"vs raw picows + validate_json: {picows / results['raw_picows'][0]:.2f}"
                )
            if "chanx" in results and "sockgen_iter" in results:
                print(
                    f"sockgen async iteration vs Chanx: {results['sockgen_iter'][0] / results['chanx'][0]:.2f}"
                )
            if "validate_json" in results and "sockgen_iter" in results:
                print(
                    f"peak RSS, sockgen async vs hand-written: "
                    f"{(results['sockgen_iter'][2] - results['validate_json'][2]) / 1024:+.1f} MiB"
                )

            send: dict[str, float] = {}
            for name in SEND:
                rates = []
                for _ in range(args.runs):
                    count, elapsed, _rss = in_fresh_process(
                        run_send, name, url, args.send_n, str(gen)
                    )
                    rates.append(count / elapsed)
                send[name] = statistics.median(rates)
            print(
                table(
                    f"Send: {args.send_n:,} messages",
                    ["sender", "msg/s", "µs/msg", "vs raw json.dumps + send"],
                    [
                        [SEND[k], f"{r:,.0f}", f"{1e6 / r:.2f}", f"{r / send['raw']:.2f}"]
                        for k, r in send.items()
                    ],
                )
            )

        if not args.skip_generation:
            root = repo_root()
            gen_rows: list[list[Any]] = [
                [
                    "specs/chat (AsyncAPI 3.0, 2 files)",
                    time_generation(["-s", str(root / "specs/chat/chat.asyncapi.yaml")], args.runs),
                ],
                [
                    "specs/feed (OpenAPI + Stainless)",
                    time_generation(
                        [
                            "-s",
                            str(root / "specs/feed/feed.openapi.yaml"),
                            "-c",
                            str(root / "specs/feed/stainless.yaml"),
                        ],
                        args.runs,
                    ),
                ],
            ]
            corpus = Path(os.environ.get("SOCKGEN_CORPUS_DIR", root.parent / "shared" / "corpus"))
            if (corpus / "openai-openapi.yaml").is_file():
                gen_rows.append(
                    [
                        "OpenAI Realtime (3 MB OpenAPI)",
                        time_generation(
                            [
                                "-s",
                                str(corpus / "openai-openapi.yaml"),
                                "-c",
                                str(root / "tests/generator/configs/openai-openapi.yaml"),
                            ],
                            args.runs,
                        ),
                    ]
                )
            with tempfile.TemporaryDirectory() as tmp:
                synth = []
                for events in (10, 100, 1000):
                    path = Path(tmp) / f"s{events}.asyncapi.yaml"
                    path.write_text(synthetic_spec(events))
                    t = time_generation(["-s", str(path)], args.runs)
                    synth.append((events, t))
                    gen_rows.append([f"synthetic, {events} event types", t])
            rows = [[name, f"{t:.3f}"] for name, t in gen_rows]
            print(
                table(
                    "Generation: wall time of the generator process (s)", ["spec", "seconds"], rows
                )
            )
            (e1, t1), (_e2, _t2), (e3, t3) = synth
            startup = t1
            print(
                f"growth 10 -> 1000 events: {(t3 - startup) / (e3 - e1) * 1000:.2f} ms per extra event type "
                f"(total {t3 / t1:.1f}x for {e3 / e1:.0f}x the events)"
            )
    finally:
        stop.set()
        server.join(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
