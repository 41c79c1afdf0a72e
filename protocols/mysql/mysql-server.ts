import net from 'node:net';
import os from 'node:os';
import type { Logger } from 'pino';
import type { Engine } from '../../src/server/engine.js';
import { MysqlConnection, type ConnectionHost } from './mysql-connection.js';
import type { ProcessRow } from './mysql-compat.js';
import type { UserSecret } from './mysql-auth.js';

export interface MysqlServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
  /** Largest packet a client may send (max_allowed_packet; default 64 MiB). */
  readonly maxPacketSize?: number;
}

export interface MysqlServer {
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

/** MySQL's wire protocol over the Session API (ClickHouse's MySQLHandler): port 9004 by default. */
export function createMysqlServer(engine: Engine, options: MysqlServerOptions): MysqlServer {
  const connections = new Map<number, MysqlConnection>();
  let nextId = 1;
  let port = options.port;
  const info = engine.serverInfo;
  const host: ConnectionHost = {
    engine,
    logger: options.logger,
    serverVersion: `8.0.32-Hadron-${info.version}`,
    get port() {
      return port;
    },
    hostname: os.hostname(),
    maxPacketSize: options.maxPacketSize ?? 64 * 1024 * 1024,
    userSecret(name: string): UserSecret | undefined {
      const users = engine.config.users?.length ? engine.config.users : [{ name: 'default' }];
      const u = users.find((x) => x.name === name);
      if (!u) return undefined;
      if (u.passwordSha256Hex) return { passwordSha256: Buffer.from(u.passwordSha256Hex, 'hex'), password: u.password };
      return { password: u.password };
    },
    connection: (id) => connections.get(id),
    processList(): ProcessRow[] {
      const now = Date.now();
      return [...connections.values()].map((c) => ({
        id: c.id,
        user: c.user,
        host: c.address,
        db: c.database || '',
        command: c.command,
        timeSec: Math.floor((now - c.commandStartMs) / 1000),
        info: c.info,
      }));
    },
    closed(conn) {
      connections.delete(conn.id);
    },
  };
  const server = net.createServer((socket) => {
    const id = nextId++;
    const conn = new MysqlConnection(socket, id, host);
    connections.set(id, conn);
    void conn.run();
  });
  server.on('error', (err) => options.logger.error({ err }, 'MySQL listener error'));
  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const addr = server.address();
          port = typeof addr === 'object' && addr ? addr.port : options.port;
          resolve({ port });
        });
      });
    },
    close() {
      for (const c of connections.values()) c.kill();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
