import { describe, expect, it } from "vitest";
import { rowsPerPage, scrollToReveal, visibleRange } from "../src/lib/virtual";

describe("visibleRange", () => {
  it("renders the rows in view plus overscan at the top of the list", () => {
    expect(visibleRange(0, 300, 30, 2000, 5)).toEqual({ first: 0, last: 14, offset: 0, total: 60000 });
  });
  it("follows the scroll offset", () => {
    // 3000px → row 100 is the first visible, 10 rows fit → 100..109, overscan 5
    expect(visibleRange(3000, 300, 30, 2000, 5)).toEqual({ first: 95, last: 114, offset: 2850, total: 60000 });
  });
  it("counts a partly visible row", () => {
    const r = visibleRange(15, 300, 30, 2000, 0);
    expect(r.first).toBe(0);
    expect(r.last).toBe(10);
  });
  it("keeps the DOM small for 2,000 rows", () => {
    for (const top of [0, 12345, 59700]) {
      const r = visibleRange(top, 600, 30, 2000, 10);
      expect(r.last - r.first + 1).toBeLessThanOrEqual(20 + 2 * 10 + 1);
    }
  });
  it("clamps at the end of the list and past it", () => {
    expect(visibleRange(59700, 300, 30, 2000, 5)).toEqual({ first: 1985, last: 1999, offset: 59550, total: 60000 });
    expect(visibleRange(999999, 300, 30, 2000, 5).last).toBe(1999);
    expect(visibleRange(-50, 300, 30, 2000, 0).first).toBe(0);
  });
  it("handles short and empty lists", () => {
    expect(visibleRange(0, 600, 30, 3, 10)).toEqual({ first: 0, last: 2, offset: 0, total: 90 });
    expect(visibleRange(0, 600, 30, 0, 10)).toEqual({ first: 0, last: -1, offset: 0, total: 0 });
  });
});

describe("scrollToReveal", () => {
  it("leaves the offset when the row is visible", () => {
    expect(scrollToReveal(5, 0, 300, 30)).toBe(0);
    expect(scrollToReveal(9, 0, 300, 30)).toBe(0); // 270..300 fits exactly
  });
  it("scrolls down just enough to show a row below", () => {
    expect(scrollToReveal(10, 0, 300, 30)).toBe(30);
    expect(scrollToReveal(100, 0, 300, 30)).toBe(2730);
  });
  it("scrolls up to a row above", () => {
    expect(scrollToReveal(3, 300, 300, 30)).toBe(90);
  });
  it("ignores negative indices", () => {
    expect(scrollToReveal(-1, 120, 300, 30)).toBe(120);
  });
});

describe("rowsPerPage", () => {
  it("counts whole rows, at least one", () => {
    expect(rowsPerPage(300, 30)).toBe(10);
    expect(rowsPerPage(299, 30)).toBe(9);
    expect(rowsPerPage(10, 30)).toBe(1);
    expect(rowsPerPage(100, 0)).toBe(1);
  });
});
