import { Buffer } from 'node:buffer';
import type { Block, Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { readValue, type Value } from '../columns/values.js';
import { DbError } from '../errors/index.js';
import type { Expr } from '../sql/ast.js';
import type { Scope } from '../analyzer/scope.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import { exprName } from '../analyzer/column-name.js';
import { isInteger, removeLowCardinality, type DataType } from '../types/data-type.js';
import { FIXED_INTERVAL_MS } from './window-table-functions.js';
import type { PlanNode } from '../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../exec/query-context.js';

/**
 * Proton's `dedup(stream, key…[, timeout[, limit]])`: passes a row only the first time its key is seen.
 *
 * Seen keys live in a JS `Set` of encoded keys plus a FIFO queue of (key, first-seen processing time). A Set
 * rather than the typed key tables (src/core/key-tables.ts) because dedup must forget keys, by age (`timeout`)
 * and by count (`limit`, oldest first), and those tables cannot delete. The queue holds keys in first-seen
 * order (a key is never re-queued while present), so both evictions pop its head: O(1) per key. (Popping the
 * Set's own first entry instead is O(n): V8 leaves deleted entries as holes its iterator walks over.)
 * Keys are encoded without per-row objects where possible: a number for one numeric column, a latin1 string of
 * the bytes for one string column, and a joined string of per-column tokens otherwise.
 */

/** Proton's documented default for the number of keys kept (its 1.6 code uses 10 000; the docs say 100 000). */
export const DEFAULT_DEDUP_LIMIT = 100_000;

export interface DedupOptions {
  /** Keys are forgotten this many milliseconds (of processing time) after they were first seen; none when undefined. */
  readonly timeoutMs?: number;
  /** The most keys kept; when a new key would exceed it, the oldest key is forgotten. */
  readonly limit?: number;
  /** Processing time in ms (tests inject one); Date.now by default. */
  readonly clock?: () => number;
}

export type DedupKey = number | bigint | string | null;
type Key = DedupKey;

/** The keys dedup holds, oldest first, with the processing time each was first seen: a checkpoint's part. */
export interface DedupSnapshot {
  readonly keys: readonly DedupKey[];
  readonly times: readonly number[];
}
/** Encodes row i of one key column. */
type KeyReader = (i: number) => Key;

export class DedupNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  readonly limit: number;
  readonly timeoutMs: number | undefined;
  private readonly clock: () => number;
  /** Checkpoints: the keys to start from. */
  restoreFrom?: DedupSnapshot;
  private live: (() => DedupSnapshot) | undefined;

  constructor(
    readonly input: PlanNode,
    readonly keys: readonly CompiledExpr[],
    options: DedupOptions = {},
  ) {
    if (!keys.length) throw new DbError('TOO_FEW_ARGUMENTS_FOR_FUNCTION', 'dedup requires at least one key column');
    this.children = [input];
    this.header = input.header;
    this.limit = options.limit ?? DEFAULT_DEDUP_LIMIT;
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock ?? Date.now;
  }

  describe(): string {
    const t = this.timeoutMs !== undefined ? `, timeout ${this.timeoutMs / 1000}s` : '';
    return `Dedup (keys: ${this.keys.map((k) => k.name).join(', ')}${t}, limit ${this.limit})`;
  }

  /** Checkpoints: the keys held now (between blocks). */
  snapshotState(): DedupSnapshot {
    return this.live?.() ?? { keys: [], times: [] };
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    // Per-run state: the seen keys, and the same keys in first-seen order with the time each was first seen.
    const seen = new Set<Key>();
    const queue = new KeyQueue();
    const restored = this.restoreFrom;
    if (restored) {
      restored.keys.forEach((k, i) => {
        seen.add(k);
        queue.push(k, restored.times[i]!);
      });
    }
    this.live = () => queue.snapshot();
    const multi = this.keys.length > 1;
    for await (const block of this.input.run(ctx)) {
      checkCancelled(ctx);
      if (block.rows === 0) continue;
      const now = this.clock();
      if (this.timeoutMs !== undefined) {
        const horizon = now - this.timeoutMs;
        while (queue.size > 0 && queue.oldestTime() < horizon) seen.delete(queue.shift());
      }
      const readers = this.keys.map((k) => keyReader(k.type, k.eval(block, ctx.fn)));
      const mask = new Uint8Array(block.rows);
      let count = 0;
      for (let i = 0; i < block.rows; i++) {
        let key: Key;
        if (multi) {
          let s = '';
          for (const r of readers) s += token(r(i));
          key = s;
        } else key = readers[0]!(i);
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push(key, now);
        if (seen.size > this.limit) seen.delete(queue.shift());
        mask[i] = 1;
        count++;
      }
      if (count === block.rows) yield block;
      else if (count > 0) yield block.filter(mask, count);
    }
  }
}

/** Keys in first-seen order with their times: arrays with a moving head, compacted as the head advances. */
class KeyQueue {
  private keys: Key[] = [];
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.keys.length - this.head;
  }
  push(key: Key, time: number): void {
    this.keys.push(key);
    this.times.push(time);
  }
  snapshot(): DedupSnapshot {
    return { keys: this.keys.slice(this.head), times: this.times.slice(this.head) };
  }
  oldestTime(): number {
    return this.times[this.head]!;
  }
  shift(): Key {
    const k = this.keys[this.head]!;
    this.keys[this.head] = null;
    this.head++;
    if (this.head >= 4096 && this.head * 2 >= this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return k;
  }
}

