// One table holding every type a client is likely to send, two rows of values (typical
// and extreme), what the JSON formats must give back, and the canonical type strings the
// server must report for each column.

/**
 * name, declared type, canonical type (as `DESCRIBE` / JSON `meta` must report it).
 * @type {[string, string, string][]}
 */
export const ALL_TYPES_COLUMNS = [
  ['i8', 'Int8', 'Int8'],
  ['i16', 'Int16', 'Int16'],
  ['i32', 'Int32', 'Int32'],
  ['i64', 'Int64', 'Int64'],
  ['i128', 'Int128', 'Int128'],
  ['i256', 'Int256', 'Int256'],
  ['u8', 'UInt8', 'UInt8'],
  ['u16', 'UInt16', 'UInt16'],
  ['u32', 'UInt32', 'UInt32'],
  ['u64', 'UInt64', 'UInt64'],
  ['u128', 'UInt128', 'UInt128'],
  ['u256', 'UInt256', 'UInt256'],
  ['f32', 'Float32', 'Float32'],
  ['f64', 'Float64', 'Float64'],
  ['d', 'Decimal(18, 4)', 'Decimal(18, 4)'],
  ['d32', 'Decimal32(2)', 'Decimal(9, 2)'],
  ['d64', 'Decimal64(6)', 'Decimal(18, 6)'],
  ['d128', 'Decimal128(10)', 'Decimal(38, 10)'],
  ['d256', 'Decimal256(20)', 'Decimal(76, 20)'],
  ['b', 'Bool', 'Bool'],
  ['s', 'String', 'String'],
  ['fs', 'FixedString(4)', 'FixedString(4)'],
  ['uuid', 'UUID', 'UUID'],
  ['dt', 'Date', 'Date'],
  ['d32t', 'Date32', 'Date32'],
  ['ts', "DateTime('UTC')", "DateTime('UTC')"],
  ['ts64', "DateTime64(3, 'UTC')", "DateTime64(3, 'UTC')"],
  ['e8', "Enum8('a' = 1, 'b' = 2)", "Enum8('a' = 1, 'b' = 2)"],
  // declared in value order: the canonical name lists values sorted by value (checked on its own in run.mjs)
  ['e16', "Enum16('y' = -1000, 'x' = 1000)", "Enum16('y' = -1000, 'x' = 1000)"],
  ['ip4', 'IPv4', 'IPv4'],
  ['ip6', 'IPv6', 'IPv6'],
  ['ni', 'Nullable(Int32)', 'Nullable(Int32)'],
  ['ns', 'Nullable(String)', 'Nullable(String)'],
  ['lc', 'LowCardinality(String)', 'LowCardinality(String)'],
  ['ai', 'Array(Int32)', 'Array(Int32)'],
  ['as', 'Array(String)', 'Array(String)'],
  ['m', 'Map(String, Int32)', 'Map(String, Int32)'],
  ['t', 'Tuple(a Int32, b String)', 'Tuple(a Int32, b String)'],
  ['an', 'Array(Nullable(Int32))', 'Array(Nullable(Int32))'],
];

/** Rows as sent with JSONEachRow (64-bit and wider integers and decimals as strings). */
export const ALL_TYPES_ROWS = [
  {
    i8: -5, i16: -300, i32: -70000, i64: '-5000000000', i128: '-170141183460469231731687303715884105', i256: '-57896044618658097711785492504343953926634992332820282019728',
    u8: 200, u16: 60000, u32: 4000000000, u64: '10000000000000000000', u128: '340282366920938463463374607431768211', u256: '115792089237316195423570985008687907853269984665640564039457',
    f32: 1.5, f64: 3.141592653589793,
    d: '12345.6789', d32: '-1234567.89', d64: '123456789012.345678', d128: '1234567890123456789.0123456789', d256: '-123456789012345678901234567890123456789.12345678901234567891',
    b: true, s: 'héllo "wörld"\n\ttab\\back €', fs: 'abcd', uuid: '61f0c404-5cb3-11e7-907b-a6006ad3dba0',
    dt: '2024-02-29', d32t: '1950-06-15', ts: '2024-02-29 12:34:56', ts64: '2024-02-29 12:34:56.789',
    e8: 'b', e16: 'y', ip4: '192.168.1.1', ip6: '2001:db8::1',
    ni: 42, ns: 'x', lc: 'low', ai: [1, 2, 3], as: ['a', '', 'c,d'], m: { a: 1, b: -2 }, t: { a: 7, b: 'seven' }, an: [1, null, 3],
  },
  {
    i8: -128, i16: -32768, i32: -2147483648, i64: '-9223372036854775808', i128: '-170141183460469231731687303715884105728',
    i256: '-57896044618658097711785492504343953926634992332820282019728792003956564819968',
    u8: 255, u16: 65535, u32: 4294967295, u64: '18446744073709551615', u128: '340282366920938463463374607431768211455',
    u256: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
    f32: -3.4028234663852886e38, f64: 1.7976931348623157e308,
    d: '-99999999999999.9999', d32: '9999999.99', d64: '-999999999999.999999', d128: '-9999999999999999999999999999.9999999999', d256: '1.00000000000000000001',
    b: false, s: '', fs: 'wxyz', uuid: '00000000-0000-0000-0000-000000000000',
    dt: '1970-01-01', d32t: '2299-12-31', ts: '1970-01-01 00:00:01', ts64: '2100-01-01 00:00:00.001',
    e8: 'a', e16: 'x', ip4: '0.0.0.0', ip6: '::ffff:1.2.3.4',
    ni: null, ns: null, lc: '', ai: [], as: [], m: {}, t: { a: -1, b: '' }, an: [null],
  },
];

const DECIMALS = new Set(['d', 'd32', 'd64', 'd128', 'd256']);

/**
 * Normalises a value read back with JSONEachRow (default settings) for comparison with the
 * row that was inserted: Float32 through Math.fround; decimals (JSON numbers by default)
 * compared as numbers, since JSON.parse cannot hold Decimal128/256 exactly.
 * @param {string} column
 * @param {unknown} value
 */
export function normalise(column, value) {
  if (column === 'f32' && typeof value === 'number') return Math.fround(value);
  if (DECIMALS.has(column) && (typeof value === 'number' || typeof value === 'string')) return Number(value);
  return value;
}

/**
 * Decimal text without redundant trailing zeros, for exact comparisons of quoted decimals.
 * @param {string} s
 */
export function canonicalDecimal(s) {
  let t = s.trim();
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  if (t === '-0') t = '0';
  return t;
}
