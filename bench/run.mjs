#!/usr/bin/env node
// Hadron vs ClickHouse 18.16 (and DuckDB in-process) on one generated dataset: HTTP ingest
// (RowBinary and CSV) and a handful of analytical queries. See docs/benchmarks.md.
//
//   npm run build && node bench/run.mjs [--rows 10000000] [--runs 3] [--only ingest,queries,native]
//     [--systems hadron,clickhouse,duckdb] [--queries sum,time_range] [--chunk-rows 1000000] [--query-timeout 120]
//     [--hadron-node-args="--cpu-prof --cpu-prof-dir=bench/.data/prof"] [--write-doc | --no-doc]
//     [--out bench/results/other.json]
//   node bench/run.mjs --report-only      regenerate docs/benchmarks.md from bench/results/latest.json (or --out)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { delay } from '../compat-tests/lib/wait.mjs';
import { TABLE_COLUMNS, encodeCsv, encodeRowBinary, generateDataset } from './lib/dataset.mjs';
import { openDuckDb } from './lib/duckdb-runner.mjs';
import { closeClient, exec, httpRequest } from './lib/http-client.mjs';
import { cpuTimeMs, loadAverage, machineFacts } from './lib/machine.mjs';
import { benchQueries } from './lib/queries.mjs';
import { compareAnswers, median } from './lib/stats.mjs';
import { INGEST_GOAL_ROWS_PER_S, QUERY_GOAL_RATIO, renderConsole, renderMarkdown } from './lib/report.mjs';
import { memoryOf, startClickHouseServer, startHadronServer } from './lib/servers.mjs';
import { renderNativeCliConsole, renderNativeCliMarkdown, runNativeCli } from './lib/native-cli.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const defaultResultsFile = join(benchDir, 'results', 'latest.json');
const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
const DEFAULT_ROWS = 10_000_000;

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: String(DEFAULT_ROWS) },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: 'ingest,queries,native' },
    systems: { type: 'string', default: 'hadron,clickhouse,duckdb' },
    'chunk-rows': { type: 'string', default: '1000000' },
    'query-timeout': { type: 'string', default: '120' },
    'slow-query': { type: 'string', default: '20' },
    queries: { type: 'string', default: '' },
    out: { type: 'string', default: '' },
    'hadron-node-args': { type: 'string', default: '' },
    'write-doc': { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
  },
});

const resultsFile = opts.out ? resolve(opts.out) : defaultResultsFile;

if (opts['report-only']) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  writeFileSync(docFile, withQpsSection(renderMarkdown(results) + renderNativeCliMarkdown(results)));
  console.log(`wrote ${docFile} from ${resultsFile}`);
  process.exit(0);
}

const rows = Number(opts.rows);
const runs = Number(opts.runs);
const chunkRows = Number(opts['chunk-rows']);
const queryTimeoutMs = Number(opts['query-timeout']) * 1000;
const slowQueryMs = Number(opts['slow-query']) * 1000;
const phases = new Set(opts.only.split(',').map((s) => s.trim()));
const systems = new Set(opts.systems.split(',').map((s) => s.trim()));
const onlyQueries = new Set(opts.queries.split(',').map((s) => s.trim()).filter(Boolean));
const hadronNodeArgs = opts['hadron-node-args'].split(/\s+/).filter(Boolean);
const log = (/** @type {string} */ msg) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

const results = {
  date: new Date().toISOString(),
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  rows,
  runs,
  chunkRows,
  phases: [...phases],
  machine: machineFacts(),
  versions: /** @type {Record<string, string>} */ ({}),
  load: /** @type {Record<string, number[]>} */ ({ start: loadAverage() }),
  dataset: /** @type {Record<string, number>} */ ({}),
  ingest: /** @type {any[]} */ ([]),
  prepare: /** @type {Record<string, any>} */ ({}),
  queries: /** @type {any[]} */ ([]),
  memory: /** @type {Record<string, any>} */ ({}),
  notes: /** @type {string[]} */ ([]),
  goals: { queryRatio: QUERY_GOAL_RATIO, ingestRowsPerSecond: INGEST_GOAL_ROWS_PER_S },
  hadronNodeArgs,
  nativeCli: /** @type {import('./lib/native-cli.mjs').NativeCliResults | undefined} */ (undefined),
};

