import { ArrayColumn, type Column, ConstColumn, NumericColumn, StringColumn } from '../../columns/column.js';
import { StringBuilder } from '../../columns/builder.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, isStringLike, T } from '../../types/data-type.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constString, illegalType } from '../core/args.js';
import { compileRegexp, likeToRegexp, replacementFn, simpleLike } from '../core/regexp.js';
import { endsWithBytes, indexOfBytes, startsWithBytes, stringAt, stringInput } from '../core/strings.js';
import { rowwise } from '../core/rowwise.js';
import { toFloat64 } from '../core/columns.js';

const CATEGORY = 'String Search';
const enc = new TextEncoder();

function requireString(name: string, args: readonly ArgumentInfo[], i: number): void {
  if (!isStringLike(args[i]!.type)) throw illegalType(name, args[i]!.type, i);
}

function u8(n: number, rows: number, fill: (out: Uint8Array) => void, allConst: boolean): Column {
  const out = new Uint8Array(n);
  fill(out);
  const res = new NumericColumn(out);
  return allConst ? new ConstColumn(res, rows) : res;
}

// ------------------------------------------------------------------ position

function positionFunction(name: string, caseInsensitive: boolean, utf8: boolean, needleFirst = false, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: name === 'position' || name === 'locate',
    category: CATEGORY,
    description: `1-based ${utf8 ? 'code point' : 'byte'} position of the first occurrence of needle in haystack${caseInsensitive ? ' ignoring case' : ''}, 0 if absent`,
    syntax: needleFirst ? `${name}(needle, haystack[, start])` : `${name}(haystack, needle[, start])`,
    resolve(args): ResolvedFunction {
      checkArgCount(name, args, 2, 3);
      const hi = needleFirst ? 1 : 0;
      const ni = needleFirst ? 0 : 1;
      requireString(name, args, hi);
      requireString(name, args, ni);
      return {
        returnType: T.UInt64,
        execute(cols, rows) {
          const h = stringInput(cols[hi]!);
          const nd = stringInput(cols[ni]!);
          const startCol = cols[2];
          const starts = startCol ? (startCol.kind === 'const' ? undefined : toFloat64((startCol as NumericColumn).data).data) : undefined;
          const startConst = startCol && startCol.kind === 'const' ? Number((startCol.inner as NumericColumn).data[0]) : 1;
          const allConst = h.isConst && nd.isConst && (!startCol || startCol.kind === 'const');
          const n = allConst ? 1 : rows;
          const out = new BigUint64Array(n);
          const w = new Uint32Array(out.buffer);
          const constNeedle = nd.isConst && !caseInsensitive ? nd.chars.subarray(nd.offsets[0]!, nd.offsets[1]!) : undefined;
          for (let i = 0; i < n; i++) {
            const start = Math.max(1, starts ? starts[i]! : startConst);
            const rh = h.isConst ? 0 : i;
            const hs = h.offsets[rh]!;
            const he = h.offsets[rh + 1]!;
            if (constNeedle && !utf8) {
              const from = hs + start - 1;
              if (from > he) continue;
              const at = indexOfBytes(h.chars, from, he, constNeedle);
              w[2 * i] = at < 0 ? 0 : at - hs + 1;
              continue;
            }
            let hay = stringAt(h, i);
            let needle = stringAt(nd, i);
            if (caseInsensitive) {
              hay = utf8 ? hay.toLowerCase() : asciiLower(hay);
              needle = utf8 ? needle.toLowerCase() : asciiLower(needle);
            }
            if (utf8) {
              const cps = Array.from(hay);
              const fromCp = start - 1;
              if (fromCp > cps.length) continue;
              const prefix = cps.slice(0, fromCp).join('');
              const at = hay.indexOf(needle, prefix.length);
              w[2 * i] = at < 0 ? 0 : Array.from(hay.slice(0, at)).length + 1;
            } else {
              const hb = enc.encode(hay);
              const nb = enc.encode(needle);
              if (start - 1 > hb.length) continue;
              const at = indexOfBytes(hb, start - 1, hb.length, nb);
              w[2 * i] = at < 0 ? 0 : at + 1;
            }
          }
          const res = new NumericColumn(out);
          return allConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 32));
}

// ------------------------------------------------------------------ like / match

function likeFunction(name: string, caseInsensitive: boolean, negate: boolean): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `${negate ? 'Returns 1 when s does not match' : 'Returns 1 when s matches'} the LIKE pattern (% any, _ one character${caseInsensitive ? ', ignoring case' : ''})`,
    syntax: `${name}(s, pattern), s ${negate ? 'NOT ' : ''}${caseInsensitive ? 'ILIKE' : 'LIKE'} pattern`,
    resolve(args) {
      checkArgCount(name, args, 2);
      requireString(name, args, 0);
      requireString(name, args, 1);
      const hit = negate ? 0 : 1;
      return {
        returnType: T.UInt8,
        execute(cols, rows) {
          const s = stringInput(cols[0]!);
          const p = stringInput(cols[1]!);
          const allConst = s.isConst && p.isConst;
          const n = allConst ? 1 : rows;
          if (p.isConst) {
            const pattern = stringAt(p, 0);
            const simple = caseInsensitive ? undefined : simpleLike(pattern);
            if (simple) {
              const lit = enc.encode(simple.literal);
              return u8(n, rows, (out) => {
                for (let i = 0; i < n; i++) {
                  const st = s.offsets[i]!;
                  const en = s.offsets[i + 1]!;
                  let m: boolean;
                  switch (simple.kind) {
                    case 'contains':
                      m = indexOfBytes(s.chars, st, en, lit) >= 0;
                      break;
                    case 'prefix':
                      m = startsWithBytes(s.chars, st, en, lit);
                      break;
                    case 'suffix':
                      m = endsWithBytes(s.chars, st, en, lit);
                      break;
                    default:
                      m = en - st === lit.length && startsWithBytes(s.chars, st, en, lit);
                  }
                  out[i] = m ? hit : 1 - hit;
                }
              }, allConst);
            }
            const re = likeToRegexp(pattern, caseInsensitive);
            return u8(n, rows, (out) => {
              for (let i = 0; i < n; i++) out[i] = re.test(stringAt(s, i)) ? hit : 1 - hit;
            }, allConst);
          }
          return u8(n, rows, (out) => {
            for (let i = 0; i < n; i++) out[i] = likeToRegexp(stringAt(p, i), caseInsensitive).test(stringAt(s, i)) ? hit : 1 - hit;
          }, allConst);
        },
      };
    },
  };
}

