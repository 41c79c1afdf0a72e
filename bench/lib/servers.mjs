// Starting the two servers under test, reusing compat-tests/lib: Hadron (the built dist/,
// with optional Node flags such as --cpu-prof) and the reference ClickHouse 18.16.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess } from '../../compat-tests/lib/child-process.mjs';
import { ping } from '../../compat-tests/lib/http-query.mjs';
import { freePort } from '../../compat-tests/lib/ports.mjs';
import { repoRoot } from '../../compat-tests/lib/repo.mjs';
import { waitUntil } from '../../compat-tests/lib/wait.mjs';
import { hadronEntry } from '../../compat-tests/lib/hadron-server.mjs';
import { startReferenceClickHouse } from '../../compat-tests/lib/reference-clickhouse.mjs';

/**
 * @typedef {{ name: string, url: string, pid: number, version: string, stop: () => Promise<void>, tcpPort?: number }} BenchServer
 */

/**
 * @param {{ scratch: string, nodeArgs: string[], logFile: string }} options
 * @returns {Promise<BenchServer>}
 */
export async function startHadronServer(options) {
  if (!existsSync(hadronEntry)) throw new Error(`${hadronEntry} is missing: run \`npm run build\` first`);
  const dataDir = mkdtempSync(join(options.scratch, 'hadron-'));
  const httpPort = await freePort();
  const tcpPort = await freePort(); // the native protocol, for the clickhouse-client section
  const args = [
    ...options.nodeArgs,
    hadronEntry,
    'server',
    '--data-dir', dataDir,
    '--http-port', String(httpPort),
    '--tcp-port', String(tcpPort),
    '--mysql-port', '0',
    '--postgres-port', '0',
    '--rest-port', '0',
    '--listen-host', '127.0.0.1',
    '--log-level', 'warn',
  ];
  const proc = startProcess(process.execPath, args, { cwd: repoRoot, env: { ...process.env, TZ: 'UTC' }, logFile: options.logFile });
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    await proc.stop(30000); // a --cpu-prof profile is written on the graceful exit
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => ping(url, 1000), { timeoutMs: 60000, what: `Hadron on ${url}`, abort: proc.exited });
  } catch (err) {
    await stop();
    throw new Error(`${/** @type {Error} */ (err).message}\n${tail(options.logFile)}`);
  }
  const version = await fetch(`${url}/?query=${encodeURIComponent('SELECT version()')}`).then((r) => r.text());
  return { name: 'Hadron', url, pid: /** @type {number} */ (proc.child.pid), version: version.trim(), stop, tcpPort };
}

/**
 * @param {{ scratch: string }} options
 * @returns {Promise<BenchServer>}
 */
export async function startClickHouseServer(options) {
  const dir = mkdtempSync(join(options.scratch, 'clickhouse-'));
  const ch = await startReferenceClickHouse({ dir, startTimeoutMs: 90000 });
  return {
    name: 'ClickHouse',
    url: ch.url,
    pid: /** @type {number} */ (ch.pid),
    version: ch.version,
    tcpPort: ch.tcpPort,
    stop: async () => {
      await ch.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Peak and current resident set size of a process, from /proc/PID/status, in MiB.
 * @param {number} pid
 * @returns {{ peakMiB: number, currentMiB: number } | null}
 */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (/** @type {string} */ key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMiB: Math.round(kb('VmHWM') / 1024), currentMiB: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

/** @param {string} file */
function tail(file) {
  try {
    return readFileSync(file, 'utf8').slice(-3000);
  } catch {
    return '';
  }
}