const scratch = mkdtempSync(join(tmpdir(), 'hadron-bench-'));
/** @type {import('./lib/servers.mjs').BenchServer[]} */
const servers = [];
/** @type {import('./lib/duckdb-runner.mjs').DuckDbRunner | null} */
let duck = null;

try {
  await main();
} finally {
  /** @type {import("./lib/duckdb-runner.mjs").DuckDbRunner | null} */ (duck)?.close();
  for (const s of servers) await s.stop().catch(() => {});
  closeClient();
  rmSync(scratch, { recursive: true, force: true });
}

async function main() {
  log(`generating ${rows.toLocaleString('en')} rows`);
  let t = performance.now();
  const data = generateDataset(rows);
  results.dataset.generateMs = Math.round(performance.now() - t);
  t = performance.now();
  const rowBinary = encodeRowBinary(data, chunkRows);
  results.dataset.rowBinaryBytes = sum(rowBinary.map((b) => b.length));
  results.dataset.encodeRowBinaryMs = Math.round(performance.now() - t);
  const needCsv = phases.has('ingest') || systems.has('duckdb');
  t = performance.now();
  const csv = needCsv ? encodeCsv(data, chunkRows) : [];
  results.dataset.csvBytes = sum(csv.map((b) => b.length));
  results.dataset.encodeCsvMs = Math.round(performance.now() - t);

  log('starting servers');
  const starts = [];
  if (systems.has('hadron')) {
    starts.push(startHadronServer({ scratch, nodeArgs: hadronNodeArgs, logFile: join(scratch, 'hadron.log') }));
  }
  if (systems.has('clickhouse')) starts.push(startClickHouseServer({ scratch }));
  servers.push(...(await Promise.all(starts)));
  for (const s of servers) results.versions[s.name] = s.version;
  if (systems.has('duckdb')) {
    const opened = await openDuckDb(scratch);
    if ('unavailable' in opened) results.notes.push(`DuckDB skipped: ${opened.unavailable}`);
    else {
      duck = opened;
      results.versions['DuckDB'] = opened.version;
    }
  }
  log(`versions: ${JSON.stringify(results.versions)}`);

  // Ingest: CSV first into a scratch table (dropped afterwards), then RowBinary into t, the
  // table the queries read. Each server ingests alone; Hadron's committer is awaited after
  // each load so its background work never overlaps the next measurement.
  if (phases.has('ingest')) {
    for (const s of servers) results.ingest.push(await ingest(s, 't_csv', 'CSV', csv));
    for (const s of servers) await exec(s.url, 'DROP TABLE t_csv');
  }
  for (const s of servers) {
    const r = await ingest(s, 't', 'RowBinary', rowBinary);
    if (phases.has('ingest')) results.ingest.push(r);
  }
  if (duck) {
    log('DuckDB: loading the CSV from a local file');
    const r = await duck.ingestCsv(csv, rows);
    results.ingest.push({ system: 'DuckDB', format: 'CSV', rows: r.rows, ms: Math.round(r.ms), rowsPerSecond: Math.round(r.rows / (r.ms / 1000)), bytes: results.dataset.csvBytes, error: null, note: 'read_csv from a local file, in-process' });
  }
  // clickhouse-client over the native protocol (lib/native-cli.mjs): its own tables, then SELECT * FROM t
  if (phases.has('native')) results.nativeCli = await runNativeCli({ servers, data, csv, chunkRows, runs, scratch, log });
  csv.length = 0;

  if (!phases.has('queries')) return finish();

  // Before timing queries: every row committed to parts, then OPTIMIZE TABLE t FINAL on both.
  for (const s of servers) {
    const prep = { partsBefore: await parts(s, 't'), optimizeMs: /** @type {number | null} */ (null), optimizeError: /** @type {string | null} */ (null), partsAfter: /** @type {any} */ (null) };
    log(`${s.name}: OPTIMIZE TABLE t FINAL`);
    const started = performance.now();
    const r = await httpRequest(s.url, { body: 'OPTIMIZE TABLE t FINAL', timeoutMs: 600000 });
    prep.optimizeMs = Math.round(performance.now() - started);
    if (!r.ok) prep.optimizeError = r.error;
    if (s.name === 'Hadron') await waitCommitted(s, 't', 120000);
    prep.partsAfter = await parts(s, 't');
    results.prepare[s.name] = prep;
  }
  for (const s of servers) {
    const idle = await waitIdle(s.pid, 60000);
    results.prepare[s.name].settleMs = idle.ms;
    if (!idle.ok) results.notes.push(`${s.name} was still busy (background work) 60 s after OPTIMIZE; queries timed anyway`);
  }
  results.load.beforeQueries = loadAverage();

  const answers = /** @type {Record<string, Record<string, string>>} */ ({});
  for (const q of benchQueries().filter((x) => onlyQueries.size === 0 || onlyQueries.has(x.id))) {
    /** @type {any} */
    const entry = { id: q.id, sql: q.sql, duckdbSql: q.duckdb, note: q.note ?? null, results: {} };
    answers[q.id] = {};
    /** @type {Contender[]} */
    const contenders = servers.map((s) => serverContender(s, q.sql));
    if (duck && q.duckdb !== null) contenders.push(duckContender(duck, q.duckdb, q.result === 'small'));
    Object.assign(entry.results, await timeQuery(contenders, q.sql));
    for (const [name, x] of Object.entries(entry.results)) {
      if (q.result === 'small' && x.answer) answers[q.id][name] = x.answer;
    }
    const h = entry.results['Hadron'];
    const c = entry.results['ClickHouse'];
    entry.ratio = h?.medianMs != null && c?.medianMs != null ? h.medianMs / c.medianMs : null;
    entry.meetsGoal = entry.ratio === null ? false : entry.ratio <= QUERY_GOAL_RATIO;
    const mismatch = compareAnswers(answers[q.id]);
    if (mismatch) results.notes.push(`${q.id}: answers differ: ${mismatch}`);
    if (q.id === 'select_all_rowbinary' && h?.bytes && c?.bytes && h.bytes !== c.bytes) {
      results.notes.push(`select_all_rowbinary: Hadron sent ${h.bytes} bytes, ClickHouse ${c.bytes}`);
    }
    results.queries.push(entry);
  }
  return finish();
}

