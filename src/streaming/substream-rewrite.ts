import type { Expr, SelectQuery } from '../sql/ast.js';
import { exprName } from '../analyzer/column-name.js';

/**
 * Proton reads `agg(x) OVER (PARTITION BY k)` in a streaming query as an aggregate per substream: the same as
 * `agg(x) … PARTITION BY k`. Rewrites such calls (an aggregate, a partition, no ORDER BY or frame) to plain
 * aggregates and adds their partition keys to the query's PARTITION BY.
 */
export function substreamAggregates(q: SelectQuery, isAggregate: (name: string) => boolean): SelectQuery {
  const partitionBy: Expr[] = [...(q.partitionBy ?? [])];
  let changed = false;
  const visit = (e: Expr): Expr => {
    if (e.kind !== 'function') return e;
    const args = e.args.map(visit);
    const over = e.over;
    if (over && !over.baseName && over.partitionBy.length && !over.orderBy.length && !over.frame && isAggregate(e.name)) {
      for (const p of over.partitionBy) if (!partitionBy.some((x) => exprName(x) === exprName(p))) partitionBy.push(p);
      changed = true;
      const { over: _over, ...plain } = e;
      return { ...plain, args };
    }
    return args.some((a, i) => a !== e.args[i]) ? { ...e, args } : e;
  };
  const columns = q.columns.map((c) => (c.kind === 'asterisk' ? c : visit(c)));
  const having = q.having ? visit(q.having) : undefined;
  if (!changed) return q;
  return { ...q, columns, having, partitionBy };
}
