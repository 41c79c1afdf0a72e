import { describe, expect, it } from 'vitest';
import { ALL_FIXTURE, fixtureBlock, fixtureHeader } from './fixtures.js';
import { parseInput, renderOutputBytes } from './render.js';
import { DbError } from '../../src/errors/index.js';
import { Block } from '../../src/core/block.js';

const header = fixtureHeader(ALL_FIXTURE);
const block = fixtureBlock(ALL_FIXTURE);
const expected = block.toRows();

function rows(blocks: Block[]) {
  return blocks.flatMap((b) => b.toRows());
}

describe('binary formats round trip every type', () => {
  for (const format of ['RowBinary', 'RowBinaryWithNames', 'RowBinaryWithNamesAndTypes', 'Native']) {
    const variants: Record<string, string>[] = format === 'Native' ? [{}, { client_protocol_version: '54460' }, { client_protocol_version: '54405' }] : [{}];
    for (const settings of variants) {
      it(`${format} ${JSON.stringify(settings)}`, () => {
        const bytes = renderOutputBytes(format, header, [block, block], { settings });
        const whole = parseInput(format, header, bytes, { settings });
        expect(rows(whole)).toEqual([...expected, ...expected]);
        // Byte-at-a-time and odd chunk sizes give the same rows.
        for (const chunkSize of [1, 7, 64]) {
          expect(rows(parseInput(format, header, bytes, { settings, chunkSize }))).toEqual([...expected, ...expected]);
        }
        // Every strict prefix: an error naming the truncation (never a crash), or fewer whole rows for
        // formats whose boundary falls between rows.
        for (let cut = 1; cut < bytes.length; cut++) {
          try {
            const got = rows(parseInput(format, header, bytes.subarray(0, cut), { settings }));
            expect(got.length).toBeLessThan(6);
          } catch (e) {
            expect(e).toBeInstanceOf(DbError);
            expect(['CANNOT_READ_ALL_DATA']).toContain((e as DbError).errorName);
          }
        }
      });
    }
  }

  it('RowBinary blocks respect blockRows', () => {
    const bytes = renderOutputBytes('RowBinary', header, [block, block, block]);
    const blocks = parseInput('RowBinary', header, bytes, { blockRows: 2, chunkSize: 5 });
    expect(blocks.map((b) => b.rows)).toEqual([2, 2, 2, 2, 1]);
  });

  it('RowBinaryWithNames maps columns by name and fills defaults', () => {
    const src = fixtureHeader(ALL_FIXTURE.filter((c) => c.name === 'u8' || c.name === 's'));
    const srcBlock = fixtureBlock(ALL_FIXTURE.filter((c) => c.name === 's' || c.name === 'u8'));
    const bytes = renderOutputBytes('RowBinaryWithNamesAndTypes', src, [srcBlock]);
    const target = fixtureHeader(ALL_FIXTURE.filter((c) => ['s', 'n', 'u8'].includes(c.name)));
    const got = rows(parseInput('RowBinaryWithNamesAndTypes', target, bytes));
    expect(got).toEqual([
      [0, 'a\tb\nc\\d\'e"', null],
      [255, '', null],
      [7, 'ü/€<>&\0', null],
    ]);
  });

  it('garbage input raises DbError', () => {
    const garbage = Uint8Array.from({ length: 200 }, (_, i) => (i * 73 + 41) & 255);
    for (const format of ['RowBinary', 'Native', 'RowBinaryWithNamesAndTypes']) {
      expect(() => parseInput(format, header, garbage)).toThrow(DbError);
    }
  });

  it('corrupt huge lengths are refused without allocating', () => {
    const h = fixtureHeader(ALL_FIXTURE.filter((c) => c.name === 's'));
    const huge = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    expect(() => parseInput('RowBinary', h, huge)).toThrow(DbError);
    // Native block claiming 2^40 rows.
    const native = Uint8Array.from([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 0x73, 6, ...Buffer.from('String')]);
    expect(() => parseInput('Native', h, native)).toThrow(DbError);
  });
});
