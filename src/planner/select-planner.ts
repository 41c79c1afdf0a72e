import type { Expr, FunctionExpr, OrderItem, Query, SelectQuery, SubqueryExpr, WindowFrameBound, WindowSpec } from '../sql/ast.js';
import { WindowNode, type WindowGroup } from '../exec/operators/window.js';
import { DbError } from '../errors/index.js';
import { Block, type Header } from '../core/block.js';
import { Scope, type ScopeColumn } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { exprName } from '../analyzer/column-name.js';
import { removeLowCardinality, simpleType, T } from '../types/data-type.js';
import { DELTA_COLUMN, IMPLICIT_DELTA, isChangelogPlan } from '../streaming/stream-mode.js';
import { leastSupertype } from '../types/supertype.js';
import { NumbersSource, OneRowSource } from '../exec/operators/sources.js';
import { DistinctNode, LimitByNode, LimitNode, SetOperationNode, UnionAllNode } from '../exec/operators/limit.js';
import { ExpressionNode, FilterNode, SelectColumnsNode } from '../exec/operators/filter.js';
import { AggregateNode, type AggregateSpec } from '../exec/operators/aggregate.js';
import { ArrayJoinNode } from '../exec/operators/array-join.js';
import { SortNode, type SortKey } from '../exec/operators/sort.js';
import type { Value } from '../columns/values.js';
import type { PlanNode } from './plan-node.js';
import type { QueryContext } from '../exec/query-context.js';
import type { PlannerEnv } from './planner-env.js';
import { constantArgs, planFrom } from './from-planner.js';
import { PruningScan } from './pruning-scan.js';
import { rangeHints } from './range-hints.js';
import { callsAggregates, collectAggregates, collectArrayJoins, collectSubqueries, collectWindowCalls } from './collect.js';
import { isUnbounded } from './plan-node.js';
import { StreamingScan } from '../streaming/stream-scan.js';
import { PerEmitNode } from '../streaming/per-emit-node.js';
import { changelogInput, findWindow, planStreamingAggregate, trackChanges } from '../streaming/plan-streaming-aggregate.js';
import { SubstreamProjectionNode } from '../streaming/substream-projection.js';
import { SessionWindowNode } from '../streaming/session-window.js';
import { substreamAggregates } from '../streaming/substream-rewrite.js';
import { streamingFunctionLookup } from '../streaming/streaming-function-lookup.js';

/** Results a query produces beside its blocks. */
export interface QueryExtras {
  /** The WITH TOTALS row as the aggregation produced it; `projectTotals` shapes it like the result rows. */
  totals?: Block;
  projectTotals?: (raw: Block) => Block;
  limitNode?: LimitNode;
}

function stripAlias(e: Expr): Expr {
  if (e.alias === undefined) return e;
  const { alias: _a, ...rest } = e;
  return rest as Expr;
}

function numberLiteral(e: Expr): number | undefined {
  if (e.kind === 'literal' && (typeof e.value === 'number' || typeof e.value === 'bigint') && Number.isInteger(Number(e.value))) return Number(e.value);
  return undefined;
}

/** A post-aggregation scope that reports columns outside GROUP BY as ClickHouse does. */
class AggregatedScope extends Scope {
  constructor(
    columns: readonly ScopeColumn[],
    aliases: ReadonlyMap<string, Expr>,
    private readonly before: Scope,
  ) {
    super(columns, aliases);
  }
  override unknown(parts: readonly string[]): DbError {
    if (this.before.resolveQuiet(parts)) {
      return new DbError('NOT_AN_AGGREGATE', `Column \`${parts.join('.')}\` is not under aggregate function and not in GROUP BY`);
    }
    return super.unknown(parts);
  }
}

export class QueryPlanner {
  constructor(
    readonly env: PlannerEnv,
    readonly extras: QueryExtras = {},
  ) {}

