// The one summary line every compatibility runner ends with.

/** @param {{ passed: number, failed: number, skipped: number }} c */
export function summaryLine(c) {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}
