import os from 'node:os';
import type { Logger } from 'pino';
import type { Engine } from '../../src/server/engine.js';
import { MysqlConnection, type ConnectionHost } from './mysql-connection.js';
import { createTcpListener, type TcpListener } from '../tcp-listener.js';
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

export type MysqlServer = TcpListener;

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
  const listener = createTcpListener(
    { ...options, name: 'MySQL', beforeClose: () => connections.forEach((c) => c.kill()) },
    (socket) => {
      const id = nextId++;
      const conn = new MysqlConnection(socket, id, host);
      connections.set(id, conn);
      void conn.run();
    },
  );
  return {
    async listen() {
      const bound = await listener.listen();
      port = bound.port;
      return bound;
    },
    close: () => listener.close(),
  };
}
