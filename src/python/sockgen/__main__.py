"""The ``sockgen`` command (console script) and ``python -m sockgen``.

The package installs on CPython 3.9 too, where only what the Pants plugin
reads runs (``load``, ``layout``); the generator needs 3.10 or newer, so the
interpreter is checked before anything else is imported.
"""

from __future__ import annotations

import platform
import sys


def main() -> int:
    if sys.version_info < (3, 10):
        print(
            f"sockgen: error: the generator runs on CPython 3.10 or newer, not "
            f"{platform.python_version()} (on 3.9 the sockgen package serves only the Pants "
            "plugin, sockgen-pants)",
            file=sys.stderr,
        )
        return 2
    from .cli import main as run  # the generator itself: 3.10+

    return run()


if __name__ == "__main__":
    raise SystemExit(main())
