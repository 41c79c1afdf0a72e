import { describe, expect, it } from 'vitest';
import { DbError } from '../../src/errors/index.js';
import type { InsertStatement } from '../../src/sql/index.js';
import { parseStatement, parseStatements, splitStatements } from '../../src/sql/index.js';
import { parse, roundTrip } from './helpers.js';

describe('INSERT', () => {
  it('finds where VALUES data starts without parsing it', () => {
    const sql = "INSERT INTO db.t (a, b) VALUES (1, 'x'), (2, 'y')";
    const st = parseStatement(sql) as InsertStatement;
    expect(st).toMatchObject({ kind: 'insert', target: { database: 'db', name: 't' }, columns: ['a', 'b'], format: 'Values' });
    expect(sql.slice(st.dataOffset)).toBe("(1, 'x'), (2, 'y')");
    expect(st.dataEnd).toBeUndefined();
  });

  it('does not tokenize the data (garbage after VALUES is fine)', () => {
    const sql = "INSERT INTO t VALUES (1, 'unterminated";
    const st = parseStatement(sql) as InsertStatement;
    expect(sql.slice(st.dataOffset)).toBe("(1, 'unterminated");
  });

  it('finds FORMAT data after one line break', () => {
    const sql = 'INSERT INTO t FORMAT CSV\n1,2\n3,4\n';
    const st = parseStatement(sql) as InsertStatement;
    expect(st.format).toBe('CSV');
    expect(sql.slice(st.dataOffset)).toBe('1,2\n3,4\n');
    const inline = 'INSERT INTO t FORMAT JSONEachRow {"a":1}';
    expect(inline.slice((parseStatement(inline) as InsertStatement).dataOffset)).toBe('{"a":1}');
  });

  it('parses INSERT forms', () => {
    expect(parse('INSERT INTO STREAM s SELECT * FROM t')).toMatchObject({ target: { name: 's' }, select: { kind: 'select' } });
    expect(parse('INSERT INTO TABLE t (a) WITH 1 AS x SELECT x')).toMatchObject({ columns: ['a'], select: { with: [{ name: 'x' }] } });
    expect(parse('INSERT INTO t')).toEqual({ kind: 'insert', target: { name: 't' } });
    expect(parse('INSERT INTO FUNCTION remote(\'h\', db.t) VALUES (1)')).toMatchObject({ tableFunction: { name: 'remote' }, format: 'Values' });
    expect(parse('INSERT INTO t SETTINGS async_insert = 1 VALUES (1)')).toMatchObject({ settings: { async_insert: 1 }, format: 'Values' });
    expect(parse('INSERT INTO t (* EXCEPT _tp_time) VALUES (1)')).toMatchObject({ columns: ['*'], columnsExcept: ['_tp_time'] });
    expect(parse('INSERT INTO stream VALUES (1)')).toMatchObject({ target: { name: 'stream' }, format: 'Values' });
    expect(parse("INSERT INTO t FROM INFILE 'f.csv' COMPRESSION 'gzip' FORMAT CSV")).toMatchObject({ infile: 'f.csv', compression: 'gzip', format: 'CSV' });
    expect(parse('INSERT INTO t SELECT * FROM values(\'a int\', 1)')).toMatchObject({ select: { from: { kind: 'table_function', name: 'values' } } });
    const input = "INSERT INTO t SELECT a * 2 FROM input('a int') FORMAT CSV\n1\n2";
    const st = parseStatement(input) as InsertStatement;
    expect(st).toMatchObject({ select: { kind: 'select' }, format: 'CSV' });
    expect(input.slice(st.dataOffset)).toBe('1\n2');
  });

  it('handles a 1 MB VALUES statement quickly', () => {
    const rows: string[] = [];
    for (let i = 0; i < 30000; i++) rows.push(`(${i}, 'text ${i}; (not a terminator)', ${i * 0.5})`);
    const sql = `INSERT INTO t (a, b, c) VALUES ${rows.join(', ')}`;
    expect(sql.length).toBeGreaterThan(1_000_000);
    const t0 = performance.now();
    const st = parseStatement(sql) as InsertStatement;
    expect(performance.now() - t0).toBeLessThan(50);
    expect(sql.slice(st.dataOffset!, st.dataOffset! + 4)).toBe('(0, ');
    const t1 = performance.now();
    const script = parseStatements(`${sql};\nSELECT 1`);
    expect(performance.now() - t1).toBeLessThan(500);
    expect(script.map((s) => s.statement.kind)).toEqual(['insert', 'select']);
    expect((script[0]!.statement as InsertStatement).dataEnd).toBe(sql.length);
  });
});

