import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { Engine } from './engine.js';
import type { ServerConfig } from './config.js';
import { createHttpServer, type HttpServer } from '../../protocols/http/index.js';
import { getOutputFormat } from '../formats/registry.js';

export interface RunningServer {
  readonly engine: Engine;
  readonly ports: { http?: number };
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Listeners to start on an ephemeral port (tests), whatever their configured port. */
  readonly ephemeral?: ReadonlySet<'http'>;
}

/** Starts the engine and every configured listener (a port of 0 disables that listener). */
export async function startServer(config: ServerConfig, logger: Logger = pino({ level: config.logLevel }), options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = path.resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const engine = new Engine({ dataDir, users: config.users, timezone: config.timezone, displayName: config.displayName });
  await engine.start();
  const ports: { http?: number } = {};
  let http: HttpServer | undefined;
  if (config.httpPort > 0 || options.ephemeral?.has('http')) {
    const port = options.ephemeral?.has('http') ? 0 : config.httpPort;
    http = createHttpServer(engine, { host: config.listenHost, port, logger, formats: { getOutputFormat: (name: string) => getOutputFormat(name) } });
    ports.http = (await http.listen()).port;
    logger.info({ port: ports.http, host: config.listenHost }, 'HTTP interface listening');
  }
  return {
    engine,
    ports,
    async stop() {
      await http?.close();
      await engine.stop();
    },
  };
}
