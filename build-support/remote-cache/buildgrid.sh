#!/usr/bin/env bash
# A local REAPI cache for Pants: BuildGrid, installed into its own cached venv.
#
#   build-support/remote-cache/buildgrid.sh start [PORT]   # default 50051; prints the address
#   build-support/remote-cache/buildgrid.sh stop  [PORT]
#   build-support/remote-cache/buildgrid.sh status [PORT]
#
# Then run Pants with the remote cache on (pants.remote-cache.toml):
#   PANTS_CONFIG_FILES="+['pants.remote-cache.toml']" ./pants export-codegen ::
# (with another PORT: add --remote-store-address=grpc://127.0.0.1:PORT).
#
# Environment:
#   SOCKGEN_BUILDGRID_HOME    venv and servers' state (default: ~/.cache/sockgen-buildgrid)
#   SOCKGEN_BUILDGRID_PYTHON  a CPython 3.13 for BuildGrid (default: pyenv's newest 3.13,
#                             else python3.13 on PATH)
#
# The venv is marked complete (a stamp file) as the install's last step, under a
# lock, so a killed install is redone and two starts install once.
# Docs: docs/remote-cache.md.

set -euo pipefail

readonly BUILDGRID_VERSION="0.9.1"
readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HOME_DIR="${SOCKGEN_BUILDGRID_HOME:-$HOME/.cache/sockgen-buildgrid}"
readonly VENV="$HOME_DIR/venv-$BUILDGRID_VERSION"

die() { printf 'buildgrid.sh: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'buildgrid.sh: %s\n' "$*" >&2; }

find_python() {
  if [[ -n "${SOCKGEN_BUILDGRID_PYTHON:-}" ]]; then
    echo "$SOCKGEN_BUILDGRID_PYTHON"
    return
  fi
  local root="${PYENV_ROOT:-$HOME/.pyenv}" candidate
  for candidate in $(ls -d "$root"/versions/3.13.* 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/bin/python3.13" ]]; then
      echo "$candidate/bin/python3.13"
      return
    fi
  done
  command -v python3.13 || die "BuildGrid $BUILDGRID_VERSION needs CPython 3.13: none in pyenv" \
    "or on PATH (set SOCKGEN_BUILDGRID_PYTHON)"
}

install() {
  [[ -f "$VENV/.complete" ]] && return
  mkdir -p "$HOME_DIR"
  exec 9>"$HOME_DIR/.install.lock"
  flock 9
  [[ -f "$VENV/.complete" ]] && return  # another start installed it meanwhile
  local python
  python="$(find_python)"
  say "installing BuildGrid $BUILDGRID_VERSION with $python (once)"
  rm -rf "$VENV"  # what a killed install left
  "$python" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "buildgrid==$BUILDGRID_VERSION" >&2
  touch "$VENV/.complete"
}

listening() {  # is something accepting connections on 127.0.0.1:$1?
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local port="$1" state="$HOME_DIR/server-$1"
  if listening "$port"; then
    [[ -f "$state/pid" ]] && kill -0 "$(cat "$state/pid")" 2>/dev/null \
      && { echo "grpc://127.0.0.1:$port"; return; }
    die "port $port is taken by another program"
  fi
  install
  mkdir -p "$state"
  SOCKGEN_REMOTE_CACHE_PORT="$port" \
    nohup "$VENV/bin/bgd" server start "$HERE/buildgrid.yml" >"$state/log" 2>&1 &
  echo $! >"$state/pid"
  local waited=0
  until listening "$port"; do
    kill -0 "$(cat "$state/pid")" 2>/dev/null || die "BuildGrid exited: $(tail -n 5 "$state/log")"
    (( waited++ < 120 )) || die "BuildGrid did not listen on $port within 60 s (log: $state/log)"
    sleep 0.5
  done
  say "REAPI cache (instance main) on 127.0.0.1:$port, log $state/log"
  echo "grpc://127.0.0.1:$port"
}

stop() {
  local port="$1" state="$HOME_DIR/server-$1" pid
  [[ -f "$state/pid" ]] || { say "no server of ours on port $port"; return; }
  pid="$(cat "$state/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      (( waited++ < 40 )) || { kill -9 "$pid" 2>/dev/null || true; break; }
      sleep 0.25
    done
  fi
  rm -f "$state/pid"
  say "stopped the server on port $port"
}

case "${1:-}" in
  start) start "${2:-50051}" ;;
  stop) stop "${2:-50051}" ;;
  status)
    if listening "${2:-50051}"; then echo "listening on 127.0.0.1:${2:-50051}"; else echo "not running"; exit 1; fi
    ;;
  *) die "usage: $0 start|stop|status [PORT]" ;;
esac
