#!/usr/bin/env bash
# Fuzzes the readers: cargo fuzz (libFuzzer) on the workbook reader + layout detection, the
# CSV reader and the VSAQ JSON reader, SECONDS each (default 300), seeded from the fixture
# generator. Crashing inputs land in fuzz/artifacts/<target>/; copy each into
# tests/fuzz-regressions/<target>/ so tests/fuzz_regressions.rs replays it forever.
#
#   bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-300}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
seeds="$PWD/target/fuzz-seeds"
rm -rf "$seeds"
QUIRE_FUZZ_SEEDS="$seeds" cargo test -p quire --test fuzz_seeds -- --ignored --nocapture
# cargo fuzz passes nightly-only flags (sanitizers); this lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
for t in workbook csv vsaq suggest; do
    mkdir -p "fuzz/corpus/$t"
    echo "==> fuzzing $t for ${secs}s"
    cargo fuzz run "$t" "fuzz/corpus/$t" "$seeds/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 2>&1 \
        | grep -E "^(stat::|==|SUMMARY|#[0-9]+ +DONE)|panicked|Done" || true
done
