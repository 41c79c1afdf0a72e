import { describe, expect, it } from 'vitest';
import { MessageFramer, ProtocolViolation } from '../../protocols/postgres/codec.js';
import { parseFrontend, parseStartup } from '../../protocols/postgres/messages.js';
import { bindLiterals, binaryParamLiteral, textParamLiteral } from '../../protocols/postgres/param-binding.js';
import { numericBinary } from '../../protocols/postgres/pg-values.js';
import { rewriteSql } from '../../protocols/postgres/dialect-rewrite.js';
import { classify } from '../../protocols/postgres/statement-shims.js';
import { ScramExchange, md5Response, checkMd5 } from '../../protocols/postgres/auth.js';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

const bind = Buffer.concat([
  Buffer.from('portal\0stmt\0'),
  Buffer.from([0, 1, 0, 0]), // one format: text
  Buffer.from([0, 2]), // two parameters
  Buffer.from([0, 0, 0, 2]),
  Buffer.from('42'),
  Buffer.from([0xff, 0xff, 0xff, 0xff]), // NULL
  Buffer.from([0, 1, 0, 1]), // one result format: binary
]);

describe('Postgres codec', () => {
  it('parses a Bind and rejects every truncated prefix of it', () => {
    expect(parseFrontend(66, bind)).toEqual({ kind: 'Bind', portal: 'portal', statement: 'stmt', paramFormats: [0], params: [Buffer.from('42'), null], resultFormats: [1] });
    for (let n = 0; n < bind.length; n++) expect(() => parseFrontend(66, bind.subarray(0, n)), `prefix ${n}`).toThrow(ProtocolViolation);
  });

  it('frames messages split at every byte boundary', () => {
    const msg = Buffer.concat([Buffer.from([0x51, 0, 0, 0, 13]), Buffer.from('SELECT 1\0')]);
    const twice = Buffer.concat([msg, msg]);
    for (let cut = 0; cut <= twice.length; cut++) {
      const f = new MessageFramer();
      f.push(twice.subarray(0, cut));
      const got: string[] = [];
      for (let m = f.next(); m; m = f.next()) got.push(parseFrontend(m.type, m.body).kind);
      f.push(twice.subarray(cut));
      for (let m = f.next(); m; m = f.next()) got.push(parseFrontend(m.type, m.body).kind);
      expect(got).toEqual(['Query', 'Query']);
    }
  });

  it('rejects oversized and negative lengths', () => {
    const f = new MessageFramer();
    f.push(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]));
    expect(() => f.next()).toThrow(ProtocolViolation);
    const g = new MessageFramer();
    g.push(Buffer.from([0, 0, 0, 2, 0, 0, 0, 0]));
    expect(() => g.nextStartup()).toThrow(ProtocolViolation);
    expect(() => parseStartup(Buffer.from([0, 2, 0, 0]))).toThrow(/unsupported frontend protocol/);
  });
});

describe('Postgres parameters', () => {
  it('turns text parameters into typed literals', () => {
    expect(textParamLiteral(23, '-5')).toBe('(-5)');
    expect(() => textParamLiteral(23, '5; DROP TABLE t')).toThrow(/invalid input syntax/);
    expect(textParamLiteral(25, "it's \\ here")).toBe("'it\\'s \\\\ here'");
    expect(textParamLiteral(16, 'yes')).toBe('true');
    expect(textParamLiteral(1007, '{1,NULL,3}')).toBe('[1, NULL, 3]');
    expect(textParamLiteral(0, '12')).toBe('12');
    expect(textParamLiteral(0, '007')).toBe("'007'");
    expect(textParamLiteral(0, '2024-01-02 +00')).toBe("toDate('2024-01-02')");
  });

  it('decodes binary parameters', () => {
    const i8 = Buffer.alloc(8);
    i8.writeBigInt64BE(-9000000000n);
    expect(binaryParamLiteral(20, i8)).toBe('(-9000000000)');
    expect(binaryParamLiteral(1700, numericBinary('-12345.678'))).toBe('(-12345.678)');
    expect(binaryParamLiteral(1700, numericBinary('0.0001'))).toBe('0.0001');
    expect(binaryParamLiteral(1700, numericBinary('100000000'))).toBe('100000000');
    expect(binaryParamLiteral(1082, Buffer.from([0, 0, 0x21, 0x76]))).toMatch(/^toDate\('20\d\d-\d\d-\d\d'\)$/);
    expect(() => binaryParamLiteral(23, Buffer.from([1, 2]))).toThrow(/incorrect binary data format/);
    expect(bindLiterals([23, 25], [1, 0], [Buffer.from([0, 0, 0, 7]), Buffer.from('x')])).toEqual(['7', "'x'"]);
  });
});