const match: ScalarFunction = {
  name: 'match',
  aliases: ['REGEXP_MATCHES', 'regexpMatches'],
  category: CATEGORY,
  description: 'Returns 1 when s matches the re2 regular expression',
  syntax: 'match(s, pattern), s REGEXP pattern',
  resolve(args) {
    checkArgCount('match', args, 2);
    requireString('match', args, 0);
    requireString('match', args, 1);
    return {
      returnType: T.UInt8,
      execute(cols, rows) {
        const s = stringInput(cols[0]!);
        const p = stringInput(cols[1]!);
        const allConst = s.isConst && p.isConst;
        const n = allConst ? 1 : rows;
        return u8(n, rows, (out) => {
          for (let i = 0; i < n; i++) {
            const re = compileRegexp(stringAt(p, i));
            re.lastIndex = 0;
            out[i] = re.test(stringAt(s, i)) ? 1 : 0;
          }
        }, allConst);
      },
    };
  },
};

export function stringRow(name: string, description: string, syntax: string, argc: [number, number], returnType: DataType, row: (v: string[]) => unknown, aliases: string[] = []): ScalarFunction {
  return rowwise({
    name,
    aliases,
    category: CATEGORY,
    description,
    syntax,
    minArgs: argc[0],
    maxArgs: argc[1],
    bind(args) {
      args.forEach((_, i) => requireString(name, args, i));
      return { returnType, row: (v) => row(v.map((x) => String(x))) as never };
    },
  });
}

const extract = stringRow('extract', 'The first match of the regular expression (its first group when it has one), else empty', 'extract(s, pattern)', [2, 2], T.String, ([s, p]) => {
  const m = compileRegexp(p!).exec(s!);
  if (!m) return '';
  return m.length > 1 ? (m[1] ?? '') : m[0];
}, ['regexpExtractFirst']);

const extractAll = stringRow('extractAll', 'All matches of the regular expression (first group when it has one)', 'extractAll(s, pattern)', [2, 2], arrayType(T.String), ([s, p]) => {
  const re = compileRegexp(p!, '', true);
  re.lastIndex = 0;
  const out: string[] = [];
  for (const m of s!.matchAll(re)) {
    out.push(m.length > 1 ? (m[1] ?? '') : m[0]);
    if (m[0] === '') break;
  }
  return out;
});