  async plan(q: Query, ctes: ReadonlyMap<string, Query> = new Map(), top = true): Promise<PlanNode> {
    if (q.kind === 'select') return this.planSelect(q, ctes, top);
    const left = await this.plan(q.left, ctes, false);
    const right = await this.plan(q.right, ctes, false);
    if (left.header.length !== right.header.length) {
      throw new DbError('UNION_ALL_RESULT_STRUCTURES_MISMATCH', `Different number of columns in ${q.op} elements: ${left.header.length} and ${right.header.length}`);
    }
    const [l, r] = this.castToCommon(left, right);
    switch (q.op) {
      case 'UNION ALL':
        return new UnionAllNode([l, r]);
      case 'UNION DISTINCT':
        return new DistinctNode(new UnionAllNode([l, r]), l.header.map((_, i) => i));
      case 'EXCEPT':
      case 'EXCEPT DISTINCT':
        return new SetOperationNode(l, r, 'EXCEPT', q.op === 'EXCEPT DISTINCT' || true);
      case 'INTERSECT':
      case 'INTERSECT DISTINCT':
        return new SetOperationNode(l, r, 'INTERSECT', true);
    }
  }

  /** A planner for `table(view or CTE)`: every stream it reads is read as a bounded table. */
  private historical(): QueryPlanner {
    const settings = new Map(this.env.settings);
    settings.set('query_mode', 'table');
    return new QueryPlanner({ ...this.env, settings }, this.extras);
  }

  private castToCommon(a: PlanNode, b: PlanNode): [PlanNode, PlanNode] {
    const common = a.header.map((c, i) => leastSupertype([c.type, b.header[i]!.type]));
    const cast = (n: PlanNode): PlanNode => {
      if (n.header.every((c, i) => c.type.name === common[i]!.name)) return n;
      const scope = Scope.fromHeader(n.header.map((c, i) => ({ name: `__c${i}`, type: c.type })));
      const env = this.compileEnv(new Map());
      const exprs = common.map((t, i) =>
        n.header[i]!.type.name === t.name
          ? compileExpression(env, scope, { kind: 'identifier', parts: [`__c${i}`] })
          : compileExpression(env, scope, { kind: 'function', name: 'CAST', args: [{ kind: 'identifier', parts: [`__c${i}`] }, { kind: 'literal', value: t.name }] }),
      );
      const renamed: PlanNode = { header: scope.columns.map((c) => ({ name: c.name, type: c.type })), children: [n], describe: () => 'Rename', run: (ctx) => renameRun(n, scope.columns.map((c) => ({ name: c.name, type: c.type })), ctx) };
      return new ExpressionNode(renamed, exprs, a.header.map((c) => c.name), 'Cast');
    };
    return [cast(a), cast(b)];
  }

  private compileEnv(subqueries: ReadonlyMap<SubqueryExpr, Block>, aggregateContext?: string, streaming = false): CompileEnv {
    return {
      functions: streaming ? streamingFunctionLookup(this.env.functions) : this.env.functions,
      fnCtx: this.env.fnCtx,
      params: this.env.params,
      subqueries: { get: (e) => subqueries.get(e) },
      aggregateContext,
      inTables: () => undefined,
    };
  }

  private async evalSubqueries(exprs: (Expr | undefined)[], aliases: ReadonlyMap<string, Expr>, ctes: ReadonlyMap<string, Query>): Promise<Map<SubqueryExpr, Block>> {
    const out = new Map<SubqueryExpr, Block>();
    for (const s of collectSubqueries(exprs, aliases)) {
      if (out.has(s)) continue;
      const node = await this.plan(s.query, ctes, false);
      out.set(s, await this.env.runToBlock(node));
    }
    return out;
  }

