#!/usr/bin/env node
// Changelog aggregation throughput on the built server (dist/): updates per second through a retracting
// `sum(v) … GROUP BY id` over a versioned_kv stream of 100,000 keys. Every update replaces a key's row, so the
// aggregation retracts the old value (−1) and adds the new one (+1).
//
// A writer inserts the updates over HTTP (`INSERT … FORMAT RowBinary`, batches of --batch rows, one request at a
// time, as fast as the server answers) while `SELECT id, sum(v) FROM kv GROUP BY id EMIT PERIODIC 1s ON UPDATE`
// runs over the native protocol. Throughput = updates / time from the first update sent until the query has read
// the last one (its `read_rows` in system.processes; the aggregation handles each block as it is read). The
// ingest-only rate (acknowledged updates per second, no query running) is measured separately for context.
// ClickHouse 18.16 and DuckDB have no incremental retraction, so there is no reference; the batch recomputation
// of the same per-key result over ClickHouse's ReplacingMergeTree FINAL is shown for scale.
//
// Writes bench/results/changelog.json and the changelog section of docs/benchmarks.md (between its markers).
//   npm run build && node bench/changelog.mjs [--keys 100000] [--updates 2000000] [--batch 100000] [--no-reference] [--no-doc]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exec, httpRequest } from './lib/http-client.mjs';
import { loadAverage, machineFacts } from './lib/machine.mjs';
import { memoryOf, startClickHouseServer, startHadronServer } from './lib/servers.mjs';
import { startStreamingQuery } from './lib/streaming-client.mjs';

