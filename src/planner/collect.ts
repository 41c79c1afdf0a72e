import type { Expr, FunctionExpr, SelectQuery, SubqueryExpr } from '../sql/ast.js';
import type { FunctionLookup } from '../analyzer/function-lookup.js';
import { exprName } from '../analyzer/column-name.js';

/**
 * Walks an expression, following aliases like the compiler does. Each alias is walked once per walk: every
 * caller collects into a set, and walking `a + a AS b, b + b AS c, …` again per reference would be exponential.
 */
function walk(e: Expr, aliases: ReadonlyMap<string, Expr>, visit: (e: Expr) => boolean, seen = new Set<string>()): void {
  if (!visit(e)) return;
  switch (e.kind) {
    case 'identifier':
      if (e.parts.length === 1) {
        const a = aliases.get(e.parts[0]!);
        if (a && !seen.has(e.parts[0]!) && !(a.kind === 'identifier' && a.parts.join('.') === e.parts[0])) {
          seen.add(e.parts[0]!);
          walk(a, aliases, visit, seen);
        }
      }
      return;
    case 'function':
      for (const a of e.args) walk(a, aliases, visit, seen);
      return;
    case 'lambda':
      walk(e.body, aliases, visit, seen);
      return;
    default:
      return;
  }
}

/** Aggregate function calls (not window functions) in the expressions, deduplicated by column name. */
export function collectAggregates(exprs: readonly Expr[], aliases: ReadonlyMap<string, Expr>, fns: FunctionLookup): FunctionExpr[] {
  const out = new Map<string, FunctionExpr>();
  for (const root of exprs) {
    walk(root, aliases, (e) => {
      if (e.kind !== 'function') return true;
      if (e.over) return false;
      if (fns.isAggregate(e.name) || (e.distinct && fns.isAggregate(e.name + 'Distinct'))) {
        out.set(exprName(e), e);
        return false;
      }
      return true;
    });
  }
  return [...out.values()];
}

/** Whether the SELECT list or HAVING of `q` calls an aggregate function (GROUP BY aside). */
export function callsAggregates(q: SelectQuery, fns: FunctionLookup): boolean {
  const exprs = q.columns.filter((c): c is Expr => c.kind !== 'asterisk');
  if (q.having) exprs.push(q.having);
  return collectAggregates(exprs, new Map(), fns).length > 0;
}

/** Window function calls (`f(...) OVER (...)`). */
export function collectWindowCalls(exprs: readonly Expr[], aliases: ReadonlyMap<string, Expr>): FunctionExpr[] {
  const out = new Map<string, FunctionExpr>();
  for (const root of exprs) {
    walk(root, aliases, (e) => {
      if (e.kind === 'function' && e.over) {
        out.set(exprName(e), e);
        return false;
      }
      return true;
    });
  }
  return [...out.values()];
}

/** `arrayJoin(x)` calls in the SELECT list. */
export function collectArrayJoins(exprs: readonly Expr[], aliases: ReadonlyMap<string, Expr>): FunctionExpr[] {
  const out = new Map<string, FunctionExpr>();
  for (const root of exprs) {
    walk(root, aliases, (e) => {
      if (e.kind === 'function' && (e.name.toLowerCase() === 'arrayjoin' || e.name === 'array_join')) {
        out.set(exprName(e), e);
        return false;
      }
      return true;
    });
  }
  return [...out.values()];
}

/** Subqueries used as expressions (scalar or IN). */
export function collectSubqueries(exprs: readonly (Expr | undefined)[], aliases: ReadonlyMap<string, Expr>): SubqueryExpr[] {
  const out: SubqueryExpr[] = [];
  for (const root of exprs) {
    if (!root) continue;
    walk(root, aliases, (e) => {
      if (e.kind === 'subquery') {
        out.push(e);
        return false;
      }
      return true;
    });
  }
  return out;
}

