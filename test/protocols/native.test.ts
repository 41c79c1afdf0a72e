import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Block } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import { encodeCompressedBlock } from '../../src/compression/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { BinaryWriter } from '../../src/types/serializations/buffer.js';
import { TestNativeClient } from '../helpers/native-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The native TCP protocol at the packet level: handshake, queries, INSERT blocks, compression, cancel. */
describe('native protocol', () => {
  let s: TestServer;
  let port: number;
  beforeAll(async () => {
    s = await startTestServer({ users: [{ name: 'default' }, { name: 'alice', password: 'secret' }] }, ['tcp']);
    port = s.server.ports.tcp!;
  });
  afterAll(async () => {
    await s?.stop();
  });

  const connect = (extra: Partial<Parameters<typeof TestNativeClient.connect>[0]> = {}) => TestNativeClient.connect({ port, ...extra });

  function block(columns: Array<[string, string, unknown[]]>): Block {
    const header = columns.map(([name, type]) => ({ name, type: parseDataType(type) }));
    return new Block(header, columns.map(([, type, values]) => columnFromValues(parseDataType(type), values as never[])), columns[0]![2].length);
  }

  it('negotiates the revision and reports the timezone as an IANA name', async () => {
    const old = await connect({ revision: 54213 });
    expect(old.serverRevision).toBe(54213);
    expect(old.serverTimezone).toBe('UTC');
    expect(old.serverName).toBe('Hadron');
    old.close();
    const modern = await connect({ revision: 54492 });
    expect(modern.serverRevision).toBe(54460);
    modern.close();
  });

  it('refuses a wrong password with exception 516', async () => {
    await expect(connect({ user: 'alice', password: 'nope' })).rejects.toMatchObject({ code: 516 });
    const ok = await connect({ user: 'alice', password: 'secret' });
    expect(await ok.ping()).toBe(4);
    ok.close();
  });

  for (const compression of [undefined, 'lz4', 'zstd'] as const) {
    it(`SELECT and INSERT round-trip (compression ${compression ?? 'off'})`, async () => {
      const c = await connect({ compression });
      const table = `rt_${compression ?? 'none'}`;
      let r = await c.query(`CREATE TABLE ${table} (id UInt32, s String, a Array(Nullable(Int64)), t Tuple(UInt8, String), m Map(String, UInt16)) ENGINE = MergeTree ORDER BY id`);
      expect(r.exception).toBeUndefined();
      r = await c.query(`INSERT INTO ${table} VALUES`, {
        insert: [
          block([
            ['id', 'UInt32', [1, 2]],
            ['s', 'LowCardinality(String)', ['x', 'y']],
            ['a', 'Array(Nullable(Int64))', [[1n, null], []]],
            ['t', 'Tuple(UInt8, String)', [[1, 'p'], [2, 'q']]],
            ['m', 'Map(String, UInt16)', [[['k', 1]], []]],
          ]),
        ],
      });
      expect(r.exception).toBeUndefined();
      expect(r.header?.header.map((h) => `${h.name} ${h.type.name}`)).toEqual([
        'id UInt32', 's String', 'a Array(Nullable(Int64))', 't Tuple(UInt8, String)', 'm Map(String, UInt16)',
      ]);
      r = await c.query(`SELECT id, s, a, t FROM ${table} ORDER BY id`);
      expect(r.exception).toBeUndefined();
      expect(r.blocks.flatMap((b) => b.toRows())).toEqual([
        [1, 'x', [1n, null], [1, 'p']],
        [2, 'y', [], [2, 'q']],
      ]);
      c.close();
    });
  }

  it('sends the header first, then data, profile info, an empty end block and EndOfStream', async () => {
    const c = await connect();
    const r = await c.query('SELECT number % 2 AS k, count() FROM numbers(3) GROUP BY k WITH TOTALS ORDER BY k');
    expect(r.header?.rows).toBe(0);
    expect(r.packets[0]).toBe(1);
    expect(r.packets.at(-1)).toBe(5);
    expect(r.packets).toContain(6);
    expect(r.blocks.flatMap((b) => b.toRows())).toEqual([[0, 2n], [1, 1n]]);
    expect(r.totals?.toRows()).toEqual([[0, 3n]]);
    c.close();
  });

  it('passes query parameters and settings', async () => {
    const c = await connect();
    const r = await c.query('SELECT {x:UInt32} + 1, {s:String}, toUInt64(getSetting(\'max_block_size\'))', { params: { x: '41', s: "it's" }, settings: { max_block_size: '1234' } });
    expect(r.exception).toBeUndefined();
    expect(r.blocks[0]!.toRows()).toEqual([[42n, "it's", 1234n]]);
    c.close();
  });

  it('runs INSERT with inline VALUES itself for clients from revision 54415, and asks older ones for blocks', async () => {
    const c = await connect();
    await c.query('CREATE TABLE inl (x UInt8) ENGINE = Memory');
    let r = await c.query('INSERT INTO inl VALUES (1), (2)');
    expect(r.exception).toBeUndefined();
    expect(r.packets).not.toContain(1);
    const old = await connect({ revision: 54213 });
    r = await old.query('INSERT INTO inl VALUES (7)', { insert: [block([['x', 'UInt8', [3]]])] });
    expect(r.exception).toBeUndefined();
    r = await c.query('SELECT groupArray(x) FROM (SELECT x FROM inl ORDER BY x)');
    expect(r.blocks[0]!.toRows()).toEqual([[[1, 2, 3]]]);
    c.close();
    old.close();
  });

  it('sends server logs when send_logs_level asks, and ProfileEvents to clients from revision 54451', async () => {
    const c = await connect({ compression: 'lz4' });
    let r = await c.query('SELECT 1', { settings: { send_logs_level: 'information' } });
    expect(r.packets).toContain(10);
    expect(r.packets).toContain(14);
    r = await c.query('SELECT 1');
    expect(r.packets).not.toContain(10);
    const old = await connect({ revision: 54420 });
    r = await old.query('SELECT 1', { settings: { send_logs_level: 'trace' } });
    expect(r.packets).toContain(10);
    expect(r.packets).not.toContain(14);
    c.close();
    old.close();
  });

  it('makes external tables sent before the query visible to it', async () => {
    const c = await connect({ compression: 'lz4' });
    const r = await c.query('SELECT k, v FROM ext WHERE k IN (SELECT number FROM numbers(3)) ORDER BY k', {
      external: { ext: block([['k', 'UInt64', [1n, 5n, 2n]], ['v', 'String', ['a', 'b', 'c']]]) },
    });
    expect(r.exception).toBeUndefined();
    expect(r.blocks.flatMap((b) => b.toRows())).toEqual([[1n, 'a'], [2n, 'c']]);
    expect((await c.query('SELECT * FROM ext')).exception?.code).toBe(60);
    c.close();
  });

  it('reports errors as Exception packets and keeps the connection usable', async () => {
    const c = await connect();
    let r = await c.query('SELECT * FROM no_such_table');
    expect(r.exception).toMatchObject({ code: 60, name: 'DB::Exception' });
    expect(r.exception!.message).toMatch(/no_such_table/);
    r = await c.query('SELEC 1');
    expect(r.exception?.code).toBe(62);
    r = await c.query('SELECT 1');
    expect(r.blocks[0]!.toRows()).toEqual([[1]]);
    c.close();
  });

  it('cancels a running query on Cancel and answers the next one', async () => {
    const c = await connect();
    let cancelled = false;
    const r = await c.query('SELECT count() FROM numbers(100000000000)', {
      settings: { interactive_delay: '20000' },
      onPacket: (code) => {
        if (code === 3 && !cancelled) {
          cancelled = true;
          c.cancel();
        }
      },
    });
    expect(cancelled).toBe(true);
    expect(r.exception).toBeUndefined();
    expect(r.packets.at(-1)).toBe(5);
    expect(r.blocks).toEqual([]);
    expect(await c.ping()).toBe(4);
    const next = await c.query('SELECT 1');
    expect(next.blocks[0]!.toRows()).toEqual([[1]]);
    c.close();
  });

  it('rejects a compressed block with a bad checksum with error 40, and the server lives on', async () => {
    const c = await connect({ compression: 'lz4' });
    c.send(c.queryPacket('SELECT 1'));
    const body = new BinaryWriter(64);
    body.bytes(Uint8Array.of(1, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0));
    const frame = encodeCompressedBlock(body.toBytes(), 'lz4');
    frame[3]! ^= 0x40;
    const w = new BinaryWriter(64);
    w.varuint(2);
    w.string('');
    w.bytes(frame);
    c.send(w.toBytes());
    const code = await c.input.parse((r) => r.varuint());
    expect(code).toBe(2);
    expect((await c.readException()).code).toBe(40);
    c.close();
    const fresh = await connect();
    expect((await fresh.query('SELECT 1')).blocks[0]!.toRows()).toEqual([[1]]);
    fresh.close();
  });
});
