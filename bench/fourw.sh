#!/usr/bin/env bash
# 4W at scale (issue 6's numbers), release build, SQLite, on this machine:
#   1. `minbar demo --scale large`: 2,000 organisations, 1,000,000 activities, 36 months
#   2. `minbar export activities` of all 1,000,000 rows as HXL CSV (streamed; max RSS)
#   3. `minbar import activities` of that file into a directory with the same
#      organisations and no activities, beside its peer: the sqlite3 shell's `.import`
#      of the same file into a bare table with no checks and no indexes (the floor)
#   4. the coverage report and the dashboard under wrk (2 threads, 32 connections, 10 s),
#      beside their peer: the same matrix counted from scratch by one GROUP BY in sqlite3
# Usage: bench/fourw.sh   (installs wrk and sqlite3 from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
cargo build --release -q -p minbar
bin=$PWD/target/release/minbar
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
pid=
t() { /usr/bin/time -f "%e s, max RSS %M KB" "$@"; }

echo "== 1. demo --scale large"
t $bin --data-dir "$dir/large" demo --scale large 2>&1 | grep -E "Added|max RSS"

echo "== 2. export activities (1,000,000 rows, HXL CSV)"
t $bin --data-dir "$dir/large" export activities --headers en -o "$dir/4w.csv" 2>&1 | grep -E "exported|max RSS"
ls -l "$dir/4w.csv" | awk '{printf "file: %.0f MB\n", $5/1e6}'

echo "== 3. import activities (same file, empty 4W tables)"
$bin --data-dir "$dir/import" demo --bulk 1953 >/dev/null 2>&1
sqlite3 "$dir/import/minbar.db" "DELETE FROM activities; DELETE FROM coverage_cells; DELETE FROM report_rounds;"
t $bin --data-dir "$dir/import" import activities "$dir/4w.csv" 2>&1 | grep -E "Imported|Nothing|max RSS"
echo "-- peer: sqlite3 .import into a bare table"
tail -n +3 "$dir/4w.csv" > "$dir/rows.csv"
cols=$(head -1 "$dir/4w.csv" | awk -F, '{for(i=1;i<=NF;i++) printf "%sc%d TEXT", (i>1?", ":""), i}')
sqlite3 "$dir/bare.db" "CREATE TABLE t ($cols);"
t sqlite3 "$dir/bare.db" ".mode csv" ".import $dir/rows.csv t" 2>&1 | grep "max RSS"

echo "== 4. coverage under load"
port=18081
$bin --data-dir "$dir/large" serve --bind 127.0.0.1:$port >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:$port/healthz; do sleep 0.05; done
jar="$dir/cookies"
curl -s -c "$jar" -o /dev/null http://127.0.0.1:$port/sign-in
curl -s -b "$jar" -c "$jar" -o /dev/null -d "email=coordinator@minbar.example&password=coordinator-demo&next=/4w" http://127.0.0.1:$port/sign-in
cookie="minbar_session=$(awk '$6=="minbar_session" {print $7}' "$jar")"
for path in "/api/v1/reports/coverage?period=2026-06" "/4w?period=2026-06" "/api/v1/reports/coverage?period=2026-06&status=completed"; do
  echo "-- $path"
  curl -sf -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$port$path"
  wrk -t2 -c32 -d10s --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path" | grep -E "Requests/sec|50%|99%|Non-2xx"
done
echo "-- peer: the matrix from scratch in sqlite3 (one GROUP BY over the month's rows), 20 runs"
start=$(date +%s%N)
for i in $(seq 20); do
  sqlite3 "$dir/large/minbar.db" "SELECT adm1_code, sector_code, COUNT(DISTINCT org_id), COUNT(*), SUM(t_total), SUM(r_total) FROM activities WHERE period = '2026-06' GROUP BY adm1_code, sector_code;" >/dev/null
done
echo "mean: $(( ($(date +%s%N) - start) / 20000000 )) ms per query (process start included)"
echo "resident memory of the server after the runs: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MB"
