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
