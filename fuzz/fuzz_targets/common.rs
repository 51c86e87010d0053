//! What every fuzz target shares: the embedded profiles, and the panic hook.
use std::sync::OnceLock;

pub fn profiles() -> &'static quire::sheet::profile::Profiles {
    static P: OnceLock<quire::sheet::profile::Profiles> = OnceLock::new();
    P.get_or_init(|| quire::sheet::profile::Profiles::load().expect("embedded profiles"))
}

/// libfuzzer-sys aborts on any panic, even one Quire catches: `sheet::read` turns a panic inside
/// a third-party parser into a "damaged file" error on purpose (see docs/robustness.md), so the
/// default hook is restored. A panic that escapes the target still aborts (libfuzzer-sys
/// catches it at the boundary) and is reported as a crash.
pub fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| drop(std::panic::take_hook()));
}
