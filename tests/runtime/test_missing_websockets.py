from __future__ import annotations

import os
import subprocess
import sys

import sockgen_runtime


def test_missing_websockets_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['websockets'] = None\n"
        "import sockgen_runtime\n"  # importing the runtime does not need websockets
        "from sockgen_runtime import _websockets, MissingDependencyError\n"
        "try:\n    _websockets.asyncio_client()\n"
        "except MissingDependencyError as e:\n    print(e)\n"
        "else:\n    raise SystemExit('no error')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert sockgen_runtime.__name__ in out.stdout or "websockets" in out.stdout
    assert "install the SDK's websockets extra" in out.stdout
    assert "pip install 'your_sdk[websockets]'" in out.stdout
