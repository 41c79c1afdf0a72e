import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, isStringLike, nullableType, removeNullable, T, tupleType } from '../../types/data-type.js';
import { parseDataType } from '../../types/type-factory.js';
import { parseValueText } from '../../types/text-conversion.js';
import type { ArgumentInfo, ScalarFunction } from '../function.js';
import { constString, illegalType } from '../core/args.js';
import { jsonPath, type JsonNode, jsonTypeName, parseJson, stringifyJson } from '../core/json-doc.js';
import { rowwise } from '../core/rowwise.js';

const CATEGORY = 'JSON';

/** A small cache so the same document in consecutive calls (several JSONExtract* over one column) parses once. */
let lastText: string | undefined;
let lastDoc: JsonNode | undefined;
function doc(text: string): JsonNode | undefined {
  if (text !== lastText) {
    lastText = text;
    lastDoc = parseJson(text);
  }
  return lastDoc;
}

function pathOf(v: Value[], from: number, to = v.length): (string | number)[] {
  return v.slice(from, to).map((p) => (typeof p === 'string' ? p : Number(p)));
}

function checkJsonArgs(name: string, args: readonly ArgumentInfo[], from: number, to = args.length): void {
  if (!isStringLike(args[0]!.type)) throw illegalType(name, args[0]!.type, 0);
  for (let i = from; i < to; i++) {
    const t = args[i]!.type;
    if (!isStringLike(t) && !/Int/.test(t.kind)) throw illegalType(name, t, i);
  }
}

/** Converts a JSON node to a value of `t` the way JSONExtract does (NULL/default when it does not fit). */
export function jsonToValue(n: JsonNode | undefined, t: DataType, tz: string): Value {
  const base = removeNullable(t);
  const fallback = (): Value => (t.kind === 'Nullable' ? null : defaultOf(base));
  if (!n || n.t === 'null') return fallback();
  try {
    switch (base.kind) {
      case 'String':
        return n.t === 'string' ? n.v : stringifyJson(n);
      case 'Bool':
        return n.t === 'bool' ? n.v : n.t === 'number' ? Number(n.raw) !== 0 : fallback();
      case 'Array':
        if (n.t !== 'array') return fallback();
        return n.items.map((x) => jsonToValue(x, base.element, tz));
      case 'Tuple':
        if (n.t === 'array') return base.elements.map((et, i) => jsonToValue(n.items[i], et, tz));
        if (n.t === 'object') {
          if (base.names) return base.elements.map((et, i) => jsonToValue(n.entries.find(([k]) => k === base.names![i])?.[1], et, tz));
          return base.elements.map((et, i) => jsonToValue(n.entries[i]?.[1], et, tz));
        }
        return fallback();
      case 'Map':
        if (n.t !== 'object') return fallback();
        return n.entries.map(([k, v]) => [parseValueText(base.key, k, tz), jsonToValue(v, base.value, tz)]);
      default: {
        if (n.t === 'bool') return parseValueText(base, n.v ? '1' : '0', tz);
        if (n.t === 'number') {
          if (/Int/.test(base.kind) && /[.eE]/.test(n.raw)) return parseValueText(base, String(Math.trunc(Number(n.raw))), tz);
          return parseValueText(base, n.raw, tz);
        }
        if (n.t === 'string') return parseValueText(base, n.v, tz);
        return fallback();
      }
    }
  } catch {
    return fallback();
  }
}

function defaultOf(t: DataType): Value {
  switch (t.kind) {
    case 'String':
    case 'FixedString':
      return '';
    case 'Int64':
    case 'UInt64':
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256':
    case 'Decimal':
      return 0n;
    case 'Bool':
      return false;
    case 'Array':
    case 'Map':
      return [];
    case 'Tuple':
      return t.elements.map(defaultOf);
    case 'UUID':
      return '00000000-0000-0000-0000-000000000000';
    default:
      return 0;
  }
}

function jsonFn(name: string, description: string, returnType: DataType, get: (n: JsonNode | undefined, exists: boolean) => Value, aliases: string[] = []): ScalarFunction {
  return rowwise({
    name,
    aliases,
    category: CATEGORY,
    description,
    syntax: `${name}(json[, indices_or_keys…])`,
    minArgs: 1,
    maxArgs: Infinity,
    bind(args) {
      checkJsonArgs(name, args, 1);
      return {
        returnType,
        row(v) {
          const d = doc(String(v[0]));
          const n = d ? jsonPath(d, pathOf(v, 1)) : undefined;
          return get(n, n !== undefined);
        },
      };
    },
  });
}

