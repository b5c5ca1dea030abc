#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test, printing the wall
# time of each stage. Fails if a stage fails or a test stage runs no test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

LOGS=target/test-logs
mkdir -p "$LOGS"
SUMMARY=()
TOTAL_START=$(date +%s)

# stage NAME COMMAND...: runs the command, tees its output to a log, times it.
stage() {
  local name="$1"; shift
  local log="$LOGS/$(echo "$name" | tr ' ()/' '----').log"
  printf '\n\033[1m== %s\033[0m\n' "$name"
  local start=$(date +%s)
  if ! "$@" 2>&1 | tee "$log"; then
    printf '\033[1;31mFAILED: %s\033[0m (log: %s)\n' "$name" "$log"
    exit 1
  fi
  local took=$(( $(date +%s) - start ))
  SUMMARY+=("$(printf '%-26s %4ds' "$name" "$took")")
  LAST_LOG="$log"
}

# Cargo's test harnesses: the sum of "N passed" must be above zero, and nothing failed.
expect_rust_tests() {
  local passed
  passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$LAST_LOG" | awk '{ s += $4 } END { print s + 0 }')
  if grep -q 'test result: FAILED' "$LAST_LOG" || [ "$passed" -eq 0 ]; then
    echo "the stage ran no test or a test failed"; exit 1
  fi
  SUMMARY[-1]="${SUMMARY[-1]}  ($passed tests)"
}

stage "format" cargo fmt --all --check
stage "clippy (native)" cargo clippy --workspace --exclude web --exclude idb --all-targets --locked -- -D warnings
stage "clippy (wasm32)" cargo clippy -p web -p idb -p bench --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
stage "tests (native)" cargo test --workspace --exclude web --exclude idb --locked
expect_rust_tests
stage "tests (browser)" env CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
  cargo test -p web --target wasm32-unknown-unknown --tests --locked
expect_rust_tests
# The storage kernels in headless Chromium: prints throughput and ratios to memcpy, asserts no timing.
stage "benchmark (browser)" env CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p bench --profile bench --target wasm32-unknown-unknown --test wasm --locked -- --nocapture
expect_rust_tests
stage "build (trunk release)" trunk build --release --offline
stage "tests (end-to-end)" node --test tests/e2e/
passed=$(grep -Eo '^# pass [0-9]+' "$LAST_LOG" | awk '{ print $3 }')
if [ "${passed:-0}" -eq 0 ] || ! grep -q '^# fail 0' "$LAST_LOG"; then echo "end-to-end tests ran none or failed"; exit 1; fi
SUMMARY[-1]="${SUMMARY[-1]}  ($passed tests)"

printf '\n\033[1m== release wasm sizes\033[0m\n'
for wasm in dist/*.wasm; do
  raw=$(stat -c %s "$wasm"); gz=$(gzip -9 -c "$wasm" | wc -c)
  printf '%-44s %8d bytes raw %8d bytes gzip\n' "$(basename "$wasm")" "$raw" "$gz"
done

printf '\n\033[1m== summary\033[0m\n'
printf '%s\n' "${SUMMARY[@]}"
printf 'total %ds\n' $(( $(date +%s) - TOTAL_START ))
