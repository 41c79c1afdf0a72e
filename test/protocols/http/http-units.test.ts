import { describe, expect, it } from 'vitest';
import { extractCredentials } from '../../../protocols/http/http-credentials.js';
import { parseHttpQueryParams } from '../../../protocols/http/http-query-params.js';
import { httpStatusOfErrorCode } from '../../../protocols/http/http-status.js';
import { chooseResponseEncoding } from '../../../protocols/http/response-encoding.js';

describe('chooseResponseEncoding', () => {
  it('prefers lz4, br, gzip, deflate, and zstd only when nothing else is accepted', () => {
    // Hadron's zstd writes one frame per flush on streamed responses, which clickhouse-connect rejects.
    expect(chooseResponseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseResponseEncoding('lz4, zstd, br, gzip, deflate')).toBe('lz4');
    expect(chooseResponseEncoding('zstd')).toBe('zstd');
    expect(chooseResponseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseResponseEncoding('deflate, gzip')).toBe('gzip');
    expect(chooseResponseEncoding('deflate')).toBe('deflate');
    expect(chooseResponseEncoding('lz4')).toBe('lz4');
  });

  it('ignores q=0 and unknown encodings', () => {
    expect(chooseResponseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseResponseEncoding('identity, compress')).toBeUndefined();
    expect(chooseResponseEncoding(undefined)).toBeUndefined();
    expect(chooseResponseEncoding('*')).toBeUndefined();
  });
});

describe('extractCredentials', () => {
  const params = (q: Record<string, string>) => parseHttpQueryParams(q, {});
  const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });

  it('defaults to the default user', () => {
    expect(extractCredentials({}, params({}))).toEqual({ user: 'default', password: '' });
  });

  it('reads Basic auth, keeping colons in the password', () => {
    expect(extractCredentials(basic('bob:a:b'), params({}))).toEqual({ user: 'bob', password: 'a:b' });
  });

  it('refuses unsupported schemes and empty user names', () => {
    expect(() => extractCredentials({ authorization: 'Bearer x' }, params({}))).toThrow(/not supported/);
    expect(() => extractCredentials(basic(':pw'), params({}))).toThrow(/empty user name/);
    expect(() => extractCredentials({ 'x-clickhouse-key': 'k' }, params({}))).toThrow(/empty user name/);
  });

  it('refuses mixing headers and parameters', () => {
    expect(() => extractCredentials({ 'x-clickhouse-user': 'a' }, params({ password: 'p' }))).toThrow(/simultaneously/);
    expect(() => extractCredentials({ 'x-clickhouse-user': 'a', ...basic('a:b') }, params({}))).toThrow(/simultaneously/);
  });
});

describe('httpStatusOfErrorCode', () => {
  it('maps like ClickHouse', () => {
    expect(httpStatusOfErrorCode(62)).toBe(400);
    expect(httpStatusOfErrorCode(60)).toBe(404);
    expect(httpStatusOfErrorCode(516)).toBe(403);
    expect(httpStatusOfErrorCode(194)).toBe(401);
    expect(httpStatusOfErrorCode(40)).toBe(500);
    expect(httpStatusOfErrorCode(394)).toBe(500);
  });
});
