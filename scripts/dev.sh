#!/usr/bin/env bash
# Quire's one entry point for people and CI: installs what is missing, then runs, tests or
# benchmarks. Safe to run again: it installs only what `dpkg -s` / `command -v` say is missing.
#
#   bash scripts/dev.sh run     build, seed the demo library, suggest and fill the sample (the quick start)
#   bash scripts/dev.sh test    run every test
#   bash scripts/dev.sh bench   run the benchmarks (figures go to stdout; see docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the build needs (Debian/Ubuntu names). The desktop shell will add webkit2gtk.
PACKAGES=(build-essential pkg-config)
# What the tests use to check outputs as a person would: pdftotext/pdftoppm read the PDF
# summaries, LibreOffice (headless) proves a filled workbook opens without repair.
TEST_PACKAGES=(poppler-utils)

need_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    command -v dpkg >/dev/null 2>&1 || return 0   # not Debian-like: assume the tools are there
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing system packages: ${missing[*]}"
        need_root apt-get update -qq
        need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
}

install_rust() {
    if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "==> installing the Rust toolchain (rustup, stable)"
        command -v curl >/dev/null 2>&1 || { PACKAGES=(curl ca-certificates); install_packages; }
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
}

setup() {
    install_packages
    install_rust
}

setup_tests() {
    PACKAGES=("${TEST_PACKAGES[@]}")
    install_packages
    # Any LibreOffice will do; install the headless build only when none is there.
    if ! command -v soffice >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing LibreOffice Calc (headless) to check filled workbooks open"
        need_root apt-get update -qq
        need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui \
            || echo "warning: LibreOffice could not be installed; the tests that open workbooks in it will say SKIPPED"
    fi
}

case "${1:-}" in
    run)
        setup
        cargo build --release --locked
        # The default library lives in the platform data folder; the demo seeds it once.
        ./target/release/quire demo
        demo_dir="$(dirname "$(./target/release/quire library config | sed -n 's/^library = //p')")/demo"
        echo
        echo "==> suggestions for the sample customer questionnaire (first questions)"
        ./target/release/quire suggest "$demo_dir/customer-questionnaire-2026.xlsx" --top 1 > "$demo_dir/suggestions.txt"
        head -24 "$demo_dir/suggestions.txt"
        echo "… all of them: $demo_dir/suggestions.txt"
        echo
        echo "==> filling it from the library"
        ./target/release/quire fill "$demo_dir/customer-questionnaire-2026.xlsx" \
            -o "$demo_dir/customer-questionnaire-2026.filled.xlsx" --pdf "$demo_dir/customer-questionnaire-2026.summary.pdf"
        ;;
    test)
        setup
        setup_tests
        cargo test --workspace --locked
        ;;
    bench)
        setup
        cargo bench --locked
        ;;
    *)
        echo "usage: bash scripts/dev.sh run|test|bench" >&2
        exit 2
        ;;
esac
