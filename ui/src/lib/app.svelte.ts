// app.svelte.ts owns the state shared between screens: which screen is shown, the review that is
// open (and the question or section to start at), the vendor and assessment open on the Vendors
// screen, the app state from the backend, the count of team syncs (lists fed by the team library
// reload on it), and the messages (errors, notices) shown in the banner. While the library is encrypted and locked
// (`info.locked`), the shell shows only the Unlock screen.

import * as api from "./api";
import type { AppState } from "./types";

export type Screen = "home" | "library" | "import" | "review" | "export" | "vendors" | "assignments";

/** Where to look in a review that is being opened: a question (its index) or a section (sheet). */
export interface ReviewFocus {
  index?: number;
  section?: string;
}

/** A button on a notice ("Show in folder"); a failure of `run` is shown as an error. */
export interface NoticeAction {
  label: string;
  run: () => unknown;
  /** data-testid of the button (default "notice-action") */
  testid?: string;
}

export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
  action?: NoticeAction;
}

/** How long a notice stays before it expires by itself. */
export function expiryMs(kind: Notice["kind"], hasAction: boolean): number {
  if (kind === "error") return 20000;
  return hasAction ? 12000 : 6000;
}

class AppStore {
  screen = $state<Screen>("home");
  /** the review session open in Review / chosen for Export */
  reviewId = $state<number | null>(null);
  /** where the review being opened should start (taken, and cleared, by the review screen) */
  reviewFocus = $state<ReviewFocus | null>(null);
  /** counts the team syncs that succeeded, so that lists fed by the team library can reload */
  teamSyncs = $state(0);
  /** a questionnaire path handed from one screen to another (Home → Import) */
  importPath = $state("");
  /** Vendors: the vendor open (0 = adding a new one), null = the list */
  vendorId = $state<number | null>(null);
  /** Vendors: the assessment open (shown over the vendor), null = none */
  assessmentId = $state<number | null>(null);
  info = $state<AppState | null>(null);
  /** the first app_state has answered (or failed): until then no screen is shown */
  loaded = $state(false);
  notices = $state<Notice[]>([]);
  private nextId = 1;

  go(screen: Screen) {
    // Choosing Vendors again while on it goes back to the list.
    if (screen === "vendors" && this.screen === "vendors") {
      this.vendorId = null;
      this.assessmentId = null;
    }
    this.screen = screen;
    // Errors belong to the screen they happened on.
    this.notices = this.notices.filter((n) => n.kind !== "error");
  }

  /** Opens review `id` on the Review screen, at a question or a section when `focus` says so. */
  openReview(id: number, focus: ReviewFocus | null = null) {
    this.reviewFocus = focus;
    this.reviewId = id;
    this.screen = "review";
  }

  /** Opens a vendor (0 = the form for a new one) on the Vendors screen. */
  openVendor(id: number) {
    this.vendorId = id;
    this.assessmentId = null;
    this.screen = "vendors";
  }

  /** Opens a saved assessment on the Vendors screen (back goes to its vendor). */
  openAssessment(id: number, vendorId: number | null = this.vendorId) {
    this.vendorId = vendorId;
    this.assessmentId = id;
    this.screen = "vendors";
  }

  /** Shows an error's message (never an object dump). */
  error(e: unknown) {
    this.push("error", api.toError(e).message);
  }

  /** Shows a short notice (a toast that fades by itself), optionally with one action button. */
  notify(text: string, action?: NoticeAction) {
    this.push("info", text, action);
  }

  dismiss(id: number) {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  private push(kind: Notice["kind"], text: string, action?: NoticeAction) {
    const id = this.nextId++;
    // One of each kind at a time (the newest): notices must not pile up over the content.
    const others = this.notices.filter((n) => n.kind !== kind);
    this.notices = [...others, action ? { id, kind, text, action } : { id, kind, text }];
    // Every notice expires: a toast after 6 s (12 s with a button, so there is time to use
    // it), an error after 20 s (long enough to read; it can be dismissed sooner).
    setTimeout(() => this.dismiss(id), expiryMs(kind, action !== undefined));
  }

  /** True while the library is encrypted and waits for its passphrase. */
  get locked(): boolean {
    return this.info?.locked === true;
  }

  async refresh() {
    try {
      this.info = await api.appState();
    } catch (e) {
      this.error(e);
    } finally {
      this.loaded = true;
    }
  }

  /**
   * Opens the encrypted library; on success the app goes on to Home with the fresh state. A wrong
   * passphrase rejects (readable Error) and leaves everything as it was: the Unlock screen shows
   * the message itself, so it is not put in the banner.
   */
  async unlock(passphrase: string): Promise<void> {
    const state = await api.libraryUnlock(passphrase);
    this.info = state;
    this.screen = "home";
    this.notices = this.notices.filter((n) => n.kind !== "error");
  }
}

export const app = new AppStore();
