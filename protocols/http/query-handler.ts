import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { CompressionMethod } from '../../src/compression/index.js';
import { initZstd } from '../../src/compression/index.js';
import { DbError, toDbError } from '../../src/errors/index.js';
import type { ClientInfo, QueryResult, Session, SessionFactory } from '../../src/server/session-api.js';
import { extractCredentials } from './http-credentials.js';
import { parseBoolParam, parseHttpQueryParams, type HttpQueryParams, type RawQueryString } from './http-query-params.js';
import type { HttpSessionRegistry, SessionLease } from './http-session-registry.js';
import { httpStatusOfErrorCode } from './http-status.js';
import type { OutputFormatLookup } from './output-formats.js';
import { progressJson } from './progress-json.js';
import { readQuery } from './query-reader.js';
import { decodeRequestBody } from './request-body.js';
import { RequestBodyReader } from './request-body-reader.js';
import { chooseResponseEncoding } from './response-encoding.js';
import { ClientGoneError, ResponseOutput } from './response-output.js';
import { streamResult } from './result-streamer.js';

/** What every query request needs from the server. */
export interface QueryHandlerContext {
  readonly engine: SessionFactory;
  readonly sessions: HttpSessionRegistry;
  readonly formats: OutputFormatLookup;
  /** Default limit on the query text (the `max_query_size` setting overrides it). */
  readonly maxQuerySize: number;
  /** Limit on a request body that must be decoded whole (zstd Content-Encoding). */
  readonly maxBufferedBody: number;
}

const DEFAULT_BUFFER_SIZE = 1 << 20;
const DEFAULT_COMPRESSION_LEVEL = 3;
const DEFAULT_PROGRESS_INTERVAL_MS = 100;
/**
 * ClickHouse's exception tag: 16 random lowercase letters and digits, sent on every query response. Taken
 * from a random UUID's hex digits (node keeps a pool of UUID entropy: no system call per request).
 */
function exceptionTag(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13) + u.slice(15, 18) + u.slice(20, 21);
}

function parseSize(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) {
    throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `Cannot parse input: expected an unsigned integer for ${name}, got '${text}'`);
  }
  return n;
}

