import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import { parseDataType } from '../../src/types/type-factory.js';

/**
 * One table of values shared by the text-format tests and the golden generator: each column has a type,
 * the SQL that makes each row's value in ClickHouse 18.16, and Hadron's Value for it.
 */
export interface FixtureColumn {
  readonly name: string;
  readonly type: string;
  readonly sql: readonly string[];
  readonly values: readonly Value[];
}


export const FIXTURE: readonly FixtureColumn[] = [
  { name: 'u8', type: 'UInt8', sql: ['0', '255', '7'], values: [0, 255, 7] },
  { name: 'i16', type: 'Int16', sql: ['-32768', '32767', '0'], values: [-32768, 32767, 0] },
  { name: 'u32', type: 'UInt32', sql: ['4294967295', '0', '1000000'], values: [4294967295, 0, 1000000] },
  {
    name: 'i64',
    type: 'Int64',
    sql: ['-9223372036854775808', '9223372036854775807', '0'],
    values: [-9223372036854775808n, 9223372036854775807n, 0n],
  },
  { name: 'u64', type: 'UInt64', sql: ['18446744073709551615', '0', '42'], values: [18446744073709551615n, 0n, 42n] },
  { name: 'f64', type: 'Float64', sql: ['0.1 + 0.2', '-0.', '1e21'], values: [0.1 + 0.2, -0, 1e21] },
  { name: 'fx', type: 'Float64', sql: ['nan', 'inf', '-1e-7'], values: [NaN, Infinity, -1e-7] },
  { name: 'f32', type: 'Float32', sql: ['0.1', '123456789', '-1.5'], values: [Math.fround(0.1), Math.fround(123456789), -1.5] },
  {
    name: 's',
    type: 'String',
    sql: ["'a\\tb\\nc\\\\d\\'e\"'", "''", "'ü/€<>&\\0'"],
    values: ['a\tb\nc\\d\'e"', '', 'ü/€<>&\0'],
  },
  { name: 'fs', type: 'FixedString(3)', sql: ["'ab'", "'xyz'", "''"], values: ['ab', 'xyz', ''] },
  { name: 'd', type: 'Date', sql: ["'2020-01-01'", "'1970-01-02'", "'2038-01-19'"], values: [18262, 1, 24855] },
  {
    name: 'dt',
    type: 'DateTime',
    sql: ['1577934245', '1', '2147483648'],
    values: [1577934245, 1, 2147483648],
  },
  {
    name: 'dtz',
    type: "DateTime('Asia/Kolkata')",
    sql: ['1577934245', '31536000', '2147483648'],
    values: [1577934245, 31536000, 2147483648],
  },
  { name: 'dec', type: 'Decimal(9, 2)', sql: ['1.5', '-0.01', '0'], values: [150n, -1n, 0n] },
  { name: 'dec18', type: 'Decimal(18, 4)', sql: ['123456789.1234', '-1', '0.0001'], values: [1234567891234n, -10000n, 1n] },
  {
    name: 'uuid',
    type: 'UUID',
    sql: ["'61f0c404-5cb3-11e7-907b-a6006ad3dba0'", "'00000000-0000-0000-0000-000000000000'", "'ffffffff-0000-0000-0000-000000000001'"],
    values: ['61f0c404-5cb3-11e7-907b-a6006ad3dba0', '00000000-0000-0000-0000-000000000000', 'ffffffff-0000-0000-0000-000000000001'],
  },
  { name: 'e', type: "Enum8('a' = 1, 'b\\'q' = 2)", sql: ["'a'", "'b\\'q'", "'a'"], values: [1, 2, 1] },
  { name: 'n', type: 'Nullable(Int32)', sql: ['1', 'NULL', '-3'], values: [1, null, -3] },
  { name: 'ns', type: 'Nullable(String)', sql: ['NULL', "'x'", "''"], values: [null, 'x', ''] },
  { name: 'arr', type: 'Array(Int32)', sql: ['emptyArrayInt32()', '[1, 2]', '[-1]'], values: [[], [1, 2], [-1]] },
  { name: 'as', type: 'Array(String)', sql: ["['a', 'b\\'c']", 'emptyArrayString()', "['\\t\"']"], values: [['a', "b'c"], [], ['\t"']] },
  { name: 'an', type: 'Array(Nullable(UInt8))', sql: ['[NULL, 1]', 'arrayFilter(x -> 0, [CAST(NULL AS Nullable(UInt8))])', '[NULL]'], values: [[null, 1], [], [null]] },
  {
    name: 't',
    type: 'Tuple(UInt8, String)',
    sql: ["(1, 'a')", "(2, '')", "(3, 'q\\'')"],
    values: [
      [1, 'a'],
      [2, ''],
      [3, "q'"],
    ],
  },
  { name: 'aa', type: 'Array(Array(UInt8))', sql: ['[[1], emptyArrayUInt8()]', 'arrayFilter(x -> 0, [[toUInt8(1)]])', '[[2, 3]]'], values: [[[1], []], [], [[2, 3]]] },
  {
    name: 'ad',
    type: 'Array(DateTime)',
    sql: ["['2020-01-02 03:04:05']", 'emptyArrayDateTime()', 'emptyArrayDateTime()'],
    values: [[1577934245], [], []],
  },
];

