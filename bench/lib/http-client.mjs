// A minimal HTTP client for the ClickHouse HTTP interface, tuned for timing: node:http with
// a keep-alive agent, the response body discarded as it arrives (only its size and its last
// bytes are kept), errors taken from the status, X-ClickHouse-Exception-Code, or an
// exception appended to a 200 body.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const KEEP_TEXT = 1 << 20; // bodies up to 1 MiB are kept as text (small results, errors)

/**
 * @typedef {{
 *   ok: boolean,
 *   status: number,
 *   ms: number,
 *   bytes: number,
 *   text: string,
 *   error: string | null,
 * }} HttpResult
 */

/**
 * Sends one request and waits for the whole response. `ms` is wall time from sending to
 * the last byte received.
 * @param {string} baseUrl
 * @param {{ query?: string, body: string | Buffer, timeoutMs?: number, params?: Record<string, string> }} req
 *   `query` goes in the URL (INSERT … FORMAT X with data in the body), otherwise the body is the SQL.
 * @returns {Promise<HttpResult>}
 */
export function httpRequest(baseUrl, req) {
  const url = new URL(baseUrl);
  if (req.query !== undefined) url.searchParams.set('query', req.query);
  for (const [k, v] of Object.entries(req.params ?? {})) url.searchParams.set(k, v);
  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    /** @param {HttpResult} r */
    const finish = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-length': String(body.length), 'content-type': 'application/octet-stream' } },
      (res) => {
        let bytes = 0;
        /** @type {Buffer[]} */
        let kept = [];
        let keptBytes = 0;
        let tail = /** @type {Buffer} */ (Buffer.alloc(0));
        res.on('data', (/** @type {Buffer} */ chunk) => {
          bytes += chunk.length;
          if (keptBytes < KEEP_TEXT) {
            kept.push(chunk);
            keptBytes += chunk.length;
          } else {
            kept = [];
            tail = chunk.length >= 4096 ? chunk.subarray(chunk.length - 4096) : Buffer.concat([tail, chunk]).subarray(-4096);
          }
        });
        res.on('error', (err) => finish(failure(started, 0, `response error: ${err.message}`)));
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = kept.length > 0 ? Buffer.concat(kept).toString('utf8') : '';
          const status = res.statusCode ?? 0;
          const code = res.headers['x-clickhouse-exception-code'];
          const last = kept.length > 0 ? text.slice(-4096) : tail.toString('latin1');
          const appended = /Code: (\d+)[.,] (?:e\.displayText\(\) = )?DB::Exception[^]*$/.exec(last);
          if (status !== 200 || code !== undefined) {
            finish({ ok: false, status, ms, bytes, text, error: oneLine(text || `HTTP ${status}`) });
          } else if (appended) {
            finish({ ok: false, status, ms, bytes, text, error: oneLine(appended[0]) });
          } else {
            finish({ ok: true, status, ms, bytes, text, error: null });
          }
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error('timeout'));
      finish(failure(started, 0, `timed out after ${Math.round((req.timeoutMs ?? 0) / 1000)} s`, true));
    }, req.timeoutMs ?? 600000);
    request.on('error', (err) => finish(failure(started, 0, `request failed: ${err.message}`)));
    request.end(body);
  });
}

/**
 * @param {number} started @param {number} status @param {string} error @param {boolean} [timedOut]
 * @returns {HttpResult & { timedOut?: boolean }}
 */
function failure(started, status, error, timedOut = false) {
  return { ok: false, status, ms: performance.now() - started, bytes: 0, text: '', error, timedOut };
}

/** @param {string} s */
function oneLine(s) {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 240 ? line.slice(0, 240) + '…' : line;
}

/**
 * Runs SQL and returns the trimmed text, throwing on error (setup statements).
 * @param {string} baseUrl @param {string} sql @param {number} [timeoutMs]
 */
export async function exec(baseUrl, sql, timeoutMs = 600000) {
  const r = await httpRequest(baseUrl, { body: sql, timeoutMs });
  if (!r.ok) throw new Error(`${sql}: ${r.error}`);
  return r.text.trim();
}

/** Closes idle keep-alive sockets so the process can exit. */
export function closeClient() {
  agent.destroy();
}
