#!/usr/bin/env bash
# minbar-hxl against libhxl-python 5.2.x and against a bare csv-crate parse, on the same
# generated 4W file, on the same machine, in the same run.
# Usage: bench/hxl.sh [ROWS]   (default 1,000,000; the .xlsx case uses ROWS/10)
# Installs libhxl into a virtualenv under target/ on first use (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
venv=target/hxl-bench-venv
command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }
# libhxl 5.2 imports six without declaring it
[ -x "$venv/bin/hxlcount" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'libhxl>=5.2,<5.3' six; }
"$venv/bin/python" -c 'import six' 2>/dev/null || "$venv/bin/pip" install -q six
cargo build --release -q -p minbar
cargo build --release -q -p minbar-hxl --example parse_floor
minbar=target/release/minbar
floor=target/release/examples/parse_floor
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$rows" "$work/4w.csv" <<'PY'
import csv, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(2026)
orgs = ["AMAL", "NOUR", "SAMA", "BINAA", "GHAD", "KARAMA", "ZAYTOUN", "WAFA", "SALAM", "JISR"]
sectors = ["WASH", "Health", "Education", "Protection", "Food Security", "Shelter"]
adm1 = ["SY-ID", "SY-HL", "SY-HM", "SY-RA", "TR-27", "TR-31", "TR-63"]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Organisation", "Sector", "Governorate", "District", "Activity", "Start", "End", "Status", "Targeted", "Reached F", "Reached M", "Notes"])
    w.writerow(["#org", "#sector", "#adm1+code", "#adm2+code", "#activity", "#date+start", "#date+end", "#status", "#targeted", "#reached+f", "#reached+m", "#meta+notes"])
    for i in range(n):
        a = random.choice(adm1)
        w.writerow([random.choice(orgs), random.choice(sectors), a, a + "%02d" % random.randint(1, 12), "activity %d" % (i % 97),
                    "2026-%02d-01" % random.randint(1, 12), "2026-12-31", random.choice(["ongoing", "completed", "planned"]),
                    random.randint(0, 5000), random.randint(0, 2500), random.randint(0, 2500), "note %d" % i])
PY
# the median of three runs, for every tool alike
t1() { local s; s=$(date +%s.%N); "$@" > /dev/null; echo "$(date +%s.%N) - $s" | bc; }
t() { { t1 "$@"; t1 "$@"; t1 "$@"; } | sort -n | sed -n 2p; }
mem() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
f=$work/4w.csv
echo "file: $rows rows, $(( $(stat -c %s "$f") / 1000000 )) MB"
echo
echo "| operation | libhxl 5.2 | minbar-hxl | bare csv parse | libhxl / minbar | minbar / parse | minbar max RSS |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
p=$(t "$floor" "$f")
row() {
  local name=$1 lib=$2 ours=$3 rss=$4
  printf "| %s | %.2f s | %.2f s | %.2f s | %.0f× | %.1f× | %s MB |\n" "$name" "$lib" "$ours" "$p" "$(echo "$lib / $ours" | bc -l)" "$(echo "$ours / $p" | bc -l)" "$(( rss / 1024 ))"
}
L=$(t "$venv/bin/hxlcount" -t adm1,sector -a 'sum(reached)' "$f"); M=$(t $minbar hxl count -t adm1,sector -a 'sum(reached)' "$f"); R=$(mem $minbar hxl count -t adm1,sector -a 'sum(reached)' "$f"); row "count -t adm1,sector -a 'sum(reached)'" "$L" "$M" "$R"
L=$(t "$venv/bin/hxlselect" -q sector=WASH "$f"); M=$(t $minbar hxl select -q sector=WASH "$f"); R=$(mem $minbar hxl select -q sector=WASH "$f"); row "select -q sector=WASH" "$L" "$M" "$R"
# the same file with every note quoted (blocks with quotes: rows found by following quotes)
q=$work/quoted.csv
sed -E 's/,note ([0-9]+)\r?$/,"note, \1"/' "$f" > "$q"
L=$(t "$venv/bin/hxlselect" -q sector=WASH "$q"); M=$(t $minbar hxl select -q sector=WASH "$q"); R=$(mem $minbar hxl select -q sector=WASH "$q"); row "select -q sector=WASH, every note quoted" "$L" "$M" "$R"
L=$(t "$venv/bin/hxlsort" -t org "$f"); M=$(t $minbar hxl sort -t org "$f"); R=$(mem $minbar hxl sort -t org "$f"); row "sort -t org" "$L" "$M" "$R"
x=$work/4w.xlsx
head -n $(( rows / 10 + 2 )) "$f" > "$work/small.csv"
$minbar hxl cut -x meta "$work/small.csv" "$x" --format xlsx
L=$(t "$venv/bin/hxlselect" -q sector=WASH "$x"); M=$(t $minbar hxl select -q sector=WASH "$x"); R=$(mem $minbar hxl select -q sector=WASH "$x"); row "read .xlsx ($(( rows / 10 )) rows), select" "$L" "$M" "$R"
# streaming filters in flat memory: the same tools on a file ten times smaller and on one
# twice as large (the file doubled)
big=$work/double.csv
{ cat "$f"; tail -n +3 "$f"; } > "$big"
echo
echo "| max RSS | $(( rows / 10 )) rows | $rows rows | $(( rows * 2 )) rows |"
echo "| --- | --- | --- | --- |"
for tool in "select -q sector=WASH" "count -t adm1,sector -a sum(reached)" "cut -x meta"; do
  # shellcheck disable=SC2086
  echo "| $tool | $(( $(mem $minbar hxl $tool "$work/small.csv") / 1024 )) MB | $(( $(mem $minbar hxl $tool "$f") / 1024 )) MB | $(( $(mem $minbar hxl $tool "$big") / 1024 )) MB |"
done
