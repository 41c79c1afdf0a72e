// Small statistics and answer comparison for the benchmark runner.

/** @param {number[]} xs a non-empty list */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Compares one-row answers from several systems token by token, numbers with a relative
 * tolerance (sums of doubles differ in the last bits with the summation order).
 * @param {Record<string, string>} bySystem
 * @returns {string | null} a description of the first difference, or null when they agree
 */
export function compareAnswers(bySystem) {
  const entries = Object.entries(bySystem);
  if (entries.length < 2) return null;
  const [firstName, first] = entries[0];
  const a = first.split(/\s+/);
  for (const [name, text] of entries.slice(1)) {
    const b = text.split(/\s+/);
    const same = a.length === b.length && a.every((x, i) => tokensMatch(x, b[i]));
    if (!same) return `${firstName} ${JSON.stringify(first)} vs ${name} ${JSON.stringify(text)}`;
  }
  return null;
}

/** @param {string} x @param {string} y */
function tokensMatch(x, y) {
  if (x === y) return true;
  const p = Number(x);
  const q = Number(y);
  if (Number.isNaN(p) || Number.isNaN(q)) return false;
  return Math.abs(p - q) <= 1e-9 * Math.max(1, Math.abs(p), Math.abs(q));
}
