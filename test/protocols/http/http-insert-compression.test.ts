import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompressedBlockReader, encodeCompressedBlock, initZstd, lz4FrameDecode, lz4FrameEncode, zstdCompress, zstdDecompress,
} from '../../../src/compression/index.js';
import { q, request, startTestServer, type TestServer } from './http-test-client.js';

let server: TestServer;
beforeAll(async () => {
  await initZstd();
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function decodeFrames(body: Uint8Array): { data: Buffer; frames: number } {
  const reader = new CompressedBlockReader();
  const parts = reader.feed(body);
  reader.finish();
  return { data: Buffer.concat(parts), frames: parts.length };
}

describe('INSERT', () => {
  it('streams the body as data when the INSERT is in the query parameter', async () => {
    const r = await request(server.port, { method: 'POST', path: q('INSERT INTO t FORMAT CSV'), body: '1,2\n3,4\n' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    const ins = server.engine.inserts.at(-1)!;
    expect(ins.format).toBe('CSV');
    expect(ins.text).toBe('1,2\n3,4\n');
    expect(ins.done).toBe(true);
  });

  it('splits INSERT … FORMAT X and its data from one body', async () => {
    const r = await request(server.port, { method: 'POST', body: 'INSERT INTO t FORMAT TSV\na\tb\n' });
    expect(r.status).toBe(200);
    const ins = server.engine.inserts.at(-1)!;
    expect(ins.sql).toBe('INSERT INTO t FORMAT TSV');
    expect(ins.text).toBe('a\tb\n');
  });

  it('splits INSERT … VALUES', async () => {
    await request(server.port, { method: 'POST', body: "INSERT INTO t (a) VALUES (1), ('x')" });
    const ins = server.engine.inserts.at(-1)!;
    expect(ins.sql).toBe('INSERT INTO t (a) VALUES');
    expect(ins.format).toBe('Values');
    expect(ins.text).toBe(" (1), ('x')");
  });

  it('streams a 64 MB insert without holding it (chunks arrive as sent)', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x61);
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('INSERT INTO big FORMAT RowBinary\n');
      for (let i = 0; i < 64; i++) yield chunk;
    }
    const before = process.memoryUsage().rss;
    const r = await request(server.port, { method: 'POST', body: body() });
    expect(r.status).toBe(200);
    const ins = server.engine.inserts.at(-1)!;
    expect(ins.bytes).toBe(64 << 20);
    expect(ins.chunks).toBeGreaterThan(16);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 << 20);
  });
});

describe('request compression', () => {
  const data = 'INSERT INTO t FORMAT CSV\n' + '1,hello\n'.repeat(10000);

  it('decompress=1 reads a body in compressed-block framing', async () => {
    const raw = Buffer.from(data);
    const body = Buffer.concat([
      encodeCompressedBlock(raw.subarray(0, 30000), 'lz4'),
      encodeCompressedBlock(raw.subarray(30000), 'zstd'),
    ]);
    const r = await request(server.port, { method: 'POST', path: '/?decompress=1', body });
    expect(r.status).toBe(200);
    expect(server.engine.inserts.at(-1)!.text).toBe('1,hello\n'.repeat(10000));
  });

  it('decompress=1 with a bad checksum fails with CHECKSUM_DOESNT_MATCH (40)', async () => {
    const body = Buffer.from(encodeCompressedBlock(Buffer.from('SELECT 1'), 'lz4'));
    body[3] ^= 0xff;
    const r = await request(server.port, { method: 'POST', path: '/?decompress=1', body });
    expect(r.status).toBe(500);
    expect(r.headers['x-clickhouse-exception-code']).toBe('40');
  });

  it('decompress=1 with a truncated body fails cleanly', async () => {
    const body = Buffer.from(encodeCompressedBlock(Buffer.from('SELECT 1'), 'lz4')).subarray(0, 20);
    const r = await request(server.port, { method: 'POST', path: '/?decompress=1', body });
    expect(r.status).toBe(500);
    expect(r.headers['x-clickhouse-exception-code']).toBe('33');
  });

  it.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
    ['zstd', (b: Buffer) => zstdCompress(b, 3)],
    ['lz4', (b: Buffer) => lz4FrameEncode(b)],
  ])('honours Content-Encoding: %s', async (encoding, encode) => {
    const r = await request(server.port, {
      method: 'POST', body: encode(Buffer.from(data)), headers: { 'Content-Encoding': encoding },
    });
    expect(r.status).toBe(200);
    expect(server.engine.inserts.at(-1)!.text).toBe('1,hello\n'.repeat(10000));
  });

  it('rejects a corrupt gzip body with an error, not a crash', async () => {
    const r = await request(server.port, {
      method: 'POST', body: Buffer.from('not gzip at all'), headers: { 'Content-Encoding': 'gzip' },
    });
    expect(r.status).toBe(500);
    expect(r.headers['x-clickhouse-exception-code']).toBe('354');
    const ok = await request(server.port, { method: 'POST', body: 'SELECT 1' });
    expect(ok.text()).toBe('1\n');
  });

  it('rejects an unknown Content-Encoding with NOT_IMPLEMENTED', async () => {
    const r = await request(server.port, { method: 'POST', body: 'SELECT 1', headers: { 'Content-Encoding': 'snappy2' } });
    expect(r.status).toBe(501);
    expect(r.headers['x-clickhouse-exception-code']).toBe('48');
  });
});

