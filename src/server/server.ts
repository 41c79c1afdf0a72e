import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { Engine } from './engine.js';
import type { ServerConfig } from './config.js';
import { LISTENERS, type ListenerName, type ProtocolListener } from './listeners.js';

export type { ListenerName } from './listeners.js';

export interface RunningServer {
  readonly engine: Engine;
  readonly ports: Partial<Record<ListenerName, number>>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Listeners to start on an ephemeral port (tests), whatever their configured port. */
  readonly ephemeral?: ReadonlySet<ListenerName>;
}

/** Starts the engine and every configured listener (a port of 0 disables that listener). */
export async function startServer(config: ServerConfig, logger: Logger = pino({ level: config.logLevel }), options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = path.resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const engine = new Engine({ dataDir, users: config.users, timezone: config.timezone, displayName: config.displayName });
  await engine.start();
  const ports: Partial<Record<ListenerName, number>> = {};
  const started: ProtocolListener[] = [];
  const stopAll = async () => {
    for (const l of started.reverse()) await l.close();
    await engine.stop();
  };
  try {
    // HTTP starts last: once /ping answers, every other listener is accepting connections.
    const ordered = [...LISTENERS.filter((l) => l.name !== 'http'), ...LISTENERS.filter((l) => l.name === 'http')];
    for (const spec of ordered) {
      const ephemeral = options.ephemeral?.has(spec.name) ?? false;
      if (!ephemeral && config[spec.portKey] <= 0) continue;
      const listener = await spec.start({ engine, host: config.listenHost, port: ephemeral ? 0 : config[spec.portKey], logger });
      started.push(listener);
      ports[spec.name] = listener.port;
      logger.info({ port: listener.port, host: config.listenHost }, `${spec.description} listening`);
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { engine, ports, stop: stopAll };
}
