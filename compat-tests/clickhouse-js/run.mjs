#!/usr/bin/env node
// Drives the real @clickhouse/client (unmodified, from the repo's devDependencies) against a
// server, and ends with `N passed, N failed, N skipped`.
//
//   node compat-tests/clickhouse-js/run.mjs              # starts Hadron from dist/ (npm run build first)
//   node compat-tests/clickhouse-js/run.mjs --url http://127.0.0.1:8123
//   node compat-tests/clickhouse-js/run.mjs --reference  # ClickHouse 18.16 (modern client features fail there)
//   ... --strict                                         # exit 1 unless everything passed
//   ... --rows N                                         # size of the bulk insert (default 1,000,000)
import { createClient, ClickHouseError, ClickHouseLogLevel, isRow } from '@clickhouse/client';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { Readable } from 'node:stream';
import { ALL_TYPES_COLUMNS, ALL_TYPES_ROWS, canonicalDecimal, normalise } from './all-types.mjs';
import { Suite, assert, assertEqual, stable, summaryLine } from './harness.mjs';
import { parseTargetArgs, startTarget } from './target.mjs';

const args = parseTargetArgs(process.argv.slice(2));
const rowsIdx = args.rest.indexOf('--rows');
const N = rowsIdx >= 0 ? Number(args.rest[rowsIdx + 1]) : 1_000_000;
const EXPECTED_ID_SUM = (BigInt(N) * BigInt(N - 1)) / 2n;
const BASE_TS = 1_700_000_000; // 2023-11-14 22:13:20 UTC

const suffix = `${process.pid}_${Date.now().toString(36)}`;
const DB = `js_compat_${suffix}`;
const BULK = `${DB}.bulk`;
const STREAM = `${DB}.s`;
const TYPES = `${DB}.all_types`;

/** The row `i` of the bulk table, as inserted. */
const bulkRow = (/** @type {number} */ i) => ({ id: i, name: `name_${i}`, value: i / 4, ts: BASE_TS + (i % 86400) });
/** DateTime('UTC') text of a bulk row's ts. */
const tsText = (/** @type {number} */ i) => new Date((BASE_TS + (i % 86400)) * 1000).toISOString().slice(0, 19).replace('T', ' ');

let target;
try {
  target = await startTarget(args);
} catch (err) {
  console.log(`could not start the server: ${err instanceof Error ? err.message : String(err)}`);
  console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
  process.exit(args.strict ? 1 : 0);
}
console.log(`clickhouse-js ${await clientVersion()} against ${target.kind} at ${target.url}`);

const quiet = { log: { level: ClickHouseLogLevel.OFF } };
const client = createClient({ url: target.url, request_timeout: 180_000, max_open_connections: 4, ...quiet });
const suite = new Suite('clickhouse-js');

// ---------------------------------------------------------------- connection
suite.check('ping', async () => {
  const r = await client.ping();
  assert(r.success, `ping failed: ${r.success ? '' : String(/** @type {{error?: unknown}} */ (r).error)}`);
});

suite.check('SELECT version() in JSON', async () => {
  const rs = await client.query({ query: 'SELECT version() AS v, 1 + 1 AS two', format: 'JSON' });
  const j = /** @type {any} */ (await rs.json());
  assertEqual(j.meta, [{ name: 'v', type: 'String' }, { name: 'two', type: 'UInt16' }], 'meta');
  assert(/^\d+\.\d+/.test(j.data[0].v), `version() = ${j.data[0].v}`);
  assertEqual(j.data[0].two, 2, 'two');
  assertEqual(j.rows, 1, 'rows');
  assert(typeof j.statistics?.elapsed === 'number', `statistics: ${stable(j.statistics)}`);
});

suite.check('create database', async () => {
  await client.command({ query: `CREATE DATABASE ${DB}` });
});

