import net from 'node:net';
import type { Logger } from 'pino';

/** A protocol's TCP listener: what the native, MySQL and Postgres servers share. */
export interface TcpListener {
  /** Starts listening; resolves with the bound port (the ephemeral one when 0 was asked for). */
  listen(): Promise<{ port: number }>;
  /** Stops accepting, ends every open connection, resolves once the server is closed. */
  close(): Promise<void>;
}

export interface TcpListenerOptions {
  readonly host: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  readonly logger: Logger;
  /** For log lines: `MySQL`, `Postgres`, `native`. */
  readonly name: string;
  /** Runs before open sockets are destroyed (to cancel running queries first). */
  readonly beforeClose?: () => void;
}

export function createTcpListener(options: TcpListenerOptions, onConnection: (socket: net.Socket) => void): TcpListener {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on('error', (err) => options.logger.error({ err }, `${options.name} listener error`));
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
      options.beforeClose?.();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
