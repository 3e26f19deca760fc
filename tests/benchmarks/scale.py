"""sockgen at monorepo scale: N websocket_sdk targets and code importing each, under Pants.

    python3 tests/benchmarks/scale.py [--n 10 100 300] [--profile]    # minutes per N

For each N it writes a copy of this repository with N synthetic specs under
``specs/scale/`` (each different: its own channels, events and fields) and one
module per spec under ``src/python/scaleapp/`` that imports its SDK, then runs
Pants there (pantsd on, a process cache of its own) as a user runs it and
prints, per N: cold ``export-codegen`` (a new, empty process cache), a warm
no-op, a warm ``list`` and a warm ``export-codegen`` of one SDK (medians of 5:
what grows in the no-op), the same after editing one spec, ``dependencies``
over the importers (warm, and after an edit), ``check`` of one importer, and
pantsd's peak RSS; with ``--profile``, the seconds pantsd spends on a warm
no-op and how many of them go to writing ``dist/codegen`` (py-spy attached to
pantsd). Then, in a new pantsd with the logging that names what ran, it counts
the generator processes on a no-op and after an edit, and the specs dependency
inference parses in a new pantsd, warm, and after an edit. Ratios are against
N's smallest value, measured in the same run. Nothing here asserts on time;
``tests/e2e/test_scale_smoke.py`` runs it with a tiny N.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import statistics
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


def pants(repo: Path, *args: str, counted: bool = False) -> tuple[float, str]:
    """``./pants ARGS`` in ``repo``, with a process cache of its own (empty at first: the cold
    run is cold). ``counted``: with the logging whose lines count what ran (--keep-sandboxes
    names each generator process; -ldebug's "Completed:" lines name each layout prediction).
    That logging costs pantsd memory and time, so the timed runs go without it; and pantsd
    keeps its graph only while the options stay the same (even -l restarts its scheduler)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    store = f"--local-store-dir={repo.parent / (repo.name + '-store')}"
    logging = ["-ldebug", "--keep-sandboxes=always"] if counted else []
    start = time.perf_counter()
    result = subprocess.run(
        ["./pants", "--no-dynamic-ui", store, *logging, *args],
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


def layout_predictions(stderr: str) -> int:
    """How many specs dependency inference parsed (``sockgen_pants.layout_rules``)."""
    return stderr.count("Completed: Predict the modules of a websocket_sdk")


def median_of(runs: int, repo: Path, *args: str) -> float:
    """The median time of ``runs`` identical runs: on these machines one run of a 2 s figure
    moves by more than that figure grows from N=10 to 300."""
    return statistics.median(pants(repo, *args)[0] for _ in range(runs))


def profile_no_op(py_spy: str, repo: Path, runs: int, *args: str) -> tuple[float, float]:
    """Seconds per run that pantsd spends serving ``./pants ARGS``, and of them the seconds in
    ``Workspace.write_digest`` (export-codegen writing dist/codegen), sampled by py-spy. The
    serving thread waits in the engine while rules run on the engine's threads: the write
    is counted where export-codegen's goal rule calls it."""
    raw, rate = repo.parent / f"{repo.name}-pantsd-profile.txt", 100
    pid = _pantsd_pid(repo)
    assert pid is not None, "pantsd is not running"
    spy = subprocess.Popen(
        [
            py_spy,
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--output",
            str(raw),
            "--rate",
            str(rate),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)  # attached
        for _ in range(runs):
            pants(repo, *args)
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its samples and exits
        spy.wait(timeout=120)
    serving = writing = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "daemon_pants_runner.py" in stack:  # the thread that serves a client's run
            serving += int(count)
        elif "export_codegen (" in stack and "write_digest (" in stack:  # an engine thread
            writing += int(count)
    return serving / rate / runs, writing / rate / runs


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


def measure(n: int, tmp: Path, py_spy: str | None = None) -> dict[str, float]:
    repo = tmp / f"n{n}"
    write_repository(repo, n)
    # dependency inference maps every websocket_sdk target: the N and the repository's own
    targets = sum(b.read_text().count("websocket_sdk(") for b in repo.rglob("BUILD"))
    out: dict[str, float] = {"websocket_sdk targets": targets}
    export, deps = ("export-codegen", "specs/scale::"), ("dependencies", "src/python/scaleapp::")
    edited = repo / "specs" / "scale" / "svc0.asyncapi.yaml"
    try:
        # timed: Pants as a user runs it
        out["cold export-codegen"], _ = pants(repo, *export)
        written = repo / "dist" / "codegen"
        out["SDKs written"] = sum(1 for d in written.glob("specs/svc*_sdk") if d.is_dir())
        out["files export-codegen writes"] = sum(1 for f in written.rglob("*") if f.is_file())
        out["warm no-op (median of 5)"] = median_of(5, repo, *export)
        # what the no-op's growth is: the same targets without writing N packages to dist/,
        # and export-codegen of one SDK in the same N-target graph
        out["warm list (median of 5)"] = median_of(5, repo, "list", "specs/scale::")
        out["warm no-op, one SDK (median of 5)"] = median_of(
            5, repo, "export-codegen", "specs/scale:svc0_sdk"
        )
        if py_spy:
            serving, writing = profile_no_op(py_spy, repo, 3, *export)
            out["no-op in pantsd (py-spy)"] = serving
            out["no-op in pantsd writing dist/ (py-spy)"] = writing
        edited.write_text(edited.read_text().replace("version: '1.0.0'", "version: '1.0.0-a'"))
        out["one spec edited"], _ = pants(repo, *export)
        out["dependencies, warm"], _ = pants(repo, *deps)
        edited.write_text(edited.read_text().replace("1.0.0-a", "1.0.0-b"))
        out["dependencies, one spec edited"], _ = pants(repo, *deps)
        out["check one importer"], _ = pants(repo, "check", "src/python/scaleapp/m0.py")
        out["pantsd peak RSS MiB"] = pantsd_peak_rss_mib(repo)
        stop_pantsd(repo)
        # counted, in a new pantsd with the counting logs on (its process cache is warm)
        out["dependencies, new pantsd"], log = pants(repo, *deps, counted=True)
        out["specs parsed, new pantsd"] = layout_predictions(log)
        _, log = pants(repo, *deps, counted=True)
        out["specs parsed, warm"] = layout_predictions(log)
        edited.write_text(edited.read_text().replace("1.0.0-b", "1.0.0-c"))
        _, log = pants(repo, *deps, counted=True)
        out["specs parsed, one spec edited"] = layout_predictions(log)
        _, log = pants(repo, *export, counted=True)
        out["generator runs, one spec edited"] = generator_runs(log)
        _, log = pants(repo, *export, counted=True)
        out["generator runs, no-op"] = generator_runs(log)
    finally:
        stop_pantsd(repo)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--keep", action="store_true", help="keep the repositories it writes")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample pantsd with py-spy during warm no-ops: where the no-op's time goes",
    )
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") if args.profile else None
    if args.profile and not py_spy:
        parser.error("--profile needs py-spy on PATH (pip install py-spy)")
    tmp = Path(tempfile.mkdtemp(prefix="sockgen-scale-"))
    try:
        results = {n: measure(n, tmp, py_spy) for n in args.n}
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    base = args.n[0]
    rows = list(results[base])
    print(
        f"\nsockgen at scale: N websocket_sdk targets (and N importers); ratios against N={base}\n"
    )
    header = ["measure", *(f"N={n}" for n in args.n), *(f"x N={n}" for n in args.n[1:])]
    print("| " + " | ".join(header) + " |")
    print("|---" * len(header) + "|")
    for row in rows:
        values = [results[n][row] for n in args.n]
        ratios = [v / values[0] if values[0] else float("nan") for v in values[1:]]
        shown = (str(v) if isinstance(v, int) else f"{v:.1f}" for v in values)  # counts, seconds
        cells = [row, *shown, *(f"{r:.2f}" for r in ratios)]
        print("| " + " | ".join(cells) + " |")
    cold = [results[n]["cold export-codegen"] / n for n in args.n]
    print(
        "\ncold export-codegen per spec (s): "
        + ", ".join(f"N={n}: {c:.2f}" for n, c in zip(args.n, cold, strict=True))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
