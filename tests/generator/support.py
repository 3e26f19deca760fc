"""Helpers for the generator's tests: the shared corpus, generating, importing."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from sockgen import model as m
from sockgen.emit import views
from sockgen.emit.pycode import literal
from sockgen.generate import Generated, generate
from sockgen.names.naming import default_package

CONFIGS = Path(__file__).parent / "configs"


def _corpus_path() -> Path:
    value = os.environ.get("SOCKGEN_CORPUS_DIR", "")
    return Path(value) if value else Path(__file__).resolve().parents[3] / "shared" / "corpus"


def corpus_dir() -> Path:
    """``$SOCKGEN_CORPUS_DIR`` (Pants sets it to ../shared/corpus). Skips when absent, fails under CI."""
    path = _corpus_path()
    if not path.is_dir():
        reason = f"shared corpus not found at {path} (set SOCKGEN_CORPUS_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must have it")
        pytest.skip(reason)
    return path


@dataclass(frozen=True)
class CorpusSpec:
    """One spec of the shared corpus: its path in the corpus, its config, its package."""

    path: str
    config: str | None
    package: str

    @property
    def id(self) -> str:
        return self.path

    def files(self) -> tuple[Path, Path | None]:
        corpus = corpus_dir()
        return corpus / self.path, CONFIGS / self.config if self.config else None


_SPEC_ROOT = re.compile(rb'^(?:asyncapi|openapi)\s*:|^\s*\{?\s*"(?:asyncapi|openapi)"\s*:', re.M)
#: Stands for the whole corpus when it is absent, so that tests skip (or fail under CI).
MISSING = CorpusSpec("<corpus missing>", None, "missing")


def _is_spec(path: Path) -> bool:
    """A document (not a fragment): ``asyncapi``/``openapi`` at its top level."""
    with path.open("rb") as f:
        head = f.read(4096)
    return bool(_SPEC_ROOT.search(head))


def corpus_specs() -> list[CorpusSpec]:
    """Every spec in the corpus, found by listing it: a file at the top, or the document
    inside a folder (multi-file specs). OpenAPI specs take ``configs/<file stem>.yaml``."""
    corpus = _corpus_path()
    if not corpus.is_dir():
        return [MISSING]
    found: list[CorpusSpec] = []
    for entry in sorted(corpus.iterdir()):
        if entry.is_dir():
            files = sorted(p for p in entry.rglob("*") if p.suffix in SPEC_SUFFIXES)
        elif entry.suffix in SPEC_SUFFIXES:
            files = [entry]
        else:
            continue
        for file in filter(_is_spec, files):
            rel = file.relative_to(corpus).as_posix()
            config = f"{file.name.rsplit('.', 1)[0]}.yaml"
            found.append(
                CorpusSpec(
                    rel, config if (CONFIGS / config).is_file() else None, default_package(rel)
                )
            )
    return found


SPEC_SUFFIXES = (".yaml", ".yml", ".json")
CORPUS = corpus_specs()
CORPUS_IDS = [case.id for case in CORPUS]


def write_spec(
    tmp_path: Path, data: dict[str, Any], config: dict[str, Any] | None = None
) -> tuple[Path, Path | None]:
    """``data`` as ``api.yaml`` (and ``config`` as ``config.yaml``) in ``tmp_path``."""
    path = tmp_path / "api.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    cfg = None
    if config is not None:
        cfg = tmp_path / "config.yaml"
        cfg.write_text(yaml.safe_dump(config, sort_keys=False))
    return path, cfg


def obj(tag: str, value: str, **props: Any) -> dict[str, Any]:
    """An object schema whose ``tag`` property is the constant ``value``."""
    return {"type": "object", "properties": {tag: {"const": value}, **props}}


def write(result: Generated, out: Path) -> Path:
    for rel, text in result.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


def sdk_from(
    tmp_path: Path, doc: dict[str, Any], package: str = "desk_sdk"
) -> dict[str, ModuleType]:
    """``doc`` written to ``tmp_path``, generated (read from the client's side) and
    imported: every module of the package by name."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(doc))
    result = generate(path, None, package, direction="client")
    return import_all(write(result, tmp_path / "out"), package)


def generate_corpus(case: CorpusSpec, out: Path) -> Generated:
    """Generate ``case`` into ``out``; an OpenAPI spec without a config skips (it cannot be read)."""
    if case is MISSING:
        corpus_dir()
    spec, config = case.files()
    if config is None and _is_openapi(spec):
        pytest.skip(f"{case.path}: an OpenAPI spec needs a config at {CONFIGS}/<file stem>.yaml")
    result = generate(spec, config, None if config else case.package)
    write(result, out)
    return result


def _is_openapi(path: Path) -> bool:
    with path.open("rb") as f:
        return b"openapi" in f.read(4096).split(b"asyncapi")[0]


def import_all(root: Path, package: str) -> dict[str, ModuleType]:
    """Import every module of a generated package found under ``root``."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        top = importlib.import_module(package)
        modules = {package: top}
        for info in pkgutil.walk_packages(top.__path__, package + "."):
            modules[info.name] = importlib.import_module(info.name)
        return modules
    finally:
        sys.path.remove(str(root))


def run_mypy(
    cwd: Path, *targets: str, path: tuple[str, ...] | list[str] = ()
) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` in a fresh process, with sockgen_runtime (and ``path``) importable."""
    import sockgen_runtime

    runtime = str(Path(sockgen_runtime.__file__).parent.parent)
    env = {**os.environ, "MYPYPATH": os.pathsep.join([*path, runtime])}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(cwd / ".mypy"),
            *targets,
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def usage(api: m.Api) -> str:
    """User code that calls every send helper of every channel, sync and async, with
    example arguments, and sends every client event as a dict: it must type-check."""
    view = views.build(api)
    lines = ["from __future__ import annotations", ""]
    for channel, cv in zip(api.channels, view.channels, strict=False):
        module = f"{api.package}.{channel.module}"
        lines.append(f"from {module} import Async{cv.prefix}Connection, {cv.prefix}Connection")
    for channel, cv in zip(api.channels, view.channels, strict=False):
        dicts = [
            literal(views.sample(api, msg.type))
            for msg in channel.client_messages
            if isinstance(api.types.get(msg.name), m.ModelDef)
        ]
        for is_async in (False, True):
            prefix = "async " if is_async else ""
            wait = "await " if is_async else ""
            cls = f"{'Async' if is_async else ''}{cv.prefix}Connection"
            lines += [
                "",
                "",
                f"{prefix}def use_{'async_' if is_async else ''}{channel.module}(conn: {cls}) -> None:",
            ]
            for path, helper in views.helper_paths(cv):
                lines.append(f"    {wait}conn.{'.'.join(path)}({views.example_args(api, helper)})")
            lines += [f"    {wait}conn.send({value})" for value in dicts]
            lines.append("    return None")
    return "\n".join(lines) + "\n"


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def readme_blocks(readme: Path) -> list[str]:
    """The ``python`` code blocks of a generated README."""
    return _PYTHON_BLOCK.findall(readme.read_text(encoding="utf-8"))


def write_user_code(result: Generated, out: Path) -> list[str]:
    """User code next to a generated package (every README block, :func:`usage`): file names."""
    files = {"usage.py": usage(result.api)}
    readme = out / result.api.package / "README.md"
    for i, block in enumerate(readme_blocks(readme)):
        files[f"readme_{i}.py"] = block
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return sorted(files)


def check_generated(root: Path) -> None:
    """Every package generated under ``root`` (``<case>/out/<package>``) passes ruff, black
    and, all in one run, ``mypy --strict``: the batch a test module's ``root`` fixture
    runs when the module ends, whichever of its tests ran."""
    packages = sorted(init.parent for init in root.glob("*/out/*/__init__.py"))
    if not packages:
        return
    problems = [f"{pkg}: {found}" for pkg in packages for found in [lint(pkg)] if found]
    assert not problems, "\n".join(problems)
    proc = run_mypy(root, *map(str, packages))
    assert proc.returncode == 0, proc.stdout[-8000:]
    print(f"{len(packages)} generated packages linted and type-checked")


def lint(package: Path) -> str:
    """What ruff (check and format, defaults plus E, F, I, UP, B, W for CPython 3.10) and black
    say about a generated package as written; empty when nothing."""
    checks = [
        [
            *("-m", "ruff", "check", "--isolated", "--no-cache", "--select", "E,F,I,UP,B,W"),
            *("--target-version", "py310", "--output-format", "concise", package.name),
        ],
        ["-m", "ruff", "format", "--isolated", "--no-cache", "--check", "--diff", package.name],
        ["-m", "black", "--check", "--diff", "--quiet", "--target-version", "py310", package.name],
    ]
    out = []
    for argv in checks:
        # from the folder that holds the package: a channel module named like a standard
        # module (``socket``) must not shadow it
        proc = subprocess.run(
            [sys.executable, *argv], cwd=package.parent, capture_output=True, text=True
        )
        if proc.returncode != 0:
            out.append(f"$ {' '.join(argv[1:4])}\n{proc.stdout}{proc.stderr}")
    return "\n".join(out)