// ---------------------------------------------------------------- DDL
suite.check(
  'CREATE STREAM',
  async () => {
    await client.command({ query: `CREATE STREAM ${STREAM} (id uint32, msg string, v float64)` });
  },
  { after: ['create database'] },
);

suite.check(
  'CREATE TABLE … ENGINE = MergeTree',
  async () => {
    await client.command({
      query: `CREATE TABLE ${BULK} (id UInt64, name String, value Float64, ts DateTime('UTC')) ENGINE = MergeTree ORDER BY id`,
    });
  },
  { after: ['create database'] },
);

// ---------------------------------------------------------------- stream insert / read
suite.check(
  'insert into stream (JSONCompactEachRow) and read with table()',
  async () => {
    const values = Array.from({ length: 1000 }, (_, i) => [i, `m${i}`, i * 1.5]);
    await client.insert({ table: STREAM, values, format: 'JSONCompactEachRow', columns: ['id', 'msg', 'v'] });
    const rs = await client.query({ query: `SELECT count() AS c, sum(id) AS s, max(msg) AS mx FROM table(${STREAM})`, format: 'JSONEachRow' });
    const rows = /** @type {any[]} */ (await rs.json());
    assertEqual(rows, [{ c: '1000', s: '499500', mx: 'm999' }], 'aggregate over table(s)');
  },
  { after: ['CREATE STREAM'] },
);

suite.check(
  'streaming SELECT from a stream ends at LIMIT (seek_to earliest)',
  async () => {
    const rs = await client.query({
      query: `SELECT id, msg FROM ${STREAM} LIMIT 5`,
      format: 'JSONEachRow',
      clickhouse_settings: /** @type {any} */ ({ seek_to: 'earliest' }),
      abort_signal: AbortSignal.timeout(20_000),
    });
    const rows = /** @type {any[]} */ (await rs.json());
    assertEqual(rows.length, 5, 'rows');
  },
  { after: ['insert into stream (JSONCompactEachRow) and read with table()'], timeoutMs: 30_000 },
);

// ---------------------------------------------------------------- bulk insert
/** @type {import('@clickhouse/client').ClickHouseSummary | undefined} */
let bulkSummary;
suite.check(
  `insert ${N} rows (JSONEachRow, streamed)`,
  async () => {
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < N; i++) yield bulkRow(i);
      })(),
      { objectMode: true },
    );
    source.on('error', () => {}); // the client aborts it when the server rejects the insert
    const r = await client.insert({ table: BULK, values: source, format: 'JSONEachRow' });
    assert(r.executed, 'not executed');
    bulkSummary = r.summary;
  },
  { after: ['CREATE TABLE … ENGINE = MergeTree'], timeoutMs: 180_000 },
);

suite.check(
  'insert response has X-ClickHouse-Summary with written_rows',
  async () => {
    assert(bulkSummary !== undefined, 'no X-ClickHouse-Summary header on the insert response');
    assertEqual(bulkSummary.written_rows, String(N), 'written_rows');
  },
  { after: [`insert ${N} rows (JSONEachRow, streamed)`] },
);

// The read checks below need the data, not the JSONEachRow insert path: when that insert
// failed, load the same rows with INSERT … SELECT so that the output formats still get tested.
suite.check(
  `bulk table holds ${N} rows`,
  async () => {
    if (suite.outcome.get(`insert ${N} rows (JSONEachRow, streamed)`) !== 'pass') {
      await client.command({ query: `TRUNCATE TABLE ${BULK}` }).catch(() => {});
      await client.command({
        query: `INSERT INTO ${BULK} (id, name, value, ts) SELECT number, concat('name_', toString(number)), number / 4, toDateTime(${BASE_TS} + number % 86400, 'UTC') FROM numbers(${N})`,
      });
      console.log('      (loaded with INSERT … SELECT, because the JSONEachRow insert failed)');
    }
    const rs = await client.query({ query: `SELECT count() AS c FROM ${BULK}`, format: 'JSONEachRow' });
    assertEqual(await rs.json(), [{ c: String(N) }], 'count()');
  },
  { after: ['CREATE TABLE … ENGINE = MergeTree'], timeoutMs: 180_000 },
);

