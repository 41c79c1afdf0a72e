import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG, type ServerConfig } from '../../src/server/config.js';
import { startServer, type ListenerName, type RunningServer } from '../../src/server/server.js';

export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly dataDir: string;
  /** Runs one statement over HTTP; resolves with the body, rejects with the ClickHouse error text. */
  query(sql: string, params?: Record<string, string>): Promise<string>;
  /** Runs a statement and returns status, headers and body without throwing. */
  raw(sql: string, params?: Record<string, string>, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }>;
  stop(): Promise<void>;
}

/** Starts a real server (HTTP plus the named listeners, each on a free port; see `server.ports`) over a temporary data directory. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}, listeners: readonly ListenerName[] = ['http']): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'hadron-test-'));
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    dataDir,
    httpPort: 0,
    tcpPort: 0,
    mysqlPort: 0,
    postgresPort: 0,
    restPort: 0,
    timezone: 'UTC',
    ...overrides,
  };
  // Port 0 means "disabled" in the config; tests want their listeners (HTTP always) on ephemeral ports instead.
  const server = await startServer(config, pino({ level: 'silent' }), { ephemeral: new Set<ListenerName>(['http', ...listeners]) });
  const url = `http://127.0.0.1:${server.ports.http}/`;
  const raw = async (sql: string, params: Record<string, string> = {}, init: RequestInit = {}) => {
    const qs = new URLSearchParams(params).toString();
    const res = await fetch(url + (qs ? `?${qs}` : ''), { method: 'POST', body: sql, ...init });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  return {
    server,
    url,
    dataDir,
    raw,
    async query(sql, params) {
      const r = await raw(sql, params);
      if (r.status !== 200 || r.headers.get('x-clickhouse-exception-code')) throw new Error(r.body.trim());
      return r.body;
    },
    async stop() {
      await server.stop();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
