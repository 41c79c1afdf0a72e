#!/usr/bin/env node
import pino from 'pino';
import { loadConfig, parseArgs } from '../server/config.js';
import { startServer } from '../server/server.js';
import { HADRON_VERSION } from '../server/engine.js';
import { toDbError } from '../errors/index.js';

const USAGE = `Usage: hadron server [--config FILE] [--data-dir DIR] [--http-port N] [--tcp-port N]
                     [--mysql-port N] [--postgres-port N] [--rest-port N] [--listen-host H]
                     [--timezone TZ] [--log-level L]
Every option is also an environment variable: HADRON_DATA_DIR, HADRON_HTTP_PORT, …
A port of 0 disables that listener.`;

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  if (flags.has('help')) {
    console.log(USAGE);
    return;
  }
  if (flags.has('version') || command === 'version') {
    console.log(`Hadron ${HADRON_VERSION.text}`);
    return;
  }
  if (command !== 'server') throw new Error(`Unknown command ${command}\n${USAGE}`);
  const config = loadConfig(flags);
  const logger = pino({ level: config.logLevel });
  const server = await startServer(config, logger);
  logger.info({ dataDir: config.dataDir, ports: server.ports }, `Hadron ${HADRON_VERSION.text} ready`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = toDbError(e);
  console.error(err.code === 49 ? String((e as Error).stack ?? e) : err.displayText());
  process.exit(1);
});
