#!/usr/bin/env node
// Starts or stops a detached reference ClickHouse 18.16 for manual use.
//
//   node compat-tests/reference-clickhouse/server.mjs start [--dir DIR]   prints REFERENCE_URL=...
//   node compat-tests/reference-clickhouse/server.mjs stop  [--dir DIR]
//   node compat-tests/reference-clickhouse/server.mjs status [--dir DIR]
//
// DIR (default: $TMPDIR/hadron-reference-clickhouse) holds the config, data, logs and
// server.json (pid and ports). The runners start their own instance instead.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../lib/child-process.mjs';
import { ping } from '../lib/http-query.mjs';
import { startReferenceClickHouse } from '../lib/reference-clickhouse.mjs';
import { waitUntil } from '../lib/wait.mjs';

const args = process.argv.slice(2);
const command = args[0] ?? 'status';
const dirFlag = args.indexOf('--dir');
const dir = dirFlag >= 0 && args[dirFlag + 1] ? args[dirFlag + 1] : join(tmpdir(), 'hadron-reference-clickhouse');
const stateFile = join(dir, 'server.json');

/** @returns {{ pid: number, url: string, httpPort: number, tcpPort: number } | null} */
function readState() {
  if (!existsSync(stateFile)) return null;
  return JSON.parse(readFileSync(stateFile, 'utf8'));
}

async function main() {
  const state = readState();
  if (command === 'start') {
    if (state && processAlive(state.pid) && (await ping(state.url))) {
      console.log(`REFERENCE_URL=${state.url}`);
      console.log(`REFERENCE_TCP_PORT=${state.tcpPort}`);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
    const ch = await startReferenceClickHouse({ dir, detached: true });
    writeFileSync(stateFile, JSON.stringify({ pid: ch.pid, url: ch.url, httpPort: ch.httpPort, tcpPort: ch.tcpPort }, null, 2));
    console.log(`REFERENCE_URL=${ch.url}`);
    console.log(`REFERENCE_TCP_PORT=${ch.tcpPort}`);
    console.error(`ClickHouse ${ch.version} (pid ${ch.pid}) in ${dir}`);
    process.exit(0);
  } else if (command === 'stop') {
    if (!state) {
      console.error(`no reference server recorded in ${dir}`);
      return;
    }
    if (processAlive(state.pid)) {
      process.kill(state.pid, 'SIGTERM');
      try {
        await waitUntil(() => !processAlive(state.pid), { timeoutMs: 15000, what: `pid ${state.pid} to exit` });
      } catch {
        process.kill(state.pid, 'SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
    console.error(`stopped reference ClickHouse (pid ${state.pid})`);
  } else if (command === 'status') {
    if (state && processAlive(state.pid) && (await ping(state.url))) {
      console.log(`REFERENCE_URL=${state.url}`);
    } else {
      console.log('not running');
      process.exitCode = 1;
    }
  } else {
    console.error('usage: server.mjs start|stop|status [--dir DIR]');
    process.exitCode = 2;
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
