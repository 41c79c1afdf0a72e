import type { Header } from '../../src/core/block.js';
import { T, nullableType } from '../../src/types/data-type.js';
import type { MysqlErrorCode } from './mysql-errors.js';
import type { MysqlVariables, VariableValue } from './mysql-variables.js';
import type { Value } from '../../src/columns/values.js';
import type { Token } from './sql-scanner.js';

/** The shapes shared by the MySQL compatibility table (mysql-compat.ts) and its statement families. */

export interface ProcessRow {
  readonly id: number;
  readonly user: string;
  readonly host: string;
  readonly db: string;
  readonly command: string;
  readonly timeSec: number;
  readonly info: string | null;
}

export interface CompatContext {
  readonly variables: MysqlVariables;
  readonly userVariables: Map<string, VariableValue>;
  readonly connectionId: number;
  readonly database: string;
  readonly user: string;
  processList(): ProcessRow[];
}

/** One `SET` assignment: what it targets and the expression text (evaluated by the connection). */
export interface SetAssignment {
  readonly target: 'system' | 'user';
  readonly name: string;
  /** The value's SQL text; `DEFAULT` resets a system variable. */
  readonly expr: string;
}

export type CompatAction =
  | { readonly kind: 'ok' }
  | { readonly kind: 'rows'; readonly header: Header; readonly rows: Value[][] }
  | { readonly kind: 'engine'; readonly sql: string }
  | { readonly kind: 'engine_rows'; readonly sql: string; readonly transform: (rows: Value[][]) => { header: Header; rows: Value[][] } }
  | { readonly kind: 'set'; readonly assignments: readonly SetAssignment[]; readonly engineSql?: string }
  | { readonly kind: 'kill'; readonly connectionId: number; readonly queryOnly: boolean }
  | { readonly kind: 'error'; readonly code: MysqlErrorCode; readonly message: string };

export class CompatError extends Error {
  constructor(readonly code: MysqlErrorCode, message: string) {
    super(message);
  }
}

export const S = T.String;
export const NS = nullableType(T.String);

export function strHeader(...names: string[]): Header {
  return names.map((name) => ({ name, type: S }));
}

/** SQL string literal with ClickHouse escapes. */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function quoteIdent(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}

/** MySQL's LIKE (case-insensitive, `%` and `_`, backslash escapes) as a RegExp. */
export function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}


/** A cursor over significant tokens with keyword helpers. */
export class Words {
  i = 0;
  constructor(readonly t: Token[], readonly sql: string) {}
  peek(k = 0): Token | undefined {
    return this.t[this.i + k];
  }
  is(word: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.kind === 'word' && t.text.toUpperCase() === word;
  }
  accept(...words: string[]): boolean {
    if (!words.every((w, k) => this.is(w, k))) return false;
    this.i += words.length;
    return true;
  }
  acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === p) {
      this.i++;
      return true;
    }
    return false;
  }
  /** An identifier (plain or backticked); undefined at anything else. */
  ident(): string | undefined {
    const t = this.peek();
    if (t && (t.kind === 'word' || t.kind === 'quoted_ident' || (t.kind === 'string' && this.sql[t.start] === '"'))) {
      this.i++;
      return t.text;
    }
    return undefined;
  }
  /** `name` or `db.name`. */
  qualified(): { db?: string; name: string } | undefined {
    const a = this.ident();
    if (a === undefined) return undefined;
    if (this.acceptPunct('.')) {
      const b = this.ident();
      if (b === undefined) return undefined;
      return { db: a, name: b };
    }
    return { name: a };
  }
  string(): string | undefined {
    const t = this.peek();
    if (t?.kind === 'string') {
      this.i++;
      return t.text;
    }
    return undefined;
  }
  get done(): boolean {
    return this.i >= this.t.length || (this.i === this.t.length - 1 && this.t[this.i]!.kind === 'punct' && this.t[this.i]!.text === ';');
  }
  rest(): string {
    const t = this.peek();
    return t ? this.sql.slice(t.start).replace(/;\s*$/, '') : '';
  }
}
