#!/usr/bin/env bash
# Runs every test: format and lint checks, the SPA and release builds, browser e2e tests in
# Chromium, schemathesis over the whole API, then unit, storage-conformance and API tests on
# SQLite and PostgreSQL, and the SPA's unit tests.
#
#   bash scripts/test.sh
#
# Installs or starts what it needs (wasm target, wasm-bindgen CLI, npm packages, Chromium,
# schemathesis from PyPI, PostgreSQL when none answers at CASEDESK_TEST_PG_URL, the Entra ID
# stand-in, clamd, Azurite). Nothing is skipped: a missing service is a failure. Ends with one
# summary line, "total: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
started=$SECONDS
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"; stop_entra_mock' EXIT

step "Toolchain: $(rustc --version), node $(node --version); builds in $CARGO_TARGET_DIR"

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (clippy -D warnings, server crates and the wasm frontend)"
ensure_build_libraries
cargo clippy --all-targets --locked -- -D warnings
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

step "Building the SPA"
bash scripts/build-frontend.sh

step "Building the server (release, with the SPA embedded)"
cargo build --release --locked -p app

step "Services: PostgreSQL, the Entra ID stand-in, clamd, Azurite, Chromium, Python, OCR"
ensure_postgres
drop_test_databases
ensure_entra_mock
ensure_clamd
ensure_azurite
ensure_chromium
ensure_python_sqlcipher
ensure_text_tools

step "Browser tests (Playwright + axe, Chromium, release server)"
npx playwright test -c e2e/playwright.config.ts 2>&1 | tee "$log_dir/e2e.log"
e2e_passed=$(sed -n 's/^ *\([0-9][0-9]*\) passed.*/\1/p' "$log_dir/e2e.log" | tail -n1)

step "API fuzzing (schemathesis over every operation of the OpenAPI document)"
set +e
bash scripts/api-fuzz.sh 5 2>&1 | tee "$log_dir/fuzz.log"
fuzz_status=${PIPESTATUS[0]}
set -e

step "Unit, conformance and API tests (SQLite and PostgreSQL)"
set +e
cargo test --all-targets --locked 2>&1 | tee "$log_dir/cargo.log"
cargo_status=${PIPESTATUS[0]}
# The SPA's own unit tests (plain logic such as the autocomplete's filter) run natively.
cargo test -p frontend --locked 2>&1 | tee -a "$log_dir/cargo.log"
if [ "${PIPESTATUS[0]}" -ne 0 ]; then cargo_status=1; fi
set -e
drop_test_databases

passed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed;?$/) s += $i } END { print s + 0 }' "$log_dir/cargo.log")
failed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed;?$/) s += $i } END { print s + 0 }' "$log_dir/cargo.log")
if [ "$cargo_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# The fuzz run counts as one test: clean, or failed.
if [ "$fuzz_status" -eq 0 ]; then fuzz_passed=1; else fuzz_passed=0; failed=$((failed + 1)); fi
echo
echo "Finished in $((SECONDS - started)) s: cargo tests $passed passed, e2e ${e2e_passed:-0} passed, $(grep '^api fuzz:' "$log_dir/fuzz.log" || echo 'api fuzz: no summary')."
echo "total: $((passed + ${e2e_passed:-0} + fuzz_passed)) passed, $failed failed"
[ "$cargo_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
