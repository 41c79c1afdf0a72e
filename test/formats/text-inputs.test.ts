import { describe, expect, it } from 'vitest';
import { parseInput, renderOutput } from './render.js';
import { DbError } from '../../src/errors/index.js';
import type { Header, Block } from '../../src/core/block.js';
import { getInputFormat, getOutputFormat, listFormats } from '../../src/formats/registry.js';
import { TextOutput } from '../../src/formats/text/text-output.js';
import { formatFloat64 } from '../../src/types/text-conversion.js';
import type { DataType } from '../../src/types/data-type.js';
import type { Value } from '../../src/columns/values.js';
import { parseStructure } from '../../src/types/structure.js';

const h = (spec: string): Header => parseStructure(spec);
const rows = (blocks: Block[]) => blocks.flatMap((b) => b.toRows());
function errorOf(f: () => unknown): DbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DbError);
    return e as DbError;
  }
  throw new Error('expected an error');
}

describe('Values input', () => {
  const header = h('a Int32, s String, arr Array(Nullable(UInt8)), t Tuple(UInt8, String), m Map(String, Int64), n Nullable(Float64), b Bool, d Date');
  it('parses SQL literals', () => {
    const text = ` (1, 'x\\'y\\n', [1, NULL], (2, 'q'), {'k': -5}, NULL, true, '2020-01-02'),(-7,'',[],(0,''),{},1.5e3,false,'1970-01-01') ;`;
    expect(rows(parseInput('Values', header, text))).toEqual([
      [1, "x'y\n", [1, null], [2, 'q'], [['k', -5n]], null, true, 18263],
      [-7, '', [], [0, ''], [], 1500, false, 0],
    ]);
  });
  it('hands expressions to evaluateExpression', () => {
    const seen: string[] = [];
    const r = getInputFormat('Values').createReader(h('a Int32, d DateTime'), {
      timezone: 'UTC',
      settings: new Map(),
      blockRows: 100,
      evaluateExpression: (text: string, type: DataType): Value => {
        seen.push(`${text} :: ${type.name}`);
        return text.startsWith('1 +') ? 2 : 1000;
      },
    } as never);
    const out = [...r.push(new TextEncoder().encode("(1 + 1, now()), (3, toDateTime('2020-01-01 00:00:00'))")), ...(r.end() as Block[])];
    expect(rows(out)).toEqual([
      [2, 1000],
      [3, 1000],
    ]);
    expect(seen).toEqual(['1 + 1 :: Int32', 'now() :: DateTime', "toDateTime('2020-01-01 00:00:00') :: DateTime"]);
  });
  it('without an evaluator an expression is a parse error', () => {
    expect(errorOf(() => parseInput('Values', h('a Int32'), '(1 + 1)')).errorName).toMatch(/CANNOT_PARSE/);
  });
  it('NULL into a non-Nullable column is the default (input_format_null_as_default)', () => {
    expect(rows(parseInput('Values', h('a Int32, s String'), '(NULL, NULL)'))).toEqual([[0, '']]);
    expect(errorOf(() => parseInput('Values', h('a Int32'), '(NULL)', { settings: { input_format_null_as_default: '0' } })).errorName).toBe(
      'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
    );
  });
  it('truncated input is an error at end, a wait while streaming', () => {
    const r = getInputFormat('Values').createReader(h('a Int32, s String'), { timezone: 'UTC', settings: new Map(), blockRows: 10 });
    expect(r.push(new TextEncoder().encode("(1, 'ab"))).toEqual([]);
    expect(r.push(new TextEncoder().encode("c'), (2, 'd')")).flatMap((b) => b.toRows())).toEqual([]);
    expect(rows(r.end() as Block[])).toEqual([
      [1, 'abc'],
      [2, 'd'],
    ]);
    expect(() => parseInput('Values', h('a Int32, s String'), "(1, 'ab")).toThrow(DbError);
  });
});

describe('TabSeparated input', () => {
  const header = h('a UInt32, s String, n Nullable(Int8), d DateTime');
  it('unescapes, reads \\N, dates in the session timezone', () => {
    const text = '1\ta\\tb\\\\c\\nd\t\\N\t2020-01-02 03:04:05\n2\t\t-3\t1577934245\n';
    expect(rows(parseInput('TSV', header, text))).toEqual([
      [1, 'a\tb\\c\nd', null, 1577934245],
      [2, '', -3, 1577934245],
    ]);
    expect(rows(parseInput('TSV', header, '1\tx\t\\N\t2020-01-02 08:34:05', { timezone: 'Asia/Kolkata' }))).toEqual([[1, 'x', null, 1577934245]]);
  });
  it('reports the row and what it expected', () => {
    const e = errorOf(() => parseInput('TSV', header, '1\ta\t1\t2020-01-01 00:00:00\n2\tb\n'));
    expect(e.errorName).toBe('CANNOT_PARSE_INPUT_ASSERTION_FAILED');
    expect(e.message).toContain("expected '\\t' before");
    expect(e.message).toContain('(at row 2)');
    expect(errorOf(() => parseInput('TSV', header, 'abc\tx\t1\t2020-01-01 00:00:00\n')).errorName).toBe('CANNOT_PARSE_TEXT');
    expect(errorOf(() => parseInput('TSV', header, '1\tx\t1\t2020-01-01 00:00:00\textra\n')).message).toContain("expected '\\n'");
  });
  it('WithNames maps columns by name; skip_unknown_fields drops unknown ones', () => {
    const text = 's\tzz\ta\nq\t9\t5\n';
    expect(errorOf(() => parseInput('TSVWithNames', header, text)).errorName).toBe('INCORRECT_DATA');
    expect(rows(parseInput('TSVWithNames', header, text, { settings: { input_format_skip_unknown_fields: '1' } }))).toEqual([[5, 'q', null, 0]]);
  });
  it('invalid UTF-8 is kept as bytes', () => {
    const bytes = Uint8Array.from([0x31, 0x09, 0xff, 0xfe, 0x09, 0x5c, 0x4e, 0x09, 0x30, 0x0a]);
    const b = parseInput('TSV', header, bytes)[0]!;
    const col = b.columns[1] as { chars: Uint8Array };
    expect(Array.from(col.chars)).toEqual([0xff, 0xfe]);
  });
});

