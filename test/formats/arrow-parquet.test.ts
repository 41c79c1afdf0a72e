import { describe, expect, it } from 'vitest';
import * as A from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { ALL_FIXTURE, fixtureBlock, fixtureHeader } from './fixtures.js';
import { parseInput, renderOutputBytes } from './render.js';
import { DbError } from '../../src/errors/index.js';

// Types with a native Arrow mapping (the rest travel as text and are covered by the text formats).
const ARROW_COLS = ALL_FIXTURE.filter((c) =>
  ['u8', 'i16', 'u32', 'i64', 'u64', 'f64', 'f32', 's', 'fs', 'd', 'dt', 'dec', 'dec18', 'n', 'ns', 'arr', 'as', 'an', 'aa', 'b', 'dt64', 'dec38', 'm', 'nt', 'ip4', 'i8', 'i32', 'u16'].includes(c.name),
);

describe('Arrow', () => {
  const header = fixtureHeader(ARROW_COLS);
  const block = fixtureBlock(ARROW_COLS);
  for (const format of ['Arrow', 'ArrowStream']) {
    it(`${format} round trip`, () => {
      const bytes = renderOutputBytes(format, header, [block, block]);
      const rows = parseInput(format, header, bytes, { chunkSize: 100 }).flatMap((b) => b.toRows());
      expect(rows).toEqual([...block.toRows(), ...block.toRows()]);
    });
  }
  it('is readable by apache-arrow with ClickHouse-like types', () => {
    const t = A.tableFromIPC(renderOutputBytes('ArrowStream', header, [block]));
    expect(t.numRows).toBe(3);
    expect(String(t.schema.fields.find((f) => f.name === 's')!.type)).toBe('Utf8');
    expect(String(t.schema.fields.find((f) => f.name === 'dt')!.type)).toBe('Uint32');
    expect(t.getChild('s')!.get(0)).toBe('a\tb\nc\\d\'e"');
    expect(t.getChild('n')!.get(1)).toBe(null);
  });
  it('garbage is a DbError', () => {
    expect(() => parseInput('ArrowStream', header, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(DbError);
  });
});

describe('Parquet output', () => {
  it('is readable by hyparquet', async () => {
    const cols = ALL_FIXTURE.filter((c) => ['u8', 'i64', 'f64', 's', 'n', 'd', 'dt', 'b', 'arr'].includes(c.name));
    const bytes = renderOutputBytes('Parquet', fixtureHeader(cols), [fixtureBlock(cols)]);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = await parquetReadObjects({ file: ab });
    expect(rows.length).toBe(3);
    expect(rows[0]).toMatchObject({ u8: 0, i64: -9223372036854775808n, s: 'a\tb\nc\\d\'e"', n: 1, d: 18262, dt: 1577934245n, b: true, arr: '[]' });
    expect(rows[1]).toMatchObject({ n: null, f64: -0 });
  });
});
