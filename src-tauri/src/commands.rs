//! The Tauri commands: each locks the library, calls one core function and turns the core's
//! error into its user-readable message. Commands are `async` so that Tauri runs them off the
//! window's thread; the long ones (import, review start, export) also move to a blocking thread
//! and report progress through the `progress` event. The JSON shapes are in
//! docs/app-commands.md.

use crate::Shell;
use quire::assess::vendor::{Vendor, Warning};
use quire::library::{
    AssessmentSummary, Assignment, AssignmentFilter, AssignmentScope, Comment, Entry, EntryEdit, EntryFilter, Evidence, FindingStatus, HistoryItem, Library, NewEvidence, Passphrase, ReviewItem, ReviewSession, ReviewSummary, SaveReport,
    SavedAssessment, VendorSummary,
};
use quire::review::ReviewChange;
use quire::sheet::overrides::SheetOverride;
use quire::sheet::InspectReport;
use quire::workflow::{self, AssessResult, AssessmentExport, ExportResult, ImportResult, Progress};
use quire::ErrorReply;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tauri::{AppHandle, Emitter, State};

/// Every command's reply: its value, or the error as `{code, message, detail}` (`quire::ErrorReply`).
type Reply<T> = Result<T, ErrorReply>;

/// The minimum confidence at which a review starts with an answer filled in (the user can pick
/// lower alternatives by hand).
const REVIEW_MIN_CONFIDENCE: f32 = 0.5;

/// The open library, for as long as a command holds it.
pub struct Held<'a>(MutexGuard<'a, Option<Library>>);

impl std::ops::Deref for Held<'_> {
    type Target = Library;
    fn deref(&self) -> &Library {
        self.0.as_ref().expect("checked when held")
    }
}

impl std::ops::DerefMut for Held<'_> {
    fn deref_mut(&mut self) -> &mut Library {
        self.0.as_mut().expect("checked when held")
    }
}

/// The library slot, locked or unlocked (`lock` for commands that need it open).
fn slot(lib: &Mutex<Option<Library>>) -> Reply<MutexGuard<'_, Option<Library>>> {
    lib.lock().map_err(|_| ErrorReply::new("app.library_unavailable", "the library is unavailable after an earlier failure; restart Quire (your saved work is kept)"))
}

fn lock(lib: &Mutex<Option<Library>>) -> Reply<Held<'_>> {
    let guard = slot(lib)?;
    if guard.is_none() {
        return Err(ErrorReply::new("library.locked", "the library is encrypted and still locked: enter its passphrase first"));
    }
    Ok(Held(guard))
}

/// Opens the library (with its passphrase when encrypted) and seeds the demo on a first run.
pub fn open_library(path: &std::path::Path, passphrase: Option<&Passphrase>) -> Reply<Library> {
    let mut library = Library::open_with(path, passphrase).map_err(msg)?;
    let demo = library.folder().unwrap_or_else(|| PathBuf::from(".")).join("demo");
    workflow::seed_demo_on_first_run(&mut library, &demo).map_err(msg)?;
    Ok(library)
}

/// Tells the window (as progress) while a save waits for another Quire process writing to the
/// same library (the CLI, or a second window), so a slow save is not taken for a hang.
pub fn wait_notice(app: AppHandle) -> quire::library::WaitNotice {
    Arc::new(move |waited: std::time::Duration| {
        let message = format!("Waiting for another Quire process to finish writing to the library ({} s)…", waited.as_secs());
        let _ = app.emit("progress", Progress { task: "waiting".into(), done: 0, total: 0, message });
    })
}

fn msg(e: quire::Error) -> ErrorReply {
    e.reply()
}

/// A command's work that stopped without finishing (its thread panicked or was cancelled).
fn interrupted(message: String) -> ErrorReply {
    ErrorReply::new("app.interrupted", message)
}

/// Runs `work` on a blocking thread with the library, forwarding progress to the window.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    lib: Arc<Mutex<Option<Library>>>,
    work: impl FnOnce(&mut Library, &(dyn Fn(Progress) + Sync)) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = lock(&lib)?;
        let emit = |p: Progress| {
            let _ = app.emit("progress", p);
        };
        work(&mut guard, &emit)
    })
    .await
    .map_err(|e| interrupted(format!("the operation stopped unexpectedly ({e}); nothing was half-saved, try again")))?
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "shell/"))]
pub struct AppState {
    version: String,
    library_path: String,
    user: String,
    /// An encrypted library waiting for its passphrase: the figures below are all zero.
    locked: bool,
    encrypted: bool,
    entries: usize,
    evidence: usize,
    conflicts: usize,
    demo_entries: usize,
    sample_questionnaire: Option<String>,
}

