"""sockgen at monorepo scale: N websocket_sdk targets and code importing each, under Pants.

    python3 tests/benchmarks/scale.py [--n 10 100 300]     # from the repository; minutes per N

For each N it writes a copy of this repository with N synthetic specs under
``specs/scale/`` (each different: its own channels, events and fields) and one
module per spec under ``src/python/scaleapp/`` that imports its SDK, then runs
Pants there (pantsd on, a process cache of its own) and
prints, per N: cold ``export-codegen`` (a new, empty process cache), a warm no-op, the same after editing one
spec (with the number of generator processes that ran), ``dependencies`` over
the importers (cold in a new pantsd, then again warm, then after the edit),
``check`` of one importer, and pantsd's peak RSS. Ratios are against N's
smallest value, measured in the same run. Nothing here asserts on time;
``test_scale_smoke.py`` runs it with a tiny N.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a script (python3 tests/benchmarks/scale.py): tests/ on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from e2e.workspace import copy_repository

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def spec(i: int) -> str:
    """Spec ``i``: 1 to 3 channels of 2 to 6 events each, fields drawn from ``i``'s seed."""
    rng = random.Random(i)
    lines = [
        "asyncapi: 3.0.0",
        f"info: {{title: Service {i}, version: '1.0.{i}'}}",
        "servers: {prod: {host: 'svc.example', protocol: wss}}",
        "channels:",
    ]
    operations, messages = [], []
    for c in range(rng.randint(1, 3)):
        channel = f"{rng.choice(WORDS)}{c}"
        lines += [f"  {channel}:", f"    address: /{channel}/{{id}}", "    messages:"]
        for e in range(rng.randint(2, 6)):
            name = f"{channel}_{rng.choice(WORDS)}_{e}"
            lines.append(f"      {name}: {{$ref: '#/components/messages/{name}'}}")
            action = "send" if e % 2 == 0 else "receive"
            operations += [
                f"  {action}_{name}:",
                f"    action: {action}",
                f"    channel: {{$ref: '#/channels/{channel}'}}",
                f"    messages: [{{$ref: '#/channels/{channel}/messages/{name}'}}]",
            ]
            fields = [
                f"          {rng.choice(WORDS)}_{k}: {{type: {rng.choice(['string', 'integer', 'boolean'])}}}"
                for k in range(rng.randint(1, 5))
            ]
            messages += [
                f"    {name}:",
                "      payload:",
                "        type: object",
                "        required: [type]",
                "        properties:",
                f"          type: {{const: {name}}}",
                *fields,
            ]
        lines.append(f"    parameters: {{id: {{description: 'id of {channel}'}}}}")
    return (
        "\n".join([*lines, "operations:", *operations, "components:", "  messages:", *messages])
        + "\n"
    )


def importer(i: int) -> str:
    return (
        f'"""Uses the SDK of service {i}."""\n\n'
        f"from svc{i}_sdk import AsyncService{i}\n\n\n"
        f"def client() -> AsyncService{i}:\n"
        f'    return AsyncService{i}(base_url="wss://svc.example")\n'
    )


def write_repository(dest: Path, n: int) -> None:
    copy_repository(dest)
    specs = dest / "specs" / "scale"
    specs.mkdir(parents=True)
    targets = []
    for i in range(n):
        (specs / f"svc{i}.asyncapi.yaml").write_text(spec(i))
        side = ("server", "client")[i % 2]  # the specs say nothing telling: the target does
        targets.append(
            f'websocket_sdk(name="svc{i}_sdk", source="svc{i}.asyncapi.yaml", direction="{side}")'
        )
    (specs / "BUILD").write_text("\n".join(targets) + "\n")
    app = dest / "src" / "python" / "scaleapp"
    app.mkdir(parents=True)
    for i in range(n):
        (app / f"m{i}.py").write_text(importer(i))
    (app / "BUILD").write_text("python_sources()\n")


