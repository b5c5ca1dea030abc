#!/usr/bin/env bash
# Installs everything the playground needs to build, serve and test, with
# pinned versions, from the package registries only (crates.io, npm, Debian).
# Idempotent: what is already installed at the right version is skipped, so a
# second run takes a second or two. Source it (`. scripts/setup.sh`) to also
# get the PATH it sets up.
set -euo pipefail

TRUNK_VERSION=0.21.14
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$REPO_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup]\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

# Debian packages: Chromium and its WebDriver for the browser tests, Node.js for npm.
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_packages=()
installed chromium || apt_packages+=(chromium)
installed chromium-driver || apt_packages+=(chromium-driver)
command -v node >/dev/null || apt_packages+=(nodejs)
command -v npm >/dev/null || apt_packages+=(npm)
if [ ${#apt_packages[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}"
fi

# Rust: this machine's toolchain (no other can be fetched here) plus the wasm32 target.
command -v cargo >/dev/null || die "cargo is missing: install Rust (rustup) first"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# trunk: 0.21.14, because 0.22 needs a newer rustc than 1.95.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (a few minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli: exactly the wasm-bindgen version in Cargo.lock. Installed
# without --locked: its own lock file pins a crate the registry no longer serves.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO_ROOT/Cargo.lock")"
[ -n "$WASM_BINDGEN_VERSION" ] || die "no wasm-bindgen in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# npm packages from package-lock.json: binaryen (wasm-opt 132 for trunk; Debian's
# 108 cannot read today's wasm) and playwright-core (no browser download).
stamp="$REPO_ROOT/node_modules/.installed-from-package-lock.json"
if ! cmp -s "$REPO_ROOT/package-lock.json" "$stamp" 2>/dev/null; then
  say "installing npm packages (npm ci)"
  (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$REPO_ROOT/package-lock.json" "$stamp"
fi
[ "$(wasm-opt --version)" = "wasm-opt version 132 (version_132)" ] || die "unexpected wasm-opt: $(command -v wasm-opt)"

# kafka-python with its codec libraries, pinned, in a venv: the independent
# implementation that tests/interop checks our record formats against.
INTEROP_VENV="$REPO_ROOT/target/interop-venv"
stamp="$INTEROP_VENV/.installed-from-requirements.txt"
if ! cmp -s "$REPO_ROOT/tests/interop/requirements.txt" "$stamp" 2>/dev/null; then
  python3 -c 'import ensurepip' 2>/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
  say "installing kafka-python for the interop tests"
  rm -rf "$INTEROP_VENV"
  python3 -m venv "$INTEROP_VENV"
  "$INTEROP_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REPO_ROOT/tests/interop/requirements.txt"
  cp "$REPO_ROOT/tests/interop/requirements.txt" "$stamp"
fi
export KAFKA_PYTHON="$INTEROP_VENV/bin/python"
