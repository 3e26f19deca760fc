"""What generated code needs at run time: the runtime contract, and its requirement lines.

Generated code is written against an interface of ``sockgen_runtime`` (a number,
bumped whenever generated code starts relying on something the runtime did not
provide before). A generated package checks, when imported, that the installed
runtime provides it (``CONTRACTS``). Its ``pyproject.toml`` requires the runtime
releases that do: this release's minor series (the runtime's contract changes
only with a new minor version while sockgen is 0.x, a new major one after).

The Pants plugin names these lines when a resolve lacks them; this repository's
release plugin gives the runtime's wheel the same extras. Runs inside Pants too
(CPython 3.9).
"""

from __future__ import annotations

from .version import VERSION

#: The runtime interface this generator writes code against (``sockgen_runtime.CONTRACTS``).
RUNTIME_CONTRACT = 4


def compatible_range(version: str) -> str:
    """The releases compatible with ``version``: ``>=0.2.0,<0.3`` (0.x), ``>=1.4.0,<2``."""
    parts = [int(p) for p in version.split(".")[:2] if p.isdigit()]
    major, minor = [*parts, 0, 0][:2]
    upper = f"{major}.{minor + 1}" if major == 0 else str(major + 1)
    return f">={version},<{upper}"


RUNTIME = "sockgen-runtime" + compatible_range(VERSION)
"""The runtime releases generated code works with."""

#: The optional WebSocket libraries: the runtime's extras (``sockgen-runtime[websockets]``).
EXTRAS = {"websockets": "websockets>=13,<18", "picows": "picows>=2.3.1,<3"}

#: What generated code imports, by top-level module, and the requirement line for each.
IMPORTS = {
    "sockgen_runtime": RUNTIME,
    "pydantic": "pydantic>=2.11,<3",
    "typing_extensions": "typing-extensions>=4.12",
    "websockets": EXTRAS["websockets"],
}
