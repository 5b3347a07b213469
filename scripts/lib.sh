# Shared by scripts/run.sh and scripts/test.sh. Source it; do not run it.
# Every ensure_* function is idempotent: it checks first and installs or starts only what is
# missing, saying what it does.

step() { printf '\n==> %s\n' "$*"; }

# Builds go outside the clone by default, so a fresh clone (and CI) reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/casedesk/target}"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: $*; install them with: sudo apt-get install -y $*" >&2
    return 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The embedded database is SQLCipher, which links the system's libcrypto: building needs its
# headers (Debian's libssl-dev).
ensure_build_libraries() {
  if [ ! -e /usr/include/openssl/evp.h ]; then
    echo "installing Debian's libssl-dev (SQLCipher links OpenSSL's libcrypto)"
    apt_install libssl-dev pkg-config
  fi
}

# Python with SQLCipher (PyPI's sqlcipher3-binary, in a venv of its own) for the one browser
# test that writes into the server's encrypted database. Exports CASEDESK_E2E_PYTHON.
ensure_python_sqlcipher() {
  local version=0.6.0 venv="$HOME/.cache/casedesk/sqlcipher3-0.6.0"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sqlcipher3" 2>/dev/null; then
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install -q "sqlcipher3-binary==$version"
  fi
  export CASEDESK_E2E_PYTHON="$venv/bin/python"
}

# Text for search comes from Debian's poppler-utils (a PDF's text layer, pages as pictures) and
# Tesseract (OCR of scanned letters, English).
ensure_text_tools() {
  if ! command -v pdftotext >/dev/null || ! command -v tesseract >/dev/null \
    || [ ! -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ]; then
    echo "installing Debian's poppler-utils and tesseract-ocr for reading letters"
    apt_install poppler-utils tesseract-ocr tesseract-ocr-eng
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  else
    echo "installing Debian's chromium for the browser tests"
    apt_install chromium
  fi
}

# Echoes the first initdb found (Debian keeps them under /usr/lib/postgresql/<version>/bin).
find_pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$found" ] && echo "$found"
}

pg_answers() {
  "$PG_BIN/pg_isready" -q -d "$1" -t 3
}

# Sets CASEDESK_TEST_PG_URL to an admin URL of a PostgreSQL server that answers: the one
# given, else the machine's own on 5432, else a throwaway cluster started here on 55432.
ensure_postgres() {
  PG_BIN=$(find_pg_bin) || true
  if [ -z "${PG_BIN:-}" ]; then
    echo "installing PostgreSQL from Debian"
    apt_install postgresql
    PG_BIN=$(find_pg_bin)
  fi
  # An admin URL (the tests create a database per test): CASEDESK_TEST_PG_URL, else a
  # postgres:// CASEDESK_DATABASE_URL, else the machine's own server.
  local url="${CASEDESK_TEST_PG_URL:-}"
  case "${CASEDESK_DATABASE_URL:-}" in
    postgres://*|postgresql://*) url="${url:-$CASEDESK_DATABASE_URL}" ;;
  esac
  url="${url:-postgres://postgres@127.0.0.1:5432/postgres}"
  if pg_answers "$url"; then
    echo "PostgreSQL answers at ${url%%\?*}"
    export CASEDESK_TEST_PG_URL="$url"
    return
  fi
  local dir="/tmp/casedesk-pg-$(id -u)"
  local port=55432
  url="postgres://postgres@127.0.0.1:$port/postgres"
  if ! pg_answers "$url"; then
    echo "no PostgreSQL answers; starting a throwaway cluster in $dir on 127.0.0.1:$port"
    local as=()
    if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      "${as[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    fi
    "${as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
  fi
  export CASEDESK_TEST_PG_URL="$url"
}

# Drops the per-test databases earlier runs left behind.
drop_test_databases() {
  local db
  for db in $("$PG_BIN/psql" "$CASEDESK_TEST_PG_URL" -Atc \
      "SELECT datname FROM pg_database WHERE datname LIKE 'casedesk\_test\_%'" 2>/dev/null); do
    "$PG_BIN/psql" "$CASEDESK_TEST_PG_URL" -qc "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
}

# Starts the Entra ID stand-in (scripts/entra-mock.mjs: oauth2-mock-server with Entra's paths
# and a Graph stand-in) fresh from this checkout on 127.0.0.1:18081, replacing one an earlier
# run left, and exports CASEDESK_TEST_ENTRA_URL. Needs the npm packages (npm ci) in place.
ENTRA_MOCK_PID_FILE="/tmp/casedesk-entra-mock-$(id -u).pid"
ensure_entra_mock() {
  local port="${CASEDESK_TEST_ENTRA_PORT:-18081}"
  stop_entra_mock
  export CASEDESK_TEST_ENTRA_URL="http://127.0.0.1:$port"
  HOST=127.0.0.1 PORT="$port" setsid node scripts/entra-mock.mjs >"/tmp/casedesk-entra-mock-$(id -u).log" 2>&1 </dev/null &
  echo $! >"$ENTRA_MOCK_PID_FILE"
  wait_for 10 "the Entra ID stand-in on port $port" entra_mock_answers "/tmp/casedesk-entra-mock-$(id -u).log" || return 1
  echo "Entra ID stand-in at $CASEDESK_TEST_ENTRA_URL"
}

