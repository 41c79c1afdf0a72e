import { describe, expect, it } from 'vitest';
import { Block } from '../../src/core/block.js';
import { ConstColumn, NumericColumn, ObjectColumn, StringColumn } from '../../src/columns/column.js';
import { columnFromValues } from '../../src/columns/builder.js';
import { decodeColumn, decodeColumns, encodeColumn, encodeColumns } from '../../src/storage/codec/index.js';
import { DbError } from '../../src/errors/index.js';
import { header, makeBlock } from './helpers.js';

function roundTrip(b: Block): Block {
  const bytes = encodeColumns(b.columns, b.rows);
  const d = decodeColumns(bytes);
  return new Block(b.header, d.columns, d.rows);
}

describe('column codec', () => {
  const h = header({
    i8: 'Int8',
    u16: 'UInt16',
    i32: 'Int32',
    u32: 'DateTime',
    i64: 'Int64',
    u64: 'UInt64',
    f32: 'Float32',
    f64: 'Float64',
    i128: 'Int128',
    u256: 'UInt256',
    d: 'Decimal(40, 2)',
    s: 'String',
    fs: 'FixedString(3)',
    uuid: 'UUID',
    ns: 'Nullable(String)',
    ni: 'Nullable(Int32)',
    arr: 'Array(Int32)',
    aas: 'Array(Array(String))',
    tup: 'Tuple(a Int32, b String)',
    m: 'Map(String, UInt64)',
    lc: 'LowCardinality(String)',
  });
  const values = {
    i8: [-128, 0, 127],
    u16: [0, 65535, 7],
    i32: [-(2 ** 31), 2 ** 31 - 1, 0],
    u32: [0, 4294967295, 1700000000],
    i64: [-(2n ** 63n), 2n ** 63n - 1n, 0n],
    u64: [0n, 2n ** 64n - 1n, 5n],
    f32: [1.5, -0, Infinity],
    f64: [Math.PI, NaN, -1e300],
    i128: [-(2n ** 127n), 2n ** 127n - 1n, -1n],
    u256: [0n, 2n ** 256n - 1n, 2n ** 255n],
    d: [-123456789012345678901234567890n, 0n, 1n],
    s: ['', 'héllo wörld', 'x'.repeat(1000)],
    fs: ['abc', 'a', ''],
    uuid: ['00000000-0000-0000-0000-000000000000', '123e4567-e89b-12d3-a456-426614174000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ns: [null, 'a', ''],
    ni: [1, null, -5],
    arr: [[], [1, 2, 3], [-1]],
    aas: [[['a'], []], [], [['b', 'c', '']]],
    tup: [[1, 'x'], [2, ''], [-3, 'zz']],
    m: [[['k', 1n]], [], [['a', 2n], ['b', 3n]]],
    lc: ['x', 'y', 'x'],
  };

  it('picks 1, 2 or 4 byte string lengths', () => {
    for (const len of [3, 300, 70_000]) {
      const s = new StringColumn(new Uint8Array(len * 2).fill(65), new Uint32Array([0, len, len * 2]));
      const out = decodeColumn(encodeColumn(s)) as StringColumn;
      expect(Array.from(out.offsets)).toEqual([0, len, len * 2]);
      expect(out.stringAt(1)).toBe('A'.repeat(len));
    }
  });

  it('round-trips every physical layout', () => {
    const b = makeBlock(h, values);
    const out = roundTrip(b);
    expect(out.rows).toBe(3);
    expect(out.toRows()).toEqual(b.toRows());
  });

  it('round-trips empty blocks and sliced (offset) columns', () => {
    const b = makeBlock(h, values);
    const empty = b.slice(0, 0);
    expect(roundTrip(empty).rows).toBe(0);
    for (const [s, e] of [[1, 3], [2, 3], [0, 1]] as const) {
      const sl = b.slice(s, e);
      expect(roundTrip(sl).toRows()).toEqual(sl.toRows());
    }
  });

  it('materializes const columns, encodes object columns with bigints and typed arrays', () => {
    const h2 = header({ c: 'Int32', o: 'AggregateFunction(sum, UInt64)' });
    const c = new ConstColumn(columnFromValues(h2[0]!.type, [42]), 4);
    const o = new ObjectColumn([{ sum: 5n }, { x: new Float64Array([1, 2]) }, null, [1, 'a']]);
    const out = roundTrip(new Block(h2, [c, o], 4));
    expect(out.columns[0]!.kind).toBe('numeric');
    expect(Array.from((out.columns[0] as NumericColumn).data as Int32Array)).toEqual([42, 42, 42, 42]);
    expect((out.columns[1] as ObjectColumn).data).toEqual([{ sum: 5n }, { x: new Float64Array([1, 2]) }, null, [1, 'a']]);
  });

  it('views numeric data in place when aligned and copies when not', () => {
    const col = new NumericColumn(new Float64Array([1, 2, 3]));
    const bytes = encodeColumn(col);
    const aligned = decodeColumn(bytes) as NumericColumn;
    expect(aligned.data.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const copied = decodeColumn(shifted, 3) as NumericColumn;
    expect(Array.from(copied.data as Float64Array)).toEqual([1, 2, 3]);
  });

  it('rejects every truncation and corrupted offsets with CORRUPTED_DATA', () => {
    const b = makeBlock(h, values);
    const bytes = encodeColumns(b.columns, b.rows);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeColumns(bytes, 0, n), `prefix ${n}`).toThrow(DbError);
    }
    const s = new StringColumn(new TextEncoder().encode('abcdef'), new Uint32Array([0, 2, 6]));
    const enc = encodeColumn(s);
    const bad = enc.slice();
    bad[10] = 5; // the first length: lengths no longer add up to the byte count
    expect(() => decodeColumn(bad)).toThrow(/string lengths add up/);
    const width = enc.slice();
    width[9] = 3;
    expect(() => decodeColumn(width)).toThrow(/length width/);
    const tag = enc.slice();
    tag[0] = 77;
    expect(() => decodeColumn(tag)).toThrow(/unknown column tag/);
  });

  it('fuzzed corruption never escapes as a non-DbError', () => {
    const b = makeBlock(h, values);
    const bytes = encodeColumns(b.columns, b.rows);
    let seed = 12345;
    for (let k = 0; k < 2000; k++) {
      const x = bytes.slice();
      seed = (seed * 1103515245 + 12345) >>> 0;
      x[seed % x.length] ^= 1 + (seed >>> 24) % 255;
      try {
        decodeColumns(x);
      } catch (e) {
        expect(e).toBeInstanceOf(DbError);
      }
    }
  });

  it('encodes and decodes numeric columns at >= 500 MB/s', () => {
    const n = 1_000_000;
    const f = new Float64Array(n).map((_, i) => i * 1.5);
    const u = new Uint32Array(n).map((_, i) => i);
    const cols = [new NumericColumn(f), new NumericColumn(u)];
    const bytes = f.byteLength + u.byteLength;
    const reps = 20;
    let encMBs = 0;
    let decMBs = 0;
    let enc = encodeColumns(cols, n);
    for (let round = 0; round < 3; round++) {
      let t = performance.now();
      for (let i = 0; i < reps; i++) enc = encodeColumns(cols, n, { headroom: 64, padTo: 8 });
      encMBs = Math.max(encMBs, (bytes * reps) / 1e6 / ((performance.now() - t) / 1000));
      t = performance.now();
      for (let i = 0; i < reps; i++) decodeColumns(enc, 64);
      decMBs = Math.max(decMBs, (bytes * reps) / 1e6 / ((performance.now() - t) / 1000));
    }
    console.log(`codec numeric: encode ${encMBs.toFixed(0)} MB/s, decode ${decMBs.toFixed(0)} MB/s`);
    expect(encMBs).toBeGreaterThan(500);
    expect(decMBs).toBeGreaterThan(500);
  });
});
