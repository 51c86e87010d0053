// Figures of the desktop app (issue 5), printed for docs/benchmarks.md: release binary size,
// cold start to the first interactive screen (first run, which seeds the demo, and later
// runs), memory at idle, and memory and scrolling with 2,000 questions in review. Needs a
// display (run under xvfb-run) and the release build.
//
//   cargo build --release -p quire-app -p quire && xvfb-run -a node e2e/figures.mjs

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, statSync, readFileSync, readdirSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WebDriver } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const appBin = process.env.QUIRE_APP_BIN || join(root, "target/release/quire-app");
if (!existsSync(appBin)) {
  console.error(`figures: ${appBin} is not built; run: cargo build --release -p quire-app -p quire`);
  process.exit(1);
}
const RUNS = 5;
const work = mkdtempSync(join(tmpdir(), "quire-figures-"));
const env = { ...process.env, QUIRE_DB: join(work, "library.sqlite") };

const mb = (bytes) => (bytes / 1048576).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function coldStart() {
  const r = spawnSync(appBin, [], { env: { ...env, QUIRE_EXIT_WHEN_READY: "1" }, encoding: "utf8", timeout: 60000 });
  const m = /interactive (\d+) ms/.exec(r.stdout || "");
  if (!m) throw new Error(`the app did not report ready: ${r.stdout} ${r.stderr}`);
  return Number(m[1]);
}

/** kB of a /proc status or smaps_rollup field. */
function procField(file, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(file, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The app's process and every descendant (WebKit's web and network processes). */
function processTree(pid) {
  const parents = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(d), ppid);
    } catch {}
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, pp] of parents) if (pp === tree[i]) tree.push(p);
  return tree;
}

function memory(pid) {
  const tree = processTree(pid);
  const rss = procField(`/proc/${pid}/status`, "VmRSS");
  const pss = tree.reduce((s, p) => s + procField(`/proc/${p}/smaps_rollup`, "Pss"), 0);
  return { rss, pss, processes: tree.length };
}

function appPid() {
  const r = spawnSync("pgrep", ["-f", "-n", appBin], { encoding: "utf8" });
  const pid = Number((r.stdout || "").trim().split("\n").pop());
  if (!pid) throw new Error("cannot find the app's process");
  return pid;
}

console.log(`release binary: ${mb(statSync(appBin).size)} MB (${appBin})`);

const first = coldStart();
const later = Array.from({ length: RUNS }, coldStart);
console.log(`cold start to first interactive screen: first run (creates and seeds the library) ${first} ms; later runs median ${median(later)} ms (${later.join(", ")} ms)`);

// A 2,000-question questionnaire in the generic layout (CSV), from the sample questions reworded.
const base = JSON.parse(spawnSync(join(root, "target/release/quire"), ["--db", join(work, "library.sqlite"), "library", "list", "--json"], { encoding: "utf8" }).stdout).map((e) => e.question);
const rows = ["ID,Section,Question,Answer,Comment"];
for (let i = 0; i < 2000; i++) {
  const q = base[i % base.length].replace(/\?$/, "");
  rows.push(`Q-${i + 1},Section ${1 + Math.floor(i / 100)},"${q} (item ${i + 1})?",,`);
}
const big = join(work, "big-2000.csv");
writeFileSync(big, rows.join("\n") + "\n");

const PORT = 4444;
const driver = spawn("tauri-driver", ["--port", String(PORT)], { env, stdio: ["ignore", "ignore", "inherit"] });
const wd = new WebDriver(`http://127.0.0.1:${PORT}`);
try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/status`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  await wd.start(appBin, env);
  await wd.waitFor('[data-testid="home-stats"]');
  await new Promise((r) => setTimeout(r, 3000));
  const pid = appPid();
  const idle = memory(pid);
  console.log(`memory at idle (home screen): app process RSS ${mb(idle.rss)} MB; app + WebKit processes (${idle.processes}) PSS ${mb(idle.pss)} MB`);

  await wd.click(await wd.find('[data-testid="nav-import"]'));
  await wd.type(await wd.waitFor('[data-testid="import-path"]'), big);
  await wd.click(await wd.find('[data-testid="import-inspect"]'));
  await wd.waitFor('[data-testid="inspect-questions"]', { pred: async (id) => (await wd.text(id)).includes("2000") || (await wd.text(id)).includes("2,000"), timeout: 30000 });
  const t = Date.now();
  await wd.click(await wd.find('[data-testid="import-start"]'));
  await wd.waitFor('[data-testid="review-table"][data-rows="2000"]', { timeout: 60000 });
  console.log(`start review of 2,000 questions (read, suggest, save, show): ${Date.now() - t} ms`);
  await new Promise((r) => setTimeout(r, 2000));
  const busy = memory(pid);
  console.log(`memory with 2,000 questions in review: app process RSS ${mb(busy.rss)} MB; app + WebKit processes PSS ${mb(busy.pss)} MB`);

  // Scroll the table, one step per frame, and time the frames: like a mouse wheel (3 rows a
  // step) and like dragging the scroll bar (jumps of 33 rows, every row replaced each frame).
  for (const [label, rowsPerStep, steps] of [["wheel, 3 rows a frame", 3, 120], ["scroll-bar drag, 33 rows a frame", 33, 60]]) {
    const scroll = await wd.call("POST", wd.s("/execute/async"), {
      script: `const [rowsPerStep, steps, done] = arguments;
        const table = document.querySelector('[data-testid="review-table"]');
        const el = [table, ...table.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 10);
        if (!el) { done({ error: 'no scrolling element' }); return; }
        el.scrollTop = 0;
        const times = []; let i = 0, last = performance.now();
        function step(now) {
          if (i > 1) times.push(now - last);
          last = now;
          if (i++ >= steps) {
            done({ rows: document.querySelectorAll('[data-testid="review-row"]').length, times });
            return;
          }
          el.scrollTop += rowsPerStep * 30;
          requestAnimationFrame(step);
        }
        requestAnimationFrame(step);`,
      args: [rowsPerStep, steps],
    });
    if (scroll.error) throw new Error(scroll.error);
    const sorted = [...scroll.times].sort((a, b) => a - b);
    console.log(
      `scrolling the 2,000-row review (${label}): ${scroll.rows} rows in the DOM; frame time median ${median(sorted).toFixed(1)} ms, 95th percentile ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms`,
    );
  }
} finally {
  await wd.stop();
  driver.kill();
  rmSync(work, { recursive: true, force: true });
}
