import { describe, expect, it } from 'vitest';
import type { AlterStatement, CreateFunctionStatement, CreateTableStatement, CreateViewStatement, Expr, TypeAst } from '../../src/sql/index.js';
import { parse, roundTrip } from './helpers.js';

const id = (...parts: string[]): Expr => ({ kind: 'identifier', parts });
const n = (value: number): Expr => ({ kind: 'literal', value, text: String(value) });
const t = (name: string, ...args: TypeAst[]): TypeAst => ({ name, args: args.map((type) => ({ kind: 'type' as const, type })) });

describe('CREATE TABLE / STREAM', () => {
  it('parses columns with types and modifiers', () => {
    const st = parse(
      "CREATE STREAM IF NOT EXISTS db.s (a int32, b Nullable(String) DEFAULT 'x', c float64 NOT NULL MATERIALIZED a * 2 COMMENT 'cc', " +
        "d string ALIAS upper(b), e DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)) TTL e + INTERVAL 1 DAY, f EPHEMERAL, g int NULL)",
    ) as CreateTableStatement;
    expect(st).toMatchObject({ kind: 'create_table', objectKind: 'STREAM', ifNotExists: true, orReplace: false, temporary: false, table: { database: 'db', name: 's' } });
    expect(st.columns).toEqual([
      { name: 'a', type: t('int32') },
      { name: 'b', type: t('Nullable', t('String')), defaultKind: 'DEFAULT', defaultExpr: { kind: 'literal', value: 'x' } },
      { name: 'c', type: t('float64'), nullable: false, defaultKind: 'MATERIALIZED', defaultExpr: { kind: 'function', name: 'multiply', args: [id('a'), n(2)] }, comment: 'cc' },
      { name: 'd', type: t('string'), defaultKind: 'ALIAS', defaultExpr: { kind: 'function', name: 'upper', args: [id('b')] } },
      {
        name: 'e',
        type: { name: 'DateTime64', args: [{ kind: 'number', value: 3 }, { kind: 'string', value: 'UTC' }] },
        codec: 'Delta, ZSTD(1)',
        ttl: { kind: 'function', name: 'plus', args: [id('e'), { kind: 'function', name: 'toIntervalDay', args: [n(1)] }] },
      },
      { name: 'f', defaultKind: 'EPHEMERAL' },
      { name: 'g', type: t('int'), nullable: true },
    ]);
  });

  it('parses engines and storage clauses in any order', () => {
    const st = parse(
      'CREATE TABLE t (d Date, id UInt64, INDEX ix id TYPE minmax GRANULARITY 4, CONSTRAINT c CHECK id > 0) ' +
        "ENGINE = ReplacingMergeTree(ver) ORDER BY (id, d) PARTITION BY toYYYYMM(d) PRIMARY KEY id SAMPLE BY id TTL d + INTERVAL 1 MONTH DELETE SETTINGS index_granularity = 8192 COMMENT 'tbl'",
    ) as CreateTableStatement;
    expect(st.engine).toEqual({ name: 'ReplacingMergeTree', args: [id('ver')] });
    expect(st.orderBy).toEqual([id('id'), id('d')]);
    expect(st.partitionBy).toEqual({ kind: 'function', name: 'toYYYYMM', args: [id('d')] });
    expect(st.primaryKey).toEqual([id('id')]);
    expect(st.sampleBy).toEqual(id('id'));
    expect(st.ttl).toHaveLength(1);
    expect(st.settings).toEqual({ index_granularity: 8192 });
    expect(st.comment).toBe('tbl');
    expect(st.indexes).toEqual([{ name: 'ix', expr: id('id'), type: 'minmax', granularity: 4 }]);
    expect(st.constraints).toEqual([{ name: 'c', check: { kind: 'function', name: 'greater', args: [id('id'), n(0)] } }]);
    expect((parse('CREATE TABLE t (a int) ENGINE = Memory') as CreateTableStatement).engine).toEqual({ name: 'Memory', args: [] });
    expect((parse('CREATE TABLE t (a int) ENGINE MergeTree() ORDER BY tuple()') as CreateTableStatement).orderBy).toEqual([]);
    expect((parse('CREATE TABLE t (a int PRIMARY KEY, b int) ENGINE = MergeTree') as CreateTableStatement).primaryKey).toEqual([id('a')]);
    expect((parse('CREATE TABLE t (a int, PRIMARY KEY (a)) ENGINE = MergeTree') as CreateTableStatement).primaryKey).toEqual([id('a')]);
  });

  it("parses Proton's stream kinds and settings", () => {
    expect(parse("CREATE RANDOM STREAM devices(device string default 'device' || to_string(rand() % 4), temperature float default rand() % 1000 / 10) SETTINGS eps = 1000")).toMatchObject({
      objectKind: 'RANDOM STREAM',
      columns: [{ name: 'device' }, { name: 'temperature' }],
      settings: { eps: 1000 },
    });
    expect(parse("CREATE EXTERNAL STREAM e (raw string) SETTINGS type = 'kafka', brokers = 'localhost:9092', topic = 't'")).toMatchObject({
      objectKind: 'EXTERNAL STREAM',
      settings: { type: 'kafka', brokers: 'localhost:9092', topic: 't' },
    });
    expect(parse("CREATE STREAM s (i int, k string) PRIMARY KEY k SETTINGS mode = 'versioned_kv', version_column = 'i'")).toMatchObject({
      primaryKey: [id('k')],
      settings: { mode: 'versioned_kv', version_column: 'i' },
    });
    expect(parse('CREATE OR REPLACE TEMPORARY TABLE t (a int)')).toMatchObject({ orReplace: true, temporary: true });
  });

  it('parses AS SELECT, AS other table and AS table function', () => {
    expect(parse('CREATE TABLE t ENGINE = MergeTree ORDER BY x AS SELECT 1 AS x')).toMatchObject({ asSelect: { kind: 'select' }, orderBy: [id('x')] });
    expect(parse('CREATE TABLE t AS db.other ENGINE = Memory')).toMatchObject({ asTable: { database: 'db', name: 'other' }, engine: { name: 'Memory' } });
    expect(parse('CREATE TABLE t AS numbers(10)')).toMatchObject({ asTableFunction: { kind: 'table_function', name: 'numbers', args: [n(10)] } });
  });
});