describe('Postgres dialect rewrite and statement shims', () => {
  const ctx = { database: 'default', user: 'u', serverVersion: '14.0', backendPid: 7, regclass: (n: string) => (n === 't' ? 99 : undefined) };
  it('rewrites placeholders, strings, casts and session functions', () => {
    expect(rewriteSql("SELECT $1, $2 FROM t WHERE s = 'a\\b'", { ...ctx, params: ['1', "'x'"] })).toBe("SELECT 1, 'x' FROM t WHERE s = 'a\\\\b'");
    expect(rewriteSql("SELECT 't'::regclass, x::int8, y::pg_catalog.text LIMIT ALL", ctx)).toBe('SELECT 99, x::Int64, y::String ');
    expect(rewriteSql('SELECT pg_catalog.version()', ctx)).toMatch(/^SELECT 'PostgreSQL 14\.0 .*' AS version$/);
    expect(rewriteSql('SELECT c.relname FROM pg_catalog.pg_class c', ctx)).toBe('SELECT c.relname AS `relname` FROM pg_catalog.pg_class c');
    expect(() => rewriteSql('SELECT $3', { ...ctx, params: [] })).toThrow(/no parameter \$3/);
  });

  it('classifies the statements the protocol answers', () => {
    expect(classify('BEGIN ISOLATION LEVEL READ COMMITTED').kind).toBe('begin');
    expect(classify("SET application_name TO 'x'")).toEqual({ kind: 'set', name: 'application_name', value: 'x' });
    expect(classify('SET TIME ZONE UTC')).toEqual({ kind: 'set', name: 'timezone', value: 'UTC' });
    expect(classify('SHOW TABLES').kind).toBe('engine');
    expect(classify('SHOW search_path')).toEqual({ kind: 'show', name: 'search_path' });
    expect(classify('COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true)')).toMatchObject({ kind: 'copy_in', table: 't', columns: ['a', 'b'], options: { format: 'csv', header: true } });
    expect(classify('FETCH FORWARD 10 FROM "c1"')).toEqual({ kind: 'fetch', name: 'c1', count: 10, move: false });
    expect(classify('DECLARE c BINARY CURSOR WITH HOLD FOR SELECT 1')).toEqual({ kind: 'declare', name: 'c', query: 'SELECT 1', binary: true, hold: true });
  });
});

describe('Postgres authentication exchanges', () => {
  it('verifies a SCRAM-SHA-256 client proof and signs the server final message', () => {
    const scram = new ScramExchange('pencil');
    const clientFirstBare = 'n=user,r=rOprNGfwEbeRWgbNEkqO';
    const serverFirst = scram.start(Buffer.concat([Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, clientFirstBare.length + 3]), Buffer.from('n,,' + clientFirstBare)]));
    const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
    const salted = pbkdf2Sync('pencil', Buffer.from(attrs.s!, 'base64'), Number(attrs.i), 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${attrs.r}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const sig = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ sig[i]!));
    const final = scram.finish(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`));
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    expect(final).toBe('v=' + createHmac('sha256', serverKey).update(authMessage).digest('base64'));
    const wrong = new ScramExchange('other');
    const sf = wrong.start(Buffer.concat([Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, clientFirstBare.length + 3]), Buffer.from('n,,' + clientFirstBare)]));
    const r = Object.fromEntries(sf.split(',').map((p) => [p[0], p.slice(2)])).r;
    expect(wrong.finish(Buffer.from(`c=biws,r=${r},p=${proof.toString('base64')}`))).toBeUndefined();
  });

  it('checks md5 responses', () => {
    const salt = Buffer.from([1, 2, 3, 4]);
    expect(checkMd5('alice', 'secret', salt, md5Response('alice', 'secret', salt))).toBe(true);
    expect(checkMd5('alice', 'secret', salt, md5Response('alice', 'nope', salt))).toBe(false);
  });
});
