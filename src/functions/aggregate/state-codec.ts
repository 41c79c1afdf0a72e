/**
 * Byte encoding of aggregate states that are plain JS data (numbers, bigints, strings, bytes, arrays,
 * objects, Maps, Sets, typed arrays): tagged JSON in UTF-8. Columnar states with fixed layouts encode
 * themselves more compactly.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $b: value.toString() };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $n: 'nan' };
    if (value === Infinity) return { $n: 'inf' };
    if (value === -Infinity) return { $n: '-inf' };
    if (Object.is(value, -0)) return { $n: '-0' };
    return value;
  }
  if (value instanceof Uint8Array) return { $u: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Float64Array) return { $f: Array.from(value, (x) => replacer.call(null, '', x)) };
  if (value instanceof Map) return { $m: [...value.entries()] };
  if (value instanceof Set) return { $s: [...value.values()] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if ('$b' in o) return BigInt(o['$b'] as string);
    if ('$n' in o) return o['$n'] === 'nan' ? NaN : o['$n'] === 'inf' ? Infinity : o['$n'] === '-inf' ? -Infinity : -0;
    if ('$u' in o) return new Uint8Array(Buffer.from(o['$u'] as string, 'base64'));
    if ('$f' in o) return Float64Array.from(o['$f'] as number[]);
    if ('$m' in o) return new Map(o['$m'] as [unknown, unknown][]);
    if ('$s' in o) return new Set(o['$s'] as unknown[]);
  }
  return value;
}

export function encodeState(state: unknown): Uint8Array {
  // JSON.stringify calls toJSON-less replacer before number handling for nested values only; wrap the root.
  return encoder.encode(JSON.stringify({ v: state }, replacer));
}

export function decodeState(bytes: Uint8Array): unknown {
  return (JSON.parse(decoder.decode(bytes), reviver) as { v: unknown }).v;
}

/** A deep copy of a state value (structuredClone handles bigint, Map, Set and typed arrays). */
export function cloneState<S>(s: S): S {
  return structuredClone(s);
}