describe('DROP / TRUNCATE / RENAME / USE / SET', () => {
  it('parses them', () => {
    expect(parse('DROP STREAM IF EXISTS db.s SYNC')).toEqual({ kind: 'drop', objectKind: 'STREAM', ifExists: true, target: { database: 'db', name: 's' }, sync: true });
    expect(parse('DROP DATABASE d')).toEqual({ kind: 'drop', objectKind: 'DATABASE', ifExists: false, target: { name: 'd' } });
    expect(parse('DROP FUNCTION IF EXISTS f')).toMatchObject({ objectKind: 'FUNCTION', target: { name: 'f' } });
    expect(parse('DROP TEMPORARY TABLE t')).toMatchObject({ objectKind: 'TABLE', temporary: true });
    expect(parse('DROP VIEW v')).toMatchObject({ objectKind: 'VIEW' });
    expect(parse('DROP DICTIONARY d')).toMatchObject({ objectKind: 'DICTIONARY' });
    expect(parse('TRUNCATE TABLE IF EXISTS t')).toEqual({ kind: 'truncate', objectKind: 'TABLE', ifExists: true, target: { name: 't' } });
    expect(parse('TRUNCATE s')).toEqual({ kind: 'truncate', ifExists: false, target: { name: 's' } });
    expect(parse('RENAME TABLE a TO b, db.c TO db.d')).toEqual({
      kind: 'rename',
      objectKind: 'TABLE',
      pairs: [
        { from: { name: 'a' }, to: { name: 'b' } },
        { from: { database: 'db', name: 'c' }, to: { database: 'db', name: 'd' } },
      ],
    });
    expect(parse('EXCHANGE TABLES a AND b')).toMatchObject({ kind: 'rename', exchange: true, pairs: [{ from: { name: 'a' }, to: { name: 'b' } }] });
    expect(parse('USE db')).toEqual({ kind: 'use', database: 'db' });
    expect(parse("SET a = 1, b = 'x', c = -2, d = true, e = some_word, f = 1.5")).toEqual({
      kind: 'set',
      settings: { a: 1, b: 'x', c: -2, d: true, e: 'some_word', f: 1.5 },
    });
  });
});

