// mock-common.ts: DEV ONLY — what the mock backend's two halves (mock.ts, mock-vendors.ts) share:
// deterministic random numbers, a delay, the hostile sample text and the spreadsheet-path check.

import { baseName } from "../lib/review";

/** Markup that must show as text wherever questionnaire text appears. */
export const EVIL = '<img src=x onerror=alert(1)> <b>bold?</b> <script>alert("x")</script>';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic pseudo-random numbers so that the dev data is the same on every reload. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rejects as the backend does when a questionnaire path is empty, missing ("missing"/"nope" in it) or not a spreadsheet. */
export function checkSpreadsheet(path: string) {
  if (!path || !String(path).trim()) throw "no file was given";
  if (/missing|nope/i.test(path)) throw `cannot read ${baseName(path)}: no such file; check the path and retry`;
  if (!/\.(xlsx|xlsm|xls|ods|csv)$/i.test(path)) throw `cannot read ${baseName(path)}: not a spreadsheet (.xlsx, .xls, .ods or .csv)`;
}
