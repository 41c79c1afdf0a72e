import type { Expr, FunctionExpr, LiteralValue, OrderItem, Query, WindowFrameBound, WindowSpec } from './ast.js';
import { INTERVAL_FUNCTIONS } from './ast-util.js';
import { formatType, quoteIdentifier, quoteString } from './quote.js';
import { parseTypeAst } from '../types/type-parser.js';

/**
 * Expressions back to SQL. Operators print as operators with the parentheses their precedence needs
 * (`plus(a, multiply(b, c))` → `a + b * c`), so that parsing the text gives the same tree again.
 * Levels match the parser: 1 lambda, 3 OR, 4 AND, 5 NOT, 6 IS NULL, 7 comparison, 9 concat, 10 +/-, 11 * /,
 * 12 unary minus, 13 postfix and primaries.
 */

const BINARY: Readonly<Record<string, [op: string, level: number]>> = {
  equals: ['=', 7],
  notEquals: ['!=', 7],
  less: ['<', 7],
  greater: ['>', 7],
  lessOrEquals: ['<=', 7],
  greaterOrEquals: ['>=', 7],
  isNotDistinctFrom: ['<=>', 7],
  like: ['LIKE', 7],
  notLike: ['NOT LIKE', 7],
  ilike: ['ILIKE', 7],
  notILike: ['NOT ILIKE', 7],
  in: ['IN', 7],
  notIn: ['NOT IN', 7],
  globalIn: ['GLOBAL IN', 7],
  globalNotIn: ['GLOBAL NOT IN', 7],
  plus: ['+', 10],
  minus: ['-', 10],
  multiply: ['*', 11],
  divide: ['/', 11],
  modulo: ['%', 11],
};

const NARY: Readonly<Record<string, [op: string, level: number]>> = { or: ['OR', 3], and: ['AND', 4], concat: ['||', 9] };

/** Hooks for what expressions contain but this file does not format (subqueries). */
export interface ExprFormatContext {
  formatQuery(q: Query): string;
}

export class ExprFormatter {
  constructor(private readonly ctx: ExprFormatContext) {}

  /** An expression with its alias (`expr AS name`), for lists. */
  item(e: Expr): string {
    return this.expr(e, 0);
  }

  /** `e` in a context that needs binding strength `min`; adds parentheses when it binds looser. */
  expr(e: Expr, min: number): string {
    if (e.alias !== undefined) {
      const s = `${this.bare(e, 1)} AS ${quoteIdentifier(e.alias)}`;
      return min > 0 ? `(${s})` : s;
    }
    return this.bare(e, min);
  }

  private bare(e: Expr, min: number): string {
    switch (e.kind) {
      case 'literal':
        return this.literal(e.value, e.text, min);
      case 'identifier':
        return e.parts.map(quoteIdentifier).join('.');
      case 'asterisk': {
        let s: string;
        if (e.columnsRegexp !== undefined) s = `COLUMNS(${quoteString(e.columnsRegexp)})`;
        else if (e.columnsList) s = `COLUMNS(${e.columnsList.map(quoteIdentifier).join(', ')})`;
        else s = '*';
        if (e.qualifier) s = `${e.qualifier.map(quoteIdentifier).join('.')}.${s}`;
        if (e.except) s += ` EXCEPT (${e.except.map(quoteIdentifier).join(', ')})`;
        return s;
      }
      case 'function':
        return this.func(e, min);
      case 'lambda': {
        const params = e.params.length === 1 ? quoteIdentifier(e.params[0]!) : `(${e.params.map(quoteIdentifier).join(', ')})`;
        return wrap(`${params} -> ${this.expr(e.body, 1)}`, 1, min);
      }
      case 'subquery':
        return `(${this.ctx.formatQuery(e.query)})`;
      case 'param':
        return `{${quoteIdentifier(e.name)}:${formatType(e.type)}}`;
    }
  }

  literal(v: LiteralValue, text: string | undefined, min = 0): string {
    if (typeof v === 'number' || typeof v === 'bigint') {
      let s: string;
      if (text !== undefined && numericTextMatches(text)) s = text.replace(/^(-?)\./, (_m, sign: string) => `${sign}0.`);
      else if (typeof v === 'number' && Number.isNaN(v)) s = 'nan';
      else if (v === Infinity) s = 'inf';
      else if (v === -Infinity) s = '-inf';
      else if (Object.is(v, -0)) s = '-0';
      else s = String(v);
      // A negative literal inside a postfix operator would re-parse differently: `(-1)[1]` vs `-1[1]`.
      return s.startsWith('-') && min >= 13 ? `(${s})` : s;
    }
    if (v === null) return 'NULL';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return quoteString(v);
    return `[${v.map((x) => this.literal(x, undefined)).join(', ')}]`;
  }

