import { describe, expect, it } from 'vitest';
import { parseDataType } from '../../src/types/type-factory.js';
import { BinaryReader, BinaryWriter } from '../../src/types/serializations/buffer.js';
import { readNativeColumn, writeNativeColumn } from '../../src/types/serializations/native-column.js';
import { columnValues } from '../../src/columns/values.js';
import { DbError } from '../../src/errors/index.js';
import { decodeNativeBlock, encodeNativeBlockToBytes } from '../../src/formats/native-block.js';
import { readHexGolden } from './golden-util.js';

/** ch-go golden columns: [file, type, rows, expected values (optional)]. Values are set in ch-go's tests. */
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const cases: [string, string, number, unknown[]?][] = [
  ['col_int8', 'Int8', 50, range(50)],
  ['col_int16', 'Int16', 50, range(50)],
  ['col_int32', 'Int32', 50, range(50)],
  ['col_int64', 'Int64', 50, range(50).map(BigInt)],
  ['col_int128', 'Int128', 50, range(50).map(BigInt)],
  ['col_int256', 'Int256', 50, range(50).map(BigInt)],
  ['col_uint8', 'UInt8', 50, range(50)],
  ['col_uint16', 'UInt16', 50, range(50)],
  ['col_uint32', 'UInt32', 50, range(50)],
  ['col_uint64', 'UInt64', 50, range(50).map(BigInt)],
  ['col_uint128', 'UInt128', 50, range(50).map(BigInt)],
  ['col_uint256', 'UInt256', 50, range(50).map(BigInt)],
  ['col_float32', 'Float32', 50, range(50)],
  ['col_float64', 'Float64', 50, range(50)],
  ['col_date', 'Date', 50, range(50)],
  ['col_date32', 'Date32', 50, range(50)],
  ['col_datetime', 'DateTime', 50, range(50)],
  ['col_datetime64', 'DateTime64(3)', 50, range(50)],
  ['col_decimal32', 'Decimal(9, 2)', 50, range(50).map(BigInt)],
  ['col_decimal64', 'Decimal(18, 2)', 50, range(50).map(BigInt)],
  ['col_decimal128', 'Decimal(38, 2)', 50, range(50).map(BigInt)],
  ['col_decimal256', 'Decimal(76, 2)', 50, range(50).map(BigInt)],
  ['col_enum8', "Enum8('a' = 0)", 50, range(50)],
  ['col_enum16', "Enum16('a' = 0)", 50, range(50)],
  ['col_ipv4', 'IPv4', 50, range(50)],
  ['col_ipv6', 'IPv6', 50],
  ['col_uuid', 'UUID', 50, range(50).map((i) => `${i.toString(16).padStart(2, '0')}000000-0000-0000-0000-000000000000`)],
  ['col_bool', 'Bool', 50],
  ['col_interval', 'IntervalSecond', 50, range(50).map(() => 10)],
  ['col_fixed_str', 'FixedString(32)', 6],
  ['col_str', 'String', 6, ['foo', 'bar', 'ClickHouse', 'one', '', '1']],
  ['col_str_bytes', 'String', 2, ['Hello, World!', 'ClickHouse']],
  ['column_of_str', 'String', 3, ['foo', 'bar', 'baz']],
  ['col_nullable_str', 'Nullable(String)', 10, ['value1', 'value2', null, 'value3', null, '', '', 'value4', null, 'value54']],
  ['col_nullable_of_str', 'Nullable(String)', 4, ['foo', null, 'bar', 'baz']],
  ['col_nothing_nullable', 'Nullable(Nothing)', 50],
  ['col_map_of_str_str', 'Map(String, String)', 2, [[['foo', 'bar']], [['like', '100']]]],
  ['col_tuple_str_int64', 'Tuple(String, Int64)', 50, range(50).map((i) => [`<${i}>`, BigInt(i)])],
  ['col_tuple_named_str_int64', 'Tuple(strings String, ints Int64)', 50, range(50).map((i) => [`<${i}>`, BigInt(i)])],
  ['col_arr_int8_manual', 'Array(Int8)', 5, range(5).map((i) => range(i + 2).map((j) => 10 + j * 2 + 3 * i))],
  ['col_arr_of_str', 'Array(String)', 2, [['foo', 'bar', 'foo', 'foo', 'baz'], ['foo', 'baz']]],
  ['col_arr_int8', 'Array(Int8)', 50, range(50).map((i) => [i, i + 1, i + 2])],
  ['col_arr_uint64', 'Array(UInt64)', 50, range(50).map((i) => [BigInt(i), BigInt(i + 1), BigInt(i + 2)])],
  ['col_arr_float64', 'Array(Float64)', 50, range(50).map((i) => [i, i + 1, i + 2])],
  ['col_arr_decimal128', 'Array(Decimal(38, 2))', 50],
  ['col_arr_ipv6', 'Array(IPv6)', 50],
  ['col_arr_enum16', "Array(Enum16('a' = 0))", 50],
  ['col_arr_int256', 'Array(Int256)', 50],
  ['col_byte16', 'FixedString(16)', 50],
];

function decode(type: string, bytes: Uint8Array, rows: number) {
  const r = new BinaryReader(bytes);
  const col = readNativeColumn(parseDataType(type), r, rows);
  return { col, consumed: r.pos };
}

