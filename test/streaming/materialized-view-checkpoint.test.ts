import { describe, expect, it } from 'vitest';
import { columnFromValues } from '../../src/columns/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { DbError } from '../../src/errors/index.js';
import { Block } from '../../src/core/block.js';
import { decodeCheckpoint, encodeCheckpoint, type MaterializedViewCheckpoint } from '../../src/streaming/materialized-view-checkpoint.js';

const keyTypes = [parseDataType('String'), parseDataType('Nullable(Int32)')];

function checkpoint(): MaterializedViewCheckpoint {
  const table = (keys: [string, number | null][]) => ({
    rows: keys.length * 3,
    groups: keys.length,
    keys: [columnFromValues(keyTypes[0]!, keys.map((k) => k[0])), columnFromValues(keyTypes[1]!, keys.map((k) => k[1]))],
    states: [keys.map((_, g) => Uint8Array.of(g, 1, 2)), keys.map((_, g) => new Uint8Array(g))],
  });
  return {
    sources: [{ table: 'default.ev', sn: 41 }],
    clock: { maxEventTime: 1_700_000_000, lateEvents: 2 },
    timeMs: 1234,
    aggregate: { emitVersion: 7, windows: [{ end: 10, table: table([['a', 1], ['b', null]]) }, { end: 20, table: table([['c', 3]]) }] },
  };
}

