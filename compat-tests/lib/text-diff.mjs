// The first difference between two outputs, for failure reports.

/** @param {string} s shows tabs, carriage returns and escapes visibly, shortened */
export function visible(s, max = 200) {
  const v = JSON.stringify(s).slice(1, -1);
  return v.length > max ? v.slice(0, max) + '…' : v;
}

/**
 * @param {string} expected
 * @param {string} actual
 * @returns {string | null} null when equal
 */
export function firstDifference(expected, actual) {
  if (expected === actual) return null;
  const e = expected.split('\n');
  const a = actual.split('\n');
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n; i++) {
    if (e[i] !== a[i]) {
      const show = (/** @type {string | undefined} */ x) => (x === undefined ? '<end of output>' : `«${visible(x)}»`);
      return `line ${i + 1}: expected ${show(e[i])}, got ${show(a[i])}`;
    }
  }
  return 'outputs differ';
}
