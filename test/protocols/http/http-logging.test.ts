import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from './fake-engine.js';
import { q, request, startTestServer } from './http-test-client.js';

describe('logging', () => {
  it('logs failed queries through the given pino logger, with the query id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const server = await startTestServer(new FakeEngine(), { logger: pino({ level: 'info' }, sink) });
    try {
      await request(server.port, { path: q('SELECT fail(60)', 'query_id=logged-1') });
      await request(server.port, { path: q('SELECT 1', 'query_id=quiet-1') });
      await new Promise((r) => setTimeout(r, 50));
      const failed = lines.find((l) => l['queryId'] === 'logged-1');
      expect(failed).toMatchObject({ code: 60, msg: 'http query failed' });
      expect(lines.some((l) => l['queryId'] === 'quiet-1')).toBe(false);
    } finally {
      await server.close();
    }
  });
});
