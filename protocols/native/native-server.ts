import type { Logger } from 'pino';
import type { SessionFactory } from '../../src/server/session-api.js';
import { NativeConnection } from './native-connection.js';
import { createTcpListener, type TcpListener } from '../tcp-listener.js';

export interface NativeServerOptions {
  readonly host: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  readonly logger: Logger;
  /** Largest packet or block accepted from a client (default 1 GiB, ClickHouse's limit on a compressed frame). */
  readonly maxPacketBytes?: number;
}

export type NativeServer = TcpListener;

/** The ClickHouse native TCP interface (port 9000): one NativeConnection per socket. */
export function createNativeServer(engine: SessionFactory, options: NativeServerOptions): NativeServer {
  return createTcpListener({ ...options, name: 'native' }, (socket) => {
    socket.setNoDelay(true);
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
}