const extractAllGroupsHorizontal = stringRow('extractAllGroupsVertical', 'Every match as an array of its groups', 'extractAllGroupsVertical(s, pattern)', [2, 2], arrayType(arrayType(T.String)), ([s, p]) => {
  const re = compileRegexp(p!, '', true);
  const out: string[][] = [];
  for (const m of s!.matchAll(re)) {
    out.push(m.slice(1).map((g) => g ?? ''));
    if (m[0] === '') break;
  }
  return out;
}, ['extractAllGroups']);

const regexpExtract = stringRow('regexpExtract', 'The given group (default 1) of the first match', 'regexpExtract(s, pattern[, group])', [2, 3], T.String, ([s, p, g]) => {
  const m = compileRegexp(p!).exec(s!);
  const idx = g === undefined ? 1 : Number(g);
  return m ? (m[idx] ?? '') : '';
}, ['REGEXP_EXTRACT']);

// ------------------------------------------------------------------ replace

function replaceFunction(name: string, mode: 'one' | 'all' | 'regexpOne' | 'regexpAll', aliases: string[] = []): ScalarFunction {
  return rowwise({
    name,
    aliases,
    caseInsensitive: name === 'replace',
    category: CATEGORY,
    description:
      mode === 'one'
        ? 'Replaces the first occurrence of a substring'
        : mode === 'all'
          ? 'Replaces every occurrence of a substring'
          : mode === 'regexpOne'
            ? 'Replaces the first match of a regular expression (\\0-\\9 refer to groups)'
            : 'Replaces every match of a regular expression (\\0-\\9 refer to groups)',
    syntax: `${name}(haystack, pattern, replacement)`,
    minArgs: 3,
    bind(args) {
      for (let i = 0; i < 3; i++) requireString(name, args, i);
      return {
        returnType: T.String,
        row(v) {
          const s = String(v[0]);
          const p = String(v[1]);
          const r = String(v[2]);
          if (mode === 'one') return p === '' ? s : s.replace(p, () => r);
          if (mode === 'all') return p === '' ? s : s.split(p).join(r);
          const re = compileRegexp(p, '', mode === 'regexpAll');
          re.lastIndex = 0;
          return s.replace(re, replacementFn(r));
        },
      };
    },
  });
}

// ------------------------------------------------------------------ counting, tokens

const countSubstrings = stringRow('countSubstrings', 'Number of non-overlapping occurrences of needle', 'countSubstrings(haystack, needle)', [2, 2], T.UInt64, ([s, n]) => {
  if (!n) return 0n;
  let c = 0;
  let at = s!.indexOf(n!);
  while (at >= 0) {
    c++;
    at = s!.indexOf(n!, at + n!.length);
  }
  return BigInt(c);
});

const countSubstringsCaseInsensitive = stringRow('countSubstringsCaseInsensitive', 'countSubstrings ignoring ASCII case', 'countSubstringsCaseInsensitive(haystack, needle)', [2, 2], T.UInt64, ([s, n]) => {
  if (!n) return 0n;
  const h = asciiLower(s!);
  const nn = asciiLower(n!);
  let c = 0;
  let at = h.indexOf(nn);
  while (at >= 0) {
    c++;
    at = h.indexOf(nn, at + nn.length);
  }
  return BigInt(c);
});

const countMatches = stringRow('countMatches', 'Number of matches of the regular expression', 'countMatches(haystack, pattern)', [2, 2], T.UInt64, ([s, p]) => {
  const re = compileRegexp(p!, '', true);
  let c = 0;
  for (const m of s!.matchAll(re)) {
    if (m[0] === '') break;
    c++;
  }
  return BigInt(c);
});

const hasToken = stringRow('hasToken', 'Returns 1 when the token (a run of alphanumerics) occurs in the haystack', 'hasToken(haystack, token)', [2, 2], T.UInt8, ([s, t]) => {
  if (!t) return 0;
  const re = new RegExp(`(^|[^A-Za-z0-9_\\x80-\\uffff])${t!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_\\x80-\\uffff])`);
  return re.test(s!) ? 1 : 0;
});