const num = (n: JsonNode | undefined): number | undefined => (n?.t === 'number' ? Number(n.raw) : n?.t === 'bool' ? (n.v ? 1 : 0) : undefined);

const JSONExtract: ScalarFunction = rowwise({
  name: 'JSONExtract',
  category: CATEGORY,
  description: 'The value at the path converted to the type named by the last argument',
  syntax: "JSONExtract(json[, indices_or_keys…], 'Type')",
  minArgs: 2,
  maxArgs: Infinity,
  bind(args, ctx) {
    checkJsonArgs('JSONExtract', args, 1, args.length - 1);
    const t = parseDataType(constString('JSONExtract', args, args.length - 1));
    return {
      returnType: t,
      row(v) {
        const d = doc(String(v[0]));
        return jsonToValue(d ? jsonPath(d, pathOf(v, 1, v.length - 1)) : undefined, t, ctx.timezone);
      },
    };
  },
});

const JSONExtractKeysAndValues: ScalarFunction = rowwise({
  name: 'JSONExtractKeysAndValues',
  category: CATEGORY,
  description: 'The key-value pairs of an object, values converted to the given type',
  syntax: "JSONExtractKeysAndValues(json[, indices_or_keys…], 'Type')",
  minArgs: 2,
  maxArgs: Infinity,
  bind(args, ctx) {
    const t = parseDataType(constString('JSONExtractKeysAndValues', args, args.length - 1));
    return {
      returnType: arrayType(tupleType([T.String, t])),
      row(v) {
        const d = doc(String(v[0]));
        const n = d ? jsonPath(d, pathOf(v, 1, v.length - 1)) : undefined;
        return n?.t === 'object' ? n.entries.map(([k, x]) => [k, jsonToValue(x, t, ctx.timezone)]) : [];
      },
    };
  },
});

/** JSON_VALUE / JSON_QUERY / JSON_EXISTS with a JSONPath subset: $.a.b[0].c, $["key"]. */
function parseJsonPath(p: string): (string | number)[] {
  if (!p.startsWith('$')) throw new DbError('BAD_ARGUMENTS', `Unable to parse JSONPath ${p}`);
  const out: (string | number)[] = [];
  // `$.\`a b\`` (backquoted keys) is what Proton's `raw:a` shortcut produces (src/sql/parse-primary.ts).
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]|\.`((?:[^`\\]|\\.)*)`/g;
  let m: RegExpExecArray | null;
  let at = 1;
  while ((m = re.exec(p))) {
    if (m.index !== at) throw new DbError('BAD_ARGUMENTS', `Unable to parse JSONPath ${p}`);
    at = re.lastIndex;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]) + 1);
    else if (m[5] !== undefined) out.push(m[5].replace(/\\(.)/g, '$1'));
    else out.push(m[3] ?? m[4]!);
  }
  if (at !== p.length) throw new DbError('BAD_ARGUMENTS', `Unable to parse JSONPath ${p}`);
  return out;
}

function sqlJson(name: string, description: string, returnType: DataType, get: (n: JsonNode | undefined) => Value): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(json, path)`,
    minArgs: 2,
    bind: () => ({
      returnType,
      row(v) {
        const d = doc(String(v[0]));
        return get(d ? jsonPath(d, parseJsonPath(String(v[1]))) : undefined);
      },
    }),
  });
}

/** visitParam*: find "name": at any depth (first occurrence in document order). */
function findField(n: JsonNode | undefined, name: string): JsonNode | undefined {
  if (!n) return undefined;
  if (n.t === 'object') {
    for (const [k, v] of n.entries) {
      if (k === name) return v;
      const deep = findField(v, name);
      if (deep) return deep;
    }
  } else if (n.t === 'array') {
    for (const x of n.items) {
      const deep = findField(x, name);
      if (deep) return deep;
    }
  }
  return undefined;
}

function visitParam(suffix: string, returnType: DataType, get: (n: JsonNode | undefined) => Value): ScalarFunction[] {
  const name = `visitParam${suffix}`;
  const simple = `simpleJSON${suffix.replace('Extract', 'Extract')}`;
  return [name, simple].map((fname) =>
    rowwise({
      name: fname,
      category: CATEGORY,
      description: `${suffix === 'Has' ? 'Returns 1 when the field exists' : `The field's value (${returnType.name})`}, found by name anywhere in the JSON text`,
      syntax: `${fname}(json, field_name)`,
      minArgs: 2,
      bind: () => ({ returnType, row: (v) => get(findField(doc(String(v[0])), String(v[1]))) }),
    }),
  );
}

