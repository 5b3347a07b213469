#!/usr/bin/env bash
# Builds the Casedesk SPA into dist/: wasm + JS glue (pkg/), index.html and boot.js, the
# GOV.UK/MoJ stylesheet compiled with Arial (assets/app.css) and the images it refers to.
#
#   bash scripts/build-frontend.sh
#
# Plain cargo + the wasm-bindgen CLI + npm packages; no trunk, no cargo-leptos, no wasm-opt
# (Debian's binaryen 108 corrupts wasm-bindgen 0.2.130 output; see docs/decisions.md).
# Idempotent: tools are installed only when missing or at the wrong version, and dist/ is
# replaced in one step, so a running server never sees a half-built directory.
# Environment: CARGO_TARGET_DIR (default ./target), PROFILE (default wasm-release),
# LEPTOS_ERASE_COMPONENTS (default 1; 0 builds without Leptos's erase_components cfg).
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE="${PROFILE:-wasm-release}"
TARGET=wasm32-unknown-unknown
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

step "Checking the Rust target $TARGET"
if ! rustup target list --installed | grep -qx "$TARGET"; then
  echo "adding $TARGET (the wasm standard library)"
  rustup target add "$TARGET"
fi

step "Checking the wasm-bindgen CLI matches the wasm-bindgen crate in Cargo.lock"
if [ ! -f Cargo.lock ]; then
  cargo generate-lockfile
fi
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)"
if [ -z "$WBG_VERSION" ]; then
  echo "wasm-bindgen is not in Cargo.lock; run: cargo update -p frontend" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ]; then
  # No --locked: the CLI's own lockfile pins crates the registry mirror may not have.
  echo "installing wasm-bindgen-cli $WBG_VERSION (takes several minutes)"
  cargo install wasm-bindgen-cli --version "=$WBG_VERSION"
fi
echo "wasm-bindgen $WBG_VERSION"

step "Checking npm packages (GOV.UK Frontend, MoJ Frontend, sass)"
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date with package-lock.json"
fi

step "Building the frontend crate ($PROFILE, $TARGET)"
# Leptos's erase_components cfg type-erases every component's view into AnyView, so the
# compiler stops monomorphising one deeply nested view type per component; that shrinks
# app_bg.wasm markedly (figures in docs/performance.md). LEPTOS_ERASE_COMPONENTS=0 builds
# without it, to compare. With --target, RUSTFLAGS reach only the wasm crates, not build
# scripts or proc macros, so the host-side cache is unaffected.
if [ "${LEPTOS_ERASE_COMPONENTS:-1}" = "1" ]; then
  export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components"
fi
cargo build -p frontend --target "$TARGET" --profile "$PROFILE"
WASM_IN="$TARGET_DIR/$TARGET/$PROFILE/frontend.wasm"

step "Assembling dist.tmp/"
rm -rf dist.tmp
mkdir -p dist.tmp/pkg dist.tmp/assets/images
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir dist.tmp/pkg --out-name app "$WASM_IN"
cp frontend/static/index.html frontend/static/boot.js frontend/static/favicon.svg dist.tmp/
# The stylesheet refers to /assets/images/...; Arial needs no font files.
cp node_modules/govuk-frontend/dist/govuk/assets/images/* dist.tmp/assets/images/
cp node_modules/@ministryofjustice/frontend/moj/assets/images/* dist.tmp/assets/images/
echo "compiling frontend/styles/app.scss"
# --quiet-deps hides Sass deprecations in the packages; GOV.UK's own @warn about MoJ still shows.
node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
  --load-path=. --load-path=node_modules frontend/styles/app.scss dist.tmp/assets/app.css

step "Precompressing wasm, JS and CSS (brotli -q 11, gzip -9)"
if ! command -v brotli >/dev/null; then
  echo "brotli is missing; installing it from Debian"
  apt-get install -y brotli
fi
for file in dist.tmp/pkg/app_bg.wasm dist.tmp/pkg/app.js dist.tmp/boot.js dist.tmp/assets/app.css; do
  brotli -q 11 -k -f "$file"
  gzip -9 -k -f -n "$file"
done

step "Replacing dist/"
if [ -d dist ]; then
  # renameat2(RENAME_EXCHANGE) swaps the two directories in one step (coreutils 9.1 has no
  # `mv --exchange`); the old build ends up in dist.tmp and is removed.
  python3 - <<'PY'
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
if libc.renameat2(AT_FDCWD, b"dist.tmp", AT_FDCWD, b"dist", RENAME_EXCHANGE) != 0:
    raise OSError(ctypes.get_errno(), "renameat2(dist.tmp, dist) failed")
PY
  rm -rf dist.tmp
else
  mv dist.tmp dist
fi

size() { stat -c %s "$1"; }
step "Done in $((SECONDS - started)) s"
printf '%-22s %10s %10s %10s\n' file raw gzip brotli
for file in dist/pkg/app_bg.wasm dist/pkg/app.js dist/assets/app.css; do
  printf '%-22s %10s %10s %10s\n' "${file#dist/}" "$(size "$file")" "$(size "$file.gz")" "$(size "$file.br")"
done
