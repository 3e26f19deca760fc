"""Versions: the SDK's own (pyproject.toml), the runtime range it requires, the generator's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sockgen
from sockgen.cli import main
from sockgen.contract import RUNTIME, compatible_range
from sockgen.version import VERSION

CHAT = Path("specs/chat/chat.asyncapi.yaml").resolve()


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.2.0", ">=0.2.0,<0.3"),
        ("0.2.5", ">=0.2.5,<0.3"),  # a patch release pins its own fixes as the floor
        ("0.10.1", ">=0.10.1,<0.11"),
        ("1.4.2", ">=1.4.2,<2"),
        ("2.0.0rc1", ">=2.0.0rc1,<3"),
    ],
)
def test_the_runtime_range_is_the_release_series(version: str, expected: str) -> None:
    assert compatible_range(version) == expected


def test_the_version_is_one_file() -> None:
    text = (Path(sockgen.__file__).parent / "VERSION").read_text()
    assert text == f"{VERSION}\n"
    assert RUNTIME == f"sockgen-runtime{compatible_range(VERSION)}"


def spec_with_version(tmp_path: Path, version: str) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(CHAT.parent, folder)
    spec = folder / CHAT.name
    text = spec.read_text()
    assert "  version: 1.0.0\n" in text
    spec.write_text(text.replace("  version: 1.0.0\n", f"  version: {version}\n", 1))
    return spec


def generated_version(out: Path) -> str:
    for line in (out / "pyproject.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise AssertionError("no version line")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("1.0.0", "1.0.0"), ("v2.1", "2.1"), ("'1.0.0-beta.1'", "1.0.0b1"), ("'2024.06'", "2024.6")],
)
def test_the_sdk_version_is_the_spec_version_in_pep_440_form(
    tmp_path: Path, written: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        main(["generate-client", "-s", str(spec_with_version(tmp_path, written)), "-o", str(out)])
        == 0
    )
    assert generated_version(out) == expected
    assert "PEP 440" not in capsys.readouterr().err


def test_a_spec_version_that_is_not_one_is_0_0_0_with_a_warning_naming_the_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    spec = spec_with_version(tmp_path, "'2024-06-01 (beta)'")
    assert main(["generate-client", "-s", str(spec), "-o", str(out)]) == 0
    assert generated_version(out) == "0.0.0"
    assert (
        "sockgen: chat.asyncapi.yaml (at /info/version): warning: info.version '2024-06-01 (beta)'"
        " is not a PEP 440 version; pyproject.toml says 0.0.0 (set sockgen.sdk_version in the "
        "config, or --sdk-version)"
    ) in capsys.readouterr().err
    # the flag, then the config key, set it
    out2 = tmp_path / "out2"
    argv = ["generate-client", "-s", str(spec), "-o", str(out2), "--sdk-version", "3.1"]
    assert main(argv) == 0
    assert generated_version(out2) == "3.1"
    config = tmp_path / "sockgen.yaml"
    config.write_text("sockgen:\n  sdk_version: '4.0.0.post1'\n")
    out3 = tmp_path / "out3"
    assert main(["generate-client", "-s", str(spec), "-c", str(config), "-o", str(out3)]) == 0
    assert generated_version(out3) == "4.0.0.post1"
    assert "PEP 440" not in capsys.readouterr().err


def test_a_bad_sdk_version_is_refused_naming_where_it_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate-client", "-s", str(CHAT), "-o", str(tmp_path / "o"), "--sdk-version", "one"]
    assert main(argv) == 2
    assert "sdk_version 'one' is not a PEP 440 version" in capsys.readouterr().err
    config = tmp_path / "sockgen.yaml"
    config.write_text("sockgen:\n  sdk_version: 1.10\n")  # a YAML float: 1.1
    assert (
        main(["generate-client", "-s", str(CHAT), "-c", str(config), "-o", str(tmp_path / "p")])
        == 2
    )
    assert (
        "sockgen.yaml:2:16 (at /sockgen/sdk_version): sdk_version must be a string, not the "
        "number 1.1: quote it (YAML reads a bare 1.10 as 1.1)"
    ) in capsys.readouterr().err


def test_the_generated_project_requires_the_runtime_of_its_release(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate-client", "-s", str(CHAT), "-o", str(out)]) == 0
    pyproject = (out / "pyproject.toml").read_text()
    assert (
        f'dependencies = ["{RUNTIME}", "pydantic>=2.11,<3", "typing-extensions>=4.12"]' in pyproject
    )
    runtime_extra = RUNTIME.replace("sockgen-runtime", "sockgen-runtime[websockets]")
    assert f'websockets = ["{runtime_extra}"]' in pyproject
    contract = (out / "chat_sdk" / "_contract.py").read_text()
    assert f'GENERATOR = "sockgen {VERSION}"' in contract and f'RUNTIME = "{RUNTIME}"' in contract


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"sockgen {VERSION}\n"


def python39() -> str | None:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(Path(root, "versions").glob("3.9.*/bin/python3.9"))
    return str(found[-1]) if found else shutil.which("python3.9")


def test_on_cpython_3_9_the_cli_says_it_needs_3_10() -> None:
    """The package installs on 3.9 (for the Pants plugin); the generator itself does not run."""
    interpreter = python39()
    if interpreter is None:
        pytest.skip("no CPython 3.9 here")
    root = str(Path(sockgen.__file__).parent.parent)
    result = subprocess.run(
        [interpreter, "-m", "sockgen", "generate-client", "-s", str(CHAT), "-o", "x"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "sockgen: error: the generator runs on CPython 3.10 or newer, not 3.9."
    ), result.stderr
    # what the plugin imports there runs (load needs PyYAML, which Pants has)
    imported = subprocess.run(
        [interpreter, "-c", "import sockgen.names.layout, sockgen.contract"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert imported.returncode == 0, imported.stderr


def test_without_a_pyproject_there_is_no_warning_about_its_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Pants plugin keeps the package only: no warning about a file it never gets."""
    out = tmp_path / "out"
    spec = spec_with_version(tmp_path, "'2024-06-01 (beta)'")
    assert main(["generate-client", "-s", str(spec), "-o", str(out), "--no-pyproject"]) == 0
    assert not (out / "pyproject.toml").exists()
    assert (out / "chat_sdk" / "__init__.py").is_file()
    assert "PEP 440" not in capsys.readouterr().err
