// Small builders of contract objects for the unit tests.
import type { Alternative, ReviewItem, Status } from "../src/lib/types";

export function alt(answer: string, confidence: number, extra: Partial<Alternative> = {}): Alternative {
  return { entry_id: 1, question: "Q", answer, comment: `${answer} comment`, confidence, source: `lib.xlsx!${answer}`, evidence: [], why: "", ...extra };
}

let n = 0;
export function item(over: Partial<ReviewItem> & { status?: Status } = {}, q: Partial<ReviewItem["question"]> = {}): ReviewItem {
  const index = over.index ?? n++;
  return {
    index,
    question: { sheet: "General", row: index + 2, ref: `R-${index}`, text: `Question ${index}`, domain: "Access", answer: "", answer_kind: null, comment: "",
      answer_cell: `C${index + 2}`, choice_cells: [], comment_cell: null, ...q },
    answer: "Yes",
    comment: null,
    status: "suggested",
    confidence: 0.9,
    source: "past.xlsx",
    evidence: [],
    alternatives: [alt("Yes", 0.9), alt("No", 0.6)],
    changed_by: null,
    changed_at: null,
    ...over,
  };
}