const { values: opts } = parseArgs({
  options: {
    keys: { type: 'string', default: '100000' },
    updates: { type: 'string', default: '2000000' },
    batch: { type: 'string', default: '100000' },
    'no-reference': { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
  },
});

const benchDir = new URL('.', import.meta.url).pathname;
const scratch = join(benchDir, '.data');
const outFile = join(benchDir, 'results', 'changelog.json');
const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
const log = (/** @type {string} */ m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const KEYS = Number(opts.keys);
const UPDATES = Number(opts.updates);
const BATCH = Number(opts.batch);
mkdirSync(scratch, { recursive: true });

/** Rows (id UInt32, v Float64) in RowBinary: rows `from`…`from+n` of a deterministic sequence; the first KEYS rows load every key once. */
function updateRows(/** @type {number} */ from, /** @type {number} */ n) {
  const buf = Buffer.alloc(n * 12);
  let seed = (from * 2654435761) >>> 0 || 1;
  for (let j = 0, p = 0; j < n; j++, p += 12) {
    const i = from + j;
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    buf.writeUInt32LE(i < KEYS ? i : seed % KEYS, p);
    buf.writeDoubleLE(seed % 1000, p + 4);
  }
  return buf;
}

async function insertAll(/** @type {string} */ url, /** @type {string} */ table, /** @type {number} */ from, /** @type {number} */ to) {
  for (let at = from; at < to; at += BATCH) {
    const n = Math.min(BATCH, to - at);
    const r = await httpRequest(url, { query: `INSERT INTO ${table} (id, v) FORMAT RowBinary`, body: updateRows(at, n), timeoutMs: 600000 });
    if (!r.ok) throw new Error(`INSERT: ${r.error}`);
  }
}

async function readRows(/** @type {string} */ url, /** @type {string} */ marker) {
  const r = await httpRequest(url, { body: `SELECT read_rows FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%' FORMAT TSV` });
  return r.ok ? Number(r.text.trim() || 0) : 0;
}

async function hadronRun() {
  const s = await startHadronServer({ scratch, nodeArgs: ['--max-old-space-size=8192'], logFile: join(scratch, 'changelog-hadron.log') });
  try {
    // Ingest only, for context: the same updates into a stream nobody reads.
    await exec(s.url, "CREATE STREAM kv_ingest (id UInt32, v Float64) PRIMARY KEY id SETTINGS mode='versioned_kv'");
    let t0 = performance.now();
    await insertAll(s.url, 'kv_ingest', 0, KEYS + UPDATES);
    const ingestRate = (KEYS + UPDATES) / ((performance.now() - t0) / 1000);
    log(`ingest only: ${Math.round(ingestRate).toLocaleString('en-US')} rows/s`);

    await exec(s.url, "CREATE STREAM kv (id UInt32, v Float64) PRIMARY KEY id SETTINGS mode='versioned_kv'");
    const marker = 'bench_changelog_sum';
    let lastBlockAt = 0;
    let outRows = 0;
    const q = await startStreamingQuery(s.tcpPort, `SELECT id, sum(v) AS ${marker} FROM kv GROUP BY id EMIT PERIODIC 1s ON UPDATE`, (b, at) => {
      outRows += b.rows;
      lastBlockAt = at;
    });
    await q.header;
    await insertAll(s.url, 'kv', 0, KEYS);
    const loadDeadline = Date.now() + 120_000;
    while ((await readRows(s.url, marker)) < KEYS) {
      if (Date.now() > loadDeadline) throw new Error('the query did not read the initial keys');
      await new Promise((r) => setTimeout(r, 20));
    }
    t0 = performance.now();
    await insertAll(s.url, 'kv', KEYS, KEYS + UPDATES);
    const ackedMs = performance.now() - t0;
    const deadline = Date.now() + 600_000;
    while ((await readRows(s.url, marker)) < KEYS + UPDATES) {
      if (Date.now() > deadline) throw new Error('the query fell behind for 10 minutes');
      await new Promise((r) => setTimeout(r, 5));
    }
    const doneMs = performance.now() - t0;
    const peakMiB = memoryOf(s.pid)?.peakMiB ?? NaN;
    await q.stop();
    // The historical side: parts keep one row per key (commits and merges compact a key-value stream), and the
    // bounded per-key recomputation is the query ClickHouse answers over FINAL below.
    const text = async (/** @type {string} */ sql) => {
      const res = await httpRequest(s.url, { body: `${sql} FORMAT TSV`, timeoutMs: 600000 });
      if (!res.ok) throw new Error(`${sql}: ${res.error}`);
      return res.text.trim();
    };
    const partRowsCommitted = Number(await text("SELECT sum(rows) FROM system.parts WHERE table = 'kv' AND active"));
    await exec(s.url, 'OPTIMIZE TABLE kv FINAL');
    const partRowsOptimized = Number(await text("SELECT sum(rows) FROM system.parts WHERE table = 'kv' AND active"));
    const t2 = performance.now();
    const recomputed = await text('SELECT count(), sum(s) FROM (SELECT id, sum(v) AS s FROM table(kv) GROUP BY id)');
    const historicalQueryS = Math.round(performance.now() - t2) / 1000;
    log(`parts: ${partRowsCommitted} rows as committed, ${partRowsOptimized} after OPTIMIZE FINAL; table(kv) per-key sums in ${historicalQueryS} s (${recomputed})`);
    const r = {
      keys: KEYS,
      updates: UPDATES,
      batch: BATCH,
      ingestOnlyRowsPerS: Math.round(ingestRate),
      updatesPerS: Math.round(UPDATES / (doneMs / 1000)),
      ackedUpdatesPerS: Math.round(UPDATES / (ackedMs / 1000)),
      seconds: Math.round(doneMs) / 1000,
      emittedRows: outRows,
      peakRssMiB: peakMiB,
      lastBlockAtMs: lastBlockAt,
      partRowsCommitted,
      partRowsOptimized,
      historicalQueryS,
    };
    log(`retracting sum per key: ${r.updatesPerS.toLocaleString('en-US')} updates/s (${r.seconds} s for ${UPDATES.toLocaleString('en-US')}), peak RSS ${r.peakRssMiB} MiB`);
    return r;
  } finally {
    await s.stop();
  }
}

async function clickhouseRun() {
  const ch = await startClickHouseServer({ scratch });
  try {
    await exec(ch.url, 'CREATE TABLE kv (id UInt32, v Float64) ENGINE = ReplacingMergeTree ORDER BY id');
    const t0 = performance.now();
    await insertAll(ch.url, 'kv', 0, KEYS + UPDATES);
    const insertS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const r = await httpRequest(ch.url, { body: 'SELECT count(), sum(s) FROM (SELECT id, sum(v) AS s FROM kv FINAL GROUP BY id) FORMAT TSV', timeoutMs: 600000 });
    if (!r.ok) throw new Error(`ClickHouse: ${r.error}`);
    const queryS = (performance.now() - t1) / 1000;
    log(`ClickHouse: insert ${insertS.toFixed(2)} s, per-key sum over FINAL ${queryS.toFixed(3)} s`);
    return { version: ch.version, insertRowsPerS: Math.round((KEYS + UPDATES) / insertS), finalQueryS: Math.round(queryS * 1000) / 1000 };
  } finally {
    await ch.stop();
  }
}

function writeDoc(/** @type {any} */ res) {
  const BEGIN = '<!-- changelog:begin -->';
  const END = '<!-- changelog:end -->';
  const fmt = (/** @type {number} */ x) => (Number.isFinite(x) ? x.toLocaleString('en-US') : '—');
  const h = res.hadron;
  const L = [
    BEGIN,
    '## Changelog aggregation',
    '',
    `\`node bench/changelog.mjs\` (${res.date.slice(0, 16).replace('T', ' ')} UTC, ${res.machine.nproc} vCPU, Node ${res.machine.node}, Hadron ${res.machine.hadronCommit}; load average ${res.loadStart.join(' / ')} at the start). ` +
      `A versioned_kv stream \`kv (id UInt32, v Float64) PRIMARY KEY id\` holds ${fmt(h.keys)} keys; ${fmt(h.updates)} updates of random keys are inserted over HTTP (RowBinary, ${fmt(h.batch)} rows per INSERT, one request at a time) ` +
      'while `SELECT id, sum(v) FROM kv GROUP BY id EMIT PERIODIC 1s ON UPDATE` runs over the native protocol. Each update retracts the key\'s old row and adds the new one. ' +
      'Throughput counts from the first update sent until the query has read the last one; the writer, the client and the server share the 2 cores.',
    '',
    '| measure | result | goal |',
    '|---|---|---|',
    `| updates/s through the retracting sum per key | ${fmt(h.updatesPerS)} | 500,000 |`,
    `| updates acknowledged per second meanwhile | ${fmt(h.ackedUpdatesPerS)} | |`,
    `| ingest only (no query), rows/s | ${fmt(h.ingestOnlyRowsPerS)} | |`,
    `| rows emitted (changed groups per second) | ${fmt(h.emittedRows)} | |`,
    `| server peak RSS | ${fmt(h.peakRssMiB)} MiB | |`,
  ];
  if (h.partRowsCommitted !== undefined) {
    L.push(
      '',
      `Afterwards the stream's parts hold ${fmt(h.partRowsCommitted)} rows of the ${fmt(h.keys + h.updates)} inserted (the committer keeps one row per key of each batch), ` +
        `${fmt(h.partRowsOptimized)} after \`OPTIMIZE TABLE kv FINAL\` (one per key per partition), and the bounded recomputation ` +
        `\`SELECT id, sum(v) FROM table(kv) GROUP BY id\` takes ${h.historicalQueryS} s.`,
    );
  }
  if (res.clickhouse) {
    L.push(
      '',
      `No reference engine retracts incrementally. For scale, ClickHouse ${res.clickhouse.version} loads the same rows into a ReplacingMergeTree at ${fmt(res.clickhouse.insertRowsPerS)} rows/s and recomputes the per-key sums over \`FINAL\` in ${res.clickhouse.finalQueryS} s (once, not continuously).`,
    );
  }
  L.push(END);
  const doc = readFileSync(docFile, 'utf8');
  const section = L.join('\n');
  const next = doc.includes(BEGIN) ? doc.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(docFile, next);
}

const results = { date: new Date().toISOString(), machine: machineFacts(), loadStart: loadAverage(), hadron: await hadronRun(), clickhouse: opts['no-reference'] ? undefined : await clickhouseRun() };
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
log(`wrote ${outFile}`);
if (!opts['no-doc']) {
  writeDoc(results);
  log('wrote the changelog section of docs/benchmarks.md');
}
