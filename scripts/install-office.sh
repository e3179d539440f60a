#!/usr/bin/env bash
# LibreOffice (the periodic report's PDF), metric-compatible Times New Roman (Liberation
# Serif) and poppler-utils (the test that checks and renders the PDF pages), from Debian's
# packages. Does nothing when all are present, so CI can call it on every run.
set -euo pipefail

if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
   && fc-list 2>/dev/null | grep -q "Liberation Serif"; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: LibreOffice, poppler-utils or fonts-liberation2 is missing and this system" >&2
  echo "       has no apt-get; install them with the system's package manager." >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends libreoffice-writer-nogui \
  poppler-utils fonts-liberation2