  private async planSelect(q: SelectQuery, outerCtes: ReadonlyMap<string, Query>, top: boolean): Promise<PlanNode> {
    const ctes = new Map(outerCtes);
    const aliases = new Map<string, Expr>();
    for (const w of q.with ?? []) {
      if (w.query) ctes.set(w.name, w.query);
      else if (w.expr) aliases.set(w.name, stripAlias(w.expr));
    }
    const from = q.from
      ? await planFrom(q.from, this.env, ctes, (sub, c, historical) => (historical ? this.historical() : this).plan(sub, c, false))
      : { node: new OneRowSource() as PlanNode, scope: Scope.fromHeader(new OneRowSource().header) };
    let node = from.node;
    let scope = from.scope;
    const streaming = isUnbounded(from.node);
    if (!streaming && q.emit) throw new DbError('SYNTAX_ERROR', 'EMIT is only valid in a streaming query (a query over a stream, not table())');
    if (streaming) q = substreamAggregates(q, (name) => !!this.env.functions.aggregate(name));
    // LIMIT with nothing that filters, groups or reorders rows before it: read no more than needed
    // (ClickHouse lowers max_block_size the same way), so `FROM system.numbers LIMIT 10` reads 10 rows.
    // Not under an aggregation without GROUP BY (`SELECT group_array(x) … LIMIT 1`): it reads everything, and over
    // a stream each smaller block would be an emission of its own.
    if (q.limit && !q.where && !q.prewhere && !q.groupBy && !q.groupByAll && !q.having && !q.orderBy && !q.distinct && !q.limitBy && !callsAggregates(q, this.env.functions)) {
      const limitRows = this.constNumber(q.limit, 'LIMIT') + (q.offset ? this.constNumber(q.offset, 'OFFSET') : 0);
      if (limitRows < 65536) node = new BlockSizeHint(node, Math.max(1, limitRows));
    }

    // SELECT list: expand asterisks, record aliases.
    const items: { expr: Expr; name: string; alias?: string }[] = [];
    for (const item of q.columns) {
      if (item.kind === 'asterisk') {
        let cols = scope.star(item.qualifier);
        if (item.except) cols = cols.filter((c) => !item.except!.includes(c.shortName) && !item.except!.includes(c.name));
        if (item.columnsRegexp) {
          const re = new RegExp(item.columnsRegexp);
          cols = cols.filter((c) => re.test(c.shortName));
        }
        if (item.columnsList) {
          cols = item.columnsList.map((n) => scope.resolveQuiet([n]) ?? (() => { throw scope.unknown([n]); })());
        }
        if (!cols.length && !item.columnsRegexp) throw new DbError('EMPTY_LIST_OF_COLUMNS_QUERIED', 'Empty list of columns in SELECT query');
        for (const c of cols) items.push({ expr: { kind: 'identifier', parts: [c.name] }, name: c.name });
        continue;
      }
      if (item.alias) {
        const prev = aliases.get(item.alias);
        if (prev && exprName(prev) !== exprName(stripAlias(item)) && !(q.with ?? []).some((w) => w.name === item.alias)) {
          throw new DbError('MULTIPLE_EXPRESSIONS_FOR_ALIAS', `Different expressions with the same alias ${item.alias}`);
        }
        aliases.set(item.alias, stripAlias(item));
      }
      items.push({ expr: stripAlias(item), name: item.alias ?? exprName(stripAlias(item)), alias: item.alias });
    }
    if (!items.length) throw new DbError('EMPTY_LIST_OF_COLUMNS_QUERIED', 'Empty list of columns in SELECT query');
    // A subquery that emits a changelog, or reads one without aggregating, hands its `_tp_delta` on, so the
    // query above it retracts.
    const aggregates = (q.groupBy?.length ?? 0) > 0 || collectAggregates(items.map((i) => i.expr), aliases, this.env.functions).length > 0;
    const passesDelta = q.emit?.changelog || (!aggregates && streaming && scope.resolveQuiet([DELTA_COLUMN]) !== undefined && isChangelogPlan(from.node));
    // `SELECT … EMIT CHANGELOG` without aggregation: versioned_kv sources below are read as changelogs.
    if (streaming && q.emit?.changelog && !aggregates) trackChanges(from.node);
    const implicitDelta = !top && !!passesDelta && !items.some((i) => i.name === DELTA_COLUMN);
    if (implicitDelta) items.push({ expr: { kind: 'identifier', parts: [DELTA_COLUMN] }, name: DELTA_COLUMN });
    // `AS` anywhere in an expression defines a query-wide alias (`has([0 AS x], x)`).
    for (const root of [...q.columns, q.where, q.prewhere, q.having, ...(q.groupBy ?? []), ...(q.orderBy ?? []).map((o) => o.expr)]) {
      if (root) collectNestedAliases(root, aliases, true);
    }

    const allExprs: (Expr | undefined)[] = [
      ...items.map((i) => i.expr),
      q.where,
      q.prewhere,
      q.having,
      ...(q.groupBy ?? []),
      ...(q.orderBy ?? []).map((o) => o.expr),
      ...(q.limitBy?.by ?? []),
    ];
    checkExpandedSize(allExprs, aliases);
    const subqueries = await this.evalSubqueries(allExprs, aliases, ctes);
    const cenv = this.compileEnv(subqueries, undefined, streaming);

    // arrayJoin() in the SELECT list replicates rows before WHERE, like ARRAY JOIN.
    const arrayJoins = collectArrayJoins(items.map((i) => i.expr), aliases);
    // Each arrayJoin() call is its own ARRAY JOIN, so two of them give every combination (ClickHouse semantics).
    for (const f of arrayJoins) {
      if (f.args.length !== 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Function arrayJoin requires exactly one argument');
      const array = compileExpression(cenv, scope.withAliases(aliases), f.args[0]!);
      const width = node.header.length;
      node = new ArrayJoinNode(node, [array], [exprName(f)], false);
      scope = new Scope([...scope.columns, { name: exprName(f), shortName: exprName(f), type: node.header[width]!.type, index: width, qualifiers: [] }]);
    }

    let sc = scope.withAliases(aliases);
    // Time and key ranges in WHERE let storage skip partitions and granules.
    const scan = from.node instanceof PruningScan || from.node instanceof StreamingScan ? from.node : undefined;
    if (scan) {
      const cols = new Map(scan.header.map((c) => [c.name, c.type]));
      for (const clause of [q.prewhere, q.where]) scan.ranges.push(...rangeHints(clause, cols, cenv, aliases));
    }
    // A streaming query bounded below in event time (`WHERE _tp_time >= …`) starts there: history first (backfill).
    if (scan instanceof StreamingScan && scan.start.kind === 'latest' && !this.env.settings.get('seek_to')) {
      const min = scan.ranges.find((r) => r.column === '_tp_time' && r.min !== undefined)?.min;
      if (min !== undefined) scan.start = { kind: 'time', value: min };
    }
    // system.numbers / numbers(): bounds on `number` shorten (or end) the scan. Compared as Float64, exact below 2^53.
    if (from.node instanceof NumbersSource && !from.node.zeros) {
      const cols = new Map([[from.node.columnName, T.Float64]]);
      for (const clause of [q.prewhere, q.where]) from.node.ranges.push(...rangeHints(clause, cols, cenv, aliases));
    }
    if (q.prewhere) node = new FilterNode(node, compileExpression({ ...cenv, aggregateContext: 'in PREWHERE' }, sc, q.prewhere), 'Prewhere');
    if (q.where) node = new FilterNode(node, compileExpression({ ...cenv, aggregateContext: 'in WHERE' }, sc, q.where), 'Filter');

    // GROUP BY and aggregates.
    const selectExprs = items.map((i) => i.expr);
    const orderExprs = (q.orderBy ?? []).map((o) => o.expr);
    const aggCalls = collectAggregates([...selectExprs, ...(q.having ? [q.having] : []), ...orderExprs], aliases, this.env.functions);
    const groupBy = (q.groupBy ?? []).map((g) => {
      const n = numberLiteral(g);
      if (n !== undefined && n >= 1 && n <= items.length) return items[n - 1]!.expr;
      return g;
    });
    let groupingSets: boolean[][] | undefined;
    if (q.groupByModifier === 'GROUPING SETS' && q.groupingSets) {
      const names: string[] = [];
      for (const set of q.groupingSets) for (const e of set) if (!names.includes(exprName(e))) (names.push(exprName(e)), groupBy.push(e));
      groupingSets = q.groupingSets.map((set) => names.map((n) => set.some((e) => exprName(e) === n)));
    }
    // PARTITION BY (Proton's substreams): each partition aggregates on its own, so its keys group too.
    if (aggCalls.length || groupBy.length) for (const p of q.partitionBy ?? []) if (!groupBy.some((g) => exprName(g) === exprName(p))) groupBy.push(p);
    if (q.groupByAll) {
      for (const it of items) if (!collectAggregates([it.expr], aliases, this.env.functions).length) groupBy.push(it.expr);
    }
    if (groupBy.length || aggCalls.length || q.having) {
      const keyEnv = { ...cenv, aggregateContext: 'in GROUP BY' };
      const keys = groupBy.map((g) => compileExpression(keyEnv, sc, g));
      const aggregates = aggCalls.map((call) => this.resolveAggregate(call, cenv, sc));
      // The post-aggregation scope: key columns also answer to their source column's name (`GROUP BY t.a` → `a`).
      const postHeader = [...keys.map((k) => ({ name: k.name, type: k.type })), ...aggregates.map((a) => ({ name: a.name, type: a.fn.returnType }))];
      const columns: ScopeColumn[] = postHeader.map((c, index) => {
        const g = index < groupBy.length ? groupBy[index]! : undefined;
        const parts = g && g.kind === 'identifier' ? g.parts : undefined;
        const resolved = parts ? scope.resolveQuiet(parts) : undefined;
        return { name: c.name, type: c.type, index, shortName: resolved ? resolved.shortName : c.name, qualifiers: resolved ? resolved.qualifiers : [] };
      });
      // EMIT CHANGELOG: the aggregation's output carries `_tp_delta` after its keys and aggregates.
      if (streaming && q.emit?.changelog) columns.push({ name: DELTA_COLUMN, shortName: DELTA_COLUMN, type: simpleType('Int8'), index: postHeader.length, qualifiers: [] });
      sc = new AggregatedScope(columns, aliases, scope);
      const having = q.having ? compileExpression(cenv, sc, q.having) : undefined;
      if (streaming || findWindow(node) instanceof SessionWindowNode) {
        if (q.withTotals || q.groupByModifier) throw new DbError('NOT_IMPLEMENTED', `${q.withTotals ? 'WITH TOTALS' : q.groupByModifier} is not supported in streaming queries`);
        const input = streaming ? changelogInput(node, scope, cenv, !!(q.where || q.prewhere)) : { node };
        node = planStreamingAggregate(input.node, keys, aggregates, having, q, cenv, input.delta);
      } else node = new AggregateNode(node, keys, aggregates, {
        having,
        withTotals: !!q.withTotals,
        modifier: q.groupByModifier === 'ROLLUP' || q.groupByModifier === 'CUBE' ? q.groupByModifier : undefined,
        groupingSets,
        // Totals of a subquery are dropped, as ClickHouse does; only the outer query reports them.
        onTotals: top ? (b) => (this.extras.totals = b) : undefined,
      });

    }

    const windows = collectWindowCalls([...selectExprs, ...orderExprs], aliases);
    if (windows.length) {
      node = this.planWindows(node, windows, q, cenv, sc);
      const added: ScopeColumn[] = node.header.slice(sc.columns.length).map((c, i) => ({ name: c.name, shortName: c.name, type: c.type, index: sc.columns.length + i, qualifiers: [] }));
      sc = sc instanceof AggregatedScope ? new AggregatedScope([...sc.columns, ...added], aliases, scope) : new Scope([...sc.columns, ...added], aliases);
    }

    // Projection, plus helper columns for ORDER BY / LIMIT BY expressions that are not in the SELECT list.
    // An aliased item compiles through its alias, so `x + 1 AS x` reads column x inside its own definition.
    const projected: CompiledExpr[] = items.map((i) => compileExpression(cenv, sc, i.alias ? { kind: 'identifier', parts: [i.alias] } : i.expr));
    const names = items.map((i) => i.name);
    if (top && q.withTotals) {
      const header = projected.map((e, i) => ({ name: names[i]!, type: e.type }));
      const fnCtx = this.env.fnCtx;
      this.extras.projectTotals = (raw) => new Block(header, projected.map((e) => e.eval(raw, fnCtx)), raw.rows);
    }
    const extra: CompiledExpr[] = [];
    const columnFor = (e: Expr): number => {
      const n = numberLiteral(e);
      if (n !== undefined && n >= 1 && n <= items.length && e.kind === 'literal') return n - 1;
      if (e.kind === 'identifier' && e.parts.length === 1) {
        const byAlias = names.indexOf(e.parts[0]!);
        if (byAlias >= 0 && items[byAlias]!.name === e.parts[0]) return byAlias;
      }
      const text = exprName(e);
      const same = items.findIndex((i) => exprName(i.expr) === text);
      if (same >= 0) return same;
      extra.push(compileExpression(cenv, sc, e));
      return items.length + extra.length - 1;
    };
    let orderBy = q.orderBy ?? [];
    const only = orderBy.length === 1 ? orderBy[0]! : undefined;
    if (only && only.expr.kind === 'identifier' && only.expr.parts.length === 1 && only.expr.parts[0]!.toUpperCase() === 'ALL' && !scope.resolveQuiet(['ALL'])) {
      orderBy = items.map((_, i) => ({ ...only, expr: { kind: 'literal', value: i + 1 } as Expr }));
    }
    const sortKeys: SortKey[] = orderBy.map((o: OrderItem) => ({
      column: columnFor(o.expr),
      descending: o.direction === 'DESC',
      nullsFirst: o.nulls === 'FIRST',
    }));
    const limitByCols = (q.limitBy?.by ?? []).map(columnFor);
    const projectionNames = [...names, ...extra.map((e, i) => `__order_${i}_${e.name}`)];
    const substreamKeys = streaming && !aggregates && q.partitionBy?.length ? q.partitionBy.map((p) => compileExpression(cenv, sc, p)) : [];
    if (substreamKeys.length) {
      // Stateful functions keep their state per substream: each substream compiles its own copy. Those copies
      // come and go with the data, so their state is not registered for checkpoints (see docs: SUBSCRIBE).
      const perSubstream: CompileEnv = { ...cenv, fnCtx: { ...cenv.fnCtx, functionStates: undefined } };
      const compile = (): CompiledExpr[] => [...items.map((i) => compileExpression(perSubstream, sc, i.alias ? { kind: 'identifier', parts: [i.alias] } : i.expr)), ...extra];
      const header = [...projected, ...extra].map((e, i) => ({ name: projectionNames[i]!, type: e.type }));
      node = new SubstreamProjectionNode(node, substreamKeys, compile, header);
    } else node = new ExpressionNode(node, [...projected, ...extra], projectionNames, 'Projection');

    if (q.distinctOn?.length) node = new DistinctNode(node, q.distinctOn.map(columnFor));
    else if (q.distinct) node = new DistinctNode(node, items.map((_, i) => i));
    const limit = q.limit !== undefined ? this.constNumber(q.limit, 'LIMIT') : undefined;
    const offset = q.offset !== undefined ? this.constNumber(q.offset, 'OFFSET') : 0;
    const perEmit = streaming && isUnbounded(node);
    if (sortKeys.length) {
      const topN = limit !== undefined && !q.limitBy && !q.withTies && !perEmit ? limit + offset : undefined;
      node = perEmit ? new PerEmitNode(node, (src) => new SortNode(src, sortKeys)) : new SortNode(node, sortKeys, topN);
    }
    if (q.limitBy) {
      const [n, off] = [this.constNumber(q.limitBy.limit, 'LIMIT BY'), q.limitBy.offset ? this.constNumber(q.limitBy.offset, 'OFFSET') : 0];
      const aggregated = streaming && (groupBy.length > 0 || aggCalls.length > 0);
      node = aggregated ? new PerEmitNode(node, (src) => new LimitByNode(src, n, off, limitByCols)) : new LimitByNode(node, n, off, limitByCols);
    }
    if (limit !== undefined || offset) {
      const ln = new LimitNode(node, limit ?? Number.MAX_SAFE_INTEGER, offset, q.withTies ? sortKeys : undefined);
      if (top) this.extras.limitNode = ln;
      node = ln;
    }
    if (extra.length) node = new SelectColumnsNode(node, items.map((_, i) => i));
    const window = findWindow(from.node);
    if (window && !window.windowReferenced) {
      throw new DbError('WINDOW_COLUMN_NOT_REFERENCED', 'Neither window_start nor window_end is referenced in the query, but streaming window function is used');
    }
    if (implicitDelta) IMPLICIT_DELTA.add(node);
    return node;
  }

  private planWindows(node: PlanNode, calls: FunctionExpr[], q: SelectQuery, cenv: CompileEnv, sc: Scope): PlanNode {
    const named = new Map((q.windows ?? []).map((w) => [w.name, w.spec]));
    const groups = new Map<string, { spec: WindowSpec; calls: FunctionExpr[] }>();
    for (const call of calls) {
      let spec = call.over!;
      if (spec.baseName) {
        const base = named.get(spec.baseName);
        if (!base) throw new DbError('BAD_ARGUMENTS', `Window '${spec.baseName}' is not defined`);
        spec = { partitionBy: base.partitionBy, orderBy: spec.orderBy.length ? spec.orderBy : base.orderBy, frame: spec.frame ?? base.frame };
      }
      const key = exprName({ kind: 'function', name: 'w', args: [], over: spec });
      const g = groups.get(key) ?? { spec, calls: [] };
      g.calls.push(call);
      groups.set(key, g);
    }
    const offset = (b: WindowFrameBound): number => (b.offset ? this.constNumber(b.offset, 'window frame offset') : 0);
    const windowGroups: WindowGroup[] = [...groups.values()].map(({ spec, calls: cs }) => ({
      partitionBy: spec.partitionBy.map((e) => compileExpression(cenv, sc, e)),
      orderBy: spec.orderBy.map((o) => ({ expr: compileExpression(cenv, sc, o.expr), descending: o.direction === 'DESC', nullsFirst: o.nulls === 'FIRST' })),
      frame: spec.frame
        ? { type: spec.frame.type, start: spec.frame.start.kind, startOffset: offset(spec.frame.start), end: spec.frame.end.kind, endOffset: offset(spec.frame.end) }
        : undefined,
      calls: cs.map((call) => {
        const args = call.args.filter((a) => a.kind !== 'asterisk').map((a) => compileExpression(cenv, sc, a));
        const wf = this.env.functions.window(call.name);
        if (wf) {
          const resolved = wf.resolve(args.map((a) => (a.constant ? { type: removeLowCardinality(a.type), constant: { value: a.constant.value } } : { type: removeLowCardinality(a.type) })), this.env.fnCtx);
          return { name: exprName(call), type: resolved.returnType, args, windowFn: resolved };
        }
        const agg = this.resolveAggregate({ ...call, over: undefined }, cenv, sc);
        return { name: exprName(call), type: agg.fn.returnType, args: agg.args, aggregate: agg.fn };
      }),
    }));
    return new WindowNode(node, windowGroups);
  }

  private constNumber(e: Expr, clause: string): number {
    const [v] = constantArgs(this.env, [e]);
    const n = typeof v === 'bigint' ? Number(v) : (v as number);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new DbError(clause.startsWith('LIMIT') || clause === 'OFFSET' ? 'INVALID_LIMIT_EXPRESSION' : 'BAD_ARGUMENTS', `${clause} must be a non-negative constant number, got ${String(v)}`);
    }
    return Math.floor(n);
  }

