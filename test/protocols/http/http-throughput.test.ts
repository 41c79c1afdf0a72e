import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { q, startTestServer } from './http-test-client.js';

/**
 * Requests per second for `SELECT 1` over keep-alive connections (an autocannon-like loop with node's own
 * client). Client and server share one process here, so the number is a lower bound. Run with
 * HADRON_HTTP_BENCH=1 to print it; the default run only checks the loop works.
 */
const bench = process.env['HADRON_HTTP_BENCH'] === '1';

async function loop(port: number, path: string, method: string, body: string | undefined, connections: number, ms: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  const until = Date.now() + ms;
  const one = (): Promise<void> => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        else resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  const worker = async (): Promise<void> => {
    while (Date.now() < until) {
      await one();
      done++;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return (done * 1000) / (Date.now() - start);
}

describe('throughput', () => {
  it('serves SELECT 1 over keep-alive', async () => {
    const server = await startTestServer();
    try {
      const ms = bench ? 5000 : 300;
      if (bench) {
        const ping = await loop(server.port, '/ping', 'GET', undefined, 16, ms);
        console.log(`GET /ping (no query): ${ping.toFixed(0)} req/s`);
      }
      const get = await loop(server.port, q('SELECT 1'), 'GET', undefined, 16, ms);
      const post = await loop(server.port, '/', 'POST', 'SELECT 1', 16, ms);
      if (bench) console.log(`GET SELECT 1: ${get.toFixed(0)} req/s; POST body SELECT 1: ${post.toFixed(0)} req/s`);
      expect(get).toBeGreaterThan(100);
      expect(post).toBeGreaterThan(100);
    } finally {
      await server.close();
    }
  });
});
