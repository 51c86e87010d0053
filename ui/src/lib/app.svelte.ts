// app.svelte.ts owns the state shared between screens: which screen is shown, the review that is
// open, the app state from the backend, and the messages (errors, notices) shown in the banner.

import * as api from "./api";
import type { AppState } from "./types";

export type Screen = "home" | "library" | "import" | "review" | "export";

export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
}

class AppStore {
  screen = $state<Screen>("home");
  /** the review session open in Review / chosen for Export */
  reviewId = $state<number | null>(null);
  /** a questionnaire path handed from one screen to another (Home → Import) */
  importPath = $state("");
  info = $state<AppState | null>(null);
  notices = $state<Notice[]>([]);
  private nextId = 1;

  go(screen: Screen) {
    this.screen = screen;
    // Errors belong to the screen they happened on.
    this.notices = this.notices.filter((n) => n.kind !== "error");
  }

  openReview(id: number) {
    this.reviewId = id;
    this.screen = "review";
  }

  /** Shows an error's message (never an object dump). */
  error(e: unknown) {
    this.push("error", api.toError(e).message);
  }

  notify(text: string) {
    this.push("info", text);
  }

  dismiss(id: number) {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  private push(kind: Notice["kind"], text: string) {
    const id = this.nextId++;
    // Keep the last few of each kind; an identical message replaces its older copy.
    const others = this.notices.filter((n) => n.kind !== kind);
    const same = this.notices.filter((n) => n.kind === kind && n.text !== text).slice(-2);
    this.notices = [...others, ...same, { id, kind, text }];
    if (kind === "info") setTimeout(() => this.dismiss(id), 6000);
  }

  async refresh() {
    try {
      this.info = await api.appState();
    } catch (e) {
      this.error(e);
    }
  }
}

export const app = new AppStore();
