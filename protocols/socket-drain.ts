import type { Socket } from 'node:net';

/**
 * Resolves once the socket can take more data ('drain') or is gone ('close'): what every protocol awaits
 * after a write that filled the socket's buffer, so a slow reader slows the query instead of growing memory.
 */
export function whenWritable(socket: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
