// virtual.ts owns the windowing maths of the virtualised review table: rows have one fixed
// height, so which rows to render follows from the scroll offset alone. Pure, unit-tested.

export interface WindowRange {
  /** first row to render (inclusive) */
  first: number;
  /** last row to render (inclusive); first > last when there is nothing to render */
  last: number;
  /** pixels above the first rendered row (translate the rendered block by this) */
  offset: number;
  /** height of the whole list in pixels */
  total: number;
}

/**
 * The rows to render for a viewport of `viewport` pixels scrolled to `scrollTop`, with `overscan`
 * extra rows above and below so that fast scrolling does not show gaps.
 */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): WindowRange {
  const total = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { first: 0, last: -1, offset: 0, total };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, total - viewport)));
  const firstVisible = Math.min(count - 1, Math.floor(top / rowHeight));
  const lastVisible = Math.min(count - 1, Math.max(firstVisible, Math.ceil((top + Math.max(0, viewport)) / rowHeight) - 1));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(count - 1, lastVisible + overscan);
  return { first, last, offset: first * rowHeight, total };
}

/**
 * The scroll offset that brings row `index` fully into view, moving as little as possible;
 * returns `scrollTop` unchanged when the row is already fully visible.
 */
export function scrollToReveal(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  if (index < 0) return scrollTop;
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}

/** How many whole rows fit in the viewport (at least 1): the step of PageUp / PageDown. */
export function rowsPerPage(viewport: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor(viewport / rowHeight));
}