describe('CSV input', () => {
  const header = h('a Int32, s String, n Nullable(Float64)');
  it('quoted and unquoted fields, doubled quotes, CRLF, \\N, empty as default', () => {
    const text = '1,"a,""b""\nc",2.5\r\n2,plain text ,\\N\n3,,\n';
    expect(rows(parseInput('CSV', header, text))).toEqual([
      [1, 'a,"b"\nc', 2.5],
      [2, 'plain text', null],
      [3, '', null],
    ]);
  });
  it('format_csv_delimiter', () => {
    expect(rows(parseInput('CSV', header, '1;x;2\n', { settings: { format_csv_delimiter: ';' } }))).toEqual([[1, 'x', 2]]);
    expect(renderOutput('CSV', header, parseInput('CSV', header, '1;x;2\n', { settings: { format_csv_delimiter: ';' } }), { settings: { format_csv_delimiter: ';' } })).toBe(
      '1;"x";2\n',
    );
  });
  it('an unterminated quote is an error', () => {
    expect(errorOf(() => parseInput('CSV', header, '1,"abc\n')).errorName).toBe('CANNOT_PARSE_QUOTED_STRING');
  });
});

describe('JSONEachRow input', () => {
  const header = h('a UInt64, s String, arr Array(String), t Tuple(x Int8, y String), n Nullable(Int32)');
  it('objects in any key order, quoted 64-bit ints, unicode escapes, missing keys default', () => {
    const text = '{"s":"\\u00fc\\ud83d\\ude00\\n","a":"18446744073709551615","arr":["x"],"t":{"y":"q","x":-1}}\n{"a":5}\n';
    expect(rows(parseInput('JSONEachRow', header, text))).toEqual([
      [18446744073709551615n, 'ü😀\n', ['x'], [-1, 'q'], null],
      [5n, '', [], [0, ''], null],
    ]);
  });
  it('an array of objects', () => {
    expect(rows(parseInput('JSONEachRow', h('a Int32'), '[{"a":1},{"a":2}]'))).toEqual([[1], [2]]);
  });
  it('unknown fields: error, or skipped with input_format_skip_unknown_fields', () => {
    const text = '{"a":1,"zz":{"deep":[1,{"x":"}"}]},"s":"k"}';
    expect(errorOf(() => parseInput('JSONEachRow', header, text)).errorName).toBe('INCORRECT_DATA');
    expect(rows(parseInput('JSONEachRow', header, text, { settings: { input_format_skip_unknown_fields: '1' } }))).toEqual([[1n, 'k', [], [0, ''], null]]);
  });
  it('JSONCompactEachRowWithNamesAndTypes as @clickhouse/client sends inserts', () => {
    const text = '["s", "a"]\n["String", "UInt64"]\n["x", 1]\n["y", "2"]\n';
    expect(rows(parseInput('JSONCompactEachRowWithNamesAndTypes', h('a UInt64, s String'), text))).toEqual([
      [1n, 'x'],
      [2n, 'y'],
    ]);
  });
  it('garbage is a DbError', () => {
    for (const text of ['{"a":', '{"a" 1}', '[1,2', 'nonsense', '{"a":[1,]}']) {
      expect(() => parseInput('JSONEachRow', header, text)).toThrow(DbError);
    }
  });
});

describe('registry', () => {
  it('resolves names case-insensitively and aliases', () => {
    expect(getOutputFormat('tsv').name).toBe('TabSeparated');
    expect(getOutputFormat('TSVWithNamesAndTypes').name).toBe('TabSeparatedWithNamesAndTypes');
    expect(getOutputFormat('jsonlines').name).toBe('JSONEachRow');
    expect(getInputFormat('csvwithnames').name).toBe('CSVWithNames');
    expect(errorOf(() => getOutputFormat('Nope')).errorName).toBe('UNKNOWN_FORMAT');
    expect(errorOf(() => getInputFormat('Pretty')).errorName).toBe('FORMAT_IS_NOT_SUITABLE_FOR_INPUT');
  });
  it('lists formats for system.formats', () => {
    const all = listFormats();
    const find = (n: string) => all.find((f) => f.name === n);
    expect(find('Native')).toEqual({ name: 'Native', isInput: true, isOutput: true });
    expect(find('Pretty')).toEqual({ name: 'Pretty', isInput: false, isOutput: true });
    expect(find('TSV')).toEqual({ name: 'TSV', isInput: true, isOutput: true });
  });
});

describe('number formatting', () => {
  it('floats print like ClickHouse (shortest round trip)', () => {
    const out: Uint8Array[] = [];
    const t = new TextOutput((c) => out.push(c.slice()));
    const xs = [0.1, 0.5, -0.125, 123456.789, 999999.999999, 1e-6, 1e-7, 0.30000000000000004, 1e21, 1e15, -0, 2.5e-5, 1 / 3];
    for (let i = 0; i < 20000; i++) xs.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 14 - 6), Math.round(Math.random() * 1e8) / 1e4);
    for (const x of xs) {
      t.float64(x);
      t.byte(10);
    }
    t.flush();
    const lines = Buffer.concat(out).toString().trimEnd().split('\n');
    expect(lines).toEqual(xs.map(formatFloat64));
  });
});