#[tauri::command]
pub async fn app_state(shell: State<'_, Shell>) -> Reply<AppState> {
    let guard = slot(&shell.library)?;
    let Some(lib) = guard.as_ref() else {
        return Ok(AppState {
            version: env!("CARGO_PKG_VERSION").into(),
            library_path: shell.path.display().to_string(),
            user: shell.user.clone(),
            locked: true,
            encrypted: true,
            entries: 0,
            evidence: 0,
            conflicts: 0,
            demo_entries: 0,
            sample_questionnaire: None,
        });
    };
    let sample = lib.folder().map(|f| f.join("demo").join("customer-questionnaire-2026.xlsx")).filter(|p| p.is_file());
    Ok(AppState {
        version: env!("CARGO_PKG_VERSION").into(),
        library_path: lib.path(),
        user: shell.user.clone(),
        locked: false,
        encrypted: lib.is_encrypted(),
        entries: lib.entry_count().map_err(msg)?,
        evidence: lib.evidence_count().map_err(msg)?,
        conflicts: lib.conflict_count().map_err(msg)?,
        demo_entries: lib.count_tagged(workflow::DEMO_TAG).map_err(msg)?,
        sample_questionnaire: sample.map(|p| p.display().to_string()),
    })
}

/// Opens the encrypted library with the passphrase the person typed. A wrong one leaves it
/// locked and says so; the passphrase is kept only inside the open library.
#[tauri::command]
pub async fn library_unlock(app: AppHandle, shell: State<'_, Shell>, passphrase: String) -> Reply<AppState> {
    let passphrase = Passphrase::new(passphrase).map_err(msg)?;
    let path = shell.path.clone();
    let library = shell.library.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = slot(&library)?;
        if guard.is_none() {
            let mut opened = open_library(&path, Some(&passphrase))?;
            opened.set_wait_notice(wait_notice(app));
            *guard = Some(opened);
        }
        Ok::<_, ErrorReply>(())
    })
    .await
    .map_err(|e| interrupted(format!("unlocking stopped unexpectedly ({e}); try again")))??;
    app_state(shell).await
}

/// The window calls this once its first screen shows the library's figures. With
/// `QUIRE_EXIT_WHEN_READY=1` the app prints the time since start and quits: that is how the
/// cold-start benchmark (`e2e/figures.mjs`, run by `make bench`; figures in docs/benchmarks.md)
/// measures "start to first screen interactive".
#[tauri::command]
pub fn app_ready(app: AppHandle) {
    if std::env::var_os("QUIRE_EXIT_WHEN_READY").is_some_and(|v| v == "1") {
        let ms = crate::STARTED.get().map(|t| t.elapsed().as_secs_f64() * 1000.0).unwrap_or(f64::NAN);
        println!("quire-app ready: first screen interactive {ms:.0} ms after start");
        app.exit(0);
    }
}

#[tauri::command]
pub async fn library_search(shell: State<'_, Shell>, text: String, limit: usize) -> Reply<Vec<Entry>> {
    let lib = lock(&shell.library)?;
    let limit = limit.clamp(1, 500);
    if text.trim().is_empty() { lib.recent(limit) } else { lib.search(&text, limit) }.map_err(msg)
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "shell/"))]
pub struct EntryDetail {
    entry: Entry,
    history: Vec<HistoryItem>,
    evidence: Vec<Evidence>,
}

#[tauri::command]
pub async fn library_entry(shell: State<'_, Shell>, id: i64) -> Reply<EntryDetail> {
    let lib = lock(&shell.library)?;
    let entry = lib.get(id).map_err(msg)?;
    let history = lib.history(id).map_err(msg)?;
    let evidence = lib.evidence_list().map_err(msg)?.into_iter().filter(|e| e.linked_entries.contains(&id)).collect();
    Ok(EntryDetail { entry, history, evidence })
}

