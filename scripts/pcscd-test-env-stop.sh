#!/usr/bin/env bash
# Undoes scripts/pcscd-test-env.sh: stops the pcscd it started (by the pid in its pid file, never by
# name) and waits until it has gone, and removes the quickack route if (and only if) that script
# added it, recorded in its route state file, also when pcscd was already running and so was not
# ours to stop. A no-op for whatever the start script did not do.
set -euo pipefail
PIDFILE="${HMSKORT_PCSCD_PIDFILE:-${TMPDIR:-/tmp}/hmskort-pcscd.pid}"
ROUTE_STATE="${HMSKORT_VPCD_ROUTE_STATE:-${TMPDIR:-/tmp}/hmskort-quickack-route}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
if [ -f "$PIDFILE" ]; then
  PID=$(cat "$PIDFILE")
  if kill -0 "$PID" 2>/dev/null; then
    $SUDO kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then $SUDO kill -KILL "$PID" 2>/dev/null || true; fi
  fi
  rm -f "$PIDFILE"
  echo "pcscd stopped"
fi
# The quickack route pcscd-test-env.sh added for vpcd's loopback (see there).
if [ -f "$ROUTE_STATE" ]; then
  HOST=$(cat "$ROUTE_STATE")
  if command -v ip >/dev/null 2>&1; then
    $SUDO ip route del local "$HOST/32" dev lo table local 2>/dev/null \
      || echo "pcscd-test-env-stop: could not remove the quickack route for $HOST" >&2
  fi
  rm -f "$ROUTE_STATE"
  echo "quickack route for $HOST removed"
fi