# node, not curl: a fresh machine has node for certain.
entra_mock_answers() {
  node -e "fetch('$CASEDESK_TEST_ENTRA_URL/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

# Azurite (Azure Blob Storage's emulator, from the npm registry) on loopback with the container
# the tests use; left running between runs, as clamd is. Exports AZURITE_BLOB_STORAGE_URL, which
# object_store reads in emulator mode. Needs the npm packages (npm ci) in place.
ensure_azurite() {
  local port="${CASEDESK_TEST_AZURITE_PORT:-10100}"
  local dir="/tmp/casedesk-azurite-$(id -u)-$port"
  export AZURITE_BLOB_STORAGE_URL="http://127.0.0.1:$port"
  if ! azurite_answers; then
    mkdir -p "$dir"
    setsid npx --no-install azurite-blob --blobHost 127.0.0.1 --blobPort "$port" --location "$dir" \
      --skipApiVersionCheck --silent </dev/null >"$dir/azurite.log" 2>&1 &
    wait_for 20 "Azurite on port $port" azurite_answers "$dir/azurite.log" || return 1
  fi
  node scripts/azurite-container.mjs "$AZURITE_BLOB_STORAGE_URL" casedesk-test
}

# Any HTTP answer will do (an unsigned request gets 403): Azurite is listening.
azurite_answers() {
  node -e "fetch('$AZURITE_BLOB_STORAGE_URL/devstoreaccount1?comp=list').then(() => process.exit(0), () => process.exit(1))"
}

# clamd on loopback with a signature database built here: Debian ships no signatures and
# freshclam cannot reach the internet, so the test signatures are made from the EICAR test
# string at run time (never kept on disk as a file of its own). Exports the address the tests use.
ensure_clamd() {
  local port="${CASEDESK_TEST_CLAMD_PORT:-13310}" most="${CASEDESK_TEST_CLAMD_MAX:-25M}"
  local dir="/tmp/casedesk-clamd-$(id -u)-$port"
  export CASEDESK_TEST_CLAMD="127.0.0.1:$port"
  # Tests add signatures here (a rescan finding what an upload did not) and reload clamd.
  export CASEDESK_TEST_CLAMD_DB="$dir/db"
  if clamd_answers "$port"; then
    echo "clamd already at $CASEDESK_TEST_CLAMD"
    return 0
  fi
  if ! command -v clamd >/dev/null || ! command -v sigtool >/dev/null; then
    echo "installing Debian's clamav-daemon for the virus-scanning tests"
    apt_install clamav-daemon
  fi
  mkdir -p "$dir/db"
  rm -f "$dir/db"/Casedesk.Rescan-*.ndb
  local eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
  printf '%s' "$eicar" >"$dir/sample"
  sigtool --md5 "$dir/sample" | sed 's/:[^:]*$/:Eicar-Test-Signature/' >"$dir/db/test.hdb"
  rm -f "$dir/sample"
  echo "Eicar-Test-Signature-Body:0:*:$(printf '%s' EICAR-STANDARD-ANTIVIRUS-TEST-FILE | od -An -tx1 | tr -d ' \n')" >"$dir/db/test.ndb"
  cat >"$dir/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $dir/db
TCPSocket $port
TCPAddr 127.0.0.1
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
TemporaryDirectory $dir
StreamMaxLength $most
MaxFileSize $most
MaxScanSize $most
# Fail closed: a file too big to scan whole is reported (Heuristics.Limits.Exceeded), not passed.
AlertExceedsMax yes
SelfCheck 0
CONF
  setsid clamd -c "$dir/clamd.conf" </dev/null >"$dir/clamd.out" 2>&1 &
  wait_for 20 "clamd on port $port" "clamd_answers $port" "$dir/clamd.out" "$dir/clamd.log" || return 1
  echo "clamd at $CASEDESK_TEST_CLAMD"
}

clamd_answers() {
  python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"zPING\0")
    sys.exit(0 if s.recv(16).startswith(b"PONG") else 1)
PY
}

# wait_for SECONDS WHAT CHECK [LOG…]: runs CHECK (a command line) every tenth of a second until
# it succeeds; after SECONDS says WHAT did not start, shows the LOG files, and fails.
wait_for() {
  local seconds="$1" what="$2" check="$3" tries=0
  shift 3
  until $check; do
    tries=$((tries + 1))
    if [ "$tries" -gt $((seconds * 10)) ]; then
      echo "$what did not start:" >&2
      cat "$@" >&2 2>/dev/null
      return 1
    fi
    sleep 0.1
  done
}

stop_entra_mock() {
  if [ -f "$ENTRA_MOCK_PID_FILE" ]; then
    kill "$(cat "$ENTRA_MOCK_PID_FILE")" 2>/dev/null || true
    rm -f "$ENTRA_MOCK_PID_FILE"
    sleep 0.2
  fi
}