  private resolveAggregate(call: FunctionExpr, cenv: CompileEnv, sc: Scope): AggregateSpec {
    const name = call.distinct ? `${call.name}Distinct` : call.name;
    const desc = this.env.functions.aggregate(name);
    if (!desc) throw new DbError('UNKNOWN_AGGREGATE_FUNCTION', `Unknown aggregate function ${name}`);
    const argEnv = { ...cenv, aggregateContext: 'inside another aggregate function' };
    let args = call.args.filter((a) => a.kind !== 'asterisk').map((a) => compileExpression(argEnv, sc, a));
    let params: Value[] = call.params ? constantArgs(this.env, call.params) : [];
    // Proton writes parameters as trailing constant arguments: quantile(x, 0.9) is ClickHouse's quantile(0.9)(x).
    const from = desc.constantArgsFrom;
    if (!call.params && from !== undefined && args.length > from && args.slice(from).every((a) => a.constant)) {
      params = args.slice(from).map((a) => a.constant!.value);
      args = args.slice(0, from);
    }
    const fn = desc.resolve(params, args.map((a) => removeLowCardinality(a.type)), this.env.fnCtx);
    return { name: exprName(call), fn, args };
  }
}

/** ClickHouse's max_expanded_ast_elements: the size of the query with every alias substituted. */
const MAX_EXPANDED_AST_ELEMENTS = 500_000;