export function fixtureHeader(cols: readonly FixtureColumn[] = FIXTURE): Header {
  return cols.map((c) => ({ name: c.name, type: parseDataType(c.type) }));
}

export function fixtureBlock(cols: readonly FixtureColumn[] = FIXTURE): Block {
  const header = fixtureHeader(cols);
  const rows = cols[0]!.values.length;
  return new Block(
    header,
    cols.map((c, k) => columnFromValues(header[k]!.type, c.values as Value[])),
    rows,
  );
}

/** The ClickHouse query that produces the fixture (rows in order). */
export function fixtureQuery(cols: readonly FixtureColumn[] = FIXTURE): string {
  const rows = cols[0]!.values.length;
  const selects: string[] = [];
  for (let r = 0; r < rows; r++) {
    const items = cols.map((c) => `CAST(${c.sql[r]} AS ${c.type}) AS ${c.name}`);
    selects.push(`SELECT ${r} AS _row, ${items.join(', ')}`);
  }
  return `SELECT ${cols.map((c) => c.name).join(', ')} FROM (${selects.join(' UNION ALL ')}) ORDER BY _row`;
}

/** Types ClickHouse 18.16 cannot produce, for round trips only (no SQL). */
export const EXTRA_FIXTURE: readonly FixtureColumn[] = [
  { name: 'b', type: 'Bool', sql: [], values: [true, false, true] },
  { name: 'd32', type: 'Date32', sql: [], values: [-25567, 0, 100000] },
  { name: 'dt64', type: "DateTime64(3, 'UTC')", sql: [], values: [1577934245123, -1, 0] },
  { name: 'dt64n', type: 'DateTime64(9)', sql: [], values: [1577934245123456800, 1, 0] },
  { name: 'i128', type: 'Int128', sql: [], values: [-(2n ** 127n), 2n ** 127n - 1n, 0n] },
  { name: 'u256', type: 'UInt256', sql: [], values: [2n ** 256n - 1n, 0n, 12345678901234567890n] },
  { name: 'dec38', type: 'Decimal(38, 10)', sql: [], values: [-(10n ** 37n), 1n, 0n] },
  { name: 'dec76', type: 'Decimal(76, 2)', sql: [], values: [10n ** 70n, -5n, 0n] },
  { name: 'ip4', type: 'IPv4', sql: [], values: [0x7f000001, 0, 0xffffffff] },
  {
    name: 'ip6',
    type: 'IPv6',
    sql: [],
    values: [new Uint8Array(16), Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1]), Uint8Array.from([...new Array<number>(10).fill(0), 0xff, 0xff, 1, 2, 3, 4])],
  },
  { name: 'e16', type: "Enum16('x' = -1000, 'y' = 1000)", sql: [], values: [-1000, 1000, -1000] },
  { name: 'lc', type: 'LowCardinality(String)', sql: [], values: ['a', 'b', 'a'] },
  { name: 'lcn', type: 'LowCardinality(Nullable(String))', sql: [], values: [null, 'b', ''] },
  {
    name: 'm',
    type: 'Map(String, Array(Nullable(Int32)))',
    sql: [],
    values: [[['k', [1, null]], ['', []]], [], [['z', [null]]]],
  },
  {
    name: 'nt',
    type: 'Tuple(a UInt8, b Nullable(String), c Array(String))',
    sql: [],
    values: [
      [1, null, ['x']],
      [2, 'q', []],
      [3, '', ['', 'y']],
    ],
  },
  { name: 'an2', type: 'Array(Array(Nullable(String)))', sql: [], values: [[[null, 'a'], []], [], [[''], [null]]] },
  { name: 'fs16', type: 'FixedString(16)', sql: [], values: ['0123456789abcdef', '', 'x'] },
  { name: 'iv', type: 'IntervalSecond', sql: [], values: [1, -5, 0] },
  { name: 'nn', type: 'Nullable(Nothing)', sql: [], values: [null, null, null] },
  { name: 'u16', type: 'UInt16', sql: [], values: [65535, 0, 1] },
  { name: 'i8', type: 'Int8', sql: [], values: [-128, 127, 0] },
  { name: 'i32', type: 'Int32', sql: [], values: [-2147483648, 2147483647, 0] },
  { name: 'ndt', type: 'Nullable(DateTime)', sql: [], values: [null, 1, 4294967295] },
];

export const ALL_FIXTURE: readonly FixtureColumn[] = [...FIXTURE, ...EXTRA_FIXTURE];
