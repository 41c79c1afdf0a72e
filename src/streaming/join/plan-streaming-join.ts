import type { Expr, JoinRef } from '../../sql/ast.js';
import type { Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import type { Scope } from '../../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../../analyzer/expression-compiler.js';
import { exprName } from '../../analyzer/column-name.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import { baseType, type DataType } from '../../types/data-type.js';
import { settingNumber } from '../../exec/query-context.js';
import { isUnbounded, type PlanNode } from '../../planner/plan-node.js';
import { Scope as ScopeClass } from '../../analyzer/scope.js';
import { StreamingScan } from '../stream-scan.js';
import { DELTA_COLUMN } from '../stream-mode.js';
import { StreamingJoinNode, type AlignSpec, type AsofOp, type JoinSideSpec, type RangeSpec } from './streaming-join.js';
import { identifiersOf } from '../../analyzer/identifiers.js';

interface Side {
  readonly node: PlanNode;
  readonly scope: Scope;
}

export interface StreamingJoinRequest {
  readonly item: JoinRef;
  readonly settings: ReadonlyMap<string, string>;
  readonly cenv: CompileEnv;
  readonly left: Side;
  readonly right: Side;
  readonly leftKeys: readonly CompiledExpr[];
  readonly rightKeys: readonly CompiledExpr[];
  /** ON conjuncts that are not key equalities. */
  readonly residual: readonly Expr[];
  readonly header: Header;
  readonly leftNullable: readonly boolean[];
  readonly rightNullable: readonly boolean[];
}

/** Proton's `max_join_range` (seconds). */
const MAX_JOIN_RANGE = 300;
/** Proton keeps 3 versions per key for ASOF joins unless keep_versions says otherwise. */
const DEFAULT_KEEP_VERSIONS = 3;

const INEQUALITIES: Record<string, AsofOp> = { greater: '>', greaterorequals: '>=', less: '<', lessorequals: '<=' };
const REVERSED: Record<AsofOp, AsofOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function fnName(e: Expr): string | undefined {
  return e.kind === 'function' ? e.name.toLowerCase().replace(/_/g, '') : undefined;
}

/** 'left' / 'right' when every identifier of `e` resolves on that side only (left wins when both resolve). */
function sideOf(e: Expr, left: Scope, right: Scope): 'left' | 'right' | 'both' | 'none' {
  const ids = identifiersOf(e);
  if (!ids.length) return 'none';
  const onLeft = ids.every((p) => left.resolveQuiet(p) !== undefined);
  const onRight = ids.every((p) => right.resolveQuiet(p) !== undefined);
  if (onLeft) return 'left';
  if (onRight) return 'right';
  return 'both';
}

/**
 * Proton resolves a qualified name the qualifier's table does not have by its column name alone (`a.kk2`, where
 * only `b` has `kk2`, is `b.kk2`): in `a JOIN b ON … JOIN c ON a.kk2 = c.kkk2` it names a column of the joined
 * left side. Identifiers that resolve on neither side are rewritten that way when the column name is unique
 * across both sides and the qualifier names a table of the join; anything else is left as it is.
 */
function requalify(e: Expr, left: Scope, right: Scope): Expr {
  switch (e.kind) {
    case 'identifier': {
      const parts = e.parts;
      if (parts.length !== 2 || left.resolveQuiet(parts) || right.resolveQuiet(parts)) return e;
      const [q, name] = parts as [string, string];
      const all = [...left.columns, ...right.columns];
      if (!all.some((c) => c.qualifiers.includes(q))) return e;
      if (all.filter((c) => c.shortName === name).length !== 1) return e;
      return { ...e, parts: [name] };
    }
    case 'function': {
      const args = e.args.map((a) => requalify(a, left, right));
      return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
    }
    default:
      return e;
  }
}

/** Adds `l = r` (a left and a right expression, either way round) to the join keys; false when it is not one. */
function addKeyPair(e: Expr, req: StreamingJoinRequest, leftKeys: CompiledExpr[], rightKeys: CompiledExpr[]): boolean {
  if (fnName(e) !== 'equals' || e.kind !== 'function' || e.args.length !== 2) return false;
  let [a, b] = e.args as [Expr, Expr];
  const sa = sideOf(a, req.left.scope, req.right.scope);
  const sb = sideOf(b, req.left.scope, req.right.scope);
  if (sa === 'right' && sb === 'left') [a, b] = [b, a];
  else if (!(sa === 'left' && sb === 'right')) return false;
  const l = compileExpression(req.cenv, req.left.scope, a);
  const r = compileExpression(req.cenv, req.right.scope, b);
  const lt = baseType(l.type);
  const rt = baseType(r.type);
  const numeric = (t: DataType) => /^(U?Int\d+|Float\d+|Bool|Decimal)$/.test(t.kind);
  if (lt.kind !== rt.kind && !(numeric(lt) && numeric(rt))) {
    throw new DbError('TYPE_MISMATCH', `Type mismatch of columns to JOIN by: ${l.name} ${lt.name} at left, ${r.name} ${rt.name} at right`);
  }
  leftKeys.push(l);
  rightKeys.push(r);
  return true;
}

function constantNumber(cenv: CompileEnv, e: Expr): number | undefined {
  if (identifiersOf(e).length) return undefined;
  try {
    const c = compileExpression(cenv, new ScopeClass([]), e);
    if (!c.constant) return undefined;
    const v = c.constant.value;
    if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  } catch {
    return undefined;
  }
  return undefined;
}

const SECONDS: Record<string, number> = {
  Nanosecond: 1e-9,
  Microsecond: 1e-6,
  Millisecond: 1e-3,
  Second: 1,
  Minute: 60,
  Hour: 3600,
  Day: 86400,
  Week: 604800,
};

const DATE_DIFF_UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

interface RangeBound {
  /** `left.time - right.time <op> value` (seconds, or raw units for `a - b`). */
  readonly op: AsofOp;
  readonly value: number;
}

interface RangeCondition {
  /** The range expression's text (the two bounds must use the same one). */
  readonly text: string;
  readonly leftTime: Expr;
  readonly rightTime: Expr;
  /** Bounds are in seconds (date_diff / date_diff_within) or in the columns' own unit (a - b). */
  readonly seconds: boolean;
  readonly bounds: RangeBound[];
}

/**
 * Plans a join with a streaming side, or returns undefined for the historical hash join (no streaming side, or
 * stream ⋈ table: the table side is read whole and the stream probes it). Rejects what Proton rejects, with
 * its error codes: RIGHT / FULL / CROSS joins of two streams (48), malformed or too wide ranges (62), ASOF on
 * a non-numeric column (169).
 */
export function planStreamingJoin(req: StreamingJoinRequest): PlanNode | undefined {
  const { item, left, right, cenv } = req;
  const leftStreaming = isUnbounded(left.node);
  const rightStreaming = isUnbounded(right.node);
  // ASOF over a table (or two tables) runs here too: the hash join has no ASOF matching.
  if (!leftStreaming && !rightStreaming && item.strictness !== 'ASOF') return undefined;

  const strictnessIn = item.strictness ?? 'ALL';
  const ranges: RangeCondition[] = [];
  const others: Expr[] = [];
  const lags: Expr[] = [];
  const leftKeys = [...req.leftKeys];
  const rightKeys = [...req.rightKeys];
  for (const c0 of req.residual) {
    const c = requalify(c0, left.scope, right.scope);
    if (c !== c0 && addKeyPair(c, req, leftKeys, rightKeys)) continue;
    if (fnName(c) === 'lagbehind') {
      lags.push(c);
      continue;
    }
    const r = rangeCondition(c, req, ranges);
    if (!r) others.push(c);
  }
  const tableRight = !rightStreaming;
  if (tableRight) {
    if (lags.length) throw new DbError('NOT_IMPLEMENTED', 'lag_behind aligns two streams; the right side here is a table');
    if (ranges.length) throw new DbError('NOT_IMPLEMENTED', 'Range join is only supported between two streams; the right side here is a table');
    if (strictnessIn !== 'ASOF') return undefined;
  }
  if (!leftStreaming && rightStreaming) throw new DbError('NOT_IMPLEMENTED', 'A join of a table (left) with a stream (right) is not supported: put the stream on the left');

  if (item.comma || item.joinKind === 'CROSS') throw new DbError('NOT_IMPLEMENTED', 'Stream to stream CROSS JOIN is not supported: stream join only supports inner/left join');
  if (item.joinKind !== 'INNER' && item.joinKind !== 'LEFT') {
    throw new DbError('NOT_IMPLEMENTED', `Stream join only supports inner/left join, got ${item.joinKind} JOIN`);
  }
  if (strictnessIn === 'SEMI' || strictnessIn === 'ANTI') throw new DbError('NOT_IMPLEMENTED', `Stream join only supports any/all/asof/latest join, got ${strictnessIn}`);
  if (item.using && !leftKeys.length) throw new DbError('INVALID_JOIN_ON_EXPRESSION', 'Stream join needs join keys');

  // Range condition: date_diff_within(…) or two bounds on date_diff(…) / a - b.
  let range: { spec: RangeSpec; leftTime: CompiledExpr; rightTime: CompiledExpr } | undefined;
  if (ranges.length > 1) throw new DbError('INVALID_JOIN_ON_EXPRESSION', 'Multiple range joins are detected in ON section');
  if (ranges.length === 1) range = validateRange(ranges[0]!, req);

  // ASOF: one inequality between a left and a right expression.
  let asof: { op: AsofOp; left: CompiledExpr; right: CompiledExpr } | undefined;
  const strictness = strictnessIn === 'ANY' ? 'LATEST' : strictnessIn;
  if (strictness === 'ASOF') {
    if (range) throw new DbError('NOT_IMPLEMENTED', 'Stream join only supports any/all/asof/range join: ASOF with a range is not supported');
    const ineq = others.filter((e) => INEQUALITIES[fnName(e) ?? ''] !== undefined && e.kind === 'function' && e.args.length === 2);
    if (ineq.length !== 1) throw new DbError('INVALID_JOIN_ON_EXPRESSION', 'ASOF join requires exactly one inequality (<, <=, >, >=) between a left and a right column in ON');
    const e = ineq[0]! as Extract<Expr, { kind: 'function' }>;
    others.splice(others.indexOf(e), 1);
    let op = INEQUALITIES[fnName(e)!]!;
    let [a, b] = e.args as [Expr, Expr];
    const sa = sideOf(a, left.scope, right.scope);
    const sb = sideOf(b, left.scope, right.scope);
    if (sa === 'right' && sb === 'left') {
      [a, b] = [b, a];
      op = REVERSED[op];
    } else if (!(sa === 'left' && sb === 'right')) {
      throw new DbError('INVALID_JOIN_ON_EXPRESSION', `ASOF join inequality must compare a left and a right column: ${exprName(e)}`);
    }
    const la = compileExpression(cenv, left.scope, a);
    const rb = compileExpression(cenv, right.scope, b);
    for (const t of [la.type, rb.type]) {
      if (!isAsofType(t)) throw new DbError('BAD_TYPE_OF_FIELD', `ASOF join not supported for type: ${t.name}`);
    }
    if (!leftKeys.length) throw new DbError('SYNTAX_ERROR', 'ASOF join needs at least one equal-join column');
    asof = { op, left: la, right: rb };
  }
  if (others.length) {
    throw new DbError('NOT_IMPLEMENTED', `Streaming join doesn't support predicates in JOIN ON clause (${others.map(exprName).join(' AND ')}). Use WHERE predicate instead`);
  }
  if (!leftKeys.length) throw new DbError('INVALID_JOIN_ON_EXPRESSION', 'Stream join needs at least one equality of a left and a right column in ON');

  const leftDelta = left.node.header.findIndex((c) => c.name === DELTA_COLUMN);
  const rightDelta = right.node.header.findIndex((c) => c.name === DELTA_COLUMN);
  const leftChangelog = isChangelog(left.node, leftDelta);
  // A table on the right is read whole, as it is now: no retractions.
  const rightChangelog = !tableRight && isChangelog(right.node, rightDelta);
  // Proton's support matrix (HashJoin::support_matrix): a changelog on the left joins only another changelog
  // (changelog, changelog_kv or versioned_kv) with ALL.
  if (!tableRight && leftChangelog && (!rightChangelog || strictnessIn === 'ANY' || strictnessIn === 'ASOF')) {
    const right = rightChangelog ? 'Changelog' : 'Append';
    throw new DbError('NOT_IMPLEMENTED', `'Changelog stream' ${item.joinKind} ${strictnessIn} JOIN '${right} stream' is not supported`);
  }
  if (range && (leftChangelog || rightChangelog)) {
    throw new DbError('NOT_IMPLEMENTED', 'Only inner/left range join is supported and the left and right stream must be append-only streams in range join');
  }
  // Changelog sides: read _tp_delta, and have versioned streams turned into changelogs, except the right
  // side of an ASOF join, which keeps every version as it arrived (keep_versions of them per key).
  for (const [s, cl, track] of [[left, leftChangelog, true], [right, rightChangelog, strictness !== 'ASOF']] as const) {
    if (!cl) continue;
    s.scope.resolve([DELTA_COLUMN]);
    if (track) trackChanges(s.node);
  }
  const enrichment = (!leftChangelog && rightChangelog) || strictness === 'ASOF' || strictness === 'LATEST';
  const bidirectional = !enrichment;
  if (rightChangelog) readFromEarliest(right.node);

  if (lags.length > 1) throw new DbError('INVALID_JOIN_ON_EXPRESSION', 'More than one lag_behind in the ON clause');
  const align = lags.length ? alignSpec(lags[0]!, req) : undefined;
  const leftSide: JoinSideSpec = { keys: leftKeys, time: range?.leftTime, asof: asof?.left, deltaAt: leftDelta, changelog: leftChangelog, matchColumns: matchColumns(left.node) };
  const rightSide: JoinSideSpec = { keys: rightKeys, time: range?.rightTime, asof: asof?.right, deltaAt: rightDelta, changelog: rightChangelog, matchColumns: matchColumns(right.node) };
  // ASOF against a table considers every row of it (ClickHouse); against a stream the last keep_versions.
  const keepVersions = tableRight ? Infinity : Math.max(1, Math.floor(settingNumber(req.settings, 'keep_versions', DEFAULT_KEEP_VERSIONS)));
  return new StreamingJoinNode(left.node, right.node, {
    kind: item.joinKind,
    strictness,
    left: leftSide,
    right: rightSide,
    range: range?.spec,
    asofOp: asof?.op,
    keepVersions,
    bidirectional,
    rightFirst: tableRight,
    align,
    emitChangelog: bidirectional && leftChangelog,
    header: req.header,
    leftNullable: req.leftNullable,
    rightNullable: req.rightNullable,
  });
}

/**
 * Columns that identify the row a −1 row retracts: the primary key of a keyed read below (a −1 of a
 * changelog_kv stream deletes its key), else every column but the reserved ones (`_tp_time` of a retraction
 * is when it was written, not the time of the row it retracts).
 */
function matchColumns(node: PlanNode): number[] {
  const header = node.header;
  // A join's rows (a join below this one): the left row's identifying columns, then the right row's.
  if (node instanceof StreamingJoinNode) {
    const lw = node.left.header.length;
    return [...node.spec.left.matchColumns, ...node.spec.right.matchColumns.map((c) => lw + c)];
  }
  let n: PlanNode | undefined = node;
  while (n) {
    const keys = (n as unknown as { keys?: unknown }).keys;
    if (Array.isArray(keys) && keys.length && keys.every((k) => typeof k === 'string')) {
      const at = (keys as string[]).map((k) => header.findIndex((c) => c.name === k));
      if (at.every((i) => i >= 0)) return at;
      break;
    }
    n = n.children.length === 1 ? n.children[0] : undefined;
  }
  const data = header.map((c, i) => (isReserved(c.name) ? -1 : i)).filter((i) => i >= 0);
  return data.length ? data : header.map((_, i) => i).filter((i) => header[i]!.name !== DELTA_COLUMN);
}

/** `_tp_time`, or a right join column renamed `b._tp_time`. */
function isReserved(name: string): boolean {
  return name.slice(name.lastIndexOf('.') + 1).startsWith('_tp_');
}

function isAsofType(t: DataType): boolean {
  const b = baseType(t);
  return /^(U?Int\d+|Float\d+|Decimal\d*|Date|Date32|DateTime|DateTime64)$/.test(b.kind);
}

/**
 * Whether a join input is a changelog. A join below this one (`a JOIN b … JOIN c`) says so itself: Proton's
 * output of append ⋈ changelog/versioned (an enrichment) is append-only even though the row carries the right
 * side's `_tp_delta`, and changelog ⋈ changelog emits a changelog.
 */
function isChangelog(node: PlanNode, deltaAt: number): boolean {
  for (let n: PlanNode | undefined = node; n; n = n.children.length === 1 ? n.children[0] : undefined) {
    if (n instanceof StreamingJoinNode) return n.changelog;
  }
  return (node as { changelog?: boolean }).changelog === true || deltaAt >= 0;
}

/** Versioned / changelog_kv reads convert to a changelog only when asked (something above tracks changes). */
function trackChanges(node: PlanNode): void {
  let n: PlanNode | undefined = node;
  while (n) {
    const t = n as { changelog?: boolean; tracking?: boolean };
    if (t.changelog === true && 'tracking' in t) t.tracking = true;
    n = n.children.length === 1 ? n.children[0] : undefined;
  }
}

/** The versioned right side of an enrichment join holds the versions valid now: its read starts at the beginning. */
function readFromEarliest(node: PlanNode): void {
  let n: PlanNode | undefined = node;
  while (n) {
    if (n instanceof StreamingScan && n.start.kind === 'latest') n.start = { kind: 'earliest' };
    n = n.children.length === 1 ? n.children[0] : undefined;
  }
}

/**
 * Recognises a range conjunct: `date_diff_within(interval[, l, r])`, or one bound `date_diff(unit, l, r) <op> c` /
 * `l - r <op> c` (either way round). Proton reads date_diff(unit, a, b) in a join range as a − b.
 */
function rangeCondition(e: Expr, req: StreamingJoinRequest, ranges: RangeCondition[]): boolean {
  if (e.kind !== 'function') return false;
  const name = fnName(e)!;
  const { left, right } = req;
  if (name === 'datediffwithin') {
    if (e.args.length !== 1 && e.args.length !== 3) throw new DbError('SYNTAX_ERROR', `Function date_diff_within takes 3 arguments, but got '${exprName(e)}' instead`);
    const interval = compileExpression(req.cenv, new ScopeClass([]), e.args[0]!);
    const t = interval.type;
    if (t.kind !== 'Interval' || !interval.constant) throw new DbError('SYNTAX_ERROR', `First argument of function date_diff_within shall be a time interval (examples, 1s, 2m etc), but got '${exprName(e)}' instead`);
    const per = SECONDS[t.unit];
    if (per === undefined) throw new DbError('NOT_IMPLEMENTED', `First argument of function date_diff_within only supports fixed time intervals (examples, 1s, 2m etc), but got '${exprName(e)}' instead`);
    const amount = Number(interval.constant.value) * per;
    if (!(amount > 0)) throw new DbError('BAD_QUERY_PARAMETER', `First argument of function date_diff_within shall be a positive time interval, but got '${exprName(e)}' instead`);
    let l: Expr = { kind: 'identifier', parts: ['_tp_time'] };
    let r: Expr = { kind: 'identifier', parts: ['_tp_time'] };
    if (e.args.length === 3) [l, r] = orient(e.args[1]!, e.args[2]!, left.scope, right.scope, e);
    else if (!left.scope.resolveQuiet(['_tp_time']) || !right.scope.resolveQuiet(['_tp_time'])) {
      throw new DbError('NOT_IMPLEMENTED', 'date_diff_within(interval) compares the _tp_time of both sides; one side has none');
    }
    ranges.push({ text: exprName(e), leftTime: l, rightTime: r, seconds: true, bounds: [{ op: '>=', value: -amount }, { op: '<=', value: amount }] });
    return true;
  }
  const op0 = INEQUALITIES[name];
  if (!op0 || e.args.length !== 2) return false;
  let [a, b] = e.args as [Expr, Expr];
  let op = op0;
  let c = constantNumber(req.cenv, b);
  if (c === undefined) {
    c = constantNumber(req.cenv, a);
    if (c === undefined) return false;
    [a, b] = [b, a];
    op = REVERSED[op];
  }
  const fn = fnName(a);
  let x: Expr;
  let y: Expr;
  let factor = 1;
  let seconds = false;
  if (fn === 'datediff' && a.kind === 'function' && a.args.length === 3) {
    const unit = a.args[0]!;
    const u = unit.kind === 'literal' && typeof unit.value === 'string' ? DATE_DIFF_UNITS[unit.value.toLowerCase()] : undefined;
    if (u === undefined) throw new DbError('NOT_IMPLEMENTED', `First argument of function date_diff in a join range only supports second or minute, but got '${exprName(a)}' instead`);
    factor = u;
    seconds = true;
    [x, y] = [a.args[1]!, a.args[2]!];
  } else if (fn === 'minus' && a.kind === 'function' && a.args.length === 2) {
    [x, y] = [a.args[0]!, a.args[1]!];
  } else return false;
  const sx = sideOf(x, req.left.scope, req.right.scope);
  const sy = sideOf(y, req.left.scope, req.right.scope);
  let value = c * factor;
  if (sx === 'right' && sy === 'left') {
    // r − l <op> c  ⇔  l − r <reversed op> −c
    [x, y] = [y, x];
    op = REVERSED[op];
    value = -value;
  } else if (!(sx === 'left' && sy === 'right')) return false;
  const text = exprName(a);
  const existing = ranges.find((r) => !r.text.startsWith('date_diff_within') && r.bounds.length < 3);
  if (existing) {
    if (existing.text !== text) {
      throw new DbError('SYNTAX_ERROR', `Range join requires same function expression in ON clause, but got two different expressions: '${existing.text}', '${text}'`);
    }
    existing.bounds.push({ op, value });
  } else ranges.push({ text, leftTime: x, rightTime: y, seconds, bounds: [{ op, value }] });
  return true;
}

/** `lag_behind(interval[, l.t, r.t])`: event-time alignment of the two sides (`_tp_time` when not named). */
function alignSpec(e: Expr, req: StreamingJoinRequest): AlignSpec {
  if (e.kind !== 'function' || (e.args.length !== 1 && e.args.length !== 3)) throw new DbError('SYNTAX_ERROR', `Function lag_behind takes 1 or 3 arguments, got '${exprName(e)}'`);
  const interval = compileExpression(req.cenv, new ScopeClass([]), e.args[0]!);
  const t = interval.type;
  const per = t.kind === 'Interval' ? SECONDS[t.unit] : undefined;
  if (per === undefined || !interval.constant) throw new DbError('SYNTAX_ERROR', `First argument of function lag_behind shall be a time interval (examples, 1s, 2m etc), got '${exprName(e)}'`);
  const seconds = Number(interval.constant.value) * per;
  let l: Expr = { kind: 'identifier', parts: ['_tp_time'] };
  let r: Expr = { kind: 'identifier', parts: ['_tp_time'] };
  if (e.args.length === 3) [l, r] = orient(e.args[1]!, e.args[2]!, req.left.scope, req.right.scope, e);
  const leftTime = compileExpression(req.cenv, req.left.scope, l);
  const rightTime = compileExpression(req.cenv, req.right.scope, r);
  const lt = baseType(leftTime.type);
  const rt = baseType(rightTime.type);
  for (const x of [lt, rt]) {
    if (x.kind !== 'DateTime' && x.kind !== 'DateTime64') throw new DbError('NOT_IMPLEMENTED', `lag_behind needs datetime or datetime64 columns, got ${x.name}`);
  }
  const scaleOf = (x: DataType) => (x.kind === 'DateTime64' ? 10 ** x.precision : 1);
  if (scaleOf(lt) !== scaleOf(rt)) throw new DbError('NOT_IMPLEMENTED', 'The time columns of lag_behind have different scales');
  return { leftTime, rightTime, lag: seconds * scaleOf(lt) };
}

function orient(a: Expr, b: Expr, left: Scope, right: Scope, whole: Expr): [Expr, Expr] {
  const sa = sideOf(a, left, right);
  const sb = sideOf(b, left, right);
  if (sa === 'left' && sb === 'right') return [a, b];
  if (sa === 'right' && sb === 'left') return [b, a];
  throw new DbError('INVALID_JOIN_ON_EXPRESSION', `Invalid columns in JOIN ON section: ${exprName(whole)} must compare a left and a right time column`);
}

function validateRange(rc: RangeCondition, req: StreamingJoinRequest): { spec: RangeSpec; leftTime: CompiledExpr; rightTime: CompiledExpr } {
  if (rc.bounds.length !== 2) {
    throw new DbError('SYNTAX_ERROR', `Range join requires a lower and an upper bound on ${rc.text} (for example ${rc.text} BETWEEN -10 AND 10)`);
  }
  let lower: RangeBound | undefined;
  let upper: RangeBound | undefined;
  for (const b of rc.bounds) {
    if (b.op === '>' || b.op === '>=') {
      if (lower) throw new DbError('SYNTAX_ERROR', 'Range join requires lower bound of inequality shall be \'>\' or \'>=\' and upper bound \'<\' or \'<=\'');
      lower = b;
    } else {
      if (upper) throw new DbError('SYNTAX_ERROR', 'Range join requires lower bound of inequality shall be \'>\' or \'>=\' and upper bound \'<\' or \'<=\'');
      upper = b;
    }
  }
  if (!lower || !upper) throw new DbError('SYNTAX_ERROR', 'Range join requires lower bound of inequality shall be \'>\' or \'>=\' and upper bound \'<\' or \'<=\'');
  if (lower.value > 0) throw new DbError('SYNTAX_ERROR', `Range join requires left bound of the range is less than or equal to zero, but got lower_bound=${lower.value}`);
  if (upper.value < 0) throw new DbError('SYNTAX_ERROR', `Range join requires right bound of the range is greater than or equal to zero, but got upper_bound=${upper.value}`);
  if (lower.value >= upper.value) {
    throw new DbError('SYNTAX_ERROR', `Range join requires upper bound of the range is bigger than the lower bound, but got lower_bound=${lower.value}, upper_bound=${upper.value}`);
  }
  const maxRange = settingNumber(req.settings, 'max_join_range', MAX_JOIN_RANGE);
  if (rc.seconds && upper.value - lower.value > maxRange) {
    throw new DbError(
      'SYNTAX_ERROR',
      `The join range (${lower.value}, ${upper.value}) is too big. If two streams have big difference in timestamps. Consider adjust the timestamp of one of the stream by doing timestamp subtraction / addition and then do join. For example: ... AND date_diff_within(2m, left_time_col, date_add(right_time_col, 2h))`,
    );
  }
  const leftTime = compileExpression(req.cenv, req.left.scope, rc.leftTime);
  const rightTime = compileExpression(req.cenv, req.right.scope, rc.rightTime);
  let scale = 1;
  if (rc.seconds) {
    const lt = baseType(leftTime.type);
    const rt = baseType(rightTime.type);
    for (const t of [lt, rt]) {
      if (t.kind !== 'DateTime' && t.kind !== 'DateTime64') {
        throw new DbError('NOT_IMPLEMENTED', `The range column in stream to stream join only supports datetime64 or datetime column types, got ${t.name}`);
      }
    }
    if (lt.kind !== rt.kind) throw new DbError('NOT_IMPLEMENTED', 'The columns in stream to stream range join have different column types');
    if (lt.kind === 'DateTime64' && rt.kind === 'DateTime64') {
      if (lt.precision !== rt.precision) throw new DbError('NOT_IMPLEMENTED', 'The datetime64 columns in stream to stream range join have different scales');
      scale = 10 ** lt.precision;
    }
  }
  const lo = lower.value * scale;
  const up = upper.value * scale;
  const spec: RangeSpec = {
    lower: lo,
    upper: up,
    lowerInclusive: lower.op === '>=',
    upperInclusive: upper.op === '<=',
    bucket: Math.max(1, Math.floor((up - lo + 1) / 2)),
  };
  return { spec, leftTime, rightTime };
}
