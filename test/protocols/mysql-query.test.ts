import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { TestServer } from '../helpers/test-server.js';
import { connect, mysqlError, startMysqlServer } from './mysql-helpers.js';

let server: TestServer & { mysqlPort: number };
beforeAll(async () => {
  server = await startMysqlServer();
  await server.query(`CREATE TABLE all_types (
    id Int32, i8 Int8, u8 UInt8, i16 Int16, u16 UInt16, u32 UInt32, i64 Int64, u64 UInt64,
    f32 Float32, f64 Float64, dec Decimal(10, 3), s String, fs FixedString(3), d Date, dt DateTime, dt64 DateTime64(3),
    n Nullable(Int32), ns Nullable(String), e Enum8('red' = 1, 'green' = 2), b Bool, arr Array(Int32), u UUID, lc LowCardinality(String)
  ) ENGINE = MergeTree ORDER BY id`);
  await server.query(`INSERT INTO all_types VALUES
    (1, -8, 200, -16000, 65000, 4000000000, -9000000000000000000, 18446744073709551615, 1.5, 2.25, 12.345, 'héllo', 'abc',
     '2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.678', NULL, 'x', 'green', true, [1,2,3], '61f0c404-5cb3-11e7-907b-a6006ad3dba0', 'lc'),
    (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '1970-01-01', '1970-01-01 00:00:00', '1970-01-01 00:00:00.000', 7, NULL, 'red', false, [], '00000000-0000-0000-0000-000000000000', '')`);
});
afterAll(async () => {
  await server.stop();
});

describe('MySQL protocol: handshake and authentication', () => {
  it('connects as the password-less default user and runs a query', async () => {
    const c = await connect(server.mysqlPort);
    const [rows] = await c.query<RowDataPacket[]>('SELECT 1 AS x, version() AS v');
    expect(rows).toEqual([{ x: 1, v: '24.8.1.1' }]);
    await c.end();
  });

  it('announces a MySQL-8-looking server version', async () => {
    const c = await connect(server.mysqlPort);
    const [rows] = await c.query<RowDataPacket[]>('SELECT @@version AS v, @@version_comment AS c');
    expect(rows[0]!['v']).toMatch(/^8\.0\.\d+-Hadron-24\.8/);
    expect(rows[0]!['c']).toBe('Hadron');
    await c.end();
  });

  it('checks mysql_native_password against a plaintext password', async () => {
    const c = await connect(server.mysqlPort, { user: 'alice', password: 'secret' });
    const [rows] = await c.query<RowDataPacket[]>('SELECT currentUser() AS u');
    expect(rows[0]!['u']).toBe('alice');
    await c.end();
    const bad = await mysqlError(connect(server.mysqlPort, { user: 'alice', password: 'wrong' }));
    expect(bad.errno).toBe(1045);
    expect(bad.sqlState).toBe('28000');
    expect(bad.message).toContain('AUTHENTICATION_FAILED');
  });

  it('switches to caching_sha2_password for users known only by SHA-256', async () => {
    const c = await connect(server.mysqlPort, { user: 'bob', password: 'hunter2' });
    const [rows] = await c.query<RowDataPacket[]>('SELECT currentUser() AS u');
    expect(rows[0]!['u']).toBe('bob');
    await c.end();
    expect((await mysqlError(connect(server.mysqlPort, { user: 'bob', password: 'hunter3' }))).errno).toBe(1045);
    expect((await mysqlError(connect(server.mysqlPort, { user: 'bob', password: '' }))).errno).toBe(1045);
    expect((await mysqlError(connect(server.mysqlPort, { user: 'nobody', password: 'x' }))).errno).toBe(1045);
    expect((await mysqlError(connect(server.mysqlPort, { user: 'default', password: 'x' }))).errno).toBe(1045);
  });

  it('honours the database in the handshake and rejects an unknown one', async () => {
    await server.query('CREATE DATABASE IF NOT EXISTS shop');
    const c = await connect(server.mysqlPort, { database: 'shop' });
    const [rows] = await c.query<RowDataPacket[]>('SELECT DATABASE() AS db');
    expect(rows[0]!['db']).toBe('shop');
    await c.end();
    const bad = await mysqlError(connect(server.mysqlPort, { database: 'no_such_db' }));
    expect(bad.errno).toBe(1049);
    expect(bad.sqlState).toBe('42000');
  });
});

