#!/usr/bin/env node
// The official clickhouse-client (Debian's 18.16) against a server's native TCP port:
// batch mode (-q, --multiquery, --format, stdin inserts, errors, types) and an interactive
// session driven through tmux (prompt, autocompletion, progress, Ctrl+C).
//
//   COMPAT_TCP_PORT=9000 node compat-tests/clickhouse-client/run.mjs [--filter REGEX] [--strict] [--verbose]
//   COMPAT_TCP_PORT=… COMPAT_SERVER_KIND=reference node …/run.mjs --record   re-record expected/ from ClickHouse 18.16
//
// Normally started by run.sh through ../clickhouse-js/with-server.mjs. Expected outputs are
// in expected/NAME.txt, recorded from ClickHouse 18.16 with this same client (in the native
// protocol the client renders every format itself, so the text depends only on the values,
// types and block boundaries the server sends). Ends with `N passed, N failed, N skipped`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summaryLine } from '../lib/summary.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { clientVersion, runClient, stripAnsi, TmuxClient, paneTail } from './cli.mjs';
import { followInserts, followProcess, runningQueries, sql, tsvCounts } from './streaming.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const expectedDir = join(here, 'expected');
const { values: opts } = parseArgs({
  options: {
    filter: { type: 'string', default: '' },
    strict: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
  },
});
const port = Number(process.env['COMPAT_TCP_PORT'] || 0);
const serverKind = process.env['COMPAT_SERVER_KIND'] ?? 'external';
if (opts.record && serverKind !== 'reference') {
  console.error('--record only against the reference ClickHouse (run.sh --reference --record)');
  process.exit(2);
}
const version = clientVersion();
/** @param {number} major @param {number} minor */
const clientAtLeast = (major, minor) => version !== null && (version[0] > major || (version[0] === major && version[1] >= minor));

class Skip extends Error {}

/** @typedef {{ name: string, run: () => Promise<void> }} Check */
/** @type {Check[]} */
const checks = [];
/** @param {string} name @param {() => Promise<void>} run */
const check = (name, run) => checks.push({ name, run });

// ---------------------------------------------------------------- helpers

/** @param {string[]} args @param {{ input?: string | Buffer | Iterable<Buffer>, timeoutMs?: number }} [o] */
const cli = (args, o) => runClient(port, args, o);

/** Runs the client and requires exit code 0 and an empty stderr. */
async function ok(/** @type {string[]} */ args, /** @type {{ input?: string | Buffer | Iterable<Buffer>, timeoutMs?: number }} */ o = {}) {
  const r = await cli(args, o);
  if (r.timedOut) throw new Error(`clickhouse-client ${shellArgs(args)} timed out after ${r.ms} ms\nstdout: ${clip(r.stdout)}\nstderr: ${clip(r.stderr)}`);
  if (r.code !== 0 || r.stderr.trim() !== '') {
    throw new Error(`clickhouse-client ${shellArgs(args)} exited ${r.code ?? r.signal}\nstderr: ${clip(r.stderr)}\nstdout: ${clip(r.stdout, 300)}`);
  }
  return r.stdout;
}

/** Runs a --multiquery script (one statement per line, as the client wants inline INSERT data). */
const script = (/** @type {string[]} */ statements, /** @type {string[]} */ extra = []) => ok(['--multiquery', '-q', statements.join(';\n'), ...extra]);

/**
 * Compares `actual` with expected/NAME.txt (or records it with --record).
 * @param {string} name @param {string} actual
 */