function multiSearch(name: string, description: string, rt: DataType, fn: (s: string, needles: string[]) => unknown): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(haystack, [needle1, needle2, …])`,
    minArgs: 2,
    bind(args) {
      requireString(name, args, 0);
      if (args[1]!.type.kind !== 'Array') throw illegalType(name, args[1]!.type, 1);
      return { returnType: rt, row: (v) => fn(String(v[0]), (v[1] as unknown[]).map(String)) as never };
    },
  });
}

// ------------------------------------------------------------------ splitting

function splitResolved(name: string, splitter: (s: string, sep: string) => string[], sepFirst = true): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `Splits a string into an array of substrings (${name})`,
    syntax: sepFirst ? `${name}(separator, s[, max_substrings])` : `${name}(s[, max_substrings])`,
    resolve(args) {
      checkArgCount(name, args, sepFirst ? 2 : 1, sepFirst ? 3 : 2);
      const si = sepFirst ? 1 : 0;
      requireString(name, args, si);
      const sep = sepFirst ? constString(name, args, 0) : '';
      if (name === 'splitByChar' && [...sep].length !== 1) throw new DbError('BAD_ARGUMENTS', 'Illegal separator for function splitByChar. Must be exactly one byte.');
      const maxIdx = sepFirst ? 2 : 1;
      const max = args.length > maxIdx ? Number(args[maxIdx]!.constant?.value ?? 0) : 0;
      return {
        returnType: arrayType(T.String),
        execute(cols, rows) {
          const s = stringInput(cols[si]!);
          const n = s.isConst ? 1 : rows;
          const b = new StringBuilder(n * 2);
          const offsets = new Uint32Array(n + 1);
          for (let i = 0; i < n; i++) {
            let parts = splitter(stringAt(s, i), sep);
            if (max > 0 && parts.length > max) parts = parts.slice(0, max);
            for (const p of parts) b.pushString(p);
            offsets[i + 1] = b.length;
          }
          const res = new ArrayColumn(offsets, b.build());
          return s.isConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

const splitters = [
  splitResolved('splitByChar', (s, sep) => s.split(sep)),
  splitResolved('splitByString', (s, sep) => (sep === '' ? Array.from(s) : s.split(sep))),
  splitResolved('splitByRegexp', (s, sep) => {
    if (sep === '') return Array.from(s);
    return s.split(compileRegexp(sep, '', true));
  }),
  splitResolved('splitByWhitespace', (s) => s.split(/[ \t\n\r\v\f]+/).filter((x) => x !== ''), false),
  splitResolved('splitByNonAlpha', (s) => s.split(/[^A-Za-z0-9\u0080-\uffff]+/).filter((x) => x !== ''), false),
  splitResolved('alphaTokens', (s) => s.match(/[A-Za-z]+/g) ?? [], false),
];

// ------------------------------------------------------------------ encoding

const base64Encode = stringRow('base64Encode', 'Encodes a string as base64', 'base64Encode(s)', [1, 1], T.String, ([s]) => Buffer.from(s!, 'utf8').toString('base64'), ['TO_BASE64']);

function b64Decode(s: string, strict: boolean): string | null {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    if (strict) throw new DbError('INCORRECT_DATA', `Failed to decode base64 string '${s}'`);
    return '';
  }
  return Buffer.from(clean, 'base64').toString('latin1');
}

/** base64Decode returns raw bytes: kept as a latin1 JS string, re-encoded byte-exactly below. */
function bytesResult(name: string, description: string, syntax: string, decode: (s: string) => Uint8Array | null, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    category: CATEGORY,
    description,
    syntax,
    resolve(args) {
      checkArgCount(name, args, 1);
      requireString(name, args, 0);
      return {
        returnType: T.String,
        execute(cols, rows) {
          const s = stringInput(cols[0]!);
          const n = s.isConst ? 1 : rows;
          const b = new StringBuilder(n);
          for (let i = 0; i < n; i++) {
            const bytes = decode(stringAt(s, i));
            if (bytes) b.pushBytes(bytes);
            else b.pushDefault();
          }
          const res = b.build();
          return s.isConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

function hexOfBytes(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += (x < 16 ? '0' : '') + x.toString(16).toUpperCase();
  return s;
}

/** hex(x): strings byte by byte; integers big-endian without leading zero bytes; floats by their IEEE bytes. */
const hex = rowwise({
  name: 'hex',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Hexadecimal text of a string, number, date or UUID',
  syntax: 'hex(x)',
  minArgs: 1,
  bind(args) {
    const t = args[0]!.type;
    return {
      returnType: T.String,
      row(v) {
        const x = v[0]!;
        if (typeof x === 'string') {
          if (t.kind === 'UUID') return x.replace(/-/g, '').toUpperCase();
          return hexOfBytes(enc.encode(x));
        }
        if (x instanceof Uint8Array) return hexOfBytes(x);
        if (t.kind === 'Float32' || t.kind === 'Float64') {
          const buf = new DataView(new ArrayBuffer(8));
          if (t.kind === 'Float32') {
            buf.setFloat32(0, x as number, true);
            return hexOfBytes(new Uint8Array(buf.buffer, 0, 4));
          }
          buf.setFloat64(0, x as number, true);
          return hexOfBytes(new Uint8Array(buf.buffer));
        }
        let n = typeof x === 'bigint' ? x : BigInt(typeof x === 'boolean' ? Number(x) : Math.trunc(x as number));
        if (n < 0n) n = BigInt.asUintN(t.kind.endsWith('128') ? 128 : t.kind.endsWith('256') ? 256 : 64, n);
        if (n === 0n) return '00';
        let h = n.toString(16).toUpperCase();
        if (h.length % 2) h = '0' + h;
        return h;
      },
    };
  },
});

const bin = rowwise({
  name: 'bin',
  category: CATEGORY,
  description: 'Binary text of a string or number',
  syntax: 'bin(x)',
  minArgs: 1,
  bind() {
    return {
      returnType: T.String,
      row(v) {
        const x = v[0]!;
        const bytes = typeof x === 'string' ? enc.encode(x) : null;
        if (bytes) return Array.from(bytes, (b) => b.toString(2).padStart(8, '0')).join('');
        let n = typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x)));
        if (n < 0n) n = BigInt.asUintN(64, n);
        let s = n.toString(2);
        s = s.padStart(Math.ceil(s.length / 8) * 8, '0');
        return s;
      },
    };
  },
});

export const stringSearchFunctions: ScalarFunction[] = [
  positionFunction('position', false, false),
  positionFunction('positionCaseInsensitive', true, false),
  positionFunction('positionUTF8', false, true),
  positionFunction('positionCaseInsensitiveUTF8', true, true),
  positionFunction('locate', false, false, true),
  likeFunction('like', false, false),
  likeFunction('notLike', false, true),
  likeFunction('ilike', true, false),
  likeFunction('notILike', true, true),
  match,
  extract,
  extractAll,
  extractAllGroupsHorizontal,
  regexpExtract,
  replaceFunction('replaceOne', 'one'),
  replaceFunction('replaceAll', 'all', ['replace']),
  replaceFunction('replaceRegexpOne', 'regexpOne'),
  replaceFunction('replaceRegexpAll', 'regexpAll', ['REGEXP_REPLACE', 'regexp_replace']),
  countSubstrings,
  countSubstringsCaseInsensitive,
  countMatches,
  hasToken,
  multiSearch('multiSearchAny', 'Returns 1 when any needle occurs in the haystack', T.UInt8, (s, ns) => (ns.some((x) => s.includes(x)) ? 1 : 0)),
  multiSearch('multiSearchFirstIndex', '1-based index of the leftmost needle found, 0 if none', T.UInt64, (s, ns) => {
    let best = -1;
    let bestIdx = 0;
    ns.forEach((x, i) => {
      const at = s.indexOf(x);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        bestIdx = i + 1;
      }
    });
    return BigInt(bestIdx);
  }),
  multiSearch('multiSearchAllPositions', 'For every needle, its 1-based byte position in the haystack (0 if absent)', arrayType(T.UInt64), (s, ns) => {
    const hb = enc.encode(s);
    return ns.map((x) => BigInt(indexOfBytes(hb, 0, hb.length, enc.encode(x)) + 1));
  }),
  multiSearch('multiMatchAny', 'Returns 1 when any of the regular expressions matches', T.UInt8, (s, ps) => (ps.some((p) => compileRegexp(p).test(s)) ? 1 : 0)),
  ...splitters,
  base64Encode,
  bytesResult('base64Decode', 'Decodes base64 text; throws on invalid input', 'base64Decode(s)', (s) => Buffer.from(b64Decode(s, true)!, 'latin1'), ['FROM_BASE64']),
  bytesResult('tryBase64Decode', 'Decodes base64 text; empty string on invalid input', 'tryBase64Decode(s)', (s) => Buffer.from(b64Decode(s, false)!, 'latin1')),
  hex,
  bytesResult('unhex', 'Decodes hexadecimal text into bytes', 'unhex(s)', (s) => {
    const clean = s.length % 2 ? '0' + s : s;
    const out = new Uint8Array(clean.length / 2);
    for (let i = 0; i < out.length; i++) {
      const b = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
      out[i] = Number.isNaN(b) ? 0 : b;
    }
    return out;
  }),
  bin,
];

export { StringColumn };