function finish() {
  for (const s of servers) results.memory[s.name] = memoryOf(s.pid);
  results.load.end = loadAverage();
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  console.log('\n' + renderConsole(results));
  if (results.nativeCli) console.log('\n' + renderNativeCliConsole(results));
  log(`wrote ${resultsFile}`);
  const fullRun = rows === DEFAULT_ROWS && onlyQueries.size === 0 && phases.has('ingest') && phases.has('queries') && systems.has('hadron') && systems.has('clickhouse');
  if (opts['write-doc'] || (fullRun && !opts['no-doc'])) {
    writeFileSync(docFile, withQpsSection(renderMarkdown(results) + renderNativeCliMarkdown(results)));
    log(`wrote ${docFile}`);
  } else {
    log('docs/benchmarks.md not regenerated (not a full default run; pass --write-doc to force)');
  }
}

/**
 * Creates `table` and POSTs the chunks one after another; then waits until the rows are
 * visible (and, on Hadron, committed to parts).
 * @param {import('./lib/servers.mjs').BenchServer} s
 * @param {string} table
 * @param {'CSV' | 'RowBinary'} format
 * @param {Buffer[]} chunks
 */
async function ingest(s, table, format, chunks) {
  await exec(s.url, `CREATE TABLE ${table} (${TABLE_COLUMNS}) ENGINE = MergeTree ORDER BY ts`);
  const bytes = sum(chunks.map((b) => b.length));
  log(`${s.name}: INSERT ${format} (${(bytes / 2 ** 20).toFixed(0)} MiB in ${chunks.length} POSTs)`);
  const cpu0 = cpuTimeMs(s.pid);
  const started = performance.now();
  const startUs = monotonicUs();
  /** @type {string | null} */
  let error = null;
  for (const body of chunks) {
    const r = await httpRequest(s.url, { query: `INSERT INTO ${table} FORMAT ${format}`, body, timeoutMs: 300000 });
    if (!r.ok) {
      error = r.error;
      break;
    }
  }
  const ms = performance.now() - started;
  const cpuMs = cpuTimeMs(s.pid) - cpu0;
  const count = Number(await exec(s.url, `SELECT count() FROM ${table}`).catch(() => NaN));
  if (error === null && count !== rows) error = `count() = ${count} after the inserts, expected ${rows}`;
  /** @type {number | null} */
  let committedMs = null;
  if (s.name === 'Hadron' && error === null) {
    const ok = await waitCommitted(s, table, 300000);
    committedMs = ok ? Math.round(performance.now() - started) : null;
  }
  const r = {
    system: s.name,
    format,
    rows,
    bytes,
    ms: Math.round(ms),
    rowsPerSecond: error === null ? Math.round(rows / (ms / 1000)) : null,
    cpuMs: Math.round(cpuMs),
    committedMs,
    committedRowsPerSecond: committedMs ? Math.round(rows / (committedMs / 1000)) : null,
    error,
    window: [startUs, monotonicUs()],
  };
  log(`${s.name}: ${format} ${error ?? `${fmtRate(r.rowsPerSecond)} rows/s (${r.ms} ms)`}${committedMs ? `, committed to parts after ${committedMs} ms` : ''}`);
  return r;
}