describe('CREATE VIEW / DATABASE / FUNCTION', () => {
  it('parses views and materialized views', () => {
    expect(parse('CREATE VIEW IF NOT EXISTS v AS SELECT 1')).toMatchObject({ kind: 'create_view', materialized: false, ifNotExists: true, query: { kind: 'select' } });
    const mv = parse('CREATE MATERIALIZED VIEW mv INTO target AS SELECT count() FROM s EMIT PERIODIC 1s') as CreateViewStatement;
    expect(mv).toMatchObject({ materialized: true, view: { name: 'mv' }, target: { name: 'target' }, query: { emit: { periodic: {} } } });
    expect(parse('CREATE MATERIALIZED VIEW mv TO db.t AS SELECT 1')).toMatchObject({ target: { database: 'db', name: 't' } });
    expect(parse('CREATE MATERIALIZED VIEW mv (a int) ENGINE = MergeTree ORDER BY a POPULATE AS SELECT 1 AS a')).toMatchObject({
      columns: [{ name: 'a' }],
      engine: { name: 'MergeTree' },
      orderBy: [id('a')],
      populate: true,
    });
  });

  it('parses CREATE DATABASE', () => {
    expect(parse("CREATE DATABASE IF NOT EXISTS d ENGINE = Atomic COMMENT 'c'")).toEqual({
      kind: 'create_database',
      ifNotExists: true,
      name: 'd',
      engine: { name: 'Atomic', args: [] },
      comment: 'c',
    });
  });

  it('parses SQL and JavaScript UDFs', () => {
    expect(parse('CREATE FUNCTION f AS (x, y) -> x + y')).toEqual({
      kind: 'create_function',
      orReplace: false,
      ifNotExists: false,
      name: 'f',
      aggregate: false,
      lambda: { kind: 'lambda', params: ['x', 'y'], body: { kind: 'function', name: 'plus', args: [id('x'), id('y')] } },
    });
    const js = parse('CREATE OR REPLACE FUNCTION is_ok(s string, n int) RETURNS bool LANGUAGE JAVASCRIPT AS $$ function is_ok(s, n) { return s.map(v => v === "ok"); } $$') as CreateFunctionStatement;
    expect(js).toMatchObject({
      orReplace: true,
      aggregate: false,
      args: [{ name: 's', type: { name: 'string' } }, { name: 'n', type: { name: 'int' } }],
      returns: { name: 'bool', args: [] },
      language: 'JAVASCRIPT',
      body: ' function is_ok(s, n) { return s.map(v => v === "ok"); } ',
    });
    const agg = parse("CREATE AGGREGATE FUNCTION f(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS '{ initialize() {} }'") as CreateFunctionStatement;
    expect(agg).toMatchObject({ aggregate: true, body: '{ initialize() {} }' });
    expect(parse("CREATE REMOTE FUNCTION ip(ip string) RETURNS string URL 'http://x' AUTH_METHOD 'none'")).toMatchObject({
      language: 'REMOTE',
      options: { url: 'http://x', auth_method: 'none' },
    });
  });
});