const bulkReady = [`bulk table holds ${N} rows`];

suite.check(
  'count and sum in JSON',
  async () => {
    const rs = await client.query({ query: `SELECT count() AS c, sum(id) AS s, min(name) AS mn FROM ${BULK}`, format: 'JSON' });
    const j = /** @type {any} */ (await rs.json());
    assertEqual(j.data, [{ c: String(N), s: String(EXPECTED_ID_SUM), mn: 'name_0' }], 'data');
    assertEqual(j.meta.map((/** @type {any} */ m) => m.type), ['UInt64', 'UInt64', 'String'], 'meta types');
  },
  { after: bulkReady },
);

suite.check(
  `read ${Math.min(N, 10000)} rows in JSON (values exact)`,
  async () => {
    const rs = await client.query({ query: `SELECT id, name, value, ts FROM ${BULK} ORDER BY id LIMIT ${Math.min(N, 10000)}`, format: 'JSON' });
    const j = /** @type {any} */ (await rs.json());
    assertEqual(j.rows, Math.min(N, 10000), 'rows');
    assertEqual(j.meta, [
      { name: 'id', type: 'UInt64' },
      { name: 'name', type: 'String' },
      { name: 'value', type: 'Float64' },
      { name: 'ts', type: "DateTime('UTC')" },
    ], 'meta');
    for (let i = 0; i < Math.min(N, 10000); i++) {
      const got = j.data[i];
      const want = { id: String(i), name: `name_${i}`, value: i / 4, ts: tsText(i) };
      if (stable(got) !== stable(want)) throw new Error(`row ${i}: expected ${stable(want)}, got ${stable(got)}`);
    }
  },
  { after: bulkReady },
);

suite.check(
  `read ${N} rows in JSONEachRow (streamed)`,
  async () => {
    const rs = await client.query({ query: `SELECT id, name, value FROM ${BULK}`, format: 'JSONEachRow' });
    let count = 0;
    let sum = 0n;
    for await (const batch of rs.stream()) {
      for (const row of batch) {
        const o = /** @type {any} */ (row.json());
        const id = Number(o.id);
        if (o.name !== `name_${id}` || o.value !== id / 4) throw new Error(`bad row ${row.text}`);
        sum += BigInt(id);
        count++;
      }
    }
    assertEqual(count, N, 'row count');
    assertEqual(String(sum), String(EXPECTED_ID_SUM), 'sum of ids');
  },
  { after: bulkReady, timeoutMs: 120_000 },
);

suite.check(
  'JSONCompactEachRowWithNamesAndTypes',
  async () => {
    const rs = await client.query({ query: `SELECT id, name, ts FROM ${BULK} ORDER BY id LIMIT 3`, format: 'JSONCompactEachRowWithNamesAndTypes' });
    const rows = /** @type {any[]} */ (await rs.json());
    assertEqual(rows, [
      ['id', 'name', 'ts'],
      ['UInt64', 'String', "DateTime('UTC')"],
      ['0', 'name_0', tsText(0)],
      ['1', 'name_1', tsText(1)],
      ['2', 'name_2', tsText(2)],
    ], 'rows');
  },
  { after: bulkReady },
);

suite.check(
  `read ${N} rows in CSV`,
  async () => {
    const rs = await client.query({ query: `SELECT id, name, value FROM ${BULK}`, format: 'CSV' });
    let count = 0;
    let sum = 0n;
    for await (const batch of rs.stream()) {
      for (const row of batch) {
        const [idText, name, value] = row.text.split(',');
        const id = Number(idText);
        if (name !== `"name_${id}"` || Number(value) !== id / 4) throw new Error(`bad CSV row ${row.text}`);
        sum += BigInt(id);
        count++;
      }
    }
    assertEqual(count, N, 'row count');
    assertEqual(String(sum), String(EXPECTED_ID_SUM), 'sum of ids');
  },
  { after: bulkReady, timeoutMs: 120_000 },
);

