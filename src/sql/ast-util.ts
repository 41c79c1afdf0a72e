import type { Expr, FunctionExpr, IdentifierExpr, LiteralExpr, LiteralValue } from './ast.js';

/** Small constructors for AST nodes, shared by the parser and by code that builds SQL programmatically. */

export function fn(name: string, args: Expr[], pos?: number): FunctionExpr {
  const f: FunctionExpr = { kind: 'function', name, args };
  if (pos !== undefined) f.pos = pos;
  return f;
}

export function lit(value: LiteralValue, pos?: number, text?: string): LiteralExpr {
  const l: LiteralExpr = { kind: 'literal', value };
  if (text !== undefined) l.text = text;
  if (pos !== undefined) l.pos = pos;
  return l;
}

export function ident(parts: string[], pos?: number): IdentifierExpr {
  const i: IdentifierExpr = { kind: 'identifier', parts };
  if (pos !== undefined) i.pos = pos;
  return i;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/**
 * A numeric literal from its spelling, as ClickHouse reads it: integers that fit 53 bits become numbers,
 * larger ones up to UInt64/Int64 become bigints, anything bigger becomes a Float64; the text is kept.
 */
export function numberLiteral(text: string, negative: boolean, pos?: number): LiteralExpr {
  const clean = text.includes('_') ? text.replace(/_/g, '') : text;
  const spelled = (negative ? '-' : '') + (text.startsWith('.') ? '0' + text : text);
  let big: bigint | undefined;
  if (/^\d+$/.test(clean)) {
    if (clean.length <= 15) {
      const n = Number(clean);
      return lit(negative ? -n : n, pos, spelled);
    }
    big = BigInt(clean);
  } else if (/^0[xX][0-9a-fA-F]+$/.test(clean) || /^0[bB][01]+$/.test(clean)) {
    big = BigInt(clean.slice(0, 2).toLowerCase() + clean.slice(2));
  }
  if (big !== undefined) {
    if (negative) big = -big;
    if (big <= MAX_SAFE && big >= -MAX_SAFE) return lit(Number(big), pos, spelled);
    if (big <= U64_MAX && big >= I64_MIN) return lit(big, pos, spelled);
    return lit(Number(big), pos, spelled);
  }
  let v: number;
  if (/^0[xX]/.test(clean)) v = parseHexFloat(clean);
  else v = Number(clean);
  if (Number.isNaN(v) && !/nan/i.test(clean)) v = parseFloat(clean);
  return lit(negative ? -v : v, pos, spelled);
}

function parseHexFloat(s: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([-+]?\d+))?$/.exec(s);
  if (!m) return NaN;
  const int = m[1] ? parseInt(m[1], 16) : 0;
  const frac = m[2] ? parseInt(m[2], 16) / 16 ** m[2].length : 0;
  return (int + frac) * 2 ** Number(m[3] ?? 0);
}

/** Interval units as written after INTERVAL / in EXTRACT / DATE_DIFF, to ClickHouse's interval kind. */
export const INTERVAL_UNITS: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = {};
  const add = (kind: string, ...names: string[]) => {
    for (const n of names) out[n] = kind;
  };
  add('Nanosecond', 'NANOSECOND', 'NANOSECONDS', 'SQL_TSI_NANOSECOND', 'NS');
  add('Microsecond', 'MICROSECOND', 'MICROSECONDS', 'SQL_TSI_MICROSECOND', 'MCS', 'US');
  add('Millisecond', 'MILLISECOND', 'MILLISECONDS', 'SQL_TSI_MILLISECOND', 'MS');
  add('Second', 'SECOND', 'SECONDS', 'SQL_TSI_SECOND', 'SS', 'S');
  add('Minute', 'MINUTE', 'MINUTES', 'SQL_TSI_MINUTE', 'MI', 'N');
  add('Hour', 'HOUR', 'HOURS', 'SQL_TSI_HOUR', 'HH', 'H');
  add('Day', 'DAY', 'DAYS', 'SQL_TSI_DAY', 'DD', 'D');
  add('Week', 'WEEK', 'WEEKS', 'SQL_TSI_WEEK', 'WK', 'WW');
  add('Month', 'MONTH', 'MONTHS', 'SQL_TSI_MONTH', 'MM', 'M');
  add('Quarter', 'QUARTER', 'QUARTERS', 'SQL_TSI_QUARTER', 'QQ', 'Q');
  add('Year', 'YEAR', 'YEARS', 'SQL_TSI_YEAR', 'YYYY', 'YY');
  return out;
})();

/** Proton's interval shorthands: `5s`, `100ms`, `2m` (minute), `1M` (month), … (case matters for m/M). */
const SHORTHAND_UNITS: Readonly<Record<string, string>> = {
  ns: 'Nanosecond',
  us: 'Microsecond',
  ms: 'Millisecond',
  s: 'Second',
  m: 'Minute',
  h: 'Hour',
  d: 'Day',
  w: 'Week',
  M: 'Month',
  q: 'Quarter',
  y: 'Year',
};
const SHORTHAND_RE = /^(\d+)(ns|us|ms|s|m|h|d|w|M|q|y)$/;

/** `5s` → { value: '5', kind: 'Second' }, or undefined when the word is not a shorthand. */
export function intervalShorthand(word: string): { value: string; kind: string } | undefined {
  const m = SHORTHAND_RE.exec(word);
  if (!m) return undefined;
  return { value: m[1]!, kind: SHORTHAND_UNITS[m[2]!]! };
}

/** Interval kinds → the unit keyword the formatter prints (`toIntervalDay` → DAY). */
export const INTERVAL_FUNCTIONS: Readonly<Record<string, string>> = {
  toIntervalNanosecond: 'NANOSECOND',
  toIntervalMicrosecond: 'MICROSECOND',
  toIntervalMillisecond: 'MILLISECOND',
  toIntervalSecond: 'SECOND',
  toIntervalMinute: 'MINUTE',
  toIntervalHour: 'HOUR',
  toIntervalDay: 'DAY',
  toIntervalWeek: 'WEEK',
  toIntervalMonth: 'MONTH',
  toIntervalQuarter: 'QUARTER',
  toIntervalYear: 'YEAR',
};

/** EXTRACT(unit FROM x) → the function ClickHouse uses. */
export const EXTRACT_FUNCTIONS: Readonly<Record<string, string>> = {
  Nanosecond: 'toNanosecond',
  Microsecond: 'toMicrosecond',
  Millisecond: 'toMillisecond',
  Second: 'toSecond',
  Minute: 'toMinute',
  Hour: 'toHour',
  Day: 'toDayOfMonth',
  Week: 'toISOWeek',
  Month: 'toMonth',
  Quarter: 'toQuarter',
  Year: 'toYear',
};

/** Removes `pos` fields recursively (tests compare trees without positions). */
export function stripPositions<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripPositions) as T;
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pos' || k === 'dataOffset' || k === 'dataEnd' || v === undefined) continue;
      out[k] = stripPositions(v);
    }
    return out as T;
  }
  return node;
}
