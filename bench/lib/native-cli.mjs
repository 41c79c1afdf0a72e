// The native TCP protocol through the official clickhouse-client (the same 18.16 binary
// against both servers): ingest of the dataset from stdin with INSERT … FORMAT Native and
// FORMAT CSV, and SELECT * … FORMAT Null (every block decoded by the client, then dropped).
// Times are wall clock of the whole client process, so the client's own parsing is included
// alike for both servers; the ratio is Hadron's time over ClickHouse's.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { delay } from '../../compat-tests/lib/wait.mjs';
import { TABLE_COLUMNS, encodeCsv } from './dataset.mjs';
import { exec, httpRequest } from './http-client.mjs';
import { median } from './stats.mjs';

/**
 * @typedef {{ system: string, format: string, rows: number, bytes: number, ms: number | null, rowsPerSecond: number | null, error: string | null }} CliIngest
 * @typedef {{ system: string, runsMs: number[], medianMs: number | null, error: string | null }} CliSelect
 * @typedef {{ client: string | null, blockRows: number, ingest: CliIngest[], select: CliSelect[], notes: string[] }} NativeCliResults
 */

/**
 * @param {{
 *   servers: Array<import('./servers.mjs').BenchServer>,
 *   data: import('./dataset.mjs').Dataset,
 *   csv: Buffer[],
 *   chunkRows: number,
 *   runs: number,
 *   scratch: string,
 *   log: (msg: string) => void,
 * }} o
 * @returns {Promise<NativeCliResults>}
 */
export async function runNativeCli(o) {
  /** @type {NativeCliResults} */
  const out = { client: clientVersion(), blockRows: Math.min(o.chunkRows, 65536), ingest: [], select: [], notes: [] };
  if (out.client === null) {
    out.notes.push('clickhouse-client is not installed (compat-tests/reference-clickhouse/install.sh): section skipped');
    return out;
  }
  const rows = o.data.rows;
  const nativeFile = join(o.scratch, 'dataset.native');
  const csvFile = join(o.scratch, 'dataset.csv');
  o.log(`native/clickhouse-client ${out.client}: writing the dataset as Native and CSV files`);
  await writeChunks(nativeFile, encodeNativeBlocks(o.data, out.blockRows));
  await writeChunks(csvFile, o.csv.length ? o.csv : encodeCsv(o.data, o.chunkRows));
  try {
    for (const [format, file] of /** @type {const} */ ([['Native', nativeFile], ['CSV', csvFile]])) {
      for (const s of o.servers) {
        const table = `t_cli_${format.toLowerCase()}`;
        if (!s.tcpPort) {
          out.ingest.push({ system: s.name, format, rows, bytes: 0, ms: null, rowsPerSecond: null, error: 'no native TCP port' });
          continue;
        }
        await exec(s.url, `CREATE TABLE ${table} (${TABLE_COLUMNS}) ENGINE = MergeTree ORDER BY ts`);
        const bytes = statSync(file).size;
        o.log(`${s.name}: clickhouse-client INSERT … FORMAT ${format} (${(bytes / 2 ** 20).toFixed(0)} MiB from stdin)`);
        const r = await client(s.tcpPort, `INSERT INTO ${table} FORMAT ${format}`, file, 600000);
        let error = r.error;
        const count = Number(await exec(s.url, `SELECT count() FROM ${table}`).catch(() => NaN));
        if (error === null && count !== rows) error = `count() = ${count} after the insert, expected ${rows}`;
        if (s.name === 'Hadron' && error === null) await waitParts(s.url, table, rows, 300000);
        out.ingest.push({ system: s.name, format, rows, bytes, ms: Math.round(r.ms), rowsPerSecond: error === null ? Math.round(rows / (r.ms / 1000)) : null, error });
        o.log(`${s.name}: ${format} ${error ?? `${Math.round(rows / (r.ms / 1000)).toLocaleString('en')} rows/s (${Math.round(r.ms)} ms)`}`);
        await exec(s.url, `DROP TABLE ${table}`).catch(() => {});
      }
    }
  } finally {
    rmSync(nativeFile, { force: true });
    rmSync(csvFile, { force: true });
  }

  // SELECT * from the table the HTTP ingest filled: one warm-up, then `runs` rounds in turn.
  const sql = 'SELECT * FROM t FORMAT Null';
  o.log(`clickhouse-client: ${sql}`);
  /** @type {Record<string, CliSelect>} */
  const sel = {};
  for (const s of o.servers) {
    sel[s.name] = { system: s.name, runsMs: [], medianMs: null, error: s.tcpPort ? null : 'no native TCP port' };
    if (!s.tcpPort) continue;
    const warm = await client(s.tcpPort, sql, null, 600000);
    sel[s.name].error = warm.error;
  }
  for (let i = 0; i < o.runs; i++) {
    for (const s of o.servers) {
      const x = sel[s.name];
      if (!x || x.error !== null || !s.tcpPort) continue;
      const r = await client(s.tcpPort, sql, null, 600000);
      if (r.error !== null) x.error = r.error;
      else x.runsMs.push(Math.round(r.ms * 10) / 10);
    }
  }
  for (const x of Object.values(sel)) {
    if (x.runsMs.length) x.medianMs = median(x.runsMs);
    o.log(`  ${x.system}: ${x.error ?? `median ${x.medianMs} ms of ${x.runsMs.join(', ')}`}`);
    out.select.push(x);
  }
  return out;
}

