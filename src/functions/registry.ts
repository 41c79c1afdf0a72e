import { DbError } from '../errors/index.js';
import type { DataType } from '../types/data-type.js';
import type { Value } from '../columns/values.js';
import type {
  AggregateFunction,
  AggregateFunctionDescriptor,
  ArgumentInfo,
  FunctionContext,
  ResolvedFunction,
  ScalarFunction,
} from './function.js';
import { toSnakeCase } from './core/naming.js';
import { withDefaultNulls } from './core/null-handling.js';
import { withAggregateNulls } from './aggregate/null-wrapper.js';
import { COMBINATORS, type Combinator } from './aggregate/combinators.js';
import type { WindowFunctionDescriptor } from './window/window-function.js';

/** One row of system.functions. */
export interface FunctionListing {
  readonly name: string;
  readonly isAggregate: boolean;
  readonly isWindow: boolean;
  readonly caseInsensitive: boolean;
  /** The canonical name when this row is an alias, else ''. */
  readonly aliasTo: string;
  readonly category: string;
  readonly description: string;
  readonly syntax: string;
  readonly arguments: string;
  readonly returnedValue: string;
  readonly examples: string;
  /** ClickHouse's system.functions.origin: 'System' when absent; user-defined functions say 'SQLUserDefined' / 'ExecutableUserDefined'. */
  readonly origin?: string;
  /** The CREATE FUNCTION statement of a user-defined function. */
  readonly createQuery?: string;
}

/** Scalar functions the engine treats specially (it implements their row semantics itself). */
export interface SpecialScalarFunction extends ScalarFunction {
  /** `arrayJoin`: the engine replicates rows; `in`: the engine builds a set from the right side. */
  readonly special?: 'arrayJoin' | 'in' | 'lambdaOnly';
}

type Kind = 'scalar' | 'aggregate' | 'window';

interface Entry {
  readonly kind: Kind;
  readonly canonical: string;
  readonly scalar?: ScalarFunction;
  readonly aggregate?: AggregateFunctionDescriptor;
  readonly window?: WindowFunctionDescriptor;
}

/**
 * All functions by name. Lookups try the exact name, then (for functions ClickHouse marks case-insensitive)
 * the lower-cased name. Every camelCase name also answers to Proton's snake_case spelling. Aggregate names
 * may carry combinator suffixes (`sumIf`, `uniqMerge`, `count_distinct_if`), resolved on demand.
 */
export class FunctionRegistry {
  private readonly exact = new Map<string, Entry>();
  private readonly lower = new Map<string, Entry>();
  /** name → canonical, for every alias row of system.functions */
  private readonly aliasRows = new Map<string, { canonical: string; caseInsensitive: boolean }>();
  private readonly combinedCache = new Map<string, AggregateFunctionDescriptor | null>();
  /** Window functions by name and alias, also those whose name a scalar function holds (`lag`). */
  private readonly windowsByName = new Map<string, Entry>();

  registerScalar(fn: ScalarFunction): void {
    this.add({ kind: 'scalar', canonical: fn.name, scalar: withDefaultNulls(fn) }, fn.name, fn.aliases ?? [], fn.caseInsensitive ?? false);
  }

  registerAggregate(desc: AggregateFunctionDescriptor): void {
    this.add({ kind: 'aggregate', canonical: desc.name, aggregate: withAggregateNulls(desc) }, desc.name, desc.aliases ?? [], desc.caseInsensitive ?? false);
    this.combinedCache.clear();
  }

  registerWindow(desc: WindowFunctionDescriptor): void {
    const entry: Entry = { kind: 'window', canonical: desc.name, window: desc };
    for (const n of [desc.name, ...(desc.aliases ?? [])]) this.windowsByName.set(n, entry);
    // A scalar of the same name keeps the plain name (Proton's streaming `lag(x)`); `lag(x) OVER (…)` still finds the window function.
    if (this.exact.get(desc.name)?.kind === 'scalar') return;
    this.add(entry, desc.name, desc.aliases ?? [], desc.caseInsensitive ?? false);
  }

  private add(entry: Entry, name: string, aliases: readonly string[], caseInsensitive: boolean): void {
    const names = new Set<string>([name, ...aliases]);
    for (const n of [name, ...aliases]) {
      const snake = toSnakeCase(n);
      if (snake !== n) names.add(snake);
      // Proton keeps the date-format letters as written: `to_YYYYMM`, `to_YYYYMMDDhhmmss`.
      if (/^to[A-Z]*YYYY/.test(n)) names.add(n.replace(/^to/, 'to_'));
    }
    for (const n of names) {
      const existing = this.exact.get(n);
      // an explicit registration wins over a derived alias of another function
      if (existing && existing.canonical !== entry.canonical && n !== name && existing.canonical === n) continue;
      this.exact.set(n, entry);
      if (n !== name) this.aliasRows.set(n, { canonical: name, caseInsensitive });
      // a function of its own now, no longer another one's derived alias (Proton's top_k is not topK)
      else this.aliasRows.delete(n);
      if (caseInsensitive) this.lower.set(n.toLowerCase(), entry);
    }
  }

  private lookup(name: string): Entry | undefined {
    return this.exact.get(name) ?? this.lower.get(name.toLowerCase());
  }

  getScalar(name: string): ScalarFunction | undefined {
    const e = this.lookup(name);
    return e?.kind === 'scalar' ? e.scalar : undefined;
  }

  getWindow(name: string): WindowFunctionDescriptor | undefined {
    const e = this.lookup(name);
    return e?.kind === 'window' ? e.window : this.windowsByName.get(name)?.window;
  }

