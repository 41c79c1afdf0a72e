import type { Expr, SelectQuery } from '../sql/ast.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { Scope } from '../analyzer/scope.js';
import type { CompileEnv } from '../analyzer/expression-compiler.js';
import type { AggregateSpec } from '../exec/operators/aggregate.js';
import type { PlanNode } from '../planner/plan-node.js';
import { DbError } from '../errors/index.js';
import { exprName } from '../analyzer/column-name.js';
import { StreamingAggregateNode, type EmitPolicy } from './streaming-aggregate.js';
import { TimeWindowNode } from './time-window-node.js';
import { SessionAggregateNode, SessionWindowNode } from './session-window.js';
import { AggregateNode } from '../exec/operators/aggregate.js';
import { isUnbounded } from '../planner/plan-node.js';
import { intervalMs, toTimeUnits } from './window-table-functions.js';
import { compileExpression } from '../analyzer/expression-compiler.js';
import { DELTA_COLUMN, isChangelogPlan } from './stream-mode.js';
import { simpleType } from '../types/data-type.js';
import { ChangelogConvertNode } from './changelog/changelog-convert.js';

/** The window operator feeding this aggregation, if any (not one below another aggregation). */
export function findWindow(node: PlanNode): TimeWindowNode | SessionWindowNode | undefined {
  if (node instanceof TimeWindowNode || node instanceof SessionWindowNode) return node;
  if (node instanceof StreamingAggregateNode || node instanceof SessionAggregateNode || node instanceof AggregateNode) return undefined;
  for (const c of node.children) {
    const w = findWindow(c);
    if (w) return w;
  }
  return undefined;
}

const GLOBAL_EMIT_MS = 2000;

/**
 * A GROUP BY over an unbounded input. Grouping by `window_start` / `window_end` of a tumble or hop window
 * emits each window once when the watermark passes its end (`EMIT AFTER WATERMARK [WITH DELAY d]`, the
 * default); otherwise the aggregation is global and emits the whole result every 2 s (`EMIT PERIODIC i`) or
 * the changed groups on each update (`EMIT ON UPDATE`).
 */
export function planStreamingAggregate(
  input: PlanNode,
  keys: readonly CompiledExpr[],
  aggregates: readonly AggregateSpec[],
  having: CompiledExpr | undefined,
  q: SelectQuery,
  cenv: CompileEnv,
  delta?: CompiledExpr,
): PlanNode {
  const emit = q.emit ?? {};
  const changelog = { delta, emit: !!emit.changelog };
  const ms = (e: Expr | undefined, what: string): number | undefined => (e ? intervalMs(cenv, new Scope([]), e, what) : undefined);
  const policy: EmitPolicy = {
    periodicMs: ms(emit.periodic, 'EMIT PERIODIC'),
    onUpdate: !!emit.onUpdate,
    timeoutMs: ms(emit.timeout, 'EMIT TIMEOUT'),
  };
  const window = findWindow(input);
  // The substreams' keys (PARTITION BY): sessions, watermarks and emissions are per substream.
  const partitionNames = new Set((q.partitionBy ?? []).map((e) => exprName(e)));
  const byWindow = keys.some((k) => k.name === 'window_start' || k.name === 'window_end');
  if (changelog.emit && window) throw new DbError('NOT_IMPLEMENTED', 'EMIT CHANGELOG is supported for global aggregation only, not over windows');
  if (window instanceof SessionWindowNode) {
    if (!byWindow) throw new DbError('NOT_IMPLEMENTED', 'A session window query must GROUP BY window_start, window_end');
    const emitOpen = { periodicMs: policy.periodicMs, onUpdate: policy.onUpdate };
    return new SessionAggregateNode(input, keys, aggregates, window, having, isUnbounded(input), policy.timeoutMs, partitionNames, emitOpen);
  }
  if (window && byWindow) {
    const endColumn = input.header.findIndex((c) => c.name === 'window_end');
    if (endColumn < 0) throw new DbError('LOGICAL_ERROR', 'window_end is missing below the windowed aggregation');
    const delay = ms(emit.delay, 'EMIT AFTER WATERMARK WITH DELAY');
    if (delay !== undefined) window.clock.delay = toTimeUnits(window.timeType, delay);
    // PARTITION BY: a watermark per substream, kept by the aggregation (the window operator drops nothing).
    const partitionKeys = keys.filter((k) => partitionNames.has(k.name));
    if (partitionKeys.length && window instanceof TimeWindowNode && isUnbounded(input)) {
      window.clock.dropsLate = false;
      return new StreamingAggregateNode(
        input,
        keys,
        aggregates,
        policy,
        having,
        { clock: window.clock, windowEndColumn: endColumn, substreams: { keys: partitionKeys, time: window.time } },
        changelog,
      );
    }
    return new StreamingAggregateNode(input, keys, aggregates, policy, having, { clock: window.clock, windowEndColumn: endColumn }, changelog);
  }
  if (window) {
    // Aggregating windowed rows without grouping by the window: the windows only label rows.
    window.clock.dropsLate = false;
  }
  // Substreams (PARTITION BY) of a global aggregation: each emission holds the substreams changed since the last.
  const substreamKeys = keys.flatMap((k, i) => (partitionNames.has(k.name) ? [i] : []));
  const onUpdate = policy.onUpdate || substreamKeys.length > 0;
  const periodicMs = policy.periodicMs ?? (policy.onUpdate ? undefined : GLOBAL_EMIT_MS);
  const afterInput = !emit.periodic && !onUpdate && !!innerGlobalAggregate(input, true);
  return new StreamingAggregateNode(input, keys, aggregates, { ...policy, onUpdate, periodicMs, substreamKeys: policy.onUpdate ? undefined : substreamKeys, afterInput }, having, undefined, changelog);
}

