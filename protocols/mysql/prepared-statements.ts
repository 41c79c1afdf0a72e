import { FieldType } from './mysql-constants.js';
import { MalformedPacketError, PayloadReader } from './packet-codec.js';
import { significant, tokenize, type Token } from './sql-scanner.js';

/**
 * Server-side prepared statements: `?` placeholders become the engine's typed query parameters
 * (`{mysql_p1:Int64}`), bound from COM_STMT_EXECUTE's binary values, so values never pass through SQL text.
 */

export interface PreparedStatement {
  readonly id: number;
  readonly sql: string;
  readonly tokens: readonly Token[];
  readonly paramCount: number;
  /** Types from the last execute that sent them (new_params_bound_flag = 0 reuses them). */
  paramTypes: { type: number; unsigned: boolean }[] | undefined;
  /** COM_STMT_SEND_LONG_DATA chunks by parameter index. */
  readonly longData: Map<number, Buffer[]>;
}

export function prepareStatement(id: number, sql: string): PreparedStatement {
  const tokens = tokenize(sql);
  const paramCount = tokens.filter((t) => t.kind === 'placeholder').length;
  return { id, sql, tokens, paramCount, paramTypes: undefined, longData: new Map() };
}

/** A bound value: the ClickHouse type of the parameter and its text (as the engine's `{name:Type}` reads it). */
export interface BoundParam {
  readonly typeName: string;
  readonly text: string;
}

export interface ExecuteRequest {
  readonly statementId: number;
  readonly flags: number;
}

export function parseExecuteHead(payload: Buffer): ExecuteRequest & { reader: PayloadReader } {
  const r = new PayloadReader(payload);
  r.u8('command');
  const statementId = r.u32('statement id');
  const flags = r.u8('flags');
  r.u32('iteration count');
  return { statementId, flags, reader: r };
}

/** Reads the parameter block of COM_STMT_EXECUTE (after the head) into typed values. */
export function readParams(r: PayloadReader, stmt: PreparedStatement): BoundParam[] {
  const n = stmt.paramCount;
  if (n === 0) return [];
  const nullBitmap = r.bytes((n + 7) >> 3, 'parameter null bitmap');
  const newBound = r.u8('new params bound flag');
  if (newBound) {
    const types: { type: number; unsigned: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      const type = r.u8('parameter type');
      const flags = r.u8('parameter flags');
      types.push({ type, unsigned: (flags & 0x80) !== 0 });
    }
    stmt.paramTypes = types;
  }
  const types = stmt.paramTypes;
  if (!types) throw new MalformedPacketError('parameter types');
  const out: BoundParam[] = [];
  for (let i = 0; i < n; i++) {
    const { type, unsigned } = types[i]!;
    const isNull = (nullBitmap[i >> 3]! & (1 << (i & 7))) !== 0 || type === FieldType.NULL;
    if (isNull) {
      out.push({ typeName: `Nullable(${nullableBase(type, unsigned)})`, text: '\\N' });
      continue;
    }
    const long = stmt.longData.get(i);
    if (long) {
      out.push({ typeName: 'String', text: escapeString(Buffer.concat(long).toString('utf8')) });
      continue;
    }
    out.push(readValue(r, type, unsigned));
  }
  return out;
}

function nullableBase(type: number, unsigned: boolean): string {
  switch (type) {
    case FieldType.TINY: return unsigned ? 'UInt8' : 'Int8';
    case FieldType.SHORT: return unsigned ? 'UInt16' : 'Int16';
    case FieldType.LONG: case FieldType.INT24: return unsigned ? 'UInt32' : 'Int32';
    case FieldType.LONGLONG: return unsigned ? 'UInt64' : 'Int64';
    case FieldType.FLOAT: return 'Float32';
    case FieldType.DOUBLE: return 'Float64';
    case FieldType.NULL: return 'Nothing';
    default: return 'String';
  }
}

/** String parameter text: the engine reads backslash escapes in String parameters. */
function escapeString(s: string): string {
  return s.replace(/\\/g, '\\\\');
}

function floatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function readValue(r: PayloadReader, type: number, unsigned: boolean): BoundParam {
  switch (type) {
    case FieldType.TINY:
      return { typeName: unsigned ? 'UInt8' : 'Int8', text: String(unsigned ? r.u8('TINY parameter') : r.i8('TINY parameter')) };
    case FieldType.SHORT:
    case FieldType.YEAR:
      return { typeName: unsigned ? 'UInt16' : 'Int16', text: String(unsigned ? r.u16('SHORT parameter') : r.i16('SHORT parameter')) };
    case FieldType.LONG:
    case FieldType.INT24:
      return { typeName: unsigned ? 'UInt32' : 'Int32', text: String(unsigned ? r.u32('LONG parameter') : r.i32('LONG parameter')) };
    case FieldType.LONGLONG:
      return { typeName: unsigned ? 'UInt64' : 'Int64', text: String(unsigned ? r.u64('LONGLONG parameter') : r.i64('LONGLONG parameter')) };
    case FieldType.FLOAT:
      return { typeName: 'Float32', text: floatText(r.f32('FLOAT parameter')) };
    case FieldType.DOUBLE: {
      const x = r.f64('DOUBLE parameter');
      // Some drivers (mysql2) send every number as DOUBLE: integral values bind as Int64 so `LIMIT ?` and
      // integer columns work; the value is the same either way.
      if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER && !Object.is(x, -0)) return { typeName: 'Int64', text: String(x) };
      return { typeName: 'Float64', text: floatText(x) };
    }
    case FieldType.DATE:
    case FieldType.DATETIME:
    case FieldType.TIMESTAMP: {
      const len = r.u8('date length');
      const b = new PayloadReader(r.bytes(len, 'date value'));
      const y = len >= 4 ? b.u16('year') : 0;
      const mo = len >= 4 ? b.u8('month') : 0;
      const d = len >= 4 ? b.u8('day') : 0;
      const h = len >= 7 ? b.u8('hour') : 0;
      const mi = len >= 7 ? b.u8('minute') : 0;
      const s = len >= 7 ? b.u8('second') : 0;
      const us = len >= 11 ? b.u32('microsecond') : 0;
      const date = `${pad(y, 4)}-${pad(mo || 1)}-${pad(d || 1)}`;
      if (type === FieldType.DATE) return { typeName: 'Date32', text: date };
      const time = `${date} ${pad(h)}:${pad(mi)}:${pad(s)}`;
      if (us || y < 1970 || y > 2105) return { typeName: 'DateTime64(6)', text: `${time}.${pad(us, 6)}` };
      return { typeName: 'DateTime', text: time };
    }
    case FieldType.TIME: {
      const len = r.u8('time length');
      const b = new PayloadReader(r.bytes(len, 'time value'));
      if (len === 0) return { typeName: 'String', text: '00:00:00' };
      const neg = b.u8('time sign');
      const days = b.u32('days');
      const h = b.u8('hour') + days * 24;
      const mi = b.u8('minute');
      const s = b.u8('second');
      const us = len >= 12 ? b.u32('microsecond') : 0;
      return { typeName: 'String', text: `${neg ? '-' : ''}${pad(h)}:${pad(mi)}:${pad(s)}${us ? '.' + pad(us, 6) : ''}` };
    }
    case FieldType.NEWDECIMAL:
    case FieldType.DECIMAL: {
      const text = r.lenencString('DECIMAL parameter').trim();
      const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text);
      if (m && (m[1] || m[2])) {
        const intDigits = (m[1] ?? '').replace(/^0+/, '').length;
        const scale = (m[2] ?? '').length;
        const precision = Math.max(intDigits + scale, 1);
        if (precision <= 76) return { typeName: `Decimal(${Math.max(precision, scale)}, ${scale})`, text };
      }
      return { typeName: 'String', text: escapeString(text) };
    }
    default:
      // VARCHAR, VAR_STRING, STRING, BLOBs, JSON, ENUM, SET, BIT, GEOMETRY: length-encoded bytes.
      return { typeName: 'String', text: escapeString(r.lenencBytes('string parameter').toString('utf8')) };
  }
}

/** The statement's SQL with `?` replaced by `{mysql_pN:Type}` and the parameter map for the engine. */
export function bindStatement(stmt: PreparedStatement, params: readonly BoundParam[]): { sql: string; params: Map<string, string> } {
  const map = new Map<string, string>();
  let out = '';
  let pos = 0;
  let i = 0;
  for (const t of stmt.tokens) {
    if (t.kind !== 'placeholder') continue;
    const p = params[i]!;
    const name = `mysql_p${++i}`;
    map.set(name, p.text);
    out += stmt.sql.slice(pos, t.start) + `{${name}:${p.typeName}}`;
    pos = t.end;
  }
  return { sql: out + stmt.sql.slice(pos), params: map };
}

/** True when a statement's first keyword makes it a query with a result set (for COM_STMT_PREPARE's column count). */
export function firstKeyword(sql: string): string {
  const t = significant(tokenize(sql))[0];
  return t?.kind === 'word' ? t.text.toUpperCase() : '';
}
