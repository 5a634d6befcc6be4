#!/usr/bin/env bash
# Starts pcscd with vsmartcard's vpcd reader driver for the integration tests and `hmskort simulate`.
#
# Debian's pcscd is socket-activated by systemd (pcscd.socket); CI containers have no systemd, so we
# run `pcscd --foreground` ourselves in the background. pcscd loads the serial reader drivers listed
# in /etc/reader.conf.d/ at start; vsmartcard-vpcd installs /etc/reader.conf.d/vpcd, whose
# CHANNELID 0x8C7B makes the vpcd driver listen on TCP port 35963 for a virtual card.
#
# Idempotent: when something already listens on the vpcd port (our pcscd or the system's), nothing
# is started. Prints "pcscd ready" when the port listens. Stop with scripts/pcscd-test-env-stop.sh.
# Needs root (pcscd writes /run/pcscd); uses sudo when not root.
#
# Environment: HMSKORT_VPCD_PORT (default 35963), HMSKORT_PCSCD_PIDFILE, HMSKORT_PCSCD_LOG,
# HMSKORT_VPCD_QUICKACK_HOST (default 127.0.0.2), HMSKORT_VPCD_ROUTE_STATE.
set -euo pipefail

PORT="${HMSKORT_VPCD_PORT:-35963}"
PIDFILE="${HMSKORT_PCSCD_PIDFILE:-${TMPDIR:-/tmp}/hmskort-pcscd.pid}"
LOG="${HMSKORT_PCSCD_LOG:-${TMPDIR:-/tmp}/hmskort-pcscd.log}"
CONF=/etc/reader.conf.d/vpcd

listening() {
  # /proc/net/tcp{,6}: local address in hex, state 0A = LISTEN. Never connect to the port: a
  # connection to vpcd is a card being presented.
  local hex
  hex=$(printf '%04X' "$PORT")
  grep -qE "^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# vpcd (in pcscd) sends each message as two send() calls, length then payload, without
# TCP_NODELAY: Nagle holds the payload until the card's side ACKs the length, and Linux delays that
# ACK by ~40 ms. Measured: ~57 ms per APDU at 127.0.0.1. Node cannot set TCP_QUICKACK, so clients
# connect to 127.0.0.2 (still loopback) and this route makes ACKs to it immediate: ~1 ms per APDU.
# `hmskort simulate` uses 127.0.0.2 by default when this route exists (src/drivers/vpcd/host.ts).
# The route is about the client side, so it is added whether or not pcscd already runs; it is added
# only when absent, and then recorded in $ROUTE_STATE so that pcscd-test-env-stop.sh removes exactly
# what this script added (and never a route someone else set). Best effort: without root or
# iproute2 everything still works, only slower.
QUICKACK_HOST="${HMSKORT_VPCD_QUICKACK_HOST:-127.0.0.2}"
ROUTE_STATE="${HMSKORT_VPCD_ROUTE_STATE:-${TMPDIR:-/tmp}/hmskort-quickack-route}"
if command -v ip >/dev/null 2>&1; then
  SUDO_IP=""
  if [ "$(id -u)" != 0 ]; then SUDO_IP="sudo -n"; fi
  # The table is read whole before grep: under `set -o pipefail`, `ip ... | grep -q` fails whenever
  # grep exits at its match before ip has written everything (ip dies of SIGPIPE), and the script
  # then took a route it found for its own (seen in a full test run).
  local_routes=$(ip -o route show table local)
  if grep -qE "^local ${QUICKACK_HOST//./\\.}(/32)? .*quickack 1" <<<"$local_routes"; then
    : # already there (ours from an earlier run, or someone else's): leave it and its owner alone
  elif $SUDO_IP ip route replace local "$QUICKACK_HOST/32" dev lo table local quickack 1 2>/dev/null; then
    echo "$QUICKACK_HOST" >"$ROUTE_STATE"
  else
    echo "pcscd-test-env: note: could not add the quickack route for $QUICKACK_HOST (vpcd stays ~40-60 ms per APDU)" >&2
  fi
fi

if listening; then
  echo "pcscd ready (vpcd port $PORT already listening)"
  exit 0
fi

PCSCD=$(command -v pcscd || true)
[ -n "$PCSCD" ] || PCSCD=/usr/sbin/pcscd
if [ ! -x "$PCSCD" ]; then
  echo "pcscd-test-env: pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)" >&2
  exit 3
fi
if [ ! -f "$CONF" ] || ! grep -q libifdvpcd "$CONF"; then
  echo "pcscd-test-env: $CONF missing: vsmartcard's vpcd driver is not installed (apt-get install vsmartcard-vpcd)" >&2
  exit 3
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

# A pcscd killed hard leaves its pid file and socket behind; a new pcscd refuses to start over them.
if ! pgrep -x pcscd >/dev/null 2>&1; then
  $SUDO rm -f /run/pcscd/pcscd.pid /run/pcscd/pcscd.comm /var/run/pcscd/pcscd.pid /var/run/pcscd/pcscd.comm 2>/dev/null || true
fi
$SUDO mkdir -p /run/pcscd

# setsid: pcscd outlives the shell that started it and is not hit by the caller's Ctrl-C.
# --apdu logs every APDU into $LOG (useful when a test fails; the log stays small).
$SUDO setsid "$PCSCD" --foreground --apdu >"$LOG" 2>&1 < /dev/null &
echo $! >"$PIDFILE"

for _ in $(seq 1 100); do
  if listening; then
    echo "pcscd ready (pid $(cat "$PIDFILE"), vpcd port $PORT, log $LOG)"
    exit 0
  fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "pcscd-test-env: pcscd exited; its log ($LOG):" >&2
    tail -n 20 "$LOG" >&2 || true
    exit 1
  fi
  sleep 0.1
done
echo "pcscd-test-env: vpcd port $PORT not listening after 10 s; pcscd log ($LOG):" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
