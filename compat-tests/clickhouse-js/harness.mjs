// A tiny test runner for the clickhouse-js suite: named checks run in order, each with a
// deadline; a check may depend on earlier ones (skipped when one of them did not pass).
// Ends with the one summary line `N passed, N failed, N skipped`.
import { summaryLine } from '../lib/summary.mjs';

/**
 * @typedef {{ name: string, fn: () => Promise<void>, after: string[], timeoutMs: number }} Check
 */

export class Suite {
  /** @param {string} title */
  constructor(title) {
    this.title = title;
    /** @type {Check[]} */
    this.checks = [];
    /** @type {Map<string, 'pass' | 'fail' | 'skip'>} */
    this.outcome = new Map();
    /** @type {{ name: string, message: string }[]} */
    this.failures = [];
  }

  /**
   * @param {string} name
   * @param {() => Promise<void>} fn
   * @param {{ after?: string[], timeoutMs?: number }} [options]
   */
  check(name, fn, options = {}) {
    this.checks.push({ name, fn, after: options.after ?? [], timeoutMs: options.timeoutMs ?? 60000 });
  }

  /** Runs every check; returns the counts. */
  async run() {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const c of this.checks) {
      const blocked = c.after.find((n) => this.outcome.get(n) !== 'pass');
      if (blocked !== undefined) {
        skipped++;
        this.outcome.set(c.name, 'skip');
        console.log(`skip  ${c.name} (needs: ${blocked})`);
        continue;
      }
      const started = Date.now();
      try {
        await withTimeout(c.fn(), c.timeoutMs, c.name);
        passed++;
        this.outcome.set(c.name, 'pass');
        console.log(`ok    ${c.name} (${Date.now() - started} ms)`);
      } catch (err) {
        failed++;
        this.outcome.set(c.name, 'fail');
        const message = describe(err);
        this.failures.push({ name: c.name, message });
        console.log(`FAIL  ${c.name} (${Date.now() - started} ms)\n      ${message.split('\n').join('\n      ')}`);
      }
    }
    return { passed, failed, skipped };
  }
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** @param {unknown} err */
function describe(err) {
  if (err instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (err).code;
    const type = /** @type {{ type?: unknown }} */ (err).type;
    const tag = code !== undefined ? ` [code ${String(code)}${type ? ` ${String(type)}` : ''}]` : '';
    const msg = `${err.constructor.name}${tag}: ${err.message}`;
    return msg.length > 1500 ? msg.slice(0, 1500) + '…' : msg;
  }
  return String(err);
}

/**
 * @param {boolean} cond
 * @param {string} message
 * @returns {asserts cond}
 */
export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} what
 */
export function assertEqual(actual, expected, what) {
  const a = stable(actual);
  const e = stable(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** JSON with BigInts as strings, for comparisons and messages. @param {unknown} v */
export function stable(v) {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

export { summaryLine };