/**
 * Polls system.parts until the active parts of `table` hold every row (Hadron's committer has
 * moved the log into parts).
 * @param {import('./lib/servers.mjs').BenchServer} s @param {string} table @param {number} timeoutMs
 */
async function waitCommitted(s, table, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const p = await parts(s, table);
    if (p && p.rows >= rows) return true;
    await delay(200);
  }
  results.notes.push(`${s.name}: ${table} not fully committed to parts after ${timeoutMs / 1000} s`);
  return false;
}

/** @param {import('./lib/servers.mjs').BenchServer} s @param {string} table */
async function parts(s, table) {
  const r = await httpRequest(s.url, { body: `SELECT count(), sum(rows) FROM system.parts WHERE table = '${table}' AND active FORMAT TSV`, timeoutMs: 30000 });
  if (!r.ok) return null;
  const [n, total] = r.text.trim().split('\t').map(Number);
  return { parts: n, rows: total };
}

/**
 * Waits until a server process is quiet (under 5 % of a core over 500 ms), so background work
 * after a load or a merge (part cleanup, garbage collection) is not billed to the first query.
 * @param {number} pid @param {number} timeoutMs
 */
async function waitIdle(pid, timeoutMs) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const cpu0 = cpuTimeMs(pid);
    await delay(500);
    if (cpuTimeMs(pid) - cpu0 <= 25) return { ok: true, ms: Math.round(performance.now() - started) };
  }
  return { ok: false, ms: Math.round(performance.now() - started) };
}

/**
 * @typedef {{ ok: boolean, ms: number, bytes: number, text: string, error: string | null }} Attempt
 * @typedef {{ name: string, run: () => Promise<Attempt>, cpuMs: () => number }} Contender
 */

/** @param {import('./lib/servers.mjs').BenchServer} s @param {string} sql @returns {Contender} */
function serverContender(s, sql) {
  return { name: s.name, run: () => httpRequest(s.url, { body: sql, timeoutMs: queryTimeoutMs }), cpuMs: () => cpuTimeMs(s.pid) };
}

/**
 * @param {import('./lib/duckdb-runner.mjs').DuckDbRunner} d @param {string} sql @param {boolean} small
 * @returns {Contender}
 */
