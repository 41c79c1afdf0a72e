#!/usr/bin/env node
// Runs a command against a server chosen as in target.mjs (Hadron by default, --url URL,
// or --reference), with COMPAT_SERVER_URL set to its HTTP address and COMPAT_TCP_PORT,
// COMPAT_MYSQL_PORT, COMPAT_POSTGRES_PORT to its other listeners (when it has them); stops
// the server after.
// Used by the clickhouse-connect and clickhouse-jdbc suites.
//
//   node compat-tests/clickhouse-js/with-server.mjs [--url URL | --reference] -- CMD [ARGS...]
//
// Exits with the command's exit code; when the server cannot be started, prints the reason
// and exits 90 (the caller prints its summary line).
import { spawn } from 'node:child_process';
import { parseTargetArgs, startTarget } from './target.mjs';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
if (sep < 0 || sep === argv.length - 1) {
  console.error('usage: with-server.mjs [--url URL | --reference] -- CMD [ARGS...]');
  process.exit(2);
}
const choice = parseTargetArgs(argv.slice(0, sep));
const [cmd, ...cmdArgs] = /** @type {[string, ...string[]]} */ (argv.slice(sep + 1));

let target;
try {
  target = await startTarget(choice);
} catch (err) {
  console.log(`could not start the server: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(90);
}
console.log(`server: ${target.kind} at ${target.url}`);

/** @type {Record<string, string>} */
const portEnv = {};
if (target.ports.tcp) portEnv['COMPAT_TCP_PORT'] = String(target.ports.tcp);
if (target.ports.mysql) portEnv['COMPAT_MYSQL_PORT'] = String(target.ports.mysql);
if (target.ports.postgres) portEnv['COMPAT_POSTGRES_PORT'] = String(target.ports.postgres);
if (target.ports.rest) portEnv['COMPAT_REST_PORT'] = String(target.ports.rest);
const child = spawn(cmd, cmdArgs, {
  stdio: 'inherit',
  env: { ...process.env, COMPAT_SERVER_URL: target.url, COMPAT_SERVER_KIND: target.kind, ...portEnv },
});
const forward = (/** @type {NodeJS.Signals} */ sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => {
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.log(`could not run ${cmd}: ${err.message}`);
    resolve(4);
  });
});
await target.stop();
process.exit(code);