def pants(repo: Path, *args: str) -> tuple[float, str]:
    """``./pants ARGS`` in ``repo``, with a process cache of its own (empty at first: the cold
    run is cold; the same options every time, so pantsd stays up between runs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    store = f"--local-store-dir={repo.parent / (repo.name + '-store')}"
    start = time.perf_counter()
    result = subprocess.run(
        # --keep-sandboxes on every run: its log counts the generator runs, and an option
        # that changes between runs would restart pantsd (and the warm runs would be cold)
        ["./pants", "--no-dynamic-ui", store, "--keep-sandboxes=always", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    for kept in re.findall(r"Preserving local process execution dir (\S+) for ", result.stderr):
        shutil.rmtree(kept, ignore_errors=True)  # only the log line was wanted
    if result.returncode != 0:
        raise SystemExit(f"./pants {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return elapsed, result.stderr


def generator_runs(stderr: str) -> int:
    return len(re.findall(r"for Generate \w+ from ", stderr))


def pantsd_peak_rss_mib(repo: Path) -> float:
    """VmHWM of the pantsd serving ``repo``."""
    pid = _pantsd_pid(repo)
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pantsd_pid(repo: Path) -> int | None:
    """The pid of the pantsd serving ``repo`` (``.pids/<hash>/pantsd/pid``), if one runs."""
    for pid_file in (repo / ".pids").glob("*/pantsd/pid"):
        pid = int(pid_file.read_text().split()[0])
        if Path(f"/proc/{pid}").exists():
            return pid
    return None


def stop_pantsd(repo: Path) -> None:
    pid = _pantsd_pid(repo)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)


def measure(n: int, tmp: Path) -> dict[str, float]:
    repo = tmp / f"n{n}"
    write_repository(repo, n)
    out: dict[str, float] = {}
    try:
        out["cold export-codegen"], log = pants(repo, "export-codegen", "specs/scale::")
        out["cold generator runs"] = generator_runs(log)
        out["warm no-op"], log = pants(repo, "export-codegen", "specs/scale::")
        out["no-op generator runs"] = generator_runs(log)
        # the same targets without writing N packages to dist/: what the no-op's growth is
        out["warm no-op list (writes nothing)"], _ = pants(repo, "list", "specs/scale::")
        written = repo / "dist" / "codegen"
        out["files export-codegen writes"] = sum(1 for f in written.rglob("*") if f.is_file())
        edited = repo / "specs" / "scale" / "svc0.asyncapi.yaml"
        edited.write_text(edited.read_text().replace("version: '1.0.0'", "version: '1.0.0-a'"))
        out["one spec edited"], log = pants(repo, "export-codegen", "specs/scale::")
        out["edited generator runs"] = generator_runs(log)
        stop_pantsd(repo)  # dependency inference from a new pantsd: every spec's layout
        out["dependencies, new pantsd"], _ = pants(repo, "dependencies", "src/python/scaleapp::")
        out["dependencies, warm"], _ = pants(repo, "dependencies", "src/python/scaleapp::")
        edited.write_text(edited.read_text().replace("1.0.0-a", "1.0.0-b"))
        out["dependencies, one spec edited"], _ = pants(
            repo, "dependencies", "src/python/scaleapp::"
        )
        out["check one importer"], _ = pants(repo, "check", "src/python/scaleapp/m0.py")
        out["pantsd peak RSS MiB"] = pantsd_peak_rss_mib(repo)
    finally:
        stop_pantsd(repo)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--keep", action="store_true", help="keep the repositories it writes")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="sockgen-scale-"))
    try:
        results = {n: measure(n, tmp) for n in args.n}
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    base = args.n[0]
    rows = list(results[base])
    print(
        f"\nsockgen at scale: N websocket_sdk targets (and N importers); ratios against N={base}\n"
    )
    print(
        "| measure | "
        + " | ".join(f"N={n}" for n in args.n)
        + " | "
        + " | ".join(f"x N={n}" for n in args.n[1:])
        + " |"
    )
    print("|---" * (1 + 2 * len(args.n) - 1) + "|")
    for row in rows:
        values = [results[n][row] for n in args.n]
        ratios = [v / values[0] if values[0] else float("nan") for v in values[1:]]
        fmt = "{:.0f}" if "runs" in row or "files" in row else "{:.1f}"
        print(
            f"| {row} | "
            + " | ".join(fmt.format(v) for v in values)
            + " | "
            + " | ".join(f"{r:.2f}" for r in ratios)
            + " |"
        )
    cold = [results[n]["cold export-codegen"] / n for n in args.n]
    print(
        "\ncold export-codegen per spec (s): "
        + ", ".join(f"N={n}: {c:.2f}" for n, c in zip(args.n, cold, strict=True))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
