#!/usr/bin/env node
// Simple-query throughput over each protocol: `SELECT 1` and a 100-row point query, 8 connections each
// issuing queries back to back for a fixed time, against Hadron's HTTP, native, Postgres and MySQL ports
// and ClickHouse 18.16's HTTP and native ports (18.16 has no Postgres or MySQL interface). Writes
// bench/results/qps.json and the "Query rate" section of docs/benchmarks.md (between its markers).
//
//   npm run build && node bench/qps.mjs [--seconds 3] [--connections 8] [--no-reference]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { startHadron } from '../compat-tests/lib/hadron-server.mjs';
import { startReferenceClickHouse } from '../compat-tests/lib/reference-clickhouse.mjs';
import { NativeMiniClient } from './lib/native-mini-client.mjs';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    'no-reference': { type: 'boolean', default: false },
  },
});
const seconds = Number(opts.seconds);
const connections = Number(opts.connections);
const benchDir = new URL('.', import.meta.url).pathname;
const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
const log = (/** @type {string} */ m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const QUERIES = {
  select_1: 'SELECT 1',
  point_100: 'SELECT k, v, s FROM qps_points WHERE k >= 5000 AND k < 5100',
};

/** @typedef {{ run: (sql: string) => Promise<number>, close: () => Promise<void> | void }} Conn */

/** @param {string} url @returns {Promise<Conn>} */
async function httpConn(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    run: (sql) =>
      new Promise((resolve, reject) => {
        const req = http.request(`${url}/?default_format=TabSeparated`, { method: 'POST', agent }, (res) => {
          let n = 0;
          res.on('data', (d) => {
            for (const b of d) if (b === 10) n++;
          });
          res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode}`))));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(sql);
      }),
    close: () => agent.destroy(),
  };
}

/** @param {number} port @returns {Promise<Conn>} */
async function nativeConn(port) {
  const c = await NativeMiniClient.connect(port);
  return { run: (sql) => c.query(sql), close: () => c.close() };
}

/** @param {number} port @returns {Promise<Conn>} */
async function pgConn(port) {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'default', database: 'default' });
  await c.connect();
  return { run: async (sql) => (await c.query(sql)).rowCount ?? 0, close: () => c.end() };
}

/** @param {number} port @returns {Promise<Conn>} */
async function mysqlConn(port) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'default' });
  return { run: async (sql) => /** @type {unknown[]} */ ((await c.query(sql))[0]).length, close: () => c.end() };
}

/** N connections issuing `sql` back to back for `seconds`; queries per second and the rows of one answer. */
async function measure(/** @type {() => Promise<Conn>} */ open, /** @type {string} */ sql) {
  const conns = await Promise.all(Array.from({ length: connections }, open));
  const rows = await conns[0].run(sql); // warm-up, and a check of the answer
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < deadline) {
        await c.run(sql);
        done++;
      }
    }),
  );
  await Promise.all(conns.map((c) => c.close()));
  return { qps: Math.round(done / seconds), rows };
}

const results = { seconds, connections, rows: /** @type {Record<string, Record<string, { qps: number, rows: number }>>} */ ({}) };
const SETUP = [
  'CREATE TABLE IF NOT EXISTS qps_points (k UInt32, v Float64, s String) ENGINE = MergeTree ORDER BY k',
  'INSERT INTO qps_points SELECT number, number / 7, toString(number) FROM numbers(100000)',
];

async function setup(/** @type {string} */ url) {
  for (const q of SETUP) {
    const r = await fetch(url, { method: 'POST', body: q });
    if (!r.ok) throw new Error(`${q}: ${await r.text()}`);
  }
}

async function runSystem(/** @type {string} */ name, /** @type {Record<string, () => Promise<Conn>>} */ protocols) {
  for (const [protocol, open] of Object.entries(protocols)) {
    for (const [id, sql] of Object.entries(QUERIES)) {
      const key = `${name} ${protocol}`;
      results.rows[key] ??= {};
      results.rows[key][id] = await measure(open, sql);
      log(`${key} ${id}: ${results.rows[key][id].qps} queries/s (${results.rows[key][id].rows} rows)`);
    }
  }
}

const hadron = await startHadron({ protocols: ['tcp', 'mysql', 'postgres'], startTimeoutMs: 60000 });
try {
  await setup(hadron.url);
  await runSystem('Hadron', {
    HTTP: () => httpConn(hadron.url),
    native: () => nativeConn(hadron.tcpPort),
    Postgres: () => pgConn(hadron.postgresPort),
    MySQL: () => mysqlConn(hadron.mysqlPort),
  });
} finally {
  await hadron.stop();
}
if (!opts['no-reference']) {
  const ch = await startReferenceClickHouse();
  try {
    await setup(ch.url);
    await runSystem(`ClickHouse ${ch.version}`, { HTTP: () => httpConn(ch.url), native: () => nativeConn(ch.tcpPort) });
  } finally {
    await ch.stop();
  }
}

mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'qps.json'), JSON.stringify(results, null, 2) + '\n');

const BEGIN = '<!-- qps:begin -->';
const END = '<!-- qps:end -->';
const lines = [
  BEGIN,
  '## Query rate over each protocol',
  '',
  `\`node bench/qps.mjs\`: ${connections} connections per protocol issuing the query back to back for ${seconds} s; queries per second (higher is better). ` +
    '`point_100` reads 100 rows by key from a 100,000-row MergeTree table. ClickHouse 18.16 has no Postgres or MySQL interface. ' +
    'The native client is a minimal one built on Hadron\'s decoders (bench/lib/native-mini-client.mjs); Postgres uses `pg`, MySQL `mysql2`, HTTP keep-alive requests.',
  '',
  '| server and protocol | `SELECT 1` | `point_100` | goal |',
  '|---|---|---|---|',
  ...Object.entries(results.rows).map(([key, r]) => {
    const goal = /Hadron (Postgres|MySQL)/.test(key) ? (r.select_1.qps >= 10000 ? '✅ ≥ 10,000/s' : '❌ < 10,000/s') : '';
    return `| ${key} | ${r.select_1.qps.toLocaleString('en-US')} | ${r.point_100.qps.toLocaleString('en-US')} | ${goal} |`;
  }),
  END,
];
const doc = existsSync(docFile) ? readFileSync(docFile, 'utf8') : '';
const section = lines.join('\n') + '\n';
const next = doc.includes(BEGIN) ? doc.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}\\n?`), section) : `${doc.trimEnd()}\n\n${section}`;
writeFileSync(docFile, next);
log('wrote bench/results/qps.json and the query-rate section of docs/benchmarks.md');
