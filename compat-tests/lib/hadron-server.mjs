// Starts a Hadron server (the built dist/) on free loopback ports with a temporary data
// directory, waits until /ping answers, and stops it again.
//
//   const hadron = await startHadron();
//   ... httpQuery(hadron.url, 'SELECT 1') ...
//   await hadron.stop();
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from './child-process.mjs';
import { ping } from './http-query.mjs';
import { freePort } from './ports.mjs';
import { repoRoot } from './repo.mjs';
import { waitUntil } from './wait.mjs';

/**
 * @typedef {{
 *   url: string,
 *   httpPort: number,
 *   tcpPort: number,
 *   mysqlPort: number,
 *   postgresPort: number,
 *   restPort: number,
 *   dataDir: string,
 *   pid: number | undefined,
 *   output: () => string,
 *   stop: () => Promise<void>,
 * }} RunningServer
 */

export const hadronEntry = join(repoRoot, 'dist', 'src', 'cli', 'hadron.js');

/**
 * @param {{
 *   dataDir?: string,
 *   keepDataDir?: boolean,
 *   httpPort?: number,
 *   tcpPort?: number,
 *   mysqlPort?: number,
 *   postgresPort?: number,
 *   restPort?: number,
 *   protocols?: Array<'tcp' | 'mysql' | 'postgres' | 'rest'>,
 *   extraArgs?: string[],
 *   env?: NodeJS.ProcessEnv,
 *   logFile?: string,
 *   startTimeoutMs?: number,
 * }} [options]
 * @returns {Promise<RunningServer>}
 */
export async function startHadron(options = {}) {
  if (!existsSync(hadronEntry)) {
    throw new Error(`${hadronEntry} is missing: run \`npm run build\` first`);
  }
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hadron-compat-'));
  const httpPort = options.httpPort ?? (await freePort());
  // A protocol named in `protocols` gets a free port unless its port is given; the others stay off (0).
  const wanted = new Set(options.protocols ?? []);
  const portFor = async (/** @type {'tcp' | 'mysql' | 'postgres' | 'rest'} */ name, /** @type {number | undefined} */ given) =>
    given ?? (wanted.has(name) ? await freePort() : 0);
  const tcpPort = await portFor('tcp', options.tcpPort);
  const mysqlPort = await portFor('mysql', options.mysqlPort);
  const postgresPort = await portFor('postgres', options.postgresPort);
  const restPort = await portFor('rest', options.restPort);
  const args = [
    '--enable-source-maps',
    hadronEntry,
    'server',
    '--data-dir', dataDir,
    '--http-port', String(httpPort),
    '--tcp-port', String(tcpPort),
    '--mysql-port', String(mysqlPort),
    '--postgres-port', String(postgresPort),
    '--rest-port', String(restPort),
    '--listen-host', '127.0.0.1',
    ...(options.extraArgs ?? []),
  ];
  const proc = startProcess(process.execPath, args, {
    cwd: repoRoot,
    env: { TZ: 'UTC', ...process.env, ...options.env },
    logFile: options.logFile,
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const cleanup = async () => {
    await proc.stop();
    if (ownDir && !options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => ping(url, 1000), {
      timeoutMs: options.startTimeoutMs ?? 30000,
      what: `Hadron to answer /ping on ${url}`,
      abort: proc.exited,
    });
  } catch (err) {
    const out = proc.output().trim();
    await cleanup();
    throw new Error(`${/** @type {Error} */ (err).message}${out ? `\n--- server output ---\n${out.slice(-4000)}` : ''}`);
  }
  return { url, httpPort, tcpPort, mysqlPort, postgresPort, restPort, dataDir, pid: proc.child.pid, output: proc.output, stop: cleanup };
}