describe('SHOW / DESCRIBE / EXISTS / KILL / OPTIMIZE / EXPLAIN / text statements', () => {
  it('parses SHOW', () => {
    expect(parse('SHOW DATABASES')).toEqual({ kind: 'show', what: 'DATABASES' });
    expect(parse("SHOW TABLES FROM db LIKE 'a%' LIMIT 10 FORMAT JSON")).toMatchObject({ what: 'TABLES', from: { name: 'db' }, like: 'a%', limit: { value: 10 }, format: 'JSON' });
    expect(parse("SHOW STREAMS IN db NOT ILIKE 'x'")).toMatchObject({ what: 'STREAMS', notLike: true, ilike: true, like: 'x' });
    expect(parse('SHOW VIEWS')).toMatchObject({ what: 'VIEWS' });
    expect(parse('SHOW DICTIONARIES')).toMatchObject({ what: 'DICTIONARIES' });
    expect(parse('SHOW CREATE TABLE db.t')).toEqual({ kind: 'show', what: 'CREATE', createKind: 'TABLE', target: { database: 'db', name: 't' } });
    expect(parse('SHOW CREATE STREAM s')).toMatchObject({ createKind: 'STREAM', target: { name: 's' } });
    expect(parse('SHOW CREATE s')).toEqual({ kind: 'show', what: 'CREATE', target: { name: 's' } });
    expect(parse('SHOW CREATE DATABASE d')).toMatchObject({ createKind: 'DATABASE', target: { name: 'd' } });
    expect(parse('SHOW CREATE MATERIALIZED VIEW mv')).toMatchObject({ createKind: 'MATERIALIZED VIEW' });
    expect(parse('SHOW PROCESSLIST')).toEqual({ kind: 'show', what: 'PROCESSLIST' });
    expect(parse('SHOW FULL COLUMNS FROM t FROM db')).toEqual({ kind: 'show', what: 'COLUMNS', full: true, from: { database: 'db', name: 't' } });
    expect(parse("SHOW SETTINGS LIKE 'max%'")).toEqual({ kind: 'show', what: 'SETTINGS', like: 'max%' });
    expect(parse('SHOW FUNCTIONS')).toMatchObject({ what: 'FUNCTIONS' });
    expect(parse('SHOW ENGINES')).toMatchObject({ what: 'ENGINES' });
    expect(parse('SHOW USERS')).toMatchObject({ what: 'USERS' });
    expect(parse('SHOW GRANTS')).toMatchObject({ what: 'GRANTS' });
    expect(parse('SHOW INDEX FROM t')).toMatchObject({ what: 'INDEX', from: { name: 't' } });
    expect(parse('SHOW TABLES WHERE name = 1')).toMatchObject({ what: 'TABLES', where: { name: 'equals' } });
    expect(parse('SHOW ACCESS')).toEqual({ kind: 'system', command: 'SHOW ACCESS' });
  });

  it('parses DESCRIBE and EXISTS', () => {
    expect(parse('DESCRIBE TABLE db.t FORMAT JSON')).toEqual({ kind: 'describe', from: { kind: 'table', database: 'db', name: 't' }, format: 'JSON' });
    expect(parse('DESC t')).toMatchObject({ from: { kind: 'table', name: 't' } });
    expect(parse('DESC numbers(10)')).toMatchObject({ from: { kind: 'table_function', name: 'numbers' } });
    expect(parse('DESC table(s)')).toMatchObject({ from: { kind: 'table_function', name: 'table' } });
    expect(parse('DESC (SELECT 1)')).toMatchObject({ from: { kind: 'subquery' } });
    expect(parse('DESCRIBE TABLE (SELECT 1)')).toMatchObject({ from: { kind: 'subquery' } });
    expect(parse('EXISTS TABLE db.t')).toEqual({ kind: 'exists', objectKind: 'TABLE', target: { database: 'db', name: 't' } });
    expect(parse('EXISTS DATABASE d')).toEqual({ kind: 'exists', objectKind: 'DATABASE', target: { name: 'd' } });
    expect(parse('EXISTS TEMPORARY t FORMAT TSV')).toEqual({ kind: 'exists', temporary: true, target: { name: 't' }, format: 'TSV' });
  });

  it('parses KILL QUERY, OPTIMIZE and EXPLAIN', () => {
    expect(parse("KILL QUERY WHERE query_id = 'x' SYNC")).toMatchObject({ kind: 'kill_query', where: { name: 'equals' }, mode: 'SYNC' });
    expect(parse('OPTIMIZE TABLE t PARTITION 202001 FINAL DEDUPLICATE')).toMatchObject({ kind: 'optimize', target: { name: 't' }, final: true, deduplicate: true, partition: { value: 202001 } });
    expect(parse('OPTIMIZE TABLE t')).toEqual({ kind: 'optimize', target: { name: 't' }, final: false, deduplicate: false });
    expect(parse('EXPLAIN SELECT 1')).toMatchObject({ kind: 'explain', explainKind: 'PLAN', statement: { kind: 'select' } });
    expect(parse('EXPLAIN SYNTAX SELECT 1 FORMAT JSON')).toMatchObject({ explainKind: 'SYNTAX', format: 'JSON', statement: { kind: 'select' } });
    expect(parse('EXPLAIN PIPELINE header = 1, graph = 1 SELECT 1')).toMatchObject({ explainKind: 'PIPELINE', options: { header: 1, graph: 1 } });
    expect(parse('EXPLAIN QUERY TREE SELECT 1')).toMatchObject({ explainKind: 'QUERY TREE' });
    expect(parse('EXPLAIN AST CREATE TABLE t (a int)')).toMatchObject({ explainKind: 'AST', statement: { kind: 'create_table' } });
  });

  it('keeps SYSTEM, transactions, CHECK and access control as text', () => {
    expect(parse('SYSTEM FLUSH LOGS')).toEqual({ kind: 'system', command: 'SYSTEM FLUSH LOGS' });
    expect(parse('BEGIN TRANSACTION')).toEqual({ kind: 'system', command: 'BEGIN TRANSACTION' });
    expect(parse('COMMIT')).toEqual({ kind: 'system', command: 'COMMIT' });
    expect(parse('ROLLBACK;')).toEqual({ kind: 'system', command: 'ROLLBACK' });
    expect(parse('CHECK TABLE t')).toEqual({ kind: 'system', command: 'CHECK TABLE t' });
    expect(parse("GRANT SELECT ON db.* TO u")).toEqual({ kind: 'system', command: 'GRANT SELECT ON db.* TO u' });
    expect(parse("CREATE USER u IDENTIFIED WITH plaintext_password BY 'p'")).toMatchObject({ kind: 'system' });
    expect(parse('DROP USER IF EXISTS u')).toMatchObject({ kind: 'system' });
  });
});

