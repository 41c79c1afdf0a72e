// Tests of the shared compat-tests helpers: node --test compat-tests/lib/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCodeByName, errorNameByCode, resolveErrorCode } from './error-codes.mjs';
import { parseException } from './http-query.mjs';
import { parseErrorAnnotation, parseTags, splitSqlScript } from './sql-split.mjs';
import { firstDifference } from './text-diff.mjs';

test('splits on top-level semicolons only', () => {
  const st = splitSqlScript(`SELECT 'a;b', "c;d", \`e;f\` FROM t; SELECT 1 /* x; /* nested; */ y; */ + 1;\nSELECT 2 -- tail; here\n;`);
  assert.deepEqual(
    st.map((s) => s.sql),
    ["SELECT 'a;b', \"c;d\", `e;f` FROM t", 'SELECT 1 /* x; /* nested; */ y; */ + 1', 'SELECT 2 -- tail; here'],
  );
});

test('handles escaped and doubled quotes', () => {
  const st = splitSqlScript(`SELECT 'it''s; ok', 'back\\'slash;'; SELECT 3`);
  assert.equal(st.length, 2);
  assert.equal(st[1].sql, 'SELECT 3');
});

test('keeps statement lines and drops empty statements', () => {
  const st = splitSqlScript(`-- Tags: shard\n\nSELECT 1;;\n\n  SELECT\n  2;\n-- only a comment\n`);
  assert.deepEqual(
    st.map((s) => [s.sql, s.line]),
    [
      ['SELECT 1', 3],
      ['SELECT\n  2', 5],
    ],
  );
});

test('reads error annotations in their several spellings', () => {
  const st = splitSqlScript(
    [
      'SELECT x; -- { serverError 47 }',
      'SELECT y; --{serverError UNKNOWN_TABLE}',
      'SELECT z; -- { clientError 0 serverError 47 }',
      'SELECT w; -- { serverError NOT_IMPLEMENTED (48) }',
      'SELECT v; --{serverError 1};',
      'SELECT\n  u -- { serverError 43 }\n;',
      'SELECT 1; -- { clientError SYNTAX_ERROR }',
    ].join('\n'),
  );
  assert.deepEqual(st[0].annotation?.server, [47]);
  assert.deepEqual(st[1].annotation?.server, [60]);
  assert.deepEqual([st[2].annotation?.client, st[2].annotation?.server], [[0], [47]]);
  assert.deepEqual(st[3].annotation?.server, [48]);
  assert.deepEqual(st[4].annotation?.server, [1]);
  assert.deepEqual(st[5].annotation?.server, [43]);
  assert.deepEqual(st[6].annotation?.client, [62]);
  assert.equal(parseErrorAnnotation(['plain comment']), null);
});

test('a comment line before a statement is not its annotation', () => {
  const st = splitSqlScript('SELECT 1;\n-- SELECT f(); -- { serverError 42 }\nSELECT 2;');
  assert.equal(st[0].annotation, null);
  assert.equal(st[1].annotation, null);
});

test('INSERT ... FORMAT carries its data to the end of the line', () => {
  const st = splitSqlScript(
    'INSERT INTO t FORMAT CSV 1,"a;b"\n;\nINSERT INTO t FORMAT JSONEachRow {"a":1} {"a":2};\nINSERT INTO t VALUES (1);\nSELECT 1 FORMAT CSV;',
  );
  assert.deepEqual(
    st.map((s) => [s.sql, s.insertData]),
    [
      ['INSERT INTO t FORMAT CSV 1,"a;b"', true],
      ['INSERT INTO t FORMAT JSONEachRow {"a":1} {"a":2}', true],
      ['INSERT INTO t VALUES (1)', false],
      ['SELECT 1 FORMAT CSV', false],
    ],
  );
});

test('collects the comment block after a statement', () => {
  const st = splitSqlScript('SELECT 1;\n-- expected (why):\n-- a\tb\n--\n\n-- next\nSELECT 2;');
  assert.deepEqual(st[0].following, [' expected (why):', ' a\tb', '']);
});

test('reads the Tags line', () => {
  assert.deepEqual(parseTags('-- Tags: no-fasttest, zookeeper\nSELECT 1;'), ['no-fasttest', 'zookeeper']);
  assert.deepEqual(parseTags('SELECT 1;'), []);
});

test('maps error names to codes, with ClickHouse and Proton spellings', () => {
  assert.equal(errorCodeByName('UNKNOWN_TABLE'), 60);
  assert.equal(errorCodeByName('UNKNOWN_STREAM'), 60);
  assert.equal(errorCodeByName('CANNOT_PARSE_DATETIME'), 41);
  assert.equal(resolveErrorCode('62'), 62);
  assert.equal(resolveErrorCode('syntax_error'), 62);
  assert.equal(errorNameByCode(47), 'UNKNOWN_IDENTIFIER');
  assert.equal(resolveErrorCode('NO_SUCH_NAME'), undefined);
});

test('parses exception texts of old and new servers', () => {
  assert.deepEqual(parseException('Code: 60, e.displayText() = DB::Exception: Table default.x doesn\'t exist., e.what() = DB::Exception\n'), {
    code: 60,
    name: 'UNKNOWN_STREAM',
    message: "Table default.x doesn't exist.",
  });
  assert.deepEqual(parseException("Code: 60. DB::Exception: Table default.x does not exist. (UNKNOWN_TABLE) (version 24.8.1.1)\n"), {
    code: 60,
    name: 'UNKNOWN_TABLE',
    message: 'Table default.x does not exist. (UNKNOWN_TABLE)',
  });
  assert.equal(parseException('garbage').code, null);
});

test('reports the first differing line', () => {
  assert.equal(firstDifference('a\nb\n', 'a\nb\n'), null);
  assert.equal(firstDifference('a\nb\n', 'a\nc\n'), 'line 2: expected «b», got «c»');
  assert.equal(firstDifference('a\n', 'a\nb\n'), 'line 2: expected «», got «b»');
});
