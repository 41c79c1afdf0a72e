import { randomBytes, randomUUID } from 'node:crypto';
import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { type DataType, fixedStringType, isFloat, isInteger, nullableType, T, tupleType } from '../../types/data-type.js';
import { formatIPv4, formatIPv6, parseIPv4Text, parseIPv6Text } from '../../types/text-conversion.js';
import type { ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { toFloat64 } from '../core/columns.js';
import { rowwise, type RowwiseSpec } from '../core/rowwise.js';
import { numberSupertype } from '../core/type-rules.js';

function fn(category: string, spec: Omit<RowwiseSpec, 'category'>): ScalarFunction {
  return rowwise({ ...spec, category });
}

// ------------------------------------------------------------------ formatting helpers

function formatReadable(x: number, units: string[], base: number, digits = 2): string {
  const sign = x < 0 ? '-' : '';
  let v = Math.abs(x);
  let i = 0;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  const rounded = Math.round(v * 10 ** digits) / 10 ** digits;
  return `${sign}${rounded.toFixed(digits)}${units[i]}`;
}

const SIZE_UNITS = [' B', ' KiB', ' MiB', ' GiB', ' TiB', ' PiB', ' EiB', ' ZiB', ' YiB'];
const DEC_SIZE_UNITS = [' B', ' KB', ' MB', ' GB', ' TB', ' PB', ' EB', ' ZB', ' YB'];
const QUANTITY_UNITS = ['', ' thousand', ' million', ' billion', ' trillion', ' quadrillion'];

export function formatReadableTimeDelta(seconds: number, maxUnit = 'years'): string {
  const units: [string, number][] = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  const start = Math.max(0, units.findIndex(([u]) => u + 's' === maxUnit || u === maxUnit));
  let rest = Math.abs(seconds);
  const parts: string[] = [];
  for (let i = start; i < units.length; i++) {
    const [u, s] = units[i]!;
    const n = i === units.length - 1 ? rest : Math.floor(rest / s);
    if (n > 0 || (i === units.length - 1 && parts.length === 0)) {
      const shown = i === units.length - 1 ? Math.round(n * 1000) / 1000 : n;
      parts.push(`${shown} ${u}${shown === 1 ? '' : 's'}`);
      rest -= (i === units.length - 1 ? n : n * s);
    }
  }
  const text = parts.length > 1 ? parts.slice(0, -1).join(', ') + ' and ' + parts[parts.length - 1] : parts[0]!;
  return (seconds < 0 ? '-' : '') + text;
}

function requireNumber(name: string, t: DataType, i = 0): void {
  if (!isInteger(t) && !isFloat(t) && t.kind !== 'Decimal' && t.kind !== 'Bool') throw illegalType(name, t, i);
}

const formatFunctions: ScalarFunction[] = [
  fn('Other', {
    name: 'formatReadableSize',
    aliases: ['FORMAT_BYTES'],
    description: 'A byte count as text with binary units: 1.00 KiB, 2.50 MiB',
    syntax: 'formatReadableSize(bytes)',
    minArgs: 1,
    bind(args) {
      requireNumber('formatReadableSize', args[0]!.type);
      return { returnType: T.String, row: (v) => formatReadable(Number(v[0]), SIZE_UNITS, 1024) };
    },
  }),
  fn('Other', {
    name: 'formatReadableDecimalSize',
    description: 'A byte count as text with decimal units: 1.00 KB',
    syntax: 'formatReadableDecimalSize(bytes)',
    minArgs: 1,
    bind: () => ({ returnType: T.String, row: (v) => formatReadable(Number(v[0]), DEC_SIZE_UNITS, 1000) }),
  }),
  fn('Other', {
    name: 'formatReadableQuantity',
    description: 'A number as text with thousand/million/billion',
    syntax: 'formatReadableQuantity(x)',
    minArgs: 1,
    bind: () => ({ returnType: T.String, row: (v) => formatReadable(Number(v[0]), QUANTITY_UNITS, 1000) }),
  }),
  fn('Other', {
    name: 'formatReadableTimeDelta',
    description: 'Seconds as text: 1 hour, 2 minutes and 3 seconds',
    syntax: "formatReadableTimeDelta(seconds[, max_unit])",
    minArgs: 1,
    maxArgs: 2,
    bind: () => ({ returnType: T.String, row: (v) => formatReadableTimeDelta(Number(v[0]), v.length > 1 ? String(v[1]) : 'years') }),
  }),
  fn('Other', {
    name: 'bar',
    description: 'A bar of Unicode block characters proportional to x between min and max, at most width wide',
    syntax: 'bar(x, min, max[, width])',
    minArgs: 3,
    maxArgs: 4,
    bind() {
      return {
        returnType: T.String,
        row(v) {
          const x = Number(v[0]);
          const lo = Number(v[1]);
          const hi = Number(v[2]);
          const width = v.length > 3 ? Number(v[3]) : 80;
          const frac = Math.max(0, Math.min(1, hi === lo ? 0 : (x - lo) / (hi - lo)));
          const eighths = Math.round(frac * width * 8);
          const full = Math.floor(eighths / 8);
          const part = eighths % 8;
          return '█'.repeat(full) + (part ? ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][part]! : '');
        },
      };
    },
  }),
];

