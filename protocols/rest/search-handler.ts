import type { FastifyReply, FastifyRequest } from 'fastify';
import { DbError } from '../../src/errors/index.js';
import type { FormatOptions } from '../../src/formats/format.js';
import type { QueryResult } from '../../src/server/session-api.js';
import { resolveOutputFormat, registryFormats } from '../http/output-formats.js';
import { writeResultEnd } from '../http/result-streamer.js';
import { asDbError, restErrorBody, RestRequestError } from './rest-errors.js';
import { jsonBody, lastParam, optionalInt, optionalString, requiredString, type RestCall } from './rest-request.js';

const MODES = new Set(['standard', 'verbose', 'table']);

/** The SQL Proton's SearchHandler runs for a search body, and the settings its `mode` implies. */
export function searchQuery(payload: Record<string, unknown>): { sql: string; settings: Map<string, string> } {
  const query = requiredString(payload, 'query');
  const mode = optionalString(payload, 'mode') ?? 'verbose';
  if (!MODES.has(mode)) throw new RestRequestError('BAD_REQUEST_PARAMETER', `Invalid 'mode': ${mode}, only support 'standard', 'verbose', 'table'`);
  const offset = optionalInt(payload, 'offset');
  const pageSize = optionalInt(payload, 'page_size');
  if ((offset === undefined) !== (pageSize === undefined)) throw new RestRequestError('BAD_REQUEST_PARAMETER', "Missing 'limit' or 'page_size");
  if (offset !== undefined && pageSize !== undefined && (offset < 0 || pageSize <= 0)) {
    throw new RestRequestError('BAD_REQUEST_PARAMETER', "Invalid 'limit' or 'page_size");
  }
  const settings = new Map<string, string>();
  if (mode === 'table') settings.set('query_mode', 'table');
  // Proton wraps the query as `SELECT * FROM (query) [LIMIT offset, page_size]`; Hadron runs it as written
  // (a FORMAT or SETTINGS clause stays valid) and pages only when asked.
  const trimmed = query.trim().replace(/;\s*$/, '');
  const sql = offset !== undefined && pageSize !== undefined ? `SELECT * FROM (${trimmed}) LIMIT ${offset}, ${pageSize}` : trimmed;
  return { sql, settings };
}

/**
 * `POST /proton/v1/search {"query": …}`: the result in `default_format` (JSONCompact unless `?default_format=`),
 * written block by block as the engine produces them (chunked), so an unbounded streaming query streams. An
 * error before any data answers with Proton's JSON error and a status; one after data is appended to the body.
 */
export async function search(call: RestCall, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { sql, settings } = searchQuery(jsonBody(request));
  const formatName = lastParam(request, 'default_format') || 'JSONCompact';
  const format = resolveOutputFormat(registryFormats, formatName);
  const merged = new Map([...call.settings, ...settings]);
  const result: QueryResult = await call.run(sql, { settings: merged, defaultFormat: formatName });
  const out = result.format !== undefined ? resolveOutputFormat(registryFormats, result.format) : format;

  const raw = reply.raw;
  const pending: Uint8Array[] = [];
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    reply.hijack();
    raw.writeHead(200, {
      'Content-Type': out.contentType,
      'X-ClickHouse-Format': out.name,
      'X-ClickHouse-Query-Id': result.queryId,
      'Transfer-Encoding': 'chunked',
    });
    for (const c of pending) raw.write(c);
    if (pending.length === 0) raw.flushHeaders();
    pending.length = 0;
  };
  const sink = (chunk: Uint8Array): void => {
    if (started) raw.write(chunk);
    else pending.push(chunk);
  };
  const options: FormatOptions = { timezone: result.timezone, settings: new Map([...call.session.settings(), ...merged]) };
  try {
    const writer = out.createWriter(result.header, options, sink);
    writer.writePrefix();
    // An unbounded streaming query answers at once (headers and the format's prefix), before its first block.
    if (result.isStreaming) start();
    const it = result.blocks[Symbol.asyncIterator]();
    // A query that ignores its signal must not keep this request waiting after the client left.
    const gone = new Promise<never>((_, reject) => {
      const fail = (): void => reject(new DbError('QUERY_WAS_CANCELLED', 'The client closed the connection'));
      if (call.signal.aborted) fail();
      else call.signal.addEventListener('abort', fail, { once: true });
    });
    gone.catch(() => undefined);
    try {
      for (;;) {
        const next = await Promise.race([it.next(), gone]);
        if (next.done === true) break;
        writer.writeBlock(next.value);
        // Send each block as it comes: the headers go out with the first one.
        start();
        if (raw.writableNeedDrain) await waitDrain(raw, call.signal);
      }
    } catch (e) {
      void Promise.resolve(it.return?.()).catch(() => undefined);
      throw e;
    }
    writeResultEnd(writer, result);
  } catch (e) {
    if (!started) throw e;
    // Headers and some data are out already: append the error, as Proton does, and end the response.
    const err = asDbError(e);
    if (!raw.destroyed) raw.end(JSON.stringify(restErrorBody(err, call.requestId)) + '\n');
    return;
  }
  start();
  raw.end();
}

function waitDrain(raw: NodeJS.WritableStream & { destroyed: boolean }, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (raw.destroyed || signal.aborted) return resolve();
    const done = (): void => {
      raw.removeListener('drain', done);
      raw.removeListener('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
