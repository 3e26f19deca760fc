from __future__ import annotations

import os
import subprocess
import sys

import pytest
from runtime.events import message
from runtime.wsserver import WsServer
from websockets.asyncio.server import ServerConnection


@pytest.mark.parametrize(
    ("missing", "transport", "hints"),
    [
        (
            "websockets",
            "websockets",
            ["install the SDK's websockets extra", "pip install 'your_sdk[websockets]'"],
        ),
        (
            "picows",
            "picows",
            ["transport=\"picows\" needs the 'picows' package", "'sockgen_runtime[picows]'"],
        ),
    ],
)
def test_a_missing_library_names_the_extra(missing: str, transport: str, hints: list[str]) -> None:
    code = (
        f"import sys; sys.modules[{missing!r}] = None\n"
        "import sockgen_runtime\n"  # importing the runtime needs neither
        "from sockgen_runtime import _websockets, MissingDependencyError\n"
        f"try:\n    _websockets.asyncio_client({transport!r})\n"
        "except MissingDependencyError as e:\n    print(e)\n"
        "else:\n    raise SystemExit('no error')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    for hint in hints:
        assert hint in out.stdout


def test_the_picows_transport_needs_no_websockets(server: WsServer) -> None:
    """``pip install 'sdk[picows]'`` alone is enough for ``transport="picows"``: the client
    process never imports websockets (the test's server, in this process, does)."""
    code = (
        "import asyncio, sys; sys.modules['websockets'] = None\n"
        "from runtime.events import connect_async\n"
        "async def main():\n"
        f"    async with connect_async({server.url!r}, transport='picows') as conn:\n"
        "        print([type(e).__name__ for e in [e async for e in conn]])\n"
        "asyncio.run(main())\n"
    )

    async def script(ws: ServerConnection, i: int) -> None:
        await ws.send(message("over picows"))
        await ws.close()

    server.script = script
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "['MessageReceived']\n"
