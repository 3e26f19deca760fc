"""The ``sockgen`` command: ``generate-client`` (the generator for people without Pants),
``inspect``, ``api``, ``diff`` and ``snapshot``.

Only the CLI may fetch a URL (``--schema https://...``); the library reads
local files only. It never writes outside ``--output``: the output folder is
``DIR/pyproject.toml`` plus ``DIR/<package>/``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .api import snapshot
from .api.diff import at_least, diff, render
from .api.surface import dumps, surface
from .errors import SpecError, one_line
from .generate import Generated, build_api, generate
from .report import report
from .version import VERSION

MARKER = ".sockgen"
"""A file in every output folder, so --clear-output only ever removes sockgen's own output."""
BASE_FILES = ("pyproject.toml",)
"""Files a user may customise; kept on regeneration unless --override-base."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sockgen", description="Typed Python WebSocket SDKs from AsyncAPI/OpenAPI."
    )
    parser.add_argument("--version", action="version", version=f"sockgen {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True)
    spec_options = _spec_options()
    _generate_parser(
        sub.add_parser("generate-client", help="generate an SDK package", parents=[spec_options])
    )
    inspect = sub.add_parser(
        "inspect",
        help="show the side a spec is read from, the evidence, and each channel's events",
        parents=[spec_options],
    )
    inspect.add_argument("schema", help="spec file (JSON or YAML) or http(s) URL")
    inspect.set_defaults(run=inspect_spec)
    api = sub.add_parser(
        "api",
        help="print the API surface (channels, events, fields, Python names) as canonical JSON",
        parents=[spec_options],
    )
    api.add_argument("schema", help="spec file (JSON or YAML) or http(s) URL")
    api.set_defaults(run=api_surface)
    _diff_parser(
        sub.add_parser(
            "diff",
            help="the changes from OLD to NEW, classified by direction; exit 1 on --fail-on",
            parents=[spec_options],
        )
    )
    _snapshot_parser(
        sub.add_parser(
            "snapshot",
            help="check a committed API snapshot against the spec (exit 1 if it differs), or "
            "--write it when the change is allowed",
            parents=[spec_options],
        )
    )
    return parser


def _spec_options() -> argparse.ArgumentParser:
    """What every command that reads a spec takes."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--config", "-c", help="sockgen/Stainless config (required for OpenAPI)")
    options.add_argument(
        "--package", "-p", help="Python package name (default: from config or spec file name)"
    )
    options.add_argument(
        "--direction",
        choices=("client", "server"),
        help="AsyncAPI: the side the document is written from (overrides the config and the "
        "inference; see `sockgen inspect`)",
    )
    return options


def _diff_parser(compare: argparse.ArgumentParser) -> None:
    compare.add_argument("old", help="the old spec, or a surface from `sockgen api`")
    compare.add_argument("new", help="the new spec, or a surface from `sockgen api`")
    compare.add_argument("--old-config", help="the old spec's config (default: --config)")
    compare.add_argument("--format", choices=("text", "json"), default="text")
    compare.add_argument(
        "--fail-on",
        choices=("breaking", "warning", "info", "never"),
        default="breaking",
        help="exit 1 when a change is at least this severe (default: breaking)",
    )
    compare.set_defaults(run=diff_specs)


def _snapshot_parser(snap: argparse.ArgumentParser) -> None:
    snap.add_argument("schema", help="spec file (JSON or YAML)")
    snap.add_argument("snapshot", help="the snapshot file (`sockgen api` output)")
    snap.add_argument(
        "--write",
        action="store_true",
        help="rewrite the snapshot when the change is allowed: nothing breaking, or a new "
        "major info.version; exit 1 and leave it otherwise",
    )
    snap.add_argument(
        "--accept-breaking",
        action="store_true",
        help="with --write: record breaking changes without a new major version",
    )
    snap.add_argument(
        "--fix-command",
        help="the command named in messages as the one that records a change "
        "(default: this command with --write)",
    )
    snap.set_defaults(run=snapshot_spec)


def _generate_parser(gen: argparse.ArgumentParser) -> None:
    """``generate-client``: Chanx's flags."""
    gen.add_argument(
        "--schema", "-s", required=True, help="spec file (JSON or YAML) or http(s) URL"
    )
    gen.add_argument(
        "--output", "-o", required=True, help="output folder (gets pyproject.toml and the package)"
    )
    gen.add_argument(
        "--formatter", "-f", help="a formatter command to run on the written .py files"
    )
    gen.add_argument(
        "--no-format",
        action="store_true",
        help="do not run --formatter (the output is formatted as generated)",
    )
    gen.add_argument("--no-readme", action="store_true", help="do not write README.md")
    gen.add_argument(
        "--no-pyproject",
        action="store_true",
        help="write the package only, no pyproject.toml (for a build tool that packages it, "
        "as the Pants plugin does)",
    )
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
    gen.add_argument(
        "--sdk-version",
        help="the version in the written pyproject.toml (default: the config's "
        "sockgen.sdk_version, else the spec's info.version)",
    )
    gen.add_argument("--quiet", "-q", action="store_true", help="do not print warnings")
    gen.set_defaults(run=generate_client)


