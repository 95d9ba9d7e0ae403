#!/usr/bin/env bash
# Installs what building and testing need, only when something is missing:
# Debian packages (as root, or through sudo) and the npm tools in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev librocksdb-dev libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm
)
missing=()
for package in "${packages[@]}"; do
  # nodejs/npm may come from elsewhere; a working command is enough.
  case "$package" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x node_modules/.bin/buf ]; then
  echo "install-deps: installing npm tools (buf)"
  npm ci --no-fund --no-audit --loglevel=error
fi
