// Free TCP ports on the loopback interface.
import { createServer } from 'node:net';

/**
 * Asks the OS for a free port by binding port 0, then releases it.
 * @param {string} [host]
 * @returns {Promise<number>}
 */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Several distinct free ports.
 * @param {number} count
 * @param {string} [host]
 * @returns {Promise<number[]>}
 */
export async function freePorts(count, host = '127.0.0.1') {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}
