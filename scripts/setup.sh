#!/usr/bin/env bash
# Installs what BITTEN needs from Debian, only when missing (safe to run every time).
#   scripts/setup.sh          runtime: libzmq5
#   scripts/setup.sh --test   also the test peers: python3-zmq (pyzmq as a foreign EA), sqlite3 (the stock shell an
#                             operator opens the store with), chromium (the browser the page tests drive), and the
#                             headers the ceiling programs of ../shared/limits build with (libzmq3-dev, libsqlite3-dev)
# and, both ways, the web pages' chart library from npm at the version package-lock.json pins (Node.js from Debian
# when missing), copied into the web root so the pages never fetch it from a CDN.
set -euo pipefail

packages=(libzmq5)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-zmq sqlite3 chromium libzmq3-dev libsqlite3-dev)
fi
command -v npm >/dev/null || packages+=(nodejs npm)

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

# The chart library: installed from the lock file into src/Bitten.Web/web, its standalone build and licence copied
# beside the pages. Done again only when the lock file is newer than the copy.
web="$(cd "$(dirname "$0")/.." && pwd)/src/Bitten.Web"
vendor="$web/wwwroot/vendor"
if [[ ! -f "$vendor/lightweight-charts.js" || "$web/web/package-lock.json" -nt "$vendor/lightweight-charts.js" ]]; then
  echo "setup: installing the chart library (npm ci)" >&2
  npm ci --prefix "$web/web" --no-audit --no-fund --loglevel=error >/dev/null
  mkdir -p "$vendor"
  cp "$web/web/node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js" "$vendor/lightweight-charts.js"
  cp "$web/web/node_modules/lightweight-charts/LICENSE" "$vendor/lightweight-charts.LICENSE"
fi