  /** An aggregate by name, with combinator suffixes resolved (`sumIf`, `uniqMerge`, `avgOrNullIf`). */
  getAggregate(name: string): AggregateFunctionDescriptor | undefined {
    const e = this.lookup(name);
    if (e?.kind === 'aggregate') return e.aggregate;
    if (e) return undefined;
    let cached = this.combinedCache.get(name);
    if (cached === undefined) {
      cached = this.resolveCombinators(name) ?? null;
      this.combinedCache.set(name, cached);
    }
    return cached ?? undefined;
  }

  private resolveCombinators(name: string): AggregateFunctionDescriptor | undefined {
    for (const c of COMBINATORS) {
      for (const suffix of c.suffixes) {
        if (name.length <= suffix.length || !name.endsWith(suffix)) continue;
        const baseName = name.slice(0, name.length - suffix.length);
        // count(DISTINCT x) counts distinct values: ClickHouse's count_distinct_implementation = uniqExact.
        if (c.name === 'Distinct' && /^count$/i.test(baseName)) {
          const u = this.getAggregate('uniqExact');
          if (u) return { ...u, name };
        }
        const base = this.getAggregate(baseName);
        if (!base) continue;
        // The base is already NULL-aware (its arguments go through AggregateFunctionNull).
        return this.combine(c, base, name);
      }
    }
    return undefined;
  }

  private combine(c: Combinator, base: AggregateFunctionDescriptor, name: string): AggregateFunctionDescriptor {
    return c.wrap(base, name);
  }

  isAggregate(name: string): boolean {
    return this.getAggregate(name) !== undefined;
  }

  isWindow(name: string): boolean {
    return this.getWindow(name) !== undefined;
  }

  /** True for scalar, aggregate (incl. combinator forms) and window functions. */
  has(name: string): boolean {
    return this.lookup(name) !== undefined || this.getAggregate(name) !== undefined;
  }

  /** The engine's special functions (arrayJoin …). */
  specialOf(name: string): SpecialScalarFunction['special'] | undefined {
    const fn = this.getScalar(name) as SpecialScalarFunction | undefined;
    return fn?.special;
  }

  /** Resolves a scalar function call or throws UNKNOWN_FUNCTION (with a "maybe you meant" hint). */
  resolveScalar(name: string, args: readonly ArgumentInfo[], ctx: FunctionContext): ResolvedFunction {
    const fn = this.getScalar(name);
    if (!fn) {
      if (this.isAggregate(name)) throw new DbError('ILLEGAL_AGGREGATION', `Aggregate function ${name} is found in wrong place in query`);
      throw this.unknown(name);
    }
    return fn.resolve(args, ctx);
  }

  resolveAggregate(name: string, params: readonly Value[], argTypes: readonly DataType[], ctx: FunctionContext): AggregateFunction {
    const fn = this.getAggregate(name);
    if (!fn) throw new DbError('UNKNOWN_AGGREGATE_FUNCTION', `Unknown aggregate function ${name}${this.hint(name)}`);
    return fn.resolve(params, argTypes, ctx);
  }

  unknown(name: string): DbError {
    return new DbError('UNKNOWN_FUNCTION', `Unknown function ${name}${this.hint(name)}`);
  }

  private hint(name: string): string {
    const lower = name.toLowerCase();
    let best: string | undefined;
    let bestD = 3;
    for (const n of this.exact.keys()) {
      if (Math.abs(n.length - name.length) > 2) continue;
      const d = editDistance(lower, n.toLowerCase(), bestD);
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    return best ? `. Maybe you meant: ['${best}']` : '';
  }

  /** Rows for system.functions: every function and every alias (snake_case spellings included). */
  list(): FunctionListing[] {
    const out: FunctionListing[] = [];
    const seen = new Set<string>();
    for (const [name, e] of this.exact) {
      if (seen.has(name)) continue;
      seen.add(name);
      const d = e.scalar ?? e.aggregate ?? e.window!;
      const alias = this.aliasRows.get(name);
      out.push({
        name,
        isAggregate: e.kind !== 'scalar',
        isWindow: e.kind === 'window',
        caseInsensitive: alias ? alias.caseInsensitive && name.toLowerCase() === name.toLowerCase() && (d.caseInsensitive ?? false) : (d.caseInsensitive ?? false),
        aliasTo: alias ? alias.canonical : '',
        category: d.category,
        description: d.description,
        syntax: d.syntax ?? '',
        arguments: d.arguments ?? '',
        returnedValue: d.returnedValue ?? '',
        examples: d.examples ?? '',
      });
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }

  /** Canonical functions only (no alias rows), for the docs. */
  canonical(): { kind: Kind; fn: ScalarFunction | AggregateFunctionDescriptor | WindowFunctionDescriptor; aliases: string[] }[] {
    const byCanonical = new Map<string, { kind: Kind; fn: ScalarFunction | AggregateFunctionDescriptor | WindowFunctionDescriptor; aliases: string[] }>();
    for (const [name, e] of this.exact) {
      const fn = e.scalar ?? e.aggregate ?? e.window!;
      let rec = byCanonical.get(e.canonical);
      if (!rec) byCanonical.set(e.canonical, (rec = { kind: e.kind, fn, aliases: [] }));
      if (name !== e.canonical) rec.aliases.push(name);
    }
    // Window functions whose name a scalar holds (`lag`) are documented too.
    for (const e of new Set(this.windowsByName.values())) {
      if (this.exact.get(e.canonical) !== e) byCanonical.set(`window:${e.canonical}`, { kind: 'window', fn: e.window!, aliases: [] });
    }
    return [...byCanonical.values()].sort((a, b) => (a.fn.name < b.fn.name ? -1 : 1));
  }
}

function editDistance(a: string, b: string, limit: number): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[n]!;
}