describe('Native columns against ch-go golden vectors', () => {
  for (const [file, type, rows, expected] of cases) {
    it(`${file} as ${type}`, () => {
      const golden = readHexGolden(file);
      const t = parseDataType(type);
      const { col, consumed } = decode(type, golden, rows);
      expect(consumed).toBe(golden.length);
      if (expected) expect(columnValues(t, col)).toEqual(expected);
      const w = new BinaryWriter(16);
      writeNativeColumn(t, col, w);
      // ch-go writes Nothing as zero bytes; ClickHouse writes '0' (0x30) per row, as Hadron does.
      if (file !== 'col_nothing_nullable') expect(Array.from(w.toBytes())).toEqual(Array.from(golden));
      // Every strict prefix must fail cleanly with CANNOT_READ_ALL_DATA.
      for (let cut = 0; cut < golden.length; cut++) {
        let err: unknown;
        try {
          decode(type, golden.subarray(0, cut), rows);
        } catch (e) {
          err = e;
        }
        expect(err, `prefix ${cut}`).toBeInstanceOf(DbError);
        expect((err as DbError).errorName, `prefix ${cut}`).toBe('CANNOT_READ_ALL_DATA');
      }
    });
  }
});

describe('LowCardinality golden vectors (key-version prefix prepended)', () => {
  const version = [1, 0, 0, 0, 0, 0, 0, 0];
  const lcCases: [string, string, number, unknown[], number][] = [
    ['col_low_cardinality_of_str', 'LowCardinality(String)', 5, ['foo', 'bar', 'foo', 'foo', 'baz'], 1],
    ['col_low_cardinality_i_str_k_8', 'LowCardinality(String)', 25, range(25).map((i) => ['neo', 'trinity', 'morpheus'][i % 3]), 1],
    [
      'col_arr_low_cardinality_u8_str',
      'Array(LowCardinality(String))',
      5,
      [['foo', 'bar', 'baz'], ['foo'], ['bar', 'bar'], ['foo', 'foo'], ['bar', 'bar', 'bar', 'bar']],
      1,
    ],
    [
      'col_map_of_low_cardinality_str_str',
      'Map(LowCardinality(String), LowCardinality(String))',
      2,
      [
        [['foo', 'bar'], ['baz', 'hello'], ['bar', 'bar']],
        [['like', '100'], ['dislike', '200'], ['result', '1000 - 7']],
      ],
      2,
    ],
  ];
  for (const [file, type, rows, expected, prefixes] of lcCases) {
    it(`${file} as ${type}`, () => {
      const golden = readHexGolden(file);
      const bytes = Uint8Array.from([...Array.from({ length: prefixes }, () => version).flat(), ...golden]);
      const t = parseDataType(type);
      const { col, consumed } = decode(type, bytes, rows);
      expect(consumed).toBe(bytes.length);
      expect(columnValues(t, col)).toEqual(expected);
      // Our own encoding decodes back to the same values.
      const w = new BinaryWriter(16);
      writeNativeColumn(t, col, w);
      const again = decode(type, w.toBytes(), rows);
      expect(columnValues(t, again.col)).toEqual(expected);
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => decode(type, bytes.subarray(0, cut), rows)).toThrow(DbError);
      }
    });
  }
});

describe('Native blocks', () => {
  it('block_int8_uint64 (with BlockInfo)', () => {
    const golden = readHexGolden('block_int8_uint64');
    const r = new BinaryReader(golden);
    const block = decodeNativeBlock(r, { revision: 54460, withBlockInfo: true });
    expect(r.pos).toBe(golden.length);
    expect(block.header.map((c) => `${c.name} ${c.type.name}`)).toEqual(['count Int8', 'users UInt64']);
    expect(block.rows).toBe(5);
    const again = encodeNativeBlockToBytes(block, { revision: 54460, withBlockInfo: true });
    expect(Array.from(again)).toEqual(Array.from(golden));
  });
  it('block_title_data (no BlockInfo)', () => {
    const golden = readHexGolden('block_title_data');
    const block = decodeNativeBlock(new BinaryReader(golden), { revision: 54460, withBlockInfo: false });
    expect(block.toRows()).toEqual([
      ['Foo', 1n],
      ['Bar', 2n],
    ]);
    expect(Array.from(encodeNativeBlockToBytes(block, { revision: 54460, withBlockInfo: false }))).toEqual(Array.from(golden));
  });
  it('ClickHouse 18.16 Native output: Nullable(Nothing), empty Array(Nothing), LowCardinality(String)', () => {
    // curl 'http://ch:8123/' -d "SELECT NULL AS x, [] AS e, toLowCardinality('ab') lc FORMAT Native"
    const full = Buffer.from(
      '0301017811' +
        Buffer.from('Nullable(Nothing)').toString('hex') +
        '0130' +
        '0165' +
        '0e' +
        Buffer.from('Array(Nothing)').toString('hex') +
        '0000000000000000' +
        '02' +
        Buffer.from('lc').toString('hex') +
        '16' +
        Buffer.from('LowCardinality(String)').toString('hex') +
        '0100000000000000' +
        '0006000000000000' +
        '0200000000000000' +
        '00' +
        '026162' +
        '0100000000000000' +
        '01',
      'hex',
    );
    const block = decodeNativeBlock(new BinaryReader(full), { revision: 0, withBlockInfo: false });
    expect(block.toRows()).toEqual([[null, [], 'ab']]);
    expect(Array.from(encodeNativeBlockToBytes(block, { revision: 0, withBlockInfo: false }))).toEqual(Array.from(full));
  });
});
