import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'hadron.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `predicate` until it returns true or the deadline passes: wait on a condition, never a fixed sleep. */
export async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  query(sql: string, params?: Record<string, string>, body?: string | Uint8Array): Promise<{ status: number; code: string | null; body: string }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the built server (dist/) as a child process, so tests can SIGKILL it. */
export async function startChildServer(dataDir: string, port?: number): Promise<ChildServer> {
  const httpPort = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [CLI, 'server', '--data-dir', dataDir, '--http-port', String(httpPort), '--tcp-port', '0', '--mysql-port', '0', '--postgres-port', '0', '--rest-port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${httpPort}/`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      try {
        return (await fetch(url + 'ping')).ok;
      } catch {
        return false;
      }
    },
    30_000,
    'the server to answer /ping',
  );
  return {
    url,
    process: child,
    async query(sql, params = {}, body) {
      const qs = new URLSearchParams({ ...params, query: sql }).toString();
      const res = await fetch(`${url}?${qs}`, { method: 'POST', body: body ?? '' });
      return { status: res.status, code: res.headers.get('x-clickhouse-exception-code'), body: await res.text() };
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}
