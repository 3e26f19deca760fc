"""sockgen's three distributions get their version from ``src/python/sockgen/VERSION``.

sockgen, sockgen-runtime and sockgen-pants are released together: generated
code pins the runtime range of its generator's release and the plugin pins the
generator, so one file holds the version of all three (Pants' own repository
does the same). The runtime's extras come from ``sockgen.contract``, where
generated code's requirements are, so that an SDK's ``sockgen-runtime[websockets]``
means what the generator says it means.
"""

from __future__ import annotations

from typing import Any, Iterable

from pants.backend.python.util_rules.package_dists import SetupKwargs, SetupKwargsRequest
from pants.base.glob_match_error_behavior import GlobMatchErrorBehavior
from pants.engine.fs import DigestContents, PathGlobs
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.target import Target
from pants.engine.unions import UnionRule
from sockgen.contract import EXTRAS

VERSION_FILE = "src/python/sockgen/VERSION"


class SockgenSetupKwargsRequest(SetupKwargsRequest):
    @classmethod
    def is_applicable(cls, target: Target) -> bool:
        return target.address.spec_path.startswith("src/python/sockgen")


@rule(desc="Set the version of sockgen's distributions")
async def sockgen_setup_kwargs(request: SockgenSetupKwargsRequest) -> SetupKwargs:
    contents = await Get(
        DigestContents,
        PathGlobs(
            [VERSION_FILE],
            glob_match_error_behavior=GlobMatchErrorBehavior.error,
            description_of_origin="sockgen's release plugin",
        ),
    )
    version = contents[0].content.decode("utf-8").strip()
    kwargs = request.explicit_kwargs
    if "version" in kwargs:
        raise ValueError(
            f"{request.target.address}: drop `version` from python_artifact(); it comes from "
            f"{VERSION_FILE}"
        )
    kwargs["version"] = version
    if kwargs.get("name") == "sockgen-runtime":
        kwargs["extras_require"] = {name: [line] for name, line in sorted(EXTRAS.items())}
    if kwargs.get("name") == "sockgen-pants":
        # What the plugin imports of sockgen (the spec reader and the layout) comes from the
        # sockgen distribution of the same release. Pants would write this requirement for a
        # dependency on sockgen:dist, but that would merge the generator's CPython 3.10+
        # constraints with the plugin's 3.9: Pants allows a plugin to add it here.
        kwargs["install_requires"] = [f"sockgen=={version}"]
        return SetupKwargs(kwargs, address=request.target.address, _allow_banned_keys=True)
    return SetupKwargs(kwargs, address=request.target.address)


def rules() -> Iterable[Any]:
    return (*collect_rules(), UnionRule(SetupKwargsRequest, SockgenSetupKwargsRequest))