// ------------------------------------------------------------------ running / neighbor (per block)

function runningDifference(name: string, startWithFirst: boolean): ScalarFunction {
  return {
    name,
    nonDeterministic: true,
    category: 'Other',
    description: startWithFirst ? 'Difference from the previous row in the block; the first row is the value itself' : 'Difference from the previous row in the block (0 for the first row)',
    syntax: `${name}(x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      const isTime = t.kind === 'Date' || t.kind === 'DateTime';
      if (!isTime) requireNumber(name, t);
      const rt: DataType = isFloat(t) || t.kind === 'Decimal' ? T.Float64 : isTime ? T.Int32 : t.kind === 'UInt64' || t.kind === 'Int64' ? T.Int64 : numberSupertype([t, T.Int8]);
      const c = { timezone: ctx.timezone };
      return {
        returnType: rt,
        execute(cols, rows) {
          const x = castColumn(cols[0]!, t, T.Float64, c);
          const d = toFloat64(((x.kind === 'const' ? x.inner : x) as NumericColumn).data).data;
          const out = new Float64Array(rows);
          for (let i = 0; i < rows; i++) {
            const cur = d[x.kind === 'const' ? 0 : i]!;
            out[i] = i === 0 ? (startWithFirst ? cur : 0) : cur - d[x.kind === 'const' ? 0 : i - 1]!;
          }
          return castColumn(new NumericColumn(out), T.Float64, rt, c);
        },
      };
    },
  };
}

const neighbor: ScalarFunction = {
  name: 'neighbor',
  nonDeterministic: true,
  category: 'Other',
  description: 'The value offset rows away within the block (default when outside it). In a streaming query it is Proton\'s streaming neighbor: only earlier rows (offset in [-2^30, -1]), across blocks, as lag(x, -offset, default)',
  syntax: 'neighbor(x, offset[, default])',
  resolve(args) {
    checkArgCount('neighbor', args, 2, 3);
    const t = args[0]!.type;
    return {
      returnType: t,
      execute(cols, rows) {
        const b = createBuilder(t, rows);
        for (let i = 0; i < rows; i++) {
          const off = Number(readValue(args[1]!.type, cols[1]!, i));
          const j = i + off;
          if (j >= 0 && j < rows) b.push(readValue(t, cols[0]!, j));
          else if (cols[2]) b.push(readValue(t, cols[2], i));
          else b.pushDefault();
        }
        return b.build();
      },
    };
  },
};

// ------------------------------------------------------------------ random

function randomNumber(name: string, rt: DataType, gen: () => number | bigint, description: string): ScalarFunction {
  return {
    name,
    nonDeterministic: true,
    handlesNulls: true,
    category: 'Random',
    description,
    syntax: `${name}([x])`,
    resolve(args) {
      checkArgCount(name, args, 0, 1);
      return {
        returnType: rt,
        execute(_c, rows) {
          const b = createBuilder(rt, rows);
          for (let i = 0; i < rows; i++) b.push(gen());
          return b.build();
        },
      };
    },
  };
}

const rand32 = () => (Math.random() * 4294967296) >>> 0;
const rand64 = () => (BigInt(rand32()) << 32n) | BigInt(rand32());

const randomFunctions: ScalarFunction[] = [
  randomNumber('rand', T.UInt32, rand32, 'A pseudo-random UInt32 (a different one per row)'),
  randomNumber('rand32', T.UInt32, rand32, 'A pseudo-random UInt32'),
  randomNumber('rand64', T.UInt64, rand64, 'A pseudo-random UInt64'),
  randomNumber('randCanonical', T.Float64, () => Math.random(), 'A pseudo-random Float64 in [0, 1)'),
  {
    name: 'randConstant',
    nonDeterministic: true,
    handlesNulls: true,
    category: 'Random',
    description: 'One pseudo-random UInt32 for the whole block',
    syntax: 'randConstant([x])',
    resolve() {
      return { returnType: T.UInt32, execute: (_c, rows) => new ConstColumn(new NumericColumn(Uint32Array.of(rand32())), rows) };
    },
  },
  randomNumber('generateUUIDv4', T.UUID, () => 0, 'A random UUID (version 4)'),
  fn('Random', {
    name: 'randomString',
    nonDeterministic: true,
    description: 'A string of n random bytes',
    syntax: 'randomString(n)',
    minArgs: 1,
    bind: () => ({ returnType: T.String, row: (v) => randomBytes(Math.min(1e6, Number(v[0]))).toString('latin1') }),
  }),
  fn('Random', {
    name: 'randomPrintableASCII',
    nonDeterministic: true,
    description: 'A string of n random printable ASCII characters',
    syntax: 'randomPrintableASCII(n)',
    minArgs: 1,
    bind: () => ({ returnType: T.String, row: (v) => Array.from(randomBytes(Math.min(1e6, Number(v[0]))), (b) => String.fromCharCode(32 + (b % 95))).join('') }),
  }),
];
// generateUUIDv4 needs text values: replace its generator
randomFunctions[5] = {
  ...randomFunctions[5]!,
  aliases: ['uuid', 'UUID'],
  resolve(args) {
    checkArgCount('generateUUIDv4', args, 0, 1);
    return {
      returnType: T.UUID,
      execute(_c, rows) {
        const b = createBuilder(T.UUID, rows);
        for (let i = 0; i < rows; i++) b.push(randomUUID());
        return b.build();
      },
    };
  },
};

// ------------------------------------------------------------------ UUID

function castTo(name: string, to: DataType, mode: 'throw' | 'null' | 'zero', description: string): ScalarFunction {
  return {
    name,
    category: 'UUID',
    description,
    syntax: `${name}(x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1);
      const rt = mode === 'null' ? nullableType(to) : to;
      const c = { timezone: ctx.timezone };
      return { returnType: rt, execute: (cols) => castColumn(cols[0]!, args[0]!.type, rt, c, mode) };
    },
  };
}

