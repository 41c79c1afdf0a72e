// Following an unbounded streaming query from a real client process: its stdout is read as it
// comes, INSERTs go in over HTTP, and each INSERT's new count must show up before the next
// INSERT is sent. Waits poll the output with a deadline; latencies are printed, never asserted.
import { spawn } from 'node:child_process';
import { httpQuery } from '../lib/http-query.mjs';
import { waitUntil } from '../lib/wait.mjs';

/**
 * A client process whose output is read while it runs.
 * @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} [env]
 */
export function followProcess(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  /** @type {{ code: number | null, signal: string | null } | null} */
  let exit = null;
  child.stdout.on('data', (b) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b) => (stderr += b.toString('utf8')));
  const exited = new Promise((resolve) => {
    child.on('error', (e) => {
      stderr += `spawn error: ${e.message}\n`;
      exit = { code: -1, signal: null };
      resolve(exit);
    });
    child.on('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    /** @returns {{ code: number | null, signal: string | null } | null} */
    exit: () => exit,
    /** @type {Promise<{ code: number | null, signal: string | null }>} */
    exited,
    /** @param {NodeJS.Signals} [signal] */
    kill: (signal = 'SIGKILL') => {
      if (exit === null) child.kill(signal);
    },
  };
}

/**
 * Runs one statement over HTTP; throws with the server's message when it fails.
 * @param {string} url @param {string} sql
 */
export async function sql(url, sql) {
  const r = await httpQuery(url, sql, { timeoutMs: 30000 });
  if (!r.ok) throw new Error(`${sql.slice(0, 80)}: ${r.message ?? r.text}`);
  return r.text;
}

/**
 * The ids of the running queries whose text matches a LIKE pattern.
 * @param {string} url @param {string} pattern
 */
export async function runningQueries(url, pattern) {
  const text = await sql(url, `SELECT query_id FROM system.processes WHERE query LIKE '${pattern}' AND query NOT LIKE '%system.processes%'`);
  return text.split('\n').filter((l) => l !== '');
}

/**
 * Sends INSERTs into `stream` and checks that `counts()` (what the client printed so far)
 * follows them: first one row at a time until a count shows up (the client cannot see when its
 * query subscribed to the stream), then three INSERTs, each one's count awaited before the
 * next INSERT. Returns the latencies from INSERT acknowledgement to the count appearing.
 * @param {{ url: string, stream: string, counts: () => number[], emitMs: number, abort?: () => string | null }} o
 * @returns {Promise<number[]>}
 */
export async function followInserts(o) {
  const insert = async (/** @type {number} */ rows) => {
    await sql(o.url, `INSERT INTO ${o.stream} (x) SELECT number FROM numbers(${rows})`);
    return Date.now();
  };
  const last = () => o.counts().at(-1);
  const perInsertMs = o.emitMs * 3 + 5000;
  const warmDeadline = Date.now() + 4 * perInsertMs;
  while (last() === undefined) {
    if (Date.now() > warmDeadline) throw new Error(`no count was printed after INSERTs for ${Math.round(4 * perInsertMs / 1000)} s`);
    await insert(1);
    try {
      await waitUntil(() => last() !== undefined, { timeoutMs: o.emitMs + 3000, intervalMs: 10, what: 'a first count', abort: o.abort });
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('gave up')) throw err;
    }
  }
  let expected = /** @type {number} */ (last());
  /** @type {number[]} */
  const latencies = [];
  for (let i = 1; i <= 3; i++) {
    const seen = o.counts().length;
    const acked = await insert(i * 10);
    expected += i * 10;
    const want = expected;
    await waitUntil(() => last() === want, {
      timeoutMs: perInsertMs,
      intervalMs: 5,
      what: `count ${want} before the next INSERT (printed so far: ${o.counts().slice(-5).join(', ')})`,
      abort: o.abort,
    });
    latencies.push(Date.now() - acked);
    if (o.counts().slice(seen).some((c) => c > want)) throw new Error(`a count above ${want} was printed: ${o.counts().join(', ')}`);
  }
  return latencies;
}

/** @param {string} text TabSeparated lines, one number each */
export const tsvCounts = (text) => text.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
