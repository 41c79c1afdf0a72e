import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Block } from '../../src/core/block.js';
import { encodeCompressedBlock } from '../../src/compression/index.js';
import { BinaryWriter } from '../../src/types/serializations/buffer.js';
import { concat, exchange, flipBits, rng } from '../helpers/fuzz.js';
import { TestNativeClient } from '../helpers/native-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * A bounded fuzz run against a live native listener: random, truncated, oversized and bit-flipped packets,
 * huge varints and wrong checksums. Every connection must end (with an error or a close) once the client
 * stops sending, the server must keep answering fresh connections, and memory must stay bounded.
 */

function hello(revision = 54460): Uint8Array {
  const w = new BinaryWriter(64);
  w.varuint(0);
  w.string('fuzz');
  w.varuint(24);
  w.varuint(8);
  w.varuint(revision);
  w.string('');
  w.string('default');
  w.string('');
  if (revision >= 54458) w.string('');
  return w.toBytes();
}

describe('native protocol under bad input', () => {
  let s: TestServer;
  let port: number;
  let template: { query: Uint8Array; data: Uint8Array; compressedQuery: Uint8Array; compressedData: Uint8Array };
  beforeAll(async () => {
    s = await startTestServer({}, ['tcp']);
    port = s.server.ports.tcp!;
    const c = await TestNativeClient.connect({ port });
    template = {
      query: c.queryPacket('SELECT number, toString(number) FROM numbers(10)'),
      data: c.dataPacket(Block.empty([])),
      compressedQuery: new Uint8Array(),
      compressedData: new Uint8Array(),
    };
    c.close();
    const z = await TestNativeClient.connect({ port, compression: 'lz4' });
    template.compressedQuery = z.queryPacket('SELECT 1');
    template.compressedData = z.dataPacket(Block.empty([]));
    z.close();
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function stillServes(): Promise<void> {
    const c = await TestNativeClient.connect({ port });
    const r = await c.query('SELECT 1');
    expect(r.blocks[0]!.toRows()).toEqual([[1]]);
    c.close();
  }

  const SEED = 0x5eed1234;
  it(`survives 300 malformed exchanges (seed ${SEED.toString(16)})`, async () => {
    const rand = rng(SEED);
    const int = (n: number) => Math.floor(rand() * n);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
    const flip = (b: Uint8Array) => flipBits(b, rand);
    const cases: Array<() => Uint8Array> = [
      () => randomBytes(1 + int(2000)),
      () => concat(hello(), randomBytes(1 + int(500))),
      () => concat(hello(), flip(template.query), template.data),
      () => concat(hello(), template.query, flip(template.data)),
      () => {
        const all = concat(hello(), template.query, template.data);
        return all.subarray(0, int(all.length));
      },
      // A string length prefix of 2^63: a huge varint.
      () => concat(hello(), Uint8Array.of(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)),
      // A query text claiming 1 GiB, then nothing.
      () => concat(hello(), Uint8Array.of(1, 0x80, 0x80, 0x80, 0x80, 0x04)),
      () => concat(hello(54213), flip(hello(54213))),
      () => concat(hello(), template.compressedQuery, flip(template.compressedData)),
      // A frame header claiming a 1 GiB payload.
      () => {
        const frame = encodeCompressedBlock(Uint8Array.of(1, 0, 2, 255, 255, 255, 255, 0, 0, 0), 'lz4');
        new DataView(frame.buffer, frame.byteOffset).setUint32(17, 0x3fff_ffff, true);
        return concat(hello(), template.compressedQuery, Uint8Array.of(2, 0), frame);
      },
      // A block declaring 2^40 rows of UInt64.
      () => concat(hello(), template.query, Uint8Array.of(2, 0, 1, 0, 2, 255, 255, 255, 255, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 0x61, 6, ...Buffer.from('UInt64'), 0)),
    ];
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 300; i++) {
      const bytes = cases[int(cases.length)]!();
      await exchange(port, bytes);
      if (i % 50 === 49) await stillServes();
    }
    await stillServes();
    // Bounded: no exchange may leave buffers behind (generous, as GC timing varies).
    expect(process.memoryUsage().rss - before).toBeLessThan(1 << 30);
  }, 120_000);
});
