#!/usr/bin/env bash
# Fuzzes every API operation as the OpenAPI document describes it, with schemathesis, signed in
# as an administrator through a full-scope API token, against the release server on SQLite.
#
#   bash scripts/api-fuzz.sh [examples per operation, default 5]
#
# Checks: no server error, every response in its documented schema and status, every
# schema-valid request accepted, every schema-invalid one refused (e2e/api-fuzz/schemathesis.toml
# lists the few refusals that depend on stored data, each with its reason). Sign-out and the
# live stream are left out: one ends the fuzzer's session, the other never ends. Prints
# "api fuzz: N cases over M operations, F failures" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

examples=${1:-5}
binary=${CASEDESK_FUZZ_BINARY:-$CARGO_TARGET_DIR/release/casedesk}
[ -x "$binary" ] || { echo "build the release server first: cargo build --release -p app" >&2; exit 1; }

st_version=4.32.5
venv="$HOME/.cache/casedesk/schemathesis-$st_version"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q "schemathesis==$st_version"
fi

work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; [ -n "${CASEDESK_FUZZ_KEEP:-}" ] && echo "kept $work" && return; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
url="http://127.0.0.1:$port"
CASEDESK_DATA_DIR="$work/data" CASEDESK_BIND="127.0.0.1:$port" CASEDESK_ADMIN_PASSWORD="$password" \
  CASEDESK_RATE_LIMIT_SIGN_IN=0 CASEDESK_RATE_LIMIT_PER_CREDENTIAL=0 CASEDESK_RATE_LIMIT_PER_ADDRESS=0 \
  CASEDESK_RATE_LIMIT_PUBLIC=0 CASEDESK_CLAMD_ADDRESS="${CASEDESK_TEST_CLAMD:-127.0.0.1:13310}" \
  RUST_LOG=warn "$binary" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "$url/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

ids=$(python3 e2e/api-fuzz/prepare.py "$url" admin@example.org "$password")
read -r CASEDESK_FUZZ_TOKEN CASEDESK_FUZZ_SESSION < <(python3 -c 'import json, sys; ids = json.loads(sys.argv[1]); print(ids["token"], ids["session"])' "$ids")
export CASEDESK_FUZZ_TOKEN CASEDESK_FUZZ_SESSION CASEDESK_FUZZ_IDS="$ids" PYTHONPATH="$PWD/e2e/api-fuzz" SCHEMATHESIS_HOOKS=hooks

set +e
(cd "$work" && "$venv/bin/st" --config-file "$OLDPWD/e2e/api-fuzz/schemathesis.toml" run \
  "$OLDPWD/openapi/openapi.json" --url "$url" -n "$examples" --generation-deterministic --workers 1 \
  --phases examples,coverage,fuzzing --exclude-name "POST /api/v1/auth/sign-out" \
  --exclude-name "GET /api/v1/notifications/stream" \
  --report json --report-json-path "$work/report.json" >"$work/st.log" 2>&1)
st_status=$?
set -e
python3 - "$work/report.json" "$st_status" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
cases, operations = report["test_cases"], report["operations"]
for failure in report["failures"]:
    print(f"  {failure['code']} {failure['title']}: {', '.join(failure['operations'])}")
for error in report["errors"]:
    print(f"  error: {error}")
print(f"api fuzz: {cases['generated']} cases over {operations['tested']} operations, "
      f"{len(report['failures'])} kinds of failure in {cases['with_failures']} cases, "
      f"{len(report['errors'])} errors (schemathesis exit {sys.argv[2]})")
PY
[ "$st_status" -eq 0 ] || { tail -n 60 "$work/st.log"; exit 1; }
