"""sockgen's release version, from the ``VERSION`` file beside this module.

sockgen, sockgen-runtime and sockgen-pants are released together under this
one version (the repository's release plugin stamps it on all three wheels).
Runs inside Pants too (CPython 3.9).
"""

from __future__ import annotations

import pkgutil


def _read() -> str:
    data = pkgutil.get_data("sockgen", "VERSION")
    if data is None:  # a loader that cannot read package data
        raise RuntimeError("sockgen's VERSION file cannot be read")
    return data.decode("utf-8").strip()


VERSION = _read()
