import { describe, expect, it } from 'vitest';
import { Block } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import { encodeNativeBlock } from '../../src/formats/native-block.js';
import { scanNativeBlock } from '../../src/formats/native-block-scan.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { BinaryWriter } from '../../src/types/serializations/buffer.js';

/** The resumable scanner must find exactly where a Native block ends, however its bytes are split. */

const COLUMNS: Array<[string, unknown[]]> = [
  ['UInt8', [1, 2, 3]],
  ['Int64', [-1n, 0n, 9007199254740993n]],
  ['Float64', [1.5, NaN, -0]],
  ['String', ['', 'x'.repeat(300), 'héllo']],
  ['FixedString(3)', ['abc', 'de', '']],
  ['Nullable(String)', [null, 'a', null]],
  ['Array(Nullable(Int32))', [[1, null], [], [3]]],
  ['Array(Array(String))', [[['a'], []], [], [['b', 'c']]]],
  ['Tuple(UInt8, String)', [[1, 'p'], [2, ''], [3, 'q'.repeat(200)]]],
  ['Map(String, UInt16)', [[['k', 1]], [], [['a', 2], ['b', 3]]]],
  ['LowCardinality(String)', ['x', 'y', 'x']],
  ['LowCardinality(Nullable(String))', ['x', null, 'x']],
  ['Decimal(38, 2)', ['1.25', '-3.50', '0.00']],
  ['UUID', ['61f0c404-5cb3-11e7-907b-a6006ad3dba0', '00000000-0000-0000-0000-000000000000', '61f0c404-5cb3-11e7-907b-a6006ad3dba1']],
  ['DateTime64(3)', [0, 1.5, 1700000000.123]],
];

function encoded(revision: number): Uint8Array {
  const header = COLUMNS.map(([type], i) => ({ name: `c${i}`, type: parseDataType(type) }));
  const block = new Block(header, COLUMNS.map(([type, values]) => columnFromValues(parseDataType(type), values as never[])), 3);
  const w = new BinaryWriter(1024);
  encodeNativeBlock(block, w, { revision, withBlockInfo: true });
  return w.toBytes();
}

/** Feeds `bytes` in chunks of the given sizes; returns the block length the scan reports. */
function scanInChunks(bytes: Uint8Array, sizes: () => number, revision: number): number {
  let have = 0;
  const src = { view: () => bytes.subarray(0, have) };
  const scan = scanNativeBlock(src, { revision, withBlockInfo: true, maxBytes: 1 << 30 });
  let last = 0;
  for (;;) {
    const step = scan.next();
    if (step.done === true) return step.value;
    // Every request asks for more than is there, so waiting for it always makes progress.
    expect(step.value).toBeGreaterThan(have);
    expect(step.value).toBeGreaterThanOrEqual(last);
    expect(step.value).toBeLessThanOrEqual(bytes.length);
    last = step.value;
    while (have < step.value) have = Math.min(bytes.length, have + sizes());
  }
}

describe('Native block scanner', () => {
  for (const revision of [54213, 54460]) {
    it(`finds the end of a block of every column kind, whole or split (revision ${revision})`, () => {
      const bytes = encoded(revision);
      expect(scanInChunks(bytes, () => bytes.length, revision)).toBe(bytes.length);
      expect(scanInChunks(bytes, () => 1, revision)).toBe(bytes.length);
      let x = 7;
      expect(scanInChunks(bytes, () => (x = (x * 31 + 11) % 97) + 1, revision)).toBe(bytes.length);
    });
  }

  it('ignores bytes after the block', () => {
    const bytes = encoded(54460);
    const more = new Uint8Array(bytes.length + 10);
    more.set(bytes);
    const scan = scanNativeBlock({ view: () => more }, { revision: 54460, withBlockInfo: true, maxBytes: 1 << 30 });
    expect(scan.next()).toEqual({ done: true, value: bytes.length });
  });

  it('refuses a block larger than the limit before waiting for it', () => {
    // 2^40 rows of UInt64 in one column.
    const w = new BinaryWriter(64);
    for (const b of [1, 0, 2, 255, 255, 255, 255, 0, 1]) w.u8(b);
    w.varuint(2 ** 40);
    w.string('a');
    w.string('UInt64');
    const bytes = w.toBytes();
    const scan = scanNativeBlock({ view: () => bytes }, { revision: 54213, withBlockInfo: true, maxBytes: 1 << 30 });
    expect(() => scan.next()).toThrow(/not accepted/);
  });
});
