//! Tauri embeds the built UI (`../ui/dist`) into the binary; say how to build it when missing,
//! instead of the macro's bare "path doesn't exist".
fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    if !dist.exists() {
        panic!("the web UI is not built ({} is missing): run `npm ci && npm run build` in ui/ (or `make run` / `make test`, which do it)", dist.display());
    }
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
