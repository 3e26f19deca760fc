#!/usr/bin/env bash
# Builds a sockgen release as a wheelhouse: the sockgen, sockgen-runtime and sockgen-pants
# wheels in OUT, with the plugin's default generator lockfile regenerated against the
# sockgen wheel it ships with (a lockfile pins its artifacts by hash).
#
#   build-support/release/wheelhouse.sh OUT
#
# The lockfile names the wheel as ${SOCKGEN_WHEELHOUSE}/sockgen-<version>-py3-none-any.whl:
# a repository that installs from the wheelhouse maps that name to where it keeps it
# ([python-repos].path_mappings, docs/adopting.md). It rewrites
# src/python/sockgen_pants/sockgen.lock; commit it with the release.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
mkdir -p "$1"
out=$(cd "$1" && pwd)
version=$(cat src/python/sockgen/VERSION)

./pants package src/python/sockgen:dist src/python/sockgen_runtime:dist
cp "dist/sockgen-$version-py3-none-any.whl" "dist/sockgen_runtime-$version-py3-none-any.whl" "$out/"

# The generator's lockfile for [sockgen], resolved with the wheel just built. (Pants 2.17
# regenerates a tool's shipped lockfile only through its deprecated `lockfile` option.)
# With pip 23.1.2: a lockfile records its pip, and Pants 2.17.1's own pex (2.1.137, what
# users' Pants runs unless told otherwise) reads no lockfile made with a later one.
./pants \
  --python-pip-version=23.1.2 \
  "--python-repos-find-links=['file://$out']" \
  "--python-repos-path-mappings=['SOCKGEN_WHEELHOUSE|$out']" \
  --sockgen-lockfile=src/python/sockgen_pants/sockgen.lock \
  "--generate-lockfiles-custom-command=build-support/release/wheelhouse.sh OUT" \
  generate-lockfiles --resolve=sockgen

./pants package src/python/sockgen_pants:dist
cp "dist/sockgen_pants-$version-py3-none-any.whl" "$out/"
echo "wheelhouse: $out"
ls -1 "$out"
