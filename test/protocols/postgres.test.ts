import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RawPgClient, errorCode, frontend, query } from './postgres-helpers.js';

let server: TestServer;
let port: number;

async function connect(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'default', database: 'default', ...extra });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function sqlstate(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

beforeAll(async () => {
  server = await startTestServer({ users: [{ name: 'default' }, { name: 'alice', password: 'secret' }, { name: 'bob', passwordSha256Hex: '27cc6994fc1c01ce6659c6bddca9b69c4c6a9418065e612c69d110b3f7b11f8a' }] }, ['postgres']);
  port = server.server.ports.postgres!;
  await server.query('CREATE TABLE pt (id Int32, name String, score Nullable(Float64), at DateTime, tags Array(String)) ENGINE = MergeTree ORDER BY id');
  await server.query("INSERT INTO pt VALUES (1, 'one', 1.5, '2024-01-02 03:04:05', ['a','b']), (2, 'two', NULL, '2024-02-03 04:05:06', []), (3, 'three', 3.25, '2024-03-04 05:06:07', ['c'])");
});

afterAll(async () => {
  await server?.stop();
});

describe('Postgres wire protocol: node-postgres', () => {
  it('runs simple queries and maps every type to a Postgres type', async () => {
    const c = await connect();
    const r = await c.query(
      "SELECT toInt8(-1) AS i8, toUInt8(200) AS u8, toInt16(-300) AS i16, toInt32(7) AS i32, toInt64(-9000000000) AS i64, toUInt64(18446744073709551615) AS u64, toFloat32(1.5) AS f32, 2.25 AS f64, toDecimal64(12.345, 3) AS dec, 'héllo' AS s, true AS b, toDate('2024-05-06') AS d, toDateTime('2024-05-06 07:08:09', 'UTC') AS dt, toDateTime64('2024-05-06 07:08:09.123', 3) AS dt64, toUUID('123e4567-e89b-12d3-a456-426614174000') AS u, [1, 2, 3] AS arr, CAST(NULL AS Nullable(Int32)) AS n",
    );
    const oids = Object.fromEntries(r.fields.map((f) => [f.name, f.dataTypeID]));
    expect(oids).toEqual({ i8: 21, u8: 21, i16: 21, i32: 23, i64: 20, u64: 1700, f32: 700, f64: 701, dec: 1700, s: 25, b: 16, d: 1082, dt: 1184, dt64: 1114, u: 2950, arr: 1005, n: 23 });
    const row = r.rows[0] as Record<string, unknown>;
    expect(row.i8).toBe(-1);
    expect(row.u8).toBe(200);
    expect(row.i64).toBe('-9000000000');
    expect(row.u64).toBe('18446744073709551615');
    expect(row.f32).toBe(1.5);
    expect(row.dec).toBe('12.345');
    expect(row.s).toBe('héllo');
    expect(row.b).toBe(true);
    expect((row.dt as Date).toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect(row.u).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(row.arr).toEqual([1, 2, 3]);
    expect(row.n).toBeNull();
    await c.end();
  });

  it('runs several statements in one simple query and reports command tags', async () => {
    const c = await connect();
    const results = (await c.query('CREATE TABLE multi (x Int32) ENGINE = Memory; INSERT INTO multi VALUES (1), (2); SELECT sum(x) AS s FROM multi')) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.command)).toEqual(['CREATE', 'INSERT', 'SELECT']);
    expect(results[1]!.rowCount).toBe(2);
    expect(results[2]!.rows).toEqual([{ s: '3' }]);
    await c.end();
  });

  it('binds parameters in the extended protocol', async () => {
    const c = await connect();
    const r = await c.query('SELECT id, name FROM pt WHERE id >= $1 AND name != $2 ORDER BY id', [2, 'three']);
    expect(r.rows).toEqual([{ id: 2, name: 'two' }]);
    const typed = await c.query({ text: 'SELECT $1::int8 + 1 AS a, $2::text AS b, $3::bool AS c, $4::float8 * 2 AS d', values: ['41', "it's", 'true', '1.25'] });
    expect(typed.rows).toEqual([{ a: '42', b: "it's", c: true, d: 2.5 }]);
    // Predicates are UInt8 in the engine's dialect: they arrive as int2.
    const nul = await c.query('SELECT $1::Nullable(Int32) IS NULL AS isnull', [null]);
    expect(nul.rows[0].isnull).toBe(1);
    await c.end();
  });

  it('sends binary results when asked', async () => {
    const c = await connect({ binary: true } as Partial<pg.ClientConfig>);
    const r = await c.query("SELECT toInt32(5) AS a, toInt64(-6) AS b, 2.5 AS c, true AS d, 'x' AS e, toDate('2024-01-02') AS f, toDecimal64(-12.5, 2) AS g");
    expect(r.rows[0]).toEqual({ a: 5, b: '-6', c: 2.5, d: true, e: 'x', f: expect.any(Date) as unknown, g: '-12.50' });
    await c.end();
  });

  it('reads a result in batches through a cursor (Execute with a row limit)', async () => {
    const c = await connect();
    const cursor = c.query(new Cursor('SELECT number AS n FROM numbers(2500)'));
    const first = await cursor.read(1000);
    const second = await cursor.read(1000);
    const third = await cursor.read(1000);
    const fourth = await cursor.read(1000);
    expect([first.length, second.length, third.length, fourth.length]).toEqual([1000, 1000, 500, 0]);
    expect(second[0]).toEqual({ n: '1000' });
    await cursor.close();
    const after = await c.query('SELECT 1 AS one');
    expect(after.rows).toEqual([{ one: 1 }]);
    await c.end();
  });

  it('streams: a cursor over a trillion rows returns its first batch without computing the rest', async () => {
    const c = await connect();
    const cursor = c.query(new Cursor('SELECT number AS n FROM numbers(1000000000000)'));
    const first = await cursor.read(100);
    expect(first.length).toBe(100);
    expect(first[99]).toEqual({ n: '99' });
    await cursor.close();
    // Closing the portal ends the query on the server.
    const running = await c.query("SELECT count() AS n FROM system.processes WHERE query LIKE '%numbers(1000000000000)%' AND query NOT LIKE '%system.processes%'");
    expect(running.rows).toEqual([{ n: '0' }]);
    expect((await c.query('SELECT 7 AS seven')).rows).toEqual([{ seven: 7 }]);
    await c.end();
  });

  it('maps engine errors to SQLSTATE codes and keeps the connection usable', async () => {
    const c = await connect();
    expect(await sqlstate(c.query('SELEC 1'))).toBe('42601');
    expect(await sqlstate(c.query('SELECT * FROM no_such_table'))).toBe('42P01');
    expect(await sqlstate(c.query('SELECT no_such_column FROM pt'))).toBe('42703');
    expect(await sqlstate(c.query('SELECT no_such_function(1)'))).toBe('42883');
    expect(await sqlstate(c.query('SELECT $1::int4', ['abc']))).toBe('22P02');
    expect(await sqlstate(c.query('SELECT $1 + 1 FROM pt WHERE id = $2', [1]))).toBe('08P01');
    try {
      await c.query('SELECT * FROM no_such_table');
    } catch (e) {
      expect((e as { detail?: string }).detail).toContain('Code: 60');
    }
    const ok = await c.query('SELECT count() AS n FROM pt');
    expect(ok.rows).toEqual([{ n: '3' }]);
    await c.end();
  });

  it('accepts transactions, SET, SHOW, RESET and DISCARD ALL', async () => {
    const c = await connect();
    await c.query('BEGIN');
    await c.query("SET application_name = 'tests'");
    await c.query('SET extra_float_digits TO 3');
    expect((await c.query('SHOW application_name')).rows).toEqual([{ application_name: 'tests' }]);
    expect((await c.query('SHOW TRANSACTION ISOLATION LEVEL')).rows).toEqual([{ transaction_isolation: 'read committed' }]);
    await c.query('COMMIT');
    await c.query('BEGIN');
    expect(await sqlstate(c.query('SELECT * FROM no_such_table'))).toBe('42P01');
    expect(await sqlstate(c.query('SELECT 1'))).toBe('25P02');
    await c.query('ROLLBACK');
    await c.query("SET TIME ZONE 'Asia/Tokyo'");
    expect((await c.query("SELECT toString(toDateTime('2024-01-01 00:00:00', 'UTC')) AS t, timezone() AS tz")).rows).toEqual([{ t: '2024-01-01 00:00:00', tz: 'Asia/Tokyo' }]);
    await c.query('RESET ALL');
    await c.query('DISCARD ALL');
    expect(await sqlstate(c.query('SHOW no_such_parameter'))).toBe('42704');
    const v = await c.query('SELECT version(), current_schema(), current_database()');
    expect(v.rows[0].version).toMatch(/^PostgreSQL 14\.0/);
    expect(v.rows[0].current_schema).toBe('public');
    await c.end();
  });

  it('SET statement_timeout stops a long query with 57014', async () => {
    const c = await connect();
    await c.query("SET statement_timeout = '200ms'");
    expect((await c.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '200ms' }]);
    expect(await sqlstate(c.query('SELECT count() FROM numbers(100000000000)'))).toBe('57014');
    await c.query('SET statement_timeout TO 0');
    expect((await c.query('SELECT count() AS n FROM numbers(1000)')).rows).toEqual([{ n: '1000' }]);
    expect(await sqlstate(c.query("SET statement_timeout = 'soon'"))).toBe('22023');
    await c.end();
  });

  it('reports ParameterStatus and BackendKeyData', async () => {
    const c = await connect({ application_name: 'vitest' });
    const params = (c as unknown as { connectionParameters: unknown; processID: number; secretKey: number });
    expect(params.processID).toBeGreaterThan(0);
    const r = await c.query('SHOW server_version');
    expect(r.rows[0].server_version).toBe('14.0');
    expect((await c.query('SHOW application_name')).rows[0].application_name).toBe('vitest');
    await c.end();
  });

  it('answers pg_catalog queries (psql \\dt shape) with real SQL', async () => {
    const c = await connect();
    const r = await c.query(
      `SELECT n.nspname as "Schema", c.relname as "Name", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END as "Type", pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
       FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relname = 'pt' ORDER BY 1,2`,
    );
    expect(r.rows).toEqual([{ Schema: 'public', Name: 'pt', Type: 'table', Owner: 'default' }]);
    const cols = await c.query(
      "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS t, a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'pt'::regclass AND a.attnum > 0 ORDER BY a.attnum",
    );
    expect(cols.rows).toEqual([
      { attname: 'id', t: 'integer', attnotnull: true },
      { attname: 'name', t: 'text', attnotnull: true },
      { attname: 'score', t: 'double precision', attnotnull: false },
      { attname: 'at', t: 'timestamp without time zone', attnotnull: true },
      { attname: 'tags', t: 'text[]', attnotnull: true },
    ]);
    const types = await c.query('SELECT typname FROM pg_type WHERE oid = $1', [1043]);
    expect(types.rows).toEqual([{ typname: 'varchar' }]);
    await c.end();
  });

  it('cancels a running query with CancelRequest (57014)', async () => {
    const c = await connect();
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    const running = c.query('SELECT count() FROM numbers(100000000000)');
    // Wait until the query is registered as running, then cancel it from a second connection.
    const admin = await connect();
    for (;;) {
      const r = await admin.query("SELECT count() AS n FROM system.processes WHERE query LIKE '%numbers(100000000000)%' AND query NOT LIKE '%system.processes%'");
      if (Number(r.rows[0].n) > 0) break;
    }
    const raw = await RawPgClient.connect(port);
    const cancel = Buffer.alloc(16);
    cancel.writeInt32BE(16, 0);
    cancel.writeInt32BE(80877102, 4);
    cancel.writeInt32BE(processID, 8);
    cancel.writeInt32BE(secretKey, 12);
    raw.write(cancel);
    expect(await sqlstate(running)).toBe('57014');
    await raw.waitClosed();
    expect((await c.query('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    await c.end();
    await admin.end();
  });

  it('cancels another backend with pg_cancel_backend(pg_backend_pid())', async () => {
    const c = await connect();
    const pid = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    expect(pid).toBe((c as unknown as { processID: number }).processID);
    const running = c.query('SELECT count() FROM numbers(100000000001)');
    const admin = await connect();
    for (;;) {
      const r = await admin.query("SELECT count() AS n FROM system.processes WHERE query LIKE '%numbers(100000000001)%' AND query NOT LIKE '%system.processes%'");
      if (Number(r.rows[0].n) > 0) break;
    }
    expect((await admin.query('SELECT pg_cancel_backend($1)', [pid])).rows).toEqual([{ pg_cancel_backend: true }]);
    expect(await sqlstate(running)).toBe('57014');
    expect((await admin.query('SELECT pg_cancel_backend(1)')).rows).toEqual([{ pg_cancel_backend: false }]);
    await c.end();
    await admin.end();
  });
});

describe('Postgres wire protocol: authentication', () => {
  it('authenticates with SCRAM-SHA-256 and rejects a wrong password with 28P01', async () => {
    const c = await connect({ user: 'alice', password: 'secret' });
    expect((await c.query('SELECT currentUser() AS u')).rows).toEqual([{ u: 'alice' }]);
    await c.end();
    expect(await sqlstate(connect({ user: 'alice', password: 'wrong' }))).toBe('28P01');
    expect(await sqlstate(connect({ user: 'nobody', password: 'x' }))).toBe('28P01');
  });

  it('uses cleartext for users known only by a SHA-256 hash', async () => {
    const c = await connect({ user: 'bob', password: 'hello123' });
    expect((await c.query('SELECT currentUser() AS u')).rows).toEqual([{ u: 'bob' }]);
    await c.end();
    expect(await sqlstate(connect({ user: 'bob', password: 'nope' }))).toBe('28P01');
  });

  it('supports md5 and cleartext when configured', async () => {
    const { createPostgresServer } = await import('../../protocols/postgres/index.js');
    const pino = (await import('pino')).default;
    for (const passwordMethod of ['md5', 'cleartext'] as const) {
      const s = createPostgresServer(server.server.engine, { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), passwordMethod });
      const { port: p } = await s.listen();
      const c = new pg.Client({ host: '127.0.0.1', port: p, user: 'alice', password: 'secret', database: 'default' });
      await c.connect();
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await c.end();
      const bad = new pg.Client({ host: '127.0.0.1', port: p, user: 'alice', password: 'bad', database: 'default' });
      expect(await sqlstate(bad.connect())).toBe('28P01');
      await s.close();
    }
  });
});

describe('Postgres wire protocol: COPY and raw messages', () => {
  it('streams COPY (query) TO STDOUT in text and CSV', async () => {
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    raw.write(query("COPY (SELECT id, name, score FROM pt ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)"));
    const msgs = await raw.untilReady();
    expect(msgs.map((m) => m.type)).toEqual(['H', 'd', 'd', 'd', 'd', 'c', 'C', 'Z']);
    const data = msgs.filter((m) => m.type === 'd').map((m) => m.body.toString()).join('');
    expect(data).toBe('id,name,score\n1,one,1.5\n2,two,\n3,three,3.25\n');
    expect(msgs.find((m) => m.type === 'C')!.body.toString()).toBe('COPY 3\0');
    raw.write(query("COPY (SELECT 'a\tb' AS s, NULL AS n) TO STDOUT"));
    const text = (await raw.untilReady()).filter((m) => m.type === 'd').map((m) => m.body.toString()).join('');
    expect(text).toBe('a\\tb\t\\N\n');
    raw.close();
  });

  it('loads COPY t FROM STDIN in text and CSV, and survives a failed COPY', async () => {
    await server.query('CREATE TABLE cp (id Int32, s Nullable(String)) ENGINE = MergeTree ORDER BY id');
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    raw.write(query('COPY cp (id, s) FROM STDIN'));
    expect((await raw.message())!.type).toBe('G');
    raw.write(frontend('d', '1\tone\n2\t\\N\n'));
    raw.write(frontend('d', '3\tthree\n'));
    raw.write(frontend('c'));
    const done = await raw.untilReady();
    expect(done.find((m) => m.type === 'C')!.body.toString()).toBe('COPY 3\0');
    raw.write(query('COPY cp FROM STDIN WITH (FORMAT csv)'));
    expect((await raw.message())!.type).toBe('G');
    raw.write(frontend('d', '4,"four, with comma"\n5,\n'));
    raw.write(frontend('c'));
    expect((await raw.untilReady()).find((m) => m.type === 'C')!.body.toString()).toBe('COPY 2\0');
    raw.write(query('COPY cp FROM STDIN'));
    expect((await raw.message())!.type).toBe('G');
    raw.write(frontend('d', 'not-a-number\tx\n'));
    raw.write(frontend('c'));
    const failed = await raw.untilReady();
    expect(failed.some((m) => m.type === 'E')).toBe(true);
    raw.write(query('SELECT 1'));
    expect((await raw.untilReady()).map((m) => m.type)).toEqual(['T', 'D', 'C', 'Z']);
    raw.close();
    expect(await server.query('SELECT id, s FROM cp ORDER BY id FORMAT CSV')).toBe('1,"one"\n2,\\N\n3,"three"\n4,"four, with comma"\n5,\\N\n');
  });

  it('answers SSLRequest and GSSENCRequest with N', async () => {
    const raw = await RawPgClient.connect(port);
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    raw.write(ssl);
    const got = await new Promise<Buffer>((r) => raw.socket.once('data', r));
    expect(got.toString()).toBe('N');
    raw.close();
  });

  it('skips messages after an extended-protocol error until Sync', async () => {
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    raw.write(frontend('P', '\0SELECT * FROM no_such_table\0\0\0'));
    raw.write(frontend('B', '\0\0\0\0\0\0\0\0'));
    raw.write(frontend('E', '\0\0\0\0\0'));
    raw.write(frontend('S'));
    const msgs = await raw.untilReady();
    expect(msgs.map((m) => m.type)).toEqual(['1', '2', 'E', 'Z']);
    expect(errorCode(msgs[2]!.body)).toBe('42P01');
    raw.close();
  });
});

describe('Postgres wire protocol: bad input', () => {
  const cases: [string, Buffer][] = [
    ['garbage before startup', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['huge startup length', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0])],
    ['unsupported protocol version', Buffer.from([0, 0, 0, 8, 0, 9, 0, 0])],
  ];
  for (const [name, bytes] of cases) {
    it(`closes the connection on ${name}; the server keeps serving`, async () => {
      const raw = await RawPgClient.connect(port);
      raw.write(bytes);
      await raw.waitClosed();
      const c = await connect();
      expect((await c.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await c.end();
    });
  }

  const afterStartup: [string, Buffer][] = [
    ['an unknown message type', frontend('~', 'xyz')],
    ['a huge message length', Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff])],
    ['a negative message length', Buffer.from([0x51, 0xff, 0xff, 0xff, 0xf0])],
    ['a truncated Bind', frontend('B', Buffer.from([0, 0, 0, 1, 0]))],
    ['a Parse without terminators', frontend('P', 'abc')],
    ['a Describe with a bad target', frontend('D', 'Xname\0')],
  ];
  for (const [name, bytes] of afterStartup) {
    it(`answers ${name} with an error or a close; the server keeps serving`, async () => {
      const raw = await RawPgClient.connect(port);
      await raw.startup();
      raw.write(bytes);
      const m = await raw.message();
      if (m) expect(m.type).toBe('E');
      await raw.waitClosed();
      const c = await connect();
      expect((await c.query('SELECT 2 AS ok')).rows).toEqual([{ ok: 2 }]);
      await c.end();
    });
  }

  it('survives a client that disconnects in the middle of a message and of a result', async () => {
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    raw.write(query('SELECT number FROM numbers(10000000)'));
    await raw.message();
    raw.close();
    const half = await RawPgClient.connect(port);
    await half.startup();
    half.write(Buffer.from([0x51, 0, 0, 0, 100, 0x53]));
    half.close();
    const c = await connect();
    expect((await c.query('SELECT 3 AS ok')).rows).toEqual([{ ok: 3 }]);
    await c.end();
  });
});
