"""sockgen's Pants plugin: the ``websocket_sdk`` target, its codegen, inference and snapshots.

Built against Pants 2.17 (``docs/pants-versions.md`` lists what a port to later
releases changes); on any other Pants it refuses to load, saying so.
"""

from __future__ import annotations

from pants.base.exceptions import BackendConfigurationError
from pants.version import PANTS_SEMVER
from sockgen.version import VERSION

SUPPORTED_PANTS = ((2, 17), (2, 18))
"""The Pants releases this plugin runs on: from the first (inclusive) to the second."""


def check_pants_version(major: int, minor: int, version: str) -> None:
    """Refuse, naming both versions and the way out, on a Pants this plugin was not built for."""
    low, high = SUPPORTED_PANTS
    if not low <= (major, minor) < high:
        raise BackendConfigurationError(
            f"sockgen-pants {VERSION} supports Pants {low[0]}.{low[1]} only, and this is Pants "
            f"{version}: set `pants_version` in pants.toml to a {low[0]}.{low[1]}.x release, "
            "or use a sockgen-pants release built for your Pants."
        )


check_pants_version(PANTS_SEMVER.major, PANTS_SEMVER.minor, str(PANTS_SEMVER))
