import { arrayType, type DataType, fixedStringType, isInteger, isStringLike, T } from '../../types/data-type.js';
import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import type { ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, illegalType } from '../core/args.js';
import { compileRegexp } from '../core/regexp.js';
import { rowwise } from '../core/rowwise.js';
import { convertValue } from '../core/cast.js';
import { stringRow } from './string-search.js';

const CATEGORY = 'String';

function groupCount(pattern: string): number {
  return new RegExp(`${compileRegexp(pattern).source}|`).exec('')!.length - 1;
}

const extractGroups = stringRow('extractGroups', 'The groups of the first match of the regular expression (empty strings when it does not match)', 'extractGroups(s, pattern)', [2, 2], arrayType(T.String), ([s, p]) => {
  const n = groupCount(p!);
  if (n === 0) throw new DbError('BAD_ARGUMENTS', `There are no groups in regexp: ${p}`);
  const m = compileRegexp(p!).exec(s!);
  if (!m) return new Array<string>(n).fill('');
  return m.slice(1).map((g) => g ?? '');
});

const extractAllGroupsHorizontal = stringRow('extractAllGroupsHorizontal', 'All matches of the regular expression, as one array per group', 'extractAllGroupsHorizontal(s, pattern)', [2, 2], arrayType(arrayType(T.String)), ([s, p]) => {
  const n = groupCount(p!);
  if (n === 0) throw new DbError('BAD_ARGUMENTS', `There are no groups in regexp: ${p}`);
  const out: string[][] = Array.from({ length: n }, () => []);
  for (const m of s!.matchAll(compileRegexp(p!, '', true))) {
    for (let k = 0; k < n; k++) out[k]!.push(m[k + 1] ?? '');
    if (m[0] === '') break;
  }
  return out;
});