/// The entry edit as the window sends it (snake_case fields, all optional).
#[derive(Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "shell/"))]
#[cfg_attr(feature = "ts", ts(rename = "EntryEdit", optional_fields))]
pub struct EditArgs {
    answer: Option<String>,
    comment: Option<String>,
    domain: Option<String>,
    tags: Option<Vec<String>>,
    owner: Option<String>,
    review_by: Option<String>,
}

#[tauri::command]
pub async fn library_edit(shell: State<'_, Shell>, id: i64, edit: EditArgs) -> Reply<Entry> {
    let mut lib = lock(&shell.library)?;
    let edit = EntryEdit { answer: edit.answer, comment: edit.comment, domain: edit.domain, tags: edit.tags, owner: edit.owner, review_by: edit.review_by, last_reviewed: None };
    lib.edit(id, &edit).map_err(msg)
}

#[tauri::command]
pub async fn library_conflicts(shell: State<'_, Shell>) -> Reply<Vec<Entry>> {
    lock(&shell.library)?.list(EntryFilter { conflicts_only: true, stale_only: false }).map_err(msg)
}

#[tauri::command]
pub async fn library_resolve_conflict(shell: State<'_, Shell>, keep_id: i64) -> Reply<usize> {
    lock(&shell.library)?.resolve_conflict(keep_id).map_err(msg)
}

#[tauri::command]
pub async fn library_import(app: AppHandle, shell: State<'_, Shell>, paths: Vec<PathBuf>) -> Reply<Vec<ImportResult>> {
    blocking(app, shell.library.clone(), move |lib, on| Ok(workflow::import_answered(lib, &paths, &[], on))).await
}

/// Whether suggestions match by meaning (the sentence-embedding model is there and loads) and
/// how many entries lack an embedding that no review would compute by itself (more than
/// `EMBED_ON_LOAD`; fewer are embedded when the next review starts); `note` says what is
/// missing, for the banner. Loads
/// the model on first call (a fraction of a second), which start-up never does.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "shell/"))]
pub struct MatchingStatus {
    by_meaning: bool,
    note: Option<String>,
    entries_without_embedding: usize,
}

#[tauri::command]
pub async fn matching_status(shell: State<'_, Shell>) -> Reply<MatchingStatus> {
    let lib = shell.library.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let meaning = quire::suggest::meaning::Meaning::shared();
        let Some(embedder) = meaning.embedder() else {
            return Ok(MatchingStatus { by_meaning: false, note: meaning.absent_reason().map(str::to_string), entries_without_embedding: 0 });
        };
        let guard = slot(&lib)?;
        let (have, of) = match guard.as_ref() {
            Some(l) => l.embedding_coverage(embedder.model_id()).map_err(msg)?,
            None => (0, 0),
        };
        // A few are embedded by the next review by itself (the demo's, say): only more than
        // that need the person's "Embed" click.
        let missing = of - have.min(of);
        let entries_without_embedding = if missing > quire::suggest::EMBED_ON_LOAD { missing } else { 0 };
        Ok(MatchingStatus { by_meaning: true, note: None, entries_without_embedding })
    })
    .await
    .map_err(|e| interrupted(format!("checking the matching model stopped unexpectedly ({e})")))?
}

/// Embeds the entries that lack an embedding (progress as task "embed"); `library_embed_cancel`
/// stops it, keeping what was done.
#[tauri::command]
pub async fn library_embed(app: AppHandle, shell: State<'_, Shell>) -> Reply<Option<quire::suggest::meaning::EmbedOutcome>> {
    blocking(app, shell.library.clone(), move |lib, on| workflow::embed_library(lib, on).map_err(msg)).await
}

#[tauri::command]
pub fn library_embed_cancel() {
    workflow::cancel_embedding();
}

#[tauri::command]
pub async fn demo_remove(shell: State<'_, Shell>) -> Reply<usize> {
    lock(&shell.library)?.remove_tagged(workflow::DEMO_TAG).map_err(msg)
}

#[tauri::command]
pub async fn evidence_list(shell: State<'_, Shell>) -> Reply<Vec<Evidence>> {
    lock(&shell.library)?.evidence_list().map_err(msg)
}