suite.check(
  `read ${N} rows in TabSeparated`,
  async () => {
    const rs = await client.query({ query: `SELECT id, name, value, ts FROM ${BULK}`, format: 'TabSeparated' });
    let count = 0;
    let sum = 0n;
    for await (const batch of rs.stream()) {
      for (const row of batch) {
        const [idText, name, value, ts] = row.text.split('\t');
        const id = Number(idText);
        if (name !== `name_${id}` || Number(value) !== id / 4 || ts !== tsText(id)) throw new Error(`bad TSV row ${JSON.stringify(row.text)}`);
        sum += BigInt(id);
        count++;
      }
    }
    assertEqual(count, N, 'row count');
    assertEqual(String(sum), String(EXPECTED_ID_SUM), 'sum of ids');
  },
  { after: bulkReady, timeoutMs: 120_000 },
);

suite.check(
  `read ${N} rows in RowBinary (raw stream via exec)`,
  async () => {
    const { stream } = await client.exec({ query: `SELECT id, name, value, ts FROM ${BULK} FORMAT RowBinary` });
    const buf = await collect(stream);
    let pos = 0;
    let count = 0;
    let sum = 0n;
    while (pos < buf.length) {
      const id = buf.readBigUInt64LE(pos);
      pos += 8;
      const [len, p2] = readVarUInt(buf, pos);
      const name = buf.toString('utf8', p2, p2 + len);
      pos = p2 + len;
      const value = buf.readDoubleLE(pos);
      pos += 8;
      const ts = buf.readUInt32LE(pos);
      pos += 4;
      const i = Number(id);
      if (name !== `name_${i}` || value !== i / 4 || ts !== BASE_TS + (i % 86400)) {
        throw new Error(`bad RowBinary row ${count}: id=${id} name=${name} value=${value} ts=${ts}`);
      }
      sum += id;
      count++;
    }
    assertEqual(count, N, 'row count');
    assertEqual(String(sum), String(EXPECTED_ID_SUM), 'sum of ids');
  },
  { after: bulkReady, timeoutMs: 120_000 },
);

suite.check(
  `read ${N} rows in Parquet (exec → hyparquet)`,
  async () => {
    const { stream } = await client.exec({ query: `SELECT id, name, value FROM ${BULK} ORDER BY id FORMAT Parquet` });
    const buf = await collect(stream);
    assert(buf.length > 8 && buf.subarray(0, 4).toString() === 'PAR1', `not a Parquet file (starts ${stable(buf.subarray(0, 16).toString('hex'))})`);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const meta = parquetMetadata(file);
    assertEqual(Number(meta.num_rows), N, 'Parquet num_rows');
    const rows = await parquetReadObjects({ file, rowStart: 0, rowEnd: 3 });
    assertEqual(rows.map((r) => [String(r['id']), toText(r['name']), r['value']]), [
      ['0', 'name_0', 0],
      ['1', 'name_1', 0.25],
      ['2', 'name_2', 0.5],
    ], 'first rows');
  },
  { after: bulkReady, timeoutMs: 120_000 },
);

suite.check(
  `query with format: 'Parquet' (ResultSet stream)`,
  async () => {
    const rs = await client.query({ query: `SELECT id FROM ${BULK} ORDER BY id LIMIT 10`, format: 'Parquet' });
    // The client splits raw formats at newlines; only check the bytes arrive and start with PAR1.
    const text = await rs.text();
    assert(text.startsWith('PAR1'), `not a Parquet file: ${stable(text.slice(0, 16))}`);
  },
  { after: bulkReady },
);