const regexpQuoteMeta = stringRow('regexpQuoteMeta', 'Adds a backslash before the characters that have a special meaning in regular expressions: \\0 \\ | ( ) ^ $ . [ ] ? * + { : -', 'regexpQuoteMeta(s)', [1, 1], T.String, ([s]) =>
  s!.replace(/[\0\\|()^$.[\]?*+{:-]/g, (c) => (c === '\0' ? '\\0' : `\\${c}`)),
);

const countSubstringsCaseInsensitiveUTF8 = stringRow('countSubstringsCaseInsensitiveUTF8', 'countSubstrings ignoring case (UTF-8)', 'countSubstringsCaseInsensitiveUTF8(haystack, needle)', [2, 2], T.UInt64, ([s, n]) => {
  if (!n) return 0n;
  const h = s!.toLowerCase();
  const nn = n.toLowerCase();
  let c = 0;
  for (let at = h.indexOf(nn); at >= 0; at = h.indexOf(nn, at + nn.length)) c++;
  return BigInt(c);
});

const appendTrailingCharIfAbsent = stringRow('appendTrailingCharIfAbsent', 'Appends the character c to s when s is not empty and does not end with it', 'appendTrailingCharIfAbsent(s, c)', [2, 2], T.String, ([s, c]) => {
  if (c!.length !== 1) throw new DbError('BAD_ARGUMENTS', 'Second argument of function appendTrailingCharIfAbsent must be a one-character string');
  return s === '' || s!.endsWith(c!) ? s : s + c;
});

// ------------------------------------------------------------------ ngramDistance

const MAX_STRING_SIZE = 1 << 15;

function grams(s: string, n: number, utf8: boolean, ci: boolean): Map<string, number> {
  let t = s;
  if (ci) t = utf8 ? t.toLowerCase() : t.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const units = utf8 ? Array.from(t) : Array.from(new TextEncoder().encode(t), (b) => String.fromCharCode(b));
  const m = new Map<string, number>();
  for (let i = 0; i + n <= units.length; i++) {
    const g = units.slice(i, i + n).join('');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function ngramDistance(name: string, utf8: boolean, ci: boolean): ScalarFunction {
  const n = utf8 ? 3 : 4;
  return stringRow(name, `The 4-gram (UTF-8: 3-gram) distance between two strings${ci ? ', ignoring case' : ''}: 0 for equal strings, 1 for nothing in common`, `${name}(haystack, needle)`, [2, 2], T.Float32, ([a, b]) => {
    if (a!.length > MAX_STRING_SIZE || b!.length > MAX_STRING_SIZE) return 1;
    const x = grams(a!, n, utf8, ci);
    const y = grams(b!, n, utf8, ci);
    let total = 0;
    let diff = 0;
    for (const [g, c] of x) {
      total += c;
      diff += Math.abs(c - (y.get(g) ?? 0));
    }
    for (const [g, c] of y) {
      total += c;
      if (!x.has(g)) diff += c;
    }
    return total === 0 ? 0 : Math.fround(diff / total);
  });
}

// ------------------------------------------------------------------ char, visibleWidth, toJSONString, randomFixedString

const charFn = rowwise({
  name: 'char',
  category: CATEGORY,
  description: 'A string of the bytes given as numbers (each taken modulo 256)',
  syntax: 'char(n1, n2, …)',
  minArgs: 1,
  maxArgs: Infinity,
  bind(args) {
    args.forEach((a, i) => {
      if (!isInteger(a.type) && a.type.kind !== 'Float32' && a.type.kind !== 'Float64' && a.type.kind !== 'Decimal') throw illegalType('char', a.type, i);
    });
    return {
      returnType: T.String,
      row(v) {
        const bytes = Uint8Array.from(v, (x) => Number(BigInt.asUintN(8, BigInt(Math.trunc(Number(x))))));
        return bytes as unknown as Value;
      },
    };
  },
});

function textOf(v: Value, t: DataType): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return v;
  try {
    const s = convertValue(v, t, T.String, { timezone: 'UTC' } as never);
    return typeof s === 'string' ? s : String(s);
  } catch {
    return String(v);
  }
}

const visibleWidth = rowwise({
  name: 'visibleWidth',
  handlesNulls: true,
  category: CATEGORY,
  description: 'The approximate width of the value when output in a text format (code points of its text form)',
  syntax: 'visibleWidth(x)',
  minArgs: 1,
  bind(args) {
    const t = args[0]!.type;
    return { returnType: T.UInt64, row: (v) => BigInt(Array.from(textOf(v[0]!, t)).length) };
  },
});

function jsonQuote(s: string): string {
  return JSON.stringify(s).replace(/\//g, '\\/');
}

function toJson(v: Value, t: DataType): string {
  if (v === null) return 'null';
  switch (t.kind) {
    case 'Nullable':
    case 'LowCardinality':
      return toJson(v, t.inner);
    case 'Bool':
      return v ? 'true' : 'false';
    case 'UInt8': case 'UInt16': case 'UInt32': case 'Int8': case 'Int16': case 'Int32':
      return String(v);
    case 'Float32': case 'Float64': {
      const x = Number(v);
      return Number.isFinite(x) ? String(x) : 'null';
    }
    case 'Int64': case 'UInt64': case 'Int128': case 'UInt128': case 'Int256': case 'UInt256':
      return `"${String(v)}"`;
    case 'String': case 'FixedString':
      return jsonQuote(typeof v === 'string' ? v : new TextDecoder().decode(v as Uint8Array));
    case 'Array':
      return `[${(v as Value[]).map((x) => toJson(x, t.element)).join(',')}]`;
    case 'Map':
      return `{${(v as Value[][]).map(([k, x]) => `${jsonQuote(textOf(k!, t.key))}:${toJson(x!, t.value)}`).join(',')}}`;
    case 'Tuple': {
      const vals = v as Value[];
      if (t.names && t.names.length) return `{${vals.map((x, k) => `${jsonQuote(t.names![k]!)}:${toJson(x, t.elements[k]!)}`).join(',')}}`;
      return `[${vals.map((x, k) => toJson(x, t.elements[k]!)).join(',')}]`;
    }
    default:
      return jsonQuote(textOf(v, t));
  }
}

const toJSONString = rowwise({
  name: 'toJSONString',
  handlesNulls: true,
  category: CATEGORY,
  description: 'Serializes a value to its JSON representation (64-bit integers quoted, as output_format_json_quote_64bit_integers)',
  syntax: 'toJSONString(value)',
  minArgs: 1,
  bind(args) {
    const t = args[0]!.type;
    return { returnType: T.String, row: (v) => toJson(v[0]!, t) };
  },
});

const randomFixedString: ScalarFunction = {
  name: 'randomFixedString',
  category: CATEGORY,
  nonDeterministic: true,
  description: 'A FixedString(length) of random bytes',
  syntax: 'randomFixedString(length)',
  resolve(args, ctx) {
    checkArgCount('randomFixedString', args, 1, 1);
    if (!isInteger(args[0]!.type)) throw illegalType('randomFixedString', args[0]!.type, 0);
    const n = constNumber('randomFixedString', args, 0);
    if (n <= 0 || n > 0xffffff) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal length ${n} for function randomFixedString`);
    const rt = fixedStringType(n);
    return rowwise({
      name: 'randomFixedString',
      category: CATEGORY,
      description: '',
      minArgs: 1,
      bind: () => ({
        returnType: rt,
        row: () => {
          const b = new Uint8Array(n);
          for (let i = 0; i < n; i++) b[i] = (Math.random() * 256) | 0;
          return b as unknown as Value;
        },
      }),
    }).resolve(args, ctx);
  },
};
void isStringLike;

export const stringMiscFunctions: ScalarFunction[] = [
  extractGroups,
  extractAllGroupsHorizontal,
  regexpQuoteMeta,
  countSubstringsCaseInsensitiveUTF8,
  appendTrailingCharIfAbsent,
  ngramDistance('ngramDistance', false, false),
  ngramDistance('ngramDistanceUTF8', true, false),
  ngramDistance('ngramDistanceCaseInsensitive', false, true),
  ngramDistance('ngramDistanceCaseInsensitiveUTF8', true, true),
  charFn,
  visibleWidth,
  toJSONString,
  randomFixedString,
];
