import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Value } from '../../src/columns/index.js';
import type { QueryRequest, QueryResult, Session, SessionFactory } from '../../src/server/session-api.js';
import { extractCredentials } from '../http/http-credentials.js';
import { parseHttpQueryParams, type RawQueryString } from '../http/http-query-params.js';
import { RestRequestError } from './rest-errors.js';

/** URL parameters the REST handlers consume themselves (Proton's SearchHandler::setQuerySettings). */
const RESERVED = new Set([
  'compress', 'decompress', 'user', 'password', 'quota_key', 'query_id', 'stacktrace', 'buffer_size', 'wait_end_of_query',
  'session_id', 'session_timeout', 'session_check', 'default_format', 'mode', 'x-timeplus-request-id', 'x-proton-request-id',
  'database', 'include_internal_streams', 'synchronous_ddl', 'host_shards', 'uuid', 'distributed', '_suspend',
]);

/** One REST request's view of the engine: its session, request id and the settings every query runs with. */
export interface RestCall {
  readonly requestId: string;
  readonly session: Session;
  readonly signal: AbortSignal;
  /** URL parameters that are not reserved: settings for the queries (`param_x` fill `{x:Type}`). */
  readonly settings: ReadonlyMap<string, string>;
  readonly params: ReadonlyMap<string, string>;
  run(sql: string, extra?: Partial<QueryRequest>): Promise<QueryResult>;
  /** Runs a query and collects its rows (for small catalog answers). */
  rows(sql: string, params?: ReadonlyMap<string, string>): Promise<Value[][]>;
}

export function queryString(request: FastifyRequest): RawQueryString {
  return (request.query ?? {}) as RawQueryString;
}

export function lastParam(request: FastifyRequest, name: string): string | undefined {
  const v = queryString(request)[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/**
 * The request id Proton reports (and uses as the query id): `x-timeplus-request-id`, `x-timeplus-query-id`,
 * `x-proton-request-id`, `x-proton-query-id` (URL or header, in Proton's order), `query_id`, or a new UUID.
 */
export function requestIdOf(request: FastifyRequest): string {
  const h = (n: string): string | undefined => {
    const v = request.headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const names = ['x-timeplus-request-id', 'x-timeplus-query-id', 'x-proton-request-id', 'x-proton-query-id'];
  for (const n of names) {
    const v = lastParam(request, n) ?? h(n);
    if (v) return v;
  }
  return lastParam(request, 'query_id') ?? randomUUID();
}

/**
 * Authenticates the request the way the HTTP interface does (Basic auth, X-ClickHouse-User/Key, user/password
 * parameters, or `default`) and opens a session whose queries run in Proton's dialect.
 */
export function openCall(engine: SessionFactory, request: FastifyRequest, signal: AbortSignal, requestId: string): RestCall {
  const qs = queryString(request);
  const httpParams = parseHttpQueryParams(qs, request.headers);
  const credentials = extractCredentials(request.headers, httpParams);
  const ua = request.headers['user-agent'];
  const session = engine.openSession(
    credentials,
    { interface: 'rest', address: request.ip, httpUserAgent: typeof ua === 'string' ? ua : undefined },
    httpParams.database !== undefined && httpParams.database !== '' ? { database: httpParams.database } : undefined,
  );
  const settings = new Map<string, string>();
  const params = new Map<string, string>();
  for (const key of Object.keys(qs)) {
    const raw = qs[key];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined || key === '' || RESERVED.has(key)) continue;
    if (key.startsWith('param_')) params.set(key.slice('param_'.length), value);
    else settings.set(key, value);
  }
  // Queries on Proton's port speak Proton: lower-case type names, bool predicates.
  settings.set('dialect', 'proton');
  let n = 0;
  const run = (sql: string, extra: Partial<QueryRequest> = {}): Promise<QueryResult> => session.execute({
    sql,
    // The first query carries the request id (so KILL QUERY finds it); helper queries get derived ids.
    queryId: n++ === 0 ? requestId : `${requestId}-${n}`,
    settings,
    params: extra.params ?? params,
    signal,
    ...extra,
  });
  return {
    requestId,
    session,
    signal,
    settings,
    params,
    run,
    async rows(sql, p) {
      const result = await run(sql, { params: p ?? new Map() });
      const out: Value[][] = [];
      for await (const block of result.blocks) out.push(...block.toRows());
      return out;
    },
  };
}

/** The request body as a JSON object; an empty body is `{}` (Proton's parseRequest). */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new RestRequestError('INCORRECT_DATA', `Invalid JSON request body: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RestRequestError('INCORRECT_DATA', 'Invalid JSON request body: expected an object');
  }
  return parsed as Record<string, unknown>;
}

export function bodyText(request: FastifyRequest): string {
  return Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
}

/** A required string field (Proton's validateSchema). */
export function requiredString(payload: Record<string, unknown>, key: string): string {
  const v = payload[key];
  if (v === undefined) throw new RestRequestError('BAD_REQUEST_PARAMETER', `Required param '${key}' is missing.`);
  if (typeof v !== 'string') throw new RestRequestError('BAD_REQUEST_PARAMETER', `Invalid type of param '${key}', expected: string`);
  return v;
}

export function optionalString(payload: Record<string, unknown>, key: string): string | undefined {
  const v = payload[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new RestRequestError('BAD_REQUEST_PARAMETER', `Invalid type of param '${key}', expected: string`);
  return v;
}

export function optionalInt(payload: Record<string, unknown>, key: string): number | undefined {
  const v = payload[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RestRequestError('BAD_REQUEST_PARAMETER', `Invalid type of param '${key}', expected: int`);
  return v;
}
