import { createHash } from 'node:crypto';
import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import { type DataType, fixedStringType, isFloat, isInteger, isStringLike, T } from '../../types/data-type.js';
import { formatValue } from '../../types/text-conversion.js';
import type { ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount } from '../core/args.js';
import {
  cityHash64,
  crc32,
  hash128to64,
  intHash32,
  intHash64,
  javaHash,
  murmurHash2_32,
  murmurHash2_64,
  murmurHash3_128,
  murmurHash3_32,
  sipHash128,
  sipHash64,
  xxHash32,
  xxHash64,
} from '../core/hash-algorithms.js';

const CATEGORY = 'Hash';
const enc = new TextEncoder();

/** Little-endian bytes of a value in its type's storage width (how ClickHouse hashes non-strings). */
function bytesOf(v: Value, t: DataType, tz: string): Uint8Array {
  if (v === null) return new Uint8Array(0);
  if (typeof v === 'string') return t.kind === 'UUID' ? Uint8Array.from(Buffer.from(v.replace(/-/g, ''), 'hex')) : enc.encode(v);
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    const size = isFloat(t) ? (t.kind === 'Float32' ? 4 : 8) : widthOf(t);
    const dv = new DataView(new ArrayBuffer(size));
    if (isFloat(t)) {
      if (size === 4) dv.setFloat32(0, Number(v), true);
      else dv.setFloat64(0, Number(v), true);
    } else {
      let x = BigInt.asUintN(size * 8, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
      for (let i = 0; i < size; i++) {
        dv.setUint8(i, Number(x & 255n));
        x >>= 8n;
      }
    }
    return new Uint8Array(dv.buffer);
  }
  return enc.encode(formatValue(t, v, tz));
}

function widthOf(t: DataType): number {
  switch (t.kind) {
    case 'Int8':
    case 'UInt8':
    case 'Bool':
    case 'Enum8':
      return 1;
    case 'Int16':
    case 'UInt16':
    case 'Date':
    case 'Enum16':
      return 2;
    case 'Int32':
    case 'UInt32':
    case 'DateTime':
    case 'Date32':
    case 'IPv4':
      return 4;
    case 'Int128':
    case 'UInt128':
      return 16;
    case 'Int256':
    case 'UInt256':
      return 32;
    default:
      return 8;
  }
}

/** 64-bit hashes over any number of arguments, combined like ClickHouse (Hash128to64 of running and next). */
function hash64Function(name: string, description: string, hashBytes: (b: Uint8Array) => bigint, intHashForNumbers: boolean): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x, …)`,
    resolve(args, ctx): ResolvedFunction {
      checkArgCount(name, args, 1, Infinity);
      const types = args.map((a) => a.type);
      return {
        returnType: T.UInt64,
        execute(cols, rows) {
          const b = createBuilder(T.UInt64, rows);
          for (let i = 0; i < rows; i++) {
            let h = 0n;
            for (let k = 0; k < cols.length; k++) {
              const t = types[k]!;
              const v = readValue(t, cols[k]!, i);
              const hk = intHashForNumbers && (isInteger(t) || t.kind === 'Date' || t.kind === 'DateTime' || t.kind === 'Bool') && widthOf(t) <= 8 && v !== null
                ? intHash64(typeof v === 'bigint' ? v : BigInt(Number(v)))
                : hashBytes(bytesOf(v, t, ctx.timezone));
              h = k === 0 ? hk : hash128to64(h, hk);
            }
            b.push(h);
          }
          return b.build();
        },
      };
    },
  };
}

function hash32Function(name: string, description: string, hashBytes: (b: Uint8Array) => number, rt: DataType = T.UInt32): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x, …)`,
    resolve(args, ctx): ResolvedFunction {
      checkArgCount(name, args, 1, Infinity);
      const types = args.map((a) => a.type);
      return {
        returnType: rt,
        execute(cols, rows) {
          const b = createBuilder(rt, rows);
          for (let i = 0; i < rows; i++) {
            let h = 0;
            for (let k = 0; k < cols.length; k++) {
              const hk = hashBytes(bytesOf(readValue(types[k]!, cols[k]!, i), types[k]!, ctx.timezone));
              h = k === 0 ? hk : (intHash32(BigInt(h)) ^ hk) >>> 0;
            }
            b.push(rt.kind === 'Int32' ? h | 0 : h);
          }
          return b.build();
        },
      };
    },
  };
}

