import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { ProducerWorker } from '../../src/external/kafka-producer-worker.js';
import { kafkaError } from '../../src/external/kafka-clients.js';

/** A port that accepts connections and closes them at once: every Kafka request fails. */
async function closingServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

describe('Kafka producer thread', () => {
  it('a client error crosses the thread as an error kafkaError reads; the thread stays usable, close ends it', async () => {
    const { server, port } = await closingServer();
    const w = new ProducerWorker({ clientId: 't', bootstrapBrokers: [`127.0.0.1:${port}`], retries: 0, timeout: 2000, connectTimeout: 2000, requestTimeout: 2000, acks: -1, idempotent: false, autocreateTopics: false });
    try {
      const e1 = await w.partitions('topic').then(() => undefined, (e: unknown) => e);
      expect(e1).toBeDefined();
      const err = kafkaError(e1, 'cannot read the metadata of topic topic');
      expect(err.code).toBeDefined();
      expect(err.message).toMatch(/^Kafka: cannot read the metadata of topic topic: .+/);
      const batch = { count: 1, data: Buffer.from('{"a":1}'), bounds: Uint32Array.of(0, 7), timestamps: Float64Array.of(Date.now()) };
      const e2 = await w.produce('topic', 1, batch).then(() => undefined, (e: unknown) => e);
      expect(kafkaError(e2, 'cannot write').message).toMatch(/^Kafka: cannot write: .+/);
      expect(w.alive).toBe(true);
    } finally {
      await w.close();
      server.close();
    }
    expect(w.alive).toBe(false);
    await expect(w.partitions('topic')).rejects.toThrow(/producer thread (exited|is closed)/);
  });
});
