// review-team.svelte.ts owns the shared-work state of one open review: its assignments (done
// ones too) and its comments, and who the person is (the OS user and, for a linked library, the
// team login) to offer "Delete" on their own comments. Every change goes to the backend at once
// and the list is updated from its reply. Failures reject with the backend's readable Error: the
// components show the message beside the control that failed.

import * as api from "./api";
import { commentCounts } from "./assignments";
import type { Assignment, AssignmentScope, ReviewComment } from "./types";

export class ReviewTeam {
  readonly id: number;
  assignments = $state.raw<Assignment[]>([]);
  comments = $state.raw<ReviewComment[]>([]);
  /** the OS user and the team login (null when not linked or unknown) */
  me = $state.raw<(string | null)[]>([]);
  /** the lists have been loaded once */
  loaded = $state(false);
  readonly counts = $derived(commentCounts(this.comments));

  constructor(id: number) {
    this.id = id;
  }

  /** Loads assignments, comments and the team login; `user` is the app state's. */
  async load(user: string | null): Promise<void> {
    const [assignments, comments, status] = await Promise.all([
      api.assignmentsOfReview(this.id),
      api.commentsOfReview(this.id),
      api.teamStatus().catch(() => null), // only a hint for "Delete"
    ]);
    this.assignments = assignments;
    this.comments = comments;
    this.me = [user, status?.linked ? status.login : null];
    this.loaded = true;
  }

  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Reloads the assignments a moment after answers changed (their "open" counts follow the
   * answers' statuses); several changes in a row make one call. A failure keeps the list as it was.
   */
  refreshSoon(delayMs = 400): void {
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      api.assignmentsOfReview(this.id).then(
        (list) => (this.assignments = list),
        () => {},
      );
    }, delayMs);
  }

  /** Stops a pending refresh (the review is being closed). */
  dispose(): void {
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  async assign(scope: AssignmentScope, assignee: string, due: string, note: string): Promise<Assignment> {
    const a = await api.assignmentAdd(this.id, scope, assignee, due, note);
    this.assignments = [...this.assignments, a];
    return a;
  }

  async setDone(assignment: number, done: boolean): Promise<void> {
    const a = await api.assignmentDone(assignment, done);
    this.assignments = this.assignments.map((x) => (x.id === a.id ? a : x));
  }

  async remove(assignment: number): Promise<void> {
    await api.assignmentRemove(assignment);
    this.assignments = this.assignments.filter((x) => x.id !== assignment);
  }

  async addComment(index: number | null, body: string): Promise<ReviewComment> {
    const c = await api.commentAdd(this.id, index, body);
    this.comments = [...this.comments, c];
    return c;
  }

  async deleteComment(comment: number): Promise<void> {
    await api.commentDelete(comment);
    this.comments = this.comments.filter((c) => c.id !== comment);
  }
}
