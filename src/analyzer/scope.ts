import type { DataType } from '../types/data-type.js';
import type { Expr } from '../sql/ast.js';
import type { Header } from '../core/block.js';
import { DbError } from '../errors/index.js';

/** A column visible to expressions: its position in the input block and the names it answers to. */
export interface ScopeColumn {
  /** The column's own name (as it appears in the input block header). */
  readonly name: string;
  readonly type: DataType;
  readonly index: number;
  /** Table aliases/names that may qualify it: `t` in `t.a`, `db.t` in `db.t.a`. */
  readonly qualifiers: readonly string[];
  /** The unqualified name to match (differs from `name` for right-side join columns renamed `t2.a`). */
  readonly shortName: string;
  /** Reserved columns (`_tp_time`, `_tp_sn` …) are visible by name but not in `SELECT *`. */
  readonly hidden?: boolean;
  /** Called when an expression references the column (storage scans read only referenced columns). */
  readonly onUse?: () => void;
}

/**
 * Name resolution for one query stage: the columns of the input block plus the SELECT's aliases
 * (ClickHouse lets an alias be used anywhere in the query, and an alias wins over a column of the same name).
 */
export class Scope {
  private readonly byShort = new Map<string, ScopeColumn[]>();
  private readonly byFull = new Map<string, ScopeColumn>();

  constructor(
    readonly columns: readonly ScopeColumn[],
    readonly aliases: ReadonlyMap<string, Expr> = new Map(),
  ) {
    for (const c of columns) {
      const list = this.byShort.get(c.shortName);
      if (list) list.push(c);
      else this.byShort.set(c.shortName, [c]);
      if (!this.byFull.has(c.name)) this.byFull.set(c.name, c);
      for (const q of c.qualifiers) this.byFull.set(`${q}.${c.shortName}`, c);
    }
  }

  static fromHeader(header: Header, qualifiers: readonly string[] = []): Scope {
    return new Scope(header.map((c, index) => ({ name: c.name, type: c.type, index, qualifiers, shortName: c.name })));
  }

  withAliases(aliases: ReadonlyMap<string, Expr>): Scope {
    return new Scope(this.columns, aliases);
  }

  /** Exact match on a column's name: how stages find aggregate results and GROUP BY keys by expression text. */
  byName(name: string): ScopeColumn | undefined {
    const c = this.byFull.get(name);
    c?.onUse?.();
    return c;
  }

  resolve(parts: readonly string[]): ScopeColumn | undefined {
    const full = parts.join('.');
    let c = this.byFull.get(full);
    if (!c && parts.length === 1) c = this.byShort.get(parts[0]!)?.[0];
    c?.onUse?.();
    return c;
  }

  /** Like resolve, without marking the column used (for planning decisions). */
  resolveQuiet(parts: readonly string[]): ScopeColumn | undefined {
    return this.byFull.get(parts.join('.')) ?? (parts.length === 1 ? this.byShort.get(parts[0]!)?.[0] : undefined);
  }

  /** For `SELECT *` / `t.*`: visible columns, optionally only those of one table. */
  star(qualifier?: readonly string[]): ScopeColumn[] {
    const q = qualifier?.join('.');
    return this.columns.filter((c) => !c.hidden && (q === undefined || c.qualifiers.includes(q)));
  }

  unknown(parts: readonly string[]): DbError {
    const name = parts.join('.');
    const available = this.columns.filter((c) => !c.hidden).map((c) => c.name).slice(0, 20).join(', ');
    return new DbError(
      'UNKNOWN_IDENTIFIER',
      `Missing columns: '${name}' while processing query. Unknown identifier: ${name}; there are columns: ${available}`,
    );
  }
}
