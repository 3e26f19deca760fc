"""``sockgen generate-client``: the generator for people without Pants.

Only the CLI may fetch a URL (``--schema https://...``); the library reads
local files only. It never writes outside ``--output``: the output folder is
``DIR/pyproject.toml`` plus ``DIR/<package>/``.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from .errors import SpecError
from .generate import generate

MARKER = ".sockgen"
"""A file in every output folder, so --clear-output only ever removes sockgen's own output."""
BASE_FILES = ("pyproject.toml",)
"""Files a user may customise; kept on regeneration unless --override-base."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sockgen", description="Typed Python WebSocket SDKs from AsyncAPI/OpenAPI."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate-client", help="generate an SDK package")
    gen.add_argument(
        "--schema", "-s", required=True, help="spec file (JSON or YAML) or http(s) URL"
    )
    gen.add_argument(
        "--output", "-o", required=True, help="output folder (gets pyproject.toml and the package)"
    )
    gen.add_argument("--config", "-c", help="sockgen/Stainless config (required for OpenAPI)")
    gen.add_argument(
        "--package", "-p", help="Python package name (default: from config or spec file name)"
    )
    gen.add_argument(
        "--formatter",
        "-f",
        help="formatter command run on the output (default: ruff format if installed)",
    )
    gen.add_argument("--no-format", action="store_true", help="do not format the output")
    gen.add_argument("--no-readme", action="store_true", help="do not write README.md")
    gen.add_argument(
        "--clear-output", action="store_true", help="remove the previous sockgen output first"
    )
    gen.add_argument(
        "--override-base", action="store_true", help="rewrite pyproject.toml even if it exists"
    )
    gen.add_argument(
        "--no-clear-channels",
        action="store_true",
        help="keep channel folders the spec no longer has",
    )
    gen.add_argument("--quiet", "-q", action="store_true", help="do not print warnings")
    return parser


def _fetch(url: str, into: Path) -> Path:
    name = Path(url.split("?", 1)[0].rstrip("/")).name or "spec.json"
    target = into / name
    try:
        with urllib.request.urlopen(
            url, timeout=30
        ) as response:  # - http(s) only, checked by caller
            target.write_bytes(response.read())
    except OSError as exc:
        raise SpecError(f"cannot fetch {url}: {exc}") from None
    return target


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _format(files: list[Path], formatter: str | None) -> None:
    argv = shlex.split(formatter) if formatter else None
    if argv is None:
        ruff = shutil.which("ruff")
        if ruff is None:
            return
        argv = [ruff, "format", "--quiet"]
    result = subprocess.run([*argv, *map(str, files)], capture_output=True, text=True)
    if result.returncode != 0:
        print(
            f"sockgen: warning: formatter {' '.join(argv)} failed: {result.stderr.strip()}",
            file=sys.stderr,
        )


def generate_client(args: argparse.Namespace) -> int:
    out = Path(args.output)
    with tempfile.TemporaryDirectory(prefix="sockgen-") as tmp:
        schema = args.schema
        if schema.startswith(("http://", "https://")):
            spec = _fetch(schema, Path(tmp))
        elif "://" in schema:
            raise SpecError(
                f"unsupported schema URL {schema!r} (use a file path, http:// or https://)"
            )
        else:
            spec = Path(schema)
        result = generate(
            spec,
            Path(args.config) if args.config else None,
            args.package,
            readme=not args.no_readme,
            pyproject=True,
        )
    if not args.quiet:
        for warning in result.warnings:
            print(f"sockgen: {warning}", file=sys.stderr)
    if out.exists() and not out.is_dir():
        raise SpecError(f"--output {out} exists and is not a folder")
    if args.clear_output and out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SpecError(
                f"--clear-output refused: {out} holds files sockgen did not write (no {MARKER} file)"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    package_dir = out / result.api.package
    if package_dir.exists() and not args.no_clear_channels:
        keep = {c.module for c in result.api.channels} | {"shared"}
        for child in package_dir.iterdir():
            if child.is_dir() and child.name not in keep and (child / "connection.py").exists():
                shutil.rmtree(child)
    written = []
    for rel, text in result.files.items():
        target = out / rel
        if not _inside(target, out):
            raise SpecError(f"refusing to write outside --output: {rel}")
        if rel in BASE_FILES and target.exists() and not args.override_base:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    (out / MARKER).write_text("generated by sockgen\n", encoding="utf-8")
    if not args.no_format:
        _format([p for p in written if p.suffix == ".py"], args.formatter)
    n_events = sum(len(c.server_messages) + len(c.client_messages) for c in result.api.channels)
    print(
        f"sockgen: wrote {result.api.package} ({len(result.api.channels)} channels, {n_events} event types) to {out}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return generate_client(args)
    except SpecError as exc:
        print(f"sockgen: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
