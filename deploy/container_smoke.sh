#!/usr/bin/env bash
# Build the Dockerfile with podman and smoke-test the image: it must start as its non-root user
# and answer /_a11y/healthz. tests/run.sh calls this after pytest, so a broken Dockerfile turns
# CI red. It uses the shared build tool (../shared/tools/container/build_and_run.sh, see its
# README: podman + runc, local Debian-based stand-in for python:3.11-slim); where that tool is
# not there, it says so and succeeds (exit 0): there is no other container engine here.
#
# Usage: bash deploy/container_smoke.sh            (from anywhere; builds this checkout)
# Measured on the 2-core machine (tests/run.sh figures in the commit that added this): empty
# podman store 188 s at load ~5, 545 s at load ~17 (debootstrap of the base image, the python
# stand-in, pip install); warm store 11-28 s for an unchanged tree, 80 s after a code change.
set -euo pipefail
cd "$(dirname "$0")/.."

TIME_LIMIT=${BFP_CONTAINER_TIME_LIMIT:-1200}  # seconds; a cold store took 545 on a busy box
TAG=local/barrier-free-proxy:ci-smoke

tool=""
for dir in ../shared/tools/container /work/shared/tools/container; do
  if [ -f "$dir/build_and_run.sh" ]; then tool="$dir/build_and_run.sh"; break; fi
done
if [ -z "$tool" ]; then
  echo "container smoke test SKIPPED: no build_and_run.sh in ../shared/tools/container or" \
       "/work/shared/tools/container (it builds the image with podman; nothing else can here)"
  exit 0
fi

# A free port: the image listens where BFP_LISTEN says (host network), never on a busy 8080.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "container smoke test: $tool (port $port, limit ${TIME_LIMIT}s)"
started=$(date +%s)
status=0
timeout "$TIME_LIMIT" bash "$tool" . --path /_a11y/healthz --expect ok -t "$TAG" -p "$port" \
  --wait 120 \
  -e "BFP_LISTEN=0.0.0.0:$port" || status=$?
echo "container smoke test: exit $status after $(( $(date +%s) - started )) s"
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 124 ] && echo "container smoke test: took longer than ${TIME_LIMIT}s"
  echo "container smoke test FAILED: the image did not build or did not answer /_a11y/healthz"
fi
exit "$status"