describe('MySQL protocol: text result sets', () => {
  it('returns every type with MySQL column types and flags', async () => {
    const c = await connect(server.mysqlPort, { supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
    const [rows, fields] = await c.query<RowDataPacket[]>('SELECT * FROM all_types ORDER BY id');
    expect(rows[0]).toEqual({
      id: 1, i8: -8, u8: 200, i16: -16000, u16: 65000, u32: 4000000000, i64: '-9000000000000000000', u64: '18446744073709551615',
      f32: 1.5, f64: 2.25, dec: '12.345', s: 'héllo', fs: 'abc', d: '2024-02-29', dt: '2024-01-02 03:04:05', dt64: '2024-01-02 03:04:05.678',
      n: null, ns: 'x', e: 'green', b: 1, arr: '[1,2,3]', u: '61f0c404-5cb3-11e7-907b-a6006ad3dba0', lc: 'lc',
    });
    expect(rows[1]).toMatchObject({ n: 7, ns: null, e: 'red', b: 0, arr: '[]', s: '' });
    const byName = new Map((fields as FieldPacket[]).map((f) => [f.name, f]));
    const type = (n: string) => byName.get(n)!.columnType;
    expect([type('i8'), type('i16'), type('id'), type('i64'), type('f32'), type('f64'), type('dec')]).toEqual([1, 2, 3, 8, 4, 5, 246]);
    expect([type('d'), type('dt'), type('dt64'), type('b')]).toEqual([10, 12, 12, 1]);
    expect(byName.get('dec')!.decimals).toBe(3);
    expect(byName.get('dt64')!.decimals).toBe(3);
    const flags = (n: string) => byName.get(n)!.flags as number;
    expect(flags('u64') & 32).toBe(32); // UNSIGNED
    expect(flags('i64') & 32).toBe(0);
    expect(flags('id') & 1).toBe(1); // NOT_NULL
    expect(flags('n') & 1).toBe(0);
    expect(flags('e') & 256).toBe(256); // ENUM
    await c.end();
  });

  it('streams a large result and keeps the connection usable', async () => {
    const c = await connect(server.mysqlPort);
    const [rows] = await c.query<RowDataPacket[]>('SELECT number AS n, toString(number) AS s FROM numbers(200000)');
    expect(rows.length).toBe(200000);
    expect(rows[199999]).toEqual({ n: 199999, s: '199999' });
    const [again] = await c.query<RowDataPacket[]>('SELECT 2 AS two');
    expect(again).toEqual([{ two: 2 }]);
    await c.end();
  });

  it('runs DDL and INSERT and reports affected rows', async () => {
    const c = await connect(server.mysqlPort);
    await c.query('CREATE TABLE IF NOT EXISTS ins (a Int32, b String) ENGINE = Memory');
    const [res] = await c.query('INSERT INTO ins VALUES (1, \'a\'), (2, \'b\')');
    expect((res as { affectedRows: number }).affectedRows).toBe(2);
    const [rows] = await c.query<RowDataPacket[]>('SELECT `a`, `b` FROM `default`.`ins` ORDER BY a');
    expect(rows).toEqual([{ a: 1, b: 'a' }, { a: 2, b: 'b' }]);
    await c.end();
  });

  it('runs several statements in one COM_QUERY when multi-statements are on', async () => {
    const c = await connect(server.mysqlPort, { multipleStatements: true });
    const [results] = await c.query('SELECT 1 AS a; SELECT 2 AS b; SET autocommit = 1');
    expect((results as unknown[]).length).toBe(3);
    expect((results as RowDataPacket[][])[0]).toEqual([{ a: 1 }]);
    expect((results as RowDataPacket[][])[1]).toEqual([{ b: 2 }]);
    await c.end();
  });
});

describe('MySQL protocol: what MySQL clients send', () => {
  it('answers Connector/J\'s variable query', async () => {
    const c = await connect(server.mysqlPort);
    const [rows] = await c.query<RowDataPacket[]>(
      '/* mysql-connector-j-9.1.0 */SELECT  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, ' +
        '@@character_set_connection AS character_set_connection, @@character_set_results AS character_set_results, @@character_set_server AS character_set_server, ' +
        '@@collation_server AS collation_server, @@collation_connection AS collation_connection, @@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, ' +
        '@@license AS license, @@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS max_allowed_packet, @@net_write_timeout AS net_write_timeout, ' +
        '@@performance_schema AS performance_schema, @@query_cache_size AS query_cache_size, @@query_cache_type AS query_cache_type, @@sql_mode AS sql_mode, ' +
        '@@system_time_zone AS system_time_zone, @@time_zone AS time_zone, @@transaction_isolation AS transaction_isolation, @@tx_isolation AS tx_isolation, @@wait_timeout AS wait_timeout',
    );
    expect(rows[0]).toMatchObject({
      auto_increment_increment: 1, character_set_client: 'utf8mb4', collation_connection: 'utf8mb4_general_ci', init_connect: '',
      lower_case_table_names: 0, max_allowed_packet: 67108864, performance_schema: 0, system_time_zone: 'UTC', time_zone: 'SYSTEM',
      transaction_isolation: 'REPEATABLE-READ', tx_isolation: 'REPEATABLE-READ', wait_timeout: 28800, query_cache_type: 'OFF',
    });
    await c.end();
  });

  it('names bare @@variables as MySQL does and rejects unknown ones', async () => {
    const c = await connect(server.mysqlPort);
    const [rows, fields] = await c.query<RowDataPacket[]>('select @@version_comment limit 1');
    expect((fields as FieldPacket[])[0]!.name).toBe('@@version_comment');
    expect(rows[0]!['@@version_comment']).toBe('Hadron');
    const e = await mysqlError(c.query('SELECT @@no_such_variable'));
    expect(e.errno).toBe(1193);
    await c.end();
  });

  it('keeps SET values per session: autocommit, sql_mode, NAMES, isolation level, user variables', async () => {
    const c = await connect(server.mysqlPort);
    await c.query('SET NAMES utf8mb4 COLLATE utf8mb4_bin');
    await c.query('SET autocommit = 0');
    await c.query("SET SESSION sql_mode = 'ANSI_QUOTES'");
    await c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await c.query('SET @@session.wait_timeout = 100, @answer = 40 + 2');
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT @@autocommit AS ac, @@sql_mode AS m, @@collation_connection AS coll, @@transaction_isolation AS iso, @@wait_timeout AS wt, @answer AS ans',
    );
    expect(rows[0]).toEqual({ ac: 0, m: 'ANSI_QUOTES', coll: 'utf8mb4_bin', iso: 'READ-COMMITTED', wt: 100, ans: 42 });
    const other = await connect(server.mysqlPort);
    const [rows2] = await other.query<RowDataPacket[]>('SELECT @@autocommit AS ac');
    expect(rows2[0]!['ac']).toBe(1);
    await other.end();
    await c.end();
  });

  it('passes ClickHouse settings in SET to the engine', async () => {
    const c = await connect(server.mysqlPort);
    await c.query('SET max_threads = 3');
    const [rows] = await c.query<RowDataPacket[]>("SELECT getSetting('max_threads') AS v");
    expect(String(rows[0]!['v'])).toBe('3');
    expect((await mysqlError(c.query('SET nosuchsetting = 1'))).errno).toBe(1193);
    await c.end();
  });

  it('answers SHOW VARIABLES, STATUS, WARNINGS, ENGINES, COLLATION and CHARACTER SET', async () => {
    const c = await connect(server.mysqlPort);
    const [vars] = await c.query<RowDataPacket[]>("SHOW VARIABLES LIKE 'max_allowed%'");
    expect(vars).toEqual([{ Variable_name: 'max_allowed_packet', Value: '67108864' }]);
    const [where] = await c.query<RowDataPacket[]>("SHOW SESSION VARIABLES WHERE Variable_name IN ('autocommit', 'lower_case_table_names')");
    expect(where).toEqual([{ Variable_name: 'autocommit', Value: 'ON' }, { Variable_name: 'lower_case_table_names', Value: '0' }]);
    const [status] = await c.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Uptime'");
    expect(status.length).toBe(1);
    const [warnings, wf] = await c.query<RowDataPacket[]>('SHOW WARNINGS');
    expect(warnings).toEqual([]);
    expect((wf as FieldPacket[]).map((f) => f.name)).toEqual(['Level', 'Code', 'Message']);
    const [engines] = await c.query<RowDataPacket[]>('SHOW ENGINES');
    expect(engines.map((r) => r['Engine'])).toContain('MergeTree');
    const [coll] = await c.query<RowDataPacket[]>("SHOW COLLATION LIKE 'utf8mb4_general%'");
    expect(coll[0]).toMatchObject({ Collation: 'utf8mb4_general_ci', Charset: 'utf8mb4', Id: 45 });
    const [cs] = await c.query<RowDataPacket[]>('SHOW CHARACTER SET LIKE \'utf8mb4\'');
    expect(cs[0]).toMatchObject({ Charset: 'utf8mb4', Maxlen: 4 });
    await c.end();
  });

  it('lists databases, tables, table status and columns with MySQL names and types', async () => {
    const c = await connect(server.mysqlPort);
    const [dbs] = await c.query<RowDataPacket[]>('SHOW DATABASES');
    expect(dbs.map((r) => r['Database'])).toEqual(expect.arrayContaining(['default', 'system']));
    const [tables] = await c.query<RowDataPacket[]>("SHOW FULL TABLES FROM `default` LIKE 'all_%'");
    expect(tables).toEqual([{ Tables_in_default: 'all_types', Table_type: 'BASE TABLE' }]);
    const [status] = await c.query<RowDataPacket[]>("SHOW TABLE STATUS LIKE 'all_types'");
    expect(status[0]).toMatchObject({ Name: 'all_types', Engine: 'MergeTree', Rows: 2 });
    const [cols] = await c.query<RowDataPacket[]>('SHOW FULL COLUMNS FROM all_types');
    const types = Object.fromEntries(cols.map((r) => [r['Field'], [r['Type'], r['Null']]]));
    expect(types).toMatchObject({
      id: ['int', 'NO'], u8: ['tinyint unsigned', 'NO'], u64: ['bigint unsigned', 'NO'], f64: ['double', 'NO'], dec: ['decimal(10,3)', 'NO'],
      s: ['text', 'NO'], d: ['date', 'NO'], dt: ['datetime', 'NO'], dt64: ['datetime(3)', 'NO'], n: ['int', 'YES'], e: ["enum('red','green')", 'NO'],
      b: ['tinyint(1)', 'NO'], u: ['char(36)', 'NO'], lc: ['text', 'NO'],
    });
    expect(cols[0]).toHaveProperty('Collation');
    const e = await mysqlError(c.query('SHOW COLUMNS FROM no_such_table'));
    expect(e.errno).toBe(1146);
    await c.end();
  });

  it('answers DATABASE(), CONNECTION_ID(), transactions as no-ops, FROM DUAL and USE', async () => {
    const c = await connect(server.mysqlPort);
    const [rows] = await c.query<RowDataPacket[]>('SELECT DATABASE() AS db, CONNECTION_ID() AS id FROM DUAL');
    expect(rows[0]).toEqual({ db: 'default', id: c.threadId });
    for (const sql of ['START TRANSACTION', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SET TRANSACTION READ ONLY']) await c.query(sql);
    await c.query('USE system');
    const [db] = await c.query<RowDataPacket[]>('SELECT DATABASE() AS db');
    expect(db[0]!['db']).toBe('system');
    const [pl] = await c.query<RowDataPacket[]>('SHOW PROCESSLIST');
    expect(pl.some((r) => r['Id'] === c.threadId && r['Command'] === 'Query')).toBe(true);
    await c.end();
  });

  it('reads MySQL-shaped information_schema tables, as Connector/J queries them', async () => {
    const c = await connect(server.mysqlPort);
    const [rows] = await c.query<RowDataPacket[]>("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'default' AND table_name = 'all_types'");
    expect(rows).toEqual([{ TABLE_NAME: 'all_types', TABLE_TYPE: 'BASE TABLE' }]);
    // Connector/J's getTables: HAVING without GROUP BY on an alias that shadows a column.
    const [tables] = await c.query<RowDataPacket[]>(
      "SELECT TABLE_SCHEMA AS TABLE_CAT, NULL AS TABLE_SCHEM, TABLE_NAME, CASE WHEN TABLE_TYPE='BASE TABLE' THEN 'TABLE' ELSE TABLE_TYPE END AS TABLE_TYPE " +
        "FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'default' AND TABLE_NAME LIKE 'all%' HAVING TABLE_TYPE IN ('TABLE', null) ORDER BY TABLE_TYPE, TABLE_SCHEMA, TABLE_NAME",
    );
    expect(tables).toEqual([{ TABLE_CAT: 'default', TABLE_SCHEM: null, TABLE_NAME: 'all_types', TABLE_TYPE: 'TABLE' }]);
    // Connector/J's getColumns: UPPER over numbers, an alias named like the column it is computed from.
    const [cols] = await c.query<RowDataPacket[]>(
      "SELECT COLUMN_NAME, CASE WHEN UPPER(DATA_TYPE)='INT' THEN 4 WHEN UPPER(DATA_TYPE)='DECIMAL' THEN 3 ELSE 1111 END AS DATA_TYPE, UPPER(DATA_TYPE) AS TYPE_NAME, " +
        "UPPER(CASE WHEN CHARACTER_MAXIMUM_LENGTH IS NULL THEN NUMERIC_PRECISION ELSE CHARACTER_MAXIMUM_LENGTH END) AS COLUMN_SIZE, COLUMN_TYPE, IS_NULLABLE " +
        "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'default' AND TABLE_NAME = 'all_types' AND COLUMN_NAME IN ('id', 'dec', 'n', 'u64') ORDER BY ORDINAL_POSITION",
    );
    expect(cols).toEqual([
      { COLUMN_NAME: 'id', DATA_TYPE: 4, TYPE_NAME: 'INT', COLUMN_SIZE: '10', COLUMN_TYPE: 'int', IS_NULLABLE: 'NO' },
      { COLUMN_NAME: 'u64', DATA_TYPE: 1111, TYPE_NAME: 'BIGINT', COLUMN_SIZE: '20', COLUMN_TYPE: 'bigint unsigned', IS_NULLABLE: 'NO' },
      { COLUMN_NAME: 'dec', DATA_TYPE: 3, TYPE_NAME: 'DECIMAL', COLUMN_SIZE: '10', COLUMN_TYPE: 'decimal(10,3)', IS_NULLABLE: 'NO' },
      { COLUMN_NAME: 'n', DATA_TYPE: 4, TYPE_NAME: 'INT', COLUMN_SIZE: '10', COLUMN_TYPE: 'int', IS_NULLABLE: 'YES' },
    ]);
    const [schemata] = await c.query<RowDataPacket[]>("SELECT * FROM information_schema.schemata WHERE schema_name = 'default'");
    expect(schemata).toEqual([{ CATALOG_NAME: 'def', SCHEMA_NAME: 'default', DEFAULT_CHARACTER_SET_NAME: 'utf8mb4', DEFAULT_COLLATION_NAME: 'utf8mb4_general_ci', SQL_PATH: null, DEFAULT_ENCRYPTION: 'NO' }]);
    await c.end();
  });

  it('KILL QUERY from another connection cancels a long query', async () => {
    const a = await connect(server.mysqlPort);
    const b = await connect(server.mysqlPort);
    const running = mysqlError(a.query('SELECT count() FROM numbers(100000000000)'));
    // Wait until the query is running on connection a.
    for (;;) {
      const [pl] = await b.query<RowDataPacket[]>('SHOW PROCESSLIST');
      if (pl.some((r) => r['Id'] === a.threadId && r['Command'] === 'Query')) break;
    }
    await b.query(`KILL QUERY ${a.threadId}`);
    const e = await running;
    expect(e.errno).toBe(1317);
    expect(e.message).toContain('QUERY_WAS_CANCELLED');
    const [rows] = await a.query<RowDataPacket[]>('SELECT 1 AS still_alive');
    expect(rows).toEqual([{ still_alive: 1 }]);
    expect((await mysqlError(b.query('KILL QUERY 987654'))).errno).toBe(1094);
    await a.end();
    await b.end();
  });

  it('KILL CONNECTION closes the other connection', async () => {
    const a = await connect(server.mysqlPort);
    const b = await connect(server.mysqlPort);
    const closed = new Promise<void>((resolve) => a.on('error', () => resolve()));
    await b.query(`KILL ${a.threadId}`);
    await closed;
    await b.end();
  });
});
