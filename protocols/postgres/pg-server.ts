import type { Logger } from 'pino';
import type { Engine } from '../../src/server/engine.js';
import '../../src/catalog/system/pg-catalog.js';
import { PgConnection } from './connection.js';
import { createTcpListener, type TcpListener } from '../tcp-listener.js';
import type { PasswordMethod } from './auth.js';
import { registerPgFunctions } from './pg-functions.js';

export interface PostgresServerOptions {
  readonly host: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  readonly logger: Logger;
  /** How users with a known plaintext password authenticate (users with only a SHA-256 hash use cleartext). */
  readonly passwordMethod?: PasswordMethod;
}

export type PostgresServer = TcpListener;

/** The Postgres wire protocol (v3) over the engine's Session API. */
export function createPostgresServer(engine: Engine, opts: PostgresServerOptions): PostgresServer {
  registerPgFunctions(engine);
  const cancelKeys = new Map<number, PgConnection>();
  let pid = 1000 + Math.floor(Math.random() * 10000);
  return createTcpListener({ ...opts, name: 'Postgres' }, (socket) => {
    const conn = new PgConnection(socket, {
      engine,
      logger: opts.logger,
      passwordMethod: opts.passwordMethod ?? 'scram',
      cancelKeys,
      nextPid: () => (pid = (pid % 2_000_000_000) + 1),
    });
    void conn.run();
  });
}
