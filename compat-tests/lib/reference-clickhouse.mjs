// The reference ClickHouse (Debian's clickhouse-server 18.16) for differential tests:
// started in the foreground (not as a daemon) on free loopback ports, with its own
// config.xml/users.xml and data directory in a temporary folder, so it never touches
// /etc/clickhouse-server or the default ports 8123/9000.
//
//   const ch = await startReferenceClickHouse();
//   ... httpQuery(ch.url, 'SELECT 1') ...
//   await ch.stop();
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from './child-process.mjs';
import { ping } from './http-query.mjs';
import { freePorts } from './ports.mjs';
import { compatRoot } from './repo.mjs';
import { waitUntil } from './wait.mjs';

const templateDir = join(compatRoot, 'reference-clickhouse');

/**
 * The clickhouse-server binary: $CLICKHOUSE_SERVER_BIN, `clickhouse-server` on PATH or in
 * /usr/sbin (Debian puts it there, outside a normal user's PATH), or null.
 * @returns {string | null}
 */
export function findClickHouseServer() {
  const fromEnv = process.env['CLICKHOUSE_SERVER_BIN'];
  if (fromEnv) return fromEnv;
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin']);
  for (const d of dirs) {
    const candidate = join(d, 'clickhouse-server');
    if (d && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Writes config.xml and users.xml for a server rooted at `dir`.
 * @param {string} dir
 * @param {number} httpPort
 * @param {number} tcpPort
 * @returns {string} the config.xml path
 */
export function writeReferenceConfig(dir, httpPort, tcpPort) {
  for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  const config = readFileSync(join(templateDir, 'config.xml.in'), 'utf8')
    .replaceAll('@DIR@', dir)
    .replaceAll('@HTTP_PORT@', String(httpPort))
    .replaceAll('@TCP_PORT@', String(tcpPort));
  const configPath = join(dir, 'config.xml');
  writeFileSync(configPath, config);
  writeFileSync(join(dir, 'users.xml'), readFileSync(join(templateDir, 'users.xml'), 'utf8'));
  return configPath;
}

/**
 * @typedef {{
 *   url: string,
 *   httpPort: number,
 *   tcpPort: number,
 *   dir: string,
 *   pid: number | undefined,
 *   version: string,
 *   stop: () => Promise<void>,
 * }} ReferenceServer
 */

/**
 * @param {{
 *   dir?: string,
 *   keepDir?: boolean,
 *   httpPort?: number,
 *   tcpPort?: number,
 *   detached?: boolean,
 *   startTimeoutMs?: number,
 * }} [options]
 * @returns {Promise<ReferenceServer>}
 */
export async function startReferenceClickHouse(options = {}) {
  const binary = findClickHouseServer();
  if (binary === null) {
    throw new Error('clickhouse-server not found: run compat-tests/reference-clickhouse/install.sh (apt-get install clickhouse-server clickhouse-client)');
  }
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'reference-clickhouse-'));
  const [p1, p2] = await freePorts(2);
  const httpPort = options.httpPort ?? p1;
  const tcpPort = options.tcpPort ?? p2;
  const configPath = writeReferenceConfig(dir, httpPort, tcpPort);
  const proc = startProcess(binary, [`--config-file=${configPath}`], {
    cwd: dir,
    env: { ...process.env, TZ: 'UTC' },
    logFile: join(dir, 'log', 'stdout.log'),
    detached: options.detached ?? false,
  });
  if (options.detached) proc.child.unref();
  const url = `http://127.0.0.1:${httpPort}`;
  const cleanup = async () => {
    await proc.stop(15000);
    if (ownDir && !options.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => ping(url, 1000), {
      timeoutMs: options.startTimeoutMs ?? 60000,
      what: `reference ClickHouse to answer /ping on ${url}`,
      abort: proc.exited,
    });
  } catch (err) {
    const log = readTail(join(dir, 'log', 'clickhouse-server.err.log')) || readTail(join(dir, 'log', 'stdout.log'));
    await cleanup();
    throw new Error(`${/** @type {Error} */ (err).message}${log ? `\n--- server log ---\n${log}` : ''}`);
  }
  const versionRes = await fetch(`${url}/?query=${encodeURIComponent('SELECT version()')}`);
  const version = (await versionRes.text()).trim();
  return { url, httpPort, tcpPort, dir, pid: proc.child.pid, version, stop: cleanup };
}

/**
 * Whether the installed clickhouse-server is the expected 18.16 (from dpkg), or null when
 * dpkg does not know it.
 * @returns {string | null}
 */
export function installedPackageVersion() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'clickhouse-server'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/** @param {string} file */
function readTail(file) {
  try {
    return readFileSync(file, 'utf8').slice(-4000).trim();
  } catch {
    return '';
  }
}
