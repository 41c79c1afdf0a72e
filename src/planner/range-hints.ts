import type { Expr } from '../sql/ast.js';
import type { RangeHint } from '../storage/table-storage.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import { Scope } from '../analyzer/scope.js';
import { baseType, type DataType } from '../types/data-type.js';

const COMPARISONS: Record<string, { op: 'ge' | 'gt' | 'le' | 'lt' | 'eq'; flip: 'ge' | 'gt' | 'le' | 'lt' | 'eq' }> = {
  greaterorequals: { op: 'ge', flip: 'le' },
  greater: { op: 'gt', flip: 'lt' },
  lessorequals: { op: 'le', flip: 'ge' },
  less: { op: 'lt', flip: 'gt' },
  equals: { op: 'eq', flip: 'eq' },
};

/** Column kinds whose storage value is a plain number that orders like the value (what granule min/max hold). */
const RANGEABLE = /^(U?Int(8|16|32)|Float(32|64)|Date|Date32|DateTime|DateTime64)$/;

/** `col IN (c1, c2, …)` bounds col by the smallest and largest constant. */
function inBounds(
  left: Expr,
  right: Expr,
  columns: ReadonlyMap<string, DataType>,
  env: CompileEnv,
  aliases: ReadonlyMap<string, Expr>,
  bounds: Map<string, { min?: number; max?: number }>,
): void {
  if (left.kind !== 'identifier') return;
  const column = left.parts[left.parts.length - 1]!;
  const type = columns.get(column);
  if (!type || type.kind === 'Nullable' || !RANGEABLE.test(baseType(type).kind)) return;
  const alias = aliases.get(column);
  if (alias && !(alias.kind === 'identifier' && alias.parts[alias.parts.length - 1] === column)) return;
  const items = right.kind === 'function' && right.name.toLowerCase() === 'tuple' ? right.args : right.kind === 'literal' ? [right] : undefined;
  if (!items?.length) return;
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    try {
      const c = compileExpression(env, new Scope([]), { kind: 'function', name: 'CAST', args: [item, { kind: 'literal', value: type.name }] });
      if (!c.constant || typeof c.constant.value !== 'number') return;
      min = Math.min(min, c.constant.value);
      max = Math.max(max, c.constant.value);
    } catch {
      return;
    }
  }
  const b0 = bounds.get(column) ?? {};
  b0.min = b0.min === undefined ? min : Math.max(b0.min, min);
  b0.max = b0.max === undefined ? max : Math.min(b0.max, max);
  bounds.set(column, b0);
}

function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'function' && e.name.toLowerCase() === 'and') return e.args.flatMap(conjuncts);
  return [e];
}

/**
 * Bounds on storage columns implied by a WHERE clause (`ts >= '2024-01-01' AND ts < …`, `id = 5`), in the
 * column's storage unit, so storage can skip partitions and granules. Conservative: anything it does not
 * understand contributes no bound, and the filter still runs on what is read.
 */
export function rangeHints(where: Expr | undefined, columns: ReadonlyMap<string, DataType>, env: CompileEnv, aliases: ReadonlyMap<string, Expr> = new Map()): RangeHint[] {
  if (!where) return [];
  const bounds = new Map<string, { min?: number; max?: number }>();
  const empty = new Scope([]);
  for (const c of conjuncts(where)) {
    if (c.kind === 'function' && c.name.toLowerCase() === 'in' && c.args.length === 2) {
      inBounds(c.args[0]!, c.args[1]!, columns, env, aliases, bounds);
      continue;
    }
    if (c.kind !== 'function' || c.args.length !== 2) continue;
    const cmp = COMPARISONS[c.name.toLowerCase()];
    if (!cmp) continue;
    const [a, b] = c.args as [Expr, Expr];
    let column: string | undefined;
    let constant: Expr | undefined;
    let op = cmp.op;
    if (a.kind === 'identifier' && columns.has(a.parts[a.parts.length - 1]!)) {
      column = a.parts[a.parts.length - 1]!;
      constant = b;
    } else if (b.kind === 'identifier' && columns.has(b.parts[b.parts.length - 1]!)) {
      column = b.parts[b.parts.length - 1]!;
      constant = a;
      op = cmp.flip;
    }
    if (!column || !constant || constant.kind === 'identifier') continue;
    // An alias of the same name shadows the column in WHERE: then this is not a bound on the column.
    const alias = aliases.get(column);
    if (alias && !(alias.kind === 'identifier' && alias.parts[alias.parts.length - 1] === column)) continue;
    const type = columns.get(column)!;
    if (type.kind === 'Nullable' || !RANGEABLE.test(baseType(type).kind)) continue;
    let value: number;
    try {
      const compiled = compileExpression(env, empty, { kind: 'function', name: 'CAST', args: [constant, { kind: 'literal', value: type.name }] });
      if (!compiled.constant || typeof compiled.constant.value !== 'number') continue;
      value = compiled.constant.value;
    } catch {
      continue; // not a constant, or not convertible: no bound
    }
    const b0 = bounds.get(column) ?? {};
    if (op === 'ge' || op === 'gt' || op === 'eq') b0.min = b0.min === undefined ? value : Math.max(b0.min, value);
    if (op === 'le' || op === 'lt' || op === 'eq') b0.max = b0.max === undefined ? value : Math.min(b0.max, value);
    bounds.set(column, b0);
  }
  return [...bounds].map(([column, b]) => ({ column, ...b }));
}
