// Waiting on a condition, never on a fixed sleep.

/** @param {number} ms */
export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a truthy value (returned), `abort` returns a reason
 * (thrown), or the timeout passes (thrown).
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string, abort?: () => string | null }} [options]
 * @returns {Promise<T>}
 */
export async function waitUntil(check, options = {}) {
  const { timeoutMs = 30000, intervalMs = 100, what = 'condition', abort } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort?.() ?? null;
    if (reason !== null) throw new Error(`gave up waiting for ${what}: ${reason}`);
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}
