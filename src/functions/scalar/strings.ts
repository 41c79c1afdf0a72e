import { type Column, ConstColumn, NumericColumn, decodeUtf8 } from '../../columns/column.js';
import { StringBuilder } from '../../columns/builder.js';
import { type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { type DataType, isFloat, isInteger, isStringLike, T } from '../../types/data-type.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { rowwise } from '../core/rowwise.js';
import { mapBytes, mapStrings, stringAt, stringInput, utf8Advance, utf8Length, startsWithBytes, endsWithBytes } from '../core/strings.js';
import { toFloat64 } from '../core/columns.js';

const CATEGORY = 'Strings';

function requireString(name: string, args: readonly ArgumentInfo[], i: number): void {
  if (!isStringLike(args[i]!.type)) throw illegalType(name, args[i]!.type, i);
}

function requireInt(name: string, args: readonly ArgumentInfo[], i: number): void {
  const t = args[i]!.type;
  if (!isInteger(t) && t.kind !== 'Bool' && !isFloat(t)) throw illegalType(name, t, i);
}

/** Integer argument values per row (constant-aware). */
function intsOf(col: Column, rows: number): { get: (i: number) => number } {
  if (col.kind === 'const') {
    const inner = col.inner as NumericColumn;
    const v = Number(inner.data[0]);
    return { get: () => v };
  }
  const d = toFloat64((col as NumericColumn).data).data;
  void rows;
  return { get: (i) => d[i]! };
}

function stringToNumber(name: string, description: string, fn: (chars: Uint8Array, s: number, e: number) => number, opts: { rt?: DataType; aliases?: string[]; caseInsensitive?: boolean; arrays?: boolean } = {}): ScalarFunction {
  const rt = opts.rt ?? T.UInt64;
  return {
    name,
    aliases: opts.aliases,
    caseInsensitive: opts.caseInsensitive,
    category: CATEGORY,
    description,
    syntax: `${name}(s)`,
    resolve(args): ResolvedFunction {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      if (opts.arrays && (t.kind === 'Array' || t.kind === 'Map')) return arrayLengthLike(name, rt);
      if (opts.arrays && t.kind === 'UUID') {
        return { returnType: rt, execute: (cols, rows) => uuidEmptiness(name, cols[0]!, rows) };
      }
      requireString(name, args, 0);
      return {
        returnType: rt,
        execute(cols, rows) {
          const s = stringInput(cols[0]!);
          const n = s.isConst ? 1 : rows;
          const out = rt.kind === 'UInt64' ? new BigUint64Array(n) : new Uint8Array(n);
          if (out instanceof BigUint64Array) {
            const w = new Uint32Array(out.buffer);
            for (let i = 0; i < n; i++) w[2 * i] = fn(s.chars, s.offsets[i]!, s.offsets[i + 1]!);
          } else for (let i = 0; i < n; i++) out[i] = fn(s.chars, s.offsets[i]!, s.offsets[i + 1]!);
          const res = new NumericColumn(out);
          return s.isConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

function arrayLengthLike(name: string, rt: DataType): ResolvedFunction {
  return {
    returnType: rt,
    execute(cols, rows) {
      const c = cols[0]!;
      const a = c.kind === 'const' ? c.inner : c;
      if (a.kind !== 'array') throw new Error('expected array');
      const n = c.kind === 'const' ? 1 : rows;
      const out = rt.kind === 'UInt64' ? new BigUint64Array(n) : new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const len = a.offsets[i + 1]! - a.offsets[i]!;
        if (out instanceof BigUint64Array) out[i] = BigInt(len);
        else out[i] = name === 'empty' ? (len === 0 ? 1 : 0) : len !== 0 ? 1 : 0;
      }
      const res = new NumericColumn(out);
      return c.kind === 'const' ? new ConstColumn(res, rows) : res;
    },
  };
}

function uuidEmptiness(name: string, c: Column, rows: number): Column {
  const f = c.kind === 'const' ? c.inner : c;
  if (f.kind !== 'fixed') throw new Error('expected fixed');
  const n = c.kind === 'const' ? 1 : rows;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let zero = true;
    for (let k = 0; k < 16; k++) if (f.data[i * 16 + k]) zero = false;
    out[i] = (name === 'empty') === zero ? 1 : 0;
  }
  const res = new NumericColumn(out);
  return c.kind === 'const' ? new ConstColumn(res, rows) : res;
}

function stringToString(name: string, description: string, kernel: (chars: Uint8Array, s: number, e: number, out: StringBuilder) => void, aliases: string[] = [], caseInsensitive = false): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive,
    category: CATEGORY,
    description,
    syntax: `${name}(s)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      requireString(name, args, 0);
      return { returnType: T.String, execute: (cols, rows) => mapBytes(cols[0]!, rows, kernel) };
    },
  };
}

function asciiCase(upper: boolean) {
  const lo = upper ? 97 : 65;
  const hi = upper ? 122 : 90;
  return (chars: Uint8Array, s: number, e: number, out: StringBuilder) => {
    out.ensureBytes(e - s);
    const at = out.offsets[out.length]!;
    const dst = out.chars;
    for (let i = s; i < e; i++) {
      const c = chars[i]!;
      dst[at + i - s] = c >= lo && c <= hi ? c ^ 32 : c;
    }
    pushWritten(out, at + e - s);
  };
}

/** Finishes a row whose bytes were written directly into the builder. */
function pushWritten(out: StringBuilder, end: number): void {
  if (out.length + 1 >= out.offsets.length) {
    const next = new Uint32Array(out.offsets.length * 2);
    next.set(out.offsets);
    out.offsets = next;
  }
  out.offsets[++out.length] = end;
}

function utf8Case(upper: boolean) {
  return (chars: Uint8Array, s: number, e: number, out: StringBuilder) => {
    let ascii = true;
    for (let i = s; i < e; i++) if (chars[i]! >= 0x80) ascii = false;
    if (ascii) return asciiCase(upper)(chars, s, e, out);
    const str = decodeUtf8(chars, s, e);
    out.pushString(upper ? str.toUpperCase() : str.toLowerCase());
  };
}

const reverseBytes = (chars: Uint8Array, s: number, e: number, out: StringBuilder) => {
  out.ensureBytes(e - s);
  const at = out.offsets[out.length]!;
  for (let i = s; i < e; i++) out.chars[at + (e - 1 - i)] = chars[i]!;
  pushWritten(out, at + e - s);
};

// ------------------------------------------------------------------ concat

function concatResolved(name: string, args: readonly ArgumentInfo[], tz: string, sepIndex: number | undefined): ResolvedFunction {
  const c = { timezone: tz };
  return {
    returnType: T.String,
    execute(cols, rows) {
      const parts = cols.map((col, k) => stringInput(isStringLike(args[k]!.type) ? col : castColumn(col, args[k]!.type, T.String, c)));
      const allConst = parts.every((p) => p.isConst);
      const n = allConst ? 1 : rows;
      let total = 0;
      for (const p of parts) total += p.isConst ? (p.offsets[1]! - p.offsets[0]!) * n : p.offsets[n]! - p.offsets[0]!;
      const b = new StringBuilder(n, total + 16);
      const sep = sepIndex === undefined ? undefined : parts[sepIndex]!;
      for (let i = 0; i < n; i++) {
        b.ensureBytes(0);
        let at = b.offsets[b.length]!;
        let first = true;
        for (let k = 0; k < parts.length; k++) {
          if (k === sepIndex) continue;
          if (sep && !first) {
            const r = sep.isConst ? 0 : i;
            const ss = sep.offsets[r]!;
            const se = sep.offsets[r + 1]!;
            b.chars.set(sep.chars.subarray(ss, se), at);
            at += se - ss;
          }
          first = false;
          const p = parts[k]!;
          const r = p.isConst ? 0 : i;
          const s = p.offsets[r]!;
          const e = p.offsets[r + 1]!;
          if (e - s > 16) b.chars.set(p.chars.subarray(s, e), at);
          else for (let j = s; j < e; j++) b.chars[at + j - s] = p.chars[j]!;
          at += e - s;
        }
        pushWritten(b, at);
      }
      const res = b.build();
      return allConst ? new ConstColumn(res, rows) : res;
    },
  };
}

const concat: ScalarFunction = {
  name: 'concat',
  caseInsensitive: true,
  aliases: ['concatAssumeInjective'],
  category: CATEGORY,
  description: 'Concatenates the arguments (non-strings are converted with toString)',
  syntax: 'concat(s1, s2, …), s1 || s2',
  resolve(args, ctx) {
    checkArgCount('concat', args, 1, Infinity);
    for (const a of args) if (a.type.kind === 'Array' || a.type.kind === 'Map' || a.type.kind === 'Tuple') throw illegalType('concat', a.type);
    return concatResolved('concat', args, ctx.timezone, undefined);
  },
};

const concatWithSeparator: ScalarFunction = {
  name: 'concatWithSeparator',
  aliases: ['concat_ws', 'concatWithSeparatorAssumeInjective'],
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Concatenates the strings with a separator between them',
  syntax: 'concatWithSeparator(sep, s1, s2, …)',
  resolve(args, ctx) {
    checkArgCount('concatWithSeparator', args, 1, Infinity);
    return concatResolved('concatWithSeparator', args, ctx.timezone, 0);
  },
};

// ------------------------------------------------------------------ substrings

function substringFunction(name: string, utf8: boolean, aliases: string[] = [], caseInsensitive = false): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive,
    category: CATEGORY,
    description: `The ${utf8 ? 'code points' : 'bytes'} of s from the 1-based offset (negative counts from the end), optionally limited to length`,
    syntax: `${name}(s, offset[, length])`,
    resolve(args) {
      checkArgCount(name, args, 2, 3);
      requireString(name, args, 0);
      requireInt(name, args, 1);
      if (args.length === 3) requireInt(name, args, 2);
      return {
        returnType: T.String,
        execute(cols, rows) {
          const s = stringInput(cols[0]!);
          const offs = intsOf(cols[1]!, rows);
          const lens = cols.length === 3 ? intsOf(cols[2]!, rows) : undefined;
          const allConst = cols.every((c) => c.kind === 'const');
          const n = allConst ? 1 : rows;
          const b = new StringBuilder(n, s.offsets[s.isConst ? 1 : n]! + 16);
          for (let i = 0; i < n; i++) {
            const r = s.isConst ? 0 : i;
            const start = s.offsets[r]!;
            const end = s.offsets[r + 1]!;
            const size = utf8 ? utf8Length(s.chars, start, end) : end - start;
            let off = Math.trunc(offs.get(i));
            let from: number;
            if (off > 0) from = off - 1;
            else if (off < 0) from = size + off;
            else from = size; // offset 0 gives an empty string
            let count = lens ? Math.trunc(lens.get(i)) : size;
            if (lens && count < 0) count = Math.max(0, size + count - Math.max(from, 0));
            if (from < 0) {
              count += from;
              from = 0;
            }
            if (count <= 0 || from >= size) {
              b.pushDefault();
              continue;
            }
            const to = Math.min(size, from + count);
            if (utf8) {
              const bs = utf8Advance(s.chars, start, end, from);
              const be = utf8Advance(s.chars, bs, end, to - from);
              b.pushBytes(s.chars, bs, be);
            } else b.pushBytes(s.chars, start + from, start + to);
            void off;
            off = 0;
          }
          const res = b.build();
          return allConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

function leftRight(name: string, left: boolean, utf8: boolean): ScalarFunction {
  return rowwise({
    name,
    caseInsensitive: !utf8,
    category: CATEGORY,
    description: `The ${left ? 'first' : 'last'} n ${utf8 ? 'code points' : 'bytes'} of s (negative n: all but the ${left ? 'last' : 'first'} |n|)`,
    syntax: `${name}(s, n)`,
    minArgs: 2,
    bind(args) {
      requireString(name, args, 0);
      requireInt(name, args, 1);
      return {
        returnType: T.String,
        row(v) {
          const s = String(v[0]);
          const n = Math.trunc(Number(v[1]));
          if (utf8) {
            const cps = Array.from(s);
            const len = cps.length;
            const k = n >= 0 ? Math.min(n, len) : Math.max(0, len + n);
            return left ? cps.slice(0, k).join('') : cps.slice(len - k).join('');
          }
          const bytes = new TextEncoder().encode(s);
          const len = bytes.length;
          const k = n >= 0 ? Math.min(n, len) : Math.max(0, len + n);
          return new TextDecoder().decode(left ? bytes.subarray(0, k) : bytes.subarray(len - k));
        },
      };
    },
  });
}

// ------------------------------------------------------------------ trim, pad, repeat

function isTrimmable(c: number, set: Uint8Array | undefined): boolean {
  if (!set) return c === 32;
  for (let k = 0; k < set.length; k++) if (set[k] === c) return true;
  return false;
}

function trimFunction(name: string, left: boolean, right: boolean, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: true,
    category: CATEGORY,
    description: `Removes ${left && right ? 'leading and trailing' : left ? 'leading' : 'trailing'} spaces (or the given characters)`,
    syntax: `${name}(s[, characters])`,
    resolve(args) {
      checkArgCount(name, args, 1, 2);
      requireString(name, args, 0);
      let set: Uint8Array | undefined;
      if (args.length === 2) {
        const v = args[1]!.constant?.value;
        if (typeof v !== 'string') throw new DbError('ILLEGAL_COLUMN', `Second argument of function ${name} must be a constant string`);
        set = new TextEncoder().encode(v);
      }
      return {
        returnType: T.String,
        execute: (cols, rows) =>
          mapBytes(cols[0]!, rows, (chars, s, e, out) => {
            let a = s;
            let b = e;
            if (left) while (a < b && isTrimmable(chars[a]!, set)) a++;
            if (right) while (b > a && isTrimmable(chars[b - 1]!, set)) b--;
            out.pushBytes(chars, a, b);
          }),
      };
    },
  };
}

function padFunction(name: string, left: boolean, utf8: boolean, aliases: string[] = []): ScalarFunction {
  return rowwise({
    name,
    aliases,
    caseInsensitive: !utf8,
    category: CATEGORY,
    description: `Pads s on the ${left ? 'left' : 'right'} to length ${utf8 ? 'code points' : 'bytes'} with pad (default space); longer strings are truncated`,
    syntax: `${name}(s, length[, pad])`,
    minArgs: 2,
    maxArgs: 3,
    bind(args) {
      requireString(name, args, 0);
      requireInt(name, args, 1);
      return {
        returnType: T.String,
        row(v) {
          const s = String(v[0]);
          const len = Math.trunc(Number(v[1]));
          const pad = v.length > 2 ? String(v[2]) : ' ';
          if (len < 0) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Illegal value of length argument of function ${name}`);
          if (utf8) {
            const cps = Array.from(s);
            if (cps.length >= len) return cps.slice(0, len).join('');
            const padCps = Array.from(pad);
            if (!padCps.length) return s;
            const need = len - cps.length;
            const fill: string[] = [];
            for (let i = 0; i < need; i++) fill.push(padCps[i % padCps.length]!);
            return left ? fill.join('') + s : s + fill.join('');
          }
          const enc = new TextEncoder();
          const bytes = enc.encode(s);
          if (bytes.length >= len) return new TextDecoder().decode(bytes.subarray(0, len));
          const pb = enc.encode(pad);
          if (!pb.length) return s;
          const need = len - bytes.length;
          const fill = new Uint8Array(need);
          for (let i = 0; i < need; i++) fill[i] = pb[i % pb.length]!;
          const out = new Uint8Array(len);
          if (left) {
            out.set(fill);
            out.set(bytes, need);
          } else {
            out.set(bytes);
            out.set(fill, bytes.length);
          }
          return new TextDecoder().decode(out);
        },
      };
    },
  });
}