function checkExpandedSize(exprs: readonly (Expr | undefined)[], aliases: ReadonlyMap<string, Expr>): void {
  const memo = new Map<string, number>();
  const size = (e: Expr, expanding: Set<string>): number => {
    switch (e.kind) {
      case 'identifier': {
        const name = e.parts.length === 1 ? e.parts[0]! : undefined;
        const a = name !== undefined ? aliases.get(name) : undefined;
        if (!a || expanding.has(name!)) return 1;
        let n = memo.get(name!);
        if (n === undefined) {
          expanding.add(name!);
          n = size(a, expanding);
          expanding.delete(name!);
          memo.set(name!, n);
        }
        return n;
      }
      case 'function':
        return e.args.reduce((s, a) => Math.min(Number.MAX_SAFE_INTEGER, s + size(a, expanding)), 1);
      case 'lambda':
        return 1 + size(e.body, expanding);
      default:
        return 1;
    }
  };
  let total = 0;
  for (const e of exprs) if (e) total += size(e, new Set());
  if (total > MAX_EXPANDED_AST_ELEMENTS) {
    throw new DbError('TOO_BIG_AST', `AST is too big (after expansion of aliases). Maximum: ${MAX_EXPANDED_AST_ELEMENTS}`);
  }
}

function collectNestedAliases(e: Expr, aliases: Map<string, Expr>, top: boolean): void {
  if (!top && e.alias && !aliases.has(e.alias)) aliases.set(e.alias, stripAlias(e));
  if (e.kind === 'function') for (const a of e.args) collectNestedAliases(a, aliases, false);
  else if (e.kind === 'lambda') collectNestedAliases(e.body, aliases, false);
}

/** Runs its child with a smaller preferred block size. */
class BlockSizeHint implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly rows: number,
  ) {
    this.children = [input];
    this.header = input.header;
  }
  describe(): string {
    return `BlockSize (${this.rows})`;
  }
  run(ctx: QueryContext): AsyncIterable<Block> {
    return this.input.run({ ...ctx, blockRows: Math.min(ctx.blockRows, this.rows) });
  }
}

async function* renameRun(n: PlanNode, header: Header, ctx: Parameters<PlanNode['run']>[0]) {
  for await (const b of n.run(ctx)) yield new Block(header, b.columns, b.rows);
}