// ---------------------------------------------------------------- more output formats, exact
/** @type {[import('@clickhouse/client').DataFormat, unknown][]} */
const SMALL_FORMATS = [
  ['JSONCompact', { data: [['0', '0', null], ['1', '1', 0.5]], rows: 2 }],
  // the *Strings formats print NULL the way Pretty does (ClickHouse's SerializationNullable::serializeText)
  ['JSONStrings', { data: [{ n: '0', s: '0', h: 'ᴺᵁᴸᴸ' }, { n: '1', s: '1', h: '0.5' }], rows: 2 }],
  ['JSONCompactStringsEachRow', [['0', '0', 'ᴺᵁᴸᴸ'], ['1', '1', '0.5']]],
  ['JSONCompactEachRowWithNames', [['n', 's', 'h'], ['0', '0', null], ['1', '1', 0.5]]],
  ['JSONObjectEachRow', { row_1: { n: '0', s: '0', h: null }, row_2: { n: '1', s: '1', h: 0.5 } }],
  ['CSVWithNames', '"n","s","h"\n0,"0",\\N\n1,"1",0.5\n'],
  ['TabSeparatedWithNamesAndTypes', 'n\ts\th\nUInt64\tString\tNullable(Float64)\n0\t0\t\\N\n1\t1\t0.5\n'],
];
for (const [format, want] of SMALL_FORMATS) {
  suite.check(`output format ${format}`, async () => {
    const rs = await client.query({ query: 'SELECT number AS n, toString(number) AS s, if(number = 0, NULL, number / 2) AS h FROM numbers(2)', format });
    if (typeof want === 'string') {
      assertEqual(await rs.text(), want, 'text');
      return;
    }
    const got = /** @type {any} */ (await rs.json());
    if (Array.isArray(want) || format === 'JSONObjectEachRow') assertEqual(got, want, 'rows');
    else assertEqual({ data: got.data, rows: got.rows }, want, 'data');
  });
}

suite.check('output format JSONEachRowWithProgress (rows among progress lines)', async () => {
  const rs = await client.query({ query: 'SELECT number AS n FROM numbers(3)', format: 'JSONEachRowWithProgress' });
  /** @type {unknown[]} */
  const rows = [];
  for await (const batch of rs.stream()) {
    for (const r of batch) {
      const o = /** @type {any} */ (r.json());
      if (isRow(o)) rows.push(o.row);
    }
  }
  assertEqual(rows, [{ n: '0' }, { n: '1' }, { n: '2' }], 'rows');
});

// ---------------------------------------------------------------- cancellation
suite.check(
  'aborting an unbounded streaming query stops it on the server',
  async () => {
    const queryId = `hadron-js-abort-${suffix}`;
    const controller = new AbortController();
    const rs = await client.query({
      query: `SELECT id, msg FROM ${STREAM}`,
      format: 'JSONEachRow',
      query_id: queryId,
      clickhouse_settings: /** @type {any} */ ({ seek_to: 'earliest' }),
      abort_signal: controller.signal,
    });
    const running = async () => {
      const p = await client.query({ query: `SELECT count() AS c FROM system.processes WHERE query_id = {id:String}`, format: 'JSONEachRow', query_params: { id: queryId } });
      const [row] = /** @type {any[]} */ (await p.json());
      return row?.c !== '0';
    };
    let seen = 0;
    let listed = false;
    try {
      for await (const batch of rs.stream()) {
        seen += batch.length;
        if (seen >= 10 && !controller.signal.aborted) {
          listed = await running();
          // clickhouse-js's abort_signal covers the request until the response starts; a result that is already
          // streaming is stopped with ResultSet.close(), which destroys the socket (the server sees a disconnect).
          controller.abort();
          rs.close();
        }
      }
    } catch {
      // the abort surfaces as an error on the stream
    }
    assert(seen >= 10, `only ${seen} rows arrived before the abort`);
    assert(listed, 'the running streaming query was not listed in system.processes');
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (!(await running())) return;
      if (Date.now() > deadline) throw new Error('the query is still in system.processes 10 s after the client aborted');
      await new Promise((r) => setTimeout(r, 200));
    }
  },
  { after: ['insert into stream (JSONCompactEachRow) and read with table()'], timeoutMs: 30_000 },
);