describe('ALTER', () => {
  it('parses the commands', () => {
    const st = parse(
      "ALTER STREAM s ADD COLUMN IF NOT EXISTS c int DEFAULT 1 AFTER b, DROP COLUMN IF EXISTS d, MODIFY COLUMN e string, RENAME COLUMN f TO g, COMMENT COLUMN h 'x', " +
        "MODIFY SETTING a = 1, RESET SETTING a, b, MODIFY TTL t + INTERVAL 1 DAY, REMOVE TTL, MODIFY ORDER BY (a, b), MODIFY COMMENT 'c'",
    ) as AlterStatement;
    expect(st.objectKind).toBe('STREAM');
    expect(st.commands).toEqual([
      { kind: 'add_column', ifNotExists: true, column: { name: 'c', type: { name: 'int', args: [] }, defaultKind: 'DEFAULT', defaultExpr: n(1) }, after: 'b' },
      { kind: 'drop_column', name: 'd', ifExists: true },
      { kind: 'modify_column', column: { name: 'e', type: { name: 'string', args: [] } }, ifExists: false },
      { kind: 'rename_column', from: 'f', to: 'g', ifExists: false },
      { kind: 'comment_column', name: 'h', comment: 'x' },
      { kind: 'modify_setting', settings: { a: 1 } },
      { kind: 'reset_setting', names: ['a', 'b'] },
      { kind: 'modify_ttl', ttl: [{ kind: 'function', name: 'plus', args: [id('t'), { kind: 'function', name: 'toIntervalDay', args: [n(1)] }] }] },
      { kind: 'remove_ttl' },
      { kind: 'modify_order_by', orderBy: [id('a'), id('b')] },
      { kind: 'modify_comment', comment: 'c' },
    ]);
  });

  it('parses mutations, partitions, MODIFY QUERY and other commands', () => {
    expect((parse('ALTER TABLE t DELETE WHERE a = 1 SETTINGS mutations_sync = 2') as AlterStatement)).toMatchObject({
      commands: [{ kind: 'delete', where: { name: 'equals' } }],
      settings: { mutations_sync: 2 },
    });
    expect((parse('ALTER TABLE t UPDATE a = a + 1, b = 2 WHERE c') as AlterStatement).commands).toEqual([
      { kind: 'update', assignments: [{ column: 'a', expr: { kind: 'function', name: 'plus', args: [id('a'), n(1)] } }, { column: 'b', expr: n(2) }], where: id('c') },
    ]);
    expect((parse("ALTER TABLE t DROP PARTITION '2020-01'") as AlterStatement).commands).toEqual([{ kind: 'drop_partition', partition: { kind: 'literal', value: '2020-01' } }]);
    expect((parse('ALTER VIEW v MODIFY QUERY SELECT 2') as AlterStatement).commands).toMatchObject([{ kind: 'modify_query', query: { kind: 'select' } }]);
    expect((parse('ALTER TABLE t ADD INDEX ix a TYPE minmax GRANULARITY 1, DROP COLUMN x') as AlterStatement).commands).toEqual([
      { kind: 'other', text: 'ADD INDEX ix a TYPE minmax GRANULARITY 1' },
      { kind: 'drop_column', name: 'x', ifExists: false },
    ]);
  });

  it('parses DELETE FROM', () => {
    expect(parse('DELETE FROM db.t WHERE x > 1')).toEqual({ kind: 'delete', target: { database: 'db', name: 't' }, where: { kind: 'function', name: 'greater', args: [id('x'), n(1)] } });
  });
});

describe('DDL round trips', () => {
  const statements = [
    "CREATE STREAM IF NOT EXISTS db.s (a int32, b Nullable(String) DEFAULT 'x' COMMENT 'c', c Tuple(a Int32, b String), d Enum8('a' = 1, 'b' = -2), e float64 CODEC(ZSTD(1)) TTL now()) ENGINE = MergeTree PARTITION BY toDate(a) PRIMARY KEY a ORDER BY (a, b) SAMPLE BY a TTL a + INTERVAL 1 DAY SETTINGS x = 1 COMMENT 'tbl'",
    'CREATE TABLE t (a int, INDEX ix a TYPE set(100) GRANULARITY 2, CONSTRAINT c CHECK a > 1) ENGINE = Memory',
    'CREATE TABLE t ENGINE = MergeTree ORDER BY tuple() AS SELECT 1',
    'CREATE TABLE t AS other',
    'CREATE TABLE t AS remote(\'h\', db, t)',
    "CREATE RANDOM STREAM r (a int DEFAULT rand()) SETTINGS eps = 10",
    "CREATE EXTERNAL STREAM e (raw string) SETTINGS type = 'kafka', topic = 't'",
    'CREATE MATERIALIZED VIEW IF NOT EXISTS mv INTO t AS SELECT a, count() FROM s GROUP BY a',
    'CREATE OR REPLACE VIEW v AS SELECT 1 UNION ALL SELECT 2',
    'CREATE DATABASE d',
    'CREATE FUNCTION f AS x -> x * 2',
    "CREATE AGGREGATE FUNCTION f(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ { initialize() {} } $$",
    "CREATE REMOTE FUNCTION f(ip string) RETURNS string URL 'http://x'",
    "ALTER STREAM s ADD COLUMN c int FIRST, MODIFY SETTING a = 'b', RESET SETTING a, MODIFY ORDER BY tuple(), DELETE WHERE 1, UPDATE a = 1 WHERE b, DROP PARTITION 1, REMOVE TTL",
    'ALTER TABLE t ADD INDEX ix a TYPE minmax GRANULARITY 1',
    'DELETE FROM t WHERE a = 1',
  ];
  it.each(statements)('%s', (sql) => {
    roundTrip(sql);
  });
});