/** One query over HTTP: authenticate, pick the session, split query and data, execute, stream the answer. */
export async function handleQuery(ctx: QueryHandlerContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.hijack();
  const req = request.raw;
  const res = reply.raw;
  const startNs = process.hrtime.bigint();
  const readonlyRequest = req.method === 'GET' || req.method === 'HEAD';
  const tag = exceptionTag();
  const abort = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) abort.abort(new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled: the client closed the connection'));
  };
  res.once('close', onClose);

  let params: HttpQueryParams | undefined;
  let lease: SessionLease | undefined;
  let ownSession: Session | undefined;
  let output: ResponseOutput | undefined;
  let result: QueryResult | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  let bodyReader: RequestBodyReader | undefined;
  let queryId = '';
  // A child logger per request costs more than a SELECT 1: made only when something is logged.
  const log = (): FastifyBaseLogger => request.log.child({ queryId });
  try {
    params = parseHttpQueryParams(request.query as RawQueryString, req.headers);
    queryId = params.queryId !== undefined && params.queryId !== '' ? params.queryId : randomUUID();
    const credentials = extractCredentials(req.headers, params);
    const client: ClientInfo = {
      interface: 'http',
      address: req.socket.remoteAddress,
      httpUserAgent: req.headers['user-agent'],
    };
    let session: Session;
    if (params.sessionId !== undefined && params.sessionId !== '') {
      lease = ctx.sessions.acquire({
        credentials, client, sessionId: params.sessionId, timeout: params.sessionTimeout, check: params.sessionCheck,
        database: params.database,
      });
      session = lease.session;
    } else {
      ownSession = ctx.engine.openSession(credentials, client, { database: params.database });
      session = ownSession;
    }
    const querySettings = params.settings;
    const sessionSettings = session.settings();
    const setting = (name: string): string | undefined => querySettings.get(name) ?? sessionSettings.get(name);

    let frames: CompressionMethod | undefined;
    if (params.compress) {
      frames = (setting('network_compression_method') ?? 'lz4').toLowerCase() === 'zstd' ? 'zstd' : 'lz4';
      if (frames === 'zstd') await initZstd();
    }
    const encoding = parseBoolParam(setting('enable_http_compression'))
      ? chooseResponseEncoding(headerValue(req.headers['accept-encoding']))
      : undefined;
    if (encoding === 'zstd') await initZstd();
    output = new ResponseOutput({
      res,
      bufferSize: parseSize(params.bufferSize, 'buffer_size', DEFAULT_BUFFER_SIZE),
      waitEndOfQuery: params.waitEndOfQuery,
      frames,
      encoding,
      level: parseSize(setting('http_zlib_compression_level'), 'http_zlib_compression_level', DEFAULT_COMPRESSION_LEVEL),
      exceptionTag: tag,
      summary: () => progressJson(result?.progress, startNs),
    });
    setCommonHeaders(output, ctx, queryId, tag);
    if (parseBoolParam(setting('add_http_cors_header'))) output.setHeader('Access-Control-Allow-Origin', '*');
    if (parseBoolParam(setting('send_progress_in_http_headers'))) {
      const interval = parseSize(setting('http_headers_progress_interval_ms'), 'http_headers_progress_interval_ms', DEFAULT_PROGRESS_INTERVAL_MS);
      const out = output;
      progressTimer = setInterval(() => out.writeProgressHeader(progressJson(result?.progress, startNs)), Math.max(1, interval));
    }

    if (!readonlyRequest) bodyReader = new RequestBodyReader(req);
    const body = bodyReader === undefined
      ? undefined
      : decodeRequestBody(bodyReader, {
        contentEncoding: headerValue(req.headers['content-encoding']),
        decompress: params.decompress,
        maxBufferedBody: ctx.maxBufferedBody,
      });
    const split = await readQuery(params.query, body, parseSize(setting('max_query_size'), 'max_query_size', ctx.maxQuerySize));
    if (split.sql.trim() === '') throw new DbError('SYNTAX_ERROR', 'Empty query');
    if (request.log.level === 'debug' || request.log.level === 'trace') {
      log().debug({ query: split.sql.length > 2000 ? `${split.sql.slice(0, 2000)}…` : split.sql }, 'http query');
    }

    const data = split.data;
    result = await session.execute({
      sql: split.sql,
      queryId,
      params: params.params,
      settings: querySettings,
      signal: abort.signal,
      input: data === undefined ? undefined : () => ({ kind: 'bytes', chunks: data }),
      defaultFormat: params.defaultFormat ?? 'TabSeparated',
      readonlyRequest,
    });
    output.setHeader('X-ClickHouse-Query-Id', result.queryId);
    output.setHeader('X-ClickHouse-Timezone', result.timezone);
    if (result.hasResultSet) {
      await streamResult({
        result,
        output,
        formats: ctx.formats,
        formatName: result.format ?? params.defaultFormat ?? 'TabSeparated',
        settings: mergeSettings(sessionSettings, querySettings),
        signal: abort.signal,
      });
    } else {
      output.setHeader('Content-Type', 'text/plain; charset=UTF-8');
      const it = result.blocks[Symbol.asyncIterator]();
      while (!(await it.next()).done) {
        // Statements without a result set still run as their blocks are consumed.
      }
    }
    if (progressTimer !== undefined) clearInterval(progressTimer);
    await output.finish();
  } catch (e) {
    if (e instanceof ClientGoneError || output?.clientGone === true || (res.destroyed && !res.writableFinished)) {
      log().debug({ err: e }, 'http client went away');
    } else {
      const err = toDbError(e);
      if (err.code === 49) log().warn({ err: e }, 'http query failed');
      else log().info({ code: err.code, error: err.message }, 'http query failed');
      if (progressTimer !== undefined) clearInterval(progressTimer);
      try {
        if (output !== undefined) await output.fail(err);
        else sendEarlyError(res, err, ctx, queryId, tag);
      } catch (sendError) {
        log().debug({ err: sendError }, 'cannot send the error to the client');
        res.destroy();
      }
    }
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
    // Whatever of the body nobody read (an INSERT that failed early) drains, keeping the connection usable.
    bodyReader?.close();
    res.off('close', onClose);
    lease?.release(params?.closeSession === true);
    if (ownSession !== undefined) {
      try {
        ownSession.close();
      } catch (e) {
        log().debug({ err: e }, 'session close failed');
      }
    }
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function mergeSettings(session: ReadonlyMap<string, string>, query: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  if (query.size === 0) return session;
  if (session.size === 0) return query;
  const all = new Map(session);
  for (const [k, v] of query) all.set(k, v);
  return all;
}

function setCommonHeaders(output: ResponseOutput, ctx: QueryHandlerContext, queryId: string, tag: string): void {
  output.setHeader('X-ClickHouse-Query-Id', queryId);
  output.setHeader('X-ClickHouse-Server-Display-Name', ctx.engine.serverInfo.displayName);
  output.setHeader('X-ClickHouse-Exception-Tag', tag);
}

/** Errors before a session and output exist (bad credentials, bad parameters): plain text, no compression. */
function sendEarlyError(res: ServerResponse, err: DbError, ctx: QueryHandlerContext, queryId: string, tag: string): void {
  if (res.headersSent || res.destroyed) return;
  const text = err.displayText();
  const body = Buffer.from(text.endsWith('\n') ? text : `${text}\n`);
  const headers: Record<string, string | number> = {
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Length': body.length,
    'X-ClickHouse-Server-Display-Name': ctx.engine.serverInfo.displayName,
    'X-ClickHouse-Exception-Code': String(err.code),
    'X-ClickHouse-Exception-Tag': tag,
  };
  if (queryId !== '') headers['X-ClickHouse-Query-Id'] = queryId;
  if (err.code === 194) headers['WWW-Authenticate'] = 'Basic realm="ClickHouse server HTTP API"';
  res.writeHead(httpStatusOfErrorCode(err.code), headers);
  res.end(body);
}