#[tauri::command]
pub async fn evidence_add(shell: State<'_, Shell>, path: PathBuf, title: Option<String>, expires: Option<String>, tags: Option<Vec<String>>) -> Reply<Evidence> {
    let new = NewEvidence { title, expires: expires.filter(|e| !e.trim().is_empty()), tags: tags.unwrap_or_default(), owner: None };
    lock(&shell.library)?.add_evidence(&path, &new).map(|(e, _)| e).map_err(msg)
}

/// Saves a copy of a kept document where the person chose (decrypted when the library is
/// encrypted; never over an existing file).
#[tauri::command]
pub async fn evidence_export(shell: State<'_, Shell>, id: i64, path: PathBuf) -> Reply<Evidence> {
    lock(&shell.library)?.export_evidence(id, &path).map_err(msg)
}

#[tauri::command]
pub async fn questionnaire_inspect(path: PathBuf, overrides: Vec<SheetOverride>) -> Reply<InspectReport> {
    tauri::async_runtime::spawn_blocking(move || workflow::inspect(&path, &overrides).map_err(msg)).await.map_err(|e| interrupted(e.to_string()))?
}

#[tauri::command]
pub async fn review_start(app: AppHandle, shell: State<'_, Shell>, path: PathBuf, overrides: Vec<SheetOverride>) -> Reply<ReviewSummary> {
    blocking(app, shell.library.clone(), move |lib, on| workflow::start_review(lib, &path, &overrides, REVIEW_MIN_CONFIDENCE, on).map_err(msg)).await
}

#[tauri::command]
pub async fn review_list(shell: State<'_, Shell>) -> Reply<Vec<ReviewSummary>> {
    lock(&shell.library)?.review_summaries().map_err(msg)
}

#[tauri::command]
pub async fn review_get(shell: State<'_, Shell>, id: i64) -> Reply<ReviewSession> {
    lock(&shell.library)?.review_session(id).map_err(msg)
}

#[tauri::command]
pub async fn review_update(shell: State<'_, Shell>, id: i64, index: usize, change: ReviewChange) -> Reply<ReviewItem> {
    lock(&shell.library)?.update_review_item(id, index, &change, &shell.user).map_err(msg)
}

/// The open assignments of the person using the app (the team login in a team library) and
/// of the teams named (a person may answer for "Legal"): the "My assignments" view.
#[tauri::command]
pub async fn assignments_mine(shell: State<'_, Shell>, teams: Vec<String>) -> Reply<Vec<Assignment>> {
    lock(&shell.library)?.my_assignments(&teams).map_err(msg)
}

/// A review's assignments (done ones too), for the review screen.
#[tauri::command]
pub async fn assignments_of_review(shell: State<'_, Shell>, id: i64) -> Reply<Vec<Assignment>> {
    lock(&shell.library)?.assignments(&AssignmentFilter { review: Some(id), include_done: true, ..AssignmentFilter::default() }).map_err(msg)
}

#[tauri::command]
pub async fn assignment_add(shell: State<'_, Shell>, id: i64, scope: AssignmentScope, assignee: String, due: Option<String>, note: Option<String>) -> Reply<Assignment> {
    lock(&shell.library)?.assign(id, &scope, &assignee, due.as_deref(), note.as_deref().unwrap_or("")).map_err(msg)
}

#[tauri::command]
pub async fn assignment_done(shell: State<'_, Shell>, assignment: i64, done: bool) -> Reply<Assignment> {
    lock(&shell.library)?.set_assignment_done(assignment, done).map_err(msg)
}

#[tauri::command]
pub async fn assignment_remove(shell: State<'_, Shell>, assignment: i64) -> Reply<()> {
    lock(&shell.library)?.remove_assignment(assignment).map_err(msg)
}

/// Every comment of a review, oldest first (the window groups them by question).
#[tauri::command]
pub async fn comments_of_review(shell: State<'_, Shell>, id: i64) -> Reply<Vec<Comment>> {
    lock(&shell.library)?.comments(id, None).map_err(msg)
}

/// Adds a comment to a question's thread (`index`), or to the review's (`index` null).
#[tauri::command]
pub async fn comment_add(shell: State<'_, Shell>, id: i64, index: Option<usize>, body: String) -> Reply<Comment> {
    lock(&shell.library)?.add_comment(id, index, &body).map_err(msg)
}

/// Deletes one of the person's own comments.
#[tauri::command]
pub async fn comment_delete(shell: State<'_, Shell>, comment: i64) -> Reply<()> {
    lock(&shell.library)?.delete_comment(comment).map_err(msg)
}

