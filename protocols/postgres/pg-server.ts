import net from 'node:net';
import type { Logger } from 'pino';
import type { Engine } from '../../src/server/engine.js';
import '../../src/catalog/system/pg-catalog.js';
import { PgConnection } from './connection.js';
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

export interface PostgresServer {
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

/** The Postgres wire protocol (v3) over the engine's Session API. */
export function createPostgresServer(engine: Engine, opts: PostgresServerOptions): PostgresServer {
  registerPgFunctions(engine);
  const cancelKeys = new Map<number, PgConnection>();
  const sockets = new Set<net.Socket>();
  let pid = 1000 + Math.floor(Math.random() * 10000);
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const conn = new PgConnection(socket, {
      engine,
      logger: opts.logger,
      passwordMethod: opts.passwordMethod ?? 'scram',
      cancelKeys,
      nextPid: () => (pid = (pid % 2_000_000_000) + 1),
    });
    void conn.run();
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, () => {
          server.off('error', reject);
          resolve({ port: (server.address() as net.AddressInfo).port });
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
