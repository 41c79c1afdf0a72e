// A small client for the ClickHouse HTTP interface (and Hadron's), enough for the
// compatibility runners: one statement per request, optional session, settings as URL
// parameters, errors decoded from X-ClickHouse-Exception-Code or the body text.
import { describeErrorCode, errorNameByCode } from './error-codes.mjs';

/**
 * @typedef {{
 *   sessionId?: string,
 *   database?: string,
 *   format?: string,
 *   settings?: Record<string, string | number>,
 *   params?: Record<string, string>,
 *   queryId?: string,
 *   timeoutMs?: number,
 *   killOnTimeout?: boolean,
 *   signal?: AbortSignal,
 *   body?: string | Buffer,
 * }} QueryOptions
 * @typedef {{
 *   ok: boolean,
 *   status: number,
 *   text: string,
 *   code: number | null,
 *   errorName: string | null,
 *   message: string | null,
 *   headers: Headers | null,
 *   timedOut: boolean,
 * }} QueryResult
 */

// `Code: 60. DB::Exception: ...` (modern) and `Code: 60, e.displayText() = DB::Exception: ...` (18.16)
const EXCEPTION_RE = /(?:^|\n)Code: (\d+)[.,] (?:e\.displayText\(\) = )?DB::Exception: ?([^]*)$/;

/**
 * Sends one statement. The statement goes in the POST body (so INSERT data may follow it);
 * settings and options go in the URL.
 * @param {string} baseUrl e.g. http://127.0.0.1:8123
 * @param {string} sql
 * @param {QueryOptions} [options]
 * @returns {Promise<QueryResult>}
 */
export async function httpQuery(baseUrl, sql, options = {}) {
  const url = new URL(baseUrl);
  if (url.pathname === '') url.pathname = '/';
  const q = url.searchParams;
  if (options.sessionId) q.set('session_id', options.sessionId);
  if (options.database) q.set('database', options.database);
  if (options.format) q.set('default_format', options.format);
  if (options.queryId) q.set('query_id', options.queryId);
  for (const [k, v] of Object.entries(options.settings ?? {})) q.set(k, String(v));
  for (const [k, v] of Object.entries(options.params ?? {})) q.set(`param_${k}`, v);

  const signals = [];
  if (options.signal) signals.push(options.signal);
  if (options.timeoutMs) signals.push(AbortSignal.timeout(options.timeoutMs));
  const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);

  let res;
  let text;
  try {
    res = await fetch(url, { method: 'POST', body: options.body ?? sql, signal });
    text = await res.text();
  } catch (err) {
    const timedOut = signal?.aborted === true;
    if (timedOut && options.queryId && options.killOnTimeout !== false) {
      // The server may still be running it (and holding the session): cancel it.
      void killQuery(baseUrl, options.queryId);
    }
    return {
      ok: false,
      status: 0,
      text: '',
      code: null,
      errorName: null,
      message: timedOut ? 'timed out' : `request failed: ${errorText(err)}`,
      headers: null,
      timedOut,
    };
  }
  const headerCode = res.headers.get('x-clickhouse-exception-code');
  if (res.status !== 200 || headerCode !== null) {
    const parsed = parseException(text);
    const code = headerCode !== null ? Number(headerCode) : parsed.code;
    return {
      ok: false,
      status: res.status,
      text,
      code,
      errorName: parsed.name ?? (code === null ? null : errorNameByCode(code) ?? null),
      message: parsed.message ?? text.trim(),
      headers: res.headers,
      timedOut: false,
    };
  }
  // An exception after the first bytes were sent is appended to a 200 response.
  const tail = text.length > 65536 ? text.slice(-65536) : text;
  const m = EXCEPTION_RE.exec(tail);
  if (m && m[2].trim().split('\n').length <= 3) {
    const parsed = parseException(m[0].replace(/^\n/, ''));
    return {
      ok: false,
      status: res.status,
      text,
      code: parsed.code,
      errorName: parsed.name,
      message: parsed.message,
      headers: res.headers,
      timedOut: false,
    };
  }
  return { ok: true, status: res.status, text, code: null, errorName: null, message: null, headers: res.headers, timedOut: false };
}

/**
 * Asks the server to cancel a query by id; errors are ignored.
 * @param {string} baseUrl
 * @param {string} queryId
 */
export async function killQuery(baseUrl, queryId) {
  try {
    const url = new URL(baseUrl);
    url.searchParams.set('query', `KILL QUERY WHERE query_id = '${queryId.replace(/'/g, "\\'")}'`);
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5000) });
    await res.text();
  } catch {
    // best effort
  }
}

/** A fresh query id. */
export function newQueryId(prefix = 'compat') {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * @param {string} text an exception body
 * @returns {{ code: number | null, name: string | null, message: string | null }}
 */
export function parseException(text) {
  const m = /Code: (\d+)[.,] (?:e\.displayText\(\) = )?(?:DB::Exception: ?)?([^]*)$/.exec(text);
  if (!m) return { code: null, name: null, message: null };
  const code = Number(m[1]);
  let message = m[2].replace(/, e\.what\(\) = DB::Exception\s*$/, '').trim();
  const named = /\(([A-Z][A-Z0-9_]+)\)(?: \(version [^)]*\))?\s*$/.exec(message);
  const name = named ? named[1] : errorNameByCode(code) ?? null;
  message = message.replace(/ \(version [^)]*\)\s*$/, '');
  return { code, name, message };
}

/**
 * GET /ping; true when the server answers `Ok.`.
 * @param {string} baseUrl
 * @param {number} [timeoutMs]
 */
export async function ping(baseUrl, timeoutMs = 2000) {
  try {
    const res = await fetch(new URL('/ping', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return res.status === 200 && body.trim() === 'Ok.';
  } catch {
    return false;
  }
}

/** @param {QueryResult} r */
export function describeError(r) {
  if (r.ok) return 'success';
  if (r.timedOut) return 'timed out';
  if (r.code === null) return `HTTP ${r.status}: ${oneLine(r.message ?? r.text)}`;
  return `error ${describeErrorCode(r.code)}: ${oneLine(r.message ?? '')}`;
}

/** @param {string} s */
function oneLine(s) {
  const first = s.split('\n')[0] ?? '';
  return first.length > 300 ? first.slice(0, 300) + '…' : first;
}

/** @param {unknown} err */
function errorText(err) {
  if (err instanceof Error) {
    const cause = /** @type {{ cause?: unknown }} */ (err).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
