#!/usr/bin/env bash
# Sets up what is missing, then serves the playground at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
cargo fetch --quiet
exec trunk serve --offline "$@"
