import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../../src/server/session-api.js';
import { DbError } from '../../src/errors/index.js';
import { headerOf, type HttpQueryParams } from './http-query-params.js';

/**
 * Credentials of an HTTP request, as ClickHouse's authenticateUserByHTTP finds them: X-ClickHouse-User/Key
 * headers, or HTTP Basic auth, or `user`/`password` parameters, or the `default` user. Using more than one
 * place at once is refused (AUTHENTICATION_FAILED, 403).
 */
export function extractCredentials(headers: IncomingHttpHeaders, params: HttpQueryParams): Credentials {
  const headerUser = headerOf(headers, 'x-clickhouse-user') ?? '';
  const headerKey = headerOf(headers, 'x-clickhouse-key') ?? '';
  const authorization = headerOf(headers, 'authorization');
  const hasHeaderAuth = headerUser !== '' || headerKey !== '';
  const hasHttpAuth = authorization !== undefined && authorization !== '';
  const hasParamAuth = params.user !== undefined || params.password !== undefined;

  if (hasHeaderAuth) {
    if (hasHttpAuth) throw multiple('X-ClickHouse HTTP headers', 'Authorization HTTP header');
    if (hasParamAuth) throw multiple('X-ClickHouse HTTP headers', 'authentication via parameters');
    nonEmpty(headerUser, 'X-ClickHouse HTTP headers');
    return { user: headerUser, password: headerKey };
  }
  if (hasHttpAuth) {
    if (hasParamAuth) throw multiple('Authorization HTTP header', 'authentication via parameters');
    const space = authorization.indexOf(' ');
    const scheme = space < 0 ? authorization : authorization.slice(0, space);
    if (scheme.toLowerCase() !== 'basic') {
      throw new DbError('AUTHENTICATION_FAILED', `Invalid authentication: '${scheme}' HTTP Authorization scheme is not supported`);
    }
    const decoded = Buffer.from(authorization.slice(space + 1).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    nonEmpty(user, 'Authorization HTTP header');
    return { user, password };
  }
  const user = params.user ?? 'default';
  nonEmpty(user, 'authentication via parameters');
  return { user, password: params.password ?? '' };
}

function multiple(a: string, b: string): DbError {
  return new DbError('AUTHENTICATION_FAILED', `Invalid authentication: it is not allowed to use ${a} and ${b} simultaneously`);
}

function nonEmpty(user: string, method: string): void {
  if (user === '') throw new DbError('AUTHENTICATION_FAILED', `Got an empty user name from ${method}`);
}
