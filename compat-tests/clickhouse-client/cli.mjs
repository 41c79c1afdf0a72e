// Running clickhouse-client: batch invocations (spawned with a deadline) and an interactive
// session inside a private tmux server, read back with `tmux capture-pane`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { waitUntil } from '../lib/wait.mjs';

// The client reads ~/.clickhouse-client/config.xml and writes ~/.clickhouse-client-history:
// a private HOME keeps the suite independent of the machine's user.
const home = mkdtempSync(join(tmpdir(), 'hadron-cli-home-'));
const baseEnv = { ...process.env, HOME: home, TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
process.on('exit', () => rmSync(home, { recursive: true, force: true }));

/** Strips ANSI colour/style escapes (the Pretty formats emit bold headers). */
export function stripAnsi(/** @type {string} */ s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/**
 * @typedef {{ code: number | null, signal: string | null, stdout: string, stderr: string, timedOut: boolean, ms: number }} CliResult
 */

/**
 * Runs `clickhouse-client --host 127.0.0.1 --port PORT ARGS…`, feeding `input` on stdin.
 * @param {number} port
 * @param {string[]} args
 * @param {{ input?: string | Buffer | Iterable<Buffer>, timeoutMs?: number }} [options]
 * @returns {Promise<CliResult>}
 */
export function runClient(port, args, options = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), ...args], {
      env: baseEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    /** @type {Buffer[]} */
    const out = [];
    /** @type {Buffer[]} */
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30000);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.stdin.on('error', () => {}); // the client may exit before reading all of stdin
    child.on('error', (e) => err.push(Buffer.from(`spawn error: ${e.message}\n`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        ms: Date.now() - started,
      });
    });
    writeInput(child.stdin, options.input);
  });
}

/**
 * @param {import('node:stream').Writable} stdin
 * @param {string | Buffer | Iterable<Buffer> | undefined} input
 */
function writeInput(stdin, input) {
  if (input === undefined) return stdin.end();
  if (typeof input === 'string' || Buffer.isBuffer(input)) return stdin.end(input);
  // an error here means the client exited early: its exit code and stderr tell why
  pipeline(Readable.from(input), stdin).catch(() => {});
}

/** The client's version, e.g. [18, 16, 1] (from `clickhouse-client --version`). */
export function clientVersion() {
  const r = spawnSync('clickhouse-client', ['--version'], { env: baseEnv, encoding: 'utf8', timeout: 20000 });
  const m = /version (\d+)\.(\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * An interactive clickhouse-client in a detached tmux session on a private tmux server
 * (`tmux -L NAME`), so the suite never touches anyone else's tmux.
 */
export class TmuxClient {
  /** @param {number} port @param {string} name */
  constructor(port, name) {
    this.port = port;
    this.socket = `hadron-cli-${process.pid}-${name}`;
    this.session = 'cli';
  }

  /** @param {string[]} args */
  tmux(args) {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { env: baseEnv, encoding: 'utf8', timeout: 10000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
    return r.stdout;
  }

  start() {
    // remain-on-exit keeps the pane (and what the client printed last) after the client
    // exits; wide enough that the progress line and Pretty tables are never wrapped.
    const cmd = `exec clickhouse-client --host 127.0.0.1 --port ${this.port}`;
    this.tmux(['-f', '/dev/null', 'start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';',
      'set-option', '-g', 'history-limit', '5000', ';',
      'new-session', '-d', '-s', this.session, '-x', '220', '-y', '60', cmd]);
  }

  /** Whether the client in the pane has exited. */
  exited() {
    return this.tmux(['display-message', '-p', '-t', this.session, '#{pane_dead}']).trim() === '1';
  }

  /** The pane's text, scroll-back included, trailing blank lines removed. */
  capture() {
    return stripAnsi(this.tmux(['capture-pane', '-p', '-J', '-S', '-5000', '-t', this.session])).replace(/\s+$/, '');
  }

  /** @param {...string} keys tmux key names or literal text */
  keys(...keys) {
    this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** @param {string} text typed literally (no key-name lookup) */
  type(text) {
    this.tmux(['send-keys', '-t', this.session, '-l', text]);
  }

  /**
   * Polls the pane until `check(text)` is truthy; throws with the pane's tail on timeout.
   * @template T
   * @param {(text: string) => T} check
   * @param {string} what
   * @param {number} [timeoutMs]
   * @returns {Promise<T>}
   */
  async waitFor(check, what, timeoutMs = 20000) {
    let last = '';
    try {
      return await waitUntil(
        () => {
          last = this.capture();
          return check(last);
        },
        { timeoutMs, intervalMs: 100, what, abort: () => (this.exited() ? 'the client exited' : null) },
      );
    } catch (err) {
      throw new Error(`${/** @type {Error} */ (err).message}\npane:\n${paneTail(last)}`);
    }
  }

  /** Where the next command's output starts: the beginning of the pane's last line (the prompt). */
  mark() {
    const text = this.capture();
    return text.lastIndexOf('\n') + 1;
  }

  /**
   * Waits until a new prompt (`… :) `) ends the pane, below the line at `mark`; returns the text
   * from `mark` on (the echoed command, its output and the new prompt).
   * @param {number} mark @param {number} [timeoutMs]
   */
  async waitPrompt(mark, timeoutMs = 20000) {
    return /** @type {string} */ (await this.waitFor((t) => {
      const s = t.slice(mark);
      return s.includes('\n') && /:\) ?$/.test(s) ? s : null;
    }, 'the prompt', timeoutMs));
  }

  /**
   * Types a query, presses Enter and waits for the next prompt; returns the output in between.
   * @param {string} sql @param {number} [timeoutMs]
   */
  async query(sql, timeoutMs = 20000) {
    const mark = this.mark();
    this.type(sql);
    this.keys('Enter');
    return this.waitPrompt(mark, timeoutMs);
  }

  stop() {
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
  }
}

/** The last lines of a pane, indented for a failure report. */
export function paneTail(/** @type {string} */ text, lines = 25) {
  return text.split('\n').slice(-lines).join('\n');
}
