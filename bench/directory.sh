#!/usr/bin/env bash
# Directory pages under load: `minbar serve` (release, SQLite) with 2,000 organisations,
# driven by wrk on loopback. Also measures start-up time to the first answer.
# Usage: bench/directory.sh   (installs wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q
bin=target/release/minbar
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
port=18080
$bin demo --data-dir "$dir" --bulk 1953 >/dev/null   # 47 demo + 1,953 = 2,000
start=$(date +%s%N)
$bin serve --data-dir "$dir" --bind 127.0.0.1:$port >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:$port/healthz; do sleep 0.01; done
echo "start-up to first answer: $(( ($(date +%s%N) - start) / 1000000 )) ms"
curl -sf -o /dev/null "http://127.0.0.1:$port/directory"   # warm the caches
for path in "/directory" "/directory?lang=en" "/organisations/1" "/api/v1/organisations?per_page=50"; do
  echo "== $path"
  wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$port$path" | grep -E "Requests/sec|50%|99%"
done
echo "resident memory after the runs: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MB"
