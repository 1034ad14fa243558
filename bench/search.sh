#!/usr/bin/env bash
# Search: minbar-search against SQLite FTS5 on the same generated corpus (default 100,000
# documents). Prints markdown tables for docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p minbar-search --example bench_search -- "${1:-100000}"