describe('response compression', () => {
  it('compress=1 frames the response in LZ4 compressed blocks', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'compress=1') });
    expect(r.status).toBe(200);
    expect(r.body[16]).toBe(0x82);
    expect(decodeFrames(r.body).data.toString()).toBe('1\n');
  });

  it('compress=1 uses blocks of at most 1 MiB for a large result', async () => {
    const r = await request(server.port, { path: q('SELECT number FROM numbers(500000)', 'compress=1') });
    const { data, frames } = decodeFrames(r.body);
    expect(frames).toBeGreaterThan(3);
    const lines = data.toString().split('\n');
    expect(lines.length).toBe(500001);
    expect(lines[499999]).toBe('499999');
  });

  it('compress=1 with network_compression_method=zstd uses ZSTD blocks', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'compress=1&network_compression_method=zstd') });
    expect(r.body[16]).toBe(0x90);
    expect(decodeFrames(r.body).data.toString()).toBe('1\n');
  });

  it('compress=1 error bodies are framed too (as ClickHouse does)', async () => {
    const r = await request(server.port, { path: q('SELECT fail(60)', 'compress=1') });
    expect(r.status).toBe(404);
    expect(decodeFrames(r.body).data.toString()).toMatch(/^Code: 60\./);
  });

  it.each([
    ['gzip', (b: Buffer) => zlib.gunzipSync(b)],
    ['deflate', (b: Buffer) => zlib.inflateSync(b)],
    ['br', (b: Buffer) => zlib.brotliDecompressSync(b)],
    ['zstd', (b: Buffer) => Buffer.from(zstdDecompress(b))],
    ['lz4', (b: Buffer) => Buffer.from(lz4FrameDecode(b))],
  ])('enable_http_compression=1 with Accept-Encoding: %s', async (encoding, decode) => {
    for (const sql of ['SELECT 1', 'SELECT number FROM numbers(300000)']) {
      const r = await request(server.port, {
        path: q(sql, 'enable_http_compression=1'), headers: { 'Accept-Encoding': encoding },
      });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe(encoding);
      const text = decode(r.body).toString();
      if (sql === 'SELECT 1') expect(text).toBe('1\n');
      else expect(text.split('\n').length).toBe(300001);
    }
  });

  it('does not compress without enable_http_compression', async () => {
    const r = await request(server.port, { path: q('SELECT 1'), headers: { 'Accept-Encoding': 'gzip' } });
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.text()).toBe('1\n');
  });

  it('enable_http_compression set in the session applies', async () => {
    await request(server.port, { method: 'POST', path: '/?session_id=cmp', body: 'SET enable_http_compression = 1' });
    const r = await request(server.port, { path: q('SELECT 1', 'session_id=cmp'), headers: { 'Accept-Encoding': 'gzip' } });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(r.body).toString()).toBe('1\n');
  });

  it('compress=1 and gzip together: frames inside gzip', async () => {
    const r = await request(server.port, {
      path: q('SELECT 1', 'compress=1&enable_http_compression=1'), headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(decodeFrames(zlib.gunzipSync(r.body)).data.toString()).toBe('1\n');
  });
});

describe('mid-stream errors through compression layers', () => {
  const tail = (tag: string) => {
    const msg = 'Code: 395. DB::Exception: Value passed to \'throwIf\' function is non-zero. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)\n';
    return `\r\n__exception__\r\n${tag}\r\n${msg}${Buffer.byteLength(msg)} ${tag}\r\n__exception__\r\n`;
  };

  it('compress=1: the exception block is inside the frames', async () => {
    const r = await request(server.port, { path: q('SELECT fail_after(300)', 'compress=1&buffer_size=1000') });
    expect(r.status).toBe(200);
    expect(r.aborted).toBe(true);
    const text = decodeFrames(r.body).data.toString();
    expect(text.startsWith('0\n1\n')).toBe(true);
    expect(text.endsWith(tail(String(r.headers['x-clickhouse-exception-tag'])))).toBe(true);
  });

  it('gzip: the exception block ends a complete gzip stream', async () => {
    const r = await request(server.port, {
      path: q('SELECT fail_after(300)', 'enable_http_compression=1&buffer_size=1000'), headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(r.aborted).toBe(true);
    const text = zlib.gunzipSync(r.body).toString();
    expect(text.endsWith(tail(String(r.headers['x-clickhouse-exception-tag'])))).toBe(true);
  });
});