describe('scripts and statement boundaries', () => {
  it('parses multi-statement scripts with positions', () => {
    const sql = "SELECT 1; -- comment\nINSERT INTO t VALUES (1, ';'), (2);\nINSERT INTO t FORMAT CSV 1,2\nSELECT 2;;";
    const out = parseStatements(sql);
    expect(out.map((s) => s.statement.kind)).toEqual(['select', 'insert', 'insert', 'select']);
    expect(sql.slice(out[0]!.start, out[0]!.end)).toBe('SELECT 1');
    const values = out[1]!.statement as InsertStatement;
    expect(sql.slice(values.dataOffset, values.dataEnd)).toBe("(1, ';'), (2)");
    const csv = out[2]!.statement as InsertStatement;
    expect(sql.slice(csv.dataOffset, csv.dataEnd)).toBe('1,2');
    expect(sql.slice(out[3]!.start, out[3]!.end)).toBe('SELECT 2');
  });

  it('splits scripts without parsing them', () => {
    expect(splitStatements("SELECT 1; SELEC garbage; INSERT INTO t VALUES ('a;b');\nSELECT ';'")).toEqual([
      'SELECT 1',
      'SELEC garbage',
      "INSERT INTO t VALUES ('a;b')",
      "SELECT ';'",
    ]);
    expect(splitStatements('INSERT INTO t FORMAT TSV 1\t2\nSELECT 1')).toEqual(['INSERT INTO t FORMAT TSV 1\t2', 'SELECT 1']);
  });

  it('accepts exactly one statement and a trailing semicolon', () => {
    expect(parse('SELECT 1;')).toMatchObject({ kind: 'select' });
    expect(() => parseStatement('SELECT 1; SELECT 2')).toThrow(/Syntax error: failed at position 11/);
    expect(() => parseStatement('')).toThrow(/Empty query/);
    expect(() => parseStatement('   -- only a comment')).toThrow(/Empty query/);
  });

  it('reports errors as SYNTAX_ERROR 62 with position and expectations', () => {
    let err: unknown;
    try {
      parseStatement('SELECT a FROM t WHERE');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DbError);
    expect((err as DbError).code).toBe(62);
    expect((err as DbError).message).toMatch(/^Syntax error: failed at position 22 .*Expected expression/);
    expect(() => parseStatement('SELEC 1')).toThrow(/position 1 .*Expected statement/);
    expect(() => parseStatement('CREATE STREAM s (a int')).toThrow(/Expected one of: .*'\)'/);
  });

  it('raises TOO_DEEP_AST instead of overflowing the stack', () => {
    for (const sql of [
      `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)}`,
      `SELECT ${'f('.repeat(5000)}1${')'.repeat(5000)}`,
      `SELECT ${'- '.repeat(5000)}x`,
      `SELECT ${'NOT '.repeat(5000)}x`,
      `SELECT 1${' + 1'.repeat(5000)}`,
      `SELECT ${'[['.repeat(3000)}${']]'.repeat(3000)}`,
      `${'SELECT * FROM ('.repeat(2000)}SELECT 1${')'.repeat(2000)}`,
    ]) {
      let err: unknown;
      try {
        parseStatement(sql);
      } catch (e) {
        err = e;
      }
      expect((err as DbError).code).toBe(167);
    }
    // reasonable nesting is fine
    expect(() => parseStatement(`SELECT ${'('.repeat(200)}1${')'.repeat(200)}`)).not.toThrow();
    expect(() => parseStatement(`SELECT 1${' + 1'.repeat(500)}`)).not.toThrow();
  });

  it('parses a typical query well under a millisecond', () => {
    const q = "SELECT a, b, count() AS c, sum(x * 2) FROM db.t WHERE a > 10 AND b LIKE '%x%' GROUP BY a, b ORDER BY c DESC LIMIT 10";
    for (let i = 0; i < 500; i++) parseStatement(q);
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) parseStatement(q);
    expect((performance.now() - t0) / 2000).toBeLessThan(0.5);
  });
});

describe('statement round trips', () => {
  const statements = [
    'INSERT INTO db.t (a, b) VALUES',
    'INSERT INTO t (* EXCEPT (x)) FORMAT CSV',
    'INSERT INTO t SETTINGS a = 1 SELECT 1',
    "INSERT INTO t SELECT * FROM input('a int') FORMAT CSV",
    'INSERT INTO t FORMAT Values',
    'DROP STREAM IF EXISTS s SYNC',
    'TRUNCATE STREAM s',
    'RENAME STREAM IF EXISTS a TO b',
    'EXCHANGE TABLES a AND b',
    'USE db',
    "SET a = 1, b = 'x', c = -2.5, d = true",
    "SHOW TABLES FROM db NOT LIKE 'x' LIMIT 3 FORMAT JSON",
    'SHOW CREATE STREAM db.s',
    'SHOW FULL COLUMNS FROM t FROM db',
    'DESCRIBE TABLE table(s) FORMAT JSON',
    'DESCRIBE (SELECT 1)',
    'EXISTS DATABASE d',
    "KILL QUERY WHERE query_id = 'x' TEST",
    'OPTIMIZE TABLE t PARTITION 1 FINAL DEDUPLICATE',
    'EXPLAIN SYNTAX SELECT 1 FORMAT JSON',
    'EXPLAIN PIPELINE header = 1 SELECT 1',
    'SYSTEM STOP MERGES t',
  ];
  it.each(statements)('%s', (sql) => {
    roundTrip(sql);
  });
});
