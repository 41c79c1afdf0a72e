import net from 'node:net';
import type { Logger } from 'pino';
import type { SessionFactory } from '../../src/server/session-api.js';
import { NativeConnection } from './native-connection.js';

export interface NativeServerOptions {
  readonly host: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  readonly logger: Logger;
  /** Largest packet or block accepted from a client (default 1 GiB, ClickHouse's limit on a compressed frame). */
  readonly maxPacketBytes?: number;
}

export interface NativeServer {
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

/** The ClickHouse native TCP interface (port 9000): one NativeConnection per socket. */
export function createNativeServer(engine: SessionFactory, options: NativeServerOptions): NativeServer {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection = new NativeConnection(socket, engine, {
      logger: options.logger,
      maxPacketBytes: options.maxPacketBytes ?? 1 << 30,
      serverName: 'Hadron',
    });
    connection.run().catch((e: unknown) => {
      options.logger.warn({ err: e }, 'native connection failed');
      socket.destroy();
    });
  });
  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve({ port: (server.address() as net.AddressInfo).port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
}
