import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql, { type FieldPacket, type RowDataPacket } from 'mysql2/promise';
import type { TestServer } from '../helpers/test-server.js';
import { connect, mysqlError, startMysqlServer } from './mysql-helpers.js';

const P = mysql.TypedParameter;

let server: TestServer & { mysqlPort: number };
let c: mysql.Connection;
beforeAll(async () => {
  server = await startMysqlServer();
  c = await connect(server.mysqlPort, { supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' });
  await c.query(`CREATE TABLE items (
    id Int64, name String, price Decimal(10, 2), qty UInt32, ratio Float64, small Int8, flag Bool, day Date, at DateTime, at64 DateTime64(6), note Nullable(String), big UInt64
  ) ENGINE = MergeTree ORDER BY id`);
});
afterAll(async () => {
  await c.end();
  await server.stop();
});

describe('MySQL protocol: prepared statements', () => {
  it('binds parameters of every MySQL type as typed values', async () => {
    const [rows] = await c.execute<RowDataPacket[]>(
      'SELECT ? AS tiny, ? AS utiny, ? AS short, ? AS long, ? AS longlong, ? AS ulonglong, ? AS flt, ? AS dbl, ? AS dec, ? AS str, ? AS blob, ? AS nul, ? AS d, ? AS dt, ? AS dtus, ? AS tm',
      [
        P.TINY(-5), P.TINY.unsigned(250), P.SHORT(-30000), P.LONG(-2000000000), P.LONGLONG(-9000000000000000000n), P.LONGLONG.unsigned(18446744073709551615n),
        P.FLOAT(1.5), P.DOUBLE(2.75), P.NEWDECIMAL('1234.5678'), "it's a \\ test", Buffer.from('bytes'), null,
        P.DATE('2024-02-29'), P.DATETIME('2024-01-02 03:04:05'), P.DATETIME('2024-01-02 03:04:05.123456'), P.TIME('-26:03:04'),
      ],
    );
    expect(rows[0]).toEqual({
      tiny: -5, utiny: 250, short: -30000, long: -2000000000, longlong: '-9000000000000000000', ulonglong: '18446744073709551615',
      flt: 1.5, dbl: 2.75, dec: '1234.5678', str: "it's a \\ test", blob: 'bytes', nul: null,
      d: new Date('2024-02-29T00:00:00Z'), dt: new Date('2024-01-02T03:04:05Z'), dtus: new Date('2024-01-02T03:04:05.123Z'), tm: '-26:03:04',
    });
  });

  it('inserts with parameters and reads back in the binary row protocol', async () => {
    const insert = 'INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    await c.execute(insert, [1, 'apple', '1.25', 10, 0.5, -3, true, new Date('2024-03-01T00:00:00Z'), new Date('2024-03-01T12:30:00Z'), P.DATETIME('2024-03-01 12:30:00.250000'), null, P.LONGLONG.unsigned(18446744073709551615n)]);
    await c.execute(insert, [2, 'pear "x"', '99.99', 0, -1.5, 127, false, new Date('1999-12-31T00:00:00Z'), new Date('2000-01-01T00:00:00Z'), P.DATETIME('2000-01-01 00:00:00'), 'ripe', P.LONGLONG.unsigned(0)]);
    const [rows, fields] = await c.execute<RowDataPacket[]>('SELECT * FROM items WHERE id >= ? AND name != ? ORDER BY id', [1, 'nothing']);
    expect(rows).toEqual([
      { id: '1', name: 'apple', price: '1.25', qty: 10, ratio: 0.5, small: -3, flag: 1, day: new Date('2024-03-01T00:00:00Z'), at: new Date('2024-03-01T12:30:00Z'), at64: new Date('2024-03-01T12:30:00.250Z'), note: null, big: '18446744073709551615' },
      { id: '2', name: 'pear "x"', price: '99.99', qty: 0, ratio: -1.5, small: 127, flag: 0, day: new Date('1999-12-31T00:00:00Z'), at: new Date('2000-01-01T00:00:00Z'), at64: new Date('2000-01-01T00:00:00Z'), note: 'ripe', big: '0' },
    ]);
    expect((fields as FieldPacket[]).find((f) => f.name === 'price')!.columnType).toBe(246);
  });

  it('reuses a prepared statement with new values and a NULL', async () => {
    for (const [id, expected] of [[1, 'apple'], [2, 'pear "x"'], [3, undefined]] as const) {
      const [rows] = await c.execute<RowDataPacket[]>('SELECT name FROM items WHERE id = ?', [id]);
      expect(rows[0]?.['name']).toBe(expected);
    }
    const [rows] = await c.execute<RowDataPacket[]>('SELECT count() AS n FROM items WHERE note IS NULL OR note = ?', [null]);
    expect(String(rows[0]!['n'])).toBe('1');
  });

  it('leaves ? inside strings, identifiers and comments alone', async () => {
    const [rows] = await c.execute<RowDataPacket[]>("SELECT '?' AS `q?`, ? AS p /* ? */", ['x']);
    expect(rows).toEqual([{ 'q?': '?', p: 'x' }]);
  });

  it('supports LIMIT ? with the integers mysql2 sends as DOUBLE', async () => {
    const [rows] = await c.execute<RowDataPacket[]>('SELECT number FROM numbers(10) LIMIT ?', [3]);
    expect(rows.length).toBe(3);
  });

  it('reports engine errors from EXECUTE and keeps the statement usable', async () => {
    const e = await mysqlError(c.execute('SELECT * FROM no_such_table WHERE x = ?', [1]));
    expect(e.errno).toBe(1146);
    expect(e.sqlState).toBe('42S02');
    const bad = await mysqlError(c.execute('SELECT toInt32(?) AS x', ['not a number']));
    expect(bad.errno).toBe(1105);
    expect(bad.message).toMatch(/Code: \d+\. DB::Exception/);
    const [rows] = await c.execute<RowDataPacket[]>('SELECT toInt32(?) AS x', ['12']);
    expect(rows).toEqual([{ x: 12 }]);
  });

  it('runs statements without a result set through EXECUTE', async () => {
    const [res] = await c.execute('CREATE TABLE IF NOT EXISTS made_by_execute (a Int32) ENGINE = Memory');
    expect((res as { affectedRows: number }).affectedRows).toBe(0);
    const [set] = await c.execute('SET @@session.sql_mode = ?', ['TRADITIONAL']);
    expect(set).toBeDefined();
    const [rows] = await c.query<RowDataPacket[]>('SELECT @@sql_mode AS m');
    expect(rows[0]!['m']).toBe('TRADITIONAL');
  });

  it('closes statements (COM_STMT_CLOSE) and prepares them again', async () => {
    const stmt = await c.prepare('SELECT ? + 1 AS v');
    const [rows] = await stmt.execute([41]);
    expect(rows).toEqual([{ v: '42' }]); // Int64 + UInt8 is Int64: a big number string with bigNumberStrings
    await stmt.close();
    // mysql2 keeps closed statements in its cache by SQL text: prepare a different text.
    const [again] = await c.execute<RowDataPacket[]>('SELECT ? + 2 AS v', [1]);
    expect(again).toEqual([{ v: '3' }]);
  });

  it('streams a large binary result', async () => {
    const [rows] = await c.execute<RowDataPacket[]>('SELECT number, toString(number) AS s, toFloat64(number) / 2 AS h FROM numbers(?)', [100000]);
    expect(rows.length).toBe(100000);
    expect(rows[99999]).toEqual({ number: '99999', s: '99999', h: 49999.5 });
  });
});
