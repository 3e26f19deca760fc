"""A new user's Pants repository, built from sockgen's wheels by following docs/adopting.md.

The three wheels come from a copy of this repository (``build-support/release/
wheelhouse.sh``, as a release makes them); the copy is then deleted. In a new
folder the test writes exactly the files docs/adopting.md shows, a real corpus
spec, and the wheelhouse, and runs Pants 2.17.1 there as a user does: tailor,
generate-lockfiles, fix, export-codegen, check, lint, test and package. Nothing
of this checkout is on any path. Then the wheels go into a fresh virtualenv:
``sockgen generate-client``, an install of the generated project, and the SDK's
runtime check against a runtime of another contract.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from e2e.workspace import buildroot, copy_repository
from packaging.requirements import Requirement
from sockgen.contract import EXTRAS, RUNTIME, RUNTIME_CONTRACT
from sockgen.version import VERSION

pytestmark = pytest.mark.timeout(3000)

SPEC = "kraken-multichannel-asyncapi3.yaml"
PACKAGE = "kraken_multichannel_sdk"


def corpus() -> Path:
    folder = Path(os.environ.get("SOCKGEN_CORPUS_DIR", buildroot().parent / "shared" / "corpus"))
    if not (folder / SPEC).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared corpus is missing ({folder}); CI must have it")
        pytest.skip(f"the shared corpus is not at {folder}")
    return folder


def doc_files(text: str) -> dict[str, str]:
    """The files docs/adopting.md shows: every fenced block whose first line names one
    (``# pants.toml``), without that line."""
    files = {}
    for block in re.findall(r"^```\w*\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
        first, _, rest = block.partition("\n")
        named = re.fullmatch(r"# ([\w./-]+\.(?:toml|txt|py)|[\w./-]+/BUILD)", first)
        if named:
            files[named.group(1)] = rest
    return files


@dataclass
class Adopted:
    repo: Path
    pants_exe: Path
    wheels: Path
    timings: dict[str, float] = field(default_factory=dict)
    setup: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    """The steps docs/adopting.md's section 4 runs (tailor, generate-lockfiles, fix)."""

    def env(self) -> dict[str, str]:
        """The user's environment: nothing of this checkout, no PYTHONPATH, no Pants options
        but the offline file the doc describes."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PANTS_", "SOCKGEN_")) and k not in ("PYTHONPATH", "PEX_ROOT")
        }
        env["PANTS_CONFIG_FILES"] = "+['pants.offline.toml']"
        return env

    def pants(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run(
            [str(self.pants_exe), "--no-pantsd", "--no-dynamic-ui", *args],
            cwd=self.repo,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=1800,
        )
        self.timings[" ".join(args)] = round(time.monotonic() - started, 1)
        if check and result.returncode != 0:
            pytest.fail(
                f"pants {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
            )
        return result


def _launcher_paths(copy: Path) -> tuple[Path, Path]:
    """The Pants 2.17.1 installation and the pex tool the launcher bootstraps on this machine:
    what a user of these machines installs by hand (docs/adopting.md)."""
    exe = subprocess.run(
        ["./pants"],
        cwd=copy,
        env={**os.environ, "SOCKGEN_PANTS_BOOTSTRAP_ONLY": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pants_exe = Path(exe.splitlines()[-1])
    pex = pants_exe.parents[2] / "pex-2.20.3"
    assert pants_exe.is_file() and pex.is_file(), (pants_exe, pex)
    return pants_exe, pex


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Adopted]:
    spec = corpus() / SPEC
    work = tmp_path_factory.mktemp("adopt")
    copy = copy_repository(work / "sockgen")
    pants_exe, pex = _launcher_paths(copy)
    built = work / "built"
    started = time.monotonic()
    subprocess.run(
        ["build-support/release/wheelhouse.sh", str(built)],
        cwd=copy,
        # no pantsd: the copy goes away after this
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PANTS_")},
            "PANTS_PANTSD": "false",
        },
        capture_output=True,
        check=True,
        timeout=1800,
    )
    release_seconds = round(time.monotonic() - started, 1)
    shutil.rmtree(copy)  # nothing of sockgen's source is left to find
    # Pants caches the plugin's resolve by its command line (the wheelhouse's path), not by
    # the wheels' contents: a folder named by their hash is never a stale hit
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(built.iterdir()))).hexdigest()
    wheels = work / f"wheels-{digest[:12]}"
    built.rename(wheels)

    repo = work / "app"
    doc = (buildroot() / "docs" / "adopting.md").read_text()
    for rel, text in doc_files(doc).items():
        if rel == "pants.offline.toml":
            text = text.replace("file:///path/to/pex-2.20.3", f"file://{pex}")
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    shutil.copytree(wheels, repo / "3rdparty" / "wheels")
    (repo / "specs" / "kraken").mkdir(parents=True)
    shutil.copy(spec, repo / "specs" / "kraken" / SPEC)
    result = Adopted(repo, pants_exe, wheels)
    result.timings["build-support/release/wheelhouse.sh (in sockgen's checkout)"] = release_seconds
    for step in (("tailor", "::"), ("generate-lockfiles",), ("fix", "::")):  # section 4
        result.setup[step[0]] = result.pants(*step)
    yield result
    print("seconds per step:", json.dumps(result.timings, indent=2))


def test_the_doc_shows_every_file_a_user_writes() -> None:
    files = doc_files((buildroot() / "docs" / "adopting.md").read_text())
    assert sorted(files) == [
        "3rdparty/python/BUILD",
        "3rdparty/python/requirements.txt",
        "pants.offline.toml",
        "pants.toml",
        "src/app/BUILD",
        "src/app/__init__.py",
        "src/app/main.py",
        "src/app/test_ticker.py",
        "src/app/ticker.py",
    ]


def test_the_wheelhouse_is_a_release(adopted: Adopted) -> None:
    assert sorted(p.name for p in adopted.wheels.iterdir()) == [
        f"sockgen-{VERSION}-py3-none-any.whl",
        f"sockgen_pants-{VERSION}-py3-none-any.whl",
        f"sockgen_runtime-{VERSION}-py3-none-any.whl",
    ]
    pants_toml = (adopted.repo / "pants.toml").read_text()
    assert f'plugins = ["sockgen-pants=={VERSION}"]' in pants_toml, "docs/adopting.md is stale"
    doc = (buildroot() / "docs" / "adopting.md").read_text()
    assert f'"sockgen=={VERSION}"' in doc and f"`sockgen=={VERSION}`" in doc, "stale version"
    requirements = (adopted.repo / "3rdparty" / "python" / "requirements.txt").read_text()
    assert RUNTIME.replace("sockgen-runtime", "sockgen-runtime[websockets]") in requirements


def metadata(wheel: Path) -> dict[str, list[str]]:
    """A wheel's METADATA headers, each with every value it has."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(name).decode()
    out: dict[str, list[str]] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(": ")
        out.setdefault(key, []).append(value)
    return out


def test_each_wheel_requires_exactly_what_its_users_need(adopted: Adopted) -> None:
    """Optional extras stay optional; type stubs and tools only where they run."""
    generator = metadata(adopted.wheels / f"sockgen-{VERSION}-py3-none-any.whl")
    assert generator["Version"] == [VERSION]
    # installs on 3.9 for the plugin (the spec reader needs PyYAML alone); generates on 3.10+
    assert generator["Requires-Python"] == [">=3.9"]
    assert sorted(generator["Requires-Dist"]) == [
        "PyYAML<7,>=6.0",
        'black==24.10.0; python_version >= "3.10"',
        'jinja2<4,>=3.1; python_version >= "3.10"',
        'packaging>=22; python_version >= "3.10"',
    ]
    runtime = metadata(adopted.wheels / f"sockgen_runtime-{VERSION}-py3-none-any.whl")
    assert runtime["Name"] == ["sockgen-runtime"] and runtime["Version"] == [VERSION]
    assert runtime["Requires-Python"] == [">=3.10"]
    assert sorted(runtime["Provides-Extra"]) == sorted(EXTRAS)
    assert sorted(runtime["Requires-Dist"]) == sorted(
        [
            "msgpack<2,>=1.1",  # MessagePack frames (imported when a channel has them)
            "pydantic-core",  # imported directly (to_jsonable_python)
            "pydantic<3,>=2.11",
            "typing-extensions>=4.12",
            *(f'{Requirement(line)!s}; extra == "{name}"' for name, line in EXTRAS.items()),
        ]
    )
    plugin = metadata(adopted.wheels / f"sockgen_pants-{VERSION}-py3-none-any.whl")
    assert plugin["Name"] == ["sockgen-pants"] and plugin["Version"] == [VERSION]
    assert plugin["Requires-Python"] == [">=3.9,<3.10"]  # Pants 2.17's interpreter
    assert sorted(plugin["Requires-Dist"]) == [
        "pantsbuild.pants<2.18,>=2.17.0a0",
        f"sockgen=={VERSION}",
    ]


def test_tailor_then_lockfiles_then_codegen(adopted: Adopted) -> None:
    build = (adopted.repo / "specs" / "kraken" / "BUILD").read_text()
    assert "websocket_sdk(" in build and f'name="{PACKAGE}"' in build, build
    assert 'api_snapshot="kraken-multichannel-asyncapi3.api.json"' in build, build
    app_build = (adopted.repo / "src" / "app" / "BUILD").read_text()
    assert "python_tests(" in app_build and "python_sources(" in app_build, app_build

    lock = (adopted.repo / "3rdparty" / "python" / "default.lock").read_text()
    # the wheelhouse by its mapping, not by this machine's path
    assert "file://${SOCKGEN_WHEELHOUSE}/sockgen_runtime-" in lock
    assert str(adopted.repo) not in lock

    fixed = adopted.setup["fix"]
    # the first step that runs the generator: it comes from the plugin's own lockfile, which
    # names the wheelhouse's sockgen
    assert "Building sockgen.pex from resource://sockgen_pants/sockgen.lock" in fixed.stderr
    snapshot = adopted.repo / "specs" / "kraken" / "kraken-multichannel-asyncapi3.api.json"
    assert json.loads(snapshot.read_text())["channels"], "fix recorded no API snapshot"

    adopted.pants("export-codegen", "::")
    out = adopted.repo / "dist" / "codegen" / "specs" / PACKAGE
    assert (out / "subscribe" / "connection.py").is_file()
    assert (out / "_contract.py").is_file() and (out / "testing.py").is_file()


def test_check_lint_test_and_package(adopted: Adopted) -> None:
    adopted.pants("check", "::")
    adopted.pants("lint", "::")
    tested = adopted.pants("test", "::")
    assert "src/app/test_ticker.py:tests succeeded" in tested.stderr
    adopted.pants("package", "::")
    pex = adopted.repo / "dist" / "src.app" / "main.pex"
    ran = subprocess.run([sys.executable, str(pex)], capture_output=True, text=True, check=True)
    assert json.loads(ran.stdout) == {
        "event": "subscribe",
        "reqid": 1,
        "pair": ["XBT/USD"],
        "subscription": {
            "depth": 10,
            "interval": 1,
            "name": "ticker",
            "ratecounter": False,
            "snapshot": True,
        },
    }


def test_check_catches_a_typo_against_the_sdk(adopted: Adopted) -> None:
    typo = adopted.repo / "src" / "app" / "typo.py"
    typo.write_text(
        f"from {PACKAGE}.subscribe.messages import Subscribe\n\n"
        "REQUEST = Subscribe(reqid=1, pairs=['XBT/USD'])\n"
    )
    try:
        result = adopted.pants("check", "src/app/typo.py", check=False)
    finally:
        typo.unlink()
    assert result.returncode != 0
    assert 'Unexpected keyword argument "pairs" for "Subscribe"' in result.stdout + result.stderr


def test_nothing_of_this_checkout_is_used(adopted: Adopted) -> None:
    """Pants found the plugin in the wheelhouse: not on a pythonpath, not in its own venv."""
    checkout = str(buildroot())
    for path in adopted.repo.rglob("*"):
        if (
            path.is_file()
            and path.suffix in (".toml", ".txt", ".lock", ".py", "")
            and "dist" not in path.parts
        ):
            assert checkout not in path.read_text(errors="replace"), path
    assert "pythonpath" not in (adopted.repo / "pants.toml").read_text()
    assert not any(k in adopted.env() for k in ("PYTHONPATH", "SOCKGEN_BUILDROOT"))
    pants_venv = adopted.pants_exe.parents[1]
    assert not list(pants_venv.glob("lib/python3.9/site-packages/sockgen*")), "in Pants' own venv"


def test_the_wheels_in_a_fresh_venv(adopted: Adopted, tmp_path: Path) -> None:
    """`pip install sockgen`, generate, install the generated project, and import it with a
    runtime of another contract: one line naming both versions and the fix."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--find-links", str(adopted.wheels)]
    subprocess.run([*pip, f"sockgen=={VERSION}"], check=True)
    out = tmp_path / "kraken"
    generated = subprocess.run(
        [
            str(env_dir / "bin" / "sockgen"),
            "generate-client",
            "-s",
            str(corpus() / SPEC),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    pyproject = (out / "pyproject.toml").read_text()
    assert 'version = "1.8.0"' in pyproject  # the spec's info.version
    subprocess.run([*pip, f"{out}[websockets]"], check=True)
    imported = subprocess.run(
        [python, "-c", f"import {PACKAGE}, sockgen_runtime; print(sockgen_runtime.__version__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == VERSION

    # a runtime of another contract (a later, incompatible release), first on the path
    site = Path(
        subprocess.run(
            [
                python,
                "-c",
                "import sockgen_runtime, os; print(os.path.dirname(sockgen_runtime.__file__))",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        ).stdout.strip()
    )
    other = tmp_path / "other" / "sockgen_runtime"
    shutil.copytree(site, other)
    init = other / "__init__.py"
    text = init.read_text()
    provided = re.search(r"^CONTRACTS = frozenset\(\{[\d, ]+\}\)$", text, re.MULTILINE)
    assert provided is not None and str(RUNTIME_CONTRACT) in provided.group(0)
    init.write_text(
        text.replace(provided.group(0), f"CONTRACTS = frozenset({{{RUNTIME_CONTRACT + 1}}})")
        + '\n__version__ = "0.9.0"\n'
    )
    refused = subprocess.run(
        [python, "-c", f"import {PACKAGE}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(other.parent)},
    )
    assert refused.returncode != 0
    last = refused.stderr.strip().splitlines()[-1]
    assert last == (
        f"ImportError: {PACKAGE} was generated by sockgen {VERSION} and needs {RUNTIME}, "
        f"but sockgen-runtime 0.9.0 is installed: pip install '{RUNTIME}', or regenerate {PACKAGE}"
    ), refused.stderr
