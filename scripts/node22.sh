#!/usr/bin/env bash
# Runs a command under Node >= 22.13, which Hardhat 3 requires.
#
# The machines this project targets ship Node 20. When the Node on PATH is older than 22.13, this
# script installs Node 22 from the npm registry (the `node` package) into .tools/node22 once, puts it
# first on PATH, and says so once. It then installs the project's dependencies with that Node when
# node_modules is missing or older than package-lock.json (npm run under Node 20 would silently skip
# EDR's native package), and finally runs the given command.
#
# Usage: bash scripts/node22.sh <command> [args...]
set -euo pipefail

NODE22_VERSION="22.23.3"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if ! node_ok; then
  tools="$root/.tools/node22"
  bin="$tools/node_modules/node/bin"
  said="${CLUSTERKIT_NODE22_SAID:-}"
  if [ ! -x "$bin/node" ]; then
    echo "[clusterkit] Node $(node --version 2>/dev/null || echo none) is older than 22.13: installing Node $NODE22_VERSION from the npm registry into .tools/node22 and running everything under it" >&2
    said=1
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-package-lock --loglevel=error --no-audit --no-fund "node@$NODE22_VERSION" >/dev/null
  fi
  export PATH="$bin:$PATH"
  if [ -z "$said" ]; then
    echo "[clusterkit] system Node is older than 22.13: running under Node $(node --version) from .tools/node22" >&2
  fi
  export CLUSTERKIT_NODE22_SAID=1
fi

# npm from the same Node installation is not shipped by the `node` package; the system npm works
# under any Node, and what matters is that `node` on PATH (which npm uses for install scripts and
# platform detection) is Node 22.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` honours package-lock.json. (`npm ci` is not used: npm 11 writes lock files without the
  # other platforms' optional EDR packages and then refuses them in `npm ci`.)
  echo "[clusterkit] installing dependencies (npm install, from package-lock.json)" >&2
  npm install --loglevel=error --no-audit --no-fund >&2
fi

exec "$@"