// ---------------------------------------------------------------- all types
suite.check(
  'CREATE TABLE with every type',
  async () => {
    const cols = ALL_TYPES_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ');
    await client.command({ query: `CREATE TABLE ${TYPES} (k UInt8, ${cols}) ENGINE = MergeTree ORDER BY k` });
  },
  { after: ['create database'] },
);

suite.check(
  'DESCRIBE reports canonical type names',
  async () => {
    const rs = await client.query({ query: `DESCRIBE TABLE ${TYPES}`, format: 'JSONEachRow' });
    const rows = /** @type {any[]} */ (await rs.json());
    const got = rows.map((r) => [r.name, r.type]);
    const want = [['k', 'UInt8'], ...ALL_TYPES_COLUMNS.map(([n, , canonical]) => [n, canonical])];
    const bad = want.filter(([n, t], i) => got[i]?.[0] !== n || got[i]?.[1] !== t);
    assert(bad.length === 0 && got.length === want.length, `mismatches: ${bad.map(([n, t]) => `${n}: want ${t}, got ${got.find((g) => g[0] === n)?.[1]}`).join('; ')}`);
  },
  { after: ['CREATE TABLE with every type'] },
);

suite.check(
  'insert every type (JSONEachRow)',
  async () => {
    await client.insert({ table: TYPES, values: ALL_TYPES_ROWS.map((r, k) => ({ k, ...r })), format: 'JSONEachRow' });
  },
  { after: ['CREATE TABLE with every type'] },
);

suite.check(
  'every type round-trips (JSONEachRow)',
  async () => {
    const rs = await client.query({ query: `SELECT * EXCEPT k FROM ${TYPES} ORDER BY k`, format: 'JSONEachRow' });
    const rows = /** @type {any[]} */ (await rs.json());
    assertEqual(rows.length, ALL_TYPES_ROWS.length, 'row count');
    /** @type {string[]} */
    const bad = [];
    rows.forEach((got, r) => {
      const want = /** @type {Record<string, unknown>} */ (ALL_TYPES_ROWS[r]);
      for (const [col] of ALL_TYPES_COLUMNS) {
        const g = stable(normalise(col, got[col]));
        const w = stable(normalise(col, want[col]));
        if (g !== w) bad.push(`row ${r} ${col}: expected ${w}, got ${stable(got[col])}`);
      }
      const extra = Object.keys(got).filter((k) => !ALL_TYPES_COLUMNS.some(([c]) => c === k));
      if (extra.length) bad.push(`row ${r}: unexpected columns ${extra.join(',')}`);
    });
    assert(bad.length === 0, bad.join('\n'));
  },
  { after: ['insert every type (JSONEachRow)'] },
);

suite.check(
  'every type in JSON meta, decimals exact with output_format_json_quote_decimals=1',
  async () => {
    const rs = await client.query({
      query: `SELECT * EXCEPT k FROM ${TYPES} ORDER BY k`,
      format: 'JSON',
      clickhouse_settings: { output_format_json_quote_decimals: 1 },
    });
    const j = /** @type {any} */ (await rs.json());
    /** @type {string[]} */
    const bad = ALL_TYPES_COLUMNS.filter(([n, , t], i) => j.meta[i]?.name !== n || j.meta[i]?.type !== t).map(
      ([n, , t]) => `meta ${n}: want ${t}, got ${j.meta.find((/** @type {any} */ m) => m.name === n)?.type}`,
    );
    j.data.forEach((/** @type {any} */ got, /** @type {number} */ r) => {
      const want = /** @type {Record<string, unknown>} */ (ALL_TYPES_ROWS[r]);
      for (const col of ['d', 'd32', 'd64', 'd128', 'd256']) {
        if (typeof got[col] !== 'string' || canonicalDecimal(got[col]) !== canonicalDecimal(String(want[col]))) {
          bad.push(`row ${r} ${col}: expected "${want[col]}", got ${stable(got[col])}`);
        }
      }
    });
    assert(bad.length === 0, bad.join('\n'));
  },
  { after: ['insert every type (JSONEachRow)'] },
);