function expectFile(name, actual) {
  const file = join(expectedDir, `${name}.txt`);
  if (opts.record) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no expected output ${file} (record it with run.sh --reference --record)`);
  expectText(readFileSync(file, 'utf8'), actual);
}

/** @param {string} expected @param {string} actual */
function expectText(expected, actual) {
  if (expected === actual) return;
  const e = expected.split('\n');
  const a = actual.split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  throw new Error(
    `output differs at line ${i + 1}:\n  expected: ${JSON.stringify(e[i] ?? '<end>')}\n  actual:   ${JSON.stringify(a[i] ?? '<end>')}` +
      `\nfull output:\n${clip(actual, 1500)}`,
  );
}

/** @param {boolean} cond @param {string} message */
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** @param {string} s */
function clip(s, n = 800) {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

/** @param {string[]} args */
function shellArgs(args) {
  return args.map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ').slice(0, 300);
}

/** The JSON formats end with timings and rows/bytes read, which no two runs share. */
const dropStatistics = (/** @type {string} */ s) =>
  s.replace(/,\n\n\t"statistics":\n\t\{[^}]*\}/, '').replace(/\t<statistics>\n[^]*?\t<\/statistics>\n/, '');

/** A table name unique to this run, so a suite run never collides with leftovers of another. */
const uniq = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const tbl = (/** @type {string} */ base) => `cli_${base}_${uniq}`;

// ---------------------------------------------------------------- batch mode

check('batch/select', async () => {
  expectText('1\thello\t\n', await ok(['-q', "SELECT 1 AS x, 'hello' AS s, '' AS e"]));
});

check('batch/many-blocks', async () => {
  // 300,000 rows: several Data packets (the default max_block_size is 65,536)
  const out = await ok(['-q', 'SELECT number, toString(number * 3) FROM numbers(300000)']);
  let expected = '';
  for (let i = 0; i < 300000; i++) expected += `${i}\t${i * 3}\n`;
  expectText(expected, out);
});

check('batch/empty-result', async () => {
  expectText('', await ok(['-q', 'SELECT number FROM numbers(10) WHERE number > 100']));
});

check('batch/multiquery', async () => {
  const t = tbl('mq');
  const out = await script([
    `CREATE TABLE ${t} (a UInt32, s String) ENGINE = Memory`,
    `INSERT INTO ${t} VALUES (1, 'one'), (2, 'two')`,
    `INSERT INTO ${t} VALUES (3, 'three')`,
    `SELECT sum(a), count() FROM ${t}`,
    `SELECT a, s FROM ${t} ORDER BY a`,
    `DROP TABLE ${t}`,
  ]);
  expectText('6\t3\n1\tone\n2\ttwo\n3\tthree\n', out);
  const gone = await cli(['-q', `SELECT count() FROM ${t}`]);
  assert(gone.code !== 0 && /Code: 60\./.test(gone.stderr), `the table still answers after DROP: ${gone.stdout}${gone.stderr}`);
});

check('batch/multiquery-stdin', async () => {
  const out = await ok(['--multiquery'], { input: "SELECT 'a';\nSELECT 1 + 1;\n/* comment */ SELECT [1, 2] -- trailing\n" });
  expectText("a\n2\n[1,2]\n", out);
});

check('batch/multiquery-stops-at-error', async () => {
  const r = await cli(['--multiquery', '-q', `SELECT 1;\nSELECT * FROM ${tbl('missing')};\nSELECT 2`]);
  assert(r.code !== 0, `exit code ${r.code}, expected non-zero`);
  expectText('1\n', r.stdout);
  assert(/Code: 60\. DB::Exception: /.test(r.stderr), `stderr lacks "Code: 60. DB::Exception:": ${r.stderr}`);
});

check('batch/settings', async () => {
  // settings on the command line travel in the Query packet (18.16 writes them in the old
  // binary form: varint numbers, strings, floats as text…)
  const out = await ok([
    '--max_block_size=1234', '--max_execution_time=5', '--format_csv_delimiter=;', '--totals_auto_threshold=0.25',
    '--join_use_nulls=1', '--distributed_product_mode=allow', '--max_threads=1',
    '-q', "SELECT name, value, changed FROM system.settings WHERE name IN ('max_block_size', 'max_execution_time', 'format_csv_delimiter', 'totals_auto_threshold', 'join_use_nulls', 'distributed_product_mode', 'max_threads') ORDER BY name",
  ]);
  expectText('distributed_product_mode\tallow\t1\nformat_csv_delimiter\t;\t1\njoin_use_nulls\t1\t1\nmax_block_size\t1234\t1\nmax_execution_time\t5\t1\nmax_threads\t1\t1\ntotals_auto_threshold\t0.25\t1\n', out);
  // and a setting changes what the query does
  const blocks = await ok(['--max_block_size=1000', '--format=PrettyCompactMonoBlock', '-q', 'SELECT count() FROM numbers(5)']);
  assert(/│ +5 │/.test(blocks), `count() with max_block_size=1000: ${blocks}`);
});

check('batch/database', async () => {
  expectText('system\n', await ok(['--database=system', '-q', 'SELECT currentDatabase()']));
  expectText('1\n', await ok(['--database=system', '-q', "SELECT count() FROM one"]));
});

check('batch/no-compression', async () => {
  // --compression=0: blocks travel without the compression frame both ways
  const t = tbl('nocomp');
  await ok(['--compression=0', '-q', `CREATE TABLE ${t} (a UInt32, s String) ENGINE = Memory`]);
  try {
    await ok(['--compression=0', '-q', `INSERT INTO ${t} VALUES (1, 'x'), (2, 'y')`]);
    expectText('1\tx\n2\ty\n', await ok(['--compression=0', '-q', `SELECT * FROM ${t} ORDER BY a`]));
    const many = await ok(['--compression=0', '-q', 'SELECT sum(number), count() FROM numbers(300000)']);
    expectText('44999850000\t300000\n', many);
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

check('batch/totals', async () => {
  const sql = 'SELECT k, count() FROM (SELECT number % 2 AS k FROM numbers(10)) GROUP BY k WITH TOTALS ORDER BY k';
  expectText('0\t5\n1\t5\n\n0\t10\n', await ok(['-q', sql]));
  expectFile('batch/totals-PrettyCompact', stripAnsi(await ok(['-q', sql, '--format', 'PrettyCompact'])));
});

check('batch/extremes', async () => {
  expectFile('batch/extremes', stripAnsi(await ok(['--extremes=1', '-q', 'SELECT number, toString(number * 2) AS s FROM numbers(3)', '--format', 'PrettyCompact'])));
});

check('batch/exception-mid-stream', async () => {
  // an exception after some blocks were sent: the rows so far, then the error, exit code != 0
  const r = await cli(['--max_block_size=1000', '-q', 'SELECT throwIf(number = 5000) FROM numbers(200000)']);
  assert(r.code !== 0, `exit code ${r.code}`);
  assert(/Code: 395\. DB::Exception: /.test(r.stderr), `stderr lacks "Code: 395. DB::Exception:": ${r.stderr}`);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert(lines.length < 200000 && lines.every((l) => l === '0'), `stdout: ${lines.length} lines, first ${JSON.stringify(lines.slice(0, 3))}`);
});

check('batch/big-string', async () => {
  // one 1,000,000-byte value: a multi-byte varint length inside a block of its own
  const out = await ok(['-q', "SELECT arrayStringConcat(arrayMap(x -> 'abcdefghij', range(100000))) AS s, length(s)"]);
  expectText(`${'abcdefghij'.repeat(100000)}\t1000000\n`, out);
});

check('batch/query-id', async () => {
  // --query_id travels in the Query packet and is the query's id on the server
  const id = `cli-query-id-${uniq}`;
  expectText(`${id}\n`, await ok([`--query_id=${id}`, '-q', `SELECT query_id FROM system.processes WHERE query_id = '${id}'`]));
});

check('batch/insert-select-show', async () => {
  const t = tbl('insel');
  const out = await script([
    `CREATE TABLE ${t} (a UInt64, b String) ENGINE = MergeTree ORDER BY a`,
    `INSERT INTO ${t} SELECT number, toString(number) FROM numbers(1000)`,
    `SELECT count(), sum(a), max(b) FROM ${t}`,
    `EXISTS TABLE ${t}`,
    `SHOW TABLES LIKE '${t}'`,
    `DROP TABLE ${t}`,
    `EXISTS TABLE ${t}`,
  ]);
  expectText(`1000\t499500\t999\n1\n${t}\n0\n`, out);
});

check('batch/disconnect-stops-query', async () => {
  // a client that goes away mid-query (SIGKILL: no Cancel packet) must not leave its query running
  const marker = 1000000000000 + (process.pid % 1000);
  const { spawn } = await import('node:child_process');
  const child = spawn('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '-q', `SELECT number FROM numbers(${marker}) FORMAT Null`], { stdio: 'ignore' });
  const running = async () => {
    const out = await ok(['-q', `SELECT count() FROM system.processes WHERE query LIKE '%numbers(${marker})%' AND query NOT LIKE '%system.processes%'`]);
    return Number(out.trim());
  };
  try {
    await waitUntil(async () => (await running()) > 0, { timeoutMs: 15000, what: 'the query to show in system.processes' });
  } finally {
    child.kill('SIGKILL');
  }
  await waitUntil(async () => (await running()) === 0, { timeoutMs: 20000, what: 'the query of the killed client to stop (system.processes)' });
  expectText('1\n', await ok(['-q', 'SELECT 1']));
});

const formatQuery =
  "SELECT arrayJoin([1, 2]) AS n, concat('v', toString(n)) AS s, [n, n * 10] AS arr, n / 4 AS f, toNullable(if(n = 1, NULL, 'q')) AS z";
for (const fmt of ['TabSeparated', 'TSVWithNames', 'TSVWithNamesAndTypes', 'CSV', 'CSVWithNames', 'JSONEachRow', 'JSON', 'JSONCompact', 'Values', 'Pretty', 'PrettyCompact', 'PrettySpace', 'Vertical', 'TSKV', 'XML']) {
  check(`format/${fmt}`, async () => {
    const out = await ok(['-q', formatQuery, '--format', fmt]);
    expectFile(`format/${fmt}`, dropStatistics(stripAnsi(out)));
  });
}

check('format/FORMAT-clause', async () => {
  // a FORMAT clause in the query is the same as --format (the client formats either way)
  const viaArg = await ok(['-q', formatQuery, '--format', 'CSVWithNames']);
  const viaClause = await ok(['-q', `${formatQuery} FORMAT CSVWithNames`]);
  expectText(viaArg, viaClause);
  expectFile('format/CSVWithNames', viaClause);
});

check('batch/query-parameters', async () => {
  const r = await cli(['--param_x=42', '--param_s=it\'s', '-q', 'SELECT {x:UInt32} + 1, {s:String}']);
  if (/unrecognised option '--param_x/.test(r.stderr)) {
    throw new Skip(`clickhouse-client ${version?.join('.') ?? '?'} has no query parameters (--param_NAME came in 19.x)`);
  }
  assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
  expectText("43\tit\\'s\n", r.stdout);
});

// ---------------------------------------------------------------- inserts

check('insert/csv-stdin-1m', async () => {
  const t = tbl('csv');
  const rows = 1_000_000;
  await ok(['-q', `CREATE TABLE ${t} (id UInt64, name String, value Float64, d Date) ENGINE = MergeTree ORDER BY id`]);
  try {
    let sumId = 0;
    let sumLen = 0;
    let sumValue = 0;
    const names = new Set();
    /** @returns {Generator<Buffer>} */
    function* csv() {
      let buf = '';
      for (let i = 0; i < rows; i++) {
        // a quoted comma and doubled quote every 100,000 rows
        const name = i % 100000 === 7 ? `a,"b ${i}` : `name-${i % 5000}`;
        const value = (i % 1000) / 8;
        const day = i % 3650;
        const d = new Date(Date.UTC(2015, 0, 1) + day * 86400000).toISOString().slice(0, 10);
        buf += `${i},${name.includes(',') ? `"${name.replace(/"/g, '""')}"` : name},${value},${d}\n`;
        sumId += i;
        sumLen += Buffer.byteLength(name);
        sumValue += value;
        names.add(name);
        if (buf.length > 1 << 20) {
          yield Buffer.from(buf);
          buf = '';
        }
      }
      yield Buffer.from(buf);
    }
    const started = Date.now();
    await ok(['-q', `INSERT INTO ${t} FORMAT CSV`], { input: csv(), timeoutMs: 180000 });
    const ms = Date.now() - started;
    const out = await ok(['-q', `SELECT count(), sum(id), sum(length(name)), sum(value), uniqExact(name), min(d), max(d) FROM ${t}`]);
    expectText(`${rows}\t${sumId}\t${sumLen}\t${sumValue}\t${names.size}\t2015-01-01\t2024-12-28\n`, out);
    const quoted = await ok(['-q', `SELECT name FROM ${t} WHERE id = 100007`]);
    expectText('a,"b 100007\n', quoted);
    if (opts.verbose) console.log(`      (1M CSV rows inserted in ${ms} ms)`);
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

