#!/usr/bin/env bash
# Headless Chromium and its driver for the browser tests in tests/web/, from Debian's
# packages (the driver then matches the browser's version exactly). Does nothing when
# both are present already, so CI can call it on every run.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: /usr/bin/chromium is missing and this system has no apt-get;" >&2
  echo "       install Chromium and chromedriver with the system's package manager." >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
/usr/bin/chromium --version