suite.check(
  'Enum type name lists values sorted by value',
  async () => {
    await client.command({ query: `CREATE TABLE ${DB}.enums (k UInt8, e Enum8('b' = 2, 'a' = 1)) ENGINE = MergeTree ORDER BY k` });
    const rs = await client.query({ query: `SELECT toTypeName(e) AS t FROM (SELECT CAST('a' AS Enum8('b' = 2, 'a' = 1)) AS e)`, format: 'JSONEachRow' });
    assertEqual(await rs.json(), [{ t: "Enum8('a' = 1, 'b' = 2)" }], 'toTypeName');
    const d = await client.query({ query: `DESCRIBE TABLE ${DB}.enums`, format: 'JSONEachRow' });
    const rows = /** @type {any[]} */ (await d.json());
    assertEqual(rows[1]?.type, "Enum8('a' = 1, 'b' = 2)", 'DESCRIBE type');
  },
  { after: ['create database'] },
);

// ---------------------------------------------------------------- parameters, ids, errors, settings
suite.check('query parameters {x:UInt32}, {s:String}, {d:DateTime}, {a:Array(UInt16)}', async () => {
  const rs = await client.query({
    query: 'SELECT {x:UInt32} + 1 AS y, {s:String} AS s, toUnixTimestamp({d:DateTime}) AS d, length({a:Array(UInt16)}) AS n',
    format: 'JSONEachRow',
    query_params: { x: 41, s: "it's a \\ \t tab", d: '2024-01-02 03:04:05', a: [1, 2, 3] },
    clickhouse_settings: { session_timezone: 'UTC' },
  });
  const rows = /** @type {any[]} */ (await rs.json());
  assertEqual(rows, [{ y: '42', s: "it's a \\ \t tab", d: 1704164645, n: '3' }], 'row');
});

suite.check('query_id is used and echoed', async () => {
  const queryId = `hadron-js-${suffix}`;
  const rs = await client.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow', query_id: queryId });
  await rs.json();
  assertEqual(rs.query_id, queryId, 'ResultSet.query_id');
  assertEqual(rs.response_headers['x-clickhouse-query-id'], queryId, 'X-ClickHouse-Query-Id');
});

suite.check("unknown table → ClickHouseError code '60'", async () => {
  try {
    const rs = await client.query({ query: 'SELECT * FROM nope', format: 'JSON' });
    await rs.json();
  } catch (err) {
    assert(err instanceof ClickHouseError, `not a ClickHouseError: ${String(err)}`);
    assertEqual(err.code, '60', 'code');
    assert(err.type === 'UNKNOWN_TABLE' || err.type === 'UNKNOWN_STREAM', `type = ${err.type}`);
    return;
  }
  throw new Error('no error was raised');
});

suite.check('an error in the middle of a streamed result reaches the client', async () => {
  const rs = await client.query({
    query: 'SELECT number, throwIf(number = 300000) AS t FROM numbers(1000000)',
    format: 'JSONEachRow',
    clickhouse_settings: { max_block_size: '10000' },
  });
  let rows = 0;
  try {
    for await (const batch of rs.stream()) rows += batch.length;
  } catch (err) {
    assert(/\b395\b|FUNCTION_THROW_IF_VALUE_IS_NON_ZERO/.test(`${/** @type {any} */ (err).code} ${String(err)}`), `unexpected error: ${String(err)}`);
    return;
  }
  throw new Error(`the stream ended normally after ${rows} rows: the exception was lost`);
});