describe('materialized view checkpoint file', () => {
  it('round-trips positions, the watermark and every window state', () => {
    const cp = checkpoint();
    const back = decodeCheckpoint(encodeCheckpoint(cp, keyTypes), 'f');
    expect(back.sources).toEqual(cp.sources);
    expect(back.clock).toEqual(cp.clock);
    expect(back.timeMs).toBe(1234);
    expect(back.aggregate!.emitVersion).toBe(7);
    expect(back.aggregate!.global).toBeUndefined();
    expect(back.aggregate!.windows!.map((w) => w.end)).toEqual([10, 20]);
    const w0 = back.aggregate!.windows![0]!.table;
    expect(w0.groups).toBe(2);
    expect(w0.rows).toBe(6);
    const keys = new Block(keyTypes.map((type, i) => ({ name: `k${i}`, type })), [...w0.keys], w0.groups);
    expect(keys.toRows()).toEqual([['a', 1], ['b', null]]);
    expect(w0.states.map((s) => s.map((b) => [...b]))).toEqual([[[0, 1, 2], [1, 1, 2]], [[], [0]]]);
  });

  it('keeps an unknown maximum event time and a state without keys', () => {
    const cp: MaterializedViewCheckpoint = {
      sources: [],
      clock: { maxEventTime: -Infinity, lateEvents: 0 },
      timeMs: 1,
      aggregate: { emitVersion: 0, global: { rows: 5, groups: 1, keys: [], states: [[Uint8Array.of(5)]] } },
    };
    const back = decodeCheckpoint(encodeCheckpoint(cp, []), 'f');
    expect(back.clock!.maxEventTime).toBe(-Infinity);
    expect(back.aggregate!.global!.keys).toEqual([]);
    expect([...back.aggregate!.global!.states[0]![0]!]).toEqual([5]);
  });

  it('round-trips windows per substream: their partitions, watermarks and emission counts', () => {
    const cp = checkpoint();
    const partType = parseDataType('String');
    const partitions = new Block([{ name: 'p0', type: partType }], [columnFromValues(partType, ['x', 'y'])], 2);
    const windows = cp.aggregate!.windows!.map((w, i) => ({ ...w, part: 1 - i }));
    const back = decodeCheckpoint(
      encodeCheckpoint({ ...cp, aggregate: { emitVersion: 3, windows, substreams: { partitions, maxTime: [12, -Infinity], versions: [2, 0] } } }, keyTypes),
      'f',
    );
    expect(back.aggregate!.windows!.map((w) => [w.end, w.part])).toEqual([[10, 1], [20, 0]]);
    expect(back.aggregate!.substreams!.partitions.toRows()).toEqual([['x'], ['y']]);
    expect(back.aggregate!.substreams!.maxTime).toEqual([12, -Infinity]);
    expect(back.aggregate!.substreams!.versions).toEqual([2, 0]);
  });

  it('round-trips a join view: one position per stream, the join state, conversions and the aggregation', () => {
    const int = parseDataType('Int32');
    const str = parseDataType('String');
    const side = (vals: number[], names: string[]) =>
      new Block([{ name: 'i', type: int }, { name: 's', type: str }], [columnFromValues(int, vals), columnFromValues(str, names)], vals.length);
    const convert = new Block([{ name: 'ii', type: int }], [columnFromValues(int, [7])], 1);
    const cp: MaterializedViewCheckpoint = {
      sources: [{ table: 'default.l', sn: 12 }, { table: 'default.r', sn: -1 }],
      timeMs: 99,
      aggregate: {
        emitVersion: 4,
        global: { rows: 3, groups: 1, keys: [], states: [[Uint8Array.of(3)]], changed: Uint8Array.of(1) },
        emitted: { block: side([9], ['z']), present: Uint8Array.of(1) },
      },
      converts: [convert],
      join: {
        left: [{ bucket: 0, block: side([1, 2], ['a', 'b']) }, { bucket: 10, block: side([3], ['c']) }],
        right: [],
        leftWatermark: 10,
        rightWatermark: -Infinity,
        held: { left: [side([5], ['e'])], right: [], seen: [20, -Infinity] },
      },
    };
    const bytes = encodeCheckpoint(cp, []);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(5);
    const back = decodeCheckpoint(bytes, 'f');
    expect(back.sources).toEqual(cp.sources);
    expect([...back.aggregate!.global!.states[0]![0]!]).toEqual([3]);
    // EMIT CHANGELOG: the groups changed since the last emission and the results last emitted.
    expect([...back.aggregate!.global!.changed!]).toEqual([1]);
    expect(back.aggregate!.emitted!.block.toRows()).toEqual([[9, 'z']]);
    expect([...back.aggregate!.emitted!.present]).toEqual([1]);
    expect(back.converts!.map((b) => b.toRows())).toEqual([[[7]]]);
    const join = back.join!;
    expect(join.left.map((b) => [b.bucket, b.block.toRows()])).toEqual([
      [0, [[1, 'a'], [2, 'b']]],
      [10, [[3, 'c']]],
    ]);
    expect(join.right).toEqual([]);
    expect([join.leftWatermark, join.rightWatermark]).toEqual([10, -Infinity]);
    expect(join.held!.left.map((b) => b.toRows())).toEqual([[[5, 'e']]]);
    expect(join.held!.seen).toEqual([20, -Infinity]);
    // A view over one stream has no join section.
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint(), keyTypes), 'f').join).toBeUndefined();
  });

  it('still reads files of versions 1 to 4', () => {
    // Without aggregation states (whose table layout changed in 2) the body is the same: only the version differs.
    const cp: MaterializedViewCheckpoint = { sources: [{ table: 'default.ev', sn: 5 }], timeMs: 7, converts: [new Block([{ name: 'k', type: keyTypes[0]! }], [columnFromValues(keyTypes[0]!, ['x'])], 1)] };
    for (const version of [1, 2, 3, 4]) {
      const bytes = encodeCheckpoint(cp, []);
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(4, version, true);
      const back = decodeCheckpoint(bytes, 'f');
      expect(back.sources).toEqual(cp.sources);
      expect(back.converts!.map((b) => b.toRows())).toEqual([[['x']]]);
      expect(back.join).toBeUndefined();
    }
    const future = encodeCheckpoint(cp, []);
    new DataView(future.buffer, future.byteOffset).setUint32(4, 6, true);
    expect(() => decodeCheckpoint(future, 'f')).toThrow(/unknown version 6/);
  });

  it('round-trips stateful functions\' rows (version 5)', () => {
    const i32 = parseDataType('Nullable(Int32)');
    const str = parseDataType('String');
    const cp: MaterializedViewCheckpoint = {
      sources: [{ table: 'default.s', sn: 9 }],
      timeMs: 1,
      functions: [
        new Block([{ name: 'rows', type: i32 }], [columnFromValues(i32, [1, null, 3])], 3),
        new Block([{ name: 'rows', type: str }], [columnFromValues(str, [])], 0),
      ],
    };
    const back = decodeCheckpoint(encodeCheckpoint(cp, []), 'f');
    expect(back.functions!.map((b) => [b.header[0]!.type.name, b.toRows()])).toEqual([
      ['Nullable(Int32)', [[1], [null], [3]]],
      ['String', []],
    ]);
  });

  it('round-trips session windows and dedup() keys (version 4)', () => {
    const str = parseDataType('String');
    const keys = (...v: string[]) => new Block([{ name: 'k0', type: str }], [columnFromValues(str, v)], v.length);
    const f64 = (...v: number[]) => Float64Array.from(v);
    const cp: MaterializedViewCheckpoint = {
      sources: [{ table: 'default.s', sn: 3 }],
      timeMs: 1,
      aggregate: {
        emitVersion: 0,
        sessions: {
          substreams: keys('a', 'b'),
          substreamCount: 2,
          groups: keys('x', 'y', 'z'),
          open: Uint8Array.of(1, 0),
          winStart: f64(1000, 0),
          winEnd: f64(2001, 0),
          timeoutAt: f64(4000, -Infinity),
          maxAt: f64(11000, Infinity),
          emitted: f64(0, 2),
          sessionGroups: [Uint32Array.of(2, 0)],
          states: [[Uint8Array.of(5), Uint8Array.of(6, 7)]],
        },
      },
      dedups: [{ keys: [null, 1.5, 2n ** 60n, 'k\u00ff', 's3:a\u20acb'], times: [1, 2, 3, 4, 5] }],
    };
    const back = decodeCheckpoint(encodeCheckpoint(cp, []), 'f');
    const ses = back.aggregate!.sessions!;
    expect(ses.substreams!.toRows()).toEqual([['a'], ['b']]);
    expect(ses.groups!.toRows()).toEqual([['x'], ['y'], ['z']]);
    expect([...ses.open]).toEqual([1, 0]);
    expect([...ses.winStart, ...ses.winEnd, ...ses.timeoutAt, ...ses.maxAt, ...ses.emitted]).toEqual([1000, 0, 2001, 0, 4000, -Infinity, 11000, Infinity, 0, 2]);
    expect(ses.sessionGroups.map((g) => [...g])).toEqual([[2, 0]]);
    expect(ses.states.map((per) => per.map((b) => [...b]))).toEqual([[[5], [6, 7]]]);
    expect(back.dedups).toEqual(cp.dedups);
  });

  it('refuses a damaged file with CORRUPTED_DATA', () => {
    const bytes = encodeCheckpoint(checkpoint(), keyTypes);
    for (const at of [0, 5, 9, 20, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at]! ^= 0x40;
      expect(() => decodeCheckpoint(bad, 'f')).toThrow(DbError);
      try {
        decodeCheckpoint(bad, 'f');
      } catch (e) {
        expect((e as DbError).code).toBe(246);
      }
    }
    expect(() => decodeCheckpoint(bytes.subarray(0, 8), 'f')).toThrow(/too short/);
  });
});
