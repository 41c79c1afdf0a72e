import { DbError } from '../../src/errors/index.js';
import { quoteString } from '../../src/sql/index.js';
import { PG, pgTypeByOid } from '../../src/catalog/system/pg-types.js';

/**
 * Bind parameters → SQL literals of the engine's dialect. The extended protocol's `$n` placeholders are
 * replaced by these literals before the SQL reaches the engine (see dialect-rewrite.ts), typed by the OID the
 * client gave in Parse (0 = let the engine infer from a string literal, as Postgres does with `unknown`).
 */

const EPOCH_2000_MS = 946684800000;
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function invalid(typeName: string, text: string): DbError {
  return new DbError('CANNOT_PARSE_TEXT', `invalid input syntax for type ${typeName}: "${text}"`);
}

function numberLiteral(text: string, typeName: string): string {
  const t = text.trim();
  if (/^[-+]?(nan|infinity|inf)$/i.test(t)) return `toFloat64('${t.toLowerCase().replace('infinity', 'inf')}')`;
  if (!NUMBER.test(t)) throw invalid(typeName, text);
  return t.startsWith('-') ? `(${t})` : t.replace(/^\+/, '');
}

/** A literal from a parameter sent in text format. */
export function textParamLiteral(oid: number, text: string): string {
  switch (oid) {
    case PG.int2.oid:
    case PG.int4.oid:
    case PG.int8.oid:
    case PG.oid.oid:
      if (!/^\s*[-+]?\d+\s*$/.test(text)) throw invalid(pgTypeByOid(oid)!.name, text);
      return numberLiteral(text, 'integer');
    case PG.float4.oid:
    case PG.float8.oid:
      return numberLiteral(text, 'double precision');
    case PG.numeric.oid:
      return numberLiteral(text, 'numeric');
    case PG.bool.oid: {
      const t = text.trim().toLowerCase();
      if (['t', 'true', 'y', 'yes', 'on', '1'].includes(t)) return 'true';
      if (['f', 'false', 'n', 'no', 'off', '0'].includes(t)) return 'false';
      throw invalid('boolean', text);
    }
    case PG.date.oid:
      return `toDate(${quoteString(text)})`;
    case PG.timestamp.oid:
      return `parseDateTime64BestEffort(${quoteString(text)}, 6)`;
    case PG.timestamptz.oid:
      return `parseDateTime64BestEffort(${quoteString(text)}, 6, 'UTC')`;
    case PG.uuid.oid:
      return `toUUID(${quoteString(text)})`;
    case PG.bytea.oid:
      if (text.startsWith('\\x')) return `unhex(${quoteString(text.slice(2))})`;
      return quoteString(text);
    case 0:
      return unknownLiteral(text);
    default: {
      const t = pgTypeByOid(oid);
      if (t?.elementOid !== undefined) return arrayLiteral(t.elementOid, text);
      return quoteString(text);
    }
  }
}

/**
 * A parameter of unspecified type (OID 0: node-postgres sends every parameter so, pgjdbc dates and
 * timestamps). Postgres infers its type from the context; the engine cannot, so text that is exactly a
 * number (no leading zeros) becomes a number literal, a date or timestamp with a UTC offset (pgjdbc's
 * setDate / setTimestamp) a date or DateTime64 expression, and anything else a string literal.
 */
function unknownLiteral(text: string): string {
  if (/^-?(0|[1-9]\d{0,18})(\.\d+)?$/.test(text)) return numberLiteral(text, 'numeric');
  const date = /^(\d{4}-\d\d-\d\d) [+-]\d\d(:\d\d)?$/.exec(text);
  if (date) return `toDate(${quoteString(date[1]!)})`;
  if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:\d\d)?|Z)$/.test(text)) return `parseDateTime64BestEffort(${quoteString(text)}, 6)`;
  return quoteString(text);
}

/** `{1,2,"a b",NULL}` → `[1, 2, 'a b', NULL]` with elements typed by the element OID. */
export function arrayLiteral(elementOid: number, text: string): string {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw invalid('array', text);
  const items: (string | null)[] = [];
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    while (s[i] === ' ') i++;
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < end && s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i++] ?? '';
      }
      i++;
      items.push(v);
    } else {
      let j = i;
      while (j < end && s[j] !== ',') j++;
      const raw = s.slice(i, j).trim();
      items.push(raw.toUpperCase() === 'NULL' ? null : raw);
      i = j;
    }
    while (s[i] === ' ') i++;
    if (s[i] === ',') i++;
  }
  if (s.slice(1, -1).trim() === '') return '[]';
  return '[' + items.map((x) => (x === null ? 'NULL' : textParamLiteral(elementOid, x))).join(', ') + ']';
}