const uuidFunctions: ScalarFunction[] = [
  castTo('toUUID', T.UUID, 'throw', 'Converts text to UUID'),
  castTo('toUUIDOrNull', T.UUID, 'null', 'Converts text to UUID, NULL when it is not one'),
  castTo('toUUIDOrZero', T.UUID, 'zero', 'Converts text to UUID, the zero UUID when it is not one'),
  fn('UUID', {
    name: 'UUIDStringToNum',
    description: 'The 16 bytes of a UUID given as text, as FixedString(16)',
    syntax: 'UUIDStringToNum(s)',
    minArgs: 1,
    bind: () => ({
      returnType: fixedStringType(16),
      row(v) {
        const hex = String(v[0]).replace(/-/g, '');
        if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new DbError('CANNOT_PARSE_UUID', `Cannot parse uuid ${String(v[0])}`);
        return Buffer.from(hex, 'hex') as unknown as Value;
      },
    }),
  }),
  fn('UUID', {
    name: 'UUIDNumToString',
    description: 'The text form of a UUID given as 16 bytes',
    syntax: 'UUIDNumToString(bytes)',
    minArgs: 1,
    bind: () => ({
      returnType: T.String,
      row(v) {
        const b = Buffer.from(String(v[0]), 'latin1');
        const hex = b.toString('hex').padEnd(32, '0');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
      },
    }),
  }),
];

// ------------------------------------------------------------------ IP addresses

