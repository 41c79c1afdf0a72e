import type { Expr, SelectQuery } from '../sql/ast.js';
import { exprName } from '../analyzer/column-name.js';
import { DbError } from '../errors/db-error.js';

/** Functions with state across rows: under PARTITION BY they keep it per substream (Proton's isStateful). */
const STATEFUL = new Set(['lag', 'lags', 'neighbor', 'running_difference', 'runningdifference', 'running_accumulate', 'runningaccumulate']);

/**
 * Proton reads `agg(x) OVER (PARTITION BY k)` in a streaming query as an aggregate per substream: the same as
 * `agg(x) … PARTITION BY k`. Rewrites such calls (an aggregate, a partition, no ORDER BY or frame) to plain
 * aggregates and adds their partition keys to the query's PARTITION BY.
 */
export function substreamAggregates(q: SelectQuery, isAggregate: (name: string) => boolean): SelectQuery {
  checkOverCombinations(q, isAggregate);
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

/**
 * Proton's limits on OVER in a streaming query (InterpreterSelectQuery): a PARTITION BY clause turns every
 * aggregate and stateful function of the SELECT list into one OVER that partition; then plain aggregates
 * cannot sit beside OVER calls, nor aggregates OVER a partition beside stateful functions OVER one.
 */
function checkOverCombinations(q: SelectQuery, isAggregate: (name: string) => boolean): void {
  const byClause = !!q.partitionBy?.length;
  let plainAggregates = 0;
  let aggregateOvers = 0;
  let otherOvers = 0;
  const visit = (e: Expr): void => {
    if (e.kind !== 'function') return;
    const name = e.name.toLowerCase();
    const aggregate = isAggregate(e.name);
    if (e.over || (byClause && (aggregate || STATEFUL.has(name)))) {
      if (aggregate) aggregateOvers++;
      else otherOvers++;
      return;
    }
    if (aggregate) plainAggregates++;
    for (const a of e.args) visit(a);
  };
  for (const c of q.columns) if (c.kind !== 'asterisk') visit(c);
  if (plainAggregates && (aggregateOvers || otherOvers)) {
    throw new DbError('NOT_IMPLEMENTED', 'Window over aggregation is not compatible with non-window over aggregation in the same query');
  }
  if (aggregateOvers && otherOvers) {
    throw new DbError('NOT_IMPLEMENTED', 'Window over aggregation is not compatible with window over non-aggregation in the same query');
  }
}
