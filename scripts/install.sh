#!/usr/bin/env bash
# Installs everything hmskort's tests and demo need on a Debian/Ubuntu machine:
#   - pcscd + vsmartcard-vpcd (the virtual PC/SC reader our virtual card plugs into), pcsc-tools,
#     libpcsclite-dev (headers for nfc-pcsc's native module), socat (pty pairs for the serial tests),
#     clang + its runtime (C decoder: second compiler, sanitizers, libFuzzer), chromium (print test),
#     gcc-arm-none-eabi + libnewlib-arm-none-eabi + qemu-system-arm (the C suite on an emulated
#     Cortex-M3, firmware-bridge/target/: 112 MB to download, 923 MB on disk, ~35 s to install);
#     nats-server (JetStream: the fleet's hot-list bucket and event stream) and postgresql (the
#     central event store); the tests start both themselves on loopback, as an unprivileged user;
#   - the npm dependencies, exactly as locked (npm ci), which also builds dist/ through `prepare`.
# Idempotent: packages already present are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(pcscd vsmartcard-vpcd libpcsclite-dev pcsc-tools socat gcc make clang libclang-rt-14-dev chromium fonts-dejavu-core
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm nats-server postgresql)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "install.sh: apt-get install ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "install.sh: npm ci"
npm ci --no-audit --no-fund
echo "install.sh: done"