#[tauri::command]
pub async fn review_accept_above(shell: State<'_, Shell>, id: i64, min_confidence: f32) -> Reply<ReviewSummary> {
    let mut lib = lock(&shell.library)?;
    lib.accept_suggestions(id, min_confidence, &shell.user).map_err(msg)?;
    lib.review_summary(id).map_err(msg)
}

#[tauri::command]
pub async fn review_save_to_library(shell: State<'_, Shell>, id: i64) -> Reply<SaveReport> {
    lock(&shell.library)?.save_review_answers(id).map_err(msg)
}

#[tauri::command]
pub async fn review_export(app: AppHandle, shell: State<'_, Shell>, id: i64, folder: PathBuf, pdf: bool) -> Reply<ExportResult> {
    blocking(app, shell.library.clone(), move |lib, on| workflow::export_review(lib, id, &folder, pdf, on).map_err(msg)).await
}

#[tauri::command]
pub async fn review_delete(shell: State<'_, Shell>, id: i64) -> Reply<()> {
    lock(&shell.library)?.delete_review(id).map_err(msg)
}

// ---- Third-party risk: vendors and assessments -------------------------------------------

#[tauri::command]
pub async fn vendor_list(shell: State<'_, Shell>) -> Reply<Vec<VendorSummary>> {
    lock(&shell.library)?.vendor_summaries().map_err(msg)
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "shell/"))]
pub struct VendorDetail {
    vendor: Vendor,
    warnings: Vec<Warning>,
    assessments: Vec<AssessmentSummary>,
}

#[tauri::command]
pub async fn vendor_get(shell: State<'_, Shell>, id: i64) -> Reply<VendorDetail> {
    let lib = lock(&shell.library)?;
    let vendor = lib.vendor_by_id(id).map_err(msg)?;
    let assessments = lib.assessment_summaries(vendor.id).map_err(msg)?;
    Ok(VendorDetail { warnings: vendor.warnings(quire::dates::today()), vendor, assessments })
}

/// Adds the vendor when its id is 0, else saves the changed record.
#[tauri::command]
pub async fn vendor_save(shell: State<'_, Shell>, vendor: Vendor) -> Reply<Vendor> {
    let mut lib = lock(&shell.library)?;
    if vendor.id == 0 { lib.add_vendor(vendor) } else { lib.update_vendor(vendor) }.map_err(msg)
}

#[tauri::command]
pub async fn assess_run(app: AppHandle, shell: State<'_, Shell>, vendor_id: i64, path: PathBuf, rubric: Option<String>) -> Reply<AssessResult> {
    blocking(app, shell.library.clone(), move |lib, on| {
        let vendor = lib.vendor_by_id(vendor_id).map_err(msg)?;
        workflow::assess_file(lib, &vendor, &path, rubric.as_deref().filter(|r| !r.is_empty()), true, on).map_err(msg)
    })
    .await
}

/// The family, version and rubric Quire would use for a questionnaire, before scoring.
#[tauri::command]
pub async fn assess_preview(path: PathBuf, rubric: Option<String>) -> Reply<quire::assess::placement::RubricChoice> {
    tauri::async_runtime::spawn_blocking(move || workflow::assess_preview(&path, rubric.as_deref().filter(|r| !r.is_empty())).map_err(msg)).await.map_err(|e| interrupted(e.to_string()))?
}

#[tauri::command]
pub async fn assessment_get(shell: State<'_, Shell>, id: i64) -> Reply<SavedAssessment> {
    lock(&shell.library)?.assessment(id).map_err(msg)
}

#[tauri::command]
pub async fn finding_set_status(shell: State<'_, Shell>, assessment_id: i64, finding: usize, status: FindingStatus, note: Option<String>) -> Reply<()> {
    lock(&shell.library)?.set_finding_status(assessment_id, finding, status, note.as_deref().unwrap_or(""), &shell.user).map_err(msg)
}

#[tauri::command]
pub async fn assessment_export(app: AppHandle, shell: State<'_, Shell>, id: i64, folder: PathBuf, pdf: bool, xlsx: bool) -> Reply<AssessmentExport> {
    blocking(app, shell.library.clone(), move |lib, _| workflow::export_assessment(lib, id, &folder, pdf, xlsx).map_err(msg)).await
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "shell/"))]
pub struct RubricInfo {
    name: String,
    title: String,
    profiles: Vec<String>,
}

