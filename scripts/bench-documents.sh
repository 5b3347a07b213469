#!/usr/bin/env bash
# Documents benchmark (issue 16): uploads and downloads a 1 GiB file through the release
# server, reading the server's peak resident memory (VmHWM) before and after each, and attaches
# 20 two-page PDFs in one upload, end to end. Needs a release build (cargo build --release -p app).
#
#   bash scripts/bench-documents.sh [size in MiB, default 1024]
#
# Starts its own clamd on port 13311 allowed to scan files that large, and a server on a
# temporary data directory; removes both when done.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

mib=${1:-1024}
binary=${CASEDESK_BENCH_BINARY:-$CARGO_TARGET_DIR/release/casedesk}
[ -x "$binary" ] || { echo "build the release server first: cargo build --release -p app" >&2; exit 1; }
CASEDESK_TEST_CLAMD_PORT=13311 CASEDESK_TEST_CLAMD_MAX="$((mib + 64))M" ensure_clamd >/dev/null

# Large allocations (a sign-in's 19 MiB Argon2 buffer) go back to the system when freed, rather
# than staying resident in glibc's heap; see docs/performance.md.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=131072}"

work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
CASEDESK_DATA_DIR="$work/data" CASEDESK_BIND="127.0.0.1:$port" CASEDESK_ADMIN_PASSWORD="$password" \
  CASEDESK_CLAMD_ADDRESS=127.0.0.1:13311 CASEDESK_DOCUMENT_MAX_MIB=$((mib + 1)) CASEDESK_BODY_TIMEOUT_SECONDS=60 \
  CASEDESK_RATE_LIMIT_SIGN_IN=0 CASEDESK_RATE_LIMIT_PER_CREDENTIAL=0 CASEDESK_RATE_LIMIT_PER_ADDRESS=0 \
  RUST_LOG=warn "$binary" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

echo "server RSS after start: $(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status") MiB"
jar="$work/cookies"
api() { curl -sS -b "$jar" -c "$jar" -H 'X-Casedesk-CSRF: 1' "$@"; }
peak() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
# The highest resident memory seen while a command runs, sampled every 20 ms.
sampled() {
  local out="$work/sampled" pid=$server_pid
  ( top=0; while :; do now=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status"); [ "$now" -gt "$top" ] && top=$now && echo "$top" >"$out"; sleep 0.02; done ) &
  local sampler=$!
  "$@"
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  awk '{printf "%.1f", $1 / 1024}' "$out"
}
api -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"organisation\":\"default\",\"email\":\"admin@example.org\",\"password\":\"$password\"}" "$url/api/v1/auth/sign-in"
query=$(api -H 'Content-Type: application/json' -d '{"channel":"post","subject":"Benchmark"}' "$url/api/v1/queries" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

echo "server RSS after start and sign-in: $(rss) MiB (peak so far $(peak) MiB, signing in hashes a password)"
python3 - "$work/big.txt" "$mib" <<'PY'
import sys
line = b"Dear Council, I write about the collection of the green bin on Fridays at number 4.\n"
block = line * (1024 * 1024 // len(line) + 1)
with open(sys.argv[1], "wb") as out:
    for _ in range(int(sys.argv[2])):
        out.write(block[: 1024 * 1024])
PY
expected=$(sha256sum "$work/big.txt" | cut -d' ' -f1)
start=$(date +%s.%N)
during=$(sampled api -o "$work/reply.json" -F "files=@$work/big.txt" "$url/api/v1/queries/$query/documents")
reply=$(cat "$work/reply.json")
echo "$reply" | grep -q "\"items\"" || { echo "upload refused: $reply" >&2; exit 1; }
document=$(echo "$reply" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
seconds=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
echo "upload of $mib MiB (scanned, sealed, stored): $seconds s, $(python3 -c "print(f'{$mib / $seconds:.0f}')") MiB/s; server RSS at most $during MiB while it ran"
rm -f "$work/big.txt"
start=$(date +%s.%N)
during=$(sampled api -o "$work/back.txt" "$url/api/v1/documents/$document/content")
got=$(sha256sum "$work/back.txt" | cut -d' ' -f1)
rm -f "$work/back.txt"
seconds=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
[ "$got" = "$expected" ] || { echo "the download differs from the upload" >&2; exit 1; }
echo "download of $mib MiB (opened, checked): $seconds s, $(python3 -c "print(f'{$mib / $seconds:.0f}')") MiB/s, byte-identical; server RSS at most $during MiB while it ran"

python3 - "$work" <<'PY'
import sys
def pdf(n):
    pages = [f"BT /F1 12 Tf 72 720 Td (Letter {n}, page {p}: please collect the green bin.) Tj ET" for p in (1, 2)]
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"]
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + i} 0 R /Resources << /Font << /F1 7 0 R >> >> >>" for i in range(2)]
    objects += [f"<< /Length {len(s)} >>\nstream\n{s}\nendstream" for s in pages]
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = "%PDF-1.4\n", []
    for i, o in enumerate(objects):
        offsets.append(len(out)); out += f"{i + 1} 0 obj\n{o}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")
for n in range(1, 21):
    open(f"{sys.argv[1]}/letter-{n:02}.pdf", "wb").write(pdf(n))
PY
forms=()
for n in $(seq -w 1 20); do forms+=(-F "files=@$work/letter-$n.pdf"); done
start=$(date +%s.%N)
count=$(api "${forms[@]}" "$url/api/v1/queries/$query/documents" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
seconds=$(python3 -c "print(f'{($(date +%s.%N) - $start) * 1000:.0f}')")
echo "upload of 20 two-page PDFs in one request: $count attached in $seconds ms end to end"
echo "server RSS now $(rss) MiB; its peak over the run $(peak) MiB (signing in: Argon2 takes 19 MiB for a moment)"
