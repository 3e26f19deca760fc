"""The plugin refuses, clearly, to load into a Pants it was not built for."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pants.base.exceptions import BackendConfigurationError
from sockgen.version import VERSION
from sockgen_pants import SUPPORTED_PANTS, check_pants_version


def test_the_supported_pants_loads() -> None:
    low, _ = SUPPORTED_PANTS
    check_pants_version(*low, f"{low[0]}.{low[1]}.1")


@pytest.mark.parametrize("version", ["2.16.1", "2.18.0", "2.25.0", "3.0.0"])
def test_another_pants_is_refused_naming_both_versions(version: str) -> None:
    major, minor = (int(p) for p in version.split(".")[:2])
    with pytest.raises(BackendConfigurationError) as info:
        check_pants_version(major, minor, version)
    assert str(info.value) == (
        f"sockgen-pants {VERSION} supports Pants 2.17 only, and this is Pants {version}: set "
        "`pants_version` in pants.toml to a 2.17.x release, or use a sockgen-pants release "
        "built for your Pants."
    )


def test_loading_the_backend_into_another_pants_fails_with_that_message() -> None:
    """What Pants prints: its version comes from pants.version, which the override changes."""
    result = subprocess.run(
        [sys.executable, "-c", "import sockgen_pants.register"],
        env={**os.environ, "_PANTS_VERSION_OVERRIDE": "2.18.0"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"pants.base.exceptions.BackendConfigurationError: sockgen-pants {VERSION} supports "
        "Pants 2.17 only, and this is Pants 2.18.0: set `pants_version` in pants.toml to a "
        "2.17.x release, or use a sockgen-pants release built for your Pants."
    )


def test_the_shipped_lockfile_is_one_pants_2_17_reads() -> None:
    """The generator's default lockfile: Pants 2.17.1's own pex (2.1.137, what users' Pants runs
    unless told otherwise) parses it, and its header matches what the subsystem requests."""
    import json
    from importlib import resources

    from pex.resolve.lockfile import json_codec  # type: ignore[import-untyped]
    from pex.resolve.path_mappings import PathMapping, PathMappings  # type: ignore[import-untyped]
    from sockgen_pants.subsystem import SockgenSubsystem

    package, name = SockgenSubsystem.default_lockfile_resource
    text = resources.read_text(package, name)
    header = json.loads(
        "".join(
            line[3:]
            for line in text.split("--- BEGIN PANTS LOCKFILE METADATA: DO NOT EDIT OR REMOVE ---")[
                1
            ]
            .split("--- END PANTS LOCKFILE METADATA ---")[0]
            .splitlines()
            if line.startswith("// ")
        )
    )
    assert header["generated_with_requirements"] == [SockgenSubsystem.default_version]
    assert header["valid_for_interpreter_constraints"] == ["CPython<3.14,>=3.10"]
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("//"))
    wheelhouse = PathMappings((PathMapping(path="/wheelhouse", name="SOCKGEN_WHEELHOUSE"),))
    lock = json_codec.loads(body, path_mappings=wheelhouse)
    assert [str(r) for r in lock.requirements] == [f"sockgen=={VERSION}"]
    locked = {r.pin.project_name.normalized for r in lock.locked_resolves[0].locked_requirements}
    assert {"sockgen", "jinja2", "black", "pyyaml", "packaging"} <= locked
