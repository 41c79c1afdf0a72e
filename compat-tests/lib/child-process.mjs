// Starting and stopping server processes owned by a test runner.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * @typedef {{
 *   child: import('node:child_process').ChildProcess,
 *   exited: () => string | null,
 *   output: () => string,
 *   stop: (graceMs?: number) => Promise<void>,
 * }} ManagedProcess
 */

/**
 * Spawns a long-running server. Its stdout/stderr go to `logFile` when given (and the last
 * 64 KiB are kept in memory otherwise).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, detached?: boolean }} [options]
 * @returns {ManagedProcess}
 */
export function startProcess(command, args, options = {}) {
  let tail = '';
  /** @type {import('node:child_process').StdioOptions} */
  let stdio = ['ignore', 'pipe', 'pipe'];
  let fd = -1;
  if (options.logFile) {
    fd = openSync(options.logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio,
    detached: options.detached ?? false,
  });
  if (fd >= 0) closeSync(fd);
  const keep = (/** @type {Buffer} */ chunk) => {
    tail = (tail + chunk.toString('utf8')).slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  /** @type {string | null} */
  let exitReason = null;
  child.on('error', (err) => {
    exitReason = `could not start ${command}: ${err.message}`;
  });
  child.on('exit', (code, signal) => {
    exitReason = signal ? `exited on ${signal}` : `exited with code ${code}`;
  });
  return {
    child,
    exited: () => exitReason,
    output: () => tail,
    stop: (graceMs = 10000) => stopChild(child, graceMs),
  };
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} graceMs
 * @returns {Promise<void>}
 */
export function stopChild(child, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * True while a process with this id exists.
 * @param {number} pid
 */
export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}