/**
 * An aggregation over a changelog (a changelog or key-value stream, `changelog(…)`, a subquery that emits a
 * changelog): turns on change tracking in the versioned_kv conversions feeding it and returns its `_tp_delta`.
 */
export function changelogInput(input: PlanNode, scope: Scope, cenv: CompileEnv, filtered: boolean): { node: PlanNode; delta?: CompiledExpr } {
  const ident: Expr = { kind: 'identifier', parts: [DELTA_COLUMN] };
  if (scope.resolveQuiet([DELTA_COLUMN]) && isChangelogPlan(input)) {
    trackChanges(input);
    return { node: input, delta: compileExpression(cenv, scope, ident) };
  }
  // An aggregation over a global aggregation's results (a subquery): each emission updates the inner groups, so
  // the outer one reads them keyed by the inner keys, a new result replacing the old. A WHERE between them would
  // have to see the old rows too, so that case keeps reading emissions as rows.
  const inner = filtered ? undefined : innerGlobalAggregate(input);
  const keyNames = inner?.keys.map((k) => k.name) ?? [];
  if (!inner || !keyNames.length || !keyNames.every((n) => input.header.some((c) => c.name === n))) return { node: input };
  const node = new ChangelogConvertNode(input, keyNames, undefined, true);
  const column = { name: DELTA_COLUMN, shortName: DELTA_COLUMN, type: simpleType('Int8'), index: input.header.length, qualifiers: [] };
  return { node, delta: compileExpression(cenv, new Scope([...scope.columns, column]), ident) };
}

/** The global aggregation whose emissions `node` reads (EMIT CHANGELOG ones too when `anyEmit`). */
function innerGlobalAggregate(node: PlanNode, anyEmit = false): StreamingAggregateNode | undefined {
  for (let n: PlanNode | undefined = node; n; n = n.children.length === 1 ? n.children[0] : undefined) {
    if (n instanceof StreamingAggregateNode) return !n.windowed && (anyEmit || !n.changelog) ? n : undefined;
    if (n instanceof AggregateNode || n instanceof SessionAggregateNode) return undefined;
  }
  return undefined;
}

/** Turns on change tracking in the versioned_kv conversions under `node` (not below another aggregation). */
export function trackChanges(node: PlanNode): void {
  if (node instanceof ChangelogConvertNode) node.tracking = true;
  if (node instanceof StreamingAggregateNode || node instanceof AggregateNode) return;
  for (const c of node.children) trackChanges(c);
}