  private func(f: FunctionExpr, min: number): string {
    const plain = !f.distinct && !f.params && !f.over;
    const n = f.args.length;
    if (plain) {
      const a = f.args;
      const bin = BINARY[f.name];
      if (bin && n === 2) {
        const [op, level] = bin;
        return wrap(`${this.expr(a[0]!, level)} ${op} ${this.expr(a[1]!, level + 1)}`, level, min);
      }
      const nary = NARY[f.name];
      if (nary && n >= 2) {
        const [op, level] = nary;
        return wrap(a.map((x) => this.expr(x, level + 1)).join(` ${op} `), level, min);
      }
      switch (f.name) {
        case 'not':
          if (n === 1) return wrap(`NOT ${this.expr(a[0]!, 6)}`, 5, min);
          break;
        case 'negate':
          if (n === 1) {
            const x = a[0]!;
            const inner = x.kind === 'literal' && x.alias === undefined && (typeof x.value === 'number' || typeof x.value === 'bigint')
              ? `(${this.literal(x.value, x.text)})`
              : this.expr(x, 12);
            return wrap(`-${inner.startsWith('-') ? ' ' : ''}${inner}`, 12, min);
          }
          break;
        case 'isNull':
        case 'isNotNull':
          if (n === 1) return wrap(`${this.expr(a[0]!, 6)} ${f.name === 'isNull' ? 'IS NULL' : 'IS NOT NULL'}`, 6, min);
          break;
        case 'arrayElement':
          if (n === 2) return `${this.expr(a[0]!, 13)}[${this.expr(a[1]!, 0)}]`;
          break;
        case 'tupleElement': {
          const i = a[1];
          if (n === 2 && i && i.kind === 'literal' && i.alias === undefined && typeof i.value === 'number' && Number.isInteger(i.value) && i.value >= 0) {
            const base = a[0]!;
            const left = base.kind === 'literal' && base.alias === undefined ? `(${this.bare(base, 0)})` : this.expr(base, 13);
            return `${left}.${i.text !== undefined && /^\d+$/.test(i.text) ? i.text : i.value}`;
          }
          break;
        }
        case 'array':
          return `[${a.map((x) => this.item(x)).join(', ')}]`;
        case 'tuple':
          if (n !== 1) return `(${a.map((x) => this.item(x)).join(', ')})`;
          break;
        case 'CAST': {
          const t = a[1];
          if (n === 2 && t && t.kind === 'literal' && typeof t.value === 'string' && t.alias === undefined && isCanonicalType(t.value)) {
            return `CAST(${this.item(a[0]!)} AS ${t.value})`;
          }
          break;
        }
        case '__sessionRange':
          if (n === 4) {
            const open = a[2]!.kind === 'literal' && a[2]!.value === true ? '[' : '(';
            const close = a[3]!.kind === 'literal' && a[3]!.value === true ? ']' : ')';
            return `${open}${this.item(a[0]!)}, ${this.item(a[1]!)}${close}`;
          }
          break;
        default: {
          const unit = INTERVAL_FUNCTIONS[f.name];
          const x = a[0];
          if (unit && n === 1 && x && !(x.kind === 'literal' && typeof x.value === 'string')) {
            const simple = x.alias === undefined && (x.kind === 'identifier' || x.kind === 'literal');
            return `INTERVAL ${simple ? this.bare(x, 0) : `(${this.item(x)})`} ${unit}`;
          }
        }
      }
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) && !/^(CASE|COLUMNS)$/i.test(f.name) ? f.name : quoteIdentifier(f.name);
    let s = name;
    const args = f.args.map((x) => this.item(x)).join(', ');
    if (f.params) s += `(${f.params.map((x) => this.item(x)).join(', ')})`;
    s += `(${f.distinct ? 'DISTINCT ' : ''}${args})`;
    if (f.over) s += ` OVER ${f.over.baseName !== undefined && isBareReference(f.over) ? quoteIdentifier(f.over.baseName) : this.windowSpec(f.over)}`;
    return s;
  }

  windowSpec(w: WindowSpec): string {
    const parts: string[] = [];
    if (w.baseName !== undefined) parts.push(quoteIdentifier(w.baseName));
    if (w.partitionBy.length) parts.push(`PARTITION BY ${w.partitionBy.map((x) => this.item(x)).join(', ')}`);
    if (w.orderBy.length) parts.push(`ORDER BY ${this.orderList(w.orderBy)}`);
    if (w.frame) parts.push(`${w.frame.type} BETWEEN ${this.bound(w.frame.start)} AND ${this.bound(w.frame.end)}`);
    return `(${parts.join(' ')})`;
  }

  private bound(b: WindowFrameBound): string {
    switch (b.kind) {
      case 'unbounded_preceding':
        return 'UNBOUNDED PRECEDING';
      case 'unbounded_following':
        return 'UNBOUNDED FOLLOWING';
      case 'current_row':
        return 'CURRENT ROW';
      case 'preceding':
        return `${this.expr(b.offset!, 1)} PRECEDING`;
      case 'following':
        return `${this.expr(b.offset!, 1)} FOLLOWING`;
    }
  }

  orderList(items: OrderItem[]): string {
    return items
      .map((o) => {
        let s = `${this.item(o.expr)} ${o.direction}`;
        if (o.nulls) s += ` NULLS ${o.nulls}`;
        if (o.collate !== undefined) s += ` COLLATE ${quoteString(o.collate)}`;
        if (o.withFill) {
          s += ' WITH FILL';
          if (o.withFill.from) s += ` FROM ${this.expr(o.withFill.from, 1)}`;
          if (o.withFill.to) s += ` TO ${this.expr(o.withFill.to, 1)}`;
          if (o.withFill.step) s += ` STEP ${this.expr(o.withFill.step, 1)}`;
        }
        return s;
      })
      .join(', ');
  }
}

function wrap(s: string, level: number, min: number): string {
  return level < min ? `(${s})` : s;
}

function isBareReference(w: WindowSpec): boolean {
  return w.partitionBy.length === 0 && w.orderBy.length === 0 && !w.frame;
}

function numericTextMatches(text: string): boolean {
  return !text.startsWith('+');
}

const canonicalTypes = new Map<string, boolean>();

/** True when the type text is already in the spelling `CAST(x AS T)` would re-create. */
function isCanonicalType(text: string): boolean {
  let ok = canonicalTypes.get(text);
  if (ok === undefined) {
    try {
      ok = formatType(parseTypeAst(text)) === text;
    } catch {
      ok = false;
    }
    if (canonicalTypes.size < 10000) canonicalTypes.set(text, ok);
  }
  return ok;
}
