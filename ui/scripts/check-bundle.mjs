// Fails the build when the dev-only mock backend (src/dev/) reached the production bundle: api.ts
// loads it by dynamic import under `import.meta.env.DEV` only, which `vite build` sets to false.
// The markers are string literals of src/dev/ (they survive minification); keep them in step.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MARKERS = ["correct horse battery staple", "initech-security-2025", "Hostile text test", "Zenith Telehealth"];
const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "assets");
const found = [];
for (const f of readdirSync(dir)) {
  const text = readFileSync(join(dir, f), "utf8");
  for (const m of MARKERS) if (text.includes(m)) found.push(`${f}: "${m}"`);
}
if (found.length > 0) {
  console.error(`check-bundle: the dev-only mock (src/dev/) is in the production bundle:\n  ${found.join("\n  ")}`);
  process.exit(1);
}
console.log("check-bundle: no dev-only mock code in dist/");