suite.check("syntax error → ClickHouseError code '62'", async () => {
  try {
    await client.command({ query: 'SELEC 1' });
  } catch (err) {
    assert(err instanceof ClickHouseError, `not a ClickHouseError: ${String(err)}`);
    assertEqual(err.code, '62', 'code');
    return;
  }
  throw new Error('no error was raised');
});

suite.check('settings per query (output_format_json_quote_64bit_integers=0, max_block_size)', async () => {
  const rs = await client.query({
    query: "SELECT toUInt64(12345678901) AS big, getSetting('max_block_size') AS mbs",
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0, max_block_size: '1234' },
  });
  const rows = /** @type {any[]} */ (await rs.json());
  assertEqual(rows[0]?.big, 12345678901, 'big (unquoted)');
  assertEqual(String(rows[0]?.mbs), '1234', "getSetting('max_block_size')");
});

suite.check('settings per query visible in system.settings (changed)', async () => {
  const rs = await client.query({
    query: "SELECT value, changed FROM system.settings WHERE name = 'max_block_size'",
    format: 'JSONEachRow',
    clickhouse_settings: { max_block_size: '4321' },
  });
  const rows = /** @type {any[]} */ (await rs.json());
  assertEqual(rows.map((r) => [r.value, Number(r.changed)]), [['4321', 1]], 'system.settings row');
});

suite.check('gzip request and response compression', async () => {
  const gz = createClient({ url: target.url, compression: { request: true, response: true }, ...quiet });
  try {
    await gz.command({ query: `CREATE TABLE ${DB}.gz (id UInt32, msg String) ENGINE = MergeTree ORDER BY id` });
    await gz.insert({ table: `${DB}.gz`, values: [{ id: 5000, msg: 'gz' }, { id: 1, msg: 'one' }], format: 'JSONEachRow' });
    const rs = await gz.query({ query: `SELECT msg FROM ${DB}.gz WHERE id = 5000`, format: 'JSONEachRow' });
    assertEqual(await rs.json(), [{ msg: 'gz' }], 'row');
  } finally {
    await gz.close();
  }
}, { after: ['create database'] });

suite.check('session_id keeps SET between requests', async () => {
  const sess = createClient({ url: target.url, session_id: `js-sess-${suffix}`, ...quiet });
  try {
    await sess.command({ query: 'SET max_block_size = 777' });
    const rs = await sess.query({ query: "SELECT getSetting('max_block_size') AS v", format: 'JSONEachRow' });
    const rows = /** @type {any[]} */ (await rs.json());
    assertEqual(String(rows[0]?.v), '777', 'setting in session');
  } finally {
    await sess.close();
  }
});

suite.check('drop database', async () => {
  await client.command({ query: `DROP DATABASE ${DB}` });
}, { after: ['create database'] });

// ---------------------------------------------------------------- run
const counts = await suite.run();
await client.close();
await target.stop();
console.log(summaryLine(counts));
process.exit(args.strict && (counts.failed > 0 || counts.skipped > 0) ? 1 : 0);

// ---------------------------------------------------------------- helpers
/** @param {NodeJS.ReadableStream} stream @returns {Promise<Buffer>} */
async function collect(stream) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : /** @type {Buffer} */ (c));
  return Buffer.concat(chunks);
}

/** @param {Buffer} buf @param {number} pos @returns {[number, number]} value and next position */
function readVarUInt(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated varuint');
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

/** @param {unknown} v */
function toText(v) {
  return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v;
}

async function clientVersion() {
  try {
    const { default: v } = await import('@clickhouse/client/dist/version.js');
    return typeof v === 'string' ? v : String(/** @type {any} */ (v)?.default ?? '?');
  } catch {
    return '(version unknown)';
  }
}