function duckContender(d, sql, small) {
  return {
    name: 'DuckDB',
    async run() {
      try {
        const r = await d.query(sql, small);
        return { ok: true, ms: r.ms, bytes: 0, text: r.answer ?? '', error: null };
      } catch (err) {
        return { ok: false, ms: 0, bytes: 0, text: '', error: /** @type {Error} */ (err).message.split('\n')[0] };
      }
    },
    cpuMs: () => NaN, // in-process: not separable from the client
  };
}

/**
 * One warm-up each, then `runs` rounds in which every system runs the query once in turn,
 * so a burst of load from elsewhere on the machine hits all of them alike. A system whose
 * warm-up is slower than --slow-query gets one timed run; one that fails is dropped.
 * @param {Contender[]} contenders @param {string} sql
 */
async function timeQuery(contenders, sql) {
  log(sql);
  /** @type {Record<string, any>} */
  const out = {};
  /** @type {Contender[]} */
  const active = [];
  for (const c of contenders) {
    const startUs = monotonicUs();
    const warm = await c.run();
    out[c.name] = { medianMs: null, minMs: null, runsMs: [], warmupMs: round1(warm.ms), cpuMs: 0, bytes: warm.bytes, error: warm.ok ? null : warm.error, answer: warm.ok ? warm.text.trim() : null, reducedRuns: false, window: [startUs, 0] };
    if (!warm.ok) {
      log(`  ${c.name}: error: ${warm.error}`);
      continue;
    }
    out[c.name].reducedRuns = warm.ms > slowQueryMs && runs > 1;
    active.push(c);
  }
  for (let i = 0; i < runs; i++) {
    for (const c of active) {
      const o = out[c.name];
      if (o.error !== null || (o.reducedRuns && o.runsMs.length >= 1)) continue;
      const cpu0 = c.cpuMs();
      const r = await c.run();
      o.cpuMs += c.cpuMs() - cpu0;
      if (!r.ok) {
        o.error = r.error;
        continue;
      }
      o.runsMs.push(round1(r.ms));
      o.bytes = r.bytes;
    }
  }
  for (const c of contenders) {
    const o = out[c.name];
    o.window[1] = monotonicUs();
    if (o.runsMs.length) {
      o.medianMs = median(o.runsMs);
      o.minMs = Math.min(...o.runsMs);
      const wall = sum(o.runsMs);
      // /proc CPU times tick every 10 ms: meaningless for runs adding up to less than ~0.2 s
      o.cpuPerWall = Number.isNaN(o.cpuMs) || wall < 200 ? null : Math.round((o.cpuMs / wall) * 100) / 100;
      log(`  ${c.name}: median ${o.medianMs.toFixed(1)} ms of ${o.runsMs.map((/** @type {number} */ x) => x.toFixed(0)).join(', ')}${o.error ? `, then error: ${o.error}` : ''}`);
    }
    o.cpuMs = Number.isNaN(o.cpuMs) ? null : Math.round(o.cpuMs);
  }
  return out;
}

/** @param {number} x */
function round1(x) {
  return Math.round(x * 10) / 10;
}

/**
 * CLOCK_MONOTONIC in microseconds: the clock V8 stamps .cpuprofile samples with, so the
 * `window` of each measurement selects its samples (bench/profile-summary.mjs --results).
 */
function monotonicUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

/** @param {number[]} xs */
function sum(xs) {
  return xs.reduce((a, b) => a + b, 0);
}

/** @param {number | null} x */
function fmtRate(x) {
  return x === null ? '—' : x.toLocaleString('en');
}

/**
 * The query-rate section (bench/qps.mjs) lives between markers in the same document: keep it when the
 * rest is regenerated.
 * @param {string} doc
 */
function withQpsSection(doc) {
  let old = '';
  try {
    old = readFileSync(docFile, 'utf8');
  } catch {
    return doc;
  }
  const m = /<!-- qps:begin -->[\s\S]*?<!-- qps:end -->\n?/.exec(old);
  return m ? `${doc.trimEnd()}\n\n${m[0]}` : doc;
}
