import { describe, expect, it } from 'vitest';
import { QueryHeadScanner, type HeadScan } from '../../../protocols/http/query-head-scanner.js';
import { readQuery } from '../../../protocols/http/query-reader.js';

const enc = new TextEncoder();

function scanAll(text: string): HeadScan {
  const b = enc.encode(text);
  return new QueryHeadScanner().scan(b, b.length, true);
}

/** Feeds the text one byte at a time, as the worst possible network would. */
function scanBytewise(text: string): HeadScan {
  const b = enc.encode(text);
  const s = new QueryHeadScanner();
  for (let n = 0; n <= b.length; n++) {
    const r = s.scan(b, n, n === b.length);
    if (r.kind !== 'more') return r;
  }
  throw new Error('no decision');
}

function split(text: string): { sql: string; data: string } | 'query' {
  const r = scanAll(text);
  if (r.kind === 'query') return 'query';
  if (r.kind !== 'data') throw new Error('more');
  const b = enc.encode(text);
  const dec = new TextDecoder();
  return { sql: dec.decode(b.subarray(0, r.sqlEnd)), data: dec.decode(b.subarray(r.dataStart)) };
}

describe('QueryHeadScanner', () => {
  const cases: [string, { sql: string; data: string } | 'query'][] = [
    ['SELECT 1', 'query'],
    ['  -- comment\n select * from t', 'query'],
    ['INSERT INTO t FORMAT CSV\n1,2\n', { sql: 'INSERT INTO t FORMAT CSV', data: '1,2\n' }],
    ['INSERT INTO t FORMAT TSV  \r\n1\t2', { sql: 'INSERT INTO t FORMAT TSV', data: '1\t2' }],
    ['INSERT INTO t FORMAT TSV 1\t2', { sql: 'INSERT INTO t FORMAT TSV', data: '1\t2' }],
    ['INSERT INTO t FORMAT JSONEachRow{"a":1}', { sql: 'INSERT INTO t FORMAT JSONEachRow', data: '{"a":1}' }],
    ['insert into t (a, b) values (1, \'x\'), (2, \'y\')', { sql: 'insert into t (a, b) values', data: " (1, 'x'), (2, 'y')" }],
    ['INSERT INTO t SELECT * FROM values(\'a Int\', 1)', 'query'],
    ['INSERT INTO t WITH 1 AS x SELECT x', 'query'],
    ['INSERT INTO format VALUES (1)', { sql: 'INSERT INTO format VALUES', data: ' (1)' }],
    ['INSERT INTO db.format FORMAT CSV\n1', { sql: 'INSERT INTO db.format FORMAT CSV', data: '1' }],
    ['INSERT INTO "my table" (`values`) FORMAT CSV\n1', { sql: 'INSERT INTO "my table" (`values`) FORMAT CSV', data: '1' }],
    ['/* FORMAT X */ INSERT INTO t -- VALUES\n FORMAT RowBinary\n\u0001\u0002', { sql: '/* FORMAT X */ INSERT INTO t -- VALUES\n FORMAT RowBinary', data: '\u0001\u0002' }],
    ['INSERT INTO t SETTINGS async_insert=1 FORMAT CSV\nx', { sql: 'INSERT INTO t SETTINGS async_insert=1 FORMAT CSV', data: 'x' }],
    ['INSERT INTO FUNCTION url(\'http://x/ FORMAT y\', CSV, \'a Int\') VALUES (1)', { sql: 'INSERT INTO FUNCTION url(\'http://x/ FORMAT y\', CSV, \'a Int\') VALUES', data: ' (1)' }],
    ['INSERT INTO t FORMAT CSV', { sql: 'INSERT INTO t FORMAT CSV', data: '' }],
    ['INSERT INTO t', 'query'],
    ['INSERT INTO t (\'unterminated', 'query'],
  ];
  for (const [text, expected] of cases) {
    it(`splits ${JSON.stringify(text).slice(0, 60)}`, () => {
      expect(split(text)).toEqual(expected);
      const whole = scanAll(text);
      expect(scanBytewise(text)).toEqual(whole);
    });
  }

  it('waits for more bytes inside a word or the line break after FORMAT name', () => {
    const s = new QueryHeadScanner();
    const b = enc.encode('INSERT INTO t FORMAT CS');
    expect(s.scan(b, b.length, false).kind).toBe('more');
    const b2 = enc.encode('INSERT INTO t FORMAT CSV\r');
    expect(s.scan(b2, b2.length, false).kind).toBe('more');
    const b3 = enc.encode('INSERT INTO t FORMAT CSV\r\nx');
    expect(s.scan(b3, b3.length, false)).toEqual({ kind: 'data', sqlEnd: 24, dataStart: 26 });
  });
});

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield enc.encode(p);
}

async function collect(it: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  if (it === undefined) return '<none>';
  let s = '';
  for await (const c of it) s += new TextDecoder().decode(c);
  return s;
}

describe('readQuery', () => {
  it('returns the query parameter alone when there is no body', async () => {
    expect(await readQuery('SELECT 1', undefined, 1000)).toEqual({ sql: 'SELECT 1' });
  });

  it('appends the body after a newline', async () => {
    const r = await readQuery('SELECT', chunks(' 1'), 1000);
    expect(r.sql).toBe('SELECT\n 1');
    expect(r.data).toBeUndefined();
  });

  it('does not add a newline for an empty body', async () => {
    expect((await readQuery('SELECT 1', chunks(), 1000)).sql).toBe('SELECT 1');
  });

  it('streams INSERT data from the query parameter', async () => {
    const r = await readQuery('INSERT INTO t FORMAT CSV', chunks('1,2\n', '3,4\n'), 1000);
    expect(r.sql).toBe('INSERT INTO t FORMAT CSV');
    expect(await collect(r.data)).toBe('1,2\n3,4\n');
  });

  it('finds the data start across chunk boundaries', async () => {
    const r = await readQuery(undefined, chunks('INSE', 'RT INTO t FOR', 'MAT TSV', '\n', 'a\tb\n', 'c\td\n'), 1000);
    expect(r.sql).toBe('INSERT INTO t FORMAT TSV');
    expect(await collect(r.data)).toBe('a\tb\nc\td\n');
  });

  it('refuses a query over max_query_size', async () => {
    await expect(readQuery(undefined, chunks('SELECT ', 'x'.repeat(2000)), 1000)).rejects.toThrow(/Max query size exceeded/);
  });

  it('does not count INSERT data against max_query_size', async () => {
    const r = await readQuery(undefined, chunks('INSERT INTO t FORMAT CSV\n', 'x'.repeat(5000)), 1000);
    expect((await collect(r.data)).length).toBe(5000);
  });
});
