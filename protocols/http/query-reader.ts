import { DbError } from '../../src/errors/index.js';
import { QueryHeadScanner } from './query-head-scanner.js';

/**
 * Splits an HTTP request into query text and INSERT data. The text is the `query` parameter (plus "\n"
 * when it is not empty) followed by the body; for an INSERT with inline data (`FORMAT X` or `VALUES`)
 * only the statement head is read and the rest stays a stream, so large inserts never sit in memory.
 */
export interface SplitQuery {
  readonly sql: string;
  /** The INSERT data (the rest of the request), or undefined when the whole request was the query. */
  readonly data?: AsyncIterable<Uint8Array>;
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

class GrowableBuffer {
  buf: Uint8Array;
  length = 0;

  constructor(initial: Uint8Array) {
    this.buf = new Uint8Array(Math.max(1024, initial.length * 2));
    this.append(initial);
  }

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + chunk.length));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(chunk, this.length);
    this.length += chunk.length;
  }
}

export async function readQuery(
  queryParam: string | undefined,
  body: AsyncIterable<Uint8Array> | undefined,
  maxQuerySize: number,
): Promise<SplitQuery> {
  const prefix = queryParam === undefined || queryParam === '' ? '' : `${queryParam}\n`;
  const iterator = body?.[Symbol.asyncIterator]();
  // Fast path: no body (GET, or a POST whose whole query is in the URL).
  if (iterator === undefined) return { sql: prefix.endsWith('\n') ? prefix.slice(0, -1) : prefix };

  const head = new GrowableBuffer(encoder.encode(prefix));
  const scanner = new QueryHeadScanner();
  let ended = false;
  let wholeQuery = false;
  while (true) {
    if (!wholeQuery) {
      const r = scanner.scan(head.buf, head.length, ended);
      if (r.kind === 'data') {
        const sql = decoder.decode(head.buf.subarray(0, r.sqlEnd));
        const rest = head.buf.subarray(r.dataStart, head.length);
        return { sql, data: ended ? single(rest) : concat(rest, iterator) };
      }
      if (r.kind === 'query') wholeQuery = true;
    }
    if (ended) break;
    if (head.length > maxQuerySize) throw tooLarge(maxQuerySize);
    const next = await iterator.next();
    if (next.done === true) ended = true;
    else head.append(next.value);
  }
  if (head.length > maxQuerySize) throw tooLarge(maxQuerySize);
  let end = head.length;
  // The "\n" joining an empty body to the query parameter is not part of the query.
  if (end === prefix.length && prefix.endsWith('\n')) end--;
  return { sql: decoder.decode(head.buf.subarray(0, end)) };
}

function tooLarge(max: number): DbError {
  return new DbError('SYNTAX_ERROR', `Syntax error: failed at position ${max + 1}: Max query size exceeded (${max} bytes)`);
}

async function* single(rest: Uint8Array): AsyncGenerator<Uint8Array> {
  if (rest.length > 0) yield rest;
}

async function* concat(rest: Uint8Array, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (rest.length > 0) yield rest;
  try {
    while (true) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