def _spec_path(schema: str, tmp: Path) -> Path:
    """A local spec file: the path itself, or a URL fetched into ``tmp``."""
    if schema.startswith(("http://", "https://")):
        return _fetch(schema, tmp)
    if "://" in schema:
        raise SpecError(f"unsupported schema URL {schema!r} (use a file path, http:// or https://)")
    return Path(schema)


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


def _format(files: list[Path], formatter: str) -> None:
    """Run the user's ``--formatter`` on the written modules (they are formatted already)."""
    argv = shlex.split(formatter)
    result = subprocess.run([*argv, *map(str, files)], capture_output=True, text=True)
    if result.returncode != 0:
        print(
            f"sockgen: warning: formatter {' '.join(argv)} failed: {result.stderr.strip()}",
            file=sys.stderr,
        )


def generate_client(args: argparse.Namespace) -> int:
    out = Path(args.output)
    with tempfile.TemporaryDirectory(prefix="sockgen-") as tmp:
        result = generate(
            _spec_path(args.schema, Path(tmp)),
            Path(args.config) if args.config else None,
            args.package,
            direction=args.direction,
            sdk_version=args.sdk_version,
            readme=not args.no_readme,
            pyproject=not args.no_pyproject,
        )
    if not args.quiet:
        for warning in result.warnings:
            print(f"sockgen: {warning}", file=sys.stderr)
    _prepare(out, result, args)
    written = _write(out, result, args.override_base)
    if args.formatter and not args.no_format:
        _format([p for p in written if p.suffix == ".py"], args.formatter)
    n_events = sum(len(c.server_messages) + len(c.client_messages) for c in result.api.channels)
    print(
        f"sockgen: wrote {result.api.package} ({len(result.api.channels)} channels, "
        f"{n_events} event types) to {out}"
    )
    return 0


def _prepare(out: Path, result: Generated, args: argparse.Namespace) -> None:
    """The output folder, emptied of sockgen's previous output where asked."""
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


def _write(out: Path, result: Generated, override_base: bool) -> list[Path]:
    written = []
    for rel, text in result.files.items():
        target = out / rel
        if not _inside(target, out):
            raise SpecError(f"refusing to write outside --output: {rel}")
        if rel in BASE_FILES and target.exists() and not override_base:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    (out / MARKER).write_text("generated by sockgen\n", encoding="utf-8")
    return written


def inspect_spec(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="sockgen-") as tmp:
        api, warnings = build_api(
            _spec_path(args.schema, Path(tmp)),
            Path(args.config) if args.config else None,
            args.package,
            args.direction,
        )
    sys.stdout.write(report(api, warnings))
    return 0


def _surface(schema: str, config: str | None, args: argparse.Namespace) -> dict[str, Any]:
    """The surface of a spec, or a surface file as it is."""
    with tempfile.TemporaryDirectory(prefix="sockgen-") as tmp:
        path = _spec_path(schema, Path(tmp))
        if path.suffix == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and "sockgen_api" in data:
                return data
        api, _ = build_api(path, Path(config) if config else None, args.package, args.direction)
    return surface(api)


def api_surface(args: argparse.Namespace) -> int:
    sys.stdout.write(dumps(_surface(args.schema, args.config, args)))
    return 0


def diff_specs(args: argparse.Namespace) -> int:
    old = _surface(args.old, args.old_config or args.config, args)
    new = _surface(args.new, args.config, args)
    changes = diff(old, new)
    sys.stdout.write(render(changes, args.format))
    return 1 if at_least(changes, args.fail_on) else 0


def _spec_argv(args: argparse.Namespace) -> list[str]:
    """The spec options given (``--config``, ``--package``, ``--direction``), to repeat."""
    argv = []
    for option in ("config", "package", "direction"):
        value = getattr(args, option)
        if value:
            argv += [f"--{option}", value]
    return argv


def snapshot_spec(args: argparse.Namespace) -> int:
    path = Path(args.snapshot)
    now = _surface(args.schema, args.config, args)
    recorded = snapshot.read(path)
    if args.accept_breaking and not args.write:
        raise SpecError("--accept-breaking only goes with --write (it records the change)")
    fix = args.fix_command or shlex.join(
        ["sockgen", "snapshot", args.schema, args.snapshot, *_spec_argv(args), "--write"]
    )
    verdict = snapshot.check(recorded, now, fix=fix, accept_breaking=args.accept_breaking)
    if verdict.changes:
        sys.stdout.write(render(verdict.changes, "text"))
    if verdict.current:
        print(f"{path}: {verdict.reason}")
        return 0
    if args.write and verdict.allowed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(now), encoding="utf-8")
        print(f"{path}: recorded the API of {args.schema}")
        return 0
    print(f"{path}: {verdict.reason}")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except SpecError as exc:
        print(f"sockgen: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # writing the output: permissions, a full disk, a name too long
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"sockgen: error: {one_line(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