/** @returns {string | null} */
function clientVersion() {
  const r = spawnSync('clickhouse-client', ['--version'], { encoding: 'utf8', timeout: 20000 });
  return /version ([\d.]+?)\.?$/m.exec(`${r.stdout ?? ''}`)?.[1] ?? null;
}

/**
 * Runs clickhouse-client with stdin from `inputFile` (or nothing) and stdout discarded.
 * @param {number} port @param {string} sql @param {string | null} inputFile @param {number} timeoutMs
 * @returns {Promise<{ ms: number, error: string | null }>}
 */
async function client(port, sql, inputFile, timeoutMs) {
  const fd = inputFile ? openSync(inputFile, 'r') : 'ignore';
  const started = performance.now();
  const child = spawn('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '-q', sql], {
    stdio: [fd, 'ignore', 'pipe'],
    env: { ...process.env, TZ: 'UTC' },
  });
  if (typeof fd === 'number') closeSync(fd);
  let stderr = '';
  child.stderr?.on('data', (b) => (stderr = (stderr + b).slice(-2000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(child, 'close');
  clearTimeout(timer);
  const ms = performance.now() - started;
  if (code === 0) return { ms, error: null };
  const line = stderr.split('\n').find((l) => /Code: \d+/.test(l)) ?? stderr.trim().split('\n').pop() ?? '';
  return { ms, error: `clickhouse-client exited ${code ?? signal}: ${line.slice(0, 300)}` };
}

/** @param {string} url @param {string} table @param {number} rows @param {number} timeoutMs */
async function waitParts(url, table, rows, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await httpRequest(url, { body: `SELECT sum(rows) FROM system.parts WHERE table = '${table}' AND active FORMAT TSV`, timeoutMs: 30000 });
    if (r.ok && Number(r.text.trim()) >= rows) return;
    await delay(200);
  }
}

/** @param {string} file @param {Iterable<Buffer>} chunks */
async function writeChunks(file, chunks) {
  const ws = createWriteStream(file);
  for (const c of chunks) if (!ws.write(c)) await once(ws, 'drain');
  ws.end();
  await once(ws, 'finish');
}

/**
 * The dataset in the Native format as clickhouse-client reads it from stdin: per block
 * varuint columns, varuint rows, then per column its name, its type and its values
 * (no BlockInfo, no compression).
 * @param {import('./dataset.mjs').Dataset} d
 * @param {number} blockRows
 * @returns {Generator<Buffer>}
 */
export function* encodeNativeBlocks(d, blockRows) {
  const names = d.k1Names.map((s) => Buffer.from(s, 'utf8'));
  const header = (/** @type {string} */ name, /** @type {string} */ type) => Buffer.concat([str(name), str(type)]);
  for (let start = 0; start < d.rows; start += blockRows) {
    const n = Math.min(d.rows, start + blockRows) - start;
    const ts = Buffer.allocUnsafe(n * 4);
    const k2 = Buffer.allocUnsafe(n * 4);
    const value = Buffer.allocUnsafe(n * 8);
    const flag = Buffer.allocUnsafe(n);
    let k1Size = 0;
    for (let i = 0; i < n; i++) k1Size += 1 + names[d.k1[start + i]].length;
    const k1 = Buffer.allocUnsafe(k1Size);
    let o = 0;
    for (let i = 0; i < n; i++) {
      const r = start + i;
      ts.writeUInt32LE(d.ts[r], i * 4);
      k2.writeUInt32LE(d.k2[r], i * 4);
      value.writeDoubleLE(d.cents[r] / 100, i * 8);
      flag[i] = d.flag[r];
      const name = names[d.k1[r]];
      k1[o++] = name.length; // varint length, < 128
      name.copy(k1, o);
      o += name.length;
    }
    yield Buffer.concat([
      varuint(5), varuint(n),
      header('ts', 'DateTime'), ts,
      header('k1', 'String'), k1,
      header('k2', 'UInt32'), k2,
      header('value', 'Float64'), value,
      header('flag', 'UInt8'), flag,
    ]);
  }
}

/** @param {number} v */
function varuint(v) {
  const bytes = [];
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** @param {string} s */
function str(s) {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([varuint(b.length), b]);
}

/**
 * @param {NativeCliResults | undefined} r
 * @returns {Array<{ what: string, hadron: string, clickhouse: string, ratio: string }>}
 */
function rowsOf(r) {
  if (!r) return [];
  const fmtIngest = (/** @type {CliIngest | undefined} */ x) =>
    !x ? '—' : x.error ? `error: ${x.error.slice(0, 80)}` : `${(x.rowsPerSecond ?? 0).toLocaleString('en')} rows/s (${((x.ms ?? 0) / 1000).toFixed(1)} s)`;
  const ratio = (/** @type {number | null | undefined} */ h, /** @type {number | null | undefined} */ c) => (h && c ? `${(h / c).toFixed(2)}×` : '—');
  const out = [];
  for (const format of ['Native', 'CSV']) {
    const h = r.ingest.find((x) => x.system === 'Hadron' && x.format === format);
    const c = r.ingest.find((x) => x.system === 'ClickHouse' && x.format === format);
    out.push({ what: `INSERT … FORMAT ${format} from stdin`, hadron: fmtIngest(h), clickhouse: fmtIngest(c), ratio: ratio(h?.error ? null : h?.ms, c?.error ? null : c?.ms) });
  }
  const h = r.select.find((x) => x.system === 'Hadron');
  const c = r.select.find((x) => x.system === 'ClickHouse');
  const fmtSel = (/** @type {CliSelect | undefined} */ x) => (!x ? '—' : x.error ? `error: ${x.error.slice(0, 80)}` : `${x.medianMs} ms`);
  out.push({ what: 'SELECT * FROM t FORMAT Null (median)', hadron: fmtSel(h), clickhouse: fmtSel(c), ratio: ratio(h?.medianMs, c?.medianMs) });
  return out;
}

/** @param {{ nativeCli?: NativeCliResults, rows: number }} results */
export function renderNativeCliMarkdown(results) {
  const r = results.nativeCli;
  if (!r) return '';
  const lines = [
    '',
    '## Native protocol through clickhouse-client',
    '',
    `The official \`clickhouse-client\` ${r.client ?? '(not installed)'} against each server's native TCP port, the same binary for both: ` +
      `the ${results.rows.toLocaleString('en')}-row dataset piped to \`INSERT INTO … FORMAT Native\` (blocks of ${r.blockRows.toLocaleString('en')} rows) ` +
      'and `FORMAT CSV` on stdin, and `SELECT * FROM t FORMAT Null` (the client decodes every block). Wall time of the client process; ' +
      'the ratio is Hadron\'s time over ClickHouse\'s (lower is better).',
    '',
    '| measurement | Hadron | ClickHouse 18.16 | ratio |',
    '|---|---|---|---|',
    ...rowsOf(r).map((x) => `| ${x.what} | ${x.hadron} | ${x.clickhouse} | ${x.ratio} |`),
  ];
  for (const n of r.notes) lines.push('', `Note: ${n}`);
  return lines.join('\n') + '\n';
}

/** @param {{ nativeCli?: NativeCliResults }} results */
export function renderNativeCliConsole(results) {
  const r = results.nativeCli;
  if (!r) return '';
  const rows = rowsOf(r);
  const w = Math.max(...rows.map((x) => x.what.length));
  return [
    `clickhouse-client ${r.client ?? '(not installed)'} over the native protocol (ratio = Hadron time / ClickHouse time):`,
    ...rows.map((x) => `  ${x.what.padEnd(w)}  Hadron ${x.hadron}  |  ClickHouse ${x.clickhouse}  |  ${x.ratio}`),
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}
