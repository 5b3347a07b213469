#!/usr/bin/env bash
# Builds and runs the whole product (API + SPA) on the embedded defaults: SQLite and a local
# file store under ./data. Prints the URL and how to sign in.
#
#   bash scripts/run.sh [casedesk serve flags…]
#
# Set CASEDESK_ADMIN_PASSWORD before the first run to choose the administrator's password;
# otherwise one is generated and printed once. Other settings: see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build-frontend.sh

step "Building the server (release)"
ensure_build_libraries
cargo build --release -p app

step "Starting the virus scanner"
# Uploads are refused unless clamd has checked them. Here: Debian's clamd on loopback with only
# the EICAR test signature (the machine may not reach ClamAV's mirrors); a deployment points
# CASEDESK_CLAMD_ADDRESS at a clamd that freshclam keeps current.
if [ -z "${CASEDESK_CLAMD_ADDRESS:-}" ]; then
  ensure_clamd
  export CASEDESK_CLAMD_ADDRESS="$CASEDESK_TEST_CLAMD"
fi

step "Checking the tools that read letters for search"
# A document's text is read in the background (poppler's pdftotext, Tesseract OCR for scans).
ensure_text_tools

# Large allocations (a sign-in's 19 MiB Argon2 buffer) go back to the system when freed, rather
# than staying resident in glibc's heap; see docs/performance.md.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=131072}"

step "Starting Casedesk"
echo "Sign in with the administrator's email (default admin@example.org) and password."
exec "$CARGO_TARGET_DIR/release/casedesk" serve "$@"
