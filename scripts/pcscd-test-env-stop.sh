#!/usr/bin/env bash
# Stops the pcscd that scripts/pcscd-test-env.sh started (by the pid in its pid file, never by
# name), and waits until it has gone. A no-op when it is not running.
set -euo pipefail
PIDFILE="${HMSKORT_PCSCD_PIDFILE:-${TMPDIR:-/tmp}/hmskort-pcscd.pid}"
[ -f "$PIDFILE" ] || exit 0
PID=$(cat "$PIDFILE")
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
if kill -0 "$PID" 2>/dev/null; then
  $SUDO kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null; then $SUDO kill -KILL "$PID" 2>/dev/null || true; fi
fi
rm -f "$PIDFILE"
# The quickack route pcscd-test-env.sh added for vpcd's loopback (see there).
if command -v ip >/dev/null 2>&1; then $SUDO ip route del local "${HMSKORT_VPCD_QUICKACK_HOST:-127.0.0.2}/32" dev lo table local 2>/dev/null || true; fi
echo "pcscd stopped"
