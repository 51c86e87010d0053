//! Quire's desktop shell: opens the answer library (seeding the demo on first run), registers
//! the commands of `commands.rs` and the two plugins the window uses (file dialogs, and showing
//! an exported file in its folder). All domain work is in the `quire` core crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
#[cfg(all(test, feature = "ts"))]
mod ui_types;

use quire::library::Library;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// When the process started, for the cold-start figure (`app_ready`).
pub static STARTED: OnceLock<Instant> = OnceLock::new();

/// What every command shares: the library (`None` while an encrypted one waits for its
/// passphrase: the window shows the unlock screen) and who is using it.
pub struct Shell {
    pub library: Arc<Mutex<Option<Library>>>,
    pub path: PathBuf,
    pub user: String,
    /// The team library password typed in the join form, for this session's syncs only: never
    /// written anywhere (PGPASSWORD, ~/.pgpass or the service file work as for psql).
    pub team_password: Arc<Mutex<Option<String>>>,
}

/// The library file: `QUIRE_DB` when set (tests, several libraries), else the platform data
/// folder.
fn library_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("QUIRE_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Library::default_path().ok_or_else(|| "no home folder found for the answer library; set QUIRE_DB to a file path".to_string())
}

fn open() -> Result<Shell, String> {
    let path = library_path()?;
    let library = if quire::library::is_encrypted(&path).map_err(|e| e.to_string())? { None } else { Some(commands::open_library(&path, None).map_err(|e| e.message)?) };
    Ok(Shell { library: Arc::new(Mutex::new(library)), path, user: quire::library::os_user(), team_password: Arc::new(Mutex::new(None)) })
}

/// WebKitGTK's accelerated compositing runs through OpenGL; without a GPU (virtual machines,
/// remote desktops, Xvfb) that is software GL, and scrolling the 2,000-row review table took
/// 250 ms a frame here. With compositing off WebKit paints on the CPU directly: 16 ms a frame
/// (docs/benchmarks.md). A table-heavy UI loses nothing by it, so it is the default on Linux;
/// `QUIRE_GPU_COMPOSITING=1` keeps WebKit's own choice.
fn configure_webkit() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("QUIRE_GPU_COMPOSITING").is_none_or(|v| v != "1") && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Before any thread starts and before WebKit reads its environment.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    configure_webkit();
    let shell = match open() {
        Ok(s) => s,
        Err(message) => {
            // No window can show it yet: say it where a person starting the app sees it.
            eprintln!("Quire cannot start: {message}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(shell)
        .setup(|app| {
            use tauri::Manager;
            let shell = app.state::<Shell>();
            if let Some(lib) = shell.library.lock().ok().as_mut().and_then(|g| g.as_mut()) {
                lib.set_wait_notice(commands::wait_notice(app.handle().clone()));
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::team_status,
            commands::team_sync,
            commands::team_join,
            commands::team_kept_aside,
            commands::team_resolve_kept_aside,
            commands::app_ready,
            commands::library_unlock,
            commands::library_search,
            commands::library_entry,
            commands::library_edit,
            commands::library_conflicts,
            commands::library_resolve_conflict,
            commands::library_import,
            commands::matching_status,
            commands::library_embed,
            commands::library_embed_cancel,
            commands::demo_remove,
            commands::evidence_list,
            commands::evidence_add,
            commands::evidence_export,
            commands::questionnaire_inspect,
            commands::review_start,
            commands::review_list,
            commands::review_get,
            commands::review_update,
            commands::review_accept_above,
            commands::review_save_to_library,
            commands::review_export,
            commands::review_delete,
            commands::assignments_mine,
            commands::assignments_of_review,
            commands::assignment_add,
            commands::assignment_done,
            commands::assignment_remove,
            commands::comments_of_review,
            commands::comment_add,
            commands::comment_delete,
            commands::vendor_list,
            commands::vendor_get,
            commands::vendor_save,
            commands::assess_run,
            commands::assessment_get,
            commands::finding_set_status,
            commands::assessment_export,
            commands::rubric_list,
            commands::assess_preview,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Quire stopped: {e}");
        std::process::exit(1);
    }
}