function bigOf(n: JsonNode | undefined, signed: boolean): bigint {
  if (!n) return 0n;
  if (n.t === 'bool') return n.v ? 1n : 0n;
  if (n.t === 'number') {
    const x = /[.eE]/.test(n.raw) ? BigInt(Math.trunc(Number(n.raw))) : BigInt(n.raw);
    return signed ? BigInt.asIntN(64, x) : x < 0n ? 0n : BigInt.asUintN(64, x);
  }
  if (n.t === 'string' && /^-?\d+$/.test(n.v)) return signed ? BigInt.asIntN(64, BigInt(n.v)) : BigInt.asUintN(64, BigInt(n.v));
  return 0n;
}

export const jsonFunctions: ScalarFunction[] = [
  jsonFn('isValidJSON', 'Returns 1 when the text is valid JSON', T.UInt8, (n, e) => (e ? 1 : 0)),
  jsonFn('JSONHas', 'Returns 1 when the path exists', T.UInt8, (_n, e) => (e ? 1 : 0)),
  jsonFn('JSONLength', 'Number of elements of the array or keys of the object at the path', T.UInt64, (n) => BigInt(n?.t === 'array' ? n.items.length : n?.t === 'object' ? n.entries.length : 0)),
  jsonFn('JSONType', 'The JSON type at the path: Object, Array, String, Int64, UInt64, Double, Bool, Null', nullableType(T.String), (n) => (n ? jsonTypeName(n) : null)),
  jsonFn('JSONExtractString', 'The string at the path (empty when absent or not a string)', T.String, (n) => (n?.t === 'string' ? n.v : '')),
  jsonFn('JSONExtractInt', 'The number at the path as Int64 (0 when absent)', T.Int64, (n) => bigOf(n, true)),
  jsonFn('JSONExtractUInt', 'The number at the path as UInt64 (0 when absent)', T.UInt64, (n) => bigOf(n, false)),
  jsonFn('JSONExtractFloat', 'The number at the path as Float64 (0 when absent)', T.Float64, (n) => num(n) ?? 0),
  jsonFn('JSONExtractBool', 'The boolean at the path as UInt8', T.UInt8, (n) => (n?.t === 'bool' ? (n.v ? 1 : 0) : 0)),
  jsonFn('JSONExtractRaw', 'The JSON text of the value at the path, minified', T.String, (n) => (n ? stringifyJson(n) : '')),
  jsonFn('JSONExtractArrayRaw', 'The elements of the array at the path as JSON texts', arrayType(T.String), (n) => (n?.t === 'array' ? n.items.map(stringifyJson) : [])),
  jsonFn('JSONExtractKeys', 'The keys of the object at the path', arrayType(T.String), (n) => (n?.t === 'object' ? n.entries.map(([k]) => k) : [])),
  JSONExtract,
  JSONExtractKeysAndValues,
  sqlJson('JSON_VALUE', 'The scalar at a JSONPath as text (empty when absent or not a scalar)', T.String, (n) => (!n || n.t === 'object' || n.t === 'array' ? '' : n.t === 'string' ? n.v : stringifyJson(n))),
  sqlJson('JSON_QUERY', 'The object or array at a JSONPath as JSON text, in brackets', T.String, (n) => (n && (n.t === 'object' || n.t === 'array') ? `[${stringifyJson(n)}]` : '')),
  sqlJson('JSON_EXISTS', 'Returns 1 when the JSONPath exists', T.UInt8, (n) => (n ? 1 : 0)),
  ...visitParam('Has', T.UInt8, (n) => (n ? 1 : 0)),
  ...visitParam('ExtractString', T.String, (n) => (n?.t === 'string' ? n.v : '')),
  ...visitParam('ExtractInt', T.Int64, (n) => bigOf(n, true)),
  ...visitParam('ExtractUInt', T.UInt64, (n) => bigOf(n, false)),
  ...visitParam('ExtractFloat', T.Float64, (n) => num(n) ?? 0),
  ...visitParam('ExtractBool', T.UInt8, (n) => (n?.t === 'bool' && n.v ? 1 : 0)),
  ...visitParam('ExtractRaw', T.String, (n) => (n ? stringifyJson(n) : '')),
];
