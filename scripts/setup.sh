#!/usr/bin/env bash
# Installs what BITTEN needs from Debian, only when missing (safe to run every time).
#   scripts/setup.sh          runtime: libzmq5
#   scripts/setup.sh --test   also the test peers: python3-zmq (pyzmq as a foreign EA), sqlite3 (the stock shell an
#                             operator opens the store with)
set -euo pipefail

packages=(libzmq5)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-zmq sqlite3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi
