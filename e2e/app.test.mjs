// End-to-end test of the real desktop app: tauri-driver starts target/debug/quire-app on a
// temporary library (first run seeds the demo), and this script — through WebDriver, like a
// person with a keyboard and mouse — searches the library, inspects the sample questionnaire,
// starts a review, accepts suggestions (one by keyboard, the rest in bulk), approves one,
// exports the filled workbook and PDF, and checks the workbook with Quire's own reader. A
// question carrying an HTML payload must show as text. A second app session opens a library
// encrypted with the CLI: the unlock screen refuses a wrong passphrase, shows nothing of the
// library, and opens it with the right one. Screenshots of every screen go to target/screenshots/
// (untracked, so a test run leaves the tree clean); `make screenshots` copies them to docs/screenshots/.
//
//   xvfb-run -a -s '-screen 0 1280x820x24' node e2e/app.test.mjs   (scripts/dev.sh test runs it)

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { WebDriver } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const appBin = process.env.QUIRE_APP_BIN || join(root, "target/debug/quire-app");
const cliBin = process.env.QUIRE_CLI_BIN || join(root, "target/debug/quire");
const shots = join(root, "target/screenshots");
const PORT = 4444;
// The encrypted-library session gets its own tauri-driver (the app inherits the driver's
// environment, so another QUIRE_DB needs another driver), on its own ports.
const LOCKED_PORT = 4446;
// The team-library session: a real PostgreSQL served by an ignored test of tests/team_sync.rs.
const TEAM_PORT = 4448;

for (const [what, p] of [["the app", appBin], ["the CLI", cliBin]]) {
  if (!existsSync(p)) {
    console.error(`e2e: ${what} is not built (${p}); run: cargo build -p quire-app -p quire`);
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), "quire-e2e-"));
const env = { ...process.env, QUIRE_DB: join(work, "library.sqlite") };
const exportDir = join(work, "export");
mkdirSync(exportDir);
mkdirSync(shots, { recursive: true });

// A small questionnaire whose text is hostile: it must be shown, never run.
const hostile = join(work, "hostile.csv");
writeFileSync(
  hostile,
  'ID,Question,Answer\nX-1,"<img src=x onerror=""document.title=\'pwned\'""> Is MFA required for remote access?",\nX-2,"<script>document.title=\'pwned\'</script>Is data encrypted at rest?",\nX-3,"=HYPERLINK(""http://example.invalid"",""Is backup tested?"")",\n',
);

function log(step) {
  console.log(`e2e: ${step}`);
}

function startDriver(port, driverEnv) {
  return spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
    env: driverEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function waitForDriver(port = PORT) {
  const end = Date.now() + 20000;
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tauri-driver did not start on port ${port} (is WebKitWebDriver installed? apt-get install webkit2gtk-driver)`);
}

// Screenshots of the X screen as a person would see it (ImageMagick's `import`); WebDriver's
// own screenshot needs WebKit's GPU compositing, which the app turns off (see src-tauri/main.rs).
// Run under an Xvfb screen of the window's size (1280x820) so the screen is the window.
async function shot(wd, name) {
  await new Promise((r) => setTimeout(r, 400)); // let transitions settle
  execFileSync("import", ["-window", "root", join(shots, `${name}.png`)]);
  log(`screenshot target/screenshots/${name}.png`);
}

let driver = startDriver(PORT, env);
let wd = new WebDriver(`http://127.0.0.1:${PORT}`);
let failed = false;
let lockedWork = null;

// An encrypted library, made with the CLI as a person would: the demo, then `library encrypt`.
// The app is started on it: the unlock screen, a wrong passphrase refused (nothing of the library
// shown), then the right one opens Home with the demo's figures and the Encrypted badge.
async function encryptedLibrarySession() {
  const PASSPHRASE = "e2e tide pool 42";
  lockedWork = mkdtempSync(join(tmpdir(), "quire-e2e-locked-"));
  const lockedEnv = { ...process.env, QUIRE_DB: join(lockedWork, "library.sqlite") };
  delete lockedEnv.QUIRE_PASSPHRASE;
  delete lockedEnv.QUIRE_NEW_PASSPHRASE;
  const cli = (args, extra = {}) =>
    execFileSync(cliBin, args, { env: { ...lockedEnv, ...extra }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  cli(["demo"]);
  cli(["library", "encrypt"], { QUIRE_NEW_PASSPHRASE: PASSPHRASE });
  const header = readFileSync(lockedEnv.QUIRE_DB).subarray(0, 16).toString("latin1");
  assert.notEqual(header, "SQLite format 3\0", "the library file is encrypted (no plain SQLite header)");
  log("library seeded with the demo and encrypted with the CLI");

  driver = startDriver(LOCKED_PORT, lockedEnv);
  wd = new WebDriver(`http://127.0.0.1:${LOCKED_PORT}`);
  await waitForDriver(LOCKED_PORT);
  await wd.start(appBin, lockedEnv);

  // The unlock screen instead of the app: no navigation, no figures.
  await wd.waitFor('[data-testid="unlock-screen"]');
  const field = await wd.waitFor('[data-testid="unlock-passphrase"]');
  assert.equal(await wd.attr(field, "type"), "password");
  assert.equal((await wd.text(await wd.find('[data-testid="unlock-path"]'))).trim(), lockedEnv.QUIRE_DB, "the library's path is shown");
  assert.equal(await wd.exec("return document.activeElement && document.activeElement.dataset.testid"), "unlock-passphrase", "the field has the focus");

  // A wrong passphrase (Enter submits): the backend's message under the field, the typed text
  // selected for retyping, and still nothing of the library.
  await wd.type(field, "not the passphrase");
  await wd.keys("\uE007");
  const error = await wd.waitFor('[data-testid="unlock-error"]', { timeout: 30000 });
  const errorText = await wd.text(error);
  assert.match(errorText, /passphrase is wrong/, `error shown: ${errorText}`);
  assert.ok(errorText.includes(lockedEnv.QUIRE_DB), "the message names the library");
  const focus = await wd.exec(
    "const a = document.activeElement; return [a && a.dataset.testid, a && a.selectionStart, a && a.selectionEnd, a && a.value.length]",
  );
  assert.deepEqual(focus, ["unlock-passphrase", 0, "not the passphrase".length, "not the passphrase".length], "the field keeps the focus, its text selected");
  const shown = await wd.exec(
    "return [document.querySelectorAll('[data-testid=home-stats], [data-testid=nav-library], [data-testid=demo-panel]').length, document.body.textContent]",
  );
  assert.equal(shown[0], 0, "no navigation or library figures while locked");
  assert.doesNotMatch(shown[1], /answers in the library|demo answer/i, "no library content while locked");
  await shot(wd, "unlock");

  // The right passphrase opens the library: Home with the demo's entries and the badge.
  await wd.type(field, PASSPHRASE);
  const t0 = Date.now();
  await wd.click(await wd.find('[data-testid="unlock-submit"]'));
  const stats = await wd.waitFor('[data-testid="home-stats"]', { timeout: 30000 });
  log(`unlocked in ${Date.now() - t0} ms`);
  const entries = parseInt((await wd.text(stats)).trim().replace(/[^\d].*$/s, ""), 10);
  assert.ok(entries > 0, `entries shown after unlocking: ${entries}`);
  const demo = await wd.text(await wd.waitFor('[data-testid="demo-panel"]'));
  const demoCount = parseInt(/contains ([\d,]+) demo answer/.exec(demo)?.[1].replace(/,/g, "") ?? "0", 10);
  assert.ok(demoCount > 0, `demo entries shown: ${demoCount}`);
  const badge = await wd.find('[data-testid="encrypted-badge"]');
  assert.equal((await wd.text(badge)).trim(), "Encrypted");
  assert.equal(await wd.attr(badge, "title"), "This library is encrypted at rest (AES-256)");
  assert.equal(await wd.exec("return document.querySelectorAll('[data-testid=unlock-screen]').length"), 0, "the unlock screen is gone");
  const leaked = await wd.exec("return document.documentElement.outerHTML.includes(arguments[0])", [PASSPHRASE]);
  assert.equal(leaked, false, "the passphrase is nowhere in the page");
  // The library is really open: a search answers.
  await wd.click(await wd.find('[data-testid="nav-library"]'));
  await wd.type(await wd.waitFor('[data-testid="library-search"]'), "encryption");
  await wd.waitFor('[data-testid="library-result"]');
  log(`encrypted library: wrong passphrase refused, unlocked with the right one (${entries} answers, ${demoCount} demo)`);
}

// A library linked to a team library on a real PostgreSQL (served by the ignored test
// `e2e_team_server` of tests/team_sync.rs, which Ben's desktop also synced with). "Sync now" meets
// Ben's changes: his answer to a question Ana also answered (both kept: a library conflict) and
// his notes on the vendor Ana also edited (theirs kept, hers set aside). In Library → Conflicts
// Ana keeps her notes; the next sync sends them, and the server has them.
let teamWork = null;
async function teamLibrarySession() {
  teamWork = mkdtempSync(join(tmpdir(), "quire-e2e-team-"));
  // The same packages and features as `make test`'s cargo test, so that its build is reused
  // (another feature set would compile the crate and its dependencies again).
  const features = ["--workspace", "--features", "quire/ts,quire-app/ts"];
  const server = spawn("cargo", ["test", "--locked", ...features, "--test", "team_sync", "--", "--ignored", "--exact", "e2e_team_server", "--nocapture"], {
    env: { ...process.env, E2E_TEAM_DIR: teamWork },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const done = new Promise((res) => server.on("exit", (code) => res(code)));
  const ready = join(teamWork, "ready");
  for (let t = 0; !existsSync(ready); t += 250) {
    if (t > 300000) throw new Error("the team library's server did not get ready in 5 minutes");
    if (server.exitCode !== null) throw new Error(`the team library's server stopped (exit ${server.exitCode})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`team library ready: ${readFileSync(ready, "utf8")}`);
  const teamEnv = { ...process.env, QUIRE_DB: join(teamWork, "ana.sqlite"), PGPASSWORD: "ana" };
  driver = startDriver(TEAM_PORT, teamEnv);
  wd = new WebDriver(`http://127.0.0.1:${TEAM_PORT}`);
  await waitForDriver(TEAM_PORT);
  await wd.start(appBin, teamEnv);
  await wd.click(await wd.waitFor('[data-testid="nav-library"]'));
  const line = await wd.waitFor('[data-testid="team-status"]');
  assert.match(await wd.text(line), /ana/, "the team line names the login");
  await wd.click(await wd.find('[data-testid="team-sync"]'));
  await wd.waitFor('[data-testid="team-result"]', { timeout: 60000 });
  await shot(wd, "team-sync");
  await wd.click(await wd.find('[data-testid="library-tab-conflicts"]'));
  await wd.waitFor('[data-testid="conflict-group"]', { pred: async (id) => /Partial/.test(await wd.text(id)) && /No/.test(await wd.text(id)) });
  const item = await wd.waitFor('[data-testid="kept-aside-item"]');
  assert.match(await wd.text(await wd.find('[data-testid="kept-aside-yours"]')), /Ana: BAA renewal moved to April/);
  assert.match(await wd.text(await wd.find('[data-testid="kept-aside-theirs"]')), /Ben: BAA renewal in March/);
  assert.ok(item, "the vendor's notes were kept aside");
  await shot(wd, "conflicts");
  await wd.click(await wd.find('[data-testid="kept-aside-mine"]'));
  await wd.waitFor('[data-testid="kept-aside-empty"]');
  await wd.click(await wd.find('[data-testid="team-sync"]'));
  // The server side says when the team library has Ana's notes.
  const result = join(teamWork, "result");
  const wanted = "Ana: BAA renewal moved to April";
  for (let t = 0; !(existsSync(result) && readFileSync(result, "utf8").trim() === wanted); t += 250) {
    if (t > 60000) throw new Error(`the team library did not get Ana's notes: ${existsSync(result) ? readFileSync(result, "utf8") : "(nothing)"}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await wd.waitFor('[data-testid="team-waiting"]', { pred: async (id) => /^0 changes/.test((await wd.text(id)).trim()) });
  await shot(wd, "team-synced");
  writeFileSync(join(teamWork, "stop"), "");
  const code = await done;
  assert.equal(code, 0, "the team library's server ended cleanly");
  log("team library: synced, a conflict and a value kept aside shown side by side, hers kept and sent");
}

try {
  await waitForDriver();
  const t0 = Date.now();
  await wd.start(appBin, env);
  // Home: the demo library is seeded and labelled.
  await wd.waitFor('[data-testid="home-stats"]');
  const home = await wd.text(await wd.find("main, body"));
  log(`first screen after ${Date.now() - t0} ms (WebDriver session included)`);
  assert.match(home, /demo/i, "the home screen says the library is a demo");
  const samplePath = (await wd.text(await wd.waitFor('[data-testid="sample-path"]'))).trim();
  assert.ok(samplePath.endsWith("customer-questionnaire-2026.xlsx"), `sample path shown: ${samplePath}`);
  await shot(wd, "home");

  // Library: as-you-type search.
  await wd.click(await wd.find('[data-testid="nav-library"]'));
  await wd.type(await wd.waitFor('[data-testid="library-search"]'), "encryption at rest");
  await wd.waitFor('[data-testid="library-result"]', {
    pred: async (id) => /encrypt/i.test(await wd.text(id)),
  });
  await wd.click(await wd.find('[data-testid="library-result"]'));
  await shot(wd, "library");

  // Import: inspect the sample, see what was detected, start the review.
  await wd.click(await wd.find('[data-testid="nav-import"]'));
  await wd.type(await wd.waitFor('[data-testid="import-path"]'), samplePath);
  await wd.click(await wd.find('[data-testid="import-inspect"]'));
  const questions = await wd.waitFor('[data-testid="inspect-questions"]');
  const nQuestions = parseInt((await wd.text(questions)).replace(/\D+/g, ""), 10);
  assert.ok(nQuestions > 20, `questions detected: ${nQuestions}`);
  await wd.waitFor('[data-testid="sheet-card"]');
  await shot(wd, "import");
  await wd.click(await wd.find('[data-testid="import-start"]'));

  // Review: the table, keyboard acceptance of the first suggestion, bulk accept, approve one.
  const table = await wd.waitFor('[data-testid="review-table"]', { timeout: 30000 });
  assert.equal(parseInt(await wd.attr(table, "data-rows"), 10), nQuestions, "every question is in the review");
  await wd.waitFor('[data-testid="review-row"]');
  const firstSuggested = await wd.waitFor('[data-testid="review-row"][data-status="suggested"]');
  await wd.click(firstSuggested);
  const index = await wd.attr(firstSuggested, "data-index");
  await wd.keys("\uE007"); // Enter accepts
  await wd.waitFor(`[data-testid="review-row"][data-index="${index}"][data-status="reviewed"]`);
  await wd.keys("a"); // approve
  await wd.waitFor(`[data-testid="review-row"][data-index="${index}"][data-status="approved"]`);
  log(`question ${index}: accepted with Enter, approved with a`);
  await wd.click(await wd.find('[data-testid="accept-above"]'));
  await wd.waitFor('[data-testid="review-counts"]', { pred: async (id) => /reviewed/i.test(await wd.text(id)) });
  await wd.waitFor('[data-testid="review-row"][data-status="reviewed"]');
  await shot(wd, "review");

  // Sharing the work out: the approved question goes to Legal with a note, gets a comment in its
  // thread, and shows in My assignments for someone who answers for Legal, where it is done.
  await wd.click(await wd.find(`[data-testid="review-row"][data-index="${index}"]`));
  // The corner's notices ("Accepted 7 suggestions…") would cover the side panel's lower controls.
  for (const close of await wd.findAll('[data-testid="notice"] button.close')) await wd.click(close);
  const inView = async (css) => {
    const el = await wd.waitFor(css);
    await wd.exec("arguments[0].scrollIntoView({ block: 'nearest' })", [wd.ref(el)]);
    return el;
  };
  await wd.click(await inView(`[data-testid="question-team"][data-index="${index}"] [data-testid="question-assign"]`));
  await wd.type(await inView('[data-testid="assign-assignee"]'), "Legal");
  await wd.type(await inView('[data-testid="assign-note"]'), "needs Legal's wording");
  await wd.click(await inView('[data-testid="assign-submit"]'));
  await wd.waitFor(`[data-testid="question-team"][data-index="${index}"]`, { pred: async (id) => (await wd.text(id)).includes("Legal") });
  await wd.type(await inView(`[data-testid="thread"][data-index="${index}"] [data-testid="thread-input"]`), "Is this still our wording?");
  await wd.click(await inView(`[data-testid="thread"][data-index="${index}"] [data-testid="thread-add"]`));
  await wd.waitFor('[data-testid="thread-comment"]', { pred: async (id) => (await wd.text(id)).includes("still our wording") });
  await shot(wd, "review-assigned");
  await wd.click(await wd.find('[data-testid="nav-assignments"]'));
  // (The teams typed here are remembered by the window: set them, whatever a last run left.)
  await wd.type(await wd.waitFor('[data-testid="assignments-teams"]'), "Facilities");
  await wd.keys("\uE007");
  await wd.waitFor('[data-testid="assignments-none"]');
  await wd.type(await wd.find('[data-testid="assignments-teams"]'), "Legal");
  await wd.keys("\uE007"); // Enter applies the teams
  const assignment = await wd.waitFor('[data-testid="assignment"]', { pred: async (id) => (await wd.text(id)).includes("needs Legal's wording") });
  await shot(wd, "assignments");
  await wd.click(await wd.find('[data-testid="assignment-done"]'));
  await wd.waitFor('[data-testid="assignment-done"]', { pred: async (id) => /Reopen/.test(await wd.text(id)) });
  assert.ok(await wd.attr(assignment, "data-id"), "the assignment row has its id");
  await wd.click(await wd.find('[data-testid="assignment-open"]'));
  await wd.waitFor('[data-testid="review-table"]');
  log(`question ${index}: assigned to Legal, discussed, done from My assignments`);

  // Export: folder typed in, PDF too, the warning about unapproved answers, the saved paths.
  await wd.click(await wd.find('[data-testid="review-to-export"]'));
  await wd.waitFor('[data-testid="export-warning"]');
  await wd.type(await wd.waitFor('[data-testid="export-folder"]'), exportDir);
  const pdfBox = await wd.find('[data-testid="export-pdf"]');
  if ((await wd.exec("return arguments[0].checked", [wd.ref(pdfBox)])) !== true) await wd.click(pdfBox);
  await wd.click(await wd.find('[data-testid="export-button"]'));
  const workbookEl = await wd.waitFor('[data-testid="export-result-workbook"]', { timeout: 30000 });
  const workbook = (await wd.text(workbookEl)).trim();
  const pdf = (await wd.text(await wd.find('[data-testid="export-result-pdf"]'))).trim();
  await shot(wd, "export");
  assert.ok(existsSync(workbook), `exported workbook exists: ${workbook}`);
  assert.ok(existsSync(pdf), `PDF summary exists: ${pdf}`);
  assert.ok(workbook.startsWith(exportDir), "written into the chosen folder");

  // The exported workbook, read by Quire's own reader, carries the accepted answers.
  const read = JSON.parse(execFileSync(cliBin, ["inspect", workbook, "--json", "--questions"], { encoding: "utf8" }));
  assert.equal(read.questions, nQuestions, "the same questions");
  assert.ok(read.answered > nQuestions / 3, `answers written: ${read.answered} of ${nQuestions}`);
  const original = JSON.parse(execFileSync(cliBin, ["inspect", samplePath, "--json"], { encoding: "utf8" }));
  assert.equal(original.answered, 0, "the sample itself is untouched");
  log(`exported workbook: ${read.answered} of ${read.questions} questions answered`);

  // Third-party risk: add a vendor, assess the demo vendor's answered questionnaire, follow up
  // a finding, export the risk report and the findings workbook.
  await wd.click(await wd.find('[data-testid="nav-vendors"]'));
  await wd.click(await wd.waitFor('[data-testid="vendor-add"]'));
  await wd.type(await wd.waitFor('[data-testid="vendor-name"]'), "Northwind Health Cloud");
  await wd.click(await wd.find('[data-testid="vendor-phi-receives"]'));
  await wd.click(await wd.find('[data-testid="vendor-save"]'));
  await wd.waitFor('[data-testid="vendor-saved"]');
  const answered = join(dirname(samplePath), "northwind-answered-2025.xlsx");
  await wd.type(await wd.waitFor('[data-testid="assess-path"]'), answered);
  await wd.click(await wd.find('[data-testid="assess-run"]'));
  // The assessment view opens with "Loading the assessment…"; its header and chart come together
  // with the loaded data, so the header is what to wait for.
  await wd.waitFor('[data-testid="assessment-header"]', { timeout: 30000 });
  const bars = await wd.findAll('[data-testid="domain-bar"]');
  assert.ok(bars.length >= 5, `domain bars: ${bars.length}`);
  const findings = await wd.findAll('[data-testid="finding-row"]');
  assert.ok(findings.length > 0, "the sample vendor has findings (it answered No to ISO 27001 and DLP)");
  await shot(wd, "assessment");
  const status = await wd.find('[data-testid="finding-status"]');
  await wd.exec("arguments[0].value = 'accepted'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }))", [wd.ref(status)]);
  await wd.waitFor('[data-testid="finding-row"][data-status="accepted"]');
  await wd.type(await wd.find('[data-testid="assessment-export-folder"]'), exportDir);
  for (const box of ["assessment-export-pdf", "assessment-export-xlsx"]) {
    const el = await wd.find(`[data-testid="${box}"]`);
    if ((await wd.exec("return arguments[0].checked", [wd.ref(el)])) !== true) await wd.click(el);
  }
  await wd.click(await wd.find('[data-testid="assessment-export"]'));
  const riskPdf = (await wd.text(await wd.waitFor('[data-testid="assessment-export-result-pdf"]', { timeout: 30000 }))).trim();
  const riskXlsx = (await wd.text(await wd.find('[data-testid="assessment-export-result-xlsx"]'))).trim();
  assert.ok(existsSync(riskPdf) && existsSync(riskXlsx), `risk outputs: ${riskPdf}, ${riskXlsx}`);
  await wd.click(await wd.find('[data-testid="nav-vendors"]'));
  await wd.waitFor('[data-testid="vendor-row"]');
  await shot(wd, "vendors");
  log("vendor added, questionnaire assessed, finding accepted, risk report and findings exported");

  // Hostile text: imported, reviewed, shown as text; nothing ran.
  await wd.click(await wd.find('[data-testid="nav-import"]'));
  await wd.type(await wd.waitFor('[data-testid="import-path"]'), hostile);
  await wd.click(await wd.find('[data-testid="import-inspect"]'));
  await wd.waitFor('[data-testid="inspect-questions"]', { pred: async (id) => (await wd.text(id)).includes("3") });
  await wd.click(await wd.find('[data-testid="import-start"]'));
  await wd.waitFor('[data-testid="review-table"][data-rows="3"]', { timeout: 30000 });
  const row = await wd.waitFor('[data-testid="review-row"]', { pred: async (id) => (await wd.text(id)).includes("<img src=x") });
  assert.match(await wd.text(row), /<img src=x onerror=/, "the payload shows as literal text");
  const injected = await wd.exec(
    "return [document.title, document.querySelectorAll('[data-testid=review-table] img, [data-testid=review-table] script').length]",
  );
  assert.deepEqual(injected, ["Quire", 0], "no element was injected and no script ran");
  // Exported, the payloads are plain text cells: read back, the formula is its text, not a value.
  await wd.click(await wd.find('[data-testid="nav-export"]'));
  await wd.type(await wd.waitFor('[data-testid="export-folder"]'), exportDir);
  await wd.click(await wd.find('[data-testid="export-button"]'));
  const hostileOut = (await wd.text(await wd.waitFor('[data-testid="export-result-workbook"]', {
    timeout: 30000,
    pred: async (id) => (await wd.text(id)).includes("hostile"),
  }))).trim();
  const back = JSON.parse(execFileSync(cliBin, ["inspect", hostileOut, "--json", "--questions"], { encoding: "utf8" }));
  const texts = back.items.map((q) => q.text);
  assert.ok(texts.some((t) => t.includes("<img src=x onerror=")), `HTML payload kept as text: ${texts}`);
  assert.ok(texts.some((t) => t.startsWith('=HYPERLINK("http://example.invalid"')), `formula payload kept as text: ${texts}`);
  log("HTML and formula payloads shown as text, nothing executed, exported as plain text");

  /** Import → inspect (n questions) → start → accept above the threshold → export into
   *  exportDir; the written file's path (its result line must include `named`). */
  async function reviewAllAndExport(path, n, named) {
    await wd.click(await wd.find('[data-testid="nav-import"]'));
    await wd.type(await wd.waitFor('[data-testid="import-path"]'), path);
    await wd.click(await wd.find('[data-testid="import-inspect"]'));
    await wd.waitFor('[data-testid="inspect-questions"]', { pred: async (id) => (await wd.text(id)).includes(String(n)) });
    await wd.click(await wd.find('[data-testid="import-start"]'));
    await wd.waitFor(`[data-testid="review-table"][data-rows="${n}"]`, { timeout: 30000 });
    await wd.click(await wd.find('[data-testid="accept-above"]'));
    await wd.waitFor('[data-testid="review-row"][data-status="reviewed"]');
    await wd.click(await wd.find('[data-testid="nav-export"]'));
    await wd.type(await wd.waitFor('[data-testid="export-folder"]'), exportDir);
    await wd.click(await wd.find('[data-testid="export-button"]'));
    const result = await wd.waitFor('[data-testid="export-result-workbook"]', {
      timeout: 30000,
      pred: async (id) => (await wd.text(id)).includes(named),
    });
    return (await wd.text(result)).trim();
  }

  // A Word questionnaire: a customer's table of questions (written here by LibreOffice Writer
  // from HTML), reviewed like a workbook and exported as the same .docx with the answers in its
  // answer cells; Quire's own reader finds them there.
  const wordHtml = join(work, "acme-questionnaire.html");
  const wordQuestions = [
    "Is customer data encrypted at rest?",
    "Is multi-factor authentication required for all remote access to your environment?",
    "Do you hold a current SOC 2 Type II report?",
    "Do you have a documented disaster recovery plan?",
  ];
  writeFileSync(
    wordHtml,
    `<html><body><h1>Acme Health vendor questionnaire</h1><table border="1"><tr><th>Ref</th><th>Question</th><th>Answer</th><th>Comments</th></tr>${wordQuestions
      .map((q, i) => `<tr><td>A.${i + 1}</td><td>${q}</td><td></td><td></td></tr>`)
      .join("")}</table></body></html>`,
  );
  execFileSync("soffice", ["--headless", "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", wordHtml, "--outdir", work], { stdio: "ignore", timeout: 180000 });
  const wordPath = join(work, "acme-questionnaire.docx");
  assert.ok(existsSync(wordPath), "LibreOffice wrote the Word questionnaire");
  const wordOut = await reviewAllAndExport(wordPath, wordQuestions.length, "acme-questionnaire");
  assert.ok(wordOut.endsWith(".docx") && existsSync(wordOut), `the filled Word document: ${wordOut}`);
  const wordBack = JSON.parse(execFileSync(cliBin, ["inspect", wordOut, "--json"], { encoding: "utf8" }));
  assert.equal(wordBack.questions, wordQuestions.length, "the same questions");
  assert.ok(wordBack.answered >= wordQuestions.length - 1, `answers written into the Word document: ${wordBack.answered}`);
  log(`Word questionnaire reviewed and exported in place: ${wordBack.answered} of ${wordBack.questions} answered`);

  // The same questionnaire as a flat PDF (printed by LibreOffice): its questions are read from
  // the text, and since a flat PDF has no answer places, Export writes a response document
  // (.docx and .xlsx, in the customer's numbering) beside it.
  execFileSync("soffice", ["--headless", "--convert-to", "pdf", wordPath, "--outdir", work], { stdio: "ignore", timeout: 180000 });
  const pdfPath = join(work, "acme-questionnaire.pdf");
  assert.ok(existsSync(pdfPath), "LibreOffice printed the questionnaire to PDF");
  const responseOut = await reviewAllAndExport(pdfPath, wordQuestions.length, "response");
  assert.ok(responseOut.endsWith(".response.docx") && existsSync(responseOut), `the response document: ${responseOut}`);
  assert.ok(existsSync(responseOut.replace(/\.docx$/, ".xlsx")), "and its workbook twin");
  const responseBack = JSON.parse(execFileSync(cliBin, ["inspect", responseOut, "--json"], { encoding: "utf8" }));
  assert.equal(responseBack.questions, wordQuestions.length, "every question of the PDF in the response");
  assert.ok(responseBack.answered >= wordQuestions.length - 1, `answers in the response document: ${responseBack.answered}`);
  log(`flat PDF questionnaire reviewed; response document written: ${responseBack.answered} of ${responseBack.questions} answered`);

  // The first app session ends here; the encrypted library gets its own.
  await wd.stop();
  driver.kill();
  await encryptedLibrarySession();
  await wd.stop();
  driver.kill();
  await teamLibrarySession();

  console.log("e2e: PASSED");
} catch (e) {
  failed = true;
  console.error(`e2e: FAILED: ${e.stack || e}`);
  try {
    await shot(wd, "failure");
  } catch {}
} finally {
  await wd.stop();
  driver.kill();
  rmSync(work, { recursive: true, force: true });
  if (lockedWork) rmSync(lockedWork, { recursive: true, force: true });
  if (teamWork) {
    writeFileSync(join(teamWork, "stop"), "");
    rmSync(teamWork, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