const repeat = rowwise({
  name: 'repeat',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'The string repeated n times',
  syntax: 'repeat(s, n)',
  minArgs: 2,
  bind(args) {
    requireString('repeat', args, 0);
    requireInt('repeat', args, 1);
    return {
      returnType: T.String,
      row(v) {
        const n = Number(v[1]);
        if (n > 1e6) throw new DbError('TOO_LARGE_STRING_SIZE', 'Too large string size in function repeat');
        return n <= 0 ? '' : String(v[0]).repeat(n);
      },
    };
  },
});

const space = rowwise({
  name: 'space',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'A string of n spaces',
  syntax: 'space(n)',
  minArgs: 1,
  bind(args) {
    requireInt('space', args, 0);
    return { returnType: T.String, row: (v) => ' '.repeat(Math.max(0, Math.min(1e6, Number(v[0])))) };
  },
});

function boolOfStrings(name: string, description: string, test: (chars: Uint8Array, s: number, e: number, p: Uint8Array, ps: number, pe: number) => boolean): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(s, prefix)`,
    resolve(args) {
      checkArgCount(name, args, 2);
      requireString(name, args, 0);
      requireString(name, args, 1);
      return {
        returnType: T.UInt8,
        execute(cols, rows) {
          const a = stringInput(cols[0]!);
          const b = stringInput(cols[1]!);
          const allConst = a.isConst && b.isConst;
          const n = allConst ? 1 : rows;
          const out = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            const ra = a.isConst ? 0 : i;
            const rb = b.isConst ? 0 : i;
            out[i] = test(a.chars, a.offsets[ra]!, a.offsets[ra + 1]!, b.chars, b.offsets[rb]!, b.offsets[rb + 1]!) ? 1 : 0;
          }
          const res = new NumericColumn(out);
          return allConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

// ------------------------------------------------------------------ format

function formatPattern(pattern: string, values: string[]): string {
  let out = '';
  let auto = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '{') {
      if (pattern[i + 1] === '{') {
        out += '{';
        i++;
        continue;
      }
      const close = pattern.indexOf('}', i);
      if (close < 0) throw new DbError('BAD_ARGUMENTS', 'Unclosed { in format pattern');
      const inside = pattern.slice(i + 1, close);
      const idx = inside === '' ? auto++ : Number(inside);
      if (!Number.isInteger(idx) || idx < 0 || idx >= values.length) throw new DbError('BAD_ARGUMENTS', `Argument index ${inside} is out of range in format pattern`);
      out += values[idx]!;
      i = close;
    } else if (c === '}') {
      if (pattern[i + 1] === '}') i++;
      out += '}';
    } else out += c;
  }
  return out;
}

const format: ScalarFunction = {
  name: 'format',
  category: CATEGORY,
  description: "Formats the arguments into the pattern: {} takes the next argument, {N} argument N, {{ and }} are braces",
  syntax: "format(pattern, s0, s1, …)",
  resolve(args, ctx) {
    checkArgCount('format', args, 1, Infinity);
    const c = { timezone: ctx.timezone };
    return {
      returnType: T.String,
      execute(cols, rows) {
        const strs = cols.map((col, k) => stringInput(isStringLike(args[k]!.type) ? col : castColumn(col, args[k]!.type, T.String, c)));
        const allConst = strs.every((s) => s.isConst);
        const n = allConst ? 1 : rows;
        const b = new StringBuilder(n);
        for (let i = 0; i < n; i++) b.pushString(formatPattern(stringAt(strs[0]!, i), strs.slice(1).map((s) => stringAt(s, i))));
        const res = b.build();
        return allConst ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

// ------------------------------------------------------------------ misc rowwise

function rowString(name: string, description: string, argc: [number, number], row: (v: Value[]) => Value, rt: DataType = T.String, extra: { aliases?: string[]; caseInsensitive?: boolean } = {}): ScalarFunction {
  return rowwise({
    name,
    ...extra,
    category: CATEGORY,
    description,
    syntax: `${name}(s)`,
    minArgs: argc[0],
    maxArgs: argc[1],
    bind: () => ({ returnType: rt, row }),
  });
}

function toValidUTF8(s: string): string {
  // TextDecoder already replaced invalid sequences with U+FFFD when the column was decoded
  return s;
}

const initcap = (s: string) => s.replace(/[\p{L}\p{N}]+/gu, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());

export const stringFunctions: ScalarFunction[] = [
  stringToNumber('length', 'Length in bytes of a string, or number of elements of an array or map', (_c, s, e) => e - s, { aliases: ['octet_length', 'OCTET_LENGTH'], caseInsensitive: true, arrays: true }),
  stringToNumber('lengthUTF8', 'Length of a string in Unicode code points', utf8Length, { aliases: ['char_length', 'CHAR_LENGTH', 'character_length', 'CHARACTER_LENGTH'], caseInsensitive: true }),
  stringToNumber('empty', 'Returns 1 for an empty string, array or map (or the zero UUID)', (_c, s, e) => (e === s ? 1 : 0), { rt: T.UInt8, arrays: true }),
  stringToNumber('notEmpty', 'Returns 1 for a non-empty string, array or map', (_c, s, e) => (e !== s ? 1 : 0), { rt: T.UInt8, arrays: true }),
  stringToNumber('isValidUTF8', 'Returns 1 when the bytes are valid UTF-8', (c, s, e) => (isValidUtf8(c, s, e) ? 1 : 0), { rt: T.UInt8 }),
  stringToNumber('ascii', 'The code of the first byte of the string (0 when empty)', (c, s, e) => (e > s ? c[s]! : 0), { rt: T.Int32 }),
  stringToString('lower', 'Converts ASCII letters to lowercase', asciiCase(false), ['lcase'], true),
  stringToString('upper', 'Converts ASCII letters to uppercase', asciiCase(true), ['ucase'], true),
  stringToString('lowerUTF8', 'Converts a UTF-8 string to lowercase', utf8Case(false)),
  stringToString('upperUTF8', 'Converts a UTF-8 string to uppercase', utf8Case(true)),
  stringToString('reverseUTF8', 'Reverses the code points of a UTF-8 string', (c, s, e, out) => out.pushString(Array.from(decodeUtf8(c, s, e)).reverse().join(''))),
  rowString('toValidUTF8', 'Replaces invalid UTF-8 sequences with U+FFFD', [1, 1], (v) => toValidUTF8(String(v[0]))),
  rowString('initcap', 'Capitalises the first letter of every word', [1, 1], (v) => initcap(String(v[0]))),
  concat,
  concatWithSeparator,
  substringFunction('substring', false, ['substr', 'mid', 'byteSlice'], true),
  substringFunction('substringUTF8', true),
  leftRight('left', true, false),
  leftRight('right', false, false),
  leftRight('leftUTF8', true, true),
  leftRight('rightUTF8', false, true),
  trimFunction('trimBoth', true, true, ['trim']),
  trimFunction('trimLeft', true, false, ['ltrim']),
  trimFunction('trimRight', false, true, ['rtrim']),
  padFunction('leftPad', true, false, ['lpad']),
  padFunction('rightPad', false, false, ['rpad']),
  padFunction('leftPadUTF8', true, true),
  padFunction('rightPadUTF8', false, true),
  repeat,
  space,
  boolOfStrings('startsWith', 'Returns 1 when s starts with prefix', (c, s, e, p, ps, pe) => startsWithBytes(c, s, e, p.subarray(ps, pe))),
  boolOfStrings('endsWith', 'Returns 1 when s ends with suffix', (c, s, e, p, ps, pe) => endsWithBytes(c, s, e, p.subarray(ps, pe))),
  format,
  mapStringsMarker(),
];

function mapStringsMarker(): ScalarFunction {
  // translate(s, from, to): byte-for-byte replacement; characters of `from` beyond `to` are deleted
  return rowwise({
    name: 'translate',
    category: CATEGORY,
    description: 'Replaces characters of s found in `from` with the character at the same position in `to`',
    syntax: 'translate(s, from, to)',
    minArgs: 3,
    bind(args) {
      requireString('translate', args, 0);
      return {
        returnType: T.String,
        row(v) {
          const from = Array.from(String(v[1]));
          const to = Array.from(String(v[2]));
          const map = new Map<string, string>();
          from.forEach((ch, i) => {
            if (!map.has(ch)) map.set(ch, to[i] ?? '');
          });
          return Array.from(String(v[0]), (ch) => map.get(ch) ?? ch).join('');
        },
      };
    },
  });
}

export function isValidUtf8(c: Uint8Array, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    const b = c[i]!;
    let n: number;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return false;
    if (i + n >= e + (n ? 0 : 1) && n) return false;
    for (let k = 1; k <= n; k++) if (i + k >= e || (c[i + k]! & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

export const reverseBytesKernel = reverseBytes;
export { mapStrings };
