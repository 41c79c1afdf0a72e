import type { IncomingHttpHeaders } from 'node:http';

/**
 * The URL parameters of one HTTP query request, sorted the way ClickHouse's HTTPHandler sorts them: a few
 * reserved names drive the protocol, `param_<name>` fill `{name:Type}` placeholders, and every other
 * parameter is a setting for this query.
 */
export interface HttpQueryParams {
  readonly query?: string;
  readonly database?: string;
  readonly defaultFormat?: string;
  readonly queryId?: string;
  readonly sessionId?: string;
  readonly sessionTimeout?: string;
  readonly sessionCheck: boolean;
  readonly closeSession: boolean;
  /** `compress=1`: the response in ClickHouse's compressed-block framing. */
  readonly compress: boolean;
  /** `decompress=1`: the request body is in that framing. */
  readonly decompress: boolean;
  readonly bufferSize?: string;
  readonly waitEndOfQuery: boolean;
  readonly params: Map<string, string>;
  readonly settings: Map<string, string>;
  /** `user` / `password` parameters, if given (see http-credentials.ts). */
  readonly user?: string;
  readonly password?: string;
  readonly quotaKey?: string;
}

/** Parameters the protocol consumes itself; they are not forwarded as settings. */
const RESERVED = new Set([
  'query', 'compress', 'decompress', 'user', 'password', 'quota_key', 'query_id', 'stacktrace', 'role',
  'buffer_size', 'wait_end_of_query', 'session_id', 'session_timeout', 'session_check', 'close_session',
  'database', 'default_format',
]);

const PARAM_PREFIX = 'param_';

export type RawQueryString = Record<string, string | string[] | undefined>;

/** Last value wins for repeated parameters, as in ClickHouse (`buffer_size=WRONG&buffer_size=0` is 0). */
function lastOf(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function parseBoolParam(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toLowerCase();
  return s === '1' || s === 'true' || s === 'yes' || s === 'on';
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function parseHttpQueryParams(query: RawQueryString, headers: IncomingHttpHeaders): HttpQueryParams {
  const params = new Map<string, string>();
  const settings = new Map<string, string>();
  for (const key of Object.keys(query)) {
    const value = lastOf(query[key]);
    if (value === undefined) continue;
    if (key.startsWith(PARAM_PREFIX)) params.set(key.slice(PARAM_PREFIX.length), value);
    else if (!RESERVED.has(key)) settings.set(key, value);
  }
  const get = (name: string): string | undefined => lastOf(query[name]);
  return {
    query: get('query'),
    database: get('database') ?? headerOf(headers, 'x-clickhouse-database'),
    defaultFormat: get('default_format') ?? headerOf(headers, 'x-clickhouse-format'),
    queryId: get('query_id'),
    sessionId: get('session_id'),
    sessionTimeout: get('session_timeout'),
    sessionCheck: parseBoolParam(get('session_check')),
    closeSession: parseBoolParam(get('close_session')),
    compress: parseBoolParam(get('compress')),
    decompress: parseBoolParam(get('decompress')),
    bufferSize: get('buffer_size'),
    waitEndOfQuery: parseBoolParam(get('wait_end_of_query')),
    params,
    settings,
    user: get('user'),
    password: get('password'),
    quotaKey: get('quota_key'),
  };
}

export { headerOf };