function cryptoFunction(name: string, algorithm: string, size: number): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `The ${name} digest of a string as FixedString(${size})`,
    syntax: `${name}(s)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1, Infinity);
      const types = args.map((a) => a.type);
      const rt = fixedStringType(size);
      return {
        returnType: rt,
        execute(cols, rows) {
          const b = createBuilder(rt, rows);
          for (let i = 0; i < rows; i++) {
            const h = createHash(algorithm);
            for (let k = 0; k < cols.length; k++) h.update(bytesOf(readValue(types[k]!, cols[k]!, i), types[k]!, ctx.timezone));
            b.push(h.digest() as unknown as Value);
          }
          return b.build();
        },
      };
    },
  };
}

function intHashFunction(name: string, bits: 32 | 64): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `A ${bits}-bit hash of an integer`,
    syntax: `${name}(n)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      const rt = bits === 32 ? T.UInt32 : T.UInt64;
      return {
        returnType: rt,
        execute(cols, rows) {
          const b = createBuilder(rt, rows);
          for (let i = 0; i < rows; i++) {
            const v = readValue(t, cols[0]!, i);
            const x = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
            b.push(bits === 32 ? intHash32(x) : intHash64(x));
          }
          return b.build();
        },
      };
    },
  };
}

const halfMD5: ScalarFunction = {
  name: 'halfMD5',
  category: CATEGORY,
  description: 'The first 8 bytes of the MD5 digest, read big-endian, as UInt64',
  syntax: 'halfMD5(x, …)',
  resolve(args, ctx) {
    checkArgCount('halfMD5', args, 1, Infinity);
    const types = args.map((a) => a.type);
    return {
      returnType: T.UInt64,
      execute(cols, rows) {
        const b = createBuilder(T.UInt64, rows);
        for (let i = 0; i < rows; i++) {
          const h = createHash('md5');
          for (let k = 0; k < cols.length; k++) h.update(bytesOf(readValue(types[k]!, cols[k]!, i), types[k]!, ctx.timezone));
          b.push(h.digest().readBigUInt64BE(0));
        }
        return b.build();
      },
    };
  },
};

const sipHash128Fn: ScalarFunction = {
  name: 'sipHash128',
  category: CATEGORY,
  description: 'SipHash-2-4 128-bit digest as FixedString(16)',
  syntax: 'sipHash128(x)',
  resolve(args, ctx) {
    checkArgCount('sipHash128', args, 1, Infinity);
    const types = args.map((a) => a.type);
    const rt = fixedStringType(16);
    return {
      returnType: rt,
      execute(cols, rows) {
        const b = createBuilder(rt, rows);
        for (let i = 0; i < rows; i++) {
          const parts = cols.map((c, k) => bytesOf(readValue(types[k]!, c, i), types[k]!, ctx.timezone));
          b.push(Buffer.from(sipHash128(Buffer.concat(parts))) as unknown as Value);
        }
        return b.build();
      },
    };
  },
};

export const hashFunctions: ScalarFunction[] = [
  hash64Function('cityHash64', 'CityHash64 (v1.0.2, as ClickHouse computes it) of the arguments', cityHash64, true),
  hash64Function('farmHash64', 'A 64-bit hash of the arguments (CityHash64-compatible here)', cityHash64, true),
  hash64Function('sipHash64', 'SipHash-2-4 64-bit hash of the arguments', sipHash64, false),
  hash64Function('xxHash64', 'xxHash64 of the arguments', (b) => xxHash64(b), false),
  hash64Function('murmurHash2_64', 'MurmurHash2 64-bit', (b) => murmurHash2_64(b), false),
  hash64Function('murmurHash3_64', 'MurmurHash3 64-bit (x64_128 halves combined)', (b) => { const [a, c] = murmurHash3_128(b); return a ^ c; }, false),
  hash32Function('xxHash32', 'xxHash32 of the arguments', (b) => xxHash32(b)),
  hash32Function('murmurHash2_32', 'MurmurHash2 32-bit', (b) => murmurHash2_32(b)),
  hash32Function('murmurHash3_32', 'MurmurHash3 32-bit', (b) => murmurHash3_32(b)),
  hash32Function('javaHash', "Java's String.hashCode of the bytes", javaHash, T.Int32),
  hash32Function('crc32', 'CRC-32 (IEEE) of the bytes', crc32),
  sipHash128Fn,
  halfMD5,
  cryptoFunction('MD5', 'md5', 16),
  cryptoFunction('SHA1', 'sha1', 20),
  cryptoFunction('SHA224', 'sha224', 28),
  cryptoFunction('SHA256', 'sha256', 32),
  cryptoFunction('SHA384', 'sha384', 48),
  cryptoFunction('SHA512', 'sha512', 64),
  intHashFunction('intHash32', 32),
  intHashFunction('intHash64', 64),
];

export { isStringLike };