#[tauri::command]
pub async fn rubric_list() -> Reply<Vec<RubricInfo>> {
    let c = quire::assess::catalogue::Catalogue::load().map_err(msg)?;
    Ok(c.rubrics.values().map(|r| RubricInfo { name: r.name.clone(), title: r.title.clone(), profiles: r.profiles.clone() }).collect())
}

/// Where the library stands with its team library (read locally, no connection): linked or not,
/// last sync and its error, changes waiting, refusals, conflicts.
#[tauri::command]
pub async fn team_status(shell: State<'_, Shell>) -> Reply<quire::team::sync::SyncStatus> {
    let lib = shell.library.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let guard = lock(&lib)?;
        quire::team::sync::status(&guard).map_err(msg)
    })
    .await
    .map_err(|e| interrupted(format!("reading the team library's status stopped unexpectedly ({e})")))?
}

/// Values a sync kept aside (fields changed here and in the team library at once; the team
/// library's value was kept), newest first: the Conflicts view shows them side by side.
#[tauri::command]
pub async fn team_kept_aside(shell: State<'_, Shell>) -> Reply<Vec<quire::team::KeptAside>> {
    let lib = lock(&shell.library)?;
    quire::team::kept_aside(&lib).map_err(msg)
}

/// Settles one: `keepMine` puts this desktop's value back (synced next), else theirs stays.
#[tauri::command]
pub async fn team_resolve_kept_aside(shell: State<'_, Shell>, id: i64, keep_mine: bool) -> Reply<Vec<quire::team::KeptAside>> {
    let mut lib = lock(&shell.library)?;
    quire::team::resolve_kept_aside(&mut lib, id, keep_mine).map_err(msg)?;
    quire::team::kept_aside(&lib).map_err(msg)
}

/// Syncs with the linked team library: pull, then push. The password comes from PGPASSWORD,
/// ~/.pgpass or the service file, as for psql (the window never asks for one, and none is
/// stored); a server that cannot be reached is an error with code `team.failed`, and the
/// library is unchanged. Entries the sync brought are then embedded (progress task "embed",
/// `library_embed_cancel` stops it).
#[tauri::command]
pub async fn team_sync(app: AppHandle, shell: State<'_, Shell>) -> Reply<quire::team::sync::SyncReport> {
    let typed = shell.team_password.clone();
    blocking(app, shell.library.clone(), move |lib, on| {
        let target = quire::team::sync::linked_server(lib)
            .map_err(msg)?
            .ok_or_else(|| ErrorReply::new("team.sync.not_linked", "this library is not linked to a team library; join one first"))?;
        let mut info = quire::team::resolve(&target, &quire::team::ProcessEnvironment).map_err(msg)?;
        if info.password().is_none() {
            if let Some(p) = typed.lock().ok().and_then(|p| p.clone()) {
                info.use_password(p);
            }
        }
        let mut client = quire::team::connect(&info).map_err(msg)?;
        workflow::sync_team(lib, &mut client, None, on).map_err(msg)
    })
    .await
}

/// Links the library to a team library and syncs (the first sync pulls everything). `url` as
/// psql takes it (`postgres://login@host/db?sslmode=verify-full&sslrootcert=…`); a password
/// typed in the form is used for this session's syncs and never stored (the URL is kept
/// without it). The entries pulled are then embedded, as after `team_sync`.
#[tauri::command]
pub async fn team_join(app: AppHandle, shell: State<'_, Shell>, url: String, password: Option<String>) -> Reply<quire::team::sync::SyncReport> {
    let typed = shell.team_password.clone();
    blocking(app, shell.library.clone(), move |lib, on| {
        let password = password.filter(|p| !p.is_empty());
        let mut info = quire::team::resolve(url.trim(), &quire::team::ProcessEnvironment).map_err(msg)?;
        if let Some(p) = &password {
            info.use_password(p.clone());
        }
        let mut client = quire::team::connect(&info).map_err(msg)?;
        let report = workflow::sync_team(lib, &mut client, Some(url.trim()), on).map_err(msg)?;
        if let (Some(p), Ok(mut kept)) = (password, typed.lock()) {
            *kept = Some(p);
        }
        Ok(report)
    })
    .await
}