check('insert/values-inline', async () => {
  const t = tbl('values');
  await ok(['-q', `CREATE TABLE ${t} (a Int32, s String, n Nullable(Float64)) ENGINE = Memory`]);
  try {
    await ok(['-q', `INSERT INTO ${t} VALUES (1, 'x', 1.5), (-2, 'it''s', NULL)`]);
    await ok(['-q', `INSERT INTO ${t} (s, a) VALUES ('only two', 3)`]);
    expectText("-2\tit\\'s\t\\N\n1\tx\t1.5\n3\tonly two\t\\N\n", await ok(['-q', `SELECT * FROM ${t} ORDER BY a`]));
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

check('insert/tsv-stdin', async () => {
  const t = tbl('tsv');
  await ok(['-q', `CREATE TABLE ${t} (a UInt8, s String, arr Array(String)) ENGINE = Memory`]);
  try {
    const input = "1\ttab\\there\t['x','y']\n2\tnew\\nline\t[]\n3\tback\\\\slash\t['\\'q\\'']\n";
    await ok(['-q', `INSERT INTO ${t} FORMAT TabSeparated`], { input });
    expectText(input, await ok(['-q', `SELECT * FROM ${t} ORDER BY a`]));
    expectText('[{"a":2,"s":"new\\nline"}]', `[${(await ok(['-q', `SELECT a, s FROM ${t} WHERE a = 2 FORMAT JSONEachRow`])).trim()}]`);
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

check('insert/native-roundtrip', async () => {
  // SELECT … FORMAT Native written by the client, piped back into INSERT … FORMAT Native
  const t = tbl('native');
  await ok(['-q', `CREATE TABLE ${t} (n UInt64, s String, a Array(UInt16), m Nullable(Int8)) ENGINE = Memory`]);
  try {
    const raw = await exportBytes("SELECT number AS n, toString(number) AS s, [toUInt16(number % 7)] AS a, if(number % 3 = 0, NULL, toInt8(number % 100)) AS m FROM numbers(200000) FORMAT Native");
    await ok(['-q', `INSERT INTO ${t} FORMAT Native`], { input: raw, timeoutMs: 120000 });
    const out = await ok(['-q', `SELECT count(), sum(n), sum(toUInt64(s)), sum(a[1]), count(m), sum(m) FROM ${t}`]);
    let sumA = 0;
    let countM = 0;
    let sumM = 0;
    for (let i = 0; i < 200000; i++) {
      sumA += i % 7;
      if (i % 3 !== 0) {
        countM++;
        sumM += i % 100;
      }
    }
    expectText(`200000\t19999900000\t19999900000\t${sumA}\t${countM}\t${sumM}\n`, out);
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

/** Runs a query and returns its stdout as raw bytes. @param {string} sql @returns {Promise<Buffer>} */
async function exportBytes(sql) {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '-q', sql], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    /** @type {Buffer[]} */
    const out = [];
    let err = '';
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`export exited ${code}: ${err}`))));
  });
}

check('insert/bad-row-keeps-table', async () => {
  // The client parses CSV itself: a bad row aborts its INSERT mid-stream. The server must
  // drop that insert's unfinished data, keep the earlier rows, and keep answering.
  const t = tbl('badrow');
  await ok(['-q', `CREATE TABLE ${t} (a UInt32, s String) ENGINE = Memory`]);
  try {
    await ok(['-q', `INSERT INTO ${t} FORMAT CSV`], { input: '1,"a"\n2,"b"\n' });
    const r = await cli(['-q', `INSERT INTO ${t} FORMAT CSV`], { input: '3,"c"\nnot-a-number,"d"\n' });
    assert(r.code !== 0, `exit code ${r.code} for a bad CSV row`);
    assert(/Code: \d+\. DB::Exception: /.test(r.stderr), `stderr lacks an exception: ${r.stderr}`);
    expectText('2\t3\n', await ok(['-q', `SELECT count(), sum(a) FROM ${t}`]));
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

// ---------------------------------------------------------------- errors

for (const [name, sql, code, text] of /** @type {const} */ ([
  ['unknown-table', `SELECT * FROM ${tbl('nope')}`, 60, tbl('nope')],
  ['unknown-function', 'SELECT noSuchFunctionAtAll(1)', 46, 'noSuchFunctionAtAll'],
  ['type-mismatch', "SELECT 1 + 'a'", 43, ''],
  ['unknown-column', 'SELECT no_such_column FROM system.one', 47, 'no_such_column'],
  // the server refuses the INSERT instead of sending the table's header block
  ['insert-unknown-table', `INSERT INTO ${tbl('nope_ins')} VALUES (1)`, 60, tbl('nope_ins')],
  ['insert-stdin-unknown-table', `INSERT INTO ${tbl('nope_ins2')} FORMAT CSV`, 60, tbl('nope_ins2')],
])) {
  check(`error/${name}`, async () => {
    const r = await cli(['-q', sql], { input: '1\n2\n' });
    assert(r.code !== 0, `exit code ${r.code}, expected non-zero; stdout ${r.stdout}`);
    assert(r.stdout === '', `stdout not empty: ${r.stdout}`);
    const m = /Received exception from server \(version [^)]*\):\nCode: (\d+)\. DB::Exception: Received from 127\.0\.0\.1:\d+\. (.*)/.exec(r.stderr);
    assert(m !== null, `stderr is not "Received exception from server (version …):\nCode: ${code}. DB::Exception: Received from …":\n${r.stderr}`);
    assert(Number(m?.[1]) === code, `error code ${m?.[1]}, expected ${code}: ${r.stderr.trim()}`);
    assert(text === '' || (m?.[2] ?? '').includes(text), `message does not mention ${text}: ${r.stderr.trim()}`);
    assert(r.code === code % 256, `exit code ${r.code}, expected ${code % 256} (the client exits with the error code)`);
  });
}

check('error/message-text', async () => {
  // The Exception packet's message is the server's displayText(), "DB::Exception: …", which
  // the client prints after "Received from HOST:PORT. " (every ClickHouse release does this).
  const r = await cli(['-q', `SELECT * FROM ${tbl('nope_msg')}`]);
  assert(/\nCode: 60\. DB::Exception: Received from 127\.0\.0\.1:\d+\. DB::Exception: Table \S+ does(?:n't| not) exist/.test(r.stderr),
    `expected "Code: 60. DB::Exception: Received from 127.0.0.1:PORT. DB::Exception: Table default.… doesn't exist.", got:\n${r.stderr.trim()}`);
});

// ---------------------------------------------------------------- types

/**
 * @param {string} name
 * @param {string} columns
 * @param {string} values
 * @param {string} select extra expressions over the table (besides *)
 * @param {string} [literals] a SELECT of literal values computed by the server
 */
function typeCheck(name, columns, values, select, literals) {
  check(`types/${name}`, async () => {
    const t = tbl(`ty_${name.toLowerCase()}`);
    const statements = [
      `CREATE TABLE ${t} (${columns}) ENGINE = Memory`,
      `INSERT INTO ${t} VALUES ${values}`,
      `SELECT *${select ? `, ${select}` : ''} FROM ${t}`,
      `SELECT * FROM ${t} FORMAT JSONEachRow`,
    ];
    if (literals) statements.push(literals);
    try {
      expectFile(`types/${name}`, await script(statements));
    } finally {
      await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
    }
  });
}

typeCheck(
  'ints',
  'u8 UInt8, i8 Int8, u16 UInt16, i16 Int16, u32 UInt32, i32 Int32, u64 UInt64, i64 Int64',
  '(0, -128, 0, -32768, 0, -2147483648, 0, -9223372036854775808), (255, 127, 65535, 32767, 4294967295, 2147483647, 18446744073709551615, 9223372036854775807), (7, -7, 300, -300, 70000, -70000, 5000000000, -5000000000)',
  'toTypeName(u64), u8 + i8',
  'SELECT toUInt8(200), toInt16(-2), toUInt64(18446744073709551615), toInt64(-1), toTypeName(toInt32(1))',
);
typeCheck(
  'floats',
  'f32 Float32, f64 Float64',
  '(1.5, -0.25), (inf, -inf), (nan, 1e-300), (0.1, 0.1), (3.4028235e38, 1.7976931348623157e308), (-0, 123456789.125)',
  'toTypeName(f32), toTypeName(f64)',
  'SELECT toFloat32(0.5), 1 / 3, -1e100, 1 / 0, 0 / 0',
);
typeCheck(
  'decimal',
  'd1 Decimal(9, 3), d2 Decimal(18, 4), d3 Decimal(38, 10)',
  '(1.5, -12345678901234.5678, 1234567890123456789012345678.0123456789), (0, 0.0001, -0.5), (-999999.999, 99999999999999.9999, 0)',
  'toTypeName(d1), toTypeName(d3)',
  'SELECT toDecimal32(2.25, 2), toDecimal64(-7, 1), toDecimal128(1, 5), toTypeName(toDecimal128(1, 5))',
);
typeCheck(
  'strings',
  's String, fs FixedString(4)',
  "('plain', 'ab'), ('tab\\there\\nnew line \\\\ back\\'quote', 'abcd'), ('', ''), ('привет ☃', 'é')",
  'length(s), toTypeName(fs)',
  "SELECT 'a\\tb', toFixedString('xy', 3), concat('z', 'z', 'z')",
);
typeCheck(
  'dates',
  "d Date, dt DateTime, dtz DateTime('Asia/Kolkata')",
  "('2020-02-29', '2020-02-29 23:59:59', '2020-02-29 23:59:59'), ('1970-01-02', '1970-01-01 00:00:01', '2000-01-01 05:30:00'), ('2105-12-31', '2037-12-31 23:59:59', '2038-01-19 03:14:07')",
  'toUnixTimestamp(dt), toUnixTimestamp(dtz), toTypeName(dtz)',
  "SELECT toDate('2019-07-04'), toDateTime('2019-07-04 12:30:00', 'UTC'), toDateTime(1000000000, 'UTC')",
);
typeCheck(
  'uuid',
  'u UUID',
  "('61f0c404-5cb3-11e7-907b-a6006ad3dba0'), ('00000000-0000-0000-0000-000000000000'), ('ffffffff-ffff-ffff-ffff-fffffffffffe')",
  'toString(u)',
  "SELECT toUUID('01234567-89ab-cdef-0123-456789abcdef')",
);
typeCheck(
  'enum',
  "e8 Enum8('a' = 1, 'b' = -2, 'c d' = 127), e16 Enum16('x' = -1000, 'y' = 30000)",
  "('a', 'x'), ('b', 'y'), ('c d', 'x')",
  'toInt8(e8), toInt16(e16), toTypeName(e8)',
);
typeCheck('nullable', 'n Nullable(Int32), ns Nullable(String)', "(1, 'a'), (NULL, NULL), (-5, '')", 'isNull(n), toTypeName(ns)', 'SELECT NULL, toNullable(3), CAST(NULL AS Nullable(String))');
typeCheck(
  'arrays',
  'a Array(UInt32), s Array(String), aa Array(Array(Int8)), an Array(Nullable(String))',
  "([1, 2, 3], ['x', 'y''z'], [[1], [], [-1, 2]], ['a', NULL]), ([], [], [], [])",
  'length(a), toTypeName(aa)',
  "SELECT [1, 2], [[]], ['a', NULL], emptyArrayString()",
);
typeCheck('tuple', 't Tuple(UInt8, String, Nullable(Float64))', "((1, 'a', 1.5)), ((2, 'b''c', NULL))", 'tupleElement(t, 2), toTypeName(t)', "SELECT (1, 'x', [2]), tuple(NULL)");
typeCheck(
  'lowcardinality',
  'lc LowCardinality(String), lcn LowCardinality(Nullable(String))',
  "('red', 'x'), ('green', NULL), ('red', 'x')",
  "lc = 'red', length(lc)",
  "SELECT toLowCardinality('v'), [toLowCardinality('w')]",
);
check('types/lowcardinality-typename', async () => {
  // toTypeName keeps LowCardinality (a separate check: the values above do not depend on it)
  const t = tbl('ty_lctype');
  try {
    const out = await script([
      `CREATE TABLE ${t} (lc LowCardinality(String), lcn LowCardinality(Nullable(String))) ENGINE = Memory`,
      `INSERT INTO ${t} VALUES ('a', NULL)`,
      `SELECT toTypeName(lc), toTypeName(lcn) FROM ${t}`,
      `SELECT toTypeName(toLowCardinality('v'))`,
    ]);
    expectText('LowCardinality(String)\tLowCardinality(Nullable(String))\nLowCardinality(String)\n', out);
  } finally {
    await cli(['-q', `DROP TABLE IF EXISTS ${t}`]);
  }
});

for (const [name, since, why] of /** @type {const} */ ([
  ['DateTime64', [20, 1], 'DateTime64 came in ClickHouse 20.1'],
  ['Map', [21, 1], 'Map came in ClickHouse 21.1'],
  ['IPv4-IPv6', [19, 3], 'the IPv4/IPv6 types came in ClickHouse 19.3'],
])) {
  check(`types/${name}`, async () => {
    if (!clientAtLeast(since[0], since[1])) throw new Skip(`clickhouse-client ${version?.join('.') ?? '?'} cannot decode it: ${why}`);
    const sql = {
      DateTime64: "SELECT toDateTime64('2020-01-02 03:04:05.678', 3, 'UTC'), toTypeName(toDateTime64('2020-01-02 03:04:05.678', 3, 'UTC'))",
      Map: "SELECT map('a', 1, 'b', 2), toTypeName(map('a', 1))",
      'IPv4-IPv6': "SELECT toIPv4('1.2.3.4'), toIPv6('2001:db8::1'), toTypeName(toIPv4('1.2.3.4'))",
    }[name];
    const expected = {
      DateTime64: "2020-01-02 03:04:05.678\tDateTime64(3, \\'UTC\\')\n",
      Map: "{'a':1,'b':2}\tMap(String, UInt8)\n",
      'IPv4-IPv6': '1.2.3.4\t2001:db8::1\tIPv4\n',
    }[name];
    expectText(expected, await ok(['-q', sql]));
  });
}

// ---------------------------------------------------------------- interactive (tmux)

/** @type {TmuxClient | null} */
let session = null;
const completionTable = tbl('completion_probe');

/** The shared interactive session (started by the first interactive check). */
async function interactive() {
  if (session) return session;
  // a table created before connecting, for the autocompletion check
  await ok(['-q', `CREATE TABLE ${completionTable} (a UInt8) ENGINE = Memory`]);
  const s = new TmuxClient(port, 'main');
  s.start();
  session = s;
  await s.waitFor((t) => /:\) ?$/.test(t), 'the first prompt', 30000);
  return s;
}

check('interactive/connect-and-query', async () => {
  const s = await interactive();
  const banner = s.capture();
  assert(/Connected to \S+ server version [\d.]+ revision \d+\./.test(banner), `no "Connected to … server version … revision …" line:\n${paneTail(banner)}`);
  // the suggestions query ran on connect: whatever became of it, the session must answer
  const out = await s.query('SELECT 40 + 2 AS answer');
  assert(/│ +42 │/.test(out) && /1 rows? in set\. Elapsed: /.test(out), `no 42 in a table and no "1 rows in set.":\n${paneTail(out)}`);
  assert(!/Exception/.test(out), `an exception:\n${paneTail(out)}`);
});

check('interactive/autocomplete', async () => {
  const s = await interactive();
  // A table name completes from the suggestions the client loaded on connect
  // (one UNION ALL query over system.functions, system.tables, system.columns, …).
  const prefix = completionTable.slice(0, -6);
  const mark = s.mark();
  try {
    s.type(`SELECT a FROM ${prefix}`);
    await complete(s, mark, `FROM ${completionTable}`, `Tab to complete ${prefix}… to ${completionTable}`);
    // and a function name: toStartOfFiftee… is unique
    s.keys('C-u');
    s.type('SELECT toStartOfFiftee');
    await complete(s, mark, 'toStartOfFifteenMinutes', 'Tab to complete toStartOfFiftee… to toStartOfFifteenMinutes');
  } finally {
    s.keys('C-u');
  }
  const out = await s.query('SELECT 7 AS seven');
  assert(/│ {5}7 │|│ 7 │/.test(out), `the session stopped answering after completion:\n${paneTail(out)}`);
});

/**
 * Presses Tab until the pane shows `expected` (newer clients load the suggestions in the
 * background, so the first Tab may come too early); a second Tab only after a second without
 * a completion, as ClickHouse's own expect tests do.
 * @param {TmuxClient} s @param {number} mark @param {string} expected @param {string} what
 */
async function complete(s, mark, expected, what) {
  const deadline = Date.now() + 15000;
  for (;;) {
    s.keys('Tab');
    try {
      await s.waitFor((t) => t.slice(mark).includes(expected), what, 1000);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

check('interactive/error-keeps-session', async () => {
  const s = await interactive();
  const err = await s.query(`SELECT * FROM ${tbl('missing')}`);
  assert(/Code: 60\. DB::Exception: /.test(err), `no "Code: 60. DB::Exception:" for a missing table:\n${paneTail(err)}`);
  const out = await s.query("SELECT 'still here' AS s");
  assert(/│ still here │/.test(out), `no answer after the error:\n${paneTail(out)}`);
});

check('interactive/session-state', async () => {
  // USE and SET in the interactive session apply to its later queries
  const s = await interactive();
  await s.query('USE system');
  const db = await s.query('SELECT currentDatabase() AS db');
  assert(/│ system │/.test(db), `currentDatabase() after USE system:\n${paneTail(db)}`);
  await s.query('SET max_block_size = 4321');
  const set = await s.query("SELECT value FROM system.settings WHERE name = 'max_block_size'");
  assert(/│ 4321 +│/.test(set), `max_block_size after SET:\n${paneTail(set)}`);
  // Back to the default: with blocks this small the 18.16 client erases its progress line on the next Data
  // packet, a millisecond after drawing it, and the cancel checks below would rarely see one.
  await s.query('SET max_block_size = 65536');
  await s.query('USE default');
});

check('interactive/progress-and-cancel', async () => {
  const s = await interactive();
  const mark = s.mark();
  // far more rows than any server counts in the test's lifetime
  s.type('SELECT count() FROM numbers(1000000000000)');
  s.keys('Enter');
  const rowsShown = (/** @type {string} */ t) => {
    const all = [...t.slice(mark).matchAll(/Progress: ([\d.]+(?: (?:thousand|million|billion|trillion))?) rows/g)];
    return all.length ? all[all.length - 1]?.[1] ?? null : null;
  };
  const first = await s.waitFor((t) => rowsShown(t), 'a "Progress: N rows" line', 20000);
  await s.waitFor((t) => {
    const now = rowsShown(t);
    return now !== null && now !== first;
  }, `the progress rows counter to move on from ${first}`, 20000);
  const beforeCancel = s.capture().slice(mark);
  assert(!/rows? in set/.test(beforeCancel), `the query finished before it could be cancelled:\n${paneTail(beforeCancel)}`);
  s.keys('C-c');
  const out = await s.waitPrompt(mark, 20000);
  assert(/Query was cancelled\./.test(out), `no "Query was cancelled.":\n${paneTail(out)}`);
  const after = await s.query('SELECT 1 AS one');
  assert(/│ +1 │/.test(after) && /1 rows? in set/.test(after), `SELECT 1 after the cancel did not answer:\n${paneTail(after)}`);
});

check('interactive/cancel-streaming', async () => {
  // Ctrl+C while the server is busy sending Data packets (FORMAT Null: the client reads and drops them)
  const s = await interactive();
  const mark = s.mark();
  s.type('SELECT number, toString(number) FROM numbers(1000000000000) FORMAT Null');
  s.keys('Enter');
  await s.waitFor((t) => /Progress: [\d.]+(?: \w+)? rows/.test(t.slice(mark)), 'a "Progress: N rows" line', 20000);
  s.keys('C-c');
  const out = await s.waitPrompt(mark, 20000);
  assert(/Query was cancelled\./.test(out), `no "Query was cancelled.":\n${paneTail(out)}`);
  const after = await s.query("SELECT 'after' AS x");
  assert(/│ after │/.test(after), `no answer after the cancel:\n${paneTail(after)}`);
});

check('interactive/exit', async () => {
  const s = await interactive();
  s.type('exit');
  s.keys('Enter');
  await waitUntil(() => s.exited(), { timeoutMs: 10000, what: 'the client to exit on `exit`' });
  const lastPane = s.capture();
  assert(/Bye\./.test(lastPane), `no "Bye." before the client exited:\n${paneTail(lastPane)}`);
});

// ---------------------------------------------------------------- streaming queries (Hadron)
// An unbounded `SELECT count() FROM stream` must print a new count after each INSERT while it
// keeps running: from clickhouse-client (default 2 s emit: the 18.16 client's parser knows no
// EMIT clause), from `curl --no-buffer` over HTTP and over Proton's REST search. Each INSERT's
// count must appear before the next INSERT is sent; the latencies are printed.

const serverUrl = (process.env['COMPAT_SERVER_URL'] ?? '').replace(/\/$/, '');
const restPort = Number(process.env['COMPAT_REST_PORT'] || 0);

async function newStream(/** @type {string} */ base) {
  if (serverKind === 'reference') throw new Skip('streams are Hadron/Proton only');
  if (!serverUrl) throw new Skip('no COMPAT_SERVER_URL to send INSERTs to');
  const name = tbl(base);
  await sql(serverUrl, `CREATE STREAM ${name} (x Int32)`);
  return name;
}

/** @param {ReturnType<typeof followProcess>} p @param {string} what */
const exitedEarly = (p, what) => () => {
  const e = p.exit();
  return e === null ? null : `${what} exited (${e.code ?? e.signal}): ${clip(p.stderr() || p.stdout(), 400)}`;
};

check('streaming/clickhouse-client-count-then-kill', async () => {
  const stream = await newStream('stream_count');
  const queryId = `cli-stream-${uniq}`;
  const p = followProcess('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '--query_id', queryId, '-q', `SELECT count() FROM ${stream}`], {
    ...process.env, TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8',
  });
  try {
    const lat = await followInserts({ url: serverUrl, stream, counts: () => tsvCounts(p.stdout()), emitMs: 2000, abort: exitedEarly(p, 'clickhouse-client') });
    console.log(`      clickhouse-client: INSERT acknowledged → count printed in ${lat.join(' / ')} ms (2 s emit period)`);
    // KILL QUERY from another connection: the client reports Code 394 and exits non-zero
    await sql(serverUrl, `KILL QUERY WHERE query_id = '${queryId}'`);
    const exit = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r(null), 15000))]);
    assert(exit !== null, 'clickhouse-client did not exit after KILL QUERY');
    assert(/Code: 394\./.test(p.stderr()), `no "Code: 394." from the killed query:\n${clip(p.stderr())}`);
    assert(p.exit()?.code !== 0, 'clickhouse-client exited 0 after its query was killed');
    await waitUntil(async () => (await runningQueries(serverUrl, `%FROM ${stream}%`)).length === 0, { timeoutMs: 10000, what: 'the killed query to leave system.processes' });
  } finally {
    p.kill();
  }
});

check('streaming/clickhouse-client-disconnect', async () => {
  // a client killed while its streaming query runs: the server drops the query
  const stream = await newStream('stream_gone');
  const p = followProcess('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '-q', `SELECT count() FROM ${stream}`]);
  try {
    await waitUntil(async () => (await runningQueries(serverUrl, `%FROM ${stream}%`)).length === 1, { timeoutMs: 10000, what: 'the query in system.processes', abort: exitedEarly(p, 'clickhouse-client') });
    p.kill('SIGKILL');
    await p.exited;
    await waitUntil(async () => (await runningQueries(serverUrl, `%FROM ${stream}%`)).length === 0, { timeoutMs: 10000, intervalMs: 20, what: 'the query of the killed client to leave system.processes' });
  } finally {
    p.kill();
  }
});

check('streaming/clickhouse-client-interactive-cancel', async () => {
  // A streaming query in the terminal (its own tmux session): counts appear as rows are
  // inserted; Ctrl+C sends Cancel and the prompt comes back
  const stream = await newStream('stream_tty');
  const s = new TmuxClient(port, 'stream');
  s.start();
  try {
    await s.waitFor((t) => /:\) ?$/.test(t), 'the first prompt', 30000);
    const mark = s.mark();
    s.type(`SELECT count() FROM ${stream}`);
    s.keys('Enter');
    const counts = () => [...s.capture().slice(mark).matchAll(/^│ +(\d+) │$/gm)].map((m) => Number(m[1]));
    const lat = await followInserts({ url: serverUrl, stream, counts, emitMs: 2000, abort: () => (s.exited() ? 'the client exited' : null) });
    console.log(`      clickhouse-client (interactive): INSERT acknowledged → count shown in ${lat.join(' / ')} ms (2 s emit period)`);
    s.keys('C-c');
    const out = await s.waitPrompt(mark, 20000);
    assert(/Query was cancelled\./.test(out), `no "Query was cancelled.":\n${paneTail(out)}`);
    await waitUntil(async () => (await runningQueries(serverUrl, `%FROM ${stream}%`)).length === 0, { timeoutMs: 10000, what: 'the cancelled query to leave system.processes' });
    const after = await s.query("SELECT 'after' AS x");
    assert(/│ after │/.test(after), `no answer after the cancel:\n${paneTail(after)}`);
  } finally {
    s.stop();
  }
});

check('streaming/curl-no-buffer', async () => {
  const stream = await newStream('stream_curl');
  const p = followProcess('curl', ['-sS', '--no-buffer', '--data-binary', `SELECT count() FROM ${stream} EMIT PERIODIC 100ms`, `${serverUrl}/`]);
  try {
    const lat = await followInserts({ url: serverUrl, stream, counts: () => tsvCounts(p.stdout()), emitMs: 100, abort: exitedEarly(p, 'curl') });
    console.log(`      curl --no-buffer (HTTP): INSERT acknowledged → count printed in ${lat.join(' / ')} ms (EMIT PERIODIC 100ms)`);
    // curl going away ends the query
    p.kill('SIGINT');
    await p.exited;
    await waitUntil(async () => (await runningQueries(serverUrl, `%FROM ${stream}%`)).length === 0, { timeoutMs: 10000, intervalMs: 20, what: 'the query to leave system.processes after curl exited' });
  } finally {
    p.kill();
  }
});

check('streaming/curl-rest-search', async () => {
  const stream = await newStream('stream_rest');
  if (!restPort) throw new Skip('no COMPAT_REST_PORT (REST listener)');
  const requestId = `rest-stream-${uniq}`;
  const body = JSON.stringify({ query: `SELECT count() FROM ${stream} EMIT PERIODIC 100ms` });
  const p = followProcess('curl', ['-sS', '--no-buffer', '-H', `x-proton-request-id: ${requestId}`, '--data-binary', body, `http://127.0.0.1:${restPort}/proton/v1/search`]);
  try {
    // JSONCompact rows: ["3"] per emitted count
    const counts = () => [...p.stdout().matchAll(/^\s*\["?(\d+)"?\],?$/gm)].map((m) => Number(m[1]));
    const lat = await followInserts({ url: serverUrl, stream, counts, emitMs: 100, abort: exitedEarly(p, 'curl') });
    console.log(`      curl REST /proton/v1/search: INSERT acknowledged → count printed in ${lat.join(' / ')} ms (EMIT PERIODIC 100ms)`);
    await sql(serverUrl, `KILL QUERY WHERE query_id = '${requestId}'`);
    await waitUntil(() => p.exit() !== null, { timeoutMs: 10000, what: 'curl to end after KILL QUERY' });
    assert(/"code":\s*394/.test(p.stdout()), `no {"code":394,…} after KILL QUERY:\n${clip(p.stdout())}`);
  } finally {
    p.kill();
  }
});

// ---------------------------------------------------------------- main

const filter = opts.filter ? new RegExp(opts.filter) : null;
/** Set when the server stopped answering: the remaining checks then fail at once. */
let serverDown = '';
const counts = { passed: 0, failed: 0, skipped: 0 };
console.log(`clickhouse-client ${version?.join('.') ?? '(not found)'}; server: ${serverKind} tcp port ${port || '(none)'}`);
for (const c of checks) {
  if (filter && !filter.test(c.name)) continue;
  const started = Date.now();
  if (!port) {
    counts.failed++;
    console.log(`FAIL  ${c.name}\n      the server exported no native TCP port (COMPAT_TCP_PORT)`);
    continue;
  }
  if (!version) {
    counts.failed++;
    console.log(`FAIL  ${c.name}\n      clickhouse-client is not installed`);
    continue;
  }
  if (serverDown) {
    counts.failed++;
    console.log(`FAIL  ${c.name}\n      not run: ${serverDown}`);
    continue;
  }
  try {
    await c.run();
    counts.passed++;
    console.log(`PASS  ${c.name} (${Date.now() - started} ms)`);
  } catch (err) {
    if (err instanceof Skip) {
      counts.skipped++;
      console.log(`skip  ${c.name} (${err.message})`);
    } else {
      counts.failed++;
      const message = err instanceof Error ? err.message : String(err);
      console.log(`FAIL  ${c.name} (${Date.now() - started} ms)\n      ${message.split('\n').join('\n      ')}`);
      // after a timeout, make sure the server still answers a new connection
      if (/timed out/.test(message)) {
        const probe = await cli(['-q', 'SELECT 1'], { timeoutMs: 10000 });
        if (probe.stdout !== '1\n') serverDown = `the server stopped answering (SELECT 1 on a new connection: ${probe.timedOut ? 'timed out after 10 s' : `${probe.stdout}${probe.stderr}`.trim()}) after ${c.name}`;
      }
    }
  }
}
/** @type {TmuxClient | null} */ (session)?.stop();
if (port && version) await cli(['-q', `DROP TABLE IF EXISTS ${completionTable}`]);
console.log(summaryLine(counts));
process.exit(opts.strict && counts.failed > 0 ? 1 : 0);