function numericFromBinary(b: Buffer): string {
  const ndigits = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (sign === 0xc000) return `toFloat64('nan')`;
  let intPart = '';
  let frac = '';
  for (let i = 0; i < ndigits; i++) {
    const d = String(b.readInt16BE(8 + i * 2)).padStart(4, '0');
    if (i <= weight) intPart += d;
    else frac += d;
  }
  if (weight >= ndigits) intPart += '0000'.repeat(weight - ndigits + 1);
  if (weight < -1) frac = '0000'.repeat(-weight - 1) + frac;
  intPart = intPart.replace(/^0+/, '') || '0';
  frac = frac.padEnd(dscale, '0').slice(0, dscale);
  const t = (sign === 0x4000 ? '-' : '') + intPart + (frac ? '.' + frac : '');
  return numberLiteral(t, 'numeric');
}

/** A literal from a parameter sent in binary format. */
export function binaryParamLiteral(oid: number, b: Buffer): string {
  const need = (n: number) => {
    if (b.length !== n) throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `incorrect binary data format in bind parameter (type ${pgTypeByOid(oid)?.name ?? oid}, ${b.length} bytes)`);
  };
  switch (oid) {
    case PG.bool.oid:
      need(1);
      return b[0] ? 'true' : 'false';
    case PG.int2.oid:
      need(2);
      return numberLiteral(String(b.readInt16BE(0)), 'smallint');
    case PG.int4.oid:
      need(4);
      return numberLiteral(String(b.readInt32BE(0)), 'integer');
    case PG.oid.oid:
      need(4);
      return String(b.readUInt32BE(0));
    case PG.int8.oid:
      need(8);
      return numberLiteral(String(b.readBigInt64BE(0)), 'bigint');
    case PG.float4.oid:
      need(4);
      return floatLiteral(b.readFloatBE(0));
    case PG.float8.oid:
      need(8);
      return floatLiteral(b.readDoubleBE(0));
    case PG.numeric.oid:
      if (b.length < 8) need(8);
      return numericFromBinary(b);
    case PG.date.oid:
      need(4);
      return `toDate(${quoteString(new Date((b.readInt32BE(0) * 86400000) + EPOCH_2000_MS).toISOString().slice(0, 10))})`;
    case PG.timestamp.oid:
    case PG.timestamptz.oid: {
      need(8);
      const us = b.readBigInt64BE(0) + 946684800000000n;
      const ms = Number(us / 1000n);
      const frac = String(((us % 1000000n) + 1000000n) % 1000000n).padStart(6, '0');
      const text = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ') + '.' + frac;
      return oid === PG.timestamp.oid ? `toDateTime64(${quoteString(text)}, 6)` : `toDateTime64(${quoteString(text)}, 6, 'UTC')`;
    }
    case PG.uuid.oid: {
      need(16);
      const h = b.toString('hex');
      return `toUUID('${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}')`;
    }
    case PG.bytea.oid:
      return `unhex('${b.toString('hex')}')`;
    case PG.jsonb.oid:
      return quoteString(b.subarray(1).toString('utf8'));
    default: {
      const t = pgTypeByOid(oid);
      if (t?.elementOid !== undefined) return binaryArrayLiteral(b);
      return quoteString(b.toString('utf8'));
    }
  }
}

function floatLiteral(x: number): string {
  if (Number.isNaN(x)) return `toFloat64('nan')`;
  if (!Number.isFinite(x)) return x > 0 ? `toFloat64('inf')` : `toFloat64('-inf')`;
  return numberLiteral(String(x), 'double precision');
}

function binaryArrayLiteral(b: Buffer): string {
  if (b.length < 12) throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', 'incorrect binary data format in array parameter');
  const ndim = b.readInt32BE(0);
  const elemOid = b.readInt32BE(8);
  if (ndim === 0) return '[]';
  if (ndim !== 1 || b.length < 20) throw new DbError('NOT_IMPLEMENTED', 'only one-dimensional array parameters are supported');
  const n = b.readInt32BE(12);
  let p = 20;
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    if (p + 4 > b.length) throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', 'incorrect binary data format in array parameter');
    const len = b.readInt32BE(p);
    p += 4;
    if (len < 0) items.push('NULL');
    else {
      if (p + len > b.length) throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', 'incorrect binary data format in array parameter');
      items.push(binaryParamLiteral(elemOid, b.subarray(p, p + len)));
      p += len;
    }
  }
  return '[' + items.join(', ') + ']';
}

/** Literals for one Bind: formats per the protocol (none = all text, one = for all, else one each). */
export function bindLiterals(paramTypes: readonly number[], formats: readonly number[], values: readonly (Buffer | null)[]): string[] {
  if (formats.length > 1 && formats.length !== values.length) {
    throw new DbError('BAD_ARGUMENTS', `bind message has ${formats.length} parameter formats but ${values.length} parameters`);
  }
  return values.map((v, i) => {
    if (v === null) return 'NULL';
    const format = formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : formats[i]!;
    const oid = paramTypes[i] ?? 0;
    if (format === 1) {
      if (oid === 0) throw new DbError('BAD_ARGUMENTS', `binary parameter $${i + 1} needs a type OID in Parse`);
      return binaryParamLiteral(oid, v);
    }
    return textParamLiteral(oid, v.toString('utf8'));
  });
}
