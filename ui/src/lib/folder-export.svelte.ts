// folder-export.svelte.ts owns what the two export screens (a review's filled questionnaire,
// an assessment's risk report) share: the folder typed or chosen with Browse…, the busy flag and
// progress while writing, the result, and errors to the banner. Each screen gives the write itself.

import * as api from "./api";
import { app } from "./app.svelte";
import { parsePaths } from "./library";
import type { Progress } from "./types";

export class FolderExport<R> {
  folder = $state("");
  busy = $state(false);
  progress = $state<Progress | null>(null);
  result = $state<R | null>(null);

  /**
   * `browseTitle`: the folder dialog's title. `write(dir, onProgress)` writes into `dir` and
   * returns the result shown.
   */
  constructor(
    private readonly browseTitle: string,
    private readonly write: (dir: string, onProgress: (p: Progress) => void) => Promise<R>,
  ) {}

  /** Opens the native folder dialog (a typed prompt on the dev server). */
  browse = async (): Promise<void> => {
    try {
      const picked = await api.pickFolder(this.browseTitle);
      if (picked) this.folder = picked;
    } catch (e) {
      app.error(e);
    }
  };

  /** Writes into the folder typed (the first path of the text). */
  run = async (typed: string): Promise<void> => {
    const dir = parsePaths(typed)[0] ?? "";
    if (dir === "") return;
    this.busy = true;
    this.progress = null;
    this.result = null;
    try {
      this.result = await this.write(dir, (p) => (this.progress = p));
    } catch (e) {
      app.error(e);
    } finally {
      this.busy = false;
    }
  };
}