const ipFunctions: ScalarFunction[] = [
  fn('IP', {
    name: 'IPv4NumToString',
    aliases: ['INET_NTOA'],
    caseInsensitive: true,
    description: 'Dotted text of an IPv4 address given as a number',
    syntax: 'IPv4NumToString(n)',
    minArgs: 1,
    bind: () => ({ returnType: T.String, row: (v) => formatIPv4(Number(v[0]) >>> 0) }),
  }),
  fn('IP', {
    name: 'IPv4NumToStringClassC',
    description: 'Like IPv4NumToString with the last octet as xxx',
    syntax: 'IPv4NumToStringClassC(n)',
    minArgs: 1,
    bind: () => ({ returnType: T.String, row: (v) => formatIPv4(Number(v[0]) >>> 0).replace(/\.\d+$/, '.xxx') }),
  }),
  ...(['', 'OrNull', 'OrDefault'] as const).map((variant) =>
    fn('IP', {
      name: `IPv4StringToNum${variant}`,
      aliases: variant === '' ? ['INET_ATON'] : [],
      caseInsensitive: variant === '',
      description: `IPv4 text as a UInt32${variant ? ` (${variant === 'OrNull' ? 'NULL' : '0'} when invalid)` : ''}`,
      syntax: `IPv4StringToNum${variant}(s)`,
      minArgs: 1,
      bind: () => ({
        returnType: variant === 'OrNull' ? nullableType(T.UInt32) : T.UInt32,
        row(v) {
          try {
            return parseIPv4Text(String(v[0]));
          } catch (e) {
            if (variant === 'OrNull') return null;
            if (variant === 'OrDefault') return 0;
            throw e;
          }
        },
      }),
    }),
  ),
  castTo('toIPv4', T.IPv4, 'throw', 'Converts text or a number to IPv4'),
  castTo('toIPv4OrNull', T.IPv4, 'null', 'Converts text to IPv4, NULL when invalid'),
  castTo('toIPv4OrZero', T.IPv4, 'zero', 'Converts text to IPv4, 0.0.0.0 when invalid'),
  castTo('toIPv6', T.IPv6, 'throw', 'Converts text or an IPv4 to IPv6'),
  castTo('toIPv6OrNull', T.IPv6, 'null', 'Converts text to IPv6, NULL when invalid'),
  castTo('toIPv6OrZero', T.IPv6, 'zero', 'Converts text to IPv6, :: when invalid'),
  fn('IP', {
    name: 'IPv6NumToString',
    aliases: ['INET6_NTOA'],
    caseInsensitive: true,
    description: 'Text of an IPv6 address given as 16 bytes',
    syntax: 'IPv6NumToString(bytes)',
    minArgs: 1,
    bind: (args) => ({
      returnType: T.String,
      row: (v) => formatIPv6(v[0] instanceof Uint8Array ? v[0] : Uint8Array.from(Buffer.from(String(v[0]).padEnd(16, '\0'), 'latin1')).subarray(0, 16)),
    }),
  }),
  fn('IP', {
    name: 'IPv6StringToNum',
    aliases: ['INET6_ATON'],
    caseInsensitive: true,
    description: 'IPv6 (or IPv4) text as 16 bytes',
    syntax: 'IPv6StringToNum(s)',
    minArgs: 1,
    bind: () => ({ returnType: fixedStringType(16), row: (v) => Buffer.from(parseIPv6Text(String(v[0]))) as unknown as Value }),
  }),
  fn('IP', {
    name: 'IPv4ToIPv6',
    description: 'An IPv4 address (as a number) mapped into IPv6 (::ffff:a.b.c.d), as 16 bytes',
    syntax: 'IPv4ToIPv6(n)',
    minArgs: 1,
    bind: () => ({ returnType: fixedStringType(16), row: (v) => Buffer.from(parseIPv6Text(formatIPv4(Number(v[0]) >>> 0))) as unknown as Value }),
  }),
  fn('IP', {
    name: 'isIPv4String',
    description: 'Returns 1 when the text is an IPv4 address',
    syntax: 'isIPv4String(s)',
    minArgs: 1,
    bind: () => ({ returnType: T.UInt8, row: (v) => (ok(() => parseIPv4Text(String(v[0]))) ? 1 : 0) }),
  }),
  fn('IP', {
    name: 'isIPv6String',
    description: 'Returns 1 when the text is an IPv6 address',
    syntax: 'isIPv6String(s)',
    minArgs: 1,
    bind: () => ({ returnType: T.UInt8, row: (v) => (String(v[0]).includes(':') && ok(() => parseIPv6Text(String(v[0]))) ? 1 : 0) }),
  }),
  fn('IP', {
    name: 'IPv4CIDRToRange',
    description: 'The lowest and highest IPv4 addresses of a subnet, as a tuple',
    syntax: 'IPv4CIDRToRange(ip, prefix_len)',
    minArgs: 2,
    bind: () => ({
      returnType: tupleType([T.IPv4, T.IPv4]),
      row(v) {
        const ip = Number(v[0]) >>> 0;
        const bits = Math.max(0, Math.min(32, Number(v[1])));
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        return [(ip & mask) >>> 0, (ip | ~mask) >>> 0];
      },
    }),
  }),
  fn('IP', {
    name: 'isIPAddressInRange',
    description: 'Returns 1 when the address is inside the CIDR range',
    syntax: "isIPAddressInRange(address, 'prefix/len')",
    minArgs: 2,
    bind: () => ({
      returnType: T.UInt8,
      row(v) {
        const [net, lenText] = String(v[1]).split('/');
        const a = String(v[0]);
        try {
          const x = parseIPv6Text(a);
          const n = parseIPv6Text(net!);
          const v4 = !a.includes(':');
          let len = Number(lenText ?? (v4 ? 32 : 128));
          if (v4 !== !net!.includes(':')) return 0;
          if (v4) len += 96;
          for (let i = 0; i < 16; i++) {
            const bits = Math.max(0, Math.min(8, len - i * 8));
            const mask = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
            if ((x[i]! & mask) !== (n[i]! & mask)) return 0;
          }
          return 1;
        } catch {
          return 0;
        }
      },
    }),
  }),
];

function ok(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

export const otherFunctions: ScalarFunction[] = [
  ...formatFunctions,
  runningDifference('runningDifference', false),
  runningDifference('runningDifferenceStartingWithFirstValue', true),
  neighbor,
  ...randomFunctions,
  ...uuidFunctions,
  ...ipFunctions,
];

export { constNumber };
export type { Column };
