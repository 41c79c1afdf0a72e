// Which server a client suite talks to, chosen from the command line:
//   (default)        start a Hadron server from dist/ (lib/hadron-server.mjs) on free ports
//   --url URL        use a server that is already running (Hadron or ClickHouse)
//   --reference      start the reference ClickHouse 18.16 (lib/reference-clickhouse.mjs)
// The environment variable COMPAT_SERVER_URL works like --url.
import { startHadron } from '../lib/hadron-server.mjs';
import { ping } from '../lib/http-query.mjs';
import { startReferenceClickHouse } from '../lib/reference-clickhouse.mjs';

/**
 * @typedef {{
 *   url: string,
 *   kind: 'hadron' | 'reference' | 'external',
 *   ports: { tcp?: number, mysql?: number, postgres?: number, rest?: number },
 *   stop: () => Promise<void>,
 *   output: () => string,
 * }} Target
 */

/**
 * @param {string[]} argv
 * @returns {{ url: string | null, reference: boolean, strict: boolean, rest: string[] }}
 */
export function parseTargetArgs(argv) {
  let url = process.env['COMPAT_SERVER_URL'] || null;
  let reference = false;
  let strict = false;
  /** @type {string[]} */
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') url = argv[++i] ?? null;
    else if (a?.startsWith('--url=')) url = a.slice('--url='.length);
    else if (a === '--reference') reference = true;
    else if (a === '--strict') strict = true;
    else if (a !== undefined) rest.push(a);
  }
  return { url, reference, strict, rest };
}

/**
 * Starts (or connects to) the server under test.
 * @param {{ url: string | null, reference: boolean }} choice
 * @returns {Promise<Target>}
 */
export async function startTarget(choice) {
  if (choice.url) {
    if (!(await ping(choice.url, 5000))) throw new Error(`no server answers /ping at ${choice.url}`);
    // An external server's other ports come from the environment (COMPAT_TCP_PORT, …) if set.
    const env = (/** @type {string} */ k) => (process.env[k] ? Number(process.env[k]) : undefined);
    const ports = { tcp: env('COMPAT_TCP_PORT'), mysql: env('COMPAT_MYSQL_PORT'), postgres: env('COMPAT_POSTGRES_PORT'), rest: env('COMPAT_REST_PORT') };
    return { url: choice.url, kind: 'external', ports, stop: async () => {}, output: () => '' };
  }
  if (choice.reference) {
    const ch = await startReferenceClickHouse();
    return { url: ch.url, kind: 'reference', ports: { tcp: ch.tcpPort }, stop: ch.stop, output: () => '' };
  }
  const hadron = await startHadron({ startTimeoutMs: 60000, protocols: ['tcp', 'mysql', 'postgres', 'rest'] });
  const ports = { tcp: hadron.tcpPort, mysql: hadron.mysqlPort, postgres: hadron.postgresPort, rest: hadron.restPort };
  return { url: hadron.url, kind: 'hadron', ports, stop: hadron.stop, output: hadron.output };
}
