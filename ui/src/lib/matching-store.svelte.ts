// matching-store.svelte.ts owns the state of "matching by meaning" shared by the shell and the
// Library import: the backend's matching_status (asked once per session, after the library shows:
// it loads the model, up to ~1 s), whether its banners were dismissed, and a running library_embed
// (progress, cancelling). Notices.svelte shows it; the words are in matching.ts.

import * as api from "./api";
import { app } from "./app.svelte";
import { embedOutcomeText } from "./matching";
import type { MatchingStatus, Progress } from "./types";

class MatchingStore {
  /** the last matching_status answer; null until it has answered (or when it failed) */
  status = $state<MatchingStatus | null>(null);
  /** the "no model" banner was dismissed: it is not shown again this session */
  bannerDismissed = $state(false);
  /** the "Embed N entries" notice was dismissed while N entries lacked an embedding */
  dismissedAt = $state<number | null>(null);
  /** library_embed is running (from the notice) */
  embedding = $state(false);
  /** Cancel was pressed and the backend has not stopped yet */
  cancelling = $state(false);
  progress = $state<Progress | null>(null);
  /** a library import runs (it embeds its new entries itself at the end) */
  importing = $state(false);
  private asked = false;

  /** Asks matching_status once per session (later calls do nothing). */
  check(): Promise<void> {
    if (this.asked) return Promise.resolve();
    this.asked = true;
    return this.refresh();
  }

  /** Asks matching_status again (after an import or an embedding), once it has been asked at all. */
  async refresh(): Promise<void> {
    this.asked = true;
    try {
      this.status = await api.matchingStatus();
    } catch {
      // A nicety: without an answer no banner shows, and suggestions work as they do.
    }
  }

  /** Refreshes the status only when it was asked already (a screen changed the library). */
  async changed(): Promise<void> {
    if (this.asked) await this.refresh();
  }

  /** Show the banner saying suggestions match by shared words only (and why). */
  get showBanner(): boolean {
    return this.status !== null && !this.status.by_meaning && !this.bannerDismissed;
  }

  /** Entries without an embedding (only meaningful when matching by meaning). */
  get missing(): number {
    return this.status?.by_meaning ? Math.max(0, this.status.entries_without_embedding) : 0;
  }

  /** Show the "Embed N entries" notice (also while its embedding runs). */
  get showEmbed(): boolean {
    if (this.embedding) return true;
    return !this.importing && this.missing > 0 && this.dismissedAt !== this.missing;
  }

  dismissBanner() {
    this.bannerDismissed = true;
  }

  dismissEmbed() {
    this.dismissedAt = this.missing;
  }

  /** Runs library_embed with its progress; tells what it did, then asks the status again. */
  async embed(): Promise<void> {
    if (this.embedding) return;
    this.embedding = true;
    this.cancelling = false;
    this.progress = null;
    try {
      const outcome = await api.withProgress((p) => (this.progress = p), () => api.libraryEmbed());
      app.notify(embedOutcomeText(outcome));
    } catch (e) {
      app.error(e);
    } finally {
      this.embedding = false;
      this.cancelling = false;
      this.progress = null;
    }
    await this.refresh();
  }

  /** Asks the running embedding to stop (what it finished is kept). */
  async cancel(): Promise<void> {
    if (!this.embedding || this.cancelling) return;
    this.cancelling = true;
    try {
      await api.libraryEmbedCancel();
    } catch (e) {
      this.cancelling = false;
      app.error(e);
    }
  }

  /** Back to a fresh session (tests). */
  reset() {
    this.status = null;
    this.bannerDismissed = false;
    this.dismissedAt = null;
    this.embedding = false;
    this.cancelling = false;
    this.progress = null;
    this.importing = false;
    this.asked = false;
  }
}

export const matching = new MatchingStore();
