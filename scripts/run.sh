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
cargo build --release -p app

step "Starting Casedesk"
echo "Sign in with the administrator's email (default admin@example.org) and password."
exec "$CARGO_TARGET_DIR/release/casedesk" serve "$@"