/** One column's key per row, canonical so equal values give equal keys (bigints within 2^53 become numbers). */
function keyReader(type: DataType, col: Column): KeyReader {
  const t = removeLowCardinality(type);
  if (col.kind === 'const') {
    const k = keyReader(t, col.inner)(0);
    return () => k;
  }
  if (col.kind === 'nullable' && t.kind === 'Nullable') {
    const inner = keyReader(t.inner, col.inner);
    const nulls = col.nulls;
    return (i) => (nulls[i] ? null : inner(i));
  }
  if (col.kind === 'numeric') {
    const d = col.data;
    if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
      return (i) => {
        const v = d[i]!;
        return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
      };
    }
    return (i) => d[i] as number;
  }
  if (col.kind === 'string') {
    const buf = Buffer.from(col.chars.buffer, col.chars.byteOffset, col.chars.byteLength);
    const o = col.offsets;
    return (i) => buf.toString('latin1', o[i]!, o[i + 1]!);
  }
  if (col.kind === 'fixed') {
    const buf = Buffer.from(col.data.buffer, col.data.byteOffset, col.data.byteLength);
    const w = col.width;
    return (i) => buf.toString('latin1', i * w, i * w + w);
  }
  return (i) => 'v' + valueText(readValue(t, col, i));
}

/** A self-delimiting token for one column's key, for composite keys. */
function token(k: Key): string {
  if (k === null) return 'N;';
  if (typeof k === 'string') return `s${k.length}:${k}`;
  return typeof k === 'bigint' ? `b${k};` : `n${k};`;
}

/** Unambiguous text of any value (arrays, tuples, maps, bytes), for keys of uncommon types. */
function valueText(v: Value): string {
  if (v === null) return 'N';
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${typeof v}${String(v)};`;
  if (v instanceof Uint8Array) return `x${v.length}:${Buffer.from(v).toString('latin1')}`;
  if (Array.isArray(v)) return `[${v.map(valueText).join(',')}]`;
  if (v instanceof Map) return `{${[...v].map(([a, b]) => valueText(a as Value) + '=' + valueText(b as Value)).join(',')}}`;
  return `o${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`;
}

// ------------------------------------------------------------------ planning


/**
 * Plans `dedup(source, key1[, key2…][, timeout][, limit])` over an already planned source.
 *
 * - `input` / `scope`: the planned source (its node and the scope its columns resolve in); the result has the
 *   same header, so the caller keeps using `scope` for the query above.
 * - `args`: dedup's arguments after the source. Trailing constants are options: an integer constant last is
 *   `limit` (keys kept, default 100 000), a constant interval (`10s`, `INTERVAL 2 MINUTE`) last or before the
 *   limit is `timeout` (keys forgotten that long after first seen, by processing time; default never). Every
 *   other argument is a key expression over the source's columns and must not be constant.
 */
export function planDedup(input: PlanNode, scope: Scope, args: readonly Expr[], env: CompileEnv, clock?: () => number): DedupNode {
  const usage = 'dedup(stream, column1[, column2, …][, timeout[, limit]]), e.g. dedup(s, id, 10s, 1000)';
  if (!args.length) throw new DbError('TOO_FEW_ARGUMENTS_FOR_FUNCTION', `Table function dedup requires at least 2 arguments: ${usage}`);
  const compiled = args.map((a) => compileExpression(env, scope, a));
  let end = compiled.length;
  let limit: number | undefined;
  let timeoutMs: number | undefined;
  const last = compiled[end - 1]!;
  if (end > 1 && last.constant && isInteger(removeLowCardinality(last.type))) {
    limit = Number(last.constant.value);
    if (!Number.isInteger(limit) || limit < 1) throw new DbError('BAD_ARGUMENTS', `The limit of dedup must be a positive integer, got ${String(last.constant.value)}: ${usage}`);
    end--;
  }
  const maybeTimeout = compiled[end - 1]!;
  if (end > 1 && maybeTimeout.constant && removeLowCardinality(maybeTimeout.type).kind === 'Interval') {
    const t = removeLowCardinality(maybeTimeout.type);
    const per = t.kind === 'Interval' ? FIXED_INTERVAL_MS[t.unit] : undefined;
    if (per === undefined) throw new DbError('BAD_ARGUMENTS', `The timeout of dedup must be an interval of a fixed length such as 10s, got ${maybeTimeout.type.name}: ${usage}`);
    timeoutMs = Number(maybeTimeout.constant.value) * per;
    if (!(timeoutMs >= 0)) throw new DbError('BAD_ARGUMENTS', `The timeout of dedup must not be negative: ${usage}`);
    // 0s: keys never expire (only the limit evicts them), as in Proton.
    if (timeoutMs === 0) timeoutMs = undefined;
    end--;
  }
  const keys = compiled.slice(0, end);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k.constant) throw new DbError('BAD_ARGUMENTS', `The dedup key ${exprName(args[i]!)} must not be constant: ${usage}`);
    if (removeLowCardinality(k.type).kind === 'Interval') throw new DbError('BAD_ARGUMENTS', `Misplaced interval ${exprName(args[i]!)} in dedup: ${usage}`);
  }
  return new DedupNode(input, keys, { limit, timeoutMs, clock });
}
